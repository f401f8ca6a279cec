"""The close's review of the parking lot: each parked item kept, dropped or made a proposal."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workshop.domain.errors import Refused
from workshop.domain.models.session import PARKED_STATUS_LABELS, ParkedStatus
from workshop.domain.operations import SessionEditor
from workshop.ui.widgets.choose_option import ChooseOption

DECISIONS: tuple[tuple[ParkedStatus, str], ...] = (
    ("kept", "Keep it for later (in the report)"),
    ("dropped", "Drop it"),
    ("proposal", "Make it a proposal (to the board's Unplaced tray)"),
)


def item_line(text: str, raised_by: str, status: str) -> Text:
    """One parked item: its text, who raised it, and the decision so far."""
    line = Text(text)
    if raised_by:
        line.append(f" · {raised_by}", style="dim")
    line.append(f" · {PARKED_STATUS_LABELS[status]}", style="bold" if status == "open" else "italic")
    return line


class ParkingReview(Vertical):
    """The parked items; Enter on one asks what becomes of it."""

    DEFAULT_CSS = """
    ParkingReview {
        height: auto;
        max-height: 12;
        margin-bottom: 1;
    }
    ParkingReview #parking-list {
        height: auto;
        max-height: 10;
    }
    """

    def __init__(self, editor: SessionEditor, *, read_only: bool = False) -> None:
        super().__init__(id="parking-review")
        self.editor = editor
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        hint = "" if self.read_only else " (Enter decides: keep, drop or make a proposal)"
        yield Static(Text(f"Parking lot{hint}", style="bold"))
        yield OptionList(*self._options(), id="parking-list")

    def _options(self) -> list[Option]:
        return [Option(item_line(item.text, item.raised_by, item.status), id=item.id) for item in self.editor.session.parking_lot]

    def redraw(self) -> None:
        """Show the lot as it is now, keeping the highlighted item."""
        options = self.query_one("#parking-list", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(self._options())
        if highlighted is not None and options.option_count:
            options.highlighted = min(highlighted, options.option_count - 1)

    @on(OptionList.OptionSelected, "#parking-list")
    def _decide(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item_id = event.option.id
        if self.read_only or item_id is None:
            return
        text = self.editor.parked(item_id).text

        def decided(status: str | None) -> None:
            chosen = next((key for key, _ in DECISIONS if key == status), None)
            if chosen is None:
                return
            try:
                change = self.editor.review_parked(item_id, chosen)
            except Refused as refusal:
                self.notify(str(refusal), severity="warning", markup=False)
                return
            if change is not None:
                self.notify(change.summary, timeout=3, markup=False)

        self.app.push_screen(ChooseOption(f"What becomes of “{text}”?", DECISIONS), decided)
