"""Reading the horizon board: which proposals sit in a column, in the order shown.

One definition for the board on the run screen, the report and the export, so the order
the room agreed on the board is the order everyone reads afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping

from workshop.domain.models.session import Proposal, Session


def column(session: Session, horizon: str, dots: Mapping[str, int] | None = None) -> list[Proposal]:
    """The proposals on `horizon` in board order.

    A time horizon is ordered by `position`: the order the team set is the decision.
    The Unplaced tray is ordered by `dots` (most first) so the room places the favourites
    first, then by position. Ties keep the session's order (the sort is stable).
    """
    placed = [p for p in session.proposals if p.horizon == horizon]
    if horizon == "unplaced":
        votes = dots or {}
        return sorted(placed, key=lambda p: (-votes.get(p.id, 0), p.position))
    return sorted(placed, key=lambda p: p.position)
