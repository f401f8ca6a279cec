"""The current stage of an activity, under its heading: which stage, what next, what to do.

Hidden for an activity without stages. The stage's own countdown is the big clock's (the
run screen shows it there while an activity has stages); this line changes only when the
stage does, so it never lays the screen out again on a plain tick.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from workshop.domain.runclock import RunClock, StageChanged
from workshop.domain.stages import StageNow, format_length
from workshop.domain.timebox import Phase


def countdown_of(clock: RunClock) -> tuple[str, Phase]:
    """What the big clock shows: the stage's countdown and phase while the activity has
    stages, else the activity's."""
    stage = clock.current_stage()
    if stage is not None and not clock.completed:
        return stage.format_remaining(), stage.phase
    box = clock.current_box
    return box.format_remaining(), box.phase


# How long a stage's toast stays; a stage shorter than that gets none (see `stage_notice`).
STAGE_TOAST_SECONDS = 6.0


def stage_notice(clock: RunClock, event: StageChanged) -> str | None:
    """The toast that signals a new stage: its name, its minutes and what to do.

    None for a stage shorter than the toast itself (a round of 100 people in 4 minutes:
    a turn of 3 s): its toast would outlive the turn it names, two or three would pile up
    over the notes being typed, and each costs the screen several frames (issue 20). The
    bell still rings, and the stage line and the big clock say whose turn it is."""
    stages = clock.stages_of(clock.current)
    if event.index >= len(stages):
        return None  # a round that lost its later turns since (the people left)
    stage = stages[event.index]
    # The stage's length as it runs (a round's share of the time, minutes tuned in setup,
    # an extension on the last), not the weight written in the pack.
    ends = clock.stage_ends_of(clock.current, clock.current_box.limit_seconds)
    seconds = ends[event.index] - (ends[event.index - 1] if event.index else 0.0)
    if seconds < STAGE_TOAST_SECONDS:
        return None
    words = f"Stage {event.index + 1} of {len(stages)}: {stage.title} ({format_length(seconds)})"
    return f"{words}. {stage.prompt}" if stage.prompt else words


def toast_stage(widget: Widget, clock: RunClock, event: StageChanged) -> None:
    """Toast the stage `event` began, unless it is too short for a toast (`stage_notice`)."""
    notice = stage_notice(clock, event)
    if notice is not None:
        widget.notify(notice, timeout=STAGE_TOAST_SECONDS, markup=False)


def stage_text(stage: StageNow) -> Text:
    """ "Stage 2 of 4: Pairs · <what to do> · next: Fours, 4 min": most telling first, so on
    a short screen (one line, cut with an ellipsis) the stage and its task still show."""
    text = Text()
    text.append(stage.label, style="bold")
    if stage.stage.prompt:
        text.append(" · ")
        text.append(stage.stage.prompt)
    if stage.next_stage is not None:
        length = format_length(stage.next_length_seconds) if stage.next_length_seconds is not None else f"{stage.next_stage.minutes} min"
        text.append(f" · next: {stage.next_stage.title}, {length}", style="dim")
    else:
        text.append(" · last stage", style="dim")
    return text


class StageLine(Static):
    """Shows the current stage; `show_stage(None)` hides it."""

    DEFAULT_CSS = """
    StageLine {
        display: none;
        height: auto;
        padding: 0 0 1 0;
    }
    StageLine.-staged {
        display: block;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._shown: tuple[object, ...] | None = None

    def show_stage(self, stage: StageNow | None) -> None:
        """Show `stage` (only redrawn when the stage itself changes)."""
        key = None if stage is None else (stage.index, stage.count, stage.stage, stage.next_stage)
        if key == self._shown:
            return
        self._shown = key
        self.set_class(stage is not None, "-staged")
        self.update(stage_text(stage) if stage is not None else "")
