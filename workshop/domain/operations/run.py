"""Run control: moving the room through the agenda on the run clock."""

from __future__ import annotations

from workshop.domain.operations.base import EditorBase


class RunOperations(EditorBase):
    """Run control: start, pause, next, back, skip, jump, extend, complete, reopen."""
