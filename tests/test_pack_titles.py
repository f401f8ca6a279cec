"""The home screen's quick read of the packs (id, title, minutes without pydantic) against
the full, validating read: the same for the shipped packs, and never refusing a pack
the full read accepts."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop.storage.pack_titles import quick_packs, read_pack_title
from workshop.storage.packs import builtin_content_dir, discover, load_pack
from workshop.storage.tomlsafe import FileProblems

SHIPPED = sorted(builtin_content_dir().glob("*.toml"))


def test_both_packs_ship() -> None:
    assert {path.stem for path in SHIPPED} >= {"demo", "resourceful-child-poverty"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_the_quick_read_of_a_shipped_pack_matches_the_full_read(path: Path) -> None:
    pack = load_pack(path)
    quick = read_pack_title(path, builtin=True)
    assert (quick.id, quick.title, quick.minutes) == (pack.id, pack.title, pack.minutes)
    assert quick.minutes > 0


def _write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(tomli_w.dumps(data, multiline_strings=True), "utf-8")
    return path


def test_the_quick_list_matches_discover_with_a_users_folder(tmp_path: Path) -> None:
    demo = tomllib.loads((builtin_content_dir() / "demo.toml").read_text("utf-8"))
    mine = {**copy.deepcopy(demo), "id": "mine", "title": "Zebra: my own [b]day[/b]"}
    mine["sections"][0]["included"] = False
    user = tmp_path / "content"
    _write(user, "mine.toml", mine)
    _write(user, "demo-copy.toml", {**copy.deepcopy(demo), "title": "My demo"})  # wins the clash
    (user / "broken.toml").write_text("id = [", "utf-8")
    _write(user, "empty.toml", {"id": "empty", "title": "Empty", "sections": []})
    full, quick = discover(user), quick_packs(user)
    assert [(e.pack.id, e.pack.title, e.pack.minutes, e.path, e.builtin) for e in full.entries] == [
        (e.id, e.title, e.minutes, e.path, e.builtin) for e in quick.entries
    ]
    assert quick.warnings == full.warnings and len(quick.warnings) == 1
    assert quick.problems == [str(problem) for problem in full.problems] and len(quick.problems) >= 2


# Changes a facilitator might make to a pack by hand: some keep it valid, some do not.
_CHANGES = st.lists(
    st.tuples(
        st.sampled_from(["section included", "activity included", "minutes", "drop minutes", "drop title", "title", "drop activities", "id"]),
        st.integers(0, 200),
        st.one_of(st.booleans(), st.integers(-5, 500), st.text(max_size=20), st.none(), st.floats(allow_nan=False)),
    ),
    max_size=4,
)


def _changed(data: dict[str, Any], changes: list[tuple[str, int, Any]]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    sections = data["sections"]
    for change, where, value in changes:
        section = sections[where % len(sections)]
        activity = section["activities"][where % len(section["activities"])] if section.get("activities") else {}
        if value is None and change not in ("drop minutes", "drop title", "drop activities"):
            continue  # TOML has no null
        if change == "section included":
            section["included"] = value
        elif change == "activity included":
            activity["included"] = value
        elif change == "minutes":
            activity["minutes"] = value
        elif change == "drop minutes":
            activity.pop("minutes", None)
        elif change == "drop title":
            data.pop("title", None)
        elif change == "title":
            data["title"] = value
        elif change == "drop activities":
            section.pop("activities", None)
        elif change == "id":
            data["id"] = value
    return data


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=_CHANGES)
def test_the_quick_read_accepts_whatever_the_full_read_accepts_and_agrees(tmp_path: Path, path: Path, changes: list[tuple[str, int, Any]]) -> None:
    data = _changed(tomllib.loads(path.read_text("utf-8")), changes)
    changed = _write(tmp_path, "changed.toml", data)
    try:
        pack = load_pack(changed)
    except FileProblems as refused:
        try:
            quick = read_pack_title(changed)
        except FileProblems as also:
            assert [str(problem) for problem in also.problems] == [str(problem) for problem in refused.problems]
        else:
            # Listed by title only; refused, with the reasons, when chosen in setup.
            assert quick.id == data["id"]
        return
    quick = read_pack_title(changed)
    assert (quick.id, quick.title, quick.minutes) == (pack.id, pack.title, pack.minutes)
