"""The phones' routes: the short-code page, the phone page and its files, its state, its event
stream, and joining (choose a name, leave, ask to join late), under `/j/<join secret>/`.

A phone is known by the random token in its cookie (`JoinState`); what it may send once
joined (ballots, proposals) is in `submissions.py`. The secret in the address is checked
by the server's guard (`middlewares.py`) before any handler here runs.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import web

from workshop.domain.errors import Refused
from workshop.web.answers import Answer, refuse
from workshop.web.assets import asset_response
from workshop.web.event_stream import version_stream
from workshop.web.joining import Device, TooMany
from workshop.web.middlewares import SECURITY_HEADERS
from workshop.web.phone_view import phone_state
from workshop.web.short_code import code_page, typed_code

if TYPE_CHECKING:
    from workshop.web.server import JoinServer

PREFIX = "/j/{secret}"
MAX_BODY_BYTES = 16 * 1024
COOKIE = "workshop_device"


class PhoneRoutes:
    """The phones' side of a `JoinServer`: its routes and the event streams of its pages."""

    def __init__(self, server: JoinServer) -> None:
        self.server = server
        self.join = server.join
        self.streams: set[asyncio.Event] = set()

    def add_to(self, app: web.Application) -> None:
        """Add the code page's and the phone page's routes (not the submissions) to `app`."""
        app.router.add_get("/", self._code_page)
        app.router.add_post("/code", self._code)
        app.router.add_get("/code.css", self._code_style)
        app.router.add_get("/favicon.ico", self._icon)
        app.router.add_get(PREFIX, self._slash)
        app.router.add_get(PREFIX + "/", self._index)
        app.router.add_get(PREFIX + "/static/{name}", self._asset)
        app.router.add_get(PREFIX + "/api/state", self._state)
        app.router.add_get(PREFIX + "/api/events", self._events)
        app.router.add_post(PREFIX + "/api/join", self._join)
        app.router.add_post(PREFIX + "/api/leave", self._leave)
        app.router.add_post(PREFIX + "/api/late", self._late)

    def wake(self) -> None:
        """Every page's stream looks again: a new version, or the end."""
        for event in self.streams:
            event.set()

    # -- who is asking ------------------------------------------------------------------

    def device(self, request: web.Request) -> Device | None:
        """The phone sending `request`, by its cookie (None for a phone not seen before)."""
        return self.join.device(device_cookie(request))

    def joined(self, request: web.Request) -> tuple[Device, str]:
        """The phone and the participant it acts for; refused (403) before it chose a name."""
        device = self.device(request)
        if device is None or device.participant_id is None:
            raise refuse(403, "Choose your name first.")
        return device, device.participant_id

    def _with_cookie(self, response: web.StreamResponse, device: Device) -> web.StreamResponse:
        response.set_cookie(COOKIE, device.token, path=f"/j/{self.join.secret}/", httponly=True, samesite="Strict")
        return response

    # -- pages ----------------------------------------------------------------------------

    async def _code_page(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=code_page(), content_type="text/html", charset="utf-8")

    async def _code_style(self, request: web.Request) -> web.StreamResponse:
        return asset_response(self.server.assets, "code.css")

    async def _icon(self, request: web.Request) -> web.StreamResponse:
        # Browsers ask for /favicon.ico on every load; an SVG answers it (its type says so).
        return asset_response(self.server.assets, "icon.svg")

    async def _slash(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect(f"/j/{self.join.secret}/")

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return asset_response(self.server.assets, "index.html")

    async def _asset(self, request: web.Request) -> web.StreamResponse:
        return asset_response(self.server.assets, request.match_info["name"])

    async def _code(self, request: web.Request) -> web.StreamResponse:
        # A form post (the page at /) is answered with the page and a sentence, never raw JSON.
        is_json = request.content_type == "application/json"
        typed = ""
        try:
            if not self.join.limiter.allow(request.remote or "unknown"):
                raise refuse(429, "Too many tries: wait a minute, then type the code again.")
            if is_json:
                typed = str((await read_json(request)).get("code", ""))
            else:
                typed = str((await request.post()).get("code", ""))[:100]
            if not secrets.compare_digest(typed_code(typed).encode(), self.join.short_code.encode()):
                raise refuse(404, "That code is not right: check it on the screen and try again.")
        except Answer as answer:
            if is_json:
                raise
            return web.Response(text=code_page(answer.body["error"], typed), status=answer.status, content_type="text/html", charset="utf-8")
        if is_json:
            return web.json_response({"url": self.server.url})
        raise web.HTTPSeeOther(f"/j/{self.join.secret}/")

    # -- reading --------------------------------------------------------------------------

    async def _state(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(phone_state(self.server.editor, self.join, self.device(request)))

    async def _events(self, request: web.Request) -> web.StreamResponse:
        server = self.server

        def ending() -> bool:
            # Closing, or the server now serves the room's screen only: the phone is told it ended.
            return server.closing or not server.phones_open

        return await version_stream(
            request,
            lambda: self.join.version,
            self.streams,
            ending,
            SECURITY_HEADERS,
            ended=lambda: server.ended if server.closing else "stopped",
        )

    # -- joining --------------------------------------------------------------------------

    async def _join(self, request: web.Request) -> web.StreamResponse:
        body = await read_json(request)
        participant_id = body.get("participant_id")
        person = self.server.editor.session.participant(participant_id) if isinstance(participant_id, str) else None
        if person is None:
            raise refuse(404, "There is no one of that name in this session.")
        try:
            device = self.device(request) or self.join.new_device()
            self.join.bind(device, person.id, person.name)
        except Refused as refusal:
            raise refuse(409, refusal.reason) from None
        answer = web.json_response({"joined": True, "participant_id": person.id, "name": person.name, "version": self.join.version})
        return self._with_cookie(answer, device)

    async def _leave(self, request: web.Request) -> web.StreamResponse:
        await read_json(request)
        device = self.device(request)
        if device is not None:
            self.join.unbind(device)
        return web.json_response({"joined": False, "version": self.join.version})

    async def _late(self, request: web.Request) -> web.StreamResponse:
        body = await read_json(request)
        name = body.get("name")
        if not isinstance(name, str):
            raise refuse(400, "Type your name to ask to join.")
        try:
            device = self.device(request) or self.join.new_device()
            self.join.ask_late(device, name, request.remote or "unknown")
        except TooMany as refusal:
            raise refuse(429, refusal.reason) from None
        except Refused as refusal:
            raise refuse(409, refusal.reason) from None
        return self._with_cookie(web.json_response({"requested": True, "version": self.join.version}, status=202), device)


def device_cookie(request: web.Request) -> str | None:
    """The phone's token from its `Cookie` header, as `request.cookies` reads it (the last of
    that name wins), without making every cookie the header holds into a `Morsel`: that
    was a twentieth of each ballot's time on the loop that draws the console."""
    found = None
    for header in request.headers.getall("Cookie", ()):
        for pair in header.split(";"):
            name, equals, value = pair.strip().partition("=")
            if equals and name == COOKIE:
                found = value
    return found


async def read_json(request: web.Request) -> dict[str, Any]:
    """The request's body as a JSON object, at most `MAX_BODY_BYTES`; refused (4xx) otherwise."""
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
