"""The editor's parts on their own: timecode, timeline scale, autosave store, jobs, catalogs, platform check."""

from __future__ import annotations

import json
import string
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from engine.errors import MediaError
from engine.project import MediaRef, Project
from gui.bridge.autosave import AutosaveStore
from gui.bridge.jobs import Job
from gui.i18n import CatalogTranslator, catalog_path
from gui.i18n.catalog import find_messages, read_translations
from gui.platform_check import display_problem, missing_packages
from gui.timecode import format_timecode, nominal_rate, parse_position
from gui.widgets.timeline_scale import TimelineScale, tick_step


def test_timecode_round_trips_at_film_and_video_rates() -> None:
    assert format_timecode(0, Fraction(24)) == "00:00:00:00"
    assert format_timecode(24 * 3600 + 23, Fraction(24)) == "01:00:00:23"
    ntsc = Fraction(30000, 1001)
    assert nominal_rate(ntsc) == 30 and nominal_rate(Fraction(24000, 1001)) == 24
    for frame in (0, 29, 30, 1799, 1800, 107_892):
        assert parse_position(format_timecode(frame, ntsc), ntsc) == frame
    assert parse_position(" 1234 ", Fraction(25)) == 1234
    assert parse_position("00;00;01;05", Fraction(25)) == 30
    with pytest.raises(ValueError, match="not a valid timecode"):
        parse_position("00:00:01:25", Fraction(25))
    with pytest.raises(ValueError, match="neither"):
        parse_position("12s", Fraction(25))


def test_timeline_scale_zooms_about_the_anchor_and_never_scrolls_past_the_film() -> None:
    scale = TimelineScale(2.0, 100.0)
    assert scale.frame_at(scale.x_of(250)) == 250
    zoomed = scale.zoomed(4.0, anchor_x=300)
    assert zoomed.px_per_frame == 8.0 and zoomed.frame_at(300) == scale.frame_at(300)
    assert TimelineScale(1.0, 0).scrolled_to(-50, 1000, 400).first_frame == 0
    assert TimelineScale(1.0, 0).scrolled_to(900, 1000, 400).first_frame == 600
    assert tick_step(1.0, Fraction(25)) == 125  # labels every 5 s at 1 px per frame
    assert tick_step(40.0, Fraction(25)) == 5
    assert all(tick_step(ppf, Fraction(24)) * ppf >= 90 for ppf in (0.01, 0.3, 3.0, 30.0))


def test_autosave_side_file_ledger_and_leftovers(tmp_path: Path, carphone: Path) -> None:
    store = AutosaveStore(tmp_path / "data")
    project = Project(Fraction(30000, 1001), 120, MediaRef.to_file(carphone))
    slot = store.open_slot(None)
    side = slot.write(project)
    assert side.parent == store.folder and side.name.startswith("untitled-")
    assert store.leftovers() == []  # this very process is alive: not a crash
    record = json.loads(slot.ledger.read_text())
    slot.ledger.write_text(json.dumps({**record, "pid": 2**22 + 17}))  # above Linux's pid_max
    (leftover,) = store.leftovers()
    assert leftover.origin is None and leftover.side_file == side
    assert store.recover(leftover) == project
    store.discard(leftover)
    assert store.leftovers() == [] and not side.exists()
    # a saved project's side file lives beside it
    slot.move_to(tmp_path / "reel.relume")
    assert slot.write(project) == tmp_path / "reel.relume.autosave"
    slot.discard()
    assert not (tmp_path / "reel.relume.autosave").exists()


def test_a_torn_ledger_entry_is_dropped(tmp_path: Path) -> None:
    store = AutosaveStore(tmp_path)
    (tmp_path / "session-torn.json").write_text("{\"side_file\": ")
    assert store.leftovers() == []
    assert not (tmp_path / "session-torn.json").exists()


def test_job_reports_progress_result_and_errors_on_the_main_thread(qtbot) -> None:
    from engine.progress import Progress

    def work(progress, cancel):
        for i in range(3):
            progress(Progress(i + 1, 3, 0.1))
        return "done"

    job = Job("count", work)
    seen = []
    job.progressed.connect(lambda p: seen.append(p.done))
    with qtbot.waitSignal(job.ended, timeout=5000):
        job.start()
    assert seen == [1, 2, 3] and job.outcome == "done" and job.result == "done"

    def broken(progress, cancel):
        raise MediaError("moov atom not found", "/archive/reel3.mov")

    failing = Job("broken", broken)
    with qtbot.waitSignal(failing.failed, timeout=5000) as blocker:
        failing.start()
    assert blocker.args == ["/archive/reel3.mov: moov atom not found"]

    def endless(progress, cancel):
        while True:
            cancel.raise_if_cancelled()

    stopped = Job("endless", endless)
    with qtbot.waitSignal(stopped.cancelled, timeout=5000):
        stopped.start()
        stopped.cancel()
    stopped.wait()


def test_every_visible_string_has_a_chinese_translation() -> None:
    messages = find_messages()
    translations = read_translations(catalog_path("zh_CN"))
    missing = [(c, t) for c, texts in messages.items() for t in texts if (c, t) not in translations]
    assert sum(len(t) for t in messages.values()) > 100
    assert missing == []
    # placeholders survive translation, or the formatted text would lose the numbers
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

    for (context, text), translated in translations.items():
        assert fields(text) == fields(translated), (context, text)


def test_catalog_translator_falls_back_by_source_text(qtbot) -> None:
    translator = CatalogTranslator(catalog_path("zh_CN"))
    assert translator.translate("Actions", "&File") == "文件(&F)"
    assert translator.translate("SomeSubclass", "Render Queue") == "渲染队列"
    assert translator.translate("Actions", "never written") == ""


def test_platform_check_names_the_packages_to_install() -> None:
    assert missing_packages({"libc.so.6": "libc6"}) == []
    assert missing_packages({"libxcb-surely-absent.so.9": "libxcb-absent9"}) == ["libxcb-absent9"]
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    problem = display_problem({})
    assert problem is not None and "DISPLAY" in problem


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is Linux's")
def test_relume_gui_without_a_display_says_what_to_do(monkeypatch, capsys) -> None:
    from engine.cli import main

    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["gui"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("relume: no display") and "\n" not in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is Linux's")
def test_relume_demo_without_a_display_renders_the_sample_master_instead(monkeypatch, tmp_path) -> None:
    import gui.cli
    from engine.cli import main

    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    seen = []
    monkeypatch.setattr(gui.cli, "_render_demo", lambda args, problem: seen.append((args.out, problem)) or 0)
    assert main(["demo", "--out", str(tmp_path / "m.mov")]) == 0
    assert seen and seen[0][0] == str(tmp_path / "m.mov") and "no display" in seen[0][1]


def test_qt_own_buttons_follow_the_language(qtbot) -> None:
    from PySide6.QtCore import QCoreApplication

    from gui.i18n import install_language

    try:
        assert install_language("zh_CN") == "zh_CN"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    finally:
        install_language("en")
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
