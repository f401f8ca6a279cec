"""What rating and dot voting share around one laptop: the round, the voter, the reveal.

Both panes have the same shape: a line saying whose turn it is and who has voted, a list
to fill in (questions to rate, or proposals to dot), and results drawn as bars once the
facilitator reveals them. The ballot being filled in (the draft) stays in the pane until
Enter casts it; every change to the session goes through `self.editor`, and showing a
pane changes nothing (the first ballot opens the round). Pass-the-keyboard and anonymous
rounds never show a ballot once cast. See `rate.py` and `vote.py` for the two kinds.
"""

from __future__ import annotations

from typing import Any, Callable, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Select, Static

from workshop.domain.errors import Refused
from workshop.domain.models.limits import SHORT_TEXT_CHARACTERS
from workshop.domain.models.session import BALLOT_MODE_LABELS, DotBallot, RatingBallot, RatingRound, VoteRound
from workshop.domain.operations import Change
from workshop.ui.panes.base import ActivityPane
from workshop.ui.undo import record_step
from workshop.ui.widgets.confirm import Confirm

BAR = "█"
# Ballots heard from elsewhere (a room of phones casting at once) are drawn together, once
# the burst has passed, not one redraw per ballot: each redraw held the loop that answers
# the phones (and, under a dialog, drew the dimmed screen behind it again), and broke up
# the burst the group commit gathers into one write. The console's own keys redraw at once.
HEARD_REDRAW_SECONDS = 0.1
NOBODY_TO_VOTE = "Nobody is here to vote yet: press l to add someone who has arrived."


def bar(count: int, largest: int, width: int = 20) -> str:
    """A bar proportional to `count`, at least one block for any non-zero count."""
    if count <= 0 or largest <= 0:
        return ""
    return BAR * max(1, round(width * count / largest))


class BallotList(OptionList):
    """The list being filled in; digits and arrows go to the pane."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "pane('more')", "More", id="ballot.more"),
        Binding("left", "pane('less')", "Less", id="ballot.less"),
        Binding("enter", "pane('cast')", "Cast ballot", id="ballot.cast"),
        Binding("c", "pane('clear')", "Clear", id="ballot.clear", show=False),
        *(Binding(str(digit), f"pane('set', {digit})", str(digit), show=False) for digit in range(10)),
    ]

    def action_pane(self, what: str, value: int | None = None) -> None:
        pane = next((node for node in self.ancestors if isinstance(node, BallotPane)), None)
        if pane is not None:
            pane.on_key_action(what, value)


class BallotPane(ActivityPane):
    """What rating and voting share: the round, the voter, the reveal."""

    DEFAULT_CSS = """
    BallotPane #ballot-intro { text-style: bold; }
    BallotPane #ballot-status { height: auto; margin-bottom: 1; }
    BallotPane #voter { width: 40; margin-bottom: 1; }
    BallotPane BallotList { height: 1fr; min-height: 4; }
    BallotPane #results-scroll { height: 1fr; scrollbar-size-vertical: 1; }
    BallotPane.-revealed BallotList, BallotPane.-revealed #voter { display: none; }
    BallotPane #results-scroll { display: none; }
    BallotPane.-revealed #results-scroll { display: block; }
    """

    BINDINGS = [
        Binding("r", "reveal", "Reveal", id="ballot.reveal"),
        Binding("z", "abstain", "Abstain", id="ballot.abstain", show=False),
        Binding("w", "withdraw", "Withdraw last", id="ballot.withdraw", show=False),
        Binding("ctrl+r", "rerun", "Re-run", id="ballot.rerun", show=False),
        Binding("m", "choose_mode", "Ballot mode…", id="ballot.mode", show=False),
        Binding("l", "late_arrival", "Late arrival", id="ballot.late"),
    ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # The ballot being filled in, until Enter casts it (question or proposal id -> value).
        self.draft: dict[str, int] = {}
        # Whose ballot the draft is: choosing someone else starts a fresh one.
        self.draft_voter: str | None = None
        # Who cast the last ballot here, so "withdraw" can undo a mis-keyed one.
        self.last_voter: str | None = None
        self._redraw_due = False

    def compose(self) -> ComposeResult:
        intro = self.intro()
        if intro:
            yield Static(Text(intro), id="ballot-intro")
        yield Static("", id="ballot-status")
        yield Select([], prompt="Who is voting?", id="voter", compact=True)
        yield BallotList(id="ballot")
        with VerticalScroll(id="results-scroll"):
            yield Static("", id="results")

    def on_mount(self) -> None:
        self.refresh_all()

    def session_changed(self, change: Change) -> None:
        # A ballot from a phone, a late arrival, a new proposal: the counts and lists move.
        # Redrawn once for a burst (see HEARD_REDRAW_SECONDS), after the changes.
        if change.area in ("rounds", "participants", "proposals") and not self._redraw_due:
            self._redraw_due = True
            self.set_timer(HEARD_REDRAW_SECONDS, self._redraw_after_changes, name="heard-ballots")

    def _redraw_after_changes(self) -> None:
        self._redraw_due = False
        if self.is_mounted:
            self.refresh_all()

    def focus_input(self) -> bool:
        # Once revealed the list is hidden: the keys go to the results, which scroll.
        self.query_one("#results-scroll" if self.revealed else "#ballot").focus()
        return True

    def holds_input(self) -> bool:
        """Whether a ballot is being filled in: auto-advance waits for it."""
        return bool(self.draft)

    # -- the round (read through the editor; opened by the first ballot) ----------------

    @property
    def activity_id(self) -> str:
        return self.activity.id or ""

    @property
    def ballot_round(self) -> RatingRound | VoteRound | None:
        return self.editor.current_round(self.activity_id)

    @property
    def hands(self) -> bool:
        return self.editor.ballot_mode(self.activity_id) == "hands"

    @property
    def secret(self) -> bool:
        """Whether the ballot being filled in hides its values (●): anonymous and pass the keyboard.

        The console may be mirrored to the projector: the room must not see a ballot.
        """
        return self.editor.ballot_mode(self.activity_id) in ("anonymous", "passed")

    @property
    def anonymous(self) -> bool:
        return self.editor.ballot_mode(self.activity_id) == "anonymous"

    @property
    def revealed(self) -> bool:
        current = self.ballot_round
        return current is not None and current.revealed

    def intro(self) -> str:
        """The pack's words for the room above the ballot (a rating's intro, a vote's prompt)."""
        return ""

    def hands_hint(self) -> str:
        """What the keys do in a show of hands (the status line says it)."""
        raise NotImplementedError

    def problem(self) -> str | None:
        """Why nothing can be voted on here yet (a vote with no proposals, say)."""
        return None

    # -- drawing -----------------------------------------------------------------------

    def refresh_all(self) -> None:
        self.set_class(self.revealed, "-revealed")
        self._refresh_status()
        self._refresh_voters()
        self._refresh_ballot()
        if self.revealed:
            self.query_one("#results", Static).update(self.results())
            ballot = self.query_one(BallotList)
            if ballot.has_focus:
                # Hidden now: without this the arrows would reach nothing and results
                # below the fold could not be scrolled to.
                self.query_one("#results-scroll", VerticalScroll).focus()

    def _refresh_status(self) -> None:
        status = Text()
        problem = self.problem()
        current = self.ballot_round
        if problem is not None:
            status.append(problem)
        elif not any(participant.present for participant in self.session.participants):
            status.append(BALLOT_MODE_LABELS[self.editor.ballot_mode(self.activity_id)], style="bold")
            status.append(f" · {NOBODY_TO_VOTE}")
        else:
            status.append(BALLOT_MODE_LABELS[self.editor.ballot_mode(self.activity_id)], style="bold")
            if self.hands:
                status.append(f" · {self.hands_hint()}; r reveals")
            else:
                waiting = self.editor.who_has_not_voted(self.activity_id)
                voted = len(current.voted) if current else 0
                anonymous = self.editor.ballot_mode(self.activity_id) == "anonymous"
                if anonymous:
                    # Counts only: the projected screen never says who is still to vote.
                    eligible = sum(1 for participant in self.session.participants if participant.present)
                    status.append(f" · {voted} of {eligible} voted")
                else:
                    status.append(f" · {voted} voted")
                if current is not None and current.abstained:
                    status.append(f", {len(current.abstained)} abstained")
                if self.revealed:
                    pass  # nobody is waited for once the results are out (re-run to vote again)
                elif waiting:
                    if not anonymous:
                        status.append(" · waiting for " + ", ".join(p.name for p in waiting))
                else:
                    status.append(" · everyone has voted: r reveals")
            if self.revealed:
                status.append(" · revealed (ctrl+r re-runs)")
        self.query_one("#ballot-status", Static).update(status)

    def _refresh_voters(self) -> None:
        select = self.query_one("#voter", Select)
        shown = not self.hands and self.problem() is None and not self.revealed
        # Anonymous: nobody's name is on the screen while they fill in their ballot (the
        # next person still to vote would otherwise be named); the pane picks the voter.
        select.display = shown and not self.anonymous
        if not shown:
            return
        waiting = self.editor.who_has_not_voted(self.activity_id)
        chosen = self.voter()
        # Text, not strings: a name such as "x [/] y" is shown as typed, never read as markup.
        select.set_options([(Text(p.name), p.id) for p in waiting])
        if not waiting:
            return
        # Whoever was chosen keeps their turn while they have not voted; otherwise (pass
        # the keyboard) the screen names who is next. Set here, not left to the Changed
        # message, so keys pressed before that message arrives go to the right draft.
        voter = chosen if chosen in {p.id for p in waiting} else waiting[0].id
        if voter != self.draft_voter:
            self.draft, self.draft_voter = {}, voter
        select.value = voter

    def voter(self) -> str | None:
        value = self.query_one("#voter", Select).value
        return None if value is Select.NULL else str(value)

    def _refresh_ballot(self) -> None:
        raise NotImplementedError

    def _bar_width(self) -> int:
        # Bars share the line with counts and the proposal: narrower on small screens.
        return max(6, min(20, (self.size.width or 60) // 5))

    def results(self) -> Text:
        raise NotImplementedError

    # -- keys --------------------------------------------------------------------------

    def on_key_action(self, what: str, value: int | None) -> None:
        raise NotImplementedError

    def attempt(self, operation: Callable[..., Change | None], *args: Any) -> bool:
        """Run an editor operation; a refusal is shown, never raised. True when it went through."""
        try:
            operation(*args)
        except Refused as error:
            self.notify(error.reason, severity="error", timeout=6, markup=False)
            return False
        self.refresh_all()
        return True

    def cast(self, operation: Callable[..., Change], ballot: dict[str, int]) -> None:
        """Cast the draft for the chosen voter, then make way for the next one."""
        voter = self.voter()
        if voter is None:
            self.notify("Choose who is voting first.", severity="warning")
            return
        if self.attempt(operation, self.activity_id, voter, ballot):
            self.last_voter = voter
            self.draft = {}
            # The next person starts at the top of the list.
            self.query_one(BallotList).highlighted = 0
            self._refresh_ballot()
            self._pass_on()

    def _pass_on(self) -> None:
        """In a secret round, hold a "pass to the next person" screen until a key is pressed.

        The next voter then starts on a fresh ballot, and the one who just voted has
        looked away from it; an anonymous round never names who is next.
        """
        waiting = self.editor.who_has_not_voted(self.activity_id)
        if not self.secret or not waiting:
            return
        from workshop.ui.widgets.pass_on import PassOn

        current = self.ballot_round
        cast = len(current.voted) if current is not None else 0
        eligible = cast + len(waiting) + (len(current.abstained) if current is not None else 0)
        next_name = None if self.anonymous else waiting[0].name
        self.app.push_screen(PassOn(cast=cast, eligible=eligible, next_name=next_name), self._passed_on)

    def _passed_on(self, _: None) -> None:
        if self.is_mounted:
            self.focus_input()

    def action_reveal(self) -> None:
        if self.read_only or self.revealed:
            return
        self.ask_first(
            self.not_in_yet(),
            "Reveal the results now? Nobody can vote in this round afterwards.",
            "Reveal",
            lambda: self.attempt(self.editor.reveal, self.activity_id),
        )

    def action_abstain(self) -> None:
        voter = self.voter()
        if voter and not self.read_only and self.attempt(self.editor.abstain, self.activity_id, voter):
            # The abstention is the last thing done here: `w` takes back this, not an
            # earlier person's ballot.
            self.last_voter = voter

    def action_withdraw(self) -> None:
        # Undo the last ballot cast (a mis-keyed one, say), before the reveal; anonymous
        # rounds refuse, since their ballots cannot be told apart.
        if self.read_only or self.last_voter is None:
            self.notify("No ballot to withdraw in this visit.", timeout=2)
            return
        voter, current = self.last_voter, self.ballot_round
        earlier = next((ballot for ballot in current.ballots if ballot.voter == voter), None) if current else None
        abstained = current is not None and voter in current.abstained
        if self.attempt(self.editor.withdraw, self.activity_id, voter):
            self.last_voter = None
            person = self.session.participant(voter)
            what = "abstention" if abstained else "ballot"
            # An anonymous round never names anyone on the console (it may be projected).
            whose = "the last" if self.editor.ballot_mode(self.activity_id) == "anonymous" or person is None else f"{person.name}'s"
            self.notify(f"Withdrew {whose} {what} (u takes it back).", timeout=4, markup=False)
            if abstained:
                record_step(self, "Withdraw", lambda: self.editor.abstain(self.activity_id, voter))
            if isinstance(earlier, RatingBallot):
                answers = dict(earlier.answers)
                record_step(self, "Withdraw", lambda: self.editor.cast_rating(self.activity_id, voter, answers))
            elif isinstance(earlier, DotBallot):
                dots = dict(earlier.dots)
                record_step(self, "Withdraw", lambda: self.editor.cast_dots(self.activity_id, voter, dots))

    def action_late_arrival(self) -> None:
        """Add someone who arrived after the start; they can vote in this round at once."""
        if self.read_only:
            return
        from workshop.ui.widgets.ask_text import AskText

        def answered(name: str | None) -> None:
            if not name or not name.strip():
                return
            try:
                change = self.editor.add_late_arrival(name)
            except Refused as error:
                self.notify(error.reason, severity="error", markup=False)
                return
            person = self.session.participant(change.ids[0])
            self.notify(f"{person.name if person else name} joins the session and can vote now.", timeout=2.5, markup=False)
            self.refresh_all()

        self.app.push_screen(AskText("Who has just arrived? (name)", placeholder="Name", max_length=SHORT_TEXT_CHARACTERS), answered)

    def action_rerun(self) -> None:
        current = self.ballot_round
        if current is None or self.read_only:
            return

        def rerun() -> None:
            if self.attempt(self.editor.rerun, self.activity_id):
                self.notify("A new round is open; the earlier one stays in the file.", timeout=2.5)

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
        current = self.ballot_round
        if current is None or current.mode == "hands":
            return None
        if not current.voted:
            return Text("Nobody has voted in this round yet.")
        waiting = self.editor.who_has_not_voted(self.activity_id)
        if waiting and self.anonymous:
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
        self.app.push_screen(Confirm(Text.assemble(concern, "\n\n", question), yes=yes, no="Go back"), answered)

    def action_choose_mode(self) -> None:
        """Choose this round's ballot mode: opening the round in it, or re-running it in it."""
        if self.read_only:
            return
        from workshop.ui.widgets.choose_option import ChooseOption

        current = self.ballot_round
        now = self.editor.ballot_mode(self.activity_id)
        choices = [(mode, f"{label}{' (now)' if mode == now else ''}") for mode, label in BALLOT_MODE_LABELS.items()]

        def chosen(mode: str | None) -> None:
            if mode is None or (current is not None and mode == current.mode):
                return
            if current is None:
                if self.attempt(self.editor.open_round, self.activity_id, mode):
                    self.notify(f"This round is {BALLOT_MODE_LABELS[mode]}.", timeout=2.5)
                return

            def rerun() -> None:
                if self.attempt(self.editor.rerun, self.activity_id, mode):
                    self.notify(f"A new round is open ({BALLOT_MODE_LABELS[mode]}); the earlier one stays in the file.", timeout=2.5)

            concern = Text("Ballots have been cast in this round.") if current.voted or current.abstained else None
            self.ask_first(concern, f"Re-run the round as {BALLOT_MODE_LABELS[mode]}?", "Re-run", rerun)

        question = "Ballot mode for this round" if current is None else "Re-run this round in which ballot mode?"
        self.app.push_screen(ChooseOption(question, choices), chosen)

    @on(Select.Changed, "#voter")
    def _voter_changed(self) -> None:
        # The current value rather than the event's: refreshing the options can pass
        # through "no one" and back to the same voter, whose draft then stays.
        voter = self.voter()
        if voter == self.draft_voter:
            return
        self.draft_voter = voter
        self.draft = {}
        # A new voter starts at the top, so no question is skipped without a word.
        self.query_one(BallotList).highlighted = 0
        self._refresh_ballot()
