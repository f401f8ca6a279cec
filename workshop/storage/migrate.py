"""Upgrading session files written by older versions of workshop.

A session file says which shape it has with its top-level `schema` number. Each
incompatible change to the session model bumps `SCHEMA_VERSION` and adds one step to
`MIGRATIONS`: a function taking the raw TOML data of version n and returning the data of
version n+1. Reading an old file runs the chain up to the current version; saving then
writes the current shape, and the `.bak` beside it keeps the old file. Files are never
downgraded: data of a newer schema is returned as it is, and the store opens it
read-only.

There is only schema 1 so far, so `MIGRATIONS` is empty; the tests exercise the
mechanism by pretending the current version is 2.
"""

from __future__ import annotations

from typing import Any, Callable

from workshop.domain.models.schema import SCHEMA_VERSION

Data = dict[str, Any]

# Version n -> a function producing version n+1 data. A step may change its argument in
# place (it is freshly parsed and owned by the reader) but must return the result.
MIGRATIONS: dict[int, Callable[[Data], Data]] = {}

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "MigrationError", "current_version", "migrate", "schema_of"]


class MigrationError(ValueError):
    """The file's schema number is unusable, or no step leads from it to the current one."""

    def __init__(self, reason: str, key: str = "schema"):
        super().__init__(reason)
        self.reason = reason
        self.key = key


def current_version() -> int:
    """The schema this workshop writes (read at call time, so tests can pretend)."""
    return SCHEMA_VERSION


def schema_of(data: Data) -> int:
    """The file's schema number, or `MigrationError` saying why there is none."""
    if "schema" not in data:
        # Every file workshop writes has it, so its absence usually means a foreign file.
        raise MigrationError("required key is missing; this does not look like a workshop session file")
    version = data["schema"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise MigrationError(f"should be a whole number, not {version!r}")
    if version < 1:
        raise MigrationError(f"should be at least 1, not {version}")
    return version


def migrate(data: Data) -> tuple[Data, int]:
    """Upgrade `data` to the current schema; return it and the version it was written in.

    Data of the current or a newer schema comes back unchanged (the caller decides what
    a newer file means). Raises `MigrationError` for a bad schema number or a gap in
    the chain.
    """
    original = schema_of(data)
    target = current_version()
    version = original
    while version < target:
        step = MIGRATIONS.get(version)
        if step is None:
            raise MigrationError(f"schema {original} is too old: this workshop cannot upgrade files of schema {version}")
        data = step(data)
        version += 1
        data["schema"] = version
    return data, original
