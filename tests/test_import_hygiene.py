"""The domain and storage never import Textual or Rich: they run and are tested without an app.

import-linter checks the static imports (see `[tool.importlinter]` in pyproject.toml);
this checks what really loads, lazy imports included, in a fresh interpreter.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import workshop.domain
import workshop.storage
import workshop.storage.packs
import workshop.web

UI_PACKAGES = ("textual", "rich")


def _modules(package) -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."))


PLAIN_MODULES = _modules(workshop.domain) + _modules(workshop.storage) + _modules(workshop.web)

# Imports each module in turn and prints the first after which a UI package is loaded.
PROBE = """
import importlib, sys
def loaded():
    return sorted({name.split('.')[0] for name in sys.modules} & set(%(ui)r))
for name in %(modules)r:
    importlib.import_module(name)
    if loaded():
        print(name, loaded())
        break
else:
    print("clean")
"""


def test_there_are_modules_to_check():
    assert "workshop.domain.operations.editor" in PLAIN_MODULES
    assert "workshop.storage.store" in PLAIN_MODULES
    assert "workshop.web.server" in PLAIN_MODULES


def test_no_domain_or_storage_module_loads_textual_or_rich():
    code = PROBE % {"modules": PLAIN_MODULES, "ui": UI_PACKAGES}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "clean"


@pytest.mark.parametrize("module", ["workshop.cli"])
def test_the_command_line_loads_no_ui_until_the_app_starts(module):
    # `workshop list` and `workshop export` should start fast: no Textual on their path.
    code = PROBE % {"modules": [module], "ui": ("textual",)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "clean"


# Joining from phones costs nothing until it is used: the app, its run screen and the
# command line load neither the web framework nor the QR library.
WEB_PACKAGES = ("aiohttp", "segno")


@pytest.mark.parametrize("module", ["workshop.cli", "workshop.ui.app", "workshop.ui.screens.run", "workshop.ui.screens.home"])
def test_start_up_loads_no_web_server_until_joining_starts(module):
    code = PROBE % {"modules": [module], "ui": WEB_PACKAGES}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "clean"


# Markdown's parser (markdown-it, and its highlighter) is for the readings and the close:
# the run screen loads it when one of those is shown, not for the rest of the day.
@pytest.mark.parametrize("module", ["workshop.ui.screens.run", "workshop.ui.panes.discuss", "workshop.ui.panes.place", "workshop.ui.panes.vote"])
def test_the_run_screen_loads_markdown_only_for_a_reading(module):
    code = PROBE % {"modules": [module], "ui": ("markdown_it",)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "clean"


def test_every_kind_of_activity_has_a_pane_to_import():
    # The panes are imported one at a time, by name (see `workshop.ui.panes.PANES`).
    from importlib import import_module
    from typing import get_args

    from workshop.domain.models.pack import ActivityKind
    from workshop.ui.panes import PANES, ActivityPane

    assert set(PANES) == set(get_args(ActivityKind))
    for module, name in PANES.values():
        assert issubclass(getattr(import_module(f"workshop.ui.panes.{module}"), name), ActivityPane)


# Starts the app headless on a folder, waits until the home screen has listed the sessions
# and the packs' titles, and says which of the models' packages were loaded by then.
HOME_PROBE = """
import asyncio, sys, time
from pathlib import Path
from workshop.ui.app import WorkshopApp

async def main():
    home = Path(sys.argv[1])
    app = WorkshopApp(sessions_dir=home / "sessions", content_dir=home / "content", settings_file=home / "settings.toml")
    async with app.run_test() as pilot:
        deadline = time.monotonic() + 60
        while getattr(app.screen, "loads", 0) == 0 and time.monotonic() < deadline:
            await pilot.pause()
        packs = app.screen.packs
        print(len(app.screen.items), len(packs.entries) if packs else 0,
              sorted({name.split(".")[0] for name in sys.modules} & {"pydantic", "pydantic_core"}))

asyncio.run(main())
"""


def test_the_home_screen_lists_sessions_and_packs_without_pydantic(tmp_path):
    # pydantic and the models took a third of the start's time and memory; they load
    # when a session is opened or a pack chosen, not to show the home screen.
    from factories import make_session

    from workshop.storage.store import create_session

    create_session(tmp_path / "sessions", make_session())
    result = subprocess.run([sys.executable, "-c", HOME_PROBE, str(tmp_path)], capture_output=True, text=True, check=True, timeout=120)
    sessions, packs, loaded = result.stdout.strip().splitlines()[-1].split(" ", 2)
    assert (sessions, packs, loaded) == ("1", str(len(list((workshop.storage.packs.builtin_content_dir()).glob("*.toml")))), "[]")


# `workshop open FILE` up to its run screen (a discuss activity), headless; prints the
# modules of `sys.argv[3:]` that were loaded by then.
OPEN_PROBE = """
import asyncio, sys, time
from pathlib import Path
from workshop.storage.store import find_session, open_session
from workshop.ui.app import WorkshopApp

async def main():
    home, name = Path(sys.argv[1]), sys.argv[2]
    path = find_session(home / "sessions", str(home / "sessions" / name))
    app = WorkshopApp(sessions_dir=home / "sessions", content_dir=home / "content", settings_file=home / "settings.toml",
                      open_path=path, opened=open_session(path))
    async with app.run_test() as pilot:
        deadline = time.monotonic() + 60
        while type(app.screen).__name__ != "RunScreen" and time.monotonic() < deadline:
            await pilot.pause()
        await pilot.pause()
        print(type(app.screen).__name__, sorted(set(sys.argv[3:]) & set(sys.modules)))

asyncio.run(main())
"""


def test_opening_a_session_loads_neither_the_listing_nor_the_reports_nor_a_browser(tmp_path):
    # Each module is memory for the whole day (the run screen's peak is a benchmark
    # figure): the folder's listing is for the home screen and for finding a session by
    # id, the documents' rendering for reports and the close, the browser for the room.
    from factories import make_session

    from workshop.storage.store import create_session

    path = create_session(tmp_path / "sessions", make_session())
    unwanted = ["workshop.storage.listing", "workshop.storage.listing_index", "workshop.domain.render.document", "webbrowser"]
    result = subprocess.run([sys.executable, "-c", OPEN_PROBE, str(tmp_path), path.name, *unwanted], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip().splitlines()[-1] == "RunScreen []"
