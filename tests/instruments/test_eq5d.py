"""EQ-5D scoring against published values, plus invariants.

The expected values below are transcribed from the published value sets (see
each value-set file's ``verified_against``), not computed from spcore's data
files, so a typo in a data file fails a test.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spcore.findings import Severity
from spcore.instruments import eq5d
from spcore.instruments.eq5d import (
    DEFAULT_3L_VALUE_SET,
    DEFAULT_5L_VALUE_SET,
    DIMENSIONS,
    FINDING_CODES,
    VALUE_SETS,
    ValueSet,
    parse_profile,
    parse_vas,
    score_eq5d,
    score_eq5d_batch,
)

# --------------------------------------------------------------------------
# Published state values
# --------------------------------------------------------------------------

# Rowen et al. 2026 UK EQ-5D-5L value table (eq5dsuite value-set repository,
# EQ-5D-5L/UK.csv; the single-dimension states also in the NICE DSU April 2026
# mapping table, column UK_2026).
UK_2026_PUBLISHED = {
    "11111": 1.0,
    # every single-dimension state: hits every coefficient once
    "21111": 0.968, "31111": 0.942, "41111": 0.821, "51111": 0.721,
    "12111": 0.962, "13111": 0.940, "14111": 0.838, "15111": 0.794,
    "11211": 0.951, "11311": 0.914, "11411": 0.816, "11511": 0.788,
    "11121": 0.944, "11131": 0.934, "11141": 0.629, "11151": 0.521,
    "11112": 0.959, "11113": 0.874, "11114": 0.687, "11115": 0.609,
    # composite states
    "11122": 0.903, "12345": 0.114, "22222": 0.784, "33333": 0.604,
    "44444": -0.209, "55555": -0.567, "25145": 0.0, "15555": -0.288,
    "25555": -0.320, "35555": -0.346, "45555": -0.467, "44555": -0.423,
    "11555": -0.082, "21155": 0.098, "31155": 0.072, "32124": 0.535,
    "23455": -0.146, "14253": 0.184, "41245": 0.010, "42345": -0.065,
    "34455": -0.274, "51555": -0.361, "52343": 0.100, "53535": -0.008,
    "54311": 0.473, "55455": -0.539, "55551": -0.176,
}  # fmt: skip

# Devlin et al. 2018 England EQ-5D-5L: coefficient table (fragla/eq5d VT.csv),
# used to derive the single-dimension states, plus published states.
ENGLAND_2018_DECREMENTS = {
    "mobility": (0.0, 0.058, 0.076, 0.207, 0.274),
    "self_care": (0.0, 0.050, 0.080, 0.164, 0.203),
    "usual_activities": (0.0, 0.050, 0.063, 0.162, 0.184),
    "pain_discomfort": (0.0, 0.063, 0.084, 0.276, 0.335),
    "anxiety_depression": (0.0, 0.078, 0.104, 0.285, 0.289),
}
ENGLAND_2018_PUBLISHED = {
    "11111": 1.0,
    "55555": -0.285,  # abstract: minimum, extreme problems on all dimensions
    "11211": 0.950,  # abstract: maximum below full health
    "12111": 0.950,
    "21111": 0.942,
    "11121": 0.937,
    "11112": 0.922,
    "23245": 0.247,
    "51111": 0.726,  # NICE DSU mapping table, England_2018 column
    "11555": 0.192,
    "45555": -0.218,
}

# Dolan 1997 UK EQ-5D-3L TTO (eq5dsuite EQ-5D-3L/UK.csv; Szende et al. 2014
# Table 2.2 for the coefficients).
UK_1997_PUBLISHED = {
    "11111": 1.0,
    "21111": 0.850, "31111": 0.336,
    "12111": 0.815, "13111": 0.436,
    "11211": 0.883, "11311": 0.556,
    "11121": 0.796, "11131": 0.264,
    "11112": 0.848, "11113": 0.414,
    "11223": 0.255, "12321": 0.329, "21232": 0.088, "22222": 0.516,
    "32211": 0.196, "13332": -0.115, "33333": -0.594,
}  # fmt: skip

PUBLISHED = {
    "uk-2026-rowen": UK_2026_PUBLISHED,
    "england-2018-devlin": ENGLAND_2018_PUBLISHED,
    "uk-1997-dolan": UK_1997_PUBLISHED,
}


@pytest.mark.parametrize(
    ("value_set_id", "state", "expected"),
    [(vs, s, v) for vs, table in PUBLISHED.items() for s, v in table.items()],
)
def test_published_state_values(value_set_id: str, state: str, expected: float) -> None:
    vs = VALUE_SETS[value_set_id]
    assert vs.index(state) == expected
    result = score_eq5d(state, vs.version, value_set_id)
    assert result.index == expected
    assert result.value_set_id == value_set_id
    assert result.findings == ()


@pytest.mark.parametrize("dim", range(5))
@pytest.mark.parametrize("level", range(1, 6))
def test_england_every_coefficient(dim: int, level: int) -> None:
    profile = [1] * 5
    profile[dim] = level
    expected = round(1 - ENGLAND_2018_DECREMENTS[DIMENSIONS[dim].id][level - 1], 3)
    assert VALUE_SETS["england-2018-devlin"].index(profile) == expected


def test_single_dimension_tables_cover_every_level() -> None:
    # The UK 2026 and 3L tables above list every single-dimension state, so
    # every coefficient of those value sets is exercised by a published value.
    for value_set_id, table in (
        ("uk-2026-rowen", UK_2026_PUBLISHED),
        ("uk-1997-dolan", UK_1997_PUBLISHED),
    ):
        levels = VALUE_SETS[value_set_id].levels
        for d in range(5):
            for level in range(2, levels + 1):
                state = "".join(str(level) if i == d else "1" for i in range(5))
                assert state in table, (value_set_id, state)


def test_dolan_3l_worked_example_by_hand() -> None:
    # 11223: constant 0.081 + UA2 0.036 + PD2 0.123 + AD3 0.236 + N3 0.269 = 0.745
    assert VALUE_SETS["uk-1997-dolan"].index("11223") == 0.255


# --------------------------------------------------------------------------
# Defaults and data files
# --------------------------------------------------------------------------


def test_defaults_follow_nice() -> None:
    assert DEFAULT_5L_VALUE_SET == "uk-2026-rowen"
    assert DEFAULT_3L_VALUE_SET == "uk-1997-dolan"
    assert score_eq5d("12345", "5L").value_set_id == "uk-2026-rowen"
    assert score_eq5d("12321", "3L").value_set_id == "uk-1997-dolan"
    assert eq5d.default_value_set("5L").version == "5L"
    assert eq5d.default_value_set("3L").version == "3L"


@pytest.mark.parametrize("value_set_id", sorted(VALUE_SETS))
def test_value_set_metadata(value_set_id: str) -> None:
    vs = VALUE_SETS[value_set_id]
    assert vs.id == value_set_id
    assert vs.citation
    assert vs.doi
    assert vs.url.startswith("https://doi.org/")
    assert len(vs.verified_against) >= 2, "every set is cross-checked in two sources"
    assert vs.decimals == 3
    for row in vs.decrements:
        assert row[0] == 0
        assert list(row) == sorted(row), "decrements must grow with level"
    assert vs.coefficients["decrements"]["mobility"] == list(vs.decrements[0])


def test_data_files_are_one_per_value_set() -> None:
    root = resources.files("spcore.instruments.value_sets")
    names = sorted(p.name for p in root.iterdir() if p.name.endswith(".json"))
    assert names == sorted(f"{i}.json" for i in VALUE_SETS)
    for name in names:
        data = json.loads(root.joinpath(name).read_text(encoding="utf-8"))
        assert set(data["decrements"]) == {d.id for d in DIMENSIONS}


def test_no_item_wording_shipped() -> None:
    # Dimension names only: EuroQol's level wording is licensed.
    root = resources.files("spcore.instruments.value_sets")
    texts = [p.read_text(encoding="utf-8") for p in root.iterdir() if p.name.endswith(".json")]
    texts.append(Path(eq5d.__file__).read_text(encoding="utf-8"))
    for text in texts:
        assert "I have no problems" not in text
        assert "I am unable to" not in text
    assert [d.name for d in DIMENSIONS] == [
        "Mobility",
        "Self-care",
        "Usual activities",
        "Pain/discomfort",
        "Anxiety/depression",
    ]


def test_finding_codes_documented() -> None:
    assert all(code.startswith("SPC-I1") for code in FINDING_CODES)
    assert all(FINDING_CODES.values())


def test_value_set_rejects_bad_data() -> None:
    base = {
        "id": "x",
        "version": "5L",
        "country": "X",
        "title": "X",
        "citation": "X",
        "decimals": 3,
        "decrements": {d.id: [0.0, 0.1, 0.2, 0.3, 0.4] for d in DIMENSIONS},
    }
    assert ValueSet.from_data(base).index("55555") == -1.0
    with pytest.raises(ValueError, match="more decimals"):
        ValueSet.from_data({**base, "constant": 0.0001})
    with pytest.raises(ValueError, match="N3"):
        ValueSet.from_data({**base, "n3": 0.1})
    with pytest.raises(ValueError, match="levels"):
        ValueSet.from_data({**base, "version": "3L"})
    with pytest.raises(ValueError, match="version"):
        ValueSet.from_data({**base, "version": "4L"})
    with pytest.raises(ValueError, match="no decrements"):
        ValueSet.from_data({**base, "decrements": {"mobility": [0, 0, 0, 0, 0]}})


# --------------------------------------------------------------------------
# Accepted input forms
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "12345",
        " 12345 ",
        12345,
        np.int64(12345),
        [1, 2, 3, 4, 5],
        (1, 2, 3, 4, 5),
        np.array([1, 2, 3, 4, 5]),
        [1.0, 2.0, 3.0, 4.0, 5.0],
        ["1", "2", "3", "4", "5"],
        {
            "mobility": 1,
            "self_care": 2,
            "usual_activities": 3,
            "pain_discomfort": 4,
            "anxiety_depression": 5,
        },
        {"MO": 1, "SC": 2, "UA": 3, "PD": 4, "AD": 5},
    ],
)
def test_profile_forms(value: object) -> None:
    profile, findings = parse_profile(value, "5L")
    assert findings == []
    assert profile == (1, 2, 3, 4, 5)


def test_result_fields_and_vas_pass_through() -> None:
    result = score_eq5d([1, 2, 3, 4, 5], "5L", vas=72)
    assert result.ok
    assert result.profile_string == "12345"
    assert result.vas == 72
    assert result.to_dict() == {
        "version": "5L",
        "value_set": "uk-2026-rowen",
        "profile": "12345",
        "index": 0.114,
        "vas": 72,
        "findings": [],
    }
    chosen = score_eq5d("12345", "5L", VALUE_SETS["england-2018-devlin"])
    assert chosen.value_set_id == "england-2018-devlin"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, 0), (100, 100), (55.0, 55), (" 80 ", 80), (None, None), ("", None), (float("nan"), None)],
)
def test_vas_valid(value: object, expected: int | None) -> None:
    assert parse_vas(value) == (expected, [])


# --------------------------------------------------------------------------
# Invalid input becomes findings
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "version", "codes", "paths"),
    [
        (None, "5L", ["SPC-I101"], [""]),
        ("", "5L", ["SPC-I101"], [""]),
        (float("nan"), "5L", ["SPC-I101"], [""]),
        ("1234", "5L", ["SPC-I103"], [""]),
        ("123456", "5L", ["SPC-I103"], [""]),
        (123, "5L", ["SPC-I103"], [""]),
        ("12a45", "5L", ["SPC-I104"], [""]),
        ("1-2345", "5L", ["SPC-I104", "SPC-I103"], ["", ""]),
        (-1234, "5L", ["SPC-I104"], [""]),
        ("12645", "5L", ["SPC-I105"], [""]),
        ("10345", "5L", ["SPC-I105"], [""]),
        ("12345", "3L", ["SPC-I105", "SPC-I105"], ["", ""]),
        ([1, 2, 3, 4], "5L", ["SPC-I103"], [""]),
        ([1, 2, 3, 4, 5, 1], "5L", ["SPC-I103"], [""]),
        ([1, None, 3, 4, 5], "5L", ["SPC-I101"], ["/1"]),
        ([1, "x", 3, 2.5, True], "5L", ["SPC-I104"] * 3, ["/1", "/3", "/4"]),
        ([1, 2, 4, 1, 1], "3L", ["SPC-I105"], ["/2"]),
        ({"mobility": 1}, "5L", ["SPC-I101"] * 4, [f"/{d.id}" for d in DIMENSIONS[1:]]),
        ({"MO": 1, "SC": 1, "UA": 1, "PD": 1, "AD": 1, "XX": 1}, "5L", ["SPC-I103"], ["/XX"]),
        ({"MO": 1, "mobility": 2, "SC": 1, "UA": 1, "PD": 1, "AD": 1}, "5L",
         ["SPC-I103"], ["/mobility"]),
        (True, "5L", ["SPC-I102"], [""]),
        (3.5, "5L", ["SPC-I102"], [""]),
        (b"12345", "5L", ["SPC-I102"], [""]),
        (np.ones((1, 5), dtype=int), "5L", ["SPC-I102"], [""]),
        (object(), "5L", ["SPC-I102"], [""]),
        ("12345", "4L", ["SPC-I106"], [""]),
        ("12345", None, ["SPC-I106"], [""]),
    ],
)  # fmt: skip
def test_invalid_profiles(value: object, version: str, codes: list[str], paths: list[str]) -> None:
    profile, findings = parse_profile(value, version)
    assert profile is None
    assert [f.code for f in findings] == codes
    assert [f.path for f in findings] == paths
    for f in findings:
        assert f.severity is Severity.ERROR
        assert f.code in FINDING_CODES
        assert f.message.endswith(".")


def test_paths_are_rooted() -> None:
    result = score_eq5d([1, 9, 1, 1, 1], "5L", vas=200, path="/responses/3")
    assert [(f.code, f.path) for f in result.findings] == [
        ("SPC-I105", "/responses/3/profile/1"),
        ("SPC-I110", "/responses/3/vas"),
    ]
    assert result.index is None
    assert result.value_set_id == "uk-2026-rowen"
    assert not result.ok


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (101, "SPC-I110"), (-1, "SPC-I110"), (50.5, "SPC-I109"),
        ("abc", "SPC-I109"), (True, "SPC-I109"), ([50], "SPC-I109"),
    ],
)  # fmt: skip
def test_vas_invalid(value: object, code: str) -> None:
    vas, findings = parse_vas(value, path="/vas")
    assert vas is None
    assert [(f.code, f.path) for f in findings] == [(code, "/vas")]


def test_value_set_choice_findings() -> None:
    unknown = score_eq5d("12345", "5L", "atlantis-2099")
    assert [(f.code, f.path) for f in unknown.findings] == [("SPC-I107", "/value_set")]
    assert unknown.index is None
    assert unknown.profile == (1, 2, 3, 4, 5)
    wrong = score_eq5d("12321", "3L", "uk-2026-rowen")
    assert [f.code for f in wrong.findings] == ["SPC-I108"]
    assert wrong.index is None
    bad_version = score_eq5d("12345", "6L", vas=50)
    assert [(f.code, f.path) for f in bad_version.findings] == [("SPC-I106", "/version")]
    assert bad_version.vas == 50
    assert bad_version.value_set_id is None


def test_index_rejects_invalid_profiles() -> None:
    vs = VALUE_SETS[DEFAULT_5L_VALUE_SET]
    with pytest.raises(ValueError, match="5-digit"):
        vs.index("1234")
    with pytest.raises(ValueError, match="between"):
        vs.index([1, 2, 3, 4, 6])
    with pytest.raises(ValueError, match="shape"):
        vs.index_batch(np.ones((3, 4), dtype=int))
    with pytest.raises(ValueError, match="integer"):
        vs.index_batch(np.ones((3, 5)))
    assert vs.index_batch(np.empty((0, 5), dtype=int)).shape == (0,)


# --------------------------------------------------------------------------
# Batch scoring with findings
# --------------------------------------------------------------------------


def test_score_batch_marks_bad_rows() -> None:
    levels = [
        [1, 2, 3, 4, 5],
        [1, 1, 1, 1, np.nan],
        [1, 6, 1, 1, 1],
        [1, 1.5, 1, 1, 1],
        [5, 5, 5, 5, 5],
    ]
    values, findings = score_eq5d_batch(levels, "5L")
    assert values[0] == 0.114
    assert values[4] == -0.567
    assert np.isnan(values[1:4]).all()
    assert [(f.code, f.path) for f in findings] == [
        ("SPC-I101", "/1/4"),
        ("SPC-I105", "/2/1"),
        ("SPC-I104", "/3/1"),
    ]


@pytest.mark.parametrize(
    ("levels", "version", "value_set", "code"),
    [
        (np.ones((2, 4)), "5L", None, "SPC-I103"),
        ([[1, "a", 1, 1, 1]], "5L", None, "SPC-I104"),
        (np.ones((2, 5)), "5X", None, "SPC-I106"),
        (np.ones((2, 5)), "3L", "england-2018-devlin", "SPC-I108"),
        (np.ones((2, 5)), "5L", "nope", "SPC-I107"),
    ],
)
def test_score_batch_bad_input(
    levels: object, version: str, value_set: str | None, code: str
) -> None:
    values, findings = score_eq5d_batch(levels, version, value_set)  # type: ignore[arg-type]
    assert [f.code for f in findings] == [code]
    assert np.isnan(values).all()


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


def _profiles(levels: int) -> st.SearchStrategy[tuple[int, ...]]:
    return st.tuples(*[st.integers(1, levels)] * 5)


value_set_ids = st.sampled_from(sorted(VALUE_SETS))


@given(value_set_ids, st.data())
def test_index_within_range_and_exact_decimals(value_set_id: str, data: st.DataObject) -> None:
    vs = VALUE_SETS[value_set_id]
    profile = data.draw(_profiles(vs.levels))
    value = vs.index(profile)
    assert vs.min_index <= value <= 1.0
    assert value == round(value, 3)
    assert (value == 1.0) == (profile == (1, 1, 1, 1, 1))


@given(value_set_ids, st.data())
def test_batch_equals_scalar(value_set_id: str, data: st.DataObject) -> None:
    vs = VALUE_SETS[value_set_id]
    rows = data.draw(st.lists(_profiles(vs.levels), min_size=1, max_size=50))
    batch = vs.index_batch(np.array(rows, dtype=np.int32))
    assert batch.dtype == np.float64
    assert batch.tolist() == [vs.index(r) for r in rows]
    values, findings = score_eq5d_batch(np.array(rows, dtype=float), vs.version, vs.id)
    assert findings == []
    assert values.tolist() == batch.tolist()


@given(value_set_ids, st.data())
def test_monotone_in_every_dimension(value_set_id: str, data: st.DataObject) -> None:
    vs = VALUE_SETS[value_set_id]
    profile = list(data.draw(_profiles(vs.levels)))
    dim = data.draw(st.integers(0, 4))
    if profile[dim] < vs.levels:
        worse = profile.copy()
        worse[dim] += 1
        assert vs.index(worse) <= vs.index(profile)


def test_exhaustive_batch_matches_scalar_and_published_extremes() -> None:
    for vs in VALUE_SETS.values():
        grid = np.array(np.meshgrid(*[range(1, vs.levels + 1)] * 5, indexing="ij")).reshape(5, -1).T
        batch = vs.index_batch(grid)
        assert batch.max() == 1.0
        assert batch.min() == vs.min_index
        assert batch.tolist() == [vs.index(row) for row in grid.tolist()]


_junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | st.binary(max_size=6),
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=20), children, max_size=6)
    ),
    max_leaves=12,
)


@given(_junk, st.sampled_from(["5L", "3L", "2L", ""]), _junk)
def test_never_raises(value: object, version: str, vas: object) -> None:
    result = score_eq5d(value, version, vas=vas)
    assert (result.index is None) == (result.profile is None or result.value_set_id is None)
    for f in result.findings:
        assert f.code in FINDING_CODES
    if result.index is not None:
        assert result.ok
