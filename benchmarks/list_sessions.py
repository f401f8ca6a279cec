"""How fast is the home screen's list of a big sessions folder?

Writes 1,000 realistic session files (each embeds a full agenda snapshot, with
participants, notes, proposals, rating and dot-vote ballots) into a temporary folder,
then times `workshop.storage.store.list_sessions` against baselines measured in the same run on
the same files, so the figures mean something on any machine:

- read:   reading every file's bytes (the floor: nothing can list faster);
- toml:   `tomllib` parsing every file (what any TOML-based listing pays);
- full:   loading every file completely (`load_session`: parse, migrate, validate).

Prints absolute seconds and ratios. Run: `.venv/bin/python benchmarks/list_sessions.py`
(optionally `--count N --repeat R`). It asserts nothing; the target in the brief is
"about a second" for 1,000 files.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path
from statistics import median
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workshop.domain.models.pack import Pack  # noqa: E402
from workshop.domain.models.session import Session  # noqa: E402
from workshop.storage.store import (  # noqa: E402
    create_session,
    dump_session,
    list_sessions,
    load_session,
    parse_session,
    save_session,
)

WORDS = (
    "resourceful leadership child poverty partners budget outcomes collaborate team trust "
    "commitment system results simplify learn resilience tenacity openness possibilities "
    "services families schools health housing council data evidence pilot review share"
).split()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n\n".join(" ".join(_sentence(rng, rng.randint(8, 18)) for _ in range(4)) for _ in range(count))


def synthetic_pack(rng: random.Random) -> Pack:
    """A pack shaped like the default one: eight behaviours, ~25 activities."""
    behaviours = [{"id": f"b{n}", "name": f"Behaviour {n}", "description": _paragraphs(rng, 1)} for n in range(1, 9)]
    sections = []
    for n in range(1, 7):
        activities = [
            {"kind": "read", "title": "What it means", "minutes": 5, "text": _paragraphs(rng, 3)},
            {"kind": "rate", "title": "Where are we?", "minutes": 8, "intro": _sentence(rng, 12),
             "questions": [{"id": f"q{n}-{k}", "prompt": _sentence(rng, 12)} for k in range(1, 4)]},
            {"kind": "discuss", "title": "Discuss", "minutes": 12, "question": _sentence(rng, 14),
             "prompts": [_sentence(rng, 8) for _ in range(3)]},
            {"kind": "propose", "title": "Propose", "minutes": 8, "prompt": _sentence(rng, 10)},
        ]
        sections.append({"id": f"sec{n}", "title": f"Section {n}", "behaviour": f"b{n}", "activities": activities})
    sections.append({"id": "close", "title": "Priorities", "activities": [
        {"kind": "break", "title": "Break", "minutes": 15},
        {"kind": "vote", "title": "Vote", "minutes": 15},
        {"kind": "place", "title": "Place", "minutes": 20},
        {"kind": "close", "title": "Close", "minutes": 5},
    ]})
    return Pack.model_validate({"id": "bench", "title": "Benchmark pack", "summary": _sentence(rng, 20),
                                "version": "1.0", "behaviours": behaviours, "sections": sections})


def demo_or_synthetic_pack(rng: random.Random) -> Pack:
    demo = Path(__file__).resolve().parent.parent / "content" / "demo.toml"
    if demo.is_file():
        try:
            return Pack.model_validate(tomllib.loads(demo.read_text("utf-8")))
        except Exception:
            pass
    return synthetic_pack(rng)


def realistic_session(pack: Pack, index: int, rng: random.Random) -> Session:
    """A session part-way through or finished, with a room's worth of records."""
    agenda = pack.snapshot()
    start = datetime(2024, 1, 1, 9, tzinfo=timezone.utc) + timedelta(days=index % 700, minutes=index)
    activity_ids = [activity.id for _, activity in agenda.activities()]
    rate_ids = [(activity.id, [q.id for q in activity.questions]) for _, activity in agenda.activities() if activity.kind == "rate"]
    done = rng.randint(0, len(activity_ids))
    participants = [{"id": f"p{n}", "name": f"Person {n}", "role": rng.choice(["Director", "Head of service", "Lead"])} for n in range(1, 9)]
    proposals = [{"id": f"pr{n}", "text": _sentence(rng, 10), "owner": f"Person {rng.randint(1, 8)}",
                  "horizon": rng.choice(["unplaced", "next-month", "six-months", "a-year", "longer-term"]),
                  "protected": rng.random() < 0.3, "details": _sentence(rng, 20)} for n in range(1, 16)]
    return Session.model_validate({
        "id": f"s{index:07d}",
        "title": f"Away day {index} {rng.choice(WORDS)}",
        "team": "Children's services leadership team",
        "facilitator": "Sam Facilitator",
        "date": (start + timedelta(days=1)).date(),
        "created_at": start,
        "updated_at": start + timedelta(hours=rng.randint(0, 100)),
        "status": "completed" if done == len(activity_ids) else rng.choice(["planned", "running", "paused"]),
        "participants": participants,
        "progress": [{"activity_id": aid, "state": "done", "elapsed_seconds": rng.uniform(60, 900),
                      "started_at": start, "ended_at": start + timedelta(minutes=10)} for aid in activity_ids[:done]],
        "notes": [{"activity_id": aid, "text": _paragraphs(rng, 2), "updated_at": start} for aid in activity_ids[: done // 2]],
        "proposals": proposals,
        "rating_rounds": [{"id": f"r{n}", "activity_id": aid, "mode": "named", "voted": [p["id"] for p in participants],
                           "ballots": [{"voter": p["id"], "cast_at": start, "answers": {q: rng.randint(1, 5) for q in qids}} for p in participants]}
                          for n, (aid, qids) in enumerate(rate_ids)],
        "vote_rounds": [{"id": "v1", "activity_id": "close-2", "mode": "anonymous", "proposals": [p["id"] for p in proposals],
                         "ballots": [{"dots": {f"pr{rng.randint(1, 15)}": 1 for _ in range(5)}} for _ in participants]}],
        "agenda": agenda,
    })


def _time(action: Callable[[], Any], repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return median(timings)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rng = random.Random(2024)
    pack = demo_or_synthetic_pack(rng)
    with tempfile.TemporaryDirectory(prefix="workshop-bench-") as temp:
        folder = Path(temp)
        started = time.perf_counter()
        for index in range(args.count):
            create_session(folder, realistic_session(pack, index, rng))
        made = time.perf_counter() - started
        files = sorted(folder.glob("*.toml"))
        size = sum(path.stat().st_size for path in files)
        print(f"{len(files)} session files, {size / len(files) / 1024:.1f} KiB each on average "
              f"(written in {made:.2f} s, {1000 * made / len(files):.2f} ms a save)")

        def read_all() -> None:
            for path in files:
                path.read_bytes()

        def toml_all() -> None:
            for path in files:
                tomllib.loads(path.read_bytes().decode("utf-8"))

        def full_all() -> None:
            for path in files:
                load_session(path)

        listed = list_sessions(folder)
        assert len(listed) == len(files) and all(hasattr(item, "progress") for item in listed), "listing lost files"
        results = {
            "read bytes (baseline)": _time(read_all, args.repeat),
            "tomllib parse": _time(toml_all, args.repeat),
            "list_sessions": _time(lambda: list_sessions(folder), args.repeat),
            "load_session each": _time(full_all, 1),
        }
        # One autosave of a realistic session: serialise and verify in memory, then the
        # atomic write (temp file, fsync, backup link, replace, folder fsync).
        sample = load_session(files[0])
        results["one save (ms)"] = _time(lambda: save_session(sample.session, sample.path), 20) * 1000
        results["  of which dump+verify (ms)"] = _time(lambda: parse_session(dump_session(sample.session), "x"), 20) * 1000
        baseline = results["read bytes (baseline)"]
        toml = results["tomllib parse"]
        print(f"{'':28} {'seconds':>8} {'x read':>8} {'x tomllib':>10}")
        for name, seconds in results.items():
            if name.endswith("(ms)"):
                print(f"{name:28} {seconds:8.2f}")
            else:
                print(f"{name:28} {seconds:8.3f} {seconds / baseline:8.1f} {seconds / toml:10.2f}")


if __name__ == "__main__":
    main()
