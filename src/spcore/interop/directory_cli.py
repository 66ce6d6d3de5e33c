"""``spcore directory check|export``: Open Referral UK (HSDS 3.0) directories."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from spcore.cli import EXIT_FINDINGS, EXIT_OK, CliError
from spcore.findings import Finding, has_errors


def register(subparsers: Any) -> None:
    """Add ``directory check`` and ``directory export`` to the ``spcore`` command."""
    directory = subparsers.add_parser(
        "directory",
        help="check an Open Referral UK (HSDS 3.0) directory; export community groups",
        description="Directories of community activity in Open Referral UK (HSDS 3.0) JSON.",
    )
    sub = directory.add_subparsers(dest="directory_command", metavar="SUBCOMMAND")
    sub.required = True
    check = sub.add_parser(
        "check",
        help="check a directory (a JSON file or a folder of them)",
        description=(
            "Read every service, organization, location and taxonomy term of DIR and check "
            "them against the HSDS 3.0 requirements (and the published schema files in "
            "--schemas, when given). Exit status 1 when there are errors."
        ),
    )
    check.add_argument("directory", metavar="DIR", help="a JSON file, or a folder of JSON files")
    check.add_argument(
        "--schemas",
        metavar="FOLDER",
        help=(
            "the published HSDS 3.0 or Open Referral UK schema files: the schema/ folder of "
            "openreferral/specification or OpenReferralUK/uk-profile, or a copy of either "
            "repository (spcore does not ship them; see the implementation guide)"
        ),
    )
    check.set_defaults(handler=_check)
    export = sub.add_parser(
        "export",
        help="write a quarterly return's community groups as HSDS services",
        description=(
            "Write the community groups listed in a quarterly return as one page of HSDS "
            "services, their intervention types and Five Ways to Wellbeing as taxonomy terms."
        ),
    )
    export.add_argument("input", metavar="RETURN.json", help="a quarterly return (JSON)")
    export.add_argument("-o", "--output", metavar="OUT.json", required=True, help="output")
    export.set_defaults(handler=_export)
    fill = sub.add_parser(
        "fill",
        help="fill case records' Five Ways to Wellbeing from the directory",
        description=(
            "Write the accepted records of CASES with each social prescription's Five Ways "
            "to Wellbeing filled from its directory service (where the record has none). "
            "Unknown directory ids (SPC-D005) and intervention types the directory does not "
            "list (SPC-D007) are reported. Exit status 1 when any record has errors."
        ),
    )
    fill.add_argument("input", metavar="CASES", help="case-record extract (.ndjson or .csv)")
    fill.add_argument("directory", metavar="DIR", help="the directory (file or folder)")
    fill.add_argument("-o", "--output", metavar="OUT.ndjson", required=True, help="case records")
    fill.set_defaults(handler=_fill)


def _check(args: argparse.Namespace) -> int:
    from spcore.interop.cli import report
    from spcore.interop.directory import read_directory
    from spcore.wording import count

    directory = read_directory(args.directory, args.schemas)
    report(args.directory, directory.findings)
    counts = ", ".join(
        count(len(entries), kind.replace("_", " ")) for kind, entries in directory.objects.items()
    )
    print(
        f"{args.directory}: {count(directory.files, 'file')}; {counts}; "
        f"{count(len(directory.findings), 'finding')}"
    )
    return EXIT_FINDINGS if has_errors(directory.findings) else EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from spcore.interop.cli import check_outputs, write_json
    from spcore.interop.directory import community_groups_as_services
    from spcore.validation import loading

    check_outputs([args.output], inputs=[args.input])
    loaded = loading.read_json_file(args.input)
    if loaded.data is None:
        raise CliError(f"{args.input}: {loaded.findings[0].message}")
    from spcore.framework.quarterly_return import QuarterlyReturn

    try:
        QuarterlyReturn.model_validate(loaded.data)
    except ValueError as exc:
        print(
            f"spcore: {args.input} is not a valid quarterly return: run 'spcore validate'",
            file=sys.stderr,
        )
        raise CliError(f"{args.input} is not a valid quarterly return") from exc
    write_json(args.output, community_groups_as_services(loaded.data), inputs=[args.input])
    return EXIT_OK


def _fill(args: argparse.Namespace) -> int:
    from spcore.cases.extracts import read_extract
    from spcore.findings import at_line, error
    from spcore.interop.cli import check_outputs, report, write_ndjson
    from spcore.interop.directory import fill_from_directory, read_directory

    check_outputs([args.output], inputs=[args.input, args.directory])
    directory = read_directory(args.directory)
    if not directory.service_ids:
        raise CliError(f"the directory {args.directory} has no usable services")
    reader = read_extract(args.input, build_records=False, progress=False)
    records: list[dict[str, Any]] = []
    problems: list[Finding] = []
    for item in reader:
        if not item.accepted or item.data is None:
            problems.extend(
                at_line(error(f.code, f.path, f.message), item.line) for f in item.findings
            )
            continue
        filled, findings = fill_from_directory(item.data, directory)
        records.append(filled)
        problems.extend(at_line(f, item.line) for f in findings)
    if not reader.summary.readable:
        raise CliError(f"{args.input}: {reader.summary.file_findings[0].message}")
    report(args.input, problems)
    write_ndjson(args.output, records, inputs=[args.input, args.directory])
    return EXIT_FINDINGS if has_errors(problems) else EXIT_OK
