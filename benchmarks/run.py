"""workshop's benchmark: every figure against a baseline measured in the same run, with its target.

    python benchmarks/run.py            # the full run (several minutes)
    python benchmarks/run.py --quick    # a smoke run: small sizes, few repeats
    python benchmarks/run.py --json     # a list of {name, value, unit, baseline, ratio, target, met}
    python benchmarks/run.py --only save,keys
    python benchmarks/run.py --table-from run.json   # the table of a saved --json run

Each figure is measured `--repeat` times (7 or more), taking turns with its baseline so
both see the same background load, and the median is reported. Baselines: a minimal
Textual app (Header, Digits, Static, Footer, ticking a clock) in the same pty; plain
`tomli_w.dumps` + write + fsync; `tomllib.loads`. Ratios are what to compare between
machines, not seconds. The phones' figures (`benchmarks/phones_app.py`) run the app as a
user starts it, `workshop open S --join`, in a pty, against a minimal aiohttp server that
appends and fsyncs each ballot.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

# Run as a script from a checkout: the package and `benchmarks` are one folder up.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import files, phones_app, screens, terminal  # noqa: E402
from benchmarks.figures import Figure  # noqa: E402
from benchmarks.sessions import SIZES, TYPICAL  # noqa: E402

GROUPS = ("start", "save", "list", "keys", "pilot", "idle", "phones")


def measure(groups: tuple[str, ...] = GROUPS, *, quick: bool = False, repeat: int = 7) -> list[Figure]:
    """Every figure of `groups`; `quick` shrinks sizes and repeats to a smoke run."""
    repeat = 2 if quick else max(7, repeat)
    plan: dict[str, Callable[[], list[Figure]]] = {
        "start": lambda: screens.home_start(repeat, sessions=5 if quick else 50),
        "save": lambda: files.save_and_load(3 * repeat, (TYPICAL,) if quick else SIZES),
        "list": lambda: files.listing(repeat, (20, 200) if quick else (1000, 10000)),
        "keys": lambda: screens.keys_pty(repeat, keys=5 if quick else 40, large=TYPICAL if quick else SIZES[-1]),
        "pilot": lambda: screens.keys_pilot(repeat, keys=5 if quick else 60),
        "idle": lambda: screens.idle_cpu(3, window=0.5 if quick else 10.0),
        "phones": lambda: phones_app.measure(repeat, (12,) if quick else (100, 30, 12)),
    }
    terminal.compile_as_installed()
    figures: list[Figure] = []
    for group in groups:
        try:
            figures.extend(plan[group]())
        except Exception as error:  # one broken group must not lose the others' figures
            print(f"benchmark group {group!r} failed: {type(error).__name__}: {error}", file=sys.stderr)
    return figures


def table(figures: list[Figure]) -> str:
    """The figures as a Markdown table."""
    lines = ["| figure | value | baseline | ratio | target | met |", "|---|---|---|---|---|---|"]
    for figure in figures:
        baseline = "" if figure.baseline is None else f"{_number(figure.baseline)} {figure.unit}"
        ratio = "" if figure.ratio is None else f"{figure.ratio:.2f}x"
        if figure.target is None:
            target = ""
        else:
            target = f"≤ {figure.target:g} {figure.unit}" if figure.absolute else f"≤ {figure.target:g}x"
        met = {True: "yes", False: "**no**", None: ""}[figure.met]
        lines.append(f"| {figure.name} | {_number(figure.value)} {figure.unit} | {baseline} | {ratio} | {target} | {met} |")
    return "\n".join(lines)


def _number(value: float) -> str:
    """Three significant figures, without an exponent for large values."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: small sizes, two repeats")
    parser.add_argument("--json", action="store_true", help="print the figures as a JSON list")
    parser.add_argument("--repeat", type=int, default=7, help="times each figure is measured (at least 7)")
    parser.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated groups of {', '.join(GROUPS)}")
    parser.add_argument("--table-from", metavar="FILE", help="print the table of a saved --json run instead of measuring")
    args = parser.parse_args(argv)
    if args.table_from:
        rows = json.loads(Path(args.table_from).read_text("utf-8"))
        print(
            table(
                [
                    Figure(
                        row["name"],
                        row["value"],
                        row["unit"],
                        row["baseline"],
                        row["target"],
                        absolute=row.get("target_kind") == "value",
                        note=row.get("note", ""),
                        judged=row.get("met"),
                    )
                    for row in rows
                ]
            )
        )
        return 0
    groups = tuple(name.strip() for name in args.only.split(",") if name.strip())
    unknown = [name for name in groups if name not in GROUPS]
    if unknown:
        parser.error(f"unknown group {unknown[0]!r}; choose from {', '.join(GROUPS)}")
    figures = measure(groups, quick=args.quick, repeat=args.repeat)
    if args.json:
        print(json.dumps([figure.as_json() for figure in figures], indent=2))
    else:
        print(table(figures))
        missed = [figure.name for figure in figures if figure.met is False]
        print(f"\n{len(figures) - len(missed)} of {len(figures)} figures met or informational; missed: {', '.join(missed) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
