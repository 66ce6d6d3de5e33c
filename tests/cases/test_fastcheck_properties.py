"""Property: on any mutation of a valid record, the fast path reports what the reference does."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from spcore.cases import check_record, reference_findings
from spcore.cases.synth import synth_cases
from spcore.framework import enums

RECORDS = [r for r in synth_cases(40, seed=12) if "closure" in r][:10]

CODES = sorted(
    {
        member.value
        for enum in (enums.ReferrerType, enums.ContactType, enums.AgeBand, enums.RagRating)
        for member in enum
    }
)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\n?\Z")
    | st.sampled_from(CODES).map(lambda c: c + "\n")
    | st.sampled_from(CODES)
    | st.text(alphabet="ABCDEFabc0123-_\n", min_size=0, max_size=140)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _locations(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_locations(value, (*path, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_locations(value, (*path, index)))
    return found


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    record = copy.deepcopy(draw(st.sampled_from(RECORDS)))
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _locations(record) if p]
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent: Any = record
        for token in path[:-1]:
            parent = parent[token]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=10))] = draw(VALUES)
        else:
            parent[path[-1]] = draw(VALUES)
    return record


@settings(max_examples=400)
@given(mutated())
def test_fast_path_equals_reference_on_mutations(record: Any) -> None:
    expected = reference_findings(record)
    assert check_record(record) == expected
    assert check_record(record, source_text=json.dumps(record)) == expected


@given(st.sampled_from(RECORDS))
def test_synthetic_records_valid_on_both_paths(record: Any) -> None:
    assert reference_findings(record) == check_record(record) == ()
