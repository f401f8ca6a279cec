"""A phones' server over a real session file, for the API tests (no Textual app)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from apphelp import ballot_session

from workshop.domain.timebox import Monotonic, system_monotonic
from workshop.service import OpenSession
from workshop.storage.store import load_session, open_session
from workshop.web.joining import JoinState
from workshop.web.server import JoinServer

PAGE = "<!doctype html><title>phone page fixture</title>"


class Room:
    """One session open as the laptop holds it, its server, and a way to make phones."""

    def __init__(
        self, tmp_path: Path, mode: str = "anonymous", *, save_now: Callable[[], Awaitable[None]] | None = None, monotonic: Monotonic = system_monotonic
    ):
        self.path = ballot_session(tmp_path, mode)
        # The open session as the app holds it: its saver, its editor, its group commit.
        self.opened = OpenSession(open_session(self.path), monotonic=monotonic)
        self.loaded = self.opened.loaded
        self.saver = self.opened.saver
        self.editor = self.opened.editor
        static = tmp_path / "static"
        static.mkdir()
        (static / "index.html").write_text(PAGE)
        (static / "app.js").write_text("console.log('page')")
        (static / "notes.txt").write_text("not an asset")
        (tmp_path / "secret.toml").write_text("outside the page's folder")
        self.join = JoinState()
        self.server = JoinServer(
            self.editor, save_now or self.opened.recorded, static_dir=static, join=self.join, console_first=self.opened.console.phones_wait
        )
        self.phones: list[TestClient] = []

    @property
    def base(self) -> str:
        return f"/j/{self.join.secret}"

    async def phone(self) -> TestClient:
        """A new client with its own cookie jar: one phone."""
        client = TestClient(TestServer(self.server.app))
        await client.start_server()
        self.phones.append(client)
        return client

    async def close(self) -> None:
        for client in self.phones:
            await client.close()
        await self.server.stop()
        self.opened.close()

    def on_disk(self):
        return load_session(self.path).session


async def joined(room: Room, participant_id: str) -> TestClient:
    phone = await room.phone()
    answer = await phone.post(f"{room.base}/api/join", json={"participant_id": participant_id})
    assert answer.status == 200, await answer.text()
    return phone


async def post(room: Room, phone: TestClient, name: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    answer = await phone.post(f"{room.base}/api/{name}", json=body)
    return answer.status, await answer.json()


async def state(room: Room, phone: TestClient) -> dict[str, Any]:
    answer = await phone.get(f"{room.base}/api/state")
    assert answer.status == 200
    return await answer.json()


def gate() -> tuple[asyncio.Event, list[str], Callable[[], Awaitable[None]]]:
    """A save that blocks until the test opens the gate, noting when it was called."""
    release = asyncio.Event()
    calls: list[str] = []

    async def save_now() -> None:
        calls.append("save")
        await release.wait()

    return release, calls, save_now
