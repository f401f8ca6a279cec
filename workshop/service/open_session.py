"""The open session: one object every front end (the console, the phones, the room's screen) shares.

It holds what used to live inside the run screen: the loaded and locked session file, the
`SessionEditor` every change goes through, the `Autosaver`, the listener that marks the
saver dirty and writes a decision at once, the phones' server when it is started, and one
`close()`. A front end subscribes to the session's `Change`s and redraws itself; nothing
here depends on a screen being mounted, so `workshop open --join`, the tests and the
benchmarks drive exactly the wiring the app runs.

Saving is a group commit (`commits.GroupCommit`): the changes that arrive while a write is
in flight go into the next write together, and each phone hears "recorded" after the
write that holds its change is on disk. A snapshot of the session is taken once per write,
not once per ballot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from workshop.domain.models.session import Session
from workshop.domain.operations import Change, Listener, SessionEditor
from workshop.domain.runclock import PhaseChanged, RunClock, StageChanged
from workshop.domain.timebox import Monotonic, Wall, system_monotonic, system_wall
from workshop.service.commits import GroupCommit
from workshop.service.console_turn import ConsoleTurn
from workshop.storage.autosave import Autosaver
from workshop.storage.store import LoadedSession

if TYPE_CHECKING:
    from workshop.web.joining import JoinState
    from workshop.web.room_state import RoomState
    from workshop.web.server import JoinServer

# A flush that is not a decision goes out about once a second (typing notes).
SAVE_EVERY_SECONDS = 1.0
# While the clock runs nothing else may change for minutes; record elapsed time this
# often so a crash or a killed terminal resumes close to where the room was.
RECORD_RUNNING_EVERY_SECONDS = 5.0


class OpenSession:
    """One session open for running (or for review, read-only), shared by every front end."""

    def __init__(
        self,
        loaded: LoadedSession,
        *,
        monotonic: Monotonic = system_monotonic,
        wall: Wall = system_wall,
        saver: Autosaver | None = None,
        console: ConsoleTurn | None = None,
    ):
        """Open `loaded` for its front ends. A session that was saved running (a crash, a
        closed laptop) comes back paused at its last recorded time: `recovered` says so.
        `console` is told of the console's keys (by the app): phones' submissions wait
        while it answers one (`workshop.service.console_turn`)."""
        self.loaded = loaded
        self.console = console or ConsoleTurn(monotonic)
        self.monotonic = monotonic
        self.wall = wall
        self.saver = saver or Autosaver(loaded)
        self.editor = SessionEditor(loaded.session, read_only=loaded.read_only, monotonic=monotonic, wall=wall)
        self.commits = GroupCommit(self.saver)
        # The saver's listener first: a change is marked (a decision handed to the writer)
        # before any front end redraws it.
        self.editor.listen(self._edited)
        # One server for the phones and the room's screen, started when either is wanted.
        self.server: JoinServer | None = None
        self.phones_on = False
        self.room_on = False
        self._join_state: JoinState | None = None
        self._room_state: RoomState | None = None
        # `open --join --room` starts both at once: one at a time, or each would make a
        # server of its own and one would be left listening, never told the session closed.
        self._starting = asyncio.Lock()
        # True while the service itself records the clock's time (front ends need not redraw).
        self.recording = False
        self.closed = False
        self._last_record = monotonic()
        self._last_flush = monotonic()
        self.saved_before_open = loaded.session.updated_at
        # What the facilitator must hear again as the app exits: versions changed outside
        # the app and kept beside the file, and where an emergency copy went.
        self.exit_notes: list[str] = []
        self.recovered = False
        if not loaded.read_only:
            self.recovered = self.editor.recover_after_crash() is not None

    # -- reading -----------------------------------------------------------------------

    @property
    def session(self) -> Session:
        """The session, to read; every change goes through `editor`."""
        return self.editor.session

    @property
    def clock(self) -> RunClock:
        return self.editor.clock

    @property
    def read_only(self) -> bool:
        return self.loaded.read_only

    # -- subscriptions -----------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(change)` after every change, from any front end; returns the unsubscribe."""
        self.editor.listen(listener)
        return lambda: self.editor.unlisten(listener)

    def _edited(self, change: Change) -> None:
        self.saver.mark_dirty(change.in_place)
        if change.area == "run" and not self.recording:
            self._last_record = self.monotonic()
        if change.decision:
            # A decision is written at once: handed to the writer now, or, while a write
            # is in flight, in the write that follows it (with whatever else arrived).
            self.commits.write_soon()

    # -- time --------------------------------------------------------------------------

    def tick(self, *, hold: bool = False) -> list[PhaseChanged | StageChanged]:
        """What a front end's timer calls a few times a second: the clock's events (a phase
        change rings the bell), the running time recorded every few seconds, and the
        changes since the last flush handed to the writer about once a second.

        `hold`: someone is typing or filling in a ballot, so auto-advance waits."""
        events = [event for event in self.editor.tick(hold=hold) if isinstance(event, (PhaseChanged, StageChanged))]
        if self.server is not None and any(isinstance(event, StageChanged) for event in events):
            # A new stage changes nothing in the session, but the phones and the room's
            # screen count down the stage: they fetch their state again.
            self.server.time_moved()
        now = self.monotonic()
        if self.clock.running and not self.closed and now - self._last_record >= RECORD_RUNNING_EVERY_SECONDS:
            self.recording = True
            try:
                self.editor.record_elapsed()
            finally:
                self.recording = False
            self._last_record = now
        if now - self._last_flush >= SAVE_EVERY_SECONDS:
            self._last_flush = now
            self.saver.flush()
        return events

    # -- saving ------------------------------------------------------------------------

    async def recorded(self, timeout: float = 10.0) -> None:
        """Wait until every change made so far is on disk; `SaveError` when it cannot be.

        What a phone waits on before it hears "recorded"."""
        await self.commits.recorded(timeout)

    def take_warnings(self) -> list[str]:
        """What the saves said though they went through (a file changed outside the app,
        its version kept beside it), each one line; remembered for the exit too."""
        warnings = self.saver.take_warnings()
        for warning in warnings:
            if warning not in self.exit_notes:
                self.exit_notes.append(warning)
        return warnings

    def save_and_wait(self, timeout: float) -> bool:
        """Hand everything to the writer and wait until it is written (or `timeout`)."""
        return self.saver.flush(wait=True, timeout=timeout)

    # -- the server: phones and the room's screen ----------------------------------------

    @property
    def phones(self) -> JoinServer | None:
        """The server, while phones may join (None otherwise)."""
        return self.server if self.phones_on else None

    async def _serve(self, host: str, port: int) -> JoinServer:
        """The one server of this session, started on `host:port` if none runs. Its join
        and room states outlive a restart, so phones and the room's page keep their secrets."""
        if self.server is not None:
            return self.server
        if self.read_only:
            raise ValueError("This session is open read-only: phones cannot vote in it.")
        from workshop.web.server import JoinServer

        server = JoinServer(
            self.editor,
            self.recorded,
            host=host,
            port=port,
            is_open=lambda: not self.closed,
            join=self._join_state,
            room=self._room_state,
            console_first=self.console.phones_wait,
        )
        try:
            await server.start()
        except BaseException:
            server.close_now()
            raise
        self._join_state, self._room_state = server.join, server.room
        self.server = server
        return server

    async def start_phones(self, host: str, port: int) -> JoinServer:
        """Let phones join on `host:port` (0: a free port). Raises OSError when the address
        cannot be used, and `ValueError` on a session open read-only. A server already
        serving only the room's screen elsewhere moves to this address (the room's page
        then has a new address, which the console shows)."""
        async with self._starting:
            running = self.server
            if running is not None and not self.phones_on and (running.host != host or port not in (0, running.port)):
                self._stop_server()
            server = await self._serve(host, port)
        server.phones_open = True
        server.room.set_show_join(True)
        self.phones_on = True
        return server

    async def start_room(self, host: str = "127.0.0.1", port: int = 0) -> JoinServer:
        """Serve the room's screen (on the phones' server when phones already join; else on
        `host:port`, by default this computer only, which needs no network)."""
        async with self._starting:
            server = await self._serve(host, port)
        if not self.phones_on:
            server.phones_open = False
            server.room.set_show_join(False)
        self.room_on = True
        return server

    def set_hold(self, on: bool) -> None:
        """Show (or take away) the room's hold screen."""
        if self.server is not None:
            self.server.set_hold(on)
        elif self._room_state is not None:
            self._room_state.set_hold(on)

    @property
    def holding(self) -> bool:
        return self._room_state is not None and self._room_state.hold

    def stop_phones(self) -> None:
        """Phones can no longer vote (idempotent); the room's screen, if on, goes on."""
        self.phones_on = False
        if self.server is None:
            return
        if self.room_on:
            self.server.phones_open = False
            self.server.room.set_show_join(False)
        else:
            self._stop_server(ended="stopped")

    def stop_room(self) -> None:
        """Stop serving the room's screen (idempotent); phones, if joining, go on."""
        self.room_on = False
        if self.server is not None and not self.phones_on:
            self._stop_server(ended="stopped")

    def _stop_server(self, ended: str | None = None) -> None:
        # `ended`: the pages hear why their stream ends and stop reconnecting (see web/API.md).
        server, self.server = self.server, None
        if server is None:
            return
        server.close_now(ended)
        try:
            asyncio.get_running_loop().create_task(server.stop())
        except RuntimeError:  # no loop left (the app is gone): the process closes the socket
            pass

    # -- closing -----------------------------------------------------------------------

    def record_before_leaving(self) -> None:
        """Stop the clock and write down the time, so the file says where the room was."""
        if not self.read_only and not self.closed:
            self.editor.pause()
            self.editor.record_elapsed()

    def close(self, *, save: bool = True, timeout: float = 10.0) -> bool:
        """Stop serving, record the time, save for the last time and release the file's lock.

        Idempotent; True when everything was saved. `save=False` is the facilitator's
        choice to discard what could not be saved."""
        if self.closed:
            return True
        self.phones_on = self.room_on = False
        self._stop_server(ended="closed")
        self.record_before_leaving()
        self.closed = True
        saved = self.saver.close(timeout, save=save)
        self.commits.closed()
        self.take_warnings()
        if save and not saved and not self.read_only:
            self._keep_emergency_copy()
        self.loaded.follow_lock()
        return saved

    def _keep_emergency_copy(self) -> None:
        """The last save failed and the session is closing: the room's work goes to an
        emergency copy in a writable place, named in one line for the exit."""
        from workshop.storage.emergency import EmergencyCopyError, write_emergency_copy

        try:
            copy = write_emergency_copy(self.session, self.loaded.path)
        except EmergencyCopyError as error:
            self.exit_notes.append(f"workshop: {self.loaded.path.name} could not be saved, nor a copy kept: {error.reason}")
        else:
            self.exit_notes.append(
                f"workshop: {self.loaded.path.name} could not be saved; the session was kept at {copy} (the next start of workshop offers it back)"
            )
