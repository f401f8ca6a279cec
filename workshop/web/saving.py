"""The server's `save_now`: hand the session to the autosaver and wait until it is written."""

from __future__ import annotations

import asyncio

from workshop.storage.autosave import Autosaver
from workshop.web.submissions import SaveNow

SAVE_TIMEOUT_SECONDS = 10.0


def save_now_with(saver: Autosaver, timeout: float = SAVE_TIMEOUT_SECONDS) -> SaveNow:
    """An async `save_now()` over `saver`: the snapshot is taken on the loop's thread (where
    the session changes), the wait for the disk happens in a thread so the loop runs on.
    Raises `SaveError` when the write failed."""

    async def save_now() -> None:
        saver.flush()
        number = saver.handed
        await asyncio.to_thread(saver.wait_saved, number, timeout)

    return save_now
