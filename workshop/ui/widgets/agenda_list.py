"""The agenda down the side of the run screen: each activity's state, planned and actual time."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from workshop.domain.operations import SessionEditor
from workshop.domain.runclock import RunClock

MARKERS = {
    "done": ("✓", "green"),
    "skipped": ("»", "dim"),
    "running": ("▶", "bold"),
    "paused": ("‖", "bold"),
    "pending": (" ", ""),
}
# The agenda's width (in cells) from which "0:19 of 1 min" leaves a title room to be read.
WIDE_ENOUGH_FOR_WORDS = 30


def clock_text(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


class AgendaList(OptionList):
    """Sections as headings and activities as options; Enter jumps to one.

    It reads the editor's run clock and changes nothing: choosing an option posts
    `OptionSelected`, and the run screen asks the editor to jump.
    """

    DEFAULT_CSS = """
    AgendaList {
        width: 36;
        height: 1fr;
    }
    """

    def __init__(self, editor: SessionEditor, *, id: str | None = None):
        super().__init__(id=id)
        self.editor = editor
        self._index_of: dict[str, int] = {}
        # The current row's prompt as last drawn: the timer asks four times a second,
        # the text changes once a second at most.
        self._drawn: tuple[int, Text] | None = None

    @property
    def clock(self) -> RunClock:
        """The run clock, to read."""
        return self.editor.clock

    def on_mount(self) -> None:
        self.rebuild()

    def _prompt(self, activity_id: str, title: str, planned_minutes: int, width: int) -> Text:
        state = self.clock.state_of(activity_id)
        if activity_id == self.clock.current_id and state not in ("done", "skipped"):
            state = "running" if self.clock.running else "paused"
        marker, style = MARKERS.get(state, (" ", ""))
        actual = self.clock.elapsed_of(activity_id)
        over = actual - planned_minutes * 60
        # Elapsed of planned: "0:19/1" read as a fraction or a date. In words where there
        # is room; in a narrow agenda both as clock times, so the titles keep theirs.
        if not actual:
            timing = f"{planned_minutes} min"
        elif width >= WIDE_ENOUGH_FOR_WORDS:
            timing = f"{clock_text(actual)} of {planned_minutes} min"
        else:
            timing = f"{clock_text(actual)}/{clock_text(planned_minutes * 60)}"
        room = max(8, width - len(timing) - 4)
        label = title if len(title) <= room else title[: room - 1] + "…"
        text = Text(f"{marker} ", style=style)
        text.append(label.ljust(room), style="bold" if activity_id == self.clock.current_id else "")
        text.append(" ")
        text.append(timing, style="red" if over > 0 else "dim")
        return text

    def _width(self) -> int:
        return max(20, (self.content_region.width or 34) - 1)

    def rebuild(self) -> None:
        """Redraw every option (after a move, a skip, a state change)."""
        width = self._width()
        options: list[Option] = []
        self._index_of.clear()
        current_section = None
        for section, activity in self.clock.activities:
            if section is not current_section:
                current_section = section
                options.append(Option(Text(section.title.upper(), style="bold underline"), disabled=True))
            self._index_of[activity.id or ""] = len(options)
            options.append(Option(self._prompt(activity.id or "", activity.title, activity.minutes, width), id=activity.id))
        highlighted = self._index_of.get(self.clock.current_id)
        self._drawn = None
        self.clear_options()
        self.add_options(options)
        if highlighted is not None:
            self.highlighted = highlighted

    def refresh_current(self) -> None:
        """Redraw just the current activity's line (its actual time moves every second)."""
        index = self._index_of.get(self.clock.current_id)
        if index is None:
            return
        activity = self.clock.current
        prompt = self._prompt(activity.id or "", activity.title, activity.minutes, self._width())
        if self._drawn is not None and self._drawn[0] == index and self._drawn[1] == prompt:
            return
        self._drawn = (index, prompt)
        # `replace_option_prompt_at_index` clears the render cache of every option and
        # repaints the whole list; a prompt of one line keeps its height, so forget only
        # this option's render and repaint only its line. (Textual is pinned, and these
        # are the attributes that method itself uses.)
        option = self.get_option_at_index(index)
        option._set_prompt(prompt)
        cache = self._option_render_cache
        for key in [key for key in cache.keys() if key[0] is option]:
            cache.discard(key)
        line = self._index_to_line.get(index)
        if line is None:  # not laid out yet: its first paint draws the new prompt
            self.refresh()
        else:
            self.refresh_lines(line, self._heights.get(index, 1))

    def on_resize(self) -> None:
        self.rebuild()
