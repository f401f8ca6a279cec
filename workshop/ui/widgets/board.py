"""The horizon board: priorities as cards in an Unplaced tray and four horizon columns.

Every edit (horizon, position, owner, protected, review date, text) is an operation of
the `SessionEditor`, which refuses with one plain line or tells its listeners (the run
screen saves). The board never assigns to a proposal; after an edit it redraws. Whoever
else shows the session hears of the edit from the editor (its listeners), not from the
board. Everything is done from the keyboard; one column has the cursor.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget

from workshop.domain.errors import Refused
from workshop.domain.horizons import column
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS, SHORT_TEXT_CHARACTERS
from workshop.domain.models.session import HORIZONS, Proposal, Session
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.operations.board import checked_owner, checked_priority_text
from workshop.domain.parsing import parse_review_date
from workshop.ui.undo import record_step
from workshop.ui.widgets.ask_text import AskText
from workshop.ui.widgets.board_parts import Card, CardList, ColumnHeader, card_text, column_labels, reason_from, short
from workshop.ui.widgets.board_view import BoardColumn, BoardView, detail_line

COLUMNS: tuple[str, ...] = HORIZONS
# Narrower than this (the run screen at 80x24), the column with the cursor is `WIDE` times
# as wide as the others, so its cards can be read; the detail line says the rest.
NARROW_BOARD = 80
WIDE = 2
# Actions that change a proposal; refused when read-only.
EDIT_ACTIONS = {"move_left", "move_right", "move_up", "move_down", "protect", "owner", "review_date", "edit_text"}


class HorizonBoard(Widget, can_focus=True):
    """Five columns of cards and a cursor; keys move cards and edit what a card says."""

    DEFAULT_CSS = """
    HorizonBoard {
        height: 1fr;
    }
    HorizonBoard > Horizontal {
        height: 1fr;
    }
    HorizonBoard > #board-detail {
        height: auto;
        max-height: 5;
        background: $boost;
        padding: 0 1;
    }
    /* Here rather than in Card and ColumnHeader: their own CSS is scoped to themselves.
       The class is on the header, not its column: a class change restyles every
       descendant, and a column can hold a thousand cards. */
    HorizonBoard ColumnHeader.-current {
        background: $primary;
        color: $text;
    }
    HorizonBoard:focus Card.-cursor {
        background: $accent 50%;
    }
    """

    BINDINGS = [
        Binding("left", "cursor(-1, 0)", "Column ←", id="board.cursor_left", show=False),
        Binding("right", "cursor(1, 0)", "Column →", id="board.cursor_right", show=False),
        Binding("up", "cursor(0, -1)", "Card ↑", id="board.cursor_up", show=False),
        Binding("down", "cursor(0, 1)", "Card ↓", id="board.cursor_down", show=False),
        # `<` `>` `K` `J` come first so the Footer shows short keys; shift+arrows work too.
        Binding("less_than_sign,shift+left", "move_left", "Left", id="board.move_left"),
        Binding("greater_than_sign,shift+right", "move_right", "Right", id="board.move_right"),
        Binding("K,shift+up", "move_up", "Up", id="board.move_up"),
        Binding("J,shift+down", "move_down", "Down", id="board.move_down"),
        Binding("p", "protect", "Protect", id="board.protect"),
        Binding("o", "owner", "Owner", id="board.owner"),
        Binding("d", "review_date", "Date", id="board.review_date"),
        Binding("e", "edit_text", "Edit", id="board.edit"),
    ]

    def __init__(self, editor: SessionEditor, dots: dict[str, int] | None = None, *, read_only: bool = False, id: str | None = None):
        super().__init__(id=id)
        self.editor = editor
        # Dots from the vote that counts; None when there was no vote.
        self.dots = dots
        self.read_only = read_only
        self.column = 0
        self.rows = [0] * len(COLUMNS)
        # Cards per column as last drawn, for the headers.
        self.counts: dict[str, int] = {}
        # One redraw at a time: a phone's change and a key's may both ask for one, and two
        # interleaved would both mount the card that moved.
        self._drawing = asyncio.Lock()
        # The widgets it draws with, found once (see `BoardView`).
        self.view = BoardView(COLUMNS, self.header_labels)
        # What `check_action` depends on, as the footer last showed it.
        self._keys: tuple[bool, bool, bool] | None = None
        # Each column's proposals in order, until the session changes (see `cards_in`).
        self._columns: dict[str, list[Proposal]] = {}

    @property
    def session(self) -> Session:
        """The session, to read; every change goes through `self.editor`."""
        return self.editor.session

    # -- what is where -----------------------------------------------------------------

    def cards_in(self, horizon: str) -> list[Proposal]:
        """The proposals of a column in the order shown (see `workshop.domain.horizons.column`);
        not to be changed. Kept until the session changes: a move asked for them a dozen
        times (every key's availability reads the card under the cursor), and each asking
        went through every proposal, 1,000 in the largest session."""
        cards = self._columns.get(horizon)
        if cards is None:
            cards = self._columns[horizon] = column(self.session, horizon, self.dots)
        return cards

    def _forget_columns(self, change: Change | None = None) -> None:
        self._columns.clear()

    def on_unmount(self) -> None:
        self.editor.unlisten(self._forget_columns)

    def current(self) -> Proposal | None:
        """The proposal under the cursor, if its column has any."""
        cards = self.cards_in(COLUMNS[self.column])
        if not cards:
            return None
        return cards[min(self.rows[self.column], len(cards) - 1)]

    # -- drawing -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield from self.view.columns
        # Cards are cut to their column's width; this line shows the one under the cursor whole.
        yield self.view.detail

    async def on_mount(self) -> None:
        # Every change to the session, from a key here or a phone, goes through the editor.
        self.editor.listen(self._forget_columns)
        await self.redraw()
        # The redraw ran before the board was laid out, and the Resize that sizes the
        # columns is not always delivered after it: seen once in six runs at 120x40, the
        # cursor's column left twice as wide on a board of 82 cells. So also once laid out.
        self.call_after_refresh(self._fit_when_laid_out)

    def _card_list(self, horizon: str) -> CardList:
        return self.view.card_list(COLUMNS.index(horizon))

    async def redraw(self) -> None:
        """Bring every column in line with the session, then show the cursor.

        Only what changed is touched: a card that changed column leaves one and joins the
        other, a reordered card moves within its column, an edited one is relabelled, and
        the headers whose counts changed are repainted; every other card stays as it is.
        """
        async with self._drawing:
            self._forget_columns()
            with self.app.batch_update():
                for index, horizon in enumerate(COLUMNS):
                    cards = self.cards_in(horizon)
                    self.counts[horizon] = len(cards)
                    await self.view.card_list(index).sync(cards, self.dots, self.rows[index])
                self._show_cursor()

    def narrowest_column(self) -> int:
        """The width of the narrowest column, from the board's width alone (not the cursor)."""
        shares = len(COLUMNS) - 1 + (WIDE if self._narrow() else 1)
        return (self.size.width - (len(COLUMNS) - 1)) // shares

    def header_labels(self) -> dict[str, str]:
        """Every header's words for the counts as last drawn, at the board's width now."""
        return column_labels(self.counts, self.narrowest_column())

    def _narrow(self) -> bool:
        return self.size.width < NARROW_BOARD

    def on_resize(self) -> None:
        self._fit_width()

    def _fit_width(self) -> None:
        """Size the columns and word the headers for the board's width (its width alone).

        Not before the first layout: at width 0 every board is "narrow"."""
        if not self.size.width:
            return
        self.view.size_columns(self.column, self._narrow(), WIDE)
        self.view.label_headers(self.counts, self.narrowest_column())

    def _fit_when_laid_out(self, tries: int = 5) -> None:
        if self.size.width or not tries:
            self._fit_width()
        else:
            self.call_after_refresh(self._fit_when_laid_out, tries - 1)

    def _show_cursor(self) -> None:
        """Mark the current column and the card under the cursor, and describe that card."""
        self._fit_width()
        self.view.mark_current(self.column)
        for index, horizon in enumerate(COLUMNS):
            self.rows[index] = max(0, min(self.rows[index], self.counts.get(horizon, 0) - 1))
        target = self.view.move_cursor(self.view.card_at(self.column, self.rows[self.column]))
        if target is not None:
            self.call_after_refresh(target.scroll_visible, animate=False)
        self.view.show_detail(self.detail())
        # Refreshing the bindings rebuilds the footer's keys: only when one of them changes.
        keys = (self.current() is None, self.column == 0, self.column == len(COLUMNS) - 1)
        if keys != self._keys:
            self._keys = keys
            self.refresh_bindings()

    def detail(self) -> Text:
        """Everything about the card under the cursor, on one line (see `detail_line`)."""
        horizon = COLUMNS[self.column]
        return detail_line(horizon, self.rows[self.column], len(self.cards_in(horizon)), self.current(), self.dots)

    # -- keys --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in EDIT_ACTIONS:
            if self.read_only:
                return False
            if self.current() is None:
                return None
            if action == "move_left" and self.column == 0:
                return None
            if action == "move_right" and self.column == len(COLUMNS) - 1:
                return None
        return True

    async def action_cursor(self, columns: int, rows: int) -> None:
        self.column = max(0, min(len(COLUMNS) - 1, self.column + columns))
        horizon = COLUMNS[self.column]
        row = max(0, min(self.rows[self.column] + rows, self.counts.get(horizon, 0) - 1))
        self.rows[self.column] = row
        card_list = self._card_list(horizon)
        if card_list.window(row, self.counts.get(horizon, 0)) != card_list.start:
            # Past the cards mounted: the window moves by the cards it must.
            async with self._drawing:
                await card_list.sync(self.cards_in(horizon), self.dots, row)
        self._show_cursor()

    async def action_move_left(self) -> None:
        await self._move_to_column(self.column - 1)

    async def action_move_right(self) -> None:
        await self._move_to_column(self.column + 1)

    async def _move_to_column(self, target: int) -> None:
        proposal = self.current()
        if proposal is None or not 0 <= target < len(COLUMNS):
            return
        before = proposal.horizon
        if await self._attempt(self.editor.move_to_horizon, proposal.id, COLUMNS[target]):
            record_step(self, "Board move", lambda: self.editor.move_to_horizon(proposal.id, before))
            self.column = target
            self.rows[target] = self._row_of(proposal.id)
            await self.redraw()

    def _row_of(self, proposal_id: str) -> int:
        return next(i for i, p in enumerate(self.cards_in(COLUMNS[self.column])) if p.id == proposal_id)

    async def action_move_up(self) -> None:
        await self._reorder(-1)

    async def action_move_down(self) -> None:
        await self._reorder(1)

    async def _reorder(self, step: int) -> None:
        proposal = self.current()
        if proposal is None:
            return
        if await self._attempt(self.editor.reorder, proposal.id, step):
            record_step(self, "Board move", lambda: self.editor.reorder(proposal.id, -step))
            self.rows[self.column] = self._row_of(proposal.id)
            await self.redraw()

    async def action_protect(self) -> None:
        proposal = self.current()
        if proposal is None:
            return
        if await self._attempt(self.editor.set_protected, proposal.id, not proposal.protected):
            await self.redraw()

    def action_owner(self) -> None:
        proposal = self.current()
        if proposal is None:
            return
        self._ask(
            proposal.id,
            self.editor.set_owner,
            AskText(
                f"Who owns '{short(proposal.text)}'? (blank for nobody)",
                value=proposal.owner,
                placeholder="A name",
                max_length=SHORT_TEXT_CHARACTERS,
                validate=reason_from(checked_owner),
            ),
        )

    def action_review_date(self) -> None:
        proposal = self.current()
        if proposal is None:
            return
        current = proposal.review_date.isoformat() if proposal.review_date else ""
        self._ask(
            proposal.id,
            self.editor.set_review_date,
            AskText(
                f"Review date for '{short(proposal.text)}'",
                value=current,
                placeholder="YYYY-MM-DD",
                hint="Blank clears the date.",
                max_length=len("YYYY-MM-DD"),
                validate=reason_from(parse_review_date),
            ),
        )

    def action_edit_text(self) -> None:
        proposal = self.current()
        if proposal is None:
            return
        self._ask(
            proposal.id,
            self.editor.set_priority_text,
            AskText("Edit the priority", value=proposal.text, max_length=LINE_TEXT_CHARACTERS, validate=reason_from(checked_priority_text)),
        )

    # -- editing through the editor ----------------------------------------------------

    def _ask(self, proposal_id: str, operation: Callable[[str, str], Change | None], dialog: AskText) -> None:
        """Show `dialog`; its answer goes to `operation(proposal_id, answer)`."""

        async def answered(answer: str | None) -> None:
            if answer is not None and await self._attempt(operation, proposal_id, answer):
                await self.redraw()

        self.app.push_screen(dialog, answered)

    async def _attempt(self, operation: Callable[..., Change | None], *args: object) -> bool:
        """Run an editor operation; True when it changed the session, a notice when refused.

        Saving, and telling the other views, is the editor's listeners' business.
        """
        try:
            change = operation(*args)
        except Refused as refused:
            self.notify(str(refused), severity="error", markup=False, timeout=4)
            return False
        return change is not None


__all__: list[str] = ["COLUMNS", "BoardColumn", "Card", "CardList", "ColumnHeader", "HorizonBoard", "card_text"]
