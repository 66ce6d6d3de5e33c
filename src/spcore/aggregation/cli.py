"""``spcore aggregate``: build a quarterly return from a case-record extract.

    spcore aggregate CASES --quarter 2025-26Q2 [--facts FACTS.yaml] [--suppress [RULE]]
                     [-o RETURN.json] [--report REPORT.json]

Exit status: 0 the return is complete and valid and every record was used;
1 the return is incomplete or invalid, or records were left out (each is
reported); 2 a file cannot be read, the facts file is invalid, or an option
is wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import attrs

from spcore.aggregation.aggregate import AggregationResult, aggregate
from spcore.aggregation.columns import read_columns
from spcore.aggregation.facts import SchemeFacts, load_facts
from spcore.aggregation.intake import RECORD_CODES
from spcore.aggregation.suppression import DEFAULT_RULE_ID, RuleError, SuppressionRule
from spcore.cli import EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL, EXIT_STATUSES, CliError
from spcore.cli_output import add_output_option, check_target, is_stdout, write_output
from spcore.findings import Finding, has_errors
from spcore.framework.periods import FinancialQuarter, QuarterError
from spcore.validation.rules.personal import PERSONAL_DATA_CODES
from spcore.wording import by_code, count, finding_line

#: Findings printed to the terminal before "and N more".
MAX_PRINTED = 20


def register(subparsers: Any) -> None:
    """Add the ``aggregate`` sub-command."""
    parser = subparsers.add_parser(
        "aggregate",
        help="build a quarterly return from case records, with optional suppression",
        description=(
            "Add up a case-record extract (NDJSON or CSV) into the quarterly return for one "
            "quarter, merge the scheme's own facts, and optionally apply small-number "
            "suppression. The return is validated before it is written. "
            + EXIT_STATUSES.replace("the input has errors", "the return built has errors")
        ),
    )
    parser.add_argument("cases", metavar="CASES", help="case-record extract (.ndjson, .csv)")
    parser.add_argument(
        "--quarter", required=True, metavar="QUARTER", help="the quarter, e.g. 2025-26Q2"
    )
    parser.add_argument(
        "--facts", metavar="FACTS", help="scheme-facts file (.yaml or .json): scheme, staff, money"
    )
    parser.add_argument(
        "--suppress",
        nargs="?",
        const=DEFAULT_RULE_ID,
        default=None,
        metavar="RULE",
        help=(
            f"apply small-number suppression: {DEFAULT_RULE_ID} (the default: withhold 1-7, "
            "round to the nearest 5) or THRESHOLD:BASE such as 9:5"
        ),
    )
    add_output_option(
        parser, metavar="RETURN.json", help="where to write the return (default: standard output)"
    )
    parser.add_argument(
        "--report",
        metavar="REPORT.json",
        help="also write what was derived, taken from facts, missing and left out",
    )
    parser.set_defaults(handler=run)


def _facts(path: str | None) -> SchemeFacts | None:
    if path is None:
        return None
    facts, findings = load_facts(path)
    if facts is not None:
        return facts
    unreadable = [f for f in findings if f.code == "SPC-F001"]
    if unreadable:
        raise CliError(f"the facts file {unreadable[0].message}")
    _print(path, findings)
    raise CliError(f"{path}: the facts file is invalid; no return was built")


def _print(source: str, findings: list[Finding] | tuple[Finding, ...]) -> None:
    for f in findings[:MAX_PRINTED]:
        # A left-out record's message already says which line it is on.
        shown = attrs.evolve(f, path="") if f.code in RECORD_CODES else f
        print(finding_line(source, shown), file=sys.stderr)
    if len(findings) > MAX_PRINTED:
        more = len(findings) - MAX_PRINTED
        print(f"{source}: and {count(more, 'more finding')} (all in --report)", file=sys.stderr)


def _write(path: str | None, data: Any, inputs: list[str | None]) -> None:
    write_output(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n", inputs=inputs)


def run(args: argparse.Namespace) -> int:
    """Handle ``spcore aggregate``."""
    try:
        quarter = FinancialQuarter.parse(args.quarter)
    except QuarterError as exc:
        raise CliError(f"--quarter: {exc}") from None
    try:
        rule = SuppressionRule.parse(args.suppress) if args.suppress is not None else None
    except RuleError as exc:
        raise CliError(f"--suppress: {exc}") from None
    inputs = [args.cases, args.facts]
    for target in (args.output, args.report):
        if not is_stdout(target):
            check_target(target, inputs=inputs)
    if args.report is not None and args.output is not None and args.report == args.output:
        raise CliError("-o and --report name the same file; give each its own")
    facts = _facts(args.facts)
    columns = read_columns(args.cases)
    summary = columns.summary
    if summary is not None and not summary.readable:
        first = summary.file_findings[0].message
        raise CliError(f"the case extract cannot be used: {first}")
    result = aggregate(columns, quarter, facts, suppress=rule)
    flagged = sorted({f.code for f in result.validation.findings} & PERSONAL_DATA_CODES)
    if flagged:
        # A return is published; one holding what looks like personal data is never written.
        _summarise(args.cases, result, None)
        raise CliError(
            f"the return holds what looks like personal data ({', '.join(flagged)}); "
            "nothing was written: remove it from the case records or the facts file"
        )
    _write(args.output, result.document, inputs)
    if args.report:
        _write(args.report, result.report(), inputs)
    return _summarise(args.cases, result, args.output)


def _summarise(source: str, result: AggregationResult, output: str | None) -> int:
    _print(source, result.findings)
    _print("return", result.validation.findings)
    where = "written to standard output" if output in (None, "-") else f"written to {output}"
    counts = (
        f"{count(result.records_read, 'record')} read, {result.records_used:,} used, "
        f"{result.records_skipped:,} left out"
    )
    if result.skipped_by_code:
        counts += f" ({by_code(result.skipped_by_code)})"
    if result.records_comparison:
        counts += (
            f", {count(result.records_comparison, 'comparison record')} held for evaluation "
            "and not counted"
        )
    if not result.is_valid:
        verdict = f"the {result.quarter} return has errors"
        if result.missing:
            verdict += " (incomplete: " + ", ".join(sorted(result.missing)) + ")"
        status = EXIT_FINDINGS
    elif result.records_skipped or has_errors(result.findings):
        verdict = f"the {result.quarter} return is valid and {where}, but records were left out"
        status = EXIT_PARTIAL
    else:
        verdict = f"the {result.quarter} return is valid and {where}"
        status = EXIT_OK
    print(f"spcore: {counts}; {verdict} (exit status {status})", file=sys.stderr)
    return status
