"""What every session operation shares: the session, the time, and saying what changed.

An operation validates first and raises `Refused` (one plain line) before it touches
anything, so a refused operation leaves the session exactly as it was. When it succeeds
it returns a `Change` and tells every listener (the autosaver, the screens, the phones'
server), so whoever changed the session never has to remember to save it.

The autosaver dumps again only what changed (`workshop.storage.snapshot`): it sees field
assignments and items added to or taken from the session's own lists by itself. An
operation that changes a nested list or dict in place (a round's ballots, a count of
hands) must have that part named for its area in `IN_PLACE_PARTS`, else the file could
keep the part as it was; tests/test_snapshot_cache.py runs random operations to catch it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Literal

from workshop.domain.errors import Refused
from workshop.domain.models.session import Session
from workshop.domain.timebox import Monotonic, Wall, system_monotonic, system_wall

Area = Literal["notes", "proposals", "participants", "rounds", "board", "run", "setup", "review", "closing", "parking", "consent"]

# The session's fields whose nested lists and dicts an area's operations change in place
# (a ballot appended to a round, a count of hands set, a proposal taken off a ballot).
# The autosaver's snapshot sees field assignments and the session's own lists gaining or
# losing items by itself, but not these: it dumps these parts again after such a change
# (see `workshop.storage.snapshot`). An area not listed here: every part.
_ROUNDS = ("rating_rounds", "vote_rounds")
IN_PLACE_PARTS: dict[str, tuple[str, ...]] = {
    "notes": (),
    "participants": (),
    "board": (),
    "run": (),
    "closing": (),
    "parking": (),
    "consent": (),
    "proposals": _ROUNDS,
    "review": _ROUNDS,
    "rounds": _ROUNDS,
}


@dataclass(frozen=True)
class Change:
    """What one operation changed.

    `decision` marks a discrete decision of the room (a cast ballot, a reveal, a board
    move): the saver writes it at once rather than on its next tick. `ids` names what
    changed (a proposal, a participant, an activity, a round).
    """

    area: Area
    summary: str
    decision: bool = False
    ids: tuple[str, ...] = ()

    @property
    def in_place(self) -> tuple[str, ...] | None:
        """The session's fields this change may have changed in place (`IN_PLACE_PARTS`); None: any."""
        return IN_PLACE_PARTS.get(self.area)


Listener = Callable[[Change], None]


class EditorBase:
    """The state every group of operations works on; see `SessionEditor`."""

    def __init__(
        self,
        session: Session,
        *,
        read_only: bool = False,
        monotonic: Monotonic = system_monotonic,
        wall: Wall = system_wall,
    ):
        self.session = session
        self.read_only = read_only
        self.monotonic = monotonic
        self.wall = wall
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> None:
        """Call `listener(change)` after every operation that changed the session."""
        self._listeners.append(listener)

    def unlisten(self, listener: Listener) -> None:
        """Stop calling `listener`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def now(self) -> datetime:
        """The wall time for timestamps, in UTC to the whole second (as the files keep it)."""
        return self.wall().astimezone(timezone.utc).replace(microsecond=0)

    def _writable(self) -> None:
        """Refuse every change to a session open read-only."""
        if self.read_only:
            raise Refused("This session is open read-only.")

    def _done(self, change: Change) -> Change:
        """Tell the listeners; every successful operation ends here."""
        for listener in list(self._listeners):
            listener(change)
        return change
