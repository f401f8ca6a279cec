"""The fast writer of flat tables (`workshop.storage.toml_flat`) writes what tomli_w writes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from workshop.storage.toml_flat import element_text, value_line

# Every character class tomli_w treats apart: controls, tab, CR and LF, quotes, backslash, DEL, non-ASCII.
TEXT = st.text(alphabet=st.sampled_from([*"ab c\t\n\r\"'\\\x00\x07\x08\x0b\x0c\x1b\x7f", "é", "—", "😀"]), max_size=12) | st.text(max_size=20)
SCALARS = (
    TEXT | st.integers() | st.booleans() | st.floats(allow_nan=False, allow_infinity=False) | st.dates() | st.datetimes(timezones=st.just(UTC)) | st.datetimes()
)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3), max_leaves=8)
KEYS = st.sampled_from(["id", "text", "owner-name", "a_b", "", "with space", 'q"uote', "é"]) | st.text(max_size=6)


@given(st.dictionaries(KEYS, VALUES, max_size=6), st.sampled_from(["proposals", "notes", "odd key"]))
def test_a_flat_element_is_written_as_tomli_w_writes_it_in_an_array_of_tables(item: dict[str, Any], key: str) -> None:
    # A first element too long to go inline makes tomli_w write the array as tables.
    never_inline = {"_" * 100: 0}
    whole = tomli_w.dumps({key: [never_inline, item]}, multiline_strings=True)
    first = tomli_w.dumps({key: [never_inline]}, multiline_strings=True)
    text = element_text(key, item)
    assert text is not None and whole == first + "\n" + text


@given(KEYS, VALUES)
def test_a_plain_value_is_written_as_tomli_w_writes_it(key: str, value: Any) -> None:
    assert value_line(key, value) == tomli_w.dumps({key: value}, multiline_strings=True)


def test_tables_and_lists_of_tables_are_left_to_tomli_w() -> None:
    assert element_text("proposals", {"id": "p1", "votes": {"a": 1}}) is None
    assert element_text("proposals", {"id": "p1", "ballots": [{"a": 1}]}) is None
    assert value_line("agenda", {"sections": []}) is None
    assert value_line("proposals", [{"id": "p1"}]) is None


def test_strings_that_need_escaping_match_tomli_w_exactly() -> None:
    for text in ['say "hi"', "back\\slash", "line\nbreak", "crlf\r\nend", "lone\rcr", "bell\x07", "tab\tkept", "del\x7f", '"""']:
        assert value_line("text", text) == tomli_w.dumps({"text": text}, multiline_strings=True)
    assert value_line("when", date(2026, 12, 7)) == "when = 2026-12-07\n"
    assert value_line("at", datetime(2026, 12, 7, 9, 30, tzinfo=UTC)) == "at = 2026-12-07 09:30:00+00:00\n"
