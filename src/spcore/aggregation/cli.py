"""``spcore aggregate``: build a quarterly return from a case-record extract.

    spcore aggregate CASES --quarter 2025-26Q2 [--facts FACTS.yaml] [--suppress [RULE]]
                     [--scheme ID] [-o RETURN.json | -o DIR/ | -o 'returns/{scheme}.json']
                     [--report REPORT.json]

A commissioner's extract of several schemes gives one return per scheme when
the output is a folder (``-o returns/``) or names ``{scheme}``; ``--scheme ID``
builds one scheme's return. ``--facts`` and ``--report`` may name ``{scheme}``
too. Exit status: 0 every return is complete and valid and every record was
used; 1 a return is incomplete or invalid; 2 a file cannot be read, the facts
file is invalid, or an option is wrong; 3 the returns are valid but records
were left out (each is reported).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from spcore.aggregation.aggregate import (
    AggregationResult,
    aggregate,
    aggregate_each,
    schemes_in,
)
from spcore.aggregation.columns import CaseColumns, read_columns
from spcore.aggregation.facts import SchemeFacts, load_facts
from spcore.aggregation.intake import RECORD_CODES
from spcore.aggregation.suppression import DEFAULT_RULE_ID, RuleError, SuppressionRule
from spcore.cli import EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL, EXIT_STATUSES, CliError
from spcore.cli_output import add_output_option, check_target, is_stdout, write_output
from spcore.findings import Finding, has_errors
from spcore.framework.periods import FinancialQuarter, QuarterError
from spcore.heap import keep_freed_memory
from spcore.validation.rules.personal import PERSONAL_DATA_CODES
from spcore.wording import by_code, count, print_findings


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
        help=(
            "also write what was derived, taken from facts, missing and left out (with one "
            "return per scheme: a folder or a name with {scheme} for one report each, else one "
            "file of every scheme's report)"
        ),
    )
    parser.add_argument(
        "--scheme",
        metavar="ID",
        help=(
            "build the return of this scheme only, from an extract of several schemes; the "
            "other schemes' records are counted apart, not left out"
        ),
    )
    parser.epilog = (
        "For an extract of several schemes, -o DIR/ (a folder) or -o 'returns/{scheme}.json' "
        "writes one return per scheme, and --facts 'facts/{scheme}.yaml' gives each its facts."
    )
    parser.set_defaults(handler=run)


#: What a file name holds in the place of the scheme's identifier.
SCHEME_FIELD = "{scheme}"


def per_scheme_output(target: str | None) -> bool:
    """True when ``-o`` asks for one return per scheme: a folder, or a name with ``{scheme}``."""
    if target is None or is_stdout(target):
        return False
    return SCHEME_FIELD in target or target.endswith(("/", os.sep)) or Path(target).is_dir()


def _compact(quarter: FinancialQuarter) -> str:
    """The quarter as written on the command line and in file names: ``2025-26Q2``."""
    return str(quarter).replace(" ", "")


def scheme_target(target: str, scheme: str, quarter: FinancialQuarter) -> str:
    """The file for ``scheme``'s return: the name with ``{scheme}`` filled in, or in the folder."""
    if SCHEME_FIELD in target:
        return target.replace(SCHEME_FIELD, scheme)
    return str(Path(target) / f"{scheme}-{_compact(quarter)}.json")


def _facts(path: str | None) -> SchemeFacts | None:
    if path is None:
        return None
    facts, findings = load_facts(path)
    if facts is not None:
        return facts
    _refuse_facts(path, findings)


def _refuse_facts(path: str, findings: list[Finding]) -> NoReturn:
    """Say why a facts file cannot be used (its findings first, when it could be read)."""
    unreadable = [f for f in findings if f.code == "SPC-F001"]
    if unreadable:
        raise CliError(f"the facts file {unreadable[0].message}")
    _print(path, findings)
    raise CliError(f"{path}: the facts file is invalid; no return was built")


def _other_scheme(path: str, facts: SchemeFacts, scheme: str) -> NoReturn:
    raise CliError(
        f"the facts file {path} is for scheme {facts.scheme.id}, not {scheme}; "
        f"no return was built for {scheme}"
    )


def _print(source: str, findings: list[Finding] | tuple[Finding, ...]) -> None:
    # A left-out record's message already says which line it is on.
    print_findings(
        source, findings, kept_in="--report", without_path=lambda f: f.code in RECORD_CODES
    )


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
    if per_scheme_output(args.output):
        if args.scheme is not None:
            raise CliError(
                "give --scheme or an output per scheme (a folder, or {scheme}), not both"
            )
        return _run_per_scheme(args, quarter, rule)
    if args.facts is not None and SCHEME_FIELD in args.facts:
        if args.scheme is None:
            raise CliError(
                "--facts names {scheme}: give --scheme, or an output per scheme (a folder, or "
                "{scheme})"
            )
        args.facts = args.facts.replace(SCHEME_FIELD, args.scheme)
    for option, value in (("-o", args.output), ("--report", args.report)):
        if value is not None and SCHEME_FIELD in value:
            raise CliError(f"{option} names {{scheme}} but -o does not write one return per scheme")
    inputs = [args.cases, args.facts]
    for target in (args.output, args.report):
        if not is_stdout(target):
            check_target(target, inputs=inputs)
    if args.report is not None and args.output is not None and args.report == args.output:
        raise CliError("-o and --report name the same file; give each its own")
    facts = _facts(args.facts)
    if facts is not None and args.scheme is not None and facts.scheme.id != args.scheme:
        _other_scheme(str(args.facts), facts, args.scheme)
    columns = _columns(args.cases)
    result = aggregate(columns, quarter, facts, suppress=rule, scheme=args.scheme)
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
    status = _summarise(args.cases, result, args.output)
    schemes = schemes_in(columns)
    if args.scheme is None and len(schemes) > 1:
        print(
            f"spcore: the extract holds records of {len(schemes)} schemes "
            f"({', '.join(schemes)}); give --scheme ID for one of them, or -o DIR/ for one "
            "return per scheme",
            file=sys.stderr,
        )
    elif args.scheme is not None and args.scheme not in schemes:
        print(f"spcore: the extract holds no record of scheme {args.scheme}", file=sys.stderr)
    return status


def _columns(path: str) -> CaseColumns:
    keep_freed_memory()  # this process reads the extract (see spcore.heap)
    columns = read_columns(path)
    summary = columns.summary
    if summary is not None and not summary.readable:
        first = summary.file_findings[0].message
        raise CliError(f"the case extract cannot be used: {first}")
    return columns


def _run_per_scheme(
    args: argparse.Namespace, quarter: FinancialQuarter, rule: SuppressionRule | None
) -> int:
    """One return per scheme of the extract, each written to its own file."""
    columns = _columns(args.cases)
    schemes = schemes_in(columns)
    if not schemes:
        read = columns.summary.read if columns.summary is not None else len(columns)
        raise CliError(
            f"the case extract holds no valid record ({count(read, 'record')} read), so no "
            f"scheme to write a return for; 'spcore cases check {args.cases}' says what is wrong "
            "with each"
        )
    facts_pattern: str | None = args.facts
    shared = None
    if facts_pattern is not None and SCHEME_FIELD not in facts_pattern:
        shared = _facts(facts_pattern)  # one scheme's facts: used for that scheme's return
    targets = {s: scheme_target(args.output, s, quarter) for s in schemes}
    reports = _report_targets(args.report, schemes, quarter)
    facts_files = {
        s: facts_pattern.replace(SCHEME_FIELD, s)
        for s in schemes
        if facts_pattern is not None and SCHEME_FIELD in facts_pattern
    }
    inputs: list[str | None] = [args.cases, facts_pattern, *facts_files.values()]
    for target in [*targets.values(), *(r for r in reports.values() if r is not None)]:
        check_target(target, inputs=inputs)
    if len(set(targets.values())) < len(targets):
        raise CliError("the output names the same file for several schemes; include {scheme}")
    files = [*targets.values(), *(r for r in reports.values() if r is not None)]
    if args.report is not None and not any(reports.values()) and not is_stdout(args.report):
        files.append(args.report)  # every scheme's report in one file
    if len({Path(f).resolve() for f in files}) < len(files):
        # One would be written over another: a return lost under a report, or the reverse.
        raise CliError("-o and --report name the same file; give each return and report its own")
    refused: list[Callable[[], NoReturn]] = []

    def jobs() -> Iterator[tuple[str, SchemeFacts | None]]:
        # A facts file is read when its scheme's turn comes near, but any fault in it is
        # reported in that turn, after the returns before it are written (as one by one).
        for scheme in schemes:
            facts = shared if shared is not None and shared.scheme.id == scheme else None
            path = facts_files.get(scheme)
            if path is not None:
                facts, findings = load_facts(path)
                if facts is None:
                    refused.append(functools.partial(_refuse_facts, path, findings))
                    return
                if facts.scheme.id != scheme:
                    refused.append(functools.partial(_other_scheme, path, facts, scheme))
                    return
            yield scheme, facts

    results: dict[str, AggregationResult] = {}
    with contextlib.closing(aggregate_each(columns, quarter, jobs(), suppress=rule)) as each:
        for scheme, result in each:
            results[scheme] = result
            flagged = sorted({f.code for f in result.validation.findings} & PERSONAL_DATA_CODES)
            if flagged:
                _summarise(f"{args.cases} ({scheme})", result, None)
                raise CliError(
                    f"the return of {scheme} holds what looks like personal data "
                    f"({', '.join(flagged)}); nothing more was written: remove it from the case "
                    "records or the facts file"
                )
            Path(targets[scheme]).parent.mkdir(parents=True, exist_ok=True)
            _write(targets[scheme], result.document, inputs)
            report = reports.get(scheme)
            if report is not None:
                Path(report).parent.mkdir(parents=True, exist_ok=True)
                _write(report, result.report(), inputs)
    if refused:
        refused[0]()
    if args.report is not None and not any(reports.values()):
        combined = {"returns": {s: r.report() for s, r in results.items()}}
        _write(args.report, combined, inputs)
    statuses = [
        _summarise(f"{args.cases} ({s})", r, targets[s], scheme=s) for s, r in results.items()
    ]
    status = (
        EXIT_FINDINGS
        if EXIT_FINDINGS in statuses
        else EXIT_PARTIAL
        if EXIT_PARTIAL in statuses
        else EXIT_OK
    )
    valid = sum(r.is_valid for r in results.values())
    print(
        f"spcore: {count(len(results), 'return')} for {quarter}, one per scheme: "
        f"{valid:,} valid, {len(results) - valid:,} with errors (exit status {status})",
        file=sys.stderr,
    )
    return status


def _report_targets(
    report: str | None, schemes: tuple[str, ...], quarter: FinancialQuarter
) -> dict[str, str | None]:
    """Each scheme's own report file, when ``--report`` is a folder or names ``{scheme}``."""
    if report is None or not per_scheme_output(report):
        return dict.fromkeys(schemes)
    return {
        s: (
            report.replace(SCHEME_FIELD, s)
            if SCHEME_FIELD in report
            else str(Path(report) / f"{s}-{_compact(quarter)}-report.json")
        )
        for s in schemes
    }


def _summarise(
    source: str, result: AggregationResult, output: str | None, *, scheme: str | None = None
) -> int:
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
    if result.records_other_schemes:
        counts += f", {result.records_other_schemes:,} of other schemes"
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
    about = f"{scheme}: " if scheme is not None else ""
    print(f"spcore: {about}{counts}; {verdict} (exit status {status})", file=sys.stderr)
    return status
