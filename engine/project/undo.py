"""Undoable edits and the undo stack, in plain Python (the editor adapts it to Qt).

Every command records a snapshot of the project's decisions before it changes
them. The snapshot is cheap — a project holds only immutable values, so it is a
tuple of references — and it makes ``revert`` exact by construction: undo
restores precisely what was there, whatever the edit did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from engine.project.hints import ColorPin
    from engine.project.media_ref import MediaRef
    from engine.project.model import Cut, Project, ShotData, Transition
    from engine.project.settings import SettingValue


class EditName(str):
    """An edit's name as the Edit menu shows it, in English, keeping what a translation needs.

    It *is* the English text (``"Add cut at 1234"``), so plain code and logs
    use it as a string; the editor translates :attr:`template` (the catalog
    holds it, under the context ``Edits``) and fills in :attr:`values`.

    Parameters
    ----------
    template
        The English text with ``{name}`` fields, a literal at the call (so that
        the catalog tool finds it).
    **values
        The fields' values.
    """

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> EditName:
        name = super().__new__(cls, template.format(**values))
        name.template, name.values = template, values
        return name


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The edit-able part of a project at one moment."""

    media: MediaRef | None
    cuts: tuple[Cut, ...]
    opening_shot: str
    transitions: tuple[Transition, ...]
    defaults: Mapping[str, SettingValue]
    pins: tuple[ColorPin, ...]
    shot_data: Mapping[str, ShotData]

    @classmethod
    def of(cls, project: Project) -> Snapshot:
        """Take a snapshot of ``project``."""
        return cls(
            project.media,
            project.cuts,
            project.opening_shot,
            project.transitions,
            project.defaults,
            project.pins,
            project.shot_data,
        )

    def restore(self, project: Project) -> None:
        """Put ``project`` back as it was; listeners hear only what really changes."""
        project.set_media(self.media)
        project.set_defaults(self.defaults)
        if (project.cuts, project.opening_shot, project.transitions) != (
            self.cuts,
            self.opening_shot,
            self.transitions,
        ):
            project.replace_cuts(self.cuts, self.shot_data, self.transitions, self.opening_shot)
        project.set_pins(self.pins, self.shot_data)


class Command:
    """One undoable edit of a project.

    Subclasses implement :meth:`change`, which validates first (raising before
    touching anything) and then changes the project through its ``set_*`` /
    ``replace_*`` methods. ``name`` is what the Edit menu shows ("Add cut at 1234"),
    an :class:`EditName` for the commands of the engine.
    """

    name: str = EditName("Edit")

    def __init__(self) -> None:
        self._before: Snapshot | None = None
        self._after: Snapshot | None = None

    def change(self, project: Project) -> None:
        """Make the edit on ``project`` (validate first; raise without changing anything)."""
        raise NotImplementedError

    def apply(self, project: Project) -> None:
        """Make the edit, remembering what it replaced (redo replays the recorded result)."""
        if self._after is not None:
            self._after.restore(project)
            return
        before = Snapshot.of(project)
        self.change(project)
        self._before, self._after = before, Snapshot.of(project)

    def revert(self, project: Project) -> None:
        """Undo the edit."""
        if self._before is None:
            raise RuntimeError(f"{self.name!r} was never applied")
        self._before.restore(project)

    def changed_anything(self) -> bool:
        """Whether the applied edit changed the project (a no-op is not worth an undo entry)."""
        return self._before is not None and self._before != self._after

    def merge(self, other: Command) -> bool:
        """Absorb ``other`` (just applied after this one) into this command; ``False`` if unrelated.

        Used for gestures that send many small edits (dragging a color picker):
        the undo stack keeps one entry.
        """
        return False

    def absorb(self, other: Command) -> bool:
        """:meth:`merge` ``other`` and, if merged, make redo replay ``other``'s result."""
        if not self.merge(other):
            return False
        self._after = other._after
        return True


class Macro(Command):
    """Several commands that undo and redo as one step."""

    def __init__(self, name: str, commands: list[Command]) -> None:
        super().__init__()
        self.name = name
        self.commands = commands

    def apply(self, project: Project) -> None:
        """Redo every command in order."""
        for command in self.commands:
            command.apply(project)

    def revert(self, project: Project) -> None:
        """Undo every command in reverse order."""
        for command in reversed(self.commands):
            command.revert(project)

    def changed_anything(self) -> bool:
        """Whether any of the commands changed the project."""
        return any(c.changed_anything() for c in self.commands)


class UndoStack:
    """The history of a project's edits: push, undo, redo, clean state and macros.

    Parameters
    ----------
    project
        The project every pushed command applies to.
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self._commands: list[Command] = []
        self._index = 0
        self._clean: int | None = 0
        self._open: list[list[Command]] = []
        self._listeners: list[Callable[[], None]] = []

    # -- state -------------------------------------------------------------------------------
    @property
    def index(self) -> int:
        """Number of commands currently applied."""
        return self._index

    def __len__(self) -> int:
        return len(self._commands)

    def can_undo(self) -> bool:
        """Whether there is an edit to undo (not while a macro is open)."""
        return self._index > 0 and not self._open

    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo (not while a macro is open)."""
        return self._index < len(self._commands) and not self._open

    def undo_text(self) -> str:
        """Name of the edit :meth:`undo` would revert, or ``""``."""
        return self._commands[self._index - 1].name if self._index > 0 else ""

    def redo_text(self) -> str:
        """Name of the edit :meth:`redo` would apply, or ``""``."""
        return self._commands[self._index].name if self._index < len(self._commands) else ""

    def is_clean(self) -> bool:
        """Whether the project is as it was when last saved (see :meth:`set_clean`)."""
        return self._clean == self._index and not self._open

    def set_clean(self) -> None:
        """Mark the current state as saved."""
        self._clean = self._index
        self._changed()

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` whenever index, clean state or history change."""
        self._listeners.append(listener)

    # -- editing -----------------------------------------------------------------------------
    def push(self, command: Command) -> bool:
        """Apply ``command`` and record it.

        Returns
        -------
        bool
            ``False`` when the command changed nothing (it is not recorded).

        Raises
        ------
        RelumeError
            The edit is invalid; the project is untouched and nothing is recorded.
        """
        command.apply(self.project)
        if not command.changed_anything():
            return False
        if self._open:
            self._open[-1].append(command)
            return True
        del self._commands[self._index :]
        if self._clean is not None and self._clean > self._index:
            self._clean = None  # the saved state is no longer reachable
        last = self._commands[-1] if self._commands else None
        # Never merge into the saved state's command: "unsaved changes" must stay truthful.
        if last is None or self._clean == self._index or not last.absorb(command):
            self._commands.append(command)
            self._index += 1
        self._changed()
        return True

    @contextmanager
    def macro(self, name: str) -> Iterator[None]:
        """Group every push inside the ``with`` block into one undo step named ``name``.

        If the block raises, the edits made in it are reverted and the error propagates.
        """
        self._open.append([])
        try:
            yield
        except BaseException:
            for command in reversed(self._open.pop()):
                command.revert(self.project)
            raise
        commands = self._open.pop()
        if not commands:
            return
        macro = Macro(name, commands)
        if self._open:
            self._open[-1].append(macro)
            return
        del self._commands[self._index :]
        if self._clean is not None and self._clean > self._index:
            self._clean = None
        self._commands.append(macro)
        self._index += 1
        self._changed()

    def undo(self) -> None:
        """Revert the last applied edit (nothing happens when there is none)."""
        if not self.can_undo():
            return
        self._index -= 1
        self._commands[self._index].revert(self.project)
        self._changed()

    def redo(self) -> None:
        """Re-apply the last undone edit (nothing happens when there is none)."""
        if not self.can_redo():
            return
        self._commands[self._index].apply(self.project)
        self._index += 1
        self._changed()

    def clear(self) -> None:
        """Forget the history (after loading another project); the current state counts as clean."""
        self._commands.clear()
        self._index = 0
        self._clean = 0
        self._changed()

    def _changed(self) -> None:
        for listener in tuple(self._listeners):
            listener()
