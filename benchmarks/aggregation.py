"""Benchmark: aggregating 1,000,000 case records into a quarterly return.

    .venv/bin/python benchmarks/aggregation.py [N] [SAMPLE]

In one process:

* writes N synthetic case records (``spcore.cases.synth``, seed 2016,
  financial year 2025-26, all given one scheme so that every record counts)
  to an NDJSON file in a temporary folder;
* loads it with ``spcore.read_columns`` (parse, schema check, columns; no
  models), timed per record, and reports the size of the columns;
* times ``spcore.aggregate(columns, "2025-26 Q2")`` (median of three runs
  after a warm-up, including validation of the return) and the four
  quarters of the year from the same columns;
* measures with ``tracemalloc``, in a separate run, the peak memory
  ``aggregate`` allocates beyond the loaded columns;
* on the first SAMPLE records, runs the record-by-record reference path
  beside the columnar path and checks that they give the same return: from
  the file (``read_extract`` streamed into ``aggregate``, against
  ``read_columns`` then ``aggregate``), and aggregation alone (a list of
  ``CaseRecord`` models, against the columns), with the ratio of their times.

Targets (case extracts issue): aggregation under 2 s for 1,000,000 records
and under 1 GiB beyond the loaded data.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from itertools import islice
from pathlib import Path

from spcore import CaseColumns, aggregate, read_columns, read_extract
from spcore.cases.synth import synth_cases

QUARTER = "2025-26 Q2"
QUARTERS = ("2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4")
SCHEME = "BENCH-SCHEME"


def write_extract(path: Path, n: int) -> float:
    """Write N synthetic records of one scheme; return the seconds it took."""
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        for record in synth_cases(n, 2016, year=2025):
            record["scheme_id"] = SCHEME
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
    return time.perf_counter() - start


def median_time(columns: CaseColumns, quarter: str, runs: int = 3) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = aggregate(columns, quarter)
        times.append(time.perf_counter() - start)
        assert result.records_skipped == 0, result.findings[:3]
    return statistics.median(times), times


def peak_mib(columns: CaseColumns) -> float:
    """Peak memory (MiB) allocated while aggregating the columns."""
    tracemalloc.start()
    aggregate(columns, QUARTER)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def identifiers_mib(columns: CaseColumns) -> float:
    """Memory held by the case identifiers the columns keep for messages."""
    return columns.case_ids.nbytes / 2**20


def compare_with_reference(path: Path, sample: int) -> None:
    """The reference path and the columnar path on the same SAMPLE records."""
    sample_path = path.with_name("sample.ndjson")
    with path.open(encoding="utf-8") as source, sample_path.open("w", encoding="utf-8") as out:
        out.writelines(islice(source, sample))
    aggregate(islice(read_extract(sample_path, progress=False), 1000), QUARTER)  # warm-up
    # End to end, as `spcore aggregate` works: streaming records, or loading columns.
    start = time.perf_counter()
    streamed = aggregate(read_extract(sample_path, progress=False), QUARTER)
    old_way = time.perf_counter() - start
    start = time.perf_counter()
    columns = read_columns(sample_path, progress=False)
    loading = time.perf_counter() - start
    start = time.perf_counter()
    fast = aggregate(columns, QUARTER)
    columnar = time.perf_counter() - start
    # Aggregation alone, over records already in memory.
    records = [i.record for i in read_extract(sample_path, progress=False) if i.record]
    gc.collect()
    start = time.perf_counter()
    reference = aggregate(records, QUARTER)
    per_record = time.perf_counter() - start
    for other in (streamed, reference):
        assert fast.document == other.document
        assert fast.findings == other.findings
    print(f"on the first {sample:,} records (the paths give the same return):")
    print(
        f"  aggregating records in memory: one by one {per_record:.2f} s "
        f"({per_record / sample * 1e6:.1f} us per record); columns {columnar:.3f} s "
        f"({columnar / sample * 1e6:.2f} us); columns {per_record / columnar:.0f} x faster"
    )
    print(
        f"  from the file: read_extract streamed into aggregate {old_way:.1f} s "
        f"({old_way / sample * 1e6:.1f} us per record); read_columns then aggregate "
        f"{loading + columnar:.1f} s ({(loading + columnar) / sample * 1e6:.1f} us); "
        f"{old_way / (loading + columnar):.1f} x faster"
    )


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 1_000_000
    sample = min(n, int(argv[1]) if len(argv) > 1 else 100_000)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cases.ndjson"
        written = write_extract(path, n)
        print(
            f"{n:,} synthetic records, {path.stat().st_size / 2**20:,.0f} MiB of NDJSON, "
            f"written in {written:.1f} s"
        )
        start = time.perf_counter()
        columns = read_columns(path, progress=False)
        loading = time.perf_counter() - start
        print(
            f"read_columns: {loading:.1f} s, {loading / n * 1e6:.1f} us per record; the columns "
            f"hold {columns.nbytes / 2**20:.0f} MiB of arrays and "
            f"{identifiers_mib(columns):.0f} MiB of case identifiers"
        )
        aggregate(columns, QUARTER)  # warm-up: imports, schema compilation
        median, runs = median_time(columns, QUARTER)
        print(
            f"aggregate {QUARTER}: {median:.3f} s for {n:,} records "
            f"(runs {', '.join(f'{r:.3f}' for r in runs)}), {median / n * 1e6:.2f} us per record"
        )
        start = time.perf_counter()
        for quarter in QUARTERS:
            aggregate(columns, quarter)
        year = time.perf_counter() - start
        print(f"the four quarters of 2025-26 from the same columns: {year:.2f} s")
        print(f"peak memory beyond the loaded columns: {peak_mib(columns):.0f} MiB")
        del columns
        gc.collect()
        compare_with_reference(path, sample)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
