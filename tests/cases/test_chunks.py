"""Chunked, parallel reading gives exactly the verdicts of reading line by line.

The reference is :func:`spcore.cases.extracts.reference_check_extract` and
:func:`spcore.aggregation.columns.reference_read_columns` (one line at a time
through ``read_extract``); the fast engine is :mod:`spcore.cases.chunks`,
used by ``check_extract`` and ``read_columns`` for NDJSON files. Small blocks
force many chunks, so lines, blank lines and overlong lines fall across chunk
boundaries; two workers test the merge in order.
"""

from __future__ import annotations

import collections
import gzip
import io
import json
import os
import random
import subprocess
import sys
import threading
import types
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spcore.aggregation import CaseColumns, own_memory
from spcore.aggregation.columns import read_columns, reference_read_columns
from spcore.cases import chunks, screens
from spcore.cases.codes import MAX_LINE_BYTES
from spcore.cases.extracts import (
    _bounded_lines,
    _ByteCounter,
    check_extract,
    ndjson_item,
    open_extract,
    reference_check_extract,
    verdict,
)
from spcore.cases.synth import synth_cases, write_synthetic_extract
from spcore.cases.workers import WorkerStoppedError

RECORDS = list(synth_cases(30, seed=21))


def _line(record: dict[str, Any], **dumps: Any) -> bytes:
    return json.dumps(record, **dumps).encode()


def _hostile_lines() -> list[bytes]:
    """One line of every kind the reference treats specially, each between valid records."""
    first = next(r for r in RECORDS if b"community_group" in _line(r))
    text = _line(first, separators=(",", ":"))
    duplicated = text[:-1] + b',"case_id":"DUP-0001"}'
    # A repeated name, and a colon written as an escape: the colons still add up.
    escaped_colon = duplicated.replace(b'"community_group":"', b'"community_group":"\\u003a', 1)
    return [
        b'{"case_id": "X", ',  # cut off
        b"\xff\xfe not text",
        b'{"case_id":"A1234","case_id":"B1234"}',
        duplicated,  # a repeated name hidden in a full record
        escaped_colon,
        text.replace(b'"scheme_id":"', b'"scheme_id":"a:b:', 1)[:-1] + b',"x":1}',
        b"[1, 2, 3]",
        b'"text"',
        b"null",
        b'{"score": NaN}',
        b'{"n": 1e400}',
        b'{"a": ' + b"9" * 5000 + b"}",
        b'{"case_id": -9223372036854775809}',  # below -2**63: orjson reads a float
        text.replace(b'"case_id":"', b'"case_id":"\\ud800', 1),  # a lone surrogate
        text.replace(b'"case_id":"', b'"case_id":"\\ud83d\\ude00', 1),  # a pair: valid JSON
        text.replace(b'"case_id":"SYN', b'"case_id":"S\\u0059N', 1),  # an escape, valid
        text.replace(b'"case_id":"SYN', b'"case_id":"SYN\\n', 1),  # only the model refuses
        _line(first, ensure_ascii=True).replace(b'"2025-', b'"\\u0030000-', 1),  # year 0000
        text.replace(b'"2025-', b'"0000-', 1),
        text.replace(b'"2025-', b'"\\u0030\\u0030\\u0030\\u0030-', 1),  # year 0000, unseen
        b'{"a":' * 70 + b"1" + b"}" * 70,
        b"[" * 70 + b"]" * 70,
        b"[" * 300 + b"]" * 300,  # deeper than orjson writes
        b'{"a":' + b"[" * 600 + b"]" * 600 + b"}",  # deeper than a worker can send back
        b'{"a":' * 3000 + b"1" + b"}" * 3000,  # deeper than Python's json reads
        b"   ",
        b"\x0c",
        b"",
        text + b"\r",
        b"\xef\xbb\xbf" + text,  # a byte-order mark is only skipped on line 1
        text.replace(b'"case_id":', b'"case_id" :', 1),
        b" " + text + b" ",
        text.replace(b"}", b"}\x0b", 1),
        text.replace(b'"value":60', b'"value":' + b"1" * 25, 1),
        text.replace(b'"value":60', b'"value":18446744073709551616', 1),
        text.replace(b'"value":60', b'"value":6.0e1', 1),
    ]


def _changed(record: dict[str, Any], change: Any) -> bytes:
    copied = json.loads(json.dumps(record))
    change(copied)
    return _line(copied, ensure_ascii=False)


def _measure(copied: dict[str, Any], index: int, **values: Any) -> None:
    copied["outcomes"]["measures"][index].update(values)


def _window(copied: dict[str, Any], index: int, **values: Any) -> None:
    copied["service_use"][index].update(values)


def _group(copied: dict[str, Any], name: str) -> None:
    copied["support_offered"]["social_prescriptions"][0]["community_group"] = name


def _finding_lines() -> list[bytes]:
    """Valid records with each finding beyond the schema, and with dates at its edges.

    The quick reading vouches for a record only when it can prove none of
    these findings; each line must get the reference's verdict either way.
    """
    record = RECORDS[0]  # a baseline and a follow-up, a community group, four windows
    assert record["outcomes"]["measures"][0]["date"] == "2025-06-02"
    changes: list[Any] = [
        lambda c: _group(c, "Call 07700 900123 to join"),  # a mobile number: SPC-C015
        lambda c: _group(c, "NHS 943 476 5919"),
        lambda c: _group(c, "ask jo@example.org"),
        lambda c: _group(c, "Club 24 (since 1998)"),  # digits, and nothing personal
        lambda c: _group(c, "Café Ten"),  # not ASCII, and nothing personal
        lambda c: _measure(c, 1, date="2025-09-01"),  # a day before due: SPC-C030
        lambda c: _measure(c, 1, date="2025-09-02"),  # due that day
        lambda c: _measure(c, 1, date="2025-05-01"),  # before its baseline: pairs with nothing
        lambda c: _measure(c, 0, date="2025-11-30") or _measure(c, 1, date="2026-02-27"),
        lambda c: _measure(c, 0, date="2025-11-30") or _measure(c, 1, date="2026-02-28"),
        lambda c: _measure(c, 0, date="2027-11-30") or _measure(c, 1, date="2028-02-28"),
        lambda c: _measure(c, 0, date="2027-11-30") or _measure(c, 1, date="2028-02-29"),
        lambda c: _measure(c, 0, date="9999-12-01") or _measure(c, 1, date="9999-12-31"),
        lambda c: _measure(c, 1, score_name="other"),  # follows another score's baseline
        lambda c: _measure(c, 0, value_set="uk"),
        lambda c: _measure(c, 0, instrument="ons-loneliness", score=2.5),  # SPC-C031
        lambda c: _measure(c, 0, instrument="ons-loneliness", score=2.0),
        lambda c: _measure(c, 0, instrument="pam", score_name="level", score=9),
        lambda c: _window(c, 0, end_on="2024-01-01"),  # ends before it starts: SPC-C032
        lambda c: _window(c, 0, end_on="2025-06-30"),  # before referral, ends after it
        lambda c: _window(c, 2, start_on="2025-05-01"),  # after referral, starts before it
        lambda c: _window(c, 1, counts={"gp-consultations": 1}),  # counted twice: SPC-C035
        lambda c: _window(c, 1, counts={"gp-consultations": 1}, months=6),
        lambda c: _window(c, 0, months=11),  # its dates span 12 months: SPC-C036
        lambda c: _window(c, 0, start_on="0001-01-01", end_on="0001-12-31"),
        lambda c: c["closure"].update(reason="escalated"),  # retired: SPC-C037
    ]
    return [_changed(record, change) for change in changes]


def _contact(copied: dict[str, Any], **values: Any) -> None:
    contact = copied["support_offered"]["contacts"][0]
    contact.update(values)
    for name, value in values.items():
        if value is _GONE:
            del contact[name]


#: A member taken away by :func:`_contact`.
_GONE = object()


def _contact_lines() -> list[bytes]:
    """Records whose contacts the parser's contacts lane reads, and others it leaves alone.

    Each line must get the reference's verdict and columns whichever way its contacts
    are read (see spcore.cases.contacts_lane).
    """
    record = next(r for r in RECORDS if len(r["support_offered"]["contacts"]) > 2)
    minutes = {"value": 90, "unit": "minute"}
    changes: list[Any] = [
        lambda c: _contact(c, duration=None),
        lambda c: _contact(c, duration=_GONE),
        lambda c: _contact(c, duration={"unit": "hour", "value": 2}),  # names in another order
        lambda c: _contact(c, duration={"value": 0, "unit": "week"}),
        lambda c: _contact(c, duration={"value": 10**12, "unit": "day"}),  # the largest
        lambda c: _contact(c, duration={"value": 10**12 + 1, "unit": "day"}),  # too large
        lambda c: _contact(c, duration={"value": 7.5, "unit": "minute"}),  # not whole
        lambda c: _contact(c, duration={"value": 60.0, "unit": "minute"}),
        lambda c: _contact(c, duration={"value": -1, "unit": "minute"}),
        lambda c: _contact(c, duration={"value": "60", "unit": "minute"}),
        lambda c: _contact(c, duration={"value": 60, "unit": "fortnight"}),
        lambda c: _contact(c, duration={"value": 60}),
        lambda c: _contact(c, duration={}),
        lambda c: _contact(c, duration={**minutes, "note": "x"}),
        lambda c: _contact(c, duration=[minutes]),
        lambda c: _contact(c, type="telegram"),
        lambda c: _contact(c, type="Telephone"),
        lambda c: _contact(c, type=None),
        lambda c: _contact(c, type=_GONE),
        lambda c: _contact(c, date=_GONE),
        lambda c: _contact(c, date="2025-02-29"),  # no such day
        lambda c: _contact(c, date="2024-02-29"),
        lambda c: _contact(c, date="2025-6-01"),
        lambda c: _contact(c, date="20250601"),
        lambda c: _contact(c, date="0001-01-01"),
        lambda c: _contact(c, notes="seen at home"),  # a name the schema does not know
        lambda c: c["support_offered"].update(contacts=[]),
        lambda c: c["support_offered"].update(contacts=None),
        lambda c: c["support_offered"].update(contacts={"date": "2025-06-01"}),
        lambda c: c["support_offered"].update(contacts=[1, 2]),
        lambda c: c["support_offered"].update(
            contacts=[{"date": "2025-06-01", "type": "video"}] * 1000  # the most there may be
        ),
        lambda c: c["support_offered"].update(
            contacts=[{"date": "2025-06-01", "type": "video"}] * 1001
        ),
        lambda c: c["support_offered"]["contacts"].reverse(),
    ]
    lines = [_changed(record, change) for change in changes]
    plain = _line(record, separators=(",", ":"))
    first = plain.index(b'"contacts":[{') + len(b'"contacts":[{')
    return [
        *lines,
        _line(record, indent=1),  # spaces, tabs and newlines in other forms
        _line(record, separators=(" ,\t", " :\r ")),
        plain[:first] + b'"date":"2025-06-01","date":"2025-06-02",' + plain[first:],  # twice
        plain.replace(b'"value":', b'"value":0', 1),  # a leading zero: not JSON
        plain.replace(b'"value":', b'"value":6e1,"x":', 1),
        plain.replace(b'"type":"a', b'"type":"\\u0061', 1),  # an escape: the usual reading
        plain.replace(b'"contacts":', b'"contacts":[],"contacts":', 1),
    ]


def _extract(tmp_path: Path, *, seed: int = 3, n: int = 400, name: str = "x.ndjson") -> Path:
    buffer = io.StringIO()
    write_synthetic_extract(buffer, n, seed, invalid_share=0.1)
    lines = buffer.getvalue().encode().split(b"\n")
    for offset, hostile in enumerate(_hostile_lines() + _finding_lines() + _contact_lines()):
        lines.insert(7 + offset * 11, hostile)
    path = tmp_path / name
    path.write_bytes(b"\n".join(lines))
    return path


def _same_check(path: Path, *, workers: int, format: Any = None) -> None:
    fast = check_extract(path, workers=workers, keep=10**6, progress=False, format=format)
    reference = reference_check_extract(path, keep=10**6, progress=False, format=format)
    assert fast[0].to_dict() == reference[0].to_dict()
    assert [(i.line, i.findings, i.data) for i in fast[1]] == [
        (i.line, i.findings, i.data) for i in reference[1]
    ]


def assert_same_columns(a: CaseColumns, b: CaseColumns) -> None:
    """Two loads of one extract are identical, array for array and value for value."""
    for field in attrs.fields(CaseColumns):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray):
            assert x.dtype == y.dtype, field.name
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), field.name
        elif field.name == "summary":
            assert x.to_dict() == y.to_dict()
        else:
            assert x == y, field.name


@pytest.fixture
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chunks, "BLOCK", 997)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("block", [997, 64 * 1024])
def test_every_kind_of_line_gets_the_reference_verdict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int, block: int
) -> None:
    # A line to a chunk, or many: lines handed back then come after others in their chunk.
    monkeypatch.setattr(chunks, "BLOCK", block)
    path = _extract(tmp_path)
    _same_check(path, workers=workers)
    assert_same_columns(read_columns(path, workers=workers), reference_read_columns(path))


def test_a_record_proved_valid_gets_the_same_verdict_unchecked() -> None:
    """What the quick reading has proved valid is not checked again, with the same verdict."""
    found: collections.Counter[str] = collections.Counter()
    for line in _finding_lines():
        text = line.decode()
        data = json.loads(text)
        proved = verdict(5, data, text, build_records=False, proved=True)
        assert proved == verdict(5, data, text, build_records=False)
        found.update({"accepted" if proved.accepted else "rejected": 1})
        found.update(f.code for f in proved.findings)
    assert all(found[kind] for kind in ("accepted", "rejected", "SPC-C030", "SPC-C015")), found


@pytest.mark.usefixtures("small_blocks")
@pytest.mark.parametrize("moved", [True, False], ids=["maps-moved", "maps-copied"])
def test_columns_merged_in_many_small_steps_are_the_reference_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moved: bool
) -> None:
    # Every column grows many times from a few bytes, its map moved, or copied where the
    # system cannot move it, and ends part-way through its memory.
    monkeypatch.setattr(own_memory, "FIRST_BYTES", 8)
    if not moved:
        monkeypatch.setattr(own_memory, "_PRIVATE", 0)
    path = _extract(tmp_path)
    assert_same_columns(read_columns(path, workers=2), reference_read_columns(path))


@pytest.mark.usefixtures("small_blocks")
def test_people_are_told_apart_however_their_pseudonyms_are_written(tmp_path: Path) -> None:
    # Keys of pseudonyms in lowercase hexadecimal are kept at half the width between chunks.
    hmac = "0a" * 31 + "ff"
    given = [hmac, hmac.upper(), hmac, "PERSON-0001", None, "1b" * 32, hmac + "0", hmac]
    lines = []
    for record, person in zip(RECORDS, given, strict=False):
        copied = json.loads(json.dumps(record))
        copied.pop("person_id", None)
        if person is not None:
            copied["person_id"] = person
        lines.append(_line(copied, separators=(",", ":")))
    path = tmp_path / "people.ndjson"
    path.write_bytes(b"\n".join(lines) + b"\n")
    columns = read_columns(path, workers=2)
    assert_same_columns(columns, reference_read_columns(path))
    person = columns.person.tolist()
    assert person[0] == person[2] == person[7]
    assert len({person[i] for i in (0, 1, 3, 4, 5, 6)}) == 6


def _events(chunk: chunks.Chunk) -> tuple[list[tuple[Any, ...]], int]:
    """What a worker sees reading a chunk: accepted records and items, in order; and the count."""
    events: list[tuple[Any, ...]] = []
    reading = chunks.Reading(chunk, lambda data, line: events.append(("accepted", line, data)))
    for line, item in reading:
        events.append(("item", line, item.accepted, item.findings, repr(item.data)))
    return events, reading.accepted


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r\r\n"])
@pytest.mark.parametrize("block", [997, 1 << 20])
def test_runs_read_by_compiled_code_are_read_as_python_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ending: bytes, block: int
) -> None:
    if chunks.screens_module() is None:
        pytest.skip("spcore.cases._screens is not built")
    monkeypatch.setattr(chunks, "BLOCK", block)
    path = _extract(tmp_path)
    path.write_bytes(path.read_bytes().replace(b"\n", ending))
    with path.open("rb") as handle:
        pieces = list(chunks.chunks(handle))
    compiled = [_events(chunk) for chunk in pieces]
    monkeypatch.setattr(chunks, "screens_module", lambda: None)
    python = [_events(chunk) for chunk in pieces]
    assert compiled == python
    every = [event for events, _ in compiled for event in events]
    assert sum(accepted for _, accepted in compiled) == sum(e[0] == "accepted" for e in every)
    assert sum(e[0] == "accepted" for e in every) > 300
    assert sum(e[0] == "item" for e in every) > 50
    lines = [event[1] for event in every]
    assert lines == sorted(lines)  # accepted records and items come in the order of the file


#: Bytes a mutation puts into a record's line: each a way a line can differ from a plain one.
_SNIPPETS = [
    b"\\",
    b"\\u0030",
    b"0000-",
    b"\r",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b'"',
    b" ",
    b"\t",
    b"\xff",
    b"\xed\xa0\x80",
    b"1e400",
    b"9007199254740993",
    b"-0",
    b"null",
    b'"case_id":"SYN-X1",',
    b'"person_id":"abcd",',
]


def _mutated(line: bytes, rng: random.Random) -> bytes:
    """``line`` with up to three changes: bytes put in or cut out, a member written twice,
    or a date moved to year 0000."""
    changed = bytearray(line)
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        at, kind = rng.randrange(len(changed) + 1), rng.random()
        if kind < 0.5:
            changed[at:at] = rng.choice(_SNIPPETS)
        elif kind < 0.7:
            del changed[at : at + rng.randint(1, 5)]
        elif kind < 0.85:  # the member after ``at`` again, at the end
            text = bytes(changed)
            start = text.find(b'","', at)
            end = text.find(b",", start + 3) if start > 0 else -1
            if end > 0:
                changed[-1:-1] = b"," + text[start + 2 : end]
        elif kind < 0.92:  # a date in year 0000, which the two validators read differently
            changed = bytearray(bytes(changed).replace(b'"2025-', b'"0000-', 1))
        else:
            changed[at:at] = bytes([rng.randrange(256)])
    return bytes(changed)


def test_records_changed_byte_by_byte_are_read_as_the_reference_reads_them() -> None:
    """Lines near a valid record, each read by a worker's reading and by the reference."""
    rng = random.Random(18)  # fixed: the same lines every run
    plain = [_line(r, separators=(",", ":")) for r in RECORDS] + [_line(r) for r in RECORDS]
    endings = [b"\n", b"\r\n", b"\r\r\n", b"\n\n"]
    lines = [_mutated(rng.choice(plain), rng) for _ in range(3000)]
    data = b"".join(line + rng.choice(endings) for line in lines)
    events, _ = _events(chunks.Chunk(2, data))
    found = {e[1]: (True, (), repr(e[2])) if e[0] == "accepted" else e[2:] for e in events}
    pieces = data.split(b"\n")[:-1]
    reference = {}
    for number, raw in enumerate(pieces, 2):
        item = ndjson_item(number, raw, build_records=False)
        if item is not None:
            reference[number] = (item.accepted, item.findings, repr(item.data))
    assert found == reference
    verdicts = collections.Counter(accepted for accepted, _, _ in reference.values())
    assert verdicts[True] > 600  # both kinds, plenty of each
    assert verdicts[False] > 1500


def _steps() -> tuple[Any, ...]:
    """The quick reading's own steps, as a worker gives them to ``read_run``."""
    return (chunks._line_parser(), chunks.quick_is_valid(), screens.record_screen(), None)


def _run(lines: list[bytes], **changed: Any) -> int:
    """``read_run`` over ``lines`` (from line 2) with the quick reading's own steps, or others:
    the index it stops at."""
    return _ran(lines, **changed)[0]


def _ran(lines: list[bytes], **changed: Any) -> tuple[int, Any, bool]:
    """What ``read_run`` over ``lines`` (from line 2) gives, as :func:`_run` runs it."""
    module = chunks.screens_module()
    assert module is not None
    steps: dict[str, Any] = {
        "parser": chunks._line_parser(),
        "is_valid": chunks.quick_is_valid(),
        "screen": screens.record_screen(),
        "accept": None,
    }
    start = changed.pop("start", 0)
    steps.update(changed)
    content = b"".join(line + b"\n" for line in lines)
    offset = sum(len(line) + 1 for line in lines[:start])
    stop, at, data, valid = module.read_run(
        content, offset, start, 2, *steps.values(), MAX_LINE_BYTES, chunks._REFUSED
    )
    # where it stops: the start of that line, or the end
    assert at == min(sum(len(line) + 1 for line in lines[:stop]), len(content))
    return int(stop), data, bool(valid)


def test_a_compiled_run_stops_where_python_must_read_and_raises_what_python_raises() -> None:
    if chunks.screens_module() is None:
        pytest.skip("spcore.cases._screens is not built")
    valid = _line(RECORDS[0], separators=(",", ":"))
    assert chunks.quick_accept(valid) is not None
    assert _run([valid, valid, b"{", valid]) == 2
    assert _run([valid, valid + b"\r\r", valid]) == 3
    assert _run([valid, b"x" * (MAX_LINE_BYTES + 1)]) == 1
    year_zero = valid.replace(b'"assessment_date":"2025-', b'"assessment_date":"0000-', 1)
    assert year_zero != valid
    assert chunks.quick_read(year_zero) is None
    assert _run([valid, year_zero]) == 1  # the validator and the screens would take it
    assert _run([valid, valid.replace(b"SYN", b"S\\u0059N", 1)]) == 1
    assert _run([valid, valid[:-1] + b',"case_id":"again"}']) == 1  # a name given twice
    assert _run([valid, valid.replace(b'"case_id":', b'"case_id" :', 1)]) == 2  # spaced
    assert _run([valid], start=1) == 1
    module = chunks.screens_module()
    assert module is not None
    line_1 = module.read_run(valid, 0, 0, 1, *_steps(), MAX_LINE_BYTES, ())
    assert line_1 == (0, 0, None, False)  # line 1 may start with a byte-order mark
    # the last line may have no newline; blank lines are left to Python
    assert module.read_run(
        valid + b"\n" + valid, 0, 0, 2, *_steps(), MAX_LINE_BYTES, chunks._REFUSED
    )[:2] == (
        2,
        2 * len(valid) + 1,
    )
    assert module.read_run(
        valid + b"\n\n" + valid, 0, 0, 2, *_steps(), MAX_LINE_BYTES, chunks._REFUSED
    )[:2] == (
        1,
        len(valid) + 1,
    )
    assert module.read_run(b"", 0, 0, 2, *_steps(), MAX_LINE_BYTES, chunks._REFUSED) == (
        0,
        0,
        None,
        False,
    )

    taken: list[tuple[int, dict[str, Any]]] = []
    assert _run([valid, valid], accept=lambda data, line: taken.append((line, data))) == 2
    assert taken == [(2, orjson.loads(valid)), (3, orjson.loads(valid))]

    def refuse(raw: bytes) -> Any:
        raise ValueError("what the quick reading leaves to the reference")

    def fail(*_: Any) -> Any:
        raise LookupError("not foreseen")

    assert _run([valid], is_valid=refuse) == 0
    for step in ("is_valid", "screen", "accept"):
        with pytest.raises(LookupError, match="not foreseen"):
            _run([valid], **{step: fail})
    assert _run([b"[1]", valid]) == 0  # not an object
    assert _run([valid], is_valid=lambda data: False, accept=fail) == 0
    assert _run([valid], screen=lambda data: 0, accept=fail) == 0
    with pytest.raises(TypeError, match="10 to 12 arguments"):
        module.read_run(valid)
    with pytest.raises(TypeError, match="go in a list"):
        module.read_run(valid, 0, 0, 2, *_steps(), MAX_LINE_BYTES, (), ())
    with pytest.raises(TypeError, match="must be bytes"):
        module.read_run([valid], 0, 0, 2, *_steps(), MAX_LINE_BYTES, ())
    with pytest.raises(TypeError, match="must be a Parser"):
        module.read_run(valid, 0, 0, 2, orjson.loads, *_steps()[1:], MAX_LINE_BYTES, ())


def test_a_compiled_run_hands_back_the_record_it_read_where_it_stops() -> None:
    if chunks.screens_module() is None:
        pytest.skip("spcore.cases._screens is not built")
    valid = _line(RECORDS[0], separators=(",", ":"))
    invalid = valid.replace(b'"case_id":"', b'"case_id":"!', 1)  # fails the pattern
    assert invalid != valid
    assert _ran([valid, invalid, valid]) == (1, orjson.loads(invalid), False)
    assert _ran([valid, valid], screen=lambda data: False) == (0, orjson.loads(valid), True)
    assert _ran([valid, b"{"]) == (1, None, False)  # not read: Python reads it
    assert _ran([valid, valid[:-1] + b',"case_id":"again"}']) == (1, None, False)
    assert _ran([valid, valid]) == (2, None, False)

    def refuse(data: Any) -> Any:
        raise ValueError("what the quick reading leaves to the reference")

    assert _ran([valid], is_valid=refuse) == (0, None, False)
    # What Python makes of a line handed back is what it makes of the line read afresh.
    read, clear = chunks._quick_reader(), screens.record_screen()
    # (a number of 25 digits: its findings quote it, so the reference reads it)
    for raw in (invalid, valid[:-1] + b',"extra":0.' + b"1" * 25 + b"}"):
        stop, data, accepted = _ran([raw])
        assert stop == 0
        assert data is not None
        assert not accepted
        assert chunks._line(2, raw, read, clear, (data, False)) == chunks._line(2, raw, read, clear)
    # an integer past 18 digits is not parsed in a run at all
    assert _ran([valid[:-1] + b',"extra":' + b"1" * 19 + b"}"]) == (0, None, False)


def test_a_compiled_run_given_a_list_goes_on_past_the_lines_it_hands_back() -> None:
    if chunks.screens_module() is None:
        pytest.skip("spcore.cases._screens is not built")
    module = chunks.screens_module()
    assert module is not None
    valid = _line(RECORDS[0], separators=(",", ":"))
    invalid = valid.replace(b'"case_id":"', b'"case_id":"!', 1)  # fails the pattern
    lines = [valid, invalid, valid, b"{", b"", valid + b"\r", b"x" * (MAX_LINE_BYTES + 1), valid]
    content = b"".join(line + b"\n" for line in lines)[:-1]  # the last line has no newline
    starts = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]
    taken: list[int] = []
    handed: list[tuple[int, int, int, Any, bool]] = []
    steps = (*_steps()[:3], lambda data, line: taken.append(line))
    stop, at, data, valid_record = module.read_run(
        content, 0, 0, 2, *steps, MAX_LINE_BYTES, chunks._REFUSED, handed
    )
    assert (stop, at, data, valid_record) == (len(lines), len(content), None, False)
    assert taken == [2, 4, 7, 9]  # the accepted lines, each with its number
    # (index, start, end without the newline, the record when read, whether it was valid)
    assert handed == [
        (1, starts[1], starts[1] + len(invalid), orjson.loads(invalid), False),
        (3, starts[3], starts[3] + 1, None, False),
        (4, starts[4], starts[4], None, False),
        (6, starts[6], starts[6] + MAX_LINE_BYTES + 1, None, False),
    ]
    # Line 1 may start with a byte-order mark: handed back, and the run goes on.
    handed.clear()
    taken.clear()
    stop, *_ = module.read_run(content, 0, 0, 1, *steps, MAX_LINE_BYTES, chunks._REFUSED, handed)
    assert stop == len(lines)
    assert [entry[0] for entry in handed] == [0, 1, 3, 4, 6]
    assert taken == [3, 6, 8]


def test_a_reading_that_hands_lines_back_later_gives_the_same_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _extract(tmp_path)
    monkeypatch.setattr(chunks, "BLOCK", 64 * 1024)
    for chunk in chunks.chunks(path.open("rb")):
        now, later = chunks.Reading(chunk), chunks.Reading(chunk, later=True)
        assert list(later) == list(now)
        assert later.accepted == now.accepted
        assert later.handed_back == now.handed_back


def test_the_quick_path_takes_most_valid_lines(tmp_path: Path) -> None:
    path = _extract(tmp_path)
    taken = [
        data is not None
        for chunk in chunks.chunks(path.open("rb"))
        for _, data, _ in chunks.lines(chunk)
    ]
    assert sum(taken) > 300


@pytest.mark.parametrize("block", [997, 64 * 1024, chunks.BLOCK])
def test_gzip_whole_and_truncated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    # Reads joined into many blocks before the cut, or (the default) all in one.
    monkeypatch.setattr(chunks, "BLOCK", block)
    packed = gzip.compress(_extract(tmp_path).read_bytes())
    whole = tmp_path / "x.ndjson.gz"
    whole.write_bytes(packed)
    _same_check(whole, workers=2)
    assert_same_columns(read_columns(whole, workers=2), reference_read_columns(whole))
    for cut in (len(packed) // 3, len(packed) - 20):
        part = tmp_path / f"cut-{cut}.ndjson.gz"
        part.write_bytes(packed[:cut])
        _same_check(part, workers=2)
        assert_same_columns(read_columns(part, workers=2), reference_read_columns(part))
    garbage = tmp_path / "garbage.ndjson.gz"
    garbage.write_bytes(b"not gzip at all\n")
    _same_check(garbage, workers=1)


def test_a_gzip_extract_is_cut_into_full_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """gzip gives some 50 KB a read; chunks are joined up to a block all the same."""
    monkeypatch.setattr(chunks, "BLOCK", 256 * 1024)
    plain = _extract(tmp_path, n=1500)
    text = plain.read_bytes()
    packed = tmp_path / "x.ndjson.gz"
    packed.write_bytes(gzip.compress(text))
    with open_extract(packed) as handle:
        assert len(handle.read1(chunks.BLOCK)) < chunks.BLOCK // 2  # what one read gives
    with open_extract(packed) as handle:
        cut = list(chunks.chunks(handle))
    longest = max(len(line) for line in text.split(b"\n"))
    assert len(text) > 4 * chunks.BLOCK
    assert all(len(c.content()) > chunks.BLOCK - longest for c in cut[:-1])
    assert b"".join(c.content() for c in cut) == text
    assert all(len(c.data) == chunks.BLOCK for c in cut[:-2])  # blocks as read: one size
    assert [c.first_line for c in cut] == [
        1 + text[: sum(len(c.content()) for c in cut[:i])].count(b"\n") for i in range(len(cut))
    ]


@pytest.mark.usefixtures("small_blocks")
def test_columns_are_read_alike_when_no_memory_map_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the system's limit of maps, chunks' keys and growing columns use the heap."""
    path = _extract(tmp_path)
    reference = reference_read_columns(path)

    def refused(*_: object, **__: object) -> object:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(own_memory.mmap, "mmap", refused)
    assert_same_columns(read_columns(path, workers=2), reference)


@pytest.mark.parametrize("workers", [1, 2])
def test_overlong_lines_anywhere(
    tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chunks, "BLOCK", 1 << 20)
    record = _line(RECORDS[1])
    huge = b'{"case_id": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}'
    exact = b" " * (MAX_LINE_BYTES - len(record)) + record  # at the limit exactly: read
    over = b" " * (MAX_LINE_BYTES - len(record) + 1) + record  # one past: skipped
    path = tmp_path / "huge.ndjson"
    path.write_bytes(b"\n".join([record, huge, record, exact, over, record, huge]))
    _same_check(path, workers=workers)
    assert_same_columns(read_columns(path, workers=workers), reference_read_columns(path))
    codes = [f.code for i in check_extract(path, workers=workers)[1] for f in i.findings]
    assert codes == ["SPC-C004", "SPC-C004", "SPC-C004"]


@pytest.mark.parametrize("content", [b"", b"\n\n", b"   \n"])
def test_empty_extracts(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    _same_check(path, workers=2)
    assert_same_columns(read_columns(path, workers=2), reference_read_columns(path))


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    folder = tmp_path / "folder.ndjson"
    folder.mkdir()
    for path in (tmp_path / "absent.ndjson", folder):
        _same_check(path, workers=2)
        assert_same_columns(read_columns(path), reference_read_columns(path))
    other = tmp_path / "cases.txt"
    other.write_bytes(_line(RECORDS[0]) + b"\n")
    _same_check(other, workers=2, format="ndjson")


def test_a_file_changed_under_its_chunks_is_not_read_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "changing.ndjson"
    path.write_bytes(b"".join(_line(r) + b"\n" for r in RECORDS[:3]))
    with path.open("rb") as handle:
        (chunk,) = chunks.chunks(handle, str(path))
    assert chunk.content().count(b"\n") == 3
    path.write_bytes(path.read_bytes().replace(b"\n", b" ", 1))  # same length, a line less
    with pytest.raises(OSError, match="changed"):
        chunk.content()
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(OSError, match="changed"):
        chunk.content()


def _fails_after_the_first_chunk(chunk: chunks.Chunk) -> chunks.CheckedChunk:
    if chunk.first_line > 1:
        raise OSError(5, "the disk failed")
    return chunks.check_chunk(chunk)


@pytest.mark.usefixtures("small_blocks")
def test_a_chunk_that_cannot_be_read_in_a_worker_ends_the_reading_with_a_finding(
    tmp_path: Path,
) -> None:
    path = _extract(tmp_path)
    summary = chunks.ExtractSummary(str(path), "ndjson")
    results = list(chunks.read_chunked(path, summary, _fails_after_the_first_chunk, workers=2))
    assert isinstance(results[0], chunks.CheckedChunk)
    (problem,) = [r for r in results if not isinstance(r, chunks.CheckedChunk)]
    assert problem.findings[0].code == "SPC-C001"
    assert "stopped being readable part-way: the disk failed" in problem.findings[0].message
    assert summary.complete


def test_line_numbers_follow_many_chunks_and_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chunks, "BLOCK", 4096)
    buffer = io.StringIO()
    write_synthetic_extract(buffer, 3000, 9, invalid_share=0.05)
    path = tmp_path / "many.ndjson"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    _same_check(path, workers=2)
    columns = read_columns(path, workers=2)
    assert_same_columns(columns, reference_read_columns(path))
    assert columns.line.tolist() == list(range(1, 3001))


# -- properties -------------------------------------------------------------------------------

FRAGMENTS = [_line(r, separators=(",", ":")) for r in RECORDS[:6]] + _hostile_lines()


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    picks=st.lists(st.sampled_from(FRAGMENTS), max_size=25),
    endings=st.lists(st.sampled_from([b"\n", b"\r\n", b"\n\n"]), min_size=25, max_size=25),
    block=st.integers(1, 5000),
    last_newline=st.booleans(),
)
def test_any_mix_of_lines_in_any_blocks(
    tmp_path: Path, picks: list[bytes], endings: list[bytes], block: int, last_newline: bool
) -> None:
    data = b"".join(p + e for p, e in zip(picks, endings, strict=False))
    if not last_newline:
        data = data.rstrip(b"\r\n")
    path = tmp_path / "mix.ndjson"
    path.write_bytes(data)
    original = chunks.BLOCK
    chunks.BLOCK = block
    try:
        _same_check(path, workers=1)
        assert_same_columns(read_columns(path, workers=1), reference_read_columns(path))
    finally:
        chunks.BLOCK = original


@pytest.mark.parametrize("end", [0, 1, 255, (1 << 16) - 1, 1 << 16, (1 << 16) + 11, 256_000])
def test_newlines_are_counted_alike_by_numpy_and_by_bytes(
    end: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = bytes(range(256)) * 1000 + b"\n\n"  # a newline every 256 bytes, two at the end
    module = chunks.screens_module()
    if module is not None:  # the compiled count
        assert module.newlines(data[:end]) == data.count(b"\n", 0, end)
        assert module.newlines(memoryview(data)) == 1002
    monkeypatch.setattr(chunks, "screens_module", lambda: None)  # NumPy's, or bytes.count
    assert chunks.newlines(data[:end]) == data.count(b"\n", 0, end)
    assert chunks.newlines(data) == 1002


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.binary(max_size=3000).map(lambda b: b.replace(b"\x00", b"\n")),
    block=st.integers(1, 600),
)
def test_chunks_number_lines_as_the_reference(tmp_path: Path, data: bytes, block: int) -> None:
    path = tmp_path / "bytes.ndjson"
    path.write_bytes(data)
    original = chunks.BLOCK
    chunks.BLOCK = block
    try:
        with path.open("rb") as handle:
            reference = [
                (n, raw.rstrip(b"\n") if raw else raw)
                for n, raw in _bounded_lines(handle, _ByteCounter())
            ]
        found: dict[str | None, list[tuple[int, bytes]]] = {}
        for located in (None, str(path)):  # lines held, or lines read again where they are
            found[located] = []
            with path.open("rb") as handle:
                for chunk in chunks.chunks(handle, located):
                    content = chunk.content()
                    assert chunk.path is None or chunk.data == chunk.head == b""
                    assert chunk.path == (located if content.endswith(b"\n") else None)
                    pieces = content.split(b"\n")
                    if content.endswith(b"\n"):
                        pieces.pop()
                    found[located].extend(enumerate(pieces, chunk.first_line))
    finally:
        chunks.BLOCK = original
    assert found[None] == reference
    assert found[str(path)] == reference


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=5,
)


@settings(max_examples=300)
@given(
    record=st.sampled_from(RECORDS),
    key=st.sampled_from(["case_id", "scheme_id", "person_id", "x", "referral", "$schema"]),
    value=VALUES,
    twice=st.booleans(),
    spaced=st.booleans(),
)
def test_the_quick_reading_is_the_reference_reading(
    record: dict[str, Any], key: str, value: Any, twice: bool, spaced: bool
) -> None:
    changed = dict(record)
    changed[key] = value
    text = json.dumps(
        changed, ensure_ascii=False, separators=(", ", ": ") if spaced else (",", ":")
    )
    if twice:  # the same name again, with the record's own value
        text = text[:-1] + ", " + json.dumps(key) + ": " + json.dumps(record.get(key)) + "}"
    raw = text.encode("utf-8", "surrogatepass")
    found = chunks.quick_read(raw)
    reference = ndjson_item(2, raw, build_records=False)
    if found is not None:
        assert reference is not None
        assert reference.data == found[0]
        assert repr(reference.data) == repr(found[0])  # 1 and 1.0 told apart
        assert reference.accepted is found[1]


def test_the_schema_is_closed_and_an_open_one_is_seen() -> None:
    assert chunks._closed_schema()
    base = "https://example.org/s.json"
    closed = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"n": {"type": "integer", "minimum": 0, "maximum": 10}},
    }
    assert chunks._depth(closed, base, frozenset()) == 1
    for open_schema in (
        {"type": "object", "properties": {}},
        {"type": "object", "additionalProperties": False, "properties": {"n": {"type": "number"}}},
        {"type": "array"},
        {"description": "anything"},
    ):
        with pytest.raises(chunks._OpenSchemaError):
            chunks._depth(open_schema, base, frozenset())


def _pid(_: object) -> int:
    return os.getpid()


def _times_ten(item: int) -> int:
    return item * 10


def _stop_at_three(item: int) -> int:
    if item == 3:
        os._exit(9)  # as a worker killed by the system stops: no exception, no result
    return item * 10


def test_a_worker_that_stops_is_said_in_words_after_the_results_before_it() -> None:
    given: list[int] = []
    with pytest.raises(WorkerStoppedError, match="worker process stopped") as stopped:
        given.extend(chunks.ordered_map(_stop_at_three, range(8), 2))
    assert isinstance(stopped.value.__cause__, BrokenProcessPool)
    assert given == [0, 10, 20][: len(given)]  # whole results, in order, none past the stop


def test_a_pool_found_broken_when_the_next_item_is_given_is_said_in_words_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A worker can stop before the next item is given to the pool, whose submit then raises.
    class Breaking(ProcessPoolExecutor):
        given = 0

        def submit(self, *args: Any, **kwargs: Any) -> Any:
            Breaking.given += 1
            if Breaking.given > 3:
                raise BrokenProcessPool("a child process terminated abruptly")
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(chunks, "ProcessPoolExecutor", Breaking)
    given: list[int] = []
    with pytest.raises(WorkerStoppedError, match="worker process stopped") as stopped:
        given.extend(chunks.ordered_map(_times_ten, range(8), 2))
    assert isinstance(stopped.value.__cause__, BrokenProcessPool)
    assert given == [0, 10, 20]  # the items given before it, whole and in order


def test_a_main_module_that_cannot_be_run_again_keeps_the_work_here(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Workers started afresh import the main module again, which ``python -`` cannot give."""
    stdin = types.ModuleType("__main__")
    stdin.__file__ = "<stdin>"
    monkeypatch.setitem(sys.modules, "__main__", stdin)
    assert not chunks._main_found_again()
    monkeypatch.setattr(chunks, "_start_method", lambda: "forkserver")
    assert set(chunks.ordered_map(_pid, range(6), 2)) == {os.getpid()}
    monkeypatch.setattr(chunks, "_start_method", lambda: "fork")  # forked: nothing to import
    assert os.getpid() not in set(chunks.ordered_map(_pid, range(6), 2))
    script = tmp_path / "script.py"
    script.write_text("")
    stdin.__file__ = str(script)
    assert chunks._main_found_again()
    del stdin.__file__  # an interactive session
    assert chunks._main_found_again()


def test_a_program_read_from_standard_input_reads_columns_with_threads_running(
    tmp_path: Path,
) -> None:
    path = _extract(tmp_path, n=200)
    program = (
        "import threading\n"
        "from spcore.aggregation.columns import read_columns\n"
        "stop = threading.Event()\n"
        "threading.Thread(target=stop.wait, daemon=True).start()\n"
        f"columns = read_columns({str(path)!r}, workers=2)\n"
        "stop.set()\n"
        "print(len(columns.line), columns.summary.accepted)\n"
    )
    done = subprocess.run(
        [sys.executable, "-"], input=program, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    expected = reference_read_columns(path)
    assert done.stdout.split() == [str(len(expected.line)), str(expected.summary.accepted)]


@pytest.mark.usefixtures("small_blocks")
def test_with_other_threads_running_workers_start_afresh(tmp_path: Path) -> None:
    """Forking a process with other threads could copy a held lock; a fresh start cannot."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert chunks._start_method() != "fork"
        path = _extract(tmp_path, n=100)
        _same_check(path, workers=2)
    finally:
        stop.set()
        thread.join()


def test_a_worker_sends_back_each_rejected_line_as_it_was_read() -> None:
    valid = _line(RECORDS[0], separators=(",", ":"))
    invalid = valid.replace(b'"case_id":"', b'"case_id":"!', 1)
    lines = [valid, invalid + b"\r", valid, b"{", valid, b"[1]"]
    content = b"".join(line + b"\n" for line in lines)
    checked = chunks.check_chunk(chunks.Chunk(2, content))
    assert checked.read == 6
    assert [(r.line, r.raw) for r in checked.rejected] == [
        (3, invalid + b"\r"),
        (5, b"{"),
        (7, b"[1]"),
    ]
    assert [r.item().findings for r in checked.rejected] == [r.findings for r in checked.rejected]
