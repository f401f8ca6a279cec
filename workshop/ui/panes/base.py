"""What every activity pane has: its activity, the session to read, and the editor to change it."""

from __future__ import annotations

from textual.containers import Vertical

from workshop.domain.models.pack import Activity, Section
from workshop.domain.models.session import Session
from workshop.domain.operations import Change, SessionEditor


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

    def __init__(self, activity: Activity, section: Section, editor: SessionEditor, *, read_only: bool = False):
        super().__init__(classes=f"pane pane-{activity.kind}")
        self.activity = activity
        self.section = section
        self.editor = editor
        self.read_only = read_only

    @property
    def session(self) -> Session:
        """The session, to read; every change goes through `self.editor`."""
        return self.editor.session

    def on_mount(self) -> None:
        # Changes also come from elsewhere (a phone's ballot or proposal): hear them all.
        self.editor.listen(self._heard)

    def on_unmount(self) -> None:
        self.editor.unlisten(self._heard)

    def _heard(self, change: Change) -> None:
        if self.is_mounted:
            self.session_changed(change)

    def session_changed(self, change: Change) -> None:
        """Redraw what `change` may have moved; by default nothing (the pane shows no shared state)."""

    def focus_input(self) -> bool:
        """Put the cursor where the facilitator types, if the pane has such a place."""
        return False

    def keep_unsent(self) -> None:
        """Keep in the session what was typed but not entered (before leaving); by default nothing."""

    def holds_input(self) -> bool:
        """Whether the pane holds input not yet saved (a ballot being filled in)."""
        return False
