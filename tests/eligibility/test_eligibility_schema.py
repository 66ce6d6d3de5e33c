"""The published rule-file schema: generated, committed twice, complete."""

from __future__ import annotations

from typing import Any

import jsonschema

from spcore import schemas
from spcore.eligibility.rulefile import referral_criterion_codes
from spcore.eligibility.schema import SCHEMA_ID, SCHEMA_NAME, rules_json_schema


def test_bundled_copy_matches_the_model() -> None:
    # The drift test in tests/framework covers both committed copies; this one
    # checks the rule-file schema is among them.
    assert schemas.load(SCHEMA_NAME) == rules_json_schema()


def test_schema_is_valid_draft_2020_12_with_versioned_id() -> None:
    schema = rules_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (
        schema["$id"]
        == SCHEMA_ID
        == ("https://spcore.dev/schema/0.2/eligibility-rules.schema.json")
    )


def _objects(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found.extend(_objects(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_objects(value))
    return found


def test_every_property_has_title_and_description_and_objects_are_closed() -> None:
    objects = _objects(rules_json_schema())
    assert len(objects) > 20
    for obj in objects:
        assert obj.get("additionalProperties") is False, obj.get("title")
        for name, prop in obj["properties"].items():
            assert prop.get("title"), name
            assert prop.get("description"), name


def test_referral_criterion_codes_come_from_the_codelist() -> None:
    schema = rules_json_schema()
    items = schema["$defs"]["ReferralCriteria"]["properties"]["any_of"]["items"]
    assert items["enum"] == sorted(referral_criterion_codes())
