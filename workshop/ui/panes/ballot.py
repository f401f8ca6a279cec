"""Rating and dot voting around one laptop: ballots in four modes, then the reveal.

Both panes share the shape: a line saying whose turn it is and who has voted, a list
to fill in (questions to rate, or proposals to dot), and results drawn as bars once the
facilitator reveals them. Every ballot is written into the session as it is cast.
Pass-the-keyboard and anonymous rounds never show a ballot once cast.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Select, Static
from textual.widgets.option_list import Option

from workshop.domain.ballots import (
    BallotError,
    abstain,
    cast_dot_ballot,
    cast_rating_ballot,
    open_rating_round,
    open_vote_round,
    rating_questions,
    rerun,
    reveal,
    set_hands,
    who_has_not_voted,
    withdraw,
)
from workshop.domain.models.base import utc_now
from workshop.domain.models.pack import RateActivity, VoteActivity
from workshop.domain.models.session import (
    BALLOT_MODE_LABELS,
    Participant,
    RatingRound,
    VoteRound,
)
from workshop.domain.new_session import participant_id
from workshop.domain.tally import (
    LOW_AGREEMENT_RULE,
    TIE_RULE,
    current_round,
    rank_proposals,
    summarise_rating_round,
)
from workshop.domain.text import clean_line
from workshop.ui.panes.base import ActivityPane

BAR = "█"


def bar(count: int, largest: int, width: int = 20) -> str:
    """A bar proportional to `count`, at least one block for any non-zero count."""
    if count <= 0 or largest <= 0:
        return ""
    return BAR * max(1, round(width * count / largest))


class BallotList(OptionList):
    """The list being filled in; digits and arrows go to the pane."""

    BINDINGS = [
        Binding("right", "pane('more')", "More", id="ballot.more"),
        Binding("left", "pane('less')", "Less", id="ballot.less"),
        Binding("enter", "pane('cast')", "Cast ballot", id="ballot.cast"),
        Binding("c", "pane('clear')", "Clear", id="ballot.clear", show=False),
    ] + [Binding(str(digit), f"pane('set', {digit})", str(digit), show=False) for digit in range(10)]

    def action_pane(self, what: str, value: int | None = None) -> None:
        pane = next((node for node in self.ancestors if isinstance(node, BallotPane)), None)
        if pane is not None:
            pane.on_key_action(what, value)


class BallotPane(ActivityPane):
    """What rating and voting share: the round, the voter, the reveal."""

    DEFAULT_CSS = """
    BallotPane #ballot-status { height: auto; margin-bottom: 1; }
    BallotPane #voter { width: 40; margin-bottom: 1; }
    BallotPane BallotList { height: 1fr; min-height: 4; }
    BallotPane #results-scroll { height: 1fr; }
    BallotPane.-revealed BallotList, BallotPane.-revealed #voter { display: none; }
    BallotPane #results-scroll { display: none; }
    BallotPane.-revealed #results-scroll { display: block; }
    """

    BINDINGS = [
        Binding("r", "reveal", "Reveal", id="ballot.reveal"),
        Binding("z", "abstain", "Abstain", id="ballot.abstain", show=False),
        Binding("w", "withdraw", "Withdraw last", id="ballot.withdraw", show=False),
        Binding("ctrl+r", "rerun", "Re-run", id="ballot.rerun", show=False),
        Binding("l", "late_arrival", "Late arrival", id="ballot.late"),
    ]

    ballot_round: RatingRound | VoteRound | None = None
    # Who cast the last ballot here, so "withdraw" can undo a mis-keyed one.
    last_voter: str | None = None
    # Why no round could be opened (no proposals yet, say).
    problem: str | None = None

    def compose(self) -> ComposeResult:
        self._ensure_round()
        yield Static("", id="ballot-status")
        yield Select([], prompt="Who is voting?", id="voter", compact=True)
        yield BallotList(id="ballot")
        with VerticalScroll(id="results-scroll"):
            yield Static("", id="results")

    def on_mount(self) -> None:
        self.refresh_all()

    def focus_input(self) -> bool:
        self.query_one(BallotList).focus()
        return True

    # -- the round ---------------------------------------------------------------------

    def _rounds(self):
        raise NotImplementedError

    def _open_round(self):
        raise NotImplementedError

    def _ensure_round(self) -> None:
        self.ballot_round = current_round(self._rounds(), self.activity.id or "")
        if self.ballot_round is None and not self.read_only:
            try:
                self.ballot_round = self._open_round()
            except BallotError as error:
                # Shown in the pane's status line, where it stays while it is true.
                self.problem = error.reason
                return
            self.changed()

    @property
    def hands(self) -> bool:
        return self.ballot_round is not None and self.ballot_round.mode == "hands"

    # -- drawing -----------------------------------------------------------------------

    def refresh_all(self) -> None:
        self.set_class(bool(self.ballot_round and self.ballot_round.revealed), "-revealed")
        self._refresh_status()
        self._refresh_voters()
        self._refresh_ballot()
        if self.ballot_round is not None and self.ballot_round.revealed:
            self.query_one("#results", Static).update(self.results())

    def _refresh_status(self) -> None:
        status = Text()
        if self.ballot_round is None:
            status.append(self.problem or "No round is open.")
        else:
            status.append(f"{BALLOT_MODE_LABELS[self.ballot_round.mode]}", style="bold")
            if self.hands:
                status.append(" · type the counts: digits add one, 0 clears; r reveals")
            else:
                waiting = who_has_not_voted(self.session, self.ballot_round)
                status.append(f" · {len(self.ballot_round.voted)} voted")
                if self.ballot_round.abstained:
                    status.append(f", {len(self.ballot_round.abstained)} abstained")
                if waiting:
                    status.append(" · waiting for " + ", ".join(p.name for p in waiting))
                elif not self.ballot_round.revealed:
                    status.append(" · everyone has voted: r reveals")
            if self.ballot_round.revealed:
                status.append(" · revealed (ctrl+r re-runs)")
        self.query_one("#ballot-status", Static).update(status)

    def _refresh_voters(self) -> None:
        select = self.query_one("#voter", Select)
        select.display = not self.hands and self.ballot_round is not None and not self.ballot_round.revealed
        if self.ballot_round is None or self.hands:
            return
        waiting = who_has_not_voted(self.session, self.ballot_round)
        select.set_options([(p.name, p.id) for p in waiting])
        if waiting:
            # Pass the keyboard: the screen names whose turn it is.
            select.value = waiting[0].id

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

    def _attempt(self, operation, *args, **kwargs) -> bool:
        try:
            operation(*args, **kwargs)
        except BallotError as error:
            self.notify(error.reason, severity="error", timeout=6)
            return False
        self.changed()
        self.refresh_all()
        return True

    def action_reveal(self) -> None:
        if self.ballot_round is not None and not self.read_only:
            self._attempt(reveal, self.ballot_round)

    def action_abstain(self) -> None:
        voter = self.voter()
        if self.ballot_round is not None and voter and not self.read_only:
            self._attempt(abstain, self.session, self.ballot_round, voter)

    def action_withdraw(self) -> None:
        # Undo the last ballot cast (a mis-keyed one, say), before the reveal; anonymous
        # rounds refuse, since their ballots cannot be told apart.
        if self.ballot_round is None or self.read_only or self.last_voter is None:
            self.notify("No ballot to withdraw in this visit.", timeout=3)
            return
        if self._attempt(withdraw, self.session, self.ballot_round, self.last_voter):
            self.last_voter = None

    def action_late_arrival(self) -> None:
        """Add someone who arrived after the start; they can vote in this round at once."""
        if self.read_only:
            return
        from workshop.ui.widgets.ask_text import AskText

        def answered(name: str | None) -> None:
            name = clean_line(name or "")
            if not name:
                return
            taken = {person.id for person in self.session.participants}
            try:
                person = Participant(id=participant_id(name, taken), name=name, joined_at=utc_now())
            except ValueError as error:
                self.notify(str(error).splitlines()[0], severity="error")
                return
            self.session.participants.append(person)
            self.changed()
            self.notify(f"{person.name} joins the session and can vote now.", timeout=4)
            self.refresh_all()

        self.app.push_screen(AskText("Who has just arrived? (name)", placeholder="Name", max_length=200), answered)

    def action_rerun(self) -> None:
        if self.ballot_round is None or self.read_only:
            return
        try:
            self.ballot_round = rerun(self.session, self.ballot_round, utc_now())
        except BallotError as error:
            self.notify(error.reason, severity="error")
            return
        self.changed()
        self.notify("A new round is open; the earlier one stays in the file.", timeout=4)
        self.refresh_all()

    @on(Select.Changed, "#voter")
    def _voter_changed(self) -> None:
        self._draft_reset()
        self._refresh_ballot()

    def _draft_reset(self) -> None:
        raise NotImplementedError


class RatePane(BallotPane):
    """Each participant rates every question of the activity on its scale."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft: dict[str, int] = {}

    def _rounds(self):
        return self.session.rating_rounds

    def _open_round(self):
        return open_rating_round(self.session, self.activity.id or "", now=utc_now())

    def _questions(self):
        assert isinstance(self.activity, RateActivity)
        return self.activity.questions

    def _draft_reset(self) -> None:
        self.draft = {}

    def _refresh_ballot(self) -> None:
        ballot = self.query_one(BallotList)
        highlighted = ballot.highlighted or 0
        ballot.clear_options()
        for question in self._questions():
            scale = question.scale
            line = Text()
            if self.hands:
                counts = (self.ballot_round.hands.get(question.id, {}) if self.ballot_round else {})
                line.append("  ".join(f"{point}:{counts.get(str(point), 0)}" for point in scale.points), style="bold")
            else:
                chosen = self.draft.get(question.id)
                line.append(f"[{chosen}]" if chosen is not None else "[ ]", style="bold")
            line.append(f"  {question.prompt}")
            line.append(f"  ({scale.min} {scale.low_label} … {scale.max} {scale.high_label})", style="dim")
            ballot.add_option(Option(line, id=question.id))
        if ballot.option_count:
            ballot.highlighted = min(highlighted, ballot.option_count - 1)

    def on_key_action(self, what: str, value: int | None) -> None:
        if self.ballot_round is None or self.read_only or self.ballot_round.revealed:
            return
        ballot = self.query_one(BallotList)
        questions = self._questions()
        if ballot.highlighted is None:
            return
        question = questions[ballot.highlighted]
        scale = question.scale
        if self.hands:
            counts = {qid: dict(points) for qid, points in self.ballot_round.hands.items()}
            mine = counts.setdefault(question.id, {})
            if what == "set" and value == 0 or what == "clear":
                counts[question.id] = {}
            elif what == "set" and value is not None and value in scale.points:
                mine[str(value)] = mine.get(str(value), 0) + 1
            else:
                return
            self._attempt(set_hands, self.ballot_round, counts, questions=questions)
            return
        if what == "cast":
            voter = self.voter()
            if voter is None:
                self.notify("Choose who is voting first.", severity="warning")
                return
            if self._attempt(cast_rating_ballot, self.session, self.ballot_round, voter, dict(self.draft), questions, utc_now()):
                self.last_voter = voter
                self.draft = {}
                # The next person starts at the top of the list.
                self.query_one(BallotList).highlighted = 0
                self._refresh_ballot()
            return
        current = self.draft.get(question.id)
        if what == "set" and value is not None and value in scale.points:
            self.draft[question.id] = value
            if ballot.highlighted < len(questions) - 1:
                ballot.highlighted += 1
        elif what == "more":
            self.draft[question.id] = min(scale.max, (current or scale.min - 1) + 1)
        elif what == "less" and current is not None:
            self.draft[question.id] = max(scale.min, current - 1)
        elif what == "clear":
            self.draft.pop(question.id, None)
        self._refresh_ballot()

    def results(self) -> Text:
        assert isinstance(self.ballot_round, RatingRound)
        summaries = summarise_rating_round(self.ballot_round, rating_questions(self.session, self.ballot_round))
        out = Text()
        for question in self._questions():
            summary = summaries.get(question.id)
            if summary is None:
                continue
            out.append(f"{question.prompt}\n", style="bold")
            largest = max(summary.distribution.values(), default=0)
            for point, count in summary.distribution.items():
                out.append(f"  {point} ")
                out.append(bar(count, largest, self._bar_width()).ljust(self._bar_width()), style="cyan")
                out.append(f" {count}\n")
            if summary.count:
                out.append(f"  {summary.count} answers · median {summary.median:g} · mean {summary.mean:.1f} · spread {summary.spread}")
            else:
                out.append("  no answers")
            if summary.low_agreement:
                out.append("  LOW AGREEMENT: worth discussing", style="bold yellow")
            out.append("\n\n")
        out.append(LOW_AGREEMENT_RULE, style="dim")
        return out


class VotePane(BallotPane):
    """A dot vote across the proposals so far: N dots a person, at most M on one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.draft: dict[str, int] = {}

    def _rounds(self):
        return self.session.vote_rounds

    def _eligible_proposals(self) -> list[str]:
        assert isinstance(self.activity, VoteActivity)
        wanted = set(self.activity.behaviours)
        return [p.id for p in self.session.proposals if not wanted or p.behaviour in wanted]

    def _open_round(self):
        proposals = self._eligible_proposals()
        if not proposals:
            raise BallotError("There are no proposals to vote on yet: add some in a propose activity first.")
        return open_vote_round(self.session, self.activity.id or "", proposals, now=utc_now())

    def _draft_reset(self) -> None:
        self.draft = {}

    def _text_of(self, proposal_id: str) -> str:
        proposal = next((p for p in self.session.proposals if p.id == proposal_id), None)
        return proposal.text if proposal else "(removed proposal)"

    def _refresh_ballot(self) -> None:
        ballot = self.query_one(BallotList)
        highlighted = ballot.highlighted or 0
        ballot.clear_options()
        if not isinstance(self.ballot_round, VoteRound):
            return
        for proposal_id in self.ballot_round.proposals:
            dots = self.ballot_round.hands.get(proposal_id, 0) if self.hands else self.draft.get(proposal_id, 0)
            line = Text()
            line.append(("●" * dots).ljust(self.ballot_round.max_per_item if not self.hands else 4) + f" {dots:>2}  ", style="bold")
            line.append(self._text_of(proposal_id))
            ballot.add_option(Option(line, id=proposal_id))
        if ballot.option_count:
            ballot.highlighted = min(highlighted, ballot.option_count - 1)
        self._refresh_budget()

    def _refresh_budget(self) -> None:
        if isinstance(self.ballot_round, VoteRound) and not self.hands and not self.ballot_round.revealed:
            used = sum(self.draft.values())
            self.query_one(BallotList).border_title = (
                f"Dots left: {self.ballot_round.dots_per_person - used} of {self.ballot_round.dots_per_person} · at most {self.ballot_round.max_per_item} on one · Enter casts"
            )

    def on_key_action(self, what: str, value: int | None) -> None:
        if not isinstance(self.ballot_round, VoteRound) or self.read_only or self.ballot_round.revealed:
            return
        ballot = self.query_one(BallotList)
        if ballot.highlighted is None and what != "cast":
            return
        if what == "cast":
            if self.hands:
                return
            voter = self.voter()
            if voter is None:
                self.notify("Choose who is voting first.", severity="warning")
                return
            if self._attempt(cast_dot_ballot, self.session, self.ballot_round, voter, dict(self.draft), utc_now()):
                self.last_voter = voter
                self.draft = {}
                # The next person starts at the top of the list.
                self.query_one(BallotList).highlighted = 0
                self._refresh_ballot()
            return
        proposal_id = self.ballot_round.proposals[ballot.highlighted]
        if self.hands:
            counts = dict(self.ballot_round.hands)
            current = counts.get(proposal_id, 0)
            if what == "more":
                counts[proposal_id] = current + 1
            elif what == "less":
                counts[proposal_id] = max(0, current - 1)
            elif what == "set" and value is not None:
                counts[proposal_id] = current * 10 + value if current < 1000 else current
            elif what == "clear":
                counts[proposal_id] = 0
            self._attempt(set_hands, self.ballot_round, counts)
            return
        current = self.draft.get(proposal_id, 0)
        used = sum(self.draft.values())
        if what == "more":
            if current >= self.ballot_round.max_per_item:
                self.notify(f"At most {self.ballot_round.max_per_item} dots on one proposal.", severity="warning", timeout=3)
                return
            if used >= self.ballot_round.dots_per_person:
                self.notify("No dots left: take one back first (left arrow).", severity="warning", timeout=3)
                return
            self.draft[proposal_id] = current + 1
        elif what == "less" and current:
            self.draft[proposal_id] = current - 1
        elif what == "set" and value is not None:
            self.draft[proposal_id] = value
        elif what == "clear":
            self.draft[proposal_id] = 0
        self._refresh_ballot()

    def results(self) -> Text:
        assert isinstance(self.ballot_round, VoteRound)
        ranking = rank_proposals(self.ballot_round)
        largest = max((item.dots for item in ranking), default=0)
        out = Text()
        for item in ranking:
            out.append(f"{item.place_label:>3} ", style="bold")
            out.append(bar(item.dots, largest, self._bar_width()).ljust(self._bar_width()), style="cyan")
            voters = f", {item.voters} voter{'' if item.voters == 1 else 's'}" if item.voters is not None else ""
            out.append(f" {item.dots} dots{voters}  ")
            out.append(self._text_of(item.proposal_id) + "\n")
        out.append("\n" + TIE_RULE, style="dim")
        return out
