"""Counting ratings and dot votes: pure functions that read rounds and never change them.

The rules a room is told (when answers count as low agreement, how ties are broken) are
module constants, so the screens and the exported report print the same words the code
follows. The ballot-box rules that change a session live in `workshop.domain.ballots`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence, TypeVar

from workshop.domain.models.pack import Question, Scale
from workshop.domain.models.session import TIME_HORIZONS, RatingRound, VoteRound
from workshop.domain.text import plural

# -- ratings ------------------------------------------------------------------------

# Answers this share of the scale's range apart (or more) count as low agreement.
LOW_AGREEMENT_SHARE = 0.75
LOW_AGREEMENT_RULE = (
    "Low agreement: at least two answers, and the lowest and highest are at least three "
    "quarters of the scale apart (3 points on a 1-5 scale, 7 on a 1-10 scale)."
)


def low_agreement_gap(scale: Scale) -> int:
    """The spread (max − min of the answers) from which a question is flagged on `scale`.

    ceil(0.75 × (scale.max − scale.min)): 3 on 1-5, 7 on 1-10, 8 on 0-10. Integer
    arithmetic, so no float rounding can move the threshold.
    """
    return -(-3 * (scale.max - scale.min) // 4)


@dataclass(frozen=True)
class RatingSummary:
    """The answers to one question, counted.

    `distribution` holds every point of the scale, in order, zeros included. `median`,
    `mean`, `spread` (highest − lowest answer) and `stdev` (population) are None when
    nobody answered. `off_scale` counts answers that are not a point of the scale (only
    a hand-edited file has them); they are left out of everything else.
    """

    question_id: str
    scale: Scale
    count: int
    distribution: dict[int, int]
    median: float | None
    mean: float | None
    spread: int | None
    stdev: float | None
    low_agreement: bool
    off_scale: int = 0


def summarise_distribution(distribution: Mapping[int, int], scale: Scale, *, question_id: str = "", off_scale: int = 0) -> RatingSummary:
    """Summarise counts per scale point (point -> number of answers).

    Works from counts rather than a list of answers so that a show of hands of any size
    costs the same. Points missing from `distribution` count as zero; points off the
    scale are ignored.
    """
    full = {point: int(distribution.get(point, 0)) for point in scale.points}
    count = sum(full.values())
    if count == 0:
        return RatingSummary(question_id, scale, 0, full, None, None, None, None, False, off_scale)
    answered = [point for point, hands in full.items() if hands]
    spread = answered[-1] - answered[0]
    mean = sum(point * hands for point, hands in full.items()) / count
    variance = sum(hands * (point - mean) ** 2 for point, hands in full.items()) / count
    # The median of an even count is the mean of the two middle answers (so 2.5 is possible).
    median = (_nth(full, (count - 1) // 2) + _nth(full, count // 2)) / 2
    low = count >= 2 and spread >= low_agreement_gap(scale)
    return RatingSummary(question_id, scale, count, full, median, mean, spread, math.sqrt(variance), low, off_scale)


def _nth(distribution: Mapping[int, int], index: int) -> int:
    """The answer at 0-based `index` when all answers are sorted."""
    for point, hands in distribution.items():
        if index < hands:
            return point
        index -= hands
    raise IndexError(index)


def summarise_ratings(values: Iterable[int], scale: Scale, *, question_id: str = "") -> RatingSummary:
    """Summarise a list of answers on `scale`; answers off the scale are counted apart."""
    distribution: dict[int, int] = {}
    off_scale = 0
    for value in values:
        if _on_scale(value, scale):
            distribution[value] = distribution.get(value, 0) + 1
        else:
            off_scale += 1
    return summarise_distribution(distribution, scale, question_id=question_id, off_scale=off_scale)


def summarise_rating_round(ballot_round: RatingRound, questions: Sequence[Question]) -> dict[str, RatingSummary]:
    """One summary per question, in the order of `questions`.

    A show-of-hands round is counted from `round.hands` (question id -> {point as text ->
    hands}); any other round from its ballots, where a question left out was not answered.
    Answers to questions not in `questions` are ignored.
    """
    summaries: dict[str, RatingSummary] = {}
    for question in questions:
        if ballot_round.mode == "hands":
            distribution: dict[int, int] = {}
            off_scale = 0
            for point_text, hands in ballot_round.hands.get(question.id, {}).items():
                point = _point(point_text)
                if point is not None and _on_scale(point, question.scale):
                    distribution[point] = distribution.get(point, 0) + hands
                else:
                    off_scale += hands
            summaries[question.id] = summarise_distribution(distribution, question.scale, question_id=question.id, off_scale=off_scale)
        else:
            values = [b.answers[question.id] for b in ballot_round.ballots if question.id in b.answers]
            summaries[question.id] = summarise_ratings(values, question.scale, question_id=question.id)
    return summaries


def _on_scale(value: object, scale: Scale) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and scale.min <= value <= scale.max


def _point(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


# -- dot votes ----------------------------------------------------------------------

TIE_RULE = (
    "Ties on dots are broken by the number of people who voted for the proposal; "
    "proposals still level share a place, listed in the order they were proposed. "
    "In a show of hands, where voters are not counted, proposals level on dots share a place."
)


def ballot_problems(dots: Mapping[str, object], budget: int, cap: int, allowed_proposals: Iterable[str], labels: Mapping[str, str] | None = None) -> list[str]:
    """Every reason a dot ballot cannot be accepted, in plain words; empty when it can.

    `dots` maps proposal id -> dots. `labels` (proposal id -> text) names proposals in the
    reasons; the id is used where a label is missing. Spending fewer dots than the budget
    is allowed: a voter may keep dots. An empty ballot has no problems here (a screen can
    check as the voter types); `workshop.domain.ballots` refuses to record one.
    """
    labels = labels or {}
    allowed = set(allowed_proposals)
    problems: list[str] = []
    used = 0
    for proposal_id, value in dots.items():
        name = _quoted(labels.get(proposal_id, proposal_id))
        if proposal_id not in allowed:
            problems.append(f"{name} is not on this ballot")
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"dots on {name} must be a whole number, not {value!r}")
            continue
        if value < 1:
            problems.append(f"{value} dots on {name}: put at least 1 dot, or leave it out")
            continue
        used += value
        if value > cap:
            problems.append(f"{value} dots on {name}, at most {cap} on one proposal")
    if used > budget:
        problems.insert(0, f"{plural(used, 'dot')} used, {budget} allowed")
    return problems


def _quoted(text: str, limit: int = 40) -> str:
    # Proposals can be a paragraph long; a reason must stay one readable line.
    return f"'{text}'" if len(text) <= limit else f"'{text[: limit - 1]}…'"


@dataclass(frozen=True)
class Ranked:
    """A proposal's result. `voters` is None in a show of hands (nobody's ballot is known)."""

    proposal_id: str
    dots: int
    voters: int | None
    place: int
    shared: bool

    @property
    def place_label(self) -> str:
        """'2', or '=2' when another proposal shares the place."""
        return f"={self.place}" if self.shared else str(self.place)


def dot_totals(ballot_round: VoteRound) -> dict[str, int]:
    """Dots per proposal on the ballot, in ballot order, zeros included.

    From `round.hands` in a show of hands, otherwise from the ballots. Dots on proposals
    not on the ballot (only a hand-edited file has them) are not counted.
    """
    totals = {proposal_id: 0 for proposal_id in ballot_round.proposals}
    if ballot_round.mode == "hands":
        for proposal_id, dots in ballot_round.hands.items():
            if proposal_id in totals:
                totals[proposal_id] += dots
    else:
        for ballot in ballot_round.ballots:
            for proposal_id, dots in ballot.dots.items():
                if proposal_id in totals:
                    totals[proposal_id] += dots
    return totals


def rank_proposals(ballot_round: VoteRound) -> list[Ranked]:
    """Every proposal on the round's ballot, best first, with its place. See `TIE_RULE`.

    Order: total dots (more first), then the number of distinct ballots that gave it a dot
    (more first), then its position in `ballot_round.proposals`. A proposal's place is 1 + the
    number of proposals strictly ahead of it on (dots, voters), so proposals level on both
    share a place. Proposals with no dots are included. Pass the round that counts
    (`current_round`); earlier rounds are not looked at.
    """
    totals = dot_totals(ballot_round)
    hands = ballot_round.mode == "hands"
    voters: dict[str, int] = {proposal_id: 0 for proposal_id in totals}
    if not hands:
        for ballot in ballot_round.ballots:
            for proposal_id, dots in ballot.dots.items():
                if proposal_id in voters and dots > 0:
                    voters[proposal_id] += 1
    position = {proposal_id: index for index, proposal_id in enumerate(totals)}
    score = {proposal_id: (totals[proposal_id], voters[proposal_id]) for proposal_id in totals}
    order = sorted(totals, key=lambda pid: (-score[pid][0], -score[pid][1], position[pid]))
    ranked: list[Ranked] = []
    for index, proposal_id in enumerate(order):
        # Sorted, so the proposals strictly ahead are those before the first level one.
        first_level = next(i for i in range(index + 1) if score[order[i]] == score[proposal_id])
        level = sum(1 for other in order if score[other] == score[proposal_id])
        ranked.append(Ranked(proposal_id, totals[proposal_id], None if hands else voters[proposal_id], place=first_level + 1, shared=level > 1))
    return ranked


# -- horizons -----------------------------------------------------------------------

# The time horizons in order (the Unplaced tray is not a pick); defined in the session model.
HORIZON_ORDER: tuple[str, ...] = TIME_HORIZONS


@dataclass(frozen=True)
class HorizonSuggestion:
    """How often each horizon was picked, in horizon order, and the one to suggest.

    `suggested` is None when nothing was picked or when horizons tie for the most picks;
    `tied` then lists the tied horizons in horizon order (empty when nothing was picked).
    """

    counts: dict[str, int]
    suggested: str | None
    tied: list[str] = field(default_factory=list)


def horizon_suggestion(picks: Iterable[str]) -> HorizonSuggestion:
    """Suggest the most-picked horizon; a tie is left for the room to settle.

    Raises ValueError for anything that is not one of `HORIZON_ORDER` ("unplaced" is not
    a pick).
    """
    counts = {horizon: 0 for horizon in HORIZON_ORDER}
    for pick in picks:
        if pick not in counts:
            raise ValueError(f"'{pick}' is not a horizon (expected one of {', '.join(HORIZON_ORDER)})")
        counts[pick] += 1
    most = max(counts.values())
    if most == 0:
        return HorizonSuggestion(counts, None, [])
    top = [horizon for horizon in HORIZON_ORDER if counts[horizon] == most]
    if len(top) == 1:
        return HorizonSuggestion(counts, top[0], [])
    return HorizonSuggestion(counts, None, top)


# -- rounds -------------------------------------------------------------------------

R = TypeVar("R", RatingRound, VoteRound)


def current_round(rounds: Sequence[R], activity_id: str) -> R | None:
    """The round that counts for an activity: the last one in the file not superseded.

    File order rather than `opened_at`, because two rounds can open in the same second.
    """
    for candidate in reversed(rounds):
        if candidate.activity_id == activity_id and not candidate.superseded:
            return candidate
    return None
