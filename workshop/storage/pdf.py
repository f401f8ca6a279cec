"""Printing a report's HTML to an A4 PDF with a local headless Chromium.

The HTML report stays the default and needs nothing; a PDF is made only where a
Chromium is installed (the browser the phone tests drive). It runs with a throwaway
profile, no network services and no sandbox helper, on a copy of the page in a private
temporary folder, and the PDF is moved into place only once it is whole.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from workshop.domain.errors import WorkshopError

# Where a Chromium is looked for, in order; WORKSHOP_CHROMIUM names another.
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MISSING = (
    "A PDF needs a local Chromium, which was not found: install the 'chromium' package "
    "(for example: sudo apt install chromium), or export --format html and print that."
)
PRINT_SECONDS = 120


def find_chromium() -> str | None:
    """The Chromium to print with, or None when there is none."""
    named = os.environ.get("WORKSHOP_CHROMIUM")
    if named:
        return named if Path(named).is_file() and os.access(named, os.X_OK) else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def html_to_pdf(html: str, target: Path) -> Path:
    """Print `html` to `target` as an A4 PDF (the page's own `@page` rules); return `target`.

    Raises WorkshopError with one line when no Chromium is installed or printing fails,
    and OSError when `target` cannot be written (the old file, if any, is then untouched).
    """
    chromium = find_chromium()
    if chromium is None:
        raise WorkshopError(MISSING)
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="workshop-pdf-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        printed = Path(folder) / "report.pdf"
        command = [
            chromium,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={Path(folder) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PRINT_SECONDS, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise WorkshopError(f"Chromium did not finish printing the PDF within {PRINT_SECONDS} seconds.") from None
        except (subprocess.CalledProcessError, OSError) as error:
            raise WorkshopError(f"Chromium could not print the PDF ({error}).") from None
        if not printed.is_file() or not printed.read_bytes().startswith(b"%PDF"):
            raise WorkshopError("Chromium ran but wrote no PDF.")
        staged = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(printed, staged)
        os.replace(staged, target)
    return target
