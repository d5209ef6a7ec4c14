"""The shot inspector: every per-shot setting of the shot under the playhead.

Rows are built from :data:`engine.project.settings.REGISTRY`, grouped by
section, one editor per kind. A value the shot inherits is shown dimmed and in
italics with where it comes from; a value the shot overrides is bold with its
own reset button. Editing pushes ``SetOverride``; the rows are redrawn from the
project after every change, so undo and redo show through without bookkeeping.
The same rows edit the project's defaults when the scope at the top says so —
what every shot inherits unless it overrides — with built-in defaults receding.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.errors import RelumeError
from engine.project.cascade import Origin, resolve
from engine.project.commands import Command, CopySettings, ResetOverride, ResetShot, SetOverride
from engine.project.settings import REGISTRY, Kind, Setting, SettingValue, to_json
from gui.bridge.document import Document
from gui.setting_labels import setting_label

SECTIONS = ("restore", "color", "upscale", "interp")
# What the inspector edits: the current shot's overrides, or the project's defaults.
Scope = Literal["shot", "project"]
SCOPES: tuple[Scope, ...] = ("shot", "project")
FLOAT_STEP = 0.05
FLOAT_DECIMALS = 2
SettingEditor = QCheckBox | QSpinBox | QDoubleSpinBox | QComboBox | QLineEdit


def _tr(text: str) -> str:
    return QCoreApplication.translate("Inspector", text)


def _file_filter(key: str) -> str:
    """What the file chooser of a path setting offers."""
    if key == "upscale.upscaler":
        return _tr("Upscaling models (*.safetensors *.pth *.pt *.ckpt)")
    return _tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp)")


def _section_title(section: str) -> str:
    return {"restore": _tr("Restore"), "color": _tr("Color"), "upscale": _tr("Upscale"),
            "interp": _tr("Frame interpolation")}[section]


def _origin_note(origin: Origin) -> str:
    return {"default": _tr("built-in default"), "project": _tr("project default"),
            "shot": _tr("this shot"), "export": _tr("export override")}[origin]


class SettingRow:
    """One setting's label, editor, origin note and reset button.

    Parameters
    ----------
    setting
        The registry row.
    commit
        Called with the edited value (already the setting's type) when the restorer changes it.
    reset
        Called when the restorer asks for the inherited value back.
    parent
        The owning widget.
    """

    def __init__(self, setting: Setting, commit: Callable[[str, SettingValue], None],
                 reset: Callable[[str], None], parent: QWidget) -> None:
        self.setting = setting
        self._edited = commit
        self.shown: SettingValue = setting.default
        self.label = QLabel(setting_label(setting.key), parent)
        # The dotted key is what `relume export --set` and the project file call it.
        self.label.setToolTip(f"{setting.meaning}\n{setting.key}")
        self.editor = self._make_editor(parent)
        self.editor.setObjectName(f"setting-{setting.key}")
        self.editor.setToolTip(f"{setting.meaning}\n{setting.allowed()}")
        self.note = QLabel(parent)
        self.reset_button = QToolButton(parent)
        self.reset_button.setObjectName(f"reset-{setting.key}")
        self.reset_button.setText("↺")
        self.reset_button.clicked.connect(lambda: reset(setting.key))
        # the origin note sits under the name, so a narrow dock still shows editor and reset button
        self.heading = QWidget(parent)
        stack = QVBoxLayout(self.heading)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(0)
        stack.addWidget(self.label)
        stack.addWidget(self.note)
        self.field = QWidget(parent)
        line = QHBoxLayout(self.field)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.editor, 1)
        self.browse_button: QToolButton | None = None
        self._chooser: QFileDialog | None = None
        if setting.kind is Kind.PATH:
            self.browse_button = QToolButton(parent)
            self.browse_button.setObjectName(f"browse-{setting.key}")
            self.browse_button.setText("…")
            self.browse_button.clicked.connect(self.choose_file)
            line.addWidget(self.browse_button)
        line.addWidget(self.reset_button)
        self.origin: Origin = "default"
        self.own: Origin = "shot"
        self._drawn: tuple[Origin, Origin] | None = None  # the origin and layer the row is styled for

    def _make_editor(self, parent: QWidget) -> SettingEditor:
        s = self.setting
        if s.kind is Kind.BOOL:
            box = QCheckBox(parent)
            box.toggled.connect(lambda on: self._commit(s.key, bool(on)))
            return box
        if s.kind is Kind.INT:
            spin = QSpinBox(parent)
            spin.setRange(int(s.minimum) if s.minimum is not None else -(2**31),
                          int(s.maximum) if s.maximum is not None else 2**31 - 1)
            spin.setKeyboardTracking(False)  # typing "15" must not commit "1" first
            spin.valueChanged.connect(lambda v: self._commit(s.key, int(v)))
            return spin
        if s.kind is Kind.FLOAT:
            dspin = QDoubleSpinBox(parent)
            dspin.setDecimals(FLOAT_DECIMALS)
            dspin.setSingleStep(FLOAT_STEP)
            dspin.setRange(s.minimum if s.minimum is not None else -1e9, s.maximum if s.maximum is not None else 1e9)
            dspin.setKeyboardTracking(False)
            dspin.valueChanged.connect(lambda v: self._commit(s.key, round(float(v), FLOAT_DECIMALS)))
            return dspin
        if s.kind is Kind.CHOICE or s.choices:
            combo = QComboBox(parent)
            combo.addItems(list(s.choices))
            # a path setting with named choices also takes a model file: let the restorer type one
            combo.setEditable(s.kind is not Kind.CHOICE)
            if combo.isEditable():
                combo.lineEdit().editingFinished.connect(lambda: self._commit(s.key, combo.currentText().strip()))
                combo.activated.connect(lambda _i: self._commit(s.key, combo.currentText().strip()))
            else:
                combo.currentTextChanged.connect(lambda text: self._commit(s.key, text))
            return combo
        edit = QLineEdit(parent)
        edit.setPlaceholderText(_tr("none"))
        edit.editingFinished.connect(lambda: self._commit(s.key, self._text_value(edit.text())))
        return edit

    def choose_file(self) -> QFileDialog:
        """Offer a file for a path setting (a model, a photograph); choosing one commits it.

        The chooser is opened window-modal with ``open()``, not ``exec()``: the
        editor's event loop, previews included, keeps running behind it.
        """
        if self._chooser is None:
            chooser = QFileDialog(self.field, setting_label(self.setting.key))
            chooser.setFileMode(QFileDialog.FileMode.ExistingFile)
            chooser.fileSelected.connect(lambda path: self._commit(self.setting.key, path))
            self._chooser = chooser
        self._chooser.setNameFilter(_file_filter(self.setting.key))
        self._chooser.open()
        return self._chooser

    def _commit(self, key: str, value: SettingValue) -> None:
        # a line edit reports "finished" whenever it loses focus: only a real change is an edit
        if value != self.shown:
            self._edited(key, value)

    def _text_value(self, text: str) -> SettingValue:
        word = text.strip()
        return None if not word and self.setting.optional else word

    def retranslate(self) -> None:
        """Name the setting, and its origin at the next :meth:`show`, in the current language."""
        self.label.setText(setting_label(self.setting.key))
        self._drawn = None

    def show(self, value: SettingValue, origin: Origin, own: Origin = "shot") -> None:
        """Show ``value`` (without committing it) and mark where it comes from.

        ``own`` is the layer being edited (``"shot"``, or ``"project"`` for the
        project defaults): a value set there stands out, inherited ones recede.
        """
        self.origin, self.own, self.shown = origin, own, value
        editor = self.editor
        editor.blockSignals(True)
        try:
            if isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))  # type: ignore[arg-type]
            elif isinstance(editor, QDoubleSpinBox):
                editor.setValue(float(value))  # type: ignore[arg-type]
            elif isinstance(editor, QComboBox):
                editor.setCurrentText("" if value is None else str(to_json(value)))
            else:
                editor.setText("" if value is None else str(to_json(value)))
        finally:
            editor.blockSignals(False)
        if self._drawn == (origin, own):
            # A hint edit refreshes the inspector too: restyling unchanged rows
            # would cost the GUI thread milliseconds per stroke.
            return
        self._drawn = (origin, own)
        overridden = origin == own
        for widget in (self.label, editor):
            font = widget.font()
            font.setBold(overridden)
            font.setItalic(not overridden)
            widget.setFont(font)
        # inherited values recede; the shot's own decisions stand out
        dim = "" if overridden else "color: palette(mid);"
        self.label.setStyleSheet(dim)
        self.note.setStyleSheet("color: palette(mid); font-style: italic; font-size: small;")
        self.note.setText(_origin_note(origin))
        self.reset_button.setEnabled(overridden)
        if self.browse_button is not None:
            self.browse_button.setToolTip(_tr("Choose a file…"))
        self.reset_button.setToolTip(_tr("Reset to project default") if own == "shot"
                                     else _tr("Reset to built-in default"))

    @property
    def overridden(self) -> bool:
        """Whether the layer being edited (the shot, or the project defaults) sets this setting."""
        return self.origin == self.own


class ShotInspector(QWidget):
    """The inspector dock's settings: per-shot rows, reset shot, copy and paste settings.

    Parameters
    ----------
    push
        Pushes an undoable command on the open project; returns whether it took effect.
    parent
        The owning widget.
    """

    def __init__(self, push: Callable[[Command], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shot-inspector")
        self._push = push
        self.document: Document | None = None
        self.shot_id: str | None = None
        self.copied_from: str | None = None
        # Which layer the rows edit: the current shot's overrides, or the project's defaults.
        self.scope: Scope = "shot"
        self.rows: dict[str, SettingRow] = {}
        self.groups: dict[str, QGroupBox] = {}
        body = QWidget(self)
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        for section in SECTIONS:
            group = QGroupBox(body)
            form = QFormLayout(group)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for setting in REGISTRY.values():
                if setting.per_shot and setting.section == section:
                    row = SettingRow(setting, self.set_value, self.reset_value, group)
                    form.addRow(row.heading, row.field)
                    self.rows[setting.key] = row
            column.addWidget(group)
            self.groups[section] = group
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows shrink to the dock
        scroll.setWidget(body)
        self.reset_shot_button = QToolButton(self)
        self.reset_shot_button.setObjectName("reset-shot")
        self.reset_shot_button.clicked.connect(self.reset_shot)
        self.copy_button = QToolButton(self)
        self.copy_button.setObjectName("copy-settings")
        self.copy_button.clicked.connect(self.copy_settings)
        self.paste_button = QToolButton(self)
        self.paste_button.setObjectName("paste-settings")
        self.paste_button.clicked.connect(self.paste_settings)
        self.scope_box = QComboBox(self)
        self.scope_box.setObjectName("inspector-scope")
        self.scope_box.addItems(["", ""])
        self.scope_box.currentIndexChanged.connect(lambda i: self.set_scope(SCOPES[i]))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for widget in (self.scope_box, self.reset_shot_button, self.copy_button, self.paste_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(scroll, 1)
        self.retranslate()
        self.refresh()

    # -- which shot -----------------------------------------------------------------------------------
    def set_shot(self, document: Document | None, shot_id: str | None) -> None:
        """Inspect shot ``shot_id`` of ``document`` (``None``: nothing open) and follow its changes."""
        if document is not self.document:
            if self.document is not None:
                self.document.shotChanged.disconnect(self._shot_changed)
                self.document.settingsChanged.disconnect(self.refresh)
            self.document = document
            self.copied_from = None
            if document is not None:
                document.shotChanged.connect(self._shot_changed)
                document.settingsChanged.connect(self.refresh)
        self.shot_id = shot_id if document is not None else None
        self.refresh()

    def _shot_changed(self, shot_id: str) -> None:
        if shot_id == self.shot_id:
            self.refresh()

    def set_scope(self, scope: Scope) -> None:
        """Edit the current shot's overrides (``"shot"``) or the project's defaults (``"project"``)."""
        self.scope = scope
        self.scope_box.blockSignals(True)
        self.scope_box.setCurrentIndex(SCOPES.index(scope))
        self.scope_box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Redraw every row from the project (after an edit, an undo or a redo)."""
        document, shot_id = self.document, self.shot_id
        has_shot = document is not None and shot_id is not None and shot_id in {
            s.id for s in document.project.shots()}
        for button in (self.reset_shot_button, self.copy_button):
            button.setEnabled(has_shot and self.scope == "shot")
        if self.scope == "project":
            self.setEnabled(document is not None)
            self.paste_button.setEnabled(False)
            if document is not None:
                defaults = resolve(document.project.defaults)
                for key, row in self.rows.items():
                    row.show(defaults[key], defaults.origin(key), own="project")
            return
        self.setEnabled(has_shot)
        if has_shot:
            assert document is not None and shot_id is not None
            try:
                resolved = document.project.settings_for(shot_id)
            except RelumeError:
                resolved = None  # a hand-edited project with a bad value: the preview says why
            if resolved is not None:
                for key, row in self.rows.items():
                    row.show(resolved[key], resolved.origin(key))
        can_paste = has_shot and self.copied_from is not None and self.copied_from != shot_id and (
            document is not None and self.copied_from in {s.id for s in document.project.shots()})
        self.paste_button.setEnabled(can_paste)

    # -- edits ----------------------------------------------------------------------------------------
    def set_value(self, key: str, value: SettingValue) -> None:
        """Override ``key`` with ``value`` on the inspected shot, or as the project default (one undo step)."""
        if self.scope == "project":
            command = SetOverride(key, value)
        elif self.shot_id is not None:
            command = SetOverride(key, value, self.shot_id)
        else:
            return
        if not self._push(command):
            self.refresh()  # refused: show the value that is really in force again

    def reset_value(self, key: str) -> None:
        """Let the inspected shot inherit ``key`` again (or the project its built-in default)."""
        if self.scope == "project":
            self._push(ResetOverride(key))
        elif self.shot_id is not None:
            self._push(ResetOverride(key, self.shot_id))

    def reset_shot(self) -> None:
        """Drop every override of the inspected shot (hints and notes stay)."""
        if self.shot_id is not None:
            self._push(ResetShot(self.shot_id))

    def copy_settings(self) -> None:
        """Remember the inspected shot as the source of the next paste."""
        self.copied_from = self.shot_id
        self.refresh()

    def paste_settings(self) -> None:
        """Give the inspected shot the copied shot's overrides and reference (one undo step)."""
        if self.copied_from is not None and self.shot_id is not None and self.copied_from != self.shot_id:
            self._push(CopySettings(self.copied_from, [self.shot_id]))

    # -- language -------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Label everything in the current language."""
        for section, group in self.groups.items():
            group.setTitle(_section_title(section))
        for row in self.rows.values():
            row.retranslate()
        self.reset_shot_button.setText(_tr("Reset shot"))
        self.reset_shot_button.setToolTip(_tr("Reset every setting of this shot to the project default"))
        self.copy_button.setText(_tr("Copy settings"))
        self.copy_button.setToolTip(_tr("Remember this shot's settings"))
        self.paste_button.setText(_tr("Paste settings"))
        self.paste_button.setToolTip(_tr("Give this shot the settings of the copied shot"))
        self.scope_box.setItemText(0, _tr("This shot"))
        self.scope_box.setItemText(1, _tr("Project defaults"))
        self.scope_box.setToolTip(_tr("Edit this shot's own settings, or the project defaults every shot inherits "
                                      "unless it overrides them"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
