"""Benchmark: what each kind of line costs a worker reading an extract into columns.

    python benchmarks/line_kinds.py [EXTRACT] [--records N] [--repeats R]

A worker of ``spcore.read_columns`` reads nearly every line in compiled code;
a line that code cannot accept (a record with a finding, one the schema
refuses, a line that is not JSON or names a field twice) is handed back to
Python, which reads it as the reference reads it. On the first N lines of
EXTRACT (default: a synthetic extract of N records, 2% of them invalid, seed
2016; N defaults to 50,000), this runs a worker's work on their chunks
(``_columns_of_chunk``) R times (default 3, after a run untimed) and times,
line by line, what Python does for a line handed back: reading it
(``spcore.cases.chunks._line``) and adding it to the columns
(``add_item``). Each kind's time a line is its least over the runs, summed,
so a line is timed where it lies among the others (its code and data no
longer in the processor's caches), not in a loop of its own. The whole work
is timed too, in runs of its own with nothing timed inside, and each kind's
share of it given. Then the whole work again on the same lines reordered, in
each chunk the lines handed back after all the others: what a line handed
back costs the lines around it (the compiled reading's code and data put out
of the processor's caches by Python's, and taken back) shows as the
difference. (A worker's compiled run now goes on past the lines it hands
back, which Python reads after it: the difference should be small.)
"""

from __future__ import annotations

import argparse
import collections
import io
import itertools
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from spcore.aggregation import columns
from spcore.cases import chunks
from spcore.cases.extracts import ExtractItem
from spcore.cases.synth import write_synthetic_extract
from spcore.validation.schema_findings import SCHEMA_CODES


def kind_of(item: ExtractItem) -> str:
    """The kind of a line handed back: by whether it is used and what it was refused for."""
    codes = {f.code for f in item.findings}
    if item.accepted:
        return "used, with a warning"
    if item.data is None:
        return "not a record (not JSON, a field named twice, ...)"
    if codes & SCHEMA_CODES.keys():
        return "refused by the schema"
    return "refused beyond the schema"


def work(pieces: list[chunks.Chunk], repeats: int) -> float:
    """The least CPU time of a worker's work on these chunks."""
    spent = []
    for _ in range(repeats):
        start = time.process_time()
        for piece in pieces:
            columns._columns_of_chunk(piece)
        spent.append(time.process_time() - start)
    return min(spent)


def handed_back(pieces: list[chunks.Chunk], repeats: int) -> dict[int, float]:
    """The least time Python took over each line handed back, by line number."""
    read, add = chunks._line, columns._Builder.add_item
    least: dict[int, float] = {}
    now: dict[int, float] = collections.defaultdict(float)

    def timed_read(number: int, *rest: Any, **named: Any) -> Any:
        start = time.perf_counter()
        try:
            return read(number, *rest, **named)
        finally:
            now[number] += time.perf_counter() - start

    def timed_add(builder: Any, index: int, item: Any, **named: Any) -> None:
        start = time.perf_counter()
        try:
            add(builder, index, item, **named)
        finally:
            now[item.line] += time.perf_counter() - start

    chunks._line = timed_read
    columns._Builder.add_item = timed_add  # type: ignore[method-assign,assignment]
    try:
        for _ in range(repeats):
            now.clear()
            for piece in pieces:
                columns._columns_of_chunk(piece)
            for number, spent in now.items():
                least[number] = min(spent, least.get(number, spent))
    finally:
        chunks._line, columns._Builder.add_item = read, add  # type: ignore[method-assign]
    return least


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract", nargs="?")
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.extract is None:
            text = io.StringIO()
            write_synthetic_extract(text, args.records, 2016, invalid_share=0.02)
            source = Path(folder) / "synthetic.ndjson"
            source.write_text(text.getvalue(), encoding="utf-8")
        else:
            source = Path(args.extract)
        with source.open("rb") as handle:
            header = next(handle)
            lines = list(itertools.islice(handle, args.records))
        if lines and not lines[-1].endswith(b"\n"):
            lines[-1] += b"\n"

        def pieces_of(kept: list[bytes], name: str) -> list[chunks.Chunk]:
            path = Path(folder) / name
            path.write_bytes(header + b"".join(kept))
            with path.open("rb") as handle:
                return list(chunks.chunks(handle))

        every = pieces_of(lines, "every.ndjson")
        kinds: dict[int, str] = {}
        for piece in every:
            for number, item in chunks.Reading(piece):
                kinds[number] = kind_of(item)
        work(every, 1)  # once first: what is built on first use is not timed
        whole = work(every, args.repeats)
        spent = handed_back(every, args.repeats)
        print(f"{len(lines):,} lines, {len(kinds):,} handed back to Python")
        print(f"  the whole work: {whole / len(lines) * 1e6:.2f} CPU-µs a line")
        total = 0.0
        for kind, count in sorted(collections.Counter(kinds.values()).items()):
            seconds = sum(spent.get(n, 0.0) for n, k in kinds.items() if k == kind)
            total += seconds
            print(
                f"  {kind}: {count:,} lines, {seconds / count * 1e6:.0f} µs a line in Python, "
                f"{seconds / whole * 100:.1f}% of the whole"
            )
        rest = (whole - total) / max(1, len(lines) - len(kinds))
        print(f"  every other line: {rest * 1e6:.2f} µs a line (the whole less the lines above)")
        print(f"lines handed back: {total / whole * 100:.1f}% of the time")
        # The same lines, in each chunk those handed back after the rest: the same work, but
        # the compiled reading runs unbroken, and Python takes its lines one after another.
        grouped: list[bytes] = []
        for piece in every:
            numbers = range(piece.first_line, piece.first_line + chunks.newlines(piece.content()))
            kept = [n for n in numbers if n > 1]
            grouped += [lines[n - 2] for n in kept if n not in kinds]
            grouped += [lines[n - 2] for n in kept if n in kinds]
        assert sorted(grouped) == sorted(lines), "every line once"
        apart = pieces_of(grouped, "grouped.ndjson")
        work(apart, 1)
        last = work(apart, args.repeats)
        print(
            f"the same lines, those handed back last in each chunk: {last / len(lines) * 1e6:.2f} "
            f"CPU-µs a line ({(whole - last) / whole * 100:.1f}% less)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
