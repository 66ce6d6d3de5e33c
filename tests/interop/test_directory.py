"""Open Referral UK (HSDS 3.0) directories: reading, checking, resolving case records, exporting."""

from __future__ import annotations

import json
import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spcore.cli import main
from spcore.interop.directory import (
    PUBLISHED_SCHEMAS,
    community_groups_as_services,
    read_directory,
    resolve_prescriptions,
    service_terms,
)
from spcore.interop.docs import open_referral_page
from spcore.interop.terminology import sources

REPO = Path(__file__).parents[2]
RETURN = REPO / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"
EXAMPLE = REPO / "examples" / "directory" / "northshire-community-groups.json"

ORG = str(uuid.UUID(int=1))
SERVICE = str(uuid.UUID(int=2))
LOCATION = str(uuid.UUID(int=3))


def _write(path: Path, value: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def _service(**extra: Any) -> dict[str, Any]:
    return {
        "id": SERVICE,
        "name": "Walking group",
        "status": "active",
        "organization_id": ORG,
        **extra,
    }


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "dir"
    _write(
        root / "organizations.json",
        {"contents": [{"id": ORG, "name": "Trust", "description": "A trust"}]},
    )
    _write(root / "services" / "walking.json", _service())
    _write(root / "locations.json", [{"id": LOCATION, "location_type": "physical"}])
    return root


def codes_of(directory: Any) -> list[str]:
    return [f.code for f in directory.findings]


def test_a_folder_as_an_api_would_serve_it_is_read(tmp_path: Path) -> None:
    directory = read_directory(_folder(tmp_path))
    assert codes_of(directory) == []
    assert directory.service_ids == {SERVICE}
    assert set(directory.objects["organization"]) == {ORG}
    assert set(directory.objects["location"]) == {LOCATION}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": "open"}, "SPC-D002"),
        ({"id": "not-a-uuid"}, "SPC-D002"),
        ({"organization_id": str(uuid.UUID(int=99))}, "SPC-D004"),
        ({"name": None}, "SPC-D002"),
    ],
)
def test_bad_services_give_coded_findings(
    tmp_path: Path, change: dict[str, Any], code: str
) -> None:
    root = _folder(tmp_path)
    _write(root / "services" / "walking.json", _service(**change))
    assert code in codes_of(read_directory(root))


def test_duplicates_unreadable_files_and_empty_directories(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    _write(root / "services" / "again.json", _service())
    (root / "services" / "broken.json").write_text('{"id": 1, "id": 2}', encoding="utf-8")
    (root / "services" / "deep.json").write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    found = codes_of(read_directory(root))
    assert "SPC-D003" in found
    assert found.count("SPC-D001") == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert codes_of(read_directory(empty)) == ["SPC-D006"]
    assert codes_of(read_directory(tmp_path / "missing"))[0] == "SPC-D001"


def test_published_schemas_are_applied_offline_with_relative_refs(tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    _write(
        schemas / "organization.json",
        {"type": "object", "required": ["id", "name", "description", "email"]},
    )
    _write(
        schemas / "service.json",
        {
            "type": "object",
            "required": ["id"],
            "properties": {"organization": {"$ref": "organization.json"}},
        },
    )
    root = _folder(tmp_path)
    _write(
        root / "services" / "walking.json",
        _service(organization={"id": ORG, "name": "T", "description": "d"}),
    )
    # The schema/ folder itself, or a copy of the repository that holds it.
    repository = tmp_path / "repository"
    shutil.copytree(schemas, repository / "schema")
    for folder in (schemas, repository):
        directory = read_directory(root, folder)
        messages = [f.message for f in directory.findings if f.code == "SPC-D002"]
        assert any(
            "published schema" in m and "'email' is a required property" in m for m in messages
        )


def test_where_to_get_the_published_schemas_is_on_record() -> None:
    known = sources()
    for name, (repo, commit, folder) in PUBLISHED_SCHEMAS.items():
        assert re.fullmatch(r"[0-9a-f]{40}", commit), name
        assert folder == "schema"
        assert any(commit in s.reference and s.url == repo for s in known.values()), name
    page = open_referral_page()
    assert all(commit in page for _, commit, _ in PUBLISHED_SCHEMAS.values())
    assert "CC BY-SA 4.0" in page


def test_community_groups_export_as_services_that_check_clean(tmp_path: Path) -> None:
    data = json.loads(RETURN.read_text(encoding="utf-8"))
    page = community_groups_as_services(data)
    names = [g["name"] for g in data["outputs"]["community_groups"]["groups"]]
    assert [s["name"] for s in page["contents"]] == names
    out = _write(tmp_path / "services.json", page)
    directory = read_directory(out)
    assert codes_of(directory) == []
    first = page["contents"][0]["id"]
    groups = data["outputs"]["community_groups"]["groups"]
    assert service_terms(directory, first, "intervention-type") == groups[0]["intervention_types"]
    assert json.loads(EXAMPLE.read_text(encoding="utf-8")) == page


def test_unknown_directory_ids_are_findings() -> None:
    directory = read_directory(EXAMPLE)
    known = next(iter(directory.service_ids))
    record = {
        "case_id": "C-0001",
        "support_offered": {
            "social_prescriptions": [
                {"directory_id": known},
                {"directory_id": "no-such-service"},
                {"intervention_type": "other"},
            ]
        },
    }
    findings = resolve_prescriptions(record, directory)
    assert [(f.code, f.path) for f in findings] == [
        ("SPC-D005", "/support_offered/social_prescriptions/1/directory_id")
    ]


def test_cli_directory_check_and_cases_check_with_a_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["directory", "check", str(EXAMPLE)]) == 0
    assert main(["directory", "check", str(tmp_path / "nothing")]) == 1
    record = json.loads(
        (REPO / "examples" / "cases" / "case-7f3a9c.json").read_text(encoding="utf-8")
    )
    known = next(iter(read_directory(EXAMPLE).service_ids))
    prescriptions = record["support_offered"]["social_prescriptions"]
    prescriptions[0]["directory_id"] = known
    extract = tmp_path / "cases.ndjson"
    extract.write_text(json.dumps(record) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["cases", "check", str(extract), "--directory", str(EXAMPLE)]) == 0
    prescriptions[-1]["directory_id"] = "unknown-group"
    extract.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert main(["cases", "check", str(extract), "--directory", str(EXAMPLE)]) == 1
    assert "SPC-D005" in capsys.readouterr().out
    assert main(["cases", "check", str(extract), "--directory", str(tmp_path / "none")]) == 2
    out = tmp_path / "services.json"
    assert main(["directory", "export", str(RETURN), "-o", str(out)]) == 0


def test_fill_five_ways_from_the_directory(tmp_path: Path) -> None:
    directory = read_directory(EXAMPLE)
    walking = next(
        i
        for i, e in directory.objects["service"].items()
        if e.data["name"] == "Riverside Walking Group"
    )
    record = json.loads(
        (REPO / "examples" / "cases" / "case-7f3a9c.json").read_text(encoding="utf-8")
    )
    prescription = record["support_offered"]["social_prescriptions"][0]
    prescription.pop("five_ways", None)
    prescription["directory_id"] = walking
    prescription["intervention_type"] = "befriending"
    extract = tmp_path / "cases.ndjson"
    extract.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "filled.ndjson"
    assert main(["directory", "fill", str(extract), str(EXAMPLE), "-o", str(out)]) == 0
    filled = json.loads(out.read_text(encoding="utf-8"))
    assert filled["support_offered"]["social_prescriptions"][0]["five_ways"] == [
        "be-active",
        "connect",
        "take-notice",
    ]
    from spcore.interop.directory import fill_from_directory

    assert [f.code for f in fill_from_directory(record, directory)[1]] == ["SPC-D007"]


_HSDS_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.just(SERVICE),
    lambda c: (
        st.lists(c, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "name",
                    "status",
                    "contents",
                    "services",
                    "organization",
                    "organization_id",
                    "locations",
                    "service_at_locations",
                    "taxonomy_terms",
                    "attributes",
                ]
            ),
            c,
            max_size=4,
        )
    ),
    max_leaves=20,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(_HSDS_JSON, st.sampled_from(["services.json", "organizations.json", "x.json"]))
def test_arbitrary_directory_files_never_raise(tmp_path: Path, value: Any, name: str) -> None:
    path = tmp_path / name
    path.write_text(json.dumps(value), encoding="utf-8")
    directory = read_directory(path)
    assert all(f.code.startswith("SPC-D") for f in directory.findings)
