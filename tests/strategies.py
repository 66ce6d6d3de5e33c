"""Hypothesis strategies for spcore documents.

``quarterly_returns()`` draws **schema-valid** quarterly returns as plain
dicts (what ``json.loads`` gives), varied across every optional section,
every codelist, every unit a quantity may be written in, and the range of
values the schema allows. The documents are valid against the schema and
parse into :class:`~spcore.framework.quarterly_return.QuarterlyReturn`; they
are *not* made internally consistent (parts may not add up to totals), so
business rules may well report findings on them.

Import it as ``from tests.strategies import quarterly_returns`` (the
repository root is on ``sys.path`` under ``python -m pytest``).
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
from typing import Any

from hypothesis import strategies as st

from spcore.framework.enums import (
    AgeBand,
    BenefitDomain,
    CaseClosureReason,
    EmployabilityOutcome,
    FiveWaysToWellbeing,
    FundingSource,
    InterventionType,
    OutcomeInstrument,
    PayBand,
    RagRating,
    ReferralCriterion,
    ReferralRejectionReason,
    ReferrerType,
    SocialPrescribingModel,
)
from spcore.framework.periods import FinancialQuarter
from spcore.framework.quantities import UNITS, QuantityKind
from spcore.framework.types import MAX_COUNT

SCHEMA_URI = "https://spcore.dev/schema/0.2/quarterly-return.schema.json"

#: Text a person might type: letters, digits, punctuation, symbols and spaces
#: (no control characters, which no spreadsheet cell can hold).
_TEXT_ALPHABET = st.characters(
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\x00",
)

_ABSENT = object()


def text(max_size: int = 200, min_size: int = 1) -> st.SearchStrategy[str]:
    """Free text within the schema's length limits."""
    return st.text(_TEXT_ALPHABET, min_size=min_size, max_size=max_size)


def counts(max_value: int = MAX_COUNT) -> st.SearchStrategy[int]:
    """A count: mostly small, sometimes as large as the schema allows."""
    return st.one_of(
        st.integers(0, 500),
        st.integers(0, max_value),
        st.sampled_from([0, max_value]),
    )


def codes(codelist: type[enum.Enum]) -> st.SearchStrategy[str]:
    """One code of ``codelist``."""
    return st.sampled_from([member.value for member in codelist])


def code_counts(codelist: type[enum.Enum]) -> st.SearchStrategy[dict[str, int]]:
    """A breakdown: some of the codelist's codes, each with a count."""
    return st.dictionaries(codes(codelist), counts(), max_size=len(list(codelist)))


def code_lists(codelist: type[enum.Enum], max_size: int) -> st.SearchStrategy[list[str]]:
    """A list of codes from ``codelist``."""
    return st.lists(codes(codelist), max_size=max_size)


def _values(max_value: float) -> st.SearchStrategy[float | int]:
    return st.one_of(
        st.integers(0, int(max_value)),
        st.floats(
            min_value=0,
            max_value=max_value,
            allow_nan=False,
            allow_infinity=False,
            allow_subnormal=False,
        ),
        st.decimals(0, max_value, places=2, allow_nan=False, allow_infinity=False).map(float),
    )


def quantities(kind: QuantityKind, max_value: float = 1e9) -> st.SearchStrategy[dict[str, Any]]:
    """A quantity ``{"value": ..., "unit": ...}`` in any unit the schema allows for ``kind``.

    Money and staffing may leave the unit out (the schema's default applies).
    """
    units: list[Any] = list(UNITS[kind])
    if kind is not QuantityKind.DURATION:
        units.append(_ABSENT)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        out: dict[str, Any] = {"value": draw(_values(max_value))}
        unit = draw(st.sampled_from(units))
        if unit is not _ABSENT:
            out["unit"] = unit
        return out

    return build()


def periods(min_year: int = 2015, max_year: int = 2035) -> st.SearchStrategy[str]:
    """An NHS quarter in canonical form, such as ``2025-26 Q2``."""
    return st.builds(
        lambda year, q: str(FinancialQuarter(year, q)),
        st.integers(min_year, max_year),
        st.integers(1, 4),
    )


@st.composite
def _optional_fields(
    draw: st.DrawFn, fields: dict[str, st.SearchStrategy[Any]], explicit_nulls: bool
) -> dict[str, Any]:
    """Each optional field absent, present, or (when allowed) an explicit ``null``."""
    out: dict[str, Any] = {}
    choices = ["absent", "present", "null"] if explicit_nulls else ["absent", "present"]
    for name, strategy in fields.items():
        choice = draw(st.sampled_from(choices))
        if choice == "present":
            out[name] = draw(strategy)
        elif choice == "null":
            out[name] = None
    return out


def _object(
    required: dict[str, st.SearchStrategy[Any]],
    optional: dict[str, st.SearchStrategy[Any]],
    explicit_nulls: bool,
    defaulted: dict[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """An object with its required fields, and optional ones absent, present or null.

    ``defaulted`` fields have a default but are not nullable: absent or present.
    """
    return st.builds(
        lambda req, opt, dflt: {**req, **opt, **dflt},
        st.fixed_dictionaries(required),
        _optional_fields(optional, explicit_nulls),
        _optional_fields(defaulted or {}, explicit_nulls=False),
    )


_IDENT = st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,20}\Z")


def quarterly_returns(
    *,
    explicit_nulls: bool = True,
    max_groups: int = 5,
    max_instruments: int = 4,
    disclosure_control: bool = False,
) -> st.SearchStrategy[dict[str, Any]]:
    """Schema-valid quarterly returns (as JSON-ready dicts).

    Args:
        explicit_nulls: when true, optional fields are sometimes written as
            ``null`` rather than left out (both are schema-valid).
        max_groups: most community groups listed in output 5.
        max_instruments: most outcome-instrument summaries.
        disclosure_control: when true, some returns declare small-number
            suppression: some counts withheld (``null``) and others rounded,
            each listed in a ``disclosure_control`` section.
    """
    plain = _plain_returns(explicit_nulls, max_groups, max_instruments)
    if not disclosure_control:
        return plain
    return st.one_of(plain, plain.flatmap(_with_disclosure_control))


#: Where a count may be withheld: the required counts of the outputs, and every
#: cell of a breakdown (a map from code to count), as the model allows.
_SUPPRESSIBLE = (
    "/outputs/people_referred",
    "/outputs/people_benefiting",
    "/outputs/people_rejecting_referral",
    "/outputs/support_plans_coproduced",
    "/outputs/community_groups/count",
)
_BREAKDOWNS = (
    "/outputs/referred_by_age_band",
    "/outputs/referred_by_criterion",
    "/outputs/referred_by_referrer_type",
    "/monitoring/referrals_rejected_by_reason",
    "/monitoring/cases_closed_by_reason",
    "/monitoring/rag_caseload_at_end",
    "/impact_on_person/employability",
)


def _resolve(doc: dict[str, Any], pointer: str) -> tuple[Any, str] | None:
    """The container holding ``pointer``'s value and its key, if the path exists."""
    *parents, last = pointer.split("/")[1:]
    target: Any = doc
    for token in parents:
        if isinstance(target, list):
            target = target[int(token)] if int(token) < len(target) else None
        elif isinstance(target, dict):
            target = target.get(token)
        if target is None:
            return None
    return target, last


def _count_pointers(doc: dict[str, Any]) -> list[str]:
    pointers = list(_SUPPRESSIBLE)
    for base in _BREAKDOWNS:
        found = _resolve(doc, base + "/x")
        if found is not None and isinstance(found[0], dict):
            pointers += [f"{base}/{code}" for code in found[0]]
    found = _resolve(doc, "/impact_on_person/instruments/x")
    if found is not None and isinstance(found[0], list):
        for i in range(len(found[0])):
            base = f"/impact_on_person/instruments/{i}"
            pointers += [f"{base}/people_with_baseline", f"{base}/people_with_follow_up"]
    return pointers


def _with_disclosure_control(doc: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    pointers = _count_pointers(doc)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        out = copy.deepcopy(doc)
        base = draw(st.sampled_from([1, 5, 10]))
        suppressed: list[str] = []
        rounded: list[str] = []
        for path in pointers:
            holder, key = _resolve(out, path)  # type: ignore[misc]
            action = draw(st.sampled_from(["keep", "withhold", "round"]))
            if action == "withhold":
                holder[key] = None
                suppressed.append(path)
            elif action == "round":
                holder[key] = min(base * round(holder[key] / base), MAX_COUNT)
                rounded.append(path)
        out["disclosure_control"] = {
            "rule": "nhs-digital-1-7-round-5",
            "threshold": draw(st.integers(0, 10)),
            "rounding_base": base,
            "suppressed": suppressed,
            "rounded": rounded,
        }
        return out

    return build()


def _plain_returns(
    explicit_nulls: bool, max_groups: int, max_instruments: int
) -> st.SearchStrategy[dict[str, Any]]:
    """Returns without disclosure control (see :func:`quarterly_returns`)."""
    n = explicit_nulls
    money = quantities(QuantityKind.MONEY)
    scheme = _object(
        {
            "id": st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,30}\Z"),
            "name": text(),
            "model": codes(SocialPrescribingModel),
        },
        {
            "provider": text(),
            "commissioner_code": st.from_regex(r"\A[A-Z0-9]{3,10}\Z"),
            "benefit_domains": code_lists(BenefitDomain, 6),
        },
        n,
    )
    group = _object(
        {"name": text()},
        {
            "directory_id": text(60),
            "intervention_types": code_lists(InterventionType, 5),
            "five_ways": code_lists(FiveWaysToWellbeing, 5),
            "referrals": counts(),
        },
        n,
    )
    outputs = st.fixed_dictionaries(
        {
            "people_referred": counts(),
            "people_benefiting": counts(),
            "people_rejecting_referral": counts(),
            "referred_by_age_band": code_counts(AgeBand),
            "referred_by_criterion": code_counts(ReferralCriterion),
            "referred_by_referrer_type": code_counts(ReferrerType),
            "community_groups": _object(
                {"count": counts()},
                {"groups": st.lists(group, max_size=max_groups)},
                n,
            ),
            "support_plans_coproduced": counts(),
            "link_workers": st.fixed_dictionaries(
                {"headcount": counts(), "fte": quantities(QuantityKind.STAFFING, 1e5)}
            ),
            "link_worker_salaries": _object(
                {"lowest_annual": money, "highest_annual": money},
                {"pay_bands": code_lists(PayBand, 4), "pay_in_quarter": money},
                n,
            ),
            "volunteers": _object(
                {"count": counts()}, {"hours_in_quarter": quantities(QuantityKind.DURATION)}, n
            ),
            "average_time_per_person": quantities(QuantityKind.DURATION),
            "total_investment": _object(
                {"amount": money},
                {"by_funding_source": st.dictionaries(codes(FundingSource), money, max_size=4)},
                n,
            ),
        }
    )
    monitoring = _object(
        {},
        {
            "assessments_completed": counts(),
            "social_prescriptions": counts(),
            "contacts": counts(),
            "referrals_rejected_by_reason": code_counts(ReferralRejectionReason),
            "cases_closed_by_reason": code_counts(CaseClosureReason),
            "rag_caseload_at_end": code_counts(RagRating),
            "cases_escalated": counts(),
        },
        n,
    )
    means = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
    summary = _object(
        {
            "instrument": codes(OutcomeInstrument),
            "people_with_baseline": counts(),
            "people_with_follow_up": counts(),
        },
        {
            "value_set": _IDENT,
            "mean_baseline": means,
            "mean_follow_up": means,
            "people_improved": counts(),
        },
        n,
        defaulted={"score": st.one_of(st.just("score"), _IDENT)},
    )
    impact_on_person = _object(
        {"instruments": st.lists(summary, max_size=max_instruments)},
        {"employability": code_counts(EmployabilityOutcome)},
        n,
    )
    before_after = st.fixed_dictionaries({"before": counts(), "after": counts()})
    impact_on_system = _object(
        {
            "cohort_size": counts(),
            "window_before_months": st.integers(1, 60),
            "window_after_months": st.integers(1, 60),
        },
        {
            "cohort_description": text(),
            "gp_consultations": before_after,
            "ae_attendances": before_after,
            "hospital_bed_days": before_after,
            "staff_morale": st.fixed_dictionaries(
                {},
                optional={
                    group: st.fixed_dictionaries(
                        {
                            "respondents": counts(),
                            "improved": counts(),
                            "no_change": counts(),
                            "worse": counts(),
                        }
                    )
                    for group in ("general_practice", "other_referral_agencies")
                },
            ),
        },
        n,
    )
    impact_on_groups = _object(
        {
            "groups_surveyed": counts(),
            "groups_responding": counts(),
            "stronger": counts(),
            "no_change": counts(),
            "weaker": counts(),
        },
        {
            "volunteers_change": st.integers(-MAX_COUNT, MAX_COUNT),
            "able_to_manage_referrals": counts(),
            "need_support_to_be_sustainable": counts(),
        },
        n,
    )
    return _object(
        {
            "standard_version": st.just("0.2"),
            "scheme": scheme,
            "period": periods(),
            "outputs": outputs,
        },
        {
            "$schema": st.just(SCHEMA_URI),
            "prepared_on": st.dates(dt.date(2015, 4, 1), dt.date(2036, 12, 31)).map(str),
            "monitoring": monitoring,
            "impact_on_person": impact_on_person,
            "impact_on_system": impact_on_system,
            "impact_on_community_groups": impact_on_groups,
            "notes": text(4000),
        },
        n,
    )
