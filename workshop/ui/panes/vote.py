"""Dot voting across the proposals so far: N dots a person, at most M on one."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.widgets import OptionList

from workshop.domain.ballots import NO_PROPOSALS
from workshop.domain.models.pack import VoteActivity
from workshop.domain.models.session import VoteRound
from workshop.domain.tally import TIE_RULE, rank_proposals
from workshop.domain.text import plural
from workshop.ui.panes.ballot import BallotList, BallotPane, bar


class VotePane(BallotPane):
    """Arrows put dots on the highlighted proposal and take them off; Enter casts."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # In a show of hands, the row whose count is being typed: a further digit extends
        # it; the first digit after arriving on a row starts a new count.
        self.typing_row: int | None = None

    def intro(self) -> str:
        return self.activity.prompt if isinstance(self.activity, VoteActivity) else ""

    def hands_hint(self) -> str:
        return "digits type the count for each proposal, → adds one, ← takes one off, c clears"

    @on(OptionList.OptionHighlighted, "#ballot")
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index != self.typing_row:
            self.typing_row = None

    def problem(self) -> str | None:
        return NO_PROPOSALS if not self._proposals() else None

    def _proposals(self) -> list[str]:
        return self.editor.ballot_proposals(self.activity_id)

    def _limits(self) -> tuple[int, int]:
        """Dots per person and most dots on one proposal: the round's, or the session's for a new one."""
        current = self.ballot_round
        if isinstance(current, VoteRound):
            return current.dots_per_person, current.max_per_item
        return self.session.voting.dots_per_person, self.session.voting.max_per_item

    def _hands_counts(self) -> dict[str, int]:
        current = self.ballot_round
        return dict(current.hands) if isinstance(current, VoteRound) else {}

    def _text_of(self, proposal_id: str) -> str:
        proposal = next((p for p in self.session.proposals if p.id == proposal_id), None)
        return proposal.text if proposal else "(removed proposal)"

    def _refresh_ballot(self) -> None:
        ballot = self.query_one(BallotList)
        if self.problem() is not None:
            ballot.show([])
            return
        _, cap = self._limits()
        counts = self._hands_counts() if self.hands else self.draft
        # A secret round marks a proposal that has dots, never how many.
        secret = self.secret and not self.hands
        lines = []
        for proposal_id in self._proposals():
            dots = counts.get(proposal_id, 0)
            line = Text()
            if secret:
                line.append(("●" if dots else "·") + "  ", style="bold")
            else:
                line.append(("●" * dots).ljust(cap if not self.hands else 4) + f" {dots:>2}  ", style="bold")
            line.append(self._text_of(proposal_id))
            lines.append(line)
        ballot.show(lines)
        self._refresh_budget()

    def _refresh_budget(self) -> None:
        if not self.hands and not self.revealed and self.problem() is None:
            budget, cap = self._limits()
            used = sum(self.draft.values())
            # The footer says Enter casts: at 80 columns these words are all the title has room for.
            # A secret round's title never moves with the ballot (dots left would tell it).
            title = f"Secret: {budget} dots each · at most {cap} on one" if self.secret else (f"Dots left: {budget - used} of {budget} · at most {cap} on one")
            ballot = self.query_one(BallotList)
            if ballot.border_title != title:  # setting it draws the list again, the same or not
                ballot.border_title = title

    def on_key_action(self, what: str, value: int | None) -> None:
        if self.read_only or self.revealed or self.problem() is not None:
            return
        ballot = self.query_one(BallotList)
        if ballot.highlighted is None and what != "cast":
            return
        if what == "cast":
            if not self.hands:
                self.cast(self.editor.cast_dots, dict(self.draft))
            return
        assert ballot.highlighted is not None
        proposal_id = self._proposals()[ballot.highlighted]
        if self.hands:
            counts = self._hands_counts()
            current = counts.get(proposal_id, 0)
            typing, self.typing_row = self.typing_row == ballot.highlighted, None
            if what == "more":
                counts[proposal_id] = current + 1
            elif what == "less":
                counts[proposal_id] = max(0, current - 1)
            elif what == "set" and value is not None:
                counts[proposal_id] = current * 10 + value if typing else value
                self.typing_row = ballot.highlighted
            elif what == "clear":
                counts[proposal_id] = 0
            else:
                return
            self.attempt(self.editor.set_hands, self.activity_id, counts)
            return
        budget, cap = self._limits()
        current = self.draft.get(proposal_id, 0)
        used = sum(self.draft.values())
        if what == "more":
            if current >= cap:
                self.notify(f"At most {plural(cap, 'dot')} on one proposal.", severity="warning", timeout=3)
                return
            if used >= budget:
                self.notify("No dots left: take one back first (left arrow).", severity="warning", timeout=3)
                return
            self._set_draft(proposal_id, current + 1)
        elif what == "less" and current:
            self._set_draft(proposal_id, current - 1)
        elif what == "set" and value is not None:
            # A typed number is held to the same limits as the arrows (it used to stand
            # until the cast was refused).
            if value > cap:
                self.notify(f"At most {plural(cap, 'dot')} on one proposal.", severity="warning", timeout=3)
                return
            if used - current + value > budget:
                self.notify(f"That is more than your {plural(budget, 'dot')}: take some back first.", severity="warning", timeout=3)
                return
            self._set_draft(proposal_id, value)
        elif what == "clear":
            self._set_draft(proposal_id, 0)
        self._refresh_ballot()

    def _set_draft(self, proposal_id: str, dots: int) -> None:
        # No entry for no dots, so an empty draft means nothing is being filled in.
        if dots:
            self.draft[proposal_id] = dots
        else:
            self.draft.pop(proposal_id, None)

    def results(self) -> Text:
        current = self.ballot_round
        assert isinstance(current, VoteRound)
        ranking = rank_proposals(current)
        largest = max((item.dots for item in ranking), default=0)
        out = Text()
        for item in ranking:
            out.append(f"{item.place_label:>3} ", style="bold")
            out.append(bar(item.dots, largest, self._bar_width()).ljust(self._bar_width()), style="cyan")
            voters = f", {item.voters} voter{'' if item.voters == 1 else 's'}" if item.voters is not None else ""
            out.append(f" {plural(item.dots, 'dot')}{voters}  ")
            out.append(self._text_of(item.proposal_id) + "\n")
        out.append("\n" + TIE_RULE, style="dim")
        return out
