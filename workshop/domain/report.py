"""The session's report: what the review screen shows and what is sent after the day.

Plain Python (no Textual). The content is built once, as a document
(`workshop.domain.render.document`), by `session_document`; `session_markdown` and
`session_html` render it. Every text a person typed is escaped by the renderer for its
format, so a title with `|`, `*`, backticks, `<script>` or newlines stays text.
"""

from __future__ import annotations

from typing import Iterable

from workshop.domain.consent import consent_blocks
from workshop.domain.follow_up import review_blocks
from workshop.domain.horizons import column
from workshop.domain.models.pack import DiscussActivity, RateActivity, VoteActivity
from workshop.domain.models.session import (
    HORIZON_LABELS,
    HORIZONS,
    TIME_HORIZONS,
    Proposal,
    RatingRound,
    Session,
    VoteRound,
)
from workshop.domain.parking_report import parking_lot_blocks
from workshop.domain.render.document import (
    Block,
    Card,
    Cell,
    Detail,
    Distribution,
    Document,
    Facts,
    Heading,
    Lane,
    PageBreak,
    Paragraph,
    Prose,
    Roadmap,
    Strong,
    Table,
    Wordings,
)
from workshop.domain.render.html import render_html
from workshop.domain.render.markdown import block, inline, median_text, render_markdown, table
from workshop.domain.report_first_page import credit_text, first_page, scale_words
from workshop.domain.schedule_report import planned_vs_actual
from workshop.domain.tally import (
    LOW_AGREEMENT_RULE,
    TIE_RULE,
    RatingSummary,
    current_round,
    rank_proposals,
    summarise_rating_round,
)
from workshop.domain.text import plural

__all__ = [
    "REPORT_HORIZONS",
    "all_priorities",
    "block",
    "counting_vote_round",
    "dots_by_proposal",
    "inline",
    "ordered_priorities",
    "priorities_roadmap",
    "session_document",
    "session_html",
    "session_markdown",
    "table",
]

# The report's words for how a round was cast: the app's own names ("pass the keyboard")
# mean nothing to a reader who was not in the room.
MODE_WORDS: dict[str, str] = {
    "passed": "Secret ballot, each person in turn at the laptop",
    "named": "Open ballot, names shown",
    "anonymous": "Anonymous ballot",
    "hands": "Show of hands, counted by the facilitator",
}
STATUS_WORDS: dict[str, str] = {"planned": "Planned, not yet run", "running": "Still running", "paused": "Paused, not finished", "completed": "Completed"}
PROTECTED_WORDS = "Protected: the team holds to this priority even when money or time runs short."

# Horizons in report order: the four time horizons, then what was never placed.
REPORT_HORIZONS: tuple[str, ...] = TIME_HORIZONS + HORIZONS[:1]


def minutes_text(seconds: float) -> str:
    """Seconds as m:ss (minutes may exceed 59)."""
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}:{rest:02d}"


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
    """A readable account of the session as Markdown (see `session_document`)."""
    return render_markdown(session_document(session))


def session_html(session: Session) -> str:
    """The same account as one self-contained HTML page, laid out to print on A4."""
    return render_html(session_document(session))


def session_document(session: Session) -> Document:
    """The first page (what was decided, what needs attention), then the evidence: who came,
    the earlier priorities, every rating, the votes, the proposals not placed, the
    discussions' notes, timings, and the pre-read with the research credited."""
    blocks: list[Block] = first_page(session)
    blocks += [PageBreak(), Heading(2, "The evidence"), _evidence_facts(session)]
    for part in (_participants, review_blocks, _ratings, _votes, consent_blocks, _unplaced, _notes, parking_lot_blocks, _timings, pre_read_appendix):
        blocks += part(session)
    return Document(session.title, tuple(blocks))


def _evidence_facts(session: Session) -> Facts:
    return Facts(
        (("Workshop", f"{session.agenda.pack_title} (version {session.agenda.pack_version})"), ("Status", STATUS_WORDS.get(session.status, session.status)))
    )


def _participants(session: Session) -> list[Block]:
    out: list[Block] = [Heading(2, "Participants")]
    if session.participants:
        out.append(
            Table(("Name", "Role", "Present"), tuple((p.name, p.role, "yes" if p.present else "no") for p in session.participants), labels=frozenset({2}))
        )
    else:
        out.append(Paragraph("No participants recorded."))
    return out


def card(proposal: Proposal, dots: int) -> Card:
    """A proposal as the roadmap shows it."""
    return Card(Wordings(proposal.text, tuple(proposal.merged_texts)), proposal.owner, proposal.review_date, dots, proposal.protected)


def priorities_roadmap(session: Session, *, with_tray: bool = True) -> list[Block]:
    """The priorities by horizon under their heading; `with_tray` adds the unplaced ones as a lane."""
    out: list[Block] = [Heading(3, "Priorities by horizon")]
    if not session.proposals:
        return out + [Paragraph("No priorities recorded.")]
    dots = dots_by_proposal(session)
    lanes = tuple(
        Lane(HORIZON_LABELS[horizon], tuple(card(p, dots.get(p.id, 0)) for p in ordered_priorities(session, horizon)), optional=horizon == "unplaced")
        for horizon in REPORT_HORIZONS
        if with_tray or horizon != "unplaced"
    )
    out.append(Roadmap(lanes))
    if any(p.protected and p.horizon != "unplaced" for p in session.proposals):
        out.append(Paragraph(PROTECTED_WORDS))
    return out


def _unplaced(session: Session) -> list[Block]:
    """The proposals left off the board, as one compact list with their dots."""
    dots = dots_by_proposal(session)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (Wordings(p.text, tuple(p.merged_texts)), str(dots.get(p.id, 0)))
        for p in sorted(ordered_priorities(session, "unplaced"), key=lambda p: -dots.get(p.id, 0))
    )
    if not rows:
        return []
    return [
        Heading(2, "Proposals not placed"),
        Paragraph(f"{plural(len(rows), 'proposal')} the team did not place on a horizon this time, most dots first."),
        Table(("Proposal", "Dots"), rows, numeric=frozenset({1})),
    ]


def _earlier(rounds: Iterable[RatingRound | VoteRound], activity_id: str) -> str:
    count = sum(1 for r in rounds if r.activity_id == activity_id and r.superseded)
    if not count:
        return ""
    return f" Re-run: {count} earlier round{'s' if count > 1 else ''} not counted."


def _round_facts(ballot_round: RatingRound | VoteRound, voters: int, what: str) -> str:
    text = f"{MODE_WORDS.get(ballot_round.mode, ballot_round.mode)}"
    if ballot_round.mode != "hands":
        text += f"; {voters} {'person' if voters == 1 else 'people'} {what}"
    if not ballot_round.revealed:
        text += "; results not revealed in the room"
    return text + "."


def distribution(summary: RatingSummary) -> Distribution:
    """A rating summary as the chart data of a report."""
    return Distribution(tuple(summary.distribution.items()), summary.median, summary.low_agreement)


def _ratings(session: Session) -> list[Block]:
    body: list[Block] = []
    for _, activity in session.agenda.activities():
        if not isinstance(activity, RateActivity):
            continue
        ballot_round = current_round(session.rating_rounds, activity.id or "")
        if ballot_round is None:
            continue
        summaries = summarise_rating_round(ballot_round, activity.questions)
        body += [
            Heading(3, activity.title),
            Paragraph(_round_facts(ballot_round, len(ballot_round.ballots), "answered") + _earlier(session.rating_rounds, ballot_round.activity_id)),
        ]
        rows: list[tuple[Cell, ...]] = []
        for question in activity.questions:
            s = summaries[question.id]
            rows.append(
                (
                    Detail(question.prompt, scale_words(question.scale)),
                    str(s.count),
                    median_text(s.median),
                    _mean(s.mean),
                    "–" if s.spread is None else str(s.spread),
                    distribution(s),
                    "low agreement" if s.low_agreement else "",
                )
            )
        body.append(
            Table(
                ("Question and its scale", "Answers", "Median", "Mean", "Spread", "Distribution", "Flag"),
                tuple(rows),
                numeric=frozenset({1, 2, 3, 4}),
                labels=frozenset({6}),
            )
        )
    if not body:
        return []
    return [Heading(2, "Ratings"), Paragraph(LOW_AGREEMENT_RULE), *body]


def _votes(session: Session) -> list[Block]:
    body: list[Block] = []
    texts = {p.id: p.text for p in session.proposals}
    for _, activity in session.agenda.activities():
        if not isinstance(activity, VoteActivity):
            continue
        ballot_round = current_round(session.vote_rounds, activity.id or "")
        if ballot_round is None:
            continue
        body += [
            Heading(3, activity.title),
            Paragraph(
                _round_facts(ballot_round, len(ballot_round.ballots), "voted")
                + f" Each person had {plural(ballot_round.dots_per_person, 'dot')} to spend on the proposals "
                f"that mattered most, at most {ballot_round.max_per_item} on any one; a proposal's place "
                "is its total of dots." + _earlier(session.vote_rounds, ballot_round.activity_id)
            ),
        ]
        rows = tuple(
            (r.place_label, texts.get(r.proposal_id, r.proposal_id), str(r.dots), "–" if r.voters is None else str(r.voters))
            for r in rank_proposals(ballot_round)
        )
        body.append(Table(("Place", "Proposal", "Dots", "Voters"), rows, numeric=frozenset({0, 2, 3})))
    if not body:
        return []
    return [Heading(2, "Votes"), Paragraph(TIE_RULE), *body]


def _notes(session: Session) -> list[Block]:
    order = {activity.id: index for index, (_, activity) in enumerate(session.agenda.activities(included_only=False))}
    notes = sorted((n for n in session.notes if n.text.strip()), key=lambda n: order.get(n.activity_id, len(order)))
    if not notes:
        return []
    out: list[Block] = [Heading(2, "Discussions: the notes taken")]
    for note in notes:
        activity = session.agenda.activity(note.activity_id)
        out.append(Heading(3, activity.title if activity else note.activity_id))
        if isinstance(activity, DiscussActivity):
            out.append(Paragraph(f"The question: {activity.question}"))
        out.append(Prose(note.text))
    return out


def _timings(session: Session) -> list[Block]:
    sections = planned_vs_actual(session)
    if not sections:
        return []
    rows: list[tuple[Cell, ...]] = [
        (section.title, str(section.planned_minutes), minutes_text(section.actual_seconds), overrun(section.planned_minutes, section.actual_seconds))
        for section in sections
    ]
    planned_total = sum(section.planned_minutes for section in sections)
    actual_total = sum(section.actual_seconds for section in sections)
    rows.append((Strong("Total"), Strong(str(planned_total)), Strong(minutes_text(actual_total)), overrun(planned_total, actual_total)))
    return [
        Heading(2, "Timings"),
        Table(("Section", "Planned (min)", "Actual (m:ss)", "Overrun"), tuple(rows), numeric=frozenset({1, 2}), labels=frozenset({3})),
    ]


def overrun(planned_minutes: int, actual_seconds: float) -> str:
    """ "over by m:ss" when the actual time passed the plan, else empty."""
    over = round(actual_seconds) - planned_minutes * 60
    return f"over by {minutes_text(over)}" if over > 0 else ""


# -- the pack's pre-read ------------------------------------------------------------------
# Kept apart from the session's own content: it comes from the pack, not from the day.


def pre_read_appendix(session: Session) -> list[Block]:
    """The pack's pre-read (evidence and examples not read out in the room), as an appendix.

    Pack texts are escaped like typed ones: a pack from a user's content folder is not
    trusted to write Markdown or HTML into the report.
    """
    credit = credit_text(session)
    if not session.agenda.pre_read and not credit:
        return []
    out: list[Block] = [Heading(2, "Appendix: pre-read" if session.agenda.pre_read else "Appendix: the research")]
    if credit:
        retold = " The examples below are retold in our own words." if session.agenda.pre_read else ""
        out.append(Paragraph(f"The day is built on the research {credit}.{retold}"))
        if session.agenda.source and session.agenda.source.note:
            out.append(Paragraph(session.agenda.source.note))
    for pre_read in session.agenda.pre_read:
        behaviour = session.agenda.behaviour(pre_read.behaviour)
        heading = f"{pre_read.title} ({behaviour.name})" if behaviour and behaviour.name != pre_read.title else pre_read.title
        out += [Heading(3, heading), Prose(pre_read.text)]
    return out
