"""Phones on the real app: the room votes while the facilitator's console runs.

The app is started as a user starts it, in a pseudo-terminal with its screen running:
`python -m workshop open S --join 127.0.0.1:PORT` (PORT found free beforehand). The join
address is got as a phone gets it: the six-digit code is read off the screen and
exchanged at `POST /code` (see `web/API.md`); nothing in the app knows it is measured.
Then N phones (aiohttp clients) join, and all cast their dots at once, several waves
(each repeat, one wave for the ballots' times, then waves while keys are pressed):

- each ballot's time from submit to "recorded" (the app answers only once the file is
  written), its p95 per wave against a minimal aiohttp server (written here, its own
  process) that appends each ballot to a file and fsyncs it, waves taking turns;
- every phone's last ballot must be in the session file afterwards (N of N);
- the console's key to screen while a wave is in flight, against the same keys with no
  wave: the keys list opened and closed (`?`, again `?`) in turn, each timed until its
  words reach the terminal. A wave is over in one or two keys' time, so each repeat
  sends key waves until it has as many keys pressed in waves as with none
  (`KEYS_A_REPEAT`): the p95 is then of as many samples as its baseline's, not the
  largest of a handful.

The session is a named round (a ballot may be replaced), so each wave is a new ballot
from every phone.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Coroutine
from concurrent.futures import Future
from datetime import date
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks import terminal
from benchmarks.figures import Figure, med, percentile
from workshop.domain.models.session import Proposal, VotingSettings
from workshop.domain.new_session import build_session
from workshop.domain.operations import SessionEditor
from workshop.storage.packs import builtin_content_dir, load_pack
from workshop.storage.store import create_session, load_session

VOTE = "demo-vote"
PROPOSALS = 8
# Keys pressed a repeat with no wave, and at least as many during waves.
KEYS_A_REPEAT = 6
# The baseline: what any server must do to say "recorded" honestly, and nothing else.
MINIMAL_SERVER = """
import json, os, secrets, sys
from aiohttp import web

fd = os.open(sys.argv[2], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

async def join(request):
    body = await request.json()
    answer = web.json_response({"joined": True, "participant_id": body["participant_id"]})
    answer.set_cookie("device", secrets.token_urlsafe(16), httponly=True)
    return answer

async def dots(request):
    body = await request.json()
    os.write(fd, (json.dumps(body) + "\\n").encode())
    os.fsync(fd)
    return web.json_response({"recorded": True})

app = web.Application()
app.router.add_post("/api/join", join)
app.router.add_post("/api/dots", dots)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
"""
ESCAPES = re.compile(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]")
CODE = re.compile(rb"type (\d{3}) (\d{3})")


def free_port() -> int:
    """A port nothing listens on now (the app is told it on its command line)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _session_file(folder: Path, phones: int) -> Path:
    """A session of `phones` people paused on the demo pack's dot vote, 8 proposals, named."""
    pack = load_pack(builtin_content_dir() / "demo.toml")
    people = [(f"Person {n:03d}", "") for n in range(phones)]
    session = build_session(
        pack, title="Phones benchmark", participants=people, day=date(2026, 3, 12), voting=VotingSettings(mode="named", dots_per_person=3, max_per_item=2)
    )
    session.proposals.extend(Proposal(id=f"p{n}", text=f"Proposal {n}", position=n) for n in range(PROPOSALS))
    editor = SessionEditor(session)
    editor.jump(VOTE)
    return create_session(folder, editor.session)


def _dots(phone: int, wave: int) -> dict[str, int]:
    return {f"p{(phone + wave) % PROPOSALS}": 2, f"p{(phone + wave + 3) % PROPOSALS}": 1}


class Phones:
    """N aiohttp clients with their own cookies, on an event loop in a thread of their own,
    so the main thread can press keys in the pty while a wave is in flight."""

    def __init__(self, count: int):
        self.count = count
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="phones", daemon=True)
        self._thread.start()
        self.clients: dict[str, list[aiohttp.ClientSession]] = {}

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    async def join(self, name: str, url: str, ids: list[str]) -> None:
        """Each phone takes its participant on `url` (the join address)."""
        connector = aiohttp.TCPConnector(limit=0)
        clients = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), connector=connector) for _ in range(self.count)]
        self.clients[name] = clients

        async def one(client: aiohttp.ClientSession, participant: str) -> None:
            async with client.post(url + "api/join", json={"participant_id": participant}) as answer:
                if answer.status != 200:
                    raise RuntimeError(f"join answered {answer.status}: {await answer.text()}")

        await asyncio.gather(*(one(c, p) for c, p in zip(clients, ids, strict=True)))

    async def wave(self, name: str, url: str, wave: int) -> list[tuple[bool, float]]:
        """Every phone casts at once; (recorded, seconds) for each."""

        async def cast(client: aiohttp.ClientSession, phone: int) -> tuple[bool, float]:
            body = {"activity_id": VOTE, "dots": _dots(phone, wave), "request_id": f"w{wave}-p{phone}"}
            started = time.perf_counter()
            async with client.post(url + "api/dots", json=body) as answer:
                ok = answer.status == 200 and (await answer.json()).get("recorded") is True
            return ok, time.perf_counter() - started

        return list(await asyncio.gather(*(cast(c, n) for n, c in enumerate(self.clients[name]))))

    def close(self) -> None:
        async def close_all() -> None:
            for clients in self.clients.values():
                for client in clients:
                    await client.close()

        self.run(close_all()).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


class Console:
    """The app's console in its pty: a key timed until its answer reaches the terminal.

    The keys list is opened and closed (`?`, again `?`) in turn: each answer is a whole
    screen drawn again, and neither changes the session nor leaves a notification behind
    (`+`, one more minute, did both, and its growing stack of notices made it slower
    with every press).

    The closing is seen by the vote's prompt, which the open list covers: the status
    line (PAUSED) stays in sight below the list, and drawn again there (its finish time,
    the screen redrawn under the list as ballots come in) it passed for the closing's
    answer, some keys "answered" in 2 ms."""

    KEYS = ((b"?", b"Undo extension"), (b"?", b"Spend your dots"))

    def __init__(self, child: terminal.Child):
        self.child = child
        self.pressed = 0

    def press(self, timeout: float = 10.0) -> float:
        """Press the next key; seconds until its answer reaches the terminal."""
        key, marker = self.KEYS[self.pressed % len(self.KEYS)]
        self.pressed += 1
        mark = len(self.child.output)
        dropped = self.child.dropped
        sent = time.monotonic()
        os.write(self.child.fd, key)
        end = sent + timeout
        while time.monotonic() < end:
            self.child.drain(0.002)
            start = max(0, mark - (self.child.dropped - dropped))
            if marker in ESCAPES.sub(b"", bytes(self.child.output[start:])):
                return time.monotonic() - sent
        raise TimeoutError(f"{marker!r} did not reach the terminal within {timeout} s")


def _join_url(child: terminal.Child, port: int) -> str:
    """The join address, as a phone gets it: the code read off the screen, sent to `/code`."""
    end = time.monotonic() + 60
    found = None
    while found is None and time.monotonic() < end:
        child.drain(0.05)
        found = CODE.search(ESCAPES.sub(b"", bytes(child.output)))
    if found is None:
        raise RuntimeError("no six-digit join code on the screen")
    code = (found.group(1) + found.group(2)).decode()

    async def exchange() -> str:
        async with aiohttp.ClientSession() as client:
            async with client.post(f"http://127.0.0.1:{port}/code", json={"code": code}) as answer:
                body = await answer.json()
                if answer.status != 200:
                    raise RuntimeError(f"/code answered {answer.status}: {body}")
                url: str = body["url"]
                return url

    return asyncio.run(exchange())


def _wait_listening(port: int, process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError("the minimal server exited")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError("the minimal server did not listen")


def _during(console: Console, future: Future[Any]) -> tuple[list[float], Any]:
    """Press keys while `future` (a wave) runs; the key times and the wave's result."""
    keys = []
    while not future.done():
        keys.append(console.press())
    return keys, future.result()


def wave_figures(phones: int, repeat: int) -> list[Figure]:
    """The figures for `phones` phones: `repeat` waves on the app and on the minimal server."""
    samples: dict[str, list[float]] = {"app": [], "minimal": [], "keys": [], "idle": []}
    recorded_every_wave = True
    waves = 0  # the app's waves so far (each phone's ballot differs from one to the next)
    with tempfile.TemporaryDirectory(prefix="workshop-bench-") as temp:
        home = Path(temp)
        path = _session_file(home / "sessions", phones)
        ids = [participant.id for participant in load_session(path).session.participants]
        port, minimal_port = free_port(), free_port()
        ballots = home / "ballots.jsonl"
        server = subprocess.Popen([sys.executable, "-c", MINIMAL_SERVER, str(minimal_port), str(ballots)])
        child = terminal.start(
            terminal.workshop_argv(home / "sessions", "open", str(path), "--join", f"127.0.0.1:{port}"), home / "stamp", env={"HOME": str(home)}
        )
        clients = Phones(phones)
        try:
            _wait_listening(minimal_port, server)
            url = _join_url(child, port)
            clients.run(clients.join("app", url, ids)).result(60)
            clients.run(clients.join("minimal", f"http://127.0.0.1:{minimal_port}/", ids)).result(60)
            console = Console(child)
            child.drain(0.5)
            for wave in range(repeat):
                samples["idle"].extend(console.press() for _ in range(KEYS_A_REPEAT))
                child.drain(0.1)
                minimal = clients.run(clients.wave("minimal", f"http://127.0.0.1:{minimal_port}/", wave)).result(60)
                # Ballots timed in a wave of their own, keys in the next: the keys' redraws
                # would otherwise count in the ballots' time, and the baseline has no screen.
                voted = clients.run(clients.wave("app", url, waves)).result(60)
                waves += 1
                recorded_every_wave &= all(ok for ok, _ in [*voted, *minimal])
                samples["app"].append(percentile([seconds for _, seconds in voted], 0.95))
                samples["minimal"].append(percentile([seconds for _, seconds in minimal], 0.95))
                child.drain(0.2)
                # Key waves, each from a quiet screen, until as many keys as with no wave.
                pressed = 0
                while pressed < KEYS_A_REPEAT:
                    keys, voted_too = _during(console, clients.run(clients.wave("app", url, waves)))
                    waves += 1
                    pressed += len(keys)
                    samples["keys"].extend(keys)
                    recorded_every_wave &= all(ok for ok, _ in voted_too)
                    child.drain(0.2)
        finally:
            clients.close()
            child.stop()
            server.kill()
            server.wait()
        stored = load_session(path).session.vote_rounds
        last = {ballot.voter: dict(ballot.dots) for ballot in stored[-1].ballots} if stored else {}
        in_file = sum(1 for n, voter in enumerate(ids) if last.get(voter) == _dots(n, waves - 1))
        lines = len(ballots.read_text("utf-8").splitlines()) if ballots.exists() else 0
    counted = in_file if recorded_every_wave else 0
    return [
        Figure(
            f"{phones} phones on the app: recorded (acknowledged, last ballot in the file)",
            float(counted),
            f"of {phones}",
            float(lines // max(1, repeat)),
            float(phones),
            absolute=True,
            note=f"every ballot of {waves} waves answered 'recorded'; baseline: lines in the minimal server's file a wave",
            judged=counted == phones,
        ),
        Figure(
            f"{phones} phones on the app: p95 submit to recorded",
            med(samples["app"]) * 1000,
            "ms",
            med(samples["minimal"]) * 1000,
            2.0,
            note="median of the waves' p95; baseline: minimal aiohttp server appending + fsyncing each ballot",
        ),
        Figure(
            f"{phones} phones on the app: console key to screen p95 during the wave",
            percentile(samples["keys"], 0.95) * 1000,
            "ms",
            percentile(samples["idle"], 0.95) * 1000,
            1.5,
            note=f"{len(samples['keys'])} keys in waves; baseline: {len(samples['idle'])} keys with no wave",
        ),
    ]


def measure(repeat: int, counts: tuple[int, ...] = (100, 30, 12)) -> list[Figure]:
    """The figures for each number of phones."""
    figures: list[Figure] = []
    for phones in counts:
        figures.extend(wave_figures(phones, repeat))
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    for figure in measure(3, tuple(int(n) for n in sys.argv[1:]) or (12,)):
        print(json.dumps(figure.as_json()))
