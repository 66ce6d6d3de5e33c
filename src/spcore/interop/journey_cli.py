"""``spcore fhir export`` and ``spcore fhir import``: case records to and from FHIR Bundles."""

from __future__ import annotations

import argparse
from typing import Any

from spcore.cli import EXIT_FINDINGS, EXIT_OK, CliError
from spcore.findings import Finding, at_line, error


def register(sub: Any) -> None:
    """Add ``export`` and ``import`` under ``spcore fhir``."""
    export = sub.add_parser(
        "export",
        help="case records (NDJSON or CSV extract) to FHIR Bundles, one per line",
        description=(
            "Write one FHIR R4 collection Bundle per valid case record of CASES. Records the "
            "extract rejects are reported on standard error and left out (exit status 1)."
        ),
    )
    export.add_argument("input", metavar="CASES", help="case-record extract (.ndjson or .csv)")
    export.add_argument(
        "-o", "--output", metavar="OUT.ndjson", required=True, help="Bundles, one a line"
    )
    export.set_defaults(handler=_export)

    imp = sub.add_parser(
        "import",
        help="FHIR case Bundles (NDJSON, or one Bundle as JSON) to case records",
        description=(
            "Read each case Bundle and write its case record as one line of NDJSON, in "
            "canonical form (no field at its default, whole numbers without a decimal point). "
            "A Bundle that cannot be read is reported with its finding and left out (exit "
            "status 1)."
        ),
    )
    imp.add_argument("input", metavar="BUNDLE", help=".ndjson of Bundles or one .json Bundle")
    imp.add_argument("-o", "--output", metavar="OUT.ndjson", required=True, help="case records")
    imp.set_defaults(handler=_import)


def _export(args: argparse.Namespace) -> int:
    from spcore.cases.extracts import read_extract
    from spcore.interop.cli import check_outputs, report, write_ndjson
    from spcore.interop.journey import case_to_bundle

    check_outputs([args.output], inputs=[args.input])
    reader = read_extract(args.input, progress=False)
    bundles = []
    problems: list[Finding] = []
    for item in reader:
        if item.accepted and item.record is not None:
            bundles.append(case_to_bundle(item.record))
        else:
            problems.extend(
                at_line(error(f.code, f.path, f.message), item.line) for f in item.findings
            )
    summary = reader.summary
    if not summary.readable:
        raise CliError(f"{args.input}: {summary.file_findings[0].message}")
    report(args.input, problems)
    write_ndjson(args.output, bundles, inputs=[args.input])
    return EXIT_FINDINGS if problems else EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from spcore.interop.cli import check_outputs, report, write_ndjson
    from spcore.interop.fhir_io import read_documents
    from spcore.interop.journey import bundle_to_case, case_json_data

    check_outputs([args.output], inputs=[args.input])
    documents, findings = read_documents(args.input)
    if not documents and findings:
        raise CliError(f"{args.input}: {findings[0].message}")
    problems = list(findings)
    records: list[dict[str, Any]] = []
    for line, document in documents:
        record, found = bundle_to_case(document)
        problems.extend(at_line(f, line) for f in found)
        if record is not None:
            # The canonical form: no default the model filled in, whole numbers as integers.
            records.append(case_json_data(record))
    report(args.input, problems)
    write_ndjson(args.output, records, inputs=[args.input])
    return EXIT_FINDINGS if problems else EXIT_OK
