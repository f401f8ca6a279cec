"""Rating and dot voting on the run screen, through Pilot: every ballot mode."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest
from apphelp import FIXED, demo_pack, go_to_activity, make_app, screen_ready, wait_until
from textual.widgets import Select

from workshop.domain.models.session import Proposal, VotingSettings
from workshop.domain.new_session import build_session
from workshop.domain.timebox import FakeClock
from workshop.storage.store import create_session
from workshop.ui.panes.ballot import BallotList
from workshop.ui.panes.rate import RatePane
from workshop.ui.panes.vote import VotePane
from workshop.ui.screens.run import RunScreen
from workshop.ui.widgets.confirm import Confirm

TEAM = [("Amira Khan", "Director"), ("Jo Reed", ""), ("Li Wei", ""), ("Priya Shah", "Finance"), ("Sam Cole", "")]


def session_file(folder, mode: str, proposals=("Shared data dashboard", "Monthly locality panels", "Data training"), people=TEAM):
    session = build_session(
        demo_pack(), title=f"Ballots {mode}", participants=people, day=date(2025, 3, 14), voting=VotingSettings(mode=mode, dots_per_person=3, max_per_item=2)
    )
    session.id = f"ballots-{mode}"
    session.created_at = session.updated_at = FIXED
    for number, text in enumerate(proposals):
        session.proposals.append(Proposal(id=f"p{number}", text=text, behaviour="collaborate", position=number))
    return create_session(folder, session)


async def run_screen(pilot) -> RunScreen:
    """The run screen, once the app has opened the session (in a worker) and shown it."""
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if isinstance(pilot.app.screen, RunScreen):
            return pilot.app.screen
    raise AssertionError("the run screen never opened")


async def open_at(pilot, kind: str, *, focus: bool = True) -> RunScreen:
    """The run screen on the first activity of `kind`, reached with the agenda's keys."""
    screen = await go_to_activity(pilot, kind)
    if focus:
        await pilot.press("i")
    return screen


def ballot_lines(pane) -> list[str]:
    """The lines of the ballot list as shown (questions or proposals with their values)."""
    ballot = pane.query_one("#ballot")
    return [str(ballot.get_option_at_index(index).prompt) for index in range(ballot.option_count)]


def status_of(pane) -> str:
    return str(pane.query_one("#ballot-status").render())


async def pass_on(pilot) -> None:
    """In a secret round the keyboard is passed on between voters: a key says they are ready."""
    from workshop.ui.widgets.pass_on import PassOn

    await pilot.pause()
    if isinstance(pilot.app.screen, PassOn):
        await pilot.press("space")
        await pilot.pause()


async def quit_and_read(pilot, path):
    """Leave the run screen (which saves and releases the file) and read what was saved."""
    await pilot.press("q")
    await pilot.pause()
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mode", ["passed", "named", "anonymous"])
async def test_five_people_rate_then_reveal(tmp_path, mode):
    path = session_file(tmp_path / "sessions", mode)
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    answers = [(4, 3), (2, 5), (5, 1), (4, 4), (3, 2)]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        pane = screen.query_one("RatePane")
        for first, second in answers:
            await pilot.press(str(first), str(second), "enter")
            await pass_on(pilot)
        assert "everyone has voted" in str(pane.query_one("#ballot-status").render())
        await pilot.press("r")
        await pilot.pause()
        results = str(pane.query_one("#results").render())
        assert "5 answers · median 4 · mean 3.6 · spread 3" in results
        assert "LOW AGREEMENT" in results
        data = await quit_and_read(pilot, path)
    (round_,) = data["rating_rounds"]
    assert round_["revealed"] is True
    assert len(round_["ballots"]) == 5
    assert sorted(round_["voted"]) == ["amira-khan", "jo-reed", "li-wei", "priya-shah", "sam-cole"]
    voters = [ballot.get("voter") for ballot in round_["ballots"]]
    if mode == "anonymous":
        assert voters == [None] * 5
        assert all("cast_at" not in ballot for ballot in round_["ballots"])
    else:
        assert voters == ["amira-khan", "jo-reed", "li-wei", "priya-shah", "sam-cole"]


async def test_dot_vote_refuses_over_cap_and_ranks(tmp_path):
    path = session_file(tmp_path / "sessions", "passed")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "vote")
        pane = screen.query_one("VotePane")
        # Amira: 3 tries on the first proposal (the third is refused: cap 2), 1 on the second.
        await pilot.press("right", "right", "right", "down", "right", "enter")
        await pass_on(pilot)
        # Jo: 2 on the second, 1 on the third.
        await pilot.press("down", "right", "right", "down", "right", "enter")
        await pass_on(pilot)
        # Li abstains; Priya and Sam put everything on the third.
        await pilot.press("z")
        await pilot.press("down", "down", "right", "right", "enter")
        await pass_on(pilot)
        await pilot.press("down", "down", "right", "enter")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        results = str(pane.query_one("#results").render())
        lines = [line for line in results.splitlines() if "dots" in line]
        assert lines[0].strip().startswith("1") and "Data training" in lines[0] and "4 dots, 3 voters" in lines[0]
        assert lines[1].strip().startswith("2") and "3 dots, 2 voters  Monthly locality panels" in lines[1]
        assert lines[2].strip().startswith("3") and "2 dots, 1 voter  Shared data dashboard" in lines[2]
        data = await quit_and_read(pilot, path)
    (round_,) = data["vote_rounds"]
    assert round_["abstained"] == ["li-wei"]
    assert [ballot["dots"] for ballot in round_["ballots"]][:2] == [{"p0": 2, "p1": 1}, {"p1": 2, "p2": 1}]


async def test_show_of_hands(tmp_path):
    path = session_file(tmp_path / "sessions", "hands")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "vote")
        await pilot.press("right", "right", "right", "down", "7", "r")
        await pilot.pause()
        results = str(screen.query_one("VotePane").query_one("#results").render())
        assert "7 dots" in results and "3 dots" in results
        data = await quit_and_read(pilot, path)
    assert data["vote_rounds"][0]["hands"] == {"p0": 3, "p1": 7}


async def test_a_late_arrival_can_vote(tmp_path):
    path = session_file(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        pane = screen.query_one("RatePane")
        await pilot.press("3", "3", "enter")
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"Kim Late", "enter")
        await pilot.pause()
        assert "Kim Late" in str(pane.query_one("#ballot-status").render())
        # Everyone else votes; Kim goes last.
        for _ in range(4):
            await pilot.press("2", "4", "enter")
        await pilot.press("5", "5", "enter")
        await pilot.pause()
        data = await quit_and_read(pilot, path)
    assert data["participants"][-1]["name"] == "Kim Late"
    assert "joined_at" in data["participants"][-1]
    last = data["rating_rounds"][0]["ballots"][-1]
    assert last["voter"] == "kim-late"
    assert sorted(last["answers"].values()) == [5, 5]


@pytest.mark.parametrize("mode", ["named", "hands"])
async def test_showing_a_rating_or_a_vote_writes_nothing(tmp_path, mode):
    """Rounds open with the first ballot: looking at a ballot leaves the session as it was."""
    path = session_file(tmp_path / "sessions", mode)
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        assert "Amira Khan" in str(screen.query_one("RatePane").query_one("#ballot-status").render()) or mode == "hands"
        await open_at(pilot, "vote")
        assert "Shared data dashboard" in ballot_lines(screen.query_one("VotePane"))[0]
        assert screen.session.rating_rounds == [] and screen.session.vote_rounds == []
        data = await quit_and_read(pilot, path)
    assert data.get("rating_rounds", []) == [] and data.get("vote_rounds", []) == []


async def test_show_of_hands_digits_type_each_count_within_the_room(tmp_path):
    """Digits type a proposal's count afresh on each visit, and no count exceeds the room.

    Five people present with at most 2 dots each on one proposal: at most 10 dots.
    """
    path = session_file(tmp_path / "sessions", "hands")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "vote")
        pane = screen.query_one("VotePane")
        assert "digits type the count" in status_of(pane)
        await pilot.press("5", "down", "up", "3")  # back on the first: 3 replaces 5, not 53
        await pilot.press("down", "1", "0")  # 10 typed in one visit
        await pilot.press("down", "1", "2")  # 12 is more than the room: refused, 1 stays
        await pilot.pause()
        assert screen.session.vote_rounds[0].hands == {"p0": 3, "p1": 10, "p2": 1}
        data = await quit_and_read(pilot, path)
    assert data["vote_rounds"][0]["hands"] == {"p0": 3, "p1": 10, "p2": 1}


async def test_show_of_hands_for_a_rating_adds_a_hand_per_point_within_the_room(tmp_path):
    path = session_file(tmp_path / "sessions", "hands")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        pane = screen.query_one("RatePane")
        assert "press a point to add a hand to it, 0 clears the question" in status_of(pane)
        await pilot.press("4", "4", "5", "3", "2", "1")  # the sixth hand is one more than the room
        await pilot.pause()
        question = screen.session.rating_rounds[0].hands
        assert sum(next(iter(question.values())).values()) == 5
        await pilot.press("0")
        await pilot.pause()
        assert next(iter(screen.session.rating_rounds[0].hands.values())) == {}


async def test_choosing_another_voter_starts_their_ballot_at_the_first_question(tmp_path):
    path = session_file(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        pane = screen.query_one(RatePane)
        await pilot.press("4")  # Amira answers the first question; the cursor moves to the second
        assert pane.query_one("#ballot", BallotList).highlighted == 1 and pane.holds_input()
        pane.query_one("#voter", Select).value = "jo-reed"
        await pilot.pause()
        assert pane.query_one("#ballot", BallotList).highlighted == 0
        assert pane.draft == {} and not pane.holds_input()
        assert ballot_lines(pane)[0].startswith("[ ]")


async def test_down_after_the_last_question_stays_there_rather_than_going_back_to_the_first(tmp_path):
    # A digit answers and moves on; a facilitator who then presses down as well reached the
    # last question's end and went round to the first, where the next digit overwrote it.
    path = session_file(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        pane = screen.query_one(RatePane)
        ballot = pane.query_one("#ballot", BallotList)
        last = ballot.option_count - 1
        for _ in range(last):
            await pilot.press("3")
        assert ballot.highlighted == last
        await pilot.press("down", "4")
        assert ballot.highlighted == last
        assert [pane.draft[question.id] for question in pane._questions()] == [3] * last + [4]
        await pilot.press("home", "up")
        assert ballot.highlighted == 0


@pytest.mark.parametrize("mode", ["passed", "named", "anonymous"])
async def test_a_partial_rating_is_cast_only_when_confirmed(tmp_path, mode):
    from workshop.ui.widgets.confirm import Confirm

    path = session_file(tmp_path / "sessions", mode)
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        pane = screen.query_one(RatePane)
        await pilot.press("4", "up", "enter")  # the second question left unanswered
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        asked = str(app.screen.query_one("#question").render())
        # Anonymous: the question names nobody (the console may be on the projector).
        assert ("This ballot has not answered" if mode == "anonymous" else "Amira Khan has not answered") in asked
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and screen.session.rating_rounds == [] and pane.holds_input()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        (round_,) = screen.session.rating_rounds
        assert len(round_.ballots) == 1 and list(round_.ballots[0].answers.values()) == [4]
        assert not pane.holds_input()


async def test_reveal_and_rerun_ask_first_and_name_who_is_missing(tmp_path):
    from workshop.ui.widgets.confirm import Confirm

    path = session_file(tmp_path / "sessions", "passed")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        await pilot.press("4", "3", "enter")  # Amira votes; four are still to vote
        await pass_on(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        asked = str(app.screen.query_one("#question").render())
        assert "Still to vote: Jo Reed, Li Wei, Priya Shah, Sam Cole" in asked
        await pilot.press("n")
        await pilot.pause()
        (round_,) = screen.session.rating_rounds
        assert not round_.revealed
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert round_.revealed
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "Still to vote: Jo Reed, Li Wei, Priya Shah, Sam Cole" in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await pilot.pause()
        assert round_.superseded and len(screen.session.rating_rounds) == 2
        # The new round has no ballots at all: re-running it again asks too.
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "Nobody has voted in this round yet" in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await pilot.pause()
        assert len(screen.session.rating_rounds) == 2


async def test_reveal_when_everyone_has_voted_acts_at_once(tmp_path):
    path = session_file(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        for _ in TEAM:
            await pilot.press("3", "3", "enter")
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is screen and screen.session.rating_rounds[0].revealed


@pytest.mark.parametrize("kind", ["rate", "vote"])
async def test_with_nobody_to_vote_the_pane_says_how_to_add_people(tmp_path, kind):
    path = session_file(tmp_path / "sessions", "named", people=[])
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, kind)
        pane = screen.query_one("RatePane" if kind == "rate" else "VotePane")
        assert "everyone has voted" not in status_of(pane)
        assert "Nobody is here to vote yet: press l to add someone who has arrived." in status_of(pane)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"Kim Late", "enter")
        await pilot.pause()
        assert "waiting for Kim Late" in status_of(pane)


@pytest.mark.parametrize(
    "kind, words",
    [
        ("rate", "Rate each question from 1 to 5, on the labels shown beside it."),
        ("vote", "Spend your dots on the proposals that matter most."),
    ],
)
async def test_the_packs_intro_or_prompt_is_shown_above_the_ballot(tmp_path, kind, words):
    path = session_file(tmp_path / "sessions", "passed")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, kind)
        pane = screen.query_one("RatePane" if kind == "rate" else "VotePane")
        intro = pane.query_one("#ballot-intro")
        assert str(intro.render()) == words and intro.region.y < pane.query_one("#ballot").region.y


async def test_names_that_look_like_markup_are_shown_as_typed(tmp_path):
    people = [("x [/] y", ""), ("[red]Ana[/red]", "")]
    path = session_file(tmp_path / "sessions", "named", people=people)
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "rate")
        pane = screen.query_one("RatePane")
        await pilot.press("3", "3", "enter")  # x [/] y votes
        await pilot.pause()
        assert len(screen.session.rating_rounds[0].ballots) == 1
        assert "waiting for [red]Ana[/red]" in status_of(pane)
        assert "[red]Ana[/red]" in str(pane.query_one("#voter").query_one("SelectCurrent #label").render())
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*"[b]Kim[/b]", "enter")
        await pilot.pause()
        messages = [(note.message, note.markup) for note in app._notifications]
        assert ("[b]Kim[/b] joins the session and can vote now.", False) in messages
        assert all(not markup for message, markup in messages if "[" in message)
        data = await quit_and_read(pilot, path)
    assert [person["name"] for person in data["participants"]] == ["x [/] y", "[red]Ana[/red]", "[b]Kim[/b]"]


async def test_a_typed_number_of_dots_is_held_to_the_cap_and_the_budget(tmp_path):
    # Digits used to be taken as typed (3 on an item capped at 2) until the cast was refused.
    path = session_file(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "vote")
        pane = screen.query_one(VotePane)
        await pilot.press("i", "3")
        await pilot.pause()
        assert pane.draft == {}
        assert any("At most 2 dots" in str(n.message) for n in app._notifications)
        await pilot.press("2", "down", "2")
        await pilot.pause()
        # Three dots each: a second 2 would make four.
        assert pane.draft == {"p0": 2}
        assert any("more than your 3 dots" in str(n.message) for n in app._notifications)
        await pilot.press("1")
        await pilot.pause()
        assert pane.draft == {"p0": 2, "p1": 1}


async def test_once_revealed_the_status_line_waits_for_nobody(tmp_path):
    path = session_file(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "vote", focus=False)
        pane = screen.query_one(VotePane)
        voter = screen.session.participants[0].id
        screen.editor.cast_dots(pane.activity_id, voter, {"p0": 2})
        await pilot.pause()
        assert "waiting for" in status_of(pane)
        screen.editor.reveal(pane.activity_id)
        await wait_until(pilot, lambda: "revealed" in status_of(pane), "the reveal on the status line")
        assert "waiting for" not in status_of(pane)


async def test_w_takes_back_the_abstention_just_made_not_the_ballot_before_it(tmp_path):
    path = session_file(tmp_path / "sessions", "passed")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "vote")
        # Amira casts, the keyboard is handed on, Jo abstains; then w.
        await pilot.press("right", "enter")
        await pass_on(pilot)
        await pilot.press("z")
        await pilot.pause()
        current = screen.editor.current_round("demo-vote")
        assert current is not None and len(current.ballots) == 1 and len(current.abstained) == 1
        await pilot.press("w")
        await screen_ready(pilot, Confirm)
        await pilot.press("y")
        await pilot.pause()
        current = screen.editor.current_round("demo-vote")
        assert current is not None and len(current.ballots) == 1 and current.abstained == []
        assert any("abstention" in str(n.message) for n in app._notifications)


def question_of(dialog: Confirm) -> str:
    return str(dialog.question)


async def test_w_asks_first_naming_whose_ballot_and_n_or_escape_keep_it(tmp_path):
    path = session_file(tmp_path / "sessions", "named")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "vote")
        name = screen.session.participants[0].name
        await pilot.press("right", "enter")
        await wait_until(pilot, lambda: screen.editor.current_round("demo-vote") is not None, "the ballot cast")
        for keep in ("n", "escape"):
            await pilot.press("w")
            dialog = await screen_ready(pilot, Confirm)
            assert question_of(dialog).startswith(f"Withdraw {name}'s ballot?")
            await pilot.press(keep)
            await wait_until(pilot, lambda: app.screen is screen, "the question answered")
            assert len(screen.editor.current_round("demo-vote").ballots) == 1, keep
        await pilot.press("w")
        await screen_ready(pilot, Confirm)
        await pilot.press("y")
        await wait_until(pilot, lambda: not screen.editor.current_round("demo-vote").ballots, "the ballot withdrawn")
        assert any(f"Withdrew {name}'s ballot" in str(n.message) for n in app._notifications)


async def test_in_an_anonymous_round_the_question_names_nobody(tmp_path):
    path = session_file(tmp_path / "sessions", "anonymous")
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_at(pilot, "vote")
        await pilot.press("z")
        await wait_until(pilot, lambda: screen.editor.current_round("demo-vote") is not None, "the abstention")
        await pilot.press("w")
        dialog = await screen_ready(pilot, Confirm)
        assert question_of(dialog).startswith("Withdraw the last abstention?")
        assert not any(person.name.split()[0] in question_of(dialog) for person in screen.session.participants)
        await pilot.press("y")
        await wait_until(pilot, lambda: not screen.editor.current_round("demo-vote").abstained, "the abstention withdrawn")
