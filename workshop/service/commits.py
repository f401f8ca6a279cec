"""Group commit: one snapshot and one write for every change that arrived while the disk was busy.

A hundred phones casting at once used to cost a hundred snapshots of the whole session on
the event loop and a hundred saves competing for the GIL. Here, as databases do it: the
first change finds the writer idle and is handed over (once gathered, see below); the
changes that arrive while that write is in flight only note that a write is wanted; when
the write finishes,
one snapshot takes all of them to the next write. Each waiter hears back after the write
that holds its change is on disk (fsynced and renamed into place), or gets the
`SaveError` of the write that failed it.

A change that finds the writer idle waits a few milliseconds for company before it is
handed over (`GATHER_SECONDS`, again after each change that joins it, at most
`GATHER_AT_MOST_SECONDS` in all): a room of phones casting at once reaches the app over a
few milliseconds, and handing the first ballot over alone made every other phone wait for
two whole writes, the first one's and then their own. Gathered, they share one.

Every method here runs on the event loop's thread (the thread that changes the session);
the writer thread only posts "a write finished" back to it. Without a running loop (a
plain thread, a test) a write is handed over at once, as before.
"""

from __future__ import annotations

import asyncio

from workshop.storage.autosave import Autosaver
from workshop.storage.store import SaveError

# How long a change that finds the writer idle waits for others, counted again from each
# change that joins it, and at most from the first: a few milliseconds against a write's
# tens (an fsync of the file and of its folder).
GATHER_SECONDS = 0.003
GATHER_AT_MOST_SECONDS = 0.02
# A timer may go off this much before its time (the loop's clock resolution and rounding).
CLOCK_SLACK_SECONDS = 0.0005


class GroupCommit:
    """The saver's writes, grouped; see the module docstring."""

    def __init__(self, saver: Autosaver):
        self.saver = saver
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wanted = False
        # Who waits for which write: (snapshot number, future, deadline on the loop's clock).
        self._waiters: list[tuple[int, asyncio.Future[None], float]] = []
        # One timer for all the waiters' deadlines, at the soonest (see `_watch_deadlines`).
        self._deadlines: asyncio.TimerHandle | None = None
        # The hand-over waiting for company (see the module docstring), and when it began.
        self._gathering: asyncio.TimerHandle | None = None
        self._gathering_since = 0.0
        self._gather_until = 0.0
        # How many snapshots were taken for the writer (a test counts them: one a write).
        self.snapshots = 0

    def _attach(self) -> asyncio.AbstractEventLoop | None:
        """The running loop, once known: the writer then tells it when each write ends."""
        if self._loop is None:
            try:
                self._loop = asyncio.get_running_loop()
            except RuntimeError:
                return None
            loop = self._loop

            def written() -> None:
                loop.call_soon_threadsafe(self._written)

            self.saver.on_written = written
        return self._loop

    def _hand_over(self) -> None:
        if self.saver.dirty:
            self.snapshots += 1
        self.saver.flush(at_once=True)

    def write_soon(self) -> None:
        """Have every change so far written as soon as the disk allows (a decision)."""
        loop = self._attach()
        if loop is None or not _running(loop):
            # No loop to gather on (a plain thread, a test, a close after the loop ended).
            self._hand_over()
        else:
            self._want(loop)

    def _want(self, loop: asyncio.AbstractEventLoop) -> None:
        """A write is wanted: after the one in flight, or, the writer idle, once gathered."""
        self._wanted = True
        if not self.saver.idle:
            return  # `_written` hands it over when the write in flight ends
        now = loop.time()
        if self._gathering is None:
            self._gathering_since = now
            self._gathering = loop.call_at(now + GATHER_SECONDS, self._gathered)
        # A change joining moves the hand-over on; the timer, when it goes off, waits the
        # rest (a timer cancelled and set again for each of a hundred ballots cost the loop).
        self._gather_until = min(now + GATHER_SECONDS, self._gathering_since + GATHER_AT_MOST_SECONDS)

    def _gathered(self) -> None:
        loop = self._loop
        if loop is not None and loop.time() + CLOCK_SLACK_SECONDS < self._gather_until:
            self._gathering = loop.call_at(self._gather_until, self._gathered)
            return
        self._gathering = None
        if self._wanted and self.saver.idle:
            self._wanted = False
            self._hand_over()

    async def recorded(self, timeout: float = 10.0) -> None:
        """Wait until every change made so far is on disk; `SaveError` if it cannot be."""
        loop = self._attach()
        assert loop is not None  # awaited, so a loop runs
        if self.saver.dirty:
            # Not handed over yet: whatever snapshot is handed next is taken after this
            # change, so holds it, whether the write in flight ends first or not.
            target = self.saver.handed + 1
            self._want(loop)
        else:
            target = self.saver.handed
        written, failed_at, failure = self.saver.progress()
        if written >= target:
            return
        if failed_at >= target:
            raise SaveError(failure)
        # The future is this waiter's own: a request that goes away cancels it, and the
        # answers skip it. Its deadline shares one timer with the others' (a timer and a
        # shielded wait for each of a hundred phones was a tenth of a request's time).
        future: asyncio.Future[None] = loop.create_future()
        deadline = loop.time() + timeout
        self._waiters.append((target, future, deadline))
        self._watch_deadlines(loop, deadline)
        await future

    def _watch_deadlines(self, loop: asyncio.AbstractEventLoop, deadline: float) -> None:
        """Have the timer go off by `deadline` (it is set for the soonest one)."""
        if self._deadlines is not None:
            if self._deadlines.when() <= deadline:
                return
            self._deadlines.cancel()
        self._deadlines = loop.call_at(deadline, self._check_deadlines)

    def _check_deadlines(self) -> None:
        """Fail the waiters whose save is taking too long; set the timer for the next one."""
        self._deadlines = None
        loop = self._loop
        assert loop is not None  # the timer was set on it
        now = loop.time()
        waiting = []
        for target, future, deadline in self._waiters:
            if future.done():
                continue
            if deadline <= now:
                future.set_exception(SaveError("the save is taking too long (a slow or stuck disk?)"))
            else:
                waiting.append((target, future, deadline))
        self._waiters = waiting
        if waiting:
            self._watch_deadlines(loop, min(deadline for _, _, deadline in waiting))

    def _written(self) -> None:
        """A write ended (posted by the writer thread): answer its waiters, start the next."""
        self._answer(final=False)
        if self._wanted and self.saver.idle:
            # These changes waited for the write in flight already: no more gathering.
            self._stop_gathering()
            self._wanted = False
            self._hand_over()

    def _answer(self, *, final: bool) -> None:
        written, failed_at, failure = self.saver.progress()
        waiting = []
        for target, future, deadline in self._waiters:
            if future.done():
                continue
            if written >= target:
                future.set_result(None)
            elif failed_at >= target:
                future.set_exception(SaveError(failure))
            elif final:
                future.set_exception(SaveError("the session was closed before it was saved"))
            else:
                waiting.append((target, future, deadline))
        self._waiters = waiting
        if not waiting and self._deadlines is not None:
            self._deadlines.cancel()
            self._deadlines = None

    def closed(self) -> None:
        """The saver has closed: answer every waiter from what reached the disk."""
        self._stop_gathering()
        self._wanted = False
        self._answer(final=True)

    def _stop_gathering(self) -> None:
        if self._gathering is not None:
            self._gathering.cancel()
            self._gathering = None


def _running(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether `loop` is the loop running this code (only then may a timer be set on it)."""
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
