"""The parser's contacts lane: a record's contacts read from its bytes, with no objects made.

What the lane packs must be what the fill takes from the contacts parsed as
objects, and only contacts the reference finds valid may be packed; anything
else is parsed as before. The lines of a whole extract are held to the
reference in ``tests/cases/test_chunks.py`` (``_contact_lines``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from tests.cases.same_values import same

from spcore.cases import chunks, contacts_lane, screens
from spcore.cases.fastcheck import reference_findings
from spcore.cases.synth import synth_cases
from spcore.compiled import fill_module
from spcore.framework import enums

pytestmark = pytest.mark.skipif(
    chunks.screens_module() is None, reason="spcore.cases._screens is not built"
)

RECORD = next(r for r in synth_cases(20, seed=5) if len(r["support_offered"]["contacts"]) > 1)
_TYPES = [m.value for m in enums.ContactType]
_UNITS = ["minute", "hour", "day", "week"]


def test_the_lane_is_set_from_the_schema() -> None:
    lane = contacts_lane.contacts_lane()
    assert lane == (tuple(_TYPES), tuple(_UNITS), 1000, 10**12)
    # The very objects the vocabulary shares, so the fill's tables meet them by identity.
    vocabulary = {text: text for text in chunks.vocabulary()}
    assert all(vocabulary[code] is code for code in lane[0] + lane[1])


@pytest.mark.parametrize(
    ("check", "node"),
    [
        (lambda n: contacts_lane._only(n, "type"), {"type": "string", "pattern": "^a$"}),
        (
            lambda n: contacts_lane._closed(n, {"date", "type"}, {"date", "type"}),
            {"type": "object", "properties": {"date": {}, "type": {}}},  # open
        ),
        (
            lambda n: contacts_lane._closed(n, {"date", "type"}, {"date"}),
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {"date": {}, "type": {}},
                "required": ["date", "type"],  # more required than the lane asks for
            },
        ),
        (
            lambda n: contacts_lane._closed(n, {"date", "type"}, {"date", "type"}),
            {"type": "object", "additionalProperties": False, "properties": {"date": {}}},
        ),
        (contacts_lane._codes, {"type": "string", "enum": ["a", 'say "b"']}),
        (contacts_lane._codes, {"type": "string", "enum": ["café"]}),
        (contacts_lane._codes, {"type": "integer", "enum": [1]}),
        (contacts_lane._largest_value, {"type": "number", "minimum": 1, "maximum": 9}),
        (contacts_lane._largest_value, {"type": "number", "minimum": 0, "maximum": 9.5}),
        (contacts_lane._largest_value, {"type": "number", "minimum": 0}),
        (contacts_lane._largest_value, {"type": "number", "minimum": 0, "maximum": 10**19}),
        (
            contacts_lane._largest_value,
            {"type": "number", "minimum": 0, "maximum": 9, "multipleOf": 3},
        ),
    ],
)
def test_a_schema_saying_more_than_the_lane_reads_turns_it_off(check: Any, node: Any) -> None:
    with pytest.raises(contacts_lane._NoLaneError):
        check(node)


def test_what_the_lane_reads_of_the_schema_passes_its_checks() -> None:
    assert contacts_lane._codes({"type": "string", "enum": ["a-b", "c"]}) == ("a-b", "c")
    assert contacts_lane._largest_value({"type": "number", "minimum": 0, "maximum": 9}) == 9
    node = {
        "title": "A",
        "type": "object",
        "additionalProperties": False,
        "properties": {"date": {}, "type": {}},
        "required": ["date"],
    }
    assert set(contacts_lane._closed(node, {"date", "type"}, {"date", "type"})) == {"date", "type"}


def test_a_retired_contact_type_is_not_packed(monkeypatch: pytest.MonkeyPatch) -> None:
    place = (("support_offered", "contacts", "*", "type"), False, frozenset({"video"}))
    places = (*screens._retired_codes(), place)
    monkeypatch.setattr(screens, "_retired_codes", lambda: places)
    assert contacts_lane._screened_out(("telephone", "video")) == ("telephone",)


def test_free_text_among_contacts_turns_the_lane_off(monkeypatch: pytest.MonkeyPatch) -> None:
    note = ("contacts", (False, (("*", (False, (("note", (True, ())),))),)))
    tree = (False, (("support_offered", (False, (note,))),))
    monkeypatch.setattr(screens, "_free_text_tree", lambda: tree)
    with pytest.raises(contacts_lane._NoLaneError):
        contacts_lane._screened_out(("telephone",))


@pytest.mark.parametrize(
    "lane",
    [
        (("tel\u00e9phone",), ("minute",), 5, 10),  # not ASCII
        (("a",), ('min"ute',), 5, 10),
        (("a",), ("minute",), -1, 10),
        (("a",), ("minute",), 5, -1),
        (("a", 1), ("minute",), 5, 10),
        (("a",), ("minute",), 5),
    ],
)
def test_a_parser_refuses_lane_settings_it_cannot_keep(lane: Any) -> None:
    module = chunks.screens_module()
    assert module is not None
    with pytest.raises((TypeError, ValueError)):
        module.Parser(chunks.vocabulary(), lane)


def test_a_parser_needs_the_names_of_contacts_in_its_vocabulary() -> None:
    module = chunks.screens_module()
    assert module is not None
    with pytest.raises(ValueError, match="support_offered"):
        module.Parser(("date",), (("a",), ("minute",), 5, 10))


def _packed_from(contacts: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What the fill takes of each contact, as the lane would pack it."""
    found = []
    for contact in contacts:
        duration = contact.get("duration")
        day = dt.date.fromisoformat(contact["date"]).toordinal()
        if duration is None:
            found.append((day, contact["type"], None, None))
        else:
            found.append((day, contact["type"], duration["unit"], float(duration["value"])))
    return found


_DATES = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).map(dt.date.isoformat) | st.sampled_from(
    ["2025-02-29", "2025-13-01", "2025-6-01", "20250601", "2025-06-01T00:00", "", "0000-01-01"]
)
_VALUES = (
    st.integers(0, 10**12 + 2)
    | st.sampled_from([0, 10**12, 10**12 + 1, -1, 7.5, 60.0, 1e12, True, None, "60"])
    | st.integers(-(10**20), 10**20)
)
_DURATIONS = (
    st.none()
    | st.fixed_dictionaries(
        {"value": _VALUES, "unit": st.sampled_from([*_UNITS, "fortnight", "Minute"])},
        optional={"note": st.just("x")},
    )
    | st.fixed_dictionaries({}, optional={"value": _VALUES, "unit": st.sampled_from(_UNITS)})
)
#: Contacts as they are mostly written (in any order of their names), and now and then not.
_PLAIN_CONTACTS = st.fixed_dictionaries(
    {
        "date": st.dates(dt.date(1, 1, 1)).map(dt.date.isoformat)
        | st.sampled_from(["0001-01-01", "9999-12-31", "2000-02-29", "1900-03-01", "2025-12-31"]),
        "type": st.sampled_from(_TYPES),
    },
    optional={
        "duration": st.none()
        | st.fixed_dictionaries(
            {"value": st.integers(0, 10**12), "unit": st.sampled_from(_UNITS)}
        ).map(lambda d: dict(reversed(d.items())) if d["value"] % 2 else d)
    },
)
_ODD_CONTACTS = st.fixed_dictionaries(
    {},
    optional={
        "date": _DATES,
        "type": st.sampled_from([*_TYPES, "telegram", "", "Video"]),
        "duration": _DURATIONS,
        "notes": st.just("seen"),
    },
)
_CONTACTS = st.lists(
    st.one_of(_PLAIN_CONTACTS, _PLAIN_CONTACTS, _PLAIN_CONTACTS, _ODD_CONTACTS).map(
        lambda c: dict(sorted(c.items(), key=lambda kv: len(kv[0]) % 3))
    ),
    max_size=6,
)


@settings(max_examples=400)
@given(
    _CONTACTS,
    st.sampled_from([None, (",", ":"), (" , ", " : "), (",\t", ":\r")]),
    st.sampled_from([None, 1]),
)
def test_the_lane_packs_only_valid_contacts_and_exactly_what_the_fill_takes(
    contacts: list[dict[str, Any]], separators: tuple[str, str] | None, indent: int | None
) -> None:
    record = copy.deepcopy(RECORD)
    record["support_offered"]["contacts"] = contacts
    line = json.dumps(record, separators=separators, indent=indent).encode()
    parser = chunks._line_parser()
    laned, packed = parser.with_contacts(line)
    plain = parser(line)
    event("read by the lane" if packed is not None else "parsed as before")
    if packed is None:
        assert same(laned, plain)  # not read by the lane: parsed as before
        return
    assert plain is not None
    assert laned is not None
    assert same(packed, _packed_from(plain["support_offered"]["contacts"]))
    assert not [
        f for f in reference_findings(plain) if f.path.startswith("/support_offered/contacts")
    ]
    plain["support_offered"]["contacts"] = []
    assert same(laned, plain)


def test_synthetic_contacts_are_read_by_the_lane() -> None:
    parser = chunks._line_parser()
    read = 0
    for record in synth_cases(50, seed=8):
        line = json.dumps(record, separators=(",", ":")).encode()
        contacts = (record.get("support_offered") or {}).get("contacts")
        laned, packed = parser.with_contacts(line)
        assert laned is not None
        assert packed == (_packed_from(contacts) if contacts else None)
        read += packed is not None
    assert read > 25


def test_a_line_left_to_python_packs_no_contacts() -> None:
    line = json.dumps(RECORD, separators=(",", ":")).encode()
    repeated = line[:-1] + b',"case_id":"DUP-0001"}'  # after the contacts: not parsed here
    assert chunks._line_parser().with_contacts(repeated) == (None, None)


def test_more_contacts_than_the_schema_allows_are_left_to_the_usual_reading() -> None:
    record = copy.deepcopy(RECORD)
    contact = {"date": "2025-06-01", "type": "video"}
    parser = chunks._line_parser()
    for count, read in [(1000, True), (1001, False)]:
        record["support_offered"]["contacts"] = [contact] * count
        _, packed = parser.with_contacts(json.dumps(record).encode())
        assert (packed is not None) is read


@pytest.mark.skipif(fill_module() is None, reason="spcore.aggregation._fill is not built")
def test_the_fill_refuses_packed_contacts_it_cannot_read() -> None:
    from spcore.aggregation import columns

    builder = columns._Builder(compiled=True)
    data = json.loads(json.dumps(RECORD))
    with pytest.raises(TypeError, match="packed contacts"):
        builder.add_checked_record(data, 2, b"\x00" * 7)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="two or three arguments"):
        builder.add_checked_record(data, 2, b"", None)  # type: ignore[call-arg]
