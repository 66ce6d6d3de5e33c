"""The leaf fields of the case record, walked from its JSON Schema.

The mapping tables (``fhir-mapping.csv``, ``prsb-mapping.csv``) must name every
field; walking the schema rather than listing fields by hand means a field
added to the case record shows up here, and the tests fail until it is mapped
or marked unmapped with a reason.
"""

from __future__ import annotations

import functools
from typing import Any

from spcore.framework.case_record import CaseRecord


def _walk(node: dict[str, Any], defs: dict[str, Any], path: list[str], out: list[str]) -> None:
    if "$ref" in node:
        node = defs[node["$ref"].split("/")[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            for option in node[key]:
                if option.get("type") != "null":
                    _walk(option, defs, path, out)
            return
    properties = node.get("properties")
    # A quantity ({value, unit}) is one field, not two.
    if node.get("type") == "object" and properties and not set(properties) <= {"value", "unit"}:
        for name, child in properties.items():
            _walk(child, defs, [*path, name], out)
        return
    if node.get("type") == "array":
        items = node.get("items", {})
        target = defs[items["$ref"].split("/")[-1]] if "$ref" in items else items
        if target.get("type") == "object" and target.get("properties"):
            _walk(items, defs, [*path, "[]"], out)
            return
    out.append(".".join(path))


@functools.cache
def case_record_fields() -> tuple[str, ...]:
    """Every leaf field of the case record, as dotted paths (``[]`` marks list items)."""
    schema = CaseRecord.model_json_schema(by_alias=True)
    out: list[str] = []
    _walk(schema, schema.get("$defs", {}), [], out)
    return tuple(out)
