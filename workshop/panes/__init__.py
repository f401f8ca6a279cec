"""The middle of the run screen: one pane a kind of activity.

Each pane shows its activity and writes what the room produces (notes, proposals)
straight into the session, then posts `ActivityPane.Changed` so the run screen saves.
"""

from __future__ import annotations

from workshop.models.pack import Activity, Section
from workshop.models.session import Session
from workshop.panes.base import ActivityPane


def pane_for(activity: Activity, section: Section, session: Session, read_only: bool = False) -> ActivityPane:
    """The pane that presents `activity`."""
    from workshop.panes.ballot import RatePane, VotePane
    from workshop.panes.discuss import DiscussPane
    from workshop.panes.place import PlacePane
    from workshop.panes.propose import ProposePane
    from workshop.panes.simple import BreakPane, ClosePane, PendingPane, ReadPane

    panes: dict[str, type[ActivityPane]] = {
        "read": ReadPane,
        "rate": RatePane,
        "vote": VotePane,
        "place": PlacePane,
        "discuss": DiscussPane,
        "propose": ProposePane,
        "break": BreakPane,
        "close": ClosePane,
    }
    return panes.get(activity.kind, PendingPane)(activity, section, session, read_only=read_only)


__all__ = ["ActivityPane", "pane_for"]
