"""The join panel: a QR code, the join address, the short code and who has joined.

Shown beside the run screen's activity (and in focus mode, for the projector) while
phones may join. The QR code is drawn with half-block characters, two modules a
character cell, in explicit black and white so it scans whatever the terminal's theme.
Names come from people and are shown as typed, never read as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from workshop.domain.models.session import Session
from workshop.ui.widgets.address_lines import address_lines
from workshop.web.joining import JoinState

QUIET_MODULES = 2  # the light margin a reader needs around the code (4 by the book; 2 scans well on a screen)
DARK, LIGHT = "#000000", "#ffffff"
SHOWN_REQUESTS = 2  # names of late arrivals shown beside the count
# The join state moves with every ballot too (phones refetch on its version): the list of
# who joined is worked out once a burst has passed, not for each ballot of a room voting
# at once (a hundred names each time, on the loop that answers the phones).
WHO_REDRAW_SECONDS = 0.1


def qr_text(url: str) -> Text:
    """`url` as a QR code in half-block characters (the top module as foreground, the bottom as background)."""
    import segno

    code = segno.make(url, error="l", boost_error=False, micro=False)
    matrix = [[bool(module) for module in row] for row in code.matrix]
    size = len(matrix)

    def dark(row: int, column: int) -> bool:
        row, column = row - QUIET_MODULES, column - QUIET_MODULES
        return 0 <= row < size and 0 <= column < size and matrix[row][column]

    total = size + 2 * QUIET_MODULES
    text = Text(no_wrap=True, overflow="crop")
    for top in range(0, total, 2):
        for column in range(total):
            upper, lower = dark(top, column), dark(top + 1, column)
            text.append("▀", style=f"{DARK if upper else LIGHT} on {DARK if lower else LIGHT}")
        if top + 2 < total:
            text.append("\n")
    return text


def spaced_code(code: str) -> str:
    """'123456' as '123 456', easier to read out and to type."""
    middle = len(code) // 2
    return f"{code[:middle]} {code[middle:]}"


class JoinPanel(Vertical):
    """What the room needs to join from their phones; redrawn as people join."""

    # Not scoped: the rule hiding the agenda beside the panel on a narrow screen names the screen.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    JoinPanel {
        height: 1fr;
        border-left: tall $panel;
        padding: 0 1;
        overflow: hidden hidden;
    }
    JoinPanel > Static {
        width: 100%;
    }
    JoinPanel #join-qr {
        text-wrap: nowrap;
    }
    JoinPanel #join-code {
        text-style: bold;
    }
    /* At 80 columns the agenda gives way to the panel while it shows (g still lists it). */
    RunScreen.-narrow.-joining #agenda {
        display: none;
    }
    """

    def __init__(self, url: str, join: JoinState, session: Session, *, id: str | None = "join-panel"):
        super().__init__(id=id)
        self.url = url
        self.join = join
        self.session = session
        self._qr = qr_text(url)
        self._drawn: Text | None = None
        self._who_due = False
        # As wide as the code (plus padding and border): the address and names wrap to it.
        self.styles.width = self._qr.split()[0].cell_len + 3

    def compose(self) -> ComposeResult:
        yield Static(self._code_line(), id="join-code")
        yield Static(self._qr, id="join-qr")
        # The whole address, exactly as the QR code holds it, broken after the host so the
        # secret stays on one line (folded anywhere only if even that is too wide).
        width = self._qr.split()[0].cell_len
        yield Static(Text(address_lines(self.url, width), overflow="fold"), id="join-url")
        yield Static("", id="join-who")

    def on_mount(self) -> None:
        self.join.watch(self.refresh_who)
        self._draw_who()

    def on_unmount(self) -> None:
        self.join.unwatch(self.refresh_who)

    def _code_line(self) -> Text:
        base = self.url.split("/j/", 1)[0]
        return Text(f"Scan, or type {spaced_code(self.join.short_code)} at\n{base}", overflow="fold")

    def refresh_who(self) -> None:
        """Who has joined, and who is asking to (the facilitator answers with j): drawn
        once the burst of changes has passed (see `WHO_REDRAW_SECONDS`)."""
        if self.is_mounted and not self._who_due:
            self._who_due = True
            self.set_timer(WHO_REDRAW_SECONDS, self._redraw_who, name="join-who")

    def _redraw_who(self) -> None:
        self._who_due = False
        if self.is_mounted:
            self._draw_who()

    def _draw_who(self) -> None:
        taken = self.join.taken()
        joined = [p.name for p in self.session.participants if p.id in taken]
        who = Text(overflow="fold")
        who.append(f"{len(joined)} of {len(self.session.participants)} joined", style="bold")
        if joined:
            who.append(": " + ", ".join(joined))
        waiting = self.join.pending()
        if waiting:
            # One line, however many ask: a count and the first names.
            who.append(f"\n{len(waiting)} asking to join: ", style="bold")
            who.append(", ".join(request.name for request in waiting[:SHOWN_REQUESTS]))
            if len(waiting) > SHOWN_REQUESTS:
                who.append(f" and {len(waiting) - SHOWN_REQUESTS} more")
            who.append(" (j to answer)")
        # Only a different list is drawn again: a ballot changes nothing here, and drawing
        # the same list lays the screen out again.
        if self._drawn is not None and who == self._drawn:
            return
        self._drawn = who
        self.query_one("#join-who", Static).update(who)
