"""Shared building blocks of the pack and session models."""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from workshop.domain.models.limits import (
    LINE_TEXT_CHARACTERS,
    NOTE_CHARACTERS,
    SHORT_TEXT_CHARACTERS,
)
from workshop.domain.text import clean_line, clean_text

# Every assignment to a model's field takes the next number: the autosaver's snapshot
# (`workshop.storage.snapshot`) reuses what it took of a part of the session while no
# assignment in it is newer than that, instead of dumping the whole session each time.
_revisions = itertools.count(1)
# The newest number any instance of each model class took: a model inside a part of the
# session (a ballot in a round) does not know that part, so the snapshot dumps again
# every part that can hold a class assigned to since its last look.
ASSIGNED: dict[type, int] = {}


class StrictModel(BaseModel):
    """Unknown keys are refused; assignments are validated, so state stays valid.

    Each assignment also gives the model a new revision (`revision_of`), kept in a slot
    outside the fields, so equality, dumps and copies are as before (a copy starts at 0).
    """

    __slots__ = ("_revision",)

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=False)

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        revision = next(_revisions)
        object.__setattr__(self, "_revision", revision)
        ASSIGNED[type(self)] = revision


def revision_of(model: StrictModel) -> int:
    """The number of the last assignment to one of `model`'s fields; 0 if none since it was made."""
    try:
        return model._revision  # type: ignore[attr-defined, no-any-return]  # the slot (not a field: mypy knows only fields)
    except AttributeError:
        # Never assigned: set it, so the next read is a plain slot read (a miss goes
        # through pydantic's `__getattr__` and an exception, ten times slower).
        object.__setattr__(model, "_revision", 0)
        return 0


def next_revision() -> int:
    """A number newer than every revision given so far (assignments after this take higher ones)."""
    return next(_revisions)


# An identifier authors and files use to point at things: short, lower-case, no spaces.
Identifier = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_.-]*$"),
]
# One-line texts (titles, names, roles) and free texts (Markdown, notes), each cleaned of
# control characters and lone surrogates so they always survive a TOML round trip.
# Lengths are checked before cleaning (which only ever shortens a text) and emptiness
# after it, so a title of spaces is refused rather than stored blank.
ShortText = Annotated[str, Field(max_length=SHORT_TEXT_CHARACTERS), AfterValidator(clean_line)]
LineText = Annotated[str, Field(max_length=LINE_TEXT_CHARACTERS), AfterValidator(clean_line)]
LongText = Annotated[str, Field(max_length=NOTE_CHARACTERS), AfterValidator(clean_text)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("should not be empty")
    return value


NotBlank = AfterValidator(_not_blank)
RequiredShortText = Annotated[ShortText, NotBlank]
RequiredLineText = Annotated[LineText, NotBlank]
RequiredLongText = Annotated[LongText, NotBlank]


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("timestamp needs a time zone offset (for example Z for UTC)")
    return value.astimezone(timezone.utc)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]


def utc_now() -> datetime:
    """Now, in UTC, to the whole second: finer precision only adds noise to the files."""
    return datetime.now(timezone.utc).replace(microsecond=0)
