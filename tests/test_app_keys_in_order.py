"""Keys typed or pasted in a burst take effect in the order typed (issue 24, item 19).

Pilot's `press` waits for each key to be handled before the next, so it never shows the
problem; these tests post every key of a burst to the app at once, as a fast typist or a
terminal paste without bracketed paste does, and only then wait.
"""

from __future__ import annotations

from apphelp import go_to_activity, home_ready, make_app, screen_ready, wait_until
from test_app_stray_keys import open_app
from textual import events
from textual.widgets import Input

from workshop.ui.screens.setup import SetupScreen
from workshop.ui.widgets.participants_editor import ParticipantsEditor

NAMES = {" ": "space", "\t": "tab", "-": "minus"}


def burst(app, text: str, *keys: str) -> None:
    """Post `keys` (key names) and then each character of `text`, without waiting between them."""
    for key in keys:
        app.post_message(events.Key(key, "\t" if key == "tab" else None))
    for character in text:
        app.post_message(events.Key(NAMES.get(character, character), character))


def values(form: SetupScreen) -> dict[str, str]:
    return {name: form.query_one(f"#{name}", Input).value for name in ("title", "team", "facilitator")}


async def test_a_burst_with_tabs_fills_each_field_of_the_setup_form(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        await pilot.press("n")
        form = await screen_ready(pilot, SetupScreen)
        await wait_until(pilot, lambda: form.query_one("#title", Input).has_focus, "the title field focused")
        burst(app, "Race test\t\tTeamName\tFacName")
        expected = {"title": "Race test", "team": "TeamName", "facilitator": "FacName"}
        await wait_until(pilot, lambda: any(value.endswith("FacName") for value in values(form).values()), "the burst typed")
        assert values(form) == expected
        assert form.query_one("#facilitator", Input).has_focus


async def test_shift_tab_in_a_burst_goes_back_a_field(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        await pilot.press("n")
        form = await screen_ready(pilot, SetupScreen)
        await wait_until(pilot, lambda: form.query_one("#title", Input).has_focus, "the title field focused")
        burst(app, "\t\t\tFac")
        burst(app, "Team", "shift+tab")
        await wait_until(pilot, lambda: any(value.endswith("Team") for value in values(form).values()), "the burst typed")
        assert values(form) == {"title": "", "team": "Team", "facilitator": "Fac"}


async def test_keys_behind_one_that_opens_a_screen_go_to_that_screen(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await home_ready(pilot)
        # `n` opens the setup form, whose title field takes the focus once mounted: what is
        # typed straight after `n` belongs there, not to the home screen's keys.
        burst(app, "nSpring day")
        form = await screen_ready(pilot, SetupScreen)
        await wait_until(pilot, lambda: form.query_one("#title", Input).value.endswith("day"), "the title typed")
        assert form.query_one("#title", Input).value == "Spring day"
        assert home.showing_archive is False  # `S`, `p`, `a`... reached no home key on the way


async def in_the_proposal_field(pilot):
    """The propose step with its text field focused, as `i` leaves it: the screen and the field."""
    screen = await go_to_activity(pilot, "propose")
    field = screen.query_one("#proposal-text", Input)
    await pilot.press("i")
    await wait_until(pilot, lambda: field.has_focus, "the proposal field focused")
    return screen, field


async def test_escape_then_letters_leave_the_proposal_field_first(tmp_path):
    # The stray-keys design: Esc leaves the field, so the letters after it are keys again;
    # "n" alone is a command (next), and fast letters after it are typing, never commands.
    app = open_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, field = await in_the_proposal_field(pilot)
        where = screen.clock.current_id
        burst(app, "n", "escape")
        await wait_until(pilot, lambda: screen.clock.current_id != where or field.value, "the next activity")
        assert field.value == ""


async def test_escape_then_words_go_back_into_the_field_as_typing(tmp_path):
    # A word after Esc (its first letter no command) is typing: the stray-keys design puts
    # it into the activity's text field, whole and in order.
    app = open_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, field = await in_the_proposal_field(pilot)
        where = screen.clock.current_id
        burst(app, "Hello there", "escape")
        await wait_until(pilot, lambda: field.value.endswith("ere"), "the words typed")
        assert field.value == "Hello there" and screen.clock.current_id == where


async def test_a_burst_of_names_each_ended_by_enter_adds_each_person(tmp_path):
    # Enter in the name field adds the person through a message the field posts: the
    # names typed behind it wait for that, and do not run on into the first name.
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await home_ready(pilot)
        await pilot.press("n")
        form = await screen_ready(pilot, SetupScreen)
        await wait_until(pilot, lambda: form.query_one("#title", Input).has_focus, "the title field focused")
        burst(app, "\t\t\t\tAmira")
        burst(app, "Jo", "enter")
        burst(app, "Sam", "enter")
        burst(app, "", "enter")
        people = form.query_one(ParticipantsEditor)
        await wait_until(pilot, lambda: len(people.people) >= 3 or "Sam" in form.query_one("#person-name", Input).value, "the names added")
        assert [person.name for person in people.people] == ["Amira", "Jo", "Sam"]
