"""The domain never imports Textual: it must run and be tested without an app."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = [
    "workshop.models.pack",
    "workshop.models.session",
    "workshop.content",
    "workshop.store",
    "workshop.locking",
    "workshop.migrate",
    "workshop.tomlsafe",
    "workshop.validation",
    "workshop.sessionsetup",
    "workshop.checkfile",
    "workshop.tally",
    "workshop.clock",
    "workshop.schedule",
    "workshop.autosave",
    "workshop.ballots",
    "workshop.report",
    "workshop.archive",
    "workshop.settings",
    "workshop.atomic",
    "workshop.cli",
]


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_textual(module):
    code = f"import sys, {module}; print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
