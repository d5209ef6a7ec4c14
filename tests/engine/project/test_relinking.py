"""Fingerprints recognise a real clip after a move or rename, and nothing else."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from engine.errors import ProjectError
from engine.project.commands import UndoStack
from engine.project.media_ref import SAMPLE_BYTES, MediaRef, content_hash, fingerprint
from engine.project.model import Project
from engine.project.relinking import check_media, find_media, relink


@pytest.fixture
def linked(tmp_path: Path, bikes: Path) -> Project:
    media = tmp_path / "ingest" / "bikes.mp4"
    media.parent.mkdir()
    shutil.copy(bikes, media)
    return Project(Fraction(25), 250, MediaRef.to_file(media, frame_count=250, fps=Fraction(25), width=640, height=272))


def test_fingerprint_reads_only_samples_and_tells_files_apart(bikes: Path, carphone: Path, tmp_path: Path) -> None:
    a = fingerprint(bikes)
    assert a.size == bikes.stat().st_size and a.content_hash.startswith("blake2b:")
    assert fingerprint(bikes) == a
    assert fingerprint(carphone).content_hash != a.content_hash
    # one byte changed in the middle sample changes the hash although the size stays
    changed = tmp_path / "changed.mp4"
    data = bytearray(bikes.read_bytes())
    data[len(data) // 2] ^= 0xFF
    changed.write_bytes(bytes(data))
    assert content_hash(changed)[0] == a.size and content_hash(changed)[1] != a.content_hash


def test_a_large_file_is_identified_by_its_head_middle_and_tail(tmp_path: Path, bigbuckbunny: Path) -> None:
    """Reading three samples is the trade: a change outside them goes unseen, the size still guards."""
    clip = bigbuckbunny.read_bytes()
    big = bytearray((clip * (8 * SAMPLE_BYTES // len(clip) + 1))[: 8 * SAMPLE_BYTES])
    path = tmp_path / "scan.mov"
    path.write_bytes(bytes(big))
    reference = content_hash(path)
    for offset, seen in ((10, True), (4 * SAMPLE_BYTES, True), (len(big) - 10, True), (2 * SAMPLE_BYTES, False)):
        edited = bytearray(big)
        edited[offset] ^= 0xFF
        path.write_bytes(bytes(edited))
        assert (content_hash(path) != reference) == seen, offset


def test_probe_facts_must_agree_when_both_sides_know_them(bikes: Path) -> None:
    a = fingerprint(bikes, frame_count=250, fps=Fraction(25))
    assert a.same_content(fingerprint(bikes))
    assert not a.same_content(fingerprint(bikes, frame_count=249))


def test_find_media_after_a_move_and_a_rename(linked: Project, tmp_path: Path) -> None:
    assert linked.media is not None
    archive = tmp_path / "archive" / "reel-2"
    archive.mkdir(parents=True)
    (archive / "bikes.mp4").write_bytes(b"a different file with the same name")
    renamed = archive / "BIKES_final.mp4"
    shutil.move(linked.media.path, renamed)
    with pytest.raises(ProjectError, match="is missing"):
        check_media(linked)
    found = find_media(linked, [tmp_path / "nowhere", tmp_path / "archive"])
    assert found == renamed
    stack = UndoStack(linked)
    stack.push(relink(linked, found))
    assert check_media(linked) == renamed
    stack.undo()
    assert linked.media is not None and linked.media.path.name == "bikes.mp4"


def test_find_media_returns_none_when_only_impostors_exist(linked: Project, tmp_path: Path, carphone: Path) -> None:
    assert linked.media is not None
    linked.media.path.unlink()
    shutil.copy(carphone, tmp_path / "ingest" / "bikes.mp4")
    assert find_media(linked, [tmp_path]) is None


def test_relink_refuses_another_film_unless_forced(linked: Project, carphone: Path) -> None:
    with pytest.raises(ProjectError, match="not the project's film"):
        relink(linked, carphone)
    command = relink(linked, carphone, force=True)
    UndoStack(linked).push(command)
    assert linked.media is not None and linked.media.fingerprint is not None
    assert linked.media.fingerprint.size == carphone.stat().st_size
    assert check_media(linked) == carphone


def test_check_media_without_media() -> None:
    with pytest.raises(ProjectError, match="no media linked"):
        check_media(Project(Fraction(24), 10))
