"""What the home screen does to the files: export, archive, restore, follow up, compare.

A mixin of `HomeScreen` (kept apart so each module stays short). Every file operation
runs in a worker thread and reports back with `notify` through `call_from_thread`; a
thread never touches a widget.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from workshop.domain.errors import WorkshopError
from workshop.storage.archive import ArchiveError, archive_session, restore_session
from workshop.ui.screens.base import WorkshopScreen
from workshop.ui.screens.home_rows import readable
from workshop.ui.widgets.confirm import Confirm

if TYPE_CHECKING:
    from workshop.domain.models.session import Session
    from workshop.storage.packs import Catalogue
    from workshop.ui.screens.home_rows import Item


# The title a one-key session gets, before today's date.
QUICK_TITLES = {"resourceful-child-poverty": "Away-day", "demo": "Demo"}


class HomeActions(WorkshopScreen[None]):
    """The home screen's actions on files; `HomeScreen` supplies the list and the keys."""

    # Provided by HomeScreen.
    selected: Item | None
    catalogue: Catalogue | None
    showing_archive: bool
    marked: list[Path]
    items: list[Item]

    def _refill(self) -> None:  # pragma: no cover - HomeScreen's
        raise NotImplementedError

    def _track_cursor(self) -> None:  # pragma: no cover - HomeScreen's
        raise NotImplementedError

    def action_reload(self, select: Path | None = None) -> None:  # pragma: no cover - HomeScreen's
        raise NotImplementedError

    def _error(self, message: str) -> None:
        """Show `message` as an error, from a worker thread."""
        self.app.call_from_thread(self.notify, message, severity="error", timeout=8, markup=False)

    # -- export ------------------------------------------------------------------------

    def action_export(self) -> None:
        if readable(self.selected):
            self._export(self.selected.path)

    def _export(self, path: Path) -> None:
        self.run_worker(lambda: self._export_in_thread(path), thread=True, exit_on_error=False, group="home-export")

    def _export_in_thread(self, path: Path) -> None:
        """Write the report (Markdown, and HTML to forward or print) and the priorities (CSV)
        beside the session file."""
        from workshop.storage.export import export_beside
        from workshop.storage.store import load_session
        from workshop.storage.tomlsafe import FileProblems

        try:
            session = load_session(path).session
            written = [export_beside(session, path, fmt) for fmt in ("md", "html", "csv")]
        except FileProblems as problems:
            self._error(str(problems.first))
            return
        except OSError as error:
            self._error(f"Cannot export {path.name}: {error.strerror or error}")
            return
        names = " and ".join(str(item) for item in written)
        self.app.call_from_thread(self.notify, f"Exported {names}", timeout=10, markup=False)

    # -- emergency copies and outside versions --------------------------------------------

    def action_open_emergency(self) -> None:
        """Put the newest emergency copy back as its session's file and open it."""
        copies = getattr(self, "emergency", [])
        if copies:
            copy, folder = copies[0].path, self.app.sessions_dir  # type: ignore[attr-defined]
            self.run_worker(lambda: self._restore_in_thread(copy, folder), thread=True, exit_on_error=False, group="home-emergency")

    def _restore_in_thread(self, copy: Path, folder: Path) -> None:
        from workshop.storage.emergency import EmergencyCopyError, restore_emergency_copy

        try:
            restored = restore_emergency_copy(copy, folder)
        except EmergencyCopyError as error:
            self._error(f"{error.reason} (workshop open {copy})")
            return
        self.app.call_from_thread(self.notify, f"Restored {restored.name} from its emergency copy", timeout=8, markup=False)
        self.app.call_from_thread(self.app.open_session, restored)  # type: ignore[attr-defined]

    def action_outside_differences(self) -> None:
        if readable(self.selected) and self.selected.outside_copies:
            path = self.selected.path
            self.run_worker(lambda: self._differences_in_thread(path), thread=True, exit_on_error=False, group="home-outside")

    def _differences_in_thread(self, path: Path) -> None:
        """Say what each version kept after an outside change holds that the session does not."""
        from workshop.storage.listing import outside_copies
        from workshop.storage.outside_compare import outside_differences
        from workshop.storage.tomlsafe import FileProblems

        lines = []
        try:
            for copy in outside_copies(path):
                found = outside_differences(path, copy)
                lines.append(f"{copy.name}:")
                lines.extend(f"  {line}" for line in found or ["the same apart from when it was saved"])
        except FileProblems as problems:
            self._error(str(problems.first))
            return
        lines.append(f"In {path.parent}; 'workshop outside {path.name}' prints this again.")
        self.app.call_from_thread(self.notify, "\n".join(lines), title="Kept after a change outside the app", timeout=30, markup=False)

    # -- archive and restore -------------------------------------------------------------

    def action_archive(self) -> None:
        item = self.selected
        if not readable(item):
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._move(item.path, restore=False)

        self.app.push_screen(
            Confirm(
                f"Archive “{item.title}” ({item.date.isoformat()})?\n\nThe file is moved into the archive folder beside it; nothing is deleted.",
                yes="Archive",
                no="Keep",
            ),
            answered,
        )

    def action_restore(self) -> None:
        if readable(self.selected):
            self._move(self.selected.path, restore=True)

    def _move(self, path: Path, *, restore: bool) -> None:
        self.run_worker(lambda: self._move_in_thread(path, restore), thread=True, exit_on_error=False, group="home-archive")

    def _move_in_thread(self, path: Path, restore: bool) -> None:
        try:
            target = restore_session(path) if restore else archive_session(path)
        except ArchiveError as error:
            self._error(str(error))
            return
        verb = "Restored" if restore else "Archived"
        self.app.call_from_thread(self.notify, f"{verb} to {target}", timeout=6, markup=False)
        self.app.call_from_thread(self.action_reload)

    # -- follow-up ---------------------------------------------------------------------

    def action_follow_up(self) -> None:
        if readable(self.selected):
            self._follow_up(self.selected.path, self.catalogue)

    def _follow_up(self, path: Path, catalogue: Catalogue | None) -> None:
        self.run_worker(lambda: self._follow_up_in_thread(path, catalogue), thread=True, exit_on_error=False, group="home-follow-up")

    def _follow_up_in_thread(self, path: Path, catalogue: Catalogue | None) -> None:
        """Save the follow-up (planned for today), then open it in the setup form to adjust."""
        from workshop.storage.follow_up import create_follow_up
        from workshop.storage.packs import Catalogue, discover

        found = catalogue if catalogue is not None else discover(self.app.content_dir)  # type: ignore[attr-defined]
        try:
            created = create_follow_up(self.app.sessions_dir, path, found or Catalogue(), day=date.today())  # type: ignore[attr-defined]
        except WorkshopError as error:
            self._error(str(error))
            return
        self.app.call_from_thread(self._follow_up_made, created, found)

    def _follow_up_made(self, path: Path, catalogue: Catalogue) -> None:
        self.notify(f"Follow-up saved as {path.name}: check its date, people and agenda, then save.", timeout=8, markup=False)
        # The follow-up is among the sessions, wherever the earlier one was listed.
        self.showing_archive = False
        self.action_reload(select=path)
        self.app.edit_session(path, catalogue)  # type: ignore[attr-defined]

    # -- a newcomer's first session -----------------------------------------------------

    def action_quick_start(self, pack_id: str) -> None:
        """With no sessions yet: a session of a built-in pack for today, opened at once."""
        self.run_worker(lambda: self._quick_start_in_thread(pack_id), thread=True, exit_on_error=False, group="home-quick-start", exclusive=True)

    def _quick_start_in_thread(self, pack_id: str) -> None:
        from workshop.domain.new_session import build_session
        from workshop.storage.packs import discover
        from workshop.storage.paths import local_zone_name
        from workshop.storage.store import create_session

        catalogue = self.catalogue if self.catalogue is not None else discover(self.app.content_dir)  # type: ignore[attr-defined]
        entry = catalogue.get(pack_id)
        if entry is None:
            self._error(f"The built-in pack '{pack_id}' is missing: press n to choose a workshop.")
            return
        today = date.today()
        title = f"{QUICK_TITLES.get(pack_id, entry.pack.title)} {today.day} {today:%B %Y}"
        try:
            session = build_session(entry.pack, title=title, day=today, timezone=local_zone_name())
            path = create_session(self.app.sessions_dir, session)  # type: ignore[attr-defined]
        except WorkshopError as error:
            self._error(str(error))
            return
        self.app.call_from_thread(self._quick_started, path)

    def _quick_started(self, path: Path) -> None:
        # Short and brief: it shows over the first reading (the file's name is on home).
        self.notify("Started. Add people as they arrive; q then e edits it.", timeout=4, markup=False)
        self.action_reload(select=path)
        self.app.open_session(path)  # type: ignore[attr-defined]

    # -- compare and trend -------------------------------------------------------------

    def action_mark(self) -> None:
        """Mark the highlighted session to compare (or chart), or unmark it."""
        # The row under the cursor now, even if a key just moved it and its message waits.
        self._track_cursor()
        item = self.selected
        if not readable(item):
            return
        if item.path in self.marked:
            self.marked.remove(item.path)
        else:
            self.marked.append(item.path)
        self._refill()
        count = len(self.marked)
        hint = (
            "highlight another and press c to compare"
            if count == 1
            else "c compares the two"
            if count == 2
            else ("t charts their trend" if count >= 3 else "nothing marked")
        )
        self.notify(f"{count} marked: {hint}.", timeout=4)

    def action_compare(self) -> None:
        """Compare the two marked sessions, or the one marked with the highlighted one."""
        self._track_cursor()
        item = self.selected
        pair = list(self.marked)
        if len(pair) == 1 and readable(item) and item.path not in pair:
            pair.append(item.path)
        if len(pair) != 2:
            self.notify("Mark a session with m, highlight another and press c (or mark just two).", severity="warning", timeout=6)
            return
        self.run_worker(lambda: self._compare_in_thread(pair), thread=True, exit_on_error=False, group="home-compare")

    def _compare_in_thread(self, paths: list[Path]) -> None:
        from workshop.domain.compare import compare_sessions, in_date_order
        from workshop.ui.screens.compare import CompareScreen

        sessions = self._load_all(paths)
        if sessions is None:
            return
        before, after = in_date_order(sessions)
        comparison = compare_sessions(before, after)
        self.app.call_from_thread(self.app.push_screen, CompareScreen(comparison, [before, after]))

    def action_trend(self) -> None:
        """Chart the marked sessions (three or more), else every listed one of the
        highlighted session's team."""
        self._track_cursor()
        item = self.selected
        paths = list(self.marked)
        if len(paths) < 3 and readable(item):
            team = " ".join(item.team.split()).casefold()
            if not team:
                self.notify("This session has no team name: mark three or more sessions with m, then press t.", severity="warning", timeout=6)
                return
            paths = [other.path for other in self.items if readable(other) and " ".join(other.team.split()).casefold() == team]
        self.run_worker(lambda: self._trend_in_thread(paths), thread=True, exit_on_error=False, group="home-compare")

    def _trend_in_thread(self, paths: list[Path]) -> None:
        from workshop.domain.compare import in_date_order
        from workshop.domain.series import series
        from workshop.ui.screens.compare import SeriesScreen

        sessions = self._load_all(paths)
        if sessions is None:
            return
        try:
            result = series(sessions)
        except WorkshopError as error:
            self._error(str(error))
            return
        self.app.call_from_thread(self.app.push_screen, SeriesScreen(result, in_date_order(sessions)))

    def _load_all(self, paths: list[Path]) -> list[Session] | None:
        """The sessions at `paths` (read, not locked), or None after saying which failed."""
        from workshop.storage.store import load_session
        from workshop.storage.tomlsafe import FileProblems

        sessions = []
        for path in paths:
            try:
                sessions.append(load_session(path).session)
            except FileProblems as problems:
                self._error(str(problems.first))
                return None
            except OSError as error:
                self._error(f"Cannot read {path.name}: {error.strerror or error}")
                return None
        return sessions
