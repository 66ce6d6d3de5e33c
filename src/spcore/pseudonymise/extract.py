"""Pseudonymising an extract of identifiable case records, streamed, NDJSON or CSV.

An identifiable extract is read exactly as ``spcore cases`` reads a case
extract (:func:`spcore.cases.read_extract`): NDJSON (``.ndjson``,
``.jsonl``, ``.json``) or CSV (``.csv``, the case-extract layout, here with
identifying columns such as ``nhs_number`` beside it), optionally gzip
(``.gz``), one record at a time, so memory use does not grow with the file.
A line or row that is not a record at all gets the same ``SPC-C`` finding it
would get there. The reader also checks each raw record against the
case-record schema; those findings are about the identifiable form (an
``nhs_number`` is no case-record field) and are set aside: the record is
checked again once pseudonymised.

Each record is written pseudonymised or, when it has errors, reported and
left out: nothing is ever dropped silently. Paths in findings are JSON
Pointers ``/lines/<n>/...``, numbered by the line a record starts on. The
output format is the one the target's name says: ``.csv`` is CSV in the
case-extract layout, anything else NDJSON.

The output is written to a temporary file beside the target and moved into
place only when the whole extract has been read, so a failed run never leaves
half an extract behind. It is created readable by its owner only: a
pseudonymised extract is still personal data (UK GDPR Recital 26).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import attrs

from spcore import cli_output
from spcore.cases import UNREADABLE_CODES, ExtractItem, detect_format, read_extract
from spcore.cases.csv_layout import UnrepresentableError
from spcore.findings import Finding, Severity, at_line, error, pointer
from spcore.pseudonymise.csvwriting import CsvRecordWriter, unrepresentable
from spcore.pseudonymise.hashing import Pseudonymiser
from spcore.pseudonymise.identifiable import pseudonymise_record
from spcore.pseudonymise.keys import PseudonymKey, load_key

#: Findings kept in :attr:`ExtractSummary.findings`; the rest are counted (and
#: still passed to ``on_finding``), so a bad extract cannot exhaust memory.
MAX_KEPT_FINDINGS = 1000

FindingHandler = Callable[[Finding], None]


class ExtractError(Exception):
    """The extract cannot be pseudonymised at all; :attr:`finding` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


@attrs.define
class ExtractSummary:
    """What happened to an extract."""

    read: int = 0
    """Records read (non-blank lines)."""
    written: int = 0
    """Pseudonymised records written."""
    rejected: int = 0
    """Records left out because of errors."""
    warnings: int = 0
    """Warning findings (their records were written)."""
    findings: list[Finding] = attrs.field(factory=list)
    """The first :data:`MAX_KEPT_FINDINGS` findings."""
    findings_not_kept: int = 0
    """Findings past :data:`MAX_KEPT_FINDINGS`."""
    key_fingerprint: str = ""
    """The fingerprint of the key used (never the key)."""

    def add(self, finding: Finding) -> None:
        """Record a finding, keeping at most :data:`MAX_KEPT_FINDINGS`."""
        if finding.severity is Severity.WARNING:
            self.warnings += 1
        if len(self.findings) < MAX_KEPT_FINDINGS:
            self.findings.append(finding)
        else:
            self.findings_not_kept += 1


#: One record read: the line it starts on, the record (``None`` when it
#: could not be read) and the findings that stop it.
Item = tuple[int, dict[str, Any] | None, list[Finding]]


def read_identifiable(items: Iterable[ExtractItem]) -> Iterator[Item]:
    """Identifiable records from the case-extract reader's items.

    Schema findings (``SPC-S``) on the raw record are set aside; any other
    finding keeps the record out. Raises :class:`ExtractError` for a problem
    with the whole file (``SPC-C001`` unreadable, ``SPC-C011`` a CSV column
    named twice).
    """
    for item in items:
        if item.line == 0:
            stop = [f for f in item.findings if f.code in UNREADABLE_CODES]
            if stop:
                raise ExtractError(stop[0])
            continue  # "holds no records": the summary's count of 0 says so
        # Schema findings are about the identifiable form, and personal data in free text
        # is removed field by field when the record is pseudonymised (SPC-P030, SPC-P032).
        problems = [
            at_line(f, item.line)
            for f in item.findings
            if not f.code.startswith("SPC-S") and f.code != "SPC-C015"
        ]
        if item.data is None or problems:
            yield item.line, None, problems
        else:
            yield item.line, item.data, []


def pseudonymise_items(
    items: Iterable[Item],
    target: IO[str],
    pseudonymiser: Pseudonymiser,
    on_finding: FindingHandler | None = None,
    *,
    csv_output: bool = False,
) -> ExtractSummary:
    """Pseudonymise records one by one, writing NDJSON (or CSV) to ``target``."""
    summary = ExtractSummary(key_fingerprint=pseudonymiser.fingerprint)
    csv_writer = CsvRecordWriter(target) if csv_output else None
    for number, data, read_findings in items:
        summary.read += 1
        findings, record = read_findings, None
        if data is not None:
            result = pseudonymise_record(data, pseudonymiser, base=pointer("lines", number))
            record, findings = result.record, list(result.findings)
        written = False
        if record is not None:
            try:
                if csv_writer is not None:
                    csv_writer.write(record)
                else:
                    target.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
                    target.write("\n")
                written = True
            except UnrepresentableError as exc:  # nothing was written for this record
                findings = [*findings, unrepresentable(number, str(exc))]
        for finding in findings:
            summary.add(finding)
            if on_finding is not None:
                on_finding(finding)
        if written:
            summary.written += 1
        else:
            summary.rejected += 1
    return summary


def _check_paths(source: Path, target: Path, key_file: Path | None) -> None:
    if source.is_dir():
        raise ExtractError(error("SPC-C001", "", f"'{source}' is a folder, not an extract."))
    if key_file is not None and cli_output.check_same(key_file, source):
        raise ExtractError(
            error("SPC-C001", "", f"The input '{source}' is the key file, not an extract.")
        )
    if target.suffix.lower() == ".gz":
        raise ExtractError(
            error("SPC-P041", "", f"'{target}': spcore writes extracts uncompressed.")
        )
    try:
        cli_output.check_target(target, inputs=[source], keys=[key_file])
    except cli_output.OutputError as exc:
        raise ExtractError(error("SPC-P040", "", _sentence(str(exc)))) from None


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."


def pseudonymise_extract(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    key: PseudonymKey | Pseudonymiser | str | os.PathLike[str],
    *,
    on_finding: FindingHandler | None = None,
) -> ExtractSummary:
    """Pseudonymise the extract ``source`` into a new file ``target``.

    Formats come from the file names (see the module). ``key`` is a key, a
    :class:`Pseudonymiser` or the path of a key file. Raises
    :class:`ExtractError` when the extract cannot be read or the target
    would overwrite the input or the key file, and
    :class:`~spcore.pseudonymise.keys.UnusableKeyError` for an unusable key
    file; problems with records are findings in the summary (and passed to
    ``on_finding`` as they are found).
    """
    src, dst = Path(source), Path(target)
    key_file = None
    if isinstance(key, PseudonymKey | Pseudonymiser):
        pseudonymiser = key if isinstance(key, Pseudonymiser) else Pseudonymiser(key)
    else:
        key_file = Path(key)
        pseudonymiser = Pseudonymiser(load_key(key_file))
    _check_paths(src, dst, key_file)
    reader = read_extract(src, build_records=False, progress=False)
    try:
        # Private: a pseudonymised extract is still personal data.
        with cli_output.open_output(
            dst, inputs=[src], keys=[key_file], private=True, compress=False
        ) as handle:
            return pseudonymise_items(
                read_identifiable(reader),
                handle,
                pseudonymiser,
                on_finding,
                csv_output=detect_format(dst) == "csv",
            )
    except cli_output.OutputError as exc:
        code = "SPC-P040" if exc.refused else "SPC-P041"
        raise ExtractError(error(code, "", _sentence(str(exc)))) from None
    finally:
        reader.close()
