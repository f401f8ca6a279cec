"""Rounds: ratings and dot votes, in the four ballot modes, through to the reveal.

Rounds are addressed by activity id: an activity has at most one round that counts (the
latest not re-run), so the laptop and the phones can name "the vote" without knowing
which round it is. Showing a ballot opens nothing: the first ballot cast, abstention or
show-of-hands count opens the round, so merely looking never writes the file.

The rules themselves are in `workshop.domain.ballots`; these operations find the round,
open it when needed and undo that opening when the rule then says no, so a refused
operation changes nothing. Nothing they return says who cast an anonymous ballot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from workshop.domain import ballots, hands
from workshop.domain.errors import Refused
from workshop.domain.models.pack import RateActivity, VoteActivity
from workshop.domain.models.session import (
    BALLOT_MODE_LABELS,
    BallotMode,
    Participant,
    RatingRound,
    VoteRound,
)
from workshop.domain.operations.base import Change, EditorBase

Round = RatingRound | VoteRound


class RoundOperations(EditorBase):
    """Rating and dot-vote rounds: open, cast, abstain, withdraw, reveal, re-run, hands."""

    # -- queries (no change) -----------------------------------------------------------

    def current_round(self, activity_id: str) -> Round | None:
        """The round that counts for a rate or vote activity, or None before the first ballot."""
        activity = self._ballot_activity(activity_id)
        rounds: Sequence[Round] = self.session.vote_rounds
        if isinstance(activity, RateActivity):
            rounds = self.session.rating_rounds
        # The last in the file rather than by `opened_at`: two rounds can open in one second.
        return next((r for r in reversed(rounds) if r.activity_id == activity_id and not r.superseded), None)

    def eligible_proposals(self, activity_id: str) -> list[str]:
        """Ids of the proposals a vote activity's round would offer, in session order.

        Those of the activity's `behaviours` when it lists some, else every proposal.
        """
        activity = self._ballot_activity(activity_id)
        if not isinstance(activity, VoteActivity):
            raise Refused(f"'{activity.title}' is a rating, not a vote.")
        wanted = set(activity.behaviours)
        return [p.id for p in self.session.proposals if not wanted or p.behaviour in wanted]

    def ballot_proposals(self, activity_id: str) -> list[str]:
        """The proposals on a vote's ballot: the open round's, or those a new round would offer."""
        current = self.current_round(activity_id)
        return list(current.proposals) if isinstance(current, VoteRound) else self.eligible_proposals(activity_id)

    def ballot_mode(self, activity_id: str) -> BallotMode:
        """The mode of the activity's round, or of the round its first ballot will open."""
        current = self.current_round(activity_id)
        return current.mode if current is not None else self.session.voting.mode

    def who_has_not_voted(self, activity_id: str) -> list[Participant]:
        """Present participants yet to vote or abstain, in participant order (none in a show of hands)."""
        current = self.current_round(activity_id)
        if current is not None:
            return ballots.who_has_not_voted(self.session, current)
        if self.ballot_mode(activity_id) == "hands":
            return []
        return [participant for participant in self.session.participants if participant.present]

    # -- opening -----------------------------------------------------------------------

    def open_round(self, activity_id: str, mode: str | None = None) -> Change:
        """Open the activity's round, in `mode` (by default the session's) and the session's dot settings.

        Refused when it already has one (re-run that instead) and, for a vote, when there
        are no proposals to vote on. Casting, abstaining and typing counts open it anyway.
        """
        self._writable()
        self._ballot_activity(activity_id)
        opened = self._open(activity_id, mode)
        label = BALLOT_MODE_LABELS[opened.mode]
        return self._done(Change(area="rounds", summary=f"A round opened ({label}).", decision=True, ids=(activity_id, opened.id)))

    # -- ballots -----------------------------------------------------------------------

    def cast_rating(self, activity_id: str, voter_id: str, answers: Mapping[str, int], *, replace: bool = False) -> Change:
        """Record a participant's ratings (question id -> point); opens the round if needed.

        A question may be left unanswered, not all of them (that is abstaining). With
        `replace`, a ballot the voter already cast is replaced (see `_replacing`).
        """
        self._writable()

        def cast(current: Round) -> None:
            if not isinstance(current, RatingRound):
                raise Refused("This activity is a vote: cast dots, not ratings.")
            questions = ballots.rating_questions(self.session, current)
            self._replacing(current, voter_id, replace, lambda: ballots.cast_rating_ballot(self.session, current, voter_id, answers, questions, self.now()))

        current = self._on_round(activity_id, cast)
        return self._ballot_change(current, voter_id, "rated")

    def cast_dots(self, activity_id: str, voter_id: str, dots: Mapping[str, int], *, replace: bool = False) -> Change:
        """Record a participant's dots (proposal id -> dots); opens the round if needed.

        Dots left unspent are allowed; a ballot with no dots at all is refused (abstain).
        With `replace`, a ballot the voter already cast is replaced (see `_replacing`).
        """
        self._writable()

        def cast(current: Round) -> None:
            if not isinstance(current, VoteRound):
                raise Refused("This activity is a rating: cast ratings, not dots.")
            self._replacing(current, voter_id, replace, lambda: ballots.cast_dot_ballot(self.session, current, voter_id, dots, self.now()))

        current = self._on_round(activity_id, cast)
        return self._ballot_change(current, voter_id, "voted")

    def abstain(self, activity_id: str, voter_id: str) -> Change:
        """Record that a present participant takes no part; opens the round if needed."""
        self._writable()
        current = self._on_round(activity_id, lambda found: ballots.abstain(self.session, found, voter_id))
        return self._ballot_change(current, voter_id, "abstained")

    def withdraw(self, activity_id: str, voter_id: str) -> Change:
        """Take back a participant's ballot or abstention before the reveal.

        Refused for a ballot in an anonymous round (nothing says whose it is): re-run it.
        """
        self._writable()
        current = self._existing(activity_id, "Nobody has voted yet: there is nothing to withdraw.")
        ballots.withdraw(self.session, current, voter_id)
        return self._ballot_change(current, voter_id, "withdrew")

    # -- show of hands -----------------------------------------------------------------

    def set_hands(self, activity_id: str, counts: Mapping[str, object]) -> Change | None:
        """Replace a show of hands' counts with those typed; opens the round if needed.

        Vote: proposal id -> dots, each at most the people present x the round's most dots
        on one proposal. Rating: question id -> {point -> hands}, at most the people present
        on one question in all. None when the counts are those already recorded.
        """
        self._writable()
        present = sum(1 for participant in self.session.participants if participant.present)
        labels = {proposal.id: proposal.text for proposal in self.session.proposals}
        before: list[object] = []

        def count(current: Round) -> None:
            before.append(dict(current.hands))
            questions = ballots.rating_questions(self.session, current) if isinstance(current, RatingRound) else None
            hands.set_hands(current, counts, questions=questions, present=present, labels=labels)

        opened_before = self.current_round(activity_id) is not None
        current = self._on_round(activity_id, count)
        if opened_before and before == [current.hands]:
            return None
        return self._done(Change(area="rounds", summary="The show of hands was counted.", decision=True, ids=(activity_id, current.id)))

    # -- the end of a round --------------------------------------------------------------

    def reveal(self, activity_id: str) -> Change | None:
        """Show the results to the room; None when they are already shown.

        Refused before anyone voted (there is no round). Once revealed, no ballot can be
        cast, changed or withdrawn: re-run the round to vote again.
        """
        self._writable()
        current = self._existing(activity_id, "Nobody has voted yet: there is nothing to reveal.")
        if current.revealed:
            return None
        ballots.reveal(current)
        return self._done(Change(area="rounds", summary="The results were revealed.", decision=True, ids=(activity_id, current.id)))

    def rerun(self, activity_id: str, mode: str | None = None) -> Change:
        """Start the activity's round again (optionally in another mode); the old one stays in the file.

        `ids` holds the activity and the new round's id.
        """
        self._writable()
        current = self._existing(activity_id, "Nobody has voted yet: there is no round to re-run.")
        fresh = ballots.rerun(self.session, current, self.now(), mode=mode)
        return self._done(Change(area="rounds", summary="The round was re-run; the earlier one stays in the file.", decision=True, ids=(activity_id, fresh.id)))

    # -- helpers -----------------------------------------------------------------------

    def _ballot_activity(self, activity_id: str) -> RateActivity | VoteActivity:
        activity = self.session.agenda.activity(activity_id)
        if not isinstance(activity, (RateActivity, VoteActivity)):
            raise Refused(f"There is no rating or vote activity '{activity_id}' in this session's agenda.")
        return activity

    def _existing(self, activity_id: str, none_yet: str) -> Round:
        current = self.current_round(activity_id)
        if current is None:
            raise Refused(none_yet)
        return current

    def _open(self, activity_id: str, mode: str | None = None) -> Round:
        activity = self._ballot_activity(activity_id)
        if isinstance(activity, RateActivity):
            return ballots.open_rating_round(self.session, activity_id, mode=mode, now=self.now())
        proposals = self.eligible_proposals(activity_id)
        if not proposals:
            raise ballots.BallotError(ballots.NO_PROPOSALS)
        return ballots.open_vote_round(self.session, activity_id, proposals, mode=mode, now=self.now())

    def _on_round(self, activity_id: str, act: Callable[[Round], None]) -> Round:
        """Run `act` on the activity's round, opening one first when there is none.

        A round opened here is taken out again when `act` refuses, so a refusal leaves
        the session exactly as it was.
        """
        current = self.current_round(activity_id)
        if current is not None:
            act(current)
            return current
        opened = self._open(activity_id)
        try:
            act(opened)
        except Exception:
            self._discard(opened)
            raise
        return opened

    def _replacing(self, current: Round, voter_id: str, replace: bool, cast: Callable[[], object]) -> None:
        """Cast, first taking back the voter's earlier ballot or abstention when `replace` asks.

        A phone changes its ballot by sending it again, until the reveal. An anonymous
        ballot cannot be replaced (nothing says whose it is), so that is refused as for a
        second vote. When the new ballot is refused, the earlier one is put back as it was.
        """
        earlier = voter_id in current.voted or voter_id in current.abstained
        if not replace or not earlier or (current.mode == "anonymous" and voter_id in current.voted):
            cast()
            return
        # Withdrawing and casting only take out of and add to these lists (no ballot is
        # changed in place), so copies of the lists put everything back; a deep copy of the
        # round cost as much as the whole room's ballots, for each one replaced.
        kept_ballots, kept_voted, kept_abstained = list(current.ballots), list(current.voted), list(current.abstained)
        ballots.withdraw(self.session, current, voter_id)
        try:
            cast()
        except Exception:
            current.ballots[:] = kept_ballots  # type: ignore[assignment]  # the same kind of round
            current.voted[:] = kept_voted
            current.abstained[:] = kept_abstained
            raise

    def _discard(self, opened: Round) -> None:
        rounds: list[RatingRound] | list[VoteRound]
        rounds = self.session.rating_rounds if isinstance(opened, RatingRound) else self.session.vote_rounds
        index = next(i for i, candidate in enumerate(rounds) if candidate is opened)
        del rounds[index]

    def _ballot_change(self, current: Round, voter_id: str, verb: str) -> Change:
        # An anonymous round's change names nobody: a listener (the phones' server) that
        # saw who voted next to the ballot list could tell whose ballot is whose.
        if current.mode == "anonymous":
            return self._done(Change(area="rounds", summary=f"Someone {verb}.", decision=True, ids=(current.activity_id, current.id)))
        person = self.session.participant(voter_id)
        name = person.name if person is not None else voter_id
        return self._done(Change(area="rounds", summary=f"{name} {verb}.", decision=True, ids=(current.activity_id, current.id, voter_id)))
