"""The horizon board: where each priority sits, who owns it, when it is reviewed."""

from __future__ import annotations

from workshop.domain.operations.base import EditorBase


class BoardOperations(EditorBase):
    """The horizon board: move, reorder, protect, owner, review date, text."""
