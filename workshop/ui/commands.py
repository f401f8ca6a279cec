"""Every key of the current screen, offered in the command palette and listed by `?`.

The Footer has room for a few keys at 80 columns; the rest (extend by, auto-advance,
bell, abstain, withdraw, re-run, clear...) must still be reachable and discoverable.
Both lists are built from the screen's active bindings (those of the focused widget,
its ancestors, the screen and the app), so a new key needs no second registration.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

# Actions the palette already offers in its own words, or that open it.
_NOT_COMMANDS = {"command_palette", "show_keys", "quit"}


@dataclass(frozen=True)
class KeyEntry:
    """One key of the screen: what it shows, what it does, whether it applies now.

    `ours` marks the app's own keys (they all have a binding id), as against Textual's
    generic ones (scrolling, focus, copy), which are listed after them.
    """

    keys: str
    description: str
    action: str
    node: DOMNode
    enabled: bool
    ours: bool = True


def key_entries(screen: Screen[object]) -> list[KeyEntry]:
    """The screen's keys with a description, one entry per action, in binding order."""
    entries: list[KeyEntry] = []
    seen: set[tuple[int, str]] = set()
    for active in screen.active_bindings.values():
        binding: Binding = active.binding
        if not binding.description:
            continue
        marker = (id(active.node), binding.action)
        if marker in seen:
            continue
        seen.add(marker)
        keys = screen.app.get_key_display(binding)
        entries.append(KeyEntry(keys, binding.description, binding.action, active.node, active.enabled, binding.id is not None))
    # The app's own keys first; a stable sort keeps each group in binding order.
    return sorted(entries, key=lambda entry: not entry.ours)


def key_commands(screen: Screen[object]) -> Iterator[SystemCommand]:
    """A palette command for every key of the app's own that applies on `screen` now."""
    for entry in key_entries(screen):
        if not entry.ours or not entry.enabled or entry.action.split("(")[0].rsplit(".", 1)[-1] in _NOT_COMMANDS:
            continue
        yield SystemCommand(entry.description, f"Key: {entry.keys}", partial(screen.app.run_action, entry.action, entry.node))
