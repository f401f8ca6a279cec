"""Every change to a session, as operations: see `SessionEditor`."""

from __future__ import annotations

from workshop.domain.errors import Refused
from workshop.domain.operations.base import Change, Listener
from workshop.domain.operations.editor import SessionEditor

__all__ = ["Change", "Listener", "Refused", "SessionEditor"]
