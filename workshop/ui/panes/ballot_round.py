"""What the facilitator does to a ballot round as a whole, from the ballot pane's keys.

Reveal, re-run, choose the ballot mode, add a late arrival, abstain, and withdraw the last
ballot or abstention. Each asks first when it cannot simply be taken back (a reveal with
people still to vote, a re-run, a withdrawal), then changes the session only through the
pane's editor. The console may be mirrored to the projector: in an anonymous round no
question or message here names a voter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from rich.text import Text

from workshop.domain.errors import Refused
from workshop.domain.models.limits import SHORT_TEXT_CHARACTERS
from workshop.domain.models.session import BALLOT_MODE_LABELS, DotBallot, RatingBallot
from workshop.ui.undo import record_step
from workshop.ui.widgets.confirm import Confirm

if TYPE_CHECKING:
    from workshop.ui.panes.ballot import BallotPane


class RoundCommands:
    """The round-wide keys of one ballot pane (r, ctrl+r, m, l, z, w)."""

    def __init__(self, pane: BallotPane):
        self.pane = pane
        # Who cast (or abstained) last here, so `w` can take back a mis-keyed one.
        self.last_voter: str | None = None

    @property
    def activity_id(self) -> str:
        return self.pane.activity_id

    def reveal(self) -> None:
        pane = self.pane
        if pane.read_only or pane.revealed:
            return
        self.ask_first(
            self.not_in_yet(),
            "Reveal the results now? Nobody can vote in this round afterwards.",
            "Reveal",
            lambda: pane.attempt(pane.editor.reveal, self.activity_id),
        )

    def abstain(self) -> None:
        pane = self.pane
        voter = pane.voter()
        if voter and not pane.read_only and pane.attempt(pane.editor.abstain, self.activity_id, voter):
            # The abstention is the last thing done here: `w` takes back this, not an
            # earlier person's ballot.
            self.last_voter = voter

    def withdraw(self) -> None:
        """Take back the last ballot or abstention made here (a mis-keyed one), after asking.

        The question says what goes and whose; an anonymous round names nobody, and its
        ballots cannot be told apart, so withdrawing one is refused without asking.
        """
        pane = self.pane
        if pane.read_only or self.last_voter is None:
            pane.notify("No ballot to withdraw in this visit.", timeout=2)
            return
        voter, current = self.last_voter, pane.ballot_round
        abstained = current is not None and voter in current.abstained
        if pane.anonymous and not abstained:
            pane.attempt(pane.editor.withdraw, self.activity_id, voter)  # refused, saying why
            return
        what = f"{self._whose(voter)} {'abstention' if abstained else 'ballot'}"

        def answered(yes: bool | None) -> None:
            if yes and pane.is_mounted:
                self._withdraw(voter, what)

        question = Text(f"Withdraw {what}? It no longer counts in this round; u puts it back.")
        pane.app.push_screen(Confirm(question, yes="Withdraw", no="Keep it"), answered)

    def _whose(self, voter: str) -> str:
        person = self.pane.session.participant(voter)
        # An anonymous round never names anyone on the console (it may be projected).
        return "the last" if self.pane.anonymous or person is None else f"{person.name}'s"

    def _withdraw(self, voter: str, what: str) -> None:
        pane = self.pane
        if self.last_voter != voter:
            return  # something else was cast or withdrawn meanwhile (a phone's ballot)
        current = pane.ballot_round
        earlier = next((ballot for ballot in current.ballots if ballot.voter == voter), None) if current else None
        abstained = current is not None and voter in current.abstained
        if not pane.attempt(pane.editor.withdraw, self.activity_id, voter):
            return
        self.last_voter = None
        pane.notify(f"Withdrew {what} (u takes it back).", timeout=4, markup=False)
        editor, activity_id = pane.editor, self.activity_id
        if abstained:
            record_step(pane, "Withdraw", lambda: editor.abstain(activity_id, voter))
        elif isinstance(earlier, RatingBallot):
            answers = dict(earlier.answers)
            record_step(pane, "Withdraw", lambda: editor.cast_rating(activity_id, voter, answers))
        elif isinstance(earlier, DotBallot):
            dots = dict(earlier.dots)
            record_step(pane, "Withdraw", lambda: editor.cast_dots(activity_id, voter, dots))

    def late_arrival(self) -> None:
        """Add someone who arrived after the start; they can vote in this round at once."""
        pane = self.pane
        if pane.read_only:
            return
        from workshop.ui.widgets.ask_text import AskText

        def answered(name: str | None) -> None:
            if not name or not name.strip():
                return
            try:
                change = pane.editor.add_late_arrival(name)
            except Refused as error:
                pane.notify(error.reason, severity="error", markup=False)
                return
            person = pane.session.participant(change.ids[0])
            pane.notify(f"{person.name if person else name} joins the session and can vote now.", timeout=2.5, markup=False)
            pane.refresh_all()

        pane.app.push_screen(AskText("Who has just arrived? (name)", placeholder="Name", max_length=SHORT_TEXT_CHARACTERS), answered)

    def rerun(self) -> None:
        pane = self.pane
        current = pane.ballot_round
        if current is None or pane.read_only:
            return

        def rerun() -> None:
            if pane.attempt(pane.editor.rerun, self.activity_id):
                pane.notify("A new round is open; the earlier one stays in the file.", timeout=2.5)

        cast = len(current.voted)
        kept = (
            f"The {cast} ballots cast so far stay in the file but no longer count."
            if cast > 1
            else "The ballot cast so far stays in the file but no longer counts."
            if cast
            else ""
        )
        self.ask_first(self.not_in_yet(), f"Re-run the round? {kept}".strip(), "Re-run", rerun)

    def not_in_yet(self) -> Text | None:
        """Why the round may not be ready to end: who is still to vote, or that nobody has."""
        pane = self.pane
        current = pane.ballot_round
        if current is None or current.mode == "hands":
            return None
        if not current.voted:
            return Text("Nobody has voted in this round yet.")
        waiting = pane.editor.who_has_not_voted(self.activity_id)
        if waiting and pane.anonymous:
            return Text(f"Still to vote: {len(waiting)} (an anonymous round names nobody).")
        if waiting:
            return Text("Still to vote: " + ", ".join(person.name for person in waiting) + ".")
        return None

    def ask_first(self, concern: Text | None, question: str, yes: str, act: Callable[[], object]) -> None:
        """Act at once when there is nothing to worry about; otherwise say what and ask."""
        if concern is None:
            act()
            return

        def answered(go_ahead: bool | None) -> None:
            if go_ahead:
                act()

        # A Text, not a string: the dialog then shows names exactly as typed, never as markup.
        self.pane.app.push_screen(Confirm(Text.assemble(concern, "\n\n", question), yes=yes, no="Go back"), answered)

    def choose_mode(self) -> None:
        """Choose this round's ballot mode: opening the round in it, or re-running it in it."""
        pane = self.pane
        if pane.read_only:
            return
        from workshop.ui.widgets.choose_option import ChooseOption

        current = pane.ballot_round
        now = pane.editor.ballot_mode(self.activity_id)
        choices = [(mode, f"{label}{' (now)' if mode == now else ''}") for mode, label in BALLOT_MODE_LABELS.items()]

        def chosen(mode: str | None) -> None:
            if mode is None or (current is not None and mode == current.mode):
                return
            if current is None:
                if pane.attempt(pane.editor.open_round, self.activity_id, mode):
                    pane.notify(f"This round is {BALLOT_MODE_LABELS[mode]}.", timeout=2.5)
                return

            def rerun() -> None:
                if pane.attempt(pane.editor.rerun, self.activity_id, mode):
                    pane.notify(f"A new round is open ({BALLOT_MODE_LABELS[mode]}); the earlier one stays in the file.", timeout=2.5)

            concern = Text("Ballots have been cast in this round.") if current.voted or current.abstained else None
            self.ask_first(concern, f"Re-run the round as {BALLOT_MODE_LABELS[mode]}?", "Re-run", rerun)

        question = "Ballot mode for this round" if current is None else "Re-run this round in which ballot mode?"
        pane.app.push_screen(ChooseOption(question, choices), chosen)
