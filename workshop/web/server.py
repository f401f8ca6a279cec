"""The phones' web server: the page, its JSON API and its event stream (see `API.md`).

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

import asyncio
import json
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from workshop.domain.errors import Refused
from workshop.domain.operations import Change, SessionEditor
from workshop.web.answers import Answer, refuse
from workshop.web.joining import Device, JoinState, TooMany
from workshop.web.phone_view import phone_state, run_signature
from workshop.web.room_routes import RoomRoutes
from workshop.web.room_state import RoomState
from workshop.web.short_code import code_page, message_page, typed_code
from workshop.web.submissions import SaveNow, SubmissionHandlers

STATIC_DIR = Path(__file__).parent / "static"
MAX_BODY_BYTES = 16 * 1024
COOKIE = "workshop_device"
KEEPALIVE_SECONDS = 15.0
ASSET_NAME = re.compile(r"^[A-Za-z0-9_-]+\.(html|js|css|svg|png|ico|webmanifest|woff2)$")
CONTENT_TYPES = {
    "html": "text/html",
    "js": "text/javascript",
    "css": "text/css",
    "svg": "image/svg+xml",
    "png": "image/png",
    "ico": "image/x-icon",
    "webmanifest": "application/manifest+json",
    "woff2": "font/woff2",
}
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'",
}
# Named without versions: nothing in an answer helps someone in the room look up a weakness.
SERVER_NAME = "workshop"


def load_assets(folder: Path) -> dict[str, tuple[bytes, str]]:
    """The page's files, read once: name -> (bytes, content type), for allowed names only."""
    assets: dict[str, tuple[bytes, str]] = {}
    if not folder.is_dir():
        return assets
    for path in sorted(folder.iterdir()):
        if ASSET_NAME.match(path.name) and path.is_file() and not path.is_symlink():
            assets[path.name] = (path.read_bytes(), CONTENT_TYPES[path.suffix[1:]])
    return assets


class JoinServer(SubmissionHandlers):
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
    ):
        self.editor = editor
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
        self._streams: set[asyncio.Event] = set()
        self._inflight: dict[tuple[str, str], asyncio.Future[tuple[int, dict[str, Any]]]] = {}
        self._last_run = run_signature(editor)
        self._closing = False
        self.editor.listen(self._edited)
        self.join.watch(self._wake_streams)
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
            self._wake_streams()  # each phone's stream says `ended` and closes (see API.md)

    def close_now(self, ended: str | None = None) -> None:
        """Take nothing more from phones, at once (the session is closing); `stop` then closes the socket.

        With `ended` ("closed": the session closed; "stopped": joining stopped) the pages'
        streams send a last `ended` event, so they stop reconnecting; without it (a stop
        as a dropped network looks) they just close and the pages keep trying."""
        if ended is not None and self.ended is None:
            self.ended = ended
        self._closing = True
        self.editor.unlisten(self._edited)
        self._wake_streams()
        self.join.unwatch(self._wake_streams)
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

    def _wake_streams(self) -> None:
        for event in self._streams:
            event.set()

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
        app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[self._headers])
        app.on_response_prepare.append(_name_the_server)
        secret = "/j/{secret}"
        app.router.add_get("/", self._code_page)
        app.router.add_post("/code", self._code)
        app.router.add_get("/code.css", self._code_style)
        app.router.add_get("/favicon.ico", self._icon)
        app.router.add_get(secret, self._slash)
        app.router.add_get(secret + "/", self._index)
        app.router.add_get(secret + "/static/{name}", self._asset)
        app.router.add_get(secret + "/api/state", self._state)
        app.router.add_get(secret + "/api/events", self._events)
        for name, handler in (
            ("join", self._join),
            ("leave", self._leave),
            ("late", self._late),
            ("rating", self._rating),
            ("dots", self._dots),
            ("abstain", self._abstain),
            ("propose", self._propose),
        ):
            app.router.add_post(f"{secret}/api/{name}", handler)
        self.room_routes.add_to(app)
        return app

    @web.middleware
    async def _headers(self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        try:
            if self._closing or not self.is_open():
                raise refuse(503, "Joining has stopped: the facilitator has closed the session.")
            if not self.phones_open and "room_secret" not in request.match_info:
                # Serving only the room's screen: the phones' side says so, and takes nothing.
                raise refuse(503, "Joining has stopped: phones cannot vote now.")
            self._check_secret(request)
            response = await handler(request)
        except Answer as answer:
            response = _error(request, answer.status, str(answer.body.get("error", "")), answer.body)
        except web.HTTPException as error:
            # aiohttp's own refusals (no such route, wrong method, body too large) as JSON too.
            if error.status < 400:
                raise
            sentence = _plain_http_error(error.status)
            response = _error(request, error.status, sentence, {"error": sentence})
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response

    def _check_secret(self, request: web.Request) -> None:
        given = request.match_info.get("secret")
        if given is None:
            return
        if not secrets.compare_digest(given.encode(), self.join.secret.encode()):
            raise refuse(404, "There is nothing here: check the address or scan the code again.")

    # -- pages --------------------------------------------------------------------------------

    async def _slash(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect(f"/j/{self.join.secret}/")

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return self._serve("index.html")

    async def _asset(self, request: web.Request) -> web.StreamResponse:
        return self._serve(request.match_info["name"])

    def _serve(self, name: str) -> web.StreamResponse:
        found = self.assets.get(name)
        if found is None:
            raise refuse(404, "There is no such file.")
        body, content_type = found
        return web.Response(body=body, content_type=content_type, charset="utf-8" if content_type.startswith("text") else None)

    async def _code_page(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=code_page(), content_type="text/html", charset="utf-8")

    async def _code_style(self, request: web.Request) -> web.StreamResponse:
        return self._serve("code.css")

    async def _icon(self, request: web.Request) -> web.StreamResponse:
        # Browsers ask for /favicon.ico on every load; an SVG answers it (its type says so).
        return self._serve("icon.svg")

    async def _code(self, request: web.Request) -> web.StreamResponse:
        # A form post (the page at /) is answered with the page and a sentence, never raw JSON.
        is_json = request.content_type == "application/json"
        typed = ""
        try:
            if not self.join.limiter.allow(request.remote or "unknown"):
                raise refuse(429, "Too many tries: wait a minute, then type the code again.")
            if is_json:
                typed = str((await self._body(request)).get("code", ""))
            else:
                typed = str((await request.post()).get("code", ""))[:100]
            if not secrets.compare_digest(typed_code(typed).encode(), self.join.short_code.encode()):
                raise refuse(404, "That code is not right: check it on the screen and try again.")
        except Answer as answer:
            if is_json:
                raise
            return web.Response(text=code_page(answer.body["error"], typed), status=answer.status, content_type="text/html", charset="utf-8")
        if is_json:
            return web.json_response({"url": self.url})
        raise web.HTTPSeeOther(f"/j/{self.join.secret}/")

    # -- reading --------------------------------------------------------------------------------

    def _device(self, request: web.Request) -> Device | None:
        return self.join.device(request.cookies.get(COOKIE))

    def _joined(self, request: web.Request) -> tuple[Device, str]:
        device = self._device(request)
        if device is None or device.participant_id is None:
            raise refuse(403, "Choose your name first.")
        return device, device.participant_id

    async def _state(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(phone_state(self.editor, self.join, self._device(request)))

    async def _events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no", **SECURITY_HEADERS})
        await response.prepare(request)
        wake = asyncio.Event()
        self._streams.add(wake)
        try:
            await response.write(f"retry: 2000\nevent: version\ndata: {self.join.version}\n\n".encode())
            sent = self.join.version
            while not self._closing and self.phones_open:
                try:
                    await asyncio.wait_for(wake.wait(), KEEPALIVE_SECONDS)
                except asyncio.TimeoutError:
                    await response.write(b": still here\n\n")
                    continue
                wake.clear()
                if self._closing or not self.phones_open:
                    break
                if self.join.version != sent:
                    sent = self.join.version
                    await response.write(f"event: version\ndata: {sent}\n\n".encode())
            ended = self.ended if self._closing else "stopped"
            if ended is not None:
                await response.write(f"event: ended\ndata: {ended}\n\n".encode())
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._streams.discard(wake)
        return response

    async def _body(self, request: web.Request) -> dict[str, Any]:
        if request.content_type != "application/json":
            raise refuse(415, "Send the request as JSON.")
        if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
            raise refuse(413, "That request is too large.")
        raw = await request.content.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            raise refuse(413, "That request is too large.")
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            # RecursionError: nesting deeper than the parser's stack (`[[[[...]]]]`), not valid for us either.
            raise refuse(400, "That request is not valid JSON.") from None
        if not isinstance(body, dict):
            raise refuse(400, "That request is not a JSON object.")
        return body

    # -- joining --------------------------------------------------------------------------------

    def _with_cookie(self, response: web.StreamResponse, device: Device) -> web.StreamResponse:
        response.set_cookie(COOKIE, device.token, path=f"/j/{self.join.secret}/", httponly=True, samesite="Strict")
        return response

    async def _join(self, request: web.Request) -> web.StreamResponse:
        body = await self._body(request)
        participant_id = body.get("participant_id")
        person = self.editor.session.participant(participant_id) if isinstance(participant_id, str) else None
        if person is None:
            raise refuse(404, "There is no one of that name in this session.")
        try:
            device = self._device(request) or self.join.new_device()
            self.join.bind(device, person.id, person.name)
        except Refused as refusal:
            raise refuse(409, refusal.reason) from None
        answer = web.json_response({"joined": True, "participant_id": person.id, "name": person.name, "version": self.join.version})
        return self._with_cookie(answer, device)

    async def _leave(self, request: web.Request) -> web.StreamResponse:
        await self._body(request)
        device = self._device(request)
        if device is not None:
            self.join.unbind(device)
        return web.json_response({"joined": False, "version": self.join.version})

    async def _late(self, request: web.Request) -> web.StreamResponse:
        body = await self._body(request)
        name = body.get("name")
        if not isinstance(name, str):
            raise refuse(400, "Type your name to ask to join.")
        try:
            device = self._device(request) or self.join.new_device()
            self.join.ask_late(device, name, request.remote or "unknown")
        except TooMany as refusal:
            raise refuse(429, refusal.reason) from None
        except Refused as refusal:
            raise refuse(409, refusal.reason) from None
        return self._with_cookie(web.json_response({"requested": True, "version": self.join.version}, status=202), device)


def _error(request: web.Request, status: int, sentence: str, body: dict[str, Any]) -> web.StreamResponse:
    """An error as JSON for the page's API; as a page with the sentence when a browser opens an address.

    A stale QR code or a mistyped address is opened by a person, not by the page's
    script: they get a sentence and the way to type the code, not raw JSON.
    """
    opened = request.method == "GET" and "/api/" not in request.path and "text/html" in request.headers.get("Accept", "")
    if opened and body.keys() == {"error"}:
        return web.Response(text=message_page(sentence), status=status, content_type="text/html", charset="utf-8")
    return web.json_response(body, status=status)


async def _name_the_server(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = SERVER_NAME


def _plain_http_error(status: int) -> str:
    return {
        404: "There is nothing here: check the address or scan the code again.",
        405: "That is not something a phone can do here.",
        413: "That request is too large.",
    }.get(status, "That request cannot be answered.")
