"""Show of hands: the facilitator types the counts instead of taking ballots.

The rules of the ballot box (`workshop.domain.ballots`) apply: a re-run or closed round
takes no counts; the reasons are the ballot box's, as `BallotError`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workshop.domain.ballots import RERUN_ALREADY, BallotError, Round, _sentence
from workshop.domain.models.limits import MAX_HANDS
from workshop.domain.models.pack import Question
from workshop.domain.models.session import VoteRound
from workshop.domain.text import plural


def set_hands(
    ballot_round: Round,
    counts: Mapping[str, object],
    *,
    questions: Sequence[Question] | None = None,
    present: int | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Replace a show-of-hands round's counts with those the facilitator typed.

    Vote round: proposal id -> dots. Rating round: question id -> {point -> hands}, with
    points as numbers or text; `questions` (the round's questions) is required to check
    the points. Counts are whole numbers from 0. Allowed after reveal (to fix a typo in a
    public count) but not once the round is closed or re-run.

    `present` (the number of people present) bounds the counts, so a slip of the keys
    cannot record more hands than the room has: at most `present` x the round's most
    dots on one proposal for a dot vote, at most `present` hands in all on one question
    of a rating. `labels` (proposal id -> text) names proposals in the reasons.
    """
    if ballot_round.mode != "hands":
        raise BallotError("This round takes ballots, not a show of hands.")
    if ballot_round.superseded:
        raise BallotError(RERUN_ALREADY)
    if ballot_round.closed_at is not None:
        raise BallotError("This round is closed.")
    if isinstance(ballot_round, VoteRound):
        names = labels or {}
        hands: dict[str, int] = {}
        for proposal_id, value in counts.items():
            if proposal_id not in ballot_round.proposals:
                raise BallotError(f"There is no proposal '{proposal_id}' on this ballot.")
            name = names.get(proposal_id, proposal_id)
            hands[proposal_id] = _count(value, f"dots for '{name}'")
            if present is not None and hands[proposal_id] > present * ballot_round.max_per_item:
                raise BallotError(
                    f"At most {plural(present * ballot_round.max_per_item, 'dot')} can go on '{name}': "
                    f"{_people(present)} present, at most {plural(ballot_round.max_per_item, 'dot')} each on one proposal."
                )
        ballot_round.hands = {pid: hands[pid] for pid in ballot_round.proposals if pid in hands}
        return
    if questions is None:
        raise TypeError("set_hands needs the questions of a rating round to check its points")
    by_id = {question.id: question for question in questions}
    rating: dict[str, dict[str, int]] = {}
    for question_id, per_point in counts.items():
        question = by_id.get(question_id)
        if question is None:
            raise BallotError(f"There is no question '{question_id}' in this activity.")
        if not isinstance(per_point, Mapping):
            raise BallotError(f"The counts for '{question_id}' must map each point to a number of hands.")
        checked: dict[int, int] = {}
        for point, value in per_point.items():
            number = _whole(point)
            if number is None or not question.scale.min <= number <= question.scale.max:
                raise BallotError(f"There is no point {point!r} on the {question.scale.min}-{question.scale.max} scale of '{question.prompt}'.")
            checked[number] = _count(value, f"hands for {number} on '{question.prompt}'")
        total = sum(checked.values())
        if present is not None and total > present:
            raise BallotError(f"There are {total} hands on '{question.prompt}', more than the {_people(present)} present.")
        rating[question_id] = {str(point): checked[point] for point in question.scale.points if point in checked}
    ballot_round.hands = {q.id: rating[q.id] for q in questions if q.id in rating}


def _people(count: int) -> str:
    return "nobody" if count == 0 else "1 person" if count == 1 else f"{count} people"


def _whole(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_HANDS:
        raise BallotError(_sentence(f"{what} must be a whole number from 0 to {MAX_HANDS:,}, not {value!r}"))
    return value
