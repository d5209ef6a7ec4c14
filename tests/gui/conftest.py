"""Fixtures for driving the real editor window offscreen."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings  # noqa: E402

from engine.project import Project  # noqa: E402
from engine.render.export import ExportRequest  # noqa: E402
from gui.bridge.autosave import AutosaveStore, Recovery  # noqa: E402
from gui.bridge.jobs import Job  # noqa: E402
from gui.dialogs.prompts import PinQuestions, Prompts, ReferenceQuestions  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """The bundled sample project and film, copied so tests may save and move them."""
    folder = tmp_path / "sample"
    folder.mkdir()
    shutil.copy2(SAMPLE / "sample.mp4", folder / "sample.mp4")
    shutil.copy2(SAMPLE / "sample.relume", folder / "sample.relume")
    return folder / "sample.relume"


def wait_for_preview(qtbot, window: MainWindow, frame: int) -> None:
    """Wait until the viewer shows the preview of ``frame``."""
    bridge = window.flow.preview
    assert bridge is not None
    qtbot.waitUntil(lambda: window.viewer.has_picture_of(frame), timeout=15_000)


class ScriptedPrompts(Prompts):
    """Answers the window's questions from attributes a test sets; records what was asked."""

    def __init__(self, window: object = None) -> None:
        self.window = window  # type: ignore[assignment]
        self.asked: list[str] = []
        self.errors: list[str] = []
        self.unsaved_answer = "discard"
        self.recover_answer = True
        self.media: Path | None = None
        self.project: Path | None = None
        self.save_to: Path | None = None
        self.relink_to: Path | None = None
        self.export_request: ExportRequest | None = None

    def unsaved_changes(self, name: str) -> str:
        self.asked.append("unsaved")
        return self.unsaved_answer

    def recover(self, recovery: Recovery) -> bool:
        self.asked.append("recover")
        return self.recover_answer

    def media_to_open(self) -> Path | None:
        return self.media

    def project_to_open(self) -> Path | None:
        return self.project

    def save_path(self, suggestion: Path) -> Path | None:
        self.asked.append("save_path")
        return self.save_to

    def relink(self, project: Project, problem: str) -> Path | None:
        self.asked.append(f"relink: {problem}")
        return self.relink_to

    def export(self, project: Project) -> ExportRequest | None:
        return self.export_request

    def error(self, message: str) -> None:
        self.errors.append(message)


class ScriptedPinQuestions(ReferenceQuestions):
    """Answers the color panels' questions from queues a test fills (a ``None`` is a cancel)."""

    def __init__(self) -> None:
        PinQuestions.__init__(self, None)
        self.colors: list[str | None] = []
        self.names: list[str | None] = []
        self.images: list[Path | None] = []

    def pin_color(self, current: str | None) -> str | None:
        return self.colors.pop(0)

    def pin_name(self, current: str) -> str | None:
        return self.names.pop(0)

    def reference_image(self) -> Path | None:
        return self.images.pop(0)

    def brush_color(self, current: str) -> str | None:
        return self.colors.pop(0)


@pytest.fixture(autouse=True)
def no_thread_left_running() -> Iterator[None]:
    """Fail a test that leaves a worker thread running (it would outlive its window)."""
    yield
    left = [job for job in Job.alive() if not job.wait(10_000)]
    assert not left, f"jobs still running: {[j.name for j in left]}"


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    """Settings in a file of the test's own, never the user's."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def autosave(tmp_path: Path) -> AutosaveStore:
    """An autosave folder of the test's own."""
    return AutosaveStore(tmp_path / "autosave")


@pytest.fixture
def prompts() -> ScriptedPrompts:
    """Scripted answers to the window's questions."""
    return ScriptedPrompts()


@pytest.fixture
def window(qtbot, settings: QSettings, autosave: AutosaveStore, prompts: ScriptedPrompts) -> Iterator[MainWindow]:
    """The real editor window, shown offscreen, closed cleanly after the test."""
    win = MainWindow(settings=settings, autosave=autosave, prompts=prompts)
    prompts.window = win
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    yield win
    prompts.unsaved_answer = "discard"
    win.close()
    from gui.i18n import install_language

    install_language("en")
