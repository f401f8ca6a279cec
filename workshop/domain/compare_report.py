"""The compare report: two sessions (and a series when three or more are given).

Built once as a document (`workshop.domain.render.document`) and rendered like the
session report, to Markdown and HTML; `compare_json` gives the same figures as data.
"""

from __future__ import annotations

import json
from typing import Any

from workshop.domain.compare import (
    SPREAD_RULE,
    STANDS_OUT_DETAIL,
    STANDS_OUT_RULE,
    AskedQuestion,
    Comparison,
    QuestionChange,
    SessionFacts,
    TimingSide,
)
from workshop.domain.models.session import HORIZON_LABELS
from workshop.domain.render.document import (
    Block,
    Bullets,
    Cell,
    Charted,
    Distribution,
    Document,
    Facts,
    Heading,
    Paragraph,
    SeriesChart,
    SeriesLine,
    Strong,
    Table,
    day_words,
)
from workshop.domain.render.html import render_html
from workshop.domain.render.markdown import median_text, render_markdown
from workshop.domain.report import minutes_text, overrun
from workshop.domain.series import Series
from workshop.domain.tally import LOW_AGREEMENT_RULE, RatingSummary


def _named(facts: SessionFacts) -> str:
    return f"{facts.title} ({day_words(facts.date)})"


def _distribution(summary: RatingSummary) -> Distribution:
    return Distribution(tuple(summary.distribution.items()), summary.median, summary.low_agreement)


def _signed(value: float | None) -> str:
    if value is None:
        return "–"
    return "0" if value == 0 else f"{value:+g}"


def _agreement(summary: RatingSummary) -> str:
    if summary.count == 0:
        return "–"
    return "low" if summary.low_agreement else "agreed"


def _range(summary: RatingSummary) -> str:
    return "–" if summary.spread is None else str(summary.spread)


def _change_row(change: QuestionChange) -> tuple[Cell, ...]:
    then, now = change.before.summary, change.after.summary
    stress = change.stands_out
    median = f"{median_text(then.median)} → {median_text(now.median)}"
    return (
        Charted(change.prompt, (("Then", _distribution(then)), ("Now", _distribution(now)))),
        median,
        Strong(_signed(change.median_change)) if stress else _signed(change.median_change),
        f"{_range(then)} → {_range(now)}",
        f"{_agreement(then)} → {_agreement(now)}",
        Strong("stands out") if stress else "",
    )


def _ratings(comparison: Comparison) -> list[Block]:
    out: list[Block] = [
        Heading(2, "Ratings then and now"),
        Paragraph(f"{STANDS_OUT_RULE} {STANDS_OUT_DETAIL}"),
        Paragraph(f"{SPREAD_RULE} {LOW_AGREEMENT_RULE}"),
    ]
    if not comparison.same_pack:
        out.append(
            Paragraph(
                f"The sessions used different workshops ({comparison.before.pack_title}; {comparison.after.pack_title}): "
                f"they are compared on the {len(comparison.shared)} question{'' if len(comparison.shared) == 1 else 's'} "
                "they share."
            )
        )
    if comparison.shared:
        # The charts sit under each question, so the question keeps half the width and
        # reads as a line rather than a word a line.
        out.append(
            Table(
                ("Question, then and now", "Median", "Change", "Spread", "Agreement", "Flag"),
                tuple(_change_row(change) for change in comparison.stand_outs_first),
                numeric=frozenset({1, 2, 3}),
                labels=frozenset({4, 5}),
                widths=(48,),
            )
        )
    else:
        out.append(Paragraph("The sessions share no rating question."))
    for title, questions in (
        (f"Asked only in {_named(comparison.before)}", comparison.only_before),
        (f"Asked only in {_named(comparison.after)}", comparison.only_after),
    ):
        if questions:
            out += [Heading(3, title), Bullets(tuple(_asked(q) for q in questions))]
    return out


def _asked(question: AskedQuestion) -> str:
    scale = question.scale
    return f"{question.prompt} (scale {scale.min}-{scale.max}; median {median_text(question.summary.median)})"


def _priorities(comparison: Comparison) -> list[Block]:
    out: list[Block] = [Heading(2, "The earlier priorities")]
    if not comparison.is_follow_up:
        return out + [Paragraph("The later session was not started as a follow-up of the earlier one, so the earlier priorities were not reviewed in it.")]
    if not comparison.priorities:
        return out + [Paragraph("The earlier session placed no priorities on a horizon.")]
    rows = tuple(
        (
            p.text,
            HORIZON_LABELS.get(p.horizon, p.horizon),
            p.owner,
            day_words(p.review_date) if p.review_date else "",
            "✓" if p.protected else "",
            p.status_label,
        )
        for p in comparison.priorities
    )
    return out + [Table(("Priority", "Horizon", "Owner", "Review date", "Protected", "Status"), rows, labels=frozenset({1, 3, 4, 5}))]


def _timing_row(label: str, side: TimingSide) -> tuple[Cell, ...]:
    return (label, str(side.planned_minutes), minutes_text(side.actual_seconds), overrun(side.planned_minutes, side.actual_seconds))


def _timings(comparison: Comparison) -> list[Block]:
    return [
        Heading(2, "Planned against actual time"),
        Table(
            ("Session", "Planned (min)", "Actual (m:ss)", "Overrun"),
            (_timing_row(_named(comparison.before), comparison.timing_before), _timing_row(_named(comparison.after), comparison.timing_after)),
            numeric=frozenset({1, 2}),
            labels=frozenset({3}),
        ),
    ]


def _series(result: Series) -> list[Block]:
    points = tuple(point.date.isoformat() for point in result.points)
    lines = tuple(SeriesLine(q.prompt, q.scale.min, q.scale.max, q.medians) for q in result.questions if q.known)
    out: list[Block] = [
        Heading(2, "Medians over time"),
        Table(("Date", "Session"), tuple((day_words(p.date), p.title) for p in result.points), numeric=frozenset({0})),
    ]
    if lines:
        out.append(SeriesChart(points, lines))
    else:
        out.append(Paragraph("No rating question has answers in these sessions."))
    return out


def compare_document(comparison: Comparison, series: Series | None = None) -> Document:
    """The comparison (and the series, if given) as a document to render."""
    before, after = comparison.before, comparison.after
    facts = [("Earlier", _named(before)), ("Later", _named(after))]
    teams = {before.team, after.team} - {""}
    if teams:
        facts.append(("Team", " / ".join(t for t in (before.team, after.team) if t) if len(teams) > 1 else teams.pop()))
    more = [
        ("Workshop", before.pack_title if comparison.same_pack else f"{before.pack_title} / {after.pack_title}"),
        ("Follow-up", "yes, the later session follows up the earlier" if comparison.is_follow_up else "no"),
    ]
    if comparison.standing_out:
        more.append(("Standing out", f"{len(comparison.standing_out)} of {len(comparison.shared)} shared questions"))
    # Run on, two lines: the first printed page is for the questions.
    blocks: list[Block] = [Facts(tuple(facts), run_on=True), Facts(tuple(more), run_on=True)]
    blocks += _ratings(comparison)
    blocks += _priorities(comparison)
    blocks += _timings(comparison)
    if series is not None:
        blocks += _series(series)
    return Document(f"Compared: {before.title} and {after.title}", tuple(blocks))


def compare_markdown(comparison: Comparison, series: Series | None = None) -> str:
    """The compare report as Markdown."""
    return render_markdown(compare_document(comparison, series))


def compare_html(comparison: Comparison, series: Series | None = None) -> str:
    """The compare report as one self-contained HTML page."""
    return render_html(compare_document(comparison, series))


# -- as data --------------------------------------------------------------------------------


def _summary(summary: RatingSummary) -> dict[str, Any]:
    return {
        "answers": summary.count,
        "distribution": {str(k): v for k, v in summary.distribution.items()},
        "median": summary.median,
        "spread": summary.spread,
        "low_agreement": summary.low_agreement,
    }


def _question(question: AskedQuestion) -> dict[str, Any]:
    return {
        "id": question.question_id,
        "prompt": question.prompt,
        "activity": question.activity_title,
        "scale": [question.scale.min, question.scale.max],
        **_summary(question.summary),
    }


def _facts(facts: SessionFacts) -> dict[str, Any]:
    return {
        "id": facts.session_id,
        "title": facts.title,
        "team": facts.team,
        "date": facts.date.isoformat(),
        "pack_id": facts.pack_id,
        "pack_title": facts.pack_title,
    }


def _timing(side: TimingSide) -> dict[str, Any]:
    return {
        "planned_minutes": side.planned_minutes,
        "actual_seconds": round(side.actual_seconds, 1),
        "sections": [
            {"id": s.section_id, "title": s.title, "planned_minutes": s.planned_minutes, "actual_seconds": round(s.actual_seconds, 1)} for s in side.sections
        ],
    }


def compare_data(comparison: Comparison, series: Series | None = None) -> dict[str, Any]:
    """The comparison as plain data (JSON types only)."""
    data: dict[str, Any] = {
        "spread": "range (highest answer minus lowest)",
        "before": _facts(comparison.before),
        "after": _facts(comparison.after),
        "same_pack": comparison.same_pack,
        "is_follow_up": comparison.is_follow_up,
        "shared": [
            {
                "id": c.question_id,
                "prompt": c.prompt,
                "then": _summary(c.before.summary),
                "now": _summary(c.after.summary),
                "median_change": c.median_change,
                "spread_change": c.spread_change,
                "agreement_changed": c.agreement_changed,
                "stands_out": c.stands_out,
            }
            for c in comparison.shared
        ],
        "only_before": [_question(q) for q in comparison.only_before],
        "only_after": [_question(q) for q in comparison.only_after],
        "priorities": [
            {
                "id": p.proposal_id,
                "text": p.text,
                "horizon": p.horizon,
                "owner": p.owner,
                "protected": p.protected,
                "review_date": p.review_date.isoformat() if p.review_date else None,
                "status": p.status,
                "carried_to": p.carried_to,
            }
            for p in comparison.priorities
        ],
        "timing_before": _timing(comparison.timing_before),
        "timing_after": _timing(comparison.timing_after),
    }
    if series is not None:
        data["series"] = {
            "team": series.team,
            "sessions": [{"id": p.session_id, "title": p.title, "date": p.date.isoformat()} for p in series.points],
            "questions": [{"id": q.question_id, "prompt": q.prompt, "scale": [q.scale.min, q.scale.max], "medians": list(q.medians)} for q in series.questions],
        }
    return data


def compare_json(comparison: Comparison, series: Series | None = None) -> str:
    """The comparison as JSON text."""
    return json.dumps(compare_data(comparison, series), indent=2, ensure_ascii=False) + "\n"
