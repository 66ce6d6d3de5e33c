"""The compiled proof proves only what the reference validator accepts.

:mod:`spcore.schemas.program` writes a schema as a program and
``spcore.schemas._check`` walks a document against it. Soundness (a proof
means the reference, plain ``jsonschema``, finds nothing) keeps every
verdict the reference's; proving every valid synthetic record keeps the
reading fast. Mutated records are drawn near the edges the walk reads: each
value changed a little (a character, a digit, one more or one fewer), swapped
for a value of another type, or a member dropped or added.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spcore import schemas
from spcore.cases.fastcheck import SCHEMA_NAME, check_record, quick_is_valid, reference_findings
from spcore.cases.synth import synth_cases
from spcore.compiled import check_module
from spcore.schemas import program as programs

pytestmark = pytest.mark.skipif(check_module() is None, reason="spcore.schemas._check is not built")

RECORDS = [
    *synth_cases(30, seed=11),
    *synth_cases(10, seed=12, comparison_share=1.0),
]


def _check(schema: dict[str, Any] | bool, otherwise: Callable[[Any], bool] | None = None) -> Any:
    module = check_module()
    assert module is not None
    return module.Check(programs.program_for(schema), otherwise=otherwise)


@pytest.fixture(scope="module")
def proof() -> Callable[[Any], bool]:
    found = programs.proof(SCHEMA_NAME)
    assert found is not None
    return found


def test_every_schema_object_of_a_case_record_is_read() -> None:
    assert not [i for i, node in enumerate(programs.program(SCHEMA_NAME)) if node.never]


def test_every_valid_synthetic_record_is_proved(proof: Callable[[Any], bool]) -> None:
    records = [*RECORDS, *synth_cases(200, seed=13, invalid_share=0.3)]
    for record in records:
        valid = not reference_findings(record)
        assert proof(record) is valid, record.get("case_id")


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, member in value.items():
            found += _paths(member, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*at, index))
    return found


_DATES = [
    "2024-02-29",
    "2023-02-29",
    "2100-02-29",
    "2000-02-29",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2025-13-01",
    "2025-00-10",
    "2025-04-31",
    "2025-4-01",
    "2025-04-1",
    "２０２５-04-01",
    "2025/04/01",
    "20250401",
    "2025-04-01T00:00",
    " 2025-04-01",
]
_TEXT = [
    "",
    "A",
    "ABC",
    "ABCD",
    "A" * 127,
    "A" * 128,
    "A" * 129,
    "a-b_c",
    "-abc",
    "_abc",
    "ab cd",
    "ABCD\n",
    "é" * 5,
    "ABCĀ",
    "abc.d",
    "x" * 200,
    "x" * 201,
    "x" * 500,
    "0",
]
_NUMBERS = [
    0,
    -1,
    1,
    59,
    60,
    61,
    100,
    100_000_000,
    100_000_001,
    10**9,
    10**12,
    10**12 + 1,
    2**53,
    2**53 + 1,
    -(2**53) - 1,
    2**63 - 1,
    0.0,
    -0.0,
    1.0,
    0.5,
    -0.5,
    60.0,
    1e12,
    1e12 + 0.5,
    1e300,
    -1e-300,
    True,
    False,
]


def _nearby(value: Any) -> st.SearchStrategy[Any]:
    """Values near ``value``: the edges a check of its kind has."""
    if isinstance(value, str):
        tweaks = [
            value + "x",
            value[:-1],
            value.upper(),
            value.lower(),
            value + " ",
            "z" + value,
            value.replace("-", "_"),
            value.replace("0", "1"),
            value.replace("2", "9"),
        ]
        return st.sampled_from(tweaks + _DATES + _TEXT)
    if isinstance(value, bool):
        return st.sampled_from([not value, 0, 1, "true", None])
    if isinstance(value, int | float):
        return st.sampled_from([value + 1, value - 1, -value, float(value), str(value), *_NUMBERS])
    if isinstance(value, list):
        return st.sampled_from(
            [[], value * 2, value * 60, value[:1], [None], {}, value + value[:1]]
        )
    if isinstance(value, dict):
        return st.sampled_from([{}, [], {**value, "extra": 1}, {**value, "": None}, None])
    return st.sampled_from([None, 0, "", [], {}])


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    record = copy.deepcopy(draw(st.sampled_from(RECORDS)))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(record)[1:]
        path = draw(st.sampled_from(paths))
        parent = record
        for step in path[:-1]:
            parent = parent[step]
        last = path[-1]
        action = draw(st.sampled_from(["change", "change", "change", "drop", "add"]))
        if action == "drop":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            name = draw(st.sampled_from([str(last) + "s", "notes", "Case_id", "referral ", "x"]))
            parent[name] = draw(_nearby(parent[last]))
        else:
            parent[last] = draw(_nearby(parent[last]))
    return record


@settings(max_examples=400, deadline=None)
@given(mutated())
def test_a_proved_record_is_one_the_reference_accepts(record: dict[str, Any]) -> None:
    proof = programs.proof(SCHEMA_NAME)
    assert proof is not None
    if proof(record):
        assert not list(schemas.validator(SCHEMA_NAME).iter_errors(record))
    # the answer of the whole fast check is the reference's either way
    findings = reference_findings(record)
    assert check_record(record) == findings
    if quick_is_valid()(record) and b"0000-" not in orjson.dumps(record):
        assert not findings  # what the quick reading trusts (chunks refuses "0000-" first)


@pytest.mark.parametrize(
    ("pattern", "atoms"),
    [
        ("^[A-Za-z0-9][A-Za-z0-9_-]{3,127}$", 2),
        ("^[a-z0-9][a-z0-9._-]{0,63}$", 2),
        ("^ab?c*d+e{2}f{1,3}$", 6),
        ("^[a-]$", 1),
    ],
)
def test_simple_patterns_are_read(pattern: str, atoms: int) -> None:
    read = programs.read_pattern(pattern)
    assert read is not None
    assert len(read) == atoms


@pytest.mark.parametrize(
    "pattern",
    [
        "[a-z]+",  # not anchored: re.search finds it anywhere
        "^[a-z]+",
        "^[^a-z]+$",  # negated class
        "^[a-z]+(-[a-z]+)*$",  # a group
        "^a|b$",
        "^.$",
        "^\\d{4}$",
        "^[a-z]{2,}$",
        "^[a-z]{3,2}$",
        "^[a-z]+?$",  # lazy
        "^[a-z]++$",  # possessive
        "^[z-a]$",
        "^[a-z]$\\$",
    ],
)
def test_other_patterns_are_never_proved(pattern: str) -> None:
    assert programs.read_pattern(pattern) is None
    check = _check({"type": "string", "pattern": pattern})
    assert not check("abc")
    assert not check("a")


_PATTERNS = sorted(
    {
        "^[A-Za-z0-9][A-Za-z0-9_-]{3,127}$",
        "^[a-z0-9][a-z0-9._-]{0,63}$",
        "^ab?c*[a-c]+c{2}d{0,2}$",
        "^[a-c]*c[a-c]{1,2}$",
    }
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_PATTERNS), st.text(alphabet="abcdABCD09_-.é\n ", max_size=12))
def test_a_pattern_is_proved_only_where_python_matches(pattern: str, text: str) -> None:
    proved = _check({"type": "string", "pattern": pattern})(text)
    if proved:
        assert re.search(pattern, text)
    elif re.fullmatch(pattern, text) and "\n" not in text:
        pytest.fail(f"{text!r} matches {pattern} but is not proved")


@pytest.mark.parametrize(
    ("value", "proved"),
    [
        ("2024-02-29", True),
        ("2000-02-29", True),
        ("0001-01-01", True),
        ("9999-12-31", True),
        ("2023-02-29", False),
        ("1900-02-29", False),
        ("0000-01-01", False),  # jsonschema-rs accepts it; the reference does not
        ("2025-04-31", False),
        ("2025-4-01", False),
        ("２０２５-04-01", False),
        ("20250401", False),  # date.fromisoformat reads it; the format's pattern does not
        ("2025-04-01\n", False),
    ],
)
def test_dates(value: str, proved: bool) -> None:
    check = _check({"type": "string", "format": "date"})
    assert check(value) is proved
    if proved:
        assert schemas.validator(SCHEMA_NAME).FORMAT_CHECKER.conforms(value, "date")


@pytest.mark.parametrize(
    ("schema", "value", "proved"),
    [
        ({"type": "integer"}, 3, True),
        ({"type": "integer"}, 3.0, False),  # the reference takes it; left to the validator
        ({"type": "integer"}, True, False),
        ({"type": "number"}, 3, True),
        ({"type": "number"}, True, False),
        ({"type": "integer"}, 2**53, True),
        ({"type": "integer"}, 2**53 + 1, False),
        ({"type": "integer", "maximum": 60}, 60, True),
        ({"type": "integer", "maximum": 60}, 61, False),
        ({"type": "number", "exclusiveMaximum": 1}, 0.999, True),
        ({"type": "number", "exclusiveMaximum": 1}, 1, False),
        ({"type": "number", "minimum": 0}, -0.0, True),
        ({"type": "number", "exclusiveMinimum": 0}, -0.0, False),
        ({"enum": ["a", "b"]}, "a", True),
        ({"enum": ["a", "b"]}, "c", False),
        ({"enum": ["a", 1]}, "a", False),  # an enum holding a number is not read
        ({"const": "a"}, "a", True),
        ({"type": "string", "maxLength": 2}, "éé", True),
        # each character is two bytes "AA" in memory: never read as bytes
        ({"type": "string", "pattern": "^[A-Z]{4}$"}, "\u4141\u4141\u4141\u4141", False),
        ({"type": "string", "pattern": "^[A-Z]{4}$"}, "ABCD", True),
        ({"type": "string", "maxLength": 2}, "ééé", False),
        ({"type": "array", "items": {"type": "null"}, "maxItems": 1}, [None], True),
        ({"type": "array", "items": {"type": "null"}, "maxItems": 1}, [None, None], False),
        ({"type": "array", "items": {"type": "null"}}, (None,), False),  # not what JSON gives
        ({"type": "object", "required": ["a"]}, {"a": 1}, True),
        ({"type": "object", "required": ["a"]}, {"b": 1}, False),
        ({"properties": {"a": {"type": "null"}}, "additionalProperties": False}, {"a": None}, True),
        (
            {"properties": {"a": {"type": "null"}}, "additionalProperties": False},
            {"b": None},
            False,
        ),
        (
            {"additionalProperties": {"type": "integer"}, "propertyNames": {"enum": ["x"]}},
            {"x": 1},
            True,
        ),
        (
            {"additionalProperties": {"type": "integer"}, "propertyNames": {"enum": ["x"]}},
            {"y": 1},
            False,
        ),
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, None, True),
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, 1, False),
        (
            {"$ref": "https://spcore.dev/schema/0.2/common.schema.json#/$defs/Cohort"},
            "referred",
            True,
        ),
        (
            {"$ref": "https://spcore.dev/schema/0.2/common.schema.json#/$defs/Cohort"},
            "other",
            False,
        ),
        ({"type": "string", "format": "email"}, "a@b.c", False),  # a format the walk does not read
        ({"type": "string", "x-unknown": 1}, "a", False),  # a keyword the walk does not read
        ({"not": {"type": "null"}}, 1, False),
        ({"properties": {"a": {"$id": "https://x/y", "type": "null"}}}, {"a": None}, False),
        (True, [1, {"a": None}], True),
        (False, None, False),
    ],
)
def test_keywords(schema: Any, value: Any, proved: bool) -> None:
    assert _check(schema)(value) is proved
    if proved:
        assert schemas.validator(SCHEMA_NAME).evolve(schema=schema).is_valid(value)


def test_a_key_seen_again_is_the_same_key() -> None:
    # keys are matched by identity once seen; a new object for the same name still matches,
    # and another name of the same length does not
    check = _check(
        {"properties": {"ab": {"type": "null"}}, "additionalProperties": False, "required": ["ab"]}
    )
    first = orjson.loads(b'{"ab": null}')
    assert check(first)
    assert check(orjson.loads(b'{"ab": null}'))
    assert check({"".join(["a", "b"]): None})
    assert not check({"ac": None})
    assert not check({"ab": 1})


def test_otherwise_decides_what_is_not_proved() -> None:
    asked: list[Any] = []

    def otherwise(value: Any) -> bool:
        asked.append(value)
        return value == 3.0

    check = _check({"type": "integer"}, otherwise)
    assert check(2)
    assert not asked
    assert check(3.0)
    assert asked == [3.0]
    assert not check("x")


def test_an_error_in_otherwise_is_raised() -> None:
    def otherwise(value: Any) -> bool:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        _check({"type": "integer"}, otherwise)(1.5)


@pytest.mark.parametrize(
    "program",
    [(), ("node",), ((False,) * 3,), (programs.program_for({"items": True})[0]._replace(items=5),)],
)
def test_a_malformed_program_is_refused(program: Any) -> None:
    module = check_module()
    assert module is not None
    with pytest.raises((TypeError, ValueError)):
        module.Check(program)


def test_deep_documents_are_left_to_the_validator() -> None:
    schema: dict[str, Any] = {
        "$defs": {
            "n": {"anyOf": [{"type": "null"}, {"type": "array", "items": {"$ref": "#/$defs/n"}}]}
        },
        "$ref": "#/$defs/n",
    }
    value: Any = None
    for _ in range(10):
        value = [value]
    assert _check(schema)(value)
    for _ in range(100):
        value = [value]
    assert not _check(schema)(value)


def test_a_node_that_is_only_a_reference_is_stepped_over() -> None:
    nodes = programs.program(SCHEMA_NAME)

    def only_a_reference(index: int) -> bool:
        node = nodes[index]
        return len(node.all_of) == 1 and node._replace(all_of=()) == programs._BLANK

    assert any(only_a_reference(i) for i in range(len(nodes)))  # the schema writes them
    named = {
        i
        for n in nodes
        for i in (
            n.items,
            n.additional,
            n.property_names,
            *n.any_of,
            *n.all_of,
            *(n.properties or {}).values(),
        )
        if i >= 0
    }
    assert not [i for i in named if only_a_reference(i)]
    # references that only refer to each other: never proved (the walk's depth ends them)
    loop = {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}
    assert not _check(loop)(1)
