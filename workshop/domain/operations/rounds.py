"""Rounds: ratings and dot votes, in the four ballot modes, through to the reveal."""

from __future__ import annotations

from workshop.domain.operations.base import EditorBase


class RoundOperations(EditorBase):
    """Rating and dot-vote rounds: open, cast, abstain, withdraw, reveal, re-run, hands."""
