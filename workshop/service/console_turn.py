"""The facilitator's key goes first: phones' submissions wait while the console answers one.

The console and the phones' server share one event loop (the GIL would share the CPU
between two threads alike: measured, a thread of its own gained nothing). A wave of a
hundred ballots is some 30 ms of work on that loop; a key pressed during it waited behind
the ballots queued before it, and then shared the loop with the rest while its screen was
drawn: the keys list took 1.5-2x as long to open. So while a key is being answered (from
the moment it is read until the screen has been drawn after it), a phone's submission
waits, at most `AT_MOST_SECONDS` in all: the facilitator sees the key at once, a phone
hears "recorded" a few tens of milliseconds later, and a facilitator typing on and on
cannot hold the phones back for longer than that.
"""

from __future__ import annotations

import asyncio

from workshop.domain.timebox import Monotonic, system_monotonic

# The longest a submission waits for the console, from when it arrives.
AT_MOST_SECONDS = 0.25
# A key whose answer is never reported (a screen closed meanwhile) stops counting after this.
KEY_FORGOTTEN_SECONDS = 0.5


class ConsoleTurn:
    """Whether the console is answering a key, and a way for phones to wait until it has."""

    def __init__(self, monotonic: Monotonic = system_monotonic):
        self.monotonic = monotonic
        self._pressed_at: float | None = None
        self._answered: asyncio.Event | None = None
        # How many submissions are waiting now (for tests and the curious).
        self.waiting = 0

    @property
    def answering(self) -> bool:
        """Whether a key has been read and its screen not yet drawn (for a while at most)."""
        return self._pressed_at is not None and self.monotonic() - self._pressed_at < KEY_FORGOTTEN_SECONDS

    def key_pressed(self) -> None:
        """A key (or a paste) has been read from the console's terminal."""
        self._pressed_at = self.monotonic()
        if self._answered is not None:
            self._answered.clear()

    def keys_answered(self) -> None:
        """The console has dealt with every key read so far and drawn the screen after them."""
        self._pressed_at = None
        if self._answered is not None:
            self._answered.set()

    async def phones_wait(self) -> None:
        """Return once the console is not answering a key, or after `AT_MOST_SECONDS` (a
        submission's wait, from when it arrives)."""
        if not self.answering:
            return
        deadline = self.monotonic() + AT_MOST_SECONDS
        if self._answered is None:
            self._answered = asyncio.Event()
        self.waiting += 1
        try:
            while self.answering:
                left = min(deadline, (self._pressed_at or 0.0) + KEY_FORGOTTEN_SECONDS) - self.monotonic()
                if left <= 0:
                    return
                try:
                    await asyncio.wait_for(self._answered.wait(), left)
                except TimeoutError:
                    return
        finally:
            self.waiting -= 1
