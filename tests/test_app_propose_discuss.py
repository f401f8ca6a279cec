"""The propose and discuss panes through Pilot: every change goes through the editor."""

from __future__ import annotations

import tomllib
from datetime import date

from apphelp import FIXED, demo_pack, go_to_activity, make_app
from textual.app import App, ComposeResult
from textual.widgets import Button, DataTable, Footer, Input, Select, TextArea

from workshop.domain.models.limits import LINE_TEXT_CHARACTERS, NOTE_CHARACTERS
from workshop.domain.models.session import DotBallot, Note, Proposal, Session, VoteRound
from workshop.domain.new_session import build_session
from workshop.domain.operations import Change, SessionEditor
from workshop.domain.timebox import FakeClock
from workshop.storage.store import create_session
from workshop.ui.panes.base import ActivityPane
from workshop.ui.panes.discuss import DiscussPane
from workshop.ui.panes.propose import ProposalTable, ProposePane
from workshop.ui.screens.run import RunScreen
from workshop.ui.widgets.choose_option import ChooseOption

TEAM = [("Amira Khan", "Director"), ("Jo Reed", "")]


def demo_session(proposals: tuple[str, ...] = (), notes: dict[str, str] | None = None) -> Session:
    session = build_session(demo_pack(), title="Panes", participants=TEAM, day=date(2025, 3, 14))
    session.id = "panes"
    session.created_at = session.updated_at = FIXED
    for number, text in enumerate(proposals):
        session.proposals.append(Proposal(id=f"p{number}", text=text, behaviour="collaborate", activity_id="demo-propose", position=number))
    for activity_id, text in (notes or {}).items():
        session.notes.append(Note(activity_id=activity_id, text=text))
    return session


class PaneApp(App[None]):
    """One pane alone on an editor, recording what the editor and the pane announce."""

    def __init__(self, session: Session, kind: str, *, read_only: bool = False):
        super().__init__()
        self.editor = SessionEditor(session, read_only=read_only)
        self.kind = kind
        self.read_only = read_only
        self.changes: list[Change] = []
        self.editor.listen(self.changes.append)
        self.notes: list[tuple[str, str, bool]] = []

    def compose(self) -> ComposeResult:
        section, activity = next((s, a) for s, a in self.editor.session.agenda.activities() if a.kind == self.kind)
        pane = DiscussPane if self.kind == "discuss" else ProposePane
        yield pane(activity, section, self.editor, read_only=self.read_only)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ActivityPane).focus_input()

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True):
        self.notes.append((str(message), severity, markup))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


def texts(app: PaneApp) -> list[str]:
    return [p.text for p in app.editor.session.proposals]


async def type_proposal(pilot, text: str) -> None:
    text_input = pilot.app.screen.query_one("#proposal-text", Input)
    text_input.focus()
    text_input.value = text
    await pilot.press("enter")
    await pilot.pause()


async def to_row(pilot, row: int) -> None:
    table = pilot.app.screen.query_one(ProposalTable)
    table.focus()
    table.move_cursor(row=row)
    await pilot.pause()


# -- proposals -----------------------------------------------------------------------


async def test_typed_proposals_are_added_through_the_editor():
    app = PaneApp(demo_session(), "propose")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"Shared data dashboard", "enter")
        await pilot.press(*"Monthly panels", "enter")
        await pilot.pause()
        table = app.query_one(ProposalTable)
        assert table.row_count == 2 and table.cursor_row == 1
        assert app.query_one("#proposal-text", Input).value == ""
    assert texts(app) == ["Shared data dashboard", "Monthly panels"]
    assert [p.activity_id for p in app.editor.session.proposals] == ["demo-propose"] * 2
    assert [(c.area, c.decision) for c in app.changes] == [("proposals", True)] * 2
    # The editor tells the run screen; the pane no longer has to.


async def test_a_proposal_at_its_limit_is_said_and_never_cut():
    app = PaneApp(demo_session(), "propose")
    async with app.run_test(size=(120, 40)) as pilot:
        box = app.query_one("#proposal-text", Input)
        line = app.query_one("#proposal-length")
        box.value = "x" * 100
        await pilot.pause()
        assert not line.display  # quiet far from the limit
        box.value = "x" * LINE_TEXT_CHARACTERS
        await pilot.pause()
        assert line.display and str(line.render()) == f"{LINE_TEXT_CHARACTERS:,} of {LINE_TEXT_CHARACTERS:,} characters: the limit"
        box.value = "x" * (LINE_TEXT_CHARACTERS + 12)
        await pilot.pause()
        assert str(line.render()).endswith(": 12 too many, shorten it")
        await pilot.press("enter")
        await pilot.pause()
        assert len(box.value) == LINE_TEXT_CHARACTERS + 12  # nothing cut: the facilitator shortens it
    assert texts(app) == []
    assert any(f"{LINE_TEXT_CHARACTERS:,}" in message and severity == "error" for message, severity, _ in app.notes)


async def test_the_notes_say_their_length_as_they_near_the_limit():
    app = PaneApp(demo_session(notes={"demo-discuss": "x" * (NOTE_CHARACTERS - 2)}), "discuss")
    async with app.run_test(size=(120, 40)) as pilot:
        line = app.query_one("#notes-length")
        await pilot.pause()
        assert str(line.render()) == f"{NOTE_CHARACTERS - 2:,} of {NOTE_CHARACTERS:,} characters"
        area = app.query_one("#notes", TextArea)
        area.move_cursor(area.document.end)
        await pilot.press(*"abc")
        await pilot.pause()
        assert str(line.render()) == f"{NOTE_CHARACTERS:,} of {NOTE_CHARACTERS:,} characters: the limit"


async def test_a_blank_proposal_is_refused_with_the_reason():
    app = PaneApp(demo_session(), "propose")
    async with app.run_test() as pilot:
        await pilot.press("space", "space", "enter")
        await pilot.pause()
    assert texts(app) == []
    assert ("A proposal needs some text.", "error", False) in app.notes


async def test_an_identical_proposal_is_refused_and_the_pane_says_why():
    app = PaneApp(demo_session(("Shared data dashboard",)), "propose")
    async with app.run_test() as pilot:
        await type_proposal(pilot, "  shared DATA   dashboard")
        # The text stays in the input so it can be reworded.
        assert app.query_one("#proposal-text", Input).value == "  shared DATA   dashboard"
    assert texts(app) == ["Shared data dashboard"]
    assert ("'shared DATA   dashboard' is already a proposal.", "error", False) in app.notes


async def test_edit_then_update_changes_the_proposal():
    app = PaneApp(demo_session(("Shared data dashboard", "Monthly panels")), "propose")
    async with app.run_test() as pilot:
        await to_row(pilot, 1)
        await pilot.press("e")
        await pilot.pause()
        assert app.query_one("#proposal-add", Button).label.plain == "Update"
        app.query_one("#proposal-text", Input).value = "Monthly locality panels"
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one("#proposal-add", Button).label.plain == "Add"
    assert texts(app) == ["Shared data dashboard", "Monthly locality panels"]
    assert [c.ids for c in app.changes] == [("p1",)]


async def test_e_puts_the_cursor_after_the_text_with_nothing_selected():
    app = PaneApp(demo_session(("Shared data dashboard",)), "propose")
    async with app.run_test() as pilot:
        await to_row(pilot, 0)
        await pilot.press("e")
        await pilot.pause()
        text_input = app.query_one("#proposal-text", Input)
        assert app.focused is text_input
        assert text_input.cursor_position == len("Shared data dashboard")
        assert text_input.selection.is_empty
        # The first key adds to the text rather than replacing it.
        await pilot.press(*"s", "enter")
        await pilot.pause()
    assert texts(app) == ["Shared data dashboards"]


async def test_remove_deletes_a_proposal_without_votes():
    app = PaneApp(demo_session(("Shared data dashboard", "Monthly panels")), "propose")
    async with app.run_test() as pilot:
        await to_row(pilot, 0)
        await pilot.press("delete")
        await pilot.pause()
        assert app.query_one(ProposalTable).row_count == 1
    assert texts(app) == ["Monthly panels"]
    assert app.changes[-1].decision


async def test_user_text_with_markup_is_shown_literally_on_removal():
    session = demo_session()
    session.participants[1].name = "Jo [/] Reed"
    app = PaneApp(session, "propose")
    # With toasts on: rendering one whose text were read as markup would crash the app.
    async with app.run_test(notifications=True) as pilot:
        # A name that looks like markup is listed (and shown when chosen) as it is.
        app.query_one("#proposal-by", Select).value = session.participants[1].id
        await pilot.pause()
        await type_proposal(pilot, "a [/] b")
        assert app.query_one(ProposalTable).get_row_at(0)[2].plain == "Jo [/] Reed"
        await type_proposal(pilot, "[bold]c[/bold] [link=x]d")
        await to_row(pilot, 0)
        await pilot.press("backspace")
        await pilot.pause()
        await pilot.press("backspace")
        await pilot.pause()
        # The toasts are on screen (rendered) and the app is still running.
        assert app.is_running
    assert texts(app) == []
    removed = [(message, markup) for message, _, markup in app.notes if message.startswith("Removed")]
    assert removed == [("Removed: a [/] b", False), ("Removed: [bold]c[/bold] [link=x]d", False)]


async def test_a_proposal_with_votes_stays_with_the_reason():
    session = demo_session(("Shared data dashboard", "Monthly panels"))
    session.vote_rounds.append(
        VoteRound(id="v1", activity_id="demo-vote", mode="named", proposals=["p0", "p1"], ballots=[DotBallot(voter=session.participants[0].id, dots={"p0": 1})])
    )
    app = PaneApp(session, "propose")
    async with app.run_test() as pilot:
        await to_row(pilot, 0)
        await pilot.press("delete")
        await pilot.pause()
    assert texts(app) == ["Shared data dashboard", "Monthly panels"]
    assert ("'Shared data dashboard' has votes; re-run the vote first to change the list.", "warning", False) in app.notes


async def test_m_merges_the_highlighted_proposal_into_the_chosen_one():
    app = PaneApp(demo_session(("Shared data dashboard", "Monthly panels", "One dashboard for our data")), "propose")
    async with app.run_test(size=(120, 40)) as pilot:
        await to_row(pilot, 2)
        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChooseOption)
        assert [key for key, _ in dialog.choices] == ["p0", "p1"]
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ChooseOption)
        table = app.query_one(DataTable)
        assert table.row_count == 2 and table.cursor_row == 0
        assert "(+1 merged)" in table.get_row_at(0)[0].plain
    keep = app.editor.session.proposals[0]
    assert texts(app) == ["Shared data dashboard", "Monthly panels"]
    assert keep.merged_texts == ["One dashboard for our data"] and keep.merged_ids == ["p2"]
    assert app.changes[-1].ids == ("p0", "p2") and app.changes[-1].decision
    assert ("Merged 'One dashboard for our data' into 'Shared data dashboard'.", "information", False) in app.notes


async def test_escape_in_the_merge_dialog_changes_nothing():
    session = demo_session(("Shared data dashboard", "Monthly panels"))
    before = session.model_dump()
    app = PaneApp(session, "propose")
    async with app.run_test() as pilot:
        await to_row(pilot, 1)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ChooseOption)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ChooseOption)
    assert session.model_dump() == before and app.changes == []


async def test_merge_with_nothing_else_in_the_list_says_so():
    app = PaneApp(demo_session(("Shared data dashboard",)), "propose")
    async with app.run_test() as pilot:
        await to_row(pilot, 0)
        await pilot.press("m")
        await pilot.pause()
        assert not isinstance(app.screen, ChooseOption)
    assert any("no other proposal" in message for message, _, _ in app.notes)
    assert app.changes == []


async def test_read_only_pane_changes_nothing():
    session = demo_session(("Shared data dashboard", "Monthly panels"))
    before = session.model_dump()
    app = PaneApp(session, "propose", read_only=True)
    async with app.run_test() as pilot:
        assert app.query_one("#proposal-text", Input).disabled
        await to_row(pilot, 0)
        await pilot.press("delete", "m", "e")
        await pilot.pause()
        assert not isinstance(app.screen, ChooseOption)
    assert session.model_dump() == before and app.changes == []


# -- notes ---------------------------------------------------------------------------


async def test_showing_the_notes_changes_nothing():
    session = demo_session()
    before = session.model_dump()
    app = PaneApp(session, "discuss")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.query_one("#notes", TextArea).text == ""
    assert session.model_dump() == before and app.changes == []


async def test_typed_notes_go_through_the_editor():
    app = PaneApp(demo_session(notes={"demo-discuss": "Earlier"}), "discuss")
    async with app.run_test() as pilot:
        area = app.query_one("#notes", TextArea)
        area.move_cursor(area.document.end)
        await pilot.press("enter", *"Data is patchy")
        await pilot.pause()
    assert app.editor.note_text("demo-discuss") == "Earlier\nData is patchy"
    assert app.changes and all(c.area == "notes" and not c.decision for c in app.changes)


async def test_notes_stop_at_the_limit_with_one_warning():
    app = PaneApp(demo_session(notes={"demo-discuss": "x" * (NOTE_CHARACTERS - 2)}), "discuss")
    async with app.run_test() as pilot:
        area = app.query_one("#notes", TextArea)
        area.move_cursor(area.document.end)
        await pilot.press(*"abcdef")
        await pilot.pause()
        # The area never holds more than the note can, and all of it is saved.
        assert len(area.text) == NOTE_CHARACTERS
        assert area.text.endswith("xxab")
    assert app.editor.note_text("demo-discuss") == "x" * (NOTE_CHARACTERS - 2) + "ab"
    warnings = [message for message, severity, _ in app.notes if severity in ("warning", "error")]
    assert warnings == [f"A note holds at most {NOTE_CHARACTERS:,} characters."]


async def test_a_paste_past_the_limit_keeps_what_fits():
    from textual import events

    app = PaneApp(demo_session(notes={"demo-discuss": "x" * (NOTE_CHARACTERS - 3)}), "discuss")
    async with app.run_test() as pilot:
        area = app.query_one("#notes", TextArea)
        area.move_cursor(area.document.end)
        assert app.focused is area
        # As the terminal delivers a paste: to the app, which hands it to the focused widget.
        app.post_message(events.Paste("12345"))
        await pilot.pause()
        assert len(area.text) == NOTE_CHARACTERS
        # Room made by deleting can be typed into again.
        await pilot.press("backspace", "9")
        await pilot.pause()
    assert app.editor.note_text("demo-discuss").endswith("x129")
    warnings = [message for message, severity, _ in app.notes if severity in ("warning", "error")]
    assert len(warnings) == 1


# -- on the run screen, saved --------------------------------------------------------


# -- on the run screen, saved --------------------------------------------------------


async def _run_screen(pilot, app) -> RunScreen:
    for _ in range(100):
        if isinstance(app.screen, RunScreen):
            break
        await app.workers.wait_for_complete()
        await pilot.pause()
    screen = await go_to_activity(pilot, "propose")
    assert isinstance(screen, RunScreen)
    return screen


async def test_a_proposal_typed_but_not_entered_is_kept_when_the_room_moves_on(tmp_path):
    path = create_session(tmp_path / "sessions", demo_session())
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _run_screen(pilot, app)
        said: list[str] = []
        shown = app.notify
        app.notify = lambda message, **kw: (said.append(str(message)), shown(message, **kw))[1]  # type: ignore[method-assign, func-returns-value]
        await pilot.press("i", *"Half a thought", "escape")
        await pilot.pause()
        assert app.focused is None or not isinstance(app.focused, Input)
        await pilot.press("n")
        await pilot.pause()
        assert screen.clock.current.kind != "propose"
        note = screen.editor.note_text("demo-propose")
        assert note == "Typed but not entered as a proposal: Half a thought"
        assert said == ["Not entered as a proposal, kept in the notes of “A proposal or two”: Half a thought"]
        await pilot.press("q")
        await pilot.pause()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [n["text"] for n in data["notes"] if n["activity_id"] == "demo-propose"] == [note]


async def test_a_proposal_typed_but_not_entered_is_kept_when_leaving_with_q(tmp_path):
    path = create_session(tmp_path / "sessions", demo_session(notes={"demo-propose": "Earlier words"}))
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _run_screen(pilot, app)
        await pilot.press("i", *"Protect Fridays", "escape", "q")
        await pilot.pause()
        assert not isinstance(app.screen, RunScreen)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    notes = [n["text"] for n in data["notes"] if n["activity_id"] == "demo-propose"]
    assert notes == ["Earlier words\nTyped but not entered as a proposal: Protect Fridays"]


async def test_merge_on_the_run_screen_is_saved(tmp_path):
    path = create_session(tmp_path / "sessions", demo_session(("Shared data dashboard", "Monthly panels")))
    app = make_app(tmp_path, clock=FakeClock(), open_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            if isinstance(app.screen, RunScreen):
                break
            await app.workers.wait_for_complete()
            await pilot.pause()
        screen = await go_to_activity(pilot, "propose")
        assert isinstance(screen, RunScreen)
        await to_row(pilot, 1)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert [(p["text"], p["merged_texts"]) for p in data["proposals"]] == [("Shared data dashboard", ["Monthly panels"])]
