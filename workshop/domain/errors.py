"""The one error family for everything a user can cause.

`WorkshopError` is caught in one place in the app and in `cli.main`; its message is
one plain line fit to show as it is, so no exception class name ever reaches a user.
`Refused` is what every domain operation raises when it says no: nothing was changed.
Storage errors (a file that cannot be read, a save that failed) subclass it too.
"""

from __future__ import annotations


class WorkshopError(Exception):
    """Something a user can cause; `reason` is one plain line (the message)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


class Refused(WorkshopError):
    """A domain operation refused; the session is exactly as it was."""
