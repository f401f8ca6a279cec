"""Checks that only a user bound by file permissions can make: a folder the user may read
but not write. Root ignores those permissions, so as root (as under CI in a container) the
check runs in a child process as `nobody`, through `setpriv` or else `runuser`; without
either it is skipped, except under CI, where that is a failure."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from clirun import ROOT

UNPRIVILEGED = "nobody"


def _as_unprivileged() -> list[str]:
    """The command prefix that runs a command as `nobody` (root only), or a skip saying why not."""
    account = pwd.getpwnam(UNPRIVILEGED)
    if shutil.which("setpriv"):
        return ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups"]
    if shutil.which("runuser"):
        return ["runuser", "-u", UNPRIVILEGED, "--"]
    reason = "running as root, and neither setpriv nor runuser is there to drop to an unprivileged user"
    if os.environ.get("CI"):
        pytest.fail(reason + ", and CI must run the read-only folder tests")
    pytest.skip(reason)


@contextmanager
def user_folder(tmp_path: Path) -> Iterator[Path]:
    """An empty folder for the test to fill, which `read_only_run` can hand to the user.

    Not root: `tmp_path` itself. Root: pytest's folders are root's alone (mode 0700), out
    of nobody's reach, so a new folder under the system's temporary folder, removed after.
    """
    if os.geteuid() != 0:
        yield tmp_path
        return
    _as_unprivileged()  # skip before the test does any work
    # The system's own temporary folder: the tests' conftest points `tempfile` at each
    # test's folder, which is under pytest's root-only one.
    folder = Path(tempfile.mkdtemp(prefix="workshop-unprivileged-", dir="/tmp"))
    try:
        yield folder
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder)


def read_only_run(folder: Path, code: str) -> str:
    """Run Python `code` (`sys.argv[1]` is `folder`) as a user who owns `folder` and the
    files in it but may not write to it (mode 0500); return what it printed.

    Not root: the user running the tests, the folder made read-only. Root: `nobody`, given
    the folder and its files first. The child checks it is not root, so a drop that did not
    happen fails instead of passing on root's powers.
    """
    prefix: list[str] = []
    if os.geteuid() == 0:
        prefix = _as_unprivileged()
        account = pwd.getpwnam(UNPRIVILEGED)
        for path in (folder, *folder.rglob("*")):
            os.chown(path, account.pw_uid, account.pw_gid, follow_symlinks=False)
    check = "import os\nassert os.geteuid() != 0, 'still root'\n" + code
    folder.chmod(0o500)
    try:
        done = subprocess.run(
            [*prefix, sys.executable, "-c", check, str(folder)],
            cwd=ROOT,  # `workshop` from this checkout; `nobody` may read it but not write bytecode
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    finally:
        folder.chmod(0o700)
    assert done.returncode == 0, f"the read-only check failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout
