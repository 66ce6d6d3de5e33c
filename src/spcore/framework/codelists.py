"""Codelists: the closed vocabularies of the dataset, defined once as CSV.

Each codelist is one CSV file in ``spcore/framework/codelists/`` with the
columns ``Code,Title,Description,Source`` (and ``Deprecated`` where a code is
retired). From these files, and nothing else, come:

* the Python enums in :mod:`spcore.framework.enums` (generated source, so that
  type checkers and editors see them; a test fails when they drift);
* the ``enum`` of each codelist in the published JSON Schemas, with a
  description per code;
* the codelist pages of the documentation.

:data:`CODELISTS` names every codelist the dataset uses, with a title and a
sentence on what it is for.
"""

from __future__ import annotations

import csv
import enum
import functools
import io
import json
import re
import textwrap
from importlib import resources
from typing import Any, NamedTuple

import attrs
from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

_COLUMNS = ("Code", "Title", "Description", "Source")


class CodelistInfo(NamedTuple):
    """What a codelist is for (the CSV holds its codes)."""

    name: str
    title: str
    description: str
    open: bool = False


#: Every codelist of the dataset: name (the CSV file stem) -> what it is for.
CODELISTS: dict[str, CodelistInfo] = {
    info.name: info
    for info in (
        CodelistInfo("age-band", "Age band", "Age of a person on the date of referral, in bands."),
        CodelistInfo(
            "referral-criterion",
            "Referral criterion",
            "A reason a person was referred to social prescribing; a person may meet several.",
            open=True,
        ),
        CodelistInfo(
            "referrer-type",
            "Referrer type",
            "Who referred the person (the referral route).",
            open=True,
        ),
        CodelistInfo(
            "referral-rejection-reason",
            "Referral rejection reason",
            "Why a referral did not become a case: declined by the person or not accepted.",
            open=True,
        ),
        CodelistInfo(
            "case-closure-reason", "Case closure reason", "Why a case was closed.", open=True
        ),
        CodelistInfo(
            "disengagement-reason",
            "Disengagement reason",
            "Why a person stopped taking part before their support was complete.",
            open=True,
        ),
        CodelistInfo(
            "rag-rating", "RAG rating", "Red, amber or green safeguarding rating of a case."
        ),
        CodelistInfo(
            "social-prescribing-model",
            "Social prescribing model",
            "The kind of social prescribing a scheme offers, from signposting to holistic.",
        ),
        CodelistInfo(
            "intervention-type",
            "Intervention type",
            "The kind of community activity or support a person is connected to.",
            open=True,
        ),
        CodelistInfo(
            "five-ways-to-wellbeing",
            "Five Ways to Wellbeing",
            "The Five Ways to Wellbeing an activity supports.",
        ),
        CodelistInfo(
            "funding-source", "Funding source", "Where money for a scheme comes from.", open=True
        ),
        CodelistInfo(
            "outcome-instrument",
            "Outcome instrument",
            "A questionnaire or tool used to measure outcomes for the person.",
        ),
        CodelistInfo(
            "benefit-domain",
            "Benefit domain",
            "A domain in which social prescribing is expected to bring benefit.",
        ),
        CodelistInfo(
            "contact-type",
            "Contact type",
            "How a link worker and a person were in contact.",
            open=True,
        ),
        CodelistInfo(
            "assessment-timepoint",
            "Assessment timepoint",
            "When an outcome measure was taken in a person's journey.",
        ),
        CodelistInfo(
            "gender",
            "Gender",
            'Person stated gender (nhs-data-dictionary, "Person Stated Gender Code").',
        ),
        CodelistInfo(
            "ethnic-category",
            "Ethnic category",
            'Ethnic category (nhs-data-dictionary, "Ethnic Category").',
        ),
        CodelistInfo("pay-band", "Pay band", "NHS pay band of a post (agenda-for-change)."),
        CodelistInfo(
            "employability-outcome",
            "Employability outcome",
            "An employability outcome for a person (Phase 2 of the framework).",
        ),
        CodelistInfo(
            "safeguarding-question",
            "Safeguarding question",
            "A safeguarding question asked at assessment.",
        ),
        CodelistInfo(
            "referral-exclusion",
            "Referral exclusion",
            "A circumstance in which a referral is not accepted ('beyond red').",
        ),
        CodelistInfo(
            "wellbeing-aspect",
            "Wellbeing aspect",
            "One of the four aspects of wellbeing the framework expects social prescribing to "
            "improve for the person.",
        ),
        CodelistInfo(
            "instrument-category",
            "Instrument category",
            "A category of a categorical outcome score (an answer category or level); codes "
            "equal the instrument registry's category codes.",
        ),
        CodelistInfo(
            "social-care-package-change",
            "Social care package change",
            "How a person's social care package changed between referral and the end of the "
            "window after it.",
        ),
        CodelistInfo(
            "sustainability-support",
            "Sustainability support",
            "A kind of support a community group says it needs to be sustainable.",
            open=True,
        ),
        CodelistInfo(
            "occupation",
            "Occupation",
            "What the person does: their economic activity at the holistic assessment.",
            open=True,
        ),
        CodelistInfo(
            "income-source",
            "Income source",
            "Where the person's income comes from, at the holistic assessment.",
            open=True,
        ),
        CodelistInfo(
            "professional-role",
            "Professional role",
            "The role of a professional involved in the person's care.",
            open=True,
        ),
        CodelistInfo(
            "substance",
            "Substance",
            "A kind of substance the person misuses, recorded at the holistic assessment.",
            open=True,
        ),
        CodelistInfo(
            "service",
            "Service",
            "A health or care service whose use by a person is counted in a window before or "
            "after referral.",
        ),
        CodelistInfo(
            "service-use-source",
            "Service use source",
            "Where a count of a person's service use comes from.",
            open=True,
        ),
        CodelistInfo(
            "service-use-period",
            "Service use period",
            "Whether a window of service use lies before or after the index date.",
        ),
        CodelistInfo(
            "cohort",
            "Cohort",
            "Whether a record is a person referred or a comparison person held for evaluation.",
        ),
        CodelistInfo(
            "health-condition",
            "Health condition",
            "A group of physical or mental health conditions recorded at the holistic assessment.",
            open=True,
        ),
    )
}


class Code(NamedTuple):
    """One code of a codelist."""

    code: str
    title: str
    description: str
    source: str
    deprecated: str = ""

    @property
    def replacement(self) -> str | None:
        """The code to use instead of a retired one: the ``Deprecated`` note's ``Use <code>.``."""
        match = re.match(r"Use ([a-z0-9][a-z0-9-]*)\.", self.deprecated)
        return match.group(1) if match else None


@attrs.frozen
class Codelist:
    """A codelist loaded from its CSV."""

    info: CodelistInfo
    codes: tuple[Code, ...]

    @property
    def name(self) -> str:
        """The codelist's name (its CSV file stem)."""
        return self.info.name

    def values(self) -> list[str]:
        """The codes, in file order."""
        return [c.code for c in self.codes]

    def __getitem__(self, code: str) -> Code:
        for c in self.codes:
            if c.code == code:
                return c
        raise KeyError(code)

    def __contains__(self, code: object) -> bool:
        return any(c.code == code for c in self.codes)

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of this codelist: an ``enum`` with a description per code."""
        return {
            "type": "string",
            "title": self.info.title,
            "description": self.info.description,
            "enum": self.values(),
            "enumDescriptions": [f"{c.title}: {c.description}" for c in self.codes],
            "codelist": f"{self.name}.csv",
            "openCodelist": self.info.open,
        }


class CodelistError(ValueError):
    """A codelist CSV is malformed (a packaging error, caught by the tests)."""


def csv_text(name: str) -> str:
    """The raw text of codelist ``name``'s CSV."""
    folder = resources.files("spcore.framework") / "codelists"
    return (folder / f"{name}.csv").read_text(encoding="utf-8")


def available_csvs() -> list[str]:
    """Stems of every CSV shipped in the codelists folder."""
    folder = resources.files("spcore.framework") / "codelists"
    return sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".csv"))


@functools.cache
def load(name: str) -> Codelist:
    """Load codelist ``name`` from its CSV (cached)."""
    if name not in CODELISTS:
        raise KeyError(f"unknown codelist {name!r}")
    reader = csv.DictReader(io.StringIO(csv_text(name)))
    header = tuple(reader.fieldnames or ())
    if header[:4] != _COLUMNS:
        raise CodelistError(f"{name}.csv must start with the columns {','.join(_COLUMNS)}")
    codes: list[Code] = []
    for row in reader:
        code = Code(
            code=row["Code"].strip(),
            title=row["Title"].strip(),
            description=row["Description"].strip(),
            source=row["Source"].strip(),
            deprecated=(row.get("Deprecated") or "").strip(),
        )
        if not all((code.code, code.title, code.description, code.source)):
            raise CodelistError(f"{name}.csv has a row with an empty cell: {row}")
        codes.append(code)
    if len({c.code for c in codes}) != len(codes):
        raise CodelistError(f"{name}.csv repeats a code")
    return Codelist(CODELISTS[name], tuple(codes))


def all_codelists() -> list[Codelist]:
    """Every codelist of the dataset, loaded."""
    return [load(name) for name in CODELISTS]


class CodelistEnum(enum.StrEnum):
    """Base of the generated codelist enums; its JSON Schema comes from the CSV."""

    __codelist__: str

    @classmethod
    def codelist(cls) -> Codelist:
        """The codelist this enum was generated from."""
        return load(cls.__codelist__)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """Publish the codelist's schema: ``enum`` plus a description per code."""
        return cls.codelist().json_schema()

    @property
    def label(self) -> str:
        """The code's title from the codelist."""
        return self.codelist()[self.value].title

    @property
    def explanation(self) -> str:
        """The code's description from the codelist."""
        return self.codelist()[self.value].description


def enum_class_name(codelist_name: str) -> str:
    """``referral-criterion`` -> ``ReferralCriterion``."""
    return "".join(part.capitalize() for part in codelist_name.split("-"))


def enum_member_name(code: str) -> str:
    """``long-term-condition`` -> ``LONG_TERM_CONDITION``; ``85-plus`` -> ``CODE_85_PLUS``."""
    name = re.sub(r"[^0-9A-Za-z]+", "_", code).strip("_").upper()
    if not name or name[0].isdigit():
        name = f"CODE_{name}"
    return name


def render_enums_module() -> str:
    """Python source of :mod:`spcore.framework.enums`, generated from the CSVs."""
    lines = [
        '"""Codelist enums, generated from the CSV files in ``codelists/``.',
        "",
        "Do not edit: run ``python -m spcore.framework.generate`` after changing a CSV.",
        '"""',
        "",
        "from spcore.framework.codelists import CodelistEnum",
        "",
        "__all__ = [",
    ]
    names = sorted(enum_class_name(n) for n in CODELISTS)
    lines += [f'    "{n}",' for n in names]
    lines.append("]")
    for name in CODELISTS:
        codelist = load(name)
        lines += ["", "", f"class {enum_class_name(name)}(CodelistEnum):"]
        doc = textwrap.wrap(f"{codelist.info.title}: {codelist.info.description}", 88)
        if len(doc) == 1:
            lines.append(f'    """{doc[0]}"""')
        else:
            lines.append(f'    """{doc[0]}')
            lines += [f"    {line}" for line in doc[1:]]
            lines.append('    """')
        lines.append("")
        lines.append(f'    __codelist__ = "{name}"')
        lines.append("")
        for code in codelist.codes:
            lines.append(f"    {enum_member_name(code.code)} = {json.dumps(code.code)}")
            lines.append(f'    """{_docstring_safe(code.title)[:88]}."""')
    return "\n".join(lines) + "\n"


def _docstring_safe(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', "'''").rstrip(".")
