"""``spcore validate``: check quarterly returns and explain every problem."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from spcore.cli import CliError, one_line, renamed
from spcore.cli_output import add_output_option, check_target, is_stdout, write_output
from spcore.validation.rendering import FORMATS, render_reports
from spcore.validation.report import DEFAULT_MAX_PER_GROUP, ValidationReport
from spcore.validation.returns import validate_returns
from spcore.wording import count


def _occurrences(text: str) -> int:
    """``--max-per-group``: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 (show all) or more")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``validate`` to the command line."""
    parser = subparsers.add_parser(
        "validate",
        help="check quarterly returns against the standard",
        description=(
            "Check one or more quarterly returns against the Common Outcomes Framework. "
            "Findings are grouped by rule and field. Exit status: 0 no errors, 1 errors found "
            "(or warnings, with --strict), 2 a file could not be read or the report not written."
        ),
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="return files to check: .json, .xlsx or .csv (as written by 'spcore template')",
    )
    parser.add_argument(
        "--as-of",
        "--today",
        dest="today",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        action=renamed("--today", "--as-of"),
        help="the date to judge 'in the future' against (default: today's date; "
        "--today is the older spelling)",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=FORMATS[0],
        help="report format: text, json (machine-readable) or html (one self-contained page); "
        "default text",
    )
    add_output_option(parser, help="write the report to FILE instead of the screen")
    parser.add_argument(
        "--max-per-group",
        type=_occurrences,
        default=DEFAULT_MAX_PER_GROUP,
        metavar="N",
        help=f"occurrences shown for each group of findings (default {DEFAULT_MAX_PER_GROUP}; "
        "0 shows all; JSON always lists all)",
    )
    parser.add_argument(
        "--color",
        "--colour",
        dest="colour",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the text report: auto (on a terminal, unless NO_COLOR is set), "
        "always or never",
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors for the exit status"
    )
    parser.add_argument(
        "--annotate",
        metavar="CHECKED.xlsx",
        help="for one .xlsx return: also write a copy with a Findings sheet, and each cell a "
        "finding is about highlighted with the finding as a comment",
    )
    parser.set_defaults(handler=run)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def use_colour(choice: str, stream: TextIO) -> bool:
    """Whether to colour text written to ``stream`` (https://no-color.org for NO_COLOR)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def run(args: argparse.Namespace) -> int:
    """Validate each file and write the report; return the exit status."""
    if not is_stdout(args.output):
        check_target(args.output, inputs=args.files)
    if args.annotate is not None:
        if len(args.files) != 1 or not args.files[0].lower().endswith(".xlsx"):
            raise CliError("--annotate writes a copy of one workbook: give exactly one .xlsx file")
        if not args.annotate.lower().endswith(".xlsx"):
            raise CliError("--annotate needs a file name ending in .xlsx")
        check_target(args.annotate, inputs=args.files)
    reports = validate_returns(args.files, today=args.today)
    if args.annotate is not None and reports[0].readable:
        _annotate(args.files[0], args.annotate, reports[0])
    to_screen = is_stdout(args.output)
    colour = args.format == "text" and to_screen and use_colour(args.colour, sys.stdout)
    text = render_reports(
        reports, args.format, max_per_group=args.max_per_group or None, colour=colour
    )
    write_output(args.output, text, inputs=args.files)
    report_unreadable(reports)
    return exit_status(reports, strict=args.strict)


def _annotate(source: str, target: str, report: ValidationReport) -> None:
    from spcore.spreadsheets.annotate import annotate_workbook

    try:
        marked = annotate_workbook(source, target, report)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CliError(f"cannot write the annotated workbook '{target}': {reason}") from None
    print(
        f"spcore: wrote {target}: {count(len(report.findings), 'finding')}, "
        f"{count(marked, 'cell')} marked",
        file=sys.stderr,
    )


def report_unreadable(reports: Sequence[ValidationReport]) -> None:
    """Say on standard error, one line each, why a file could not be read (exit status 2)."""
    for report in reports:
        if not report.readable:
            reason = report.errors[0].message if report.errors else "it cannot be read"
            print(f"spcore: error: {report.source}: {one_line(reason)}", file=sys.stderr)


def exit_status(reports: Sequence[ValidationReport], *, strict: bool = False) -> int:
    """2 if any file was unreadable, else 1 if any has errors (or warnings with strict), else 0."""
    if any(not r.readable for r in reports):
        return 2
    if any(r.errors for r in reports):
        return 1
    if strict and any(r.warnings for r in reports):
        return 1
    return 0
