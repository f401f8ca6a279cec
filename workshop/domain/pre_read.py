"""The participants' pre-read: what the day is for, the eight behaviours, the research's
examples in our words, and the agenda with times. Sent before the day, so it holds
nothing from the room (no names, ratings, notes or proposals): only the session's
title, date, team and facilitator, and its agenda.

Pack texts are Markdown; this page keeps their paragraphs, lists and headings' words
but not their markup (`md_blocks`), and the renderers escape every text as usual.
"""

from __future__ import annotations

import re

from workshop.domain.models.pack import ReadActivity
from workshop.domain.models.session import Session
from workshop.domain.parsing import finish_time
from workshop.domain.render.document import Block, Bullets, Cell, Document, Facts, Heading, Paragraph, Table, day_words
from workshop.domain.render.html import render_html
from workshop.domain.report_first_page import credit_text
from workshop.domain.text import format_minutes

_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def plain(text: str) -> str:
    """A line of pack Markdown without its emphasis marks (`**bold**` -> `bold`)."""
    return _EMPHASIS.sub("", text).strip()


def md_blocks(text: str) -> list[Block]:
    """Pack Markdown as paragraphs and lists (headings become paragraphs of their own)."""
    out: list[Block] = []
    paragraph: list[str] = []
    bullets: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(Paragraph(" ".join(paragraph)))
            paragraph.clear()
        if bullets:
            out.append(Bullets(tuple(bullets)))
            bullets.clear()

    for line in text.splitlines():
        if not line.strip():
            flush()
        elif _BULLET.match(line):
            if paragraph:
                flush()
            bullets.append(plain(_BULLET.sub("", line)))
        elif bullets and line.startswith(("  ", "\t")):
            bullets[-1] += " " + plain(line)
        else:
            if bullets:
                flush()
            paragraph.append(plain(line.lstrip("#")))
    flush()
    return out


def pre_read_document(session: Session) -> Document:
    """The pre-read of `session` as a document (see the module's docstring)."""
    agenda = session.agenda
    facts = [("Date", day_words(session.date))]
    if session.start_time:
        facts.append(("Starts", f"{session.start_time}, finishes about {finish_time(session.start_time, agenda.minutes)}"))
    if session.team:
        facts.append(("Team", session.team))
    if session.facilitator:
        facts.append(("Facilitator", session.facilitator))
    blocks: list[Block] = [Facts(tuple(facts))]
    blocks += _purpose(session)
    if agenda.behaviours:
        blocks += [
            Heading(2, f"The {_count_words(len(agenda.behaviours))} behaviours"),
            Table(("Behaviour", "What it means"), tuple((b.name, plain(b.description)) for b in agenda.behaviours)),
        ]
    if agenda.pre_read:
        blocks.append(Heading(2, "Examples from the research, in our words"))
        for item in agenda.pre_read:
            behaviour = agenda.behaviour(item.behaviour)
            heading = f"{item.title} ({behaviour.name})" if behaviour and behaviour.name != item.title else item.title
            blocks += [Heading(3, heading), *md_blocks(item.text)]
    blocks += _agenda(session)
    return Document(f"Before the day: {session.title}", tuple(blocks))


def pre_read_html(session: Session) -> str:
    """The pre-read as one self-contained HTML page that prints on A4."""
    return render_html(pre_read_document(session))


def _purpose(session: Session) -> list[Block]:
    out: list[Block] = [Heading(2, "What the day is for")]
    opening = next((a for _, a in session.agenda.activities() if isinstance(a, ReadActivity)), None)
    if opening is not None:
        out += md_blocks(opening.text)
    credit = credit_text(session)
    if credit:
        out.append(Paragraph(f"The day is built on the research {credit}; every text here is our own retelling."))
    if len(out) == 1:
        out.append(Paragraph(session.agenda.pack_title or session.title))
    return out


def _agenda(session: Session) -> list[Block]:
    rows: list[tuple[Cell, ...]] = []
    elapsed = 0
    for section in session.agenda.sections:
        if not section.included or not section.minutes:
            continue
        start = finish_time(session.start_time, elapsed) if session.start_time else f"+{format_minutes(elapsed)}"
        rows.append((start, section.title, plain(section.summary), format_minutes(section.minutes)))
        elapsed += section.minutes
    end = finish_time(session.start_time, elapsed) if session.start_time else f"+{format_minutes(elapsed)}"
    rows.append((end, "Finish", "", ""))
    intro = (
        "Times are planned; the facilitator keeps each part to its time."
        if session.start_time
        else "Times are counted from the start; the facilitator keeps each part to its time."
    )
    return [Heading(2, "The agenda"), Paragraph(intro), Table(("Time", "Part", "What we do", "Length"), tuple(rows), numeric=frozenset({0, 3}))]


def _count_words(count: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[count] if count < len(words) else str(count)
