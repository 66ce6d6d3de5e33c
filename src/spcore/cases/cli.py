"""``spcore cases`` (check an extract, show its CSV columns) and ``spcore synth cases``.

    spcore cases check EXTRACT [--format text|json] [--input-format ndjson|csv]
    spcore cases columns
    spcore synth cases N --seed S [-o FILE] [--format ndjson|csv] [--invalid-share 0.02]
                       [--service-use-effect [SERVICE=]CHANGE ...] [--comparison-share 0.3] ...

``cases check`` exit status: 0 every record accepted; 1 some records were
rejected; 2 the extract could not be read (or the command was misused).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from spcore.cases import csv_layout
from spcore.cases.codes import CASE_CODES
from spcore.cases.extracts import (
    ExtractItem,
    ExtractSummary,
    check_extract,
    detect_format,
    read_extract,
)
from spcore.cases.synth import (
    COMPARISON_COHORTS,
    DEFAULT_SCHEMES,
    DEFAULT_SERVICE_USE_EFFECT,
    IMPROVED_SHARE,
    INVALID_KINDS,
    ServiceUseModel,
    SynthStats,
    write_synthetic_extract,
)
from spcore.cli import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CliError, one_line, renamed
from spcore.cli_output import add_output_option, check_target, is_stdout, open_output, write_output
from spcore.findings import Finding, Severity
from spcore.heap import keep_freed_memory
from spcore.validation.schema_findings import SCHEMA_CODES

_MEANINGS = {**CASE_CODES, **SCHEMA_CODES}


def register(subparsers: Any) -> None:
    """Add the ``cases`` and ``synth`` sub-commands."""
    cases = subparsers.add_parser(
        "cases",
        help="check case-record extracts (NDJSON or CSV)",
        description="Read and validate case-record extracts, one case per line or row.",
    )
    actions = cases.add_subparsers(dest="cases_command", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check",
        help="validate every record of an extract and summarise what was rejected",
        description=(
            "Validate every record of an NDJSON (.ndjson, .jsonl) or CSV (.csv) extract, "
            "optionally gzip-compressed (.gz). Prints how many records were read, accepted "
            "and rejected, and the first rejected records for each finding code. Exit status: "
            "0 all accepted, 1 some rejected, 2 the file cannot be read."
        ),
    )
    check.add_argument("extract", metavar="EXTRACT", help="the extract file")
    check.add_argument(
        "--format", choices=("text", "json"), default="text", help="report format (default: text)"
    )
    check.add_argument(
        "--input-format",
        choices=("ndjson", "csv"),
        help="the extract's format (default: from the file name)",
    )
    check.add_argument(
        "--max-per-group",
        "--examples",
        dest="examples",
        type=int,
        default=5,
        metavar="N",
        action=renamed("--examples", "--max-per-group"),
        help="rejected records shown per finding code (default: 5; --examples is the older "
        "spelling)",
    )
    add_output_option(check, help="write the report to FILE instead of the screen")
    check.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show progress on standard error (default: only at a terminal)",
    )
    check.add_argument(
        "--directory",
        metavar="DIR",
        help="an Open Referral UK directory: every directory_id must name one of its services",
    )
    check.set_defaults(handler=run_check)
    columns = actions.add_parser(
        "columns",
        help="list the columns of the CSV layout",
        description="List the CSV extract columns, derived from the case-record schema.",
    )
    columns.set_defaults(handler=run_columns)

    synth = subparsers.add_parser(
        "synth",
        help="write synthetic data (case extracts)",
        description="Write synthetic, deterministic data for testing and benchmarking.",
    )
    kinds = synth.add_subparsers(dest="synth_command", metavar="KIND")
    kinds.required = True
    synth_cases = kinds.add_parser(
        "cases",
        help="a synthetic case-record extract",
        description=(
            "Write N synthetic case records for one NHS financial year. The same seed gives "
            "byte-identical output. --invalid-share makes that share of records invalid, in "
            f"one of these ways: {', '.join(INVALID_KINDS)}."
        ),
    )
    synth_cases.add_argument("n", type=int, metavar="N", help="number of records")
    synth_cases.add_argument("--seed", type=int, required=True, help="random seed")
    add_output_option(synth_cases, help="output file (.gz compresses; default: standard output)")
    synth_cases.add_argument(
        "--format",
        choices=("ndjson", "csv"),
        help="output format (default: from the output name, else ndjson)",
    )
    synth_cases.add_argument(
        "--invalid-share",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of records made invalid, 0 to 1 (default: 0)",
    )
    _year_and_scheme(synth_cases)
    _effects(synth_cases)
    synth_cases.set_defaults(handler=run_synth)

    identifiable = kinds.add_parser(
        "identifiable",
        help="a synthetic identifiable extract, to try pseudonymisation",
        description=(
            "Write N synthetic identifiable case records (NDJSON), as a scheme's own system "
            "holds them: a local case reference, an NHS number from the 999 test range, a "
            "fictional name, date of birth and postcode. The cases are those of 'synth cases' "
            "with the same seed; every record pseudonymises cleanly ('spcore pseudonymise'). "
            "Exit status: 0 written, 2 misuse or the file could not be written."
        ),
    )
    identifiable.add_argument("n", type=int, metavar="N", help="number of records")
    identifiable.add_argument("--seed", type=int, required=True, help="random seed")
    add_output_option(identifiable, help="output file (.gz compresses; default: standard output)")
    _year_and_scheme(identifiable)
    identifiable.set_defaults(handler=run_synth_identifiable)


def _effects(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "service use, comparison people and true effects",
        "The generative model, with its true effects, is in docs/case-extracts.md "
        "(Synthetic extracts).",
    )
    group.add_argument(
        "--service-use-effect",
        action="append",
        default=[],
        metavar="[SERVICE=]CHANGE",
        help=(
            "relative change in expected service use after referral for people referred: "
            "-0.2 for every service, or SERVICE=-0.2 for one (repeatable, applied in order; "
            "default: the published changes, GP -0.60, A&E -0.17, admissions and bed days "
            "-0.07, others 0)"
        ),
    )
    group.add_argument(
        "--service-use-trend",
        type=float,
        default=0.0,
        metavar="CHANGE",
        help="relative change after the index date shared by everyone (default: 0)",
    )
    group.add_argument(
        "--service-use-share",
        type=float,
        default=0.9,
        metavar="SHARE",
        help="share of cases and comparison people with service use (default: 0.9)",
    )
    group.add_argument(
        "--service-use-months",
        type=int,
        nargs="+",
        default=[12],
        metavar="MONTHS",
        help="window lengths before and after the index date, multiples of 6 (default: 12)",
    )
    group.add_argument(
        "--comparison-share",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of records that are comparison people, not cases (default: 0)",
    )
    group.add_argument(
        "--comparison-cohort",
        choices=COMPARISON_COHORTS,
        default=COMPARISON_COHORTS[0],
        help="which comparison people (default: comparison-not-referred)",
    )
    group.add_argument(
        "--improved-share",
        type=float,
        default=IMPROVED_SHARE,
        metavar="SHARE",
        help=(
            "probability that a person's follow-up score is the better of their two: the "
            f"true outcome effect (default: {IMPROVED_SHARE})"
        ),
    )


def service_use_model(args: argparse.Namespace) -> ServiceUseModel:
    """The service-use model the ``synth cases`` options describe; :class:`CliError` if unusable."""
    effect = dict(DEFAULT_SERVICE_USE_EFFECT)
    for given in args.service_use_effect:
        service, _, value = given.rpartition("=")
        try:
            change = float(value)
        except ValueError:
            raise CliError(f"--service-use-effect {given!r}: the change must be a number") from None
        if not service:
            effect = dict.fromkeys(effect, change)
        elif service in effect:
            effect[service] = change
        else:
            raise CliError(
                f"--service-use-effect {given!r}: no such service; one of {', '.join(effect)}"
            )
    try:
        return ServiceUseModel(
            effect=effect,
            trend=args.service_use_trend,
            share=args.service_use_share,
            months=tuple(args.service_use_months),
        )
    except ValueError as exc:
        raise CliError(f"service use: {exc}") from None


def _year_and_scheme(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year",
        type=int,
        default=2025,
        help="first calendar year of the financial year (default: 2025, for 2025-26)",
    )
    parser.add_argument(
        "--scheme",
        dest="schemes",
        action="append",
        metavar="ID",
        help=f"the scheme the cases belong to (default: {DEFAULT_SCHEMES[0]}, the example "
        "scheme); repeat for a commissioner's extract across schemes, cases shared at random",
    )


def run_check(args: argparse.Namespace) -> int:
    """Check one extract and print the report; return the exit status."""
    if args.examples < 0:
        raise CliError("--max-per-group cannot be negative")
    if not is_stdout(args.output):
        check_target(args.output, inputs=[args.extract, args.directory])
    keep_freed_memory()  # this process reads the extract (see spcore.heap)
    summary, examples = check_extract(
        args.extract, format=args.input_format, progress=args.progress, keep=args.examples
    )
    unresolved = _directory_findings(args) if summary.readable else []
    if args.format == "json":
        payload = {
            "summary": summary.to_dict(),
            "examples": [
                {"line": item.line, "findings": [f.to_dict() for f in item.findings]}
                for item in examples
            ],
        }
        if args.directory:
            payload["directory"] = [{"line": n, **f.to_dict()} for n, f in unresolved]
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_text(summary, examples) + "".join(
            f"line {line}: {finding.code} {finding.message}\n" for line, finding in unresolved
        )
    write_output(args.output, text, inputs=[args.extract, args.directory])
    if not summary.readable:
        reason = summary.file_findings[0].message if summary.file_findings else "unreadable"
        print(f"spcore: error: {summary.source}: {one_line(reason)}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_FINDINGS if summary.rejected or unresolved else EXIT_OK


def _directory_findings(args: argparse.Namespace) -> list[tuple[int, Finding]]:
    """With --directory: (line, finding) for every directory_id the directory lacks."""
    if not args.directory:
        return []
    from spcore.interop.directory import read_directory, resolve_prescriptions

    directory = read_directory(args.directory)
    if not directory.service_ids:
        reasons = "; ".join(f.message for f in directory.findings[:2])
        raise CliError(f"the directory {args.directory} has no usable services: {reasons}")
    reader = read_extract(args.extract, format=args.input_format, build_records=False)
    return [
        (item.line, finding)
        for item in reader
        if item.accepted and item.data is not None
        for finding in resolve_prescriptions(item.data, directory)
    ]


def render_text(summary: ExtractSummary, examples: list[ExtractItem]) -> str:
    """The plain-text report: counts, rejections by code, then example records."""
    lines = []
    for finding in summary.file_findings:
        mark = "ERROR" if finding.severity is Severity.ERROR else "warning"
        lines.append(f"{summary.source}: {mark} {finding.code}: {finding.message}")
    lines.append(
        f"{summary.source}: {summary.read:,} records read, {summary.accepted:,} accepted, "
        f"{summary.rejected:,} rejected"
    )
    if summary.rejected_by_code:
        lines.append("Rejected records by finding code:")
        for code, count in sorted(summary.rejected_by_code.items()):
            lines.append(f"  {code}  {count:>9,}  {_MEANINGS.get(code, '')}")
    if summary.warned_by_code:
        lines.append("Accepted records with warnings, by finding code:")
        for code, count in sorted(summary.warned_by_code.items()):
            lines.append(f"  {code}  {count:>9,}  {_MEANINGS.get(code, '')}")
    if examples:
        lines.append("First rejected records:")
        for item in examples:
            for finding in item.findings:
                where = f" at {finding.path}" if finding.path else ""
                lines.append(f"  line {item.line}: {finding.code}{where}: {finding.message}")
    return "\n".join(lines) + "\n"


def run_columns(args: argparse.Namespace) -> int:
    """Print the CSV layout: one column per line, with how its cells are read."""
    for column in csv_layout.columns():
        print(f"{column.name}\t{column.kind.value}\t{column.title}")
    return EXIT_OK


def _check_synth_options(args: argparse.Namespace) -> tuple[str, ...]:
    """The schemes to write cases for; :class:`CliError` for an unusable option."""
    if args.n < 0:
        raise CliError("N cannot be negative")
    if not 1900 <= args.year <= 9998:
        raise CliError("--year must be a year such as 2025")
    schemes = tuple(dict.fromkeys(args.schemes or DEFAULT_SCHEMES))
    for scheme in schemes:
        if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{0,63}", scheme):
            raise CliError(
                f"--scheme {scheme!r} is not a scheme id: capital letters, digits and hyphens, "
                "such as NORTHSHIRE-CONNECT"
            )
    return schemes


def run_synth(args: argparse.Namespace) -> int:
    """Write a synthetic extract; report what it holds on standard error."""
    schemes = _check_synth_options(args)
    if not 0.0 <= args.invalid_share <= 1.0:
        raise CliError("--invalid-share must be between 0 and 1")
    for option in ("comparison_share", "improved_share"):
        if not 0.0 <= getattr(args, option) <= 1.0:
            raise CliError(f"--{option.replace('_', '-')} must be between 0 and 1")
    model = service_use_model(args)
    fmt = args.format or (detect_format(args.output) if args.output else None) or "ndjson"
    with open_output(args.output, inputs=(), newline="") as out:
        stats = write_synthetic_extract(
            out,
            args.n,
            args.seed,
            format=fmt,
            year=args.year,
            invalid_share=args.invalid_share,
            schemes=schemes,
            service_use=model if model.share > 0 else None,
            comparison_share=args.comparison_share,
            comparison_cohort=args.comparison_cohort,
            improved_share=args.improved_share,
        )
    print(_describe(stats, args.output or "standard output", schemes), file=sys.stderr)
    return EXIT_OK


def run_synth_identifiable(args: argparse.Namespace) -> int:
    """Write a synthetic identifiable extract; say what it holds on standard error."""
    from spcore.cases.synth_identifiable import write_identifiable_extract

    schemes = _check_synth_options(args)
    with open_output(args.output, inputs=(), newline="") as out:
        written = write_identifiable_extract(
            out, args.n, args.seed, year=args.year, schemes=schemes
        )
    where = args.output or "standard output"
    noun = "record" if written == 1 else "records"
    print(
        f"wrote {written:,} synthetic identifiable case {noun} of {_schemes(schemes)} to {where}",
        file=sys.stderr,
    )
    return EXIT_OK


def _schemes(schemes: tuple[str, ...]) -> str:
    if len(schemes) == 1:
        return schemes[0]
    return f"{len(schemes)} schemes ({', '.join(schemes)})"


def _describe(stats: SynthStats, where: str, schemes: tuple[str, ...] = DEFAULT_SCHEMES) -> str:
    noun = "record" if stats.records == 1 else "records"
    text = f"wrote {stats.records:,} synthetic case {noun} of {_schemes(schemes)} to {where}"
    if stats.invalid:
        kinds = ", ".join(f"{kind} {count:,}" for kind, count in stats.invalid.items())
        text += f"; {stats.invalid_total:,} made invalid ({kinds})"
    return text
