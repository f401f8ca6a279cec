"""The report's first page: what the team decided, then what needs attention, on one page.

A director forwards this page alone, so it says everything a chief executive needs in
words they use: the priorities by horizon (owner, review date, protected), who must
agree them and by when, the next review, each person's commitment, the ratings that
need attention with their scale's labels, how the day ran in one line, and the research
the day is built on. Every figure is also in the evidence after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from workshop.domain.models.pack import CloseActivity, DiscussActivity, Question, RateActivity, Scale
from workshop.domain.models.session import Session
from workshop.domain.render.document import (
    Block,
    Bullets,
    Cell,
    Facts,
    Heading,
    Paragraph,
    Prose,
    Table,
    day_words,
)
from workshop.domain.render.markdown import median_text
from workshop.domain.schedule_report import planned_vs_actual
from workshop.domain.tally import RatingSummary, current_round, summarise_rating_round
from workshop.domain.text import format_minutes, plural

# At most this many ratings on the first page: the lowest, then the most divided.
LOWEST_SHOWN = 3
DIVIDED_SHOWN = 2


@dataclass(frozen=True)
class RatedQuestion:
    """One answered question of a counting round, with its result."""

    question: Question
    summary: RatingSummary


def scale_words(scale: Scale) -> str:
    """A scale with its labels: "1 = Not confident, 5 = Fully confident"."""
    low = f"{scale.min} = {scale.low_label}" if scale.low_label else str(scale.min)
    high = f"{scale.max} = {scale.high_label}" if scale.high_label else str(scale.max)
    return f"{low}, {high}"


def spread_words(summary: RatingSummary) -> str:
    """The answers' range as "2 to 5" (a dash without answers)."""
    low = next((point for point, count in summary.distribution.items() if count), None)
    high = next((point for point, count in reversed(summary.distribution.items()) if count), None)
    if low is None or high is None:
        return "–"
    return str(low) if low == high else f"{low} to {high}"


def rated_questions(session: Session) -> list[RatedQuestion]:
    """Every answered question of the rounds that count, in agenda order."""
    found: list[RatedQuestion] = []
    for _, activity in session.agenda.activities():
        if not isinstance(activity, RateActivity):
            continue
        ballot_round = current_round(session.rating_rounds, activity.id or "")
        if ballot_round is None:
            continue
        summaries = summarise_rating_round(ballot_round, activity.questions)
        found += [RatedQuestion(q, summaries[q.id]) for q in activity.questions if summaries[q.id].count]
    return found


def needing_attention(session: Session) -> list[tuple[RatedQuestion, str]]:
    """The lowest-rated questions, then the most divided, each with why it is listed.

    "Lowest" compares medians as a share of their scale (so a 1-10 question and a 1-5 one
    compare fairly); "most divided" is the widest spread of answers, flagged low agreement
    first. A question in both lists is listed once, saying both.
    """
    rated = rated_questions(session)

    def share(item: RatedQuestion) -> float:
        scale = item.question.scale
        return ((item.summary.median or 0.0) - scale.min) / max(scale.max - scale.min, 1)

    def division(item: RatedQuestion) -> tuple[bool, float, float]:
        scale = item.question.scale
        width = max(scale.max - scale.min, 1)
        return (item.summary.low_agreement, (item.summary.spread or 0) / width, (item.summary.stdev or 0.0) / width)

    lowest = sorted(rated, key=lambda item: (share(item), -division(item)[1]))[:LOWEST_SHOWN]
    divided = [item for item in sorted(rated, key=division, reverse=True) if (item.summary.spread or 0) > 1][:DIVIDED_SHOWN]
    out: list[tuple[RatedQuestion, str]] = []
    for item in lowest:
        out.append((item, "lowest; most divided" if item in divided else "lowest"))
    out += [(item, "most divided") for item in divided if item not in lowest]
    return out


def first_page(session: Session) -> list[Block]:
    """The blocks of the first page (after the title), in order."""
    # Imported here: the report imports this module for its first page.
    from workshop.domain.report import priorities_roadmap

    blocks: list[Block] = [*_facts(session), Heading(2, "What we decided")]
    blocks += priorities_roadmap(session, with_tray=False)
    blocks += _agreement(session)
    blocks += _commitments(session)
    blocks += _attention(session)
    blocks += [Heading(2, "How the day ran"), Paragraph(day_line(session))]
    return blocks


def credit_text(session: Session) -> str:
    """The research the pack is built on, by title (and authors, publisher, year when known); "" when none."""
    source = session.agenda.source
    if source is None:
        return ""
    extra = ", ".join(part for part in (source.authors, source.publisher, str(source.year or "")) if part)
    return source.title + (f" ({extra})" if extra else "")


def _facts(session: Session) -> list[Block]:
    facts = [("Date", day_words(session.date))]
    if session.team:
        facts.append(("Team", session.team))
    if session.facilitator:
        facts.append(("Facilitator", session.facilitator))
    present = [p for p in session.participants if p.present]
    if session.participants:
        facts.append(("Present", f"{len(present)} of {plural(len(session.participants), 'participant')}"))
    about = [("Workshop", session.agenda.pack_title or session.agenda.pack_id)]
    credit = credit_text(session)
    if credit:
        about.append(("Built on the research", credit))
    return [Facts(tuple(facts), run_on=True), Facts(tuple(about))]


def _agreement(session: Session) -> list[Block]:
    closing = session.closing
    who = closing.approvers or "not recorded at the close"
    by = day_words(closing.agree_by) if closing.agree_by else "no date recorded"
    review = day_words(closing.next_review) if closing.next_review else "not set at the close"
    return [
        Heading(3, "Who must agree, and the next review"),
        Facts((("Who must agree these priorities", who), ("By", by)), run_on=True),
        Facts((("We review progress on", review),)),
    ]


def _commitments(session: Session) -> list[Block]:
    out: list[Block] = [Heading(3, "Our commitments")]
    if session.closing.check_out:
        items = tuple(f"{person.name if (person := session.participant(e.participant)) else e.participant}: {e.text}" for e in session.closing.check_out)
        return out + [Bullets(items, columns=2)]
    # Before the close recorded check-outs, a pack's close section took them as notes.
    notes = _close_section_notes(session)
    if notes:
        return out + [Prose(notes)]
    return out + [Paragraph("None recorded at the close.")]


def _close_section_notes(session: Session) -> str:
    for section in session.agenda.sections:
        if not any(isinstance(activity, CloseActivity) for activity in section.activities):
            continue
        ids = {a.id for a in section.activities if isinstance(a, DiscussActivity)}
        return "\n\n".join(n.text for n in session.notes if n.activity_id in ids and n.text.strip())
    return ""


def _attention(session: Session) -> list[Block]:
    listed = needing_attention(session)
    out: list[Block] = [Heading(2, "Ratings that need attention")]
    if not listed:
        return out + [Paragraph("No ratings were recorded.")]
    total = len(rated_questions(session))
    present = sum(1 for p in session.participants if p.present) or len(session.participants)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            item.question.prompt,
            scale_words(item.question.scale),
            f"{item.summary.count} of {present}" if present else str(item.summary.count),
            median_text(item.summary.median),
            spread_words(item.summary),
            why,
        )
        for item, why in listed
    )
    intro = f"The lowest and the most divided of the {plural(total, 'question')} rated (median: the middle answer; range: lowest to highest answer)."
    return out + [
        Paragraph(intro),
        Table(("Question", "Scale", "Answered", "Median", "Range", "Why listed"), rows, numeric=frozenset({2, 3}), labels=frozenset({4, 5})),
    ]


def day_line(session: Session) -> str:
    """How the day ran, in one line: planned against actual time, what was skipped."""
    sections = planned_vs_actual(session)
    planned = sum(section.planned_minutes for section in sections)
    actual_minutes = round(sum(section.actual_seconds for section in sections) / 60)
    states = [a.state for section in sections for a in section.activities]
    skipped = states.count("skipped")
    difference = actual_minutes - planned
    if abs(difference) <= 1:
        verdict = "on time"
    elif difference > 0:
        verdict = f"{format_minutes(difference)} over"
    else:
        verdict = f"{format_minutes(-difference)} under"
    start = f" from {session.start_time}" if session.start_time else ""
    line = f"Planned {format_minutes(planned)}{start}; took {format_minutes(actual_minutes)} ({verdict})"
    line += f"; {len(states)} {'activity' if len(states) == 1 else 'activities'}"
    line += f", {skipped} skipped." if skipped else ", none skipped."
    return line
