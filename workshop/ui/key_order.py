"""Keys take effect in the order they were typed, however fast they come.

Textual hands each key to the focused widget's queue as soon as the App reads it. A key
the widget does not use (Tab, Esc, Enter in a field, `n` on the home screen) bubbles up,
one queue at a time, to the binding that acts on it: moving focus, leaving a field,
opening a screen. Keys typed or pasted in a burst behind it have long been handed to the
old widget by then, so `Race test<Tab><Tab>TeamName` put everything in the title and
`Esc nnnn` typed "nnnn" into the field Esc was meant to leave.

So the App hands over one key (or paste) at a time and holds the rest until the one before
has been dealt with: its way up through the focused widget and its ancestors to the App,
and what it set off there (a message posted on the way, a screen pushed and mounted, a
`focus()` that is itself a callback on the App), until the screen and the focused widget
stay put. Each sweep asks every node on that path, in turn from the focused widget up, to
call back once it has handled what was queued before (`call_later`), so a message travelling
up the path ahead of the sweep has been handled everywhere once the sweep reaches the App.

Nothing waits inside the App's own queue (that would stop the key from reaching the App),
and a watchdog lets the next key go if a sweep is lost (a widget removed with a callback
still queued): a late key, never a stuck keyboard. A key on its own is handed over at once,
as before; only a key behind another waits, for a few hops of the message queues, and a
letter typed into the focused text field (or a paste there) lets the next key follow at once.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

# Sweeps until the screen and focus are seen to stay put: the first goes up behind the key,
# the second behind what the key posted on its way (a field's Submitted message, say).
MIN_SWEEPS = 2
# A screen opened by a key takes one sweep to mount and one more for the focus it asks for.
MAX_SWEEPS = 8
# A lost sweep (its widget removed meanwhile) delays the next key by this much, no more.
WATCHDOG_SECONDS = 1.0

# The screen and its focused widget, compared by identity.
Place = tuple[object, object]


def _typed_into_field(event: events.Event, focused: object) -> bool:
    """Whether `event` is text for the focused field, which takes it without moving the focus."""
    if isinstance(event, events.Key) and not event.is_printable:
        return False
    # Here, not at the top: the first frame does not wait for the text area's modules.
    from textual.widgets import Input, TextArea

    return isinstance(focused, (Input, TextArea)) and not getattr(focused, "read_only", False)


def held_kind(event: events.Event) -> bool:
    """Whether `event` is typing that must wait its turn: a key or a paste read from the terminal."""
    return isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded


class KeysInOrder:
    """Hands the App's keys and pastes to its widgets one at a time; see the module docstring."""

    def __init__(self, app: App[Any], hand_over: Callable[[events.Event], Awaitable[None]], *, dealt_with: Callable[[], None] | None = None):
        self.app = app
        # Textual's own handling of a key read from the terminal (App.on_event).
        self._hand_over = hand_over
        # Told when every key taken so far has been dealt with (none waiting behind).
        self._dealt_with = dealt_with
        self._waiting: deque[events.Event] = deque()
        self._busy = False
        # Which key's sweeps are running: a sweep of an earlier key (let go by the watchdog)
        # that comes back late is ignored.
        self._turn = 0
        self._watchdog: asyncio.TimerHandle | None = None

    @property
    def waiting(self) -> int:
        """How many keys or pastes are held behind the one being dealt with."""
        return len(self._waiting)

    async def take(self, event: events.Event) -> None:
        """Hand `event` over now, or once the keys before it have been dealt with."""
        self._waiting.append(event)
        if not self._busy:
            await self._hand_over_next()

    async def _hand_over_next(self) -> None:
        while self._waiting and not self._busy:
            event = self._waiting.popleft()
            self._busy = True
            self._turn += 1
            turn = self._turn
            before = self._place()
            typing = _typed_into_field(event, before[1])
            # Armed first: a key whose handling fails must not hold up the keys behind it.
            self._watchdog = asyncio.get_running_loop().call_later(WATCHDOG_SECONDS, self._lost, turn)
            await self._hand_over(event)
            if typing and self._place() == before:
                # A letter for the text field that has the focus: the field takes it and
                # nothing moves, so the next key may follow it into the field's queue at once
                # (a typed burst costs no sweeps until a key that may move the focus).
                self._settled(turn)
                continue
            self._sweep(turn, before, 0)

    def _place(self) -> Place:
        """Where the next key would go: the screen and its focused widget."""
        try:
            screen = self.app.screen
        except Exception:  # no screen while the app starts or stops
            return None, None
        return screen, screen.focused

    def _path(self) -> list[DOMNode]:
        """The focused widget (or the screen) and its ancestors up to the App, last."""
        try:
            screen = self.app.screen
        except Exception:  # no screen while the app starts or stops
            return [self.app]
        start: DOMNode = screen.focused or screen
        return list(start.ancestors_with_self)

    def _sweep(self, turn: int, before: Place, swept: int) -> None:
        self._post(turn, self._path(), 0, before, swept)

    def _post(self, turn: int, path: list[DOMNode], index: int, before: Place, swept: int) -> None:
        """Ask the next node on `path` to call back once it has handled what it holds now."""
        for position in range(index, len(path)):
            if path[position].call_later(self._arrived, turn, path, position + 1, before, swept):
                return
            # A node closing takes no callbacks: nothing more comes from it.
        # Not even the App takes one: it is closing, and nothing is handed over any more.
        self._settled(turn)
        self._waiting.clear()

    async def _arrived(self, turn: int, path: list[DOMNode], index: int, before: Place, swept: int) -> None:
        if turn != self._turn:
            return
        if index < len(path):
            self._post(turn, path, index, before, swept)
            return
        # Here on the App (the path's last node), after everything queued on the way up.
        swept += 1
        now = self._place()
        if swept < MAX_SWEEPS and (swept < MIN_SWEEPS or now != before):
            self._sweep(turn, now, swept)
            return
        self._settled(turn)
        await self._hand_over_next()

    def _settled(self, turn: int) -> None:
        if turn != self._turn:
            return
        self._busy = False
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None
        if not self._waiting and self._dealt_with is not None:
            self._dealt_with()

    def _lost(self, turn: int) -> None:
        # Outside the App's queue (an asyncio timer): go back into it to hand the next key over.
        if turn == self._turn and self._busy:
            self._turn += 1
            self._busy = False
            self._watchdog = None
            self.app.call_later(self._hand_over_next)
