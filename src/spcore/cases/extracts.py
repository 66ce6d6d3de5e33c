"""Reading case-record extracts (NDJSON or CSV), one record at a time, in constant memory.

An extract holds one case per record: a line of JSON (NDJSON, ``.ndjson`` or
``.jsonl``) or a row of a CSV file (``.csv``; columns in
:mod:`spcore.cases.csv_layout`). Either may be gzip-compressed (``.gz``).

Use::

    reader = spcore.cases.read_extract("cases.ndjson")
    for item in reader:
        if item.accepted:
            use(item.record)                 # a CaseRecord
        else:
            log(item.line, item.findings)    # why it was excluded
    print(reader.summary.read, reader.summary.accepted, reader.summary.rejected)

:func:`read_extract` returns an :class:`ExtractReader`, an iterator of
:class:`ExtractItem`. Every record read is yielded exactly once, accepted or
rejected, never dropped silently:

* ``item.line`` — the line number in the file (1-based; for CSV the line the
  row starts on; ``0`` for a problem with the file as a whole);
* ``item.data`` — the record as parsed JSON, or None when the line could not
  be parsed;
* ``item.record`` — the :class:`~spcore.framework.CaseRecord`, for accepted
  records (None when rejected, or when ``build_records=False``);
* ``item.findings`` — why it was rejected: ``SPC-C`` codes for lines that are
  not records (:data:`~spcore.cases.codes.CASE_CODES`), ``SPC-S`` codes for
  records that break the schema (exactly as the reference ``jsonschema``
  validator reports them; see :mod:`spcore.cases.fastcheck`).

``reader.summary`` (:class:`ExtractSummary`) counts records read, accepted
and rejected, rejected records per finding code, and holds file-level
findings; it is final once the iterator is exhausted (``summary.complete``).

Blank lines are not records and are skipped. Reading never raises for bad
input: an unreadable file is one line-0 item with ``SPC-C001``.
"""

from __future__ import annotations

import collections
import contextlib
import csv
import functools
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import IO, Any, Literal

import attrs
import pydantic

from spcore import schemas, strict_json
from spcore.cases import csv_layout
from spcore.cases.codes import MAX_DEPTH, MAX_LINE_BYTES, UNREADABLE_CODES
from spcore.cases.fastcheck import check_record
from spcore.cases.progress import Progress
from spcore.cases.screens import personal_data_screen
from spcore.cases.timing import measure_findings
from spcore.compressed import open_maybe_compressed
from spcore.excerpt import excerpt
from spcore.findings import Finding, error, has_errors, pointer, warning
from spcore.framework.case_record import CaseRecord
from spcore.validation import loading
from spcore.validation.personal_data import article, free_text_paths, scan_paths

ExtractFormat = Literal["ndjson", "csv"]

_SUFFIXES: dict[str, ExtractFormat] = {
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".json": "ndjson",
    ".csv": "csv",
}

#: Lines between progress checks (a clock read per line would cost more than the line).
_PROGRESS_EVERY = 4096


@attrs.frozen
class ExtractItem:
    """One record (or one unreadable line) of an extract, with its verdict."""

    line: int
    record: CaseRecord | None
    data: dict[str, Any] | None
    findings: tuple[Finding, ...] = ()

    @property
    def accepted(self) -> bool:
        """True when the record was read and is valid."""
        return self.line > 0 and self.data is not None and not has_errors(self.findings)


@attrs.define
class ExtractSummary:
    """What reading an extract found: counts, rejections by code, file-level findings."""

    source: str
    format: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    #: Rejected records per finding code (a record counts once per code it has).
    rejected_by_code: collections.Counter[str] = attrs.field(factory=collections.Counter)
    #: Accepted records with a warning, per finding code (once per code per record).
    warned_by_code: collections.Counter[str] = attrs.field(factory=collections.Counter)
    #: Problems with the file as a whole (cannot be read, unusable CSV header).
    file_findings: list[Finding] = attrs.field(factory=list)
    #: True once the whole file has been read.
    complete: bool = False

    @property
    def readable(self) -> bool:
        """False when the file could not be read at all (or its CSV header is unusable)."""
        return not any(f.code in UNREADABLE_CODES for f in self.file_findings)

    def to_dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready dictionary."""
        return {
            "source": self.source,
            "format": self.format,
            "read": self.read,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "rejected_by_code": dict(sorted(self.rejected_by_code.items())),
            "warned_by_code": dict(sorted(self.warned_by_code.items())),
            "file_findings": [f.to_dict() for f in self.file_findings],
            "complete": self.complete,
        }


def detect_format(path: str | Path) -> ExtractFormat | None:
    """The extract format named by the file's suffix (``.gz`` looked through), or None."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return _SUFFIXES.get(suffixes[-1]) if suffixes else None


class ExtractReader(Iterator[ExtractItem]):
    """An iterator over the items of one extract; see the module docstring."""

    def __init__(
        self,
        path: str | Path,
        *,
        format: ExtractFormat | None = None,
        build_records: bool = True,
        progress: bool | None = None,
    ) -> None:
        self.path = Path(path)
        self.format: ExtractFormat | None = format or detect_format(self.path)
        self.build_records = build_records
        self.summary = ExtractSummary(str(path), self.format or "unknown")
        self._progress_wanted = progress
        self._items = self._generate()

    def __iter__(self) -> ExtractReader:
        return self

    def __next__(self) -> ExtractItem:
        return next(self._items)

    def close(self) -> None:
        """Stop reading early and release the file."""
        self._items.close()

    # -- reading ---------------------------------------------------------------------------

    def _generate(self) -> Generator[ExtractItem, None, None]:
        if self.format is None:
            yield self._file_problem("SPC-C001", unknown_format_message(self.path))
            self.summary.complete = True
            return
        try:
            handle = open_extract(self.path)
        except OSError as exc:
            yield self._file_problem("SPC-C001", cannot_open_message(self.path, exc))
            self.summary.complete = True
            return
        progress = Progress.for_terminal(extract_size(self.path), self._progress_wanted)
        counter = _ByteCounter()
        try:
            lines = _bounded_lines(handle, counter)
            items = self._ndjson(lines) if self.format == "ndjson" else self._csv(lines)
            for item in items:
                self._count(item)
                if progress is not None and self.summary.read % _PROGRESS_EVERY == 0:
                    progress.update(self.summary.read, counter.bytes)
                yield item
        except (OSError, EOFError) as exc:  # a bad disk, a corrupt or truncated gzip stream
            yield self._file_problem("SPC-C001", part_way_message(self.path, exc))
        finally:
            handle.close()
            if progress is not None:
                progress.close(self.summary.read, counter.bytes)
        finish_summary(self.summary, self.path)

    def _file_problem(self, code: str, message: str) -> ExtractItem:
        return file_problem(self.summary, code, message)

    def _count(self, item: ExtractItem) -> None:
        count(self.summary, item)

    def _verdict(self, line: int, data: dict[str, Any], source_text: str) -> ExtractItem:
        return verdict(line, data, source_text, build_records=self.build_records)

    def _ndjson(self, lines: Iterator[tuple[int, bytes | None]]) -> Iterator[ExtractItem]:
        for number, raw in lines:
            item = ndjson_item(number, raw, build_records=self.build_records)
            if item is not None:
                yield item

    def _csv(self, lines: Iterator[tuple[int, bytes | None]]) -> Iterator[ExtractItem]:
        skipped: list[ExtractItem] = []
        position = [0]

        def text_lines() -> Iterator[str]:
            for number, raw in lines:
                position[0] = number
                if raw is None:
                    skipped.append(ExtractItem(number, None, None, (_too_long(number),)))
                    yield "\n"
                    continue
                try:
                    yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    skipped.append(ExtractItem(number, None, None, (_not_utf8(exc),)))
                    yield "\n"

        rows = csv.reader(text_lines(), strict=True)
        header: list[str] | None = None
        previous_end = 0
        with _csv_field_limit(MAX_LINE_BYTES):
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    break
                except csv.Error as exc:
                    yield from _drain(skipped)
                    start = previous_end + 1
                    previous_end = position[0]
                    yield ExtractItem(start, None, None, (_bad_row(exc),))
                    continue
                yield from _drain(skipped)
                start = position[0] - sum(cell.count("\n") for cell in row)
                previous_end = position[0]
                if not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    header = [cell.strip() for cell in row]
                    if not set(header) & set(csv_layout.column_names()):
                        yield self._file_problem(
                            "SPC-C010",
                            f"The first row ('{excerpt(','.join(header))}') names none of the "
                            "case-extract columns; the file needs the header row that "
                            "'spcore cases columns' lists.",
                        )
                        return
                    # Counter, not header.count: a hostile header may have a million columns.
                    # Unnamed columns (a spreadsheet's trailing commas) may repeat.
                    counts = collections.Counter(name for name in header if name)
                    duplicated = sorted(c for c, n in counts.items() if n > 1)
                    if duplicated:
                        yield self._file_problem(
                            "SPC-C011",
                            f"The CSV header names the column '{excerpt(duplicated[0])}' more than "
                            "once; keep one.",
                        )
                        return
                    continue
                yield self._csv_row(start, header, row)
            yield from _drain(skipped)

    def _csv_row(self, line: int, header: list[str], row: list[str]) -> ExtractItem:
        if len(row) > len(header):
            return ExtractItem(line, None, None, (_too_many_cells(len(row), len(header)),))
        try:
            data = csv_layout.row_to_record(header, row, _parse_cell)
        except csv_layout.CellError as exc:
            column = exc.column
            assert isinstance(column, csv_layout.Column)
            finding = error(
                "SPC-C013",
                pointer(*column.path),
                f"The '{column.name}' cell must hold a JSON list such as "
                f'["a","b"]; it cannot be read: {exc.reason}.',
            )
            return ExtractItem(line, None, None, (finding,))
        return self._verdict(line, data, "\x1f".join(row))


def read_extract(
    path: str | Path,
    *,
    format: ExtractFormat | None = None,
    build_records: bool = True,
    progress: bool | None = None,
) -> ExtractReader:
    """Read a case-record extract lazily: an iterator of :class:`ExtractItem`.

    ``format`` defaults to the one the file name says. ``build_records=False``
    skips building :class:`CaseRecord` models (``item.record`` stays None;
    ``item.data`` holds the validated JSON), which is several times faster.
    ``progress`` None shows a progress line on standard error only when it is
    a terminal. The reader's ``summary`` is final once it is exhausted.
    """
    return ExtractReader(path, format=format, build_records=build_records, progress=progress)


def check_extract(
    path: str | Path,
    *,
    format: ExtractFormat | None = None,
    progress: bool | None = None,
    keep: int = 5,
    workers: int | None = None,
) -> tuple[ExtractSummary, list[ExtractItem]]:
    """Read a whole extract; return its summary and the first ``keep`` rejected items per code.

    An NDJSON file is read in chunks by ``workers`` processes (default: one
    per processor, at most four; 1 reads in this process), with exactly the
    verdicts of :func:`reference_check_extract` (see :mod:`spcore.cases.chunks`).
    """
    chosen = format or detect_format(path)
    if chosen == "ndjson":
        from spcore.cases import chunks  # here, not above: chunks builds on this module

        return chunks.check_chunked(path, workers=workers, progress=progress, keep=keep)
    return reference_check_extract(path, format=format, progress=progress, keep=keep)


def reference_check_extract(
    path: str | Path,
    *,
    format: ExtractFormat | None = None,
    progress: bool | None = None,
    keep: int = 5,
) -> tuple[ExtractSummary, list[ExtractItem]]:
    """:func:`check_extract` record by record through :func:`read_extract`: the reference."""
    reader = read_extract(path, format=format, build_records=True, progress=progress)
    kept: dict[str, list[ExtractItem]] = collections.defaultdict(list)
    for item in reader:
        if item.accepted or item.line == 0:
            continue
        for code in dict.fromkeys(f.code for f in item.findings):
            if len(kept[code]) < keep:
                kept[code].append(item)
    return reader.summary, examples_in_order(kept)


def examples_in_order(kept: dict[str, list[ExtractItem]]) -> list[ExtractItem]:
    """The items kept as examples, each once, in the order of the file."""
    return sorted(
        {id(i): i for group in kept.values() for i in group}.values(), key=lambda i: i.line
    )


# -- the file as a whole -------------------------------------------------------------------
# Shared by every way of reading an extract, so a file's problems read the same whichever.


def open_extract(path: Path) -> IO[bytes]:
    """Open an extract for reading bytes, through gzip for ``.gz``; raises OSError.

    A damaged, truncated or oversized gzip stream raises
    :class:`spcore.compressed.DecompressionError` (an OSError), part-way if need be.
    """
    return open_maybe_compressed(path)


def unknown_format_message(path: Path) -> str:
    """Why a file with an unknown suffix is not read."""
    return (
        f"'{path.name}' is not a known extract format; name it .ndjson, .jsonl or "
        ".csv (optionally .gz), or give the format."
    )


def cannot_open_message(path: Path, exc: OSError) -> str:
    """Why a file cannot be opened."""
    return f"'{path}' cannot be read: {exc.strerror or type(exc).__name__}."


def part_way_message(path: Path, exc: OSError | EOFError) -> str:
    """Why reading stopped part-way (a read error, a corrupt or truncated gzip stream)."""
    if isinstance(exc, EOFError):
        return f"'{path}' ends part-way through its compressed data."
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"'{path}' stopped being readable part-way: {reason}."


def file_problem(summary: ExtractSummary, code: str, message: str) -> ExtractItem:
    """Record a problem with the file as a whole; the line-0 item that reports it."""
    finding = error(code, "", message)
    summary.file_findings.append(finding)
    return ExtractItem(0, None, None, (finding,))


def count(summary: ExtractSummary, item: ExtractItem) -> None:
    """Count one item in the summary (line-0 items are not records)."""
    if item.line == 0:
        return
    summary.read += 1
    if item.accepted:
        summary.accepted += 1
        if item.findings:
            summary.warned_by_code.update({f.code for f in item.findings})
    else:
        summary.rejected += 1
        summary.rejected_by_code.update({f.code for f in item.findings})


def finish_summary(summary: ExtractSummary, path: Path) -> None:
    """Mark the summary final, warning when the file held no records."""
    if summary.read == 0 and not summary.file_findings:
        summary.file_findings.append(
            warning("SPC-C020", "", f"'{path.name}' holds no case records.")
        )
    summary.complete = True


# -- one record ---------------------------------------------------------------------------


def verdict(
    line: int,
    data: dict[str, Any],
    source_text: str,
    *,
    build_records: bool = True,
    proved: bool = False,
) -> ExtractItem:
    """Validate a parsed record and, when valid (and ``build_records``), build its model.

    ``proved`` says the caller has already found the record valid against the
    schema as the reference reads it (a worker's quick reading), so it is not
    checked again.
    """
    if not proved:
        # Counting brackets is nearly free; only a record with many is walked for depth.
        nested = source_text.count("{") + source_text.count("[") > MAX_DEPTH
        if nested and not loading.parse_object(data).ok:
            return ExtractItem(line, None, data, (_too_deep(),))
    findings = () if proved else check_record(data, source_text=source_text)
    # The screen is a proof that the scan finds nothing; only a record it cannot clear is scanned.
    if not findings and not personal_data_screen()(data):
        findings = personal_data_findings(data)
    if findings:
        return ExtractItem(line, None, data, findings)
    measured = measure_findings(data)
    if has_errors(measured) or (not build_records and not model_may_refuse(source_text)):
        return ExtractItem(line, None, data, measured)
    # Without models, the model is still asked about the rare record it might refuse,
    # so an item is accepted or rejected alike whether or not models are built.
    try:
        record = CaseRecord.model_validate(data)
    except (pydantic.ValidationError, ValueError, TypeError) as exc:
        return ExtractItem(line, None, data, (model_refusal(exc),))
    return ExtractItem(line, record if build_records else None, data, measured)


def ndjson_item(
    number: int, raw: bytes | None, *, build_records: bool = True
) -> ExtractItem | None:
    """The item for line ``number`` of an NDJSON extract (its bytes, None if overlong).

    None for a blank line, which is not a record. This is the definition of
    how a line is read; every way of reading an extract goes through it or
    agrees with it (:mod:`spcore.cases.chunks`).
    """
    if raw is None:
        return ExtractItem(number, None, None, (_too_long(number),))
    raw = raw.rstrip(b"\r\n")
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return ExtractItem(number, None, None, (_not_utf8(exc),))
    data, problem = parse_json(text)
    if problem is not None:
        return ExtractItem(number, None, None, (problem,))
    if not isinstance(data, dict):
        return ExtractItem(number, None, None, (_not_object(data),))
    return verdict(number, data, text, build_records=build_records)


# -- lines and JSON ----------------------------------------------------------------------


class _ByteCounter:
    bytes = 0


def _bounded_lines(handle: IO[bytes], counter: _ByteCounter) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, the line's bytes with its ending), or None for an overlong line.

    No line longer than :data:`MAX_LINE_BYTES` is ever held in memory: the rest
    of an overlong line is read in small pieces and thrown away.
    """
    number = 0
    limit = MAX_LINE_BYTES
    while True:
        chunk = handle.readline(limit + 1)
        if not chunk:
            return
        number += 1
        counter.bytes += len(chunk)
        if len(chunk) > limit and not chunk.endswith(b"\n"):
            while True:
                rest = handle.readline(1 << 16)
                counter.bytes += len(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, chunk


def model_may_refuse(source_text: str) -> bool:
    """True when a record that passes the schema might still be refused by its model.

    The schema is checked as the reference ``jsonschema`` reads it, and the
    model is stricter in two ways a record's text shows: a pattern's ``$``
    lets a final newline through where the model's does not (an escaped
    ``\\n`` in JSON, a newline in a CSV cell), and a lone surrogate (only
    writable as a ``\\u`` escape) is text to the schema but not to the
    model. (Numbers too large for a float are past the schema's maximum for
    every number of a case record.) A false alarm only costs building one
    model.
    """
    return "\\u" in source_text or "\\n" in source_text or "\n" in source_text


def parse_json(text: str) -> tuple[Any, Finding | None]:
    """Parse one JSON text strictly: (value, None), or (None, the finding that stops it).

    The text is parsed by :func:`spcore.strict_json.loads`, the parser every
    spcore document shares.
    """
    try:
        return strict_json.loads(text, max_depth=MAX_DEPTH), None
    except strict_json.StrictJsonError as exc:
        kind = strict_json.JsonProblem
        if exc.kind is kind.DUPLICATE_KEY:
            return None, error(
                "SPC-C005",
                "",
                f"The field '{exc.detail}' appears twice in one object; keep one value.",
            )
        if exc.kind is kind.TOO_DEEP:
            return None, _too_deep()
        exc.line = None  # one line of an extract: the column says where
        if exc.kind is kind.UNENCODABLE_TEXT:
            return None, error("SPC-C009", "", f"The line is not usable: {exc.sentence()}.")
        return None, error("SPC-C003", "", f"The line is not valid JSON: {exc.sentence()}.")


@functools.cache
def _free_text_paths() -> tuple[tuple[str, ...], ...]:
    return free_text_paths(schemas.load("case-record"))


def personal_data_findings(data: dict[str, Any]) -> tuple[Finding, ...]:
    """``SPC-C015`` for personal data in a case record's free text (the shared scanner).

    A case extract is pseudonymised: a telephone number, NHS number, date of
    birth, email address or postcode in a group's name is personal data that
    must not travel with it, so the record is rejected (and never added up).
    The finding names the kind, never the text.
    """
    return tuple(
        error(
            "SPC-C015",
            path,
            f"This text holds what looks like {article(match.kind)} {match.kind.value}; "
            "remove it, as a case extract must not identify anyone.",
        )
        for path, match in scan_paths(data, _free_text_paths())
    )


def _parse_cell(text: str, column: csv_layout.Column) -> Any:
    value, problem = parse_json(text)
    if problem is not None:
        reason = problem.message.removeprefix("The line is not valid JSON: ").rstrip(".")
        raise csv_layout.CellError(column, reason)
    return value


# -- findings ----------------------------------------------------------------------------


def _too_long(number: int) -> Finding:
    return error(
        "SPC-C004",
        "",
        f"Line {number} is longer than {MAX_LINE_BYTES:,} bytes, far longer than any case "
        "record; it was skipped.",
    )


def _not_utf8(exc: UnicodeDecodeError) -> Finding:
    return error(
        "SPC-C002",
        "",
        f"The line is not UTF-8 text (byte {exc.start + 1} cannot be read); save the extract "
        "as UTF-8.",
    )


def _not_object(value: Any) -> Finding:
    kind = {list: "a list", str: "text", bool: "true or false", type(None): "null"}.get(
        type(value), "a number"
    )
    return error(
        "SPC-C006", "", f"The line must hold one case record (a JSON object) but holds {kind}."
    )


def _too_deep() -> Finding:
    return error(
        "SPC-C007",
        "",
        f"The record nests lists or objects more than {MAX_DEPTH} levels deep; no case record "
        "does.",
    )


def model_refusal(exc: Exception) -> Finding:
    """The finding for a record that passes the schema but that its model refuses (SPC-C008)."""
    where = ""
    detail = excerpt(str(exc).splitlines()[0], 160)
    if isinstance(exc, pydantic.ValidationError) and exc.errors():
        first = exc.errors()[0]
        where = pointer(*first["loc"])
        detail = excerpt(str(first["msg"]), 160)
    return error(
        "SPC-C008",
        where,
        f"The record matches the schema but the case-record model refuses it: {detail}.",
    )


def _too_many_cells(cells: int, columns: int) -> Finding:
    return error(
        "SPC-C012",
        "",
        f"The row has {cells} cells but the header has {columns} columns; a cell may hold an "
        "unquoted comma.",
    )


def _bad_row(exc: csv.Error) -> Finding:
    return error("SPC-C014", "", f"The CSV row cannot be read: {excerpt(str(exc), 160)}.")


def _drain(items: list[ExtractItem]) -> Iterator[ExtractItem]:
    while items:
        yield items.pop(0)


def extract_size(path: Path) -> int | None:
    """The file's size for progress (None for gzip, whose size is not known)."""
    if path.suffix.lower() == ".gz":
        return None  # only the compressed size is known; show a record count instead
    try:
        return path.stat().st_size
    except OSError:
        return None


@contextlib.contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    """Raise the csv module's field limit (131,072 characters) while a file is read.

    A list cell of a large case can exceed the default; the module-wide limit
    is put back afterwards.
    """
    saved = csv.field_size_limit()
    csv.field_size_limit(max(saved, limit))
    try:
        yield
    finally:
        csv.field_size_limit(saved)
