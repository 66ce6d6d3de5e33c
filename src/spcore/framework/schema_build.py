"""Build the published JSON Schemas from the dataset models.

The models in :mod:`spcore.framework` are the one definition of the dataset;
this module turns them into draft 2020-12 JSON Schemas:

* ``common.schema.json`` holds what the documents share: every codelist (an
  ``enum`` with a description per code) and the quantities (money, duration,
  FTE);
* ``quarterly-return.schema.json`` and ``case-record.schema.json`` refer to it
  with absolute, versioned ``$ref`` URIs, so any JSON Schema tool resolves them
  from the bundled files without the network.

Every ``$id`` carries the standard's version (``.../schema/0.2/...``); see the
versioning policy in the documentation.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from pydantic import BaseModel

from spcore._version import STANDARD_VERSION
from spcore.framework.case_record import CaseRecord
from spcore.framework.codelists import CODELISTS, enum_class_name, load
from spcore.framework.quantities import Duration, Money, Staffing
from spcore.framework.quarterly_return import QuarterlyReturn

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_URI = f"https://spcore.dev/schema/{STANDARD_VERSION}/"

COMMON = "common"

#: Published documents: schema name -> (model, description).
DOCUMENTS: dict[str, tuple[type[BaseModel], str]] = {
    "quarterly-return": (
        QuarterlyReturn,
        "A social prescribing scheme's quarterly return under the Common Outcomes Framework: "
        "scheme, NHS financial-year quarter, the eleven Phase 1 outputs and the three "
        "outcome areas. Aggregates only: no personal identifiers.",
    ),
    "case-record": (
        CaseRecord,
        "One person's pseudonymised journey through a social prescribing scheme: referral, "
        "demographics, needs and concerns, support offered, outcomes and closure.",
    ),
}

_QUANTITIES: tuple[type[BaseModel], ...] = (Money, Duration, Staffing)


def schema_id(name: str) -> str:
    """The versioned ``$id`` of schema ``name``."""
    return f"{BASE_URI}{name}.schema.json"


def _common_def_names() -> set[str]:
    return {enum_class_name(n) for n in CODELISTS} | {m.__name__ for m in _QUANTITIES}


def _rewrite_refs(node: Any, common_names: set[str]) -> Any:
    """Point ``#/$defs/X`` at the common schema for shared definitions."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/$defs/"):
                target = value.removeprefix("#/$defs/")
                out[key] = (
                    f"{schema_id(COMMON)}#/$defs/{target}" if target in common_names else value
                )
            else:
                out[key] = _rewrite_refs(value, common_names)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(v, common_names) for v in node]
    return node


def build_common() -> dict[str, Any]:
    """The shared definitions: every codelist and every quantity."""
    defs: dict[str, Any] = {}
    for name in CODELISTS:
        defs[enum_class_name(name)] = load(name).json_schema()
    for model in _QUANTITIES:
        defs[model.__name__] = model.model_json_schema(mode="validation")
    return {
        "$schema": DRAFT,
        "$id": schema_id(COMMON),
        "title": "spcore common definitions",
        "description": (
            "Codelists and quantities shared by the spcore documents. Each codelist is an "
            "enum generated from its CSV, with a description per code."
        ),
        "$defs": dict(sorted(defs.items())),
    }


def _all_models(root: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The root model and every model reachable from its fields, by class name."""
    found: dict[str, type[BaseModel]] = {}
    stack: list[Any] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            if item.__name__ in found:
                continue
            found[item.__name__] = item
            stack.extend(f.annotation for f in item.model_fields.values())
        else:
            stack.extend(getattr(item, "__args__", ()))
    return found


def _fill_titles(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """Give every property the title and description of its field.

    pydantic leaves a property's title out when it equals the referenced
    model's title; the standard wants each property self-describing.
    """
    properties = schema.get("properties", {})
    for field_name, info in model.model_fields.items():
        key = info.alias or field_name
        prop = properties.get(key)
        if prop is None:
            continue
        if info.title and "title" not in prop:
            prop["title"] = info.title
        if info.description and "description" not in prop:
            prop["description"] = info.description


def build_document(name: str) -> dict[str, Any]:
    """The schema of document ``name`` (a key of :data:`DOCUMENTS`)."""
    model, description = DOCUMENTS[name]
    raw = model.model_json_schema(mode="validation", by_alias=True)
    models = _all_models(model)
    _fill_titles(raw, model)
    for def_name, def_schema in raw.get("$defs", {}).items():
        if def_name in models:
            _fill_titles(def_schema, models[def_name])
    common = _common_def_names()
    defs = {k: v for k, v in raw.pop("$defs", {}).items() if k not in common}
    body = _rewrite_refs(raw, common)
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "$id": schema_id(name),
        "title": body.pop("title", model.__name__),
        "description": description,
    }
    body.pop("description", None)
    schema.update(body)
    if defs:
        schema["$defs"] = _rewrite_refs(dict(sorted(defs.items())), common)
    return schema


def build_all() -> dict[str, dict[str, Any]]:
    """Every published schema, by name."""
    schemas = {COMMON: build_common()}
    for name in DOCUMENTS:
        schemas[name] = build_document(name)
    # Imported here because the rule-file model imports this module's helpers.
    from spcore.eligibility.schema import SCHEMA_NAME, rules_json_schema

    schemas[SCHEMA_NAME] = rules_json_schema()
    return {k: copy.deepcopy(v) for k, v in sorted(schemas.items())}


def dumps(schema: dict[str, Any]) -> str:
    """Serialise a schema the way it is committed (stable, diff-friendly)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def file_name(name: str) -> str:
    """The file name a schema is published under."""
    return f"{name}.schema.json"
