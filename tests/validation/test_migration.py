"""A return written for standard 0.1 is told which version it was written for and what to change."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from spcore._version import STANDARD_VERSION
from spcore.validation import validate_return
from spcore.validation.migration import MIGRATIONS

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "examples/returns/northshire-connect-2025-26-Q2.json").read_text())


def version_0_1() -> dict[str, Any]:
    """The example as it was written for 0.1: one staff survey, loneliness as a mean."""
    doc = copy.deepcopy(EXAMPLE)
    doc["standard_version"] = "0.1"
    doc["$schema"] = "https://spcore.dev/schema/0.1/quarterly-return.schema.json"
    system = doc["impact_on_system"]
    system["staff_morale"] = system["staff_morale"]["general_practice"]
    del system["social_care_packages"]
    lonely = doc["impact_on_person"]["instruments"][2]
    for name in ("baseline_by_category", "follow_up_by_category"):
        del lonely[name]
    for name in ("people_moved_better", "people_moved_worse"):
        del lonely[name]
    lonely.update({"mean_baseline": 2.67, "mean_follow_up": 3.1, "people_improved": 29})
    return doc


def test_a_0_1_return_is_told_its_version_and_each_change() -> None:
    report = validate_return(version_0_1())
    migration = {f.path: f for f in report.findings if f.code == "SPC-S010"}
    assert set(migration) == {
        "/standard_version",
        "/impact_on_system/staff_morale",
        "/impact_on_person/instruments/2",
    }
    assert all(f.severity.value == "error" for f in migration.values())
    head = migration["/standard_version"].message
    assert "written for version 0.1" in head
    assert f'standard_version to "{STANDARD_VERSION}"' in head
    assert "general_practice" in migration["/impact_on_system/staff_morale"].message
    lonely = migration["/impact_on_person/instruments/2"].message
    assert "baseline_by_category" in lonely
    assert "often-always" in lonely
    # The fixed value that differs is explained by the migration finding, not repeated.
    assert not [f for f in report.findings if f.code == "SPC-S004"]


def test_the_changes_listed_make_it_a_valid_return() -> None:
    doc = version_0_1()
    doc["standard_version"] = STANDARD_VERSION
    doc["$schema"] = EXAMPLE["$schema"]
    system = doc["impact_on_system"]
    system["staff_morale"] = {"general_practice": system["staff_morale"]}
    lonely = doc["impact_on_person"]["instruments"][2]
    for name in ("mean_baseline", "mean_follow_up", "people_improved"):
        del lonely[name]
    for name in (
        "baseline_by_category",
        "follow_up_by_category",
        "people_moved_better",
        "people_moved_worse",
    ):
        lonely[name] = EXAMPLE["impact_on_person"]["instruments"][2][name]
    assert validate_return(doc).is_valid


def test_a_current_return_or_an_unknown_version_gets_no_migration_finding() -> None:
    assert not [f for f in validate_return(EXAMPLE).findings if f.code == "SPC-S010"]
    doc = copy.deepcopy(EXAMPLE)
    doc["standard_version"] = "7.3"
    codes = [f.code for f in validate_return(doc).findings]
    assert "SPC-S010" not in codes
    assert "SPC-S004" in codes


def test_the_changelog_describes_every_migration() -> None:
    changelog = (ROOT / "docs/changelog.md").read_text(encoding="utf-8")
    assert "### Migrating a return" in changelog
    for version in MIGRATIONS:
        assert f"written for {version}" in changelog
