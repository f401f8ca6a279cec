"""Who is taking part: add, edit, remove and reorder participants (name and role)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Static

from workshop.domain.models.limits import MAX_PARTICIPANTS, SHORT_TEXT_CHARACTERS
from workshop.domain.text import clean_line


@dataclass
class PersonRow:
    """One participant as the form holds it; `id` is kept for people already saved."""

    name: str
    role: str = ""
    id: str | None = None
    present: bool = True
    extra: dict = field(default_factory=dict)


class PeopleTable(DataTable[str | Text]):
    """The list of participants, with keys to edit, remove and reorder."""

    BINDINGS = [
        Binding("e", "edit", "Edit", id="people.edit"),
        Binding("delete,backspace", "remove", "Remove", id="people.remove"),
        Binding("shift+up", "move(-1)", "Move up", id="people.up"),
        Binding("shift+down", "move(1)", "Move down", id="people.down"),
    ]

    def action_edit(self) -> None:
        self.post_message(ParticipantsEditor.RowAction(self, "edit", self.cursor_row))

    def action_remove(self) -> None:
        self.post_message(ParticipantsEditor.RowAction(self, "remove", self.cursor_row))

    def action_move(self, delta: int) -> None:
        self.post_message(ParticipantsEditor.RowAction(self, f"move{delta:+d}", self.cursor_row))


class ParticipantsEditor(Vertical):
    """Name and role inputs with Add, above a table of the people added so far."""

    DEFAULT_CSS = """
    ParticipantsEditor {
        height: auto;
    }
    ParticipantsEditor > Horizontal {
        height: auto;
    }
    ParticipantsEditor #person-name {
        width: 2fr;
        margin-right: 1;
    }
    ParticipantsEditor #person-role {
        width: 2fr;
        margin-right: 1;
    }
    ParticipantsEditor #person-add {
        width: auto;
        min-width: 10;
    }
    ParticipantsEditor PeopleTable {
        height: auto;
        max-height: 10;
    }
    ParticipantsEditor .hint {
        color: $text-muted;
    }
    """

    @dataclass
    class Changed(Message):
        editor: "ParticipantsEditor"

        @property
        def control(self) -> "ParticipantsEditor":
            return self.editor

    @dataclass
    class RowAction(Message):
        table: PeopleTable
        action: str
        row: int

    def __init__(self, people: list[PersonRow] | None = None, *, id: str | None = None):
        super().__init__(id=id)
        self.people: list[PersonRow] = list(people or [])
        self._editing: int | None = None

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Input(placeholder="Name", id="person-name", max_length=SHORT_TEXT_CHARACTERS, compact=True)
            yield Input(placeholder="Role (optional)", id="person-role", max_length=SHORT_TEXT_CHARACTERS, compact=True)
            yield Button("Add", id="person-add", compact=True)
        yield Static("Type a name, Enter to add. In the list: e edit, Delete remove, Shift+↑/↓ reorder.", classes="hint")
        yield PeopleTable(id="people", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(PeopleTable)
        table.add_columns("#", "Name", "Role")
        self._refill()

    def _refill(self, cursor: int | None = None) -> None:
        table = self.query_one(PeopleTable)
        table.clear()
        for number, person in enumerate(self.people, start=1):
            table.add_row(str(number), Text(person.name), Text(person.role))
        table.display = bool(self.people)
        if cursor is not None and self.people:
            table.move_cursor(row=max(0, min(cursor, len(self.people) - 1)))

    @on(Input.Submitted, "#person-name, #person-role")
    @on(Button.Pressed, "#person-add")
    def _add(self, event: Message) -> None:
        event.stop()
        name_input = self.query_one("#person-name", Input)
        role_input = self.query_one("#person-role", Input)
        name, role = clean_line(name_input.value), clean_line(role_input.value)
        if not name:
            self.notify("Type the participant's name first.", severity="warning", timeout=3)
            name_input.focus()
            return
        if self._editing is not None and self._editing < len(self.people):
            self.people[self._editing] = replace(self.people[self._editing], name=name, role=role)
            cursor = self._editing
            self._editing = None
            self.query_one("#person-add", Button).label = "Add"
        else:
            if len(self.people) >= MAX_PARTICIPANTS:
                self.notify(f"At most {MAX_PARTICIPANTS} participants.", severity="error")
                return
            self.people.append(PersonRow(name=name, role=role))
            cursor = len(self.people) - 1
        name_input.value = role_input.value = ""
        name_input.focus()
        self._refill(cursor)
        # On a short terminal the list is below the fold: bring it into view with the
        # inputs, so the facilitator sees who was just added.
        self.call_after_refresh(self.scroll_visible, animate=False)
        self.post_message(self.Changed(self))

    @on(RowAction)
    def _row_action(self, message: RowAction) -> None:
        message.stop()
        row = message.row
        if not (0 <= row < len(self.people)):
            return
        if message.action == "edit":
            person = self.people[row]
            self._editing = row
            self.query_one("#person-name", Input).value = person.name
            self.query_one("#person-role", Input).value = person.role
            self.query_one("#person-add", Button).label = "Update"
            self.query_one("#person-name", Input).focus()
            return
        if message.action == "remove":
            removed = self.people.pop(row)
            self.notify(f"Removed {removed.name}.", timeout=2)
            self._refill(row)
        else:
            target = row + (1 if message.action == "move+1" else -1)
            if not (0 <= target < len(self.people)):
                return
            self.people[row], self.people[target] = self.people[target], self.people[row]
            self._refill(target)
        self.post_message(self.Changed(self))
