"""Notes: one text per activity, saved as it is typed."""

from __future__ import annotations

from workshop.domain.operations.base import EditorBase


class NoteOperations(EditorBase):
    """Notes typed during an activity."""
