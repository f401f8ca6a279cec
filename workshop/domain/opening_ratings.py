"""The revealed ratings a discussion opens with, lowest and most divided first.

A discuss activity names rating questions asked earlier (`DiscussActivity.ratings`); the
room starts the discussion from where it rated itself lowest and agreed least.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from workshop.domain.ballots import rating_questions
from workshop.domain.models.pack import Question
from workshop.domain.models.session import Session
from workshop.domain.tally import RatingSummary, current_round, summarise_rating_round


@dataclass(frozen=True)
class OpeningRating:
    """One question's revealed result."""

    question: Question
    summary: RatingSummary


def opening_ratings(session: Session, question_ids: Sequence[str]) -> list[OpeningRating]:
    """The revealed, answered results of `question_ids`, lowest median first.

    Among equal medians the wider spread comes first, so a divided question is not
    hidden behind a calm one. Questions whose round is not revealed yet, or that nobody
    answered, are left out: a discussion never shows a result the room has not seen.
    """
    wanted = set(question_ids)
    found: list[OpeningRating] = []
    for activity, question in session.agenda.questions():
        if question.id not in wanted or activity.id is None:
            continue
        ballot_round = current_round(session.rating_rounds, activity.id)
        if ballot_round is None or not ballot_round.revealed:
            continue
        summary = summarise_rating_round(ballot_round, rating_questions(session, ballot_round)).get(question.id)
        if summary is None or summary.median is None:
            continue
        found.append(OpeningRating(question, summary))
    return sorted(found, key=lambda item: (item.summary.median or 0.0, -(item.summary.spread or 0)))
