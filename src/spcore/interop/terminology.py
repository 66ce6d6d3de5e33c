"""Terminology for the FHIR implementation guide: canonical URLs, code lists, sources.

Every external code spcore writes (SNOMED CT, LOINC) is held as data in
``interop/data/*.csv`` beside the citation key and locator of the published
source it was checked against (the key is in the bibliography,
``spcore/framework/sources.csv``, whose notes say what was checked). Codes that could not be
checked are not in the files, so they are never written.

spcore's own codes (its codelists, used where no national code exists) live in
``CodeSystem`` resources under :data:`CANONICAL`, one per codelist, generated
from the codelist CSVs so they cannot drift.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources
from typing import Any

import attrs

from spcore._version import __version__
from spcore.framework import bibliography, codelists
from spcore.framework.bibliography import BibliographySource

#: The stable canonical base of spcore's FHIR artefacts, published with the docs.
CANONICAL = "https://spcore.dev/fhir"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def code_system_url(codelist: str) -> str:
    """The canonical URL of the spcore CodeSystem for ``codelist``."""
    return f"{CANONICAL}/CodeSystem/{codelist}"


def extension_url(name: str) -> str:
    """The canonical URL of the spcore extension ``name``."""
    return f"{CANONICAL}/StructureDefinition/{name}"


def naming_system_url(name: str) -> str:
    """The identifier system ``name`` (case ids, person pseudonyms, scheme ids)."""
    return f"{CANONICAL}/NamingSystem/{name}"


# The Verhoeff tables (dihedral group D5) used by SNOMED CT's check digit.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_P = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 7, 6, 8, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def is_sctid(text: str) -> bool:
    """True when ``text`` is a well-formed SNOMED CT identifier (6-18 digits, Verhoeff check)."""
    if not (6 <= len(text) <= 18 and text.isascii() and text.isdigit() and text[0] != "0"):
        return False
    check = 0
    for i, digit in enumerate(reversed(text)):
        check = _D[check][_P[i % 8][int(digit)]]
    return check == 0


def read_csv(name: str) -> list[dict[str, str]]:
    """The rows of the bundled data file ``interop/data/<name>``."""
    text = resources.files("spcore.interop").joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@attrs.frozen
class ScoreCode:
    """A national code for one score of one instrument, with where it was verified."""

    instrument: str
    score: str
    system: str
    code: str
    display: str
    source: str
    locator: str

    def coding(self) -> dict[str, str]:
        """The FHIR ``Coding``."""
        return {"system": self.system, "code": self.code, "display": self.display}


def sources() -> dict[str, BibliographySource]:
    """The bibliography (``spcore/framework/sources.csv``), where every code's source is listed."""
    return bibliography.sources()


@functools.cache
def score_codes() -> tuple[ScoreCode, ...]:
    """Every verified national code for an instrument score."""
    return tuple(
        ScoreCode(
            row["Instrument"],
            row["Score"],
            row["System"],
            row["Code"],
            row["Display"],
            row["Source"],
            row["Locator"],
        )
        for row in read_csv("instrument-codes.csv")
    )


def codes_for(instrument: str, score: str) -> list[ScoreCode]:
    """The national codes of one score (empty when none was verified)."""
    return [c for c in score_codes() if c.instrument == instrument and c.score == score]


def score_coding(instrument: str, score: str) -> dict[str, str]:
    """spcore's own coding of a score: ``<instrument>#<score>`` in the instrument-score system."""
    return {
        "system": code_system_url("instrument-score"),
        "code": f"{instrument}.{score}",
        "display": f"{instrument} {score}",
    }


@functools.cache
def item_text_omitted() -> dict[str, str]:
    """Instruments whose Questionnaire carries identifiers only: id -> reason."""
    return {row["Instrument"]: row["Reason"] for row in read_csv("questionnaire-content.csv")}


@attrs.frozen
class SocialPrescribingCode:
    """A national SNOMED CT code for social prescribing in GP records."""

    code: str
    term: str
    meaning: str
    usage: str
    source: str
    locator: str


@functools.cache
def social_prescribing_codes() -> dict[str, SocialPrescribingCode]:
    """The national social prescribing codes, by meaning (``referral``, ``declined``)."""
    return {
        row["Meaning"]: SocialPrescribingCode(
            row["Code"], row["Term"], row["Meaning"], row["Usage"], row["Source"], row["Locator"]
        )
        for row in read_csv("social-prescribing-snomed.csv")
    }


def snomed(meaning: str) -> dict[str, str]:
    """The SNOMED CT coding of a national social prescribing code."""
    entry = social_prescribing_codes()[meaning]
    return {"system": SNOMED, "code": entry.code, "display": entry.term}


def codelist_code_system(name: str) -> dict[str, Any]:
    """The FHIR CodeSystem for spcore codelist ``name``, generated from its CSV."""
    codelist = codelists.load(name)
    return {
        "resourceType": "CodeSystem",
        "id": name,
        "url": code_system_url(name),
        "version": __version__,
        "name": "".join(part.capitalize() for part in name.split("-")),
        "title": f"spcore {codelist.info.title.lower()}",
        "description": codelist.info.description,
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "concept": [
            {"code": c.code, "display": c.title, "definition": c.description or c.title}
            for c in codelist.codes
        ],
    }


def instrument_score_code_system() -> dict[str, Any]:
    """The CodeSystem naming every instrument score (``<instrument>.<score>``)."""
    from spcore.instruments.registry import definitions

    concepts = [
        {
            "code": f"{d.id}.{s.name}",
            "display": f"{d.name}: {s.label}",
            "definition": f"{s.label} of {d.name}, {s.minimum:g} to {s.maximum:g}.",
        }
        for d in definitions()
        for s in d.scores
    ]
    return {
        "resourceType": "CodeSystem",
        "id": "instrument-score",
        "url": code_system_url("instrument-score"),
        "version": __version__,
        "name": "InstrumentScore",
        "title": "spcore outcome-instrument scores",
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "concept": concepts,
    }
