"""Benchmark: a commissioner's extract's returns, one by one and side by side.

    .venv/bin/python benchmarks/schemes_side_by_side.py [N] [--extract PATH] [--rounds R]

In one process: reads an extract of several schemes into columns (``PATH``, or
N synthetic records of the four synthetic schemes written to a temporary
folder), then, ``R`` times in turn, builds every scheme's return for
2025-26 Q2 one after another with ``spcore.aggregate(columns, quarter,
scheme=...)`` and with ``spcore.aggregation.aggregate_each`` (the threads
``spcore aggregate -o DIR/`` uses), and reports each time and their ratio.
Exits 1 unless both give the same returns in the same order.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from spcore.aggregation import aggregate, aggregate_each, read_columns, schemes_in
from spcore.aggregation.columns import CaseColumns
from spcore.cases.chunks import default_workers
from spcore.cases.synth import SCHEMES, synth_cases

QUARTER = "2025-26 Q2"


def one_by_one(columns: CaseColumns) -> list[tuple[str, Any]]:
    """Every scheme's return, one after another."""
    return [
        (s, aggregate(columns, QUARTER, None, suppress=True, scheme=s).document)
        for s in schemes_in(columns)
    ]


def side_by_side(columns: CaseColumns) -> list[tuple[str, Any]]:
    """Every scheme's return from :func:`aggregate_each`."""
    jobs = [(s, None) for s in schemes_in(columns)]
    with contextlib.closing(aggregate_each(columns, QUARTER, jobs, suppress=True)) as each:
        return [(s, r.document) for s, r in each]


def _columns(args: argparse.Namespace, folder: str) -> CaseColumns:
    if args.extract is not None:
        return read_columns(args.extract, progress=False)
    path = Path(folder) / "commissioner.ndjson"
    with path.open("w", encoding="utf-8") as out:
        for record in synth_cases(args.records, 2016, schemes=SCHEMES):
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
    return read_columns(path, progress=False)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", nargs="?", type=int, default=200_000)
    parser.add_argument("--extract", type=Path, help="an extract of several schemes to read")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        columns = _columns(args, folder)
    schemes = schemes_in(columns)
    print(
        f"{len(columns):,} rows of {len(schemes)} schemes; {default_workers()} threads side by side"
    )
    expected = one_by_one(columns)  # warm-up: imports, schema compilation
    same = True
    for _ in range(args.rounds):
        start = time.perf_counter()
        alone = one_by_one(columns)
        serial = time.perf_counter() - start
        start = time.perf_counter()
        together = side_by_side(columns)
        threaded = time.perf_counter() - start
        same = same and alone == expected and together == expected
        print(
            f"one by one {serial:.3f} s; side by side {threaded:.3f} s ({threaded / serial:.2f}x)"
        )
    print("the same returns in the same order" if same else "THE RETURNS DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
