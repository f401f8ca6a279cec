"""The packs' titles and planned minutes for the home screen, read without pydantic.

The home screen lists the workshops available under the sessions; validating every pack
(`workshop.storage.packs.discover`) imports pydantic and the models, which cost the
start about a third of its time and memory. This reads only what the lines show (id,
title, the included sections' and activities' minutes) with `tomllib`. A pack is
validated fully when it is chosen (setup calls `discover`), except a pack of the user's
own: those are few, and one with a mistake must show on home as unusable, with its first
problem, rather than be listed as if it worked. A built-in file whose few keys are
not as a valid pack has them is handed to the full read, whose problems are then shown
as the full read shows them: so this never refuses a pack the full read accepts, and
names the same problem for one it refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workshop.domain.text import clean_line
from workshop.storage.packs import DEFAULT_PACK_ID, MAX_PACK_BYTES, pack_files, pack_sources
from workshop.storage.tomlsafe import FileProblems, load_toml_file


@dataclass(frozen=True)
class PackTitle:
    """One pack as the home screen lists it."""

    id: str
    title: str
    minutes: int
    path: Path
    builtin: bool


@dataclass
class PackTitles:
    """The packs found (in `discover`'s order), the problems of those that cannot be used
    (as lines), and id clashes."""

    entries: list[PackTitle] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Per unusable file: its path, its first problem and how many it has in all.
    refused: list[tuple[Path, str, int]] = field(default_factory=list)


def quick_packs(user_dir: Path | None) -> PackTitles:
    """Every pack's id, title and minutes, as `discover` would find them: the user's
    folder first (its packs win an id clash), then the built-in ones."""
    found = PackTitles()
    seen: dict[str, Path] = {}
    for folder, builtin in pack_sources(user_dir):
        for path in pack_files(folder):
            try:
                title = read_pack_title(path, builtin, full=not builtin)
            except FileProblems as error:
                found.problems.extend(str(problem) for problem in error.problems)
                if error.problems:
                    first = error.problems[0]
                    # The file is named beside it: the line, key and reason say the rest.
                    where = (f"line {first.line}: " if first.line else "") + (f"{first.key}: " if first.key else "")
                    found.refused.append((path, where + first.reason, len(error.problems)))
                continue
            if title.id in seen:
                found.warnings.append(f"Pack id '{title.id}' is defined twice: using {seen[title.id]}, ignoring {path}")
                continue
            seen[title.id] = path
            found.entries.append(title)
    found.entries.sort(key=lambda entry: (entry.id != DEFAULT_PACK_ID, entry.title.lower()))
    return found


def read_pack_title(path: Path, builtin: bool = False, *, full: bool = False) -> PackTitle:
    """The id, title and minutes of the pack at `path`; raises `FileProblems` as the full
    read (`load_pack`) does when the file is not a pack it accepts. `full` always makes
    the full read (a user's own pack, which may be wrong in ways the quick read skips)."""
    data, _ = load_toml_file(path, MAX_PACK_BYTES)
    quick = None if full else _quick(data)
    if quick is not None:
        return PackTitle(quick[0], quick[1], quick[2], path, builtin)
    # Unusual or wrong: the full read decides, and names the problem if there is one.
    from workshop.storage.packs import load_pack

    pack = load_pack(path)
    return PackTitle(pack.id, pack.title, pack.minutes, path, builtin)


def _quick(data: dict[str, Any]) -> tuple[str, str, int] | None:
    """(id, title, minutes) when the keys read are exactly as a valid pack has them, else None."""
    pack_id, title, sections = data.get("id"), data.get("title"), data.get("sections")
    if not isinstance(pack_id, str) or not isinstance(title, str) or not isinstance(sections, list) or not sections:
        return None
    shown = clean_line(title)
    if not shown.strip():
        return None
    minutes = 0
    for section in sections:
        if not isinstance(section, dict) or not isinstance(section.get("activities"), list):
            return None
        section_included = section.get("included", True)
        if not isinstance(section_included, bool):
            return None
        for activity in section["activities"]:
            if not isinstance(activity, dict):
                return None
            included, planned = activity.get("included", True), activity.get("minutes")
            if not isinstance(included, bool) or type(planned) is not int:
                return None
            if section_included and included:
                minutes += planned
    return pack_id, shown, minutes
