"""Upgrading older session files; never downgrading newer ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import make_session

import workshop.storage.migrate as migrate
from workshop.storage.store import (
    SaveError,
    dump_session,
    list_sessions,
    load_session,
    parse_session,
    save_session,
)
from workshop.storage.tomlsafe import FileProblems


def test_current_data_is_unchanged() -> None:
    data = {"schema": migrate.SCHEMA_VERSION, "title": "x"}
    assert migrate.migrate(dict(data)) == (data, migrate.SCHEMA_VERSION)


def test_newer_data_is_returned_as_it_is() -> None:
    data = {"schema": 99, "title": "x"}
    assert migrate.migrate(dict(data)) == (data, 99)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({}, "required key is missing; this does not look like a workshop session file"),
        ({"schema": "1"}, "should be a whole number, not '1'"),
        ({"schema": True}, "should be a whole number, not True"),
        ({"schema": 1.0}, "should be a whole number, not 1.0"),
        ({"schema": 0}, "should be at least 1, not 0"),
    ],
)
def test_bad_schema_numbers(data: dict, reason: str) -> None:
    with pytest.raises(migrate.MigrationError) as caught:
        migrate.migrate(data)
    assert caught.value.reason == reason and caught.value.key == "schema"


@pytest.fixture
def pretend_version_2(monkeypatch):
    """Pretend the current schema is 2, where version 1 called `team` `group`."""

    def rename_group(data: dict) -> dict:
        if "group" in data:
            data["team"] = data.pop("group")
        return data

    monkeypatch.setattr(migrate, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(migrate, "MIGRATIONS", {1: rename_group})


def _version_1_text() -> str:
    text = dump_session(make_session())
    assert 'team = "Leadership team"' in text
    return text.replace('team = "Leadership team"', 'group = "Old name for a team"', 1)


def test_chain_runs_each_step(monkeypatch) -> None:
    steps = []
    monkeypatch.setattr(migrate, "SCHEMA_VERSION", 4)
    monkeypatch.setattr(migrate, "MIGRATIONS", {n: (lambda data, n=n: steps.append(n) or {**data, f"v{n + 1}": True}) for n in (1, 2, 3)})  # type: ignore[func-returns-value]  # a spy: notes the call, then makes the real one
    data, original = migrate.migrate({"schema": 1})
    assert original == 1 and steps == [1, 2, 3]
    assert data == {"schema": 4, "v2": True, "v3": True, "v4": True}
    steps.clear()
    assert migrate.migrate({"schema": 3})[0] == {"schema": 4, "v4": True} and steps == [3]


def test_a_gap_in_the_chain_is_reported(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(migrate, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(migrate, "MIGRATIONS", {2: lambda data: data})
    with pytest.raises(migrate.MigrationError, match="cannot upgrade files of schema 1"):
        migrate.migrate({"schema": 1})
    path = tmp_path / "old.toml"
    path.write_text(dump_session(make_session()), encoding="utf-8")
    with pytest.raises(FileProblems) as caught:
        load_session(path)
    assert caught.value.first.key == "schema" and caught.value.first.line == 1


def test_older_file_is_migrated_on_read(pretend_version_2, tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text(_version_1_text(), encoding="utf-8")
    loaded = load_session(path)
    assert loaded.migrated_from == 1 and not loaded.read_only
    assert loaded.session.team == "Old name for a team"
    assert loaded.session.schema_ == 2
    assert parse_session(_version_1_text(), "x").team == "Old name for a team"


def test_saving_a_migrated_file_upgrades_it_and_keeps_the_old_as_bak(pretend_version_2, tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    old_text = _version_1_text()
    path.write_text(old_text, encoding="utf-8")
    loaded = load_session(path)
    loaded.save()
    text = path.read_text(encoding="utf-8")
    # The listing's line first (see workshop.storage.listing_head), then the model's keys.
    assert text.startswith("# listed as: ") and text.split("\n", 1)[1].startswith("schema = 2\n")
    assert 'team = "Old name for a team"' in text and "group" not in text
    assert Path(f"{path}.bak").read_text(encoding="utf-8") == old_text
    assert load_session(path).migrated_from is None


def test_listing_migrates_older_files(pretend_version_2, tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text(_version_1_text(), encoding="utf-8")
    [summary] = list_sessions(tmp_path)
    assert summary.team == "Old name for a team" and summary.schema == 2 and not summary.read_only


def test_files_are_never_downgraded(tmp_path: Path) -> None:
    # A version-2 file read by this (version-1) workshop: read-only, and kept that way.
    path = tmp_path / "future.toml"
    text = dump_session(make_session()).replace("schema = 1\n", "schema = 2\n", 1)
    path.write_text(text, encoding="utf-8")
    loaded = load_session(path)
    assert loaded.read_only and loaded.session.schema_ == 2
    with pytest.raises(SaveError, match=r"newer workshop \(schema 2\)"):
        save_session(loaded.session, path)
    assert path.read_text(encoding="utf-8") == text
    [summary] = list_sessions(tmp_path)
    assert summary.read_only and summary.schema == 2
