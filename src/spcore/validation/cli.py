"""``spcore validate``: check quarterly returns and explain every problem."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from spcore.findings import Severity
from spcore.validation.report import ValidationReport
from spcore.validation.returns import validate_returns


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``validate`` to the command line."""
    parser = subparsers.add_parser(
        "validate",
        help="check quarterly returns against the standard",
        description=(
            "Check one or more quarterly returns (JSON) against the Common Outcomes Framework "
            "schema. Exit status: 0 no errors, 1 errors found, 2 a file could not be read."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="return files to check")
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="report format (default: text)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat warnings as errors for the exit status"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate each file and print the report; return the exit status."""
    reports = validate_returns(args.files)
    if args.format == "json":
        json.dump(
            {"reports": [r.to_dict() for r in reports]}, sys.stdout, indent=2, ensure_ascii=False
        )
        sys.stdout.write("\n")
    else:
        for report in reports:
            sys.stdout.write(render_text(report))
    return exit_status(reports, strict=args.strict)


def exit_status(reports: Sequence[ValidationReport], *, strict: bool = False) -> int:
    """2 if any file was unreadable, else 1 if any has errors (or warnings with strict), else 0."""
    if any(not r.readable for r in reports):
        return 2
    if any(r.errors for r in reports):
        return 1
    if strict and any(r.warnings for r in reports):
        return 1
    return 0


def render_text(report: ValidationReport) -> str:
    """A plain-text report: a verdict line, then one line per finding."""
    counts = report.counts()
    if not report.readable:
        verdict = "cannot be read"
    elif report.is_valid:
        verdict = "valid" if not counts["warning"] else "valid, with warnings"
    else:
        verdict = "NOT valid"
    lines = [
        f"{report.source}: {verdict} ({counts['error']} error(s), {counts['warning']} warning(s))"
    ]
    for finding in report.findings:
        mark = "ERROR" if finding.severity is Severity.ERROR else "warning"
        where = finding.path or "(whole document)"
        lines.append(f"  {mark} {finding.code} at {where}: {finding.message}")
    return "\n".join(lines) + "\n"
