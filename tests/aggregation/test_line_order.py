"""A chunk's columns put back in line order (spcore.aggregation.line_order)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from spcore.aggregation.line_order import in_line_order

POINTERS = {"contact_row": "kind", "window_row": "kind", "use_window": "window_row"}
NUMBERED = {"case": "cases", "contact_group": "groups"}


def _arrays(**columns: list[Any]) -> dict[str, np.ndarray[Any, Any]]:
    return {name: np.array(values, dtype=np.int32) for name, values in columns.items()}


def test_rows_children_numbers_and_problems_go_back_to_line_order() -> None:
    # Lines 2, 4 and 5 were added first; lines 1 and 3, handed back, after them.
    arrays = _arrays(
        kind=[0, 0, 0, 1, 0],
        line=[2, 4, 5, 1, 3],
        case=[0, 1, 2, -1, 3],
        contact_row=[0, 0, 2, 4, 4],
        contact_group=[0, 1, 0, 2, 1],
        window_row=[1, 4],
        use_window=[0, 0, 1],
        use_count=[7, 8, 9],
    )
    values = {"cases": ["B", "D", "E", "C"], "groups": ["g", "h", "i"]}
    out, numbered, problems = in_line_order(
        arrays, values, {3: "line 1 is not JSON"}, pointers=POINTERS, numbered=NUMBERED
    )
    assert out["line"].tolist() == [1, 2, 3, 4, 5]
    assert out["kind"].tolist() == [1, 0, 0, 0, 0]
    # Cases numbered as first seen in line order: B (line 2), C (3), D (4), E (5).
    assert numbered["cases"] == ["B", "C", "D", "E"]
    assert out["case"].tolist() == [-1, 0, 1, 2, 3]
    # Contacts in their rows' order, each record's in the order it gave them.
    assert out["contact_row"].tolist() == [1, 1, 2, 2, 4]
    assert [numbered["groups"][g] for g in out["contact_group"]] == ["g", "h", "i", "h", "g"]
    assert numbered["groups"] == ["g", "h", "i"]
    assert out["window_row"].tolist() == [2, 3]
    assert out["use_window"].tolist() == [0, 1, 1]
    assert out["use_count"].tolist() == [9, 7, 8]
    assert problems == {0: "line 1 is not JSON"}
    assert all(out[name].dtype == arrays[name].dtype for name in arrays)


def test_columns_already_in_line_order_are_given_back_as_they_are() -> None:
    arrays = _arrays(kind=[0, 0], line=[7, 9], case=[0, 1], contact_row=[1], contact_group=[0])
    arrays.update(_arrays(window_row=[], use_window=[], use_count=[]))
    out, numbered, problems = in_line_order(
        arrays, {"cases": ["a", "b"], "groups": ["g"]}, {}, pointers=POINTERS, numbered=NUMBERED
    )
    assert all(out[name] is arrays[name] for name in arrays)
    assert numbered == {"cases": ["a", "b"], "groups": ["g"]}
    assert problems == {}


def test_a_value_numbered_but_never_used_is_a_broken_invariant() -> None:
    arrays = _arrays(kind=[0, 0], line=[2, 1], case=[0, 0], contact_row=[], contact_group=[])
    arrays.update(_arrays(window_row=[], use_window=[], use_count=[]))
    with pytest.raises(AssertionError, match="2 values numbered, 1 in the column"):
        in_line_order(
            arrays, {"cases": ["a", "b"], "groups": []}, {}, pointers=POINTERS, numbered=NUMBERED
        )
