"""Plan a session: pack, details, participants, the agenda tuned to the time, voting.

The same form creates a new session and edits a planned one. Nothing is written until
the facilitator saves (ctrl+s); every problem is shown beside its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
)

from workshop.domain.models.pack import Section
from workshop.domain.models.session import (
    BALLOT_MODE_LABELS,
    Participant,
    VotingSettings,
)
from workshop.domain.new_session import SetupError, build_session, participant_id
from workshop.domain.parsing import (
    finish_time,
    parse_day,
    parse_duration,
    parse_time_of_day,
)
from workshop.storage.packs import Catalogue, PackEntry
from workshop.storage.paths import local_zone_name
from workshop.storage.store import LoadedSession, SaveError, create_session
from workshop.ui.screens.base import WorkshopScreen
from workshop.ui.widgets.agenda_editor import AgendaEditor, format_minutes
from workshop.ui.widgets.participants_editor import ParticipantsEditor, PersonRow


def _show_error(widget: Static, message: str) -> None:
    # An empty message takes no room, so the form does not jump about.
    widget.update(message)
    widget.display = bool(message)


def _copy_sections(sections: list[Section]) -> list[Section]:
    return [section.model_copy(deep=True) for section in sections]


class SetupScreen(WorkshopScreen[Path | None]):
    """New session (from a pack) or edit a planned one; dismisses with the file's path."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="setup.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="setup.cancel"),
    ]

    @dataclass
    class Saved(Message):
        """The session file was written (in a worker thread)."""

        path: Path | None
        error: str | None = None

    def __init__(self, catalogue: Catalogue, *, loaded: LoadedSession | None = None, sessions_dir: Path):
        super().__init__()
        self.catalogue = catalogue
        self.loaded = loaded
        self.sessions_dir = sessions_dir
        if loaded is not None:
            session = loaded.session
            self.pack_entry: PackEntry | None = None
            self.sections = _copy_sections(session.agenda.sections)
            self.people = [PersonRow(p.name, p.role, id=p.id, present=p.present) for p in session.participants]
        else:
            self.pack_entry = catalogue.default
            self.sections = _copy_sections(self.pack_entry.pack.sections) if self.pack_entry else []
            self.people = []

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        session = self.loaded.session if self.loaded else None
        voting = session.voting if session else VotingSettings()
        yield Header()
        with VerticalScroll(id="setup-form"):
            yield Static("Edit planned session" if session else "New session", classes="form-title")
            if session is None:
                yield Label("Workshop pack")
                yield Select(
                    [(self._pack_label(entry), entry.pack.id) for entry in self.catalogue.entries],
                    value=self.pack_entry.pack.id if self.pack_entry else Select.NULL,
                    allow_blank=False,
                    id="pack",
                    compact=True,
                )
            else:
                yield Static(f"Pack: {session.agenda.pack_title} (v{session.agenda.pack_version})", classes="hint")
            yield Static("", id="pack-summary", classes="hint")
            with Horizontal(classes="row"):
                with Vertical(classes="field wide"):
                    yield Label("Title")
                    yield Input(session.title if session else "", placeholder="e.g. Spring away-day", id="title", max_length=200, compact=True)
                    yield Static("", id="title-error", classes="error")
                with Vertical(classes="field"):
                    yield Label("Date (YYYY-MM-DD)")
                    yield Input((session.date if session else self._today()).isoformat(), id="date", max_length=10, compact=True)
                    yield Static("", id="date-error", classes="error")
            with Horizontal(classes="row"):
                with Vertical(classes="field wide"):
                    yield Label("Team")
                    yield Input(session.team if session else "", placeholder="e.g. Children's services SLT", id="team", max_length=200, compact=True)
                with Vertical(classes="field wide"):
                    yield Label("Facilitator")
                    yield Input(session.facilitator if session else "", placeholder="Your name", id="facilitator", max_length=200, compact=True)
            yield Label("Participants")
            yield ParticipantsEditor(self.people, id="participants")
            yield Static("", id="participants-error", classes="error")
            with Horizontal(classes="row"):
                with Vertical(classes="field"):
                    yield Label("Time available")
                    available = session.available_minutes if session else None
                    yield Input(str(available) if available else "", placeholder="e.g. 3h or 180", id="available", max_length=12, compact=True)
                    yield Static("", id="available-error", classes="error")
                with Vertical(classes="field"):
                    yield Label("Start time")
                    yield Input((session.start_time or "") if session else "", placeholder="e.g. 09:30", id="start", max_length=5, compact=True)
                    yield Static("", id="start-error", classes="error")
            yield Label("Agenda (space: include/drop, + and -: minutes)")
            yield Static("", id="agenda-total")
            yield AgendaEditor(self.sections, id="agenda")
            yield Label("Voting")
            with Horizontal(classes="row"):
                with Vertical(classes="field"):
                    yield Label("Dots per person")
                    yield Input(str(voting.dots_per_person), id="dots", type="integer", max_length=2, compact=True)
                with Vertical(classes="field"):
                    yield Label("Most dots on one item")
                    yield Input(str(voting.max_per_item), id="cap", type="integer", max_length=2, compact=True)
                with Vertical(classes="field wide"):
                    yield Label("Ballots")
                    yield Select(
                        [(label, mode) for mode, label in BALLOT_MODE_LABELS.items()],
                        value=voting.mode,
                        allow_blank=False,
                        id="mode",
                        compact=True,
                    )
            yield Checkbox("The facilitator votes too (added to the participants)", voting.facilitator_votes, id="facilitator-votes", compact=True)
            yield Static("", id="voting-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button("Save changes (ctrl+s)" if session else "Create session (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield Footer()

    def _today(self) -> date:
        # A test's fake clock sets "today" too, so the form is the same every run.
        clock = getattr(self.app, "clock", None)
        return clock.wall().date() if clock is not None else date.today()

    @staticmethod
    def _pack_label(entry: PackEntry) -> str:
        pack = entry.pack
        sections = sum(1 for section in pack.sections if section.included)
        return f"{pack.title} · {sections} sections · {format_minutes(pack.minutes)}"

    def on_mount(self) -> None:
        self._clear_errors()
        self.query_one("#title", Input).focus()
        self._show_pack_summary()
        self._update_total()

    # -- live feedback -----------------------------------------------------------------

    def _show_pack_summary(self) -> None:
        summary = self.query_one("#pack-summary", Static)
        if self.pack_entry is not None:
            summary.update(self.pack_entry.pack.summary.split("\n\n")[0])
        elif self.loaded is None:
            summary.update("No workshop packs were found.")

    @on(Select.Changed, "#pack")
    def _pack_changed(self, event: Select.Changed) -> None:
        entry = self.catalogue.get(str(event.value))
        if entry is None or entry is self.pack_entry:
            return
        self.pack_entry = entry
        self.sections = _copy_sections(entry.pack.sections)
        self.query_one(AgendaEditor).set_sections(self.sections)
        self._show_pack_summary()

    @on(AgendaEditor.Changed)
    @on(Input.Changed, "#available, #start")
    def _update_total(self) -> None:
        planned = sum(section.minutes for section in self.sections if section.included)
        parts = [f"Planned {format_minutes(planned)}"]
        error_available = error_start = ""
        try:
            available = parse_duration(self.query_one("#available", Input).value)
        except SetupError as error:
            available, error_available = None, str(error)
        try:
            start = parse_time_of_day(self.query_one("#start", Input).value)
        except SetupError as error:
            start, error_start = None, str(error)
        if available:
            difference = available - planned
            if difference >= 0:
                parts.append(f"of {format_minutes(available)} available: {format_minutes(difference)} to spare" if difference else f"of {format_minutes(available)} available: exactly right")
            else:
                parts.append(f"of {format_minutes(available)} available: {format_minutes(-difference)} OVER, drop or shorten something")
        if start:
            parts.append(f"starts {start}, finishes {finish_time(start, planned)}")
        total = self.query_one("#agenda-total", Static)
        total.update(" · ".join(parts))
        total.set_class(bool(available and planned > available), "over")
        _show_error(self.query_one("#available-error", Static), error_available)
        _show_error(self.query_one("#start-error", Static), error_start)

    # -- saving ------------------------------------------------------------------------

    def _clear_errors(self) -> None:
        for widget in self.query(".error"):
            if isinstance(widget, Static):
                _show_error(widget, "")

    def _error(self, field: str, message: str) -> None:
        _show_error(self.query_one(f"#{field}-error", Static), message)

    def _collect(self):
        """Read the form; return the values or None after showing every problem."""
        self._clear_errors()
        problems = 0
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self._error("title", "Give the session a title.")
            problems += 1
        try:
            day = parse_day(self.query_one("#date", Input).value)
        except SetupError as error:
            self._error("date", str(error))
            day, problems = None, problems + 1
        try:
            available = parse_duration(self.query_one("#available", Input).value)
        except SetupError as error:
            self._error("available", str(error))
            available, problems = None, problems + 1
        try:
            start = parse_time_of_day(self.query_one("#start", Input).value)
        except SetupError as error:
            self._error("start", str(error))
            start, problems = None, problems + 1
        voting = None
        try:
            dots = int(self.query_one("#dots", Input).value or "0")
            cap = int(self.query_one("#cap", Input).value or "0")
            mode = str(self.query_one("#mode", Select).value)
            if not 1 <= dots <= 50 or not 1 <= cap <= 50:
                raise ValueError("dots per person and most dots on one item must be between 1 and 50")
            if cap > dots:
                raise ValueError(f"most dots on one item ({cap}) cannot be more than dots per person ({dots})")
            facilitator_votes = self.query_one("#facilitator-votes", Checkbox).value
            voting = VotingSettings(dots_per_person=dots, max_per_item=cap, mode=mode, facilitator_votes=facilitator_votes)  # type: ignore[arg-type]
        except ValueError as error:
            self._error("voting", str(error).removeprefix("Value error, ") if "validation error" not in str(error) else "Check the voting settings.")
            problems += 1
        if not any(section.included and any(a.included for a in section.activities) for section in self.sections):
            self.query_one("#agenda-total", Static).update("The agenda is empty: include at least one section.")
            problems += 1
        if self.loaded is None and self.pack_entry is None:
            problems += 1
        if problems:
            self.notify(f"{problems} thing(s) to fix before saving; see the messages in red.", severity="error")
            return None
        return title, day, available, start, voting

    def action_save(self) -> None:
        values = self._collect()
        if values is None:
            return
        title, day, available, start, voting = values
        team = self.query_one("#team", Input).value
        facilitator = self.query_one("#facilitator", Input).value
        people = list(self.query_one(ParticipantsEditor).people)
        if voting.facilitator_votes:
            # Ballots are cast by participants, so a facilitator who votes is one of them.
            name = facilitator.strip()
            if not name:
                self._error("voting", "Give the facilitator's name, or untick “the facilitator votes too”.")
                return
            if not any(person.name.casefold() == name.casefold() for person in people):
                people.append(PersonRow(name=name, role="Facilitator"))
        if self.loaded is None:
            assert self.pack_entry is not None
            try:
                session = build_session(
                    self.pack_entry.pack,
                    title=title,
                    team=team,
                    facilitator=facilitator,
                    participants=[(p.name, p.role) for p in people],
                    day=day,
                    voting=voting,
                    sections=self.sections,
                    available_minutes=available,
                    start_time=start,
                    timezone=local_zone_name(),
                )
            except SetupError as error:
                self.notify(str(error), severity="error")
                return
            self._write_new(session)
        else:
            try:
                self._apply_edits(title, day, team, facilitator, people, available, start, voting)
            except (SetupError, ValueError) as error:
                self.notify(str(error).splitlines()[0], severity="error")
                return
            self._write_existing()

    def _apply_edits(self, title, day, team, facilitator, people, available, start, voting) -> None:
        assert self.loaded is not None
        session = self.loaded.session.model_copy(deep=True)
        session.title, session.date, session.team, session.facilitator = title, day, team, facilitator
        session.available_minutes, session.start_time, session.voting = available, start, voting
        taken = {p.id for p in people if p.id}
        participants = []
        for person in people:
            pid = person.id or participant_id(person.name, taken)
            taken.add(pid)
            participants.append(Participant(id=pid, name=person.name, role=person.role, present=person.present))
        session.participants = participants
        agenda = session.agenda.model_dump()
        agenda["sections"] = [section.model_dump() for section in self.sections]
        session.agenda = type(session.agenda).model_validate(agenda)
        self.loaded.session = session

    @work(thread=True, exit_on_error=False, exclusive=True, group="setup-save")
    def _write_new(self, session) -> None:
        try:
            path = create_session(self.sessions_dir, session)
        except SaveError as error:
            self.post_message(self.Saved(None, str(error)))
        else:
            self.post_message(self.Saved(path))

    @work(thread=True, exit_on_error=False, exclusive=True, group="setup-save")
    def _write_existing(self) -> None:
        assert self.loaded is not None
        try:
            self.loaded.save()
        except SaveError as error:
            self.post_message(self.Saved(None, str(error)))
        else:
            self.post_message(self.Saved(self.loaded.path))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=8)
            return
        self._release()
        self.dismiss(message.path)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self._release()
        self.dismiss(None)

    def _release(self) -> None:
        if self.loaded is not None:
            self.loaded.close()
