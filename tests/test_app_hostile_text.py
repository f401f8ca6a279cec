"""Markup and escape sequences from people and files are shown literally on every screen.

`[/]` parsed as markup crashes Textual (an unbalanced closing tag); `[red]Ana[/red]`
would be drawn red; an escape sequence could garble the terminal. Each is fed through
a pack in the user's content folder, a session's title, team and participants, a
proposal and a note, and every screen is visited.
"""

from __future__ import annotations

import tomllib

from apphelp import go_to_activity, home_ready, make_app, screen_ready, settle, wait_until

from workshop.domain.new_session import build_session
from workshop.storage.packs import builtin_content_dir, load_pack
from workshop.storage.store import create_session
from workshop.ui.screens.home import HomeScreen
from workshop.ui.screens.review import ReviewScreen
from workshop.ui.screens.run import RunScreen
from workshop.ui.screens.setup import SetupScreen

HOSTILE = "x [/] y [red]Ana[/red] \x1b[31mred\x1b[0m"


def hostile_pack(folder):
    """The demo pack, retitled with markup, as a user's own pack."""
    text = (builtin_content_dir() / "demo.toml").read_text(encoding="utf-8")
    text = text.replace('id = "demo"', 'id = "hostile"', 1)
    retitled = text.replace('title = "Demo: resourceful leadership in eleven minutes"', 'title = "Evil [/] pack [b]bold[/b]"', 1)
    assert retitled != text, "the demo pack's title changed: retitle it here too"
    text = retitled
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.toml").write_text(text, encoding="utf-8")
    return load_pack(folder / "hostile.toml")


def screen_text(app) -> str:
    """Everything the current screen shows, as plain text."""
    return "\n".join(str(widget.render()) for widget in app.screen.query("Static"))


async def test_markup_in_packs_titles_names_proposals_and_notes_is_shown_literally(tmp_path):
    pack = hostile_pack(tmp_path / "content")
    session = build_session(
        pack,
        title="T [/] [b]x",
        team="[red]Team[/red]",
        facilitator="Sam [/]",
        participants=[("x [/] y", "Head [/]"), ("[red]Ana[/red]", "")],
        day=__import__("datetime").date(2025, 3, 14),
    )
    path = create_session(tmp_path / "sessions", session)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        home = await home_ready(pilot)
        assert "Evil [/] pack [b]bold[/b]" in screen_text(app)
        table = home.query_one("#sessions")
        assert "T [/] [b]x" in str(table.get_row_at(0)[0])

        # The new-session form lists the pack by its title, literally.
        await pilot.press("n")
        await screen_ready(pilot, SetupScreen)
        await settle(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")

        # The run screen: names in the ballot, a proposal and a note with markup.
        app.open_session(path)
        await go_to_activity(pilot, "propose")
        await pilot.press("i", *"Fund [/] it", "enter", "escape")
        await settle(pilot)
        screen = await go_to_activity(pilot, "discuss")
        await pilot.press("i", *HOSTILE.replace("\x1b", ""), "escape")
        await settle(pilot)
        await go_to_activity(pilot, "rate")
        await settle(pilot)
        assert "x [/] y" in screen_text(app) or "x [/] y" in str(screen.query_one("#voter").render())
        await pilot.press("escape", "q")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home after the run")
        await home_ready(pilot)

        # Review shows the report, whose Markdown escapes every text.
        app.review_session(path)
        await screen_ready(pilot, ReviewScreen)
        await settle(pilot)
        assert app.is_running
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [p["text"] for p in data["proposals"]] == ["Fund [/] it"]
    assert data["title"] == "T [/] [b]x"


async def test_the_bell_choice_is_remembered(tmp_path):
    from apphelp import write_session

    from workshop.domain.timebox import FakeClock
    from workshop.storage.settings import load_settings

    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await screen_ready(pilot, RunScreen)
        await settle(pilot)
        assert screen.bell_on
        await pilot.press("b")
        await app.workers.wait_for_complete()
        await settle(pilot)
    assert load_settings(tmp_path / "settings.toml").bell is False
