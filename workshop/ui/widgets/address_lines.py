"""A server address laid out for a narrow place, never cut inside its secret."""

from __future__ import annotations

# Where a page family's path (and its secret) starts: the phones' page, the room's screen.
SECRET_PATHS = ("/j/", "/r/")


def address_lines(url: str, width: int) -> str:
    """`url` for a place `width` cells wide: whole on one line when it fits, else broken
    after the host, so the secret stays on one line (a secret cut in two cannot be typed
    or trusted)."""
    if len(url) <= width:
        return url
    for marker in SECRET_PATHS:
        head, found, path = url.partition(marker)
        if found:
            return f"{head}\n{marker}{path}"
    return url
