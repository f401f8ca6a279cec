"""The guard against copied words: no run of six words of the research summary in any
text of a shipped pack (names of behaviours, horizons and programmes, and the report's
title, are facts and may be used as they are)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

import pytest

from workshop.domain.models.pack import Pack
from workshop.domain.models.session import HORIZON_LABELS, TIME_HORIZONS
from workshop.storage.packs import builtin_content_dir, load_pack

DEFAULT_FILE = builtin_content_dir() / "resourceful-child-poverty.toml"
DEMO_FILE = builtin_content_dir() / "demo.toml"
# The research summary the default pack retells. It lives beside the repository, not in
# it: a developer's checkout without it skips the copying test, but in CI (where `CI` is
# set) a missing source fails, so the guard can never pass by silently not running.
SOURCE_FILE = Path(__file__).resolve().parents[2] / "shared/source/resourceful-leadership-child-poverty.txt"
# The report's names of the eight behaviours (lower case).
BEHAVIOUR_NAMES = {
    "openness to possibilities",
    "ability to collaborate",
    "belief in their team and people",
    "personal resilience and tenacity",
    "creating and sustaining commitment across a system",
    "focus on results and outcomes",
    "ability to simplify",
    "ability to learn continuously",
}
# The report's title may be quoted as it is (a fact), though it is longer than the run of
# words the copying test allows.
REPORT_TITLE = "Resourceful leadership: how directors of children's services improve outcomes for children"
# Names of the programmes and models the research reports, used as they are.
PROGRAMME_NAMES = ["Resource Panels", "Local Integrated Teams", "recording with care", "Think Family",
                   "Outcome Based Accountability", "Family Assessment Support Team", "Children's Trust"]
COPY_RUN = 6


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(DEFAULT_FILE)


def texts(value: object) -> Iterator[str]:
    """Every string a person reads in a pack, leaving out ids.

    `behaviours` is a list of ids in a vote but the behaviours themselves at the top of a
    pack: only the ids are left out (an earlier guard skipped both, and so never read a
    behaviour's name or description).
    """
    id_keys = {"id", "behaviour", "kind", "ratings"}
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in id_keys or (key == "behaviours" and all(isinstance(entry, str) for entry in item)):
                continue
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def words(text: str) -> list[str]:
    """Lower-case words, apostrophes dropped (children's = childrens), other punctuation a gap."""
    text = re.sub(r"['\u2018\u2019]", "", text.lower())
    return re.findall(r"[a-z0-9]+", text)


def pack_texts(pack: Pack) -> list[str]:
    """Every text of every field, the source credit, behaviours' names and descriptions included."""
    return list(texts(pack.model_dump(mode="json")))


def allowed_names() -> re.Pattern[str]:
    """Facts used as they are: behaviours' and horizons' names, programmes, the report's title."""
    # The report's names of the behaviours, not the pack's: a behaviour's name is checked like any text.
    names = [REPORT_TITLE, *BEHAVIOUR_NAMES, *(HORIZON_LABELS[h] for h in TIME_HORIZONS), *PROGRAMME_NAMES]
    names.sort(key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in names), re.IGNORECASE)


def copied_runs(pack: Pack, source_text: str) -> set[str]:
    """Runs of COPY_RUN words found both in the pack's texts and in the source.

    A name the pack may use breaks a run (the words either side are checked apart), as
    does a line break, so a list of names never joins into a run.
    """
    source_words = words(source_text)
    source_runs = {" ".join(source_words[i : i + COPY_RUN]) for i in range(len(source_words) - COPY_RUN + 1)}
    names = allowed_names()
    copied = set()
    for text in pack_texts(pack):
        for line in text.splitlines():
            for piece in names.split(line):
                piece_words = words(piece)
                for i in range(len(piece_words) - COPY_RUN + 1):
                    run = " ".join(piece_words[i : i + COPY_RUN])
                    if run in source_runs:
                        copied.add(run)
    return copied


@pytest.mark.parametrize("path", [DEFAULT_FILE, DEMO_FILE], ids=["default", "demo"])
def test_no_run_of_words_is_copied_from_the_source(path: Path) -> None:
    if not SOURCE_FILE.is_file():
        missing = f"source text not found at {SOURCE_FILE}"
        if os.environ.get("CI"):
            pytest.fail(f"{missing}; CI must provide it (../shared/source beside the repository)")
        pytest.skip(missing)
    copied = copied_runs(load_pack(path), SOURCE_FILE.read_text(encoding="utf-8"))
    assert not copied, sorted(copied)


def test_the_copy_guard_reads_every_field(pack: Pack) -> None:
    """A copied run is caught in a behaviour's name or description and in the credit."""
    source = "one two three four five six seven eight nine ten"
    assert not copied_runs(pack, source)
    for field in ("name", "description"):
        changed = pack.model_copy(deep=True)
        setattr(changed.behaviours[0], field, "and so two three four five six seven")
        assert copied_runs(changed, source) == {"two three four five six seven"}, field
    changed = pack.model_copy(deep=True)
    assert changed.source is not None
    changed.source.note = "Two three four five six seven."
    assert copied_runs(changed, source) == {"two three four five six seven"}
    # A run broken by an allowed name is not a copy; five words are not a run.
    changed = pack.model_copy(deep=True)
    changed.behaviours[1].description = f"two three {pack.behaviours[0].name} four five six seven. one two three four five"
    assert not copied_runs(changed, source)


@pytest.mark.parametrize("path", [DEFAULT_FILE, DEMO_FILE], ids=["default", "demo"])
def test_no_addresses_from_the_source(path: Path) -> None:
    for text in pack_texts(load_pack(path)):
        assert "http" not in text and "www." not in text and "c4eo.org" not in text.lower()


def test_copy_guard_fails_in_ci_when_the_source_is_missing(monkeypatch, tmp_path) -> None:
    """The guard must not skip its way to green in CI."""
    import test_packs_copying as module

    monkeypatch.setattr(module, "SOURCE_FILE", tmp_path / "missing.txt")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must provide it"):
        test_no_run_of_words_is_copied_from_the_source(DEMO_FILE)
    with pytest.raises(pytest.fail.Exception, match="CI must provide it"):
        test_no_run_of_words_is_copied_from_the_source(DEFAULT_FILE)
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        test_no_run_of_words_is_copied_from_the_source(DEMO_FILE)
