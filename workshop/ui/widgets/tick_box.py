"""A checkbox whose box is empty when off: Textual's draws an X both ways (only its colour
changes), which reads as ticked on a projector or a monochrome terminal."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    """`Checkbox`, with the X shown only when it is ticked."""

    def on_mount(self) -> None:
        self._show_mark()

    def watch_value(self) -> None:
        super().watch_value()
        self._show_mark()

    def _show_mark(self) -> None:
        # BUTTON_INNER is the documented way to choose the box's character.
        self.BUTTON_INNER = "X" if self.value else " "
        self.refresh()
