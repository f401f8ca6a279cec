"""Two sessions side by side: ratings then and now, the earlier priorities, and timings.

Pure functions over sessions; nothing here changes a session. A rating question is
matched across sessions by its id (pack question ids are stable between versions of a
pack) and compared only when both sessions asked it on the same scale, so a median
never moves because the scale did. Spread is the *range* (highest − lowest answer),
the same figure the app shows everywhere, and "low agreement" follows
`workshop.domain.tally.LOW_AGREEMENT_RULE`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from workshop.domain.models.pack import Question, RateActivity, Scale
from workshop.domain.models.session import TIME_HORIZONS, PriorityStatus, Proposal, Session
from workshop.domain.report import ordered_priorities
from workshop.domain.schedule_report import SectionTiming, planned_vs_actual
from workshop.domain.tally import RatingSummary, current_round, summarise_rating_round, summarise_ratings

# A median that moves by this many scale points (or more) may be news for the room...
MEDIAN_MOVE_THAT_STANDS_OUT = 1
# ...when enough people answered both times that the move is unlikely to be chance: the
# averages must differ by at least twice their combined standard error (about a 95% test),
# and each side needs this many answers. With eight people a one-point move of the median
# often comes from two people changing their minds; this asks for more than that.
MIN_ANSWERS_TO_STAND_OUT = 3
STANDARD_ERRORS_TO_STAND_OUT = 2.0
STANDS_OUT_RULE = (
    "A question stands out when its median moved a point or more, beyond what the answers' scatter makes by chance, or when agreement turned low or back."
)
# The report says how "beyond chance" is judged, and in what order it lists the questions.
STANDS_OUT_DETAIL = (
    "Beyond chance means the averages differ by at least twice their standard error, so a change "
    "from fewer answers has to be larger or steadier to count; each time needs at least three answers. "
    "The questions that stand out come first."
)
SPREAD_RULE = "Spread is the range: the highest answer minus the lowest."

# What an earlier priority became, as the follow-up session records it.
REVIEW_LABELS: dict[str, str] = {
    "open": "Not reviewed",
    "in-progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
    "carried-forward": "Carried forward",
}


@dataclass(frozen=True)
class AskedQuestion:
    """A rating question as one session asked it, with its answers counted."""

    question_id: str
    prompt: str
    activity_id: str
    activity_title: str
    summary: RatingSummary

    @property
    def scale(self) -> Scale:
        """The scale the question was asked on."""
        return self.summary.scale


@dataclass(frozen=True)
class QuestionChange:
    """One question asked by both sessions: then, now and what changed.

    `median_change` is now − then (None when either side has no answers);
    `spread_change` likewise for the range. `agreement_changed` is True only when both
    sides have answers and exactly one of them is low agreement.
    """

    before: AskedQuestion
    after: AskedQuestion
    median_change: float | None
    spread_change: int | None
    agreement_changed: bool

    @property
    def question_id(self) -> str:
        """The id both sessions know the question by."""
        return self.before.question_id

    @property
    def prompt(self) -> str:
        """The later session's wording (it is the one the team saw last)."""
        return self.after.prompt

    @property
    def stands_out(self) -> bool:
        """See `STANDS_OUT_RULE`."""
        moved = self.median_change is not None and abs(self.median_change) >= MEDIAN_MOVE_THAT_STANDS_OUT
        return (moved and self.beyond_chance) or self.agreement_changed

    @property
    def beyond_chance(self) -> bool:
        """Whether the averages differ by at least `STANDARD_ERRORS_TO_STAND_OUT` standard errors.

        The standard error of each mean uses the sample variance (n − 1), so it grows as
        fewer people answer: a one-point move from four answers needs tighter answers
        than the same move from twenty.
        """
        then, now = self.before.summary, self.after.summary
        if min(then.count, now.count) < MIN_ANSWERS_TO_STAND_OUT or then.mean is None or now.mean is None:
            return False
        error = math.sqrt(_variance_of_mean(then) + _variance_of_mean(now))
        return abs(now.mean - then.mean) >= STANDARD_ERRORS_TO_STAND_OUT * error


@dataclass(frozen=True)
class PriorityReview:
    """An agreed priority of the earlier session and what the follow-up made of it.

    `status` is the follow-up's verdict ("done", "in-progress", "dropped",
    "carried-forward"), or "open" while nobody has reviewed it. `carried_to` is the id of
    the later session's proposal carried from it, if any.
    """

    proposal_id: str
    text: str
    horizon: str
    owner: str
    protected: bool
    review_date: date | None
    status: PriorityStatus
    carried_to: str | None

    @property
    def status_label(self) -> str:
        """The status in words, as the reports print it."""
        return REVIEW_LABELS[self.status]


@dataclass(frozen=True)
class TimingSide:
    """Planned against actual time of one session."""

    planned_minutes: int
    actual_seconds: float
    sections: tuple[SectionTiming, ...]


@dataclass(frozen=True)
class SessionFacts:
    """What identifies a compared session in a report."""

    session_id: str
    title: str
    team: str
    date: date
    pack_id: str
    pack_title: str


@dataclass(frozen=True)
class Comparison:
    """An earlier session (`before`) against a later one (`after`).

    `shared` lists the questions both asked on the same scale, in the later session's
    agenda order; `only_before` / `only_after` the questions one side asked and the other
    did not (or asked on another scale). `priorities` is filled only when the later
    session is a follow-up of the earlier one (`is_follow_up`).
    """

    before: SessionFacts
    after: SessionFacts
    shared: tuple[QuestionChange, ...]
    only_before: tuple[AskedQuestion, ...]
    only_after: tuple[AskedQuestion, ...]
    is_follow_up: bool
    priorities: tuple[PriorityReview, ...]
    timing_before: TimingSide
    timing_after: TimingSide

    @property
    def same_pack(self) -> bool:
        """Whether both sessions were built from the same content pack."""
        return self.before.pack_id == self.after.pack_id

    @property
    def standing_out(self) -> tuple[QuestionChange, ...]:
        """The shared questions that stand out, in order."""
        return tuple(change for change in self.shared if change.stands_out)

    @property
    def stand_outs_first(self) -> tuple[QuestionChange, ...]:
        """The shared questions, those that stand out first (largest median move first), then the rest in order."""
        standing = sorted(self.standing_out, key=lambda change: -abs(change.median_change or 0.0))
        return (*standing, *(change for change in self.shared if not change.stands_out))


def session_facts(session: Session) -> SessionFacts:
    """The facts that name `session` in a comparison."""
    return SessionFacts(session.id, session.title, session.team, session.date, session.agenda.pack_id, session.agenda.pack_title)


def asked_questions(session: Session) -> list[AskedQuestion]:
    """Every rating question of the session's included activities, counted, in agenda order.

    The round that counts is the latest not superseded; a question never rated has a
    summary with no answers.
    """
    asked: list[AskedQuestion] = []
    for _, activity in session.agenda.activities():
        if not isinstance(activity, RateActivity):
            continue
        activity_id = activity.id or ""
        ballot_round = current_round(session.rating_rounds, activity_id)
        summaries = summarise_rating_round(ballot_round, activity.questions) if ballot_round else {}
        for question in activity.questions:
            summary = summaries.get(question.id) or _unanswered(question)
            asked.append(AskedQuestion(question.id, question.prompt, activity_id, activity.title, summary))
    return asked


def _unanswered(question: Question) -> RatingSummary:
    return summarise_ratings([], question.scale, question_id=question.id)


def _variance_of_mean(summary: RatingSummary) -> float:
    """The squared standard error of the summary's mean (sample variance over n)."""
    n = summary.count
    sample_variance = (summary.stdev or 0.0) ** 2 * n / (n - 1)
    return sample_variance / n


def _same_scale(a: Scale, b: Scale) -> bool:
    return (a.min, a.max) == (b.min, b.max)


def compare_questions(before: AskedQuestion, after: AskedQuestion) -> QuestionChange:
    """The change from `before` to `after` (the same question, on the same scale)."""
    then, now = before.summary, after.summary
    median_change = None if then.median is None or now.median is None else now.median - then.median
    spread_change = None if then.spread is None or now.spread is None else now.spread - then.spread
    agreement_changed = then.count > 0 and now.count > 0 and then.low_agreement != now.low_agreement
    return QuestionChange(before, after, median_change, spread_change, agreement_changed)


def timing_side(session: Session) -> TimingSide:
    """Planned minutes and actual seconds of the whole agenda, with the sections."""
    sections = tuple(planned_vs_actual(session))
    return TimingSide(sum(s.planned_minutes for s in sections), sum(s.actual_seconds for s in sections), sections)


def is_follow_up(earlier: Session, later: Session) -> bool:
    """Whether `later` was started as a follow-up of `earlier`."""
    return later.follow_up_of is not None and later.follow_up_of == earlier.id


def priority_reviews(earlier: Session, later: Session) -> list[PriorityReview]:
    """The earlier session's agreed priorities (placed on a horizon) and their review.

    A follow-up made by `workshop.domain.follow_up` records the review itself
    (`reviews_recorded`). Otherwise the verdict is read from the later session: a proposal there with `carried_from`
    set to the priority's id records it; its status is the verdict, and a carried copy
    still "open" means it was carried forward. Without one the priority is "open"
    (not reviewed yet).
    """
    if later.earlier_priorities:
        return reviews_recorded(later)
    carried: dict[str, Proposal] = {}
    for proposal in later.proposals:
        if proposal.carried_from is not None:
            carried.setdefault(proposal.carried_from, proposal)
    reviews: list[PriorityReview] = []
    for horizon in TIME_HORIZONS:
        for proposal in ordered_priorities(earlier, horizon):
            copy = carried.get(proposal.id)
            status: PriorityStatus = "open"
            if copy is not None:
                status = "carried-forward" if copy.status == "open" else copy.status
            reviews.append(
                PriorityReview(
                    proposal.id,
                    proposal.text,
                    proposal.horizon,
                    proposal.owner,
                    proposal.protected,
                    proposal.review_date,
                    status,
                    copy.id if copy is not None else None,
                )
            )
    return reviews


def reviews_recorded(later: Session) -> list[PriorityReview]:
    """The review a follow-up recorded (`Session.earlier_priorities`, see
    `workshop.domain.follow_up`): its copy of each earlier priority and the mark given,
    "open" for one not reviewed yet."""
    return [
        PriorityReview(
            priority.id,
            priority.text,
            priority.horizon,
            priority.owner,
            priority.protected,
            priority.review_date,
            "open" if priority.status == "unreviewed" else priority.status,
            priority.carried_to,
        )
        for priority in later.earlier_priorities
    ]


def compare_sessions(before: Session, after: Session) -> Comparison:
    """Compare an earlier session with a later one; see `Comparison`.

    Pass them in date order (`in_date_order` sorts a list); the function does not
    reorder them, so "then" and "now" are what the caller says.
    """
    then = {q.question_id: q for q in asked_questions(before)}
    now = asked_questions(after)
    now_ids = {q.question_id: q for q in now}
    shared: list[QuestionChange] = []
    only_after: list[AskedQuestion] = []
    for question in now:
        earlier = then.get(question.question_id)
        if earlier is not None and _same_scale(earlier.scale, question.scale):
            shared.append(compare_questions(earlier, question))
        else:
            only_after.append(question)
    only_before = [q for q in then.values() if q.question_id not in now_ids or not _same_scale(q.scale, now_ids[q.question_id].scale)]
    follow_up = is_follow_up(before, after)
    return Comparison(
        before=session_facts(before),
        after=session_facts(after),
        shared=tuple(shared),
        only_before=tuple(only_before),
        only_after=tuple(only_after),
        is_follow_up=follow_up,
        priorities=tuple(priority_reviews(before, after)) if follow_up else (),
        timing_before=timing_side(before),
        timing_after=timing_side(after),
    )


def in_date_order(sessions: list[Session]) -> list[Session]:
    """Sessions sorted by their date, then by when they were created (oldest first)."""
    return sorted(sessions, key=lambda s: (s.date, s.created_at))
