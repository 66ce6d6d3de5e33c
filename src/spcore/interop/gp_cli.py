"""``spcore gp referrals|consultations``: figures from SNOMED CT-coded GP-record extracts."""

from __future__ import annotations

import argparse
import csv
from typing import Any

from spcore.cli import EXIT_FINDINGS, EXIT_OK, CliError
from spcore.interop.gp_records import DEFAULT_WINDOW_MONTHS


def register(subparsers: Any) -> None:
    """Add ``gp referrals`` and ``gp consultations`` to the ``spcore`` command."""
    gp = subparsers.add_parser(
        "gp",
        help="referrals, declines and consultations from coded GP-record extracts",
        description=(
            "Read a CSV of SNOMED CT-coded events (person_id, date, code; optionally practice "
            "and pcn) and derive social prescribing figures."
        ),
    )
    sub = gp.add_subparsers(dest="gp_command", metavar="SUBCOMMAND")
    sub.required = True
    referrals = sub.add_parser(
        "referrals",
        help="people referred and declining per practice (or PCN) and quarter",
        description=(
            "Count the people with SNOMED CT 871731000000106 (referral to social prescribing "
            "service) and 871711000000103 (social prescribing declined) per practice or PCN "
            "and NHS financial quarter. Rows spcore cannot read are reported (exit status 1)."
        ),
    )
    referrals.add_argument("input", metavar="EXTRACT.csv", help="coded events")
    referrals.add_argument("-o", "--output", metavar="OUT.csv", required=True, help="output CSV")
    referrals.add_argument("--by", choices=("practice", "pcn"), default="practice")
    referrals.set_defaults(handler=_referrals)
    consultations = sub.add_parser(
        "consultations",
        help="each referred person's consultations before and after the referral",
        description=(
            "Count each referred person's events with a code from CODES.csv (Code,Term,Source) "
            "in the months before and after their first referral code."
        ),
    )
    consultations.add_argument("input", metavar="EXTRACT.csv", help="coded events")
    consultations.add_argument(
        "--codes", metavar="CODES.csv", required=True, help="consultation code list"
    )
    consultations.add_argument(
        "--months", type=int, default=DEFAULT_WINDOW_MONTHS, help="window (default 12)"
    )
    consultations.add_argument(
        "-o", "--output", metavar="OUT.csv", required=True, help="output CSV"
    )
    consultations.set_defaults(handler=_consultations)


def _write(
    name: str, rows: list[dict[str, str | int]], columns: list[str], *, inputs: list[str]
) -> None:
    from spcore.interop.cli import output

    with output(name, inputs=inputs) as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _read(path: str) -> tuple[list[Any], list[Any]]:
    from spcore.interop import codes
    from spcore.interop.cli import report
    from spcore.interop.gp_records import read_events

    events, findings = read_events(path)
    fatal = [f for f in findings if f.code in (codes.EXTRACT_UNREADABLE, codes.EXTRACT_COLUMNS)]
    if fatal and not events:
        raise CliError(f"{path}: {fatal[0].message}")
    report(path, findings)
    return events, findings


def _referrals(args: argparse.Namespace) -> int:
    from spcore.interop.cli import check_outputs
    from spcore.interop.gp_records import referrals_by_quarter

    check_outputs([args.output], inputs=[args.input])
    events, findings = _read(args.input)
    _write(
        args.output,
        referrals_by_quarter(events, args.by),
        [args.by, "quarter", "referred", "declined"],
        inputs=[args.input],
    )
    return EXIT_FINDINGS if findings else EXIT_OK


def _consultations(args: argparse.Namespace) -> int:
    from spcore.interop.cli import check_outputs, report
    from spcore.interop.gp_records import consultations_in_windows, read_code_list

    if not 1 <= args.months <= 120:
        raise CliError("--months must be between 1 and 120")
    check_outputs([args.output], inputs=[args.input, args.codes])
    codes_, code_findings = read_code_list(args.codes)
    if not codes_:
        raise CliError(f"{args.codes} holds no usable codes")
    report(args.codes, code_findings)
    events, findings = _read(args.input)
    rows = consultations_in_windows(events, codes_, args.months)
    _write(
        args.output,
        rows,
        ["person_id", "referral_date", "before", "after"],
        inputs=[args.input, args.codes],
    )
    return EXIT_FINDINGS if findings or code_findings else EXIT_OK
