"""Setup: editing a planned session's details, participants, agenda and voting settings."""

from __future__ import annotations

from workshop.domain.operations.base import EditorBase


class SetupOperations(EditorBase):
    """Edits to a planned session: details, participants, agenda, voting settings."""
