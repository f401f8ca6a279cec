"""Anything read by path must be a regular file: a named pipe or a device is refused at once.

Before, reading a FIFO blocked forever waiting for a writer (`workshop validate` hung).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from clirun import run_cli

from workshop.storage.packs import load_pack
from workshop.storage.settings import Settings, load_settings
from workshop.storage.store import list_sessions, load_session, open_session
from workshop.storage.tomlsafe import FileProblems, read_text
from workshop.storage.validate_file import check_file

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="named pipes are POSIX")


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return path


def test_validate_refuses_a_fifo_in_one_line_without_hanging(fifo: Path) -> None:
    result = run_cli("validate", str(fifo), timeout=30)
    assert result.returncode == 1
    assert result.stdout.strip() == f"{fifo}: is a named pipe (FIFO), not a regular file"
    assert "Traceback" not in result.stderr


def test_check_file_refuses_a_fifo_and_a_device(fifo: Path) -> None:
    (problem,) = check_file(fifo)
    assert problem.reason == "is a named pipe (FIFO), not a regular file"
    (problem,) = check_file(Path("/dev/null"))
    assert problem.reason == "is a device, not a regular file"


def test_packs_and_sessions_refuse_a_fifo(fifo: Path) -> None:
    with pytest.raises(FileProblems, match="named pipe"):
        load_pack(fifo)
    with pytest.raises(FileProblems, match="named pipe"):
        load_session(fifo)
    with pytest.raises(FileProblems, match="named pipe"):
        open_session(fifo)
    with pytest.raises(FileProblems, match="named pipe"):
        open_session(fifo, read_only=True)
    with pytest.raises(FileProblems, match="is a folder"):
        read_text(fifo.parent, 100)
    assert list_sessions(fifo.parent) == []


def test_settings_from_a_fifo_are_the_defaults(fifo: Path) -> None:
    assert load_settings(fifo) == Settings()


def test_a_regular_file_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "plain.toml"
    path.write_text('theme = "x"\n', encoding="utf-8")
    assert read_text(path, 100) == 'theme = "x"\n'
    assert load_settings(path).theme == "x"
