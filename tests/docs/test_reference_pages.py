"""The generated reference pages document every schema field, code and finding code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import spcore.docs_site
from spcore import schemas
from spcore.docs_site import findings, reference
from spcore.docs_site.schema_fields import (
    definition_fields,
    document_fields,
    property_locations,
)
from spcore.framework import codelists

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return spcore.docs_site.pages(REPO)


def _all_rows(name: str) -> list[spcore.docs_site.schema_fields.FieldRow]:
    schema = schemas.load(name)
    if "properties" in schema:
        return document_fields(name)
    return [row for d in schema.get("$defs", {}) for row in definition_fields(name, d)]


@pytest.mark.parametrize("name", schemas.names())
def test_every_property_of_every_schema_has_a_row(name: str) -> None:
    # property_locations scans the raw JSON; the rows come from the walker.
    documented = {row.source for row in _all_rows(name)}
    missing = sorted(set(property_locations(name)) - documented)
    assert not missing, f"{name}: properties with no row in the reference: {missing}"


@pytest.mark.parametrize("name", schemas.names())
def test_every_field_path_is_on_the_schema_page(name: str, pages: dict[str, str]) -> None:
    page = pages[f"reference/schemas/{name}.md"]
    for row in _all_rows(name):
        assert f"`{row.path or '/'}`" in page, row.path


def test_quarterly_return_paths_are_json_pointers_a_finding_would_use(
    pages: dict[str, str],
) -> None:
    page = pages["reference/schemas/quarterly-return.md"]
    for path in (
        "/period",
        "/outputs/people_referred",
        "/outputs/referred_by_age_band",
        "/outputs/community_groups/groups/*/name",
        "/outputs/total_investment/amount/unit",
        "/impact_on_system/gp_consultations/before",
    ):
        assert f"| `{path}` |" in page


def test_a_row_gives_type_required_codes_and_example(pages: dict[str, str]) -> None:
    page = pages["reference/schemas/quarterly-return.md"]
    # The row of output 2: a map keyed by the age-band codelist, from the example return.
    row = next(line for line in page.splitlines() if "| `/outputs/referred_by_age_band` |" in line)
    assert "map from code to whole number, 0 to 100,000,000" in row
    assert "| yes |" in row
    assert "[Age band](../codelists/age-band.md)" in row
    people = next(line for line in page.splitlines() if "| `/outputs/people_referred` |" in line)
    assert people.rstrip().endswith("| `240` |")  # examples/returns/northshire-connect...
    money = next(
        line for line in page.splitlines() if "| `/outputs/total_investment/amount` |" in line
    )
    assert "quantity: value with unit (GBP, penny)" in money


def test_recursive_rule_schema_is_finite_and_points_back(pages: dict[str, str]) -> None:
    rows = document_fields("eligibility-rules")
    by_path = {row.path: row for row in rows}
    assert by_path["/rule/all/*"].type == "one of the 19 forms at `/rule`"
    assert by_path["/rule/age"].alternative
    assert by_path["/rule/age"].required
    assert not by_path["/rule/age/at_least"].alternative


@pytest.mark.parametrize("name", list(codelists.CODELISTS))
def test_every_code_is_on_its_codelist_page(name: str, pages: dict[str, str]) -> None:
    page = pages[f"reference/codelists/{name}.md"]
    for code in codelists.load(name).codes:
        row = next(
            (line for line in page.splitlines() if line.startswith(f"| `{code.code}` |")), ""
        )
        assert row, f"{name}: code {code.code} has no row"
        assert code.title.replace("|", "\\|") in row


def test_codelist_sources_link_to_the_sources_page() -> None:
    cell = reference.sources_markdown("hlp-2017 §2.1; spsc-wiki", "../../")
    assert cell == (
        "[hlp-2017](../../standard/sources.md#hlp-2017) §2.1; "
        "[spsc-wiki](../../standard/sources.md#spsc-wiki)"
    )


def test_every_finding_code_of_every_area_is_listed(pages: dict[str, str]) -> None:
    from spcore import eligibility, instruments, rag, validation
    from spcore.instruments import eq5d

    page = pages["reference/findings.md"]
    for codes in (
        validation.FINDING_CODES,
        rag.FINDING_CODES,
        eligibility.FINDING_CODES,
        instruments.FINDING_CODES,
        eq5d.FINDING_CODES,
    ):
        for code in codes:
            assert f"| `{code}` |" in page, code


def test_areas_not_installed_are_left_out() -> None:
    assert findings.optional_module("spcore.no_such_area") is None
    assert findings.area_codes("spcore.no_such_area") == {}


def test_instrument_and_api_pages_are_generated(pages: dict[str, str]) -> None:
    assert "instruments/swemwbs.md" in pages
    assert pages["api/spcore.md"] == "# `spcore`\n\n::: spcore\n"


def test_schema_files_are_published_beside_their_pages() -> None:
    files = spcore.docs_site.files()
    for name in schemas.names():
        assert files[f"reference/schemas/{name}.schema.json"] == schemas.text(name)


@given(st.text())
def test_a_table_cell_never_breaks_its_row(value: str) -> None:
    from spcore.docs_site import markdown as md

    cell = md.cell(value)
    assert "\n" not in cell
    assert "\r" not in cell
    # Every pipe follows an odd number of backslashes (it is escaped), so the
    # table keeps its columns.
    for match in re.finditer(r"(\\*)\|", cell):
        assert len(match.group(1)) % 2 == 1, cell


def test_validation_rules_page_lists_every_validation_code(pages: dict[str, str]) -> None:
    from spcore import validation

    page = pages["reference/validation-rules.md"]
    assert page.startswith("# Validation rules\n")
    assert page.count("\n# ") == 0  # one title only
    for code in validation.FINDING_CODES:
        assert f"`{code}`" in page, code
