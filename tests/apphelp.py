"""Building apps and session files for Pilot and snapshot tests, and waiting for them.

Waiting is for an event or a condition, never for a number of seconds: a worker thread
is awaited with `app.workers.wait_for_complete()`, a message with `pilot.pause()`, and
anything else with `wait_until`, a bounded loop of both. A fixed pause passes on a fast
machine and fails on a busy one; these do not care how busy the machine is.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from pathlib import Path

from workshop.domain.models.session import Proposal, VotingSettings
from workshop.domain.new_session import build_session
from workshop.domain.timebox import FakeClock
from workshop.storage.packs import builtin_content_dir, load_pack
from workshop.storage.store import create_session
from workshop.ui.app import WorkshopApp

FIXED = datetime(2025, 3, 14, 9, 0, tzinfo=timezone.utc)
TEAM_OF_FIVE = [("Amira Khan", "Director"), ("Jo Reed", ""), ("Li Wei", ""), ("Priya Shah", "Finance"), ("Sam Cole", "")]
PROPOSALS = ("Shared data dashboard", "Monthly locality panels", "Data training")
# However busy the machine, nothing a test waits for takes this long; reaching it means
# the awaited state never comes, and the test fails saying what it waited for.
WAIT_LIMIT_SECONDS = 60.0


def demo_pack():
    return load_pack(builtin_content_dir() / "demo.toml")


def default_pack():
    return load_pack(builtin_content_dir() / "resourceful-child-poverty.toml")


def write_session(
    folder: Path,
    title: str = "Spring away-day",
    *,
    pack=None,
    day: date = date(2025, 3, 14),
    people=None,
    status: str = "planned",
    team: str = "Children's services",
) -> Path:
    """A session file made as `workshop new` would make it, with fixed timestamps."""
    session = build_session(
        pack or demo_pack(),
        title=title,
        team=team,
        facilitator="Sam",
        participants=people if people is not None else [("Amira Khan", "Director"), ("Jo Reed", "Head of early help")],
        day=day,
    )
    # A fixed id (from the title) keeps file names, and so snapshots, the same every run.
    fixed = {"id": hashlib.sha1(title.encode("utf-8")).hexdigest()[:8], "created_at": FIXED, "updated_at": FIXED, "timezone": "UTC", "status": status}
    return create_session(folder, session.model_copy(update=fixed))


def ballot_session(folder: Path, mode: str, proposals: Iterable[str] = PROPOSALS) -> Path:
    """A demo-pack session of five people voting in `mode`, with proposals to dot-vote on."""
    session = build_session(
        demo_pack(),
        title=f"Ballots {mode}",
        participants=TEAM_OF_FIVE,
        day=date(2025, 3, 14),
        voting=VotingSettings(mode=mode, dots_per_person=3, max_per_item=2),
    )
    made = [Proposal(id=f"p{number}", text=text, behaviour="collaborate", position=number) for number, text in enumerate(proposals)]
    fixed = {"id": f"ballots-{mode}", "created_at": FIXED, "updated_at": FIXED, "proposals": made}
    return create_session(folder, session.model_copy(update=fixed))


def make_app(tmp_path: Path, *, clock: FakeClock | None = None, open_path: Path | None = None) -> WorkshopApp:
    """An app on its own sessions folder, settings file and (optionally) a fake clock.

    Snapshot tests pass `Path(".")` from inside their own `tmp_path` (the conftest
    changes into it), so the folder the home screen names is `sessions` on every machine.
    """
    sessions = tmp_path / "sessions"
    sessions.mkdir(exist_ok=True)
    return WorkshopApp(
        sessions_dir=sessions,
        content_dir=tmp_path / "content",
        open_path=open_path,
        settings_file=tmp_path / "settings.toml",
        clock=clock,
    )


# -- waiting ------------------------------------------------------------------------


async def settle(pilot) -> None:
    """Let every worker finish and the messages it posted be handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition: Callable[[], object], what: str) -> None:
    """Handle events until `condition()` holds; fail naming `what` if it never does."""
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await settle(pilot)
    # Whatever the condition set off (a redraw, a layout) is done too.
    await pilot.pause()


def _mounted(widget) -> bool:
    return widget is not None and widget.is_mounted and widget.is_attached


async def home_ready(pilot):
    """The home screen once it has read the sessions folder (a worker thread)."""
    from workshop.ui.screens.home import HomeScreen

    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.loads > 0, "the home screen to list the sessions")
    return pilot.app.screen


async def screen_ready(pilot, kind: type | tuple[type, ...]):
    """The top screen once it is a mounted `kind` (a class, or a tuple of them)."""
    names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind) and _mounted(pilot.app.screen), f"a {names}")
    return pilot.app.screen


async def run_ready(pilot):
    """The run screen with its activity pane mounted (a session opened from open_path)."""
    from workshop.ui.panes import ActivityPane
    from workshop.ui.screens.run import RunScreen

    def ready() -> bool:
        screen = pilot.app.screen
        if not (isinstance(screen, RunScreen) and _mounted(screen)):
            return False
        panes = list(screen.query(ActivityPane))
        return len(panes) == 1 and _mounted(panes[0]) and panes[0].activity.id == screen.clock.current_id

    await wait_until(pilot, ready, "the run screen and its activity")
    return pilot.app.screen


async def go_to_activity(pilot, kind: str):
    """Jump to the first activity of `kind` the way a facilitator does: g, arrows, Enter."""
    screen = await run_ready(pilot)
    target = next(activity.id for _, activity in screen.clock.activities if activity.kind == kind)
    if screen.clock.current_id != target:
        await pilot.press("g")
        agenda = screen.query_one("#agenda")
        for _ in range(2 * len(screen.clock.activities) + 2):
            option = agenda.highlighted_option
            if option is not None and option.id == target:
                break
            await pilot.press("down" if _index(screen, target) > (agenda.highlighted or 0) else "up")
        else:
            raise AssertionError(f"the agenda never reached the {kind} activity")
        await pilot.press("enter")
    await wait_until(pilot, lambda: screen.clock.current_id == target, f"the {kind} activity")
    return await run_ready(pilot)


def _index(screen, activity_id: str) -> int:
    agenda = screen.query_one("#agenda")
    return next(index for index in range(agenda.option_count) if agenda.get_option_at_index(index).id == activity_id)
