"""The voting settings of the setup form: dots per person, most on one item, ballot mode."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select

from workshop.domain.models.limits import MAX_DOTS
from workshop.domain.models.session import BALLOT_MODE_LABELS, VotingSettings
from workshop.ui.widgets.tick_box import TickBox


def voting_fields(voting: VotingSettings) -> ComposeResult:
    """The fields, filled from `voting`; the form reads them back by id (dots, cap, mode,
    facilitator-votes)."""
    yield Label("Voting")
    with Horizontal(classes="row"):
        with Vertical(classes="field"):
            yield Label("Dots per person")
            yield Input(str(voting.dots_per_person), id="dots", type="integer", max_length=len(str(MAX_DOTS)), compact=True)
        with Vertical(classes="field"):
            yield Label("Most on one item")  # whole at 80 columns
            yield Input(str(voting.max_per_item), id="cap", type="integer", max_length=len(str(MAX_DOTS)), compact=True)
        with Vertical(classes="field wide"):
            yield Label("Ballots")
            yield Select(
                [(label, mode) for mode, label in BALLOT_MODE_LABELS.items()],
                value=voting.mode,
                allow_blank=False,
                id="mode",
                compact=True,
            )
    yield TickBox("The facilitator votes too (added to the participants)", voting.facilitator_votes, id="facilitator-votes", compact=True)
