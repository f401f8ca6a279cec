"""The autosaver's snapshot: the session as plain data, dumping again only what changed.

`session_data` (a whole `model_dump`) took 3 to 7 ms for a large session on the UI thread
for every write, and the writer then compared every part of it with the last save's to
find the one proposal that changed. `SessionSnapshots.take` gives the same data, but a
part of the session that has not changed since the last snapshot is given as the very
same dicts and lists as then (never changed afterwards: a snapshot is read only), so
the writer (`workshop.storage.piecewise`) knows it by identity and reuses
its text without looking inside.

How a part is known unchanged, without looking at all of it:
- the session's lists of flat items (proposals, participants, notes...: fields of plain
  values and lists of them): an item is the same object as then, has taken no
  assignment since (`revision_of`: every field assignment to a model is numbered), and
  its lists hold what they held;
- the other parts (the agenda, the voting settings, the close, the rounds with their
  ballots): no assignment since to any model class they hold, the same object (and for
  a list of rounds, the same rounds), and no operation since that changes them in place
  (a ballot appended, a count of hands set): the session's editor says which parts its
  operations change in place (`workshop.domain.operations.base.IN_PLACE_PARTS`), and
  the open session passes that on (`touched`); after a change that names nothing,
  the whole session is dumped at once, as `session_data` does;
- the plain values (title, status, times) and anything of an unexpected type: dumped
  every time (a few fields).

A test holds `take` equal to `session_data` (and the file's bytes equal to a fresh full
dump) after any sequence of the editor's operations.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel

from workshop.domain.models.base import ASSIGNED, StrictModel, next_revision, revision_of
from workshop.domain.models.session import Session
from workshop.storage.session_format import session_data

_DUMP: dict[str, Any] = {"mode": "python", "by_alias": True, "exclude_none": True}


@dataclass(slots=True)
class _Item:
    """One item as it was last dumped: the object, its revision, copies of its lists, its data."""

    model: StrictModel
    revision: int
    lists: tuple[list[Any], ...]
    data: dict[str, Any]


@dataclass(slots=True)
class _Kept:
    """What a part of the session was last time: the value it had and the data given for it."""

    value: Any
    data: Any
    items: dict[int, _Item]


class SessionSnapshots:
    """Snapshots of one open session, each reusing the last one's unchanged parts.

    Used from one thread (the one that changes the session), as `session_data` was.
    """

    def __init__(self) -> None:
        self._kept: dict[str, _Kept] = {}
        self._since = 0
        # The parts changed in place since the last snapshot; None: any may have been.
        self._touched: set[str] | None = None

    def touched(self, parts: Iterable[str] | None) -> None:
        """Note that an operation may have changed `parts` (session field names) in place;
        None: anything may have changed (the next snapshot dumps everything)."""
        if parts is None:
            self._touched = None
        elif self._touched is not None:
            self._touched.update(parts)

    def forget(self) -> None:
        """Keep nothing: the next snapshot dumps the whole session."""
        self._kept = {}
        self._touched = None

    def take(self, session: Session) -> dict[str, Any]:
        """`session_data(session)`, reusing the last snapshot's data of unchanged parts."""
        since, self._since = self._since, next_revision()
        touched, self._touched = self._touched, set()
        shape = _shape()
        if touched is None or not self._kept:
            # Everything may have changed (or nothing is kept): one dump of the whole, a
            # few times faster than dumping it item by item, kept item by item from it.
            data = session_data(session)
            self._kept = _kept_from(session, data, shape)
            return data
        assigned = {part for cls, revision in tuple(ASSIGNED.items()) if revision > since for part in shape.parts_of.get(cls, shape.nested)}
        data = session.model_dump(include=set(shape.plain), **_DUMP)
        kept: dict[str, _Kept] = {}
        for name in shape.order:
            value = getattr(session, name)
            field = Session.model_fields[name]
            if field.exclude_if is not None and field.exclude_if(value):
                continue
            changed = name in touched or name in assigned
            part = self._part(name, value, self._kept.get(name), changed, shape)
            if part is None:
                # Not of the type the model gives it (a subclass, say): no shortcut.
                self.forget()
                return session_data(session)
            kept[name] = part
            data[field.alias or name] = part.data
        self._kept = kept
        return {key: data[key] for key in shape.keys if key in data}

    def _part(self, name: str, value: Any, last: _Kept | None, changed: bool, shape: "_Shape") -> _Kept | None:
        item_type = shape.items.get(name)
        if item_type is None:
            if type(value) is not shape.models[name] or not isinstance(value, BaseModel):
                return None
            if last is not None and not changed and last.value is value:
                return last
            return _Kept(value, value.model_dump(**_DUMP), {})
        if type(value) is not list:
            return None
        lists = shape.lists.get(item_type, ())
        old = {} if last is None or changed else last.items
        items: dict[int, _Item] = {}
        data: list[dict[str, Any]] = []
        same = last is not None and len(value) == len(last.data)
        for index, item in enumerate(value):
            if type(item) is not item_type or not isinstance(item, StrictModel):
                return None
            kept = old.get(id(item))
            if kept is None or kept.model is not item or kept.revision != revision_of(item) or (lists and _lists_changed(item, lists, kept.lists)):
                kept = _Item(item, revision_of(item), tuple(list(getattr(item, field)) for field in lists), item.model_dump(**_DUMP))
            items[id(item)] = kept
            data.append(kept.data)
            same = same and last is not None and last.data[index] is kept.data
        if same and last is not None:
            # Nothing in the list changed: the very same list, which the writer knows at once.
            return _Kept(value, last.data, items)
        return _Kept(value, data, items)


def _kept_from(session: Session, data: dict[str, Any], shape: "_Shape") -> dict[str, _Kept]:
    """What `take` keeps of each part, from a whole `session_data(session)`: each item's
    data is the element of its list there (a dump leaves no list element out)."""
    kept: dict[str, _Kept] = {}
    for name in shape.order:
        value = getattr(session, name)
        key = Session.model_fields[name].alias or name
        if key not in data:
            continue  # left out while empty
        item_type = shape.items.get(name)
        if item_type is None:
            if type(value) is not shape.models[name]:
                return {}
            kept[name] = _Kept(value, data[key], {})
            continue
        if type(value) is not list or len(value) != len(data[key]) or any(type(item) is not item_type for item in value):
            return {}  # not as the model gives it: nothing kept, the next snapshot dumps the whole again
        lists = shape.lists.get(item_type, ())
        items = {
            id(item): _Item(item, revision_of(item), tuple(list(getattr(item, field)) for field in lists), dumped)
            for item, dumped in zip(value, data[key], strict=True)
        }
        kept[name] = _Kept(value, data[key], items)
    return kept


def _lists_changed(item: BaseModel, fields: tuple[str, ...], copies: tuple[list[Any], ...]) -> bool:
    """Whether a flat item's lists (changed in place, which takes no revision) differ from the copies."""
    values = item.__dict__
    for field, copy in zip(fields, copies, strict=True):
        if values[field] != copy:
            return True
    return False


@dataclass(frozen=True)
class _Shape:
    """What `take` needs to know of the session model, worked out once from its fields."""

    keys: tuple[str, ...]  # every key of the data, in the model's order (as `session_data` writes them)
    plain: frozenset[str]  # fields dumped every time (plain values)
    order: tuple[str, ...]  # the fields of models and lists of models
    models: dict[str, type]  # a field holding one model: its class
    items: dict[str, type]  # a field holding a list of models: the items' class
    lists: dict[type, tuple[str, ...]]  # a flat item class: its fields holding lists of plain values
    parts_of: dict[type, tuple[str, ...]]  # a model class: the fields whose data it is part of (not a flat item's own)
    nested: tuple[str, ...]  # every field not tracked item by item: what an unknown class may be in


_shape_cache: list[_Shape] = []


def _shape() -> _Shape:
    if not _shape_cache:
        _shape_cache.append(_work_out_shape())
    return _shape_cache[0]


def _work_out_shape() -> _Shape:
    plain: set[str] = set()
    order: list[str] = []
    models: dict[str, type] = {}
    items: dict[str, type] = {}
    lists: dict[type, tuple[str, ...]] = {}
    parts_of: dict[type, list[str]] = {}
    for name, field in Session.model_fields.items():
        annotation = field.annotation
        if get_origin(annotation) is list and _model_class(get_args(annotation)[0]) is not None:
            item_type = _model_class(get_args(annotation)[0])
            assert item_type is not None
            items[name] = item_type
            order.append(name)
            flat = _flat_lists(item_type)
            if flat is not None:
                lists[item_type] = flat  # tracked item by item: its own revision and lists
                continue
        elif _model_class(annotation) is not None:
            models[name] = _model_class(annotation)  # type: ignore[assignment]  # not None: just checked
            order.append(name)
        else:
            plain.add(name)
            continue
        for cls in _models_in(annotation, set()):
            parts_of.setdefault(cls, []).append(name)
    nested = tuple(name for name in order if name not in items or items[name] not in lists)
    for cls in (Session, *lists):
        # The session's own fields are dumped or compared every time; a flat item is
        # tracked by its own revision (unless it is also part of something else).
        parts_of.setdefault(cls, [])
    keys = tuple(field.alias or name for name, field in Session.model_fields.items())
    return _Shape(keys, frozenset(plain), tuple(order), models, items, lists, {cls: tuple(parts) for cls, parts in parts_of.items()}, nested)


def _model_class(annotation: Any) -> type | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _flat_lists(cls: type) -> tuple[str, ...] | None:
    """The fields of `cls` that hold lists of plain values, when every other field holds a
    plain value; None when it holds a model or a dict anywhere (then it is not flat)."""
    found: list[str] = []
    for name, field in cls.model_fields.items():  # type: ignore[attr-defined]
        if _models_in(field.annotation, set()) or _has_dict(field.annotation):
            return None
        if get_origin(field.annotation) is list or any(get_origin(arg) is list for arg in get_args(field.annotation)):
            found.append(name)
    return tuple(found)


def _has_dict(annotation: Any) -> bool:
    return get_origin(annotation) is dict or annotation is dict or any(_has_dict(arg) for arg in get_args(annotation))


def _models_in(annotation: Any, seen: set[type]) -> set[type]:
    """Every model class a value of `annotation` may hold, itself included."""
    found: set[type] = set()
    cls = _model_class(annotation)
    if cls is not None:
        if cls in seen:
            return found
        seen.add(cls)
        found.add(cls)
        sub: type
        for sub in cls.__subclasses__():
            found |= _models_in(sub, seen)
        for field in cls.model_fields.values():  # type: ignore[attr-defined]
            found |= _models_in(field.annotation, seen)
        return found
    if get_origin(annotation) in (list, dict, tuple, set, frozenset, Union, types.UnionType) or get_args(annotation):
        for arg in get_args(annotation):
            found |= _models_in(arg, seen)
    return found
