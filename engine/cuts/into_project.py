"""Detected cut lists into a project's shots.

Detection speaks in :class:`~engine.cuts.cutlist.CutList` terms (a transition's
``end`` is inclusive); the project speaks in spans (``end`` exclusive) and keeps
a stable id per shot. This is the one place that translates, so the editor and
the CLI land detection results the same way: as one undoable
:class:`~engine.project.commands.SetCutList`.
"""

from __future__ import annotations

from engine.cuts.cutlist import CutList
from engine.errors import CutListError
from engine.project.commands import SetCutList
from engine.project.model import Cut, Project, Transition


def project_cuts(found: CutList) -> tuple[tuple[Cut, ...], tuple[Transition, ...]]:
    """The project's cuts and transitions for a detected cut list."""
    cuts = tuple(Cut(c.frame, c.confidence, "detected") for c in found.cuts)
    transitions = tuple(Transition(t.start, t.end + 1, t.kind) for t in found.transitions)
    return cuts, transitions


def set_cut_list(project: Project, found: CutList) -> SetCutList:
    """The undoable command that replaces ``project``'s cut list with ``found``.

    Raises
    ------
    CutListError
        ``found`` was detected on a film of another length (a different file).
    """
    if found.frames != project.frame_count:
        raise CutListError(
            f"the cut list covers {found.frames} frames but the project's film has {project.frame_count}"
        )
    cuts, transitions = project_cuts(found)
    return SetCutList(cuts, transitions)


def with_detected_shots(project: Project, found: CutList) -> Project:
    """``project`` with its shots replaced by ``found`` (for a project being created, no undo needed)."""
    set_cut_list(project, found).apply(project)
    return project
