"""Quantities with units: money, durations and staffing (FTE).

A return states a quantity as ``{"value": 90, "unit": "minute"}``. The unit is
checked with pint, so ``{"value": 1.5, "unit": "hour"}`` and
``{"value": 90, "unit": "minute"}`` describe the same duration, while
``{"value": 3, "unit": "GBP"}`` is not a duration at all and is rejected with a
clear message.

Each kind of quantity has a **canonical unit** in which the library does its
arithmetic (:attr:`Quantity.canonical`):

==========  ==============  ===========================================
kind        canonical unit  units a document may use
==========  ==============  ===========================================
money       ``GBP``         ``GBP``, ``penny``
duration    ``minute``      ``minute``, ``hour``, ``day``, ``week``
staffing    ``FTE``         ``FTE``, ``hour_per_week``
==========  ==============  ===========================================

Common spellings (``minutes``, ``mins``, ``hrs``, ``£``, ``pence``,
``hours per week``) are accepted when parsing and normalised to the names
above, which are the only ones the published JSON Schemas allow. The value a
document gave is kept exactly as given (no silent conversion), so a document
round-trips unchanged.

One full-time equivalent is 37.5 hours a week: the standard hours for
full-time staff in the NHS Terms and Conditions of Service Handbook (Agenda
for Change, "Hours of work"), under which the link-worker posts in family-action-2018
Table 1 are banded.
"""

# No ``from __future__ import annotations`` here: pydantic would evaluate every field's
# annotation from its text when the models are built, on every start-up.
import enum
import functools
import math
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator

from spcore.framework.types import MAX_QUANTITY

#: Standard full-time hours a week (NHS Terms and Conditions of Service Handbook).
FULL_TIME_HOURS_PER_WEEK = 37.5


class QuantityKind(enum.StrEnum):
    """The kinds of quantity a return can hold."""

    MONEY = "money"
    DURATION = "duration"
    STAFFING = "staffing"


#: The units spcore's registry knows, in pint's definition language. Only the
#: units of time a return may meet, money and staffing: building pint's full
#: default registry (thousands of units) took longer than everything else
#: ``spcore validate`` does, and no other unit can be right in a return.
UNIT_DEFINITIONS: tuple[str, ...] = (
    "second = [time] = s = sec",
    "millisecond = second / 1000 = ms",
    "minute = 60 * second = min",
    "hour = 60 * minute = h = hr",
    "day = 24 * hour = d",
    "week = 7 * day",
    "fortnight = 2 * week",
    "year = 365.25 * day = a = yr = julian_year",
    "month = year / 12",
    # Money and FTE have dimensions of their own, so that pint refuses to
    # convert pounds into minutes, or FTE into a plain number.
    "GBP = [currency] = £ = pound_sterling = gbp",
    "penny = GBP / 100 = p = pence",
    "FTE = [staffing] = fte = full_time_equivalent = wte",
    f"hour_per_week = FTE / {FULL_TIME_HOURS_PER_WEEK} = hours_per_week",
)


@functools.cache
def unit_registry() -> Any:
    """The shared pint registry: time, money and staffing (see :data:`UNIT_DEFINITIONS`)."""
    import pint

    ureg: Any = pint.UnitRegistry(None)
    for definition in UNIT_DEFINITIONS:
        ureg.define(definition)
    return ureg


@functools.cache
def _full_registry() -> Any:
    """pint's whole default registry, built only to explain a unit spcore does not know."""
    import pint

    return pint.UnitRegistry()


def _unknown_unit(unit: str, text: str, kind: QuantityKind) -> str:
    """Why ``unit`` (``text`` once aliases are applied) is refused: not a unit, or another kind."""
    full = _full_registry()
    try:
        parsed = full.Unit(text)
    except Exception:  # pint raises assorted error types for odd text; none may escape
        return f"'{unit}' is not a unit spcore knows; use one of {_allowed(kind)}"
    if (
        kind is QuantityKind.DURATION
        and parsed.dimensionality == full.Unit("minute").dimensionality
    ):
        return (
            f"'{unit}' is a unit of {kind.value} but not one a return may use; "
            f"use one of {_allowed(kind)}"
        )
    return f"'{unit}' is not a unit of {kind.value}; use one of {_allowed(kind)}"


#: Units a document may name, by kind; the first is canonical.
UNITS: dict[QuantityKind, tuple[str, ...]] = {
    QuantityKind.MONEY: ("GBP", "penny"),
    QuantityKind.DURATION: ("minute", "hour", "day", "week"),
    QuantityKind.STAFFING: ("FTE", "hour_per_week"),
}

#: Extra spellings a reader may meet in spreadsheets, mapped to pint names.
_ALIASES = {
    # The pound sign, as a workbook cell may say "£27,485": pint's parser
    # cannot read the sign itself as a unit name.
    "£": "GBP",
    "mins": "minute",
    "min": "minute",
    "hrs": "hour",
    "hr": "hour",
    "h": "hour",
    "hours per week": "hour_per_week",
    "hours a week": "hour_per_week",
    "hours/week": "hour_per_week",
    "hour/week": "hour_per_week",
    "hrs/wk": "hour_per_week",
}


class UnitError(ValueError):
    """Raised for a unit that is unknown or of the wrong kind."""


def normalise_unit(unit: str, kind: QuantityKind) -> str:
    """Return the canonical spelling of ``unit`` for a quantity of ``kind``.

    Raises :class:`UnitError` when pint does not know the unit, or when it
    measures something else (a money unit given for a duration).
    """
    if not isinstance(unit, str) or not unit.strip():
        raise UnitError(f"a {kind.value} unit must be text such as '{UNITS[kind][0]}'")
    name, problem = _normalise_cached(unit, kind)
    if problem is not None:
        raise UnitError(problem)
    return name


# Parsing a unit with pint costs about 20 microseconds, and a case extract
# repeats the same few spellings millions of times. The cache is bounded so
# that a hostile file full of distinct unit strings cannot grow it.
@functools.lru_cache(maxsize=1024)
def _normalise_cached(unit: str, kind: QuantityKind) -> tuple[str, str | None]:
    """``(canonical name, None)``, or ``("", why not)`` when the unit is refused."""
    text = unit.strip()
    text = _ALIASES.get(text.lower(), text)
    if text in UNITS[kind]:
        # A unit spelt as the schema spells it needs no parsing (nor pint loaded).
        return text, None
    ureg = unit_registry()
    try:
        parsed = ureg.Unit(text)
    except Exception:  # pint raises assorted error types for odd text; none may escape
        try:
            # "Minutes", "HOURS": a capital letter is not a different unit here.
            parsed = ureg.Unit(text.lower())
        except Exception:
            return "", _unknown_unit(unit, text, kind)
    for name in UNITS[kind]:
        if parsed == ureg.Unit(name):
            return name, None
    canonical = ureg.Unit(UNITS[kind][0])
    if parsed.dimensionality != canonical.dimensionality:
        return "", f"'{unit}' is not a unit of {kind.value}; use one of {_allowed(kind)}"
    return "", (
        f"'{unit}' is a unit of {kind.value} but not one a return may use; "
        f"use one of {_allowed(kind)}"
    )


def _allowed(kind: QuantityKind) -> str:
    return ", ".join(f"'{u}'" for u in UNITS[kind])


class Quantity(BaseModel):
    """A value with a unit. Subclasses fix the kind of quantity."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: ClassVar[QuantityKind]

    value: Annotated[
        float,
        Field(
            ge=0,
            le=MAX_QUANTITY,
            allow_inf_nan=False,
            title="Value",
            description="The amount, in the unit given beside it; never negative, at most 10^12.",
        ),
    ]
    unit: Annotated[str, Field(title="Unit", description="The unit of the value.")]

    def __init__(self, *args: Any, **data: Any) -> None:
        """``Duration(45, "minute")``, ``Money(27485)`` (canonical unit) or by keyword.

        Bad values raise pydantic's ``ValidationError`` with spcore's message,
        as ``Duration(value=45, unit="minute")`` always has.
        """
        if len(args) > 2:
            raise TypeError(f"{type(self).__name__}() takes a value and a unit, not {len(args)}")
        for name, given in zip(("value", "unit"), args, strict=False):
            if name in data:
                raise TypeError(f"{type(self).__name__}() got {name} twice")
            data[name] = given
        if args and "unit" not in data:
            data["unit"] = UNITS[self.kind][0]
        super().__init__(**data)

    @field_validator("unit", mode="before")
    @classmethod
    def _check_unit(cls, unit: Any) -> str:
        if not isinstance(unit, str):
            raise ValueError(f"the unit must be text such as '{UNITS[cls.kind][0]}'")
        try:
            return normalise_unit(unit, cls.kind)
        except UnitError as exc:
            raise ValueError(str(exc)) from None

    @property
    def canonical_unit(self) -> str:
        """The unit :attr:`canonical` is expressed in."""
        return UNITS[self.kind][0]

    @property
    def canonical(self) -> float:
        """The value converted to the canonical unit of its kind."""
        if self.unit == self.canonical_unit:
            return self.value
        ureg = unit_registry()
        converted = (self.value * ureg.Unit(self.unit)).to(self.canonical_unit)
        return float(converted.magnitude)

    def to(self, unit: str) -> float:
        """The value converted to ``unit`` (any spelling pint accepts for this kind)."""
        target = normalise_unit(unit, self.kind)
        ureg = unit_registry()
        return float((self.value * ureg.Unit(self.unit)).to(target).magnitude)

    @classmethod
    def of(cls, value: float, unit: str | None = None) -> Self:
        """Build a quantity; ``unit`` defaults to the canonical unit."""
        return cls(value=value, unit=unit or UNITS[cls.kind][0])

    def __lt__(self, other: "Quantity") -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.canonical < other.canonical

    def isclose(self, other: "Quantity", rel_tol: float = 1e-9) -> bool:
        """True when both quantities are equal once converted to the canonical unit."""
        return type(other) is type(self) and math.isclose(
            self.canonical, other.canonical, rel_tol=rel_tol
        )


class Money(Quantity):
    """An amount of money in pounds sterling (canonical unit ``GBP``)."""

    model_config = ConfigDict(
        title="Money",
        json_schema_extra={"examples": [{"value": 27500, "unit": "GBP"}]},
    )
    kind: ClassVar[QuantityKind] = QuantityKind.MONEY
    unit: Annotated[
        str,
        Field(
            title="Unit",
            description="'GBP' for pounds sterling, or 'penny'.",
            json_schema_extra={"enum": list(UNITS[QuantityKind.MONEY])},
        ),
    ] = "GBP"


class Duration(Quantity):
    """A length of time (canonical unit ``minute``)."""

    model_config = ConfigDict(
        title="Duration",
        json_schema_extra={"examples": [{"value": 90, "unit": "minute"}]},
    )
    kind: ClassVar[QuantityKind] = QuantityKind.DURATION
    unit: Annotated[
        str,
        Field(
            title="Unit",
            description="One of 'minute', 'hour', 'day' or 'week'.",
            json_schema_extra={"enum": list(UNITS[QuantityKind.DURATION])},
        ),
    ]


class Staffing(Quantity):
    """Staff time as full-time equivalents (canonical unit ``FTE``).

    ``{"value": 75, "unit": "hour_per_week"}`` is 2.0 FTE, one FTE being
    37.5 hours a week under Agenda for Change.
    """

    model_config = ConfigDict(
        title="Full-time equivalent",
        json_schema_extra={"examples": [{"value": 2.5, "unit": "FTE"}]},
    )
    kind: ClassVar[QuantityKind] = QuantityKind.STAFFING
    unit: Annotated[
        str,
        Field(
            title="Unit",
            description=(
                "'FTE' (full-time equivalents) or 'hour_per_week' (contracted hours a "
                "week; 37.5 hours a week is one FTE)."
            ),
            json_schema_extra={"enum": list(UNITS[QuantityKind.STAFFING])},
        ),
    ] = "FTE"
