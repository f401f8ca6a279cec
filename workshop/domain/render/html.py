"""A report document as one self-contained HTML page, laid out to print on A4.

No external assets and no scripts: the style sheet is inline, charts are inline SVG.
Every text goes through `html.escape`, so `<script>`, `&amp;` or quotes typed by a
person show as typed. Layout uses tables and blocks only (no CSS grid or flex for
anything essential), so a mail client that drops most CSS still shows every figure.
"""

from __future__ import annotations

from html import escape

from workshop.domain.render.document import (
    Block,
    Bullets,
    Card,
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
from workshop.domain.render.markdown import median_text
from workshop.domain.render.svg import distribution_svg, series_svg

CHART_LEGEND = (
    "Charts: bars count the answers at each point of the scale; the dashed line marks "
    "the median; the bracket above spans the spread, from the lowest answer to the highest "
    "(red when agreement is low)."
)

STYLE = """
@page { size: A4; margin: 13mm 14mm 14mm 14mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 11pt;
  line-height: 1.4; color: #1b1b1b; background: #ffffff; max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1, h2, h3, p, li, td { overflow-wrap: anywhere; }
td.num, th.num, td.label { white-space: nowrap; overflow-wrap: normal; }
h1 { font-size: 19pt; color: #1f3b57; margin: 0 0 .4rem; }
h2 { font-size: 14pt; color: #1f3b57; border-bottom: 2px solid #1f3b57; margin: 1.4rem 0 .5rem;
  padding-bottom: 2px; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 12pt; margin: 1rem 0 .3rem; break-after: avoid; page-break-after: avoid; }
p { margin: .3rem 0 .6rem; }
.facts { margin-bottom: 1rem; }
.rule { color: #4a5866; font-size: 9.5pt; }
table { border-collapse: collapse; width: 99.5%; margin: .3rem 0 1rem; }
th, td { border: 1px solid #c9d2dc; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef3f8; font-weight: 600; }
thead { display: table-header-group; }
tr, .card, svg, li { break-inside: avoid; page-break-inside: avoid; }
td.num, th.num { text-align: right; }
.also { display: block; color: #4a5866; font-size: 9.5pt; }
.roadmap { table-layout: fixed; }
.roadmap td { background: #f8fafc; }
.card { box-sizing: border-box; border: 1px solid #c9d2dc; border-left: 4px solid #6f93b8; background: #ffffff; padding: 4px 6px;
  margin: 0 0 6px; }
.card.protected { border-left-color: #b5491b; }
.card .text { font-weight: 600; display: block; }
.card .meta { display: block; font-size: 9pt; color: #4a5866; }
.mark { display: inline-block; font-size: 8.5pt; font-weight: 600; color: #b5491b; border: 1px solid #b5491b;
  border-radius: 3px; padding: 0 3px; }
.nowrap { white-space: nowrap; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.with-next { break-after: avoid; page-break-after: avoid; }
.page-break { break-after: page; page-break-after: always; height: 0; }
ul.columns-2 { columns: 2; column-gap: 2rem; }
ul.columns-3 { columns: 3; column-gap: 2rem; }
ul { margin: .2rem 0 .6rem; padding-left: 1.2rem; }
.none { color: #4a5866; font-style: italic; }
.chart { display: block; }
.charts { display: block; margin-top: 3px; white-space: nowrap; }
.charted { display: inline-block; margin-right: 6px; }
.charted .chart { display: inline-block; vertical-align: bottom; }
.chart-label { display: inline-block; font-size: 8pt; color: #4a5866; margin-right: 3px; vertical-align: bottom; }
.legend { color: #4a5866; font-size: 9pt; margin-top: -.6rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { margin-top: 1rem; }
  .first-page { font-size: 9.5pt; line-height: 1.3; }
  .first-page h1 { font-size: 17pt; }
  .first-page h2 { font-size: 12.5pt; margin: .7rem 0 .3rem; }
  .first-page h3 { font-size: 10.5pt; margin: .5rem 0 .2rem; }
  .first-page td, .first-page th { padding: 2px 5px; }
  .first-page table { margin-bottom: .5rem; }
  .first-page .facts { margin-bottom: .4rem; }
  .first-page li { margin: 0 0 .15rem; }
  .first-page .card .meta { font-size: 8pt; }
  .first-page .facts + .facts { margin-top: -.3rem; }
}
"""


def _text(text: str) -> str:
    return escape(text, quote=True)


def _cell(value: Cell) -> str:
    if isinstance(value, Strong):
        return f"<strong>{_text(value.text)}</strong>"
    if isinstance(value, Wordings):
        out = _text(value.text)
        if value.also:
            out += f'<span class="also">also worded: {"; ".join(map(_text, value.also))}</span>'
        return out
    if isinstance(value, Distribution):
        return distribution_svg(value)
    if isinstance(value, Detail):
        return f'{_text(value.text)}<span class="also">{_text(value.detail)}</span>'
    if isinstance(value, Charted):
        charts = "".join(
            f'<span class="charted"><span class="chart-label">{_text(label)}</span>{distribution_svg(data)}</span>' for label, data in value.charts
        )
        return f'{_text(value.text)}<span class="charts">{charts}</span>'
    return _text(value)


def _table(item: Table) -> str:
    def attrs(index: int) -> str:
        if index in item.numeric:
            return ' class="num"'
        return ' class="label"' if index in item.labels else ""

    head = "".join(f'<th scope="col"{attrs(i)}>{_text(h)}</th>' for i, h in enumerate(item.headers))
    rows = "".join("<tr>" + "".join(f"<td{attrs(i)}>{_cell(c)}</td>" for i, c in enumerate(row)) + "</tr>" for row in item.rows)
    legend = ""
    columns = ""
    if item.widths:
        columns = "<colgroup>" + "".join(f'<col style="width: {w}%">' for w in item.widths) + "</colgroup>"
    if any(isinstance(c, (Distribution, Charted)) for row in item.rows for c in row):
        legend = f'<p class="legend">{_text(CHART_LEGEND)}</p>'
    return f"<table>{columns}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{legend}"


def _card(card: Card) -> str:
    meta = []
    if card.owner:
        meta.append(f"Owner: {_text(card.owner)}")
    if card.review_date:
        meta.append(f'<span class="nowrap">Review: {day_words(card.review_date)}</span>')
    meta.append(f'<span class="nowrap">{card.dots} dot{"" if card.dots == 1 else "s"}</span>')
    mark = ' <span class="mark">Protected</span>' if card.protected else ""
    also = ""
    if card.text.also:
        also = f'<span class="also">also worded: {"; ".join(map(_text, card.text.also))}</span>'
    return (
        f'<div class="card{" protected" if card.protected else ""}"><span class="text">{_text(card.text.text)}'
        f'{mark}</span>{also}<span class="meta">{" · ".join(meta)}</span></div>'
    )


def _roadmap(roadmap: Roadmap) -> str:
    # The time horizons side by side (a table, so mail clients keep the columns); the
    # tray of unplaced proposals below as a band of its own.
    columns = [lane for lane in roadmap.lanes if not lane.optional]
    bands = [lane for lane in roadmap.lanes if lane.optional and lane.cards]
    none = f'<p class="none">{_text(roadmap.empty_text)}</p>'
    out = []
    if columns:
        head = "".join(f'<th scope="col">{_text(lane.label)}</th>' for lane in columns)
        cells = "".join("<td>" + ("".join(map(_card, lane.cards)) or none) + "</td>" for lane in columns)
        out.append(f'<table class="roadmap"><thead><tr>{head}</tr></thead><tbody><tr>{cells}</tr></tbody></table>')
    for lane in bands:
        out.append(f'<div class="keep"><h3>{_text(lane.label)}</h3>{_card(lane.cards[0])}</div>' + "".join(map(_card, lane.cards[1:])))
    return "".join(out)


def _series(chart: SeriesChart) -> str:
    head = "".join(f'<th scope="col" class="num">{_text(p)}</th>' for p in chart.points)
    rows = "".join(
        f"<tr><td>{_text(line.label)}</td><td>{series_svg(line, chart.points)}</td>"
        + "".join(f'<td class="num">{median_text(m)}</td>' for m in line.medians)
        + "</tr>"
        for line in chart.lines
    )
    return (
        f'<table class="series"><thead><tr><th scope="col">Question</th><th scope="col">Median over time</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def render_block(item: Block) -> str:
    """One block as HTML."""
    if isinstance(item, Heading):
        level = min(max(item.level, 1), 6)
        return f"<h{level}>{_text(item.text)}</h{level}>"
    if isinstance(item, Facts):
        lines = (" · " if item.run_on else "<br>").join(
            f'<span class="nowrap"><strong>{_text(label)}:</strong></span> {_text(value)}' for label, value in item.items
        )
        return f'<p class="facts">{lines}</p>'
    if isinstance(item, Paragraph):
        return f"<p>{_text(item.text)}</p>"
    if isinstance(item, Prose):
        return _prose(item.text)
    if isinstance(item, Bullets):
        columns = f' class="columns-{min(item.columns, 3)}"' if item.columns > 1 else ""
        return f"<ul{columns}>" + "".join(f"<li>{_text(text)}</li>" for text in item.items) + "</ul>"
    if isinstance(item, Table):
        return _table(item)
    if isinstance(item, Roadmap):
        return _roadmap(item)
    if isinstance(item, PageBreak):
        return '<div class="page-break"></div>'
    return _series(item)


def _prose(text: str) -> str:
    paragraphs: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            paragraphs[-1].append(_text(line))
        elif paragraphs[-1]:
            paragraphs.append([])
    return "".join(f"<p>{'<br>'.join(lines)}</p>" for lines in paragraphs if lines)


# Blocks short enough to move to the next page with the heading above them.
_SMALL_ROWS = 6


def _small(item: Block) -> bool:
    if isinstance(item, (Paragraph, Facts, Roadmap)):
        return True
    if isinstance(item, Bullets):
        return len(item.items) <= _SMALL_ROWS
    if isinstance(item, Prose):
        return len(item.text.splitlines()) <= 2 * _SMALL_ROWS
    if isinstance(item, Table):
        return len(item.rows) <= _SMALL_ROWS and not any(isinstance(c, (Distribution, Charted)) for row in item.rows for c in row)
    return False


def render_body(blocks: tuple[Block, ...]) -> str:
    """The blocks as HTML, each heading wrapped with what follows it so no page ends on a heading.

    A heading, the headings and one-line paragraphs right under it, and the next block
    when it is small go in one `.keep` wrapper that is never split; when the next block
    is long (a table of many rows) the wrapper is also never left at the foot of a page
    (`break-after: avoid`), so the table starts under its heading.
    """
    out: list[str] = []
    index = 0
    while index < len(blocks):
        item = blocks[index]
        index += 1
        if not isinstance(item, Heading):
            out.append(render_block(item))
            continue
        group: list[Block] = [item]
        while index < len(blocks) and isinstance(blocks[index], (Heading, Paragraph, Facts)):
            group.append(blocks[index])
            index += 1
        # With the block it introduces inside, the group need not hold on to what follows;
        # without it (a long table), it must not end a page.
        keep = "keep with-next"
        if index < len(blocks) and _small(blocks[index]):
            group.append(blocks[index])
            index += 1
            keep = "keep"
        out.append(f'<div class="{keep}">' + "\n".join(render_block(part) for part in group) + "</div>")
    return "\n".join(out)


def render_html(document: Document) -> str:
    """The whole document as one HTML page (UTF-8, inline style, no scripts)."""
    # The first page (up to the first page break) is set a little tighter, so it holds
    # everything a reader forwards; the evidence keeps the roomier style.
    cut = next((i for i, item in enumerate(document.blocks) if isinstance(item, PageBreak)), None)
    if cut is None:
        body = render_body(document.blocks)
    else:
        body = (
            f'<div class="first-page">\n{render_body(document.blocks[:cut])}\n</div>\n'
            f"{render_block(document.blocks[cut])}\n{render_body(document.blocks[cut + 1 :])}"
        )
    return (
        f'<!DOCTYPE html>\n<html lang="{_text(document.lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_text(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{_text(document.title)}</h1>\n{body}\n</body>\n</html>\n"
    )
