"""A session's data as TOML text, piece by piece, reusing the text of what did not change.

Exactly `tomli_w.dumps(data, multiline_strings=True)`, assembled the way tomli_w writes
it: the plain values first (one `key = value` line, or inline array, each), then each
table and each element of an array of tables, one after the other with a blank line
between. Each piece's text (and its UTF-8 bytes) is kept from the last dump and reused
while its data is the same: the very same object (the autosaver's snapshot,
`workshop.storage.snapshot`, hands over unchanged parts so, and a whole array that did
not change is then reused at once), or equal. Equal data dumps alike: each field's
values have one type (the model's), so no 1 == 1.0 == True surprise.

The data given must be a snapshot nothing changes afterwards (as `session_data` and
`SessionSnapshots.take` make): its pieces are kept to compare the next dump's with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress
from operator import is_not
from typing import Any

import tomli_w

from workshop.storage.toml_flat import element_text, value_line


def dump_data(data: dict[str, Any]) -> str:
    """`session_data` as the file's TOML text: exactly `tomli_w.dumps(data, multiline_strings=True)`."""
    return dump_data_bytes(data).decode("utf-8")


def dump_data_bytes(data: dict[str, Any]) -> bytes:
    """`dump_data(data)` encoded as UTF-8, each piece encoded once and kept (see the module docstring)."""
    return b"".join(dump_data_chunks(data))


def dump_data_chunks(data: dict[str, Any]) -> list[bytes]:
    """`dump_data_bytes(data)` in the pieces it is made of (the kept bytes of each piece,
    not copied), for the caller to join once with whatever goes before them (the save
    puts the listing's line first: `workshop.storage.saving`)."""
    global _kept
    kept = _kept  # one read: the writer thread and the app's may both be here
    now = _Dumped()
    plain: dict[str, Any] = {}
    blocks: list[list[bytes]] = []
    for key, value in data.items():
        kind = type(value)
        # The usual types first: the ABC check costs a look through the class's registry.
        if kind is dict or (kind is not list and kind is not str and isinstance(value, Mapping)):
            piece = _same(kept.tables.get(key), value)
            if piece is None:
                piece = _Piece(value, tomli_w.dumps({key: value}, multiline_strings=True))
            now.tables[key] = piece
            blocks.append([piece.encoded()])
            continue
        array = kept.arrays.get(key)
        if array is None or array.data is not value:
            array = _array(key, value, array) if isinstance(value, (list, tuple)) and value else None
            if array is None:
                plain[key] = value
                continue
        # else the very same list as last time: nothing in it changed.
        now.arrays[key] = array
        if array.parts is None:
            plain[key] = value  # every element short: tomli_w writes one inline array
        else:
            blocks.append(array.parts)
    # The plain values, one `key = value` line (or inline array) each, as tomli_w writes
    # them one after the other: each kept too (the participants' and progress' inline
    # arrays were dumped again on every save though only `updated_at` had changed).
    lines: list[bytes] = []
    for key, value in plain.items():
        piece = _same(kept.plain.get(key), value)
        if piece is None:
            line = value_line(key, value)
            piece = _Piece(value, line if line is not None else tomli_w.dumps({key: value}, multiline_strings=True))
        now.plain[key] = piece
        lines.append(piece.encoded())
    _kept = now
    chunks = lines
    for index, block in enumerate(blocks):
        if index or plain:
            chunks.append(b"\n")
        chunks.extend(block)
    return chunks


def forget_dumped() -> None:
    """Keep nothing from the last dump (the next dumps every piece, as the first save after opening)."""
    global _kept
    _kept = _Dumped()


@dataclass(slots=True)
class _Piece:
    """A table's or an array element's data and its TOML text; for an element, whether
    tomli_w would write it inline on its own (None: not yet known)."""

    data: Any
    text: str
    inline: bool | None = None
    raw: bytes | None = None

    def encoded(self) -> bytes:
        if self.raw is None:
            self.raw = self.text.encode("utf-8")
        return self.raw


@dataclass(slots=True)
class _Array:
    """An array of tables as last dumped: the list, its elements' pieces (by `_element_key`)
    and its text's bytes, element by element with a blank line between (None when tomli_w
    wrote it inline, as a plain value)."""

    data: Any
    pieces: dict[object, _Piece]
    order: list[_Piece]
    parts: list[bytes] | None
    # The place of an element tomli_w never writes inline, which makes the whole array
    # tables (None: not known, or written inline).
    witness: int | None


@dataclass(slots=True)
class _Dumped:
    """Everything kept from one dump: plain values' lines, tables and arrays, by key."""

    plain: dict[str, _Piece] = field(default_factory=dict)
    tables: dict[str, _Piece] = field(default_factory=dict)
    arrays: dict[str, _Array] = field(default_factory=dict)


def _same(piece: _Piece | None, data: Any) -> _Piece | None:
    """`piece` when it holds `data`: the very object (no need to look inside), or equal data
    of the same type; then as a piece of `data` itself, so the next dump knows it at once."""
    if piece is None or piece.data is data:
        return piece
    if type(piece.data) is not type(data) or piece.data != data:
        return None
    return _Piece(data, piece.text, piece.inline, piece.raw)


def _array(key: str, value: Sequence[Any], last: _Array | None) -> _Array | None:
    """The array `key` of tables, each element's text reused while its data is the same;
    None when not every element is a table (then it is a plain value).

    An element that is the very object at the same place as last time is known at once
    (the usual case: one proposal of a thousand changed); any other is looked up by its
    `_element_key` and compared."""
    kept = last.pieces if last is not None else {}
    same_length = last is not None and len(last.order) == len(value)
    before = last.order if last is not None and same_length else ()
    pieces: list[_Piece] = []
    new: list[_Piece] = []
    # The same elements in the same places, give or take a changed one: last time's
    # pieces by key, with the changed ones put in (a key not seen again stays, harmlessly:
    # a piece is reused only for equal data).
    now: dict[object, _Piece] = dict(kept) if same_length else {}
    changed: list[int] = []
    if same_length and last is not None:
        # Which places hold another object than last time, found without a loop in Python
        # over the unchanged ones (a thousand proposals, one changed).
        pieces = list(before)
        places = list(compress(range(len(value)), map(is_not, last.data, value)))
    else:
        places = list(range(len(value)))
    for index in places:
        item = value[index]
        if not isinstance(item, Mapping):
            return None
        where = _element_key(item, index)
        piece = _same(kept.get(where), item)
        if piece is None:
            piece = _Piece(item, "")
            new.append(piece)
        now[where] = piece
        if same_length:
            pieces[index] = piece
        else:
            pieces.append(piece)
        changed.append(index)
    if _write_elements(key, new, value):
        # Written as tables (the whole array dumped at once); which element makes it so
        # is asked when a later dump needs to know, of an element that did not change.
        witness: int | None = None
    else:
        witness = _long_element(key, pieces, last if same_length else None, set(changed))
        if witness is None:
            return _Array(value, now, pieces, None, None)
    if last is not None and same_length and last.parts is not None:
        # Last time's text, element by element, with the changed ones put in.
        parts = list(last.parts)
        for index in changed:
            parts[2 * index] = pieces[index].encoded()
    else:
        parts = []
        for index, piece in enumerate(pieces):
            if index:
                parts.append(b"\n")
            parts.append(piece.encoded())
    return _Array(value, now, pieces, parts, witness)


# An element tomli_w never writes inline (its key alone is longer than an inline table's
# line may be), put first in an array so that tomli_w writes the whole array as tables at
# once, without first trying each element inline: that trial costs as much as the
# element's own text.
_NEVER_INLINE = {"_" * 100: 0}


def _write_elements(key: str, pieces: list[_Piece], all_of: Sequence[Any] | None = None) -> bool:
    """Give each piece the text tomli_w writes for its data as one of the tables of the
    array `key` (`all_of`, the whole array): all in one dump, then cut apart (a call for
    each of a thousand elements cost half as much again as the whole file). When every
    element is new, the array's own text is cut at its headers; else the new elements are
    dumped each after a never-inline element and cut there. A cut is trusted only when it
    gives one text per element, each starting with its header: a text typed to look like
    a header only ever adds a cut, and then each element is dumped on its own. True when
    that showed tomli_w writes the whole array as tables (else `_long_element` says)."""
    if not pieces:
        return False
    if all_of is not None and len(pieces) == len(all_of):
        # Nothing kept (the first save): the array as tomli_w writes it, cut at each
        # element's header, if it is written as tables and no text holds that header.
        head = f"[[{key}]]\n"
        whole = tomli_w.dumps({key: all_of}, multiline_strings=True)
        texts = whole.split(f"\n{head}")
        if whole.startswith(head) and len(texts) == len(pieces):
            for index, (piece, text) in enumerate(zip(pieces, texts, strict=True)):
                piece.text = text if index == 0 else head + text
            return True
    # A flat element (the usual: a proposal, a note) is written without tomli_w's walk.
    rest: list[_Piece] = []
    for piece in pieces:
        flat = element_text(key, piece.data)
        if flat is None:
            rest.append(piece)
        else:
            piece.text = flat
    if not rest:
        return False
    pieces = rest
    marker = _marker(key)
    cut = f"\n{marker}\n"
    batch: list[Any] = []
    for piece in pieces:
        batch += [_NEVER_INLINE, piece.data]
    texts = tomli_w.dumps({key: batch}, multiline_strings=True)[len(marker) + 1 :].split(cut)
    if len(texts) != len(pieces) or not all(text.startswith(f"[[{key}]]\n") for text in texts):
        # A text that holds the marker itself (typed on purpose): each element on its own.
        texts = [tomli_w.dumps({key: [_NEVER_INLINE, piece.data]}, multiline_strings=True)[len(marker) + 1 :] for piece in pieces]
    for piece, text in zip(pieces, texts, strict=True):
        piece.text = text
    return False


def _marker(key: str) -> str:
    """The text of an array `key` holding only the never-inline element (the same every time)."""
    marker = _markers.get(key)
    if marker is None:
        marker = _markers[key] = tomli_w.dumps({key: [_NEVER_INLINE]}, multiline_strings=True)
    return marker


_markers: dict[str, str] = {}


def _long_element(key: str, pieces: list[_Piece], last: _Array | None, changed: set[int]) -> int | None:
    """The place of an element tomli_w never writes inline, which makes it write the
    whole array as tables; None when every element is short enough to go inline (then
    the array is one inline value). Last time's such element is asked first, when it is
    still there; then the elements already known; an element is dumped on its own to
    ask it only when none of those settles it, one that did not change first (so the
    answer stays while the others change)."""
    if last is not None and last.witness is not None and pieces[last.witness] is last.order[last.witness]:
        return last.witness
    for index, piece in enumerate(pieces):
        if piece.inline is False:
            return index
    unchanged = [index for index in range(len(pieces)) if index not in changed]
    for index in [*unchanged, *sorted(changed)]:
        piece = pieces[index]
        if piece.inline is None:
            piece.inline = not tomli_w.dumps({key: [piece.data]}, multiline_strings=True).startswith(f"[[{key}]]\n")
            if not piece.inline:
                return index
    return None


def _element_key(item: Mapping[str, Any], index: int) -> object:
    """Where an element's text is kept: by its id (a proposal stays itself when another is
    added before it), else by its place."""
    found = item.get("id")
    return found if isinstance(found, str) else index


# The data and text of every plain value, table and array of the last dump (see `dump_data_bytes`).
_kept = _Dumped()
