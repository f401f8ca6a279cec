"""Start to first interactive frame: `workshop` against an empty Textual app.

Each app runs headless in a fresh Python process (imports included, as a user would
pay them) and exits on its first frame; for workshop, once the home screen has read
the sessions folder. Prints the medians and the ratio. Figures depend on the machine:
compare the ratio, measured in the same run, not the seconds.

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

EMPTY_APP = """
from textual.app import App
from textual.widgets import Footer, Header
class Empty(App):
    def compose(self):
        yield Header()
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.exit)
Empty().run(headless=True)
"""

WORKSHOP_APP = """
import sys
from pathlib import Path
import workshop.ui.app
from workshop.ui.app import WorkshopApp
class FirstFrame(WorkshopApp):
    # A subclass made in -c code has no file for Textual to resolve CSS_PATH against.
    CSS_PATH = str(Path(workshop.ui.app.__file__).parent / "app.tcss")
    def on_mount(self):
        super().on_mount()
        self.set_interval(0.005, self._check)
    def _check(self):
        if sys.argv[2] == "frame" or getattr(self.screen, "loads", 0):
            self.call_after_refresh(self.exit)
folder = Path(sys.argv[1])
FirstFrame(sessions_dir=folder / "sessions", content_dir=folder / "content", settings_file=folder / "settings.toml").run(headless=True)
"""


def time_code(code: str, *args: str) -> float:
    start = time.perf_counter()
    # PYTHONPATH: run from a checkout without installing.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "sessions").mkdir()
        empty, frame, listed = [], [], []
        for _ in range(args.runs):
            # Interleaved, so all three see the same background load.
            empty.append(time_code(EMPTY_APP))
            frame.append(time_code(WORKSHOP_APP, folder, "frame"))
            listed.append(time_code(WORKSHOP_APP, folder, "listed"))
    baseline = statistics.median(empty)
    first, loaded = statistics.median(frame), statistics.median(listed)
    print(f"empty Textual app, first frame:          {baseline:.3f} s (median of {args.runs})")
    print(f"workshop home screen, first frame:       {first:.3f} s  ratio {first / baseline:.2f}x")
    print(f"workshop home screen, sessions listed:   {loaded:.3f} s  ratio {loaded / baseline:.2f}x")


if __name__ == "__main__":
    main()
