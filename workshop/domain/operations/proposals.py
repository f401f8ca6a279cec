"""Proposals: candidate priorities, added, edited, removed and merged before a vote."""

from __future__ import annotations

from workshop.domain.operations.base import EditorBase


class ProposalOperations(EditorBase):
    """Candidate priorities: add, edit, remove, merge."""
