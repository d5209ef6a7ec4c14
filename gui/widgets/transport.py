"""Playback driven by the wall clock, and the transport bar under the viewer.

Playback keeps time, not frames: each tick shows the frame that *should* be on
screen now, so a slow preview drops frames instead of slowing the film down
(the preview bridge only ever renders the newest request anyway).
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from gui.timecode import format_timecode, parse_position

SHUTTLE_SPEEDS = (1, 2, 4, 8)


class PlaybackClock(QObject):
    """Plays from a frame at a speed (negative: backwards), one tick per frame period.

    Signals
    -------
    frameDue(int)
        The frame that belongs on screen now.
    stateChanged(float)
        The speed changed (0 when stopped).
    """

    frameDue = Signal(int)
    stateChanged = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self.fps = Fraction(25)
        self.frame_count = 1
        self.speed = 0.0
        self._origin_frame = 0
        self._origin_time = 0.0
        self._last = -1

    @property
    def playing(self) -> bool:
        """Whether the clock runs."""
        return self.speed != 0

    def configure(self, fps: Fraction, frame_count: int) -> None:
        """Set the film's rate and length (stops playback)."""
        self.stop()
        self.fps, self.frame_count = fps, frame_count

    def play(self, from_frame: int, speed: float = 1.0) -> None:
        """Start playing from ``from_frame`` at ``speed`` × real time."""
        if speed == 0:
            self.stop()
            return
        self._origin_frame, self._origin_time, self._last = from_frame, time.monotonic(), from_frame
        self.speed = speed
        interval = 1000 / (float(self.fps) * min(abs(speed), 2.0))  # above 2× frames are skipped anyway
        self._timer.start(max(5, int(interval)))
        self.stateChanged.emit(self.speed)

    def stop(self) -> None:
        """Stop playing."""
        if self._timer.isActive() or self.speed:
            self._timer.stop()
            self.speed = 0.0
            self.stateChanged.emit(0.0)

    def shuttle(self, direction: int, from_frame: int) -> None:
        """J/L: start at 1× in ``direction``, or double the speed already going that way (up to 8×)."""
        if self.speed and math.copysign(1, self.speed) == direction:
            faster = [s for s in SHUTTLE_SPEEDS if s > abs(self.speed)]
            speed = faster[0] if faster else SHUTTLE_SPEEDS[-1]
        else:
            speed = 1
        self.play(from_frame, direction * speed)

    def _tick(self) -> None:
        elapsed = time.monotonic() - self._origin_time
        frame = self._origin_frame + math.floor(elapsed * float(self.fps) * self.speed)
        end = self.frame_count - 1
        if (self.speed > 0 and frame >= end) or (self.speed < 0 and frame <= 0):
            frame = min(end, max(0, frame))
            self.frameDue.emit(frame)
            self.stop()
            return
        if frame != self._last:
            self._last = frame
            self.frameDue.emit(frame)


class TransportBar(QWidget):
    """Play controls, the position as timecode and frame, and a field to jump anywhere.

    Parameters
    ----------
    actions
        The window's transport actions in button order (start, back, play, forward, end).

    Signals
    -------
    positionEntered(int)
        The restorer typed a frame or timecode and pressed Enter.
    """

    positionEntered = Signal(int)

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fps = Fraction(25)
        self.frame_count = 0
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        for action in actions:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            layout.addWidget(button)
        layout.addSpacing(12)
        self.position = QLineEdit(self)
        self.position.setObjectName("timecode")
        self.position.setFixedWidth(120)
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.position.returnPressed.connect(self._entered)
        layout.addWidget(self.position)
        self.frame_label = QLabel(self)
        layout.addWidget(self.frame_label)
        layout.addStretch(1)
        self.speed_label = QLabel(self)
        layout.addWidget(self.speed_label)

        self._shown = 0
        self.retranslate()

    def retranslate(self) -> None:
        """Label the bar in the current language."""
        self.position.setToolTip(self.tr("Type a frame number or a timecode HH:MM:SS:FF and press Enter"))
        self.show_position(self._shown)

    def configure(self, fps: Fraction, frame_count: int) -> None:
        """Set the film's rate and length."""
        self.fps, self.frame_count = fps, frame_count

    def show_position(self, frame: int) -> None:
        """Display ``frame`` (unless the restorer is typing in the field)."""
        self._shown = frame
        if self.frame_count == 0:
            self.position.clear()
            self.frame_label.clear()
            return
        if not self.position.hasFocus():
            self.position.setText(format_timecode(frame, self.fps))
        self.frame_label.setText(self.tr("frame {0} of {1}").format(frame, max(0, self.frame_count - 1)))

    def show_speed(self, speed: float) -> None:
        """Show the shuttle speed (empty when stopped)."""
        self.speed_label.setText("" if speed == 0 else f"{speed:+g}×")

    def _entered(self) -> None:
        try:
            frame = parse_position(self.position.text(), self.fps)
        except ValueError:
            self.position.selectAll()
            self.frame_label.setText(self.tr("not a frame or timecode"))
            return
        self.position.clearFocus()
        self.positionEntered.emit(frame)

