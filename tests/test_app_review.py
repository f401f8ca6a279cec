"""The follow-up's review pane, driven by keys: each mark is saved at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from apphelp import FIXED, home_ready, make_app, run_ready, screen_ready, wait_until
from test_follow_up import scripted_demo_run
from textual.widgets import Markdown

from workshop.domain.follow_up import build_follow_up
from workshop.domain.operations import SessionEditor
from workshop.storage.store import create_session, load_session
from workshop.ui.panes.review import NOTHING_TO_REVIEW, ReviewList, ReviewPane
from workshop.ui.screens.review import ReviewScreen


def follow_up_file(folder: Path, earlier=None) -> Path:
    """A planned follow-up of the scripted demo run, with fixed ids and times."""
    follow = build_follow_up(earlier or scripted_demo_run(), day=date(2025, 3, 14))
    fixed = {"id": "followup1", "created_at": FIXED, "updated_at": FIXED, "timezone": "UTC"}
    return create_session(folder, follow.model_copy(update=fixed))


def statuses(path: Path) -> list[str]:
    return [p.status for p in load_session(path).session.earlier_priorities]


async def test_marking_each_priority_by_keys_is_saved_at_once(tmp_path: Path) -> None:
    path = follow_up_file(tmp_path / "sessions")
    app = make_app(tmp_path, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await run_ready(pilot)
        pane = screen.query_one(ReviewPane)
        assert pane.activity.kind == "review"
        pane.focus_input()
        await pilot.pause()
        assert isinstance(app.focused, ReviewList)
        # As the hint says: a mark stays on the highlighted priority, the arrow moves on.
        await pilot.press("1", "down", "4", "down", "3")
        await wait_until(pilot, lambda: statuses(path) == ["done", "carried-forward", "dropped"], "the marks on disk")
        assert app.focused.highlighted == 2  # the last one marked, its mark in view
        saved = load_session(path).session
        (carried,) = saved.proposals
        assert carried.carried_from == saved.earlier_priorities[1].id and carried.text == "Share one budget"
        # Back up and change a mark: the carried proposal goes again.
        await pilot.press("up", "2")
        await wait_until(pilot, lambda: statuses(path) == ["done", "in-progress", "dropped"], "the changed mark")
        assert load_session(path).session.proposals == []
        status_line = str(pane.query_one("#review-status").render())
        assert "1 done · 1 in progress · 1 dropped" in status_line


async def test_a_follow_up_of_nothing_placed_says_so(tmp_path: Path) -> None:
    earlier = scripted_demo_run()
    for proposal in earlier.proposals:
        proposal.horizon = "unplaced"
    path = follow_up_file(tmp_path / "sessions", earlier)
    app = make_app(tmp_path, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await run_ready(pilot)
        pane = screen.query_one(ReviewPane)
        assert NOTHING_TO_REVIEW in str(pane.query_one("#review-status").render())
        assert not pane.query_one(ReviewList).display


async def test_the_read_only_review_shows_the_statuses(tmp_path: Path) -> None:
    path = follow_up_file(tmp_path / "sessions")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await home_ready(pilot)
        app.review_session(path)
        screen = await screen_ready(pilot, ReviewScreen)
        shown = screen.query_one(Markdown).source
        assert "## Earlier priorities" in shown and "Not reviewed" in shown
    assert statuses(path) == ["unreviewed"] * 3


async def test_a_refused_mark_is_shown_and_changes_nothing(tmp_path: Path) -> None:
    earlier = scripted_demo_run()
    follow = build_follow_up(earlier, day=date(2025, 3, 14))
    SessionEditor(follow).add_proposal("MEET partners  monthly", activity_id="demo-propose")
    fixed = {"id": "followup2", "created_at": FIXED, "updated_at": FIXED, "timezone": "UTC"}
    path = create_session(tmp_path / "sessions", follow.model_copy(update=fixed))
    app = make_app(tmp_path, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await run_ready(pilot)
        screen.query_one(ReviewPane).focus_input()
        await pilot.press("4")  # the first, 'Meet partners monthly', is already a proposal here
        await wait_until(pilot, lambda: any("already a proposal" in str(n.message) for n in app._notifications), "the refusal shown")
        assert [p.status for p in screen.editor.session.earlier_priorities][0] == "unreviewed"
        assert screen.query_one(ReviewList).highlighted == 0
        await pilot.press("down", "1", "up", "down", "0")
        await wait_until(
            pilot,
            lambda: screen.editor.session.earlier_priorities[1].status == "unreviewed" and screen.query_one(ReviewList).highlighted == 1,
            "the mark cleared where it was given",
        )
    assert statuses(path) == ["unreviewed"] * 3
