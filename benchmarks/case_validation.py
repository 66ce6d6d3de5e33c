"""Benchmark: validating case records — spcore's fast path vs jsonschema and jsonschema-rs.

In one run, on one synthetic extract (default 1,000,000 records, 2% invalid):

1. writes the extract as NDJSON (synthetic-data throughput);
2. reads it back in chunks of 10,000 parsed records and, chunk by chunk, times
   * spcore: ``spcore.cases.check_record(record, source_text=line)`` (full
     findings for invalid records),
   * jsonschema-rs: ``list(validator.iter_errors(record))``, the compiled
     validator on the same schema with format checking,
   * plain jsonschema: ``list(spcore.schemas.validator("case-record")
     .iter_errors(record))`` — on the first 20,000 records only (about 30 s);
   interleaving the engines per chunk so a busy machine slows them alike;
3. checks on the jsonschema sample that spcore's findings equal the reference
   findings record for record.

Between 1 and 2 it reads and validates the file end to end with
``read_extract`` (with and without building ``CaseRecord`` models) and
reports the peak memory so far, which shows reading runs in constant memory.

Run::

    .venv/bin/python benchmarks/case_validation.py [--records N] [--sample N] [--keep FILE]

Targets: spcore at least 50x the records per second of jsonschema, and within
2x of jsonschema-rs. Exit status 1 if either target or the equality check fails.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import pydantic

from spcore import schemas
from spcore.cases import check_record, read_extract, reference_findings
from spcore.cases.extracts import parse_json
from spcore.cases.synth import write_synthetic_extract

CHUNK = 10_000


def _chunks(path: Path) -> Iterator[list[tuple[str, Any]]]:
    """Parsed (line, record) pairs, CHUNK at a time; corrupt lines are left out."""
    with path.open(encoding="utf-8") as handle:
        while True:
            lines = list(itertools.islice(handle, CHUNK))
            if not lines:
                return
            parsed = []
            for line in lines:
                data, problem = parse_json(line)
                if problem is None and isinstance(data, dict):
                    parsed.append((line, data))
            yield parsed


def _compiled_rs() -> Any:
    registry = jsonschema_rs.Registry(
        [(schemas.schema_id(n), schemas.load(n)) for n in schemas.names()]
    )
    return jsonschema_rs.Draft202012Validator(
        schemas.load("case-record"), validate_formats=True, registry=registry
    )


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"jsonschema {_version('jsonschema')}, "
        f"jsonschema-rs {_version('jsonschema_rs')}, pydantic {pydantic.VERSION}"
    )


def _version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name.replace("_", "-"))
    except metadata.PackageNotFoundError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="records given to jsonschema")
    parser.add_argument("--invalid-share", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", metavar="FILE", help="write the extract here and keep it")
    args = parser.parse_args()
    print(_machine())

    folder = tempfile.TemporaryDirectory()
    path = Path(args.keep) if args.keep else Path(folder.name) / "cases.ndjson"
    start = time.perf_counter()
    with path.open("w", encoding="utf-8", newline="") as out:
        stats = write_synthetic_extract(
            out, args.records, args.seed, invalid_share=args.invalid_share
        )
    seconds = time.perf_counter() - start
    size = path.stat().st_size
    print(
        f"synth: {stats.records:,} records ({stats.invalid_total:,} invalid), {size / 1e6:,.0f} MB "
        f"in {seconds:.1f} s ({stats.records / seconds:,.0f} records/s)"
    )
    written_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory after writing: {written_peak:,.0f} MB")

    for build in (False, True):
        start = time.perf_counter()
        reader = read_extract(path, build_records=build, progress=False)
        for _ in reader:
            pass
        seconds = time.perf_counter() - start
        s = reader.summary
        print(
            f"read_extract end to end (build_records={build}): {s.read:,} read, "
            f"{s.accepted:,} accepted, {s.rejected:,} rejected in {seconds:.1f} s "
            f"({s.read / seconds:,.0f} records/s)"
        )
    # Measured before any records are held for the engine comparison below.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory after writing and reading the extract: {peak:,.0f} MB")

    rs = _compiled_rs()
    reference = schemas.validator("case-record")
    # Warm every path (first calls build validators, caches and regexes).
    first = next(_chunks(path))[:200]
    for line, data in first:
        check_record(data, source_text=line)
        list(rs.iter_errors(data))
        list(reference.iter_errors(data))

    spent = {"spcore": 0.0, "rs": 0.0, "jsonschema": 0.0}
    counted = {"spcore": 0, "rs": 0, "jsonschema": 0}
    invalid = 0
    mismatches = 0
    for chunk in _chunks(path):
        t0 = time.perf_counter()
        verdicts = [check_record(data, source_text=line) for line, data in chunk]
        t1 = time.perf_counter()
        for _, data in chunk:
            list(rs.iter_errors(data))
        t2 = time.perf_counter()
        spent["spcore"] += t1 - t0
        spent["rs"] += t2 - t1
        counted["spcore"] += len(chunk)
        counted["rs"] += len(chunk)
        invalid += sum(1 for v in verdicts if v)
        if counted["jsonschema"] < args.sample:
            take = chunk[: args.sample - counted["jsonschema"]]
            t3 = time.perf_counter()
            for _, data in take:
                list(reference.iter_errors(data))
            spent["jsonschema"] += time.perf_counter() - t3
            counted["jsonschema"] += len(take)
            for (_, data), verdict in zip(take, verdicts, strict=False):
                if reference_findings(data) != verdict:
                    mismatches += 1

    rate = {k: counted[k] / spent[k] for k in spent}
    for name in ("spcore", "rs", "jsonschema"):
        label = {"rs": "jsonschema-rs", "spcore": "spcore check_record"}.get(name, name)
        print(
            f"{label}: {counted[name]:,} records in {spent[name]:.2f} s "
            f"({rate[name]:,.0f} records/s, {1e6 / rate[name]:.1f} us/record)"
        )
    vs_reference = rate["spcore"] / rate["jsonschema"]
    vs_rs = rate["rs"] / rate["spcore"]
    print(f"schema-invalid records found by spcore: {invalid:,}")
    print(f"spcore vs jsonschema: {vs_reference:.0f}x faster (target >= 50x)")
    print(f"spcore vs jsonschema-rs: {vs_rs:.2f}x the time (target <= 2x)")
    print(f"findings differing from the reference on the sample: {mismatches}")

    folder.cleanup()
    ok = vs_reference >= 50 and vs_rs <= 2 and mismatches == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
