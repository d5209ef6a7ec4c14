"""A tiny observer so views learn what changed in a project, without Qt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

EventKind = Literal["media", "cuts", "shot", "defaults", "pins"]


@dataclass(frozen=True, slots=True)
class ProjectEvent:
    """One real change to a project.

    Attributes
    ----------
    kind
        ``"cuts"`` (cut list, transitions or shot identities), ``"shot"`` (one
        shot's overrides, hints, reference or notes), ``"defaults"`` (project
        setting defaults), ``"pins"`` (the palette), ``"media"`` (relinked).
    shot
        The shot concerned, for ``"shot"`` events.
    keys
        Setting keys whose values changed, when settings changed.
    """

    kind: EventKind
    shot: str | None = None
    keys: frozenset[str] = field(default_factory=frozenset)


Listener = Callable[[ProjectEvent], None]


class EventEmitter:
    """Calls each connected listener, in connection order, with every :class:`ProjectEvent`."""

    __slots__ = ("_listeners",)

    def __init__(self) -> None:
        self._listeners: list[Listener] = []

    def connect(self, listener: Listener) -> None:
        """Call ``listener`` on every event from now on (connecting twice is once)."""
        if listener not in self._listeners:
            self._listeners.append(listener)

    def disconnect(self, listener: Listener) -> None:
        """Stop calling ``listener``; unknown listeners are ignored."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def emit(self, event: ProjectEvent) -> None:
        """Deliver ``event``; a listener that raises propagates (a view bug must not hide)."""
        for listener in tuple(self._listeners):
            listener(event)
