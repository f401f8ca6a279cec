"""Turning pydantic validation errors into one plain-English line per problem."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from workshop.domain.models.pack import (
    ACTIVITY_KINDS,
    ReferenceProblems,
    agenda_problems,
)
from workshop.storage.tomlsafe import LineLocator, Problem, format_loc

_TYPE_NAMES = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD)",
    "datetime_type": "a date and time with a time zone",
    "datetime_parsing": "a date and time with a time zone",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _reason(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "missing":
        return "required key is missing"
    if kind == "extra_forbidden":
        return "unknown key (not part of the format; check its spelling)"
    if kind in _TYPE_NAMES:
        return f"should be {_TYPE_NAMES[kind]}, not {_describe(given)}"
    if kind == "union_tag_invalid":
        return f"unknown kind '{ctx.get('tag')}'; expected one of: {', '.join(ACTIVITY_KINDS)}"
    if kind == "union_tag_not_found":
        return f"'kind' is missing; expected one of: {', '.join(ACTIVITY_KINDS)}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bounds = {"greater_than_equal": "at least", "less_than_equal": "at most", "greater_than": "more than", "less_than": "less than"}
        limit = next(iter(ctx.values()), "?")
        return f"should be {bounds[kind]} {limit}, not {given!r}"
    if kind == "too_short":
        if isinstance(given, (list, dict)):
            return f"needs at least {ctx.get('min_length')} item(s)" if given else "is empty"
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        if isinstance(given, str):
            return f"is too long (at most {ctx.get('max_length')} characters)"
        return f"has too many items (at most {ctx.get('max_length')})"
    if kind == "string_too_short":
        return "should not be empty" if ctx.get("min_length") == 1 else f"is too short (at least {ctx.get('min_length')} characters)"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "string_pattern_mismatch":
        return _pattern_reason(str(ctx.get("pattern", "")), given)
    if kind == "literal_error":
        return f"should be one of {ctx.get('expected')}, not {given!r}"
    if kind == "timezone_aware":
        return "timestamp needs a time zone offset (for example Z for UTC)"
    message = str(error.get("msg", "is not valid"))
    return message.removeprefix("Value error, ")


def _pattern_reason(pattern: str, given: Any) -> str:
    if pattern.startswith("^[a-z0-9]"):
        return f"{given!r} is not a valid id: use lower-case letters, digits, '-', '_' or '.'"
    if pattern.startswith(r"^\d+"):
        return f"{given!r} is not a version number such as 1.0 or 1.2.3"
    if "[0-5]" in pattern:
        return f"{given!r} is not a time of day such as 09:30"
    return f"{given!r} does not have the expected form"


def _clean_loc(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # Pydantic puts the union tag in the path (activities[0].read.text); a person
    # editing the file never sees that level, so it is dropped.
    cleaned: list[str | int] = []
    for index, part in enumerate(loc):
        if part in ACTIVITY_KINDS and index >= 2 and isinstance(loc[index - 1], int) and loc[index - 2] == "activities":
            continue
        cleaned.append(part)
    return tuple(cleaned)


def problems_from_validation(
    error: ValidationError,
    shown: str,
    text: str | None,
    prefix: tuple[str | int, ...] = (),
    agenda_data: Any = None,
) -> list[Problem]:
    """One `Problem` per validation error, with key paths and lines where found.

    `prefix` is prepended to paths when the model validated sits inside the file (for
    example the agenda of a session). `agenda_data`, the raw agenda, is cross-checked
    too when other errors kept pydantic from getting that far, so one run of
    `workshop validate` reports everything.
    """
    locator = LineLocator(text) if text is not None else None
    problems: list[Problem] = []

    def add(loc: tuple[str | int, ...], reason: str) -> None:
        full = (*prefix, *loc)
        line = locator.line_of(full) if locator else None
        problems.append(Problem(shown, reason, format_loc(full), line))

    for item in error.errors(include_url=False):
        loc = _clean_loc(tuple(item["loc"]))
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, ReferenceProblems):
            for sub_loc, reason in cause.problems:
                add((*loc, *sub_loc), reason)
        else:
            add(loc, _reason(item))
    if agenda_data is not None and not any(_is_reference(item) for item in error.errors(include_url=False)):
        for loc, reason in agenda_problems(agenda_data):
            add(loc, reason)
    # In file order, so a person can work down the file.
    problems.sort(key=lambda problem: problem.line if problem.line is not None else 1 << 30)
    return problems


def _is_reference(item: Mapping[str, Any]) -> bool:
    return isinstance((item.get("ctx") or {}).get("error"), ReferenceProblems)
