"""The run screen's `t`: who is in the room, during the day.

Someone leaves at lunch, someone arrives late: marked here, a vote stops waiting for
whoever left, a check-in round skips them (or, for a latecomer, gives them a turn), and
the close lists those present. Each change is a domain operation (`mark_left`,
`mark_present`, `add_late_arrival`), saved at once like any decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workshop.domain.errors import Refused
from workshop.domain.models.limits import SHORT_TEXT_CHARACTERS
from workshop.ui.widgets.ask_text import AskText

if TYPE_CHECKING:
    from textual.screen import Screen

    from workshop.domain.operations import SessionEditor
    from workshop.ui.widgets.who_is_here import Person, WhoIsHere


class PeopleInTheRoom:
    """The dialog `t` opens over `screen`, changing `editor`'s session."""

    def __init__(self, screen: Screen[None], editor: SessionEditor) -> None:
        self.screen = screen
        self.editor = editor
        self.dialog: WhoIsHere | None = None

    def show(self) -> None:
        """Open the dialog of who is here."""
        # Loaded when first asked for: the run screen's memory and start leave out the
        # selection list until then.
        from workshop.ui.widgets.who_is_here import WhoIsHere

        self.dialog = WhoIsHere(self._people, self._set_present, self._ask_name)
        self.screen.app.push_screen(self.dialog)

    def _people(self) -> list[Person]:
        return [(person.id, person.name, person.role, person.present) for person in self.editor.session.participants]

    def _set_present(self, person_id: str, present: bool) -> str | None:
        try:
            change = self.editor.mark_present(person_id) if present else self.editor.mark_left(person_id)
        except Refused as refusal:
            return str(refusal)
        if change is not None:
            self.screen.notify(change.summary, timeout=3, markup=False)
        return None

    def _ask_name(self) -> None:
        self.screen.app.push_screen(
            AskText(
                "Who has arrived?",
                placeholder="Their name",
                hint="They can vote at once, and take a turn in a round still to reach them.",
                max_length=SHORT_TEXT_CHARACTERS,
                validate=self._add,
            )
        )

    def _add(self, name: str) -> str | None:
        """Add `name` as a late arrival when Enter is pressed: the reason when refused (the
        name dialog then stays open to correct it), None once added."""
        try:
            change = self.editor.add_late_arrival(name)
        except Refused as refusal:
            return str(refusal)
        self.screen.notify(change.summary, timeout=3, markup=False)
        if self.dialog is not None and self.dialog.is_attached:
            self.dialog.refresh_people(highlight=change.ids[0])
        return None
