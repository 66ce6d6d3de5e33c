"""spcore inside polars: checking a folder of case extracts, scoring questionnaires by group.

    python polars_partitions.py check FOLDER [-o SUMMARY.csv]
    python polars_partitions.py score ANSWERS.csv INSTRUMENT [--by COLUMN] [-o SCORED.csv]

An engine that works on partitions (polars groups and frames here; Dask
partitions, Spark's ``mapInPandas`` and DuckDB's Python functions the same
way) runs spcore's functions unchanged on each partition and puts the
results together:

* ``check``: each extract file is one partition; ``spcore.check_extract``
  checks it (exactly as ``spcore cases check`` does) and the engine collects
  one row per file: records read, accepted, rejected, and rejections by
  finding code.
* ``score``: each group of rows (``--by``, for example a scheme) is one
  partition; ``spcore.instruments.score_batch`` scores it whole, and the
  engine concatenates the scored groups in their original order.

Exit status 0; 1 if any record was rejected or any row could not be scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import polars as pl

from spcore.cases import check_extract, detect_format
from spcore.instruments import score_batch

SUMMARY = pl.Struct(
    {"read": pl.Int64, "accepted": pl.Int64, "rejected": pl.Int64, "by_code": pl.String}
)


def check_file(path: str) -> dict[str, object]:
    """One partition: one extract file, checked by spcore in this worker."""
    summary, _ = check_extract(path, workers=1, keep=0, progress=False)
    return {
        "read": summary.read,
        "accepted": summary.accepted,
        "rejected": summary.rejected,
        "by_code": json.dumps(dict(sorted(summary.rejected_by_code.items()))),
    }


def check(folder: Path) -> pl.DataFrame:
    """Every extract in ``folder`` (.ndjson, .jsonl, .csv, optionally .gz), one row each."""
    names = sorted(str(p) for p in folder.iterdir() if detect_format(p) is not None)
    files = pl.DataFrame({"file": names}, schema={"file": pl.String})
    return files.with_columns(
        pl.col("file").map_elements(check_file, return_dtype=SUMMARY).alias("result")
    ).unnest("result")


def score_group(group: pl.DataFrame, instrument: str) -> pl.DataFrame:
    """One partition: a group of answer rows, scored whole by spcore."""
    # The columns as a mapping give NumPy results (a DataFrame would give a DataFrame back).
    columns = {name: group[name].to_numpy() for name in group.columns}
    result = score_batch(instrument, columns, ignore_extra=True)
    return group.with_columns(
        pl.Series("score", result.score, dtype=pl.Float64),
        pl.Series("valid", result.valid, dtype=pl.Boolean),
        pl.Series("findings", [";".join(f.code for f in found) for found in result.findings]),
    )


def score(answers: Path, instrument: str, by: str | None) -> pl.DataFrame:
    """The answers in ``answers`` with score, valid and findings columns."""
    frame = pl.read_csv(answers).with_row_index("row")
    if by is None:
        return score_group(frame, instrument).drop("row")
    scored = frame.group_by(by, maintain_order=True).map_groups(
        lambda group: score_group(group, instrument)
    )
    return scored.sort("row").drop("row")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    actions = parser.add_subparsers(dest="action", required=True)
    checking = actions.add_parser("check")
    checking.add_argument("folder", type=Path)
    checking.add_argument("-o", "--output", type=Path)
    scoring = actions.add_parser("score")
    scoring.add_argument("answers", type=Path)
    scoring.add_argument("instrument")
    scoring.add_argument("--by")
    scoring.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    if args.action == "check":
        table = check(args.folder)
        problems = int(table["rejected"].sum() or 0)
    else:
        table = score(args.answers, args.instrument, args.by)
        problems = int((~table["valid"]).sum())
    with pl.Config(tbl_rows=50, tbl_cols=20, fmt_str_lengths=80):
        print(table)
    if args.output:
        table.write_csv(args.output)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
