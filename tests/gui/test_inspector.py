"""The shot inspector on the sample project: overrides shown apart, reset, undo/redo, copy between shots."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from engine.project.settings import REGISTRY, Kind
from gui.app import film_look
from gui.main_window import MainWindow
from gui.setting_labels import setting_label
from gui.widgets.inspector import SECTIONS, ShotInspector


@pytest.fixture
def looked_window(qtbot, settings, autosave, prompts) -> Iterator[MainWindow]:
    """The editor with the render engine's look, so settings change the "after" picture."""
    win = MainWindow(settings=settings, autosave=autosave, prompts=prompts, look=film_look)
    prompts.window = win
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    yield win
    win.close()


def _inspector(window: MainWindow) -> ShotInspector:
    inspector = window.shot_inspector
    assert isinstance(inspector, ShotInspector)
    return inspector


def _chroma(rgb: np.ndarray) -> float:
    return float(np.abs(rgb.astype(int) - rgb.mean(axis=2, keepdims=True)).mean())


def test_every_per_shot_setting_has_an_editor_of_its_kind(window: MainWindow, sample_copy: Path) -> None:
    assert window.flow.open_project(sample_copy)
    inspector = _inspector(window)
    per_shot = [s for s in REGISTRY.values() if s.per_shot]
    assert set(inspector.rows) == {s.key for s in per_shot}
    assert {s.section for s in per_shot} == set(SECTIONS)
    expected = {Kind.BOOL: QCheckBox, Kind.INT: QSpinBox, Kind.FLOAT: QDoubleSpinBox, Kind.CHOICE: QComboBox}
    for setting in per_shot:
        editor = inspector.rows[setting.key].editor
        wanted = expected.get(setting.kind, QComboBox if setting.choices else QLineEdit)
        assert isinstance(editor, wanted), setting.key
        if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            assert (editor.minimum(), editor.maximum()) == (setting.minimum, setting.maximum)
        # a name in the restorer's words, translatable; the dotted key is in the tooltip
        label = inspector.rows[setting.key].label
        assert label.text() == setting_label(setting.key) != setting.key
        assert setting.key in label.toolTip()
    window_row = inspector.rows["restore.deflicker.window"]
    assert window_row.editor.value() == 15 and window_row.origin == "default"
    assert window_row.editor.font().italic() and not window_row.editor.font().bold()
    assert not window_row.reset_button.isEnabled()


def test_override_shows_bold_changes_the_preview_resets_and_undoes(
    qtbot, looked_window: MainWindow, sample_copy: Path
) -> None:
    window = looked_window
    assert window.flow.open_project(sample_copy)
    document = window.flow.document
    assert document is not None
    inspector = _inspector(window)
    window.go_to(60)  # the bunny shot's keyframe
    assert inspector.shot_id == "shot-bunny"
    qtbot.waitUntil(lambda: window.viewer.has_picture_of(60) and window.viewer._pair[1] is not None, timeout=30_000)
    full = window.viewer._pair[1].copy()

    row = inspector.rows["color.saturation"]
    assert row.origin == "default" and row.note.text() == "built-in default"
    row.editor.setValue(0.25)  # what the spin box does when the restorer types 0.25 and presses Enter
    assert document.project.data("shot-bunny").overrides == {"color.saturation": 0.25}
    assert document.undo_stack.undo_text() == "Set color.saturation to 0.25 (shot 2)"
    assert window.editor_actions["undo"].text() == "&Undo Set Saturation to 0.25 (shot 2)"
    assert row.overridden and row.editor.font().bold() and not row.editor.font().italic()
    assert row.reset_button.isEnabled() and row.note.text() == "this shot"
    qtbot.waitUntil(lambda: not np.array_equal(window.viewer._pair[1], full), timeout=30_000)
    muted = window.viewer._pair[1].copy()
    assert _chroma(muted) < 0.5 * _chroma(full)  # a quarter of the saturation: visibly grayer

    # reset this one setting: inherited again, and the full color is back
    row.reset_button.click()
    assert document.project.data("shot-bunny").overrides == {}
    assert row.origin == "default" and row.editor.value() == 1.0 and not row.reset_button.isEnabled()
    assert document.undo_stack.undo_text() == "Reset color.saturation (shot 2)"
    qtbot.waitUntil(lambda: np.array_equal(window.viewer._pair[1], full), timeout=30_000)

    # undo the reset: the override is back, bold, and the preview muted again; redo resets once more
    window.editor_actions["undo"].trigger()
    assert row.overridden and row.editor.value() == 0.25 and row.editor.font().bold()
    qtbot.waitUntil(lambda: np.array_equal(window.viewer._pair[1], muted), timeout=30_000)
    window.editor_actions["redo"].trigger()
    assert not row.overridden and row.editor.value() == 1.0
    window.editor_actions["undo"].trigger()  # back to the override
    window.editor_actions["undo"].trigger()  # and before it
    assert not row.overridden and document.project.data("shot-bunny").overrides == {}
    window.editor_actions["redo"].trigger()
    assert row.overridden and row.editor.value() == 0.25


def test_settings_follow_the_playhead_copy_paste_and_reset_shot(window: MainWindow, sample_copy: Path) -> None:
    assert window.flow.open_project(sample_copy)
    document = window.flow.document
    assert document is not None
    inspector = _inspector(window)
    project = document.project
    window.go_to(10)
    assert inspector.shot_id == "shot-street-night"
    inspector.rows["restore.deflicker.enabled"].editor.setChecked(True)
    inspector.rows["restore.deflicker.window"].editor.setValue(31)
    inspector.rows["interp.boundary"].editor.setCurrentText("blend")
    night = {"restore.deflicker.enabled": True, "restore.deflicker.window": 31, "interp.boundary": "blend"}
    assert dict(project.data("shot-street-night").overrides) == night
    assert not inspector.paste_button.isEnabled()
    inspector.copy_button.click()

    # the next shot shows its own (inherited) values: the night shot's edits are not its own
    window.go_to(120)
    assert inspector.shot_id == "shot-street-day"
    assert not inspector.rows["restore.deflicker.enabled"].editor.isChecked()
    assert not inspector.rows["restore.deflicker.window"].overridden
    assert inspector.paste_button.isEnabled()
    inspector.paste_button.click()
    assert dict(project.data("shot-street-day").overrides) == night
    assert document.undo_stack.undo_text() == "Copy settings of shot 1 to 1 shot(s)"
    assert inspector.rows["restore.deflicker.window"].editor.value() == 31
    assert all(inspector.rows[key].overridden for key in night)
    assert [h.id for h in project.data("shot-street-day").hints] == ["shot-street-day-1", "shot-street-day-2"]

    window.editor_actions["undo"].trigger()
    assert dict(project.data("shot-street-day").overrides) == {}
    assert not inspector.rows["interp.boundary"].overridden
    assert inspector.rows["interp.boundary"].editor.currentText() == "hold"
    window.editor_actions["redo"].trigger()
    assert inspector.rows["interp.boundary"].editor.currentText() == "blend"

    # reset the whole shot: every row inherits again, hints stay; undo restores all three at once
    inspector.reset_shot_button.click()
    assert dict(project.data("shot-street-day").overrides) == {}
    assert not any(row.overridden for row in inspector.rows.values())
    assert len(project.data("shot-street-day").hints) == 2
    window.editor_actions["undo"].trigger()
    assert dict(project.data("shot-street-day").overrides) == night

    # a project default shows as inherited "project default", not as the shot's own
    from engine.project.commands import SetOverride

    assert window.push(SetOverride("color.strength", 0.5))
    row = inspector.rows["color.strength"]
    assert row.origin == "project" and row.note.text() == "project default" and row.editor.value() == 0.5
    assert row.editor.font().italic() and not row.reset_button.isEnabled()

    # a value the registry refuses is refused with a message, and the editor shows what is in force
    upscaler = inspector.rows["upscale.upscaler"].editor
    upscaler.setCurrentText("lanczoss")
    upscaler.lineEdit().editingFinished.emit()
    assert "upscale.upscaler" not in project.data("shot-street-day").overrides
    assert upscaler.currentText() == "auto"


def test_project_defaults_reach_every_shot_that_does_not_override(window: MainWindow, sample_copy: Path) -> None:
    assert window.flow.open_project(sample_copy)
    document = window.flow.document
    inspector = _inspector(window)
    shots = [s.id for s in document.project.shots()]
    window.go_to(60)
    inspector.set_value("restore.deflicker.window", 9)  # one shot's own choice
    mine = inspector.shot_id
    inspector.set_scope("project")
    assert inspector.scope_box.currentIndex() == 1 and inspector.isEnabled()
    row = inspector.rows["restore.deflicker.window"]
    assert row.editor.value() == 15 and row.origin == "default" and not row.reset_button.isEnabled()
    row.editor.setValue(25)
    assert document.project.defaults == {"restore.deflicker.window": 25}
    assert document.undo_stack.undo_text() == "Set restore.deflicker.window to 25 (project default)"
    assert row.overridden and row.editor.font().bold() and row.reset_button.isEnabled()
    assert row.note.text() == "project default"
    # every shot inherits it but the one that chose its own
    windows = {s: document.project.settings_for(s)["restore.deflicker.window"] for s in shots}
    assert windows[mine] == 9 and all(w == 25 for s, w in windows.items() if s != mine)
    # back in the shot's scope, an inheriting shot shows the project default, dimmed
    inspector.set_scope("shot")
    window.go_to(document.project.shots()[0].start)
    first = inspector.rows["restore.deflicker.window"]
    assert first.editor.value() == 25 and first.origin == "project" and not first.overridden
    # reset in the project scope: the built-in default again; undo brings 25 back
    inspector.set_scope("project")
    row.reset_button.click()
    assert document.project.defaults == {} and row.editor.value() == 15
    window.editor_actions["undo"].trigger()
    assert document.project.defaults == {"restore.deflicker.window": 25} and row.editor.value() == 25


def test_a_model_file_is_chosen_for_the_shot_without_blocking_the_editor(
    qtbot, window: MainWindow, sample_copy: Path, tmp_path: Path
) -> None:
    """The upscaler's "…" opens a file chooser (window-modal, the event loop runs on); choosing is an edit."""
    from PySide6.QtWidgets import QFileDialog

    assert window.flow.open_project(sample_copy)
    document = window.flow.document
    assert document is not None
    inspector = _inspector(window)
    window.go_to(60)
    model = tmp_path / "realesr-compact-x4.pth"
    model.write_bytes(b"weights")  # the inspector only names the file; the render engine reads it
    row = inspector.rows["upscale.upscaler"]
    assert row.browse_button is not None and inspector.rows["color.reference"].browse_button is not None
    assert all(r.browse_button is None for k, r in inspector.rows.items() if REGISTRY[k].kind is not Kind.PATH)
    row.browse_button.click()
    chooser = row._chooser
    assert isinstance(chooser, QFileDialog) and chooser.isVisible()
    assert "*.pth" in chooser.nameFilters()[0] and "*.safetensors" in chooser.nameFilters()[0]
    assert chooser.fileMode() == QFileDialog.FileMode.ExistingFile
    chooser.fileSelected.emit(str(model))  # what the dialog emits when the restorer picks the file
    chooser.close()
    assert document.project.data("shot-bunny").overrides == {"upscale.upscaler": str(model)}
    assert row.editor.currentText() == str(model) and row.overridden
    window.editor_actions["undo"].trigger()
    assert document.project.data("shot-bunny").overrides == {}
