"""The pack format's second-edition additions: a discussion's opening ratings, a proposal
step that lists every proposal (to merge before a vote), and a pre-read printed in the
report's appendix. Validation, older packs and sessions, the domain and the panes."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from unittest.mock import patch

import pytest
from apphelp import FIXED, demo_pack, go_to_activity, make_app
from pack_texts import VALID_PACK
from textual.app import App, ComposeResult
from textual.widgets import Static

from workshop.domain import ballots
from workshop.domain.models.pack import DiscussActivity, ProposeActivity
from workshop.domain.models.session import Proposal, Session
from workshop.domain.new_session import build_session
from workshop.domain.opening_ratings import opening_ratings
from workshop.domain.operations import SessionEditor
from workshop.domain.render.document import Heading
from workshop.domain.report import pre_read_appendix, session_markdown
from workshop.domain.timebox import FakeClock
from workshop.storage.packs import load_pack
from workshop.storage.session_format import dump_session, parse_session
from workshop.storage.store import create_session
from workshop.storage.validate_file import check_file
from workshop.ui.panes.discuss import DiscussPane
from workshop.ui.panes.propose import ProposalTable, ProposePane

NOW = datetime(2025, 3, 14, 10, 0, tzinfo=timezone.utc)

# VALID_PACK with a second rating question, a discussion opening with both ratings, a
# merge step and a pre-read.
PACK = (
    VALID_PACK.replace(
        'prompt = "We share data well."\n',
        'prompt = "We share data well."\n\n[[sections.activities.questions]]\nid = "q2"\nprompt = "We talk often."\n',
    )
    + 'ratings = ["q1", "q2"]\nprompts = ["Alone, 1 min: who?"]\n'
    + '\n[[sections.activities]]\nid = "collab-propose"\nkind = "propose"\ntitle = "Ideas"\nminutes = 5\nprompt = "What?"\n'
    + '\n[[sections.activities]]\nid = "merge"\nkind = "propose"\ntitle = "Merge"\nminutes = 5\nprompt = "Merge."\nevery_proposal = true\n'
    + '\n[[pre_read]]\ntitle = "An example"\nbehaviour = "collab"\ntext = "One council did *this*.\\n\\n<script>x</script>"\n'
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    return [str(problem) for problem in check_file(write(tmp_path, text))]


def session_of(tmp_path: Path, people: int = 3) -> Session:
    pack = load_pack(write(tmp_path, PACK))
    session = build_session(pack, title="Additions", participants=[(f"P{n}", "") for n in range(people)], day=date(2025, 3, 14))
    session.created_at = session.updated_at = FIXED
    return session


def rate(session: Session, answers: list[dict[str, int]], *, reveal: bool = True) -> None:
    ballot_round = ballots.open_rating_round(session, "collab-rate", mode="named", now=NOW)
    questions = ballots.rating_questions(session, ballot_round)
    for person, given in zip(session.participants, answers, strict=False):
        ballots.cast_rating_ballot(session, ballot_round, person.id, given, questions, now=NOW)
    if reveal:
        ballots.close(ballot_round, NOW)
        ballots.reveal(ballot_round)


# -- the format ---------------------------------------------------------------------------


def test_the_additions_are_valid_and_older_packs_keep_their_defaults(tmp_path):
    assert problems(tmp_path, PACK) == []
    pack = load_pack(write(tmp_path, PACK))
    discuss = pack.activity("collab-talk")
    assert isinstance(discuss, DiscussActivity) and discuss.ratings == ["q1", "q2"]
    merge = pack.activity("merge")
    assert isinstance(merge, ProposeActivity) and merge.every_proposal
    assert [p.title for p in pack.pre_read] == ["An example"]
    older = load_pack(write(tmp_path, VALID_PACK))
    assert older.pre_read == []
    older_discuss = older.activity("collab-talk")
    assert isinstance(older_discuss, DiscussActivity) and older_discuss.ratings == []


def test_a_discussion_cannot_open_with_a_question_nobody_rated(tmp_path):
    (line,) = problems(tmp_path, PACK.replace('ratings = ["q1", "q2"]', 'ratings = ["q1", "q9"]'))
    assert line.endswith("sections[1].activities[1].ratings[1]: refers to question 'q9', which is not rated before this activity")


def test_a_discussion_cannot_open_with_a_question_rated_after_it(tmp_path):
    later = PACK.replace('ratings = ["q1", "q2"]', 'ratings = ["q3"]') + (
        '\n[[sections]]\nid = "later"\ntitle = "Later"\n\n[[sections.activities]]\nid = "later-rate"\nkind = "rate"\n'
        'title = "Later"\nminutes = 2\n\n[[sections.activities.questions]]\nid = "q3"\nprompt = "Later?"\n'
    )
    (line,) = problems(tmp_path, later)
    assert "ratings[0]: refers to question 'q3', which is not rated before this activity" in line


def test_a_pre_read_names_a_behaviour_the_pack_defines(tmp_path):
    (line,) = problems(tmp_path, PACK.replace('behaviour = "collab"\ntext', 'behaviour = "simplify"\ntext'))
    assert "pre_read[0].behaviour: refers to behaviour 'simplify', which the pack does not define" in line


def test_a_pre_read_needs_a_title_and_text(tmp_path):
    found = problems(tmp_path, PACK.replace('title = "An example"', 'title = ""'))
    assert len(found) == 1 and "pre_read[0].title" in found[0]


def test_a_session_keeps_the_pre_read_and_reads_without_it(tmp_path):
    session = session_of(tmp_path)
    assert [p.title for p in session.agenda.pre_read] == ["An example"]
    again = parse_session(dump_session(session), "s.toml")
    assert again.agenda.pre_read == session.agenda.pre_read
    # A file written before pre-reads existed has no such key: it reads as none.
    older = dump_session(session).replace("[[agenda.pre_read]]", "[[agenda.unused]]")
    head, _, _ = older.partition("[[agenda.unused]]")
    assert parse_session(head, "s.toml").agenda.pre_read == []


# -- the report's appendix ----------------------------------------------------------------


def test_the_report_ends_with_the_pre_read_escaped(tmp_path):
    session = session_of(tmp_path)
    appendix = pre_read_appendix(session)
    assert appendix[0] == Heading(2, "Appendix: pre-read")
    assert Heading(3, "An example (Ability to collaborate)") in appendix
    report = session_markdown(session)
    # The appendix is the report's last section, its pack texts escaped like typed ones.
    body = report[report.index("## Appendix: pre-read") :]
    assert "## " not in body[2:].replace("### ", "")
    assert "### An example (Ability to collaborate)" in body
    assert "\\*this\\*" in body and "\\<script\\>" in body and "<script>" not in body


def test_no_appendix_without_a_pre_read(tmp_path):
    session = build_session(load_pack(write(tmp_path, VALID_PACK)), title="Old", participants=[("A", "")], day=date(2025, 3, 14))
    # Without a pre-read the appendix only credits the research the pack names.
    assert [block for block in pre_read_appendix(session) if isinstance(block, Heading)] == [Heading(2, "Appendix: the research")]
    assert "Appendix: pre-read" not in session_markdown(session)
    session.agenda.source = None
    assert pre_read_appendix(session) == []
    assert "Appendix" not in session_markdown(session)


# -- the ratings a discussion opens with ----------------------------------------------------


def test_opening_ratings_lowest_first_then_most_divided(tmp_path):
    session = session_of(tmp_path)
    # q1: 1, 5, 3 -> median 3, spread 4; q2: 3, 3, 3 -> median 3, spread 0.
    rate(session, [{"q1": 1, "q2": 3}, {"q1": 5, "q2": 3}, {"q1": 3, "q2": 3}])
    found = opening_ratings(session, ["q2", "q1"])
    assert [r.question.id for r in found] == ["q1", "q2"]
    assert found[0].summary.low_agreement and not found[1].summary.low_agreement
    # A lower median comes first whatever the spread.
    session = session_of(tmp_path)
    rate(session, [{"q1": 4, "q2": 2}, {"q1": 1, "q2": 2}, {"q1": 5, "q2": 2}])
    assert [r.question.id for r in opening_ratings(session, ["q1", "q2"])] == ["q2", "q1"]


def test_opening_ratings_hide_what_is_not_revealed_or_answered(tmp_path):
    session = session_of(tmp_path)
    rate(session, [{"q1": 2}, {"q1": 4}], reveal=False)
    assert opening_ratings(session, ["q1", "q2"]) == []
    ballots.close(session.rating_rounds[0], NOW)
    ballots.reveal(session.rating_rounds[0])
    assert [r.question.id for r in opening_ratings(session, ["q1", "q2"])] == ["q1"]
    assert opening_ratings(session, []) == []


# -- the panes ------------------------------------------------------------------------------


class OnePane(App[None]):
    def __init__(self, session: Session, activity_id: str):
        super().__init__()
        self.editor = SessionEditor(session)
        self.activity_id = activity_id

    def compose(self) -> ComposeResult:
        section, activity = next((s, a) for s, a in self.editor.session.agenda.activities() if a.id == self.activity_id)
        pane = DiscussPane if isinstance(activity, DiscussActivity) else ProposePane
        yield pane(activity, section, self.editor)


def shown_ratings(app: OnePane) -> str:
    return str(app.query_one(".pane-ratings", Static).render())


async def test_the_discuss_pane_opens_with_revealed_ratings_lowest_first(tmp_path):
    session = session_of(tmp_path)
    rate(session, [{"q1": 1, "q2": 3}, {"q1": 5, "q2": 3}, {"q1": 3, "q2": 4}])
    app = OnePane(session, "collab-talk")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = shown_ratings(app)
        assert shown.index("We share data well.") < shown.index("We talk often.")
        assert "median 3 · spread 4  LOW AGREEMENT" in shown
        assert "median 3 · spread 1" in shown
    # Showing the pane changed nothing.
    assert session.notes == []


async def test_the_discuss_pane_shows_the_lowest_few_and_counts_the_rest(tmp_path):
    session = session_of(tmp_path)
    rate(session, [{"q1": 1, "q2": 3}, {"q1": 5, "q2": 3}])
    app = OnePane(session, "collab-talk")
    with patch("workshop.ui.panes.discuss.RATINGS_SHOWN", 1):
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            shown = shown_ratings(app)
            assert "We share data well." in shown and "We talk often." not in shown
            assert "and 1 more, higher or closer together" in shown


async def test_the_discuss_pane_says_where_ratings_will_show_before_the_reveal(tmp_path):
    session = session_of(tmp_path)
    rate(session, [{"q1": 1}], reveal=False)
    app = OnePane(session, "collab-talk")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "once they are revealed" in shown_ratings(app)
        assert "We share data well." not in shown_ratings(app)


async def test_a_merge_step_lists_every_proposal_and_merges_across_steps(tmp_path):
    session = session_of(tmp_path)
    session.proposals += [
        Proposal(id="a", text="Share data with health", activity_id="collab-propose"),
        Proposal(id="b", text="A data dashboard shared with health", activity_id="collab-propose"),
        Proposal(id="c", text="Monthly panels", activity_id="merge"),
    ]
    own = OnePane(session, "collab-propose")
    async with own.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert own.query_one(ProposalTable).row_count == 2
    app = OnePane(session, "merge")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(ProposalTable)
        assert table.row_count == 3
        pane = app.query_one(ProposePane)
        pane.merge_row(1)
        await pilot.pause()
        await pilot.press("enter")  # the first choice: "Share data with health"
        await pilot.pause()
        assert [p.id for p in app.editor.session.proposals] == ["a", "c"]
        assert app.editor.session.proposals[0].merged_texts == ["A data dashboard shared with health"]
        assert table.row_count == 2


# -- how it looks -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_snapshot_a_discussion_opening_with_its_ratings(snap_compare, size):
    """The demo's discussion after its ratings were revealed: lowest and most divided first."""
    session = build_session(demo_pack(), title="Opening ratings", participants=[("Amira Khan", ""), ("Jo Reed", ""), ("Li Wei", "")], day=date(2025, 3, 14))
    session.id = "opening"
    session.created_at = session.updated_at = FIXED
    ballot_round = ballots.open_rating_round(session, "demo-rate", mode="named", now=NOW)
    questions = ballots.rating_questions(session, ballot_round)
    for person, answers in zip(session.participants, [{"demo-q1": 4, "demo-q2": 1}, {"demo-q1": 4, "demo-q2": 5}, {"demo-q1": 3, "demo-q2": 2}], strict=True):
        ballots.cast_rating_ballot(session, ballot_round, person.id, answers, questions, now=NOW)
    ballots.close(ballot_round, NOW)
    ballots.reveal(ballot_round)
    path = create_session(Path("sessions"), session)
    app = make_app(Path("."), clock=FakeClock(), open_path=path)

    async def go(pilot):
        await go_to_activity(pilot, "discuss")

    assert snap_compare(app, terminal_size=size, run_before=go)
