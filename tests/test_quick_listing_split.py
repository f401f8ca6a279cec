"""The quick listing cuts a file at its table headers without a regular expression, and
cuts it exactly where the regular expression it replaced did."""

from __future__ import annotations

import random
import re

from workshop.storage.quick_listing import blank_multiline_strings, split_at_headers

HEADER = re.compile(r"^(\[[^\n]*)", re.MULTILINE)


def test_split_at_headers_cuts_as_the_regular_expression_did() -> None:
    rng = random.Random(20)
    texts = ["", "[", "[a]", "[a]\n", "\n[a]", "x = 1\n[a]\ny = 2\n[[b]]\n", "[a]\n\n[b]\n", "x\n[\n["]
    texts += ["".join(rng.choice("[\nab ]") for _ in range(rng.randint(0, 16))) for _ in range(3000)]
    for text in texts:
        assert split_at_headers(text) == HEADER.split(text), repr(text)


def test_split_at_headers_on_a_session_file() -> None:
    text = (
        'schema = 3\nid = "s1"\nnote = """\n[not a header]\n"""\n\n[voting]\nmode = "named"\n\n'
        '[[participants]]\nid = "ana"\n\n[[agenda.sections]]\nid = "one"\n'
    )
    flat = blank_multiline_strings(text)
    assert flat is not None
    pieces = split_at_headers(flat)
    assert pieces == HEADER.split(flat)
    assert pieces[1::2] == ["[voting]", "[[participants]]", "[[agenda.sections]]"]
