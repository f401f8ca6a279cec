"""The session file format: names, and TOML text to and from a `Session`.

No I/O beyond what the names need: `workshop.storage.store` reads, writes and lists the files.
A file of a newer schema than this workshop knows is read leniently (keys it does not
know are ignored) so it can be reviewed read-only; it is never written back.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from workshop.domain.models.session import Session
from workshop.domain.text import slugify
from workshop.storage import migrate
from workshop.storage.paths import MAX_SESSION_BYTES as MAX_SESSION_BYTES  # re-exported
from workshop.storage.paths import SUFFIX as SUFFIX  # re-exported
from workshop.storage.piecewise import dump_data as dump_data  # re-exported
from workshop.storage.piecewise import dump_data_bytes as dump_data_bytes  # re-exported
from workshop.storage.piecewise import dump_data_chunks as dump_data_chunks  # re-exported
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
