"""`export -o` never renames over what is not a regular file: a device is written through
as a stream, a pipe, a link or a folder is refused in one line and left as it was."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest
from clirun import run_cli
from factories import make_session

from workshop.storage.atomic import write_atomic
from workshop.storage.export import NotARegularTarget, _refusal, write_export
from workshop.storage.store import create_session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pipes, devices and links are POSIX here")


@pytest.fixture
def session(tmp_path: Path) -> Path:
    return create_session(tmp_path / "sessions", make_session(title="Targets"))


def _export(session: Path, target: str | Path):
    return run_cli("export", str(session), "-o", str(target), timeout=30)


def test_a_fifo_is_refused_and_stays_a_fifo(session: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "report.md"
    os.mkfifo(fifo)
    result = _export(session, fifo)
    assert result.returncode == 1
    assert result.stderr.strip() == f"workshop: Cannot write {fifo}: it is a named pipe (FIFO), not a regular file; nothing was written"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_is_refused_and_its_target_untouched(session: Path, tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("keep me", "utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    result = _export(session, link)
    assert result.returncode == 1
    assert result.stderr.strip() == f"workshop: Cannot write {link}: it is a symbolic link; give the file it points to; nothing was written"
    assert link.is_symlink() and target.read_text("utf-8") == "keep me"


def test_a_folder_is_refused(session: Path, tmp_path: Path) -> None:
    result = _export(session, tmp_path)
    assert result.returncode == 1 and "it is a folder; give a file name in it" in result.stderr
    assert tmp_path.is_dir()


def _device(folder: Path, name: str, minor: int) -> Path:
    """A character device of our own (1, minor: 3 is null, 7 is full) in the test's folder:
    the real /dev ones must never be at risk, even on code that would rename over them."""
    path = folder / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, AttributeError):
        pytest.skip("cannot make a device node here")
    return path


def test_a_character_device_is_written_through(session: Path, tmp_path: Path) -> None:
    null = _device(tmp_path, "null", 3)
    result = _export(session, null)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # nothing to say where it went
    assert stat.S_ISCHR(os.lstat(null).st_mode)


def test_a_full_device_is_one_line_and_stays_a_device(session: Path, tmp_path: Path) -> None:
    full = _device(tmp_path, "full", 7)
    result = _export(session, full)
    assert result.returncode == 1
    assert result.stderr.strip() == f"workshop: Cannot write {full}: No space left on device"
    assert stat.S_ISCHR(os.lstat(full).st_mode)


@pytest.mark.skipif(not os.path.islink("/dev/stdout"), reason="needs /dev/stdout as a link")
def test_dev_stdout_as_a_link_points_to_dash(session: Path) -> None:
    # Only looked at (lstat), never written: what `-o /dev/stdout` says when output is a pipe.
    assert _refusal(Path("/dev/stdout")) == ("it is not a regular file or a terminal; nothing was written ('-o -' writes to standard output)")
    dash = _export(session, "-")
    assert dash.returncode == 0 and "Targets" in dash.stdout


def test_write_export_refuses_in_storage_too(tmp_path: Path) -> None:
    fifo = tmp_path / "p.md"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularTarget):
        write_export("text", fifo)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [path.name for path in tmp_path.iterdir()] == ["p.md"]  # no temp file left


def test_the_atomic_write_never_renames_over_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "data.json"
    os.mkfifo(fifo)
    with pytest.raises(OSError, match="not a regular file"):
        write_atomic(fifo, b"{}", backup=False)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
