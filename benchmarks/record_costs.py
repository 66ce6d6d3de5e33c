"""Benchmark: what each step of loading one record costs, in one process.

    python benchmarks/record_costs.py EXTRACT [--records N] [--repeats R]

On the first N records of an NDJSON extract (default 20,000, from its second
line; a valid extract such as ``benchmarks/extract_reading.py`` writes), the
CPU time per record of each step a worker of ``spcore.read_columns`` takes
for a record the quick reading accepts, each timed on its own over all N
records (the best of R repeats, default 5; results thrown away as a worker
throws them away, so memory does not grow):

* reading the line: where ``spcore.cases._screens`` is built, its
  ``Parser`` (what a worker's compiled runs parse with: it also finds an
  escape, a year 0000 and a name given twice, and shares the schema's
  names and codes); and, as the Python quick reading reads it, the byte
  checks (an escape, a year 0000), ``orjson.loads``, and the line
  re-written by ``orjson.dumps`` to find a name given twice;
* the compiled schema validator (jsonschema-rs), and the compiled proof of
  ``spcore.schemas.program`` that answers for it when it proves the record
  valid (what the quick reading asks, where built);
* the screens (compiled where built);
* filling the columns (compiled where built), a new set every 2,000 records
  as a worker starts one for each chunk;
* a person's key (``spcore.aggregation.keys``: the pseudonym at half the
  width where it is hexadecimal, compiled where built, then hashed), which a
  worker makes for each person of a chunk;

The validator, the proof, the screens and the columns are given the records as
the worker's parser gives them (as ``orjson`` does without it). Then the whole
of it as a worker does it (chunks of the same lines through
``spcore.cases.chunks.Reading`` into columns); the same with each line read
by the Python quick reading instead of runs of lines by the compiled
``read_run``; and ``pyarrow.json.read_json`` of the same lines (the CPU time
of all its threads), for scale.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

from spcore.aggregation import columns
from spcore.cases import chunks, fastcheck, screens
from spcore.compiled import check_module, fill_module, screens_module

#: Records a worker's columns hold before it starts a new set (about a chunk's worth).
PER_BUILDER = 2_000


def best(repeats: int, run: Callable[[], object]) -> float:
    """The least CPU time of ``repeats`` runs."""
    spent = []
    for _ in range(repeats):
        start = time.process_time()
        run()
        spent.append(time.process_time() - start)
    return min(spent)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extract")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with open(args.extract, "rb") as handle:
        header = next(handle)
        lines = [line.rstrip(b"\n") for line in itertools.islice(handle, args.records)]
    module = screens_module()
    parse = chunks._line_parser() if module else orjson.loads
    records = [parse(line) for line in lines]
    is_valid = chunks.quick_is_valid()  # what the quick reading asks: the proof, else the validator
    validator = fastcheck._compiled(False).is_valid
    screen = screens.record_screen()
    compiled = fill_module() is not None
    if not all(is_valid(record) and screen(record) for record in records):
        print("every record must be valid and clear: give a valid extract")
        return 1

    def checks() -> None:
        for line in lines:
            _ = b"\\" in line or b"0000-" in line

    def parsed() -> None:
        for line in lines:
            parse(line)

    def loads() -> None:
        for line in lines:
            orjson.loads(line)

    def rewrite() -> None:
        for line in lines:
            written = orjson.dumps(orjson.loads(line))
            _ = written != line and line.count(b":") != written.count(b":")

    def validate() -> None:
        for record in records:
            validator(record)

    def prove() -> None:
        for record in records:
            is_valid(record)

    def screened() -> None:
        for record in records:
            screen(record)

    people = [str(r["person_id"]) for r in records if r.get("person_id")]

    def person_keys() -> None:
        columns._keys(people, halve=True)  # compiled where built, as a worker makes them

    def fill() -> None:
        for start in range(0, len(records), PER_BUILDER):
            add = columns._Builder(compiled=compiled).add_checked_record
            for line, record in enumerate(records[start : start + PER_BUILDER], start + 2):
                add(record, line)

    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "sample.ndjson"
        sample.write_bytes(header + b"\n".join(lines) + b"\n")
        with sample.open("rb") as handle:
            pieces = list(chunks.chunks(handle))

        def whole() -> None:
            for piece in pieces:
                columns._columns_of_chunk(piece)

        def line_by_line() -> None:
            found = chunks.screens_module
            chunks.screens_module = lambda: None  # type: ignore[assignment]
            try:
                whole()
            finally:
                chunks.screens_module = found  # type: ignore[assignment]

        import pyarrow.json as pj

        steps: dict[str, Callable[[], object]] = {
            **({"the compiled parser (Parser)": parsed} if module else {}),
            "byte checks (Python reading)": checks,
            "orjson.loads (Python reading)": loads,
            "repeated names: re-written by orjson (Python reading, with its loads)": rewrite,
            "schema validator (jsonschema-rs)": validate,
            **({"schema proof (compiled)": prove} if check_module() else {}),
            f"screens ({'compiled' if screens_module() else 'Python'})": screened,
            f"columns filled ({'compiled' if compiled else 'Python'})": fill,
            "a person's key": person_keys,
            "the whole, as a worker does it": whole,
            "the whole, each line read by Python (no compiled runs)": line_by_line,
            "pyarrow.json.read_json, for scale": lambda: pj.read_json(sample),
        }
        print(f"{len(records):,} records, {sum(map(len, lines)) / len(lines):,.0f} bytes each")
        for name, run in steps.items():
            micro = best(args.repeats, run) / len(records) * 1e6
            print(f"  {name}: {micro:.2f} CPU-µs a record", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
