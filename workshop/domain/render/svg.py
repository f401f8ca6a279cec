"""Small inline SVG charts for the HTML report: a rating's distribution and a series.

Strings only (the domain does no file I/O). Every text placed in a chart is escaped;
numbers are formatted by the code. The charts carry a `<title>` and an `aria-label`
saying the same figures in words, so a reader without SVG (some mail clients strip it)
loses no information: the tables beside them hold the figures too.
"""

from __future__ import annotations

from html import escape

from workshop.domain.render.document import Distribution, SeriesLine

INK = "#1f3b57"
BAR = "#6f93b8"
MEDIAN = "#b5491b"
SPREAD = "#1f3b57"
GRID = "#c9d2dc"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _median_words(median: float | None) -> str:
    return "no answers" if median is None else f"median {median:g}"


def distribution_svg(data: Distribution) -> str:
    """Bars per scale point with the spread (lowest to highest answer) and the median marked."""
    points = [point for point, _ in data.counts]
    most = max((count for _, count in data.counts), default=0) or 1
    # Text at 11 px prints at 8.25 pt, the least a printed chart should use.
    bar_width, gap, left, top, height = 20, 4, 4, 22, 34
    width = left * 2 + len(points) * (bar_width + gap) - gap
    total_height = top + height + 16

    def centre(point: float) -> float:
        return left + (point - points[0]) * (bar_width + gap) + bar_width / 2

    words = ", ".join(f"{point}: {count}" for point, count in data.counts)
    label = f"Answers per point ({words}); {_median_words(data.median)}"
    if data.lowest is not None and data.highest is not None:
        label += f"; spread {data.highest - data.lowest} (from {data.lowest} to {data.highest})"
    if data.low:
        label += "; low agreement"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart dist" width="{width}" height="{total_height}" '
        f'viewBox="0 0 {width} {total_height}" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
    ]
    base = top + height
    parts.append(f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" stroke="{GRID}" stroke-width="1"/>')
    for point, count in data.counts:
        bar = height * count / most
        x = centre(point) - bar_width / 2
        if count:
            parts.append(f'<rect x="{_num(x)}" y="{_num(base - bar)}" width="{bar_width}" height="{_num(bar)}" fill="{BAR}"/>')
            parts.append(f'<text x="{_num(centre(point))}" y="{_num(base - bar - 2)}" font-size="11" text-anchor="middle" fill="{INK}">{count}</text>')
        parts.append(f'<text x="{_num(centre(point))}" y="{base + 13}" font-size="11" text-anchor="middle" fill="{INK}">{point}</text>')
    if data.lowest is not None and data.highest is not None:
        # The spread as a bracket above the bars, from the lowest to the highest answer.
        x1, x2 = centre(data.lowest) - bar_width / 2, centre(data.highest) + bar_width / 2
        colour = MEDIAN if data.low else SPREAD
        parts.append(f'<path d="M{_num(x1)} 6 V3 H{_num(x2)} V6" fill="none" stroke="{colour}" stroke-width="1.5"/>')
    if data.median is not None:
        x = centre(data.median)
        parts.append(f'<line x1="{_num(x)}" y1="{top - 8}" x2="{_num(x)}" y2="{base}" stroke="{MEDIAN}" stroke-width="2" stroke-dasharray="3 2"/>')
    parts.append("</svg>")
    return "".join(parts)


def series_svg(line: SeriesLine, point_labels: tuple[str, ...]) -> str:
    """A question's median per session as a line on its scale; a missing median breaks the line."""
    count = max(len(line.medians), 1)
    step, left, right, top, height = 36, 8, 8, 6, 40
    width = left + right + step * (count - 1)
    span = max(line.scale_max - line.scale_min, 1)

    def y(value: float) -> float:
        return top + height - height * (value - line.scale_min) / span

    words = "; ".join(f"{label}: {'–' if m is None else f'{m:g}'}" for label, m in zip(point_labels, line.medians, strict=False))
    label = f"Median on a {line.scale_min}-{line.scale_max} scale over time ({words})"
    total = top + height + 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart series" width="{width}" height="{total}" '
        f'viewBox="0 0 {width} {total}" role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        f'<line x1="0" y1="{_num(y(line.scale_min))}" x2="{width}" y2="{_num(y(line.scale_min))}" stroke="{GRID}"/>',
        f'<line x1="0" y1="{_num(y(line.scale_max))}" x2="{width}" y2="{_num(y(line.scale_max))}" stroke="{GRID}" stroke-dasharray="2 2"/>',
    ]
    run: list[str] = []
    runs: list[list[str]] = [run]
    for index, median in enumerate(line.medians):
        if median is None:
            run = []
            runs.append(run)
            continue
        run.append(f"{_num(left + index * step)},{_num(y(median))}")
    for points in runs:
        if len(points) > 1:
            parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{INK}" stroke-width="2"/>')
    for index, median in enumerate(line.medians):
        if median is not None:
            parts.append(f'<circle cx="{_num(left + index * step)}" cy="{_num(y(median))}" r="3" fill="{MEDIAN}"/>')
    parts.append("</svg>")
    return "".join(parts)
