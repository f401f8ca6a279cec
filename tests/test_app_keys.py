"""Every key of a screen is in the command palette, and `?` lists them all."""

from __future__ import annotations

from apphelp import make_app, write_session

from workshop.domain.timebox import FakeClock
from workshop.ui.commands import key_commands, key_entries
from workshop.ui.screens.home import HomeScreen
from workshop.ui.screens.run import RunScreen
from workshop.ui.widgets.keys_help import KeysHelp


async def wait_for_screen(pilot, kind):
    # Opening a session reads the file in a worker; wait for the workers, then the screen.
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if isinstance(pilot.app.screen, kind):
            return pilot.app.screen
    raise AssertionError(f"{kind.__name__} did not open")


def titles(screen) -> set[str]:
    return {command.title for command in key_commands(screen)}


async def test_the_run_screens_hidden_keys_are_palette_commands(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, RunScreen)
        found = titles(screen)
        # Shown in the Footer, and also the ones it has no room for at 80 columns.
        assert {"Start/Pause", "Next", "Skip", "+1 min", "Extend…", "Auto-advance", "Bell on/off", "Focus"} <= found
        # Back does not apply on the first activity, so it is not offered.
        assert "Back" not in found
        assert "Keys" not in found


async def test_a_palette_command_runs_the_keys_action(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, RunScreen)
        auto = next(command for command in key_commands(screen) if command.title == "Auto-advance")
        before = screen.clock.auto_advance
        await auto.callback()
        await pilot.pause()
        assert screen.clock.auto_advance is not before


async def test_question_mark_lists_every_key_of_the_screen(tmp_path):
    write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        home = await wait_for_screen(pilot, HomeScreen)
        listed = {entry.description for entry in key_entries(home)}
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, KeysHelp)
        shown = {entry.description for entry in app.screen.entries}
        assert shown == listed and {"New", "Filter", "Reload", "Quit"} <= shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_toasts_and_questions_show_markup_literally(tmp_path):
    from textual.widgets import Static

    from workshop.ui.widgets.confirm import Confirm

    app = make_app(tmp_path, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        # Unbalanced closing tags raise MarkupError when parsed as markup.
        app.notify("Removed: a [/] b")
        app.screen.notify("[red]Ana[/red] voted")
        app.push_screen(Confirm("Archive 'x [/] y'?"))
        await pilot.pause()
        shown = str(app.screen.query_one("#question", Static).render())
        assert "x [/] y" in shown
        texts = [str(notification.message) for notification in app._notifications]
        assert "Removed: a [/] b" in texts and "[red]Ana[/red] voted" in texts
        assert all(not notification.markup for notification in app._notifications)


async def test_ctrl_t_comes_back_to_the_theme_chosen_in_the_palette(tmp_path):
    from workshop.storage.settings import HIGH_CONTRAST_THEME

    app = make_app(tmp_path, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)
        app.theme = "dracula"
        await pilot.press("ctrl+t")
        assert app.theme == HIGH_CONTRAST_THEME
        await pilot.press("ctrl+t")
        assert app.theme == "dracula"


async def test_toasts_on_the_run_screen_leave_the_countdown_in_sight(tmp_path):
    from textual.widgets._toast import Toast

    from workshop.ui.widgets.bigclock import BigClock

    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await wait_for_screen(pilot, RunScreen)
        app.notify("A message long enough to need most of the width of the toast")
        for _ in range(20):
            await pilot.pause()
            if list(screen.query(Toast)):
                break
        toasts = list(screen.query(Toast))
        assert toasts
        clock = screen.query_one(BigClock).region
        assert all(not toast.region.overlaps(clock) for toast in toasts)


async def test_high_contrast_draws_dim_text_at_full_strength(tmp_path):
    from rich.segment import Segment
    from rich.style import Style
    from textual.color import Color

    from workshop.storage.settings import HIGH_CONTRAST_THEME

    app = make_app(tmp_path, clock=FakeClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, HomeScreen)

        def drawn(segment):
            for line_filter in app.get_line_filters():
                (segment,) = line_filter.apply([segment], Color(0, 0, 0))
            return segment

        def brightness(segment) -> int:
            return sum(drawn(segment).style.color.get_truecolor())

        hint = Segment("(1 Not at all … 5 Completely)", Style(dim=True, color="white"))
        plain = Segment("(1 Not at all … 5 Completely)", Style(color="white"))
        # Normally dim text is drawn greyer than the same text without dim...
        assert brightness(hint) < brightness(plain)
        app.theme = HIGH_CONTRAST_THEME
        await pilot.pause()
        # ...in high contrast it is drawn as bright as the rest.
        assert brightness(hint) == brightness(plain)
        assert drawn(hint).text == hint.text


async def test_the_apps_own_keys_come_first_and_generic_ones_stay_out_of_the_palette(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, RunScreen)
        screen.query_one("#agenda").focus()
        await pilot.pause()
        entries = key_entries(screen)
        ours = [entry.ours for entry in entries]
        assert ours == sorted(ours, reverse=True) and ours[0] and not ours[-1]
        assert "Focus Next" not in titles(screen)
