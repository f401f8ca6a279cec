"""Answers decided part-way through a handler: a status and a JSON body (usually an error)."""

from __future__ import annotations

from typing import Any


class Answer(Exception):
    """A JSON answer decided before the end of a handler (usually an error)."""

    def __init__(self, status: int, body: dict[str, Any]):
        super().__init__(body.get("error", ""))
        self.status = status
        self.body = body


def refuse(status: int, sentence: str) -> Answer:
    """An error answer: `{\"error\": sentence}` with `status`."""
    return Answer(status, {"error": sentence})
