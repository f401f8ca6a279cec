"""`open` names what is wrong with a path that is not a file; `validate` tells a newer
session from a pack and does not call a read-only session "ok"."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from clirun import run_cli
from factories import make_session

from workshop.storage.store import create_session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pipes and symlinks are POSIX here")


@pytest.mark.parametrize("kind", ["fifo", "folder", "loop"])
def test_open_gives_the_real_reason_for_what_is_not_a_file(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "odd.toml"
    reason = {
        "fifo": "is a named pipe (FIFO), not a regular file",
        "folder": "is a folder, not a file",
        "loop": "cannot be read (Too many levels of symbolic links)",
    }[kind]
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to(path.name)
    for reference in (str(path), path.name):
        result = run_cli("open", reference, "--sessions-dir", str(tmp_path), timeout=30)
        assert result.returncode == 1
        assert result.stderr.strip() == f"workshop: {path}: {reason}"


def test_validate_takes_a_lone_schema_for_a_session_not_a_pack(tmp_path: Path) -> None:
    path = tmp_path / "future.toml"
    path.write_text("schema = 999\n", "utf-8")
    result = run_cli("validate", str(path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}:1: schema: written by a newer workshop (schema 999); this version cannot read it"
    assert not any("unknown key" in line or "summary" in line for line in lines)  # no pack's problems


def test_validate_does_not_call_a_read_only_session_ok(tmp_path: Path) -> None:
    session = create_session(tmp_path, make_session())
    newer = tmp_path / "newer.toml"
    text = session.read_text("utf-8")
    assert "\nschema = 1\n" in text  # after the listing's line
    newer.write_text(text.replace("\nschema = 1\n", "\nschema = 7\n", 1), "utf-8")
    result = run_cli("validate", str(newer))
    assert result.returncode == 1
    assert "ok" not in result.stderr
    assert result.stdout.strip() == (
        f"{newer}:2: schema: written by a newer workshop (schema 7, this one knows up to 1): "  # line 1: the listing's
        "it opens read-only here, and what that version added is not checked"
    )
    assert run_cli("validate", str(session)).returncode == 0
