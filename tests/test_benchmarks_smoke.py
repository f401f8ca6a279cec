"""The benchmark runs and says what it measured: its shape, never a timing threshold."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"name", "value", "unit", "baseline", "ratio", "target", "met"}


def test_quick_json_run_gives_every_row_its_baseline_target_and_verdict(tmp_path: Path) -> None:
    # The file and listing groups, plus the home screen's start in a real pty; the key
    # and idle groups take longer and run the same code paths (terminal.Child).
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", "--only", "start,save,list,phones"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    rows = json.loads(result.stdout)
    names = [row["name"] for row in rows]
    assert any(name.startswith("home screen, first frame") for name in names)
    assert any(name.startswith("save after a change, typical") for name in names)
    assert any(name.startswith("first save, typical") for name in names)
    assert any(name.startswith("load, typical") for name in names)
    assert any(name.startswith("list ") for name in names)
    for row in rows:
        assert KEYS <= set(row), row
        assert isinstance(row["value"], float) and row["value"] > 0, row
        if row["baseline"] is not None:
            assert row["baseline"] > 0 and abs(row["ratio"] - row["value"] / row["baseline"]) < 1e-2, row
        if row["target"] is None:
            assert row["met"] is None, row
        else:
            assert isinstance(row["met"], bool), row


def test_table_marks_missed_targets() -> None:
    sys.path.insert(0, str(ROOT))
    from benchmarks.figures import Figure
    from benchmarks.run import table

    text = table([Figure("fast", 1.0, "s", 2.0, 1.3), Figure("slow", 3.0, "s", 1.0, 1.3), Figure("info", 5.0, "MB")])
    lines = text.splitlines()
    assert "| yes |" in lines[2] and "| **no** |" in lines[3] and lines[4].endswith("|  |")
