"""Stray typing on the run screen: a run of printable keys is text, never commands.

A facilitator who starts typing with the cursor outside a text field (on a break, after a
dialog closed) used to send each letter to the run keys: back, skip, pause, the bell. Here
a printable key that is no command on this screen (a capital, most letters) starts a run
of typing, and so does any printable key within `RUN_GAP_SECONDS` of the last one in a run.
A run goes into the activity's text field when it has one (type to start typing) and is
otherwise dropped, with a one-line hint. Digits are left alone: they fill in ballots.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from workshop.ui.screens.run import RunScreen

RUN_GAP_SECONDS = 1.0
NOT_A_FIELD = "Typing? Letters here are keys, so these were ignored: i goes to a text field, u undoes a step."


class StrayKeys:
    """Decides, key by key, whether the run screen is being typed at."""

    def __init__(self, screen: RunScreen):
        self.screen = screen
        self.run_until: float | None = None

    def take(self, event: events.Key) -> bool:
        """Whether `event` is typing (then it is used up here, never a command)."""
        character = event.character
        if character is None or len(character) != 1 or not character.isprintable() or character.isdigit():
            self.run_until = None  # Enter, Esc, an arrow or a digit ends a run
            return False
        now = self.screen.monotonic()
        in_run = self.run_until is not None and now <= self.run_until
        if not in_run and event.key in self.bound_keys():
            return False  # a command, pressed on its own (even one that cannot act now)
        self.run_until = now + RUN_GAP_SECONDS
        field = self.text_field()
        if field is not None:
            field.focus()
            if isinstance(field, Input):
                field.insert_text_at_cursor(character)
            else:
                field.insert(character)
        elif not in_run:
            self.screen.notify(NOT_A_FIELD, timeout=4)
        return True

    def bound_keys(self) -> set[str]:
        """Every key bound on the focus chain, the screen and the app, enabled now or not.

        `active_bindings` leaves out keys whose action cannot run now (`p` on the first
        activity): those are still commands, not the start of typing.
        """
        focused = self.screen.focused
        nodes: list[DOMNode] = [*(focused.ancestors_with_self if focused is not None else [self.screen, self.screen.app])]
        keys: set[str] = set()
        for node in nodes:
            for cls in type(node).__mro__:
                for binding in cls.__dict__.get("BINDINGS", ()):
                    key = binding.key if isinstance(binding, Binding) else binding[0]
                    keys.update(part.strip() for part in key.split(","))
        return keys

    def text_field(self) -> Input | TextArea | None:
        """The activity's text field, when it has one that can be typed in now."""
        pane = self.screen.current_pane()
        if pane is None or self.screen.saver.read_only:
            return None
        fields = [field for field in pane.query("Input, TextArea") if field.display and not field.disabled]
        typed = [field for field in fields if isinstance(field, (Input, TextArea)) and not getattr(field, "read_only", False)]
        return typed[0] if typed else None
