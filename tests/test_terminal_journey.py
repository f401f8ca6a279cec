"""The facilitator's whole journey, in a real terminal (tmux), by keys alone.

From an empty sessions folder: plan a session on the demo pack in the setup form, run
every activity (ratings passed round the keyboard, notes, proposals with a hostile text,
a dot vote, the board), close through the close checks, export Markdown from the home
screen; then read the session file and the report. At 100x30 and at 80x24, where the
texts a facilitator needs (footer keys, clock, ballot prompts) must not be cut. A second
journey kills the app with SIGKILL in the middle of a dot vote and reopens the session.

Every wait polls the screen (or the file) with a deadline; no fixed sleep is a wait.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clirun import run_cli
from terminal import Terminal, need_tmux, process_gone, read_toml_when

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(sys.platform == "win32", reason="tmux")]

HOSTILE_PROPOSAL = "[/] <b>x</b>"
HOSTILE_NOTE = "Partners hold data we never see [/] <script>x</script>"
PEOPLE = [("Amira", "Director"), ("Jo", "Head of service"), ("Sam", "")]
# Each person's answers to the demo pack's two rating questions, in turn.
RATINGS = {"amira": (4, 3), "jo": (5, 2), "sam": (3, 3)}
PROPOSALS = ["Share data with health partners", HOSTILE_PROPOSAL, "Joint budget for early help", "Pool budgets for early help"]


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    """Terminals a test opens; each one's tmux server is ended whatever happens."""
    need_tmux()
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.kill_server()


def app_env() -> dict[str, str]:
    # conftest has pointed HOME and the XDG folders at this test's own; tmux passes on the
    # rest of the test's environment, these are set explicitly for the app.
    names = ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "TZ")
    return {"TERM": "xterm-256color", **{name: os.environ[name] for name in names if name in os.environ}}


def start(terminals: list[Terminal], name: str, size: tuple[int, int], *args: str) -> Terminal:
    terminal = Terminal(name, [sys.executable, "-m", "workshop", *args], app_env(), size=size)
    terminals.append(terminal)
    return terminal


def footer(screen: str) -> str:
    """The screen's last line: the Footer's keys."""
    return screen.rstrip("\n").split("\n")[-1]


def footer_shows(screen: str, *keys: str) -> bool:
    """Each key text (e.g. '⏎ Cast') is in the footer in full."""
    return all(key in footer(screen) for key in keys)


def expect_footer(terminal: Terminal, *keys: str) -> str:
    """Wait until the footer shows every one of `keys` in full (it is drawn last)."""
    return terminal.wait_until(lambda screen: footer_shows(screen, *keys), f"the footer keys {keys}")


def assert_clock_readable(screen: str, state: str) -> None:
    """The big clock (block digits) and its state line (PAUSED/RUNNING, schedule, finish) show."""
    lines = screen.split("\n")
    at = next((index for index, line in enumerate(lines) if state in line), None)
    assert at is not None, f"no {state} on the screen:\n{screen}"
    # Block digits on the lines above the state line (their font grows with the space).
    assert any(re.search(r"[▀▄█]{3}", line.split("▎")[-1]) for line in lines[max(0, at - 6) : at]), f"no big clock digits:\n{screen}"
    state_line = lines[at]
    assert re.search(r"(on time|ahead|behind)", state_line) and re.search(r"finish \d\d:\d\d", state_line), state_line


# Borders, scroll bars and bars of results: left out when reading the text of a pane.
DRAWING = str.maketrans("", "", "▊▎▔▁▂▃▄▅▆▇█▌▐")


def flat(screen: str) -> str:
    """The text beside the agenda, lines joined, without borders: finds wrapped sentences."""
    parts = [line.split("▎ ", 1)[1] if "▎ " in line else line for line in screen.split("\n")]
    return re.sub(r"\s+", " ", " ".join(parts).translate(DRAWING))


def wait_text(terminal: Terminal, text: str, timeout: float = 20) -> str:
    """Wait until `text` shows, maybe wrapped over lines (at 80 columns it often is)."""
    return terminal.wait_until(lambda screen: text in flat(screen), repr(text), timeout)


def row_shows(screen: str, *cells: str) -> bool:
    """Some line of the screen holds every one of `cells`, in order."""
    pattern = r"\s.*?".join(re.escape(cell) for cell in cells)
    return any(re.search(pattern, line) for line in screen.split("\n"))


# -- the setup form --------------------------------------------------------------------


def styled_line(terminal: Terminal, marker: str) -> str:
    return next((line for line in terminal.styled_screen().split("\n") if marker in line), "")


def choose_demo_pack(terminal: Terminal) -> None:
    """Shift+Tab from the title to the pack list, open it, pick the demo."""
    # The Select does not move the terminal's cursor: its focus shows only in colour.
    before = styled_line(terminal, " sections · ")
    terminal.press("BTab")
    terminal.wait_until(lambda _: styled_line(terminal, " sections · ") != before, "focus on the pack list")
    terminal.press("Enter")
    terminal.wait_for("Demo: resourceful leadership in eleven minutes · 4 sections")
    terminal.press("Down", "Enter")
    terminal.wait_for("A demo pack for trying the app")
    focused = styled_line(terminal, " sections · ")
    terminal.press("Tab")  # back to the title
    terminal.wait_until(lambda _: styled_line(terminal, " sections · ") != focused, "focus back on the title")


def fill(terminal: Terminal, text: str) -> None:
    terminal.type(text)
    terminal.wait_for(text)


def field_span(screen: str, label: str, below: int = 1) -> tuple[int, int, int]:
    """Where the input under `label` is (`below` 0: an empty input showing `label` as its
    placeholder): its row, and its first and last-but-one column."""
    lines = screen.split("\n")
    for row, line in enumerate(lines):
        match = re.search(rf"(?<!\w){re.escape(label)}(?!\w)", line)
        if match:
            # The field runs from under its label to the next label on that line.
            following = re.search(r"\S", line[match.end() :])
            end = match.end() + following.start() if following else len(line)
            return row + below, match.start(), max(end, match.start() + 1)
    raise AssertionError(f"no label {label!r} on the screen:\n{screen}")


def focus_field(terminal: Terminal, label: str, tabs: int = 1, below: int = 1) -> None:
    """Press Tab `tabs` times, then wait until the cursor is in the input under `label`.

    The app keeps keys in the order typed (`workshop.ui.key_order`), so text typed straight
    after a Tab lands in the next field; waiting for the cursor also checks that the Tab
    reached the field this journey expects.
    """
    terminal.press(*["Tab"] * tabs)

    def arrived(screen: str) -> bool:
        row, first, last = field_span(screen, label, below)
        x, y = terminal.cursor()
        return y == row and first <= x < last

    terminal.wait_until(arrived, f"the cursor in the {label!r} field")


def create_session_by_keys(terminal: Terminal) -> None:
    terminal.wait_for("No sessions yet")
    expect_footer(terminal, "n New", "q Quit")
    terminal.press("n")
    terminal.wait_for("New session")
    expect_footer(terminal, "^s Save", "esc Cancel")
    choose_demo_pack(terminal)
    fill(terminal, "Spring away-day")
    focus_field(terminal, "Team", tabs=2)  # past the date: today, as it is
    fill(terminal, "Children SLT")
    focus_field(terminal, "Facilitator")
    fill(terminal, "Fran")
    focus_field(terminal, "Name", below=0)
    for number, (name, role) in enumerate(PEOPLE, start=1):
        fill(terminal, name)
        if role:
            focus_field(terminal, "Role (optional)", below=0)
            fill(terminal, role)
        terminal.press("Enter")
        cells = [str(number), name, role] if role else [str(number), name]
        # Added and in view (the form scrolls the list into view at 80x24); the same key
        # put the focus back in the empty name field for the next person.
        terminal.wait_until(lambda screen, cells=cells: row_shows(screen, *cells), f"{name} in the participants")  # type: ignore[misc]  # the default binds the loop's value
    terminal.press("C-s")


# -- the run screen --------------------------------------------------------------------


def voter_is(screen: str, name: str) -> bool:
    """The voter list (beside the agenda, if it shows) names `name`."""
    return re.search(rf"(^|▎)\s*{name}\s+▼", screen, re.M) is not None


def voted(screen: str) -> int | None:
    """How many have voted, as the ballot pane's status line says."""
    match = re.search(r"Pass the keyboard · (\d+) voted", flat(screen))
    return int(match.group(1)) if match else None


QUESTIONS = [
    "How confident are we that we work well with our partners? (1 Not at all … 5 Completely)",
    "How good is our data at showing whether children's lives are improving? (1 Poor … 5 Excellent)",
]


def pass_on(terminal: Terminal, *, last: bool) -> None:
    """Between two voters the keyboard is handed on: a screen says so until a key is pressed."""
    if not last:
        wait_text(terminal, "Press any key when they are ready")
        terminal.press("space")


def cast_ratings(terminal: Terminal) -> None:
    """Amira, Jo and Sam rate in turn on the one keyboard; then the facilitator reveals."""
    terminal.press("i")
    for count, (voter, answers) in enumerate(RATINGS.items()):
        name = voter.capitalize()
        terminal.wait_until(lambda screen, name=name: voter_is(screen, name), f"{name}'s turn")  # type: ignore[misc]  # the default binds the loop's value
        screen = expect_footer(terminal, "⏎ Cast", "r Reveal")
        assert voted(screen) == count, flat(screen)
        # Each question, whole with its scale, shows while it is the one being answered; a
        # digit answers it and moves on (at 80x24 the list then scrolls the first away).
        first, second = QUESTIONS
        wait_text(terminal, f"[ ] {first}")
        terminal.press(str(answers[0]))
        wait_text(terminal, f"[ ] {second}")
        terminal.press(str(answers[1]))
        # Pass the keyboard: a chosen value shows as ●, never the value (the room may see it).
        wait_text(terminal, f"[●] {second.split('?')[0]}")
        terminal.press("Enter")
        pass_on(terminal, last=count == len(RATINGS) - 1)
        # Cast ballots are hidden in pass-the-keyboard mode: the screen says only who voted.
        terminal.wait_until(lambda screen, cast=count + 1: voted(screen) == cast, f"{count + 1} voted")  # type: ignore[misc]  # the default binds the loop's value
    wait_text(terminal, "everyone has voted: r reveals")
    terminal.press("r")
    wait_text(terminal, "revealed")
    wait_text(terminal, "3 answers · median 4 · mean 4.0 · spread 2")
    if terminal.size[1] >= 30:
        # At 24 lines the second question's results are below the pane's fold.
        wait_text(terminal, "3 answers · median 3 · mean 2.7 · spread 1")


PARKED = "Transport to school"
OBJECTION = "No budget until April"


def take_notes(terminal: Terminal) -> None:
    terminal.press("n")
    wait_text(terminal, "Notes (saved as you type")
    # The discussion runs in two timed stages: the first shows with its prompt.
    wait_text(terminal, "Stage 1 of 2: Alone")
    # Letters reach the notes only once they have the focus (the cursor is there); before,
    # they would be the run screen's keys.
    terminal.move_focus("i")
    terminal.type(HOSTILE_NOTE)
    wait_text(terminal, HOSTILE_NOTE)
    terminal.press("Escape")
    # Out of the notes, the screen's keys are back (n must not be typed into the notes).
    expect_footer(terminal, "n Next", "q Home")
    park_an_item(terminal)


def park_an_item(terminal: Terminal) -> None:
    """k parks something off the topic: its text, then who raised it."""
    terminal.press("k")
    terminal.wait_for("Park an item for the close")
    terminal.type(PARKED)
    wait_text(terminal, PARKED)
    terminal.press("Enter")
    terminal.wait_for("Who raised it?")
    terminal.press("Down", "Down", "Enter")  # Jo, after "Nobody named" and Amira
    wait_text(terminal, "· 1 parked")  # under the clock, until the close reviews it


def consent_check(terminal: Terminal) -> None:
    """After the vote: the rule on screen, the top priority agreed, the next objected to."""
    terminal.press("n")
    wait_text(terminal, "Decision rule: The team decides by consent")
    terminal.press("i")
    expect_footer(terminal, "1 Agreed", "2 Objected")  # the list has the keys now
    terminal.press("1")
    wait_text(terminal, "1 agreed · 0 objected to")
    terminal.press("2")
    terminal.wait_for("The objection to")
    terminal.type(OBJECTION)
    terminal.press("Enter")
    wait_text(terminal, "1 agreed · 1 objected to")


def add_proposals(terminal: Terminal) -> None:
    terminal.press("n")
    wait_text(terminal, "Type a proposal and press Enter")
    terminal.move_focus("i")
    for text in PROPOSALS:
        terminal.type(text)
        wait_text(terminal, text)
        terminal.press("Enter")
        terminal.wait_until(lambda screen, text=text: row_shows(screen, text, "Ability to"), f"{text!r} in the table")  # type: ignore[misc]  # the default binds the loop's value
    # The last two say one thing: merge the last into the one before, from the table
    # (Tab from the text: the behaviour, who proposed it, Add, then the table).
    terminal.press("Tab", "Tab", "Tab", "Tab")
    screen = terminal.wait_until(lambda screen: "m Merge" in footer(screen), "the proposals table's keys")
    terminal.press("Down", "Down", "Down", "m")
    terminal.wait_for("Merge 'Pool budgets for early help' into")
    terminal.press("Down", "Down", "Enter")
    # The mark is "(+1 merged)"; the table's column does not always widen to show all of
    # it (Textual measures new rows when the table is next idle), so only its start counts.
    screen = terminal.wait_for("Joint budget for early help  (+")
    assert not row_shows(screen, "Pool budgets for early help", "Ability to"), "the merged proposal is still a row"


# Dots each person puts on the proposals as listed (share data, hostile, joint budget).
DOTS = {"amira": (2, 1, 2), "jo": (0, 0, 2), "sam": (0, 0, 1)}


def put_dots(terminal: Terminal, dots: tuple[int, ...]) -> None:
    """Digits set the highlighted proposal's dots; Down moves on; the list starts at the top."""
    for index, count in enumerate(dots):
        if count:
            terminal.press(str(count))
            # A secret ballot marks a proposal with dots (●), never how many.
            marked = sum(1 for placed in dots[: index + 1] if placed)
            terminal.wait_until(lambda screen, marked=marked: len(re.findall(r"●  \S", screen)) == marked, "the dots")  # type: ignore[misc]  # the default binds the loop's value
        if index < len(dots) - 1:
            terminal.press("Down")


def dot_vote(terminal: Terminal, voters: list[str], *, more_to_vote: bool = False) -> None:
    """`voters` cast in turn; `more_to_vote`: someone after them is still to vote (the
    keyboard is then handed on after the last of them too)."""
    for voter in voters:
        name = voter.capitalize()
        terminal.wait_until(lambda screen, name=name: voter_is(screen, name), f"{name}'s turn")  # type: ignore[misc]  # the default binds the loop's value
        screen = expect_footer(terminal, "⏎ Cast", "r Reveal")
        # The list's title; at 80 columns the footer says Enter casts.
        assert "Secret: 5 dots each · at most 2 on one" in screen, screen
        assert HOSTILE_PROPOSAL in screen
        # A toast (the merge's) may cover the status line for a few seconds: wait it out.
        before = voted(terminal.wait_until(lambda screen: voted(screen) is not None, "the ballot's status line"))
        assert before is not None
        put_dots(terminal, DOTS[voter])
        terminal.press("Enter")
        pass_on(terminal, last=voter == voters[-1] and not more_to_vote)
        terminal.wait_until(lambda screen, cast=before + 1: voted(screen) == cast, f"{name}'s ballot acknowledged")  # type: ignore[misc]  # the default binds the loop's value


def place_on_board(terminal: Terminal) -> None:
    terminal.press("n")
    # The line under the board names the card in full (at 80 columns the cards are cut).
    wait_text(terminal, "Unplaced 1/3: Joint budget for early help · ●5")
    terminal.press("i")
    expect_footer(terminal, "> Right", "p Protect", "o Owner")
    terminal.press(">")
    wait_text(terminal, "Next month 1/1: Joint budget for early help · ●5")
    terminal.press("p")
    wait_text(terminal, "★ protected")
    terminal.press("o")
    terminal.wait_for("Who owns 'Joint budget for early help'?")
    terminal.type("Amira")
    terminal.press("Enter")
    wait_text(terminal, "owner Amira")
    # The next card (share data) two columns on, to Six months.
    terminal.press("Left")
    wait_text(terminal, "Unplaced 1/2: Share data with health partners")
    terminal.press(">", ">")
    wait_text(terminal, "Six months 1/1: Share data with health partners · ●2")


def close_session(terminal: Terminal) -> None:
    terminal.press("n")
    # The parking lot first, above the close's decisions and summary: the item kept for later.
    wait_text(terminal, f"{PARKED} · Jo · Not reviewed")
    if terminal.size[1] >= 30:
        # At 24 lines the close's record is below the parking lot's fold.
        wait_text(terminal, "Who must agree: not recorded yet")  # what the close has recorded so far
    terminal.press("i")
    # In the list, the footer no longer offers to go there.
    terminal.wait_until(lambda screen: "i Type" not in footer(screen), "the parking lot's list to have the keys")
    terminal.press("Enter")
    terminal.wait_for("What becomes of")
    terminal.press("Enter")
    wait_text(terminal, f"{PARKED} · Jo · Kept for later")
    terminal.press("n")  # the list leaves n to the screen: the close checks come next
    # The close checks: the hostile proposal is still unplaced, shown as typed.
    screen = terminal.wait_for("Before we close:")
    assert "1 priority is not placed on a horizon:" in screen and HOSTILE_PROPOSAL in screen
    assert "Close anyway (y)" in screen and "Go back (n)" in screen
    terminal.press("y")
    terminal.wait_for("COMPLETED")


# -- the journey -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
def test_the_whole_journey_by_keys(tmp_path, terminals, size):
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    terminal = start(terminals, "journey", size, "--sessions-dir", str(sessions))

    create_session_by_keys(terminal)
    # Saved for today: it opens on the run screen, paused at the first activity.
    screen = terminal.wait_for("What this demo is")
    (path,) = sessions.glob("*.toml")
    assert_clock_readable(expect_footer(terminal, "space Start", "n Next"), "PAUSED")
    terminal.press("space")
    screen = terminal.wait_for("RUNNING")
    assert_clock_readable(screen, "RUNNING")

    terminal.press("n")
    wait_text(terminal, "0 voted · waiting for Amira, Jo, Sam")
    cast_ratings(terminal)
    take_notes(terminal)
    add_proposals(terminal)
    terminal.press("n")
    wait_text(terminal, "Stretch your legs;")
    terminal.press("n")
    terminal.wait_for("Merge duplicates")  # every proposal so far, nothing to merge
    terminal.press("n")
    terminal.wait_for("Secret: 5 dots each")
    terminal.press("i")
    dot_vote(terminal, ["amira", "jo", "sam"])
    wait_text(terminal, "everyone has voted: r reveals")
    terminal.press("r")
    # Place, bar, dots and voters, then the proposal (wrapped at 80 columns).
    screen = wait_text(terminal, "1 5 dots, 3 voters Joint budget for early help")
    assert "2 2 dots, 1 voter Share data with health partners" in flat(screen)
    assert f"3 1 dot, 1 voter {HOSTILE_PROPOSAL}" in flat(screen)
    consent_check(terminal)
    place_on_board(terminal)
    close_session(terminal)

    data = read_toml_when(path, lambda data: data["status"] == "completed")
    check_session_file(data)

    # Home, and export the session as Markdown from there.
    terminal.press("q")
    terminal.wait_for("1 session in")
    terminal.wait_until(lambda screen: row_shows(screen, "Spring away-day", "Children SLT", "completed", "100%"), "the session's row")
    # The table has the keys (not the filter): export is offered.
    expect_footer(terminal, "x Export", "q Quit")
    terminal.press("x")
    screen = terminal.wait_for("Exported")
    report = path.with_suffix(".md")
    assert report.is_file(), screen
    check_report(report.read_text(encoding="utf-8"))
    pid = terminal.pid()
    terminal.press("q")
    assert process_gone(pid, timeout=15), "q on the home screen did not quit the app"


def check_session_file(data: dict[str, Any]) -> None:
    assert data["title"] == "Spring away-day"
    assert data["team"] == "Children SLT"
    assert data["facilitator"] == "Fran"
    assert [(person["name"], person["role"]) for person in data["participants"]] == PEOPLE
    assert data["status"] == "completed"
    assert all(step["state"] == "done" for step in data["progress"])
    # The clock ran from the first activity on: time was recorded.
    assert sum(step["elapsed_seconds"] for step in data["progress"]) > 0

    (rating,) = data["rating_rounds"]
    assert rating["mode"] == "passed" and rating["revealed"]
    assert {ballot["voter"]: tuple(ballot["answers"][q] for q in ("demo-q1", "demo-q2")) for ballot in rating["ballots"]} == RATINGS

    assert [note["text"] for note in data["notes"]] == [HOSTILE_NOTE]

    proposals = {proposal["text"]: proposal for proposal in data["proposals"]}
    assert list(proposals) == PROPOSALS[:3]
    joint = proposals["Joint budget for early help"]
    assert joint["merged_texts"] == ["Pool budgets for early help"]
    assert (joint["horizon"], joint["owner"], joint["protected"]) == ("next-month", "Amira", True)
    share = proposals["Share data with health partners"]
    assert (share["horizon"], share["owner"], share["protected"]) == ("six-months", "", False)
    assert proposals[HOSTILE_PROPOSAL]["horizon"] == "unplaced"

    (vote,) = data["vote_rounds"]
    ids = [proposals[text]["id"] for text in PROPOSALS[:3]]
    assert vote["revealed"] and vote["voted"] == list(DOTS)
    cast = {ballot["voter"]: ballot["dots"] for ballot in vote["ballots"]}
    expected = {voter: {pid: n for pid, n in zip(ids, dots, strict=True) if n} for voter, dots in DOTS.items()}
    assert cast == expected

    (parked,) = data["parking_lot"]
    assert (parked["text"], parked["raised_by"], parked["status"]) == (PARKED, "Jo", "kept")
    assert [(c["proposal_id"], c["answer"], c["reason"]) for c in data["consents"]] == [(ids[2], "agreed", ""), (ids[0], "objected", OBJECTION)]


def check_report(report: str) -> None:
    assert report.startswith("# Spring away-day\n")
    assert "**Status:** Completed" in report
    for name, role in PEOPLE:
        assert re.search(rf"^\| {name} \| {re.escape(role) or ' '} \| yes \|$", report, re.M), name
    next_month = report.split("### Next month", 1)[1].split("###", 1)[0]
    assert "| Joint budget for early help (also worded: Pool budgets for early help) | Amira |   | 5 | ✓ |" in next_month
    assert "| Share data with health partners |   |   | 2 |   |" in report.split("### Six months", 1)[1].split("###", 1)[0]
    # Hostile text is escaped for Markdown: it reads as typed, never as markup or HTML.
    unplaced = report.split("## Proposals not placed", 1)[1].split("##", 1)[0]
    assert r"\[/\] \<b\>x\</b\>" in unplaced
    assert "<b>" not in report and "<script>" not in report
    assert ("| How confident are we that we work well with our partners? (1 = Not at all, 5 = Completely) | 3 | 4 | 4.0 | 2 | 1:0 2:0 3:1 4:1 5:1 |") in report
    assert "| 1 | Joint budget for early help | 5 | 3 |" in report
    assert r"Partners hold data we never see \[/\] \<script\>x\</script\>" in report
    assert "| **Total** | **11** |" in report
    assert f"| {PARKED} | Jo | A short discussion | Kept for later |" in report
    assert f"| Share data with health partners | 2 | Objected: {OBJECTION} |" in report


# -- killed in the middle of a ballot ----------------------------------------------------


def test_sigkill_in_the_middle_of_a_dot_vote_loses_nothing_done(tmp_path, terminals):
    sessions = tmp_path / "sessions"
    people = [f"{name}:{role}" if role else name for name, role in PEOPLE]
    created = run_cli(
        "--sessions-dir",
        str(sessions),
        "new",
        "--pack",
        "demo",
        "--title",
        "Kill test",
        *[arg for person in people for arg in ("--participant", person)],
        "--no-open",
    )
    assert created.returncode == 0, created.stderr
    path = Path(created.stdout.strip())
    command = ["--sessions-dir", str(sessions), "open", str(path)]

    first = start(terminals, "before", (100, 30), *command)
    first.wait_for("What this demo is")
    expect_footer(first, "space Start", "n Next")
    first.press("space")
    first.wait_for("RUNNING")
    first.press("n")
    wait_text(first, "0 voted · waiting for Amira, Jo, Sam")
    cast_ratings(first)
    take_notes(first)
    add_proposals(first)
    first.press("n")
    wait_text(first, "Stretch your legs;")
    first.press("n")
    first.wait_for("Merge duplicates")  # every proposal so far, nothing to merge
    first.press("n")
    first.wait_for("Secret: 5 dots each")
    first.press("i")
    # Two ballots cast and acknowledged on screen; Sam's is half filled in when the app dies.
    dot_vote(first, ["amira", "jo"], more_to_vote=True)  # Sam is still to vote: the keyboard is handed on
    wait_text(first, "2 voted · waiting for Sam")
    first.wait_until(lambda screen: voter_is(screen, "Sam"), "Sam's turn")
    first.press("2")
    first.wait_until(lambda screen: len(re.findall(r"●  \S", screen)) == 1, "Sam's first dots, shown as ●")
    pid = first.pid()
    os.kill(pid, signal.SIGKILL)
    assert process_gone(pid), "SIGKILL did not end the app"

    # The file holds everything done before the kill, and nothing half done.
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["status"] == "running", "killed while running: the file says so, and the app resumes it paused"
    assert data["current_activity"] == "demo-vote"
    (rating,) = data["rating_rounds"]
    assert rating["revealed"] and len(rating["ballots"]) == 3
    assert [proposal["text"] for proposal in data["proposals"]] == PROPOSALS[:3]
    (vote,) = data["vote_rounds"]
    assert vote["voted"] == ["amira", "jo"] and not vote["revealed"]
    assert [ballot["voter"] for ballot in vote["ballots"]] == ["amira", "jo"]
    assert not list(sessions.glob(".*.tmp")) and not list(sessions.glob("*.tmp"))
    listed = run_cli("--sessions-dir", str(sessions), "list")
    assert listed.returncode == 0 and "Kill test" in listed.stdout and "unreadable" not in listed.stdout.lower(), listed.stdout

    # Reopened (the dead process's lock does not stand in the way): paused where it was,
    # the two ballots counted, Sam's turn; Sam votes again from the start.
    second = start(terminals, "after", (100, 30), *command)
    second.wait_for("PAUSED")
    assert_clock_readable(expect_footer(second, "space Start", "n Next"), "PAUSED")
    wait_text(second, "Pass the keyboard · 2 voted · waiting for Sam")
    screen = second.wait_for("Secret: 5 dots each")
    assert "Dot vote" in screen
    second.press("i")
    dot_vote(second, ["sam"])
    wait_text(second, "everyone has voted: r reveals")
    second.press("r")
    wait_text(second, "1 5 dots, 3 voters Joint budget for early help")
    data = read_toml_when(path, lambda data: data["vote_rounds"][0]["revealed"])
    (vote,) = data["vote_rounds"]
    assert [ballot["voter"] for ballot in vote["ballots"]] == ["amira", "jo", "sam"]
    assert [note["text"] for note in data["notes"]] == [HOSTILE_NOTE]
