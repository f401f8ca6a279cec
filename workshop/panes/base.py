"""What every activity pane has: its activity, the session, and a way to say it changed."""

from __future__ import annotations

from dataclasses import dataclass

from textual.containers import Vertical
from textual.message import Message

from workshop.models.pack import Activity, Section
from workshop.models.session import Session


class ActivityPane(Vertical):
    """Base of the panes; subclasses compose the activity's own view."""

    DEFAULT_CSS = """
    ActivityPane {
        height: 1fr;
    }
    ActivityPane .pane-question {
        text-style: bold;
        margin-bottom: 1;
    }
    ActivityPane .pane-hint {
        color: $text-muted;
    }
    """

    @dataclass
    class Changed(Message):
        """The pane changed the session (a note, a proposal); save it."""

        pane: "ActivityPane"

    def __init__(self, activity: Activity, section: Section, session: Session, *, read_only: bool = False):
        super().__init__(classes=f"pane pane-{activity.kind}")
        self.activity = activity
        self.section = section
        self.session = session
        self.read_only = read_only

    def changed(self) -> None:
        self.post_message(self.Changed(self))

    def focus_input(self) -> bool:
        """Put the cursor where the facilitator types, if the pane has such a place."""
        return False
