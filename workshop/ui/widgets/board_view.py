"""What the horizon board draws with: its columns, their headers and card lists, the detail line.

`HorizonBoard` (board.py) keeps the cursor and handles keys; `BoardView` holds the widgets
it draws with, found once when the board is mounted (a move used to query the DOM a dozen
times), and touches only what a change moved: the two headers whose counts changed, the
card that had the cursor and the one that has it, the detail line when its words change,
and the columns' widths only when the cursor changes column on a narrow board.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from workshop.domain.models.session import HORIZON_LABELS, Proposal
from workshop.ui.widgets.board_parts import PROTECTED_MARK, Card, CardList, ColumnHeader, column_labels


class BoardColumn(Vertical):
    """A header and a scrolling list of cards."""

    DEFAULT_CSS = """
    BoardColumn {
        width: 1fr;
        height: 1fr;
        margin-right: 1;
    }
    BoardColumn:last-of-type {
        margin-right: 0;
    }
    BoardColumn > CardList {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, horizon: str, labels: Callable[[], dict[str, str]] | None = None):
        super().__init__(id=f"column-{horizon}")
        self.horizon = horizon
        self.header = ColumnHeader(horizon, labels)
        self.cards = CardList()

    def compose(self) -> ComposeResult:
        yield self.header
        yield self.cards


class BoardView:
    """The board's widgets, each changed only when what it shows changes."""

    def __init__(self, horizons: tuple[str, ...], labels: Callable[[], dict[str, str]] | None = None):
        self.horizons = horizons
        self.columns = [BoardColumn(horizon, labels) for horizon in horizons]
        self.detail = Static("", id="board-detail")
        self.cursor_card: Card | None = None
        self._current: int | None = None
        self._widths: list[str] = []
        self._detail_text: Text | None = None

    def card_list(self, index: int) -> CardList:
        return self.columns[index].cards

    def label_headers(self, counts: dict[str, int], narrowest: int) -> None:
        """Every header's words for these counts, at the narrowest column's width."""
        labels = column_labels(counts, narrowest)
        for column in self.columns:
            column.header.show(labels[column.horizon])

    def size_columns(self, current: int, narrow: bool, wide: int) -> None:
        """On a narrow board the column with the cursor is `wide` times as wide as the others.

        An inline width, not a class: a class change would restyle every card of the column."""
        widths = [f"{wide}fr" if narrow and index == current else "1fr" for index in range(len(self.columns))]
        if widths == self._widths:
            return
        self._widths = widths
        for column, width in zip(self.columns, widths, strict=True):
            if str(column.styles.width) != width:
                column.styles.width = width

    def mark_current(self, current: int) -> None:
        """Highlight the header of the column with the cursor (only two headers change)."""
        if current == self._current:
            return
        if self._current is not None:
            self.columns[self._current].header.remove_class("-current")
        self.columns[current].header.add_class("-current")
        self._current = current

    def card_at(self, index: int, row: int) -> Card | None:
        """The card mounted for `row` of column `index`, if the window holds it."""
        card_list = self.card_list(index)
        cards = card_list.cards()
        offset = row - card_list.start
        return cards[offset] if 0 <= offset < len(cards) else None

    def move_cursor(self, target: Card | None) -> Card | None:
        """Put the cursor on `target`; the card that had it loses it. Returns `target` when
        it just took the cursor (the caller scrolls it into view)."""
        if self.cursor_card is not None and self.cursor_card is not target:
            self.cursor_card.remove_class("-cursor")
        self.cursor_card = target
        if target is not None and not target.has_class("-cursor"):
            target.add_class("-cursor")
        return target

    def show_detail(self, text: Text) -> None:
        # Static.update lays the screen out again: only when the words or styles change.
        if text != self._detail_text:
            self._detail_text = text
            self.detail.update(text)


def detail_line(horizon: str, row: int, count: int, proposal: Proposal | None, dots: dict[str, int] | None) -> Text:
    """Everything about the card under the cursor, on one line that wraps: where it is, its
    whole text, dots, protected mark, owner and review date."""
    if proposal is None:
        return Text(f"{HORIZON_LABELS[horizon]}: no priorities here yet.", style="dim")
    line = Text()
    line.append(f"{HORIZON_LABELS[horizon]} {row + 1}/{count}: ", style="dim")
    line.append(proposal.text, style="bold")
    meta: list[str] = []
    if dots is not None:
        meta.append(f"●{dots.get(proposal.id, 0)}")
    if proposal.protected:
        meta.append(f"{PROTECTED_MARK} protected")
    if proposal.owner:
        meta.append(f"owner {proposal.owner}")
    if proposal.review_date is not None:
        meta.append(f"review {proposal.review_date.isoformat()}")
    for piece in meta:
        line.append(" · ", style="dim")
        line.append(piece)
    return line


__all__ = ["BoardColumn", "BoardView", "detail_line"]
