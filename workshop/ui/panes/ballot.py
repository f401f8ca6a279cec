"""What rating and dot voting share around one laptop: the round, the voter, the reveal.

Both panes have the same shape: a line saying whose turn it is and who has voted, a list
to fill in (questions to rate, or proposals to dot), and results drawn as bars once the
facilitator reveals them. The ballot being filled in (the draft) stays in the pane until
Enter casts it; every change to the session goes through `self.editor`, and showing a
pane changes nothing (the first ballot opens the round). Pass-the-keyboard and anonymous
rounds never show a ballot once cast. See `rate.py` and `vote.py` for the two kinds, and
`ballot_round.py` for the round-wide keys (reveal, re-run, mode, late arrival, withdraw).
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
from workshop.domain.models.session import BALLOT_MODE_LABELS, RatingRound, VoteRound
from workshop.domain.operations import Change
from workshop.ui.panes.ballot_round import RoundCommands
from workshop.ui.panes.base import ActivityPane

BAR = "█"
# Ballots heard from elsewhere (a room of phones casting at once) are drawn together, once
# the burst has passed, not one redraw per ballot: each redraw held the loop that answers
# the phones, and broke up the burst the group commit gathers into one write. The
# console's own keys redraw at once. While a dialog covers the pane (the keys list, a
# question) they wait until it closes: a change under a dialog has the whole screen
# composed again, dimmed behind it, which cost the loop more than a hundred phones'
# requests did, while the facilitator was pressing keys in the dialog.
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

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._shown_lines: list[Text] = []

    def action_cursor_down(self) -> None:
        # A ballot is filled in top to bottom and a digit already moves on: down at the
        # last line stays there, rather than going round to the first, where the next
        # digit would overwrite an answer.
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if self.highlighted is None or self.highlighted > 0:
            super().action_cursor_up()

    def action_pane(self, what: str, value: int | None = None) -> None:
        pane = next((node for node in self.ancestors if isinstance(node, BallotPane)), None)
        if pane is not None:
            pane.on_key_action(what, value)

    def show(self, lines: list[Text]) -> None:
        """Show `lines`, one option each, keeping the highlighted row where it can.

        The same lines as shown are left as they are: a ballot heard from a phone moves
        the round, not the draft being filled in here, and building the list again had it
        drawn and laid out again with every burst of ballots."""
        if lines == self._shown_lines:
            return
        highlighted = self.highlighted or 0
        self.clear_options()
        self.add_options(lines)
        self._shown_lines = lines
        if self.option_count:
            self.highlighted = min(highlighted, self.option_count - 1)


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
        # Reveal, re-run, ballot mode, late arrival, abstain, withdraw.
        self.round_commands = RoundCommands(self)
        self._redraw_due = False
        # What the status line and the voter's list show now: the same is not set again.
        self._status: Text | None = None
        self._voters: list[tuple[str, str]] | None = None

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
        if not self.is_mounted:
            self._redraw_due = False
            return
        if not self.screen.is_active:
            # Under a dialog: drawn once the pane is in sight again (`_back_in_sight`).
            self.app.screen_change_signal.subscribe(self, self._back_in_sight)
            return
        self._redraw_due = False
        self.refresh_all()

    def _back_in_sight(self, screen: object) -> None:
        if screen is not self.screen or not self.is_mounted:
            return
        self.app.screen_change_signal.unsubscribe(self)
        # After the frame that shows the screen again: closing the dialog is not made to wait.
        self.set_timer(HEARD_REDRAW_SECONDS, self._redraw_after_changes, name="heard-ballots")

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
        if status != self._status:
            self._status = status
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
        voters = [(p.name, p.id) for p in waiting]
        if voters != self._voters:
            self._voters = voters
            select.set_options([(Text(name), id_) for name, id_ in voters])
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
            self.round_commands.last_voter = voter
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

    # The round-wide keys: see `workshop.ui.panes.ballot_round`.

    def action_reveal(self) -> None:
        self.round_commands.reveal()

    def action_abstain(self) -> None:
        self.round_commands.abstain()

    def action_withdraw(self) -> None:
        self.round_commands.withdraw()

    def action_late_arrival(self) -> None:
        self.round_commands.late_arrival()

    def action_rerun(self) -> None:
        self.round_commands.rerun()

    def action_choose_mode(self) -> None:
        self.round_commands.choose_mode()

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
