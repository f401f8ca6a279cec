"""A server-sent events stream of version numbers: the way a page learns to refetch its state.

The page gets `event: version` at once and whenever the version changes (changes that
come within `GATHER_SECONDS` of each other in one event), and refetches its state then; a comment line every `keepalive` seconds keeps proxies and the browser's
`EventSource` from dropping a quiet stream; `retry: 2000` makes it reconnect promptly.
The phones' page and the room's screen each follow one (`phone_routes.py`, `room_routes.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

from aiohttp import web

KEEPALIVE_SECONDS = 15.0
# After a wake, what else changes this soon goes out with it: a wave of a hundred ballots
# bumps the version a hundred times in some 40 ms, and every phone's stream wrote (and
# every phone fetched its state) for each version it happened to see.
GATHER_SECONDS = 0.1


async def version_stream(
    request: web.Request,
    version: Callable[[], int],
    streams: set[asyncio.Event],
    closing: Callable[[], bool],
    headers: Mapping[str, str],
    keepalive: float = KEEPALIVE_SECONDS,
    ended: Callable[[], str | None] = lambda: None,
) -> web.StreamResponse:
    """Stream `version()` to the page until it goes or `closing()`; `streams` holds the wake events to set.

    On closing, `ended()` (when not None: "closed" or "stopped") goes out as a last `ended`
    event, so the page shows that the session is over instead of reconnecting."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "X-Accel-Buffering": "no", **headers})
    await response.prepare(request)
    wake = asyncio.Event()
    streams.add(wake)
    try:
        sent = version()
        await response.write(f"retry: 2000\nevent: version\ndata: {sent}\n\n".encode())
        while not closing():
            try:
                await asyncio.wait_for(wake.wait(), keepalive)
            except asyncio.TimeoutError:
                await response.write(b": still here\n\n")
                continue
            if not closing():
                await asyncio.sleep(GATHER_SECONDS)
            wake.clear()
            if closing():
                break
            if version() != sent:
                sent = version()
                await response.write(f"event: version\ndata: {sent}\n\n".encode())
        reason = ended() if closing() else None
        if reason is not None:
            await response.write(f"event: ended\ndata: {reason}\n\n".encode())
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        streams.discard(wake)
    return response
