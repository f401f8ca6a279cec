"""What every answer of the server goes through: the guard before a handler, the headers after it.

The guard refuses everything once the session has closed, and the phones' side while the
server runs for the room's screen only; it checks the join secret in the address; it turns
a refusal (`Answer`) or one of aiohttp's own (no such route, wrong method, body too large)
into one sentence, as JSON for the page's script or as a page for a person who opened an
address. Every answer gets the security headers and a `Server` header naming no versions.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from workshop.web.answers import Answer, refuse
from workshop.web.short_code import message_page

if TYPE_CHECKING:
    from workshop.web.server import JoinServer

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


def guard(server: JoinServer) -> Middleware:
    """The middleware of `server`'s application (see the module docstring)."""

    @web.middleware
    async def guarded(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            if server.closing or not server.is_open():
                raise refuse(503, "Joining has stopped: the facilitator has closed the session.")
            if not server.phones_open and "room_secret" not in request.match_info:
                # Serving only the room's screen: the phones' side says so, and takes nothing.
                raise refuse(503, "Joining has stopped: phones cannot vote now.")
            _check_secret(request, server.join.secret)
            response = await handler(request)
        except Answer as answer:
            response = error_response(request, answer.status, str(answer.body.get("error", "")), answer.body)
        except web.HTTPException as error:
            # aiohttp's own refusals (no such route, wrong method, body too large) as JSON too.
            if error.status < 400:
                raise
            sentence = _plain_http_error(error.status)
            response = error_response(request, error.status, sentence, {"error": sentence})
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response

    return guarded


def _check_secret(request: web.Request, secret: str) -> None:
    given = request.match_info.get("secret")
    if given is None:
        return
    if not secrets.compare_digest(given.encode(), secret.encode()):
        raise refuse(404, "There is nothing here: check the address or scan the code again.")


def error_response(request: web.Request, status: int, sentence: str, body: dict[str, Any]) -> web.StreamResponse:
    """An error as JSON for the page's API; as a page with the sentence when a browser opens an address.

    A stale QR code or a mistyped address is opened by a person, not by the page's
    script: they get a sentence and the way to type the code, not raw JSON.
    """
    opened = request.method == "GET" and "/api/" not in request.path and "text/html" in request.headers.get("Accept", "")
    if opened and body.keys() == {"error"}:
        return web.Response(text=message_page(sentence), status=status, content_type="text/html", charset="utf-8")
    return web.json_response(body, status=status)


async def name_the_server(request: web.Request, response: web.StreamResponse) -> None:
    """`on_response_prepare`: every answer a handler gave names the server without versions."""
    response.headers["Server"] = SERVER_NAME


def name_the_server_in_parse_errors() -> None:
    """Have aiohttp's own answers to requests it cannot parse name the server without versions.

    A malformed request (an unknown method, a header with no colon, a control character in
    the address) is answered 400 by aiohttp's protocol handler before any route, middleware
    or `on_response_prepare` runs, and such an answer takes its `Server` header from the
    module constant `aiohttp.web_response.SERVER_SOFTWARE` ("Python/3.x aiohttp/3.y.z").
    aiohttp has no setting for it (its maintainers' answer in aio-libs/aiohttp#3140 and
    #8870), and reaching it otherwise means replacing aiohttp's private server and runner
    classes; so the constant is replaced, in this process only, where the app serves
    nothing else. aiohttp's client takes its User-Agent from its own binding, untouched.
    A test sends such requests over a socket: an aiohttp that moves the constant fails it.
    """
    from aiohttp import web_response

    web_response.SERVER_SOFTWARE = SERVER_NAME


def _plain_http_error(status: int) -> str:
    return {
        404: "There is nothing here: check the address or scan the code again.",
        405: "That is not something a phone can do here.",
        413: "That request is too large.",
    }.get(status, "That request cannot be answered.")
