"""What the room's screen shows: the `api/state` answer of the projector's page, built here only.

The room is an audience, not a voter: it sees the current activity's public content
(title, prompt or reading, the countdown, the schedule, the join code while phones may
join), how many have voted, and, once the facilitator reveals, the results as the
report counts and draws them (`domain.tally`, `domain.report`, `domain.render.svg`).
It never sees a ballot. Names of those still to vote appear only in a named round;
in an anonymous round (the round's own mode, else the session's) the state holds no
voter's name at all, and before the reveal no figure that depends on what was cast.
See `API.md`, "The room's screen".
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from workshop.domain import ballots
from workshop.domain.models.pack import (
    Activity,
    BreakActivity,
    CloseActivity,
    DiscussActivity,
    PlaceActivity,
    ProposeActivity,
    RateActivity,
    VoteActivity,
)
from workshop.domain.models.session import BALLOT_MODE_LABELS, HORIZON_LABELS, RatingRound, Session, VoteRound
from workshop.domain.operations import SessionEditor
from workshop.domain.render.document import day_words
from workshop.domain.render.markdown import median_text
from workshop.domain.render.svg import distribution_svg
from workshop.domain.report import REPORT_HORIZONS, card, distribution, dots_by_proposal, ordered_priorities
from workshop.domain.tally import LOW_AGREEMENT_RULE, TIE_RULE, rank_proposals, summarise_rating_round
from workshop.web.joining import JoinState
from workshop.web.phone_view import current_activity, prompt_text, time_box
from workshop.web.room_state import RoomState

Json = dict[str, Any]

KIND_LABELS = {
    "read": "Read",
    "rate": "Rate",
    "discuss": "Discuss",
    "propose": "Propose",
    "vote": "Vote",
    "place": "Place",
    "break": "Break",
    "close": "Close",
    "review": "Review",
}


def room_state(editor: SessionEditor, join: JoinState, room: RoomState, join_url: str, now: datetime | None = None) -> Json:
    """The whole state of the room's screen. `join_url` is what the QR code holds."""
    session = editor.session
    clock = editor.clock
    activity = current_activity(editor)
    ended = activity is None and bool(clock.activities)
    return {
        "version": room.version,
        "hold": room.hold,
        "session": {"title": session.title},
        "schedule": None if activity is None else clock.schedule_state(),
        "joining": _joining(join, join_url) if room.show_join and not ended else None,
        "ended": ended,
        "activity": _activity(editor, activity, now) if activity is not None else None,
    }


def _joining(join: JoinState, url: str) -> Json:
    # Where to type the code instead of scanning: the server's root page (see API.md).
    parts = urlsplit(url)
    return {"url": url, "code_url": f"{parts.scheme}://{parts.netloc}/", "code": join.short_code, "qr": qr_data_uri(url)}


_QR_CACHE: dict[str, str] = {}


def qr_data_uri(url: str) -> str:
    """The join URL's QR code as an SVG `data:` URI (CSP allows `img-src data:`; nothing is fetched)."""
    found = _QR_CACHE.get(url)
    if found is None:
        import segno  # imported when a room screen first asks, as the console's join panel does

        # Error level "m": a projected code is read from afar and at an angle, so some slack helps.
        found = segno.make(url, error="m", micro=False).svg_data_uri(scale=1, border=2, dark="#000", light="#fff")
        _QR_CACHE.clear()  # one join URL at a time; a new secret makes the old code useless
        _QR_CACHE[url] = found
    return found


def _activity(editor: SessionEditor, activity: Activity, now: datetime | None) -> Json:
    session = editor.session
    behaviour = session.agenda.behaviour(activity.behaviour)
    remaining = editor.clock.current_box.remaining_seconds
    out: Json = {
        "id": activity.id,
        "kind": activity.kind,
        "kind_label": KIND_LABELS.get(activity.kind, activity.kind.capitalize()),
        "title": activity.title,
        "text": prompt_text(activity),
        "blocks": reading_blocks(prompt_text(activity)),
        "prompts": list(activity.prompts) if isinstance(activity, DiscussActivity) else [],
        "behaviour": behaviour.name if behaviour is not None else None,
        "clock": time_box(editor),
        "returns_at": _returns_at(remaining, now) if isinstance(activity, BreakActivity) else None,
        "round": _round(editor, activity) if isinstance(activity, (RateActivity, VoteActivity)) else None,
        "proposals": _proposals(editor, activity) if isinstance(activity, ProposeActivity) else None,
        "board": _board(editor) if isinstance(activity, (PlaceActivity, CloseActivity)) else None,
        "decisions": _decisions(session) if isinstance(activity, CloseActivity) else None,
    }
    return out


def _decisions(session: Session) -> list[str]:
    """What the close has recorded so far, as lines for the room (nothing secret in it)."""
    closing = session.closing
    lines = []
    if closing.approvers:
        by = f" by {day_words(closing.agree_by)}" if closing.agree_by else ""
        lines.append(f"To be agreed by {closing.approvers}{by}")
    elif closing.agree_by:
        lines.append(f"To be agreed by {day_words(closing.agree_by)}")
    if closing.next_review:
        lines.append(f"Next review: {day_words(closing.next_review)}")
    return lines


_EMPHASIS = re.compile(r"(\*\*|__|`)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def reading_blocks(text: str) -> list[Json]:
    """A read's or break's Markdown source as plain blocks for the big screen.

    The room sees text, not markup: headings, paragraphs and list items, with emphasis
    marks dropped ("**This**" reads "This"). `kind` is "h", "p" or "li"."""
    blocks: list[Json] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            blocks.append({"kind": "p", "text": " ".join(lines)})
            lines.clear()

    for raw in text.splitlines():
        line = _EMPHASIS.sub("", raw).strip()
        if not line:
            flush()
        elif line.startswith("#"):
            flush()
            blocks.append({"kind": "h", "text": line.lstrip("#").strip()})
        elif _LIST_ITEM.match(raw):
            flush()
            blocks.append({"kind": "li", "text": _LIST_ITEM.sub("", line)})
        else:
            lines.append(line)
    flush()
    return blocks


def _returns_at(remaining: float, now: datetime | None) -> str:
    # The room reads the return time off the wall clock, as the console prints times: local time.
    moment = (now or datetime.now().astimezone()) + timedelta(seconds=max(0.0, remaining))
    return moment.strftime("%H:%M")


def _round(editor: SessionEditor, activity: RateActivity | VoteActivity) -> Json:
    session = editor.session
    activity_id = activity.id or ""
    current = editor.current_round(activity_id)
    mode = editor.ballot_mode(activity_id)
    revealed = current is not None and current.revealed
    eligible = ballots.eligible_voters(session, current) if current is not None else [p for p in session.participants if p.present]
    waiting: list[str] | None = None
    if mode == "named" and not revealed:
        # Only an open (named) round says who is still to vote; never what anyone chose.
        waiting = [p.name for p in editor.who_has_not_voted(activity_id)]
    out: Json = {
        "mode": mode,
        "mode_label": BALLOT_MODE_LABELS[mode],
        "anonymous": mode == "anonymous",
        "hands": mode == "hands",
        "revealed": revealed,
        "voted_count": len(current.voted) if current is not None else 0,
        "abstained_count": len(current.abstained) if current is not None else 0,
        "eligible_count": len(eligible),
        "waiting_for": waiting,
        "questions": [],
        "ballot": [],
        "results": None,
    }
    if isinstance(activity, RateActivity):
        out["questions"] = [
            {"id": q.id, "prompt": q.prompt, "min": q.scale.min, "max": q.scale.max, "low_label": q.scale.low_label, "high_label": q.scale.high_label}
            for q in activity.questions
        ]
        if revealed and isinstance(current, RatingRound):
            out["results"] = _rating_results(activity, current)
    else:
        texts = {p.id: p.text for p in session.proposals}
        out["ballot"] = [{"id": pid, "text": texts.get(pid, pid)} for pid in editor.ballot_proposals(activity_id)]
        if isinstance(current, VoteRound):
            out["dots_per_person"], out["max_per_item"] = current.dots_per_person, current.max_per_item
        else:
            out["dots_per_person"], out["max_per_item"] = session.voting.dots_per_person, session.voting.max_per_item
        if revealed and isinstance(current, VoteRound):
            out["results"] = _vote_results(editor, current)
    return out


def _rating_results(activity: RateActivity, current: RatingRound) -> Json:
    summaries = summarise_rating_round(current, activity.questions)
    listed = []
    for question in activity.questions:
        summary = summaries[question.id]
        chart = distribution(summary)
        svg = distribution_svg(chart)
        listed.append(
            {
                "id": question.id,
                "prompt": question.prompt,
                "min": question.scale.min,
                "max": question.scale.max,
                "count": summary.count,
                "distribution": [[point, count] for point, count in summary.distribution.items()],
                "median": summary.median,
                "median_text": median_text(summary.median),
                "spread": summary.spread,
                "low_agreement": summary.low_agreement,
                # Drawn as the HTML report draws it; an <img> needs no markup parsed into the page.
                "chart": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
                "chart_label": _chart_label(summary.count, summary.median, summary.spread, chart.lowest, chart.highest, summary.low_agreement),
            }
        )
    return {"kind": "rating", "rule": LOW_AGREEMENT_RULE, "questions": listed}


def _chart_label(count: int, median: float | None, spread: int | None, lowest: int | None, highest: int | None, low: bool) -> str:
    if not count:
        return "No answers."
    words = f"{count} answer{'' if count == 1 else 's'}; median {median_text(median)}"
    if spread is not None:
        words += f"; spread {spread} (from {lowest} to {highest})"
    return words + ("; low agreement." if low else ".")


def _vote_results(editor: SessionEditor, current: VoteRound) -> Json:
    texts = {p.id: p.text for p in editor.session.proposals}
    ranking = [
        {
            "id": r.proposal_id,
            "text": texts.get(r.proposal_id, r.proposal_id),
            "dots": r.dots,
            "voters": r.voters,
            "place": r.place,
            "place_label": r.place_label,
            "shared": r.shared,
        }
        for r in rank_proposals(current)
    ]
    return {"kind": "vote", "rule": TIE_RULE, "ranking": ranking}


def _proposals(editor: SessionEditor, activity: ProposeActivity) -> list[Json]:
    # No authors: the room discusses ideas, not who had them. Merged wordings stay visible.
    made_here = [p for p in editor.session.proposals if p.activity_id == activity.id or activity.every_proposal]
    return [{"id": p.id, "text": p.text, "also": list(p.merged_texts)} for p in made_here]


def _board(editor: SessionEditor) -> list[Json]:
    """Priorities by horizon, as the report's roadmap: the time horizons, then the tray if not empty."""
    session = editor.session
    dots = dots_by_proposal(session)
    columns = []
    for horizon in REPORT_HORIZONS:
        placed = ordered_priorities(session, horizon)
        if horizon == "unplaced" and not placed:
            continue
        cards = []
        for proposal in placed:
            shown = card(proposal, dots.get(proposal.id, 0))
            cards.append(
                {
                    "id": proposal.id,
                    "text": shown.text.text,
                    "also": list(shown.text.also),
                    "owner": shown.owner,
                    "review_date": shown.review_date.isoformat() if shown.review_date else None,
                    "dots": shown.dots,
                    "protected": shown.protected,
                }
            )
        columns.append({"horizon": horizon, "label": HORIZON_LABELS[horizon], "cards": cards})
    return columns
