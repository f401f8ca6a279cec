"""Finding a session file by what a person types: a path, a file name, an id or its prefix.

`workshop open/export/... SESSION` and the app's command line go through `find_session`,
which lists the folder (`workshop.storage.listing`, imported then) only when the
reference is not a file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from workshop.domain.errors import WorkshopError
from workshop.storage.paths import SUFFIX
from workshop.storage.tomlsafe import FileProblems, open_regular

if TYPE_CHECKING:
    from workshop.storage.listing import SessionSummary


class SessionNotFound(WorkshopError, LookupError):
    """`find_session` could not turn a reference into exactly one file; says why in one line."""


MIN_ID_PREFIX = 4


def find_session(folder: Path, ref: str | os.PathLike[str]) -> Path:
    """The session file `ref` means: a path to a file, a file name in `folder` (with or
    without `.toml`), an id, or an unambiguous id prefix of at least 4 characters.
    Raises `SessionNotFound`.
    """
    folder = Path(folder)
    text = os.fspath(ref)
    try:
        candidate = Path(text).expanduser()
    except RuntimeError:  # `~user` of no such user: taken as it is
        candidate = Path(text)
    has_folder = os.sep in text or bool(os.altsep and os.altsep in text)
    without_suffix = (
        [] if text.endswith(SUFFIX) or not candidate.name else [candidate.with_name(candidate.name + SUFFIX) if has_folder else folder / (text + SUFFIX)]
    )
    for path in [candidate, *without_suffix]:
        if path.is_file():
            return path
    if text.endswith(SUFFIX) or has_folder:
        in_folder = folder / candidate.name
        if candidate.name == text and in_folder.is_file():
            return in_folder
        tried = [candidate, *without_suffix, *([in_folder] if candidate.name == text else [])]
        # Something is there but is not a file to read (a pipe, a folder, a symlink
        # loop): say what, as `validate` does, rather than that nothing is there.
        reasons = [reason for reason in map(_not_a_file, tried) if reason is not None]
        raise SessionNotFound(reasons[0] if reasons else f"No such session file: {text}")
    wanted = text.strip().lower()
    if not wanted:
        raise SessionNotFound("Give a session id or a path")
    from workshop.storage.listing import SessionSummary, list_sessions

    summaries = [item for item in list_sessions(folder) if isinstance(item, SessionSummary)]
    exact = [item for item in summaries if item.id == wanted]
    if len(exact) == 1:
        return exact[0].path
    if len(exact) > 1:
        raise SessionNotFound(f"Id '{wanted}' is used by {len(exact)} files: {_names(exact)}; give a path instead")
    if len(wanted) < MIN_ID_PREFIX:
        raise SessionNotFound(f"No session with id '{wanted}' in {folder} (give at least {MIN_ID_PREFIX} characters of an id)")
    matches = [item for item in summaries if item.id.startswith(wanted)]
    if not matches:
        raise SessionNotFound(f"No session with id '{wanted}' in {folder}")
    if len(matches) > 1:
        raise SessionNotFound(f"The id prefix '{wanted}' matches {len(matches)} sessions ({_names(matches)}); give more of the id")
    return matches[0].path


def _not_a_file(path: Path) -> str | None:
    """Why `path` cannot be opened as a session file when something is there, else None."""
    try:
        if not os.path.lexists(path):
            return None
        with open_regular(path):
            return None
    except FileProblems as problems:
        return str(problems.first)
    except (OSError, ValueError):
        return None


def _names(items: list[SessionSummary]) -> str:
    # File names: the ids of files that share one are the same, and say nothing.
    shown = ", ".join(item.path.name for item in items[:5])
    return shown + (", ..." if len(items) > 5 else "")
