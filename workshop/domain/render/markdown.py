"""A report document as Markdown (CommonMark plus GFM tables).

Every text is escaped so it cannot break a table or start a heading, list, link, HTML
or code: a title with `|`, `*`, backticks, `<script>` or newlines stays text.
Charts have no Markdown form: a distribution prints as its counts per point, a series
as a table of medians with a text sparkline.
"""

from __future__ import annotations

import re

from workshop.domain.render.document import (
    Block,
    Bullets,
    Cell,
    Charted,
    Detail,
    Distribution,
    Document,
    Facts,
    Heading,
    PageBreak,
    Paragraph,
    Prose,
    Roadmap,
    SeriesChart,
    Strong,
    Table,
    Wordings,
    day_words,
)

# Characters that can start markup anywhere in a line. `(`, `)`, `!`, `{`, `}` need no
# escape once `[`, `]` and `<` are escaped (no link, image or autolink can form).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
# Eight heights for a text sparkline, lowest first.
SPARKS = "▁▂▃▄▅▆▇█"


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


def sparkline(values: tuple[float | None, ...], low: int, high: int) -> str:
    """Values on a `low`-`high` scale as block characters; a gap (None) is a space."""
    span = max(high - low, 1)
    marks = []
    for value in values:
        if value is None:
            marks.append(" ")
        else:
            share = min(max((value - low) / span, 0.0), 1.0)
            marks.append(SPARKS[round(share * (len(SPARKS) - 1))])
    return "".join(marks)


def median_text(value: float | None) -> str:
    """A median as the reports print it: 3, 3.5, or a dash when there is none."""
    return "–" if value is None else f"{value:g}"


def cell(value: Cell, *, figure: bool = False) -> str:
    """One table cell, escaped. A `figure` (written by the code: 3.5, =2) is never taken
    for the start of a list, so it is not escaped as one."""
    if isinstance(value, Strong):
        # After "**" nothing can start a block, so "+2" needs no escape.
        return f"**{inline(value.text, line_start=False)}**" if value.text else ""
    if isinstance(value, Wordings):
        text = inline(value.text)
        if value.also:
            text += f" (also worded: {'; '.join(inline(w, line_start=False) for w in value.also)})"
        return text
    if isinstance(value, Distribution):
        return " ".join(f"{point}:{count}" for point, count in value.counts)
    if isinstance(value, Detail):
        return f"{inline(value.text)} ({inline(value.detail, line_start=False)})"
    if isinstance(value, Charted):
        charts = "; ".join(f"{inline(label, line_start=False).lower()} {cell(data)}" for label, data in value.charts)
        return f"{inline(value.text)} ({charts})"
    return inline(value, line_start=not figure)


def render_block(item: Block) -> str:
    """One block as Markdown (no blank line around it)."""
    if isinstance(item, Heading):
        return f"{'#' * item.level} {inline(item.text)}"
    if isinstance(item, Facts):
        return (" · " if item.run_on else "  \n").join(f"**{inline(label)}:** {inline(value, line_start=False)}" for label, value in item.items)
    if isinstance(item, Paragraph):
        return inline(item.text)
    if isinstance(item, Prose):
        return block(item.text)
    if isinstance(item, Bullets):
        return "\n".join(f"- {inline(text)}" for text in item.items)
    if isinstance(item, Table):
        return "\n".join(table(list(map(inline, item.headers)), [[cell(c, figure=i in item.numeric) for i, c in enumerate(row)] for row in item.rows]))
    if isinstance(item, Roadmap):
        return _roadmap(item)
    if isinstance(item, PageBreak):
        # A thematic break: where the printed first page ends.
        return "* * *"
    return _series(item)


def _roadmap(roadmap: Roadmap) -> str:
    parts: list[str] = []
    for lane in roadmap.lanes:
        if not lane.cards and lane.optional:
            continue
        parts.append(f"#### {inline(lane.label)}")
        if not lane.cards:
            parts.append(inline(roadmap.empty_text))
            continue
        parts.append(
            "\n".join(
                table(
                    ["Priority", "Owner", "Review date", "Dots", "Protected"],
                    [
                        [
                            cell(card.text),
                            inline(card.owner),
                            day_words(card.review_date) if card.review_date else "",
                            str(card.dots),
                            "✓" if card.protected else "",
                        ]
                        for card in lane.cards
                    ],
                )
            )
        )
    return "\n\n".join(parts)


def _series(chart: SeriesChart) -> str:
    rows = [
        [inline(line.label), *(median_text(m) for m in line.medians), sparkline(line.medians, line.scale_min, line.scale_max).replace(" ", "·")]
        for line in chart.lines
    ]
    return "\n".join(table(["Question", *map(inline, chart.points), "Trend"], rows))


def render_markdown(document: Document) -> str:
    """The whole document as Markdown, blocks separated by blank lines, ending in one newline."""
    parts = [f"# {inline(document.title)}"] + [render_block(item) for item in document.blocks]
    return "\n\n".join(part for part in parts if part).rstrip() + "\n"
