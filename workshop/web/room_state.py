"""The room's screen's own state: its secret, the hold flag, whether to show the join code, a version.

Like `JoinState` for the phones, this lives in the app's memory only (never in the
session file) and is plain Python, so the console and the tests drive it directly. It
is a separate object with a separate secret because the room's screen and the phones
are two audiences: a phone's address must never open the projector's page, and the
projector's address must not let anyone vote.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from workshop.web.joining import SECRET_BYTES


class RoomState:
    """The room screen's secret, `hold` and `show_join` flags, and a version its page follows."""

    def __init__(self, *, secret: str | None = None) -> None:
        self.secret = secret or secrets.token_urlsafe(SECRET_BYTES)
        # The facilitator asked the room to look away (fixing something on the console).
        self.hold = False
        # Whether the QR code and the short code stand in the corner: on while phones may join.
        self.show_join = True
        self.version = 1
        self._watchers: list[Callable[[], None]] = []

    def bump(self) -> None:
        """Something the room's screen shows has changed: a new version, and wake its streams."""
        self.version += 1
        for watcher in list(self._watchers):
            watcher()

    def set_hold(self, on: bool) -> bool:
        """Turn the hold screen on or off; False when it already was so (nothing to redraw)."""
        if self.hold == bool(on):
            return False
        self.hold = bool(on)
        self.bump()
        return True

    def set_show_join(self, on: bool) -> bool:
        """Show or hide the join corner (QR code and short code); False when unchanged."""
        if self.show_join == bool(on):
            return False
        self.show_join = bool(on)
        self.bump()
        return True

    def watch(self, watcher: Callable[[], None]) -> None:
        self._watchers.append(watcher)

    def unwatch(self, watcher: Callable[[], None]) -> None:
        if watcher in self._watchers:
            self._watchers.remove(watcher)
