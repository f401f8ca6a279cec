"""Shared building blocks of the pack and session models."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from workshop.domain.models.limits import (
    LINE_TEXT_CHARACTERS,
    NOTE_CHARACTERS,
    SHORT_TEXT_CHARACTERS,
)
from workshop.domain.text import clean_line, clean_text


class StrictModel(BaseModel):
    """Unknown keys are refused; assignments are validated, so state stays valid."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=False)


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
