"""Typing far from a text's limit repaints the field, never the whole screen (issue 20).

Each key in the notes once laid the run screen out again (the length line under the
field was given its empty words anew), which cost a full layout and a second frame per
key in a real terminal. A layout is what the screen's `screen_layout_refresh_signal`
announces; Pilot's `pause` runs any layout that is due, so none is missed.
"""

from __future__ import annotations

from apphelp import go_to_activity
from test_app_stray_keys import keys_of, open_app
from textual.app import App, ComposeResult
from textual.widgets import TextArea

from workshop.ui.widgets.length_note import LengthNote


def count_layouts(screen) -> list[object]:
    laid_out: list[object] = []
    screen.screen_layout_refresh_signal.subscribe(screen, laid_out.append)
    return laid_out


async def test_typing_notes_lays_nothing_out(tmp_path):
    app = open_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go_to_activity(pilot, "discuss")
        await pilot.press("i")
        area = screen.query_one("#notes", TextArea)
        assert app.focused is area
        await pilot.press("x")  # the first letter makes the note; then only typing
        await pilot.pause()
        laid_out = count_layouts(screen)
        await pilot.press(*keys_of("the data is patchy"))
        await pilot.pause()
        assert area.text == "xthe data is patchy"
        assert laid_out == []


class LengthApp(App[None]):
    def compose(self) -> ComposeResult:
        yield LengthNote(100, id="length")


async def test_the_length_line_changes_only_when_its_words_do():
    # The proposal box's own Input lays out as its text widens (Textual's), so the line
    # under it is checked alone: a length far from the limit, again and again, is no change.
    app = LengthApp()
    async with app.run_test() as pilot:
        line = app.query_one(LengthNote)
        line.show(10)
        await pilot.pause()
        laid_out = count_layouts(app.screen)
        for length in range(11, 40):
            line.show(length)
            await pilot.pause()
        assert laid_out == [] and not line.display
        line.show(90)
        await pilot.pause()
        assert line.display and str(line.render()) == "90 of 100 characters"
        line.show(100)
        await pilot.pause()
        assert line.has_class("-at-limit") and str(line.render()) == "100 of 100 characters: the limit"
        line.show(20)
        await pilot.pause()
        assert not line.display and not line.has_class("-at-limit")
