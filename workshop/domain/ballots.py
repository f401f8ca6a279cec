"""The ballot box: opening rounds, casting, abstaining, withdrawing, revealing, re-running.

Every function here checks the rules first and raises `BallotError` with a reason a
facilitator can read out; nothing is changed when it raises. Counting is in
`workshop.domain.tally`.

Anonymous rounds are stored so that a shared session file reveals nothing about who
cast which ballot: no voter, no time, and a random position in the list. The ids of
those who voted are kept (sorted) in `round.voted`, only to stop anyone voting twice.
"""

from __future__ import annotations

import secrets
from bisect import insort
from datetime import datetime
from typing import Callable, Mapping, Sequence, TypeVar

from workshop.domain.errors import Refused
from workshop.domain.models.limits import MAX_DOTS, MAX_HANDS
from workshop.domain.models.pack import Question, RateActivity, VoteActivity
from workshop.domain.models.session import (
    BALLOT_MODE_LABELS,
    DotBallot,
    Participant,
    RatingBallot,
    RatingRound,
    Session,
    VoteRound,
    new_id,
)
from workshop.domain.tally import ballot_problems, current_round

Round = RatingRound | VoteRound
B = TypeVar("B", DotBallot, RatingBallot)



class BallotError(Refused):
    """A ballot-box rule was broken; `reason` is one plain sentence (or several, joined)."""

    def __init__(self, reason: str, reasons: Sequence[str] | None = None):
        super().__init__(reason)
        self.reasons = list(reasons) if reasons else [reason]


# -- opening rounds -----------------------------------------------------------------


def open_vote_round(session: Session, activity_id: str, proposals: Sequence[str], *, mode: str | None = None,
                    dots_per_person: int | None = None, max_per_item: int | None = None,
                    now: datetime) -> VoteRound:
    """Open a dot vote on `proposals` (in the order shown) for a vote activity.

    Settings left out come from `session.voting`. Refused when the activity already has
    a round: re-run that one instead, so an activity never has two rounds that count.
    """
    activity = session.agenda.activity(activity_id)
    if not isinstance(activity, VoteActivity):
        raise BallotError(f"'{activity_id}' is not a vote activity of this session's agenda")
    _no_current_round(session.vote_rounds, activity_id)
    mode = _mode(mode if mode is not None else session.voting.mode)
    budget = session.voting.dots_per_person if dots_per_person is None else dots_per_person
    cap = session.voting.max_per_item if max_per_item is None else max_per_item
    for value, what in ((budget, "dots per person"), (cap, "most dots on one proposal")):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DOTS:
            raise BallotError(f"{what} must be a whole number from 1 to {MAX_DOTS}, not {value!r}")
    if cap > budget:
        raise BallotError(f"most dots on one proposal ({cap}) cannot exceed dots per person ({budget})")
    if not proposals:
        raise BallotError("there are no proposals to vote on yet")
    known = {proposal.id for proposal in session.proposals}
    for proposal_id in proposals:
        if proposal_id not in known:
            raise BallotError(f"no proposal with id '{proposal_id}' in this session")
    if len(set(proposals)) != len(proposals):
        raise BallotError("a proposal is listed twice on the ballot")
    round = VoteRound(id=_round_id(session), activity_id=activity_id, mode=mode, opened_at=now,
                      dots_per_person=budget, max_per_item=cap, proposals=list(proposals))
    session.vote_rounds.append(round)
    return round


def open_rating_round(session: Session, activity_id: str, *, mode: str | None = None, now: datetime) -> RatingRound:
    """Open a round of ratings for a rate activity; the mode defaults to `session.voting.mode`."""
    activity = session.agenda.activity(activity_id)
    if not isinstance(activity, RateActivity):
        raise BallotError(f"'{activity_id}' is not a rating activity of this session's agenda")
    _no_current_round(session.rating_rounds, activity_id)
    round = RatingRound(id=_round_id(session), activity_id=activity_id, opened_at=now,
                        mode=_mode(mode if mode is not None else session.voting.mode))
    session.rating_rounds.append(round)
    return round


def rating_questions(session: Session, round: RatingRound) -> list[Question]:
    """The questions of a rating round's activity, from the session's own agenda."""
    activity = session.agenda.activity(round.activity_id)
    return list(activity.questions) if isinstance(activity, RateActivity) else []


def _no_current_round(rounds: Sequence[Round], activity_id: str) -> None:
    if current_round(rounds, activity_id) is not None:
        raise BallotError("this activity already has a round; re-run it to vote again")


def _mode(mode: str) -> str:
    if mode not in BALLOT_MODE_LABELS:
        raise BallotError(f"'{mode}' is not a ballot mode (expected one of {', '.join(BALLOT_MODE_LABELS)})")
    return mode


def _round_id(session: Session) -> str:
    taken = {r.id for r in session.vote_rounds} | {r.id for r in session.rating_rounds}
    while (candidate := new_id()) in taken:  # A clash is unlikely, but costs nothing to rule out.
        pass
    return candidate


# -- who votes ----------------------------------------------------------------------


def eligible_voters(session: Session, round: Round) -> list[Participant]:
    """Participants who may vote in `round`: those present now, in participant order.

    Presence is read at the moment of asking, so a late arrival marked present after the
    round opened can vote. The facilitator is not a participant record, so
    `session.voting.facilitator_votes` cannot be honoured here: a facilitator who votes
    needs to be added as a participant.
    """
    return [participant for participant in session.participants if participant.present]


def who_has_not_voted(session: Session, round: Round) -> list[Participant]:
    """Present participants who have neither voted nor abstained (none in a show of hands)."""
    if round.mode == "hands":
        return []
    done = set(round.voted) | set(round.abstained)
    return [participant for participant in eligible_voters(session, round) if participant.id not in done]


# -- casting ------------------------------------------------------------------------


def cast_dot_ballot(session: Session, round: VoteRound, voter_id: str, dots: Mapping[str, int],
                    now: datetime) -> DotBallot:
    """Record a voter's dots (proposal id -> dots) and return the stored ballot.

    Dots left at 0 are dropped (a screen's counter at zero means "no dots here"). A voter
    who abstained and then votes is no longer counted as abstaining.
    """
    _check_open(session, round, session.vote_rounds)
    voter = _check_voter(session, round, voter_id, action="vote")
    dots = {proposal_id: value for proposal_id, value in dots.items() if not (value == 0 and type(value) is int)}
    labels = {proposal.id: proposal.text for proposal in session.proposals}
    problems = ballot_problems(dots, round.dots_per_person, round.max_per_item, round.proposals, labels)
    if problems:
        raise BallotError("; ".join(problems), problems)
    if not dots:
        raise BallotError(f"{voter.name} has placed no dots; to take no part, abstain instead")
    # Ballot order rather than the order the voter clicked: the same ballot reads the same.
    ordered = {proposal_id: dots[proposal_id] for proposal_id in round.proposals if proposal_id in dots}
    return _store(round, voter_id, now, lambda who, when: DotBallot(voter=who, cast_at=when, dots=ordered))


def cast_rating_ballot(session: Session, round: RatingRound, voter_id: str, answers: Mapping[str, int],
                       questions: Sequence[Question], now: datetime) -> RatingBallot:
    """Record a voter's ratings (question id -> point) and return the stored ballot.

    `questions` are the round's questions (see `rating_questions`). A question may be left
    unanswered, but not all of them: that is abstaining. Values must be points on the
    question's scale.
    """
    _check_open(session, round, session.rating_rounds)
    voter = _check_voter(session, round, voter_id, action="rate")
    by_id = {question.id: question for question in questions}
    problems: list[str] = []
    for question_id, value in answers.items():
        question = by_id.get(question_id)
        if question is None:
            problems.append(f"'{question_id}' is not a question of this activity")
        elif isinstance(value, bool) or not isinstance(value, int) or not question.scale.min <= value <= question.scale.max:
            problems.append(f"{value!r} is not on the {question.scale.min}-{question.scale.max} scale of "
                            f"'{question.prompt}'")
    if problems:
        raise BallotError("; ".join(problems), problems)
    if not answers:
        raise BallotError(f"{voter.name} has answered no questions; to take no part, abstain instead")
    ordered = {question.id: answers[question.id] for question in questions if question.id in answers}
    return _store(round, voter_id, now, lambda who, when: RatingBallot(voter=who, cast_at=when, answers=ordered))


def _store(round: Round, voter_id: str, now: datetime, make: Callable[[str | None, datetime | None], B]) -> B:
    """Add a ballot built by `make(voter, cast_at)`, anonymously when the round is anonymous."""
    if round.mode == "anonymous":
        ballot = make(None, None)
        # A random place in the list, so the file's order does not give away the order of voting.
        round.ballots.insert(secrets.randbelow(len(round.ballots) + 1), ballot)
    else:
        ballot = make(voter_id, now)
        round.ballots.append(ballot)
    if voter_id in round.abstained:
        round.abstained.remove(voter_id)
    # Sorted, not appended: in an anonymous round the order of `voted` would be the order of voting.
    insort(round.voted, voter_id)
    return ballot


def abstain(session: Session, round: Round, voter_id: str) -> None:
    """Record that a present participant takes no part in this round.

    Undo it with `withdraw`, or by casting a ballot.
    """
    _check_open(session, round, _rounds_of(session, round))
    voter = _check_voter(session, round, voter_id, action="abstain")
    if voter_id in round.abstained:
        raise BallotError(f"{voter.name} has already abstained")
    insort(round.abstained, voter_id)


def withdraw(session: Session, round: Round, voter_id: str) -> None:
    """Take back a voter's ballot (or abstention) before the results are revealed.

    Refused for a ballot in an anonymous round: nothing in it says whose it is. Re-run the
    round instead.
    """
    _check_open(session, round, _rounds_of(session, round))
    participant = session.participant(voter_id)
    name = participant.name if participant else f"'{voter_id}'"
    if voter_id in round.abstained:
        round.abstained.remove(voter_id)
        return
    if voter_id not in round.voted:
        raise BallotError(f"{name} has not voted in this round")
    if round.mode == "anonymous":
        raise BallotError("anonymous ballots cannot be told apart; re-run the round instead")
    index = next((i for i, ballot in enumerate(round.ballots) if ballot.voter == voter_id), None)
    if index is not None:
        del round.ballots[index]
    round.voted.remove(voter_id)


def _rounds_of(session: Session, round: Round) -> Sequence[Round]:
    return session.vote_rounds if isinstance(round, VoteRound) else session.rating_rounds


def _check_open(session: Session, round: Round, rounds: Sequence[Round]) -> None:
    """Ballots, abstentions and withdrawals are only taken by a round still open to them."""
    if not any(candidate is round for candidate in rounds):
        raise BallotError("this round is not part of this session")
    if round.superseded:
        raise BallotError("this round has been re-run; use the latest round")
    if round.closed_at is not None:
        raise BallotError("this round is closed")
    # Once results are shown, a new or changed ballot could be cast knowing them.
    if round.revealed:
        raise BallotError("the results have been revealed; re-run the round to vote again")
    if round.mode == "hands":
        raise BallotError("this round is a show of hands; the facilitator types the counts")


def _check_voter(session: Session, round: Round, voter_id: str, *, action: str) -> Participant:
    participant = session.participant(voter_id)
    if participant is None:
        raise BallotError(f"no participant with id '{voter_id}' in this session")
    if not participant.present:
        raise BallotError(f"{participant.name} is marked absent; mark them present to {action}")
    if voter_id in round.voted:
        if round.mode == "anonymous":
            raise BallotError(f"{participant.name} has already voted; anonymous ballots cannot be told apart, "
                              "so re-run the round to vote again")
        again = "abstain" if action == "abstain" else "vote again"
        raise BallotError(f"{participant.name} has already voted; withdraw the ballot first to {again}")
    return participant


# -- show of hands ------------------------------------------------------------------


def set_hands(round: Round, counts: Mapping[str, object], *, questions: Sequence[Question] | None = None) -> None:
    """Replace a show-of-hands round's counts with those the facilitator typed.

    Vote round: proposal id -> dots. Rating round: question id -> {point -> hands}, with
    points as numbers or text; `questions` (the round's questions) is required to check
    the points. Counts are whole numbers from 0. Allowed after reveal (to fix a typo in a
    public count) but not once the round is closed or re-run.
    """
    if round.mode != "hands":
        raise BallotError("this round takes ballots, not a show of hands")
    if round.superseded:
        raise BallotError("this round has been re-run; use the latest round")
    if round.closed_at is not None:
        raise BallotError("this round is closed")
    if isinstance(round, VoteRound):
        hands: dict[str, int] = {}
        for proposal_id, value in counts.items():
            if proposal_id not in round.proposals:
                raise BallotError(f"'{proposal_id}' is not on this ballot")
            hands[proposal_id] = _count(value, f"dots for '{proposal_id}'")
        round.hands = {pid: hands[pid] for pid in round.proposals if pid in hands}
        return
    if questions is None:
        raise TypeError("set_hands needs the questions of a rating round to check its points")
    by_id = {question.id: question for question in questions}
    rating: dict[str, dict[str, int]] = {}
    for question_id, per_point in counts.items():
        question = by_id.get(question_id)
        if question is None:
            raise BallotError(f"'{question_id}' is not a question of this activity")
        if not isinstance(per_point, Mapping):
            raise BallotError(f"the counts for '{question_id}' must map each point to a number of hands")
        checked: dict[int, int] = {}
        for point, value in per_point.items():
            number = _whole(point)
            if number is None or not question.scale.min <= number <= question.scale.max:
                raise BallotError(f"{point!r} is not on the {question.scale.min}-{question.scale.max} scale of "
                                  f"'{question.prompt}'")
            checked[number] = _count(value, f"hands for {number} on '{question.prompt}'")
        rating[question_id] = {str(point): checked[point] for point in question.scale.points if point in checked}
    round.hands = {q.id: rating[q.id] for q in questions if q.id in rating}


def _whole(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_HANDS:
        raise BallotError(f"{what} must be a whole number from 0 to {MAX_HANDS:,}, not {value!r}")
    return value


# -- the end of a round ---------------------------------------------------------------


def reveal(round: Round) -> None:
    """Show the results (in pass-the-keyboard rounds, the ballots cast so far). Idempotent."""
    if round.superseded:
        raise BallotError("this round has been re-run; use the latest round")
    round.revealed = True


def close(round: Round, now: datetime) -> None:
    """Stop taking ballots. Closing does not reveal: results stay hidden until `reveal`."""
    if round.superseded:
        raise BallotError("this round has been re-run; use the latest round")
    if round.closed_at is not None:
        raise BallotError("this round is already closed")
    round.closed_at = now


def rerun(session: Session, round: Round, now: datetime, *, mode: str | None = None) -> Round:
    """Start the round again: the old one is kept in the file, closed and superseded.

    The new round has the same activity, settings and proposals (less any proposal since
    removed from the session); `mode` may change, e.g. to re-run a named vote anonymously.
    Ballots, abstentions and counts start empty.
    """
    rounds = _rounds_of(session, round)
    if not any(candidate is round for candidate in rounds):
        raise BallotError("this round is not part of this session")
    if round.superseded:
        raise BallotError("this round has already been re-run; re-run the latest round")
    new_mode = _mode(mode if mode is not None else round.mode)
    fresh: Round
    if isinstance(round, VoteRound):
        known = {proposal.id for proposal in session.proposals}
        proposals = [proposal_id for proposal_id in round.proposals if proposal_id in known]
        if not proposals:
            raise BallotError("none of this round's proposals is still in the session")
        fresh = VoteRound(id=_round_id(session), activity_id=round.activity_id, mode=new_mode, opened_at=now,
                          dots_per_person=round.dots_per_person, max_per_item=round.max_per_item,
                          proposals=proposals)
    else:
        fresh = RatingRound(id=_round_id(session), activity_id=round.activity_id, mode=new_mode, opened_at=now)
    if round.closed_at is None:
        round.closed_at = now
    round.superseded = True
    rounds.append(fresh)  # type: ignore[arg-type]
    return fresh
