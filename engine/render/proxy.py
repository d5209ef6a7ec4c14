"""An intra-only, viewer-sized proxy of the film, so that any frame is one small decode away.

Archive transfers are long-GOP H.264 or MPEG-2: showing frame 4,000 means a
seek to the keyframe before it and decoding up to a few hundred frames. The
proxy is the same film at viewer size (960 px wide by default) in Motion JPEG,
where every frame is a keyframe: a random-position frame is one seek and one
small JPEG decode. It is built once, in the background, from a frame-exact
sequential decode (so proxy frame ``i`` is source frame ``i``, substituted
corrupt frames included), written beside nothing of the restorer's — in a
cache folder, named by the source's content fingerprint — under a temporary
name and renamed when complete.
"""

from __future__ import annotations

import os
import threading
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from engine.errors import OutputError, RelumeError
from engine.media.atomic import atomic_outputs
from engine.media.source import open_source
from engine.progress import CancelToken, ProgressCallback, ProgressMeter
from engine.project.media_ref import content_hash

PROXY_WIDTH = 960
# JPEG quantizer scale (2 best … 31 worst): 3 keeps grain visible while scrubbing.
PROXY_QUALITY = 3


def proxy_size(width: int, height: int, sar: Fraction, proxy_width: int = PROXY_WIDTH) -> tuple[int, int]:
    """``(w, h)`` of the proxy: square pixels, at most ``proxy_width`` wide, never enlarged, even sides."""
    display = width * sar
    w = min(Fraction(proxy_width), display)
    h = w * height / display
    return max(2, int(w) // 2 * 2), max(2, int(round(h)) // 2 * 2)


def proxy_path(
    media: str | os.PathLike[str], cache_folder: str | os.PathLike[str], proxy_width: int = PROXY_WIDTH
) -> Path:
    """Where the proxy of ``media`` lives in ``cache_folder`` (named by the media's content, not its name)."""
    _, digest = content_hash(media)
    return Path(cache_folder) / f"{digest.split(':', 1)[-1][:24]}-{proxy_width}.mkv"


def build_proxy(
    media: str | os.PathLike[str],
    target: str | os.PathLike[str],
    proxy_width: int = PROXY_WIDTH,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Path:
    """Write the proxy of ``media`` to ``target`` (atomically).

    Raises
    ------
    MediaError
        The source cannot be decoded.
    OutputError
        The proxy cannot be written.
    Cancelled
        ``cancel`` was set; nothing is left at ``target``.
    """
    target = Path(target)
    with open_source(media, cache_bytes=0) as source:
        info = source.info
        width, height = proxy_size(info.width, info.height, info.sar, proxy_width)
        meter = ProgressMeter(len(source), progress, "proxy")
        with atomic_outputs([target], [False]) as pending:
            try:
                container = av.open(str(pending[0].temporary), mode="w", format="matroska")
            except (av.error.FFmpegError, OSError) as exc:
                raise OutputError(f"cannot be created ({exc})", target) from exc
            with container:
                stream = container.add_stream("mjpeg", rate=info.fps)
                stream.width, stream.height, stream.pix_fmt = width, height, "yuvj420p"
                stream.time_base = 1 / info.fps
                stream.codec_context.qmin = stream.codec_context.qmax = PROXY_QUALITY
                for index, rgb in enumerate(source.frames()):
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    small = cv2.resize(_as_8bit(rgb), (width, height), interpolation=cv2.INTER_AREA)
                    picture = av.VideoFrame.from_ndarray(small, format="rgb24").reformat(format="yuvj420p")
                    picture.pts = index
                    container.mux(stream.encode(picture))
                    meter.advance()
                container.mux(stream.encode(None))
    meter.finish()
    return target


def _as_8bit(rgb: np.ndarray) -> np.ndarray:
    """The top 8 bits of a deeper frame (a proxy is for the eye, not for grading)."""
    return rgb if rgb.dtype == np.uint8 else (rgb >> 8).astype(np.uint8)


class ProxyBuilder:
    """Builds the proxy of a media file on a background thread, once.

    Parameters
    ----------
    media
        The film.
    cache_folder
        Where proxies are kept (created when missing).
    proxy_width
        Width of the proxy in pixels.

    Attributes
    ----------
    error
        What stopped the build, if it failed (the preview then keeps using the source).
    """

    def __init__(self, media: str | os.PathLike[str], cache_folder: str | os.PathLike[str],
                 proxy_width: int = PROXY_WIDTH) -> None:
        self.media = Path(media)
        self.cache_folder = Path(cache_folder)
        self.proxy_width = proxy_width
        self.path = proxy_path(self.media, self.cache_folder, proxy_width)
        self.error: RelumeError | None = None
        self._cancel = CancelToken()
        self._done = threading.Event()
        if self.path.is_file():
            self._done.set()
            self._thread: threading.Thread | None = None
        else:
            self._thread = threading.Thread(target=self._build, name="relume-proxy", daemon=True)
            self._thread.start()

    @property
    def ready(self) -> bool:
        """Whether the proxy exists and may be read."""
        return self._done.is_set() and self.error is None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the build ends (for scripts and tests); returns :attr:`ready`."""
        self._done.wait(timeout)
        return self.ready

    def cancel(self) -> None:
        """Stop building; the partial proxy is removed."""
        self._cancel.cancel()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _build(self) -> None:
        try:
            self.cache_folder.mkdir(parents=True, exist_ok=True)
            build_proxy(self.media, self.path, self.proxy_width, cancel=self._cancel)
        except RelumeError as exc:  # kept for the caller to show; previews fall back to the source
            self.error = exc
        except OSError as exc:
            self.error = OutputError(f"cannot build the proxy ({exc.strerror or exc})", self.path)
        finally:
            self._done.set()
