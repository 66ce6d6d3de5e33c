"""FHIR R4 ``Questionnaire`` resources generated from the instrument definitions.

One Questionnaire per instrument in :mod:`spcore.instruments.registry`, at the
canonical URL ``https://spcore.dev/fhir/Questionnaire/<instrument id>``. Each
item's ``linkId`` is the instrument's item id (the column name of
``spcore score``), so a QuestionnaireResponse scores with the same rules.

Items with a short list of whole-number answers are ``choice`` items whose
``answerOption``s are those numbers; other items are ``integer`` or
``decimal`` with the standard ``minValue``/``maxValue`` extensions. For
licensed instruments (listed in ``interop/data/questionnaire-content.csv``)
the items carry identifiers only, no text, and ``copyright`` carries the
licence note: the licensed wording is never published.
"""

from __future__ import annotations

from typing import Any

from spcore._version import __version__
from spcore.instruments.definitions import InstrumentDefinition, Item, ItemKind
from spcore.instruments.registry import definitions, get_definition
from spcore.interop import uk_core
from spcore.interop.terminology import CANONICAL, codes_for, extension_url, item_text_omitted

#: Largest number of whole-number answers written as a ``choice`` item's options.
MAX_OPTIONS = 11

MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"


def questionnaire_url(instrument_id: str) -> str:
    """The canonical URL of an instrument's Questionnaire."""
    return f"{CANONICAL}/Questionnaire/{instrument_id}"


def instrument_for(canonical: str) -> str | None:
    """The instrument id a Questionnaire canonical (``url`` or ``url|version``) names."""
    url = canonical.split("|", 1)[0]
    prefix = f"{CANONICAL}/Questionnaire/"
    if not url.startswith(prefix):
        return None
    candidate = url[len(prefix) :]
    known = {d.id for d in definitions()}
    return candidate if candidate in known else None


def _number(value: float, kind: ItemKind) -> dict[str, Any]:
    if kind is ItemKind.INTEGER:
        return {"valueInteger": int(value)}
    return {"valueDecimal": int(value) if float(value).is_integer() else value}


def _item(item: Item, with_text: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"linkId": item.id}
    if with_text:
        out["text"] = item.label
    allowed = item.allowed_values()
    if allowed is not None and len(allowed) <= MAX_OPTIONS:
        out["type"] = "choice"
        out["answerOption"] = [{"valueInteger": v} for v in allowed]
    else:
        out["type"] = "integer" if item.kind is ItemKind.INTEGER else "decimal"
        out["extension"] = [
            {"url": MIN_VALUE, **_number(item.minimum, item.kind)},
            {"url": MAX_VALUE, **_number(item.maximum, item.kind)},
        ]
    out["required"] = not item.optional
    return out


def _score_extension(definition: InstrumentDefinition) -> list[dict[str, Any]]:
    """Each score's name, range and direction, so a reader knows how to read the result."""
    out = []
    for score in definition.scores:
        parts: list[dict[str, Any]] = [
            {"url": "name", "valueCode": score.name},
            {"url": "minimum", "valueDecimal": score.minimum},
            {"url": "maximum", "valueDecimal": score.maximum},
            {"url": "higherIsBetter", "valueBoolean": score.higher_is_better},
        ]
        parts += [
            {"url": "code", "valueCoding": c.coding()} for c in codes_for(definition.id, score.name)
        ]
        out.append({"url": extension_url("instrument-score"), "extension": parts})
    return out


def questionnaire(instrument: str | InstrumentDefinition) -> dict[str, Any]:
    """The FHIR R4 Questionnaire of an instrument (by id or definition)."""
    definition = get_definition(instrument) if isinstance(instrument, str) else instrument
    omitted = item_text_omitted().get(definition.id)
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": definition.id,
        "extension": _score_extension(definition),
        "url": questionnaire_url(definition.id),
        "version": __version__,
        "name": "".join(ch for ch in definition.id.title() if ch.isalnum()),
        "title": definition.name,
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": "spcore",
        "description": definition.summary if omitted is None else f"{definition.name}. {omitted}.",
        "copyright": definition.licence,
        "item": [_item(item, omitted is None) for item in definition.items],
    }
    return uk_core.claim(resource)


def all_questionnaires() -> list[dict[str, Any]]:
    """The Questionnaire of every instrument, in registry order."""
    return [questionnaire(d) for d in definitions()]


def questionnaire_bundle() -> dict[str, Any]:
    """Every instrument's Questionnaire in one ``collection`` Bundle (UK Core's profile)."""
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": q} for q in all_questionnaires()],
    }
    return uk_core.claim(bundle)
