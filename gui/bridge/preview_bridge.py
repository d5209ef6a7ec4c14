"""The viewer's line to the engine's preview service, delivering on the main thread.

The GUI asks for frozen requests (frame, width, spec key); the service renders
on its worker thread and never queues stale work. On top of that, the bridge
keeps **one request in flight**: while a frame renders, newer wishes only
replace each other in a one-place waiting slot, and the newest is posted the
moment the picture in flight arrives. Posting every mouse move instead would
make each one cancel the render before it (a 720p seek-and-decode outlasts the
gap between two mouse moves), so a continuous drag would show nothing at all
until the hand stopped; this way the viewer follows the drag at the decoder's
pace and always ends on the frame under the playhead.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from engine.render.preview import PreviewResult, PreviewService, Renderer

# A render that takes longer than this is presumed lost (its worker died on a bug):
# the waiting request is posted anyway, superseding it, so the viewer never sticks.
IN_FLIGHT_TIMEOUT_MS = 4000


@dataclass(frozen=True, slots=True)
class _Wish:
    frame: int
    width: int
    spec_key: str
    quality: str


class PreviewBridge(QObject):
    """Asks for previews without ever waiting for one.

    Parameters
    ----------
    renderer
        ``renderer(request, cancel) -> image``, called on the service's worker thread.

    Signals
    -------
    previewReady(PreviewResult)
        A rendered picture, on the main thread; each is newer than the one before.
    previewFailed(str)
        A request could not be rendered (one line: file and reason).
    """

    previewReady = Signal(object)
    previewFailed = Signal(str)
    _arrived = Signal(object)

    def __init__(self, renderer: Renderer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._in_flight = 0  # id of the request being rendered, 0 when none
        self._waiting: _Wish | None = None
        self._latest_wish: _Wish | None = None
        self.stale_dropped = 0
        self.superseded = 0
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._presume_lost)
        self._arrived.connect(self._on_arrived, Qt.ConnectionType.QueuedConnection)
        self._service = PreviewService(renderer, self._arrived.emit)

    @property
    def busy(self) -> bool:
        """Whether a render is in flight or waiting."""
        return bool(self._in_flight) or self._waiting is not None

    def request(self, frame: int, width: int, spec_key: str = "", quality: str = "full") -> None:
        """Ask for ``frame`` at ``width`` pixels; supersedes every earlier wish not yet posted."""
        wish = _Wish(frame, width, spec_key, quality)
        if wish == self._latest_wish and self.busy:
            return  # the same picture is already on its way
        self._latest_wish = wish
        if self._in_flight:
            if self._waiting is not None:
                self.superseded += 1
            self._waiting = wish
            return
        self._post(wish)

    def _post(self, wish: _Wish) -> None:
        self._waiting = None
        self._in_flight = self._service.request(wish.frame, width=wish.width, quality=wish.quality,
                                                spec_key=wish.spec_key)
        self._watchdog.start(IN_FLIGHT_TIMEOUT_MS)

    def invalidate(self, spec_key: str | None = None) -> None:
        """Forget cached previews (of one look, or all)."""
        self._service.invalidate(spec_key)

    def wait_until_idle(self, timeout: float = 10.0) -> bool:
        """Block until the worker is idle (tests and scripts only: the editor never waits)."""
        return self._service.wait_until_idle(timeout)

    @property
    def dropped(self) -> int:
        """Wishes that were never rendered or never shown because a newer one replaced them."""
        return self._service.dropped + self.stale_dropped + self.superseded

    def close(self) -> None:
        """Stop the worker thread."""
        self._watchdog.stop()
        self._waiting = None
        self._service.close()

    @Slot(object)
    def _on_arrived(self, result: PreviewResult) -> None:
        if result.request.id != self._in_flight:
            self.stale_dropped += 1  # superseded by the watchdog; a newer picture is on its way
            return
        self._watchdog.stop()
        self._in_flight = 0
        if result.error is not None:
            self.previewFailed.emit(str(result.error))
        else:
            self.previewReady.emit(result)
        if self._waiting is not None:
            self._post(self._waiting)

    @Slot()
    def _presume_lost(self) -> None:
        if self._waiting is not None:
            self._post(self._waiting)
