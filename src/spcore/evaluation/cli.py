"""``spcore evaluate``: the impact figures of a case extract, as a report, JSON and tables.

    spcore evaluate CASES [--quarter Q | --from DATE --to DATE] [--by FIELD]...
                    [--unit-costs FILE [--price-year YEAR --price-index FILE]] [--sroi FILE]
                    [--suppress [RULE]] [-o REPORT.html] [--json OUT.json] [--tables DIR]

Exit status: 0 written and every record used; 1 a unit-cost, price index or
SROI file has errors (the rest is written without what it gives); 2 the
extract cannot be read or an option is wrong; 3 written, but records were left
out (each is reported).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import attrs

from spcore.aggregation.columns import read_columns
from spcore.aggregation.suppression import DEFAULT_RULE_ID, RuleError, SuppressionRule
from spcore.cli import EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL, EXIT_STATUSES, CliError
from spcore.cli_output import check_target, write_output
from spcore.evaluation.cohort import BREAKDOWNS
from spcore.evaluation.evaluate import Evaluation, EvaluationError, evaluate
from spcore.evaluation.extras import MissingExtraError, require
from spcore.findings import Finding, has_errors
from spcore.heap import keep_freed_memory
from spcore.wording import by_code, count, print_findings


def register(subparsers: Any) -> None:
    """Add the ``evaluate`` sub-command."""
    parser = subparsers.add_parser(
        "evaluate",
        help="impact figures from case records: outcomes, progress, report, JSON, tables",
        description=(
            "Evaluate a case-record extract (NDJSON or CSV): paired outcome change per "
            "instrument score with 95% intervals, effect sizes and tests, Rotherham-style "
            "progress, service use before and after referral (against a comparison cohort "
            "when the extract has one), its costs and a social return on investment, broken "
            "down by the fields asked for, as a self-contained HTML report, a versioned JSON "
            "document and tidy CSV tables. "
            + EXIT_STATUSES.replace("the input has errors", "an input file has errors")
        ),
    )
    parser.add_argument("cases", metavar="CASES", help="case-record extract (.ndjson, .csv)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument(
        "--quarter", metavar="QUARTER", help="evaluate people referred in this quarter (2025-26Q2)"
    )
    when.add_argument(
        "--from", dest="start", metavar="DATE", help="people referred on or after DATE"
    )
    parser.add_argument("--to", dest="end", metavar="DATE", help="people referred up to DATE")
    parser.add_argument(
        "--by",
        action="append",
        default=[],
        choices=list(BREAKDOWNS),
        metavar="FIELD",
        help="break every figure down by FIELD (repeatable): " + ", ".join(BREAKDOWNS),
    )
    parser.add_argument(
        "--unit-costs",
        metavar="FILE",
        help="unit costs (CSV: service,unit,cost,price_year,source) to cost service use",
    )
    parser.add_argument(
        "--price-year",
        metavar="YEAR",
        help="bring every unit cost to this price year (2025-26), with --price-index",
    )
    parser.add_argument(
        "--price-index", metavar="FILE", help="price index (CSV: year,index) for --price-year"
    )
    parser.add_argument(
        "--sroi",
        metavar="FILE",
        help="SROI assumptions (YAML or JSON): investment, outcomes, proxies, shares",
    )
    parser.add_argument(
        "--suppress",
        nargs="?",
        const=DEFAULT_RULE_ID,
        default=None,
        metavar="RULE",
        help=(
            f"small-number suppression of every published count: {DEFAULT_RULE_ID} (the "
            "default: withhold 1-7, round to the nearest 5) or THRESHOLD:BASE such as 9:5"
        ),
    )
    parser.add_argument(
        "-o", "--output", metavar="REPORT.html", help="write the HTML report (needs spcore[report])"
    )
    parser.add_argument("--json", metavar="OUT.json", help="write the figures as JSON")
    parser.add_argument(
        "--tables", metavar="DIR", help="write tidy long CSV tables, one per section, into DIR"
    )
    parser.set_defaults(handler=run)


def _print(source: str, findings: tuple[Finding, ...] | list[Finding]) -> None:
    # A left-out record's message already says which line it is on.
    print_findings(source, findings, kept_in="--json", without_path=lambda f: True)


def _targets(args: argparse.Namespace) -> list[str]:
    targets = [t for t in (args.output, args.json) if t is not None]
    if not targets and args.tables is None:
        raise CliError("name an output: -o REPORT.html, --json OUT.json or --tables DIR")
    if len(set(targets)) < len(targets):
        raise CliError("-o and --json name the same file; give each its own")
    for target in targets:
        if target != "-":
            check_target(target, inputs=[args.cases, args.unit_costs, args.price_index, args.sroi])
    if args.tables is not None and Path(args.tables).exists() and not Path(args.tables).is_dir():
        raise CliError(f"--tables: '{args.tables}' is a file; name a folder")
    return targets


def run(args: argparse.Namespace) -> int:
    """Handle ``spcore evaluate``."""
    if args.end is not None and args.quarter is not None:
        raise CliError("--to cannot be given with --quarter; give --from and --to, or --quarter")
    try:
        rule = SuppressionRule.parse(args.suppress) if args.suppress is not None else None
    except RuleError as exc:
        raise CliError(f"--suppress: {exc}") from None
    _targets(args)
    if args.output is not None:
        # Fail before the work, not after it, when the report's libraries are missing.
        try:
            require("matplotlib")
        except MissingExtraError as exc:
            raise CliError(f"-o: {exc}") from None
    keep_freed_memory()  # this process reads the extract (see spcore.heap)
    columns = read_columns(args.cases)
    summary = columns.summary
    if summary is not None and not summary.readable:
        raise CliError(f"the case extract cannot be used: {summary.file_findings[0].message}")
    try:
        result = evaluate(
            columns,
            quarter=args.quarter,
            start=args.start,
            end=args.end,
            by=args.by,
            unit_costs=args.unit_costs,
            price_year=args.price_year,
            price_index=args.price_index,
            sroi=args.sroi,
            suppress=rule,
        )
    except EvaluationError as exc:
        raise CliError(str(exc)) from None
    result = _named(result, args.cases)
    document = result.to_dict()
    _write(args, document)
    return _summarise(args.cases, result, document)


def _named(result: Evaluation, cases: str) -> Evaluation:
    return attrs.evolve(result, source=Path(cases).name)


def _write(args: argparse.Namespace, document: dict[str, Any]) -> None:
    given = (args.cases, args.unit_costs, args.price_index, args.sroi)
    inputs: list[str] = [name for name in given if name is not None]
    if args.json is not None:
        text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
        write_output(args.json, text, inputs=inputs)
    if args.tables is not None:
        from spcore.evaluation.tables import write_tables

        write_tables(document, args.tables, inputs=inputs)
    if args.output is not None:
        from spcore.evaluation.report_html import render

        write_output(args.output, render(document), inputs=inputs)


def _summarise(source: str, result: Evaluation, document: dict[str, Any]) -> int:
    _print(source, result.findings)
    if result.input_findings:
        # A unit-cost or SROI problem names its file in the message, with its line.
        _print("input", result.input_findings)
    intake = result.intake
    left = sum(intake.left_out.values())
    counts = (
        f"{count(intake.read, 'record')} read, {len(intake.rows):,} people evaluated, "
        f"{left:,} left out"
    )
    if intake.left_out:
        counts += f" ({by_code(intake.left_out)})"
    figures = len(document["outcomes"])
    services = len((document.get("service_use") or {}).get("figures", ()))
    done = f"{count(figures, 'outcome score')} and {count(services, 'service')} evaluated"
    if document.get("sroi"):
        done += f"; SROI £{document['sroi']['ratio']:.2f} per £1"
    if has_errors(result.input_findings):
        status = EXIT_FINDINGS
        done += "; an input file has errors, so what it gives is left out"
    else:
        status = EXIT_PARTIAL if left else EXIT_OK
    print(f"spcore: {counts}; {done} (exit status {status})", file=sys.stderr)
    return status
