"""File figures: saving and loading sessions of three sizes, listing big folders."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tomllib
from functools import partial
from pathlib import Path

import tomli_w

from benchmarks.figures import Figure, interleaved, med
from benchmarks.sessions import SIZES, TYPICAL, Size, build, write_folder
from workshop.storage import listing as listing_module
from workshop.storage.autosave import BackupSchedule, save_snapshot
from workshop.storage.listing import list_sessions
from workshop.storage.listing_index import INDEX_NAME
from workshop.storage.piecewise import forget_dumped
from workshop.storage.snapshot import SessionSnapshots
from workshop.storage.store import LoadedSession, create_session, load_session, open_session

ROOT = Path(__file__).resolve().parents[1]


def _plain_save(data: dict[str, object], path: Path) -> None:
    """The baseline: `tomli_w.dumps`, write and fsync, nothing else."""
    text = tomli_w.dumps(data, multiline_strings=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())


def _safe_write(data: bytes, path: Path) -> None:
    """The baseline of a save: the same bytes written safely (write, fsync, rename, and the
    folder fsynced: without it the rename itself may be lost in a power cut, leaving the
    old file, so a save that is "recorded" must do it, as the app's does), nothing else."""
    temporary = path.with_suffix(".tmp")
    with open(temporary, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


# The UI thread's snapshot for each decision, at most (ms): typical, and the largest sizes.
SNAPSHOT_TARGETS_MS = {"typical": 5.0, "10x": 20.0, "100x": 20.0}


def save_and_load(repeat: int, sizes: tuple[Size, ...] = SIZES) -> list[Figure]:
    """Save and load of each size against `tomli_w`+write+fsync and `tomllib.loads`."""
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="workshop-bench-") as temp:
        folder = Path(temp)
        for size in sizes:
            session = build(size)
            path = create_session(folder, session)
            # Opened as the app opens it, its lock held: every save verifies the lock.
            loaded = open_session(path)
            data = session.model_dump(mode="python", by_alias=True, exclude_none=True)
            plain = folder / f"plain-{size.name}.toml"
            text = path.read_text("utf-8")
            kb = len(text.encode()) / 1024

            snapshots: list[float] = []
            # The autosaver's own snapshots and `.bak` schedule (one each per open session);
            # the first save forgets the snapshots and starts a schedule of its own.
            taker = SessionSnapshots()
            backups = BackupSchedule()
            safe = folder / f"safe-{size.name}.toml"
            times = interleaved(
                {
                    "save": partial(_save_after_a_change, loaded, snapshots, keep=True, taker=taker, backups=backups),
                    "safe": lambda path=path, safe=safe: _safe_write(path.read_bytes(), safe),  # type: ignore[misc]
                    "first save": lambda loaded=loaded, taker=taker: _save_after_a_change(loaded, [], keep=False, taker=taker, backups=BackupSchedule()),  # type: ignore[misc]
                    "plain": lambda data=data, plain=plain: _plain_save(data, plain),  # type: ignore[misc]
                    "load": lambda path=path: load_session(path) and None,  # type: ignore[misc, dict-item]  # the result is dropped: only the time counts
                    "tomllib": lambda text=text: tomllib.loads(text) and None,  # type: ignore[misc, dict-item]  # the result is dropped: only the time counts
                },
                repeat,
            )
            loaded.close()
            figures.append(
                Figure(
                    f"save after a change, {size.name} session ({kb:.0f} KB)",
                    med(times["save"]) * 1000,
                    "ms",
                    med(times["safe"]) * 1000,
                    1.3,
                    note="every autosave, on the writer thread: one proposal's text changed since the last "
                    "(the .bak refreshed by the autosaver's schedule: at its first save, then every few minutes); "
                    "baseline: the same bytes written, fsynced and renamed, and the folder fsynced "
                    "(a rename is durable only then; the app's save does it)",
                )
            )
            figures.append(
                Figure(
                    f"snapshot per decision (UI thread), {size.name} session",
                    med(snapshots) * 1000,
                    "ms",
                    target=SNAPSHOT_TARGETS_MS.get(size.name, 20.0),
                    absolute=True,
                    note="the autosaver's snapshot (SessionSnapshots.take), taken on the UI thread once a write",
                )
            )
            figures.append(
                Figure(
                    f"first save, {size.name} session ({kb:.0f} KB)",
                    med(times["first save"]) * 1000,
                    "ms",
                    med(times["plain"]) * 1000,
                    1.3,
                    note="snapshot and save, nothing kept from an earlier save (the first after opening); baseline: tomli_w.dumps + write + fsync",
                )
            )
            figures.append(
                Figure(
                    f"load, {size.name} session ({kb:.0f} KB)",
                    med(times["load"]) * 1000,
                    "ms",
                    med(times["tomllib"]) * 1000,
                    1.3,
                    note="baseline: tomllib.loads",
                )
            )
    return figures


def _save_after_a_change(loaded: LoadedSession, snapshots: list[float], *, keep: bool, taker: SessionSnapshots, backups: BackupSchedule) -> float:
    """Change one proposal's text (as a room does between two autosaves), then take the
    autosaver's snapshot (`SessionSnapshots.take`, on the UI thread: its time goes to
    `snapshots`) and time the autosaver's own save, `save_snapshot` (dump, atomic write,
    fsync, the `.bak` when `backups` says it is due: the writer thread's part). Without
    `keep`, as the first save after opening: nothing kept from an earlier snapshot or
    save (see `workshop.storage.piecewise`), and the snapshot is counted in the time."""
    proposal = loaded.session.proposals[0]
    proposal.text = proposal.text[:-1] + ("a" if proposal.text[-1:] != "a" else "b")
    if not keep:
        taker.forget()
        forget_dumped()
    started = time.perf_counter()
    data = taker.take(loaded.session)
    taken = time.perf_counter()
    snapshots.append(taken - started)
    save_snapshot(loaded, data, backups)
    return time.perf_counter() - (taken if keep else started)


def listing(repeat: int, counts: tuple[int, int] = (1000, 10000)) -> list[Figure]:
    """`list_sessions` of two folder sizes, as a new process finds them: warm (the folder's
    index, `.workshop-index.json`, up to date: the usual case, which the targets are for)
    and cold (no index, every file read); the larger's baseline is the smaller's time
    scaled up, so the ratio says how far from linear it grows. And `workshop list` as a
    process, warm and cold."""
    small, large = counts
    template = build(TYPICAL)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="workshop-bench-") as temp:
        folder = Path(temp) / "small"
        write_folder(folder, small, template)
        big = Path(temp) / "large"
        write_folder(big, large, template)
        _list(folder, cold=True)  # the indexes the warm figures start from
        _list(big, cold=True)
        times = interleaved(
            {
                "small": lambda: _list(folder, cold=False),
                "large": lambda: _list(big, cold=False),
                "small cold": lambda: _list(folder, cold=True),
                "small read": lambda: _read_every_file(folder),
                "large cold": lambda: _list(big, cold=True),
                "large read": lambda: _read_every_file(big),
                "cli": lambda: _cli_list(folder, Path(temp)),
            },
            repeat,
        )
    first = med(times["small"])
    figures.append(
        Figure(
            f"list {small:,} session files",
            first,
            "s",
            target=small / 1000,
            absolute=True,
            note="the folder's index up to date (the usual case); target: 1 s for 1,000",
        )
    )
    figures.append(
        Figure(
            f"list {large:,} session files",
            med(times["large"]),
            "s",
            first * large / small,
            1.3,
            note=f"baseline: the {small:,} files' time x {large // small} (linear growth)",
        )
    )
    figures.append(
        Figure(f"`workshop list` of {small:,} files (process)", med(times["cli"]), "s", target=small / 1000, absolute=True, note="target: about 1 s for 1,000")
    )
    for count in (small, large):
        kind = "small" if count == small else "large"
        figures.append(
            Figure(
                f"list {count:,} session files, no index",
                med(times[f"{kind} cold"]),
                "s",
                med(times[f"{kind} read"]),
                3.0,
                note="a first open or a read-only folder: every file read; baseline: reading every file's bytes",
            )
        )
    return figures


def _read_every_file(folder: Path) -> None:
    """The cold listing's baseline: every session file's bytes read, nothing parsed."""
    for path in folder.glob("*.toml"):
        path.read_bytes()


def _list(folder: Path, *, cold: bool) -> None:
    """List `folder` as a new process would: nothing kept in memory; with `cold`, no index either."""
    listing_module._summaries.clear()
    listing_module._on_disk.clear()
    if cold:
        (folder / INDEX_NAME).unlink(missing_ok=True)
    list_sessions(folder)


def _cli_list(folder: Path, home: Path, *, cold: bool = False) -> None:
    if cold:
        (folder / INDEX_NAME).unlink(missing_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home)}
    subprocess.run([sys.executable, "-m", "workshop", "--sessions-dir", str(folder), "list"], check=True, capture_output=True, env=env)
