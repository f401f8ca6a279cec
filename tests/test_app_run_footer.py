"""The run screen's footer at the widths a facilitator meets: whole keys, essentials first."""

from __future__ import annotations

import pytest
from apphelp import go_to_activity, make_app, run_ready, wait_until, write_session
from textual.widgets._footer import FooterKey

from workshop.domain.timebox import FakeClock
from workshop.ui.screens.run import RunScreen
from workshop.ui.widgets.run_footer import RunFooter

ESSENTIALS = {"Start", "Next", "Back", "Type", "Home", "Keys"}


def footer_words(screen) -> set[str]:
    return {key.description for key in screen.query_one(RunFooter).query(FooterKey)}


def footer_fits(screen) -> bool:
    footer = screen.query_one(RunFooter)
    right = max((key.region.right for key in footer.query(FooterKey)), default=0)
    return right <= footer.region.right


async def _opened(pilot, kind: str | None = None):
    screen = await run_ready(pilot) if kind is None else await go_to_activity(pilot, kind)
    await wait_until(pilot, lambda: footer_words(screen), "the footer's keys")
    return screen


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("kind", ["read", "discuss", "rate", "vote", "propose"])
async def test_the_essential_keys_fit_whole_at_every_width(tmp_path, width, kind):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(width, 24)) as pilot:
        screen = await _opened(pilot, None if kind == "read" else kind)
        expected = ESSENTIALS - {"Back"}
        if kind in ("rate", "vote"):
            await pilot.press("i", "space")  # into the ballot list, and the clock running
            # In the list, Type has nothing left to do: the ballot's own keys take its place.
            expected = expected - {"Type", "Start"} | {"Pause", "Cast", "Reveal"}
        await pilot.pause()
        await wait_until(pilot, lambda: expected <= footer_words(screen), f"the essential keys at {width}")
        assert footer_fits(screen)
        if screen.clock.current_index > 0:
            assert "Back" in footer_words(screen)


async def test_typing_notes_the_footer_says_how_to_stop(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot, "discuss")
        await pilot.press("i")
        await wait_until(pilot, lambda: "Stop typing" in footer_words(screen), "Esc offered while typing")
        # "+" is typed into the note there, so the footer does not offer it as +1 min.
        assert "+1 min" not in footer_words(screen)
        await pilot.press("plus")
        assert screen.clock.current_box.extended_seconds == 0
        await pilot.press("escape")
        await wait_until(pilot, lambda: ESSENTIALS <= footer_words(screen), "the run keys back after Esc")


async def test_the_footer_says_pause_while_the_clock_runs(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot)
        keys = list(screen.query_one(RunFooter).query(FooterKey))
        await pilot.press("space")
        await wait_until(pilot, lambda: "Pause" in footer_words(screen) and "Start" not in footer_words(screen), "Pause")
        # New words for the same key widget, not a row of new ones (see `_restyle_keys`).
        assert list(screen.query_one(RunFooter).query(FooterKey)) == keys
        assert footer_fits(screen)


async def test_a_completed_session_offers_no_run_keys_and_says_completed(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _opened(pilot)
        screen.editor.jump(screen.clock.activities[-1][1].id)
        await pilot.press("space", "n")
        await wait_until(pilot, lambda: screen.clock.completed and "Reopen" in footer_words(screen), "the session completed")
        words = footer_words(screen)
        assert not words & {"Start", "Pause", "Next", "Skip", "+1 min", "+5 min"}
        assert {"Home", "Keys"} <= words
        status = str(screen.query_one("#schedule-status").render())
        assert "COMPLETED" in status and "ahead" not in status and "behind" not in status and "finish " not in status


async def test_reopening_after_a_crash_says_it_was_recovered_and_where(tmp_path):
    path = write_session(tmp_path / "sessions", status="running")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot)
        await wait_until(pilot, lambda: app._notifications, "a notice")
        messages = [notification.message for notification in app._notifications]
        assert any("Recovered" in message and screen.clock.current.title in message for message in messages), messages


async def test_leaving_the_run_screen_takes_its_toasts_away(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _opened(pilot)
        await pilot.press("b")  # "Bell off": a routine toast
        await wait_until(pilot, lambda: app._notifications, "the bell's toast")
        await pilot.press("q")
        await wait_until(pilot, lambda: not isinstance(app.screen, RunScreen), "the home screen")
        assert not list(app._notifications)


async def test_in_the_proposals_table_its_own_keys_fit_at_80_columns(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot, "propose")
        screen.query_one("ProposalTable").focus()
        await wait_until(pilot, lambda: {"Edit", "Remove", "Merge"} <= footer_words(screen), "the table's keys")
        assert ESSENTIALS - {"Type", "Back"} <= footer_words(screen) and footer_fits(screen)


async def test_on_the_board_its_named_keys_fit_at_80_columns(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _opened(pilot, "place")
        await pilot.press("i")
        await wait_until(pilot, lambda: {"Right", "Protect", "Owner"} <= footer_words(screen), "the board's keys")
        assert footer_fits(screen)


async def test_a_key_coming_into_reach_is_restyled_in_place_not_recomposed(tmp_path):
    # Footer composes all its keys again when one dims; on the board, where `<` dims at the
    # first column, that drew every move twice. The same key widgets stay, restyled.
    from test_board import BoardApp, by_text, make_session
    from textual.app import ComposeResult

    from workshop.ui.panes.place import PlacePane

    class BoardWithRunFooter(BoardApp):
        def compose(self) -> ComposeResult:
            section, activity = next((s, a) for s, a in self.session.agenda.activities() if a.kind == "place")
            yield PlacePane(activity, section, self.editor)
            yield RunFooter()

    session = make_session()
    app = BoardWithRunFooter(session)
    async with app.run_test(size=(120, 24)) as pilot:
        footer = app.query_one(RunFooter)
        await wait_until(pilot, lambda: list(footer.query(FooterKey)), "the footer's keys")

        def left_key_dimmed() -> list[bool]:
            return [key.has_class("-disabled") for key in footer.query(FooterKey) if key.key == "less_than_sign"]

        assert left_key_dimmed() == [True]
        keys = list(footer.query(FooterKey))
        await pilot.press("greater_than_sign")
        await wait_until(pilot, lambda: left_key_dimmed() == [False], "< in reach one column on")
        assert by_text(session, "dash").horizon == "next-month"
        await pilot.press("less_than_sign")
        await wait_until(pilot, lambda: left_key_dimmed() == [True], "< dimmed at the first column again")
        assert list(footer.query(FooterKey)) == keys
        # A label that changes (Start becomes Pause) is changed in place too: see
        # test_the_footer_says_pause_while_the_clock_runs.


async def test_the_keys_the_footer_replaced_are_not_kept(tmp_path):
    # Each change of keys composes the footer afresh; a key bound to the footer's
    # `compact` stayed in its watchers, so a day of key presses kept every key ever shown.
    import gc
    import weakref

    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await _opened(pilot, "discuss")
        replaced = []
        for _ in range(3):
            replaced += [weakref.ref(key) for key in screen.query_one(RunFooter).query(FooterKey)]
            await pilot.press("i")
            await wait_until(pilot, lambda: "Stop typing" in footer_words(screen), "Esc offered while typing")
            replaced += [weakref.ref(key) for key in screen.query_one(RunFooter).query(FooterKey)]
            await pilot.press("escape")
            await wait_until(pilot, lambda: "Stop typing" not in footer_words(screen), "the run keys back")
        await pilot.pause()
        shown = set(screen.query_one(RunFooter).query(FooterKey))
        gc.collect()
        kept = [ref() for ref in replaced if ref() is not None and ref() not in shown]
        assert kept == []
