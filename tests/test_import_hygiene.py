"""The domain never imports Textual: it must run and be tested without an app."""

from __future__ import annotations

import subprocess
import sys

import pytest

DOMAIN = [
    "workshop.domain.models.pack",
    "workshop.domain.models.session",
    "workshop.storage.packs",
    "workshop.storage.store",
    "workshop.storage.locking",
    "workshop.storage.migrate",
    "workshop.storage.tomlsafe",
    "workshop.storage.problems",
    "workshop.domain.new_session",
    "workshop.storage.validate_file",
    "workshop.domain.tally",
    "workshop.domain.timebox",
    "workshop.domain.runclock",
    "workshop.storage.autosave",
    "workshop.domain.ballots",
    "workshop.domain.report",
    "workshop.storage.archive",
    "workshop.storage.settings",
    "workshop.storage.atomic",
    "workshop.cli",
]


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_module_does_not_import_textual(module):
    code = f"import sys, {module}; print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
