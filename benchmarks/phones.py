"""Voting from phones under load: 100 phones on loopback join and vote at once.

The server runs in its own thread's event loop (as it runs in the app's), over a real
session file, saving through the autosaver; the phones are aiohttp clients in another
loop. Every phone joins, then all send their dots at the same moment; each one's time
from submit to "recorded" (the save written) is measured, and its 95th percentile is
reported against a plain request to the same server (the short-code page) in the same
run, so the ratio says what the ballot's operation and save cost.

    python benchmarks/phones.py [--phones 100] [--json]

`measure()` returns the figures as a list of {name, value, unit, baseline, ratio,
target, met} for `benchmarks/run.py`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

# Run from a checkout without installing: the package is one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402

from workshop.domain.models.limits import MAX_PARTICIPANTS  # noqa: E402
from workshop.domain.models.session import Proposal, VotingSettings  # noqa: E402
from workshop.domain.new_session import build_session  # noqa: E402
from workshop.service import OpenSession  # noqa: E402
from workshop.storage.packs import builtin_content_dir, load_pack  # noqa: E402
from workshop.storage.store import create_session, load_session, open_session  # noqa: E402

VOTE = "demo-vote"
# What a room would call slow: a phone waiting more than a second to hear "recorded".
P95_TARGET_MS = 1000.0


class ServerThread:
    """A `JoinServer` on its own loop in a thread, as the app's loop would run it."""

    def __init__(self, folder: Path, phones: int):
        pack = load_pack(builtin_content_dir() / "demo.toml")
        people = [(f"Person {n:03d}", "") for n in range(phones)]
        session = build_session(pack, title="Phones benchmark", participants=people, day=date(2026, 3, 12),
                                voting=VotingSettings(mode="anonymous", dots_per_person=3, max_per_item=2))
        session.proposals.extend(Proposal(id=f"p{n}", text=f"Proposal {n}", position=n) for n in range(8))
        self.path = create_session(folder, session)
        # The open session as the app holds it (its saver, group commit and phones' server).
        self.opened = OpenSession(open_session(self.path))
        self.editor = self.opened.editor
        self.editor.jump(VOTE)
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="phones-server", daemon=True)

    def start(self) -> str:
        self._thread.start()
        server = asyncio.run_coroutine_threadsafe(self.opened.start_phones("127.0.0.1", 0), self.loop).result(10)
        return server.url

    def stop(self) -> None:
        async def close() -> None:
            self.opened.close()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)


async def _timed(call: Callable[[], Awaitable[bool]]) -> tuple[bool, float]:
    start = time.perf_counter()
    ok = await call()
    return ok, time.perf_counter() - start


async def _phones(url: str, base: str, phones: int, ids: list[str]) -> dict[str, Any]:
    connector = aiohttp.TCPConnector(limit=0)
    clients = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), connector=connector, connector_owner=False)
               for _ in range(phones)]
    try:
        async def plain(client: aiohttp.ClientSession) -> bool:
            async with client.get(base + "/") as answer:
                await answer.read()
                return answer.status == 200

        async def join(client: aiohttp.ClientSession, participant_id: str) -> bool:
            async with client.post(url + "api/join", json={"participant_id": participant_id}) as answer:
                return answer.status == 200

        async def vote(client: aiohttp.ClientSession, number: int) -> bool:
            dots = {f"p{number % 8}": 2, f"p{(number + 3) % 8}": 1}
            body = {"activity_id": VOTE, "dots": dots, "request_id": f"vote-{number}"}
            async with client.post(url + "api/dots", json=body) as answer:
                return answer.status == 200 and (await answer.json()).get("recorded") is True

        plain_times = await asyncio.gather(*(_timed(lambda c=c: plain(c)) for c in clients))
        joins = await asyncio.gather(*(_timed(lambda c=c, p=p: join(c, p)) for c, p in zip(clients, ids, strict=True)))
        votes = await asyncio.gather(*(_timed(lambda c=c, n=n: vote(c, n)) for n, c in enumerate(clients)))
    finally:
        for client in clients:
            await client.close()
        await connector.close()
    return {"plain": plain_times, "join": joins, "vote": votes}


def _p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20, method="inclusive")[18] * 1000 if len(seconds) > 1 else seconds[0] * 1000


def measure(phones: int = 100) -> list[dict[str, Any]]:
    """Run the benchmark once; the figures as dicts (see the module docstring)."""
    phones = min(phones, MAX_PARTICIPANTS)
    with tempfile.TemporaryDirectory() as folder:
        server = ServerThread(Path(folder), phones)
        url = server.start()
        base = url.split("/j/", 1)[0]
        ids = [participant.id for participant in server.editor.session.participants]
        started = time.perf_counter()
        try:
            timings = asyncio.run(_phones(url, base, phones, ids))
        finally:
            server.stop()
        wall = time.perf_counter() - started
        stored = load_session(server.path).session.vote_rounds
    recorded_ok = sum(1 for ok, _ in timings["vote"] if ok)
    on_disk = len(stored[-1].ballots) if stored else 0
    anonymous = bool(stored) and all(ballot.voter is None for ballot in stored[-1].ballots)
    plain_p95 = _p95([seconds for _, seconds in timings["plain"]])
    join_p95 = _p95([seconds for _, seconds in timings["join"]])
    vote_p95 = _p95([seconds for _, seconds in timings["vote"]])
    recorded = min(recorded_ok, on_disk)
    return [
        {"name": "phones recorded (acknowledged and in the file)", "value": recorded, "unit": f"of {phones}",
         "baseline": phones, "ratio": recorded / phones, "target": phones, "met": recorded == phones and anonymous},
        {"name": "p95 submit to recorded", "value": round(vote_p95, 1), "unit": "ms", "baseline": round(plain_p95, 1),
         "ratio": round(vote_p95 / plain_p95, 1), "target": P95_TARGET_MS, "met": vote_p95 <= P95_TARGET_MS},
        {"name": "p95 join", "value": round(join_p95, 1), "unit": "ms", "baseline": round(plain_p95, 1),
         "ratio": round(join_p95 / plain_p95, 1), "target": P95_TARGET_MS, "met": join_p95 <= P95_TARGET_MS},
        {"name": "whole run (join and vote)", "value": round(wall, 2), "unit": "s", "baseline": None, "ratio": None,
         "target": None, "met": True},
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(args.phones)
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{'figure':48} {'value':>10} {'unit':7} {'baseline':>9} {'ratio':>7} {'target':>7}  met")
    for row in figures:
        baseline = "" if row["baseline"] is None else row["baseline"]
        ratio = "" if row["ratio"] is None else row["ratio"]
        target = "" if row["target"] is None else row["target"]
        print(f"{row['name']:48} {row['value']:>10} {row['unit']:7} {baseline!s:>9} {ratio!s:>7} {target!s:>7}  "
              f"{'yes' if row['met'] else 'NO'}")
    print("baseline for the times: p95 of a plain GET of the short-code page, 100 at once, same server, same run")


if __name__ == "__main__":
    main()
