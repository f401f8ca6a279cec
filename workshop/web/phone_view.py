"""What one phone sees: the `api/state` answer, built from the session and the join state.

Only the current activity is described (never an earlier one), counts rather than names
for who has voted, and in an anonymous round nothing of what anyone cast: the phone's own
ballot is shown only where the file itself records whose it is. See `API.md`.
"""

from __future__ import annotations

import re
from typing import Any

from workshop.domain import ballots
from workshop.domain.models.limits import LINE_TEXT_CHARACTERS, SHORT_TEXT_CHARACTERS
from workshop.domain.models.pack import (
    Activity,
    BreakActivity,
    CloseActivity,
    DiscussActivity,
    PlaceActivity,
    ProposeActivity,
    RateActivity,
    ReadActivity,
    VoteActivity,
)
from workshop.domain.models.session import BALLOT_MODE_LABELS, DotBallot, RatingBallot, RatingRound, VoteRound
from workshop.domain.operations import SessionEditor
from workshop.domain.tally import rank_proposals, summarise_rating_round
from workshop.web.joining import Device, JoinState

MODE_NOTES = {
    "anonymous": "Anonymous: nobody, the facilitator included, can see what you cast; only that you voted. You cannot change it once recorded.",
    "named": "Named: your name is kept with your answers in the session's record. You can change them until the reveal.",
    "passed": "Named: your name is kept with your answers in the session's record. You can change them until the reveal.",
    "hands": "Show of hands: the facilitator counts hands in the room; there is nothing to do on the phone.",
}

Json = dict[str, Any]


def run_signature(editor: SessionEditor) -> tuple[object, ...]:
    """What a page's countdown is drawn from, but the time itself: the activity, running or
    paused, completed, the limit. A page counts down by itself between states, so a start,
    a pause, an extension or a move is news to it; the clock's periodic recording is not."""
    clock = editor.clock
    if not clock.activities:
        return ()
    return (clock.current_id, clock.running, clock.completed, clock.current_box.limit_seconds)


def time_box(editor: SessionEditor) -> Json:
    """The current activity's countdown as it stands now (a page ticks it on by itself)."""
    clock = editor.clock
    box = clock.current_box
    stage = None if clock.completed else clock.current_stage()
    if stage is not None:
        # An activity in stages (1-2-4-All): the countdown is the stage's, as on the console.
        return {
            "running": clock.running,
            "limit_seconds": round(stage.length_seconds, 1),
            "remaining_seconds": round(stage.remaining_seconds, 1),
            "phase": stage.phase,
            "stage": {"label": stage.label, "prompt": stage.stage.prompt},
        }
    return {
        "running": clock.running,
        "limit_seconds": round(box.limit_seconds, 1),
        "remaining_seconds": round(box.remaining_seconds, 1),
        "phase": box.phase,
    }


def current_activity(editor: SessionEditor) -> Activity | None:
    """The activity the room is on, or None once the session is complete."""
    clock = editor.clock
    if clock.completed or not clock.activities:
        return None
    return clock.current


# A key in brackets, as a pack's prompt names the laptop's keys ("Merge them (m)"): a
# phone has no such key, so it is left out there.
CONSOLE_KEY = re.compile(r"[ \t]*\((?:[a-z]|Enter|Esc|Tab)\)")


def prompt_text(activity: Activity) -> str:
    """The words a phone shows under the activity's title (without the laptop's key hints)."""
    text = ""
    if isinstance(activity, RateActivity):
        text = activity.intro
    elif isinstance(activity, DiscussActivity):
        text = activity.question
    elif isinstance(activity, (ProposeActivity, VoteActivity, PlaceActivity)):
        text = activity.prompt
    elif isinstance(activity, (ReadActivity, BreakActivity, CloseActivity)):
        text = activity.text
    return CONSOLE_KEY.sub("", text)


def is_merge_step(activity: Activity) -> bool:
    """A propose step that lists every proposal so far, to merge duplicates on the laptop."""
    return isinstance(activity, ProposeActivity) and activity.every_proposal


def phone_state(editor: SessionEditor, join: JoinState, device: Device | None) -> Json:
    """The whole `api/state` answer for `device` (None: a phone that has not joined)."""
    session = editor.session
    me = session.participant(device.participant_id) if device is not None else None
    join.pending()  # requests that waited too long expire before this phone reads its own
    late = join.late_requests.get(device.token) if device is not None else None
    taken = join.taken()
    activity = current_activity(editor)
    return {
        "version": join.version,
        "session": {"title": session.title},
        # What the server takes, so the page says a text's length as it nears the limit.
        "limits": {"proposal": LINE_TEXT_CHARACTERS, "name": SHORT_TEXT_CHARACTERS},
        "me": {"participant_id": me.id, "name": me.name} if me is not None else None,
        "late_request": {"name": late.name, "status": late.status} if late is not None and me is None else None,
        # The name this phone took part under and gave back: the only one it can take again.
        "kept_as": (
            {"participant_id": device.kept_as[0], "name": device.kept_as[1]} if device is not None and device.kept_as is not None and me is None else None
        ),
        "participants": [{"id": p.id, "name": p.name, "taken": p.id in taken, "present": p.present} for p in session.participants],
        "activity": _activity(editor, activity, me.id if me is not None else None) if activity is not None else None,
    }


def _activity(editor: SessionEditor, activity: Activity, me: str | None) -> Json:
    session = editor.session
    behaviour = session.agenda.behaviour(activity.behaviour)
    ballot = _ballot(editor, activity, me) if isinstance(activity, (RateActivity, VoteActivity)) else None
    can: list[str] = []
    if ballot is not None and ballot["open"] and me is not None:
        mine = ballot["mine"]
        changeable = mine is None or (mine["status"] == "abstained") or ballot["can_change_after_voting"]
        if changeable:
            can.append("rate" if isinstance(activity, RateActivity) else "dots")
        if mine is None:
            can.append("abstain")
    proposals: list[Json] = []
    mine_ids: list[str] = []
    merging = is_merge_step(activity)
    if isinstance(activity, ProposeActivity):
        # A merge step shows the proposals being merged on the laptop, read-only.
        if me is not None and not merging:
            can.append("propose")
        made_here = list(session.proposals) if merging else [p for p in session.proposals if p.activity_id == activity.id]
        proposals = [{"id": p.id, "text": p.text, "merged_texts": list(p.merged_texts)} for p in made_here]
        mine_ids = [p.id for p in made_here if me is not None and p.proposed_by == me]
    return {
        "id": activity.id,
        "kind": activity.kind,
        "title": activity.title,
        "prompt": prompt_text(activity),
        "behaviour": {"id": behaviour.id, "name": behaviour.name} if behaviour is not None else None,
        "can": can,
        "ballot": ballot,
        "proposals": proposals,
        "my_proposals": mine_ids,
        "merging": merging,
        "clock": time_box(editor),
    }


def _ballot(editor: SessionEditor, activity: RateActivity | VoteActivity, me: str | None) -> Json:
    session = editor.session
    activity_id = activity.id or ""
    current = editor.current_round(activity_id)
    mode = editor.ballot_mode(activity_id)
    revealed = current is not None and current.revealed
    present = [p for p in session.participants if p.present]
    problem = None
    proposals: list[Json] = []
    budget, cap = session.voting.dots_per_person, session.voting.max_per_item
    behaviours: list[Json] = []
    if isinstance(activity, VoteActivity):
        texts = {p.id: p.text for p in session.proposals}
        proposals = [{"id": pid, "text": texts.get(pid, pid)} for pid in editor.ballot_proposals(activity_id)]
        if isinstance(current, VoteRound):
            budget, cap = current.dots_per_person, current.max_per_item
        for behaviour_id in activity.behaviours:
            known = session.agenda.behaviour(behaviour_id)
            if known is not None:
                behaviours.append({"id": known.id, "name": known.name})
        if not proposals:
            problem = ballots.NO_PROPOSALS
    questions = [
        {"id": q.id, "prompt": q.prompt, "min": q.scale.min, "max": q.scale.max, "low_label": q.scale.low_label, "high_label": q.scale.high_label}
        for q in (activity.questions if isinstance(activity, RateActivity) else [])
    ]
    closed = current is not None and (current.closed_at is not None or current.superseded)
    return {
        "mode": mode,
        "mode_label": BALLOT_MODE_LABELS[mode],
        "anonymous": mode == "anonymous",
        "mode_note": MODE_NOTES[mode],
        "open": mode != "hands" and not revealed and not closed and problem is None,
        "problem": problem,
        "revealed": revealed,
        "can_change_after_voting": mode != "anonymous",
        "voted_count": len(current.voted) if current is not None else 0,
        "eligible_count": len(present),
        "dots_per_person": budget,
        "max_per_item": cap,
        "behaviours": behaviours,
        "proposals": proposals,
        "questions": questions,
        "mine": _mine(current, me),
        "results": _results(editor, activity, current) if revealed and current is not None else None,
    }


def _mine(current: RatingRound | VoteRound | None, me: str | None) -> Json | None:
    if current is None or me is None:
        return None
    if me in current.abstained:
        return {"status": "abstained", "answers": None, "dots": None}
    if me not in current.voted:
        return None
    # An anonymous ballot has no voter: only the roll says that I voted.
    cast: list[RatingBallot] | list[DotBallot] = [] if current.mode == "anonymous" else current.ballots
    own = next((ballot for ballot in cast if ballot.voter == me), None)
    answers = dict(own.answers) if isinstance(own, RatingBallot) else None
    dots = dict(own.dots) if isinstance(own, DotBallot) else None
    return {"status": "voted", "answers": answers, "dots": dots}


def _results(editor: SessionEditor, activity: RateActivity | VoteActivity, current: RatingRound | VoteRound) -> Json:
    if isinstance(current, VoteRound):
        texts = {p.id: p.text for p in editor.session.proposals}
        return {
            "ranking": [
                {"id": r.proposal_id, "text": texts.get(r.proposal_id, r.proposal_id), "dots": r.dots, "rank": r.place} for r in rank_proposals(current)
            ]
        }
    questions = activity.questions if isinstance(activity, RateActivity) else []
    summaries = summarise_rating_round(current, questions)
    listed = []
    for question in questions:
        summary = summaries.get(question.id)
        if summary is None:
            continue
        listed.append(
            {
                "id": question.id,
                "prompt": question.prompt,
                "min": question.scale.min,
                "max": question.scale.max,
                "count": summary.count,
                "distribution": {str(point): count for point, count in summary.distribution.items()},
                "median": summary.median,
                "mean": None if summary.mean is None else round(summary.mean, 2),
                "low_agreement": summary.low_agreement,
            }
        )
    return {"questions": listed}
