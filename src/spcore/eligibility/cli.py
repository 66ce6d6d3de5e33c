"""``spcore eligibility``: check a rule file and evaluate a CSV of people against it.

    spcore eligibility --rules RULES.yaml PEOPLE.csv -o OUT.csv [--as-of YYYY-MM-DD]
    spcore eligibility --rules RULES.yaml            # check the rule file only

Exit status: 0 every row was read cleanly; 1 some rows had unreadable cells
(they are still in the output, with findings); 2 the rule file is invalid
(its findings are printed and no person is evaluated) or a file cannot be
read.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from typing import Any

from spcore.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError
from spcore.cli_output import add_output_option, check_target, is_stdout, open_output
from spcore.csv_rows import CsvInputError, not_utf8, open_csv_source
from spcore.eligibility.csvio import evaluate_csv
from spcore.eligibility.loading import load_rules
from spcore.findings import Finding
from spcore.wording import by_code, count, row_line


def register(subparsers: Any) -> None:
    """Add the ``eligibility`` sub-command."""
    parser = subparsers.add_parser(
        "eligibility",
        help="decide referral eligibility for a CSV of people, with reasons",
        description=(
            "Check an eligibility rule file and, given PEOPLE.csv, add decision and reason "
            "columns to every row. Without PEOPLE.csv only the rule file is checked. Rows with "
            "problems are named on standard error (file:line, row, reference, finding). "
            "Exit status: 0 every row decided without findings; 1 some rows have findings (each "
            "row is still decided); 2 the rule file is invalid, a file could not be read or "
            "written, or the command was misused."
        ),
    )
    parser.add_argument(
        "--rules", required=True, metavar="RULES", help="rule file (.yaml, .yml or .json)"
    )
    parser.add_argument(
        "people", nargs="?", metavar="PEOPLE.csv", help="people to evaluate ('-' for stdin)"
    )
    add_output_option(
        parser, metavar="OUT.csv", help="where to write the result (default: standard output)"
    )
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help="evaluation date for ages and discharge windows (default: today)",
    )
    parser.set_defaults(handler=run)


def _print_findings(source: str, findings: list[Finding]) -> None:
    for f in findings:
        print(f"{source}{f.path}: {f.code} {f.severity}: {f.message}", file=sys.stderr)


def _as_of(text: str | None) -> dt.date:
    if text is None:
        # The command line, not the engine, supplies "today" as the default.
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CliError(f"--as-of must be a date written YYYY-MM-DD, not {text!r}") from None


def run(args: argparse.Namespace) -> int:
    """Handle ``spcore eligibility``."""
    as_of = _as_of(args.as_of)
    if not is_stdout(args.output):
        check_target(args.output, inputs=[args.people, args.rules])
    try:
        rules, findings = load_rules(args.rules)
    except OSError as exc:
        raise CliError(f"cannot read the rule file {args.rules}: {exc.strerror or exc}") from None
    if rules is None:
        _print_findings(args.rules, findings)
        print(
            f"spcore: {args.rules}: the rule file is invalid; no person was evaluated",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.people is None:
        print(f"{args.rules}: valid rule set '{rules.id}' ({len(rules.criteria())} criteria)")
        return EXIT_OK
    with contextlib.ExitStack() as stack:
        try:
            source = open_csv_source(stack, args.people)
        except OSError as exc:
            raise CliError(
                f"cannot read the people file {args.people}: {exc.strerror or exc}"
            ) from None
        target = stack.enter_context(
            open_output(args.output, inputs=[args.people, args.rules], newline="")
        )
        try:
            summary = evaluate_csv(rules, source, target, as_of=as_of)
        except CsvInputError as exc:
            raise CliError(str(exc)) from None
        except UnicodeDecodeError as exc:
            raise CliError(not_utf8(args.people, exc, what="people")) from None
    _print_findings(args.people, summary.header_findings)
    source_name = "standard input" if args.people == "-" else args.people
    for problem in summary.problems:
        for finding in problem.findings:
            line = row_line(source_name, problem.line, problem.row, problem.ident, finding)
            print(line, file=sys.stderr)
    more = summary.rows_with_findings - len(summary.problems)
    if more > 0:
        print(
            f"{source_name}: and {count(more, 'more row')} with findings "
            "(each in the eligibility_findings column)",
            file=sys.stderr,
        )
    counts = ", ".join(f"{n:,} {outcome}" for outcome, n in sorted(summary.outcomes.items()))
    status = EXIT_FINDINGS if summary.rows_with_findings else EXIT_OK
    with_findings = count(summary.rows_with_findings, "row") + " with findings"
    if summary.findings_by_code:
        with_findings += f" ({by_code(summary.findings_by_code)})"
    print(
        f"spcore: {count(summary.rows, 'person')} evaluated as of {as_of}: {counts or 'none'}; "
        f"{with_findings} (exit status {status})",
        file=sys.stderr,
    )
    return status
