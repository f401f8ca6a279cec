"""Which of the run screen's keys apply now, and which the footer shows at this width.

At 80 columns the footer has room for about six keys; the essential ones (start or pause,
next, back, type, home, `?`) come first, then what the activity's pane needs most. A key
that cannot do anything now (Start on a completed session) is hidden, not shown dimmed;
every key stays listed by `?` and in the command palette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import Input, TextArea

from workshop.ui.panes import ActivityPane

if TYPE_CHECKING:
    from workshop.domain.runclock import RunClock
    from workshop.storage.autosave import Autosaver

# Lower ranks show first; a key missing here is shown (after these) only if its binding
# says `show`. Essentials first: the facilitator must always see how to move the room on.
FOOTER_RANKS = {
    "leave": 0,
    "toggle": 1,
    "reopen": 2,
    "next": 2,
    "previous": 3,
    "type_here": 4,
    "close": 5,
    "app.show_keys": 6,
    "show_keys": 6,
    "pane('cast')": 7,
    "reveal": 8,
    "extend(1)": 9,
    "focus_mode": 10,
    "agenda": 11,
    "skip": 12,
    "late_arrival": 13,
    "extend(5)": 14,
    # The board's card moves up and down: after its named keys (Protect, Owner), which
    # nothing else on the screen says; Left and Right (the horizons) stay with those.
    "move_up": 10,
    "move_down": 10,
}
PANE_RANK = 7
UNRANKED = 20
# Short words for the footer; `?` and the palette keep the binding's full description.
FOOTER_LABELS = {"park": "Park", "pane('cast')": "Cast", "merge": "Merge", "late_arrival": "Late", "show_keys": "Keys", "app.show_keys": "Keys"}

# What moves the clock or the agenda: nothing of it applies to a read-only session, and
# once the session is complete only reopening (and looking back) does.
RUN_ACTIONS = (
    "toggle",
    "next",
    "previous",
    "skip",
    "extend",
    "extend_by",
    "undo_extension",
    "auto_advance",
    "reopen",
    "joining",
    "room",
    "hold",
    "undo",
    "park",
    "people",
)
NOT_WHEN_COMPLETED = ("toggle", "next", "previous", "skip", "extend", "extend_by", "undo_extension", "auto_advance", "type_here", "people")


class RunKeys:
    """Mixed into the run screen: `check_action` and the footer's choice of keys."""

    focus_mode: bool

    @property
    def saver(self) -> Autosaver:
        raise NotImplementedError

    @property
    def clock(self) -> RunClock:
        raise NotImplementedError

    def typing(self) -> bool:
        """Whether the cursor is in a text field, where letters are text, not keys."""
        return isinstance(getattr(self, "focused", None), (Input, TextArea))

    def in_pane(self) -> bool:
        """Whether the focus is already in the activity's pane (its list or text)."""
        focused = getattr(self, "focused", None)
        return focused is not None and any(isinstance(node, ActivityPane) for node in focused.ancestors)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.saver.read_only and action in RUN_ACTIONS:
            return False
        if action == "reopen":
            # Shown only once the session is complete: reopening is on purpose.
            return self.clock.completed
        if self.clock.completed and action in NOT_WHEN_COMPLETED:
            return False
        if action == "previous" and self.clock.is_first and not self.clock.completed:
            return False
        return True

    def footer_rank(self, binding: Binding, node: DOMNode) -> int | None:
        """Where `binding` comes in the footer, None to leave it to `?` and the palette."""
        if binding.action == "leave":
            return FOOTER_RANKS["leave"] if self.typing() or self.focus_mode else None
        if self.typing() and not _not_text(binding.key):
            return None  # typed as text ("+" in a note), so the footer must not offer it
        if binding.action == "type_here" and self.in_pane():
            return None  # already there: the room goes to the pane's own keys (Cast, Reveal)
        rank = FOOTER_RANKS.get(binding.action)
        if rank is not None and (binding.show or "show_keys" in binding.action):
            return rank
        if binding.show and isinstance(node, Widget) and any(isinstance(up, ActivityPane) for up in node.ancestors_with_self):
            return PANE_RANK  # the pane's own keys (a table's Edit, Merge) next to the essentials
        return UNRANKED if binding.show else None

    def footer_label(self, binding: Binding) -> str:
        """The footer's word for the key now: Start or Pause, Stop typing, short forms."""
        if binding.action == "toggle":
            return "Pause" if self.clock.running else "Start"
        if binding.action == "leave":
            return "Leave focus" if self.focus_mode else "Stop typing"
        return FOOTER_LABELS.get(binding.action, binding.description)


def _not_text(key: str) -> bool:
    """Whether a key still acts as a key in a text field (ctrl+t, Esc), not as a letter."""
    return key.startswith("ctrl+") or key in ("escape", "tab") or (key[:1] == "f" and key[1:].isdigit())
