"""How the app tells the facilitator that something failed: one line, never a traceback.

`WorkshopError` (a refused operation, a file that cannot be read, a failed save) carries
its own plain reason. Anything else is a bug: the room is told in plain words, without
an exception's class name, and the app carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from textual.app import App
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from workshop.domain.errors import WorkshopError

P = ParamSpec("P")
T = TypeVar("T")


def failure_message(error: BaseException) -> str:
    """One line for the facilitator about `error`: its own reason, or a plain word on a bug."""
    if isinstance(error, WorkshopError):
        return error.reason
    detail = str(error).splitlines()[0] if str(error) else "no details"
    return f"Something went wrong inside the app ({detail}); the room's work so far is saved."


def attempt(node: Widget | App[Any], operation: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """Run `operation`; if it refuses, show its reason on `node` and return None."""
    try:
        return operation(*args, **kwargs)
    except WorkshopError as error:
        node.notify(error.reason, severity="error", timeout=6)
        return None


def report_failed_worker(node: Widget | App[Any], event: Worker.StateChanged) -> None:
    """Show a failed worker's error (workers run with exit_on_error=False)."""
    if event.state == WorkerState.ERROR and event.worker.error is not None:
        node.notify(failure_message(event.worker.error), severity="error", timeout=10)
