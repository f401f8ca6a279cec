"""The ballot box: opening rounds, casting, abstaining, withdrawing, revealing, re-running.

Every function here checks the rules first and raises `BallotError` with a reason a
facilitator can read out; nothing is changed when it raises. Counting is in
`workshop.domain.tally`.

Anonymous rounds are stored so that a shared session file reveals nothing about who
cast which ballot: no voter, no time, and a random position in the list. The ids of
those who voted are kept (sorted) in `ballot_round.voted`, only to stop anyone voting twice.
"""

from __future__ import annotations

import secrets
from bisect import insort
from datetime import datetime
from typing import Callable, Mapping, Sequence, TypeVar, cast

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_DOTS
from workshop.domain.models.pack import Question, RateActivity, VoteActivity
from workshop.domain.models.session import (
    BALLOT_MODE_LABELS,
    BallotMode,
    DotBallot,
    Participant,
    RatingBallot,
    RatingRound,
    Session,
    VoteRound,
    new_id,
)
from workshop.domain.tally import ballot_problems

Round = RatingRound | VoteRound
B = TypeVar("B", DotBallot, RatingBallot)

NO_PROPOSALS = "There are no proposals to vote on yet: add some in a propose activity first."
RERUN_ALREADY = "This round has been re-run; use the latest round."


def _sentence(text: str) -> str:
    """`text` as a sentence: a capital first letter and a full stop (reasons are joined from parts)."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


class BallotError(Refused):
    """A ballot-box rule was broken; `reason` is one plain sentence (or several, joined)."""

    def __init__(self, reason: str, reasons: Sequence[str] | None = None):
        super().__init__(reason)
        self.reasons = list(reasons) if reasons else [reason]


# -- opening rounds -----------------------------------------------------------------


def open_vote_round(
    session: Session,
    activity_id: str,
    proposals: Sequence[str],
    *,
    mode: str | None = None,
    dots_per_person: int | None = None,
    max_per_item: int | None = None,
    now: datetime,
) -> VoteRound:
    """Open a dot vote on `proposals` (in the order shown) for a vote activity.

    Settings left out come from `session.voting`. Refused when the activity already has
    a round: re-run that one instead, so an activity never has two rounds that count.
    """
    activity = session.agenda.activity(activity_id)
    if not isinstance(activity, VoteActivity):
        raise BallotError(f"There is no vote activity '{activity_id}' in this session's agenda.")
    _no_current_round(session.vote_rounds, activity_id)
    mode = _mode(mode if mode is not None else session.voting.mode)
    budget = session.voting.dots_per_person if dots_per_person is None else dots_per_person
    cap = session.voting.max_per_item if max_per_item is None else max_per_item
    for value, what in ((budget, "dots per person"), (cap, "most dots on one proposal")):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DOTS:
            raise BallotError(_sentence(f"{what} must be a whole number from 1 to {MAX_DOTS}, not {value!r}"))
    if cap > budget:
        raise BallotError(f"Most dots on one proposal ({cap}) cannot exceed dots per person ({budget}).")
    if not proposals:
        raise BallotError(NO_PROPOSALS)
    known = {proposal.id for proposal in session.proposals}
    for proposal_id in proposals:
        if proposal_id not in known:
            raise BallotError(f"There is no proposal with id '{proposal_id}' in this session.")
    if len(set(proposals)) != len(proposals):
        raise BallotError("A proposal is listed twice on the ballot.")
    ballot_round = VoteRound(
        id=_round_id(session), activity_id=activity_id, mode=mode, opened_at=now, dots_per_person=budget, max_per_item=cap, proposals=list(proposals)
    )
    session.vote_rounds.append(ballot_round)
    return ballot_round


def open_rating_round(session: Session, activity_id: str, *, mode: str | None = None, now: datetime) -> RatingRound:
    """Open a round of ratings for a rate activity; the mode defaults to `session.voting.mode`."""
    activity = session.agenda.activity(activity_id)
    if not isinstance(activity, RateActivity):
        raise BallotError(f"There is no rating activity '{activity_id}' in this session's agenda.")
    _no_current_round(session.rating_rounds, activity_id)
    ballot_round = RatingRound(id=_round_id(session), activity_id=activity_id, opened_at=now, mode=_mode(mode if mode is not None else session.voting.mode))
    session.rating_rounds.append(ballot_round)
    return ballot_round


def rating_questions(session: Session, ballot_round: RatingRound) -> list[Question]:
    """The questions of a rating round's activity, from the session's own agenda."""
    activity = session.agenda.activity(ballot_round.activity_id)
    return list(activity.questions) if isinstance(activity, RateActivity) else []


def _no_current_round(rounds: Sequence[Round], activity_id: str) -> None:
    if any(r.activity_id == activity_id and not r.superseded for r in rounds):
        raise BallotError("This activity already has a round; re-run it to vote again.")


def _mode(mode: str) -> BallotMode:
    if mode not in BALLOT_MODE_LABELS:
        raise BallotError(f"There is no ballot mode '{mode}' (expected one of {', '.join(BALLOT_MODE_LABELS)}).")
    return cast(BallotMode, mode)


def _round_id(session: Session) -> str:
    taken = {r.id for r in session.vote_rounds} | {r.id for r in session.rating_rounds}
    while (candidate := new_id()) in taken:  # A clash is unlikely, but costs nothing to rule out.
        pass
    return candidate


# -- who votes ----------------------------------------------------------------------


def eligible_voters(session: Session, ballot_round: Round) -> list[Participant]:
    """Participants who may vote in `ballot_round`: those present now, in participant order.

    Presence is read at the moment of asking, so a late arrival marked present after the
    round opened can vote. The facilitator is not a participant record, so
    `session.voting.facilitator_votes` cannot be honoured here: a facilitator who votes
    needs to be added as a participant.
    """
    return [participant for participant in session.participants if participant.present]


def who_has_not_voted(session: Session, ballot_round: Round) -> list[Participant]:
    """Present participants who have neither voted nor abstained (none in a show of hands)."""
    if ballot_round.mode == "hands":
        return []
    done = set(ballot_round.voted) | set(ballot_round.abstained)
    return [participant for participant in eligible_voters(session, ballot_round) if participant.id not in done]


# -- casting ------------------------------------------------------------------------


def cast_dot_ballot(session: Session, ballot_round: VoteRound, voter_id: str, dots: Mapping[str, int], now: datetime) -> DotBallot:
    """Record a voter's dots (proposal id -> dots) and return the stored ballot.

    Dots left at 0 are dropped (a screen's counter at zero means "no dots here"). A voter
    who abstained and then votes is no longer counted as abstaining.
    """
    _check_open(session, ballot_round, session.vote_rounds)
    voter = _check_voter(session, ballot_round, voter_id, action="vote")
    dots = {proposal_id: value for proposal_id, value in dots.items() if not (value == 0 and type(value) is int)}
    labels = {proposal.id: proposal.text for proposal in session.proposals}
    problems = ballot_problems(dots, ballot_round.dots_per_person, ballot_round.max_per_item, ballot_round.proposals, labels)
    if problems:
        raise BallotError(_sentence("Not cast: " + "; ".join(problems)), problems)
    if not dots:
        raise BallotError(f"{voter.name} has placed no dots; to take no part, abstain instead.")
    # Ballot order rather than the order the voter clicked: the same ballot reads the same.
    ordered = {proposal_id: dots[proposal_id] for proposal_id in ballot_round.proposals if proposal_id in dots}
    return _store(ballot_round, voter_id, now, lambda who, when: DotBallot(voter=who, cast_at=when, dots=ordered))


def cast_rating_ballot(
    session: Session, ballot_round: RatingRound, voter_id: str, answers: Mapping[str, int], questions: Sequence[Question], now: datetime
) -> RatingBallot:
    """Record a voter's ratings (question id -> point) and return the stored ballot.

    `questions` are the round's questions (see `rating_questions`). A question may be left
    unanswered, but not all of them: that is abstaining. Values must be points on the
    question's scale.
    """
    _check_open(session, ballot_round, session.rating_rounds)
    voter = _check_voter(session, ballot_round, voter_id, action="rate")
    by_id = {question.id: question for question in questions}
    problems: list[str] = []
    for question_id, value in answers.items():
        question = by_id.get(question_id)
        if question is None:
            problems.append(f"there is no question '{question_id}' in this activity")
        elif isinstance(value, bool) or not isinstance(value, int) or not question.scale.min <= value <= question.scale.max:
            problems.append(f"the answer to '{question.prompt}' must be on its {question.scale.min}-{question.scale.max} scale, not {value!r}")
    if problems:
        raise BallotError(_sentence("Not cast: " + "; ".join(problems)), problems)
    if not answers:
        raise BallotError(f"{voter.name} has answered no questions; to take no part, abstain instead.")
    ordered = {question.id: answers[question.id] for question in questions if question.id in answers}
    return _store(ballot_round, voter_id, now, lambda who, when: RatingBallot(voter=who, cast_at=when, answers=ordered))


def _store(ballot_round: Round, voter_id: str, now: datetime, make: Callable[[str | None, datetime | None], B]) -> B:
    """Add a ballot built by `make(voter, cast_at)`, anonymously when the round is anonymous."""
    anonymous = ballot_round.mode == "anonymous"
    ballot = make(None, None) if anonymous else make(voter_id, now)
    if isinstance(ballot_round, VoteRound) and isinstance(ballot, DotBallot):
        _insert(ballot_round.ballots, ballot, anonymous)
    elif isinstance(ballot_round, RatingRound) and isinstance(ballot, RatingBallot):
        _insert(ballot_round.ballots, ballot, anonymous)
    else:  # pragma: no cover - the callers pair rounds and ballots
        raise TypeError("a ballot of the wrong kind for this round")
    if voter_id in ballot_round.abstained:
        ballot_round.abstained.remove(voter_id)
    # Sorted, not appended: in an anonymous round the order of `voted` would be the order of voting.
    insort(ballot_round.voted, voter_id)
    return ballot


def _insert(ballots: list[B], ballot: B, anonymous: bool) -> None:
    if anonymous:
        # A random place in the list, so the file's order does not give away the order of voting.
        ballots.insert(secrets.randbelow(len(ballots) + 1), ballot)
    else:
        ballots.append(ballot)


def abstain(session: Session, ballot_round: Round, voter_id: str) -> None:
    """Record that a present participant takes no part in this round.

    Undo it with `withdraw`, or by casting a ballot.
    """
    _check_open(session, ballot_round, _rounds_of(session, ballot_round))
    voter = _check_voter(session, ballot_round, voter_id, action="abstain")
    if voter_id in ballot_round.abstained:
        raise BallotError(f"{voter.name} has already abstained.")
    insort(ballot_round.abstained, voter_id)


def withdraw(session: Session, ballot_round: Round, voter_id: str) -> None:
    """Take back a voter's ballot (or abstention) before the results are revealed.

    Refused for a ballot in an anonymous round: nothing in it says whose it is. Re-run the
    round instead.
    """
    _check_open(session, ballot_round, _rounds_of(session, ballot_round))
    if voter_id in ballot_round.abstained:
        ballot_round.abstained.remove(voter_id)
        return
    if voter_id not in ballot_round.voted:
        participant = session.participant(voter_id)  # only to say who (a phone's ballot replaced passes here)
        name = participant.name if participant else f"'{voter_id}'"
        raise BallotError(f"{name} has not voted in this round.")
    if ballot_round.mode == "anonymous":
        raise BallotError("Anonymous ballots cannot be told apart; re-run the round instead.")
    ballots: Sequence[DotBallot | RatingBallot] = ballot_round.ballots
    index = next((i for i, ballot in enumerate(ballots) if ballot.voter == voter_id), None)
    if index is not None:
        del ballot_round.ballots[index]
    ballot_round.voted.remove(voter_id)


def _rounds_of(session: Session, ballot_round: Round) -> Sequence[Round]:
    return session.vote_rounds if isinstance(ballot_round, VoteRound) else session.rating_rounds


def _check_open(session: Session, ballot_round: Round, rounds: Sequence[Round]) -> None:
    """Ballots, abstentions and withdrawals are only taken by a round still open to them."""
    if not any(candidate is ballot_round for candidate in rounds):
        raise BallotError("This round is not part of this session.")
    if ballot_round.superseded:
        raise BallotError(RERUN_ALREADY)
    if ballot_round.closed_at is not None:
        raise BallotError("This round is closed.")
    # Once results are shown, a new or changed ballot could be cast knowing them.
    if ballot_round.revealed:
        raise BallotError("The results have been revealed; re-run the round to vote again.")
    if ballot_round.mode == "hands":
        raise BallotError("This round is a show of hands; the facilitator types the counts.")


def _check_voter(session: Session, ballot_round: Round, voter_id: str, *, action: str) -> Participant:
    participant = session.participant(voter_id)
    if participant is None:
        raise BallotError(f"There is no participant with id '{voter_id}' in this session.")
    if not participant.present:
        raise BallotError(f"{participant.name} is marked as left; mark them back to {action}.")
    if voter_id in ballot_round.voted:
        if ballot_round.mode == "anonymous":
            raise BallotError(f"{participant.name} has already voted; anonymous ballots cannot be told apart, so re-run the round to vote again.")
        again = "abstain" if action == "abstain" else "vote again"
        raise BallotError(f"{participant.name} has already voted; withdraw the ballot first to {again}.")
    return participant


# -- the end of a round ---------------------------------------------------------------


def reveal(ballot_round: Round) -> None:
    """Show the results (in pass-the-keyboard rounds, the ballots cast so far). Idempotent."""
    if ballot_round.superseded:
        raise BallotError(RERUN_ALREADY)
    ballot_round.revealed = True


def close(ballot_round: Round, now: datetime) -> None:
    """Stop taking ballots. Closing does not reveal: results stay hidden until `reveal`."""
    if ballot_round.superseded:
        raise BallotError(RERUN_ALREADY)
    if ballot_round.closed_at is not None:
        raise BallotError("This round is already closed.")
    ballot_round.closed_at = now


def rerun(session: Session, ballot_round: Round, now: datetime, *, mode: str | None = None) -> Round:
    """Start the round again: the old one is kept in the file, closed and superseded.

    The new round has the same activity, settings and proposals (less any proposal since
    removed from the session); `mode` may change, e.g. to re-run a named vote anonymously.
    Ballots, abstentions and counts start empty.
    """
    rounds = _rounds_of(session, ballot_round)
    if not any(candidate is ballot_round for candidate in rounds):
        raise BallotError("This round is not part of this session.")
    if ballot_round.superseded:
        raise BallotError("This round has already been re-run; re-run the latest round.")
    new_mode = _mode(mode if mode is not None else ballot_round.mode)
    if isinstance(ballot_round, VoteRound):
        known = {proposal.id for proposal in session.proposals}
        proposals = [proposal_id for proposal_id in ballot_round.proposals if proposal_id in known]
        if not proposals:
            raise BallotError("None of this round's proposals is still in the session.")
        vote = VoteRound(
            id=_round_id(session),
            activity_id=ballot_round.activity_id,
            mode=new_mode,
            opened_at=now,
            dots_per_person=ballot_round.dots_per_person,
            max_per_item=ballot_round.max_per_item,
            proposals=proposals,
        )
        _supersede(ballot_round, now)
        session.vote_rounds.append(vote)
        return vote
    rating = RatingRound(id=_round_id(session), activity_id=ballot_round.activity_id, mode=new_mode, opened_at=now)
    _supersede(ballot_round, now)
    session.rating_rounds.append(rating)
    return rating


def _supersede(ballot_round: Round, now: datetime) -> None:
    if ballot_round.closed_at is None:
        ballot_round.closed_at = now
    ballot_round.superseded = True
