"""The session as Markdown: what the review screen shows and the report sent after the day.

Plain Python (no Textual). Every text a person typed is escaped so it cannot break a
table or start a heading: a title with `|`, `*`, backticks or newlines stays text.
"""

from __future__ import annotations

import re

from workshop.models.session import HORIZON_LABELS, Session

_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def inline(text: str) -> str:
    """Escape `text` for use inside a Markdown line or table cell (one line)."""
    text = _INLINE_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    # A line starting "1." or "-" would become a list item; "=" could underline a heading.
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    if text[:1] in ("-", "="):
        text = "\\" + text
    return text


def block(text: str) -> str:
    """Escape a multi-line text (notes) as paragraphs, keeping its line breaks."""
    lines = [inline(line) if line.strip() else "" for line in text.splitlines()]
    return "  \n".join(line for line in lines)


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; cells must already be escaped with `inline`."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    out += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return out


def _minutes(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}:{rest:02d}"


def session_markdown(session: Session) -> str:
    """A readable account of the session: who, the agenda and its timings, notes, priorities."""
    out = [f"# {inline(session.title)}", ""]
    facts = [f"**Date:** {session.date.isoformat()}", f"**Status:** {session.status}"]
    if session.team:
        facts.append(f"**Team:** {inline(session.team)}")
    if session.facilitator:
        facts.append(f"**Facilitator:** {inline(session.facilitator)}")
    facts.append(f"**Workshop:** {inline(session.agenda.pack_title)} (version {inline(session.agenda.pack_version)})")
    out += ["  \n".join(facts), ""]

    out += ["## Participants", ""]
    if session.participants:
        out += table(["Name", "Role", "Present"], [[inline(p.name), inline(p.role), "yes" if p.present else "no"] for p in session.participants])
    else:
        out.append("No participants recorded.")
    out.append("")

    out += ["## Agenda and timings", ""]
    progress = {record.activity_id: record for record in session.progress}
    rows = []
    for section, activity in session.agenda.activities():
        record = progress.get(activity.id or "")
        actual = _minutes(record.elapsed_seconds) if record and record.elapsed_seconds else ""
        state = record.state if record else "pending"
        rows.append([inline(section.title), inline(activity.title), activity.kind, str(activity.minutes), actual, state])
    out += table(["Section", "Activity", "Kind", "Planned (min)", "Actual (m:ss)", "State"], rows)
    out.append("")

    notes = [note for note in session.notes if note.text.strip()]
    if notes:
        out += ["## Notes", ""]
        for note in notes:
            activity = session.agenda.activity(note.activity_id)
            out += [f"### {inline(activity.title if activity else note.activity_id)}", "", block(note.text), ""]

    if session.proposals:
        out += ["## Priorities", ""]
        for horizon, label in HORIZON_LABELS.items():
            placed = sorted((p for p in session.proposals if p.horizon == horizon), key=lambda p: (not p.protected, p.position))
            if not placed:
                continue
            out += [f"### {label}", ""]
            out += table(
                ["Priority", "Owner", "Protected", "Status"],
                [[inline(p.text), inline(p.owner), "yes" if p.protected else "", p.status] for p in placed],
            )
            out.append("")
    return "\n".join(out).rstrip() + "\n"
