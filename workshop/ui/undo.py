"""One key takes back the last step one key made: the run screen's undo.

Each step a single key makes (next, back, skip, start or pause, an extension, withdrawing
a ballot, a follow-up mark, a board move, the bell and auto-advance toggles) records how
to take itself back, as the domain operation that does so (the session is changed only by
operations, an undo too). `u` runs it once and says what it took back; a refused undo (the
room has moved on since: a phone's ballot, the time running out) is said and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.dom import DOMNode

from workshop.domain.errors import Refused

NOTHING_TO_UNDO = "Nothing to undo: u takes back the last step one key made."


@dataclass(frozen=True)
class Step:
    """A step one key made: its words for the toast, and how to take it back."""

    label: str
    take_back: Callable[[], object]


class LastStep:
    """The last step one key made, until it is undone or another step replaces it."""

    def __init__(self) -> None:
        self.step: Step | None = None

    def record(self, label: str, take_back: Callable[[], object]) -> None:
        """Remember `label`'s step; `take_back` calls the operations that reverse it."""
        self.step = Step(label, take_back)

    def undo(self) -> str:
        """Take the last step back; the sentence for the toast. Raises `Refused` when it cannot."""
        step, self.step = self.step, None
        if step is None:
            raise Refused(NOTHING_TO_UNDO)
        step.take_back()
        return f"Undone: {step.label}."


def record_step(node: DOMNode, label: str, take_back: Callable[[], object]) -> None:
    """From a pane or widget: record a step on the screen holding it, when it keeps steps."""
    last = getattr(node.screen, "last_step", None)
    if isinstance(last, LastStep):
        last.record(label, take_back)
