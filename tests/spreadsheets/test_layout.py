"""The layout covers every field of the schema, and the template shows every one of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from spcore import schemas
from spcore.spreadsheets import layout, write_template
from spcore.spreadsheets.layout import MAX_SHEET_NAME, Kind, TableShape
from spcore.spreadsheets.reading import FORM_COLUMNS, TABLE_KEY_ROW, TABLE_PATH_ROW


def _schema_paths() -> set[str]:
    """Every property path of the return schema, found by walking it independently.

    A breakdown's codes are ``*`` and a list's entries ``#``; quantities are
    one field (their value and unit share a row).
    """
    schema = schemas.load("quarterly-return")
    resolver = schemas.registry().resolver(base_uri=schema["$id"])
    found: set[str] = set()

    def walk(node: Any, path: str, res: Any) -> None:
        while True:
            if "$ref" in node:
                resolved = res.lookup(node["$ref"])
                node, res = resolved.contents, resolved.resolver
            elif "anyOf" in node:
                node = next(b for b in node["anyOf"] if b != {"type": "null"})
            else:
                break
        props = node.get("properties", {})
        if set(props) == {"value", "unit"}:
            found.add(path)
        elif props:
            for key, sub in props.items():
                found.add(f"{path}/{key}")
                walk(sub, f"{path}/{key}", res)
        elif "additionalProperties" in node and isinstance(node["additionalProperties"], dict):
            walk(node["additionalProperties"], f"{path}/*", res)
        elif node.get("type") == "array" and "properties" in _items(node, res):
            walk(node["items"], f"{path}/#", res)

    walk(schema, "", resolver)
    return found


def _items(node: dict[str, Any], res: Any) -> dict[str, Any]:
    items = node.get("items", {})
    if "$ref" in items:
        contents: dict[str, Any] = res.lookup(items["$ref"]).contents
        return contents
    return items  # type: ignore[no-any-return]


def _layout_paths() -> set[str]:
    shape = layout()
    found = {f.pointer for f in shape.fields()}
    for table in shape.tables:
        if table.shape is TableShape.BREAKDOWN:
            found.add(f"{table.pointer}/*")
        elif table.shape is TableShape.OBJECTS:
            found |= {f"{table.pointer}/#/{'/'.join(c.tokens)}" for c in table.columns}
    return found


def test_every_schema_field_is_in_the_layout() -> None:
    missing = _schema_paths() - _layout_paths()
    assert not missing, f"fields with no place in the spreadsheet: {sorted(missing)}"


def test_known_fields_are_laid_out_as_expected() -> None:
    shape = layout()
    fields = {f.pointer: f for f in shape.fields()}
    assert fields["/outputs/people_referred"].kind is Kind.INTEGER
    assert fields["/outputs/people_referred"].required
    assert fields["/outputs/link_workers/fte"].units == ("FTE", "hour_per_week")
    assert fields["/scheme/model"].kind is Kind.CODE
    assert fields["/scheme/benefit_domains"].kind is Kind.CODES
    assert fields["/prepared_on"].kind is Kind.DATE
    tables = {t.pointer: t for t in shape.tables}
    age = tables["/outputs/referred_by_age_band"]
    assert age.shape is TableShape.BREAKDOWN
    assert [c.code for c in age.codes][:2] == ["0-17", "18-24"]
    groups = tables["/outputs/community_groups/groups"]
    assert [c.tokens[0] for c in groups.columns][:2] == ["name", "directory_id"]


def test_sheet_names_are_unique_and_valid_for_excel() -> None:
    names = layout().sheet_names()
    assert len(set(names)) == len(names)
    assert all(0 < len(n) <= MAX_SHEET_NAME and not set(n) & set("[]:*?/\\") for n in names)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.xlsx"
    write_template(path)
    return path


def test_template_shows_every_field(template: Path) -> None:
    wb = load_workbook(template)
    path_column = FORM_COLUMNS.index("Path") + 1
    shown: set[str] = set()
    for form in layout().forms:
        ws = wb[form.name]
        assert [c.value for c in ws[1]] == list(FORM_COLUMNS)
        shown |= {ws.cell(r, path_column).value for r in range(2, ws.max_row + 1)}
    for table in layout().tables:
        ws = wb[table.name]
        assert ws.cell(TABLE_PATH_ROW, 2).value == table.pointer
        keys = {ws.cell(TABLE_KEY_ROW, c).value for c in range(1, ws.max_column + 1)}
        prefix = f"{table.pointer}/#/" if table.shape is TableShape.OBJECTS else ""
        shown |= {f"{prefix}{k}" for k in keys if "/unit" not in str(k)}
        shown |= {f"{table.pointer}/*"} if table.shape is TableShape.BREAKDOWN else set()
    assert _schema_paths() - {p.removesuffix("/value") for p in shown if p} == set()


def test_template_has_readme_dropdowns_formats_and_frozen_headings(template: Path) -> None:
    wb = load_workbook(template)
    assert wb.sheetnames[0] == "README"
    assert "spcore validate" in " ".join(str(c.value) for c in wb["README"]["A"])
    assert wb["Lists"].sheet_state == "hidden"
    outputs = wb["Outputs"]
    assert outputs.freeze_panes == "B2"
    formulas = {dv.formula1 for dv in outputs.data_validations.dataValidation}
    assert '"GBP,penny"' in formulas
    assert '"FTE,hour_per_week"' in formulas
    scheme = wb["Scheme"]
    assert any(
        str(dv.formula1).startswith("=Lists!") for dv in scheme.data_validations.dataValidation
    )
    description = FORM_COLUMNS.index("Description") + 1
    assert outputs.cell(3, description).value.startswith("Output 1")
    assert outputs.cell(3, 2).number_format == "#,##0"
    assert wb["Return"].cell(3, 2).value == "0.2"  # the fixed standard version is filled in
    instruments = wb["Instruments"]
    assert instruments.freeze_panes == "A6"
    (check,) = instruments.data_validations.dataValidation
    assert str(check.formula1).startswith("=Lists!")
    assert str(check.sqref) == "A6:A205"
