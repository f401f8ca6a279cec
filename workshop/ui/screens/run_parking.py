"""The run screen's parking lot key: park what comes up off the topic, in two questions.

The run screen's `k` (in its BINDINGS, so it shows in the footer, `?` and the palette)
hands over to `ParkingQuestions`, which asks for the text, then who raised it (the participants, or nobody
named), and calls `SessionEditor.park`; the close reviews the lot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workshop.domain.errors import Refused
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS
from workshop.ui.widgets.ask_text import AskText
from workshop.ui.widgets.choose_option import ChooseOption

if TYPE_CHECKING:
    from textual.screen import Screen

    from workshop.domain.operations import SessionEditor

NOBODY = "-nobody"


class ParkingQuestions:
    """The questions the parking lot key asks, over `screen`, changing `editor`'s session."""

    def __init__(self, screen: Screen[None], editor: SessionEditor) -> None:
        self.screen = screen
        self.editor = editor

    def ask(self) -> None:
        """Ask what to park and who raised it, then park it during the current activity."""
        activity_id = self.editor.clock.current_id

        def who(text: str | None) -> None:
            if not text or not text.strip():
                return
            people = [(participant.id, participant.name) for participant in self.editor.session.participants]
            if not people:
                self._park(text, "", activity_id)
                return
            choices = [(NOBODY, "Nobody named"), *people]
            self.screen.app.push_screen(
                ChooseOption("Who raised it?", choices),
                lambda chosen: self._park(text, self._name_of(chosen), activity_id) if chosen is not None else None,
            )

        self.screen.app.push_screen(
            AskText(
                "Park an item for the close: what came up?", max_length=LINE_TEXT_CHARACTERS, hint="Reviewed at the close: kept, dropped or made a proposal."
            ),
            who,
        )

    def _name_of(self, chosen: str) -> str:
        participant = self.editor.session.participant(chosen) if chosen != NOBODY else None
        return participant.name if participant is not None else ""

    def _park(self, text: str, raised_by: str, activity_id: str) -> None:
        try:
            change = self.editor.park(text, raised_by=raised_by, activity_id=activity_id)
        except Refused as refusal:
            self.screen.notify(str(refusal), severity="warning", markup=False)
            return
        count = len(self.editor.session.parking_lot)
        self.screen.notify(f"{change.summary} {count} in the parking lot.", timeout=3, markup=False)
