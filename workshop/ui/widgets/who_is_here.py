"""Who is in the room: a dialog to mark people as left or back, and to add a late arrival.

The dialog only shows and asks; the caller changes the session (through the domain's
operations) and says what went wrong, if anything, in one line shown under the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

# (participant id, name, role, present)
Person = tuple[str, str, str, bool]


class WhoIsHere(ModalScreen[None]):
    """The participants, each ticked while present; Space or Enter marks one left or back,
    `a` adds a late arrival, Escape closes. Names are shown literally, never as markup."""

    DEFAULT_CSS = """
    WhoIsHere {
        align: center middle;
    }
    WhoIsHere > Vertical {
        width: 70;
        max-width: 100%;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    WhoIsHere SelectionList {
        height: auto;
        max-height: 14;
        margin-top: 1;
    }
    WhoIsHere .who-hint {
        color: $text-muted;
    }
    WhoIsHere .who-error {
        color: $text-error;
        display: none;
    }
    """

    BINDINGS = [
        Binding("a", "add", "Add a late arrival", id="who_is_here.add"),
        Binding("escape", "close", "Close", id="who_is_here.close"),
    ]

    def __init__(
        self,
        people: Callable[[], Sequence[Person]],
        set_present: Callable[[str, bool], str | None],
        add_late_arrival: Callable[[], None],
    ):
        """`people` lists them as they are now; `set_present(id, present)` changes one and
        returns what went wrong (None when done); `add_late_arrival` asks for a name."""
        super().__init__()
        self.people = people
        self.set_present = set_present
        self.add_late_arrival = add_late_arrival

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Who is here? Those not ticked have left: votes no longer wait for them, and rounds skip them."))
            yield SelectionList[str](*self._selections(), id="people")
            yield Static(Text("Space marks someone left or back · a adds a late arrival · Esc closes."), classes="who-hint")
            yield Static("", classes="who-error")

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def _selections(self, people: Sequence[Person] | None = None) -> list[Selection[str]]:
        # "left" in words too: a tick's colour alone is lost on a mirrored projector.
        return [
            Selection(Text(f"{name} ({role})" if role else name).append("" if present else " · left", style="italic"), person_id, present)
            for person_id, name, role, present in (self.people() if people is None else people)
        ]

    def refresh_people(self, highlight: str | None = None) -> None:
        """Show the people as they are now (after a late arrival), highlighting `highlight`."""
        people = self.people()
        listed = self.query_one(SelectionList)
        keep = listed.highlighted
        listed.clear_options()
        listed.add_options(self._selections(people))
        ids = [person_id for person_id, *_ in people]
        listed.highlighted = ids.index(highlight) if highlight in ids else keep

    @on(SelectionList.SelectionToggled, "#people")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        person_id = event.selection.value
        present = person_id in event.selection_list.selected
        problem = self.set_present(person_id, present)
        error = self.query_one(".who-error", Static)
        error.update(Text(problem or ""))
        error.display = bool(problem)
        self.refresh_people(person_id)

    def action_add(self) -> None:
        self.add_late_arrival()

    def action_close(self) -> None:
        self.dismiss(None)
