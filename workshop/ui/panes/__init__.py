"""The middle of the run screen: one pane a kind of activity.

Each pane shows its activity and changes the session only through its `SessionEditor`
(notes, proposals, ballots, the board); the run screen listens to the editor and saves.
"""

from __future__ import annotations

from workshop.domain.models.pack import Activity, Section
from workshop.domain.operations import SessionEditor
from workshop.ui.panes.base import ActivityPane


def pane_for(activity: Activity, section: Section, editor: SessionEditor, read_only: bool = False) -> ActivityPane:
    """The pane that presents `activity`."""
    from workshop.ui.panes.close import ClosePane
    from workshop.ui.panes.consent import ConsentPane
    from workshop.ui.panes.discuss import DiscussPane
    from workshop.ui.panes.place import PlacePane
    from workshop.ui.panes.propose import ProposePane
    from workshop.ui.panes.rate import RatePane
    from workshop.ui.panes.review import ReviewPane
    from workshop.ui.panes.simple import BreakPane, ReadPane
    from workshop.ui.panes.vote import VotePane

    panes: dict[str, type[ActivityPane]] = {
        "read": ReadPane,
        "rate": RatePane,
        "vote": VotePane,
        "consent": ConsentPane,
        "place": PlacePane,
        "discuss": DiscussPane,
        "propose": ProposePane,
        "break": BreakPane,
        "close": ClosePane,
        "review": ReviewPane,
    }
    return panes[activity.kind](activity, section, editor, read_only=read_only)


__all__ = ["ActivityPane", "pane_for"]
