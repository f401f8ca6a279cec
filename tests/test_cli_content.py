"""The command line for packs: --version, --help, content, validate."""

from __future__ import annotations

import json

import pytest
from clirun import run_cli
from pack_texts import VALID_PACK

from workshop import __version__


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"workshop {__version__}"


@pytest.mark.parametrize("command", [[], ["content"], ["validate"], ["new"], ["list"], ["open"]])
def test_help_for_every_command(command):
    result = run_cli(*command, "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: workshop")
    assert "--sessions-dir" in result.stdout or command == ["validate"]


def test_usage_error_is_one_line():
    result = run_cli("frobnicate")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr


def test_content_json_lists_both_packs():
    result = run_cli("content", "--json")
    assert result.returncode == 0, result.stderr
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {"resourceful-child-poverty", "demo"}
    default = rows["resourceful-child-poverty"]
    assert {"id", "title", "path", "sections", "minutes", "behaviours"} <= set(default)
    assert len(default["behaviours"]) == 8
    assert 170 <= default["minutes"] <= 195
    assert 6 <= rows["demo"]["minutes"] <= 12


def test_content_table_shows_totals():
    result = run_cli("content")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["ID", "TITLE", "SECTIONS", "MINUTES"]
    assert lines[1].startswith("resourceful-child-poverty")
    assert any(line.startswith("demo") for line in lines)


def test_user_pack_and_duplicate_id_warning(tmp_path):
    (tmp_path / "tiny.toml").write_text(VALID_PACK, encoding="utf-8")
    clash = VALID_PACK.replace('id = "tiny"', 'id = "demo"').replace('title = "Tiny workshop"', 'title = "My demo"')
    (tmp_path / "mydemo.toml").write_text(clash, encoding="utf-8")
    (tmp_path / "broken.toml").write_text("id = ", encoding="utf-8")
    result = run_cli("content", "--json", env={"WORKSHOP_CONTENT_DIR": str(tmp_path)})
    assert result.returncode == 0
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {"resourceful-child-poverty", "demo", "tiny"}
    assert rows["demo"]["title"] == "My demo"
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert str(tmp_path / "mydemo.toml") in warnings[0] and "demo.toml" in warnings[0].split("ignoring")[1]
    assert any(line.startswith(f"skipped: {tmp_path / 'broken.toml'}:1") for line in result.stderr.splitlines())
    # The option beats the environment variable.
    other = tmp_path / "other"
    other.mkdir()
    result = run_cli("content", "--json", "--content-dir", str(other), env={"WORKSHOP_CONTENT_DIR": str(tmp_path)})
    assert {row["id"] for row in json.loads(result.stdout)} == {"resourceful-child-poverty", "demo"}


def test_validate_shipped_packs_ok():
    result = run_cli("validate", "content/resourceful-child-poverty.toml", "content/demo.toml")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""


def test_validate_reports_each_problem_and_exits_1(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(VALID_PACK, encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(VALID_PACK.replace("minutes = 5", "minutes = 0").replace('behaviour = "collab"', 'behaviour = "nobody"'), encoding="utf-8")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run_cli("validate", str(good), str(bad), str(binary), str(tmp_path / "missing.toml"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{bad}:22: sections[0].activities[0].minutes: should be at least 1, not 0",
        f"{bad}:28: sections[1].behaviour: refers to behaviour 'nobody', which the pack does not define",
        f"{binary}:1: is not UTF-8 text (bad byte at offset 0)",
        f"{tmp_path / 'missing.toml'}: no such file",
    ]
    assert "Traceback" not in result.stderr
