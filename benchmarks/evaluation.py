"""Benchmark: evaluating 1,000,000 case records from loaded columns, against aggregating them.

    .venv/bin/python benchmarks/evaluation.py [N]

In one process:

* writes N synthetic case records (``spcore.cases.synth``, seed 2016,
  financial year 2025-26, one scheme, with service use where the synthetic
  data has it) to an NDJSON file in a temporary folder and loads it with
  ``spcore.read_columns`` (not timed against the target: loading is the
  extract-reading benchmark's);
* times ``spcore.evaluate(columns)`` over every record, broken down by age
  band, and again by age band and referral criterion, each with the JSON
  document built (``to_dict()``) — median of three runs after a warm-up;
* times ``spcore.aggregate(columns, "2025-26 Q2")`` on the same columns the
  same way, and reports the ratio of the two.

Target (evaluation issue): evaluate under 5 s for 1,000,000 records from
loaded columns.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# The same extract as the aggregation benchmark (run from this folder: it is on sys.path).
from aggregation import write_extract
from spcore import CaseColumns, aggregate, evaluate, read_columns


def median_time(work: Callable[[], object], runs: int = 3) -> tuple[float, list[float]]:
    work()  # warm-up: imports, caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.ndjson"
        written = write_extract(path, n)
        print(f"wrote {n:,} records in {written:.1f} s ({path.stat().st_size / 2**20:,.0f} MiB)")
        start = time.perf_counter()
        columns: CaseColumns = read_columns(path)
        loaded = time.perf_counter() - start
        print(f"read_columns: {loaded:.1f} s; columns {columns.nbytes / 2**20:,.0f} MiB")
    result = evaluate(columns, by=["age-band"])
    figures = len(result.outcomes)
    services = len(getattr(result, "service_use", ()) or ())
    print(f"people evaluated: {len(result.intake.rows):,}; outcome scores {figures}; "
          f"service-use figures {services}")  # fmt: skip
    cases = {
        "evaluate, all records, by age band": lambda: evaluate(columns, by=["age-band"]).to_dict(),
        "evaluate, by age band and referral criterion": lambda: evaluate(
            columns, by=["age-band", "referral-criterion"]
        ).to_dict(),
        "aggregate 2025-26 Q2": lambda: aggregate(columns, "2025-26 Q2"),
    }
    timed = {}
    for name, work in cases.items():
        median, times = median_time(work)
        timed[name] = median
        print(f"{name}: median {median:.2f} s ({', '.join(f'{t:.2f}' for t in times)})")
    base = timed["aggregate 2025-26 Q2"]
    for name, median in timed.items():
        print(f"ratio to aggregate: {name}: {median / base:.2f}")


if __name__ == "__main__":
    main()
