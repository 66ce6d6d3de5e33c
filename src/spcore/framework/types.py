"""Small shared types of the dataset: counts, identifiers, free text.

Every document model derives from :class:`Closed`, which forbids unknown
properties (``additionalProperties: false`` in the schemas): a return is a
closed set of aggregates, so nothing can be added to it, personal
identifiers included.
"""

# No ``from __future__ import annotations`` here: pydantic would evaluate every field's
# annotation from its text when the models are built, on every start-up.
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

#: Largest count the schemas accept. No scheme serves more people than live in
#: England; a cap also stops absurd numbers (1e300) passing as valid counts.
MAX_COUNT = 100_000_000

#: Largest value a quantity (money, time, staffing) accepts, in its own unit. No
#: scheme's budget, contact or staffing comes near a trillion units; the cap keeps
#: every conversion between units finite (1e300 weeks would overflow in minutes).
MAX_QUANTITY = 1_000_000_000_000

#: Largest size of an outcome measure's score, either side of zero. Every instrument
#: scores within a few hundred; the cap keeps sums and means over any cohort finite.
MAX_SCORE = 1_000_000_000


class Closed(BaseModel):
    """Base of every document model: unknown properties are refused."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        use_enum_values=False,
        ser_json_inf_nan="strings",
        # model_dump() and model_dump_json() use the schema's field names
        # ("$schema", not "schema_uri"), so a default dump passes validation.
        serialize_by_alias=True,
    )

    def to_dict(self) -> dict[str, Any]:
        """The document as JSON data, spelt as the schema spells it, without empty fields.

        Ready for ``json.dump``, :func:`spcore.validate_return` or
        :func:`spcore.check_case`; parsing it back gives an equal model.
        """
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """The document as JSON text (see :meth:`to_dict`)."""
        return self.model_dump_json(by_alias=True, exclude_none=True, indent=indent)


def _whole_number(value: Any) -> Any:
    # JSON Schema's "integer" is any number without a fractional part, so the published
    # schemas accept 240.0 where a count goes; the models read it as 240, as the schemas
    # do. Everything else is left to the strict check ("240", true and 240.5 are refused).
    if type(value) is float and value.is_integer():
        return int(value)
    return value


WHOLE_NUMBER = BeforeValidator(_whole_number)
"""Marks an ``int`` field that reads a whole number written ``3.0`` as ``3`` (JSON Schema's
``integer``), while ``strict=True`` still refuses text, ``true`` and fractions."""

Count = Annotated[
    int,
    Field(ge=0, le=MAX_COUNT, strict=True),
    WHOLE_NUMBER,
]
"""A number of people, groups, plans or events: a whole number, never negative."""

SignedCount = Annotated[int, Field(ge=-MAX_COUNT, le=MAX_COUNT, strict=True), WHOLE_NUMBER]
"""A change in a count, which may be negative."""

Months = Annotated[int, Field(ge=1, le=60, strict=True), WHOLE_NUMBER]
"""A window's length in whole calendar months, 1 to 60 (five years)."""

YesNo = Annotated[bool, Field(strict=True)]
"""A yes/no fact: JSON ``true`` or ``false`` only. ``"yes"``, ``1`` or ``"on"`` are refused
rather than guessed, so a flag mistyped by another system is never read as "no"."""

SchemeId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"),
]
"""A scheme's identifier, chosen by its commissioner (letters, digits, ``.``, ``_``, ``-``)."""

OdsCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{3,10}$")]
"""An NHS Organisation Data Service (ODS) code, such as ``QWE`` or ``15N``."""

PseudonymousId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{3,127}$"),
]
"""A case identifier that identifies nobody outside the scheme."""


ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
"""A name or short label (at most 200 characters)."""

LongText = Annotated[str, StringConstraints(min_length=1, max_length=4000)]
"""Commentary (at most 4,000 characters). Never personal data."""
