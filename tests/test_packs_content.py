"""The packs that ship with the app: the default child-poverty workshop and the demo.

These test what the packs say (behaviours, questions, timings, order), not the schema,
which has tests of its own.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest
from test_packs_copying import BEHAVIOUR_NAMES, REPORT_TITLE, SOURCE_FILE, pack_texts

from workshop.domain.models.pack import (
    ACTIVITY_KINDS,
    CloseActivity,
    ConsentActivity,
    DiscussActivity,
    Pack,
    PlaceActivity,
    ProposeActivity,
    RateActivity,
    ReadActivity,
    Scale,
    VoteActivity,
)
from workshop.domain.models.session import HORIZON_LABELS, TIME_HORIZONS
from workshop.storage.packs import (
    DEFAULT_PACK_ID,
    DEMO_PACK_ID,
    builtin_content_dir,
    load_pack,
)

DEFAULT_FILE = builtin_content_dir() / "resourceful-child-poverty.toml"
DEMO_FILE = builtin_content_dir() / "demo.toml"
# As documented in the comment at the top of the default pack.
DOCUMENTED_MINUTES = 170
# A three-hour slot with slack for arrivals and overruns.
PLANNED_MINUTES = (160, 175)
LATEST_BREAK_MINUTE = 90
# The longest stretch of reading on screen, however many read activities it spans.
LONGEST_READ_MINUTES = 3
MAX_RATING_ITEMS = 6

# The eleven questions for consideration, by id prefix: how many each behaviour has,
# and the behaviour (and section) they belong to.
QUESTION_GROUPS = {"collab": ("collaborate", 3), "results": ("results", 5), "openness": ("openness", 3)}
QUESTION_ID = re.compile(r"^(collab|results|openness)-q(\d+)(?:-[a-z0-9-]+)?$")
IN_DEPTH_ORDER = ["collaborate", "results", "openness"]
# The five behaviours the report names without child-poverty evidence: their
# descriptions are ours, and say so.
OURS_MARK = "Our own description (the report names this behaviour but gives no child-poverty evidence for it)"
# 1-2-4-All: alone, pairs, fours, all, each a timed stage with its own prompt.
ONE_TWO_FOUR_ALL_STAGES = [("Alone", 1), ("Pairs", 2), ("Fours", 4), ("All", 5)]
# Rating items in the whole day: enough to open each discussion, few enough to leave
# time for choosing (the second edition had 35).
RATING_ITEMS = (12, 16)
# The questions asked only as a discussion prompt (no rating fits them), with the words
# that prompt uses: the horizons question, asked once for all four horizons.
PROMPT_ONLY_QUESTIONS = {("results", 5): "Next month, six months, a year, longer term"}
# What the second edition said beyond the research (it "was able to identify" three
# behaviours; panels meet in local areas, not each one; users take more responsibility
# for deciding services; data is inconsistent; doubts about free school meals are some
# leaders' view).
OVERSTATEMENTS = ("clear evidence", "in each local area", "designed services with", "rarely agree", "free school meals may not")


@pytest.fixture(scope="module")
def pack() -> Pack:
    return load_pack(DEFAULT_FILE)


@pytest.fixture(scope="module")
def demo() -> Pack:
    return load_pack(DEMO_FILE)


def kinds(pack: Pack) -> Counter[str]:
    return Counter(activity.kind for _, activity in pack.activities())


def question_mentions(pack: Pack) -> Iterator[tuple[str, int, str]]:
    """(group, number, section id) for each discuss activity or rate question in the id scheme."""
    for section, activity in pack.activities():
        ids = [activity.id] if isinstance(activity, DiscussActivity) else []
        if isinstance(activity, RateActivity):
            ids = [question.id for question in activity.questions]
        for item_id in ids:
            match = QUESTION_ID.match(item_id or "")
            if match:
                yield match.group(1), int(match.group(2)), section.id


# The default pack ----------------------------------------------------------------------


def test_default_pack_is_found_under_its_id(pack: Pack) -> None:
    assert pack.id == DEFAULT_PACK_ID
    assert pack.version == "3.0"
    assert pack.source is not None and pack.source.title == REPORT_TITLE


def test_the_source_credit_says_only_what_the_source_text_gives() -> None:
    # The research summary names neither its publisher nor its year: the credit must not
    # invent them, and says so instead.
    pack = load_pack(DEFAULT_FILE)
    assert pack.source is not None
    assert pack.source.year is None and pack.source.publisher == ""
    assert "names neither its publisher nor its year" in pack.source.note
    if SOURCE_FILE.is_file():
        source = SOURCE_FILE.read_text(encoding="utf-8")
        assert not re.search(r"\b(19|20)\d\d\b", source), "the source now gives a year: put it in [source]"


def test_default_pack_has_the_eight_behaviours(pack: Pack) -> None:
    assert len(pack.behaviours) == 8
    assert {behaviour.name.lower() for behaviour in pack.behaviours} == BEHAVIOUR_NAMES


def test_the_five_briefer_behaviours_are_marked_as_ours(pack: Pack) -> None:
    brief = [b for b in pack.behaviours if b.id not in IN_DEPTH_ORDER]
    assert len(brief) == 5
    for behaviour in brief:
        assert behaviour.description.startswith(OURS_MARK), behaviour.id
    for behaviour in pack.behaviours:
        if behaviour.id in IN_DEPTH_ORDER:
            assert OURS_MARK not in behaviour.description, behaviour.id
    # The read that presents them says so too.
    read = next(a for s, a in pack.activities() if s.id == "five-more" and isinstance(a, ReadActivity))
    assert "descriptions below are ours" in read.text


def test_all_eleven_questions_are_asked_by_their_behaviour(pack: Pack) -> None:
    found: dict[str, set[int]] = {group: set() for group in QUESTION_GROUPS}
    for group, number, section_id in question_mentions(pack):
        behaviour_id, _ = QUESTION_GROUPS[group]
        section = next(s for s in pack.sections if s.id == section_id)
        assert section.behaviour == behaviour_id, f"{group}-q{number} is asked in section {section_id}"
        found[group].add(number)
    for (group, number), words in PROMPT_ONLY_QUESTIONS.items():
        behaviour_id, _ = QUESTION_GROUPS[group]
        prompts = [p for s, a in pack.activities() if isinstance(a, DiscussActivity) and s.behaviour == behaviour_id for p in a.prompts]
        assert any(words in prompt for prompt in prompts), f"{group}-q{number}"
        found[group].add(number)
    assert found == {group: set(range(1, count + 1)) for group, (_, count) in QUESTION_GROUPS.items()}
    assert sum(len(numbers) for numbers in found.values()) == 11


def test_the_horizons_are_asked_about_once(pack: Pack) -> None:
    texts = [q.prompt for _, q in pack.questions()]
    texts += [p for _, a in pack.activities() if isinstance(a, DiscussActivity) for p in [a.question, *a.prompts]]
    # ("Next month" alone is everyday speech: a text asking by horizon names several.)
    naming = [t for t in texts if sum(HORIZON_LABELS[h].lower() in t.lower() for h in TIME_HORIZONS) >= 2]
    assert len(naming) == 1, naming
    assert all(HORIZON_LABELS[h].lower() in naming[0].lower() for h in TIME_HORIZONS)


def test_a_dozen_or_so_rating_items_in_all(pack: Pack) -> None:
    low, high = RATING_ITEMS
    assert low <= sum(1 for _ in pack.questions()) <= high


def test_the_research_action_questions_are_discussed(pack: Pack) -> None:
    # Each in-depth discussion asks at least two of the research's questions for action
    # (what are we doing, who, how could we) as prompts, beside its ratings.
    for behaviour in IN_DEPTH_ORDER:
        discussion = next(a for s, a in pack.activities() if isinstance(a, DiscussActivity) and s.behaviour == behaviour)
        questions = [prompt for prompt in discussion.prompts if prompt.endswith("?")]
        assert len(questions) >= 2, discussion.id


def test_nothing_is_said_beyond_the_research(pack: Pack) -> None:
    everything = "\n".join(pack_texts(pack))
    for phrase in OVERSTATEMENTS:
        assert phrase not in everything, phrase
    assert "was able to identify" in everything
    assert "some leaders doubted that even free school meals" in everything


def test_the_break_asks_for_clustering_and_gives_no_minutes(pack: Pack) -> None:
    (brk,) = [a for _, a in pack.activities() if a.kind == "break"]
    assert "cluster" in brk.text
    # The screen shows the agenda's minutes: a number in the text could contradict them.
    assert not re.search(r"\d|minute|fifteen|twenty|ten ", brk.text.lower())


def test_planned_minutes_match_the_documented_total(pack: Pack) -> None:
    header = DEFAULT_FILE.read_text(encoding="utf-8")
    documented = re.search(r"^# Planned total: (\d+) minutes", header, re.MULTILINE)
    assert documented is not None
    assert int(documented.group(1)) == DOCUMENTED_MINUTES
    assert pack.minutes == DOCUMENTED_MINUTES
    low, high = PLANNED_MINUTES
    assert low <= pack.minutes <= high
    assert f"({DOCUMENTED_MINUTES} minutes planned)" in pack.summary


def minutes_before(pack: Pack, kind: str) -> int:
    """Planned minutes before the first activity of `kind` starts."""
    before = 0
    for _, activity in pack.activities():
        if activity.kind == kind:
            return before
        before += activity.minutes
    raise AssertionError(f"no {kind} activity")


def test_the_break_starts_no_later_than_90_minutes_in(pack: Pack) -> None:
    assert kinds(pack)["break"] == 1
    before_break = minutes_before(pack, "break")
    assert before_break <= LATEST_BREAK_MINUTE
    # ...but not so early that the second half is most of the day.
    assert pack.minutes / 3 < before_break
    header = DEFAULT_FILE.read_text(encoding="utf-8")
    assert f"break starting {before_break} minutes in" in header


def test_no_stretch_of_reading_is_over_three_minutes(pack: Pack) -> None:
    stretch = 0
    for _, activity in pack.activities():
        stretch = stretch + activity.minutes if activity.kind == "read" else 0
        assert stretch <= LONGEST_READ_MINUTES, f"{activity.id}: {stretch} minutes of reading in a row"


def test_no_rating_activity_has_more_than_six_items(pack: Pack) -> None:
    for _, activity in pack.activities(included_only=False):
        if isinstance(activity, RateActivity):
            assert len(activity.questions) <= MAX_RATING_ITEMS, activity.id


def test_every_rating_scale_is_labelled_for_its_question(pack: Pack) -> None:
    # "How confident..." is answered in confidence, "How often..." in frequency: never the
    # generic default labels, which fit almost no question.
    default = Scale()
    fits = {"how confident": "confident", "how good": "Poor", "how well": "well", "how far": "Not at all", "how clear": "clear", "we ": "Rarely"}
    for _, question in pack.questions():
        scale = question.scale
        assert (scale.low_label, scale.high_label) != (default.low_label, default.high_label), question.id
        opening = next((start for start in fits if question.prompt.split(": ")[-1].lower().startswith(start)), None)
        assert opening is not None, f"{question.id}: no scale fits '{question.prompt}'"
        assert fits[opening] in scale.low_label + scale.high_label, question.id


def test_no_rating_item_asks_two_things(pack: Pack) -> None:
    # A rough test of double-barrelled items: no "and"/"or" joining two things rated at
    # once, beyond the phrases the research treats as one idea.
    one_idea = (
        "budgets and outcomes",
        "results and outcomes",
        "colleagues and partners",
        "evidence and feedback",
        "few and clear",
        "win and keep",
        "set and agreed",
        "hard, long-term",
        "matter most and must not be traded away",
    )
    for _, question in pack.questions():
        prompt = question.prompt.lower()
        for phrase in one_idea:
            prompt = prompt.replace(phrase, "")
        assert " and " not in prompt and " or " not in prompt, f"{question.id}: {question.prompt}"


def test_every_behaviour_discussion_is_1_2_4_all_with_its_ratings_first(pack: Pack) -> None:
    discussions = [(s, a) for s, a in pack.activities() if isinstance(a, DiscussActivity) and (a.ratings or s.behaviour)]
    assert len(discussions) == 4
    rated_before: set[str] = set()
    for _, activity in pack.activities():
        if isinstance(activity, RateActivity):
            rated_before |= {q.id for q in activity.questions}
        if not isinstance(activity, DiscussActivity) or activity.id not in {a.id for _, a in discussions}:
            continue
        assert [(stage.title, stage.minutes) for stage in activity.stages] == ONE_TWO_FOUR_ALL_STAGES, activity.id
        assert all(stage.prompt for stage in activity.stages), activity.id
        # Odd-sized groups are provided for: a trio, and the room sizes of a leadership team.
        fours = activity.stages[2].prompt
        assert "trio" in activity.stages[1].prompt and all(f"{n} " in fours for n in (6, 7, 9)), activity.id
        # It opens with the ratings of the questions asked just before it.
        assert activity.ratings and set(activity.ratings) <= rated_before, activity.id


def test_opening_check_in_and_working_agreements(pack: Pack) -> None:
    welcome = next(s for s in pack.sections if s.id == "welcome")
    titles = [a.title for a in welcome.activities if isinstance(a, DiscussActivity)]
    assert titles == ["Check-in", "Working agreements"]
    # The check-in is a round: a timed turn for each person present, sharing its minutes.
    checkin = next(a for a in welcome.activities if a.title == "Check-in")
    assert checkin.stages_per_person is not None and checkin.stages_per_person.prompt and not checkin.stages


def test_close_asks_each_person_for_a_commitment_and_who_must_agree(pack: Pack) -> None:
    close = next(s for s in pack.sections if s.id == "close")
    commitment = next(a for a in close.activities if isinstance(a, DiscussActivity))
    assert "next month" in commitment.question and "permission" in commitment.question
    summary = next(a for a in close.activities if isinstance(a, CloseActivity))
    assert "must agree" in summary.text and "corporate and political colleagues" in summary.text
    assert "parking lot" in summary.text.lower()
    # A real check-out: a round of its own, the day's last activity.
    checkout = close.activities[-1]
    assert isinstance(checkout, DiscussActivity) and checkout.title == "Check-out"
    assert checkout.stages_per_person is not None and checkout.stages_per_person.prompt
    assert [a.kind for a in close.activities][-2] == "close"


def test_default_pack_runs_propose_merge_vote_place_close(pack: Pack) -> None:
    counts = kinds(pack)
    assert counts["vote"] == 1 and counts["place"] == 1 and counts["close"] == 1
    order = [activity for _, activity in pack.activities()]
    vote = next(i for i, a in enumerate(order) if a.kind == "vote")
    proposes = [i for i, a in enumerate(order) if isinstance(a, ProposeActivity)]
    # The last proposal step before the vote lists every proposal, to merge duplicates,
    # and states the criterion the dots are spent on.
    merge = order[max(proposes)]
    assert max(proposes) == vote - 1
    assert isinstance(merge, ProposeActivity) and merge.every_proposal
    assert "criterion" in merge.prompt and "impact on children in poverty" in merge.prompt
    assert "within our control" in merge.prompt
    assert merge.minutes == 10 and "clusters made during the break" in merge.prompt
    # Straight after the vote, a consent check with the rule stated, then the board.
    consent = order[vote + 1]
    assert isinstance(consent, ConsentActivity) and "consent" in consent.decision_rule
    assert "director of children's services" in consent.decision_rule and "dots" in consent.decision_rule
    assert order[vote + 2].kind == "place"
    assert order[-2].kind == "close"


def test_the_board_takes_a_limited_number_with_review_dates(pack: Pack) -> None:
    place = next(a for _, a in pack.activities() if isinstance(a, PlaceActivity))
    assert re.search(r"\b(six|five|seven|eight)\b", place.prompt), "the prompt limits how many go to the board"
    assert "review date" in place.prompt and "protected" in place.prompt


def test_every_behaviour_has_a_proposal_step(pack: Pack) -> None:
    in_depth = {a.behaviour for _, a in pack.activities() if isinstance(a, ProposeActivity) and a.behaviour}
    assert set(IN_DEPTH_ORDER) <= in_depth
    # The five briefer behaviours share a step in their own section, after their
    # discussion: the proposal's behaviour is picked as it is added.
    five = next(s for s in pack.sections if s.id == "five-more")
    kinds_in_order = [a.kind for a in five.activities]
    assert kinds_in_order[-2:] == ["discuss", "propose"]
    brief = {b.id for b in pack.behaviours} - set(IN_DEPTH_ORDER)
    assert brief <= {s.behaviour for s in pack.sections} | {a.behaviour for _, a in pack.activities()} | {
        b.id for b in pack.behaviours if b.name in next(a for a in five.activities if isinstance(a, ReadActivity)).text
    }


def test_a_priority_to_protect_can_be_named(pack: Pack) -> None:
    protect = [a for _, a in pack.activities() if isinstance(a, ProposeActivity) and "protected" in a.prompt]
    assert len(protect) == 1 and protect[0].behaviour == "results"


def test_every_behaviour_is_referenced(pack: Pack) -> None:
    referenced = {section.behaviour for section in pack.sections}
    referenced |= {activity.behaviour for _, activity in pack.activities()}
    assert set(IN_DEPTH_ORDER) <= referenced


def test_in_depth_sections_come_in_order_and_are_complete(pack: Pack) -> None:
    positions = [i for behaviour in IN_DEPTH_ORDER for i, s in enumerate(pack.sections) if s.behaviour == behaviour]
    assert len(positions) == 3
    assert positions == sorted(positions)
    for position in positions:
        section = pack.sections[position]
        section_kinds = {activity.kind for activity in section.activities}
        assert {"read", "rate", "discuss", "propose"} <= section_kinds, section.id
        # One short read in the room; the examples in full are a pre-read.
        assert sum(1 for a in section.activities if isinstance(a, ReadActivity)) == 1, section.id
        assert sum(1 for p in pack.pre_read if p.behaviour == section.behaviour) >= 2, section.id
        propose = [a for a in section.activities if isinstance(a, ProposeActivity)]
        assert {a.behaviour for a in propose} == {section.behaviour}


def test_the_pre_read_holds_the_five_examples_by_their_names(pack: Pack) -> None:
    titles = {p.title for p in pack.pre_read}
    assert {"Resource Panels", "Local Integrated Teams", "Recording with care", "Think Family"} <= titles
    text = "\n".join(p.text for p in pack.pre_read)
    for name in ("Resource Panels", "Local Integrated Teams", "recording with care", "Think Family", "Jobcentre Plus"):
        assert name in text


def test_outcomes_the_research_only_hoped_for_are_not_claimed(pack: Pack) -> None:
    # The report describes intentions and expected benefits for pooling and Think Family,
    # and auditing that leaders were working towards in one authority.
    everything = "\n".join(pack_texts(pack))
    for claim in (
        "pushed up quality",
        "delivered more targeted help with less money",
        "tightened its auditing",
        "Another council trained",
        "owned the outcomes",
    ):
        assert claim not in everything
    assert "expected that sharing responsibility" in everything
    assert "intending local teams" in everything
    assert "worked towards better auditing" in everything


def test_time_boxes_are_realistic(pack: Pack) -> None:
    limits = {
        "read": (2, 3),
        "rate": (2, 5),
        "discuss": (4, 12),
        "propose": (4, 10),
        "consent": (5, 10),
        "vote": (8, 15),
        "place": (10, 20),
        "break": (10, 20),
        "close": (3, 10),
    }
    for _, activity in pack.activities():
        low, high = limits[activity.kind]
        assert low <= activity.minutes <= high, f"{activity.id}: {activity.minutes} min"
        if isinstance(activity, RateActivity):
            # About half a minute an item, so a rating is not rushed.
            assert activity.minutes * 2 >= len(activity.questions), activity.id


# The demo pack -------------------------------------------------------------------------


def test_demo_is_short_and_has_every_kind(demo: Pack) -> None:
    assert demo.id == DEMO_PACK_ID
    # A minute an activity, or a minute a stage.
    assert all(activity.minutes == max(1, len(activity.stages)) for _, activity in demo.activities(included_only=False))
    assert all(stage.minutes == 1 for _, activity in demo.activities() for stage in activity.stages)
    assert any(activity.stages for _, activity in demo.activities())
    assert 6 <= demo.minutes <= 12
    assert set(kinds(demo)) == set(ACTIVITY_KINDS)
    rate = next(a for _, a in demo.activities() if isinstance(a, RateActivity))
    assert len(rate.questions) == 2


def test_demo_shows_merge_vote_by_behaviour_optional_and_custom_scale(demo: Pack) -> None:
    everything = [a for _, a in demo.activities(included_only=False)]
    assert any(isinstance(a, ProposeActivity) and a.every_proposal and a.included for a in everything)
    assert any(isinstance(a, VoteActivity) and a.behaviours for a in everything)
    assert any(not a.included for a in everything)
    assert any(q.scale != Scale() for _, q in demo.questions())
    discuss = next(a for a in everything if isinstance(a, DiscussActivity))
    assert discuss.ratings


def test_demo_borrows_behaviours_from_the_default(demo: Pack, pack: Pack) -> None:
    default_behaviours = {b.id: b.name for b in pack.behaviours}
    assert 1 <= len(demo.behaviours) <= 2
    for behaviour in demo.behaviours:
        assert default_behaviours.get(behaviour.id) == behaviour.name
    referenced = {s.behaviour for s in demo.sections} | {a.behaviour for _, a in demo.activities()}
    assert {b.id for b in demo.behaviours} <= referenced


# Both packs ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", [DEFAULT_FILE, DEMO_FILE], ids=["default", "demo"])
def test_every_section_and_activity_has_an_explicit_id(path: Path) -> None:
    # The model fills missing activity ids from their position, which would change when
    # the agenda is edited; the shipped packs name every one.
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    for section in data["sections"]:
        assert "id" in section
        for activity in section["activities"]:
            assert "id" in activity, f"{section['id']}: {activity.get('title')}"
