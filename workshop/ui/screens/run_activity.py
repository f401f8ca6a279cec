"""The run screen's current activity: its heading, its question for focus mode, its pane.

`ActivityShown` shows the activity the run clock is at and knows which one it showed, so
the screen shows it afresh only when the room moved on (or the session's completion
changed, which the close's account depends on). It keeps the pane it mounted: the run
screen asks for it four times a second (the timer, whether someone is typing), and
finding it by a query walked the whole screen, a board's cards and all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from workshop.domain.models.pack import Activity, Section
from workshop.ui.panes import ActivityPane, pane_for
from workshop.ui.screens.run_words import KIND_LABELS, prompt_of
from workshop.ui.widgets.agenda_list import AgendaList

if TYPE_CHECKING:
    from workshop.ui.screens.run import RunScreen


def activity_heading(activity: Activity, section: Section, position: str) -> Text:
    """One line, the most telling first: at 80 columns the section's name gives way (cut
    with an ellipsis), never the minutes (which wrapped onto a line of their own)."""
    heading = Text(no_wrap=True, overflow="ellipsis")
    heading.append(f"{KIND_LABELS.get(activity.kind, activity.kind)} · ", style="italic")
    heading.append(activity.title, style="bold")
    heading.append(f" · {activity.minutes} min · {position}", style="dim")
    heading.append(f" · {section.title}", style="bold")
    return heading


class ActivityShown:
    """Which activity the run screen shows, and its pane."""

    def __init__(self, screen: RunScreen):
        self.screen = screen
        self.activity_id: str | None = None
        self.status = screen.session.status
        self.pane: ActivityPane | None = None

    def stale(self) -> bool:
        """Whether the room has moved to another activity, or the session's completion
        changed (the close step's account says whether it is complete), since it was shown."""
        clock = self.screen.clock
        completion_moved = (self.screen.session.status == "completed") != (self.status == "completed")
        return clock.current_id != self.activity_id or completion_moved

    def show(self) -> None:
        """Show the run clock's current activity: heading, prompt, layout and a new pane."""
        screen, clock = self.screen, self.screen.clock
        activity, section = clock.current, clock.current_section
        self.activity_id = activity.id
        self.status = screen.session.status
        position = f"{clock.current_index + 1}/{len(clock.activities)}"
        screen.query_one("#activity-heading", Static).update(activity_heading(activity, section, position))
        screen.query_one("#focus-prompt", Static).update(Text(prompt_of(activity)))
        # A rating needs every line it can get on a small screen, the board every column:
        # the agenda gives way (g brings it back).
        screen.set_class(activity.kind == "rate", "-rating")
        screen.set_class(activity.kind == "place", "-placing")
        screen.set_class(activity.kind == "break", "-clock-first")
        holder = screen.query_one("#pane-holder", Vertical)
        holder.remove_children()
        self.pane = pane_for(activity, section, screen.editor, read_only=screen.saver.read_only)
        holder.mount(self.pane)
        screen.query_one(AgendaList).rebuild()

    def keep_unsent(self) -> None:
        """Before the last save: a proposal typed but not entered goes into the step's notes."""
        opened = self.screen.opened
        if self.pane is not None and not opened.read_only and not opened.closed:
            self.pane.keep_unsent()
