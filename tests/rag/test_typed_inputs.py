"""Property tests: a yes/no fact or a code spcore does not understand is never "no".

Over every public input that carries a yes/no fact or a code (the safeguarding
assessment, the referral exclusions of ``rate`` and ``screen_referral``, a
concern's significance, ratings, person facts, case records, CSV cells), any
value that is not a recognised boolean or code either raises or yields
``needs review`` / a finding — never ``green``, ``accept`` or ``eligible``.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from spcore.answers import NO_SPELLINGS, YES_SPELLINGS, read_yes_no
from spcore.eligibility import NO_EXCLUSIONS, Outcome, PersonFacts, evaluate, secondary_care_rules
from spcore.eligibility.csvio import evaluate_csv
from spcore.eligibility.facts import FACTS, FactType, parse_row
from spcore.framework.case_record import Demographics, RagEntry
from spcore.rag import (
    INPUT_COLUMNS,
    NEEDS_REVIEW,
    Concern,
    Rating,
    RatingChange,
    ReferralExclusion,
    SafeguardingAssessment,
    SafeguardingQuestion,
    ScreenOutcome,
    Significance,
    duties,
    rate,
    rate_csv,
    screen_referral,
)

#: Anything that is not a bool and not None: text, numbers, containers, objects.
NOT_BOOL = st.one_of(
    st.text(max_size=10),
    st.integers(),
    st.floats(allow_nan=True),
    st.lists(st.booleans(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.booleans(), max_size=2),
    st.just(b"yes"),
    st.just(object()),
)
#: Cell text that is not a documented spelling (nor blank).
NOT_A_SPELLING = st.text(min_size=1, max_size=12).filter(
    lambda t: t.strip() and t.strip().lower() not in (*YES_SPELLINGS, *NO_SPELLINGS)
)
ASSESSMENT_FIELDS = [a.name for a in attrs.fields(SafeguardingAssessment) if a.name != "concerns"]
BOOLEAN_FACTS = [f.name for f in FACTS if f.type is FactType.BOOLEAN]
AS_OF = dt.date(2025, 6, 30)


@pytest.mark.parametrize("field", ASSESSMENT_FIELDS)
@given(value=NOT_BOOL)
def test_assessment_answers_must_be_bool(field: str, value: Any) -> None:
    with pytest.raises(TypeError, match=field):
        SafeguardingAssessment(**{field: value})


@given(exclusion=st.sampled_from(ReferralExclusion), value=NOT_BOOL)
def test_exclusion_answers_must_be_bool(exclusion: ReferralExclusion, value: Any) -> None:
    answers: dict[Any, Any] = dict.fromkeys(ReferralExclusion, False)
    answers[exclusion] = value
    with pytest.raises(TypeError, match=exclusion.value):
        screen_referral(answers)
    with pytest.raises(TypeError, match=exclusion.value):
        rate(SafeguardingAssessment(), exclusions=answers)
    # The same answer under its code text.
    answers = {e.value: False for e in ReferralExclusion}
    answers[exclusion.value] = value
    with pytest.raises(TypeError):
        screen_referral(answers)


@given(key=st.text(max_size=40).filter(lambda k: k not in {e.value for e in ReferralExclusion}))
def test_unknown_exclusion_key_is_refused_not_ignored(key: str) -> None:
    answers: dict[str, Any] = {e.value: False for e in ReferralExclusion}
    answers[key] = True
    with pytest.raises(ValueError, match="exclusion must be one of"):
        screen_referral(answers)
    with pytest.raises(ValueError, match="exclusion must be one of"):
        rate(None, exclusions=answers)


def test_near_miss_codes_have_a_suggestion() -> None:
    with pytest.raises(ValueError, match="did you mean 'actively-suicidal'"):
        screen_referral({"actively_suicidal": True})
    with pytest.raises(ValueError, match="did you mean 'amber'"):
        duties("ambre")
    with pytest.raises(ValueError, match="did you mean 'red'"):
        RatingChange(dt.date(2025, 1, 1), "Red ")
    with pytest.raises(ValueError, match="did you mean 'significant'"):
        Concern("alert", "Significant!")
    with pytest.raises(ValueError, match="did you mean 'risk-to-self-or-others'"):
        SafeguardingAssessment().answer("risk-to-self-or-other")


CODES = {
    "rating": (Rating, lambda v: duties(v)),
    "change": (Rating, lambda v: RatingChange(dt.date(2025, 1, 1), v)),
    "significance": (Significance, lambda v: Concern("x", v)),
    "question": (SafeguardingQuestion, lambda v: SafeguardingAssessment().answer(v)),
    "check": (ReferralExclusion, lambda v: screen_referral({}, check=[v])),
}


@pytest.mark.parametrize("name", CODES)
@given(value=st.one_of(st.text(max_size=30), st.integers(), st.none(), st.booleans()))
def test_unknown_codes_raise(name: str, value: Any) -> None:
    kind, use = CODES[name]
    if isinstance(value, str) and value in {m.value for m in kind}:
        use(value)
        return
    with pytest.raises((TypeError, ValueError)):
        use(value)


@given(concerns=st.one_of(st.text(min_size=1, max_size=5), st.lists(st.text(), min_size=1)))
def test_concerns_must_be_concern_objects(concerns: Any) -> None:
    with pytest.raises(TypeError):
        SafeguardingAssessment(concerns=concerns)


@pytest.mark.parametrize("field", BOOLEAN_FACTS)
@given(value=NOT_BOOL)
def test_person_yes_no_facts_must_be_bool(field: str, value: Any) -> None:
    with pytest.raises(TypeError, match=field):
        PersonFacts(**{field: value})


@given(exclusion=st.sampled_from(ReferralExclusion), value=NOT_BOOL)
def test_mistyped_exclusion_is_never_eligible(exclusion: ReferralExclusion, value: Any) -> None:
    facts = {**NO_EXCLUSIONS, exclusion.value.replace("-", "_"): value}
    with pytest.raises(TypeError):
        PersonFacts(age=40, in_secondary_care=True, **facts)


@given(
    referral_criteria=st.one_of(
        st.text(max_size=10), st.lists(st.text(max_size=10), min_size=1).map(frozenset)
    )
)
def test_person_referral_criteria_are_known_codes(referral_criteria: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        PersonFacts(referral_criteria=referral_criteria)


@given(value=st.one_of(st.text(max_size=5), st.floats(), st.booleans(), st.integers(5, 10**6)))
def test_person_pam_level_is_an_int_from_1_to_4(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        PersonFacts(pam_level=value)


@given(text=NOT_A_SPELLING)
def test_unrecognised_spelling_raises(text: str) -> None:
    with pytest.raises(ValueError, match="should be yes or no"):
        read_yes_no(text)


@given(column=st.sampled_from(BOOLEAN_FACTS), text=NOT_A_SPELLING)
def test_person_csv_cell_is_a_finding(column: str, text: str) -> None:
    facts, findings = parse_row({column: text}, row_number=3)
    assert facts.get(column) is None
    assert [f.code for f in findings] == ["SPC-E020"]
    assert findings[0].path == f"/rows/3/{column}"


@given(exclusion=st.sampled_from(ReferralExclusion), text=NOT_A_SPELLING)
def test_unreadable_exclusion_cell_is_never_eligible(
    exclusion: ReferralExclusion, text: str
) -> None:
    columns = ["age", "in_secondary_care", *NO_EXCLUSIONS]
    cells = {"age": "40", "in_secondary_care": "yes", **dict.fromkeys(NO_EXCLUSIONS, "no")}
    cells[exclusion.value.replace("-", "_")] = text
    source = io.StringIO()
    import csv

    writer = csv.writer(source)
    writer.writerow(columns)
    writer.writerow([cells[c] for c in columns])
    out = io.StringIO()
    summary = evaluate_csv(
        secondary_care_rules(), io.StringIO(source.getvalue(), newline=""), out, as_of=AS_OF
    )
    assert Outcome.ELIGIBLE not in summary.outcomes
    assert summary.rows_with_findings == 1


@given(column=st.sampled_from(INPUT_COLUMNS), text=NOT_A_SPELLING)
def test_unreadable_assessment_cell_is_never_green(column: str, text: str) -> None:
    import csv

    cells = dict.fromkeys(INPUT_COLUMNS, "no")
    cells.update(concern_level="none", concern="")
    cells[column] = text
    source = io.StringIO()
    writer = csv.writer(source)
    writer.writerow(INPUT_COLUMNS)
    writer.writerow([cells[c] for c in INPUT_COLUMNS])
    out = io.StringIO()
    rate_csv(io.StringIO(source.getvalue(), newline=""), out)
    (row,) = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    if column == "concern":
        # Free text: a description with concern_level 'none' is read as written.
        return
    level_ok = column == "concern_level" and text.strip().lower() in ("none", "some", "significant")
    if level_ok:
        return
    assert row["rag_rating"] == NEEDS_REVIEW
    assert row["rag_findings"].startswith("SPC-G010")


@given(value=st.one_of(st.sampled_from(["yes", "1", "on", "true", "no", "0"]), st.integers()))
def test_case_record_flags_are_json_booleans(value: Any) -> None:
    with pytest.raises(ValidationError):
        Demographics(age_band="25-34", lives_alone=value)
    with pytest.raises(ValidationError):
        RagEntry(date=dt.date(2025, 1, 1), rating="green", social_services_involved=value)


def test_real_booleans_still_work() -> None:
    assert screen_referral(dict.fromkeys(ReferralExclusion, False)).outcome is ScreenOutcome.ACCEPT
    person = PersonFacts(age=40, in_secondary_care=True, **NO_EXCLUSIONS)
    assert evaluate(secondary_care_rules(), person, as_of=AS_OF).outcome is Outcome.ELIGIBLE
    assert rate(SafeguardingAssessment(risk_to_self_or_others=True)).rating is Rating.AMBER
