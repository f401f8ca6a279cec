"""Candidate priorities: add, edit and remove, each with a behaviour and who proposed it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, DataTable, Input, Select, Static

from workshop.domain.models.base import utc_now
from workshop.domain.models.pack import ProposeActivity
from workshop.domain.models.session import Proposal, new_id
from workshop.domain.text import clean_line
from workshop.ui.panes.base import ActivityPane

MAX_PROPOSAL_CHARACTERS = 1000


class ProposalTable(DataTable[str]):
    """The proposals made in this activity; keys to edit and remove."""

    BINDINGS = [
        Binding("e", "edit", "Edit", id="proposals.edit"),
        Binding("delete,backspace", "remove", "Remove", id="proposals.remove"),
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
        self._editing: str | None = None

    def compose(self) -> ComposeResult:
        assert isinstance(self.activity, ProposeActivity)
        yield Static(Text(self.activity.prompt), classes="pane-question")
        yield Input(placeholder="Type a proposal and press Enter", id="proposal-text", max_length=MAX_PROPOSAL_CHARACTERS, disabled=self.read_only, compact=True)
        with Horizontal(id="proposal-options"):
            behaviours = [(b.name, b.id) for b in self.session.agenda.behaviours]
            default_behaviour = self.activity.behaviour or self.section.behaviour
            yield Select(behaviours, value=default_behaviour if default_behaviour else Select.NULL, prompt="Behaviour", id="proposal-behaviour", disabled=self.read_only, compact=True)
            people = [(p.name, p.id) for p in self.session.participants if p.present]
            yield Select(people, prompt="Proposed by", id="proposal-by", disabled=self.read_only, compact=True)
            yield Button("Add", id="proposal-add", disabled=self.read_only, compact=True)
        yield Static("In the list: e edit, Delete remove. Every proposal so far goes to the vote.", classes="pane-hint")
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

    def _mine(self) -> list[Proposal]:
        return [p for p in self.session.proposals if p.activity_id == self.activity.id]

    def _refill(self, cursor: int | None = None) -> None:
        table = self.query_one(ProposalTable)
        table.clear()
        for proposal in self._mine():
            behaviour = self.session.agenda.behaviour(proposal.behaviour)
            person = self.session.participant(proposal.proposed_by)
            table.add_row(Text(proposal.text), Text(behaviour.name if behaviour else ""), Text(person.name if person else ""), key=proposal.id)
        if cursor is not None and table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    @on(Input.Submitted, "#proposal-text")
    @on(Button.Pressed, "#proposal-add")
    def _add(self, event) -> None:
        event.stop()
        if self.read_only:
            return
        text_input = self.query_one("#proposal-text", Input)
        text = clean_line(text_input.value)
        if not text:
            self.notify("Type the proposal first.", severity="warning", timeout=3)
            return
        behaviour = self.query_one("#proposal-behaviour", Select).value
        person = self.query_one("#proposal-by", Select).value
        behaviour_id = None if behaviour is Select.NULL else str(behaviour)
        person_id = None if person is Select.NULL else str(person)
        if self._editing is not None:
            proposal = next((p for p in self.session.proposals if p.id == self._editing), None)
            self._editing = None
            self.query_one("#proposal-add", Button).label = "Add"
            if proposal is not None:
                proposal.text, proposal.behaviour, proposal.proposed_by = text, behaviour_id, person_id
        else:
            if len(self.session.proposals) >= 1000:
                self.notify("A session holds at most 1,000 proposals.", severity="error")
                return
            taken = {p.id for p in self.session.proposals}
            proposal_id = new_id(6)
            while proposal_id in taken:
                proposal_id = new_id(6)
            self.session.proposals.append(
                Proposal(
                    id=proposal_id,
                    text=text,
                    behaviour=behaviour_id,
                    proposed_by=person_id,
                    activity_id=self.activity.id,
                    created_at=utc_now(),
                    position=len(self.session.proposals),
                )
            )
        text_input.value = ""
        self.query_one("#proposal-by", Select).clear()
        self._refill(cursor=len(self._mine()) - 1)
        self.changed()
        text_input.focus()

    def edit_row(self, row: int) -> None:
        mine = self._mine()
        if self.read_only or not 0 <= row < len(mine):
            return
        proposal = mine[row]
        self._editing = proposal.id
        self.query_one("#proposal-text", Input).value = proposal.text
        if proposal.behaviour:
            self.query_one("#proposal-behaviour", Select).value = proposal.behaviour
        if proposal.proposed_by and self.session.participant(proposal.proposed_by):
            self.query_one("#proposal-by", Select).value = proposal.proposed_by
        self.query_one("#proposal-add", Button).label = "Update"
        self.query_one("#proposal-text", Input).focus()

    def remove_row(self, row: int) -> None:
        mine = self._mine()
        if self.read_only or not 0 <= row < len(mine):
            return
        proposal = mine[row]
        voted = any(proposal.id in ballot.dots for r in self.session.vote_rounds if not r.superseded for ballot in r.ballots)
        if voted:
            self.notify("This proposal already has votes; it stays. Re-run the vote first to change the list.", severity="warning")
            return
        self.session.proposals.remove(proposal)
        self.notify(f"Removed: {proposal.text[:60]}", timeout=3)
        self._refill(cursor=row)
        self.changed()
