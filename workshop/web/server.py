"""The phones' and the room's web server: its life, its addresses, and what it hears of the session.

The routes are the collaborators': the phones' pages and joining (`phone_routes.py`), what
a joined phone sends (`submissions.py`), the room's screen (`room_routes.py`); every answer
passes the guard and gets the headers of `middlewares.py`. The API is in `API.md`.

aiohttp, because it runs inside the app's own asyncio loop (an `AppRunner` and a
`TCPSite`, no thread and no second loop), streams server-sent events with a plain
`StreamResponse`, and ships a test client. Handlers run on the loop that runs the
screens, so they call the run screen's own `SessionEditor` directly: a phone's ballot is
the same operation, validated by the same rules, as one typed on the laptop, and every
listener (the autosaver, the panes) hears of it. A phone acts only for the participant
bound to it, only on the current activity, and never as the facilitator.

Imported only when joining starts: nothing here is loaded by the app's start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from workshop.domain.errors import Refused
from workshop.domain.operations import Change, SessionEditor
from workshop.web.assets import STATIC_DIR, load_assets
from workshop.web.joining import JoinState
from workshop.web.middlewares import guard, name_the_server, name_the_server_in_parse_errors
from workshop.web.phone_routes import MAX_BODY_BYTES, PhoneRoutes
from workshop.web.phone_view import run_signature
from workshop.web.room_routes import RoomRoutes
from workshop.web.room_state import RoomState
from workshop.web.submissions import ConsoleFirst, SaveNow, Submissions


class JoinServer:
    """Serves one session's phones; `start()` and `stop()` on the app's loop."""

    def __init__(
        self,
        editor: SessionEditor,
        save_now: SaveNow,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        static_dir: Path = STATIC_DIR,
        join: JoinState | None = None,
        is_open: Callable[[], bool] = lambda: True,
        room: RoomState | None = None,
        console_first: ConsoleFirst | None = None,
    ):
        self.editor = editor
        # Waits while the facilitator's console answers a key (the service's `ConsoleTurn`):
        # a submission is handled after it, so a wave of ballots does not slow the console.
        self.console_first = console_first
        # False once the session is closed (saved for the last time): nothing more is taken.
        self.is_open = is_open
        self.save_now = save_now
        self.host = host
        self.port = port
        self.join = join or JoinState()
        # The room's screen: its own secret and hold flag (see room_routes.py).
        self.room = room or RoomState()
        self._phones_open = True
        # Why the pages' streams end, once told (see `close_now`): "closed" or "stopped".
        self.ended: str | None = None
        self.assets = load_assets(static_dir)
        self._runner: web.AppRunner | None = None
        self._last_run = run_signature(editor)
        # True once nothing more is taken (see `close_now`).
        self.closing = False
        # One collaborator per page family, and the phones' submissions.
        self.phone_routes = PhoneRoutes(self)
        self.submissions = Submissions(self, self.phone_routes)
        self.editor.listen(self._edited)
        self.join.watch(self.phone_routes.wake)
        self.room_routes = RoomRoutes(self)
        self.app = self._make_app()

    # -- addresses -----------------------------------------------------------------------

    @property
    def base(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The join URL, as the QR code holds it."""
        return f"{self.base}/j/{self.join.secret}/"

    @property
    def room_url(self) -> str:
        """The room's screen's address (its own secret: never shown to phones)."""
        return f"{self.base}/r/{self.room.secret}/"

    def set_hold(self, on: bool) -> None:
        """Show (or take away) the room's hold screen: the room looks away for a moment."""
        self.room.set_hold(on)

    def time_moved(self) -> None:
        """The clock moved on to a new stage: phones and the room's screen fetch their state."""
        self.join.bump()
        self.room.bump()

    # -- life ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on `host:port` (port 0: a free one, then read back); raises OSError when taken."""
        name_the_server_in_parse_errors()
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port, reuse_address=True)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        for address in runner.addresses:
            if isinstance(address, tuple):
                self.port = int(address[1])
                break

    @property
    def phones_open(self) -> bool:
        """False while the server runs only for the room's screen (phones not invited)."""
        return self._phones_open

    @phones_open.setter
    def phones_open(self, value: bool) -> None:
        self._phones_open = value
        if not value:
            self.phone_routes.wake()  # each phone's stream says `ended` and closes (see API.md)

    def close_now(self, ended: str | None = None) -> None:
        """Take nothing more from phones, at once (the session is closing); `stop` then closes the socket.

        With `ended` ("closed": the session closed; "stopped": joining stopped) the pages'
        streams send a last `ended` event, so they stop reconnecting; without it (a stop
        as a dropped network looks) they just close and the pages keep trying."""
        if ended is not None and self.ended is None:
            self.ended = ended
        self.closing = True
        self.editor.unlisten(self._edited)
        self.phone_routes.wake()
        self.join.unwatch(self.phone_routes.wake)
        self.room_routes.close()

    async def stop(self) -> None:
        """Stop listening and end the event streams; the session itself is untouched."""
        self.close_now()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    @property
    def running(self) -> bool:
        return self._runner is not None

    def _edited(self, change: Change) -> None:
        # Phones refetch their state on every new version: not for what they never show
        # (notes typed on the laptop, the clock's time), only when the room moved on.
        if change.area == "notes":
            return
        if change.area == "run":
            signature = run_signature(self.editor)
            if signature == self._last_run:
                return
            self._last_run = signature
        self.join.bump()

    # -- the facilitator's side (called by the laptop's screen) ----------------------------

    def accept_late(self, device_token: str) -> Change:
        """Add a phone's late arrival as a participant and bind them to that phone."""
        self.join.expire_late()
        request = self.join.late_requests.get(device_token)
        device = self.join.device(device_token)
        if request is None or device is None or request.status != "pending":
            raise Refused("That request to join is no longer waiting.")
        change = self.editor.add_late_arrival(request.name)
        person = self.editor.session.participant(change.ids[0])
        self.join.bind(device, change.ids[0], person.name if person else request.name)
        return change

    # -- the application --------------------------------------------------------------------

    def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[guard(self)])
        app.on_response_prepare.append(name_the_server)
        self.phone_routes.add_to(app)
        self.submissions.add_to(app)
        self.room_routes.add_to(app)
        return app
