"""Tune an agenda before the day: include or drop sections and activities, change minutes."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable

from workshop.domain.models.limits import MAX_ACTIVITY_MINUTES, MIN_ACTIVITY_MINUTES
from workshop.domain.models.pack import Section
from workshop.domain.new_session import change_minutes, toggle_included
from workshop.domain.text import format_minutes


class AgendaEditor(DataTable[str | Text]):
    """A table of sections and their activities, edited in place from the keyboard.

    It never changes the sections it is given: each edit makes a tuned copy (the rules
    are the domain's, see `workshop.domain.new_session`), kept in `sections`, and posts
    `Changed` so the form can show the planned total.
    """

    DEFAULT_CSS = """
    AgendaEditor {
        height: auto;
        max-height: 16;
    }
    """

    BINDINGS = [
        Binding("space", "toggle", "Include/drop", id="agenda.toggle"),
        Binding("plus,equals_sign", "change(1)", "+1 min", id="agenda.more"),
        Binding("minus", "change(-1)", "-1 min", id="agenda.less"),
        Binding("greater_than_sign", "change(5)", "+5", id="agenda.more5", show=False),
        Binding("less_than_sign", "change(-5)", "-5", id="agenda.less5", show=False),
        Binding("f", "fit", "Fit to time", id="agenda.fit"),
    ]

    @dataclass
    class Changed(Message):
        editor: "AgendaEditor"

        @property
        def control(self) -> "AgendaEditor":
            return self.editor

    @dataclass
    class FitAsked(Message):
        """The facilitator asked for the agenda to be fitted to the time available (the
        form knows the time; it fits and hands back the sections with `set_sections`)."""

        editor: "AgendaEditor"

        @property
        def control(self) -> "AgendaEditor":
            return self.editor

    def __init__(self, sections: list[Section], *, id: str | None = None, disabled: bool = False):
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, disabled=disabled)
        self.sections: list[Section] = list(sections)

    def on_mount(self) -> None:
        self.add_column("", key="on", width=3)
        self.add_column("Agenda", key="title")
        self.add_column("Time", key="time", width=8)
        self.refill()

    def set_sections(self, sections: list[Section]) -> None:
        """Show another agenda (another pack was chosen)."""
        self.sections = list(sections)
        self.refill()
        self.post_message(self.Changed(self))

    def refill(self) -> None:
        """Redraw every row, keeping the cursor where it was."""
        row = self.cursor_row
        self.clear()
        for s_index, section in enumerate(self.sections):
            # Text, not str: a title must never be read as Rich markup.
            self.add_row(
                Text("✓" if section.included else "✗", style="bold"),
                Text(section.title.upper() if section.included else f"{section.title.upper()} (dropped)", style="bold"),
                format_minutes(section.minutes) if section.included else "-",
                key=f"s{s_index}",
            )
            for a_index, activity in enumerate(section.activities):
                counted = section.included and activity.included
                self.add_row(
                    Text(" ✓" if activity.included else " ✗"),
                    Text(f"  {activity.title} ({activity.kind})" + ("" if activity.included else " (dropped)")),
                    f"{activity.minutes} min" if counted else "-",
                    key=f"a{s_index}.{a_index}",
                )
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), scroll=False)

    @property
    def minutes(self) -> int:
        return sum(section.minutes for section in self.sections if section.included)

    def _target(self) -> tuple[int, int | None] | None:
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value or ""
        if key.startswith("s"):
            return int(key[1:]), None
        section, activity = key[1:].split(".")
        return int(section), int(activity)

    def action_toggle(self) -> None:  # type: ignore[override]  # Textual's generic toggle(attribute) is not used here
        target = self._target()
        if target is None:
            return
        self.sections = toggle_included(self.sections, target[0], target[1])
        self.refill()
        self.post_message(self.Changed(self))

    def action_change(self, delta: int) -> None:
        target = self._target()
        if target is None:
            return
        if target[1] is None:
            self.app.bell()
            self.notify("Choose one of the section's activities to change its minutes.", timeout=3)
            return
        minutes = self.sections[target[0]].activities[target[1]].minutes
        if not MIN_ACTIVITY_MINUTES <= minutes + delta <= MAX_ACTIVITY_MINUTES:
            self.notify(f"An activity takes {MIN_ACTIVITY_MINUTES} to {MAX_ACTIVITY_MINUTES} minutes.", timeout=3)
        self.sections = change_minutes(self.sections, target[0], target[1], delta)
        self.refill()
        self.post_message(self.Changed(self))

    def action_fit(self) -> None:
        self.post_message(self.FitAsked(self))
