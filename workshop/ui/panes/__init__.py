"""The middle of the run screen: one pane a kind of activity.

Each pane shows its activity and changes the session only through its `SessionEditor`
(notes, proposals, ballots, the board); the run screen listens to the editor and saves.
"""

from __future__ import annotations

from importlib import import_module

from workshop.domain.models.pack import Activity, Section
from workshop.domain.operations import SessionEditor
from workshop.ui.panes.base import ActivityPane

# Each kind's pane, by module and class: only the pane shown is imported, so the run
# screen does not hold every pane's widgets (Markdown and its parser, DataTable, the
# report) in memory for a day that may never show them.
PANES: dict[str, tuple[str, str]] = {
    "read": ("simple", "ReadPane"),
    "rate": ("rate", "RatePane"),
    "vote": ("vote", "VotePane"),
    "consent": ("consent", "ConsentPane"),
    "place": ("place", "PlacePane"),
    "discuss": ("discuss", "DiscussPane"),
    "propose": ("propose", "ProposePane"),
    "break": ("simple", "BreakPane"),
    "close": ("close", "ClosePane"),
    "review": ("review", "ReviewPane"),
}


def pane_for(activity: Activity, section: Section, editor: SessionEditor, read_only: bool = False) -> ActivityPane:
    """The pane that presents `activity`."""
    module, name = PANES[activity.kind]
    pane: type[ActivityPane] = getattr(import_module(f"workshop.ui.panes.{module}"), name)
    return pane(activity, section, editor, read_only=read_only)


__all__ = ["ActivityPane", "PANES", "pane_for"]
