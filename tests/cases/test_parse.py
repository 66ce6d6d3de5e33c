"""The compiled parser of a worker's runs (``spcore.cases._screens.Parser``, from ``_parse.h``).

It must give exactly what Python's ``json`` gives (the reference reading), or
nothing: a line it does not parse goes to the Python reading as before.
"""

from __future__ import annotations

import gc
import json
import sys
import tracemalloc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.cases.same_values import same

from spcore.cases import chunks

pytestmark = pytest.mark.skipif(
    chunks.screens_module() is None, reason="spcore.cases._screens is not built"
)


def _parse(line: bytes) -> Any:
    return chunks._line_parser()(line)


#: Text with what a parser must get right: quotes, backslashes, control characters,
#: letters of two, three and four bytes, lone surrogates, and a year 0000.
_TEXT = st.text(
    st.sampled_from(['"', "\\", "\n", "\x00", "\x1f", " ", "a", "Z", ":", "-", "0", "é", "€", "😀"])
    | st.characters(),
    max_size=40,
) | st.sampled_from(["case_id", "referral", "gp-practice", "0000-01-01", "2025-06-30"])
_NUMBERS = (
    st.integers(-(10**20), 10**20)
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from([0, -0.0, 0.0, 1e-320, 1.7976931348623157e308, 5e-324])
)
_VALUES = st.recursive(
    st.none() | st.booleans() | _NUMBERS | _TEXT,
    lambda inner: st.lists(inner, max_size=70) | st.dictionaries(_TEXT, inner, max_size=6),
    max_leaves=40,
)
_RECORDS = st.dictionaries(_TEXT, _VALUES, max_size=8)


def _written(
    value: Any, ascii: bool, separators: tuple[str, str] | None, indent: int | None
) -> bytes:
    return json.dumps(value, ensure_ascii=ascii, separators=separators, indent=indent).encode(
        "utf-8", "surrogatepass"
    )


@settings(max_examples=600)
@given(
    _RECORDS,
    st.booleans(),
    st.sampled_from([None, (",", ":"), (" , ", " : "), (",\t", ":\r")]),
    st.sampled_from([None, 1]),
)
def test_a_parsed_line_is_what_pythons_json_reads(
    record: dict[str, Any], ascii: bool, separators: Any, indent: int | None
) -> None:
    line = _written(record, ascii, separators, indent)
    parsed = _parse(line)
    try:
        reference = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        assert parsed is None
        return
    if parsed is not None:
        assert same(parsed, reference)
        assert b"\\" not in line
        assert b"0000-" not in line
        return
    # What it may leave to Python: an escape, a year 0000, a long integer, deep or wide
    # nesting (the record's own are far less), or text that is not UTF-8.
    assert (
        b"\\" in line
        or b"0000-" in line
        or any(len(d) > 18 for d in _integers(reference))
        or _too_wide(reference)
    ), line


def _integers(value: Any) -> list[str]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [str(abs(value))]
    if isinstance(value, dict):
        return [d for v in value.values() for d in _integers(v)]
    if isinstance(value, list):
        return [d for v in value for d in _integers(v)]
    return []


def _too_wide(value: Any) -> bool:
    if isinstance(value, dict):
        return len(value) > 64 or any(_too_wide(v) for v in value.values())
    if isinstance(value, list):
        return any(_too_wide(v) for v in value)
    return False


@pytest.mark.parametrize(
    "line",
    [
        b'{"a":1,"a":2}',  # a name given twice
        b'{"a":{"b":1,"c":2,"b":3}}',
        b'{"a":"x\\u0041"}',  # an escape
        b'{"a":"x\\"y"}',
        b'{"a":"0000-01-01"}',  # a date in year 0000
        b'{"a":"a long text that says 0000-01-01 somewhere in it"}',
        b'{"0000-":1}',
        b'{"a":NaN}',
        b'{"a":Infinity}',
        b'{"a":-Infinity}',
        b'{"a":1e400}',  # Python's json gives inf; orjson refuses it
        b'{"a":1234567890123456789}',  # 19 digits
        b'{"a":01}',
        b'{"a":-}',
        b'{"a":1.}',
        b'{"a":.5}',
        b'{"a":1e}',
        b'{"a":1e+}',
        b'{"a":+1}',
        b'{"a":tru}',
        b'{"a":nul}',
        b'{"a":"\xff"}',  # not UTF-8
        b'{"a":"\xc0\xaf"}',  # an overlong encoding
        b'{"a":"\xed\xa0\x80"}',  # a surrogate written in UTF-8
        b'{"a":"tab\there"}',  # a control character in a string
        b'{"a":"\x00"}',
        b'\xef\xbb\xbf{"a":1}',  # a byte-order mark
        b'{"a":1} x',
        b'{"a":1}{}',
        b'{"a":1',
        b'{"a" 1}',
        b'{"a":1,}',
        b"{,}",
        b'{"a":[1,]}',
        b'{"a":[1 2]}',
        b"{'a':1}",
        b"[1,2]",
        b'"text"',
        b"1",
        b"null",
        b"",
        b"   ",
        b"{" * 70 + b"}" * 70,
    ],
)
def test_what_it_leaves_to_python(line: bytes) -> None:
    assert _parse(line) is None


@pytest.mark.parametrize(
    "line",
    [
        b"{}",
        b' \t\r\n{ \t\r\n"a" \t\r\n: \t\r\n[ 1 , 2 ] \t\r\n} \t\r\n',
        b'{"a":-0,"b":-0.0,"c":0.0,"d":1E2,"e":1e-2,"f":-1.5E+3,"g":123456789012345678}',
        b'{"a":-123456789012345678,"b":2.2250738585072014e-308,"c":4.9e-324}',
        b'{"a":true,"b":false,"c":null,"d":[],"e":{},"f":[[],[{}]]}',
        b'{"\xc3\xa9":"\xe2\x82\xac\xf0\x9f\x98\x80","":""}',
        b'{"a":"0000","b":"000-","c":"x0000","d":"-0000"}',
        b"{" + b",".join(b'"k%d":%d' % (i, i) for i in range(64)) + b"}",
        b'{"a":[' + b",".join(b"%d" % i for i in range(300)) + b"]}",
        b'{"a":' + b"[" * 62 + b"]" * 62 + b"}",  # 63 levels and the record: 64
    ],
)
def test_what_it_parses(line: bytes) -> None:
    parsed = _parse(line)
    assert parsed is not None
    assert same(parsed, json.loads(line.decode()))


def test_names_and_codes_are_the_interned_strings_and_short_text_is_shared() -> None:
    line = b'{"case_id":"SYN-1","referral":{"referrer_type":"gp-practice","date":"2025-06-30"}}'
    first, second = _parse(line), _parse(line)
    (name, _), (again, _) = next(iter(first.items())), next(iter(second.items()))
    assert name is sys.intern("case_id")
    assert again is name
    assert first["referral"]["referrer_type"] is sys.intern("gp-practice")
    assert first["referral"]["date"] is second["referral"]["date"]  # shared while recent
    long = '"' + "x" * 40 + '"'
    made = [_parse(b'{"a":' + long.encode() + b"}")["a"] for _ in range(2)]
    assert made[0] == made[1]
    assert made[0] is not made[1]


def test_the_vocabulary_is_the_schemas_names_and_codes() -> None:
    words = chunks.vocabulary()
    assert {"case_id", "referral", "referrer_type", "gp-practice", "follow-up"} <= set(words)
    assert all(word is sys.intern(word) for word in words)
    assert len(words) == len(set(words))


def test_a_parser_takes_only_text_and_skips_what_no_quick_line_holds() -> None:
    module = chunks.screens_module()
    assert module is not None
    with pytest.raises(TypeError, match="must be str"):
        module.Parser(["a", 1])
    parser = module.Parser(["0000-01", 'a"b', "x" * 40, "fine", "fine"])
    assert parser(b'{"a":"0000-01"}') is None
    assert parser(b'{"fine":"fine"}') == {"fine": "fine"}
    assert parser(memoryview(b'{"a":1}')) == {"a": 1}
    with pytest.raises(TypeError):
        parser("text")


def test_parsing_keeps_no_memory_beyond_its_cache() -> None:
    lines = [b'{"a":[1,2.5,"x%d"],"b":{"c":null}}' % i for i in range(5000)] + [
        b'{"a":1,"a":2}',
        b'{"a":"\\u0041"}',
        b'{"a":[1,',
        b'{"a":"' + b"y" * 50 + b'"}',
    ]
    parser = chunks.screens_module().Parser(["a", "b", "c"])  # type: ignore[union-attr]
    tracemalloc.start()
    try:
        # The first pass fills the cache of recent text with strings made while traced;
        # after it, the same lines make nothing that stays.
        for line in lines:
            parser(line)
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(5):
            for line in lines:
                parser(line)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 4 * 1024


def test_names_expected_at_a_place_are_checked_byte_for_byte() -> None:
    # Each line read after the others with one parser, so each place's last name is tried
    # first: a prefix, a longer name, an empty one, one past the shared length, and a
    # name that then holds what stops a quick reading.
    parser = chunks.screens_module().Parser(["ab"])  # type: ignore[union-attr]
    lines = [
        b'{"ab":{"x":1},"c":[{"d":1},{"d":2,"e":3}]}',
        b'{"abc":{"x":1},"c":[{"dd":1},{"d":2,"e":3}]}',
        b'{"a":{"y":1},"c":[{"":1},{"e":2,"d":3}]}',
        b'{"ab":{"x":1,"x":2}}',
        b'{"' + b"n" * 40 + b'":1}',
        b'{"' + b"n" * 40 + b'":1}',
        b'{"ab\\u0041":1}',
        b'{"ab":1,"0000-":2}',
        b'{"ab":1,"c":2}',
    ]
    for line in lines * 2:
        parsed = parser(line)
        if b"\\" in line or b"0000-" in line or line.count(b'"x"') == 2:
            assert parsed is None, line
        else:
            assert same(parsed, json.loads(line)), line
