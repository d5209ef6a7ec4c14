"""The editor's commands as QActions: text, shortcut, icon, and the menus that hold them.

Texts are marked with ``QT_TRANSLATE_NOOP`` so Qt's lupdate finds them, and
translated when the actions are (re)labelled, so switching the language
relabels every menu at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import qtawesome as qta
from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

CONTEXT = "Actions"
ICON_COLOR, ICON_DISABLED = "#c8cad0", "#5a5c62"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One command: its name in code, its label, shortcuts and icon."""

    key: str
    text: str
    shortcuts: tuple[str, ...] = ()
    icon: str = ""
    checkable: bool = False


SPECS = (
    # file
    ActionSpec("new_from_media", QT_TRANSLATE_NOOP("Actions", "&New Project from Film…"), ("Ctrl+N",), "mdi6.filmstrip-box"),
    ActionSpec("open", QT_TRANSLATE_NOOP("Actions", "&Open Project…"), ("Ctrl+O",), "mdi6.folder-open-outline"),
    ActionSpec("save", QT_TRANSLATE_NOOP("Actions", "&Save"), ("Ctrl+S",), "mdi6.content-save-outline"),
    ActionSpec("save_as", QT_TRANSLATE_NOOP("Actions", "Save &As…"), ("Ctrl+Shift+S",)),
    ActionSpec("relink", QT_TRANSLATE_NOOP("Actions", "&Relink Media…")),
    ActionSpec("export", QT_TRANSLATE_NOOP("Actions", "&Export Master…"), ("Ctrl+E",), "mdi6.export"),
    ActionSpec("quit", QT_TRANSLATE_NOOP("Actions", "&Quit"), ("Ctrl+Q",)),
    # edit
    ActionSpec("undo", QT_TRANSLATE_NOOP("Actions", "&Undo"), ("Ctrl+Z",), "mdi6.undo"),
    ActionSpec("redo", QT_TRANSLATE_NOOP("Actions", "&Redo"), ("Ctrl+Shift+Z", "Ctrl+Y"), "mdi6.redo"),
    ActionSpec("add_cut", QT_TRANSLATE_NOOP("Actions", "Add &Cut at Playhead"), ("S",), "mdi6.content-cut"),
    ActionSpec("delete_cut", QT_TRANSLATE_NOOP("Actions", "&Delete Cut"), ("Delete", "Backspace"), "mdi6.delete-outline"),
    ActionSpec("merge_next", QT_TRANSLATE_NOOP("Actions", "&Merge Shot with Next"), ("M",), "mdi6.call-merge"),
    ActionSpec("nudge_cut_back", QT_TRANSLATE_NOOP("Actions", "Move Cut One Frame Earlier"), ("Alt+Left",)),
    ActionSpec("nudge_cut_forward", QT_TRANSLATE_NOOP("Actions", "Move Cut One Frame Later"), ("Alt+Right",)),
    ActionSpec("detect", QT_TRANSLATE_NOOP("Actions", "Detect &Shots"), ("Ctrl+D",), "mdi6.movie-search-outline"),
    # view
    ActionSpec("fit", QT_TRANSLATE_NOOP("Actions", "&Fit Frame in Viewer"), ("F",), "mdi6.fit-to-screen-outline"),
    ActionSpec("actual_pixels", QT_TRANSLATE_NOOP("Actions", "Actual Pixels (1:1)"), ("Ctrl+1",), "mdi6.numeric-1-box-outline"),
    ActionSpec("zoom_in", QT_TRANSLATE_NOOP("Actions", "Zoom &In"), ("Ctrl+=", "Ctrl++"), "mdi6.magnify-plus-outline"),
    ActionSpec("zoom_out", QT_TRANSLATE_NOOP("Actions", "Zoom &Out"), ("Ctrl+-",), "mdi6.magnify-minus-outline"),
    ActionSpec("toggle_before", QT_TRANSLATE_NOOP("Actions", "Show &Before (Source)"), ("B",), "mdi6.compare", True),
    ActionSpec("split_wipe", QT_TRANSLATE_NOOP("Actions", "Before/After &Split Wipe"), ("W",), "mdi6.compare-horizontal", True),
    ActionSpec("timeline_fit", QT_TRANSLATE_NOOP("Actions", "Show Whole Film in Timeline"), ("Shift+Z",)),
    # playback
    ActionSpec("play", QT_TRANSLATE_NOOP("Actions", "&Play / Pause"), ("Space",), "mdi6.play-pause"),
    ActionSpec("reverse", QT_TRANSLATE_NOOP("Actions", "Shuttle Backwards"), ("J",), "mdi6.rewind"),
    ActionSpec("pause", QT_TRANSLATE_NOOP("Actions", "Stop"), ("K",), "mdi6.stop"),
    ActionSpec("forward", QT_TRANSLATE_NOOP("Actions", "Shuttle Forwards"), ("L",), "mdi6.fast-forward"),
    ActionSpec("previous_frame", QT_TRANSLATE_NOOP("Actions", "Previous Frame"), ("Left",), "mdi6.step-backward"),
    ActionSpec("next_frame", QT_TRANSLATE_NOOP("Actions", "Next Frame"), ("Right",), "mdi6.step-forward"),
    ActionSpec("previous_cut", QT_TRANSLATE_NOOP("Actions", "Previous Cut"), ("Up",)),
    ActionSpec("next_cut", QT_TRANSLATE_NOOP("Actions", "Next Cut"), ("Down",)),
    ActionSpec("first_frame", QT_TRANSLATE_NOOP("Actions", "First Frame"), ("Home",), "mdi6.skip-backward"),
    ActionSpec("last_frame", QT_TRANSLATE_NOOP("Actions", "Last Frame"), ("End",), "mdi6.skip-forward"),
    ActionSpec("go_to", QT_TRANSLATE_NOOP("Actions", "&Go to Frame or Timecode…"), ("Ctrl+G",)),
    # color: hint tools and keyframes
    ActionSpec("tool_view", QT_TRANSLATE_NOOP("Actions", "&View Tool (Pan and Zoom)"), ("H",), "mdi6.hand-back-right-outline"),
    ActionSpec("tool_brush", QT_TRANSLATE_NOOP("Actions", "Hint &Brush"), ("P",), "mdi6.brush"),
    ActionSpec("tool_eraser", QT_TRANSLATE_NOOP("Actions", "Hint &Eraser"), ("E",), "mdi6.eraser"),
    ActionSpec("tool_select", QT_TRANSLATE_NOOP("Actions", "&Select Hint"), ("V",), "mdi6.cursor-default-outline"),
    ActionSpec("brush_smaller", QT_TRANSLATE_NOOP("Actions", "Smaller Brush"), ("[",)),
    ActionSpec("brush_larger", QT_TRANSLATE_NOOP("Actions", "Larger Brush"), ("]",)),
    ActionSpec("brush_color", QT_TRANSLATE_NOOP("Actions", "Brush &Color…"), (), "mdi6.palette-outline"),
    ActionSpec("pick_screen", QT_TRANSLATE_NOOP("Actions", "Pick Color from &Screen"), ("I",), "mdi6.eyedropper"),
    ActionSpec("previous_keyframe", QT_TRANSLATE_NOOP("Actions", "Previous Keyframe"), (";",)),
    ActionSpec("next_keyframe", QT_TRANSLATE_NOOP("Actions", "Next Keyframe"), ("'",)),
    # language
    ActionSpec("english", QT_TRANSLATE_NOOP("Actions", "English"), (), "", True),
    ActionSpec("chinese", QT_TRANSLATE_NOOP("Actions", "简体中文 (Simplified Chinese)"), (), "", True),
)

MENUS = (
    (QT_TRANSLATE_NOOP("Actions", "&File"), ("new_from_media", "open", "recent", None, "save", "save_as", "relink", None,
                                            "export", None, "quit")),
    (QT_TRANSLATE_NOOP("Actions", "&Edit"), ("undo", "redo", None, "add_cut", "delete_cut", "merge_next",
                                            "nudge_cut_back", "nudge_cut_forward", None, "detect")),
    (QT_TRANSLATE_NOOP("Actions", "&View"), ("fit", "actual_pixels", "zoom_in", "zoom_out", None, "toggle_before",
                                            "split_wipe", None, "timeline_fit", None, "docks")),
    (QT_TRANSLATE_NOOP("Actions", "&Playback"), ("play", "reverse", "pause", "forward", None, "previous_frame",
                                                "next_frame", "previous_cut", "next_cut", "first_frame", "last_frame",
                                                None, "go_to")),
    (QT_TRANSLATE_NOOP("Actions", "&Color"), ("tool_view", "tool_brush", "tool_eraser", "tool_select", None,
                                             "brush_smaller", "brush_larger", "brush_color", "pick_screen", None,
                                             "previous_keyframe", "next_keyframe")),
    (QT_TRANSLATE_NOOP("Actions", "&Language"), ("english", "chinese")),
)
TOOLBAR = ("new_from_media", "open", "save", None, "undo", "redo", None, "add_cut", "delete_cut", "merge_next", None,
           "detect", "export", None, "fit", "toggle_before", "split_wipe")
HINT_TOOLS = ("tool_view", "tool_brush", "tool_eraser", "tool_select")
TRANSPORT = ("first_frame", "previous_frame", "play", "next_frame", "last_frame")
RECENT_TEXT = QT_TRANSLATE_NOOP("Actions", "Open &Recent")
DOCKS_TEXT = QT_TRANSLATE_NOOP("Actions", "&Panels")
TOOLBAR_TEXT = QT_TRANSLATE_NOOP("Actions", "Main Toolbar")


def tr(text: str) -> str:
    """``text`` in the current language."""
    return QCoreApplication.translate(CONTEXT, text)


class ActionSet:
    """Every action of one window, its menus and its toolbar.

    Attributes
    ----------
    recent_menu, docks_menu
        Menus the window fills itself (recent projects, panel toggles).
    """

    def __init__(self, window: QMainWindow) -> None:
        self.window = window
        self.by_key: dict[str, QAction] = {}
        for spec in SPECS:
            action = QAction(window)
            action.setObjectName(spec.key)
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            # shortcuts work wherever focus is in the window, except while typing in a field
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setCheckable(spec.checkable)
            if spec.icon:
                action.setIcon(qta.icon(spec.icon, color=ICON_COLOR, color_disabled=ICON_DISABLED))
            window.addAction(action)
            self.by_key[spec.key] = action
        self.recent_menu = QMenu(window)
        self.docks_menu = QMenu(window)
        self._menus: list[tuple[str, QMenu]] = []
        for title, keys in MENUS:
            menu = window.menuBar().addMenu("")
            self._menus.append((title, menu))
            for key in keys:
                if key is None:
                    menu.addSeparator()
                elif key == "recent":
                    menu.addMenu(self.recent_menu)
                elif key == "docks":
                    menu.addMenu(self.docks_menu)
                else:
                    menu.addAction(self.by_key[key])
        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("main-toolbar")
        self.toolbar.setMovable(False)
        for key in TOOLBAR:
            if key is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(self.by_key[key])
        window.addToolBar(self.toolbar)
        self.retranslate()

    def __getitem__(self, key: str) -> QAction:
        return self.by_key[key]

    def retranslate(self) -> None:
        """Label every action and menu in the current language."""
        for spec in SPECS:
            action = self.by_key[spec.key]
            action.setText(tr(spec.text))
            if spec.shortcuts:
                action.setToolTip(f"{tr(spec.text).replace('&', '').rstrip('…')} ({spec.shortcuts[0]})")
        for title, menu in self._menus:
            menu.setTitle(tr(title))
        self.recent_menu.setTitle(tr(RECENT_TEXT))
        self.docks_menu.setTitle(tr(DOCKS_TEXT))
        self.toolbar.setWindowTitle(tr(TOOLBAR_TEXT))
