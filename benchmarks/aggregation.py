"""Benchmark: aggregating 1,000,000 case records into a quarterly return.

    .venv/bin/python benchmarks/aggregation.py [N] [DISTINCT]

Builds DISTINCT synthetic case records (``spcore.cases.synth``, seed 2016,
financial year 2025-26, all given one scheme so that every record counts),
then N records in memory as shallow copies of them with their own case and
person identifiers (the nested data is shared, so a million records fit in
memory; the figures per record have the same distribution as the synthetic
sample). It reports, in one process:

* the cost of *reading* a record: ``spcore.read_extract`` over an NDJSON file
  of the DISTINCT records (parse, schema check, model), per record;
* a bare loop that reads one date from each of the N records (how fast this
  machine iterates Python objects at the time);
* ``spcore.aggregate`` over the N records for 2025-26 Q2 (median of three runs
  after a warm-up), per record and in total, and its ratio to reading;
* the peak memory ``aggregate`` allocates beyond the loaded records
  (``tracemalloc``, measured in a separate run because tracing slows Python),
  for N and for N/4 records streamed from a generator, to show that memory
  follows the people active in the quarter and not the records read.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from spcore import aggregate, read_extract
from spcore.cases.synth import SCHEMES, write_synthetic_extract
from spcore.framework.case_record import CaseRecord

QUARTER = "2025-26 Q2"
SCHEME = "BENCH-SCHEME"


def synthetic(distinct: int) -> tuple[list[CaseRecord], float]:
    """DISTINCT records read through read_extract, and the seconds reading took per record."""
    buffer = io.StringIO()
    write_synthetic_extract(buffer, distinct, seed=2016, year=2025)
    text = _one_scheme(buffer.getvalue())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.ndjson"
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        records = [i.record for i in read_extract(path, progress=False) if i.record is not None]
        elapsed = time.perf_counter() - start
    return records, elapsed / distinct


def _one_scheme(text: str) -> str:
    for name in SCHEMES:
        text = text.replace(f'"scheme_id":"{name}"', f'"scheme_id":"{SCHEME}"')
    return text


def copies(records: list[CaseRecord], n: int) -> Iterator[CaseRecord]:
    """N records: shallow copies of ``records`` with their own identifiers."""
    for k in range(n):
        base = records[k % len(records)]
        round_ = k // len(records)
        person = base.person_id[:40] + f"-{round_}" if base.person_id else None
        yield base.model_copy(
            update={"case_id": f"{base.case_id[:40]}-{round_}", "person_id": person}
        )


def timed(records: list[CaseRecord]) -> float:
    start = time.perf_counter()
    result = aggregate(records, QUARTER)
    elapsed = time.perf_counter() - start
    assert result.records_used == len(records), result.findings[:3]
    return elapsed


def peak_mib(source: object) -> float:
    """Peak memory (MiB) allocated while aggregating ``source`` (a list or an iterator)."""
    tracemalloc.start()
    aggregate(source, QUARTER)  # type: ignore[arg-type]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1_000_000
    distinct = int(argv[1]) if len(argv) > 1 else 20_000
    print(f"{n:,} records from {distinct:,} distinct synthetic ones; quarter {QUARTER}")
    sample, read_each = synthetic(distinct)
    print(f"reading (read_extract): {read_each * 1e6:,.0f} us per record")
    start = time.perf_counter()
    records = list(copies(sample, n))
    print(f"building {n:,} records in memory: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    sum(1 for r in records if r.referral.date)
    scan = time.perf_counter() - start
    print(f"a bare loop reading one date from each record: {scan:.2f} s")
    timed(records[:10_000])  # warm-up: caches, imports
    runs = [timed(records) for _ in range(3)]
    median = statistics.median(runs)
    print(
        f"aggregate: {median:.2f} s for {n:,} records (runs {', '.join(f'{r:.2f}' for r in runs)}"
        f"), {median / n * 1e6:.1f} us per record; {median / n / read_each:.3f} x reading, "
        f"{median / scan:.0f} x the bare loop"
    )
    print(f"peak memory beyond the loaded records, {n:,} in a list: {peak_mib(records):.1f} MiB")
    del records
    for count in (n // 4, n):
        print(
            f"peak memory streaming {count:,} records from a generator: "
            f"{peak_mib(copies(sample, count)):.1f} MiB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
