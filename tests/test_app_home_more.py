"""The home screen's team and status filters, its archive (listed, restored) and the
follow-up key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from apphelp import home_ready, make_app, screen_ready, wait_until, write_session
from test_follow_up import scripted_demo_run
from textual.widgets import DataTable, Input, Static

from workshop.storage.archive import archive_session
from workshop.storage.store import create_session, list_sessions, load_session
from workshop.ui.screens.home_rows import matches, next_status_filter, parse_filter
from workshop.ui.screens.setup import SetupScreen


def titles(screen) -> list[str]:
    table = screen.query_one("#sessions", DataTable)
    return sorted(str(table.get_row_at(row)[0]) for row in range(table.row_count)) if table.display else []


def three_sessions(folder: Path) -> list[Path]:
    return [
        write_session(folder, "Spring away-day", team="Children's services", status="planned"),
        write_session(folder, "Autumn review", team="Finance", status="completed"),
        write_session(folder, "Summer check-in", team="Children's services", status="paused"),
    ]


# -- the filter's words (no app) ---------------------------------------------------------


def test_parse_filter_reads_team_and_status_words() -> None:
    wanted = parse_filter('spring team:"Children\'s  Services" status:Planned extra')
    assert wanted.words == ("spring", "extra")
    assert wanted.team == ("children's services",)
    assert wanted.status == ("planned",)
    assert parse_filter("team: status:").team == () and parse_filter("team:").status == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "status:planned"),
        ("status:planned", "status:in-progress"),
        ("autumn status:in-progress", "autumn status:completed"),
        ("team:finance status:completed", "team:finance"),
        ("status:whatever", "status:planned"),
    ],
)
def test_the_status_key_cycles(text: str, expected: str) -> None:
    assert next_status_filter(text) == expected


def test_matches_by_team_and_status(tmp_path: Path) -> None:
    three_sessions(tmp_path)
    items = {item.title: item for item in list_sessions(tmp_path)}

    def found(text: str) -> list[str]:
        return sorted(title for title, item in items.items() if matches(item, text))

    assert found("team:children") == ["Spring away-day", "Summer check-in"]
    assert found('team:"children\'s services" status:in-progress') == ["Summer check-in"]
    assert found("status:prog") == ["Summer check-in"]
    assert found("status:completed") == ["Autumn review"]
    assert found("team:finance spring") == []
    assert found("team:[bold]") == []


# -- in the app ----------------------------------------------------------------------------


async def test_team_and_status_filters_in_the_app(tmp_path: Path) -> None:
    three_sessions(tmp_path / "sessions")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await home_ready(pilot)
        await wait_until(pilot, lambda: len(titles(home)) == 3, "three rows")
        await pilot.press("s")
        await wait_until(pilot, lambda: titles(home) == ["Spring away-day"], "planned sessions only")
        assert home.query_one("#filter", Input).value == "status:planned"
        await pilot.press("s")
        await wait_until(pilot, lambda: titles(home) == ["Summer check-in"], "sessions in progress only")
        await pilot.press("s", "s")
        await wait_until(pilot, lambda: len(titles(home)) == 3, "all sessions again")
        await pilot.press("slash", *"team:finance", "enter")
        await wait_until(pilot, lambda: titles(home) == ["Autumn review"], "the finance team's session")
        assert str(home.query_one("#home-intro", Static).render()).startswith("1 of 3 sessions match the filter")


async def test_the_archive_is_listed_and_a_session_restored(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    spring, autumn, _ = three_sessions(folder)
    archived = archive_session(autumn)
    # A session of the same name came back meanwhile: the restored one must not replace it.
    autumn.write_bytes(archived.read_bytes())
    same_name_before = autumn.read_bytes()
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await home_ready(pilot)
        await wait_until(pilot, lambda: len(titles(home)) == 3, "the three sessions")
        assert home.check_action("restore", ()) is False
        await pilot.press("A")
        await wait_until(pilot, lambda: titles(home) == ["Autumn review"] and home.showing_archive, "the archive listed")
        intro = str(home.query_one("#home-intro", Static).render())
        assert intro.startswith("1 archived session in ") and "u restores" in intro
        assert home.check_action("archive", ()) is False and home.check_action("restore", ()) is True
        await pilot.press("u")
        await wait_until(pilot, lambda: not archived.exists(), "the restore")
        await wait_until(pilot, lambda: titles(home) == [], "the archive emptied")
        await pilot.press("A")
        await wait_until(pilot, lambda: len(titles(home)) == 4, "four sessions")
    restored = folder / (autumn.stem + "-restored.toml")
    assert restored.exists() and autumn.read_bytes() == same_name_before
    assert load_session(restored).session.title == "Autumn review"
    assert spring.exists()


async def follow_up_form(pilot) -> SetupScreen:
    """`f` on the one earlier session listed: the setup form of its follow-up."""
    home = await home_ready(pilot)
    await wait_until(pilot, lambda: len(titles(home)) == 1, "the earlier session")
    await pilot.press("f")
    return await screen_ready(pilot, SetupScreen)


async def test_follow_up_key_saves_a_follow_up_and_opens_its_form(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    earlier = create_session(folder, scripted_demo_run())
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await follow_up_form(pilot)
        assert form.query_one("#title", Input).value == "Spring away-day follow-up"
    made = [path for path in folder.glob("*.toml") if path != earlier]
    assert len(made) == 1
    follow = load_session(made[0]).session
    assert follow.follow_up_of == load_session(earlier).session.id and follow.date == date.today()
    assert len(follow.earlier_priorities) == 3 and follow.status == "planned"


async def test_a_follow_up_moved_to_another_day_is_renamed_to_match(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    earlier = create_session(folder, scripted_demo_run())
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await follow_up_form(pilot)
        made = form.loaded.path
        assert made.name.startswith(date.today().isoformat())
        form.query_one("#date", Input).value = "2031-05-06"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, SetupScreen), "the form saved")
        await wait_until(pilot, lambda: not made.exists(), "the old name gone")
    files = sorted(path.name for path in folder.glob("*.toml") if path != earlier)
    assert len(files) == 1 and files[0].startswith("2031-05-06-spring-away-day-follow-up-")
    assert load_session(folder / files[0]).session.date == date(2031, 5, 6)
