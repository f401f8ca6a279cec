"""Past sessions side by side: the compare screen and the series chart.

Both are read-only views of results computed by part A's domain code (`compare_sessions`,
`series`) from sessions the home screen loaded; they scroll, so they read at 80x24 and
at a projector's large font alike.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from workshop.domain.compare import Comparison
from workshop.domain.series import Series
from workshop.ui.screens.base import WorkshopScreen
from workshop.ui.screens.compare_view import comparison_text, series_text


class _ReadOnlyView(WorkshopScreen[None]):
    """A heading line and a scrolling body of text; Escape or q goes back."""

    DEFAULT_CSS = """
    _ReadOnlyView #view-title { padding: 0 1; background: $panel; text-style: bold; }
    _ReadOnlyView #view-body { padding: 0 2; }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="view.back"),
    ]

    def __init__(self, heading: str):
        super().__init__()
        self.heading = heading

    def body(self, width: int) -> Text:
        """What the screen shows, for a terminal `width` columns wide."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(self.heading), id="view-title")
        with VerticalScroll(id="view-body"):
            # Less the body's padding and a scroll bar.
            yield Static(self.body((self.app.size.width or 80) - 6), id="view-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#view-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class CompareScreen(_ReadOnlyView):
    """Two sessions compared: ratings then and now, priorities' statuses, time."""

    def __init__(self, comparison: Comparison):
        before, after = comparison.before, comparison.after
        super().__init__(f"Compare · {before.date.isoformat()} → {after.date.isoformat()}")
        self.comparison = comparison

    def body(self, width: int) -> Text:
        return comparison_text(self.comparison)


class SeriesScreen(_ReadOnlyView):
    """Three or more sessions of one team: each question's median over time."""

    def __init__(self, result: Series):
        first, last = result.points[0].date, result.points[-1].date
        super().__init__(f"Trend · {len(result.points)} sessions, {first.isoformat()} → {last.isoformat()}")
        self.series = result

    def body(self, width: int) -> Text:
        return series_text(self.series, width)
