"""The session file format: names, and TOML text to and from a `Session`.

No I/O beyond what the names need: `workshop.storage.store` reads, writes and lists the files.
A file of a newer schema than this workshop knows is read leniently (keys it does not
know are ignored) so it can be reviewed read-only; it is never written back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from workshop.domain.models.session import Session
from workshop.domain.text import slugify
from workshop.storage import migrate
from workshop.storage.paths import MAX_SESSION_BYTES as MAX_SESSION_BYTES  # re-exported
from workshop.storage.paths import SUFFIX as SUFFIX  # re-exported
from workshop.storage.problems import problems_from_validation
from workshop.storage.tomlsafe import FileProblems, LineLocator, Problem, parse_toml

MAX_SLUG = 40
# Names Windows reserves whatever the extension; harmless here (a name starts with the
# date) but refused anyway so a slug alone is never one of them.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{kind}{n}" for kind in ("com", "lpt") for n in range(1, 10)}


# -- file names -----------------------------------------------------------------------


def session_filename(session: Session) -> str:
    """`YYYY-MM-DD-<slug of title>-<id>.toml`: ASCII, at most ~125 characters, one plain name.

    The slug is at most 40 characters and falls back to `session` when nothing ASCII
    survives (an emoji or Arabic title) or when it is a Windows device name. The id is
    restricted by the model; dots in it become dashes so no name holds `..`.
    """
    slug = slugify(session.title, max_length=MAX_SLUG)
    if not slug or slug in _RESERVED:
        slug = "session"
    return f"{session.date.isoformat()}-{slug}-{_safe_id(session.id)}{SUFFIX}"


def _safe_id(session_id: str) -> str:
    return "".join(char if char.isascii() and (char.isalnum() or char in "-_") else "-" for char in session_id.lower())


def named_by_the_app(name: str, session: Session) -> bool:
    """Whether the file name `name` has the shape `session_filename` gives `session`: a date,
    a slug and its id. A name a person chose (`spring.toml`) is theirs and is kept."""
    stem = name.removesuffix(SUFFIX)
    if stem == name or len(stem) < 11 or stem[10] != "-":
        return False
    try:
        date.fromisoformat(stem[:10])
    except ValueError:
        return False
    return stem.endswith(f"-{_safe_id(session.id)}")


def session_path(folder: Path, session: Session) -> Path:
    """Where `session` lives in `folder`; `ValueError` if that would fall outside it."""
    folder = Path(folder)
    path = folder / session_filename(session)
    # The name has no separators by construction; this is the belt to those braces, and
    # also refuses a planted symlink of that name pointing out of the folder.
    if path.resolve().parent != folder.resolve():
        raise ValueError(f"Session file {path} would fall outside {folder}")
    return path


# -- serialising ----------------------------------------------------------------------


def dump_session(session: Session) -> str:
    """The session as TOML text, keys in model field order, no `None` values written.

    Multi-line texts (notes, details) are written as TOML multi-line strings so a
    person can read the file.
    """
    return dump_data(session_data(session))


def session_data(session: Session) -> dict[str, Any]:
    """The session as the plain data its file holds: fresh dicts and lists (a snapshot
    the session's later changes do not reach), no `None` values."""
    return session.model_dump(mode="python", by_alias=True, exclude_none=True)


def dump_data(data: dict[str, Any]) -> str:
    """`session_data` as the file's TOML text: exactly `tomli_w.dumps(data, multiline_strings=True)`.

    Most of a session does not change between two saves (the agenda, a third of a typical
    file, never does while it runs; a board move changes a few of a thousand proposals),
    and dumping is the save's cost. So the text is assembled the way tomli_w writes it:
    the plain values first, then each table and each element of an array of tables, one
    after the other with a blank line between; and each table's or element's text is
    kept from the last save and reused while its data is equal. Equal data dumps alike:
    each field's values have one type (the model's), so no 1 == 1.0 == True surprise.
    `data` must be a snapshot nothing changes afterwards (as `session_data` makes): its
    pieces are kept to compare the next save's with.
    """
    global _kept
    kept = _kept  # one read: the writer thread and the app's may both be here
    now: dict[tuple[str, object], _Piece] = {}
    plain: dict[str, Any] = {}
    tables: list[str] = []
    for key, value in data.items():
        if isinstance(value, Mapping):
            where: tuple[str, object] = (key, None)
            piece = kept.get(where)
            if piece is None or piece.data != value:
                piece = _Piece(value, tomli_w.dumps({key: value}, multiline_strings=True))
            now[where] = piece
            tables.append(piece.text)
        elif isinstance(value, (list, tuple)) and value and all(isinstance(item, Mapping) for item in value):
            pieces: list[_Piece] = []
            new: list[_Piece] = []
            for index, item in enumerate(value):
                where = (key, _element_key(item, index))
                piece = kept.get(where)
                if piece is None or piece.data != item:
                    piece = _Piece(item, "")
                    new.append(piece)
                now[where] = piece
                pieces.append(piece)
            if _write_elements(key, new, value) or _as_tables(key, pieces):
                tables.extend(piece.text for piece in pieces)
            else:
                plain[key] = value  # every element short: tomli_w writes one inline array
        else:
            plain[key] = value
    # The plain values, one `key = value` line (or inline array) each, as tomli_w writes
    # them one after the other: each kept too (the participants' and progress' inline
    # arrays were dumped again on every save though only `updated_at` had changed).
    lines: list[str] = []
    for key, value in plain.items():
        where = (key, _PLAIN)
        piece = kept.get(where)
        if piece is None or piece.data != value or type(piece.data) is not type(value):
            piece = _Piece(value, tomli_w.dumps({key: value}, multiline_strings=True))
        now[where] = piece
        lines.append(piece.text)
    _kept = now
    return "\n".join(["".join(lines), *tables] if plain else tables)


@dataclass(slots=True)
class _Piece:
    """A table's or an array element's data and its TOML text; for an element, whether
    tomli_w would write it inline on its own (None: not yet known)."""

    data: Any
    text: str
    inline: bool | None = None


# An element tomli_w never writes inline (its key alone is longer than an inline table's
# line may be), put first in an array so that tomli_w writes the whole array as tables at
# once, without first trying each element inline: that trial costs as much as the
# element's own text.
_NEVER_INLINE = {"_" * 100: 0}


def _write_elements(key: str, pieces: list[_Piece], all_of: Sequence[Any] | None = None) -> bool:
    """Give each piece the text tomli_w writes for its data as one of the tables of the
    array `key` (`all_of`, the whole array): all in one dump, then cut apart (a call for
    each of a thousand elements cost half as much again as the whole file). When every
    element is new, the array's own text is cut at its headers; else the new elements are
    dumped each after a never-inline element and cut there. A cut is trusted only when it
    gives one text per element, each starting with its header: a text typed to look like
    a header only ever adds a cut, and then each element is dumped on its own. True when
    that showed tomli_w writes the whole array as tables (else `_as_tables` says)."""
    if not pieces:
        return False
    if all_of is not None and len(pieces) == len(all_of):
        # Nothing kept (the first save): the array as tomli_w writes it, cut at each
        # element's header, if it is written as tables and no text holds that header.
        head = f"[[{key}]]\n"
        whole = tomli_w.dumps({key: all_of}, multiline_strings=True)
        texts = whole.split(f"\n{head}")
        if whole.startswith(head) and len(texts) == len(pieces):
            for index, (piece, text) in enumerate(zip(pieces, texts, strict=True)):
                piece.text = text if index == 0 else head + text
            return True
    marker = tomli_w.dumps({key: [_NEVER_INLINE]}, multiline_strings=True)
    cut = f"\n{marker}\n"
    batch: list[Any] = []
    for piece in pieces:
        batch += [_NEVER_INLINE, piece.data]
    texts = tomli_w.dumps({key: batch}, multiline_strings=True)[len(marker) + 1 :].split(cut)
    if len(texts) != len(pieces) or not all(text.startswith(f"[[{key}]]\n") for text in texts):
        # A text that holds the marker itself (typed on purpose): each element on its own.
        texts = [tomli_w.dumps({key: [_NEVER_INLINE, piece.data]}, multiline_strings=True)[len(marker) + 1 :] for piece in pieces]
    for piece, text in zip(pieces, texts, strict=True):
        piece.text = text
    return False


def _as_tables(key: str, pieces: list[_Piece]) -> bool:
    """Whether tomli_w writes the array as tables: unless every element is short enough
    to go inline. Asks an element only when no element already known settles it."""
    if any(piece.inline is False for piece in pieces):
        return True
    for piece in pieces:
        if piece.inline is None:
            piece.inline = not tomli_w.dumps({key: [piece.data]}, multiline_strings=True).startswith(f"[[{key}]]\n")
            if not piece.inline:
                return True
    return False


def _element_key(item: Mapping[str, Any], index: int) -> object:
    """Where an element's text is kept: by its id (a proposal stays itself when another is
    added before it), else by its place."""
    found = item.get("id")
    return found if isinstance(found, str) else index


# Where a plain value's line is kept: beside its key, never an element's id or place.
_PLAIN = object()

# The data and text of every table and array element of the last save (see `dump_data`).
_kept: dict[tuple[str, object], _Piece] = {}


def newer_schema_reason(version: int) -> str:
    """Why a file of schema `version` (newer than ours) opens read-only."""
    return f"written by a newer workshop (schema {version}); open read-only"


def parse_session(text: str, shown: str) -> Session:
    """Parse session TOML text (upgrading older schemas); raise `FileProblems`.

    `shown` names the file in problems. A file of a newer schema is returned if the
    current model can read it; use `load_session` to learn that it is read-only.
    """
    return parse_session_text(text, shown)[0]


def parse_session_text(text: str, shown: str) -> tuple[Session, int]:
    """The session and the schema version the text was written in; `FileProblems` if unusable."""
    data = parse_toml(text, shown)
    try:
        data, version = migrate.migrate(data)
    except migrate.MigrationError as error:
        line = LineLocator(text).line_of((error.key,))
        raise FileProblems([Problem(shown, error.reason, error.key, line)]) from None
    try:
        return Session.model_validate(data), version
    except ValidationError as error:
        if version <= migrate.current_version():
            raise FileProblems(problems_from_validation(error, shown, text)) from None
        strict_error = error
    # A newer workshop may have added keys; without them the session may still be
    # readable (read-only). Anything else wrong and it cannot be shown at all.
    session = _validate_ignoring_unknown_keys(data)
    if session is None:
        reason = f"written by a newer workshop (schema {version}); this version cannot read it"
        problems = problems_from_validation(strict_error, shown, text)
        raise FileProblems([Problem(shown, reason, "schema", LineLocator(text).line_of(("schema",))), *problems])
    return session, version


def _validate_ignoring_unknown_keys(data: dict[str, Any]) -> Session | None:
    for _ in range(10):
        try:
            return Session.model_validate(data)
        except ValidationError as error:
            errors = error.errors(include_url=False)
            if any(item["type"] != "extra_forbidden" for item in errors):
                return None
            for item in errors:
                _delete_at(data, item["loc"])
    return None


def _delete_at(data: Any, loc: tuple[Any, ...]) -> None:
    node = data
    for part in loc[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(node, dict):
            continue  # a discriminated union's tag (`read`, `rate`...) is not in the data
        else:
            return
    if isinstance(node, dict):
        node.pop(loc[-1], None)
