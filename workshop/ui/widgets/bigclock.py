"""A countdown drawn in big block digits, as large as its region allows (for a projector).

The drawing is plain Python (`glyph_rows`, `choose_scale`, `render_lines`) so it can be
tested without an app; `BigClock` only turns those lines into styled strips. The colour
comes from CSS, so the app switches it by adding the classes `-warning` and `-over`.
"""

from __future__ import annotations

from functools import lru_cache

from rich.segment import Segment
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

GLYPH_HEIGHT = 7
"""Pixel rows in every glyph."""

GLYPH_GAP = 1
"""Blank pixel columns between neighbouring glyphs."""

MAX_STRETCH = 1.5
"""How far a pixel may be stretched from square (wide or tall) to fill more of the region."""

# 5x7 pixels a glyph, drawn with '#'; ':' is narrower so "1:02:03" keeps its width down.
_FONT_SOURCE: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": (" ### ", "#   #", "    #", "  ## ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    ":": ("  ", "##", "##", "  ", "##", "##", "  "),
    "+": ("     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     "),
    "-": ("     ", "     ", "     ", "#####", "     ", "     ", "     "),
    # A space (and anything unknown) keeps a digit's width, so a padded time does not jump.
    " ": ("     ",) * GLYPH_HEIGHT,
}
_BLANK_GLYPH = _FONT_SOURCE[" "]

# Two stacked pixels (top, bottom) -> one terminal cell.
_HALF_BLOCKS = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


def _glyph(character: str) -> tuple[str, ...]:
    return _FONT_SOURCE.get(character, _BLANK_GLYPH)


def _plain_text(text: str) -> str:
    """The text as the fallback shows it: unknown characters become spaces."""
    return "".join(character if character in _FONT_SOURCE else " " for character in text)


def glyph_rows(text: str) -> list[str]:
    """The unscaled bitmap of `text`: `GLYPH_HEIGHT` strings of '#' (ink) and ' '.

    Glyphs are separated by `GLYPH_GAP` blank columns; characters the font lacks draw
    as a blank glyph of digit width. An empty text gives rows of width 0.
    """
    glyphs = [_glyph(character) for character in text]
    gap = " " * GLYPH_GAP
    return [gap.join(glyph[row] for glyph in glyphs) for row in range(GLYPH_HEIGHT)]


def choose_scale(text: str, width: int, height: int) -> tuple[int, int] | None:
    """The largest block scale at which `text` fits `width` cells by `height` rows.

    Returns `(x_scale, y_scale)`: each font pixel becomes `x_scale` cells across and
    `y_scale` *half* cells down (half blocks give two pixel rows per terminal row).
    A half cell is about as tall as a cell is wide, so `x_scale == y_scale` draws square
    pixels, the same as "x about twice y" counted in whole rows. Fitting comes first;
    then the looser direction may stretch up to `MAX_STRETCH` times the tighter one to
    fill more of the region without looking squashed.

    Returns None when the text is empty or does not fit even at scale 1.
    """
    bitmap_width = len(glyph_rows(text)[0])
    if bitmap_width == 0 or width <= 0 or height <= 0:
        return None
    max_x_scale = width // bitmap_width
    max_y_scale = (2 * height) // GLYPH_HEIGHT
    if max_x_scale < 1 or max_y_scale < 1:
        return None
    square = min(max_x_scale, max_y_scale)
    stretched = max(square, int(square * MAX_STRETCH))
    return min(max_x_scale, stretched), min(max_y_scale, stretched)


@lru_cache(maxsize=32)
def _render_lines(text: str, width: int, height: int) -> tuple[str, ...]:
    if width <= 0 or height <= 0:
        return ("",) * max(height, 0)
    blank_line = " " * width
    scale = choose_scale(text, width, height)
    if scale is None:
        # Too small for blocks: the plain text, centred (cut to the width if need be).
        plain = _plain_text(text)[:width]
        lines = [blank_line] * height
        lines[(height - 1) // 2] = plain.center(width)
        return tuple(lines)

    x_scale, y_scale = scale
    bitmap = glyph_rows(text)
    # Each bitmap row widened, then repeated downwards: a canvas of half-rows.
    pixel_rows: list[str] = []
    for row in bitmap:
        wide_row = "".join(pixel * x_scale for pixel in row)
        pixel_rows.extend([wide_row] * y_scale)

    half_rows = 2 * height
    top = (half_rows - len(pixel_rows)) // 2
    if len(pixel_rows) % 2 == 0:
        # Start on a cell boundary when the height allows it: the digits are then solid
        # full blocks with no half-cell seams (some terminals show gaps between rows).
        top -= top % 2
    left = (width - len(pixel_rows[0])) // 2

    blank_pixels = " " * len(pixel_rows[0])
    canvas = [blank_pixels] * top + pixel_rows
    canvas += [blank_pixels] * (half_rows - len(canvas))

    lines = []
    # An odd last pixel row has no partner below it and is left out.
    for upper, lower in zip(canvas[0::2], canvas[1::2], strict=False):
        cells = "".join(_HALF_BLOCKS[(top_pixel == "#", bottom_pixel == "#")] for top_pixel, bottom_pixel in zip(upper, lower, strict=True))
        lines.append((" " * left + cells).ljust(width))
    return tuple(lines)


def render_lines(text: str, width: int, height: int) -> list[str]:
    """The finished character lines of `text` centred in `width` x `height` cells.

    Always `height` lines of exactly `width` characters: big half-block digits when they
    fit (see `choose_scale`), otherwise the plain text centred on the middle line.
    """
    return list(_render_lines(text, width, height))


class BigClock(Widget):
    """Shows a countdown such as "12:34", "1:02:03" or "+02:13" as big as its size allows.

    Set `text` to change what is shown. Characters other than digits, ':', '+', '-'
    and ' ' show as blanks. The ink uses the widget's CSS `color`.
    """

    DEFAULT_CSS = """
    BigClock {
        height: 1fr;
        color: $text;
    }
    BigClock.-warning {
        color: $warning;
    }
    BigClock.-over {
        color: $error;
    }
    """

    text: reactive[str] = reactive("")
    """The string to show, e.g. "12:34"."""

    def __init__(
        self,
        text: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(BigClock.text, text)
        # The strips of the last frame, rebuilt only when text, size or style change.
        self._strips_key: tuple[object, ...] | None = None
        self._strips: list[Strip] = []

    def render_line(self, y: int) -> Strip:
        """One line of the clock, in the widget's current colours."""
        width, height = self.size
        style = self.visual_style.rich_style
        key = (self.text, width, height, style)
        if key != self._strips_key:
            self._strips = [Strip([Segment(line, style)], width) for line in _render_lines(self.text, width, height)]
            self._strips_key = key
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(width, style)
