"""``spcore template`` and ``spcore convert``: returns as spreadsheets."""

from __future__ import annotations

import argparse
import sys

from spcore.cli import CliError
from spcore.cli_output import add_output_option, chosen_output
from spcore.spreadsheets.conversion import ConversionError, convert, write_template
from spcore.validation import render_reports
from spcore.validation.cli import report_unreadable


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``template`` and ``convert`` to the command line."""
    template = subparsers.add_parser(
        "template",
        help="write a fill-in quarterly return template (.xlsx or .csv)",
        description=(
            "Write an empty quarterly return to fill in: a workbook (.xlsx) with a README "
            "sheet, drop-down lists and descriptions, or the one-row-per-field CSV form."
        ),
    )
    template.add_argument(
        "old_output", nargs="?", metavar="OUT", help="(deprecated: use -o) file to write"
    )
    add_output_option(template, metavar="OUT", help="file to write (.xlsx or .csv)")
    template.set_defaults(handler=run_template)
    conversion = subparsers.add_parser(
        "convert",
        help="convert a quarterly return between .json, .xlsx and .csv",
        description=(
            "Convert a quarterly return between JSON, the workbook and the CSV form, without "
            "losing anything. The input is checked first: when it has errors they are listed "
            "and nothing is written. Exit status: 0 written, 1 errors found, 2 unreadable "
            "input or misuse."
        ),
    )
    conversion.add_argument("input", metavar="IN", help="return to read (.json, .xlsx, .csv)")
    conversion.add_argument(
        "old_output", nargs="?", metavar="OUT", help="(deprecated: use -o) file to write"
    )
    add_output_option(conversion, metavar="OUT", help="file to write (.json, .xlsx, .csv)")
    conversion.set_defaults(handler=run_convert)


def _output(args: argparse.Namespace, command: str) -> str:
    output = chosen_output(args, "old_output", command=command)
    if output is None or output == "-":
        raise CliError(f"name the file to write with -o (spcore {command} ... -o FILE)")
    return output


def run_template(args: argparse.Namespace) -> int:
    """Write the template; return the exit status."""
    args.output = _output(args, "template")
    try:
        write_template(args.output)
    except ConversionError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write '{args.output}': {exc.strerror or exc}") from None
    print(f"wrote {args.output}")
    return 0


def run_convert(args: argparse.Namespace) -> int:
    """Convert one return; return the exit status."""
    args.output = _output(args, "convert")
    try:
        report = convert(args.input, args.output)
    except ConversionError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        raise CliError(f"cannot write '{args.output}': {exc.strerror or exc}") from None
    if not report.is_valid or report.findings:
        sys.stdout.write(render_reports([report]))
    if report.is_valid:
        print(f"wrote {args.output}")
    report_unreadable([report])
    return 0 if report.is_valid else (2 if not report.readable else 1)
