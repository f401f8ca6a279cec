"""In a real terminal: `workshop open SESSION --join 127.0.0.1:0` shows the join panel, a
plain HTTP client joins with the short code on the screen and votes, and a SIGKILL right
after "recorded" loses nothing that was acknowledged."""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import tomllib
import urllib.error
import urllib.request
from http.cookiejar import CookieJar

from apphelp import ballot_session
from test_terminal_e2e import Terminal, gone


class Phone:
    """A phone as a plain HTTP client with its own cookies."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    def call(self, url: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"} if data else {})
        try:
            with self.opener.open(request, timeout=20) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


def test_phones_join_from_the_screen_and_a_kill_after_recorded_loses_nothing(tmp_path):
    path = ballot_session(tmp_path, "anonymous")
    env = {"WORKSHOP_SESSIONS_DIR": str(tmp_path), "HOME": os.environ["HOME"], "TERM": "xterm-256color"}
    terminal = Terminal("phones", [sys.executable, "-m", "workshop", "open", str(path), "--join", "127.0.0.1:0"], env)
    try:
        screen = terminal.wait_for("Scan, or type")
        # The short code and the address to type it at, as a person reads them off the screen.
        code = re.search(r"type (\d{3}) (\d{3}) at", screen)
        base = re.search(r"(http://127\.0\.0\.1:\d+)\s", screen)
        assert code and base, screen
        phone, other = Phone(), Phone()
        status, answer = phone.call(base.group(1) + "/code", {"code": code.group(1) + code.group(2)})
        assert status == 200, answer
        url = answer["url"]
        assert url.startswith(base.group(1) + "/j/")
        status, _ = Phone().call(base.group(1) + "/j/not-the-secret/api/state")
        assert status == 404
        assert phone.call(url + "api/join", {"participant_id": "jo-reed"})[0] == 200
        assert other.call(url + "api/join", {"participant_id": "li-wei"})[0] == 200
        terminal.wait_for("2 of 5 joined")
        # Past the read, rating, discussion, proposals, break and merge step.
        for _ in range(6):
            terminal.keys("n")
        terminal.wait_for("Dot vote")
        state = phone.call(url + "api/state")[1]
        assert state["activity"]["id"] == "demo-vote" and state["activity"]["ballot"]["anonymous"] is True
        assert other.call(url + "api/dots", {"activity_id": "demo-vote", "dots": {"p0": 1}, "request_id": "a"})[0] == 200
        terminal.wait_for("1 of 5 voted")
        status, answer = phone.call(url + "api/dots", {"activity_id": "demo-vote", "dots": {"p1": 2, "p2": 1}, "request_id": "b"})
        assert status == 200 and answer["recorded"] is True
        # Killed the moment the phone heard "recorded": nothing acknowledged may be lost.
        pid = terminal.pid()
        os.kill(pid, signal.SIGKILL)
        assert gone(pid)
    finally:
        terminal.kill_server()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    (vote,) = data["vote_rounds"]
    assert vote["voted"] == ["jo-reed", "li-wei"]
    assert sorted(tuple(sorted(ballot["dots"].items())) for ballot in vote["ballots"]) == [(("p0", 1),), (("p1", 2), ("p2", 1))]
    assert all("voter" not in ballot and "cast_at" not in ballot for ballot in vote["ballots"])


def test_the_join_address_is_refused_on_the_command_line_when_malformed(tmp_path):
    from clirun import run_cli

    path = ballot_session(tmp_path, "named")
    env = {"WORKSHOP_SESSIONS_DIR": str(tmp_path), "HOME": os.environ["HOME"]}
    result = run_cli("open", str(path), "--join", "127.0.0.1:http", env=env)
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "port" in result.stderr


def test_join_is_refused_for_a_session_that_opens_for_review_only(tmp_path):
    from apphelp import write_session
    from clirun import run_cli

    path = write_session(tmp_path, "Done day", status="completed")
    result = run_cli("open", str(path), "--join", "127.0.0.1:0", env={"WORKSHOP_SESSIONS_DIR": str(tmp_path), "HOME": os.environ["HOME"]})
    assert result.returncode != 0
    assert "review only" in result.stderr and result.stderr.strip().count("\n") == 0
