"""What is known about a person: the facts the eligibility criteria read.

A fact is ``None`` when it is not known. The criteria treat an unknown fact
as *unknown*, never as "no", so that missing data leads to ``needs review``
rather than a wrong refusal.

:data:`FACTS` is the catalogue of facts: their names are the CSV column
names read by ``spcore eligibility``. :func:`parse_row` is the boundary that
turns one CSV row (text) into :class:`PersonFacts` plus findings for cells
that could not be read.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import re
from collections.abc import Mapping
from typing import Annotated, Any

import attrs
from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from spcore.answers import read_yes_no, suggestion, yes_no_validator
from spcore.eligibility.rulefile import referral_criterion_codes
from spcore.findings import Finding, error, pointer
from spcore.rag.model import EXCLUSION_TEXT, ReferralExclusion


class FactType(enum.StrEnum):
    """How a fact is written in a CSV cell."""

    BOOLEAN = "boolean"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    CODES = "codes"


@attrs.frozen
class FactSpec:
    """One fact: its column name, type and meaning."""

    name: str
    type: FactType
    meaning: str


def exclusion_fact(code: ReferralExclusion) -> str:
    """The fact (column) name of a referral exclusion: ``mental-health-crisis`` →
    ``mental_health_crisis``."""
    return code.value.replace("-", "_")


FACTS: tuple[FactSpec, ...] = (
    FactSpec(
        "date_of_birth",
        FactType.DATE,
        "Date of birth; the age on the evaluation date is worked out from it.",
    ),
    FactSpec(
        "age",
        FactType.INTEGER,
        "Age in completed years, used only when date_of_birth is blank.",
    ),
    FactSpec(
        "in_secondary_care",
        FactType.BOOLEAN,
        "Currently a hospital (secondary care) patient. For a parent of a child patient, "
        "whether the child is.",
    ),
    FactSpec(
        "discharge_date",
        FactType.DATE,
        "Date of the most recent discharge from hospital. For a parent of a child patient, "
        "the child's discharge.",
    ),
    FactSpec(
        "parent_of_child_patient",
        FactType.BOOLEAN,
        "The person is referred as the parent of a child who is, or was, the hospital patient.",
    ),
    *(
        FactSpec(exclusion_fact(code), FactType.BOOLEAN, f"Referral exclusion: {text}.")
        for code, text in EXCLUSION_TEXT.items()
    ),
    FactSpec("long_term_conditions", FactType.INTEGER, "Number of long-term conditions."),
    FactSpec(
        "pam_level",
        FactType.INTEGER,
        "Patient Activation Measure level, 1 (lowest activation) to 4.",
    ),
    FactSpec(
        "weekly_medication_spend_gbp",
        FactType.DECIMAL,
        "Cost of the person's medication per week, in pounds sterling.",
    ),
    FactSpec(
        "clinical_contacts_per_month",
        FactType.DECIMAL,
        "Average number of clinical contacts (GP, practice, hospital) per month.",
    ),
    FactSpec("lives_alone", FactType.BOOLEAN, "Lives alone."),
    FactSpec(
        "social_isolation",
        FactType.BOOLEAN,
        "Presenting with a social problem or social isolation.",
    ),
    FactSpec(
        "frequent_diffuse_issues",
        FactType.BOOLEAN,
        "Presenting frequently to primary care with a range of diffuse issues.",
    ),
    FactSpec(
        "mild_to_moderate_mental_health",
        FactType.BOOLEAN,
        "Presenting with a mild to moderate mental health condition.",
    ),
    FactSpec(
        "known_condition_not_using_services",
        FactType.BOOLEAN,
        "Known to have a health condition but not currently using health services.",
    ),
    FactSpec(
        "at_risk_of_developing_condition",
        FactType.BOOLEAN,
        "At risk of developing or worsening a health condition (for example pre-diabetic).",
    ),
    FactSpec(
        "referral_criteria",
        FactType.CODES,
        "Codes from the referral-criterion codelist that apply, separated by ';'; "
        "'none' when none applies.",
    ),
)

FACT_NAMES: tuple[str, ...] = tuple(spec.name for spec in FACTS)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_AGE = 130  # older than any recorded human: a larger value is a typing error
_MAX_DECIMAL = decimal.Decimal("1000000")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    return read_yes_no(None if value is None else str(value))


def _to_date(value: Any) -> dt.date | None:
    if _blank(value):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = str(value).strip()
    if not _DATE.match(text):
        raise ValueError("should be a date written YYYY-MM-DD, or blank")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a real calendar date") from None


def _to_int(value: Any) -> int | None:
    if _blank(value):
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{1,6}", text):
        raise ValueError("should be a whole number of 0 or more, or blank")
    return int(text)


def _to_decimal(value: Any) -> decimal.Decimal | None:
    if _blank(value):
        return None
    text = str(value).strip().removeprefix("£")
    if not re.fullmatch(r"\d{1,9}(\.\d{1,6})?", text):
        raise ValueError("should be a number of 0 or more such as 12.50, or blank")
    number = decimal.Decimal(text)
    if number > _MAX_DECIMAL:
        raise ValueError(f"is implausibly large (more than {_MAX_DECIMAL})")
    return number


def _to_codes(value: Any) -> frozenset[str] | None:
    if _blank(value):
        return None
    parts = [p.strip() for p in str(value).split(";") if p.strip()]
    if parts == ["none"]:
        return frozenset()
    known = referral_criterion_codes()
    bad = [p for p in parts if p not in known]
    if bad:
        raise ValueError(
            f"has a code that is not in the referral-criterion codelist: '{bad[0][:40]}'"
            f"{suggestion(bad[0], known)}"
        )
    return frozenset(parts)


YesNo = Annotated[bool | None, BeforeValidator(_to_bool)]
Day = Annotated[dt.date | None, BeforeValidator(_to_date)]
Count = Annotated[int | None, BeforeValidator(_to_int)]
Amount = Annotated[decimal.Decimal | None, BeforeValidator(_to_decimal)]
Codes = Annotated[frozenset[str] | None, BeforeValidator(_to_codes)]


class PersonRow(BaseModel):
    """One CSV row of person facts, as text (the parsing boundary).

    Columns not named in :data:`FACTS` are ignored here and kept unchanged
    in the output by the CSV evaluator.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    date_of_birth: Day = None
    age: Count = None
    in_secondary_care: YesNo = None
    discharge_date: Day = None
    parent_of_child_patient: YesNo = None
    mental_health_crisis: YesNo = None
    actively_suicidal: YesNo = None
    severe_self_harm: YesNo = None
    complex_needs_specialist_support: YesNo = None
    at_risk_of_hospital_admission: YesNo = None
    long_term_conditions: Count = None
    pam_level: Count = None
    weekly_medication_spend_gbp: Amount = None
    clinical_contacts_per_month: Amount = None
    lives_alone: YesNo = None
    social_isolation: YesNo = None
    frequent_diffuse_issues: YesNo = None
    mild_to_moderate_mental_health: YesNo = None
    known_condition_not_using_services: YesNo = None
    at_risk_of_developing_condition: YesNo = None
    referral_criteria: Codes = None


def _date_validator(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise TypeError(
            f"{attribute.name} must be a datetime.date or None, not {value!r} "
            f"({type(value).__name__})"
        )


def _whole_validator(instance: Any, attribute: Any, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{attribute.name} must be a whole number (int) or None, not {value!r} "
            f"({type(value).__name__})"
        )
    low, high = _LIMITS[attribute.name]
    if not low <= value <= high:
        raise ValueError(f"{attribute.name} must be between {low} and {high}, not {value}")


def _to_amount(value: Any) -> decimal.Decimal | None:
    # int and Decimal are exact; a float goes through str() so 0.1 stays 0.1.
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | decimal.Decimal):
        raise TypeError(f"must be a number or None, not {value!r} ({type(value).__name__})")
    number = decimal.Decimal(str(value)) if isinstance(value, float) else decimal.Decimal(value)
    if not number.is_finite() or number < 0 or number > _MAX_DECIMAL:
        raise ValueError(f"must be a number from 0 to {_MAX_DECIMAL}, not {value!r}")
    return number


def _named_amount(name: str, value: Any) -> decimal.Decimal | None:
    try:
        return _to_amount(value)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{name} {exc}") from None


def _medication_spend(value: Any) -> decimal.Decimal | None:
    return _named_amount("weekly_medication_spend_gbp", value)


def _contacts(value: Any) -> decimal.Decimal | None:
    return _named_amount("clinical_contacts_per_month", value)


def _criteria_converter(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, frozenset | set | list | tuple):
        raise TypeError(
            "referral_criteria must be a set of referral-criterion codes (empty when none "
            f"applies) or None, not {value!r} ({type(value).__name__})"
        )
    known = referral_criterion_codes()
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"referral_criteria holds {item!r}, which is not a code")
        if item not in known:
            raise ValueError(
                f"referral_criteria holds {item!r}, which is not in the referral-criterion "
                f"codelist{suggestion(item, known)}"
            )
    return frozenset(value)


def _yes_no_field() -> Any:
    return attrs.field(default=None, validator=yes_no_validator)


@attrs.frozen
class PersonFacts:
    """Everything the criteria may read about one person; ``None`` is unknown.

    Field names and meanings are those of :data:`FACTS`. Every value is
    checked when the facts are built: a yes/no fact is ``True``, ``False`` or
    ``None`` (``"yes"`` or ``1`` raise ``TypeError``: an answer the library does
    not understand is never read as "no"); dates are ``datetime.date``; counts
    are ``int`` within their plausible range; amounts are numbers;
    ``referral_criteria`` holds codes of the referral-criterion codelist.
    Text spellings are read only from a CSV file (:func:`parse_row`).
    """

    date_of_birth: dt.date | None = attrs.field(default=None, validator=_date_validator)
    age: int | None = attrs.field(default=None, validator=_whole_validator)
    in_secondary_care: bool | None = _yes_no_field()
    discharge_date: dt.date | None = attrs.field(default=None, validator=_date_validator)
    parent_of_child_patient: bool | None = _yes_no_field()
    mental_health_crisis: bool | None = _yes_no_field()
    actively_suicidal: bool | None = _yes_no_field()
    severe_self_harm: bool | None = _yes_no_field()
    complex_needs_specialist_support: bool | None = _yes_no_field()
    at_risk_of_hospital_admission: bool | None = _yes_no_field()
    long_term_conditions: int | None = attrs.field(default=None, validator=_whole_validator)
    pam_level: int | None = attrs.field(default=None, validator=_whole_validator)
    weekly_medication_spend_gbp: decimal.Decimal | None = attrs.field(
        default=None, converter=_medication_spend
    )
    clinical_contacts_per_month: decimal.Decimal | None = attrs.field(
        default=None, converter=_contacts
    )
    lives_alone: bool | None = _yes_no_field()
    social_isolation: bool | None = _yes_no_field()
    frequent_diffuse_issues: bool | None = _yes_no_field()
    mild_to_moderate_mental_health: bool | None = _yes_no_field()
    known_condition_not_using_services: bool | None = _yes_no_field()
    at_risk_of_developing_condition: bool | None = _yes_no_field()
    referral_criteria: frozenset[str] | None = attrs.field(
        default=None, converter=_criteria_converter
    )

    def get(self, name: str) -> Any:
        """The value of the fact called ``name`` (``None`` when unknown)."""
        return getattr(self, name)

    def exclusion(self, code: ReferralExclusion) -> bool | None:
        """Whether a referral exclusion applies (``None`` when unknown)."""
        value: bool | None = getattr(self, exclusion_fact(code))
        return value


#: Plausibility limits checked at the boundary, by fact name: (lowest, highest).
_LIMITS: dict[str, tuple[int, int]] = {
    "age": (0, _MAX_AGE),
    "pam_level": (1, 4),  # PAM has four levels (hibbard-2004)
    "long_term_conditions": (0, 100),
}


def parse_row(
    row: Mapping[str, str | None], *, row_number: int
) -> tuple[PersonFacts, list[Finding]]:
    """Read one CSV row into :class:`PersonFacts`; never raises on bad cells.

    A cell that cannot be read becomes an unknown fact and an ``SPC-E020``
    finding (path ``/rows/<row_number>/<column>``), so one bad value never
    stops the other facts, or the other rows, from being used.
    """
    data = {name: row.get(name) for name in FACT_NAMES}
    findings: list[Finding] = []
    try:
        parsed = PersonRow.model_validate(data)
    except ValidationError as exc:
        bad: set[str] = set()
        for err in exc.errors():
            column = str(err["loc"][0]) if err["loc"] else ""
            bad.add(column)
            shown = _clip(str(data.get(column, "")))
            message = str(err["msg"]).removeprefix("Value error, ")
            findings.append(
                error(
                    "SPC-E020",
                    pointer("rows", row_number, column),
                    f"Row {row_number}, column {column}: '{shown}' {message}; "
                    "it is treated as unknown.",
                )
            )
        parsed = PersonRow.model_validate({k: (None if k in bad else v) for k, v in data.items()})
    values = parsed.model_dump()
    for name, (low, high) in _LIMITS.items():
        value = values[name]
        if value is not None and not low <= value <= high:
            findings.append(
                error(
                    "SPC-E020",
                    pointer("rows", row_number, name),
                    f"Row {row_number}, column {name}: {value} is outside {low}–{high}; "
                    "it is treated as unknown.",
                )
            )
            values[name] = None
    return PersonFacts(**values), findings


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
