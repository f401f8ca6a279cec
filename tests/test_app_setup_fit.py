"""The setup form at 80x24: the person just added is on screen, not below the fold."""

from __future__ import annotations

from apphelp import wait_until
from test_app_home import open_form

from workshop.ui.widgets.participants_editor import ParticipantsEditor, PeopleTable


async def test_at_80x24_the_people_added_stay_in_view(tmp_path):
    from apphelp import make_app

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await pilot.press("tab", "tab", "tab", "tab")
        people = form.query_one("#participants", ParticipantsEditor)
        for name in ("Amira", "Jo", "Sam"):
            await pilot.press(*name, "enter")
        await wait_until(pilot, lambda: len(people.people) == 3, "three people")
        table = form.query_one(PeopleTable)
        footer_row = app.size.height - 1

        def in_view() -> bool:
            region = table.region
            return region.height >= 4 and 0 <= region.y and region.bottom <= footer_row

        # Found running the journey in tmux: the list stayed below the screen's last line.
        await wait_until(pilot, in_view, f"the people table in view (it was at {table.region})")
        assert form.query_one("#person-name").has_focus
        assert form.query_one("#person-name").region.y >= 0
