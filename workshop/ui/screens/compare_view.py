"""The compare screen's and the series chart's contents, as Rich text.

Built from part A's domain results (`workshop.domain.compare.Comparison`,
`workshop.domain.series.Series`); nothing here reads files or changes a session. Every
text a person typed goes in as plain `Text`, never as markup. Charts use block
characters, so they read in any terminal and at a projector's large font.
"""

from __future__ import annotations

import math

from rich.text import Text

from workshop.domain.compare import SPREAD_RULE, STANDS_OUT_RULE, AskedQuestion, Comparison, QuestionChange, TimingSide
from workshop.domain.models.pack import Scale
from workshop.domain.series import Series
from workshop.domain.tally import RatingSummary
from workshop.domain.text import format_minutes

# Eight heights of a bar in one character cell, lowest first.
BLOCKS = "▁▂▃▄▅▆▇█"
NO_VALUE = "·"
# The width of the then / now / change labels in front of each line.
LABEL = 7
STATUS_STYLES = {
    "done": "bold green",
    "in-progress": "bold yellow",
    "dropped": "bold red",
    "carried-forward": "bold cyan",
    "open": "dim",
}


def distribution_bars(summary: RatingSummary) -> str:
    """One block a scale point, as tall as its share of the most common answer ("·" for none)."""
    largest = max(summary.distribution.values(), default=0)
    if largest == 0:
        return NO_VALUE * len(summary.distribution)
    # Block k stands for (k + 1) eighths: a quarter of the tallest is ▂, half is ▄.
    return "".join(NO_VALUE if count == 0 else BLOCKS[math.ceil(len(BLOCKS) * count / largest) - 1] for count in summary.distribution.values())


def sparkline(values: tuple[float | None, ...], scale: Scale, width: int = 1) -> str:
    """`width` blocks a value (spaced apart when wider than one), each as tall as the value
    on the scale: its lowest point ▁, its highest █."""
    span = scale.max - scale.min
    top = len(BLOCKS) - 1

    def block(value: float) -> str:
        # The lowest point is ▁ and the highest █; halves round up, never to even.
        return BLOCKS[max(0, min(top, math.floor(top * (value - scale.min) / span + 0.5)))]

    cells = [(NO_VALUE if value is None else block(value)) * width for value in values]
    return (" " if width > 1 else "").join(cells)


def figure(value: float | None) -> str:
    """A median as the room reads it: 3, 3.5, or – when nobody answered."""
    if value is None:
        return "–"
    return str(int(value)) if value == int(value) else f"{value:.1f}"


def signed(value: float | None) -> str:
    if value is None:
        return "–"
    if value == 0:
        return "±0"
    text = figure(abs(value))
    return f"+{text}" if value > 0 else f"−{text}"


def _side(label: str, summary: RatingSummary) -> Text:
    line = Text(f"  {label:<{LABEL}}")
    scale = summary.scale
    line.append(f"{scale.min} ")
    line.append(distribution_bars(summary), style="cyan")
    line.append(f" {scale.max}  ")
    if summary.count == 0:
        return line.append("no answers", style="dim")
    line.append(f"median {figure(summary.median)} · spread {summary.spread} · {summary.count} answers")
    if summary.low_agreement:
        line.append(" · low agreement", style="yellow")
    return line


def question_change(change: QuestionChange) -> Text:
    """One shared question: its prompt, then and now, and the change (stand-outs marked)."""
    out = Text()
    marker = "★ " if change.stands_out else "  "
    out.append(marker, style="bold yellow")
    out.append(change.prompt, style="bold" if change.stands_out else "")
    out.append("\n")
    out.append_text(_side("then", change.before.summary))
    out.append("\n")
    out.append_text(_side("now", change.after.summary))
    out.append("\n")
    parts = [f"median {signed(change.median_change)}", f"spread {signed(change.spread_change)}"]
    if change.agreement_changed:
        parts.append("agreement changed")
    out.append(f"  {'change':<{LABEL}}{' · '.join(parts)}", style="bold yellow" if change.stands_out else "dim")
    return out.append("\n")


def _asked_list(title: str, questions: tuple[AskedQuestion, ...]) -> Text:
    out = Text(f"{title} ({len(questions)})\n", style="bold")
    for question in questions:
        out.append("  • ")
        out.append(question.prompt)
        out.append(f"  ({question.activity_title})\n", style="dim")
    return out


def _timing(label: str, side: TimingSide) -> Text:
    actual = round(side.actual_seconds / 60)
    over = actual - side.planned_minutes
    line = Text(f"  {label:<{LABEL}}planned {format_minutes(side.planned_minutes)} · ")
    if not side.actual_seconds:
        return line.append("not run yet\n", style="dim")
    line.append(f"actual {format_minutes(actual)}")
    if over:
        line.append(f" ({'over' if over > 0 else 'under'} by {format_minutes(abs(over))})", style="yellow" if over > 0 else "dim")
    return line.append("\n")


def comparison_text(comparison: Comparison) -> Text:
    """The whole comparison, top to bottom: ratings, questions not shared, priorities, time."""
    before, after = comparison.before, comparison.after
    out = Text()
    out.append("Then  ", style="dim")
    out.append(f"{before.title} · {before.date.isoformat()}")
    out.append(f"  ({before.pack_title})\n" if not comparison.same_pack else "\n", style="dim")
    out.append("Now   ", style="dim")
    out.append(f"{after.title} · {after.date.isoformat()}")
    out.append(f"  ({after.pack_title})\n" if not comparison.same_pack else "\n", style="dim")
    if not comparison.same_pack:
        out.append("Different workshops: compared on the questions both asked.\n", style="italic")
    standing = len(comparison.standing_out)
    out.append(f"\nRatings then → now: {len(comparison.shared)} shared, {standing} stand out (★)\n", style="bold underline")
    out.append(f"{STANDS_OUT_RULE} {SPREAD_RULE}\n\n", style="dim")
    if not comparison.shared:
        out.append("No rating question was asked in both sessions.\n\n")
    for change in comparison.shared:
        out.append_text(question_change(change))
        out.append("\n")
    if comparison.only_before:
        out.append_text(_asked_list("Asked only then", comparison.only_before))
        out.append("\n")
    if comparison.only_after:
        out.append_text(_asked_list("Asked only now", comparison.only_after))
        out.append("\n")
    out.append("Earlier priorities\n", style="bold underline")
    if not comparison.is_follow_up:
        out.append("The later session was not started as a follow-up of the earlier one.\n", style="dim")
    elif not comparison.priorities:
        out.append("The earlier session placed no priorities.\n", style="dim")
    for review in comparison.priorities:
        out.append(f"  {review.status_label:<16}", style=STATUS_STYLES.get(review.status, ""))
        out.append(review.text)
        facts = [fact for fact in (review.owner, "protected" if review.protected else "") if fact]
        if facts:
            out.append(f"  ({' · '.join(facts)})", style="dim")
        out.append("\n")
    out.append("\nPlanned against actual time\n", style="bold underline")
    out.append_text(_timing("then", comparison.timing_before))
    out.append_text(_timing("now", comparison.timing_after))
    return out


def series_text(result: Series, width: int = 80) -> Text:
    """Each question's median over the sessions, one sparkline a question, oldest first."""
    out = Text()
    team = f" of {result.team}" if result.team else ""
    out.append(f"Medians over {len(result.points)} sessions{team}, oldest first\n", style="bold underline")
    for number, point in enumerate(result.points, start=1):
        out.append(f"  {number}. {point.date.isoformat()}  ", style="dim")
        out.append(point.title)
        out.append("\n")
    out.append(f"\nEach block is one session's median, low to high on the question's scale; {NO_VALUE} not asked or not answered.\n\n", style="dim")
    # The prompts take what the chart and the figures leave of the screen's `width`.
    chart = 3 * len(result.points) + 5 * len(result.points) + 8
    longest = max((len(question.prompt) for question in result.questions), default=0)
    label_width = max(16, min(longest, width - chart))
    for question in result.questions:
        prompt = question.prompt if len(question.prompt) <= label_width else question.prompt[: label_width - 1] + "…"
        out.append(prompt.ljust(label_width))
        out.append("  ")
        out.append(sparkline(question.medians, question.scale, width=2), style="bold cyan")
        out.append("  " + " → ".join(figure(value) for value in question.medians), style="dim")
        out.append("\n")
    if not result.questions:
        out.append("None of these sessions asked a rating question.\n")
    return out
