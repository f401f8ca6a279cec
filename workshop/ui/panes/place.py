"""Place the priorities on time horizons: the horizon board, fed by the vote that counts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from workshop.domain.models.pack import PlaceActivity
from workshop.domain.models.session import Session
from workshop.domain.operations import Change
from workshop.domain.tally import rank_proposals
from workshop.ui.panes.base import ActivityPane
from workshop.ui.widgets.board import HorizonBoard


def latest_dots(session: Session) -> dict[str, int] | None:
    """Dots per proposal from the last vote round not superseded; None when nobody voted yet.

    A place activity follows the vote it is about, so the latest counting round of any
    vote activity is the one the room just saw.
    """
    counting = next((r for r in reversed(session.vote_rounds) if not r.superseded), None)
    if counting is None:
        return None
    return {ranked.proposal_id: ranked.dots for ranked in rank_proposals(counting)}


class PlacePane(ActivityPane):
    """The prompt and the board; every move on the board is an editor operation, saved by
    the run screen's listener."""

    DEFAULT_CSS = """
    /* The pane can be ten rows tall: no blank line under the prompt, but never a cut
       prompt either (the board's detail line makes up for its cramped cards). */
    PlacePane .pane-question {
        margin-bottom: 0;
    }
    """

    def compose(self) -> ComposeResult:
        prompt = self.activity.prompt if isinstance(self.activity, PlaceActivity) else self.activity.title
        yield Static(Text(prompt), classes="pane-question")
        yield HorizonBoard(self.editor, latest_dots(self.session), read_only=self.read_only, id="board")

    def focus_input(self) -> bool:
        self.query_one(HorizonBoard).focus()
        return True

    def session_changed(self, change: Change) -> None:
        # A proposal added elsewhere (a phone) joins the Unplaced tray; the board's own
        # moves redraw it already.
        if change.area == "proposals":
            self.run_worker(self.query_one(HorizonBoard).redraw(), group="board-redraw", exclusive=True)
