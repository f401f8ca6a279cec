"""`workshop validate`: check any pack or session file and list its problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workshop.storage.tomlsafe import FileProblems, Problem, load_toml_file

# Sessions may be larger than packs (notes pile up); the store enforces its own cap too.
_LARGEST_FILE = 4 << 20


def looks_like_session(data: dict[str, Any]) -> bool:
    """Session files carry a schema version and an embedded agenda; packs carry neither."""
    return "schema" in data and "agenda" in data


def check_file(path: Path) -> list[Problem]:
    """Every problem in `path` (a pack or a session); empty when it is valid."""
    from workshop.storage.packs import MAX_PACK_BYTES, load_pack

    try:
        data, text = load_toml_file(path, _LARGEST_FILE)
        if looks_like_session(data):
            from workshop.storage.store import parse_session

            parse_session(text, str(path))
        else:
            if len(text.encode("utf-8")) > MAX_PACK_BYTES:
                return [Problem(str(path), "is larger than 1 MiB, too large to be a workshop pack")]
            load_pack(path)
    except FileProblems as error:
        return error.problems
    return []
