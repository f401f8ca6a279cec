"""The compare screen and the series chart: built from scripted demo sessions and a
follow-up, opened from the home screen by keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from apphelp import home_ready, make_app, screen_ready, wait_until
from test_follow_up import scripted_demo_run
from textual.widgets import DataTable

from workshop.domain.compare import compare_sessions
from workshop.domain.follow_up import build_follow_up
from workshop.domain.models.pack import Scale
from workshop.domain.models.session import Session
from workshop.domain.operations import SessionEditor
from workshop.domain.series import series
from workshop.domain.tally import summarise_distribution
from workshop.storage.store import create_session
from workshop.ui.screens.compare import CompareScreen, SeriesScreen
from workshop.ui.screens.compare_view import comparison_text, distribution_bars, series_text, sparkline

RATINGS = {
    # Each session's answers to the demo's two questions, one dict a participant.
    "spring": [{"demo-q1": 2, "demo-q2": 1}, {"demo-q1": 2, "demo-q2": 5}, {"demo-q1": 3, "demo-q2": 3}],
    "autumn": [{"demo-q1": 4, "demo-q2": 3}, {"demo-q1": 3, "demo-q2": 3}, {"demo-q1": 4, "demo-q2": 3}],
    "winter": [{"demo-q1": 5, "demo-q2": 4}, {"demo-q1": 4, "demo-q2": 4}, {"demo-q1": 5, "demo-q2": 3}],
}


def rate(session: Session, answers: list[dict[str, int]]) -> None:
    editor = SessionEditor(session)
    for person, ballot in zip(session.participants, answers, strict=False):
        editor.cast_rating("demo-rate", person.id, ballot)


def three_sessions() -> list[Session]:
    """Spring (scripted run), its autumn follow-up (reviewed) and a winter follow-up of that."""
    spring = scripted_demo_run()
    rate(spring, RATINGS["spring"])
    autumn = build_follow_up(spring, day=date(2026, 10, 1), title="Autumn check-in")
    editor = SessionEditor(autumn)
    first, second, third = (p.id for p in autumn.earlier_priorities)
    editor.set_review_status(first, "done")
    editor.set_review_status(second, "carried-forward")
    editor.set_review_status(third, "dropped")
    rate(autumn, RATINGS["autumn"])
    winter = build_follow_up(autumn, day=date(2027, 1, 20), title="Winter [bold]check[/bold] <script>")
    rate(winter, RATINGS["winter"])
    return [spring, autumn, winter]


def saved(folder: Path) -> list[Path]:
    return [create_session(folder, session) for session in three_sessions()]


# -- the view (no app) ---------------------------------------------------------------


def test_bars_and_sparklines_by_hand() -> None:
    summary = summarise_distribution({1: 1, 2: 0, 3: 2, 4: 4, 5: 0}, Scale())
    assert distribution_bars(summary) == "▂·▄█·"
    assert distribution_bars(summarise_distribution({1: 0, 2: 0}, Scale(min=1, max=2))) == "··"
    assert sparkline((1.0, 3.0, None, 5.0), Scale()) == "▁▅·█"
    assert sparkline((1.0, None, 5.0), Scale(), width=2) == "▁▁ ·· ██"


def test_comparison_text_by_hand() -> None:
    spring, autumn, _ = three_sessions()
    shown = comparison_text(compare_sessions(spring, autumn)).plain
    # demo-q1: then 2,2,3 (median 2, spread 1); now 4,3,4 (median 4, spread 1): +2 stands out.
    assert "median 2 · spread 1 · 3 answers" in shown and "median 4 · spread 1 · 3 answers" in shown
    assert "median +2 · spread ±0" in shown
    # demo-q2: then 1,5,3 (median 3, spread 4, low agreement); now 3,3,3: agreement changed.
    assert "median ±0 · spread −4 · agreement changed" in shown
    assert "2 shared, 2 stand out (★)" in shown
    assert "Done            Meet partners monthly  (Bo)" in shown
    assert "Carried forward Share one budget  (protected)" in shown
    assert "Dropped         Publish outcomes" in shown
    assert "Planned against actual time" in shown


def test_series_text_by_hand() -> None:
    shown = series_text(series(three_sessions())).plain
    assert "Medians over 3 sessions of Leadership team" in shown
    assert "2 → 4 → 5" in shown and "3 → 3 → 4" in shown
    assert "Winter [bold]check[/bold] <script>" in shown


# -- from the home screen ------------------------------------------------------------


async def highlight(pilot, home, title: str) -> None:
    table = home.query_one("#sessions", DataTable)
    row = next(i for i in range(table.row_count) if str(table.get_row_at(i)[0]).endswith(title))
    table.move_cursor(row=row)
    await wait_until(pilot, lambda: home.selected is not None and home.selected.title == title, f"{title} highlighted")


async def test_mark_one_and_compare_with_the_highlighted(tmp_path: Path) -> None:
    saved(tmp_path / "sessions")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await home_ready(pilot)
        await wait_until(pilot, lambda: home.query_one("#sessions", DataTable).row_count == 3, "three sessions")
        await highlight(pilot, home, "Autumn check-in")
        await pilot.press("m")
        table = home.query_one("#sessions", DataTable)
        await wait_until(pilot, lambda: str(table.get_row_at(table.cursor_row)[0]).startswith("● "), "the mark shown")
        await highlight(pilot, home, "Spring away-day")
        await pilot.press("c")
        screen = await screen_ready(pilot, CompareScreen)
        # Put in date order whatever the order marked.
        assert screen.comparison.before.title == "Spring away-day" and screen.comparison.after.title == "Autumn check-in"
        assert screen.comparison.is_follow_up
        await pilot.press("escape")
        await screen_ready(pilot, type(home))


async def test_compare_without_marks_says_what_to_do(tmp_path: Path) -> None:
    saved(tmp_path / "sessions")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await home_ready(pilot)
        await wait_until(pilot, lambda: home.query_one("#sessions", DataTable).row_count == 3, "three sessions")
        await pilot.press("c")
        await wait_until(pilot, lambda: any("Mark a session" in str(n.message) for n in app._notifications), "the hint")
        assert app.screen is home


async def test_trend_of_the_highlighted_team(tmp_path: Path) -> None:
    saved(tmp_path / "sessions")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await home_ready(pilot)
        await wait_until(pilot, lambda: home.query_one("#sessions", DataTable).row_count == 3, "three sessions")
        await pilot.press("t")
        screen = await screen_ready(pilot, SeriesScreen)
        assert [point.title for point in screen.series.points][:2] == ["Spring away-day", "Autumn check-in"]
        assert [q.medians for q in screen.series.questions] == [(2.0, 4.0, 5.0), (3.0, 3.0, 4.0)]
