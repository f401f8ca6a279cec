"""Text hygiene: what is cleaned always survives TOML, and cleaning is stable."""

from __future__ import annotations

import tomllib

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from workshop.domain.text import clean_line, clean_text, slugify


@given(st.text())
def test_clean_text_round_trips_through_toml(value):
    cleaned = clean_text(value)
    assert clean_text(cleaned) == cleaned
    assert tomllib.loads(tomli_w.dumps({"text": cleaned}))["text"] == cleaned


@given(st.text())
def test_clean_line_is_one_line(value):
    line = clean_line(value)
    assert "\n" not in line and "\t" not in line
    assert line == line.strip()


@given(st.text())
def test_slug_is_safe(value):
    slug = slugify(value)
    assert len(slug) <= 40
    assert all(char in "abcdefghijklmnopqrstuvwxyz0123456789-" for char in slug)
    assert not slug.startswith("-") and not slug.endswith("-")


def test_keeps_what_people_write():
    text = "Line one\n\tTabbed \"quoted\" 'single' 🎉 مرحبا بالعالم שלום \u200f"
    assert clean_text(text) == text


def test_drops_controls_and_surrogates():
    assert clean_text("a\x00b\x1b[31mc\r\nd\rE\ud800") == "ab[31mc\nd\nE\ufffd"
    assert clean_text("safe\u202eevil") == "safeevil"
    assert clean_line("  two\nlines\t ") == "two lines"


def test_plural_never_says_one_dots():
    from workshop.domain.text import plural

    assert plural(1, "dot") == "1 dot"
    assert plural(0, "dot") == "0 dots"
    assert plural(5, "dot") == "5 dots"
