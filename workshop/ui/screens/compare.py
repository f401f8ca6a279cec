"""Past sessions side by side: the compare screen and the series chart.

Both are read-only views of results computed by part A's domain code (`compare_sessions`,
`series`) from sessions the home screen loaded; they scroll, so they read at 80x24 and
at a projector's large font alike.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from workshop.domain.compare import Comparison
from workshop.domain.errors import WorkshopError
from workshop.domain.models.session import Session
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
        Binding("x", "export", "Export", id="view.export"),
    ]

    def __init__(self, heading: str, sessions: list[Session]):
        super().__init__()
        self.heading = heading
        # The sessions shown, oldest first: the export renders them as `workshop compare` does.
        self.sessions = sessions

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

    def action_export(self) -> None:
        self._export(self.app.sessions_dir)  # type: ignore[attr-defined]

    @work(thread=True, exit_on_error=False, group="compare-export")
    def _export(self, folder: Path) -> None:
        """Write the comparison as HTML (to forward or print) and Markdown into the sessions folder."""
        from workshop.storage.export import COMPARE_FORMATS, export_comparison, write_export

        first, last = self.sessions[0].date.isoformat(), self.sessions[-1].date.isoformat()
        written = []
        try:
            for fmt in ("html", "md"):
                target = Path(folder) / f"compare-{first}-{last}-{len(self.sessions)}{COMPARE_FORMATS[fmt]}"
                written.append(write_export(export_comparison(self.sessions, fmt), target))
        except WorkshopError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=8, markup=False)
            return
        except OSError as error:
            self.app.call_from_thread(self.notify, f"Cannot export: {error.strerror or error}", severity="error", timeout=8, markup=False)
            return
        names = " and ".join(str(path) for path in written)
        self.app.call_from_thread(self.notify, f"Exported {names}", timeout=10, markup=False)


class CompareScreen(_ReadOnlyView):
    """Two sessions compared: ratings then and now, priorities' statuses, time."""

    def __init__(self, comparison: Comparison, sessions: list[Session]):
        before, after = comparison.before, comparison.after
        super().__init__(f"Compare · {before.date.isoformat()} → {after.date.isoformat()}", sessions)
        self.comparison = comparison

    def body(self, width: int) -> Text:
        return comparison_text(self.comparison)


class SeriesScreen(_ReadOnlyView):
    """Three or more sessions of one team: each question's median over time."""

    def __init__(self, result: Series, sessions: list[Session]):
        first, last = result.points[0].date, result.points[-1].date
        super().__init__(f"Trend · {len(result.points)} sessions, {first.isoformat()} → {last.isoformat()}", sessions)
        self.series = result

    def body(self, width: int) -> Text:
        return series_text(self.series, width)
