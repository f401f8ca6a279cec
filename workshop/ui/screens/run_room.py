"""The room's screen, from the console: start it, show its address, hold it, stop it.

The room's screen is a page the open session's own server serves (workshop/web), meant
for a browser window on the projector while the terminal stays the facilitator's
console. `v` starts it (on this computer only, which needs no network, unless phones
already join on the room's network) and shows its address with an offer to open it in
the default browser; pressed again it offers the address, hold and stop. `h` puts the
hold screen up (the room looks away while the facilitator fixes something) and takes it
down again. `workshop open SESSION --room [HOST:PORT]` starts it with the session.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen

from workshop.service import OpenSession
from workshop.ui.widgets.address_lines import address_lines
from workshop.ui.widgets.confirm import Confirm

if TYPE_CHECKING:
    from workshop.web.server import JoinServer

ROOM_HOST = "127.0.0.1"


class RoomControl:
    """The run screen's hold on the room's screen (held by the screen)."""

    def __init__(self, screen: Screen[None], opened: OpenSession):
        self.screen = screen
        self.opened = opened

    @property
    def running(self) -> bool:
        return self.opened.room_on and self.opened.server is not None

    def menu(self) -> None:
        """What `v` does: start the room's screen, or choose what to do with it."""
        from workshop.ui.widgets.choose_option import ChooseOption

        if not self.running:
            self.screen.run_worker(self.start(ROOM_HOST, 0), group="room", exclusive=True)
            return
        choices = [
            ("address", "Show its address (and open it in the browser)"),
            ("hold", "Take the hold screen down" if self.opened.holding else "Hold: the room's screen shows a pause"),
            ("stop", "Stop the room's screen"),
        ]

        def chosen(key: str | None) -> None:
            if key == "address":
                self.show_address()
            elif key == "hold":
                self.toggle_hold()
            elif key == "stop":
                self.opened.stop_room()
                self.screen.notify("The room's screen has stopped.", timeout=3)

        self.screen.app.push_screen(ChooseOption("The room's screen", choices), chosen)

    async def start(self, host: str, port: int, *, ask: bool = True) -> JoinServer | None:
        """Serve the room's screen; a failure is one line in a toast."""
        try:
            server = await self.opened.start_room(host, port)
        except ValueError as refusal:
            self.screen.notify(str(refusal), severity="warning", markup=False)
            return None
        except OSError as error:
            reason = error.strerror or str(error)
            self.screen.notify(f"Cannot serve the room's screen on {host}:{port}: {reason}.", severity="error", timeout=10, markup=False)
            return None
        if ask:
            self.show_address()
        else:
            self.screen.notify(f"The room's screen is at {server.room_url} (v shows it again).", timeout=10, markup=False)
        return server

    def show_address(self) -> None:
        """The address, whole, and the offer to open it in this computer's browser."""
        server = self.opened.server
        if server is None:
            return
        url = server.room_url
        # The dialog is at most 70 cells wide, less its border and padding.
        width = min(66, self.screen.app.size.width - 10)
        question = Text()
        question.append("The room's screen is at\n\n")
        question.append(address_lines(url, width), style="bold")
        question.append(
            "\n\nOpen it in a browser on the projector (an extended display), full screen. It shows no secret ballot. Open it in this computer's browser now?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                import webbrowser  # here, not with the run screen: most days never open it

                # The browser may take seconds to start: never on the key press's thread.
                threading.Thread(target=webbrowser.open, args=(url,), name="workshop-browser", daemon=True).start()

        self.screen.app.push_screen(Confirm(question, yes="Open in browser", no="Close"), answered)

    def toggle_hold(self) -> None:
        """Put the room's hold screen up, or take it down."""
        if not self.running:
            self.screen.notify("The room's screen is not on: v starts it.", timeout=3)
            return
        self.opened.set_hold(not self.opened.holding)
        if self.opened.holding:
            self.screen.notify("The room's screen is on hold (h again takes it down).", timeout=4)
        else:
            self.screen.notify("The room's screen shows the session again.", timeout=3)
