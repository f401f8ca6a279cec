"""The consent step on the run screen, through Pilot: the rule shown, agree, object with a reason."""

from __future__ import annotations

from apphelp import FIXED, go_to_activity, make_app, wait_until
from test_consent import RULE, voted_editor

from workshop.storage.store import create_session
from workshop.ui.widgets.ask_text import AskText


async def test_consent_on_the_console(tmp_path):
    session = voted_editor().session
    path = create_session(tmp_path / "sessions", session.model_copy(update={"id": "consent1", "created_at": FIXED, "updated_at": FIXED}))
    app = make_app(tmp_path, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await go_to_activity(pilot, "consent")
        assert RULE in str(screen.query_one("#consent-rule").render())
        assert "3 priorities · 0 agreed · 0 objected to · 3 to ask" in str(screen.query_one("#consent-status").render())
        await pilot.press("i", "1")  # Shared data agreed; the cursor moves on to Panels
        await pilot.press("2")
        await wait_until(pilot, lambda: isinstance(app.screen, AskText), "the question for the reason")
        await pilot.press(*"Nobody owns it yet", "enter")
        await wait_until(pilot, lambda: len(screen.session.consents) == 2, "both answers recorded")
        assert [(c.proposal_id, c.answer, c.reason) for c in screen.session.consents] == [("x0", "agreed", ""), ("x1", "objected", "Nobody owns it yet")]
        assert "1 agreed · 1 objected to · 1 to ask" in str(screen.query_one("#consent-status").render())
    assert "[[consents]]" in path.read_text(encoding="utf-8")
