"""What a benchmark row is, and how repeated, interleaved timings become one."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from statistics import median
from typing import Any


@dataclass
class Figure:
    """One row: the app's `value` against a `baseline` measured in the same run.

    `target` is the most `ratio` may be (a ratio target), or, when `absolute` is set, the
    most `value` may be in its own unit. A row with no target is information only.
    """

    name: str
    value: float
    unit: str
    baseline: float | None = None
    target: float | None = None
    absolute: bool = False
    note: str = ""
    # Set when the figure's own script judged it (a count that must be reached, not a most).
    judged: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        if self.judged is not None:
            return self.judged
        if self.target is None:
            return None
        measured = self.value if self.absolute else self.ratio
        return measured is not None and measured <= self.target

    def as_json(self) -> dict[str, Any]:
        """The row as `{name, value, unit, baseline, ratio, target, met}` (and how the target reads)."""
        row = asdict(self)
        row.pop("absolute")
        row.pop("judged")
        row["ratio"] = None if self.ratio is None else round(self.ratio, 3)
        row["target_kind"] = None if self.target is None else ("value" if self.absolute else "ratio")
        row["met"] = self.met
        return row


def interleaved(actions: dict[str, Callable[[], float | None]], repeat: int) -> dict[str, list[float]]:
    """Run each action `repeat` times, taking turns, so all see the same background load.

    The turns go forward, then backward, and so on: in one fixed order each action always
    follows the same one, and what that one leaves behind (caches filled with a parsed
    file, a folder just written) weighs on it alone. A save measured always right after a
    1.4 MB parse, its baseline always after a save, took 1.5x as long as in the other
    order; forward and backward, each pair meets each neighbour alike.

    An action returns its own measurement, or None to be timed from outside.
    """
    results: dict[str, list[float]] = {name: [] for name in actions}
    forward = list(actions.items())
    for turn in range(repeat):
        for name, action in forward if turn % 2 == 0 else forward[::-1]:
            started = time.perf_counter()
            measured = action()
            results[name].append(time.perf_counter() - started if measured is None else measured)
    return results


def med(values: list[float]) -> float:
    """The median, 0 for no values."""
    return median(values) if values else 0.0


def percentile(values: list[float], share: float) -> float:
    """The `share` (0..1) percentile of `values`, nearest rank."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]
