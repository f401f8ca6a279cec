"""Sessions of three sizes for the benchmarks, built only with domain operations.

- typical: 12 people, the default pack run to the end, 60 proposals, notes on every
  discussion, every rating and the dot vote cast;
- 10x: 100 people (the cap), 600 proposals, 20 rounds;
- 100x: 100 people, 1,000 proposals (the caps), 50 rounds.

`stop_at` leaves the session paused on an activity of that kind instead of completing it,
so the run screen opens there (typing notes, moving on the board).
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from itertools import cycle
from pathlib import Path

from workshop.domain.models.limits import MAX_PARTICIPANTS, MAX_PROPOSALS
from workshop.domain.models.pack import Pack
from workshop.domain.models.session import Session
from workshop.domain.new_session import build_session
from workshop.domain.operations import SessionEditor
from workshop.storage.packs import builtin_content_dir, load_pack

WORDS = (
    "resourceful leadership child poverty partners budget outcomes collaborate team trust "
    "commitment system results simplify learn resilience tenacity openness possibilities "
    "services families schools health housing council data evidence pilot review share"
).split()


@dataclass(frozen=True)
class Size:
    """How big a generated session is."""

    name: str
    participants: int
    proposals: int
    rounds: int


TYPICAL = Size("typical", 12, 60, 0)  # rounds 0: one per rating/vote activity of the pack
TEN_X = Size("10x", MAX_PARTICIPANTS, 600, 20)
HUNDRED_X = Size("100x", MAX_PARTICIPANTS, MAX_PROPOSALS, 50)
SIZES = (TYPICAL, TEN_X, HUNDRED_X)


class _FakeTime:
    """A clock the generator moves by hand, so a session 'runs' in no time."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        self.start = datetime(2026, 3, 12, 9, 0, tzinfo=timezone.utc)

    def monotonic(self) -> float:
        return self.seconds

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds - 1000.0)


def default_pack() -> Pack:
    """The pack a new session gets by default."""
    return load_pack(builtin_content_dir() / "resourceful-child-poverty.toml")


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def build(size: Size, *, stop_at: str | None = None, seed: int = 14) -> Session:
    """A session of `size`, made through `SessionEditor` as a room would make it (a fresh copy each call)."""
    return _build(size, stop_at, seed).model_copy(deep=True)


@lru_cache(maxsize=None)
def _build(size: Size, stop_at: str | None, seed: int) -> Session:
    rng = random.Random(seed)
    people = [(f"Person {n:03d}", rng.choice(["Director", "Head of service", "Lead"])) for n in range(size.participants)]
    session = build_session(
        default_pack(), title=f"Benchmark {size.name}", team="Leadership team", facilitator="Sam", participants=people, day=date(2026, 3, 12)
    )
    fake = _FakeTime()
    editor = SessionEditor(session, monotonic=fake.monotonic, wall=fake.wall)
    activities = [activity for _, activity in editor.clock.activities]
    voters = [p.id for p in session.participants]
    proposal_texts = (f"{_sentence(rng, 9)[:-1]} ({n})" for n in range(size.proposals))
    propose_ids = [a.id or "" for a in activities if a.kind == "propose"] or [activities[0].id or ""]
    per_activity = -(-size.proposals // len(propose_ids))
    editor.start()
    for activity in activities:
        if stop_at is not None and activity.kind == stop_at:
            editor.pause()
            return session
        activity_id = activity.id or ""
        fake.seconds += rng.uniform(240, 900)
        editor.tick()
        if activity.kind == "discuss":
            editor.set_note(activity_id, "\n\n".join(_sentence(rng, 40) for _ in range(4)))
        elif activity.kind == "propose":
            for text in [next(proposal_texts, None) for _ in range(per_activity)]:
                if text is not None:
                    editor.add_proposal(text, activity_id=activity_id, proposed_by=rng.choice(voters))
        elif activity.kind == "rate":
            _rate(editor, activity_id, voters, rng)
        elif activity.kind == "vote":
            for _ in range(max(1, size.rounds // 10)):
                _vote(editor, activity_id, voters, rng)
        elif activity.kind == "place":
            horizons = cycle(["next-month", "six-months", "a-year", "longer-term"])
            for proposal in list(session.proposals)[: len(session.proposals) // 2]:
                editor.move_to_horizon(proposal.id, next(horizons))
                editor.set_owner(proposal.id, rng.choice(people)[0])
        if activity is activities[-1]:
            break
        editor.next()
    _extra_rounds(editor, size, voters, rng)
    editor.complete()
    return session


def _rate(editor: SessionEditor, activity_id: str, voters: list[str], rng: random.Random) -> None:
    activity = editor.session.agenda.activity(activity_id)
    questions = [q.id for q in getattr(activity, "questions", [])]
    for voter in voters:
        editor.cast_rating(activity_id, voter, {q: rng.randint(1, 5) for q in questions})
    editor.reveal(activity_id)


def _vote(editor: SessionEditor, activity_id: str, voters: list[str], rng: random.Random) -> None:
    if editor.current_round(activity_id) is not None:
        editor.rerun(activity_id)
    eligible = editor.eligible_proposals(activity_id)
    for voter in voters:
        editor.cast_dots(activity_id, voter, {rng.choice(eligible): 1})
    editor.reveal(activity_id)


def _extra_rounds(editor: SessionEditor, size: Size, voters: list[str], rng: random.Random) -> None:
    """Re-run rating rounds until the session holds `size.rounds` rounds in all."""
    rate_ids = [a.id or "" for _, a in editor.clock.activities if a.kind == "rate"]
    for activity_id in cycle(rate_ids):
        if len(editor.session.rating_rounds) + len(editor.session.vote_rounds) >= size.rounds:
            return
        editor.rerun(activity_id)
        _rate(editor, activity_id, voters, rng)


def write_folder(folder: Path, count: int, template: Session) -> list[Path]:
    """`count` session files in `folder`, copies of `template` with their own ids and titles,
    as the app writes them: the listing's line first and the time it names given to the
    file (see `workshop.storage.listing_head`; a save through the store costs 1000 times more)."""
    from workshop.storage.listing_head import with_listing_line
    from workshop.storage.session_format import dump_session, session_filename

    folder.mkdir(parents=True, exist_ok=True)
    text = dump_session(template)
    paths = []
    for n in range(count):
        session_id = f"bench{n:06d}"
        copy = text.replace(f'id = "{template.id}"', f'id = "{session_id}"', 1)
        copy = copy.replace(f'title = "{template.title}"', f'title = "Away day {n}"', 1)
        path = folder / session_filename(template).replace(template.id, session_id)
        written = time.time_ns()
        path.write_bytes(with_listing_line(copy.encode("utf-8"), template.percent_complete, written))
        os.utime(path, ns=(written, written))
        paths.append(path)
    return paths
