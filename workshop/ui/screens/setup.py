"""Plan a session: pack, details, participants, the agenda tuned to the time, voting.

The same form creates a new session and edits a planned one. It only reads what was
typed: the rules are the domain's (`build_session` for a new session, the editor's
`edit_setup` for a planned one). Nothing is written until the facilitator saves
(ctrl+s); every problem is shown beside its field or in one line. The fields themselves
(laid out, read back, their errors) are `setup_form.SetupForm`'s; this screen decides
what happens with what they hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Select,
    Static,
)

from workshop.domain.agenda_fit import fit_to_time
from workshop.domain.errors import Refused
from workshop.domain.models.pack import Section
from workshop.domain.models.session import Session
from workshop.domain.new_session import build_session
from workshop.domain.operations import SessionEditor
from workshop.domain.schedule_report import plan_against_time
from workshop.storage.packs import Catalogue, PackEntry
from workshop.storage.paths import local_zone_name
from workshop.storage.renaming import rename_to_match
from workshop.storage.store import LoadedSession, SaveError, create_session
from workshop.ui.screens.base import WorkshopScreen
from workshop.ui.screens.setup_form import SetupForm, show_error
from workshop.ui.widgets.agenda_editor import AgendaEditor
from workshop.ui.widgets.confirm import Confirm
from workshop.ui.widgets.participants_editor import PersonRow
from workshop.ui.widgets.time_fields import read_time_fields


def _copy_sections(sections: list[Section]) -> list[Section]:
    return [section.model_copy(deep=True) for section in sections]


@dataclass(frozen=True)
class SetupResult:
    """What the form saved: the file, and whether the session is for today (run it now)."""

    path: Path
    for_today: bool = False


class SetupScreen(WorkshopScreen[SetupResult | None]):
    """New session (from a pack) or edit a planned one; dismisses with what it saved."""

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
        self._saved_day: date | None = None
        self._untouched: object = None
        # The fields: laid out and read back by the form (`setup_form`).
        self.form = SetupForm(self)
        if loaded is not None:
            session = loaded.session
            self.pack_entry: PackEntry | None = None
            self.initial_sections = _copy_sections(session.agenda.sections)
            self.people = [PersonRow(p.name, p.role, id=p.id, present=p.present) for p in session.participants]
        else:
            self.pack_entry = catalogue.default
            self.initial_sections = _copy_sections(self.pack_entry.pack.sections) if self.pack_entry else []
            self.people = []

    @property
    def sections(self) -> list[Section]:
        """The agenda as tuned so far (the agenda editor keeps it)."""
        return self.query_one(AgendaEditor).sections

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.form.compose(self.loaded.session if self.loaded else None, self._today())
        yield Footer()

    def _today(self) -> date:
        # A test's fake clock sets "today" too, so the form is the same every run.
        clock = getattr(self.app, "clock", None)
        return clock.wall().date() if clock is not None else date.today()

    def on_mount(self) -> None:
        self.form.clear_errors()
        self.query_one("#title", Input).focus()
        self._show_pack_summary()
        self._update_total()
        self.call_after_refresh(self._remember_untouched)

    def _remember_untouched(self) -> None:
        self._untouched = self.form.state()

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
        self.query_one(AgendaEditor).set_sections(_copy_sections(entry.pack.sections))
        self._show_pack_summary()

    @on(AgendaEditor.Changed)
    @on(Input.Changed, "#available, #start")
    def _update_total(self) -> None:
        planned = sum(section.minutes for section in self.sections if section.included)
        times = read_time_fields(self)
        total = self.query_one("#agenda-total", Static)
        total.update(plan_against_time(planned, times.available, times.start))
        total.set_class(bool(times.available and planned > times.available), "over")
        show_error(self.query_one("#available-error", Static), times.available_error)
        show_error(self.query_one("#start-error", Static), times.start_error)

    @on(AgendaEditor.FitAsked)
    def _fit(self) -> None:
        """`f` in the agenda: fit it to the time available, as `workshop new --minutes` does."""
        times = read_time_fields(self)
        available = times.available
        if times.available_error:
            self.notify(times.available_error, severity="error", markup=False)
            return
        if available is None:
            self.notify("Give the time available first, then f fits the agenda to it.", severity="warning")
            return
        try:
            fitted = fit_to_time(self.sections, available)
        except Refused as refusal:
            self.notify(str(refusal), severity="error", markup=False)
            return
        self.query_one(AgendaEditor).set_sections(fitted.sections)
        self.notify(fitted.describe() + ".", timeout=6)

    # -- saving ------------------------------------------------------------------------

    def action_save(self) -> None:
        details = self.form.read()
        if details is None:
            return
        try:
            if self.loaded is None:
                assert self.pack_entry is not None
                session = build_session(
                    self.pack_entry.pack,
                    title=details.title,
                    team=details.team,
                    facilitator=details.facilitator,
                    participants=[(person.name, person.role) for person in details.participants],
                    day=details.day,
                    voting=details.voting,
                    sections=list(self.sections),
                    available_minutes=details.available_minutes,
                    start_time=details.start_time,
                    timezone=local_zone_name(),
                )
            else:
                SessionEditor(self.loaded.session).edit_setup(details)
        except Refused as refusal:
            if "facilitator" in str(refusal):
                self.form.error("voting", str(refusal))
            self.notify(str(refusal), severity="error", markup=False)
            return
        self._saved_day = details.day
        if self.loaded is None:
            self._write_new(session)
        else:
            self._write_existing()

    @work(thread=True, exit_on_error=False, exclusive=True, group="setup-save")
    def _write_new(self, session: Session) -> None:
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
            return
        try:
            # A new date (a follow-up moved to its day) or title: the file's name follows.
            rename_to_match(self.loaded)
        except SaveError as error:
            self.app.call_from_thread(self.notify, f"Saved, under its old name: {error}", severity="warning", timeout=8, markup=False)
        self.post_message(self.Saved(self.loaded.path))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=8, markup=False)
            return
        self._release()
        if message.path is None:
            self.dismiss(None)
            return
        # A new session planned for today is run now; one for another day waits at home.
        for_today = self.loaded is None and self._saved_day == self._today()
        self.dismiss(SetupResult(message.path, for_today=for_today))

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Leave without saving; ask first when anything was typed."""
        if self._untouched is None or self.form.state() == self._untouched:
            self._discard()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._discard()

        question = "Leave this form? What you typed will be lost." if self.loaded else "Discard this new session? What you typed will be lost."
        self.app.push_screen(Confirm(question, yes="Discard", no="Keep editing"), answered)

    def _discard(self) -> None:
        self._release()
        self.dismiss(None)

    def _release(self) -> None:
        if self.loaded is not None:
            self.loaded.close()
