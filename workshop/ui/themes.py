"""The app's own themes: a high-contrast one for projectors and bright rooms."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import NO_DIM, LineFilter
from textual.theme import Theme

from workshop.storage.settings import HIGH_CONTRAST_THEME

HIGH_CONTRAST = Theme(
    name=HIGH_CONTRAST_THEME,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#202020",
    boost="#303030",
    success="#00FF00",
    warning="#FFB000",
    error="#FF4040",
    dark=True,
    variables={
        "text-muted": "#E0E0E0",
        "footer-key-foreground": "#FFFF00",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "input-selection-background": "#FFFF00 40%",
    },
)


class FullStrength(LineFilter):
    """High contrast: text marked dim (hints, units, rules) is drawn at full strength.

    A terminal draws dim text grey, which a projector in a bright room washes out; the
    high-contrast theme exists for exactly that room.
    """

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(segment.text, segment.style + NO_DIM, segment.control) if segment.style is not None and segment.style.dim else segment
            for segment in segments
        ]


FULL_STRENGTH = FullStrength()
