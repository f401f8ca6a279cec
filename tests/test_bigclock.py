"""BigClock: the pure drawing helpers, the widget in an app, and SVG snapshots."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.color import Color

from workshop.ui.widgets.bigclock import (
    GLYPH_HEIGHT,
    BigClock,
    choose_scale,
    glyph_rows,
    render_lines,
)

CLOCK_CHARACTERS = "0123456789:+- "
clock_texts = st.text(alphabet=CLOCK_CHARACTERS, min_size=1, max_size=9)
any_texts = st.text(alphabet=CLOCK_CHARACTERS + "x.?é", max_size=9)
widths = st.integers(min_value=0, max_value=250)
heights = st.integers(min_value=0, max_value=80)

INK = set("▀▄█")


def ink_columns(lines: list[str]) -> list[int]:
    return [x for x in range(len(lines[0])) if any(line[x] in INK for line in lines)]


def ink_rows(lines: list[str]) -> list[int]:
    return [y for y, line in enumerate(lines) if any(cell in INK for cell in line)]


# --- glyph_rows ---------------------------------------------------------------------


def test_glyph_rows_are_one_bitmap_of_equal_rows():
    rows = glyph_rows("12:34")
    assert len(rows) == GLYPH_HEIGHT
    assert len({len(row) for row in rows}) == 1
    assert set("".join(rows)) <= {"#", " "}
    # Four 5-column digits, a 2-column colon, and a 1-column gap between each glyph.
    assert len(rows[0]) == 4 * 5 + 2 + 4


def test_glyph_rows_draw_unknown_characters_blank_at_digit_width():
    assert glyph_rows("x") == glyph_rows(" ")
    assert set("".join(glyph_rows("x?"))) == {" "}
    assert len(glyph_rows("1x2")[0]) == len(glyph_rows("102")[0])


def test_plus_and_minus_differ():
    plus, minus = glyph_rows("+"), glyph_rows("-")
    middle = GLYPH_HEIGHT // 2
    assert plus[middle] == minus[middle] == "#####"
    assert "#" in plus[1] and "#" not in minus[1]


# --- choose_scale -------------------------------------------------------------------


def test_scale_fits_a_projector_screen():
    x_scale, y_scale = choose_scale("12:34", 80, 24)  # type: ignore[misc]  # these sizes fit, as the test asserts
    assert x_scale * len(glyph_rows("12:34")[0]) <= 80
    assert math.ceil(GLYPH_HEIGHT * y_scale / 2) <= 24
    assert x_scale >= 3 and y_scale >= 3


def test_scale_grows_with_size():
    small = choose_scale("12:34", 40, 10)
    large = choose_scale("12:34", 160, 50)
    assert small is not None and large is not None
    assert large[0] > small[0] and large[1] > small[1]


def test_scale_is_none_when_too_small():
    assert choose_scale("12:34", 20, 10) is None  # too narrow for 26 pixel columns
    assert choose_scale("12:34", 80, 3) is None  # 3 rows hold only 6 of 7 pixel rows
    assert choose_scale("12:34", 0, 0) is None
    assert choose_scale("", 80, 24) is None


def test_scale_keeps_pixels_close_to_square():
    # A wide, short strip may not flatten the digits into a bar...
    x_scale, y_scale = choose_scale("12:34", 250, 7)  # type: ignore[misc]  # these sizes fit, as the test asserts
    assert (x_scale, y_scale) == (3, 2)
    # ...nor a tall, narrow one stretch them into posts.
    x_scale, y_scale = choose_scale("12:34", 30, 80)  # type: ignore[misc]  # these sizes fit, as the test asserts
    assert (x_scale, y_scale) == (1, 1)


@given(text=clock_texts, width=widths, height=heights)
def test_chosen_scale_always_fits(text, width, height):
    scale = choose_scale(text, width, height)
    if scale is None:
        return
    x_scale, y_scale = scale
    assert x_scale >= 1 and y_scale >= 1
    assert x_scale * len(glyph_rows(text)[0]) <= width
    assert math.ceil(GLYPH_HEIGHT * y_scale / 2) <= height


@given(text=clock_texts, width=widths, height=heights, more_width=widths, more_height=heights)
def test_scale_never_shrinks_when_the_region_grows(text, width, height, more_width, more_height):
    smaller = choose_scale(text, width, height)
    larger = choose_scale(text, width + more_width, height + more_height)
    if smaller is not None:
        assert larger is not None
        assert larger[0] >= smaller[0] and larger[1] >= smaller[1]


# --- render_lines -------------------------------------------------------------------


@given(text=any_texts, width=widths, height=heights)
def test_render_lines_dimensions_are_exact(text, width, height):
    lines = render_lines(text, width, height)
    assert len(lines) == height
    assert all(len(line) == width for line in lines)


def test_render_lines_centres_the_digits():
    # "0" inks all four edges of its glyph, so the ink shows where the bitmap sits.
    lines = render_lines("00:00", 60, 12)
    columns, rows = ink_columns(lines), ink_rows(lines)
    left, right = columns[0], len(lines[0]) - 1 - columns[-1]
    top, bottom = rows[0], len(lines) - 1 - rows[-1]
    assert abs(left - right) <= 1
    assert abs(top - bottom) <= 1


def test_render_lines_uses_half_blocks_only():
    lines = render_lines("1:02:03", 40, 6)
    assert set("".join(lines)) <= INK | {" "}
    assert {"▀", "▄"} & set("".join(lines))  # small sizes lean on the half blocks


def test_render_lines_scales_each_pixel_to_a_block():
    # At (2, 2) every font pixel is a 2x1 block of full cells: compare with the bitmap.
    text, width, height = "12:34", 60, 7
    assert choose_scale(text, width, height) == (2, 2)
    lines = render_lines(text, width, height)
    bitmap = glyph_rows(text)
    left = (width - 2 * len(bitmap[0])) // 2
    for row, line in zip(bitmap, lines, strict=True):
        expected = "".join("██" if pixel == "#" else "  " for pixel in row)
        assert line[left : left + len(expected)] == expected


def test_unknown_characters_render_blank():
    assert render_lines("x?", 80, 24) == render_lines("  ", 80, 24)
    assert set("".join(render_lines("x?", 80, 24))) == {" "}
    # The other glyphs keep their places around the blank.
    assert render_lines("1x", 80, 24) == render_lines("1 ", 80, 24)


def test_plus_sign_renders_for_overrun():
    text, width, height = "+02:13", 80, 24
    x_scale, _ = choose_scale(text, width, height)  # type: ignore[misc]  # these sizes fit, as the test asserts
    lines = render_lines(text, width, height)
    left = ink_columns(lines)[0]
    plus_columns = [line[left : left + 5 * x_scale] for line in lines]
    # The plus sign: a full-width bar across the middle, a stem above and below it.
    bar_rows = [y for y, cells in enumerate(plus_columns) if cells.strip() and " " not in cells]
    stem_rows = [y for y, cells in enumerate(plus_columns) if cells.strip() and " " in cells]
    assert bar_rows
    assert any(y < bar_rows[0] for y in stem_rows) and any(y > bar_rows[-1] for y in stem_rows)
    # Not the same drawing as a minus.
    assert lines != render_lines("-02:13", width, height)


def test_too_small_falls_back_to_centred_plain_text():
    lines = render_lines("12:34", 11, 3)
    assert lines == ["           ", "   12:34   ", "           "]
    assert render_lines("+0x:13", 10, 1) == ["  +0 :13  "]


def test_render_lines_returns_a_fresh_list():
    lines = render_lines("12:34", 30, 4)
    lines.clear()
    assert len(render_lines("12:34", 30, 4)) == 4


# --- the widget in an app -----------------------------------------------------------


class ClockApp(App[None]):
    """Only a BigClock: nothing moves, so snapshots are deterministic."""

    def __init__(self, text: str, classes: str = "") -> None:
        super().__init__()
        self.clock_text = text
        self.clock_classes = classes

    def compose(self) -> ComposeResult:
        yield BigClock(self.clock_text, classes=self.clock_classes)


def shown_lines(clock: BigClock) -> list[str]:
    return [clock.render_line(y).text for y in range(clock.size.height)]


def ink_colour(clock: BigClock):
    for y in range(clock.size.height):
        for segment in clock.render_line(y):
            if set(segment.text) & INK:
                return segment.style.color
    raise AssertionError("no ink drawn")


async def test_widget_draws_render_lines_for_its_size():
    app = ClockApp("12:34")
    async with app.run_test(size=(80, 24)) as pilot:
        clock = app.query_one(BigClock)
        assert clock.size == (80, 24)
        assert shown_lines(clock) == render_lines("12:34", 80, 24)

        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert clock.size == (120, 40)
        assert shown_lines(clock) == render_lines("12:34", 120, 40)


async def test_widget_redraws_when_text_changes():
    app = ClockApp("12:34")
    async with app.run_test(size=(80, 24)) as pilot:
        clock = app.query_one(BigClock)
        clock.text = "+00:05"
        await pilot.pause()
        assert shown_lines(clock) == render_lines("+00:05", 80, 24)


async def test_ink_follows_the_css_colour_classes():
    app = ClockApp("12:34")
    async with app.run_test(size=(80, 24)) as pilot:
        clock = app.query_one(BigClock)
        variables = app.get_css_variables()
        normal = ink_colour(clock)

        clock.add_class("-warning")
        await pilot.pause()
        assert ink_colour(clock) == Color.parse(variables["warning"]).rich_color

        clock.remove_class("-warning")
        clock.add_class("-over")
        await pilot.pause()
        assert ink_colour(clock) == Color.parse(variables["error"]).rich_color

        clock.remove_class("-over")
        await pilot.pause()
        assert ink_colour(clock) == normal


# --- snapshots ----------------------------------------------------------------------


def test_snapshot_clock_80x24(snap_compare):
    assert snap_compare(ClockApp("12:34"), terminal_size=(80, 24))


def test_snapshot_clock_120x40(snap_compare):
    assert snap_compare(ClockApp("12:34"), terminal_size=(120, 40))


def test_snapshot_overrun_80x24(snap_compare):
    assert snap_compare(ClockApp("+02:13", classes="-over"), terminal_size=(80, 24))
