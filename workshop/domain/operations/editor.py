"""`SessionEditor`: the one way to change a session, for the screens and the phones alike.

Each group of operations lives in its own module as a mixin over `EditorBase`; this
class puts them together. Everything a front end does to a session is a method here:
it validates against the limits in `workshop.domain.models.limits`, raises `Refused`
with one plain line (changing nothing), or returns a `Change` after telling listeners.
"""

from __future__ import annotations

from workshop.domain.operations.board import BoardOperations
from workshop.domain.operations.closing import ClosingOperations
from workshop.domain.operations.consent import ConsentOperations
from workshop.domain.operations.notes import NoteOperations
from workshop.domain.operations.parking import ParkingOperations
from workshop.domain.operations.participants import ParticipantOperations
from workshop.domain.operations.proposals import ProposalOperations
from workshop.domain.operations.review import ReviewOperations
from workshop.domain.operations.rounds import RoundOperations
from workshop.domain.operations.run import RunOperations
from workshop.domain.operations.setup import SetupOperations


class SessionEditor(
    NoteOperations,
    ConsentOperations,
    ReviewOperations,
    ParkingOperations,
    ProposalOperations,
    ParticipantOperations,
    RoundOperations,
    BoardOperations,
    RunOperations,
    SetupOperations,
    ClosingOperations,
):
    """One open session and every operation on it (see the mixins for each group)."""
