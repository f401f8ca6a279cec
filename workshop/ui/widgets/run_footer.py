"""The run screen's footer: the keys that matter most, as many as the width has room for.

Textual's Footer shows every key marked `show` and cuts the row at the edge, so at 80
columns "Home" lost its last letter and the keys after it vanished. This one ranks the
keys (the screen's `footer_rank`), keeps the best that fit whole, and lets the screen
shorten a label for what the key does now (Start or Pause). Every key, shown or not,
stays in `?` and the command palette (`ui/commands.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # the key widget Footer itself composes

# The palette's key on the right: its label, a border and padding.
_PALETTE_EXTRA = 3
# Below this width the palette's key gives its room to the run keys (`?` lists ctrl+p).
PALETTE_KEY_FROM_WIDTH = 100


@runtime_checkable
class RanksKeys(Protocol):
    """What a screen tells its RunFooter: how much each key matters, and its label now."""

    def footer_rank(self, binding: Binding, node: DOMNode) -> int | None:
        """Lower shows first; None keeps the key out of the footer."""

    def footer_label(self, binding: Binding) -> str:
        """The words the footer shows for the key."""


def key_width(key_display: str, description: str) -> int:
    """Cells a FooterKey takes: the key padded by one each side, the words and one after."""
    return len(key_display) + 2 + len(description) + 1


@dataclass(frozen=True)
class _Key:
    """A key the footer shows: its binding, whether it can be used now, and its words."""

    binding: Binding
    enabled: bool
    tooltip: str
    label: str
    classes: str = ""

    def same_place(self, other: "_Key") -> bool:
        """The same key with the same tooltip, whatever its words and whether or not it can be used."""
        return (self.binding.key, self.binding.action, self.tooltip, self.classes) == (
            other.binding.key,
            other.binding.action,
            other.tooltip,
            other.classes,
        )


class RunFooter(Footer):
    """A footer that shows whole keys only, the most important first."""

    def __init__(self) -> None:
        super().__init__()
        self._laid_out_for = 0
        # The keys as composed, to tell a change of availability from a change of keys.
        self._shown: list[_Key] = []
        # For each change of keys not yet seen by `bindings_changed`: whether it was restyled in place.
        self._restyled: list[bool] = []

    def _room(self) -> int:
        return self.size.width or self.app.size.width

    def _plan(self) -> list[_Key]:
        """The keys to show, in order, each whole, the most important first."""
        screen = self.screen
        ranks = screen if isinstance(screen, RanksKeys) else None
        active = screen.active_bindings
        room = self._room()
        self._laid_out_for = room
        wide = room >= PALETTE_KEY_FROM_WIDTH
        palette = active.get(self.app.COMMAND_PALETTE_BINDING) if wide and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE else None
        if palette is not None:
            room -= key_width(self.app.get_key_display(palette.binding), palette.binding.description) + _PALETTE_EXTRA
        candidates: list[tuple[int, int, Binding, bool, str]] = []
        seen: set[str] = set()
        for order, (node, binding, enabled, tooltip) in enumerate(active.values()):
            if binding.action in seen or binding.key == self.app.COMMAND_PALETTE_BINDING:
                continue
            rank = ranks.footer_rank(binding, node) if ranks is not None else (0 if binding.show else None)
            if rank is None:
                continue
            seen.add(binding.action)
            candidates.append((rank, order, binding, enabled, tooltip))
        chosen: list[_Key] = []
        for _rank, _order, binding, enabled, tooltip in sorted(candidates, key=lambda entry: entry[:2]):
            label = ranks.footer_label(binding) if ranks is not None else binding.description
            width = key_width(self.app.get_key_display(binding), label)
            if width > room:
                continue
            room -= width
            chosen.append(_Key(binding, enabled, tooltip, label))
        if palette is not None:
            binding = palette.binding
            chosen.append(_Key(binding, palette.enabled, binding.tooltip or binding.description, binding.description, "-command-palette"))
        return chosen

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        self._shown = self._plan()
        for key in self._shown:
            widget = FooterKey(
                key.binding.key,
                self.app.get_key_display(key.binding),
                key.label,
                key.binding.action,
                disabled=not key.enabled,
                tooltip=key.tooltip,
                classes=key.classes,
            )
            if not key.classes:
                # Set here and by `watch_compact`, not `data_bind`: a bound key stays in the
                # footer's list of watchers until `compact` changes, so every recompose (a
                # change of keys) kept the keys it replaced, all day.
                widget.compact = self.compact
            yield widget

    def watch_compact(self, compact: bool) -> None:
        for key in self.query_children(FooterKey):
            if not key.has_class("-command-palette"):
                key.compact = compact

    def on_mount(self) -> None:
        # Footer's own subscription calls `bindings_changed` once the footer's messages
        # are processed: after the screen has drawn the key press that changed a key, so
        # each such key press was drawn twice. This one restyles at once, in the same frame.
        self.screen.bindings_updated_signal.subscribe(self, self._restyle_now, immediate=True)

    def _restyle_keys(self, screen: Screen[object]) -> bool:
        """When the same keys show, restyle in place the ones that came or went out of
        reach and give new words to those whose words changed (Start becomes Pause): the
        row composed afresh was ten new widgets, and ten left in reference cycles, at every
        press of space. False when the keys themselves changed (the plan, which fits the
        words to the width, holds other keys)."""
        if not self._bindings_ready or not self._shown or not self.is_attached or screen is not self.screen:
            return False
        plan = self._plan()
        keys = [widget for widget in self.children if isinstance(widget, FooterKey)]
        if not len(plan) == len(self._shown) == len(keys) or not all(key.same_place(shown) for key, shown in zip(plan, self._shown, strict=True)):
            return False
        for key, widget in zip(plan, keys, strict=True):
            if widget.description != key.label:
                widget.description = key.label  # what FooterKey renders
                widget.refresh(layout=True)
            if widget._disabled != (not key.enabled):
                widget._disabled = not key.enabled  # what FooterKey reads on a click
                widget.set_class(not key.enabled, "-disabled")
        self._shown = plan
        return True

    def _restyle_now(self, screen: Screen[object]) -> None:
        self._restyled.append(self._restyle_keys(screen))

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual's Footer composes every key again whenever any key's availability
        # changes (a board move dims `<` at the first column). Only a change of keys or
        # words needs that; the rest was restyled at once by `_restyle_now`, which saw
        # this same change first.
        if not (self._restyled and self._restyled.pop(0)):
            super().bindings_changed(screen)

    def on_resize(self, event: Resize) -> None:
        if self._bindings_ready and event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)
