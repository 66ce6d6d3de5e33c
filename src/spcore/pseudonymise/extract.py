"""Pseudonymising an extract: an NDJSON file of identifiable case records, streamed.

An extract has one identifiable case record (a JSON object) per line; blank
lines are skipped. Lines are read one at a time, so memory use does not grow
with the file; a line longer than :data:`~spcore.cases.MAX_LINE_BYTES` is
skipped without being held in memory. Each line yields its pseudonymised
record or, when it has errors, findings and no record: nothing is ever dropped
silently. Paths in findings are JSON Pointers ``/lines/<n>/...``, lines
numbered from 1.

A line that is not a record at all is reported exactly as ``spcore cases``
reports it in a pseudonymised extract — the same limit, the same strict JSON
parser and the same ``SPC-C`` codes (:data:`spcore.cases.CASE_CODES`).

The output is written to a temporary file beside the target and moved into
place only when the whole extract has been read, so a failed run never leaves
half an extract behind. It is created readable by its owner only: a
pseudonymised extract is still personal data (UK GDPR Recital 26).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

import attrs

from spcore.cases.codes import MAX_DEPTH, MAX_LINE_BYTES
from spcore.cases.extracts import parse_json
from spcore.findings import Finding, Severity, error, pointer
from spcore.pseudonymise.hashing import Pseudonymiser
from spcore.pseudonymise.identifiable import pseudonymise_record
from spcore.pseudonymise.keys import PseudonymKey, load_key
from spcore.validation.loading import parse_object

#: Findings kept in :attr:`ExtractSummary.findings`; the rest are counted (and
#: still passed to ``on_finding``), so a bad extract cannot exhaust memory.
MAX_KEPT_FINDINGS = 1000

_SKIP_CHUNK = 64 * 1024
_BOM = b"\xef\xbb\xbf"

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


def _lines(source: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines without their line ends; ``None`` for a line that is too long."""
    number = 0
    while True:
        line = source.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:  # skip the rest of the line, a chunk at a time
                chunk = source.readline(_SKIP_CHUNK)
                if not chunk or chunk.endswith(b"\n"):
                    break
            yield number, None
            continue
        if number == 1 and line.startswith(_BOM):
            line = line[len(_BOM) :]
        yield number, line.rstrip(b"\r\n")


def _line_findings(
    number: int, line: bytes | None
) -> tuple[dict[str, object] | None, list[Finding]]:
    """The JSON object on one line, or the finding that stops it (``SPC-C`` codes)."""
    where = pointer("lines", number)
    if line is None:
        return None, [
            error(
                "SPC-C004",
                where,
                f"Line {number} is longer than {MAX_LINE_BYTES:,} bytes, far longer than any "
                "case record; it is left out.",
            )
        ]
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [
            error(
                "SPC-C002",
                where,
                f"Line {number} is not UTF-8 text (byte {exc.start + 1} cannot be read); save "
                "the extract as UTF-8. It is left out.",
            )
        ]
    data, problem = parse_json(text)
    if problem is not None:
        return None, [
            attrs.evolve(problem, path=where, message=f"Line {number}: {problem.message}")
        ]
    if not isinstance(data, dict):
        return None, [
            error(
                "SPC-C006",
                where,
                f"Line {number} must hold one case record (a JSON object); it is left out.",
            )
        ]
    if not parse_object(data).ok:
        return None, [
            error(
                "SPC-C007",
                where,
                f"Line {number} nests lists or objects more than {MAX_DEPTH} levels deep; no "
                "case record does. It is left out.",
            )
        ]
    return data, []


def pseudonymise_stream(
    source: BinaryIO,
    target: IO[str],
    pseudonymiser: Pseudonymiser,
    on_finding: FindingHandler | None = None,
) -> ExtractSummary:
    """Pseudonymise NDJSON from ``source`` (bytes) to ``target`` (text), line by line."""
    summary = ExtractSummary(key_fingerprint=pseudonymiser.fingerprint)
    for number, line in _lines(source):
        if line is not None and not line.strip():
            continue
        summary.read += 1
        data, findings = _line_findings(number, line)
        record = None
        if data is not None:
            result = pseudonymise_record(data, pseudonymiser, base=pointer("lines", number))
            record, findings = result.record, list(result.findings)
        for finding in findings:
            summary.add(finding)
            if on_finding is not None:
                on_finding(finding)
        if record is None:
            summary.rejected += 1
            continue
        target.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        summary.written += 1
    return summary


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _check_paths(source: Path, target: Path, key_file: Path | None) -> None:
    if source.is_dir():
        raise ExtractError(error("SPC-C001", "", f"'{source}' is a folder, not an extract."))
    if _same_file(source, target):
        raise ExtractError(
            error(
                "SPC-P040",
                "",
                f"The output '{target}' is the input extract; write the pseudonymised extract "
                "to another file.",
            )
        )
    if key_file is not None and _same_file(key_file, target):
        raise ExtractError(
            error("SPC-P040", "", f"The output '{target}' is the key file; choose another file.")
        )
    if key_file is not None and _same_file(key_file, source):
        raise ExtractError(
            error("SPC-C001", "", f"The input '{source}' is the key file, not an extract.")
        )


def pseudonymise_extract(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    key: PseudonymKey | Pseudonymiser | str | os.PathLike[str],
    *,
    on_finding: FindingHandler | None = None,
) -> ExtractSummary:
    """Pseudonymise the NDJSON extract ``source`` into a new file ``target``.

    ``key`` is a key, a :class:`Pseudonymiser` or the path of a key file.
    Raises :class:`ExtractError` when the extract cannot be read or the
    target would overwrite the input or the key file, and
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
    try:
        reader = src.open("rb")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ExtractError(error("SPC-C001", "", f"'{src}' cannot be read: {reason}.")) from None
    with reader:
        try:
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then moved
                "w",
                encoding="utf-8",
                newline="\n",
                dir=dst.parent,
                prefix=f".{dst.name}.",
                suffix=".part",
                delete=False,
            )
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise ExtractError(
                error("SPC-P041", "", f"'{dst}' cannot be written: {reason}.")
            ) from None
        moved = False
        try:
            with handle:
                summary = pseudonymise_stream(reader, handle, pseudonymiser, on_finding)
            os.replace(handle.name, dst)
            moved = True
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise ExtractError(
                error("SPC-P041", "", f"'{dst}' cannot be written: {reason}.")
            ) from None
        finally:
            if not moved:
                Path(handle.name).unlink(missing_ok=True)
    return summary
