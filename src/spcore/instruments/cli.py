"""Command line for instruments: ``spcore instruments list|show`` and ``spcore score``.

The output of ``spcore score`` is a stable contract: every input column in
order, then ``score`` (the headline score), ``score_<name>`` for every score,
``band`` (headline band) and ``band_<name>`` for every banded score, and
``findings`` -- empty for a valid row, otherwise ``CODE severity: message``
entries separated by `` | `` (the form every spcore CSV uses). A bad row never
aborts the file: it is named on standard error (file:line, row, its first
cell, the finding), and a summary line ends the run.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import math
import sys
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np

from spcore.cli import EXIT_FINDINGS, EXIT_OK, CliError
from spcore.cli_output import add_output_option, check_target, is_stdout, neutralise, open_output
from spcore.csv_rows import not_utf8, open_csv_source
from spcore.findings import Finding, error
from spcore.instruments import codes
from spcore.instruments.definitions import InstrumentDefinition, Score
from spcore.instruments.engine import BatchResult, score_columns
from spcore.instruments.registry import INSTRUMENT_IDS, INSTRUMENTS
from spcore.wording import MAX_ROWS_PRINTED, by_code, count, findings_cell, row_line


def register(subparsers: Any) -> None:
    """Add ``instruments`` and ``score`` to the ``spcore`` command."""
    instruments = subparsers.add_parser(
        "instruments",
        help="list the outcome instruments or show one definition",
        description="Outcome instruments: their items, scores, bands and sources.",
    )
    sub = instruments.add_subparsers(dest="instruments_command", metavar="SUBCOMMAND")
    sub.required = True
    list_parser = sub.add_parser("list", help="list the instrument ids")
    list_parser.add_argument("--format", choices=("text", "json"), default="text")
    list_parser.set_defaults(handler=_list)
    show = sub.add_parser("show", help="show one instrument's definition")
    show.add_argument("instrument", metavar="ID", help="instrument id (see 'instruments list')")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=_show)

    score = subparsers.add_parser(
        "score",
        help="score a CSV of responses to an instrument",
        description=(
            "Score every row of IN.csv (columns named by the item ids from 'spcore instruments "
            "show ID'; for EQ-5D a single 'profile' column also works). The output keeps every "
            "input column and adds score, score_<name>, band, band_<name> and findings. "
            "Rows with problems are named on standard error. Exit status: 0 every row scored; "
            "1 some rows have findings and are not scored (the others are); 2 a file could not "
            "be read or written, or the command was misused."
        ),
    )
    score.add_argument("instrument", metavar="ID", help="instrument id")
    score.add_argument("input", metavar="IN.csv", help="input CSV file ('-' for stdin)")
    add_output_option(score, metavar="OUT.csv", required=True, help="output CSV ('-' for stdout)")
    score.add_argument("--value-set", metavar="NAME", help="EQ-5D value set (default per version)")
    score.set_defaults(handler=_score)


def _definition(instrument_id: str) -> InstrumentDefinition:
    from spcore.instruments.scoring import _resolve

    inst = _resolve(instrument_id)
    if inst is None:
        raise CliError(
            f"unknown instrument {instrument_id!r}; choose one of {', '.join(INSTRUMENT_IDS)}"
        )
    return inst.definition


def _list(args: argparse.Namespace) -> int:
    if args.format == "json":
        rows = [
            {
                "id": inst.id,
                "name": inst.definition.name,
                "headline_score": inst.definition.headline,
            }
            for inst in INSTRUMENTS.values()
        ]
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    width = max(len(i) for i in INSTRUMENT_IDS)
    for inst in INSTRUMENTS.values():
        print(f"{inst.id:<{width}}  {inst.definition.name}")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    definition = _definition(args.instrument)
    if args.format == "json":
        print(json.dumps(definition.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    from spcore.instruments.docs import render_markdown

    print(render_markdown(definition))
    return EXIT_OK


def output_columns(definition: InstrumentDefinition) -> list[str]:
    """The columns ``spcore score`` adds, in order."""
    columns = ["score"] + [f"score_{s.name}" for s in definition.scores]
    if definition.headline_score.bands:
        columns.append("band")
    columns += [f"band_{s.name}" for s in definition.scores if s.bands]
    return [*columns, "findings"]


def score_cells(
    definition: InstrumentDefinition,
    scores: Mapping[str, float | int | None],
    bands: Mapping[str, str | None],
) -> dict[str, str]:
    """One row's cells of the columns :func:`output_columns` names (the findings aside).

    ``scores`` and ``bands`` are by score name; a score not given, ``None`` or NaN is
    an empty cell, as is a band not given.
    """
    headline = definition.headline_score
    pairs = [("score", headline), *((f"score_{s.name}", s) for s in definition.scores)]
    cells = {}
    for column, score in pairs:
        value = scores.get(score.name)
        cells[column] = "" if value is None else format_value(float(value), score)
    banded = [("band", headline)] if headline.bands else []
    banded += [(f"band_{s.name}", s) for s in definition.scores if s.bands]
    for column, score in banded:
        cells[column] = bands.get(score.name) or ""
    return cells


def format_value(value: float, score: Score) -> str:
    """Write a score for CSV: whole numbers plain, others at their published decimals."""
    if math.isnan(value):
        return ""
    if score.integer:
        return str(int(value))
    if round(value, score.decimals) == value:
        return f"{value:.{score.decimals}f}"
    return repr(float(value))


def _read_csv(name: str) -> tuple[list[str], list[list[str]], list[int]]:
    """The header, the rows, and the line of the file each row ends on."""
    rows: list[list[str]] = []
    ends: list[int] = []
    with contextlib.ExitStack() as stack:
        try:
            stream = open_csv_source(stack, name)
        except OSError as exc:
            raise CliError(f"cannot read {name}: {exc.strerror or exc}") from None
        try:
            reader = csv.reader(stream)
            for row in reader:
                rows.append(row)
                ends.append(reader.line_num)
        except UnicodeDecodeError as exc:
            raise CliError(not_utf8(name, exc, what="answers")) from None
        except csv.Error as exc:
            raise CliError(f"{name} is not a readable CSV file: {exc}") from exc
    if not rows:
        raise CliError(f"{name} is empty; it needs a header row")
    return rows[0], rows[1:], ends[1:]


def _score(args: argparse.Namespace) -> int:
    definition = _definition(args.instrument)
    inst = INSTRUMENTS[definition.id]
    if args.value_set is not None and args.value_set not in definition.value_sets:
        available = ", ".join(definition.value_sets) or "none (it does not use value sets)"
        raise CliError(
            f"{definition.id} has no value set {args.value_set!r}; value sets: {available}"
        )
    if not is_stdout(args.output):
        check_target(args.output, inputs=[args.input])
    header, rows, ends = _read_csv(args.input)
    accepted = set(definition.item_ids) | set(inst.extra_inputs)
    if not accepted & set(header):
        raise CliError(
            f"{args.input} has none of the columns of {definition.id}; expected "
            f"{', '.join(definition.item_ids)}"
            + (f" or {', '.join(inst.extra_inputs)}" if inst.extra_inputs else "")
        )
    if len(set(header)) != len(header):
        raise CliError(f"{args.input} has repeated column names in its header")
    width = len(header)
    malformed = [len(row) > width for row in rows]
    padded = [(row + [""] * width)[:width] for row in rows]
    columns = {
        name: np.array([row[j] for row in padded], dtype=object) for j, name in enumerate(header)
    }
    result = score_columns(inst, columns, value_set=args.value_set, ignore_extra=True)
    added = output_columns(definition)
    out_rows, row_findings = _output_rows(definition, result, padded, malformed)
    _write_csv(args.output, header + added, out_rows, args.input)
    return _summarise(args, definition, padded, row_findings, ends)


def _summarise(
    args: argparse.Namespace,
    definition: InstrumentDefinition,
    rows: list[list[str]],
    row_findings: list[list[Finding]],
    ends: list[int],
) -> int:
    """Name each row with problems on standard error, then one summary line."""
    source = "standard input" if args.input == "-" else args.input
    bad = [index for index, found in enumerate(row_findings) if found]
    codes = Counter(f.code for index in bad for f in row_findings[index])
    for index in bad[:MAX_ROWS_PRINTED]:
        ident = rows[index][0] if rows[index] else ""
        for finding in row_findings[index]:
            print(row_line(source, ends[index], index + 1, ident[:40], finding), file=sys.stderr)
    if len(bad) > MAX_ROWS_PRINTED:
        more = len(bad) - MAX_ROWS_PRINTED
        print(
            f"{source}: and {count(more, 'more row')} with findings (each in the findings column)",
            file=sys.stderr,
        )
    where = "standard output" if args.output == "-" else args.output
    status = EXIT_FINDINGS if bad else EXIT_OK
    summary = (
        f"spcore: {count(len(rows), 'row')} read, {len(rows) - len(bad):,} scored "
        f"with {definition.id}"
    )
    if bad:
        summary += f", {len(bad):,} not scored ({by_code(codes)})"
    print(f"{summary}; written to {where} (exit status {status})", file=sys.stderr)
    return status


def _output_rows(
    definition: InstrumentDefinition,
    result: BatchResult,
    rows: list[list[str]],
    malformed: list[bool],
) -> tuple[list[list[str]], list[list[Finding]]]:
    out: list[list[str]] = []
    every: list[list[Finding]] = []
    added = output_columns(definition)[:-1]  # the findings column is written last, below
    for index, row in enumerate(rows):
        findings = list(result.findings[index])
        if malformed[index]:
            findings.append(
                error(
                    codes.MALFORMED_ROW,
                    "",
                    f"Row {index + 2} has more fields than the header; it was not scored.",
                )
            )
        bad = bool(findings)
        every.append(findings)
        scores = {} if bad else {n: float(v[index]) for n, v in result.scores.items()}
        bands = {} if bad else {n: v[index] for n, v in result.bands.items()}
        cells = score_cells(definition, scores, bands)
        out.append([*row, *(cells[c] for c in added), findings_cell(findings)])
    return out, every


def _write_csv(name: str, header: list[str], rows: list[list[str]], source: str) -> None:
    with open_output(name, inputs=[source], newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n" if is_stdout(name) else "\r\n")
        writer.writerow([neutralise(cell) for cell in header])
        writer.writerows([neutralise(cell) for cell in row] for row in rows)
