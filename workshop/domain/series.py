"""Three or more sessions of one team: each rating question's median over time.

Pure functions over sessions. Sessions belong to one team when they share a team name
(compared without case and surrounding spaces) or when they form a chain of follow-ups
(each later one started as a follow-up of an earlier one in the set). Questions are
matched by id, as in `workshop.domain.compare`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workshop.domain.compare import asked_questions, in_date_order
from workshop.domain.errors import WorkshopError
from workshop.domain.models.pack import Scale
from workshop.domain.models.session import Session

# Fewer than three points make a comparison, not a trend.
MIN_SERIES_SESSIONS = 3


@dataclass(frozen=True)
class SeriesPoint:
    """One session on the time axis."""

    session_id: str
    title: str
    date: date


@dataclass(frozen=True)
class QuestionSeries:
    """A question's median in each session of the series (None: not asked or unanswered).

    `medians` has one entry per `Series.points`, in the same order. The scale is the one
    of the session that asked it first; sessions that asked it on another scale count as
    not asking it (a median on another scale is not comparable).
    """

    question_id: str
    prompt: str
    scale: Scale
    medians: tuple[float | None, ...]

    @property
    def known(self) -> int:
        """How many sessions have a median for this question."""
        return sum(1 for median in self.medians if median is not None)


@dataclass(frozen=True)
class Series:
    """Sessions in date order and each question's medians across them."""

    team: str
    points: tuple[SeriesPoint, ...]
    questions: tuple[QuestionSeries, ...]


def _team_key(team: str) -> str:
    return " ".join(team.split()).casefold()


def one_team(sessions: list[Session]) -> bool:
    """Whether the sessions are of one team: the same (non-empty) team name, or a chain
    of follow-ups in which every session but the earliest follows up one of the others."""
    if not sessions:
        return False
    names = {_team_key(s.team) for s in sessions}
    if len(names) == 1 and "" not in names:
        return True
    ordered = in_date_order(sessions)
    seen = {ordered[0].id}
    for session in ordered[1:]:
        if session.follow_up_of not in seen:
            return False
        seen.add(session.id)
    return True


def was_held(session: Session) -> bool:
    """Whether the session took place: anything but planned, or planned with answers recorded
    (a file edited by hand). A planned follow-up not yet run is no point on a trend."""
    if session.status != "planned":
        return True
    return any(question.summary.count for question in asked_questions(session))


def series(sessions: list[Session]) -> Series:
    """Each question's median over time across the `sessions` that were held (in date order).

    Sessions not held yet (`was_held`) and questions nobody answered are left out.
    Raises WorkshopError when fewer than `MIN_SERIES_SESSIONS` sessions were held or
    they are not of one team (see `one_team`).
    """
    held = [session for session in sessions if was_held(session)]
    if len(held) < MIN_SERIES_SESSIONS:
        not_held = len(sessions) - len(held)
        extra = f" ({not_held} not held yet)" if not_held else ""
        raise WorkshopError(f"A series needs at least {MIN_SERIES_SESSIONS} sessions that were held; {len(sessions)} given{extra}.")
    sessions = held
    if not one_team(sessions):
        raise WorkshopError("These sessions are not of one team: give them the same team name, or start each as a follow-up of the one before.")
    ordered = in_date_order(sessions)
    points = tuple(SeriesPoint(s.id, s.title, s.date) for s in ordered)
    first_seen: dict[str, tuple[str, Scale]] = {}
    medians: dict[str, list[float | None]] = {}
    for index, session in enumerate(ordered):
        for question in asked_questions(session):
            if question.question_id not in first_seen:
                first_seen[question.question_id] = (question.prompt, question.scale)
                medians[question.question_id] = [None] * len(ordered)
            _, scale = first_seen[question.question_id]
            if (scale.min, scale.max) == (question.scale.min, question.scale.max):
                medians[question.question_id][index] = question.summary.median
    # The latest team name is the one the team goes by now.
    team = next((s.team for s in reversed(ordered) if s.team.strip()), "")
    # A question nobody answered in any session has no trend to show.
    questions = tuple(
        QuestionSeries(qid, prompt, scale, tuple(medians[qid])) for qid, (prompt, scale) in first_seen.items() if any(m is not None for m in medians[qid])
    )
    return Series(team, points, questions)
