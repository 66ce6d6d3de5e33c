"""The published JSON Schemas: drift, metaschema, titles, codelists, versions, examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from spcore import limits, schemas, strict_json
from spcore._version import STANDARD_VERSION
from spcore.framework.codelists import CODELISTS, enum_class_name, load
from spcore.framework.generate import REGENERATE_COMMAND, generated_files
from spcore.framework.quarterly_return import QuarterlyReturn
from spcore.framework.schema_build import BASE_URI, DOCUMENTS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "returns"


def test_generated_files_have_not_drifted() -> None:
    stale = [
        str(path.relative_to(ROOT))
        for path, text in generated_files(ROOT).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"out of date: {stale}; run `{REGENERATE_COMMAND}`"


def test_repo_and_bundled_schemas_identical() -> None:
    repo = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "schemas").glob("*.json")}
    bundled = {f"{n}.schema.json": schemas.text(n) for n in schemas.names()}
    assert repo == bundled


@pytest.mark.parametrize("name", schemas.names())
def test_bundled_schemas_are_strict_json(name: str) -> None:
    # ``schemas.load`` reads the bundled files with the plain parser, trusting this test.
    strict = strict_json.loads(schemas.text(name), max_depth=limits.MAX_PARSE_DEPTH)
    assert strict == schemas.load(name)


def _walk(node: Any, path: str = "") -> Any:
    if isinstance(node, dict):
        yield path, node
        for k, v in node.items():
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{path}/{i}")


@pytest.mark.parametrize("name", schemas.names())
def test_valid_against_metaschema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(schemas.load(name))


@pytest.mark.parametrize("name", schemas.names())
def test_every_property_has_title_and_description(name: str) -> None:
    for path, node in _walk(schemas.load(name)):
        for prop, sub in node.get("properties", {}).items() if "properties" in node else []:
            if isinstance(sub, dict):
                assert sub.get("title"), f"{name}{path}/properties/{prop} has no title"
                assert sub.get("description"), f"{name}{path}/properties/{prop} lacks description"


@pytest.mark.parametrize("name", schemas.names())
def test_ids_and_refs_carry_one_version(name: str) -> None:
    schema = schemas.load(name)
    assert schema["$id"].startswith(BASE_URI)
    assert f"/{STANDARD_VERSION}/" in schema["$id"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for path, node in _walk(schema):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            assert ref.startswith(BASE_URI), f"{name}{path}: {ref}"


@pytest.mark.parametrize("name", schemas.names())
def test_objects_are_closed(name: str) -> None:
    for path, node in _walk(schemas.load(name)):
        if "properties" in node and node.get("type") == "object":
            assert node.get("additionalProperties") is False, f"{name}{path} is open"


def test_codelist_enums_equal_csvs_and_all_are_used() -> None:
    common = schemas.load("common")["$defs"]
    for name in CODELISTS:
        definition = common[enum_class_name(name)]
        codelist = load(name)
        assert definition["enum"] == codelist.values()
        assert len(definition["enumDescriptions"]) == len(codelist.values())
        for code, text in zip(codelist.codes, definition["enumDescriptions"], strict=True):
            assert text == f"{code.title}: {code.description}"
    used = "".join(schemas.text(n) for n in DOCUMENTS)
    for name in CODELISTS:
        assert f'#/$defs/{enum_class_name(name)}"' in used, f"codelist {name} is unused"


def test_all_refs_resolve_offline() -> None:
    registry = schemas.registry()
    for name in schemas.names():
        resolver = registry.resolver(base_uri=schemas.schema_id(name))
        for _, node in _walk(schemas.load(name)):
            ref = node.get("$ref")
            if isinstance(ref, str):
                resolver.lookup(ref)


def test_valid_example_validates() -> None:
    for path in sorted(EXAMPLES.glob("*.json")):
        data = json.loads(path.read_text())
        errors = list(schemas.validator("quarterly-return").iter_errors(data))
        assert not errors, f"{path.name}: {errors[0].message}"
        assert (
            QuarterlyReturn.model_validate(data).model_dump(
                mode="json", by_alias=True, exclude_unset=True
            )
            == data
        ), "a valid return must round-trip through the model unchanged"


def test_invalid_examples_listed() -> None:
    expected = yaml.safe_load((EXAMPLES / "invalid" / "expected-findings.yaml").read_text())
    assert set(expected) == {p.name for p in (EXAMPLES / "invalid").glob("*.json")}


def test_schema_index_is_what_walking_the_bundled_schemas_finds() -> None:
    # The generator walks the schemas it builds; this walks the bundled copies through
    # their own offline resolver, so the index cannot describe other schemas.
    from spcore.schemas import index
    from spcore.schemas.resolving import resolve_node, resolver_for

    committed = (ROOT / "src" / "spcore" / "schemas" / index.FILE_NAME).read_text(encoding="utf-8")
    assert strict_json.loads(committed) == json.loads(committed)
    for name in schemas.names():
        root = resolve_node(schemas.load(name), resolver_for(name))
        assert list(index.places(name)) == index.retired_code_places(root)
    limits_found = index.max_items({n: schemas.load(n) for n in schemas.names()})
    assert index.list_limits() == (min(limits_found), max(limits_found))
    # The case closure reason 'escalated' is retired (its codelist's Deprecated column).
    assert (("closure", "reason"), "case-closure-reason") in list(index.places("case-record"))
