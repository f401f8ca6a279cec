"""File figures: saving and loading sessions of three sizes, listing big folders."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import tomli_w

from benchmarks.figures import Figure, interleaved, med
from benchmarks.sessions import SIZES, TYPICAL, Size, build, write_folder
from workshop.storage import listing as listing_module
from workshop.storage import session_format
from workshop.storage.listing import list_sessions
from workshop.storage.listing_index import INDEX_NAME
from workshop.storage.store import LoadedSession, create_session, load_session, save_data

ROOT = Path(__file__).resolve().parents[1]


def _plain_save(data: dict[str, object], path: Path) -> None:
    """The baseline: `tomli_w.dumps`, write and fsync, nothing else."""
    text = tomli_w.dumps(data, multiline_strings=True)
    with open(path, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())


def save_and_load(repeat: int, sizes: tuple[Size, ...] = SIZES) -> list[Figure]:
    """Save and load of each size against `tomli_w`+write+fsync and `tomllib.loads`."""
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="workshop-bench-") as temp:
        folder = Path(temp)
        for size in sizes:
            session = build(size)
            path = create_session(folder, session)
            loaded = load_session(path)
            data = session.model_dump(mode="python", by_alias=True, exclude_none=True)
            plain = folder / f"plain-{size.name}.toml"
            text = path.read_text("utf-8")
            kb = len(text.encode()) / 1024

            times = interleaved({
                "save": lambda loaded=loaded: _save_after_a_change(loaded, keep=True),  # type: ignore[misc]
                "first save": lambda loaded=loaded: _save_after_a_change(loaded, keep=False),  # type: ignore[misc]
                "plain": lambda data=data, plain=plain: _plain_save(data, plain),  # type: ignore[misc]
                "load": lambda path=path: load_session(path) and None,  # type: ignore[misc, dict-item]  # the result is dropped: only the time counts
                "tomllib": lambda text=text: tomllib.loads(text) and None,  # type: ignore[misc, dict-item]  # the result is dropped: only the time counts
            }, repeat)
            figures.append(Figure(f"save after a change, {size.name} session ({kb:.0f} KB)", med(times["save"]) * 1000, "ms",
                                  med(times["plain"]) * 1000, 1.3,
                                  note="every autosave: one proposal's text changed since the last; baseline: tomli_w.dumps + write + fsync"))
            figures.append(Figure(f"first save, {size.name} session ({kb:.0f} KB)", med(times["first save"]) * 1000, "ms",
                                  med(times["plain"]) * 1000, 1.3,
                                  note="nothing kept from an earlier save (the first after opening); baseline as above"))
            figures.append(Figure(f"load, {size.name} session ({kb:.0f} KB)", med(times["load"]) * 1000, "ms",
                                  med(times["tomllib"]) * 1000, 1.3, note="baseline: tomllib.loads"))
    return figures


def _save_after_a_change(loaded: LoadedSession, *, keep: bool) -> float:
    """Change one proposal's text (as a room does between two autosaves), then time the
    save as the app makes it: the autosaver's snapshot (`session_data`) and `save_data`
    (dump, atomic write, fsync). Without `keep`, as the first save after opening: no text
    kept from an earlier save (see `session_format.dump_data`)."""
    proposal = loaded.session.proposals[0]
    proposal.text = proposal.text[:-1] + ("a" if proposal.text[-1:] != "a" else "b")
    if not keep:
        session_format._kept = {}
    started = time.perf_counter()
    loaded.stamp = save_data(session_format.session_data(loaded.session), loaded.path, expect=loaded.stamp)
    return time.perf_counter() - started


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
        times = interleaved({
            "small": lambda: _list(folder, cold=False),
            "large": lambda: _list(big, cold=False),
            "small cold": lambda: _list(folder, cold=True),
            "large cold": lambda: _list(big, cold=True),
            "cli": lambda: _cli_list(folder, Path(temp)),
            "cli cold": lambda: _cli_list(folder, Path(temp), cold=True),
        }, repeat)
    for kind, note in (("", ""), (" cold", ", no index")):
        first = med(times["small" + kind])
        # The targets are for the usual case (warm); a cold listing is shown for information.
        target = None if kind else small / 1000
        figures.append(Figure(f"list {small:,} session files{note}", first, "s", target=target, absolute=True,
                              note="every file read" if kind else "target: 1 s for 1,000"))
        figures.append(Figure(f"list {large:,} session files{note}", med(times["large" + kind]), "s",
                              first * large / small, None if kind else 1.3,
                              note=f"baseline: the {small:,} files' time x {large // small} (linear growth)"))
        figures.append(Figure(f"`workshop list` of {small:,} files (process{note})", med(times["cli" + kind]), "s",
                              target=target, absolute=True, note="" if kind else "target: about 1 s for 1,000"))
    return figures


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
    subprocess.run([sys.executable, "-m", "workshop", "--sessions-dir", str(folder), "list"],
                   check=True, capture_output=True, env=env)
