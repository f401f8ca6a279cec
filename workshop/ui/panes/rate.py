"""Rating: each participant rates every question of the activity on its scale."""

from __future__ import annotations

from rich.text import Text

from workshop.domain.ballots import rating_questions
from workshop.domain.models.pack import Question, RateActivity
from workshop.domain.models.session import RatingRound
from workshop.domain.tally import LOW_AGREEMENT_RULE, summarise_rating_round
from workshop.ui.panes.ballot import BallotList, BallotPane, bar
from workshop.ui.widgets.confirm import Confirm


class RatePane(BallotPane):
    """Digits rate the highlighted question and move on; Enter casts the ballot."""

    def _questions(self) -> list[Question]:
        assert isinstance(self.activity, RateActivity)
        return list(self.activity.questions)

    def intro(self) -> str:
        return self.activity.intro if isinstance(self.activity, RateActivity) else ""

    def hands_hint(self) -> str:
        return "press a point to add a hand to it, 0 clears the question"

    def _hands_counts(self) -> dict[str, dict[str, int]]:
        current = self.ballot_round
        return {qid: dict(points) for qid, points in current.hands.items()} if isinstance(current, RatingRound) else {}

    def _refresh_ballot(self) -> None:
        ballot = self.query_one(BallotList)
        lines = []
        counts = self._hands_counts() if self.hands else {}
        secret = self.secret
        for question in self._questions():
            scale = question.scale
            line = Text()
            if self.hands:
                mine = counts.get(question.id, {})
                line.append("  ".join(f"{point}:{mine.get(str(point), 0)}" for point in scale.points), style="bold")
            else:
                chosen = self.draft.get(question.id)
                # A secret round shows that a question is answered, never the answer.
                shown = "●" if secret else str(chosen)
                line.append(f"[{shown}]" if chosen is not None else "[ ]", style="bold")
            line.append(f"  {question.prompt}")
            line.append(f"  ({scale.min} {scale.low_label} … {scale.max} {scale.high_label})", style="dim")
            lines.append(line)
        ballot.show(lines)

    def on_key_action(self, what: str, value: int | None) -> None:
        if self.read_only or self.revealed:
            return
        ballot = self.query_one(BallotList)
        questions = self._questions()
        if ballot.highlighted is None:
            return
        question = questions[ballot.highlighted]
        scale = question.scale
        if self.hands:
            counts = self._hands_counts()
            mine = counts.setdefault(question.id, {})
            if what == "set" and value == 0 or what == "clear":
                counts[question.id] = {}
            elif what == "set" and value is not None and value in scale.points:
                mine[str(value)] = mine.get(str(value), 0) + 1
            else:
                return
            self.attempt(self.editor.set_hands, self.activity_id, counts)
            return
        if what == "cast":
            self._cast_or_ask()
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

    def _cast_or_ask(self) -> None:
        """Cast the draft; when some questions are unanswered (not all), ask first."""
        unanswered = [question.prompt for question in self._questions() if question.id not in self.draft]
        voter = self.session.participant(self.voter())
        if not self.draft or not unanswered or voter is None:
            # Nothing answered is refused with its reason; no voter is said by `cast`.
            self.cast(self.editor.cast_rating, dict(self.draft))
            return
        # Anonymous: the dialog names nobody (the console may be on the projector).
        question = Text("This ballot has not answered:\n\n" if self.anonymous else f"{voter.name} has not answered:\n\n")
        for prompt in unanswered:
            question.append(f"• {prompt}\n")
        question.append("\nCast the ballot with those questions unanswered?")

        def answered(cast_anyway: bool | None) -> None:
            if cast_anyway:
                self.cast(self.editor.cast_rating, dict(self.draft))
            else:
                self.focus_input()

        # A Text, not a string: the dialog then shows names exactly as typed, never as markup.
        self.app.push_screen(Confirm(question, yes="Cast", no="Go back"), answered)

    def results(self) -> Text:
        current = self.ballot_round
        assert isinstance(current, RatingRound)
        summaries = summarise_rating_round(current, rating_questions(self.session, current))
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
