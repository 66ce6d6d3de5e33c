"""``spcore validate``: check quarterly returns and explain every problem."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from spcore.cli import CliError, renamed
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
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE instead of the screen",
    )
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
    if args.output is not None:
        refuse_to_overwrite_input(Path(args.output), args.files)
    if args.annotate is not None:
        if len(args.files) != 1 or not args.files[0].lower().endswith(".xlsx"):
            raise CliError("--annotate writes a copy of one workbook: give exactly one .xlsx file")
        if not args.annotate.lower().endswith(".xlsx"):
            raise CliError("--annotate needs a file name ending in .xlsx")
        refuse_to_overwrite_input(Path(args.annotate), args.files)
    reports = validate_returns(args.files, today=args.today)
    if args.annotate is not None and reports[0].readable:
        _annotate(args.files[0], args.annotate, reports[0])
    colour = args.format == "text" and args.output is None and use_colour(args.colour, sys.stdout)
    text = render_reports(
        reports, args.format, max_per_group=args.max_per_group or None, colour=colour
    )
    if args.output is None:
        sys.stdout.write(text)
    else:
        write_report(Path(args.output), text)
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


def refuse_to_overwrite_input(output: Path, files: Sequence[str]) -> None:
    """Raise :class:`CliError` when ``output`` is one of the returns being checked."""
    for name in files:
        try:
            same = output.exists() and output.samefile(name)
        except OSError:
            continue  # an unreadable input is reported as a finding, not here
        if same:
            raise CliError(f"the report would overwrite the return '{name}'; choose another -o")


def write_report(path: Path, text: str) -> None:
    """Write a report to ``path`` as UTF-8, or raise :class:`CliError` saying why not."""
    try:
        with path.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise CliError(f"cannot write the report to '{path}': {reason}") from None


def exit_status(reports: Sequence[ValidationReport], *, strict: bool = False) -> int:
    """2 if any file was unreadable, else 1 if any has errors (or warnings with strict), else 0."""
    if any(not r.readable for r in reports):
        return 2
    if any(r.errors for r in reports):
        return 1
    if strict and any(r.warnings for r in reports):
        return 1
    return 0
