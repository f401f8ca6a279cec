"""Finding and loading workshop packs.

Packs come from two places: those shipped inside the package (`workshop/_content` in an
installed wheel, `content/` in a source checkout) and those in the user's own content
folder. A pack in the user's folder with the same id as a built-in one takes its place,
with a warning naming both files, so a facilitator can adapt a shipped pack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workshop.storage.tomlsafe import FileProblems, Problem, load_toml_file

if TYPE_CHECKING:
    from workshop.domain.models.pack import Pack

# pydantic and the models are imported where a pack is validated, not here: the home
# screen lists the packs' titles (`workshop.storage.pack_titles`) without them.

MAX_PACK_BYTES = 1 << 20
DEFAULT_PACK_ID = "resourceful-child-poverty"
DEMO_PACK_ID = "demo"


def builtin_content_dir() -> Path:
    """The packs that ship with the app."""
    package = Path(__file__).resolve().parent.parent
    installed = package / "_content"
    return installed if installed.is_dir() else package.parent / "content"


def load_pack(path: Path) -> Pack:
    """Read and validate one pack file; raise `FileProblems` listing what is wrong."""
    from pydantic import ValidationError

    from workshop.domain.models.pack import Pack
    from workshop.storage.problems import problems_from_validation

    data, text = load_toml_file(path, MAX_PACK_BYTES)
    try:
        return Pack.model_validate(data)
    except ValidationError as error:
        raise FileProblems(problems_from_validation(error, str(path), text, agenda_data=data)) from None


@dataclass
class PackEntry:
    pack: Pack
    path: Path
    builtin: bool


@dataclass
class Catalogue:
    """The packs found, plus files that could not be used and id clashes."""

    entries: list[PackEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def get(self, pack_id: str) -> PackEntry | None:
        return next((entry for entry in self.entries if entry.pack.id == pack_id), None)

    @property
    def default(self) -> PackEntry | None:
        return self.get(DEFAULT_PACK_ID) or (self.entries[0] if self.entries else None)


def pack_files(folder: Path) -> list[Path]:
    """The `*.toml` files of `folder`, by name; none when it cannot be read."""
    try:
        return sorted(path for path in folder.glob("*.toml") if path.is_file())
    except OSError:
        return []


def pack_sources(user_dir: Path | None) -> list[tuple[Path, bool]]:
    """The folders packs are read from, in order, each with whether it is built in: the
    user's folder first (its packs win an id clash), then the built-in ones."""
    sources: list[tuple[Path, bool]] = []
    if user_dir is not None:
        sources.append((user_dir, False))
    sources.append((builtin_content_dir(), True))
    return sources


def discover(user_dir: Path | None) -> Catalogue:
    """All packs: the user's folder first (its packs win an id clash), then built-ins."""
    catalogue = Catalogue()
    seen: dict[str, Path] = {}
    for folder, builtin in pack_sources(user_dir):
        for path in pack_files(folder):
            try:
                pack = load_pack(path)
            except FileProblems as error:
                catalogue.problems.extend(error.problems)
                continue
            if pack.id in seen:
                catalogue.warnings.append(f"Pack id '{pack.id}' is defined twice: using {seen[pack.id]}, ignoring {path}")
                continue
            seen[pack.id] = path
            catalogue.entries.append(PackEntry(pack, path, builtin))
    catalogue.entries.sort(key=lambda entry: (entry.pack.id != DEFAULT_PACK_ID, entry.pack.title.lower()))
    return catalogue
