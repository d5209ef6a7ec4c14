"""The hint tools: which one is in the hand, the brush's size and paint, and the toolbar that shows them.

The tools hold no hints and make no edits: the hint layer reads them when
the restorer paints, erases or selects, and turns the gesture into commands.
Geometry here is in source pixels, the units hints are stored in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QSpinBox, QToolBar, QToolButton, QWidget

from engine.project.hints import ColorPin, Hint

MIN_RADIUS_PX, MAX_RADIUS_PX = 1.0, 200.0
SIZE_STEP = 1.25  # [ and ] change the brush by a quarter: small brushes fine, large ones quick
SWATCH_PX = 16


def _tr(text: str) -> str:
    return QCoreApplication.translate("HintTools", text)


class Tool(str, Enum):
    """What a left click on the viewer does."""

    VIEW = "view"  # pan and zoom only: the viewer's own gestures
    BRUSH = "brush"
    ERASER = "eraser"
    SELECT = "select"


@dataclass(frozen=True, slots=True)
class Paint:
    """What a stroke is painted with: a plain ``#rrggbb`` color, or a pin (``color`` is then the pin's)."""

    color: str
    pin: str | None = None


class HintTools(QObject):
    """The tool in hand and the brush, shared by the hint layer, the toolbar and the color panels.

    Signals
    -------
    changed()
        The tool, the brush size or its paint changed.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tool = Tool.VIEW
        self.radius = 8.0  # source pixels
        self.paint = Paint("#c0704a")

    def set_tool(self, tool: Tool) -> None:
        """Take ``tool`` in hand."""
        if tool != self.tool:
            self.tool = tool
            self.changed.emit()

    def set_radius(self, radius: float) -> None:
        """Set the brush radius in source pixels (clamped to 1–200)."""
        radius = min(MAX_RADIUS_PX, max(MIN_RADIUS_PX, float(radius)))
        if radius != self.radius:
            self.radius = radius
            self.changed.emit()

    def grow(self, steps: int) -> None:
        """``]`` (positive) and ``[`` (negative): a larger or smaller brush."""
        self.set_radius(round(self.radius * SIZE_STEP**steps, 1))

    def set_color(self, color: str) -> None:
        """Paint with the plain color ``#rrggbb``."""
        self.set_paint(Paint(QColor(color).name()))

    def set_pin(self, pin: ColorPin) -> None:
        """Paint with a pinned color: strokes refer to the pin, so recoloring it reaches them."""
        self.set_paint(Paint(pin.color, pin.id))

    def set_paint(self, paint: Paint) -> None:
        """Paint with ``paint``."""
        if paint != self.paint:
            self.paint = paint
            self.changed.emit()

    def follow_pins(self, pins: Iterable[ColorPin]) -> None:
        """Keep a pinned paint true to the palette: its new color, or its last one once it is removed."""
        if self.paint.pin is None:
            return
        table = {pin.id: pin for pin in pins}
        pin = table.get(self.paint.pin)
        self.set_paint(Paint(pin.color, pin.id) if pin is not None else Paint(self.paint.color))


# -- geometry ---------------------------------------------------------------------------------------
def distance_to_stroke(hint: Hint, x: float, y: float) -> float:
    """Distance in source pixels from ``(x, y)`` to the edge of ``hint``'s painted band (≤ 0: inside)."""
    points = hint.points
    best = math.hypot(x - points[0][0], y - points[0][1])
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        t = 0.0 if length2 == 0 else min(1.0, max(0.0, ((x - x0) * dx + (y - y0) * dy) / length2))
        best = min(best, math.hypot(x - (x0 + t * dx), y - (y0 + t * dy)))
    return best - hint.radius


def stroke_under(hints: Iterable[Hint], x: float, y: float, slack: float) -> Hint | None:
    """The topmost of ``hints`` (painted last) within ``slack`` source pixels of ``(x, y)``, or ``None``."""
    found = None
    for hint in hints:
        if distance_to_stroke(hint, x, y) <= slack:
            found = hint
    return found


# -- the toolbar ------------------------------------------------------------------------------------
class HintToolBar(QToolBar):
    """Tool buttons (from the window's actions), the brush size and the brush's paint.

    Parameters
    ----------
    tools
        The shared tool state.
    actions
        The window's tool actions, in order (view, brush, eraser, select).
    parent
        The owning window.

    Signals
    -------
    colorButtonClicked()
        The restorer wants another brush color (the window asks the color picker).
    """

    colorButtonClicked = Signal()

    def __init__(self, tools: HintTools, actions: dict[Tool, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hint-toolbar")
        self.setMovable(False)
        self.tools = tools
        self.tool_actions = actions
        group = QActionGroup(self)
        group.setExclusive(True)
        for tool, action in actions.items():
            action.setCheckable(True)
            group.addAction(action)
            self.addAction(action)
            action.triggered.connect(lambda _checked=False, t=tool: tools.set_tool(t))
        self.addSeparator()
        self.size_box = QSpinBox(self)
        self.size_box.setObjectName("brush-size")
        self.size_box.setRange(int(MIN_RADIUS_PX), int(MAX_RADIUS_PX))
        self.size_box.valueChanged.connect(lambda value: tools.set_radius(value))
        self.addWidget(self.size_box)
        self.color_button = QToolButton(self)
        self.color_button.setObjectName("brush-color")
        self.color_button.clicked.connect(self.colorButtonClicked)
        self.addWidget(self.color_button)
        tools.changed.connect(self.show_tools)
        self.retranslate()
        self.show_tools()

    def show_tools(self) -> None:
        """Reflect the tool state: checked tool, size, the paint's swatch."""
        tools = self.tools
        self.tool_actions[tools.tool].setChecked(True)
        if self.size_box.value() != round(tools.radius):
            self.size_box.blockSignals(True)
            self.size_box.setValue(round(tools.radius))
            self.size_box.blockSignals(False)
        swatch = QPixmap(SWATCH_PX, SWATCH_PX)
        swatch.fill(QColor(tools.paint.color))
        self.color_button.setIcon(QIcon(swatch))
        pinned = _tr("pinned color") if tools.paint.pin is not None else _tr("color")
        self.color_button.setToolTip(_tr("Brush {0} {1} — click to choose another").format(pinned, tools.paint.color))

    def retranslate(self) -> None:
        """Label the toolbar's own widgets in the current language."""
        self.setWindowTitle(_tr("Hint Tools"))
        self.size_box.setToolTip(_tr("Brush radius in source pixels ([ smaller, ] larger)"))
        self.size_box.setSuffix(_tr(" px"))
        self.show_tools()

