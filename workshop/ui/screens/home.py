"""The home screen: past and in-progress sessions, newest first; where every journey starts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Footer, Header, Input, Static

from workshop.domain.text import format_minutes
from workshop.storage.archive import archive_folder
from workshop.ui.screens.home_actions import HomeActions
from workshop.ui.screens.home_rows import matches, next_status_filter, notice_lines, readable, unreadable
from workshop.ui.screens.home_table import add_columns, add_rows, column_widths, detail_text, intro_text
from workshop.ui.screens.home_watch import WATCH_SECONDS, FolderWatch

if TYPE_CHECKING:
    from typing import TypeAlias

    from workshop.storage.emergency import EmergencyCopy
    from workshop.storage.pack_titles import PackTitles
    from workshop.storage.packs import Catalogue
    from workshop.storage.store import SessionSummary, UnreadableFile

    # The store and packs (pydantic models) are imported by the worker that reads the
    # folder, not here, so the first frame does not wait for them.
    Item: TypeAlias = SessionSummary | UnreadableFile


# What the filter box says it takes; the status key (s) writes its word there too.
FILTER_HINT = "/ filter: words, team:NAME, status:planned|in-progress|completed (s cycles)"


class HomeScreen(HomeActions):
    """Lists the sessions folder (or its archive); new, open, review, edit, follow up,
    archive and restore from here."""

    BINDINGS = [
        Binding("n", "new", "New", id="home.new"),
        # Only with no sessions yet: a newcomer starts in one key (see check_action).
        Binding("w", "quick_start('resourceful-child-poverty')", "Start workshop", id="home.quick_workshop"),
        Binding("d", "quick_start('demo')", "Try demo", id="home.quick_demo"),
        Binding("enter", "open", "Open", id="home.open", priority=False),
        Binding("v", "review", "Review", id="home.review"),
        Binding("e", "edit", "Edit", id="home.edit"),
        Binding("f", "follow_up", "Follow-up", id="home.follow_up"),
        Binding("x", "export", "Export", id="home.export"),
        Binding("c", "compare", "Compare", id="home.compare", show=False),
        Binding("m", "mark", "Mark to compare", id="home.mark", show=False),
        Binding("t", "trend", "Trend", id="home.trend", show=False),
        Binding("a", "archive", "Archive", id="home.archive"),
        Binding("u", "restore", "Restore", id="home.restore"),
        # The filter line above the table already says "/ filter": the footer keeps room for q Quit at 80 columns.
        Binding("slash", "filter", "Filter", id="home.filter", show=False),
        Binding("s", "cycle_status", "Status filter", id="home.status", show=False),
        Binding("A", "toggle_archive", "Archived sessions", id="home.archived", show=False),
        Binding("r", "reload", "Reload", id="home.reload", show=False),
        # Named by the notice line when they apply, so they stay out of the footer.
        Binding("E", "open_emergency", "Restore the emergency copy", id="home.emergency", show=False),
        Binding("D", "outside_differences", "What differs", id="home.outside", show=False),
        Binding("q", "app.quit", "Quit", id="home.quit"),
    ]

    # Back from another screen with nothing focused (the folder was empty when it was left),
    # the table takes the keys; Textual's default would give them to the filter, the first
    # field, and x or q would be typed into it.
    AUTO_FOCUS = "#sessions"

    items: reactive[list[Item]] = reactive(list, init=False, always_update=True)
    selected: reactive[Item | None] = reactive(None, bindings=True)
    # The archive folder listed instead of the sessions (A toggles).
    showing_archive: reactive[bool] = reactive(False, init=False, bindings=True)

    @dataclass
    class Listed(Message):
        """The sessions folder was read (in a worker thread); the packs come next."""

        items: list[Item]
        # Copies of sessions written elsewhere when their own file could not be saved.
        emergency: list[EmergencyCopy] = field(default_factory=list)

    @dataclass
    class Loaded(Message):
        """The packs' titles were read (in a worker thread), after the sessions were listed."""

        packs: PackTitles

    def __init__(self) -> None:
        super().__init__()
        # The packs validated, once one is needed (new, edit, follow-up read them then);
        # the home screen itself shows only their titles (`packs`), read without pydantic.
        self.catalogue: Catalogue | None = None
        self.packs: PackTitles | None = None
        self._select_after_load: Path | None = None
        # Sessions marked (m) to compare or chart, in the order marked.
        self.marked: list[Path] = []
        # How many times the folder has been read (tests wait for the first).
        self.loads = 0
        self._listed = False
        self._shown: list[Item] = []
        self.emergency: list[EmergencyCopy] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home-body"):
            yield Input(placeholder=FILTER_HINT, id="filter", compact=True)
            yield Static("Loading sessions…", id="home-intro")
            yield Static("", id="home-notice")
            yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
            yield Static("", id="selection-detail")
            yield Static("", id="packs")
        yield Footer()

    def on_mount(self) -> None:
        self._fit_height()
        self._add_columns()
        self.query_one("#sessions", DataTable).focus()
        # At once, in a thread: the list comes about 10 ms sooner than when the reading
        # waited for the first frame (measured by when the words reach the terminal),
        # though the thread's imports compete with that frame a little.
        self.action_reload()
        self._watch = FolderWatch(lambda: self.listed_folder, self._folder_changed)
        self.set_interval(WATCH_SECONDS, self._watch_folder)

    def _watch_folder(self) -> None:
        if self.app.screen is self:  # not under a dialog or another screen
            self._watch.check()

    def _folder_changed(self) -> None:
        self.action_reload()

    def _column_widths(self) -> list[int]:
        return column_widths(self.app.size.width, self.query_one("#sessions", DataTable).cell_padding)

    def _add_columns(self) -> None:
        add_columns(self.query_one("#sessions", DataTable), self._column_widths())

    def on_resize(self) -> None:
        self._fit_height()
        self._add_columns()
        self._refill()

    def _fit_height(self) -> None:
        # A short terminal (or a projector's large font) keeps its rows for the sessions.
        self.set_class(self.app.size.height < 20, "-short")

    # -- loading ---------------------------------------------------------------------

    @property
    def listed_folder(self) -> Path:
        """The folder the table lists: the sessions, or their archive."""
        folder: Path = self.app.sessions_dir  # type: ignore[attr-defined]
        return archive_folder(folder) if self.showing_archive else folder

    def action_reload(self, select: Path | None = None) -> None:
        self._select_after_load = select
        watch = getattr(self, "_watch", None)
        if watch is not None:
            watch.mark_seen()
        self._load()

    def action_toggle_archive(self) -> None:
        self.showing_archive = not self.showing_archive

    def watch_showing_archive(self) -> None:
        # New sessions are not planned from the archive, so the packs make way for it.
        self.query_one("#packs", Static).display = not self.showing_archive
        self.selected = None
        self._listed = False  # "Loading sessions…" until the other folder is read
        self.items = []
        self.action_reload()

    @work(thread=True, exit_on_error=False, exclusive=True, group="home-load")
    def _load(self) -> None:
        folder: Path = self.listed_folder
        from workshop.storage.emergency import list_emergency_copies
        from workshop.storage.listing import list_sessions

        items = list_sessions(folder) if folder.is_dir() else []
        self.post_message(self.Listed(items, list_emergency_copies()))

    @work(thread=True, exit_on_error=False, exclusive=True, group="home-packs")
    def _read_packs(self) -> None:
        # The packs' titles only, without pydantic and the models (validated when chosen).
        from workshop.storage.pack_titles import quick_packs

        self.post_message(self.Loaded(quick_packs(self.app.content_dir)))  # type: ignore[attr-defined]

    @on(Listed)
    def _listed_now(self, message: Listed) -> None:
        self._listed = True
        self.emergency = message.emergency
        self.items = message.items
        self.refresh_bindings()  # the newcomer's keys come or go with the sessions
        # After the list is drawn: reading the packs would compete with drawing it.
        self.call_after_refresh(self._read_packs)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.loads += 1
        self.packs = message.packs
        for warning in message.packs.warnings:
            self.notify(warning, severity="warning", timeout=8)
        self._show_packs()

    def _show_packs(self) -> None:
        if self.packs is None:
            return
        lines = ["Workshops available (n to plan a session):"]
        for entry in self.packs.entries:
            lines.append(f"  • {entry.title} · {format_minutes(entry.minutes)}")
        for path, first, count in self.packs.refused:
            # Unusable, said so with the first reason and the command that lists them all.
            more = f" ({count} problems)" if count > 1 else ""
            lines.append(f"  ! Cannot use {path.name}{more}: {first}")
            lines.append(f"    See every problem: workshop validate {path}")
        # Pack titles come from files anyone can edit: shown literally, never as markup.
        self.query_one("#packs", Static).update(Text("\n".join(lines)))

    def watch_items(self) -> None:
        self._refill()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self._refill()

    def _visible(self) -> list[Item]:
        text = self.query_one("#filter", Input).value
        return [item for item in self.items if matches(item, text)]

    def _refill(self) -> None:
        table = self.query_one("#sessions", DataTable)
        keep = self._select_after_load or (self.selected.path if self.selected else None)
        self._select_after_load = None
        table.clear()
        visible = self._shown = self._visible()
        add_rows(table, visible, self._column_widths(), self.marked)
        for index, item in enumerate(visible):
            if keep is not None and item.path == keep:
                table.move_cursor(row=index)
        self._update_intro(len(visible))
        self._track_cursor()

    def _update_intro(self, shown: int) -> None:
        intro = self.query_one("#home-intro", Static)
        table = self.query_one("#sessions", DataTable)
        intro.update(intro_text(listed=self._listed, items=self.items, shown=shown, archive=self.showing_archive, folder=self.listed_folder))
        table.display = shown > 0
        self._update_notice()
        filter_input = self.query_one("#filter", Input)
        filter_input.display = bool(self.items)
        if not self.items:
            # Nothing to filter or pick: leave the keys (n, q) to the screen.
            self.set_focus(None)
        elif self.focused is None:
            table.focus()

    def _update_notice(self) -> None:
        """One line per thing the facilitator must not miss: an emergency copy (the newest),
        sessions with a version kept after a change outside the app."""
        lines = notice_lines([] if self.showing_archive else self.emergency, self.items)
        notice = self.query_one("#home-notice", Static)
        notice.update(Text("\n".join(lines), style="bold yellow", no_wrap=True, overflow="ellipsis"))
        notice.display = bool(lines)

    @on(DataTable.RowHighlighted, "#sessions")
    def _track_cursor(self) -> None:
        table = self.query_one("#sessions", DataTable)
        # The rows _refill showed: filtering every session again on each cursor move
        # cost tens of milliseconds a key with thousands of them.
        visible = self._shown
        row = table.cursor_row
        self.selected = visible[row] if table.row_count and 0 <= row < len(visible) else None

    def watch_selected(self, item: Item | None) -> None:
        self.query_one("#selection-detail", Static).update(detail_text(item, archive=self.showing_archive))

    # -- which keys apply --------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # With nothing highlighted the session keys are hidden (the footer stays short);
        # with an unreadable file or a started session they show, dimmed.
        item = self.selected
        usable = readable(item)
        # In the archive a session is reviewed, followed up or restored; nothing else.
        if action == "restore":
            return (True if usable else None) if self.showing_archive and item is not None else False
        if action == "quick_start":
            # A newcomer's keys: only once the folder is read and found empty.
            return self._listed and not self.items and not self.showing_archive
        if self.showing_archive and action in ("open", "archive", "edit", "export", "new"):
            return False
        if action == "open_emergency":
            return bool(self.emergency) and not self.showing_archive
        if action == "outside_differences":
            return readable(item) and bool(item.outside_copies)
        if action in ("open", "review", "archive", "edit", "export", "follow_up", "mark", "compare", "trend"):
            if item is None:
                return False
            if action == "edit":
                return True if readable(item) and item.status == "planned" else None
            return True if usable else None
        return True

    # -- actions ---------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_cycle_status(self) -> None:
        """Narrow the list to planned, then in progress, then completed sessions, then all."""
        box = self.query_one("#filter", Input)
        box.value = next_status_filter(box.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#sessions", DataTable).focus()

    def key_escape(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.has_focus:
            filter_input.value = ""
            self.query_one("#sessions", DataTable).focus()

    @on(DataTable.RowSelected, "#sessions")
    def _row_selected(self) -> None:
        self.action_open()

    def action_new(self) -> None:
        self.app.new_session(self.catalogue)  # type: ignore[attr-defined]

    def action_open(self) -> None:
        item = self.selected
        if unreadable(item):
            self.notify(f"Cannot open {item.path.name}: {item.error}", severity="error", timeout=8)
            return
        if item is not None and self.showing_archive:
            self.action_review()
        elif item is not None:
            self.app.open_session(item.path, status=item.status)  # type: ignore[attr-defined]

    def action_review(self) -> None:
        if readable(self.selected):
            self.app.review_session(self.selected.path)  # type: ignore[attr-defined]

    def action_edit(self) -> None:
        item = self.selected
        if readable(item) and item.status == "planned":
            self.app.edit_session(item.path, self.catalogue)  # type: ignore[attr-defined]
