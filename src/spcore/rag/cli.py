"""``spcore rag``: rate a CSV of safeguarding assessments, one row a case.

    spcore rag ASSESSMENTS.csv -o OUT.csv

Exit status: 0 every row was read cleanly; 1 some rows had cells that could
not be read (they are in the output, rated ``needs review``, with findings);
2 a file cannot be read or written, or the file has no header.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from typing import Any

from spcore.cli import EXIT_FINDINGS, EXIT_OK, CliError
from spcore.cli_output import check_target, is_stdout, open_output
from spcore.csv_rows import CsvInputError, not_utf8, open_csv_source
from spcore.rag.csvio import rate_csv


def register(subparsers: Any) -> None:
    """Add the ``rag`` sub-command."""
    parser = subparsers.add_parser(
        "rag",
        help="rate a CSV of safeguarding assessments red, amber or green, with reasons",
        description=(
            "Rate every row (one case) of ASSESSMENTS.csv red, amber or green "
            "(family-action-2018, 'Assessment and safeguarding') and add the rating, "
            "whether the case is beyond red, the duties, the reasons and any findings."
        ),
    )
    parser.add_argument(
        "assessments", metavar="ASSESSMENTS.csv", help="assessments to rate ('-' for stdin)"
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT.csv", help="where to write the result (default stdout)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Handle ``spcore rag``."""
    if not is_stdout(args.output):
        check_target(args.output, inputs=[args.assessments])
    with contextlib.ExitStack() as stack:
        try:
            source = open_csv_source(stack, args.assessments)
        except OSError as exc:
            raise CliError(
                f"cannot read the assessments file {args.assessments}: {exc.strerror or exc}"
            ) from None
        target = stack.enter_context(
            open_output(args.output, inputs=[args.assessments], newline="")
        )
        try:
            summary = rate_csv(source, target)
        except CsvInputError as exc:
            raise CliError(str(exc)) from None
        except UnicodeDecodeError as exc:
            raise CliError(not_utf8(args.assessments, exc, what="assessments")) from None
    for f in summary.header_findings:
        print(f"{args.assessments}{f.path}: {f.code} {f.severity}: {f.message}", file=sys.stderr)
    counts = ", ".join(f"{n} {rating}" for rating, n in sorted(summary.ratings.items()))
    print(
        f"spcore: {summary.rows} cases rated: {counts or 'none'}; "
        f"{summary.rows_with_findings} rows with findings",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if summary.rows_with_findings else EXIT_OK
