"""The document model of a report: plain frozen data, no formatting.

Every text here is as a person typed it (or as the code wrote it); the renderers
escape it for their format. A report is a flat sequence of blocks: headings mark the
sections, so both renderers stay simple and a section can be dropped by leaving its
blocks out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Union


@dataclass(frozen=True)
class Strong:
    """Text to stress (a total, a change that stands out)."""

    text: str


@dataclass(frozen=True)
class Wordings:
    """A priority's text with the other wordings merged into it."""

    text: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Distribution:
    """Answers to one rating question per scale point, with the figures to mark.

    `counts` maps every scale point (in order) to its number of answers. `median` is
    None and `low` False when nobody answered; `low` is the low agreement flag.
    """

    counts: tuple[tuple[int, int], ...]
    median: float | None
    low: bool

    @property
    def lowest(self) -> int | None:
        """The lowest point answered (one end of the spread), None without answers."""
        return next((point for point, count in self.counts if count), None)

    @property
    def highest(self) -> int | None:
        """The highest point answered (the other end of the spread)."""
        return next((point for point, count in reversed(self.counts) if count), None)


@dataclass(frozen=True)
class Detail:
    """A text with a smaller line under it that explains it (a question and its scale)."""

    text: str
    detail: str


def day_words(day: date) -> str:
    """A date as people write it: 12 March 2026 (never the ISO form a file keeps)."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class Charted:
    """A text with small labelled charts under it ("Then", "Now"): the charts sit in the
    text's cell so a long question keeps the table's width rather than a narrow column."""

    text: str
    charts: tuple[tuple[str, Distribution], ...]


Cell = Union[str, Strong, Wordings, Distribution, Detail, Charted]


@dataclass(frozen=True)
class Heading:
    """A section heading; level 1 is the report's title."""

    level: int
    text: str


@dataclass(frozen=True)
class Facts:
    """Labelled one-line facts (Date, Team, ...); `run_on` sets them on one line, split by " · "."""

    items: tuple[tuple[str, str], ...]
    run_on: bool = False


@dataclass(frozen=True)
class Paragraph:
    """One line of text (it may wrap when shown)."""

    text: str


@dataclass(frozen=True)
class Prose:
    """A person's multi-line text (notes): blank lines split paragraphs, line breaks stay."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A plain list; `columns` > 1 lets a list of short items run in columns where that is possible."""

    items: tuple[str, ...]
    columns: int = 1


@dataclass(frozen=True)
class Table:
    """Rows of cells under headers. `numeric` lists the columns of figures the code
    wrote (counts, medians, places, times): aligned right, never escaped as text."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: frozenset[int] = field(default_factory=frozenset)
    # Columns of short labels the code wrote ("low agreement", "Done"): kept on one line.
    labels: frozenset[int] = field(default_factory=frozenset)
    # The least share of the width (percent) each leading column gets where the format
    # can say so (HTML); () leaves the widths to the reader.
    widths: tuple[int, ...] = ()


@dataclass(frozen=True)
class Card:
    """A priority on the roadmap."""

    text: Wordings
    owner: str
    review_date: date | None
    dots: int
    protected: bool


@dataclass(frozen=True)
class Lane:
    """One horizon of the roadmap, its priorities in the board's order."""

    label: str
    cards: tuple[Card, ...]
    # The tray of unplaced proposals is left out when empty; a time horizon never is.
    optional: bool = False


@dataclass(frozen=True)
class Roadmap:
    """Priorities by horizon: the time horizons in order, then the unplaced tray."""

    lanes: tuple[Lane, ...]
    empty_text: str = "None."


@dataclass(frozen=True)
class SeriesLine:
    """One question's median in each session of a series (None: no median there)."""

    label: str
    scale_min: int
    scale_max: int
    medians: tuple[float | None, ...]


@dataclass(frozen=True)
class SeriesChart:
    """Medians over time: one line per question, one point per session (dated)."""

    points: tuple[str, ...]
    lines: tuple[SeriesLine, ...]


@dataclass(frozen=True)
class PageBreak:
    """Where a printed page ends: after the first page, which is meant to stand alone."""


Block = Union[Heading, Facts, Paragraph, Prose, Bullets, Table, Roadmap, SeriesChart, PageBreak]


@dataclass(frozen=True)
class Document:
    """A whole report: its title (also the first heading) and its blocks in order."""

    title: str
    blocks: tuple[Block, ...]
    lang: str = "en-GB"
