"""The server's `save_now`: hand the session to the autosaver and wait until it is written."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from workshop.domain.models.limits import MAX_PARTICIPANTS
from workshop.storage.autosave import Autosaver
from workshop.web.submissions import SaveNow

SAVE_TIMEOUT_SECONDS = 10.0


def save_now_with(saver: Autosaver, timeout: float = SAVE_TIMEOUT_SECONDS) -> SaveNow:
    """An async `save_now()` over `saver`: the snapshot is taken on the loop's thread (where
    the session changes), the wait for the disk happens in a thread so the loop runs on.
    Raises `SaveError` when the write failed.

    The waiting threads only sleep on the saver's condition; there is one for each phone
    that may be waiting at once (asyncio's default pool has a handful, and the phones
    past it would queue behind each other's waits though their save is already written).
    """
    waiters = ThreadPoolExecutor(max_workers=MAX_PARTICIPANTS, thread_name_prefix="workshop-save-wait")

    async def save_now() -> None:
        # At once: a hand-over put off would leave `handed` at an older snapshot, and the
        # phone would hear "recorded" before its own change was on disk.
        saver.flush(at_once=True)
        number = saver.handed
        await asyncio.get_running_loop().run_in_executor(waiters, saver.wait_saved, number, timeout)

    return save_now
