"""The long fuzz run: hundreds of thousands of hostile inputs through every entry point.

    python fuzz/run.py --inputs 100000 --workers 2 --seed 1 --report fuzz/last-run.json

Each worker takes the entry points in turn (the slow return validators less
often, see ``WEIGHTS``), mutates the entry point's seed file, runs the command
in process and checks the outcome (:func:`fuzz.cases.run_one`). An input that
runs longer than ``--timeout`` seconds is a hang. The counts, and the first
examples of each problem, are written to ``--report`` as JSON; the README
records the figures of the last full run.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import random
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fuzz.cases import ENTRY_POINTS, mutate, run_one

#: How many turns each entry point gets per round: validating a return is the
#: slowest path, so it gets fewer inputs than reading a facts file.
WEIGHTS = {"validate-json": 1, "validate-csv": 1}
DEFAULT_WEIGHT = 3


class _HangError(BaseException):
    """Raised by the timer; a BaseException so the run's own checks do not catch it."""


def _alarm(signum: int, frame: Any) -> None:
    raise _HangError


def _worker(job: tuple[int, int, float, str]) -> dict[str, Any]:
    seed, count, timeout, partial = job
    rng = random.Random(seed)
    schedule = [e for e in ENTRY_POINTS for _ in range(WEIGHTS.get(e.name, DEFAULT_WEIGHT))]
    seeds = {e.name: e.seed() for e in ENTRY_POINTS}
    counts: collections.Counter[str] = collections.Counter()
    per_entry: collections.Counter[str] = collections.Counter()
    statuses: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    # Processor time, not wall-clock time: on a busy machine a run can wait long for
    # a processor without hanging.
    signal.signal(signal.SIGPROF, _alarm)
    with tempfile.TemporaryDirectory() as folder:
        for index in range(count):
            entry = schedule[index % len(schedule)]
            content = mutate(seeds[entry.name], rng)
            per_entry[entry.name] += 1
            signal.setitimer(signal.ITIMER_PROF, timeout)
            try:
                outcome = run_one(entry, content, Path(folder))
            except _HangError:
                counts["hangs"] += 1
                examples["hang"].append(f"{entry.name}: {content[:200]!r}")
                continue
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
            statuses[str(outcome.status)] += 1
            for problem in outcome.problems:
                kind = "tracebacks" if problem.startswith("traceback") else "wrong exits"
                counts[kind] += 1
                if len(examples[kind]) < 5:
                    examples[kind].append(f"{entry.name}: {problem} <- {content[:200]!r}")
            if (index + 1) % 250 == 0 or index + 1 == count:
                # Counts so far, so a run cut short still says what it found.
                result = {
                    "inputs": index + 1,
                    "counts": dict(counts),
                    "per_entry": dict(per_entry),
                    "statuses": dict(statuses),
                    "examples": dict(examples),
                }
                Path(partial).write_text(json.dumps(result), encoding="utf-8")
    return result


def main() -> int:
    """Run the fuzzer; exit status 1 when any traceback, hang or wrong exit was seen."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="processor seconds before a hang"
    )
    parser.add_argument("--report", type=Path, default=Path("fuzz/last-run.json"))
    parser.add_argument(
        "--merge", action="store_true", help="only add up the workers' counts of a run cut short"
    )
    args = parser.parse_args()
    share = -(-args.inputs // args.workers)
    partials = [args.report.with_suffix(f".worker{w}.json") for w in range(args.workers)]
    jobs = [
        (args.seed * 1000 + w, share, args.timeout, str(partials[w])) for w in range(args.workers)
    ]
    started = time.monotonic()
    if args.merge:
        results = [json.loads(p.read_text(encoding="utf-8")) for p in partials if p.exists()]
    elif args.workers == 1:
        results = [_worker(jobs[0])]
    else:
        with multiprocessing.Pool(args.workers) as pool:
            results = pool.map(_worker, jobs)
    total: dict[str, Any] = {
        "inputs": 0,
        "tracebacks": 0,
        "hangs": 0,
        "wrong exits": 0,
        "per_entry": collections.Counter(),
        "statuses": collections.Counter(),
        "examples": collections.defaultdict(list),
    }
    for result in results:
        total["inputs"] += result["inputs"]
        for kind in ("tracebacks", "hangs", "wrong exits"):
            total[kind] += result["counts"].get(kind, 0)
        total["per_entry"].update(result["per_entry"])
        total["statuses"].update(result["statuses"])
        for kind, found in result["examples"].items():
            total["examples"][kind] += found[:5]
    total["seconds"] = round(time.monotonic() - started)
    total["command"] = " ".join(["python fuzz/run.py", *sys.argv[1:]])
    args.report.write_text(json.dumps(total, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(
        f"{total['inputs']:,} inputs in {total['seconds']:,} s: {total['tracebacks']} "
        f"tracebacks, {total['hangs']} hangs, {total['wrong exits']} wrong exits"
    )
    return 1 if total["tracebacks"] or total["hangs"] or total["wrong exits"] else 0


if __name__ == "__main__":
    sys.exit(main())
