"""The room's screen's routes: its page, its state and its event stream, under its own secret.

Served by the phones' `JoinServer` (one server, two page families), but behind
`/r/<room secret>/` rather than `/j/<join secret>/`: each family checks its own secret,
so a phone's address cannot open the projector's page nor the other way round. The room
only reads; there is no POST here. The state is built in `room_view.room_state` only.
"""

from __future__ import annotations

import asyncio
import secrets
from typing import TYPE_CHECKING

from aiohttp import web

from workshop.domain.operations import Change
from workshop.web.answers import refuse
from workshop.web.assets import asset_response
from workshop.web.event_stream import version_stream
from workshop.web.middlewares import SECURITY_HEADERS
from workshop.web.phone_view import run_signature
from workshop.web.room_view import room_state

if TYPE_CHECKING:
    from workshop.web.server import JoinServer

PREFIX = "/r/{room_secret}"
# The page's own files; the phone page's files are not served under the room's address.
ROOM_ASSETS = ("room.html", "room.js", "room.css", "countdown.js", "follow.js")


class RoomRoutes:
    """The room's screen on a `JoinServer`: routes, the version its page follows, its streams."""

    def __init__(self, server: JoinServer) -> None:
        self.server = server
        self.room = server.room
        self._streams: set[asyncio.Event] = set()
        self._closed = False
        self._last_run = run_signature(server.editor)
        server.editor.listen(self._edited)
        self.room.watch(self._wake)
        # A room state handed over from an earlier server heard nothing while no server
        # listened: a new version makes a reconnecting page fetch what it missed.
        self.room.bump()

    def add_to(self, app: web.Application) -> None:
        """Add the room's routes to the server's application."""
        app.router.add_get(PREFIX, self._slash)
        app.router.add_get(PREFIX + "/", self._index)
        app.router.add_get(PREFIX + "/static/{name}", self._asset)
        app.router.add_get(PREFIX + "/api/state", self._state)
        app.router.add_get(PREFIX + "/api/events", self._events)

    def close(self) -> None:
        """Stop following the session and end the page's streams (the server is closing)."""
        if self._closed:
            return
        self._closed = True
        self.server.editor.unlisten(self._edited)
        self.room.unwatch(self._wake)
        self._wake()

    # -- following the session --------------------------------------------------------------

    def _edited(self, change: Change) -> None:
        # Notes typed on the laptop are the facilitator's, never the room's. The clock's own
        # bookkeeping (elapsed time recorded every few seconds) changes nothing on screen:
        # the page counts down by itself, so only a move, a start or pause, or an extension counts.
        if change.area == "notes":
            return
        if change.area == "run":
            signature = run_signature(self.server.editor)
            if signature == self._last_run:
                return
            self._last_run = signature
        self.room.bump()

    def _wake(self) -> None:
        for event in self._streams:
            event.set()

    # -- handlers ---------------------------------------------------------------------------

    def _check(self, request: web.Request) -> None:
        given = request.match_info.get("room_secret", "")
        if not secrets.compare_digest(given.encode(), self.room.secret.encode()):
            raise refuse(404, "There is nothing here: check the address.")

    async def _slash(self, request: web.Request) -> web.StreamResponse:
        self._check(request)
        raise web.HTTPPermanentRedirect(f"/r/{self.room.secret}/")

    async def _index(self, request: web.Request) -> web.StreamResponse:
        self._check(request)
        return asset_response(self.server.assets, "room.html")

    async def _asset(self, request: web.Request) -> web.StreamResponse:
        self._check(request)
        name = request.match_info["name"]
        if name not in ROOM_ASSETS:
            raise refuse(404, "There is no such file.")
        return asset_response(self.server.assets, name)

    async def _state(self, request: web.Request) -> web.StreamResponse:
        self._check(request)
        server = self.server
        return web.json_response(room_state(server.editor, server.join, self.room, server.url))

    async def _events(self, request: web.Request) -> web.StreamResponse:
        self._check(request)
        return await version_stream(
            request, lambda: self.room.version, self._streams, lambda: self._closed or self.server.closing, SECURITY_HEADERS, ended=lambda: self.server.ended
        )
