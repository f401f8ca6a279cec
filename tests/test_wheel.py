"""Both packs ship inside the wheel: a plain, non-editable install still lists them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_lists_both_packs(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("workshop-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "workshop/_content/resourceful-child-poverty.toml" in names
    assert "workshop/_content/demo.toml" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    # Run from an empty folder so the source checkout cannot be imported by accident.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-m", "workshop", "content", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    packs = {row["id"]: row for row in json.loads(result.stdout)}
    assert set(packs) == {"resourceful-child-poverty", "demo"}
    for row in packs.values():
        assert Path(row["path"]).is_relative_to(target / "workshop" / "_content")
