"""spcore.schemas.resolving: where a resolved node is, and where a self-reference stops."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from spcore import schemas
from spcore.schemas.resolving import (
    ANNOTATIONS,
    Location,
    ResolvedNode,
    resolve_node,
    resolver_for,
)

COMMON = "https://spcore.dev/schema/0.2/common.schema.json"


def _at(location: Location) -> Any:
    """The raw node at ``location``, read straight from the JSON (independent of the resolver)."""
    node: Any = schemas.load(location.schema)
    for token in location.pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _resolve(location: Location, stop_at: tuple[Location, ...] = ()) -> ResolvedNode:
    return resolve_node(_at(location), resolver_for(location.schema), at=location, stop_at=stop_at)


def test_location_is_written_schema_hash_pointer() -> None:
    assert str(Location("common", "/$defs/Money")) == "common#/$defs/Money"
    assert str(Location("common")) == "common#"


def test_child_escapes_each_token_as_a_json_pointer() -> None:
    child = Location("common", "/$defs").child("a/b", "c~d", 0)
    assert child == Location("common", "/$defs/a~1b/c~0d/0")


def test_refer_resolves_local_and_cross_schema_references() -> None:
    here = Location("eligibility-rules", "/$defs/NotRule/properties/not")
    assert here.refer("#/$defs/AllRule") == Location("eligibility-rules", "/$defs/AllRule")
    assert here.refer(f"{COMMON}#/$defs/Money") == Location("common", "/$defs/Money")
    assert here.refer("https://example.org/other.json#/x") is None


def test_a_reference_to_another_schema_reports_the_definition_it_came_from() -> None:
    at = Location("quarterly-return", "/$defs/Investment/properties/amount")
    node = _resolve(at)
    assert node.location == node.definition == Location("common", "/$defs/Money")
    assert node.schema["title"] == "Total investment"  # the referring property's title wins
    assert set(node.schema["properties"]) == {"value", "unit"}
    assert not node.nullable
    assert not node.repeated


def test_x_or_null_is_unwrapped_to_its_branch_then_followed() -> None:
    at = Location("quarterly-return", "/$defs/LinkWorkerSalaries/properties/pay_in_quarter")
    node = _resolve(at)
    assert node.nullable
    assert node.location == node.definition == Location("common", "/$defs/Money")
    assert node.schema["title"] == "Link-worker pay in the quarter"


def test_an_inline_optional_field_is_at_its_anyof_branch_and_keeps_its_examples() -> None:
    at = Location("quarterly-return", "/$defs/Scheme/properties/commissioner_code")
    node = _resolve(at)
    assert node.nullable
    assert node.location == at.child("anyOf", 0)
    assert node.definition is None
    assert node.schema["type"] == "string"
    assert node.schema["examples"] == ["QWO"]  # an annotation of the optional field


def test_a_reference_into_stop_at_is_not_followed_and_keeps_the_definition_as_written() -> None:
    definition = Location("eligibility-rules", "/$defs/NotRule")
    at = definition.child("properties", "not", "oneOf", 2)
    assert _at(at) == {"$ref": "#/$defs/NotRule"}
    node = _resolve(at, stop_at=(definition,))
    assert node.repeated
    assert node.location == node.definition == definition
    assert node.schema == _at(definition)
    # Outside the definition the same reference is followed as usual.
    assert not _resolve(at).repeated


def test_without_a_starting_location_nothing_is_reported() -> None:
    at = Location("quarterly-return", "/$defs/Investment/properties/amount")
    node = resolve_node(_at(at), resolver_for("quarterly-return"))
    assert node.location is None
    assert node.definition is None
    assert not node.repeated
    assert node.schema == _resolve(at).schema


def _properties(name: str) -> Iterator[Location]:
    def scan(node: Any, at: Location) -> Iterator[Location]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    for prop, sub in value.items():
                        yield at.child(key, prop)
                        yield from scan(sub, at.child(key, prop))
                elif key not in ("examples", "default", "const", "enum"):
                    yield from scan(value, at.child(key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from scan(value, at.child(index))

    yield from scan(schemas.load(name), Location(name))


@pytest.mark.parametrize("name", schemas.names())
def test_every_property_resolves_to_the_node_at_its_reported_location(name: str) -> None:
    for at in _properties(name):
        node = _resolve(at)
        assert node.location is not None
        raw = _at(node.location)
        assert "$ref" not in raw, at
        # The body is the node found there, annotations of the referring property aside.
        plain = {k: v for k, v in node.schema.items() if k not in ANNOTATIONS}
        assert plain == {k: v for k, v in raw.items() if k not in ANNOTATIONS}, at
        if node.definition is not None:
            assert node.location.schema == node.definition.schema
            assert node.location.pointer.startswith(node.definition.pointer)
