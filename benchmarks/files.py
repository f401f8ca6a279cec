"""File figures: saving and loading sessions of three sizes, listing big folders."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import tomli_w

from benchmarks.figures import Figure, interleaved, med
from benchmarks.sessions import SIZES, TYPICAL, Size, build, write_folder
from workshop.storage import listing as listing_module
from workshop.storage.listing import list_sessions
from workshop.storage.store import create_session, load_session

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
                "save": loaded.save,
                "plain": lambda data=data, plain=plain: _plain_save(data, plain),  # type: ignore[misc]
                "load": lambda path=path: load_session(path) and None,  # type: ignore[misc]
                "tomllib": lambda text=text: tomllib.loads(text) and None,  # type: ignore[misc]
            }, repeat)
            figures.append(Figure(f"save, {size.name} session ({kb:.0f} KB)", med(times["save"]) * 1000, "ms",
                                  med(times["plain"]) * 1000, 1.3, note="baseline: tomli_w.dumps + write + fsync"))
            figures.append(Figure(f"load, {size.name} session ({kb:.0f} KB)", med(times["load"]) * 1000, "ms",
                                  med(times["tomllib"]) * 1000, 1.3, note="baseline: tomllib.loads"))
    return figures


def listing(repeat: int, counts: tuple[int, int] = (1000, 10000)) -> list[Figure]:
    """`list_sessions` of two folder sizes (the larger's baseline: the smaller's time scaled
    up, so the ratio says how far from linear it grows), and `workshop list` as a process."""
    small, large = counts
    template = build(TYPICAL)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="workshop-bench-") as temp:
        folder = Path(temp) / "small"
        write_folder(folder, small, template)
        big = Path(temp) / "large"
        write_folder(big, large, template)
        # Cold: the summaries a listing keeps (by file version) are forgotten first.
        times = interleaved({
            "small": lambda: _cold_list(folder),
            "large": lambda: _cold_list(big),
            "cli": lambda: _cli_list(folder, Path(temp)),
        }, repeat)
    first = med(times["small"])
    figures.append(Figure(f"list {small:,} session files", first, "s", target=small / 1000, absolute=True,
                          note="target: 1 s for 1,000"))
    figures.append(Figure(f"list {large:,} session files", med(times["large"]), "s", first * large / small, 1.3,
                          note=f"baseline: the {small:,} files' time x {large // small} (linear growth)"))
    figures.append(Figure(f"`workshop list` of {small:,} files (process)", med(times["cli"]), "s",
                          target=small / 1000, absolute=True, note="target: about 1 s for 1,000"))
    return figures


def _cold_list(folder: Path) -> None:
    listing_module._summaries.clear()
    list_sessions(folder)


def _cli_list(folder: Path, home: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(home)}
    subprocess.run([sys.executable, "-m", "workshop", "--sessions-dir", str(folder), "list"],
                   check=True, capture_output=True, env=env)
