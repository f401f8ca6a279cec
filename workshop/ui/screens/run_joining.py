"""Joining from phones, on the run screen: start and stop the server, the panel, the facilitator's answers.

`j` opens one menu: before joining, which of this machine's addresses to listen on and
which port (a free one unless typed); while joining, hide or show the panel, let a late
arrival in (or not), release a name bound to a phone, or stop. The server belongs to the
open session (workshop/service) and runs in the app's own event loop: a phone's ballot is
the same operation on the same editor as one cast on the laptop, saved and redrawn alike. The web modules are imported here only
when joining starts, so the app's start-up loads no web framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Horizontal

from workshop.domain.errors import Refused
from workshop.ui.widgets.join_panel import JoinPanel

if TYPE_CHECKING:
    from workshop.web.joining import JoinState
    from workshop.web.server import JoinServer

FEW_REQUESTS = 3  # beyond it the j menu offers "turn away all" rather than a line each
HOTSPOT_HINT = "phones must be on the same network (the venue's Wi-Fi or this laptop's hotspot)"


class Joining:
    """The run screen's phones: one server at most, and its panel."""

    def __init__(self, screen: Any):
        # The run screen; typed loosely so this module and run.py do not import each other.
        self.screen = screen
        self.server: JoinServer | None = None
        self._requests_waiting = False

    @property
    def running(self) -> bool:
        return self.server is not None

    # -- the j menu --------------------------------------------------------------------

    def menu(self) -> None:
        """What `j` does: start joining, or choose among what can be done while it is on."""
        from workshop.ui.widgets.choose_option import ChooseOption

        if self.server is None:
            self._ask_where()
            return
        join = self.server.join
        choices: list[tuple[str, str]] = []
        panel = self.panel()
        choices.append(("panel", "Hide the join panel" if panel is not None and panel.display else "Show the join panel"))
        waiting = join.pending()
        if len(waiting) > 1:  # first, so a flood is answered without scrolling past it
            choices.append(("refuse-all:", f"Turn away all {len(waiting)} requests to join"))
        for request in waiting:
            choices.append((f"accept:{request.device}", f"Let {request.name} join (asked from a phone)"))
            if len(waiting) <= FEW_REQUESTS:
                choices.append((f"refuse:{request.device}", f"Turn away {request.name}'s request"))
        taken, kept = join.taken(), join.kept()
        for person in self.screen.session.participants:
            if person.id in taken:
                choices.append((f"release:{person.id}", f"Release {person.name}'s name: another phone may take it and vote"))
            elif person.id in kept:
                choices.append(
                    (f"release:{person.id}", f"Release {person.name}'s name (given back after taking part): another phone may take it and vote again")
                )
        choices.append(("stop", "Stop joining (phones can no longer vote)"))
        self.screen.app.push_screen(ChooseOption("Phones", choices), self._chosen)

    def _chosen(self, key: str | None) -> None:
        if key is None or self.server is None:
            return
        what, _, target = key.partition(":")
        if what == "panel":
            self.toggle_panel()
        elif what == "accept":
            try:
                change = self.server.accept_late(target)
            except Refused as refusal:
                self.screen.notify(refusal.reason, severity="warning", markup=False)
                return
            person = self.screen.session.participant(change.ids[0])
            self.screen.notify(f"{person.name if person else 'They'} joined and can vote now.", timeout=4, markup=False)
        elif what == "refuse":
            self.server.join.refuse_late(target)
        elif what == "refuse-all":
            count = self.server.join.refuse_all_late()
            self.screen.notify(f"Turned away {count} requests to join.", timeout=4)
        elif what == "release":
            self.server.join.release(target)
            person = self.screen.session.participant(target)
            self.screen.notify(f"{person.name if person else target} can now join from another phone, and vote from it.", timeout=4, markup=False)
        elif what == "stop":
            self.stop()
            self.screen.notify("Joining has stopped.", timeout=3)

    def _ask_where(self) -> None:
        from workshop.ui.widgets.ask_text import AskText
        from workshop.ui.widgets.choose_option import ChooseOption
        from workshop.web.addresses import LOOPBACK, machine_addresses

        addresses = machine_addresses()
        choices = [
            (address, f"{address}  (this computer only: for trying it out)" if address == LOOPBACK else f"{address}  (the room's network)")
            for address in addresses
        ]
        lan = [key for key, _ in choices if key != LOOPBACK]
        # The room's network first: that is the one phones can reach.
        choices.sort(key=lambda choice: choice[0] == LOOPBACK)

        def port_chosen(host: str, answer: str | None) -> None:
            if answer is None:
                return
            try:
                port = int(answer.strip() or "0")
            except ValueError:
                port = -1
            if not 0 <= port <= 65535:
                self.screen.notify(f"'{answer}' is not a port number (1 to 65535, or blank for a free one).", severity="error", markup=False)
                return
            self.start_soon(host, port)

        def host_chosen(host: str | None) -> None:
            if host is None:
                return
            self.screen.app.push_screen(
                AskText("Which port? Leave it blank for a free one.", placeholder="a free port", max_length=5), lambda answer: port_chosen(host, answer)
            )

        hint = f"Enter chooses, Escape cancels; {HOTSPOT_HINT}." if lan else f"No network found: {HOTSPOT_HINT}. Enter chooses, Escape cancels."
        self.screen.app.push_screen(ChooseOption("Let phones join on which address?", choices, hint=hint), host_chosen)

    # -- starting and stopping -------------------------------------------------------------

    def start_soon(self, host: str, port: int) -> None:
        """Start joining on `host:port` from a key press (the server starts on the app's loop)."""
        self.screen.run_worker(self.start(host, port), group="joining", exclusive=True)

    async def start(self, host: str, port: int) -> bool:
        """Listen on `host:port` and show the panel; a failure is one line in a toast."""
        if self.server is not None:
            return False
        opened = self.screen.opened
        # The room's screen may be served already, elsewhere: joining moves the one server.
        room_before = opened.server.room_url if opened.server is not None and opened.room_on else None
        try:
            server = await opened.start_phones(host, port)
        except ValueError as refusal:
            self.screen.notify(str(refusal), severity="warning", markup=False)
            return False
        except OSError as error:
            reason = error.strerror or str(error)
            self.screen.notify(f"Cannot let phones join on {host}:{port}: {reason}.", severity="error", timeout=10, markup=False)
            return False
        self.server = server
        server.join.watch(self._join_changed)
        self.show(server.url, server.join)
        if room_before is not None and server.room_url != room_before:
            self.screen.notify(
                f"The room's screen has moved to {server.room_url}: open it there (v shows it again).", severity="warning", timeout=15, markup=False
            )
        return True

    def stop(self) -> None:
        """Stop joining (idempotent): nothing more is taken from phones, and the socket closes."""
        server = self.server
        self.forget_panel()
        if server is not None:
            self.screen.opened.stop_phones()

    def forget_panel(self) -> None:
        """Take the panel down and stop hearing the server (it is being stopped)."""
        server, self.server = self.server, None
        if server is None:
            return
        server.join.unwatch(self._join_changed)
        panel = self.panel()
        if panel is not None:
            panel.remove()
        self.screen.set_class(False, "-joining")

    # -- the panel ---------------------------------------------------------------------------

    def panel(self) -> JoinPanel | None:
        return next(iter(self.screen.query(JoinPanel)), None)

    def show(self, url: str, join: JoinState) -> None:
        """Show the join panel for `url` beside the activity (kept in focus mode)."""
        old = self.panel()
        if old is not None:
            old.remove()
        self.screen.query_one("#run-body", Horizontal).mount(JoinPanel(url, join, self.screen.session))
        self.screen.set_class(True, "-joining")

    def toggle_panel(self) -> None:
        panel = self.panel()
        if panel is not None:
            panel.display = not panel.display
            self.screen.set_class(bool(panel.display), "-joining")

    def _join_changed(self) -> None:
        # One toast when requests start waiting, not one a request (a flood would bury the
        # screen); the panel's one line keeps the count.
        if self.server is None:
            return
        waiting = bool(self.server.join.pending())
        if waiting and not self._requests_waiting:
            self.screen.notify("A phone asks to join: press j to answer.", timeout=8)
        self._requests_waiting = waiting


class JoiningFromPhones:
    """The run screen's side of joining: `j` (action `joining`), `--join` at open, stopping at the end.

    A mixin, so the run screen gains joining with a key binding and nothing else; Textual
    calls `on_mount` and `on_unmount` here as well as the screen's own.
    """

    @property
    def joining(self) -> Joining:
        found = self.__dict__.get("_joining")
        if found is None:
            found = self.__dict__["_joining"] = Joining(self)
        return found

    def action_joining(self) -> None:
        self.joining.menu()

    def on_mount(self) -> None:
        # `workshop open SESSION --join HOST:PORT`: start joining with the session, once.
        # Only for the session named on the command line, should another be opened first.
        app = getattr(self, "app", None)
        join_at = getattr(app, "join_at", None)
        loaded = getattr(self, "loaded", None)
        if join_at is not None and app is not None and loaded is not None and loaded.path == app.open_path:
            app.join_at = None
            self.joining.start_soon(*join_at)

    def on_unmount(self) -> None:
        self.stop_joining()

    def stop_joining(self) -> None:
        """Stop the server if joining is on (leaving the run screen, quitting)."""
        self.joining.stop()
