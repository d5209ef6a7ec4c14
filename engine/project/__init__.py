"""The project model: pure data, loadable in a plain Python (no Qt, torch or av).

The names most callers need are re-exported here::

    from engine.project import Project, load_project, save_project, resolve
"""

from __future__ import annotations

from engine.project.cascade import ResolvedSettings, resolve
from engine.project.events import ProjectEvent
from engine.project.hints import ColorPin, Hint
from engine.project.hints_file import HintsFile, read_hints_file
from engine.project.io import load_project, save_project
from engine.project.media_ref import Fingerprint, MediaRef
from engine.project.model import Cut, Project, Shot, ShotData, Transition
from engine.project.relinking import check_media, find_media, relink
from engine.project.settings import REGISTRY, parse_assignment, schema

__all__ = [
    "REGISTRY", "ColorPin", "Cut", "Fingerprint", "Hint", "HintsFile", "MediaRef", "Project", "ProjectEvent",
    "ResolvedSettings", "Shot", "ShotData", "Transition", "check_media", "find_media", "load_project",
    "parse_assignment", "read_hints_file", "relink", "resolve", "save_project", "schema",
]
