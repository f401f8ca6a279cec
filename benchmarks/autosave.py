"""Autosave stays off the key press: the cost of a keystroke in the notes against a save.

A keystroke in the notes only stores the text and marks the session dirty; the deep
copy and the atomic write happen on a timer and a writer thread. This prints the cost
of each, per call, and their ratio, on a realistic session of the default pack.

    python benchmarks/autosave.py [--keys 2000] [--saves 30]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

# Run from a checkout without installing: the package is one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workshop.domain.models.session import Proposal
from workshop.domain.new_session import build_session
from workshop.storage.autosave import Autosaver
from workshop.storage.packs import builtin_content_dir, load_pack
from workshop.storage.store import create_session, open_session


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=2000)
    parser.add_argument("--saves", type=int, default=30)
    args = parser.parse_args()
    pack = load_pack(builtin_content_dir() / "resourceful-child-poverty.toml")
    people = [(f"Person {n}", "Role") for n in range(8)]
    session = build_session(pack, title="Benchmark", participants=people, day=date(2026, 3, 12))
    for n in range(40):
        session.proposals.append(Proposal(id=f"p{n}", text=f"Proposal number {n} about data and partners", position=n))
    with tempfile.TemporaryDirectory() as folder:
        path = create_session(Path(folder), session)
        saver = Autosaver(open_session(path))
        note = saver.loaded.session.note_for("collaborate-discuss")
        text = ""
        start = time.perf_counter()
        for n in range(args.keys):
            # What DiscussPane does on each keystroke.
            text += "x" if n % 60 else "\n"
            note.text = text
            saver.mark_dirty()
        per_key = (time.perf_counter() - start) / args.keys
        start = time.perf_counter()
        for _ in range(args.saves):
            saver.mark_dirty()
            saver.flush(wait=True)
        per_save = (time.perf_counter() - start) / args.saves
        saver.close()
    print(f"keystroke path (store text, mark dirty): {per_key * 1e6:8.1f} µs per key ({args.keys} keys)")
    print(f"save (deep copy + atomic write, waited): {per_save * 1e3:8.1f} ms per save ({args.saves} saves)")
    print(f"ratio save / keystroke:                  {per_save / per_key:8.0f}x (the save runs off the key press)")


if __name__ == "__main__":
    main()
