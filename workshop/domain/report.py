"""The session as Markdown: what the review screen shows and the report sent after the day.

Plain Python (no Textual). Every text a person typed is escaped so it cannot break a
table or start a heading, list, link, HTML or code: a title with `|`, `*`, backticks,
`<script>` or newlines stays text. The output is CommonMark plus GFM tables.
"""

from __future__ import annotations

import re
from typing import Iterable

from workshop.domain.horizons import column
from workshop.domain.models.pack import RateActivity, VoteActivity
from workshop.domain.models.session import (
    BALLOT_MODE_LABELS,
    HORIZON_LABELS,
    HORIZONS,
    TIME_HORIZONS,
    Proposal,
    RatingRound,
    Session,
    VoteRound,
)
from workshop.domain.schedule_report import planned_vs_actual
from workshop.domain.tally import (
    LOW_AGREEMENT_RULE,
    TIE_RULE,
    current_round,
    rank_proposals,
    summarise_rating_round,
)
from workshop.domain.text import plural

# Characters that can start markup anywhere in a line. `(`, `)`, `!`, `{`, `}` need no
# escape once `[`, `]` and `<` are escaped (no link, image or autolink can form).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
# Horizons in report order: the four time horizons, then what was never placed.
REPORT_HORIZONS: tuple[str, ...] = TIME_HORIZONS + HORIZONS[:1]


def inline(text: str, *, line_start: bool = True) -> str:
    """Escape `text` for use inside a Markdown line or table cell (one line).

    Runs of whitespace (newlines included) collapse to one space, so a cell stays one
    cell and a heading one heading. With `line_start=False` (text placed after other
    text on its line) a leading "1." "-" "=" or "+" is left alone: it cannot start a block.
    """
    text = _INLINE_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    if not line_start:
        return text
    # A line starting "1." or "-" would become a list item; "=" could underline a heading.
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    if text[:1] in ("-", "=", "+"):
        text = "\\" + text
    return text


def block(text: str) -> str:
    """Escape a multi-line text (notes) as paragraphs, keeping its line breaks.

    Blank lines separate paragraphs; other line breaks become hard breaks.
    """
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            paragraphs[-1].append(inline(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("  \n".join(lines) for lines in paragraphs if lines)


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; cells must already be escaped with `inline`."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return out


def _minutes(seconds: float) -> str:
    """Seconds as m:ss (minutes may exceed 59)."""
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}:{rest:02d}"


def _median(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


# -- shared with the CSV export -----------------------------------------------------------


def counting_vote_round(session: Session) -> VoteRound | None:
    """The latest vote round that counts (not superseded), in file order; None if none."""
    return next((r for r in reversed(session.vote_rounds) if not r.superseded), None)


def dots_by_proposal(session: Session) -> dict[str, int]:
    """Dots per proposal id from `counting_vote_round`; proposals not on it are absent."""
    ballot_round = counting_vote_round(session)
    return {ranked.proposal_id: ranked.dots for ranked in rank_proposals(ballot_round)} if ballot_round else {}


def ordered_priorities(session: Session, horizon: str) -> list[Proposal]:
    """Proposals on `horizon` in the board's order.

    The order the team set on a horizon is their decision, so the report keeps it rather
    than re-sorting by dots or the protected mark; unplaced ones read as the board's tray.
    """
    return column(session, horizon, dots_by_proposal(session))


def all_priorities(session: Session) -> Iterable[Proposal]:
    """Every proposal, horizon by horizon in `REPORT_HORIZONS` order."""
    for horizon in REPORT_HORIZONS:
        yield from ordered_priorities(session, horizon)


# -- the report -------------------------------------------------------------------------


def session_markdown(session: Session) -> str:
    """A readable account of the session: who, priorities, ratings, votes, notes, timings."""
    out = [f"# {inline(session.title)}", ""]
    out += _facts(session)
    out += _participants(session)
    out += _priorities(session)
    out += _ratings(session)
    out += _votes(session)
    out += _notes(session)
    out += _timings(session)
    out += pre_read_appendix(session)
    return "\n".join(out).rstrip() + "\n"


def _facts(session: Session) -> list[str]:
    facts = [f"**Date:** {session.date.isoformat()}"]
    if session.team:
        facts.append(f"**Team:** {inline(session.team, line_start=False)}")
    if session.facilitator:
        facts.append(f"**Facilitator:** {inline(session.facilitator, line_start=False)}")
    facts.append(f"**Workshop:** {inline(session.agenda.pack_title, line_start=False)} (version {inline(session.agenda.pack_version, line_start=False)})")
    facts.append(f"**Status:** {session.status.capitalize()}")
    return ["  \n".join(facts), ""]


def _participants(session: Session) -> list[str]:
    out = ["## Participants", ""]
    if session.participants:
        out += table(["Name", "Role", "Present"],
                     [[inline(p.name), inline(p.role), "yes" if p.present else "no"] for p in session.participants])
    else:
        out.append("No participants recorded.")
    return out + [""]


def _priorities(session: Session) -> list[str]:
    out = ["## Priorities by horizon", ""]
    if not session.proposals:
        return out + ["No priorities recorded.", ""]
    dots = dots_by_proposal(session)
    for horizon in REPORT_HORIZONS:
        placed = ordered_priorities(session, horizon)
        if not placed and horizon == "unplaced":
            continue
        out += [f"### {HORIZON_LABELS[horizon]}", ""]
        if not placed:
            out += ["None.", ""]
            continue
        out += table(
            ["Priority", "Owner", "Review date", "Dots", "Protected"],
            [[_with_wordings(p), inline(p.owner), p.review_date.isoformat() if p.review_date else "",
              str(dots.get(p.id, 0)), "✓" if p.protected else ""] for p in placed],
        )
        out.append("")
    return out


def _with_wordings(proposal: Proposal) -> str:
    """The priority's text, then the other wordings merged into it, so the record keeps them."""
    text = inline(proposal.text)
    if proposal.merged_texts:
        also = "; ".join(inline(wording, line_start=False) for wording in proposal.merged_texts)
        text += f" (also worded: {also})"
    return text


def _earlier(rounds: Iterable[RatingRound | VoteRound], activity_id: str) -> str:
    count = sum(1 for r in rounds if r.activity_id == activity_id and r.superseded)
    if not count:
        return ""
    return f" Re-run: {count} earlier round{'s' if count > 1 else ''} not counted."


def _round_facts(ballot_round: RatingRound | VoteRound, voters: int, what: str) -> str:
    text = f"{BALLOT_MODE_LABELS.get(ballot_round.mode, ballot_round.mode)}"
    if ballot_round.mode != "hands":
        text += f", {voters} {what}{'' if voters == 1 else 's'}"
    if not ballot_round.revealed:
        text += "; results not revealed in the room"
    return text + "."


def _ratings(session: Session) -> list[str]:
    body: list[str] = []
    for _, activity in session.agenda.activities():
        if not isinstance(activity, RateActivity):
            continue
        ballot_round = current_round(session.rating_rounds, activity.id or "")
        if ballot_round is None:
            continue
        summaries = summarise_rating_round(ballot_round, activity.questions)
        body += [f"### {inline(activity.title)}", "",
                 _round_facts(ballot_round, len(ballot_round.ballots), "ballot") + _earlier(session.rating_rounds, ballot_round.activity_id), ""]
        rows = []
        for question in activity.questions:
            s = summaries[question.id]
            rows.append([
                inline(question.prompt), str(s.count), _median(s.median), _mean(s.mean),
                "–" if s.spread is None else str(s.spread),
                " ".join(f"{point}:{hands}" for point, hands in s.distribution.items()),
                "low agreement" if s.low_agreement else "",
            ])
        body += table(["Question", "Answers", "Median", "Mean", "Spread", "Distribution", "Flag"], rows)
        body.append("")
    if not body:
        return []
    return ["## Ratings", "", inline(LOW_AGREEMENT_RULE), ""] + body


def _votes(session: Session) -> list[str]:
    body: list[str] = []
    texts = {p.id: p.text for p in session.proposals}
    for _, activity in session.agenda.activities():
        if not isinstance(activity, VoteActivity):
            continue
        ballot_round = current_round(session.vote_rounds, activity.id or "")
        if ballot_round is None:
            continue
        body += [f"### {inline(activity.title)}", "",
                 _round_facts(ballot_round, len(ballot_round.ballots), "ballot")
                 + f" {plural(ballot_round.dots_per_person, 'dot')} each, at most {ballot_round.max_per_item} on one proposal."
                 + _earlier(session.vote_rounds, ballot_round.activity_id), ""]
        rows = [[r.place_label, inline(texts.get(r.proposal_id, r.proposal_id)), str(r.dots),
                 "–" if r.voters is None else str(r.voters)] for r in rank_proposals(ballot_round)]
        body += table(["Place", "Proposal", "Dots", "Voters"], rows)
        body.append("")
    if not body:
        return []
    return ["## Votes", "", inline(TIE_RULE), ""] + body


def _notes(session: Session) -> list[str]:
    order = {activity.id: index for index, (_, activity) in enumerate(session.agenda.activities(included_only=False))}
    notes = sorted((n for n in session.notes if n.text.strip()), key=lambda n: order.get(n.activity_id, len(order)))
    if not notes:
        return []
    out = ["## Notes", ""]
    for note in notes:
        activity = session.agenda.activity(note.activity_id)
        out += [f"### {inline(activity.title if activity else note.activity_id)}", "", block(note.text), ""]
    return out


def _timings(session: Session) -> list[str]:
    sections = planned_vs_actual(session)
    if not sections:
        return []
    rows = [[inline(section.title), str(section.planned_minutes), _minutes(section.actual_seconds),
             _overrun(section.planned_minutes, section.actual_seconds)] for section in sections]
    planned_total = sum(section.planned_minutes for section in sections)
    actual_total = sum(section.actual_seconds for section in sections)
    rows.append(["**Total**", f"**{planned_total}**", f"**{_minutes(actual_total)}**", _overrun(planned_total, actual_total)])
    return ["## Timings", ""] + table(["Section", "Planned (min)", "Actual (m:ss)", "Overrun"], rows) + [""]


def _overrun(planned_minutes: int, actual_seconds: float) -> str:
    over = round(actual_seconds) - planned_minutes * 60
    return f"over by {_minutes(over)}" if over > 0 else ""


# -- the pack's pre-read ------------------------------------------------------------------
# Kept apart from the session's own content: it comes from the pack, not from the day.


def pre_read_appendix(session: Session) -> list[str]:
    """The pack's pre-read (evidence and examples not read out in the room), as an appendix.

    Pack texts are escaped like typed ones: a pack from a user's content folder is not
    trusted to write Markdown or HTML into the report.
    """
    if not session.agenda.pre_read:
        return []
    out = ["## Appendix: pre-read", ""]
    for pre_read in session.agenda.pre_read:
        behaviour = session.agenda.behaviour(pre_read.behaviour)
        heading = f"{pre_read.title} ({behaviour.name})" if behaviour and behaviour.name != pre_read.title else pre_read.title
        out += [f"### {inline(heading)}", "", block(pre_read.text), ""]
    return out
