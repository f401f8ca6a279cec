"""Participants during a session: late arrivals and people who leave."""

from __future__ import annotations

from workshop.domain.operations.base import EditorBase


class ParticipantOperations(EditorBase):
    """Who takes part: late arrivals, people who leave."""
