"""Exporting a session: Markdown report, priorities CSV, or the whole session as JSON.

Plain Python (no Textual).

- Markdown: `workshop.domain.report.session_markdown`.
- HTML: `workshop.domain.report.session_html`, the same report as one self-contained
  page (inline style and SVG charts, no scripts) laid out to print on A4.
- CSV: one row per proposal (RFC 4180, CRLF line ends, UTF-8 *with* a byte order mark,
  so a spreadsheet opened by a double click reads names such as "Zoë Müller" as typed):
  rank in the vote, text, merged wordings, behaviour, horizon, owner, protected, dots,
  review date (YYYY-MM-DD, which spreadsheets read as a date), status.
  A cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so
  a spreadsheet shows it as text and never runs it as a formula.
- JSON: the session exactly as stored (by alias), readable with `Session.model_validate`.
- Pre-read: `workshop.domain.pre_read`, a page for participants before the day (no
  content from the room), laid out to print on A4.
- PDF: the HTML report printed by a local headless Chromium (`workshop.storage.pdf`).
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
import tempfile
from pathlib import Path

from workshop.domain.compare import compare_sessions, in_date_order
from workshop.domain.compare_report import compare_html, compare_json, compare_markdown
from workshop.domain.models.session import HORIZON_LABELS, Session
from workshop.domain.pre_read import pre_read_html
from workshop.domain.report import all_priorities, counting_vote_round, dots_by_proposal, session_html, session_markdown
from workshop.domain.series import MIN_SERIES_SESSIONS, series, was_held
from workshop.domain.tally import rank_proposals

FORMATS: dict[str, str] = {"md": ".md", "html": ".html", "csv": ".csv", "json": ".json", "pre-read": ".pre-read.html", "pdf": ".pdf"}
COMPARE_FORMATS: dict[str, str] = {"md": ".md", "json": ".json", "html": ".html"}
CSV_HEADER = ["Rank", "Priority", "Also worded", "Behaviour", "Horizon", "Owner", "Protected", "Dots", "Review date", "Status"]
# Excel takes a CSV opened by a double click for the local code page unless it starts
# with a byte order mark; with one, "Zoë Müller" reads as typed.
BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STATUS_LABELS: dict[str, str] = {"open": "Open", "in-progress": "In progress", "done": "Done", "dropped": "Dropped", "carried-forward": "Carried forward"}


def safe_cell(value: str) -> str:
    """`value` made safe for a spreadsheet: a would-be formula is prefixed with `'`."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def priorities_csv(session: Session) -> str:
    """The proposals as CSV, in report order (horizon by horizon, each in the board's order).

    Rank is the proposal's place in the dot vote that counts (shared places repeat the
    number; blank when it was not on the ballot); "Also worded" holds the wordings merged
    into it, separated by "; ". The text starts with a byte order mark (see `BOM`).
    """
    ballot_round = counting_vote_round(session)
    places = {ranked.proposal_id: ranked.place for ranked in rank_proposals(ballot_round)} if ballot_round else {}
    dots = dots_by_proposal(session)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for proposal in all_priorities(session):
        behaviour = session.agenda.behaviour(proposal.behaviour)
        place = places.get(proposal.id)
        writer.writerow(
            [
                safe_cell(cell)
                for cell in (
                    "" if place is None else str(place),
                    proposal.text,
                    "; ".join(proposal.merged_texts),
                    behaviour.name if behaviour else (proposal.behaviour or ""),
                    HORIZON_LABELS[proposal.horizon],
                    proposal.owner,
                    "yes" if proposal.protected else "no",
                    str(dots.get(proposal.id, 0)),
                    proposal.review_date.isoformat() if proposal.review_date else "",
                    STATUS_LABELS.get(proposal.status, proposal.status),
                )
            ]
        )
    return BOM + buffer.getvalue()


def session_json(session: Session) -> str:
    """The whole session as JSON (keys as in the session file)."""
    return json.dumps(session.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n"


def export_session(session: Session, fmt: str) -> str:
    """The session in format `fmt` (one of `FORMATS` but "pdf", which `export_pdf` prints); ValueError for another."""
    if fmt == "md":
        return session_markdown(session)
    if fmt == "html":
        return session_html(session)
    if fmt == "csv":
        return priorities_csv(session)
    if fmt == "json":
        return session_json(session)
    if fmt == "pre-read":
        return pre_read_html(session)
    if fmt == "pdf":
        raise ValueError("a PDF is printed to a file: use export_pdf")
    raise ValueError(f"'{fmt}' is not an export format (expected one of {', '.join(FORMATS)})")


def export_path(session_path: Path, fmt: str) -> Path:
    """Where an export goes by default: beside the session file, same stem."""
    return Path(session_path).with_suffix(FORMATS[fmt])


class NotARegularTarget(OSError):
    """An export target that is neither a regular file nor a device to write through:
    refused, and never renamed over. `strerror` is the one-line reason."""


def write_export(text: str, path: Path) -> Path:
    """Write `text` to `path`; return `path`.

    A regular file (or a new one) is replaced atomically (a temporary file, then
    rename). A character device (`/dev/null`, a terminal, `/dev/stdout` on one) is
    written through as a stream: renaming over it would put a file where the device
    was. Anything else, a named pipe, a symbolic link, a folder, a socket, is refused
    with `NotARegularTarget` and left as it is.

    Raises OSError when it cannot be written; the old file, if any, is then untouched.
    """
    path = Path(path)
    if _is_device(path):
        with open(path, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        return path
    refused = _refusal(path)
    if refused is not None:
        raise NotARegularTarget(errno.EINVAL, refused)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or Path("."))
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        # mkstemp makes the file private; a report is as readable as any file the user saves.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        # Looked at again just before the rename: the narrowest window we can leave.
        refused = _refusal(path)
        if refused is not None:
            raise NotARegularTarget(errno.EINVAL, refused)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    return path


def _is_device(path: Path) -> bool:
    """Whether `path` is (or links to) a character device, to be written as a stream."""
    try:
        return stat.S_ISCHR(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


_REFUSED_KINDS = (
    (stat.S_ISLNK, "it is a symbolic link; give the file it points to"),
    (stat.S_ISFIFO, "it is a named pipe (FIFO), not a regular file"),
    (stat.S_ISDIR, "it is a folder; give a file name in it"),
    (stat.S_ISSOCK, "it is a socket, not a regular file"),
    (stat.S_ISBLK, "it is a block device, not a regular file"),
)


def _refusal(path: Path) -> str | None:
    """Why `path` must not be replaced by a file (it is not one), or None when it may."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return error.strerror or str(error)
    if stat.S_ISREG(mode):
        return None
    if str(path).startswith(("/dev/", "/proc/")):
        # /dev/stdout and its kind, when standard output is a pipe or a file.
        return "it is not a regular file or a terminal; nothing was written ('-o -' writes to standard output)"
    reason = next((text for test, text in _REFUSED_KINDS if test(mode)), "it is not a regular file")
    return f"{reason}; nothing was written"


def export_beside(session: Session, session_path: Path, fmt: str) -> Path:
    """Export `session` in `fmt` beside its file (see `export_path`); return the path written."""
    if fmt == "pdf":
        return export_pdf(session, export_path(session_path, fmt))
    return write_export(export_session(session, fmt), export_path(session_path, fmt))


def export_pdf(session: Session, target: Path) -> Path:
    """The HTML report printed to an A4 PDF at `target` by a local Chromium (see `workshop.storage.pdf`).

    WorkshopError (one line naming the package to install) when there is no Chromium.
    """
    from workshop.storage.pdf import html_to_pdf

    return html_to_pdf(session_html(session), target)


def export_comparison(sessions: list[Session], fmt: str) -> str:
    """Two or more sessions compared, in format `fmt` (one of `COMPARE_FORMATS`).

    They are put in date order and the latest is compared with the one before it ("since
    last time", which is also the one a follow-up reviews); with `MIN_SERIES_SESSIONS` or
    more the series of medians over all of them is added (which raises
    WorkshopError when they are not of one team). ValueError for another format or
    fewer than two sessions.
    """
    if fmt not in COMPARE_FORMATS:
        raise ValueError(f"'{fmt}' is not a compare format (expected one of {', '.join(COMPARE_FORMATS)})")
    if len(sessions) < 2:
        raise ValueError("comparing needs at least two sessions")
    ordered = in_date_order(sessions)
    comparison = compare_sessions(ordered[-2], ordered[-1])
    held = [session for session in ordered if was_held(session)]
    trend = series(held) if len(held) >= MIN_SERIES_SESSIONS else None
    render = {"md": compare_markdown, "json": compare_json, "html": compare_html}[fmt]
    return render(comparison, trend)
