"""The autosaver's snapshot reuses what did not change, and never gives stale data.

`SessionSnapshots.take` hands over the parts of a session unchanged since the last
snapshot as the same objects as then, and the writer (`piecewise.dump_data_chunks`)
reuses their text; after any sequence of the editor's operations (and of plain field
assignments, which no operation announces), both must equal a fresh full dump.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from itertools import count
from pathlib import Path
from typing import Any, Callable

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from workshop.domain.errors import Refused
from workshop.domain.models.session import HORIZONS, REVIEW_STATUSES, EarlierPriority, Session
from workshop.domain.new_session import build_session
from workshop.domain.operations import SessionEditor
from workshop.storage.autosave import Autosaver
from workshop.storage.packs import builtin_content_dir, load_pack
from workshop.storage.piecewise import dump_data_chunks, forget_dumped
from workshop.storage.session_format import session_data
from workshop.storage.snapshot import SessionSnapshots
from workshop.storage.store import create_session, load_session, open_session


@lru_cache(maxsize=1)
def _template() -> Session:
    """A session under way: proposals, a dot vote and a rating with ballots and hands, a
    note, a parked item, so that random operations soon meet every part of it."""
    pack = load_pack(builtin_content_dir() / "resourceful-child-poverty.toml")
    people = [(f"Person {n}", "Lead") for n in range(5)]
    session = build_session(pack, title="Snapshots", team="Team", facilitator="Sam", participants=people, day=date(2026, 3, 12))
    editor = SessionEditor(session, monotonic=lambda: 1000.0)
    kinds = {a.kind: a.id or "" for _, a in editor.clock.activities}
    voters = [p.id for p in session.participants]
    # A follow-up's earlier priorities: carrying one forward makes it a proposal (on the
    # ballot below); taking that back takes it off the ballot, in place.
    session.earlier_priorities = [EarlierPriority(id=f"earlier-{n}", text=f"Earlier {n}") for n in range(3)]
    editor.start()
    editor.set_review_status("earlier-0", "carried-forward")
    for n in range(6):
        editor.add_proposal(f"Proposal {n}", activity_id=kinds["propose"])
    proposals = [p.id for p in session.proposals]
    editor.jump(kinds["vote"])
    editor.open_round(kinds["vote"])
    for voter, proposal in zip(voters, proposals[1:], strict=False):  # none for the carried one
        editor.cast_dots(kinds["vote"], voter, {proposal: 1, proposals[-1]: 1})
    editor.jump(kinds["rate"])
    editor.open_round(kinds["rate"])
    question = _question_of(session, kinds["rate"])
    for n, voter in enumerate(voters[:3]):
        editor.cast_rating(kinds["rate"], voter, {question: 1 + n})
    editor.set_note(kinds["discuss"], "A note")
    editor.park("Parked")
    editor.pause()
    return session


def _question_of(session: Session, activity_id: str) -> str:
    activity = session.agenda.activity(activity_id)
    questions = [q.id for q in getattr(activity, "questions", [])]
    return questions[0] if questions else "none"


class _Room:
    """An editor on a fresh copy of the template, on a clock moved by hand."""

    def __init__(self) -> None:
        self.seconds = 1000.0
        self.session = _template().model_copy(deep=True)
        self.editor = SessionEditor(self.session, monotonic=lambda: self.seconds)
        self.activities = [activity for _, activity in self.editor.clock.activities]

    def pick(self, items: list[Any], n: int) -> Any:
        return items[n % len(items)] if items else None

    def proposal(self, n: int) -> str:
        return self.pick([p.id for p in self.session.proposals], n) or "none"

    def person(self, n: int) -> str:
        return self.pick([p.id for p in self.session.participants], n) or "none"

    def activity(self, n: int, *kinds: str) -> str:
        return self.pick([a.id or "" for a in self.activities if not kinds or a.kind in kinds], n) or "none"


def _question(room: _Room, activity_id: str) -> str:
    return _question_of(room.session, activity_id)


_texts = count()


def _tick(room: _Room, n: int) -> None:
    room.seconds += n % 700
    room.editor.tick()
    room.editor.record_elapsed()


def _assign(model: object, field: str, value: object) -> None:
    """A plain assignment, announced by no operation: seen by the model's revision alone."""
    setattr(model, field, value)


def _assign_ballot(room: _Room) -> None:
    if room.session.vote_rounds and room.session.vote_rounds[-1].ballots:
        _assign(room.session.vote_rounds[-1].ballots[0], "cast_at", room.session.created_at)


def _assign_owner(room: _Room, n: int, text: str) -> None:
    if room.session.proposals:
        _assign(room.session.proposals[n % len(room.session.proposals)], "owner", text[:30])


# Each operation: (room, a number to pick targets with, a text) -> None. Refusals are fine.
OPERATIONS: dict[str, Callable[[_Room, int, str], object]] = {
    "start": lambda r, n, t: r.editor.start(),
    "pause": lambda r, n, t: r.editor.pause(),
    "next": lambda r, n, t: r.editor.next(),
    "jump": lambda r, n, t: r.editor.jump(r.activity(n)),
    "tick": lambda r, n, t: _tick(r, n),
    "extend": lambda r, n, t: r.editor.extend(1 + n % 5),
    "note": lambda r, n, t: r.editor.set_note(r.activity(n, "discuss"), t),
    "add proposal": lambda r, n, t: r.editor.add_proposal(f"{t} {next(_texts)}", activity_id=r.activity(n, "propose")),
    "edit proposal": lambda r, n, t: r.editor.set_priority_text(r.proposal(n), f"{t} {next(_texts)}"),
    "remove proposal": lambda r, n, t: r.editor.remove_proposal(r.proposal(n)),
    "merge": lambda r, n, t: r.editor.merge_proposals(r.proposal(n), r.proposal(n // 7 + 1)),
    "move": lambda r, n, t: r.editor.move_to_horizon(r.proposal(n), HORIZONS[n % len(HORIZONS)]),
    "reorder": lambda r, n, t: r.editor.reorder(r.proposal(n), 1 if n % 2 else -1),
    "owner": lambda r, n, t: r.editor.set_owner(r.proposal(n), t[:30]),
    "protect": lambda r, n, t: r.editor.set_protected(r.proposal(n), bool(n % 2)),
    "open round": lambda r, n, t: r.editor.open_round(r.activity(n, "vote", "rate")),
    "cast dots": lambda r, n, t: r.editor.cast_dots(r.activity(n, "vote"), r.person(n // 3), {r.proposal(n // 5): 1}, replace=bool(n % 2)),
    "cast rating": lambda r, n, t: r.editor.cast_rating(
        r.activity(n, "rate"), r.person(n // 3), {_question(r, r.activity(n, "rate")): 1 + n % 5}, replace=bool(n % 2)
    ),
    "abstain": lambda r, n, t: r.editor.abstain(r.activity(n, "vote", "rate"), r.person(n // 3)),
    "withdraw": lambda r, n, t: r.editor.withdraw(r.activity(n, "vote", "rate"), r.person(n // 3)),
    "hands": lambda r, n, t: r.editor.set_hands(r.activity(n, "vote"), {r.proposal(n // 5): n % 9}),
    "reveal": lambda r, n, t: r.editor.reveal(r.activity(n, "vote", "rate")),
    "rerun": lambda r, n, t: r.editor.rerun(r.activity(n, "vote", "rate")),
    "arrive": lambda r, n, t: r.editor.add_late_arrival(f"Late {next(_texts)}"),
    "leave": lambda r, n, t: r.editor.mark_left(r.person(n)),
    "return": lambda r, n, t: r.editor.mark_present(r.person(n)),
    "park": lambda r, n, t: r.editor.park(f"{t} {next(_texts)}"),
    "review parked": lambda r, n, t: r.editor.review_parked(r.pick([i.id for i in r.session.parking_lot], n) or "none", ("kept", "dropped", "proposal")[n % 3]),
    "consent": lambda r, n, t: r.editor.record_consent(r.activity(n, "consent"), r.proposal(n // 3), "agreed" if n % 2 else "objected", t or "why"),
    "clear consent": lambda r, n, t: r.editor.clear_consent(r.activity(n, "consent"), r.proposal(n // 3)),
    "review": lambda r, n, t: r.editor.set_review_status(f"earlier-{n % 3}", REVIEW_STATUSES[n % len(REVIEW_STATUSES)]),
    "approvers": lambda r, n, t: r.editor.set_approvers(t),
    "check out": lambda r, n, t: r.editor.set_check_out(r.person(n), t),
    "complete": lambda r, n, t: r.editor.complete(),
    "reopen": lambda r, n, t: r.editor.reopen(),
    # Plain assignments, announced by no operation: seen by their revisions alone.
    "assign owner": _assign_owner,
    "assign ballot": lambda r, n, t: _assign_ballot(r),
    "assign title": lambda r, n, t: _assign(r.session, "title", t.strip() or "Title"),
}


_steps = st.lists(
    st.tuples(st.sampled_from(sorted(OPERATIONS)), st.integers(0, 10_000), st.text(st.characters(codec="utf-8"), max_size=12)),
    min_size=1,
    max_size=30,
)


def _apply(room: _Room, name: str, n: int, text: str) -> None:
    try:
        OPERATIONS[name](room, n, text)
    except (Refused, ValidationError):  # refused: nothing changed
        pass


def _assert_fresh(snapshots: SessionSnapshots, session: Session) -> None:
    fresh = session_data(session)
    taken = snapshots.take(session)
    assert list(taken) == list(fresh)
    assert taken == fresh
    assert b"".join(dump_data_chunks(taken)) == tomli_w.dumps(fresh, multiline_strings=True).encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_steps)
def test_after_any_operations_the_snapshot_and_its_text_equal_a_fresh_full_dump(steps: list[tuple[str, int, str]]) -> None:
    room = _Room()
    snapshots = SessionSnapshots()
    # As the open session passes each change on to the autosaver.
    room.editor.listen(lambda change: snapshots.touched(change.in_place))
    forget_dumped()
    _assert_fresh(snapshots, room.session)
    for name, n, text in steps:
        _apply(room, name, n, text)
        _assert_fresh(snapshots, room.session)


def test_an_unchanged_part_is_handed_over_as_the_very_same_objects() -> None:
    room = _Room()
    snapshots = SessionSnapshots()
    room.editor.listen(lambda change: snapshots.touched(change.in_place))
    room.editor.start()
    room.editor.add_proposal("First", activity_id=room.activity(0, "propose"))
    room.editor.add_proposal("Second", activity_id=room.activity(0, "propose"))
    first = snapshots.take(room.session)
    room.editor.set_priority_text(room.session.proposals[1].id, "Second, reworded")
    second = snapshots.take(room.session)
    assert second["agenda"] is first["agenda"] and second["participants"] is first["participants"]
    assert second["proposals"] is not first["proposals"]
    assert second["proposals"][0] is first["proposals"][0] and second["proposals"][1] is not first["proposals"][1]
    assert second["proposals"][1]["text"] == "Second, reworded"


def test_a_list_changed_in_place_inside_a_flat_item_is_seen_without_an_operation() -> None:
    # A proposal's merged texts changed in place take no revision; the snapshot compares them.
    room = _Room()
    room.editor.start()
    room.editor.add_proposal("First", activity_id=room.activity(0, "propose"))
    snapshots = SessionSnapshots()
    snapshots.take(room.session)
    room.session.proposals[0].merged_texts.append("An older wording")
    assert snapshots.take(room.session)["proposals"][0]["merged_texts"] == ["An older wording"]


def test_the_autosavers_file_is_the_session_after_any_changes(tmp_path: Path) -> None:
    # The whole path: the open session's listener, the snapshot, the writer's reused text.
    room = _Room()
    path = create_session(tmp_path, room.session)
    loaded = open_session(path)
    saver = Autosaver(loaded)
    editor = SessionEditor(loaded.session, monotonic=lambda: room.seconds)
    editor.listen(lambda change: saver.mark_dirty(change.in_place))
    room.session, room.editor = loaded.session, editor
    try:
        for step, name in enumerate(["start", "add proposal", "add proposal", "jump", "open round", "cast dots", "cast dots", "move", "note", "withdraw"]):
            _apply(room, name, step * 7 + 3, "Words")
            assert saver.flush(wait=True)
            assert not saver.take_errors()
            on_disk = load_session(path).session
            assert on_disk == loaded.session.model_copy(update={"updated_at": on_disk.updated_at})
    finally:
        saver.close()
