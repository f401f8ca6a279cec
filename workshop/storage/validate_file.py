"""`workshop validate`: check any pack or session file and list its problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workshop.storage.tomlsafe import FileProblems, Problem, load_toml_file

# Sessions may be larger than packs (notes pile up); the store enforces its own cap too.
_LARGEST_FILE = 4 << 20


def looks_like_session(data: dict[str, Any]) -> bool:
    """Session files carry a schema version and an embedded agenda; packs carry neither,
    so either one makes the file a session (a file holding only `schema = 999` is a
    session from a newer workshop, not a pack missing its keys)."""
    return "schema" in data or "agenda" in data


def check_file(path: Path) -> list[Problem]:
    """Every problem in `path` (a pack or a session); empty when it is valid."""
    from workshop.storage.packs import MAX_PACK_BYTES, load_pack

    try:
        data, text = load_toml_file(path, _LARGEST_FILE)
        if looks_like_session(data):
            from workshop.storage.migrate import current_version
            from workshop.storage.session_format import parse_session_text

            _, version = parse_session_text(text, str(path))
            if version > current_version():
                # Readable only by leaving out what this version does not know: not "ok",
                # as what it left out was not checked and the file cannot be changed here.
                return [
                    Problem(
                        str(path),
                        f"written by a newer workshop (schema {version}, this one knows up to "
                        f"{current_version()}): it opens read-only here, and what that version added is not checked",
                        "schema",
                        _line_of_schema(text),
                    )
                ]
        else:
            if len(text.encode("utf-8")) > MAX_PACK_BYTES:
                return [Problem(str(path), "is larger than 1 MiB, too large to be a workshop pack")]
            load_pack(path)
    except FileProblems as error:
        return error.problems
    return []


def _line_of_schema(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("schema"):
            return number
    return None
