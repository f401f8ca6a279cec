"""One line under a text field saying its length as it nears the limit, so nothing is a surprise.

Quiet until the text reaches 80% of the limit; then "16,000 of 20,000 characters", at the
limit "…: the limit", and past it how many too many (the field is never cut: the
operation refuses with its reason, and the facilitator shortens the text).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SHOWN_FROM = 0.8


def length_line(length: int, limit: int) -> str:
    """What the line says for `length` characters of `limit` ("" while far from it)."""
    if length < limit * SHOWN_FROM:
        return ""
    said = f"{length:,} of {limit:,} characters"
    if length > limit:
        return f"{said}: {length - limit:,} too many, shorten it"
    return f"{said}: the limit" if length == limit else said


class LengthNote(Static):
    """The line itself; `show(length)` after each change of the field."""

    DEFAULT_CSS = """
    LengthNote {
        color: $text-muted;
        height: auto;
        display: none;
    }
    LengthNote.-at-limit {
        color: $warning;
        text-style: bold;
    }
    """

    def __init__(self, limit: int, *, id: str | None = None):
        super().__init__("", id=id)
        self.limit = limit
        self._said = ""

    def show(self, length: int) -> None:
        """Say `length` against the limit (hidden while far from it).

        Called on every key: it changes the widget only when the words change, as
        `Static.update` lays the whole screen out again (even a hidden line), which
        made each key in the notes cost a layout and a second frame (issue 20)."""
        line = length_line(length, self.limit)
        if line == self._said:
            return
        self._said = line
        self.display = bool(line)
        self.set_class(length >= self.limit, "-at-limit")
        self.update(Text(line))
