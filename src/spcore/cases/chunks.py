"""Reading an NDJSON extract fast: chunks of whole lines, checked in parallel, merged in order.

The definition of how a line is read is
:func:`spcore.cases.extracts.ndjson_item` (the *reference*: Python's ``json``
with the strict hooks, then :func:`~spcore.cases.fastcheck.check_record` and,
when it might refuse, the model). This module reads the same lines to the
same verdicts, faster, in two ways:

* **A quick acceptance.** Most lines of a real extract are valid records
  written plainly. A line is accepted here without the reference only when
  every one of these holds; any other line goes through the reference, whole:

  - it has no backslash (so no escape can hide a lone surrogate, a final
    newline the model refuses, a year ``0000`` or a colon; see below);
  - ``orjson`` parses it to an object (``orjson`` refuses invalid UTF-8, a
    byte-order mark, lone surrogates, ``NaN``, infinite and overlong numbers,
    and parses every other number to the value Python's ``json`` gives,
    except integers past 64 bits, which fail the schema on both paths when
    :func:`_closed_schema` holds, and send the line to the reference when not);
  - no object names a field twice. ``orjson`` keeps the last value of a
    repeated name, so the names are counted instead: every member of an
    object is written with one colon outside a string, so the line's colons
    are at least its members; re-written by ``orjson`` (one colon per member
    kept, and the colons of the strings kept), the count is the same exactly
    when no member was dropped (without a backslash no colon is escaped).
    A line written compactly, as ``orjson`` writes it, is the re-written
    text byte for byte, so its colons are not counted: the same count
    follows from the same bytes;
  - it does not contain ``0000-`` (the one date the compiled check and the
    reference read apart); a valid record cannot nest past the limit when
    :func:`_closed_schema` holds, and the brackets are counted when not;
  - the compiled proof of :mod:`spcore.schemas.program` proves it valid,
    or else the compiled ``jsonschema-rs`` validator finds it valid (the same
    trust :func:`~spcore.cases.fastcheck.check_record` places in them);
  - the screens of :mod:`spcore.cases.screens` prove that the checks beyond
    the schema (personal data, outcome measures, service use, retired
    codes) find nothing in it.

  Line 1 always goes through the reference (it may start with a byte-order
  mark, which the reference skips). A line that passes every test but the
  last two is a record read exactly as the reference reads it, so only its
  findings are worked out by the reference (:func:`~spcore.cases.extracts.verdict`).
  In a worker (:class:`Reading`), where spcore was built with
  ``spcore.cases._screens``, its ``read_run`` takes these tests for each line
  of a run and hands the first line it might not accept back to the Python
  reading. Its lines are parsed by a compiled parser (``Parser``) in place
  of ``orjson``: it gives exactly what Python's ``json`` gives, or leaves
  the line to Python, as it does any line with an escape, ``0000-``, a name
  given twice, an integer past 18 digits or anything else unusual; and it
  gives the schema's names and codes as the interned strings of
  :func:`vocabulary`, so the screens, the proof and the columns look them up
  without comparing text. The validator, the screens and ``accept`` are the
  same functions Python calls.

* **Chunks in parallel.** The file is cut into chunks of whole lines, each
  knowing the number of its first line; worker processes check chunks and
  the results are merged in the order of the file, so line numbers, the
  order of findings and the order in which values are first seen are those
  of reading the file from start to end. A line longer than
  :data:`~spcore.cases.codes.MAX_LINE_BYTES` is never held whole: its
  chunk says only that it is there. From a regular file, a chunk sent to a
  worker says where its lines are and the worker reads them itself, so the
  extract is not copied between processes (a gzip stream's chunks carry
  their bytes). A worker checking an extract sends back, for each rejected
  line, its findings and its bytes (:class:`Rejected`), not the parsed record.

Memory is a few chunks (:data:`BLOCK` bytes each) per worker, whatever the
size of the extract.
"""

from __future__ import annotations

import collections
import errno
import functools
import gc
import io
import multiprocessing
import os
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import IO, Any, Final, Protocol, TypeVar

import attrs
import orjson

from spcore import schemas
from spcore.cases import screens
from spcore.cases.codes import MAX_DEPTH, MAX_LINE_BYTES
from spcore.cases.contacts_lane import contacts_lane
from spcore.cases.extracts import (
    ExtractItem,
    ExtractSummary,
    cannot_open_message,
    examples_in_order,
    extract_size,
    file_problem,
    finish_summary,
    ndjson_item,
    open_extract,
    part_way_message,
    verdict,
)
from spcore.cases.fastcheck import SCHEMA_NAME, _documents, quick_is_valid
from spcore.cases.progress import Progress
from spcore.cases.workers import WorkerStoppedError
from spcore.compiled import screens_module
from spcore.findings import Finding
from spcore.heap import keep_freed_memory

#: Bytes read at a time; a chunk is this much of whole lines (or one line, when longer).
#: Fewer, larger chunks cost the workers and the merge less: at 8 MiB (some 3,700 records)
#: a million records were read 8% faster than at 4 MiB for 6 MiB more memory, and 16 MiB
#: gained nothing more for 30 MiB more (benchmarks/README.md).
BLOCK: Final = 8 * 1024 * 1024

#: Most worker processes used when the caller does not say.
MAX_WORKERS: Final = 4

T = TypeVar("T")
R = TypeVar("R")


@attrs.frozen
class Chunk:
    """Whole lines of an extract, from line ``first_line``; or one overlong line.

    The lines are ``head`` followed by ``data`` (its first ``used`` bytes,
    when set); or, when ``path`` is set, the ``length`` bytes of that file
    from ``start`` (``data`` empty), read where the chunk is worked on so they
    are not sent between processes. :meth:`content` gives them either way.
    """

    first_line: int
    data: bytes
    #: True when this stands for one line longer than MAX_LINE_BYTES (``data`` is empty).
    overlong: bool = False
    #: Bytes of the file read so far, for progress.
    offset: int = 0
    #: The regular file the lines are in, when ``data`` does not hold them.
    path: str | None = None
    start: int = 0
    length: int = 0
    #: Newlines in the lines (checked when they are read again from ``path``).
    newlines: int = 0
    #: The end of a line begun before ``data``, when ``data`` is a block as read.
    head: bytes = b""
    #: How many bytes of ``data`` are lines of the chunk (-1: all of them).
    used: int = -1

    def content(self) -> bytes:
        """The chunk's bytes; raises OSError when its file no longer holds them."""
        if self.path is None:
            if self.used < 0 and not self.head:
                return self.data
            used = len(self.data) if self.used < 0 else self.used
            return b"".join((self.head, memoryview(self.data)[:used]))  # one copy
        with open(self.path, "rb", buffering=0) as file:
            file.seek(self.start)
            data = file.read(self.length) or b""
            while len(data) < self.length:  # a short read is allowed; only the end stops
                more = file.read(self.length - len(data))
                if not more:
                    break
                data += more
        if len(data) != self.length or newlines(data) != self.newlines:
            raise OSError(errno.EIO, "the file changed while it was read")
        return data


#: Bytes from which :func:`newlines` counts with NumPy, when loaded.
_VECTOR_COUNT: Final = 1 << 16


def newlines(data: bytes) -> int:
    """The newlines in ``data``.

    Counted by ``spcore.cases._screens`` where it is built (a search from one
    newline to the next); else with NumPy when the process has loaded it
    (three times as fast as ``bytes.count`` on a large block, which matters
    where one process cuts a whole extract into chunks), but never loaded for
    this alone: reading columns loads it anyway, while checking an extract
    starts without it.
    """
    module = screens_module()
    if module is not None:
        return int(module.newlines(data))
    numpy = sys.modules.get("numpy")
    if numpy is None or len(data) < _VECTOR_COUNT:
        return data.count(b"\n")
    return int(numpy.count_nonzero(numpy.frombuffer(data, numpy.uint8) == 0x0A))


def _blocks(read: Callable[[int], bytes]) -> Iterator[bytes]:
    """The stream ``read`` reads, in blocks of at least :data:`BLOCK` bytes (the last may be less).

    ``read`` is one read of the stream (``read1``): for a plain file it gives a
    whole block at once, but gzip's gives one step of decompression, some
    50 KB, and a chunk of that size costs its worker and the merge as much as
    a full one. So reads are joined up to a block. When a read fails, the
    bytes read before it are given first, then the failure is raised: nothing
    read is lost.
    """
    parts: list[bytes] = []
    held = 0
    while True:
        try:
            block = read(BLOCK - held)
        except (OSError, EOFError):  # what reading raises for a damaged or cut-short file
            if parts:
                yield b"".join(parts)
            raise
        if not block:
            if parts:
                yield b"".join(parts)
            return
        parts.append(block)
        held += len(block)
        if held >= BLOCK:
            yield b"".join(parts)  # one part: the same bytes, not a copy
            parts, held = [], 0


def chunks(handle: IO[bytes], located: str | None = None) -> Iterator[Chunk]:
    """Cut the bytes of ``handle`` into chunks of whole lines, numbered as the reference numbers.

    A line is the bytes up to and including a newline (the last may have
    none). A line whose text is longer than :data:`MAX_LINE_BYTES` is read
    in pieces, thrown away and reported as an overlong chunk, as
    :func:`spcore.cases.extracts.read_extract` does. With ``located`` (the
    path of the regular file ``handle`` reads from its start), chunks say
    where their lines are instead of holding them. Raises what reading raises.
    """
    read = getattr(handle, "read1", handle.read)  # one read of the stream: nothing lost on error
    carry = b""
    carry_start = 0  # where in the file ``carry`` starts
    line = 1
    done = 0
    skipping = False
    for block in _blocks(read):
        block_start, done = done, done + len(block)
        if skipping:
            end = block.find(b"\n")
            if end < 0:
                continue
            block, skipping, line = block[end + 1 :], False, line + 1
            block_start += end + 1
        if not carry:
            carry_start = block_start
        cut = block.rfind(b"\n")  # ``carry`` holds no newline
        if cut < 0:
            carry += block
        else:
            # No newline follows the cut, so the whole block is counted: every block the
            # same size of work, and of NumPy's temporary array, which the heap reuses.
            count = newlines(block)
            length = len(carry) + cut + 1
            if located is None:
                # The block goes as read, with the carry before it, and the chunk's lines are
                # joined where it is worked on: joined here, each chunk's bytes would be a
                # new size, and the heap of a long stream fills with holes none fits.
                yield Chunk(line, block, offset=done, head=carry, used=cut + 1)
            else:
                yield Chunk(
                    line,
                    b"",
                    offset=done,
                    path=located,
                    start=carry_start,
                    length=length,
                    newlines=count,
                )
            line += count
            carry, carry_start = block[cut + 1 :], block_start + cut + 1
        if len(carry) > MAX_LINE_BYTES:
            yield Chunk(line, b"", overlong=True, offset=done)
            carry, skipping = b"", True
    if carry and not skipping:
        yield Chunk(line, carry, offset=done)


# -- the quick acceptance ----------------------------------------------------------------


_LIMIT = 2**53  # every integer up to here is read alike by orjson (64-bit) and Python
_COMBINERS = ("anyOf", "oneOf", "allOf")


def _bounded(node: dict[str, Any]) -> bool:
    high = min(node.get("maximum", _LIMIT + 1), node.get("exclusiveMaximum", _LIMIT + 1))
    low = max(node.get("minimum", -_LIMIT - 1), node.get("exclusiveMinimum", -_LIMIT - 1))
    return bool(high <= _LIMIT and low >= -_LIMIT)


class _OpenSchemaError(Exception):
    """The schema admits an unbounded number, any value somewhere, or unbounded nesting."""


def _resolve(ref: str, base: str) -> tuple[Any, str]:
    uri, _, fragment = ref.partition("#")
    uri = uri or base
    target: Any = _documents().get(uri)
    for token in fragment.split("/")[1:]:
        if not isinstance(target, dict):
            raise _OpenSchemaError(ref)
        target = target.get(token.replace("~1", "/").replace("~0", "~"))
    if not isinstance(target, dict):
        raise _OpenSchemaError(ref)
    return target, uri


def _named(node: Any, base: str) -> dict[str, Any]:
    """``node`` with a ``$ref`` followed (an empty schema for anything else)."""
    if not isinstance(node, dict):
        return {}
    return _resolve(node["$ref"], base)[0] if "$ref" in node else node


def _depth(node: Any, base: str, walking: frozenset[int]) -> int:
    """The deepest nesting of lists and objects a value valid against ``node`` can have."""
    if not isinstance(node, dict) or id(node) in walking:
        raise _OpenSchemaError("a recursive or malformed subschema")
    walking = walking | {id(node)}
    deepest = 0
    if "$ref" in node:
        target, uri = _resolve(node["$ref"], base)
        deepest = _depth(target, uri, walking)
    for key in _COMBINERS:
        for branch in node.get(key) or ():
            deepest = max(deepest, _depth(branch, base, walking))
    kinds = node.get("type")
    if kinds is None:
        if not ({"$ref", "enum", "const", *_COMBINERS} & node.keys()):
            raise _OpenSchemaError("a subschema without a type")
        if {"enum", "const"} & node.keys() and deepest == 0:
            values = [*node.get("enum", ()), node.get("const")]
            if any(isinstance(v, dict | list) for v in values):
                raise _OpenSchemaError("a container constant")
        return deepest
    kinds = {kinds} if isinstance(kinds, str) else set(kinds)
    if {"number", "integer"} & kinds and not _bounded(node):
        raise _OpenSchemaError("an unbounded number")
    if "object" in kinds:
        extra = node.get("additionalProperties", True)
        # A map keyed by a codelist (``propertyNames`` an enum, each value one schema) is as
        # closed as an object whose properties are those codes.
        keyed = isinstance(extra, dict) and "enum" in _named(node.get("propertyNames"), base)
        if (extra is not False and not keyed) or "patternProperties" in node:
            raise _OpenSchemaError("an open object")
        children = list((node.get("properties") or {}).values()) + ([extra] if keyed else [])
        deepest = max([deepest, 1, *(1 + _depth(c, base, walking) for c in children)])
    if "array" in kinds:
        if "items" not in node or "prefixItems" in node:
            raise _OpenSchemaError("an array of anything")
        deepest = max(deepest, 1 + _depth(node["items"], base, walking))
    return deepest


@functools.cache
def _closed_schema() -> bool:
    """True when the case-record schema is closed enough for two shortcuts.

    Closed: every number it admits is bounded within ±2**53 (so an integer
    too large for ``orjson``, which reads one past 64 bits as a float, fails
    the schema on both paths alike), and a valid record cannot nest deeper
    than the nesting limit (so a line the compiled validator accepts needs no
    depth check). Checked on the schema itself, so a field added to it is
    taken into account; when False, lines are screened for 19-digit runs and
    brackets instead.
    """
    try:
        depth = _depth(schemas.load(SCHEMA_NAME), schemas.schema_id(SCHEMA_NAME), frozenset())
    except _OpenSchemaError:
        return False
    return depth <= MAX_DEPTH


_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
#: A run of digits long enough for an integer orjson reads differently from Python: past
#: 64 bits it gives a float, and below -2**63 (19 digits) it does already.
_LONG_DIGITS = b"0" * 19


QuickRead = Callable[[bytes], tuple[dict[str, Any], bool] | None]


def quick_read(raw: bytes) -> tuple[dict[str, Any], bool] | None:
    """The record on this line and whether it is valid, when read as the reference reads it.

    None when the quick reading cannot vouch for the line, which then goes
    through the reference whole. Otherwise the data is exactly what Python's
    ``json`` would give, and ``True`` means the compiled validator accepts it
    (so the reference accepts it too). ``raw`` is one line without its line
    ending, not line 1.
    """
    return _quick_reader()(raw)


#: What the quick reading treats as "not quickly": ``orjson``'s and the validator's refusals.
_REFUSED: Final = (orjson.JSONDecodeError, orjson.JSONEncodeError, ValueError, RecursionError)


@functools.cache
def _quick_reader() -> QuickRead:
    """:func:`quick_read` with the validator and the schema's closedness bound once."""
    closed = _closed_schema()
    is_valid = quick_is_valid()
    loads, dumps = orjson.loads, orjson.dumps

    def read(raw: bytes) -> tuple[dict[str, Any], bool] | None:
        if b"\\" in raw or b"0000-" in raw:
            return None
        if not closed and raw.count(b"{") + raw.count(b"[") > MAX_DEPTH:
            return None
        try:
            data = loads(raw)
            if type(data) is not dict:
                return None
            written = dumps(data)
            if written != raw and raw.count(b":") != written.count(b":"):
                return None
            if is_valid(data):
                if closed or _LONG_DIGITS not in raw.translate(_DIGITS):
                    return data, True
                return None
        except _REFUSED:
            return None  # what orjson or the validator cannot take (such as deep nesting)
        return _refused_read(raw, data)

    return read


def vocabulary() -> tuple[str, ...]:
    """The names and codes of the bundled schemas, interned: the text a worker's parser shares.

    Every name a schema gives ``properties`` or ``required``, and every text of an
    ``enum`` or ``const``, as the interned ``str`` (:func:`sys.intern`): the very
    objects the compiled screens and fill look names up with, and the code tables
    of :mod:`spcore.aggregation.columns` are keyed by, so those lookups meet the
    same object and never compare text.
    """
    found: dict[str, None] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for keyword, value in node.items():
                if keyword == "properties" and isinstance(value, dict):
                    found.update(dict.fromkeys(value))
                elif keyword in ("required", "enum") and isinstance(value, list):
                    found.update(dict.fromkeys(v for v in value if isinstance(v, str)))
                elif keyword == "const" and isinstance(value, str):
                    found[value] = None
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(list(_documents().values()))
    return tuple(sys.intern(text) for text in found)


@functools.cache
def _line_parser() -> Any:
    """The compiled parser of a worker's runs (``spcore.cases._screens.Parser``)."""
    module = screens_module()
    assert module is not None, "only where spcore.cases._screens is built"
    return module.Parser(vocabulary(), contacts_lane())


def _refused_read(raw: bytes, data: dict[str, Any]) -> tuple[dict[str, Any], bool] | None:
    """:func:`quick_read` of a line read to ``data``, which the validator refuses."""
    # Its findings may quote a number, which must be Python's reading of it.
    return None if _LONG_DIGITS in raw.translate(_DIGITS) else (data, False)


def quick_accept(raw: bytes) -> dict[str, Any] | None:
    """The record on this line when :func:`quick_read` finds it valid; else None."""
    found = quick_read(raw)
    return found[0] if found is not None and found[1] else None


def _pieces(content: bytes) -> list[bytes]:
    """A chunk's lines, without their newlines (a final newline ends the last line)."""
    pieces = content.split(b"\n")
    if content.endswith(b"\n"):
        pieces.pop()
    return pieces


def _line(
    number: int,
    raw: bytes,
    read: QuickRead,
    clear: Callable[[Mapping[str, Any]], bool],
    parsed: tuple[dict[str, Any], bool] | None = None,
) -> tuple[dict[str, Any] | None, ExtractItem | None] | None:
    """Line ``number`` as :func:`lines` gives it (without the number); None for a blank line.

    ``parsed`` is the record a compiled run read from the line, as the quick
    reading reads it, and whether the validator accepted it, so it is not read
    again.
    """
    if len(raw) > MAX_LINE_BYTES:
        return None, ndjson_item(number, None, build_records=False)
    raw = raw.rstrip(b"\r")
    if parsed is not None:
        found = parsed if parsed[1] else _refused_read(raw, parsed[0])
    else:
        found = read(raw) if number > 1 else None
    if found is not None:
        data, valid = found
        if valid and clear(data):
            return data, None
        # parsed as the reference parses it; the findings are the reference's (a record
        # the quick reading found valid, and within the nesting limit, is not checked again)
        return None, verdict(number, data, raw.decode(), build_records=False, proved=valid)
    item = ndjson_item(number, raw, build_records=False)
    return None if item is None else (None, item)


def lines(chunk: Chunk) -> Iterator[tuple[int, dict[str, Any] | None, ExtractItem | None]]:
    """Each record of a chunk: (line, data when quickly accepted, else the reference item).

    Blank lines are skipped, as the reference skips them.
    """
    if chunk.overlong:
        yield chunk.first_line, None, ndjson_item(chunk.first_line, None)
        return
    read, clear = _quick_reader(), screens.record_screen()
    for number, raw in enumerate(_pieces(chunk.content()), chunk.first_line):
        found = _line(number, raw, read, clear)
        if found is not None:
            yield number, *found


#: ``accept(data, line)``: what is done with a quickly accepted record.
Accept = Callable[[dict[str, Any], int], object]


class Reading:
    """The records of a chunk in order, as :func:`lines` gives them, for a worker.

    Each quickly accepted record is handed to ``accept`` (when given) and
    counted in :attr:`accepted`; iterating yields (line, reference item) for
    every other record, in its place among them. Where ``spcore.cases._screens``
    is built, runs of accepted lines are read by its ``read_run``, which does
    what :func:`_line` does for such a line without a Python call of its own,
    and stops at the first line it might not accept; :func:`_line` reads that one
    (from the record the run read, when it read one).

    A reading ``later`` lets one run go through the whole chunk and reads the
    lines it handed back after it, in order: every record the run accepted has
    then been handed to ``accept`` before any of those lines is yielded or
    accepted (see :mod:`spcore.aggregation.line_order`, which puts the rows of a
    chunk's columns back in line order).

    Without ``accept``, or with one that takes a record's contacts ``packed``
    (the compiled fill: ``accept(data, line, contacts)``), the compiled runs
    read contacts with the parser's contacts lane
    (:mod:`spcore.cases.contacts_lane`), making no objects of them.
    """

    def __init__(
        self,
        chunk: Chunk,
        accept: Accept | None = None,
        *,
        later: bool = False,
        packed: bool = False,
    ) -> None:
        self.chunk = chunk
        self.accept = accept
        self.later = later
        self.lane = accept is None or packed
        #: Records quickly accepted so far.
        self.accepted = 0
        self._lines: list[bytes] | None = None
        #: The lines a compiled run handed back, by number (the only ones asked for again).
        self._handed_back: dict[int, bytes] = {}

    @property
    def handed_back(self) -> int:
        """Lines compiled runs handed back to Python so far."""
        return len(self._handed_back)

    def line_bytes(self, number: int) -> bytes | None:
        """Line ``number`` of the chunk as read; None for a line too long to hold."""
        if self.chunk.overlong:
            return None
        raw = self._handed_back.get(number)
        if raw is None:
            if self._lines is None:
                self._lines = _pieces(self.chunk.content())
            raw = self._lines[number - self.chunk.first_line]
        return None if len(raw) > MAX_LINE_BYTES else raw

    def __iter__(self) -> Iterator[tuple[int, ExtractItem]]:
        module = screens_module()
        if module is None or self.chunk.overlong or not _closed_schema():
            yield from self._each()
            return
        run, clear = module.read_run, screens.record_screen()
        accept, first = self.accept, self.chunk.first_line
        steps = (_line_parser(), quick_is_valid(), clear, accept)
        # The lines are read where they lie in the chunk's bytes, never split into copies.
        content = self.chunk.content()
        if self.later:
            handed: list[tuple[int, int, int, dict[str, Any] | None, bool]] = []
            stop, _, _, _ = run(
                content, 0, 0, first, *steps, MAX_LINE_BYTES, _REFUSED, handed, self.lane
            )
            self.accepted += stop - len(handed)
            for index, start, end, data, valid in handed:
                raw = self._handed_back[first + index] = content[start:end]
                yield from self._handed(first + index, raw, data, valid)
            return
        offset = index = 0
        while offset < len(content):
            stop, offset, data, valid = run(
                content, offset, index, first, *steps, MAX_LINE_BYTES, _REFUSED, None, self.lane
            )
            self.accepted += stop - index
            if offset == len(content):
                return
            end = content.find(b"\n", offset)
            end = len(content) if end < 0 else end
            raw = self._handed_back[first + stop] = content[offset:end]
            yield from self._handed(first + stop, raw, data, valid)
            index, offset = stop + 1, end + 1

    def _handed(
        self, number: int, raw: bytes, data: dict[str, Any] | None, valid: bool
    ) -> Iterator[tuple[int, ExtractItem]]:
        """A line a compiled run handed back, read by :func:`_line`."""
        parsed = None if data is None else (data, valid)
        found = _line(number, raw, _quick_reader(), screens.record_screen(), parsed)
        if found is not None:
            taken, item = found
            if item is None:
                assert taken is not None
                self._take(taken, number)
            else:
                yield number, item

    def _each(self) -> Iterator[tuple[int, ExtractItem]]:
        for number, data, item in lines(self.chunk):
            if item is None:
                assert data is not None
                self._take(data, number)
            else:
                yield number, item

    def _take(self, data: dict[str, Any], line: int) -> None:
        self.accepted += 1
        if self.accept is not None:
            self.accept(data, line)


# -- in order, in parallel ------------------------------------------------------------------


def default_workers() -> int:
    """Worker processes to use: the processors this process may use, at most MAX_WORKERS."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_WORKERS))


def _start_worker() -> None:
    # A forked worker inherits the command line's SIGTERM handler (spcore.cli.run); the
    # pool stops its workers with SIGTERM, which must end them, not raise in their work.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # The parent's objects, inherited, are never garbage; and a chunk's records form no
    # cycles. The collector would only walk the chunk's growing containers, again and again.
    gc.freeze()
    gc.disable()
    keep_freed_memory()


def _start_method() -> str | None:
    """Fork when it is safe (one thread: nothing can hold a lock); else a fresh interpreter."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else None


def _main_found_again() -> bool:
    """Whether a fresh interpreter can run this program's main module again.

    Workers started afresh (``forkserver``, ``spawn``) first import the main
    module: by its name when run with ``-m``, else from its file. A program
    read from standard input (``python -``) names a file, ``<stdin>``, that
    is not there, and its workers die before their first chunk.
    """
    main = sys.modules.get("__main__")
    if main is None or getattr(getattr(main, "__spec__", None), "name", None):
        return True
    path = getattr(main, "__file__", None)
    if path is None:
        return True  # an interactive session or a notebook: nothing to import again
    # Where the workers look for a relative path (as multiprocessing.spawn does).
    started_in = getattr(multiprocessing.process, "ORIGINAL_DIR", None) or ""
    return os.path.isfile(os.path.join(started_in, path))


def ordered_map(
    work: Callable[[T], R], items: Iterable[T], workers: int | None = None
) -> Iterator[R]:
    """``work`` applied to each item, results in order; in ``workers`` processes when above 1.

    At most two items per worker are in flight, so memory does not grow with
    the input. If taking the next item raises, the results of the items
    already taken are yielded first, then the exception is raised. Where
    workers would have to start afresh but could not run the program's main
    module again (see :func:`_main_found_again`), the work is done here. A
    worker that stops (killed) raises :class:`WorkerStoppedError`.
    """
    count = default_workers() if workers is None else workers
    method = _start_method()
    if method != "fork" and not _main_found_again():
        count = 1  # workers could not start: the same results, in this process
    if count <= 1:
        for item in items:
            yield work(item)
        return
    quick_is_valid()  # compiled once here, inherited by forked workers
    _closed_schema()
    context = multiprocessing.get_context(method)
    with ProcessPoolExecutor(count, mp_context=context, initializer=_start_worker) as pool:
        pending: collections.deque[Future[R]] = collections.deque()
        failure: BaseException | None = None
        iterator = iter(items)
        while True:
            try:
                item = next(iterator)
            except StopIteration:
                break
            except (OSError, EOFError) as exc:
                failure = exc
                break
            try:
                pending.append(pool.submit(work, item))
            except BrokenProcessPool as exc:  # a worker stopped before this item was given
                failure = _stopped(exc)
                break
            if len(pending) >= 2 * count:
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())
        if failure is not None:
            raise failure


def _result(future: Future[R]) -> R:
    """The future's result; a worker that stopped raises :class:`WorkerStoppedError`."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise _stopped(exc) from exc


def _stopped(cause: BrokenProcessPool) -> WorkerStoppedError:
    """What a worker that stopped is said as, caused by the pool's own error."""
    stopped = WorkerStoppedError(
        "a worker process stopped before it finished its part of the extract "
        "(killed, often by the system when memory runs short)"
    )
    stopped.__cause__ = cause
    return stopped


# -- reading a file -------------------------------------------------------------------------


class Worked(Protocol):
    """What work on a chunk returns: at least how far into the file the chunk ended."""

    @property
    def offset(self) -> int:
        """Bytes of the file read up to the end of the chunk."""
        ...


W = TypeVar("W", bound=Worked)


def read_chunked(
    path: Path,
    summary: ExtractSummary,
    work: Callable[[Chunk], W],
    *,
    workers: int | None = None,
    progress: bool | None = None,
) -> Iterator[W | ExtractItem]:
    """``work``'s result for each chunk of an NDJSON extract, in order, then file problems.

    Problems with the file as a whole come as line-0 items where the
    reference yields them (recorded in ``summary``, which the caller counts
    records into; it is finished here). Reading never raises for bad input.
    """
    try:
        handle = open_extract(path)
    except OSError as exc:
        yield file_problem(summary, "SPC-C001", cannot_open_message(path, exc))
        summary.complete = True
        return
    size = extract_size(path)
    bar = Progress.for_terminal(size, progress)
    if workers is None and size is not None and size <= BLOCK:
        workers = 1  # one chunk: nothing to share out
    count = default_workers() if workers is None else workers
    # Workers read a regular file's lines themselves: only where they are is sent.
    located = os.path.abspath(path) if count > 1 and _regular(handle) else None
    offset = 0
    try:
        for result in ordered_map(work, chunks(handle, located), count):
            offset = result.offset
            yield result
            if bar is not None:
                bar.update(summary.read, offset)
    except (OSError, EOFError) as exc:
        yield file_problem(summary, "SPC-C001", part_way_message(path, exc))
    finally:
        handle.close()
        if bar is not None:
            bar.close(summary.read, offset)
    finish_summary(summary, path)


def _regular(handle: IO[bytes]) -> bool:
    """True when ``handle`` reads a regular file as it is, from its start (not gzip, not a pipe)."""
    if not isinstance(handle, io.BufferedReader):
        return False
    try:
        return stat.S_ISREG(os.fstat(handle.fileno()).st_mode) and handle.tell() == 0
    except (OSError, ValueError):
        return False


@attrs.frozen
class Rejected:
    """A rejected line as a worker sends it: its findings, and the line to read again.

    The record's data is not sent: copying a parsed record between processes
    costs more than reading the line again, and only the few items kept as
    examples need it (a record may also nest too deeply to be copied at all).
    """

    line: int
    #: The line's bytes; None for a line too long to hold (its item says only that).
    raw: bytes | None
    findings: tuple[Finding, ...]

    def item(self) -> ExtractItem:
        """The line's item, read again where it is needed (the same verdict and findings)."""
        item = ndjson_item(self.line, self.raw, build_records=False)
        assert item is not None
        return item


@attrs.frozen
class CheckedChunk:
    """The verdicts on one chunk: counts, and the rejected lines in order."""

    offset: int
    read: int
    rejected: tuple[Rejected, ...]
    #: Finding codes of accepted records with warnings, once per code per record.
    warned: tuple[str, ...] = ()


def check_chunk(chunk: Chunk) -> CheckedChunk:
    """Check every record of a chunk (see :class:`Reading`)."""
    others = 0
    rejected: list[Rejected] = []
    warned: list[str] = []
    reading = Reading(chunk)
    for number, item in reading:
        others += 1
        if item.accepted:
            warned.extend(dict.fromkeys(f.code for f in item.findings))
            continue
        rejected.append(Rejected(number, reading.line_bytes(number), item.findings))
    read = reading.accepted + others
    return CheckedChunk(chunk.offset, read, tuple(rejected), tuple(warned))


def check_chunked(
    path: str | Path, *, workers: int | None = None, progress: bool | None = None, keep: int = 5
) -> tuple[ExtractSummary, list[ExtractItem]]:
    """:func:`spcore.cases.check_extract` for an NDJSON file, in chunks and in parallel."""
    summary = ExtractSummary(str(path), "ndjson")
    kept: dict[str, list[ExtractItem]] = collections.defaultdict(list)
    for result in read_chunked(
        Path(path), summary, check_chunk, workers=workers, progress=progress
    ):
        if isinstance(result, ExtractItem):
            continue  # a problem with the file: already in the summary
        summary.read += result.read
        summary.accepted += result.read - len(result.rejected)
        summary.rejected += len(result.rejected)
        summary.warned_by_code.update(result.warned)
        for sent in result.rejected:
            codes = dict.fromkeys(f.code for f in sent.findings)
            summary.rejected_by_code.update(codes.keys())
            item: ExtractItem | None = None
            for code in codes:
                if len(kept[code]) < keep:
                    item = sent.item() if item is None else item
                    kept[code].append(item)
    return summary, examples_in_order(kept)
