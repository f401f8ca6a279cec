"""The home screen and the setup form, driven through Textual's Pilot."""

from __future__ import annotations

import tomllib
from pathlib import Path

from apphelp import home_ready, make_app, screen_ready, settle, wait_until, write_session
from textual.widgets import Checkbox, DataTable, Input

from workshop.storage.locking import acquire
from workshop.ui.screens.home import HomeScreen
from workshop.ui.screens.review import ReviewScreen
from workshop.ui.screens.run import RunScreen
from workshop.ui.screens.setup import SetupScreen
from workshop.ui.widgets.agenda_editor import AgendaEditor
from workshop.ui.widgets.confirm import Confirm
from workshop.ui.widgets.participants_editor import ParticipantsEditor


async def wait_for_rows(pilot, count: int) -> None:
    """The home screen once it has read the sessions folder and lists `count` rows."""

    def listed() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, HomeScreen) and screen.loads > 0 and screen.query_one("#sessions", DataTable).row_count == count

    await wait_until(pilot, listed, f"the home screen to list {count} sessions")


async def open_form(pilot) -> SetupScreen:
    """From the home screen, open the new-session form and return it."""
    await home_ready(pilot)
    await pilot.press("n")
    await screen_ready(pilot, SetupScreen)
    form = pilot.app.screen
    assert isinstance(form, SetupScreen)
    return form


async def test_empty_state_tells_a_newcomer_what_to_do(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await home_ready(pilot)
        intro = str(app.screen.query_one("#home-intro").render())
        assert "No sessions yet. Press w" in intro and "or n to plan" in intro
        assert not app.screen.query_one("#sessions").display
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)


async def test_create_session_through_the_form(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        form = await open_form(pilot)
        await pilot.press(*"Spring away-day")
        await pilot.press("tab", "tab", *"Children's services", "tab", *"Sam")
        await pilot.press("tab")
        for name, role in [("Amira Khan", "Director"), ("Jo Reed", "Head of early help"), ("Li Wei", ""), ("Priya Shah", "Finance")]:
            await pilot.press(*name)
            if role:
                await pilot.press("tab", *role)
            await pilot.press("enter")
        assert [p.name for p in form.query_one("#participants", ParticipantsEditor).people] == ["Amira Khan", "Jo Reed", "Li Wei", "Priya Shah"]
        # Trim the agenda: drop the first section, shorten the first activity of the second.
        agenda = form.query_one("#agenda", AgendaEditor)
        agenda.focus()
        planned_before = agenda.minutes
        await pilot.press("space")
        first_section = form.sections[0]
        assert not first_section.included
        # Past the dropped section's three activities to the first activity of the next.
        await pilot.press("down", "down", "down", "down", "down", "minus", "minus")
        assert agenda.minutes == planned_before - first_section.minutes - 2
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, (SetupScreen, HomeScreen)), "a screen after the saved form")
        assert isinstance(app.screen, RunScreen), "creating a session goes to the run screen"
        (path,) = (tmp_path / "sessions").glob("*.toml")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["title"] == "Spring away-day"
        assert data["team"] == "Children's services"
        assert [p["name"] for p in data["participants"]] == ["Amira Khan", "Jo Reed", "Li Wei", "Priya Shah"]
        assert data["agenda"]["sections"][0]["included"] is False
        assert data["status"] == "planned"


async def test_form_shows_what_is_missing(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        form = await open_form(pilot)
        form.query_one("#date", Input).value = "2025-13-45"
        form.query_one("#available", Input).value = "lots"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert "Give the session a title" in str(form.query_one("#title-error").render())
        assert "not a date" in str(form.query_one("#date-error").render())
        assert "not a duration" in str(form.query_one("#available-error").render())
        assert not list((tmp_path / "sessions").glob("*.toml"))


async def test_planned_total_against_time_available(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        form = await open_form(pilot)
        form.query_one("#available", Input).value = "2h"
        form.query_one("#start", Input).value = "09:30"
        await pilot.pause()
        total = str(form.query_one("#agenda-total").render())
        assert "Planned 2h50" in total
        assert "50 min OVER" in total
        assert "finishes 12:20" in total


async def test_archive_asks_first(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await wait_for_rows(pilot, 1)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert path.exists()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: not path.exists(), "the session file to move to the archive")
        assert not path.exists()
        assert (tmp_path / "sessions" / "archive" / path.name).exists()
        await wait_for_rows(pilot, 0)


async def test_corrupt_file_is_listed_and_cannot_be_opened(tmp_path):
    folder = tmp_path / "sessions"
    write_session(folder)
    bad = folder / "2025-01-01-broken-aaaa.toml"
    bad.write_text('schema = 1\ntitle = "half a file\n', encoding="utf-8")
    before = bad.read_bytes()
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_rows(pilot, 2)
        screen = app.screen
        rows = [screen.query_one("#sessions", DataTable).get_row_at(i) for i in range(2)]
        broken = next(i for i, row in enumerate(rows) if str(row[0]) == bad.name)
        assert str(rows[broken][3]) == "unreadable"
        screen.query_one("#sessions", DataTable).move_cursor(row=broken)
        await pilot.pause()
        assert screen.check_action("open", ()) is None
        assert screen.check_action("edit", ()) is None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert bad.read_bytes() == before


async def test_filter_as_you_type(tmp_path):
    folder = tmp_path / "sessions"
    write_session(folder, "Spring away-day")
    write_session(folder, "Autumn review", team="Finance")
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await wait_for_rows(pilot, 2)
        await pilot.press("slash", *"autumn")
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 1
        assert str(table.get_row_at(0)[0]) == "Autumn review"
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 2


async def test_edit_planned_session(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_for_rows(pilot, 1)
        await pilot.press("e")
        await screen_ready(pilot, SetupScreen)
        form = app.screen
        assert isinstance(form, SetupScreen)
        assert form.query_one("#title", Input).value == "Spring away-day"
        assert [p.name for p in form.query_one("#participants", ParticipantsEditor).people] == ["Amira Khan", "Jo Reed"]
        form.query_one("#title", Input).value = "Spring away-day (moved)"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not form, "the form to save and close")
        assert isinstance(app.screen, HomeScreen)
    # The file's name follows the new title (its date and id stay).
    renamed = path.with_name(path.name.replace("-spring-away-day-", "-spring-away-day-moved-"))
    assert not path.exists() and renamed.is_file()
    data = tomllib.loads(renamed.read_text(encoding="utf-8"))
    assert data["title"] == "Spring away-day (moved)"
    assert [p["id"] for p in data["participants"]] == ["amira-khan", "jo-reed"]


async def test_session_open_elsewhere_offers_read_only(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path)
    with acquire(path):
        async with app.run_test() as pilot:
            await wait_for_rows(pilot, 1)
            await pilot.press("enter")
            await wait_until(pilot, lambda: not isinstance(app.screen, HomeScreen), "an answer to opening the session")
            assert isinstance(app.screen, Confirm)
            assert "already open in another workshop" in app.screen.question
            await pilot.press("y")
            await wait_until(pilot, lambda: not isinstance(app.screen, (Confirm, HomeScreen)), "the session to open after the answer")
            assert isinstance(app.screen, ReviewScreen)


async def test_high_contrast_theme_is_remembered(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await home_ready(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)  # the settings are written by a worker thread
        assert app.theme == "workshop-high-contrast"
    assert 'theme = "workshop-high-contrast"' in (tmp_path / "settings.toml").read_text()
    again = make_app(tmp_path)
    async with again.run_test() as pilot:
        await home_ready(pilot)
        assert again.theme == "workshop-high-contrast"


async def test_export_from_the_home_screen(tmp_path):
    path = write_session(tmp_path / "sessions")
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await wait_for_rows(pilot, 1)
        await pilot.press("x")
        await wait_until(pilot, lambda: path.with_suffix(".csv").exists(), "the export to write its files")
        await settle(pilot)  # the export worker has finished writing
    report = path.with_suffix(".md").read_text(encoding="utf-8")
    assert report.startswith("# Spring away-day")
    assert path.with_suffix(".csv").read_text(encoding="utf-8-sig").startswith("Rank,Priority,Also worded")
    page = path.with_suffix(".html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>Spring away-day" in page


async def test_a_facilitator_who_votes_becomes_a_participant(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        form = await open_form(pilot)
        form.query_one("#title", Input).value = "Votes too"
        form.query_one("#facilitator", Input).value = "Sam Cole"
        form.query_one("#facilitator-votes", Checkbox).value = True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is not form, "the form to save and close")
        await settle(pilot)
    (path,) = (tmp_path / "sessions").glob("*.toml")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["voting"]["facilitator_votes"] is True
    assert [(p["name"], p["role"]) for p in data["participants"]] == [("Sam Cole", "Facilitator")]


async def test_escape_on_the_form_asks_before_discarding_what_was_typed(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        form = await open_form(pilot)
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: leaves at once
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.screen.action_new()  # with no sessions listed, the filter has the focus
        await pilot.pause()
        form = app.screen  # type: ignore[assignment]  # narrowed to HomeScreen above; checked just below
        assert isinstance(form, SetupScreen)
        await pilot.pause()
        await pilot.press(*"Spring away-day", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm), "typed text is not thrown away without asking"
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#title", Input).value == "Spring away-day"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert not list((tmp_path / "sessions").glob("*.toml"))


async def test_a_new_session_for_another_day_waits_at_home_and_one_for_today_runs(tmp_path):
    from workshop.domain.timebox import FakeClock

    app = make_app(tmp_path, clock=FakeClock())  # today is 2025-03-14
    async with app.run_test(size=(120, 60)) as pilot:
        form = await open_form(pilot)
        form.query_one("#title", Input).value = "Next week"
        form.query_one("#date", Input).value = "2025-03-21"
        await pilot.press("ctrl+s")
        await wait_for_rows(pilot, 1)
        assert isinstance(app.screen, HomeScreen)
        app.screen.action_new()
        await pilot.pause()
        form = app.screen  # type: ignore[assignment]  # narrowed to HomeScreen above; checked just below
        assert isinstance(form, SetupScreen)
        assert form.query_one("#date", Input).value == "2025-03-14"
        form.query_one("#title", Input).value = "Today"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, (SetupScreen, HomeScreen)), "a screen after the saved form")
        assert isinstance(app.screen, RunScreen)
        assert app.screen.session.title == "Today"
        assert app.screen.session.status == "planned"  # opening it changed nothing


async def test_a_newcomer_starts_the_demo_in_one_key(tmp_path):
    from datetime import date

    from workshop.ui.commands import key_entries

    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        screen = await home_ready(pilot)
        await wait_until(pilot, lambda: any(e.action.startswith("quick_start") and e.enabled for e in key_entries(screen)), "the newcomer's keys")
        assert "Press w to start the built-in workshop today, d to try the short demo" in str(screen.query_one("#home-intro").render())
        await pilot.press("d")
        run = await screen_ready(pilot, RunScreen)
        today = date.today()
        assert run.session.title == f"Demo {today.day} {today:%B %Y}" and run.session.date == today
        assert run.session.agenda.pack_id == "demo"
    (path,) = (tmp_path / "sessions").glob("*.toml")
    # With a session listed, the keys are gone: they are for an empty folder only.
    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        screen = await home_ready(pilot)
        await wait_for_rows(pilot, 1)
        assert not any(e.action.startswith("quick_start") and e.enabled for e in key_entries(screen))


async def test_an_invalid_pack_of_ones_own_shows_its_first_problem_and_the_command(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    demo = (Path(__file__).resolve().parents[1] / "content" / "demo.toml").read_text(encoding="utf-8")
    # Valid for the quick read (ids, titles, minutes), refused by the full one.
    broken = demo.replace('id = "demo"', 'id = "mine"', 1).replace('title = "Demo: resourceful', 'title = "Mine:', 1)
    broken = broken.replace('decision_rule = "The team decides', 'rule = "The team decides', 1)
    (content / "mine.toml").write_text(broken, encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await home_ready(pilot)
        await wait_until(pilot, lambda: "Cannot use mine.toml" in str(screen.query_one("#packs").render()), "the refusal")
        packs = str(screen.query_one("#packs").render())
        assert "Mine:" not in packs
        assert f"See every problem: workshop validate {content / 'mine.toml'}" in packs
        assert "(2 problems): line " in packs
