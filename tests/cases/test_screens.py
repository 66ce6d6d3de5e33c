"""The quick screens say "no finding" exactly when the checks they screen find nothing.

:mod:`spcore.cases.screens` lets the fast reading of an extract accept a
record without building its findings. Soundness (a screen's ``True`` means
the function finds nothing) keeps verdicts the reference's; exactness on
records of the schema's shape (it says ``True`` whenever the function finds
nothing) keeps the fast reading fast. Dates cluster around month ends, leap
days and the first and last years there are, where the date arithmetic has
its edges; the screens' remembered answers are shared across examples, as
they are across the records of an extract.

Each test also holds both screens at once (:func:`spcore.cases.screens.clear`)
to both checks, in Python and, where spcore was built with it, compiled.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spcore.cases import screens
from spcore.cases.extracts import personal_data_findings
from spcore.cases.service_use import service_use_findings, window_end, window_start
from spcore.cases.synth import synth_cases
from spcore.cases.timing import category_findings, measure_findings, timing_findings
from spcore.compiled import PURE_PYTHON_VARIABLE, screens_module
from spcore.framework.codelists import load

Screen = Callable[[Mapping[str, Any]], bool]
#: Both screens at once: in Python, and compiled where spcore was built with it.
SCREENS: list[Screen] = [screens._both]
#: The personal-data screen alone, in the same two forms (the slow reading asks it).
PERSONAL_SCREENS: list[Screen] = [screens.no_personal_data]
if screens_module() is not None:
    SCREENS.append(screens.record_screen())
    PERSONAL_SCREENS.append(screens.personal_data_screen())


def test_continuous_integration_builds_the_compiled_screen() -> None:
    # Otherwise the compiled screen would go untested, and the chunked reading's
    # equivalence tests would not reach it.
    if os.environ.get("CI") and os.environ.get(PURE_PYTHON_VARIABLE) != "1":
        assert screens_module() is not None, "spcore.cases._screens was not built"
        assert screens.record_screen() is SCREENS[-1] is not screens._both
        assert screens.personal_data_screen() is not screens.no_personal_data


RECORDS = [
    r
    for r in synth_cases(60, seed=4)
    if r.get("service_use") and r.get("closure") and r["support_offered"]["social_prescriptions"]
][:8]

ANCHORS = [
    dt.date(1, 1, 1),
    dt.date(1, 3, 31),
    dt.date(2024, 2, 29),
    dt.date(2025, 1, 31),
    dt.date(2025, 11, 30),
    dt.date(2027, 11, 30),
    dt.date(9999, 9, 30),
    dt.date(9999, 12, 31),
]


OFFSETS = [0, -1, 1, 28, 89, 90, 91, 92, 365, 366, -365]


def _shifted(anchor: dt.date, offset: int) -> str:
    try:
        return (anchor + dt.timedelta(days=offset)).isoformat()
    except OverflowError:
        return anchor.isoformat()


@st.composite
def dates(draw: st.DrawFn) -> str:
    anchor = draw(st.sampled_from(ANCHORS) | st.dates())
    return _shifted(anchor, draw(st.sampled_from(OFFSETS)))


@st.composite
def measure_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Measures around one date, so follow-ups fall before, on and after their due day."""
    anchor = draw(st.sampled_from(ANCHORS) | st.dates())
    measures = draw(st.lists(MEASURES, max_size=5))
    for m in measures:
        m["date"] = _shifted(anchor, draw(st.sampled_from(OFFSETS)))
    for m in list(measures):  # a follow-up of the same score, a little before or after due
        if m["timepoint"] == "baseline" and draw(st.booleans()):
            days = draw(st.sampled_from([0, 1, 28, 88, 89, 90, 91, 92, 93]))
            later = _shifted(dt.date.fromisoformat(m["date"]), days)
            measures.append({**m, "timepoint": "follow-up", "date": later})
    return measures


MEASURES = st.fixed_dictionaries(
    {
        "instrument": st.sampled_from(["swemwbs", "ons-loneliness", "pam"]),
        "timepoint": st.sampled_from(["baseline", "interim", "follow-up", "follow-up"]),
        "date": st.just(""),  # see measure_lists
        "score": st.sampled_from([0, 1, 2, 2.0, 2.5, 3, 4, 5, 6, 17.5, True]),
    },
    optional={
        "score_name": st.sampled_from(["score", "level", "category"]),
        "value_set": st.sampled_from([None, "uk"]),
    },
)
SERVICES = [c.code for c in load("service").codes]
WINDOWS = st.fixed_dictionaries(
    {
        "relative_to_referral": st.sampled_from(["before", "after"]),
        "start_on": dates(),
        "end_on": dates(),
        "months": st.sampled_from([1, 3, 6, 11, 12, 13, 60]),
        "source": st.just("gp-record"),
        "counts": st.dictionaries(st.sampled_from(SERVICES), st.integers(0, 9), max_size=3),
    }
)
#: Days from the referral date to a window's last day before it or first day after it.
AROUND = st.sampled_from([0, 0, -1, 1])
#: How far a window's first or last day is from where its length puts it (mostly not at all).
SLIPS = st.sampled_from([0, 0, 0, 0, 1, -1])


@st.composite
def window_lists(draw: st.DrawFn, referral: str) -> list[dict[str, Any]]:
    """Windows mostly of the right length, ending or starting about the referral date."""
    index = dt.date.fromisoformat(referral)
    windows = draw(st.lists(WINDOWS, max_size=4))
    for w in windows:
        if draw(st.integers(0, 4)) == 4:
            continue  # dates at random
        months = w["months"]
        try:
            if w["relative_to_referral"] == "before":
                end = index + dt.timedelta(days=draw(AROUND))
                start = window_start(end, months) + dt.timedelta(days=draw(SLIPS))
            else:
                start = index + dt.timedelta(days=draw(AROUND))
                end = window_end(start, months) + dt.timedelta(days=draw(SLIPS))
        except (ValueError, OverflowError):
            continue  # past the first or last date there is
        w["start_on"], w["end_on"] = start.isoformat(), end.isoformat()
    return windows


TEXTS = st.text(alphabet="Ab 0189@.-+()\u00e9\u0663\uff10\u00a0", max_size=30) | st.sampled_from(
    [
        "Call 07700 900123",
        "NHS 943 476 5919",
        "jo@example.org",
        "DOB 12/03/1961",
        "LS1 4AP hall",
        "Club 24",
        "Room 0800 100 200",
        "Caf\u00e9 Ten",
    ]
)


def _exact_measures(record: dict[str, Any]) -> None:
    try:
        found = measure_findings(record)
    except (KeyError, TypeError, ValueError):  # the checks take schema-valid records
        assert not screens.no_measure_findings(record)
        for screen in SCREENS:
            assert not screen(record)
        return
    assert screens.no_measure_findings(record) is (found == ())
    _exact_both(record, found)


def _exact_personal(record: Any) -> None:
    """Each personal-data screen says "clear" exactly when the scan finds nothing."""
    expected = personal_data_findings(record) == ()
    for screen in PERSONAL_SCREENS:
        assert screen(record) is expected, screen


def _exact_both(record: dict[str, Any], found: tuple[Any, ...] | None = None) -> None:
    """Each screen of both at once says "clear" exactly when both checks find nothing."""
    if found is None:
        found = measure_findings(record)
    expected = found == () and personal_data_findings(record) == ()
    for screen in SCREENS:
        assert screen(record) is expected, screen


@settings(max_examples=400)
@given(
    record=st.sampled_from(RECORDS),
    referral=dates(),
    measures=measure_lists(),
    reason=st.sampled_from([c.code for c in load("case-closure-reason").codes]),
    data=st.data(),
)
def test_the_measure_screen_is_the_measure_checks(
    record: dict[str, Any],
    referral: str,
    measures: list[dict[str, Any]],
    reason: str,
    data: st.DataObject,
) -> None:
    windows = data.draw(window_lists(referral))
    changed = copy.deepcopy(record)
    changed["referral"]["date"] = referral
    changed["outcomes"] = {"measures": measures}
    changed["service_use"] = windows
    changed["closure"]["reason"] = reason
    _exact_measures(changed)


@settings(max_examples=300)
@given(record=st.sampled_from(RECORDS), measures=measure_lists())
def test_the_timing_and_category_screen_is_those_checks(
    record: dict[str, Any], measures: list[dict[str, Any]]
) -> None:
    changed = copy.deepcopy(record)
    changed["outcomes"] = {"measures": measures}
    found = category_findings(changed) + timing_findings(changed)
    assert screens._measures_clear(changed) is (found == ())
    _exact_both(changed)


@settings(max_examples=400)
@given(record=st.sampled_from(RECORDS), referral=dates(), data=st.data())
def test_the_service_use_screen_is_those_checks(
    record: dict[str, Any], referral: str, data: st.DataObject
) -> None:
    windows = data.draw(window_lists(referral))
    changed = copy.deepcopy(record)
    changed["referral"]["date"] = referral
    changed["service_use"] = windows
    assert screens._service_use_clear(changed) is (service_use_findings(changed) == ())
    _exact_both(changed)


@settings(max_examples=200)
@given(record=st.sampled_from(RECORDS), months=st.sampled_from([12.0, True]))
def test_a_length_not_written_as_an_integer_is_left_to_the_checks(
    record: dict[str, Any], months: Any
) -> None:
    changed = copy.deepcopy(record)
    changed["service_use"][0]["months"] = months
    assert not screens.no_measure_findings(changed)
    for screen in SCREENS:
        assert not screen(changed)


@settings(max_examples=400)
@given(record=st.sampled_from(RECORDS), group=TEXTS, directory=TEXTS)
def test_the_personal_data_screen_is_the_personal_data_check(
    record: dict[str, Any], group: str, directory: str
) -> None:
    changed = copy.deepcopy(record)
    prescription = changed["support_offered"]["social_prescriptions"][0]
    prescription["community_group"] = group
    prescription["directory_id"] = directory
    _exact_personal(changed)
    _exact_both(changed)


@pytest.mark.parametrize("record", list(synth_cases(200, seed=9)))
def test_plain_records_are_cleared(record: dict[str, Any]) -> None:
    """Records as a scheme writes them get through the screens (or the fast reading is slow)."""
    _exact_personal(record)
    _exact_measures(record)
    assert screens.clear(record) is (
        measure_findings(record) == () and personal_data_findings(record) == ()
    )


@pytest.fixture
def fresh_screen() -> Iterator[None]:
    """The compiled screen built again from the tables in place now, and after the test."""
    screens.record_screen.cache_clear()
    yield
    screens.record_screen.cache_clear()


def test_full_tables_are_emptied_and_answers_stay_right(
    monkeypatch: pytest.MonkeyPatch, fresh_screen: None
) -> None:
    monkeypatch.setattr(screens, "_REMEMBERED", 3)
    for table in ("_DAYS", "_DUE", "_WINDOWS", "_CLEAN"):
        monkeypatch.setattr(screens, table, {})
    both = [screens._both, screens.record_screen()]
    for record in synth_cases(50, seed=5):
        expected = measure_findings(record) == () and personal_data_findings(record) == ()
        assert [screen(record) for screen in both] == [expected, expected]
        _exact_measures(record)
        _exact_personal(record)
    assert max(len(screens._DAYS), len(screens._WINDOWS), len(screens._CLEAN)) <= 3


def test_unforeseen_data_is_left_to_the_checks() -> None:
    record = copy.deepcopy(RECORDS[0])
    record["service_use"][0]["counts"] = [["gp-consultations", 1]]
    assert not screens.no_measure_findings(record)
    assert not any(screen(record) for screen in SCREENS)
    record = copy.deepcopy(RECORDS[0])
    record["outcomes"] = {"measures": [{"instrument": ["not", "hashable"]}]}
    assert not screens.no_measure_findings(record)
    assert not any(screen(record) for screen in SCREENS)
    record = copy.deepcopy(RECORDS[0])
    record["support_offered"]["social_prescriptions"] = [{"community_group": ["x"]}]
    assert personal_data_findings(record) == ()  # not text: never scanned, by any screen
    _exact_personal(record)
    _exact_both(record)
    for unforeseen in ([], "text", None, {"service_use": [{}]}, {"outcomes": [1]}):
        assert not any(screen(unforeseen) for screen in SCREENS)  # type: ignore[arg-type]


def test_a_service_counted_twice_in_later_windows_is_left_to_the_checks() -> None:
    """The services of every window so far are kept, not only the first window's."""
    record = copy.deepcopy(RECORDS[0])
    first = record["service_use"][0]
    record["service_use"] = [
        {**first, "counts": {service: 1}} for service in (SERVICES[0], SERVICES[1], SERVICES[1])
    ]
    assert service_use_findings(record) != ()
    assert not screens.no_measure_findings(record)
    assert not any(screen(record) for screen in SCREENS)
    record["service_use"].pop()
    _exact_both(record)


def test_an_answer_that_cannot_be_worked_out_is_left_to_the_checks() -> None:
    """A call-back that raises what the screens did not foresee means "maybe", not an error."""
    record = copy.deepcopy(RECORDS[0])
    record["service_use"][0]["start_on"] = "not a date"
    assert not any(screen(record) for screen in SCREENS)
    record = copy.deepcopy(RECORDS[0])
    record["outcomes"] = {
        "measures": [
            {"instrument": "swemwbs", "timepoint": "baseline", "date": "a", "score": 20},
            {"instrument": "swemwbs", "timepoint": "follow-up", "date": "b", "score": 22},
        ]
    }
    assert not any(screen(record) for screen in SCREENS)


@pytest.mark.skipif(screens_module() is None, reason="spcore was installed without it")
def test_the_compiled_screen_asks_python_about_retired_codes_in_other_places() -> None:
    module = screens_module()
    assert module is not None

    def built(**changes: Any) -> Screen:
        made: Screen = module.Screen(
            **{
                "unforeseen": screens._UNFORESEEN,
                "categorical": {},
                "retired": (),
                "retired_other": None,
                "days": {},
                "day": screens._day,
                "dues": {},
                "due": screens._due,
                "windows": {},
                "window": screens._window,
                "cleans": {},
                "clean": screens._clean,
                "tree": (False, ()),
                **changes,
            }
        )
        return made

    record = {"closure": {"reason": "escalated"}, "referral": {"date": "2025-01-01"}}
    assert built()(record)
    place = (("closure", "reason"), True, frozenset({"escalated"}))
    assert not built(retired=(place,))(record)
    elsewhere = (("closure", "reason"), False, frozenset({"escalated"}))
    asked: list[Any] = []
    assert built(retired=(elsewhere,), retired_other=lambda d: asked.append(d) or True)(record)
    assert asked == [record]  # a place that is not only names is Python's to look at
    assert not built(retired_other=lambda d: False)(record)
    with pytest.raises(ValueError, match="malformed"):
        built(tree=(False, (("x", "not a node"),)))
    with pytest.raises(TypeError):
        built()(record, record)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="settings by name"):
        module.Screen()
    with pytest.raises(TypeError, match="the setting days"):
        built(days=[])


def test_many_windows_are_screened_as_a_few() -> None:
    """Past the windows a compiled screen keeps on its stack, it answers exactly the same."""
    record = copy.deepcopy(RECORDS[0])
    index = dt.date.fromisoformat(record["referral"]["date"])
    many = []
    for months in (1, 3, 6, 12):
        before_end, after_start = index - dt.timedelta(days=1), index
        for service in SERVICES[:3]:
            many.append(
                {
                    "relative_to_referral": "before",
                    "start_on": window_start(before_end, months).isoformat(),
                    "end_on": before_end.isoformat(),
                    "months": months,
                    "source": "gp-record",
                    "counts": {service: 1},
                }
            )
            many.append(
                {
                    "relative_to_referral": "after",
                    "start_on": after_start.isoformat(),
                    "end_on": window_end(after_start, months).isoformat(),
                    "months": months,
                    "source": "gp-record",
                    "counts": {service: 2},
                }
            )
    assert len(many) > 16
    record["service_use"] = many
    _exact_both(record)
    record["service_use"] = [*many, {**many[-1], "counts": {SERVICES[0]: 3}}]  # counted twice
    assert service_use_findings(record) != ()
    _exact_both(record)
