"""Text hygiene shared by packs and sessions.

Everything a person types or a file supplies passes through `clean_text` before it
reaches a model, so a session file can always be written as valid TOML and read back
exactly: no lone surrogates (TOML cannot hold them), no control characters that would
garble a terminal, and one newline convention.
"""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls except tab and newline, plus DEL. Carriage returns are folded into
# newlines first, so they never reach this pattern.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Bidirectional *override/embedding/isolate* controls can make a line display as
# something other than what it says; marks that merely set direction (LRM, RLM, ALM)
# are harmless and kept so right-to-left text round-trips exactly.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# All three above (the controls include \r); where none is found nothing changes.
_ANY_TO_CLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """Return `value` safe to store: NFC-normalised, newlines folded, controls dropped."""
    if _ANY_TO_CLEAN.search(value) is None and unicodedata.is_normalized("NFC", value):
        # Nearly every text, already clean: one search instead of three substitutions
        # (loading a session validates thousands of them).
        return value
    value = _SURROGATE.sub("\ufffd", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    value = _BIDI_CONTROLS.sub("", value)
    return unicodedata.normalize("NFC", value)


def clean_line(value: str) -> str:
    """Like `clean_text`, for one-line fields: newlines and tabs become spaces, ends trimmed."""
    value = clean_text(value).replace("\n", " ").replace("\t", " ")
    return value.strip()


def slugify(value: str, max_length: int = 40) -> str:
    """Lower-case ASCII slug of `value` (may be empty when nothing ASCII survives)."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def format_minutes(minutes: int) -> str:
    """`175` -> `2h55`; under an hour, plain minutes (`45 min`)."""
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours}h{rest:02d}"


def plural(count: int, noun: str) -> str:
    """`1 dot`, `3 dots`: a count with its noun, never "1 dots"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
