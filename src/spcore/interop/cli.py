"""Command line for interoperability: ``spcore fhir``, ``spcore directory``, ``spcore prsb``.

* ``spcore fhir questionnaire ID -o Q.json`` — an instrument's Questionnaire
  (``all`` writes every one as a Bundle);
* ``spcore fhir score FILE -o scores.csv [--observations OBS.ndjson]`` — score
  QuestionnaireResponses (one resource, a Bundle, or NDJSON);
* ``spcore fhir check FILE`` — resources against the UK Core constraints spcore checks;
* ``spcore fhir export CASES -o bundle.ndjson`` and
  ``spcore fhir import BUNDLE -o cases.ndjson`` — case records to and from
  FHIR Bundles, one per case;
* ``spcore directory check DIR`` — an Open Referral UK (HSDS 3.0) directory;
* ``spcore prsb mapping`` — the PRSB Social Prescribing Information Standard mapping.

Exit statuses as for every spcore command: 0 clean (or warnings only), 1 the
input has errors, 2 unusable input or options.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

import attrs

from spcore.cli import EXIT_FINDINGS, EXIT_OK, CliError
from spcore.cli_output import PathLike, check_target, is_stdout, neutralise, open_output
from spcore.findings import Finding, has_errors


def register(subparsers: Any) -> None:
    """Add ``fhir``, ``directory`` and ``prsb`` to the ``spcore`` command."""
    fhir = subparsers.add_parser(
        "fhir",
        help="FHIR R4: Questionnaires, scoring QuestionnaireResponses, case Bundles",
        description="FHIR R4 in and out: see the implementation guide in the documentation.",
    )
    sub = fhir.add_subparsers(dest="fhir_command", metavar="SUBCOMMAND")
    sub.required = True

    q = sub.add_parser("questionnaire", help="write an instrument's Questionnaire")
    q.add_argument("instrument", metavar="ID", help="instrument id, or 'all' for a Bundle of all")
    q.add_argument("-o", "--output", metavar="OUT.json", default="-", help="output ('-' stdout)")
    q.set_defaults(handler=_questionnaire)

    s = sub.add_parser(
        "score",
        help="score QuestionnaireResponses (JSON, Bundle or NDJSON)",
        description=(
            "Score every QuestionnaireResponse in FILE. The CSV has one row per resource: "
            "resource, instrument, subject, authored, score, band, scores (JSON) and findings "
            "(the same findings 'spcore score' gives, in its form: 'CODE severity: message' "
            "joined by ' | '). Exit status 1 when any has errors."
        ),
    )
    s.add_argument("input", metavar="FILE", help=".json (a resource or Bundle) or .ndjson")
    s.add_argument("-o", "--output", metavar="OUT.csv", required=True, help="output CSV")
    s.add_argument(
        "--observations", metavar="OBS.ndjson", help="also write each score as an Observation"
    )
    s.set_defaults(handler=_score)

    c = sub.add_parser(
        "check",
        help="check FHIR resources against the UK Core constraints spcore checks",
        description=(
            "Check every resource in FILE (one resource, a Bundle and its entries, or NDJSON) "
            "against the UK Core profile constraints spcore checks offline: the profile "
            "claimed in meta.profile and the constraints listed in the implementation guide "
            "(SPC-H014, SPC-H015). Exit status 1 when any resource breaks one."
        ),
    )
    c.add_argument("input", metavar="FILE", help=".json (a resource or Bundle) or .ndjson")
    c.set_defaults(handler=_check)

    from spcore.interop import journey_cli

    journey_cli.register(sub)
    from spcore.interop import directory_cli, gp_cli, prsb

    prsb.register(subparsers)
    directory_cli.register(subparsers)
    gp_cli.register(subparsers)


Inputs = Sequence[PathLike | None]


def check_outputs(outputs: Sequence[str | None], *, inputs: Inputs) -> None:
    """Refuse, before any work, an output that is an input or another of the outputs.

    Args:
        outputs: the command's output names (``None`` or ``-``: none, or standard output).
        inputs: every file or folder the command reads.

    Raises:
        OutputError: an output is (or links to) an input or an earlier output.
    """
    earlier: list[PathLike | None] = list(inputs)
    for name in outputs:
        if not is_stdout(name):
            assert name is not None
            check_target(name, inputs=earlier)
            earlier.append(name)


@contextlib.contextmanager
def output(name: str, *, inputs: Inputs) -> Iterator[TextIO]:
    """A text stream for ``name`` (``-`` is standard output), written atomically.

    Args:
        name: the output file, or ``-``.
        inputs: every file the command reads; an output that is one of them is refused.
    """
    with open_output(name, inputs=inputs, newline="") as stream:
        yield stream


def write_json(name: str, value: Any, *, inputs: Inputs) -> None:
    """Write one JSON document to ``name`` (see :func:`output`)."""
    with output(name, inputs=inputs) as stream:
        stream.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def write_ndjson(name: str, values: Sequence[Any], *, inputs: Inputs) -> None:
    """Write one JSON document per line to ``name`` (see :func:`output`)."""
    with output(name, inputs=inputs) as stream:
        for value in values:
            stream.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")


def report(source: str, findings: Sequence[Finding]) -> None:
    """Print findings about ``source`` on standard error, one a line, as every command does.

    ``FILE:LINE: CODE severity: message (at /pointer)``
    (:func:`spcore.wording.finding_line`).
    """
    from spcore.wording import finding_line

    for f in findings:
        print(finding_line(source, f), file=sys.stderr)


def _questionnaire(args: argparse.Namespace) -> int:
    from spcore.instruments.registry import INSTRUMENT_IDS
    from spcore.interop.questionnaire import questionnaire, questionnaire_bundle

    if args.instrument == "all":
        write_json(args.output, questionnaire_bundle(), inputs=())
        return EXIT_OK
    if args.instrument not in INSTRUMENT_IDS:
        raise CliError(
            f"unknown instrument {args.instrument!r}; choose 'all' or one of "
            f"{', '.join(INSTRUMENT_IDS)}"
        )
    write_json(args.output, questionnaire(args.instrument), inputs=())
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from spcore.findings import at_line, error
    from spcore.interop import codes, uk_core
    from spcore.interop.fhir_io import read_documents
    from spcore.wording import count

    documents, findings = read_documents(args.input)
    if not documents and findings:
        raise CliError(f"{args.input}: {findings[0].message}")
    problems = list(findings)
    for line, document in documents:
        if not isinstance(document.get("resourceType"), str):
            problems.append(
                at_line(
                    error(codes.NOT_A_RESOURCE, "", "This JSON object has no resourceType."), line
                )
            )
            continue
        problems.extend(at_line(f, line) for f in uk_core.check(document))
    report(args.input, problems)
    print(
        f"{args.input}: {count(len(documents), 'resource')} checked against UK Core; "
        f"{count(len(problems), 'finding')}"
    )
    return EXIT_FINDINGS if has_errors(problems) else EXIT_OK


def _score(args: argparse.Namespace) -> int:
    from spcore.findings import at_line
    from spcore.instruments.cli import output_columns, score_cells
    from spcore.instruments.registry import INSTRUMENT_IDS, get_definition
    from spcore.interop.fhir_io import read_resources
    from spcore.interop.scoring import observations, score_found
    from spcore.wording import MAX_ROWS_PRINTED, by_code, count, finding_line, findings_cell

    check_outputs([args.output, args.observations], inputs=[args.input])
    found, file_findings = read_resources(args.input)
    if not found and file_findings and all(f.code.startswith("SPC-F") for f in file_findings):
        raise CliError(f"{args.input}: {file_findings[0].message}")
    report(args.input, file_findings)
    rows: list[dict[str, str]] = []
    written: list[dict[str, Any]] = []
    any_errors = has_errors(file_findings)
    scored_with: set[str] = set()
    printed = scored_count = 0  # responses whose findings were printed; responses scored
    codes: Counter[str] = Counter()
    for item in found:
        scored = score_found(item)
        resource = item.resource
        any_errors = any_errors or has_errors(scored.findings)
        subject = resource.get("subject")
        row = {
            "resource": str(resource.get("id", "")) or item.where,
            "instrument": scored.instrument or "",
            "subject": str(subject.get("reference", "")) if isinstance(subject, dict) else "",
            "authored": str(resource.get("authored", "")),
            "findings": findings_cell(scored.findings),
        }
        if scored.findings and printed < MAX_ROWS_PRINTED:
            for finding in scored.findings:
                placed = attrs.evolve(finding, path=item.path + finding.path)
                print(finding_line(args.input, at_line(placed, item.line)), file=sys.stderr)
        printed += bool(scored.findings)
        codes.update(f.code for f in scored.findings)
        if scored.ok and scored.result is not None and scored.instrument is not None:
            definition = get_definition(scored.instrument)
            scored_with.add(definition.id)
            scored_count += 1
            # The columns and the forms 'spcore score' writes for the same instrument.
            row |= score_cells(definition, scored.result.scores, scored.result.bands)
            written.extend(observations(scored))
        rows.append(row)
    header = ["resource", "instrument", "subject", "authored", "score", "band"]
    # Every score and band of the instruments scored, in the registry's order: the same
    # columns whatever order the responses come in.
    for definition in (get_definition(i) for i in INSTRUMENT_IDS if i in scored_with):
        header += [c for c in output_columns(definition) if c not in header and c != "findings"]
    header.append("findings")
    with output(args.output, inputs=[args.input]) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([neutralise(row.get(column, "")) for column in header] for row in rows)
    if args.observations:
        write_ndjson(args.observations, written, inputs=[args.input, args.output])
    if printed > MAX_ROWS_PRINTED:
        more = count(printed - MAX_ROWS_PRINTED, "more resource")
        print(
            f"{args.input}: and {more} with findings (each in the findings column)", file=sys.stderr
        )
    status = EXIT_FINDINGS if any_errors else EXIT_OK
    summary = f"spcore: {count(len(rows), 'resource')} read, {scored_count:,} scored"
    if scored_count < len(rows):
        summary += f", {len(rows) - scored_count:,} not scored ({by_code(codes)})"
    where = "standard output" if is_stdout(args.output) else args.output
    print(f"{summary}; written to {where} (exit status {status})", file=sys.stderr)
    return status
