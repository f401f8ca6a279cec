"""Candidate priorities: add, edit, remove and merge, each with a behaviour and who proposed it.

Every change goes through the session editor; a refusal is shown as its one line.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Select, Static

from workshop.domain.errors import Refused
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS
from workshop.domain.models.pack import ProposeActivity
from workshop.domain.models.session import Proposal
from workshop.domain.operations import Change
from workshop.domain.operations.proposals import quoted
from workshop.ui.panes.base import ActivityPane
from workshop.ui.widgets.choose_option import ChooseOption
from workshop.ui.widgets.length_note import LengthNote

# How a proposal typed but not entered is written into the step's notes.
UNSENT_MARK = "Typed but not entered as a proposal:"


class ProposalTable(DataTable[str | Text]):
    """The proposals made in this activity; keys to edit and remove."""

    BINDINGS = [
        Binding("e", "edit", "Edit", id="proposals.edit"),
        Binding("delete,backspace", "remove", "Remove", id="proposals.remove"),
        Binding("m", "merge", "Merge into…", id="proposals.merge"),
    ]

    def _pane(self) -> "ProposePane | None":
        return next((node for node in self.ancestors if isinstance(node, ProposePane)), None)

    def action_edit(self) -> None:
        pane = self._pane()
        if pane is not None:
            pane.edit_row(self.cursor_row)

    def action_remove(self) -> None:
        pane = self._pane()
        if pane is not None:
            pane.remove_row(self.cursor_row)

    def action_merge(self) -> None:
        pane = self._pane()
        if pane is not None:
            pane.merge_row(self.cursor_row)


class ProposePane(ActivityPane):
    """The prompt, a line to type a proposal, and the proposals so far."""

    DEFAULT_CSS = """
    ProposePane Horizontal {
        height: auto;
    }
    ProposePane #proposal-text {
        width: 1fr;
    }
    ProposePane #proposal-options {
        margin-top: 1;
    }
    ProposePane Select {
        width: 1fr;
        margin-right: 1;
    }
    ProposePane ProposalTable {
        height: 1fr;
        margin-top: 1;
    }
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The proposal being edited (the Add button reads Update), and who proposed it.
        self._editing: str | None = None
        self._editing_by: str | None = None
        # What the proposal box holds, followed as it is typed (read again as the pane goes).
        self._typed = ""

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, ProposeActivity)
        yield Static(Text(self.activity.prompt), classes="pane-question")
        # No max_length: a longer text is never cut; the line below says by how much, and
        # adding it is refused with the reason until it is shortened.
        yield Input(placeholder="Type a proposal and press Enter", id="proposal-text", disabled=self.read_only, compact=True, select_on_focus=False)
        yield LengthNote(LINE_TEXT_CHARACTERS, id="proposal-length")
        with Horizontal(id="proposal-options"):
            # Names come from people and files: shown as they are, never read as markup.
            behaviours = [(Text(b.name), b.id) for b in self.session.agenda.behaviours]
            default_behaviour = self.activity.behaviour or self.section.behaviour
            yield Select(
                behaviours,
                value=default_behaviour if default_behaviour else Select.NULL,
                prompt="Behaviour",
                id="proposal-behaviour",
                disabled=self.read_only,
                compact=True,
            )
            people = [(Text(p.name), p.id) for p in self.session.participants if p.present]
            yield Select(people, prompt="Proposed by", id="proposal-by", disabled=self.read_only, compact=True)
            yield Button("Add", id="proposal-add", disabled=self.read_only, compact=True)
        yield Static("In the list: e edit, Del remove, m merge. Every proposal so far goes to the vote.", classes="pane-hint")
        yield ProposalTable(id="proposals", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(ProposalTable)
        table.add_column("Proposal", key="text")
        table.add_column("Behaviour", key="behaviour")
        table.add_column("By", key="by")
        self._refill()

    def focus_input(self) -> bool:
        self.query_one("#proposal-text", Input).focus()
        return True

    @on(Input.Changed, "#proposal-text")
    def _typing(self, event: Input.Changed) -> None:
        event.stop()
        self._typed = event.value
        self.query_one("#proposal-length", LengthNote).show(len(event.value))

    def keep_unsent(self) -> None:
        """A proposal typed but not entered goes into this step's notes, and a toast says so.

        Called when the room moves on (the pane goes) and before the session is left or
        closed (while it can still be saved). Edits of an existing proposal are not kept.
        """
        text, self._typed = self._typed.strip(), ""
        if not text or self.read_only or self._editing is not None:
            return
        activity_id = self.activity.id or ""
        earlier = self.editor.note_text(activity_id)
        line = f"{UNSENT_MARK} {text}"
        try:
            self.editor.set_note(activity_id, f"{earlier}\n{line}" if earlier.strip() else line)
        except Refused as error:
            self.app.notify(f"A proposal was not entered and could not be kept ({error.reason}): {text}", severity="error", timeout=30, markup=False)
            return
        self.app.notify(f"Not entered as a proposal, kept in the notes of “{self.activity.title}”: {text[:80]}", severity="warning", timeout=8, markup=False)

    def on_unmount(self) -> None:
        # The room moved on (n, p, a jump): what was typed is kept, not dropped with the pane.
        # (Textual calls the base class's on_unmount too: it stops listening to the editor.)
        self.keep_unsent()

    def session_changed(self, change: Change) -> None:
        # A proposal sent from a phone appears in the list at once; the cursor stays put.
        if change.area == "proposals":
            self._refill(self.query_one(ProposalTable).cursor_row)

    def _mine(self) -> list[Proposal]:
        """The proposals this pane lists: its own, or every one so far for a merge step."""
        if isinstance(self.activity, ProposeActivity) and self.activity.every_proposal:
            return list(self.session.proposals)
        return [p for p in self.session.proposals if p.activity_id == self.activity.id]

    def _refill(self, cursor: int | None = None) -> None:
        table = self.query_one(ProposalTable)
        table.clear()
        for proposal in self._mine():
            behaviour = self.session.agenda.behaviour(proposal.behaviour)
            person = self.session.participant(proposal.proposed_by)
            text = Text(proposal.text)
            if proposal.merged_texts:
                text.append(f"  (+{len(proposal.merged_texts)} merged)", style="dim")
            table.add_row(text, Text(behaviour.name if behaviour else ""), Text(person.name if person else ""), key=proposal.id)
        if cursor is not None and table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    @on(Input.Submitted, "#proposal-text")
    @on(Button.Pressed, "#proposal-add")
    def _add(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        if self.read_only:
            return
        text_input = self.query_one("#proposal-text", Input)
        behaviour = self.query_one("#proposal-behaviour", Select).value
        person = self.query_one("#proposal-by", Select).value
        behaviour_id = None if behaviour is Select.NULL else str(behaviour)
        person_id = None if person is Select.NULL else str(person)
        try:
            if self._editing is not None:
                # A proposer who has left is not in the list to choose; keep them.
                if person_id is None and self._editing_by is not None:
                    person_id = self._editing_by
                self.editor.edit_proposal(self._editing, text=text_input.value, behaviour=behaviour_id, proposed_by=person_id)
                row = next((index for index, p in enumerate(self._mine()) if p.id == self._editing), None)
            else:
                self.editor.add_proposal(text_input.value, activity_id=self.activity.id, behaviour=behaviour_id, proposed_by=person_id)
                row = len(self._mine()) - 1
        except Refused as error:
            self.notify(error.reason, severity="error", markup=False)
            return
        self._stop_editing()
        text_input.value = ""
        self.query_one("#proposal-by", Select).clear()
        self._refill(cursor=row)
        text_input.focus()

    def _stop_editing(self) -> None:
        self._editing = None
        self._editing_by = None
        self.query_one("#proposal-add", Button).label = "Add"

    def edit_row(self, row: int) -> None:
        mine = self._mine()
        if self.read_only or not 0 <= row < len(mine):
            return
        proposal = mine[row]
        self._editing = proposal.id
        self._editing_by = proposal.proposed_by
        text_input = self.query_one("#proposal-text", Input)
        text_input.value = proposal.text
        # Cursor after the text, nothing selected: the first key adds to the wording
        # instead of replacing it (the input does not select all on focus either).
        text_input.cursor_position = len(proposal.text)
        behaviour_select = self.query_one("#proposal-behaviour", Select)
        if proposal.behaviour and self.session.agenda.behaviour(proposal.behaviour):
            behaviour_select.value = proposal.behaviour
        else:
            behaviour_select.clear()
        person_select = self.query_one("#proposal-by", Select)
        present = {p.id for p in self.session.participants if p.present}
        if proposal.proposed_by in present:
            person_select.value = proposal.proposed_by
        else:
            person_select.clear()
        self.query_one("#proposal-add", Button).label = "Update"
        text_input.focus()

    def remove_row(self, row: int) -> None:
        mine = self._mine()
        if self.read_only or not 0 <= row < len(mine):
            return
        proposal = mine[row]
        try:
            self.editor.remove_proposal(proposal.id)
        except Refused as error:
            self.notify(error.reason, severity="warning", markup=False)
            return
        if self._editing == proposal.id:
            self._stop_editing()
            self.query_one("#proposal-text", Input).value = ""
        self.notify(f"Removed: {proposal.text[:60]}", timeout=3, markup=False)
        self._refill(cursor=row)

    def merge_row(self, row: int) -> None:
        """Ask which other proposal of the list the highlighted one should merge into."""
        mine = self._mine()
        if self.read_only or not 0 <= row < len(mine):
            return
        other = mine[row]
        choices = [(p.id, p.text) for p in mine if p.id != other.id]
        if not choices:
            self.notify("There is no other proposal in this list to merge with.", severity="warning", timeout=3)
            return

        def chosen(keep_id: str | None) -> None:
            if keep_id is None:
                return
            try:
                change = self.editor.merge_proposals(keep_id, other.id)
            except Refused as error:
                self.notify(error.reason, severity="error", markup=False)
                return
            if self._editing in (keep_id, other.id):
                self._stop_editing()
                self.query_one("#proposal-text", Input).value = ""
            self.notify(change.summary + ".", timeout=4, markup=False)
            self._refill(cursor=next((index for index, p in enumerate(self._mine()) if p.id == keep_id), 0))

        question = f"Merge {quoted(other.text)} into which proposal? Both wordings are kept, and any dots move with it."
        self.app.push_screen(ChooseOption(question, choices), chosen)
