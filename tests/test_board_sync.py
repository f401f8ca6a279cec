"""The horizon board redraws only what changed: a move keeps the widgets of the cards that
did not move, the board then shows exactly what a board built afresh shows, and a column of
many proposals mounts a window of cards that follows the cursor."""

from __future__ import annotations

from apphelp import wait_until
from test_board import TEXTS, BoardApp, by_text, make_session
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from workshop.domain.models.session import Proposal, Session, new_id
from workshop.ui.widgets.board import COLUMNS, Card, HorizonBoard
from workshop.ui.widgets.board_parts import WINDOW, CardList

Shown = dict[str, list[tuple[str, str, bool, bool]]]


def shown(board: HorizonBoard) -> Shown:
    """Per column, every card mounted: its proposal, what it says, protected, cursor."""
    return {
        horizon: [
            (card.proposal_id, str(card.render()), card.has_class("-protected"), card.has_class("-cursor"))
            for card in board.query_one(f"#column-{horizon}").query_one(CardList).cards()
        ]
        for horizon in COLUMNS
    }


def widgets(board: HorizonBoard) -> dict[str, Card]:
    """The cards shown (not the hidden spares), by proposal."""
    return {card.proposal_id: card for horizon in COLUMNS for card in board.query_one(f"#column-{horizon}").query_one(CardList).cards()}


async def fresh_view(session: Session, column: int, rows: list[int]) -> Shown:
    """What a board built from scratch on `session` shows with the cursor at `column`, `rows`."""
    app = BoardApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.query_one(HorizonBoard)
        board.column, board.rows = column, list(rows)
        await board.redraw()
        await pilot.pause()
        return shown(board)


async def test_a_move_keeps_the_other_cards_and_shows_what_a_rebuild_shows():
    session = make_session()
    app = BoardApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.query_one(HorizonBoard)
        before = widgets(board)
        assert len(before) == len(TEXTS)
        dash = by_text(session, "dash")
        await pilot.press("greater_than_sign")
        await pilot.pause()
        after = widgets(board)
        assert dash.horizon == "next-month"
        # The three cards that stayed in the tray are the very same widgets.
        assert all(after[pid] is card for pid, card in before.items() if pid != dash.id)
        assert after[dash.id] is not before[dash.id]
        kept = after
        # Protect, then an owner: only the card under the cursor is relabelled, no card is remounted.
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one(Input).value = "Amira [b]x[/b]"
        await pilot.press("enter")
        await pilot.pause()
        assert widgets(board) == kept and all(widgets(board)[pid] is card for pid, card in kept.items())
        assert str(kept[dash.id].render()).splitlines()[-1] == "●5 ★ Amira [b]x[/b]"
        # Another card after it, then a reorder in the column: both widgets kept, order swapped.
        await pilot.press("left", "greater_than_sign")
        await pilot.pause()
        moved = widgets(board)
        await pilot.press("K")
        await pilot.pause()
        assert all(widgets(board)[pid] is card for pid, card in moved.items())
        assert [pid for pid, *_ in shown(board)["next-month"]] == [p.id for p in board.cards_in("next-month")]
        assert shown(board)["next-month"][0][0] != dash.id
        assert shown(board) == await fresh_view(session, board.column, board.rows)


async def test_a_proposal_added_elsewhere_joins_the_tray_and_the_rest_stay():
    session = make_session()
    app = BoardApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.query_one(HorizonBoard)
        before = widgets(board)
        # As a phone would: through the editor, not the board.
        change = app.editor.add_proposal("Added from a phone <script>", activity_id=None)
        added = change.ids[0]
        await wait_until(pilot, lambda: added in widgets(board), "the new card on the board")
        assert all(widgets(board)[pid] is card for pid, card in before.items())
        *text, dots = str(widgets(board)[added].render()).splitlines()
        assert " ".join(text) == "Added from a phone <script>" and dots == "●0"
        assert shown(board) == await fresh_view(session, board.column, board.rows)


def crowded_session(count: int) -> Session:
    session = make_session(with_vote=False)
    start = len(session.proposals)
    for index in range(count):
        session.proposals.append(Proposal(id=new_id(), text=f"Proposal number {index}", position=start + index))
    return session


async def test_a_long_column_mounts_a_window_that_follows_the_cursor():
    session = crowded_session(2 * WINDOW)
    total = len(session.proposals)
    app = BoardApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.query_one(HorizonBoard)
        tray = board.query_one("#column-unplaced").query_one(CardList)
        assert len(tray.cards()) == WINDOW and tray.start == 0
        more = [str(line.render()) for line in tray.query(".more.-shown")]
        assert more == [f"{total - WINDOW} more"]
        for _ in range(WINDOW + 4):
            await pilot.press("down")
        await pilot.pause()
        assert board.rows[0] == WINDOW + 4
        assert tray.start == 5 and len(tray.cards()) == WINDOW
        assert [str(line.render()) for line in tray.query(".more.-shown")] == ["5 more", f"{total - WINDOW - 5} more"]
        cursor = [card for card in tray.cards() if card.has_class("-cursor")]
        current = board.current()
        assert current is not None and [card.proposal_id for card in cursor] == [current.id]
        # Moving the card under the cursor out of the long tray keeps the window's other cards.
        before = widgets(board)
        await pilot.press("greater_than_sign")
        await pilot.pause()
        assert current.horizon == "next-month"
        assert all(widgets(board).get(pid) is card for pid, card in before.items() if pid != current.id)
        await pilot.press("left")
        await pilot.pause()
        assert shown(board) == await fresh_view(session, board.column, board.rows)


async def test_moving_to_and_fro_reuses_hidden_cards_and_dims_left_only_at_the_first_column():
    # Removing a card and mounting another drew every move twice (Textual finishes a
    # removal after the frame); a card taken out is kept hidden and shown again instead.
    session = make_session()
    app = BoardApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        board = app.query_one(HorizonBoard)
        dash = by_text(session, "dash")
        await pilot.press("greater_than_sign", "less_than_sign")
        await pilot.pause()
        every_widget = set(board.query(Card))
        for _ in range(3):
            await pilot.press("greater_than_sign")
            await pilot.pause()
            assert dash.horizon == "next-month" and widgets(board)[dash.id].display
            # At the first column `<` cannot be used; one column on, it can: the same key, undimmed.
            assert [key.has_class("-disabled") for key in app.query(FooterKey) if key.key == "less_than_sign"] == [False]
            await pilot.press("less_than_sign")
            await pilot.pause()
            assert dash.horizon == "unplaced"
            assert [key.has_class("-disabled") for key in app.query("FooterKey") if key.key == "less_than_sign"] == [True]
        assert set(board.query(Card)) == every_widget
        hidden = [card for card in board.query(Card) if not card.display]
        assert hidden and all(card not in widgets(board).values() for card in hidden)
        assert shown(board) == await fresh_view(session, board.column, board.rows)
