"""The pieces of the horizon board: a card, a column's header, the names that fit, and the
board's dialog helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from rich.console import Console
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from workshop.domain.errors import Refused
from workshop.domain.models.session import HORIZON_LABELS, HORIZONS, Proposal

# Column names when the full ones do not fit. One fixed set for the whole board, chosen by
# its width alone (the columns are equally wide whatever has the cursor), so no name ever
# changes as the cursor moves.
SHORT_LABELS: dict[str, str] = dict(zip(HORIZONS, ("Unplaced", "Next month", "6 months", "A year", "Longer"), strict=True))
# When even those do not fit (80x24): the detail line under the board says the full name.
TINY_LABELS: dict[str, str] = dict(zip(HORIZONS, ("Tray", "1 mo", "6 mo", "1 yr", "Later"), strict=True))
PROTECTED_MARK = "★"
# A card's text wraps to this many lines at most.
CARD_TEXT_LINES = 2
# Cards mounted in a column at most: more than a tall terminal shows, far fewer than the
# 1,000 proposals a session may hold (each widget costs every layout and restyle).
WINDOW = 40
# Hidden cards a column keeps for the next proposals it gains (see `CardList`).
SPARES = 4


def card_text(proposal: Proposal, dots: int | None, width: int | None = None, *, console: Console | None = None) -> Text:
    """A card: the proposal's text, then a line of dots, mark, owner and review date.

    Given a `width` (and the console that measures it), the text wraps to at most
    `CARD_TEXT_LINES` lines, the last cut with an ellipsis, and the second line is cut to
    fit: a narrow column still shows a few words of every card. Built from `Text` pieces so
    that whatever people typed shows literally, never as markup.
    """
    lines = [Text(proposal.text)]
    if width is not None and console is not None:
        lines = _wrapped(lines[0], console, max(1, width))
    meta: list[Text] = []
    if dots is not None:
        meta.append(Text(f"●{dots}", style="bold"))
    if proposal.protected:
        meta.append(Text(PROTECTED_MARK, style="bold"))
    if proposal.owner:
        meta.append(Text(proposal.owner))
    if proposal.review_date is not None:
        meta.append(Text(proposal.review_date.isoformat()))
    if meta:
        lines.append(Text(" ").join(meta))
    card = Text("\n", no_wrap=True, overflow="ellipsis", end="").join(lines)
    card.no_wrap, card.overflow, card.end = True, "ellipsis", ""
    return card


def _wrapped(text: Text, console: Console, width: int) -> list[Text]:
    lines = list(text.wrap(console, width, overflow="fold"))
    for line in lines:
        line.rstrip()
    if len(lines) <= CARD_TEXT_LINES:
        return lines
    kept = lines[:CARD_TEXT_LINES]
    last = kept[-1]
    last.truncate(width - 1)
    last.append("…")
    return kept


class Card(Widget):
    """One proposal on the board, its text wrapped to the column's width."""

    DEFAULT_CSS = """
    Card {
        width: 1fr;
        height: auto;
        padding: 0 0 0 1;
        border-left: outer $panel;
    }
    Card.-protected {
        border-left: outer $warning;
    }
    Card.-cursor {
        background: $boost;
        text-style: bold;
    }
    """

    def __init__(self, proposal: Proposal, dots: int | None):
        super().__init__(classes="-protected" if proposal.protected else "")
        self.proposal_id = proposal.id
        self._proposal = proposal
        self._dots = dots
        self._shows = _shown(proposal, dots)
        # The card drawn at each width asked for, and its lines: every layout of a column
        # asks every card its height, and the column with the cursor changes width.
        self._drawn: dict[int, tuple[Text, int]] = {}

    def show(self, proposal: Proposal, dots: int | None) -> None:
        """Show `proposal` as it is now (another one, for a spare card taken back into use);
        nothing to redraw when what the card shows is unchanged."""
        self.proposal_id = proposal.id
        self._proposal, self._dots = proposal, dots
        shows = _shown(proposal, dots)
        if shows == self._shows:
            return
        self._shows = shows
        self._drawn.clear()
        self.set_class(proposal.protected, "-protected")
        self.refresh(layout=True)

    def _draw(self, width: int) -> tuple[Text, int]:
        drawn = self._drawn.get(width)
        if drawn is None:
            text = card_text(self._proposal, self._dots, width or None, console=self.app.console)
            drawn = self._drawn[width] = (text, len(text.split()))
        return drawn

    def render(self) -> Text:
        return self._draw(self.content_size.width)[0].copy()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        # As many lines as the card's text takes at this width (see `card_text`).
        return self._draw(width)[1]

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # Textual lays the whole screen out a second time whenever a widget's virtual size
        # changes, and a card just mounted always changes (from nothing): the repaint of
        # every board move came in two frames, the second 16-33 ms after the first. A card
        # has no children and its height was just measured (`get_content_height`), so
        # there is nothing for that second pass to do.
        return super()._size_updated(size, virtual_size, container_size, layout=False)


def _shown(proposal: Proposal, dots: int | None) -> tuple[str, bool, str, date | None, int | None]:
    """Everything a card shows, to tell whether it needs redrawing."""
    return proposal.text, proposal.protected, proposal.owner, proposal.review_date, dots


class CardList(VerticalScroll, can_focus=False):
    """A column's cards, brought in step with its proposals one card at a time.

    Rebuilding every card on each move took 0.3 s with 60 proposals and seconds with 1,000:
    a move now takes one card out of this column and puts one into that one, and the cards
    that did not change are left alone (the same widgets, not redrawn). A card taken out is
    hidden and kept as a spare for the next card this column gains: Textual finishes a
    removal after the screen has been drawn and then lays it out again, so removing and
    mounting drew every move twice. At most `WINDOW` cards are shown, a window that
    follows the cursor, with a line saying how many more there are above and below.
    """

    DEFAULT_CSS = """
    CardList > .more {
        color: $text-muted;
        text-style: italic;
        display: none;
    }
    CardList > .more.-shown {
        display: block;
    }
    """

    def __init__(self) -> None:
        super().__init__(can_focus=False)
        # Index in the column of the first card mounted.
        self.start = 0
        self._above = Static("", classes="more")
        self._below = Static("", classes="more")
        # Hidden cards, ready to show the next proposal this column gains.
        self._spares: list[Card] = []

    def compose(self) -> ComposeResult:
        yield self._above
        yield self._below

    def cards(self) -> list[Card]:
        """The cards mounted, in the order shown (the column's from `start`)."""
        return [child for child in self.children if isinstance(child, Card) and child not in self._spares]

    def window(self, row: int, total: int) -> int:
        """Where the window must start for the card at `row` (of `total`) to be mounted,
        moving it as little as possible."""
        start = max(0, min(self.start, total - WINDOW))
        if row < start:
            return max(0, row)
        if row >= start + WINDOW:
            return row - WINDOW + 1
        return start

    async def sync(self, proposals: list[Proposal], dots: dict[str, int] | None, row: int = 0) -> None:
        """Show `proposals` in this order, the window around `row`, reusing the card of
        every proposal already here."""

        def dots_of(proposal: Proposal) -> int | None:
            return None if dots is None else dots.get(proposal.id, 0)

        self.start = self.window(row, len(proposals))
        end = min(len(proposals), self.start + WINDOW)
        _show_more(self._above, self.start)
        _show_more(self._below, len(proposals) - end)
        proposals = proposals[self.start : end]
        wanted = {proposal.id for proposal in proposals}
        cards = self.cards()
        gone = [card for card in cards if card.proposal_id not in wanted]
        await self._retire(gone)
        kept = {card.proposal_id: card for card in cards if card.proposal_id in wanted}
        if not kept and not self._spares:
            # An empty column (the first drawing): every card in one mount.
            if proposals:
                await self.mount_all([Card(proposal, dots_of(proposal)) for proposal in proposals], before=self._below)
            return
        shown = [card for card in cards if card.proposal_id in wanted]
        for index, proposal in enumerate(proposals):
            card = kept.get(proposal.id)
            if card is None:
                place = shown[index] if index < len(shown) else self._below
                if self._spares:
                    card = self._spares.pop()
                    card.show(proposal, dots_of(proposal))
                    self.move_child(card, before=place)
                    card.display = True
                else:
                    card = Card(proposal, dots_of(proposal))
                    await self.mount(card, before=place)
                shown.insert(index, card)
                continue
            card.show(proposal, dots_of(proposal))
            if shown[index] is not card:
                # Every card before `index` is in place already, so this one is further down.
                self.move_child(card, before=shown[index])
                shown.remove(card)
                shown.insert(index, card)

    async def _retire(self, cards: list[Card]) -> None:
        """Take `cards` out of the column: hidden as spares, up to `SPARES`; the rest removed."""
        keep = max(0, SPARES - len(self._spares))
        for card in cards[:keep]:
            card.display = False
            card.remove_class("-cursor")
            self._spares.append(card)
        if cards[keep:]:
            await self.remove_children(cards[keep:])


def _show_more(line: Static, count: int) -> None:
    """A line saying how many cards of the column are outside the window, or none."""
    words = f"{count} more" if count else ""
    if str(line.content) != words:
        # Only when it changes: each update lays the screen out again.
        line.update(words)
        line.set_class(count > 0, "-shown")


def column_labels(counts: dict[str, int], width: int) -> dict[str, str]:
    """Every column's header, all in the same form, for columns at least `width` cells wide.

    Full names with counts when every one fits, else the short names with counts, else the
    tiny ones with counts, else the tiny names alone (cut with an ellipsis if need be).
    """
    forms: list[dict[str, str]] = [
        {str(horizon): f"{names[horizon]} {counts.get(horizon, 0)}" for horizon in HORIZONS} for names in (HORIZON_LABELS, SHORT_LABELS, TINY_LABELS)
    ]
    for labels in forms:
        if all(len(label) <= width for label in labels.values()):
            return labels
    return dict(TINY_LABELS)


class ColumnHeader(Widget):
    """A column's name and how many cards it holds, in the form the whole board uses (the
    board gives every header its words: see `column_labels`)."""

    DEFAULT_CSS = """
    ColumnHeader {
        height: 1;
        width: 1fr;
        text-style: bold;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, horizon: str, labels: Callable[[], dict[str, str]] | None = None):
        """`labels` gives every header's words for the board as it is now: asked when the
        header is drawn, so the first drawing already has the board's real width (a label
        worked out from an event could come before the first layout and stay tiny)."""
        super().__init__()
        self.horizon = horizon
        self._labels = labels
        self._label = TINY_LABELS[horizon]

    def show(self, label: str) -> None:
        """Say `label`; repainted only when the words change (a move changes two counts)."""
        if label != self._label:
            self._label = label
            self.refresh()

    def render(self) -> Text:
        if self._labels is not None:
            self._label = self._labels()[self.horizon]
        return Text(self._label, no_wrap=True, overflow="ellipsis")


def reason_from(check: Callable[[str], object]) -> Callable[[str], str | None]:
    """A dialog validator from a domain check: its refusal's line, or None when it accepts."""

    def reason(answer: str) -> str | None:
        try:
            check(answer)
        except Refused as refused:
            return str(refused)
        return None

    return reason


def short(text: str, limit: int = 40) -> str:
    """`text` cut to `limit` characters with an ellipsis, for a dialog's question."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
