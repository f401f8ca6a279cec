"""The run screen's steps and their undo: what one key did, and `u` taking it back.

Each key that moves the room (next, back, skip, start or pause, an extension) or flips a
setting (the bell, auto-advance) records how to take itself back here, as the domain
operation that does so; panes and widgets record theirs through `record_step`
(workshop/ui/undo.py), which finds `last_step` on the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workshop.domain.errors import Refused
from workshop.ui.undo import LastStep

if TYPE_CHECKING:
    from workshop.ui.screens.run import RunScreen


class Steps:
    """The last step one key made on the run screen, and undoing it."""

    def __init__(self, screen: RunScreen):
        self.screen = screen
        self.last = LastStep()

    def record(self, label: str, take_back: Callable[[], object]) -> None:
        """Remember the step a key just made, so `u` can take it back."""
        self.last.record(label, take_back)

    def flip_auto_advance(self) -> None:
        """`a`: auto-advance on or off, said in a toast; `u` flips it back."""
        screen = self.screen
        was = screen.clock.auto_advance
        screen.editor.set_auto_advance(not was)
        self.record(f"Auto-advance {'off' if was else 'on'}", lambda: screen.editor.set_auto_advance(was))
        screen.notify(f"Auto-advance {'on' if screen.clock.auto_advance else 'off'}", timeout=2)
        screen.show_changes()

    def flip_bell(self) -> None:
        """`b`: the bell on or off (for later sessions too), said in a toast; `u` flips it back."""
        screen = self.screen
        was = screen.bell_on
        screen.set_bell(not was)
        self.record(f"Bell {'off' if was else 'on'}", lambda: screen.set_bell(was))
        screen.notify(f"Bell {'on' if screen.bell_on else 'off'} (u undoes)", timeout=2)

    def moving(self) -> Callable[[], object]:
        """Before a move: how to take it back (to this activity, in the state it has now)."""
        editor = self.screen.editor
        activity_id = editor.clock.current_id
        state = editor.clock.state_of(activity_id)
        return lambda: editor.return_to(activity_id, state)

    def undo(self) -> None:
        """Take the last step back and say so, or say why it cannot be."""
        screen = self.screen
        where = screen.clock.current_id
        try:
            said = self.last.undo()
        except Refused as refusal:
            screen.notify(str(refusal), severity="warning", timeout=4, markup=False)
            return
        screen.notify(said, timeout=3, markup=False)
        # A move taken back has shown its activity already (the change redraws it); a step
        # within the activity (a board move, a mark) is redrawn by showing the pane afresh.
        if screen.clock.current_id == where:
            screen.show_changes(show=True)
