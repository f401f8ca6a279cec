"""The cross-checks of an agenda: duplicate ids and references that lead nowhere.

Split from `workshop.domain.models.pack` (which re-exports both names): they work on
plain data, so the loader can run them on a file whose other keys failed validation.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence


class ReferenceProblems(ValueError):
    """Cross-check failures, each with the key path it concerns.

    Raised from a model validator; pydantic keeps the exception in the error's context,
    so the loader can report every problem at its own path and line.
    """

    def __init__(self, problems: Sequence[tuple[tuple[str | int, ...], str]]):
        self.problems = list(problems)
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {reason}" for loc, reason in self.problems))


def agenda_problems(data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Duplicate ids and references to behaviours that do not exist, with their paths.

    Works on plain data (the agenda as a dict), so the loader can also run it on a file
    whose other keys failed validation and report every problem in one go.
    """

    def items(container: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
        value = container.get(key) if isinstance(container, dict) else None
        return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []

    behaviour_ids: set[str] = set()
    for index, behaviour in items(data, "behaviours"):
        if behaviour.get("id") in behaviour_ids:
            yield ("behaviours", index, "id"), f"behaviour id '{behaviour.get('id')}' is used twice"
        behaviour_ids.add(str(behaviour.get("id")))

    def unknown(loc: tuple[str | int, ...], behaviour_id: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
        if isinstance(behaviour_id, str) and behaviour_id not in behaviour_ids:
            yield loc, f"refers to behaviour '{behaviour_id}', which the pack does not define"

    for index, pre_read in items(data, "pre_read"):
        yield from unknown(("pre_read", index, "behaviour"), pre_read.get("behaviour"))

    section_ids: set[str] = set()
    activity_ids: set[str] = set()
    question_ids: set[str] = set()
    anything_included = False
    vote_seen = False
    for s_index, section in items(data, "sections"):
        here: tuple[str | int, ...] = ("sections", s_index)
        section_id = section.get("id")
        if section_id in section_ids:
            yield (*here, "id"), f"section id '{section_id}' is used twice"
        section_ids.add(str(section_id))
        yield from unknown((*here, "behaviour"), section.get("behaviour"))
        for a_index, activity in items(section, "activities"):
            there = (*here, "activities", a_index)
            # The same default the Section model gives an activity without an id.
            activity_id = activity.get("id") or f"{section_id}-{a_index + 1}"
            if activity_id in activity_ids:
                yield (*there, "id"), f"activity id '{activity_id}' is used twice"
            activity_ids.add(str(activity_id))
            if section.get("included", True) is not False and activity.get("included", True) is not False:
                anything_included = True
            yield from unknown((*there, "behaviour"), activity.get("behaviour"))
            if activity.get("kind") == "vote":
                vote_seen = True
            elif activity.get("kind") == "consent" and not vote_seen:
                # The consent check asks about the vote's top priorities: it needs one.
                yield (*there, "kind"), "a consent check needs a vote activity before it in the agenda"
            behaviours = activity.get("behaviours")
            for b_index, behaviour_id in enumerate(behaviours if isinstance(behaviours, list) else []):
                yield from unknown((*there, "behaviours", b_index), behaviour_id)
            ratings = activity.get("ratings")
            for r_index, question_id in enumerate(ratings if isinstance(ratings, list) else []):
                # Only questions rated before the discussion have results to open it with.
                if isinstance(question_id, str) and question_id not in question_ids:
                    yield (*there, "ratings", r_index), f"refers to question '{question_id}', which is not rated before this activity"
            for q_index, question in items(activity, "questions"):
                if question.get("id") in question_ids:
                    yield (*there, "questions", q_index, "id"), f"question id '{question.get('id')}' is used twice"
                question_ids.add(str(question.get("id")))
    if items(data, "sections") and not anything_included:
        yield ("sections",), "every section is left out, so the agenda is empty"
