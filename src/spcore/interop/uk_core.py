"""UK Core: the profiles spcore's FHIR resources claim, and the constraints checked offline.

UK Core (uk-core-r4) profiles FHIR R4 for England. Every resource spcore
writes whose type UK Core profiles names that profile in ``meta.profile``
(:func:`claim`); the profiles are held as data in
``interop/data/uk-core-profiles.csv`` with the version and status read from
the published StructureDefinitions. CodeSystems have no UK Core profile.

The UK Core package is not available offline, so a resource is not validated
against it with a FHIR validator; instead :data:`CONSTRAINTS` holds, one row
each, the constraints of the profiles' differentials that bear on what spcore
writes (cardinalities, fixed values, value types and bindings), and
:func:`check` reports every break as a finding. The base FHIR R4 structure is
checked separately with a FHIR R4 model library in the tests.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from spcore.findings import Finding, error, pointer
from spcore.framework.codelists import load as load_codelist
from spcore.interop import codes
from spcore.interop.terminology import read_csv

#: Where UK Core's own artefacts live.
UK_CORE = "https://fhir.hl7.org.uk"
#: UK Core's ethnic category extension (Patient.extension:ethnicCategory, at most one).
ETHNIC_CATEGORY_EXTENSION = f"{UK_CORE}/StructureDefinition/Extension-UKCore-EthnicCategory"
#: The NHS Data Dictionary ethnic categories for England, as UK Core publishes them: the
#: same codes and displays as spcore's ``ethnic-category`` codelist (uk-core-r4).
ETHNIC_CATEGORY_ENGLAND = f"{UK_CORE}/CodeSystem/UKCore-EthnicCategoryEngland"
#: The NHS number identifier system (UKCore-Patient identifier:nhsNumber).
NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
#: BCP-47 language tags: the required binding of Patient.communication.language.
BCP47 = "urn:ietf:bcp:47"


@attrs.frozen
class Profile:
    """One UK Core profile: the resource type it profiles, its canonical URL and version."""

    resource_type: str
    url: str
    version: str
    status: str
    locator: str


@functools.cache
def profiles() -> dict[str, Profile]:
    """Resource type -> the UK Core profile spcore claims for it."""
    return {
        row["ResourceType"]: Profile(
            row["ResourceType"], row["Profile"], row["Version"], row["Status"], row["Locator"]
        )
        for row in read_csv("uk-core-profiles.csv")
    }


def claim(resource: dict[str, Any]) -> dict[str, Any]:
    """Add the UK Core profile of ``resource``'s type to its ``meta.profile`` (in place).

    A type UK Core does not profile is left as it is. Profiles already claimed
    are kept, after UK Core's.

    Returns:
        The same resource, for chaining.
    """
    profile = profiles().get(str(resource.get("resourceType")))
    if profile is None:
        return resource
    meta = resource.setdefault("meta", {})
    claimed = [p for p in meta.get("profile", []) if p != profile.url]
    meta["profile"] = [profile.url, *claimed]
    return resource


# --------------------------------------------------------------------------- constraints

#: A constraint's check: the resource -> (pointer tokens, message) for each break.
Check = Callable[[dict[str, Any]], Iterator[tuple[tuple[str | int, ...], str]]]


@attrs.frozen
class Constraint:
    """One constraint of a UK Core profile that spcore checks offline."""

    resource_type: str
    element: str
    rule: str
    check: Check


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _claims_profile(resource: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    profile = profiles()[resource["resourceType"]]
    meta = resource.get("meta")
    claimed = _list(meta.get("profile")) if isinstance(meta, dict) else []
    if profile.url not in claimed:
        yield ("meta", "profile"), f"The {resource['resourceType']} does not claim {profile.url}."


def _nhs_number(resource: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    found = [
        (i, ident)
        for i, ident in enumerate(_list(resource.get("identifier")))
        if isinstance(ident, dict) and ident.get("system") == NHS_NUMBER
    ]
    if len(found) > 1:
        yield ("identifier",), "A UK Core Patient has at most one NHS number identifier."
    for i, ident in found:
        if not isinstance(ident.get("value"), str) or not ident["value"]:
            yield ("identifier", i, "value"), "An NHS number identifier needs a value."


def _ethnic_category(resource: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    found = [
        (i, ext)
        for i, ext in enumerate(_list(resource.get("extension")))
        if isinstance(ext, dict) and ext.get("url") == ETHNIC_CATEGORY_EXTENSION
    ]
    if len(found) > 1:
        yield ("extension",), "A UK Core Patient has at most one ethnic category."
    known = load_codelist("ethnic-category")
    for i, ext in found:
        values = [k for k in ext if k.startswith("value")]
        if values != ["valueCodeableConcept"] or not isinstance(ext[values[0]], dict):
            yield (
                ("extension", i),
                "The UK Core ethnic category extension takes one valueCodeableConcept.",
            )
            continue
        for j, coding in enumerate(_list(ext["valueCodeableConcept"].get("coding"))):
            if (
                isinstance(coding, dict)
                and coding.get("system") == ETHNIC_CATEGORY_ENGLAND
                and coding.get("code") not in known
            ):
                yield (
                    ("extension", i, "valueCodeableConcept", "coding", j, "code"),
                    f"{str(coding.get('code'))[:20]!r} is not a code of {ETHNIC_CATEGORY_ENGLAND}.",
                )


def _language(resource: dict[str, Any]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    for i, communication in enumerate(_list(resource.get("communication"))):
        language = communication.get("language") if isinstance(communication, dict) else None
        codings = _list(language.get("coding")) if isinstance(language, dict) else []
        if not any(isinstance(c, dict) and c.get("system") == BCP47 for c in codings):
            yield (
                ("communication", i, "language"),
                f"A communication language is bound (required) to BCP-47 tags ({BCP47}).",
            )


#: The UK Core constraints spcore checks, in the order they are reported. Every
#: profiled type also has the row "claims its profile" (see :func:`constraints`).
_PATIENT: tuple[Constraint, ...] = (
    Constraint(
        "Patient",
        "identifier:nhsNumber",
        f"0..1; system fixed to {NHS_NUMBER}; value 1..1",
        _nhs_number,
    ),
    Constraint(
        "Patient",
        "extension:ethnicCategory",
        "0..1 Extension-UKCore-EthnicCategory; value[x] 1..1 CodeableConcept, bound "
        "(extensible) to UKCore-EthnicCategory; codes of UKCore-EthnicCategoryEngland "
        "must be codes of it",
        _ethnic_category,
    ),
    Constraint(
        "Patient",
        "communication.language",
        "binding required to http://hl7.org/fhir/ValueSet/all-languages (BCP-47)",
        _language,
    ),
)


def constraints() -> tuple[Constraint, ...]:
    """Every UK Core constraint spcore checks: the profile claim per type, then the rest."""
    claims = tuple(
        Constraint(kind, "meta.profile", f"names {p.url}", _claims_profile)
        for kind, p in profiles().items()
    )
    return claims + _PATIENT


def check(resource: dict[str, Any], path: str = "") -> list[Finding]:
    """The UK Core constraints ``resource`` breaks, as findings (``SPC-H014``, ``SPC-H015``).

    Args:
        resource: one FHIR resource (a Bundle's entries are checked too).
        path: the JSON Pointer of ``resource`` in its document.

    Returns:
        One finding per break; none when the resource satisfies every
        constraint in :func:`constraints`.
    """
    findings: list[Finding] = []
    kind = resource.get("resourceType")
    for constraint in constraints():
        if constraint.resource_type != kind:
            continue
        code = (
            codes.UK_CORE_PROFILE_NOT_CLAIMED
            if constraint.check is _claims_profile
            else codes.UK_CORE_CONSTRAINT
        )
        for tokens, message in constraint.check(resource):
            findings.append(error(code, path + pointer(*tokens), message))
    if kind == "Bundle":
        for i, entry in enumerate(_list(resource.get("entry"))):
            inner = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(inner, dict):
                findings += check(inner, f"{path}/entry/{i}/resource")
    return findings


__all__ = [
    "BCP47",
    "ETHNIC_CATEGORY_ENGLAND",
    "ETHNIC_CATEGORY_EXTENSION",
    "NHS_NUMBER",
    "Constraint",
    "Profile",
    "check",
    "claim",
    "constraints",
    "profiles",
]
