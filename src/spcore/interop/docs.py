"""Generated pages of the implementation guide (``interop/``) and its published artefacts.

Every table here is rendered from the same data the code uses (the CSVs in
``interop/data``, the codelists, the instrument definitions) and the worked
examples are generated from the bundled example case record, so the guide
cannot drift from the implementation.
"""

from __future__ import annotations

import json
from typing import Any

from spcore.framework.case_record import CaseRecord
from spcore.framework.codelists import CODELISTS
from spcore.interop import codes, journey, terminology, uk_core
from spcore.interop.fields import case_record_fields
from spcore.interop.questionnaire import questionnaire, questionnaire_url


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _json_block(value: Any) -> str:
    return "```json\n" + json.dumps(value, indent=2, ensure_ascii=False) + "\n```\n"


def _source(key: str, page: str = "") -> str:
    """A link to the source ``key`` on the bibliography page."""
    if key not in terminology.sources():
        return key
    return f"[`{key}`](../standard/sources.md#{key})"


def codes_page() -> str:
    """The national codes spcore writes, each with the source it was verified against."""
    rows = [
        [c.instrument, c.score, c.system, f"`{c.code}`", c.display, _source(c.source), c.locator]
        for c in terminology.score_codes()
    ]
    sp_rows = [
        [
            f"`{c.code}`",
            c.term,
            c.usage,
            "; ".join(_source(k) for k in c.source.split("; ")),
            c.locator,
        ]
        for c in terminology.social_prescribing_codes().values()
    ]
    coded = {(c.instrument, c.score) for c in terminology.score_codes()}
    from spcore.instruments.registry import definitions

    uncoded = [
        [d.id, s.name, f"`{d.id}.{s.name}`"]
        for d in definitions()
        for s in d.scores
        if (d.id, s.name) not in coded
    ]
    cited = sorted(
        {c.source for c in terminology.score_codes()}
        | {k for c in terminology.social_prescribing_codes().values() for k in c.source.split("; ")}
    )
    sources = [
        [_source(key), terminology.sources()[key].short, terminology.sources()[key].notes]
        for key in cited
    ]
    return (
        "# Codes and their sources\n\n"
        "Every SNOMED CT and LOINC code spcore writes is below, with the published source it "
        "was checked against. A code that could not be checked is not written at all.\n\n"
        "## Outcome scores\n\n"
        + _table(["Instrument", "Score", "System", "Code", "Display", "Source", "Locator"], rows)
        + "\nScores without a verified national code are coded only in spcore's "
        f"`{terminology.code_system_url('instrument-score')}` CodeSystem:\n\n"
        + _table(["Instrument", "Score", "spcore code"], uncoded)
        + "\nLeft out: SNOMED CT 718466001, listed for the SWEMWBS score in "
        f"{_source('nhse-mhsds-assessments')}, fails the SNOMED CT check digit (Verhoeff), so "
        "it cannot be a concept id as written, and no source for a corrected id was found. "
        "Left out because no published source could be found to verify them: LOINC "
        "codes for SWEMWBS, WEMWBS and the EQ-5D index and VAS; SNOMED CT codes for the "
        "EQ-5D-3L index, ONS4, the ONS loneliness question, UCLA-3, WSAS, the PAM, the "
        "Well-being Star, MYCAW and the Rotherham measures.\n\n"
        "## Social prescribing in GP records\n\n"
        + _table(["Code", "Term", "Usage", "Source", "Locator"], sp_rows)
        + "\n## Sources\n\n"
        + _table(["Key", "Source", "What was checked"], sources)
    )


def mapping_page() -> str:
    """The FHIR mapping of every case-record field."""
    rows = [
        [
            f"`{r['Field']}`",
            r["Resource"],
            f"`{r['Element']}`" if r["Element"] else "",
            r["Kind"],
            r["Note"],
        ]
        for r in terminology.read_csv("fhir-mapping.csv")
    ]
    unmapped = [
        r["Field"] for r in terminology.read_csv("fhir-mapping.csv") if r["Kind"] == "unmapped"
    ]
    fields = case_record_fields()
    return (
        "# Case record to FHIR\n\n"
        f"All {len(fields)} fields of the case record, and where each lives in the case "
        "Bundle. `core` means a FHIR R4 element, `core-extension` an extension HL7 "
        "publishes, `uk-core-extension` one UK Core publishes, "
        f"`extension` one of spcore's extensions under `{terminology.CANONICAL}/"
        "StructureDefinition/`. Every mapped field round-trips exactly (a property test "
        "checks it over generated case records).\n\n"
        + _table(["Field", "Resource", "Element", "Kind", "Note"], rows)
        + "\n**Fields with no FHIR home:** "
        + (", ".join(f"`{f}`" for f in unmapped) if unmapped else "none")
        + ".\n"
    )


def prsb_page() -> str:
    """The PRSB mapping of every case-record field."""
    from spcore.interop.prsb import mapping

    rows = [
        [
            f"`{r['Field']}`",
            r["Group"],
            r["Item"],
            r["Cardinality"],
            r["ValueSet"],
            r["Status"],
            r["Note"],
        ]
        for r in mapping()
    ]
    groups = _source("transformation-partners-sp-toolkit", "codes.md")
    standard = _source("prsb-sp-standard", "codes.md")
    model = _source("prsb-sp-json-2023", "codes.md")
    return (
        "# PRSB Social Prescribing Information Standard\n\n"
        "The case record's sections follow the four groups of the standard's minimum "
        f"dataset ({groups}; {standard}). "
        "`item` rows name an item a published source names; `group` rows are mapped to the "
        "group only, because the item could not be verified from public sources "
        f"(only the opening of the standard's JSON model could be read, {model}: the group "
        "*Person demographics* is mandatory, 1..1, and its implementation guidance names "
        "gender and ethnicity as 'Must Have' fields and the PDS fields name, date of birth "
        "and address as mandatory); `unmapped` rows give the reason. A cardinality or value "
        "set the source read does not give is written `not verified`, never guessed. "
        "`spcore prsb mapping` prints the same table as CSV.\n\n"
        + _table(["Field", "Group", "Item", "Cardinality", "Value set", "Status", "Note"], rows)
        + "\n**Not done**, for want of a readable copy of the standard's full model (the "
        "JSON, Excel and viewer models are published by PRSB; none could be read beyond the "
        "opening of the JSON): the items of the needs-and-concerns, support-offered and "
        "outcomes groups and the remaining person-demographics items, their cardinality and "
        "value sets, and `spcore prsb export/import` in the standard's JSON model.\n"
    )


def code_systems() -> list[dict[str, Any]]:
    """spcore's CodeSystems: one per codelist, the instrument scores, the journey steps."""
    out = [terminology.codelist_code_system(name) for name in CODELISTS]
    out.append(terminology.instrument_score_code_system())
    out.append(journey.journey_code_system())
    return out


def code_systems_page() -> str:
    """The CodeSystems, extensions and identifier systems spcore publishes."""
    rows = [
        [
            f"`{cs['url']}`",
            cs["title"],
            str(len(cs["concept"])),
            f"[JSON](fhir/CodeSystem-{cs['id']}.json)",
        ]
        for cs in code_systems()
    ]
    return (
        "# Code systems and profiles\n\n"
        f"spcore's FHIR artefacts live under the canonical base `{terminology.CANONICAL}`. "
        "Codes without a national equivalent come from these CodeSystems, generated from the "
        "codelists so they never drift:\n\n"
        + _table(["Canonical URL", "Title", "Codes", "File"], rows)
        + "\nQuestionnaires: "
        + ", ".join(f"`{questionnaire_url(d)}`" for d in ("swemwbs", "phq9", "eq5d5l"))
        + " and one for every instrument ([all as a Bundle](fhir/Questionnaires.json)).\n\n"
        "Identifier systems: `"
        + "`, `".join(
            terminology.naming_system_url(n)
            for n in ("case-id", "person-pseudonym", "scheme-id", "open-referral-service")
        )
        + "`.\n\n"
        + uk_core_section()
        + "\n## Finding codes\n\n"
        + _table(
            ["Code", "Meaning"],
            [
                [f"`{k}`", v]
                for k, v in {
                    **codes.FHIR_CODES,
                    **codes.DIRECTORY_CODES,
                    **codes.EXTRACT_CODES,
                }.items()
            ],
        )
    )


def uk_core_section() -> str:
    """The UK Core profiles spcore's resources claim and the constraints checked offline."""
    profile_rows = [
        [f"`{p.resource_type}`", f"`{p.url}`", p.version, p.status, f"`{p.locator}`"]
        for p in uk_core.profiles().values()
    ]
    constraint_rows = [
        [f"`{c.resource_type}`", f"`{c.element}`", c.rule] for c in uk_core.constraints()
    ]
    return (
        "## UK Core profiles\n\n"
        "Every resource spcore writes claims the UK Core profile of its type in "
        f"`meta.profile` ({_source('uk-core-r4')}); the case Bundle also claims spcore's "
        "case-journey profile. Several of these profiles are still drafts in UK Core.\n\n"
        + _table(["Type", "Profile", "Version", "Status", "Where it was read"], profile_rows)
        + "\nThe UK Core package is not available offline, so spcore checks the constraints "
        "of the profiles' differentials that bear on what it writes (`spcore.interop.uk_core."
        "check`, findings `SPC-H014` and `SPC-H015`); the tests run it over every Bundle, "
        "Questionnaire and Observation spcore writes:\n\n"
        + _table(["Type", "Element", "Rule"], constraint_rows)
    )


def open_referral_page() -> str:
    """Where to get the published HSDS 3.0 and Open Referral UK schemas, and their licence."""
    from spcore.interop.directory import PUBLISHED_SCHEMAS

    rows = [
        [name, repo, f"`{commit}`", f"`{folder}/`"]
        for name, (repo, commit, folder) in PUBLISHED_SCHEMAS.items()
    ]
    fetch = "\n".join(
        f"git clone {repo}\ngit -C {repo.rsplit('/', 1)[1]} checkout {commit}"
        for repo, commit, _ in PUBLISHED_SCHEMAS.values()
    )
    return (
        "# Open Referral UK schemas\n\n"
        "`spcore directory check` always checks a directory against spcore's statement of "
        "the HSDS 3.0 requirements it relies on (required fields, status and location-type "
        "codes, UUID ids). With `--schemas` it also validates every object against the "
        "published JSON Schemas, offline. spcore does not ship copies of them: get them from "
        "the repositories below. These are the commits spcore's requirements and examples "
        f"were checked against ({_source('openreferral-hsds-3')}, "
        f"{_source('openreferral-uk-profile-3')}):\n\n"
        + _table(["Schemas", "Repository", "Commit", "Folder"], rows)
        + "\n```text\n"
        + fetch
        + "\n```\n\n"
        "Then point `--schemas` at either copy (or its `schema/` folder); the UK profile's "
        "`schema/` holds the full profiled schemas, its `profile/` only the patches:\n\n"
        "```text\n"
        "spcore directory check DIR --schemas uk-profile\n"
        "```\n\n"
        "**Licence.** The Human Services Data Specification and the Open Referral UK "
        "profile are licensed under the Creative Commons Attribution-ShareAlike 4.0 "
        "International licence (CC BY-SA 4.0); the attribution their publishers ask for is "
        '"Human Services Data Specification: an Open Referral resource '
        "(https://openreferral.org/)\". spcore's MIT licence does not cover them.\n"
    )


def examples_page(case: dict[str, Any]) -> str:
    """Worked examples generated from the bundled example case record."""
    from spcore.interop.fhir_io import Found
    from spcore.interop.scoring import observations, score_found

    bundle = journey.case_to_bundle(CaseRecord.model_validate(case))
    answers = {f"item_{n}": 1 for n in range(1, 8)}
    response = {
        "resourceType": "QuestionnaireResponse",
        "id": "example-gad7",
        "questionnaire": questionnaire_url("gad7"),
        "status": "completed",
        "subject": {"reference": "Patient/example"},
        "authored": "2025-05-20",
        "item": [{"linkId": k, "answer": [{"valueInteger": v}]} for k, v in answers.items()],
    }
    scored = score_found(Found(response, 0, ""))
    return (
        "# Worked examples\n\n"
        "Generated at build time from the bundled example case record and the instrument "
        "definitions, so they cannot drift.\n\n"
        "## A Questionnaire (GAD-7)\n\n"
        + _json_block(questionnaire("gad7"))
        + "\n## A QuestionnaireResponse and the Observation scored from it\n\n"
        + _json_block(response)
        + _json_block(observations(scored))
        + "\n## A case journey Bundle\n\n"
        + _json_block(bundle)
    )


def pages(example_case: dict[str, Any] | None = None) -> dict[str, str]:
    """The generated pages: path under ``interop/`` -> Markdown.

    ``example_case`` (the bundled example case record) fills the worked examples page.
    """
    out = {
        "codes.md": codes_page(),
        "case-record-mapping.md": mapping_page(),
        "prsb-mapping.md": prsb_page(),
        "code-systems.md": code_systems_page(),
        "open-referral.md": open_referral_page(),
    }
    if example_case is not None:
        out["examples.md"] = examples_page(example_case)
    return out


def files() -> dict[str, str]:
    """The published artefacts: path under ``interop/`` -> JSON text."""
    from spcore.interop.questionnaire import questionnaire_bundle

    out = {
        f"fhir/CodeSystem-{cs['id']}.json": json.dumps(cs, indent=2, ensure_ascii=False)
        for cs in code_systems()
    }
    out["fhir/Questionnaires.json"] = json.dumps(
        questionnaire_bundle(), indent=2, ensure_ascii=False
    )
    return out
