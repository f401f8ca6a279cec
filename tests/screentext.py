"""The whole terminal as the room would see it, as plain text (what a mirror shows)."""

from __future__ import annotations

import io

from rich.console import Console


def terminal_text(app) -> str:
    """Every character on the terminal now: the screen and any dialog over it, composited."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, record=True, legacy_windows=False, safe_box=False, color_system=None)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens, simplify=True))
    return console.export_text()
