"""The run screen's footer: the keys that matter most, as many as the width has room for.

Textual's Footer shows every key marked `show` and cuts the row at the edge, so at 80
columns "Home" lost its last letter and the keys after it vanished. This one ranks the
keys (the screen's `footer_rank`), keeps the best that fit whole, and lets the screen
shorten a label for what the key does now (Start or Pause). Every key, shown or not,
stays in `?` and the command palette (`ui/commands.py`).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.events import Resize
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


class RunFooter(Footer):
    """A footer that shows whole keys only, the most important first."""

    def __init__(self) -> None:
        super().__init__()
        self._laid_out_for = 0

    def _room(self) -> int:
        return self.size.width or self.app.size.width

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
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
        chosen: list[tuple[Binding, bool, str, str]] = []
        for _rank, _order, binding, enabled, tooltip in sorted(candidates, key=lambda entry: entry[:2]):
            label = ranks.footer_label(binding) if ranks is not None else binding.description
            width = key_width(self.app.get_key_display(binding), label)
            if width > room:
                continue
            room -= width
            chosen.append((binding, enabled, tooltip, label))
        for binding, enabled, tooltip, label in chosen:
            yield FooterKey(binding.key, self.app.get_key_display(binding), label, binding.action,
                            disabled=not enabled, tooltip=tooltip).data_bind(compact=Footer.compact)
        if palette is not None:
            binding = palette.binding
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                            classes="-command-palette", disabled=not palette.enabled,
                            tooltip=binding.tooltip or binding.description)

    def on_resize(self, event: Resize) -> None:
        if self._bindings_ready and event.size.width != self._laid_out_for:
            self.call_after_refresh(self.recompose)
