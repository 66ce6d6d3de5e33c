"""Open data: the national dataset as CSV, XLSX and JSON, with its data dictionary.

Two tables, both built from the version in force of every scheme and quarter
with the small-number rule applied to each return
(:func:`spcore.aggregation.suppression.suppress`, primary and secondary):

* **wide** — one row per scheme and quarter, one column per dashboard
  figure and breakdown category;
* **long** — one row per scheme, quarter and field of the return (JSON
  Pointer, value, unit).

Free text (notes, cohort descriptions) is left out: it is the scheme's
commentary, not a figure. The data dictionary is generated from the
``quarterly-return`` schema (titles and descriptions) and the figure specs.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from spcore.aggregation.suppression import DEFAULT_RULE, resolve, suppress
from spcore.findings import escape_pointer_token
from spcore.hub.dashboard import (
    BREAKDOWNS,
    COMMUNITY_FIGURES,
    OUTPUTS,
    SYSTEM_FIGURES,
    figure_value,
)
from spcore.spreadsheets.layout import layout

#: Fields of a return never published: commentary in the scheme's own words.
FREE_TEXT = ("/notes", "/impact_on_system/cohort_description", "/disclosure_control")

#: The columns that name the row in the wide table.
KEY_COLUMNS = ("scheme_id", "scheme_name", "commissioner_code", "period", "version")

FIGURES = (*OUTPUTS, *SYSTEM_FIGURES, *COMMUNITY_FIGURES)


def public_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """A return as published: the small-number rule applied, free text removed."""
    published = suppress(dict(document), DEFAULT_RULE)
    for pointer in FREE_TEXT:
        head, _, last = pointer.rpartition("/")
        try:
            parent = resolve(published, head) if head else published
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(parent, dict):
            parent.pop(last, None)
    return published


def _breakdown_columns(documents: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    columns = []
    for pointer, _ in BREAKDOWNS:
        codes: set[str] = set()
        for document in documents:
            try:
                cells = resolve(dict(document), pointer)
            except (KeyError, IndexError, TypeError):
                continue
            if isinstance(cells, dict):
                codes.update(cells)
        name = pointer.rsplit("/", 1)[1]
        columns += [
            (f"{name}.{code}", f"{pointer}/{escape_pointer_token(code)}") for code in sorted(codes)
        ]
    return columns


def wide_rows(
    entries: Sequence[tuple[str, int, Mapping[str, Any]]],
) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of the wide table from (period, version, published document)."""
    documents = [d for _, _, d in entries]
    breakdown = _breakdown_columns(documents)
    columns = [*KEY_COLUMNS, *(f.key for f in FIGURES), *(name for name, _ in breakdown)]
    rows = []
    for period, version, document in entries:
        scheme = document.get("scheme") or {}
        row: dict[str, Any] = {
            "scheme_id": scheme.get("id"),
            "scheme_name": scheme.get("name"),
            "commissioner_code": scheme.get("commissioner_code"),
            "period": period,
            "version": version,
        }
        for spec in FIGURES:
            row[spec.key] = figure_value(document, spec.pointer, spec.unit)
        for name, pointer in breakdown:
            row[name] = figure_value(document, pointer, None)
        rows.append(row)
    return columns, rows


def _leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        if set(node) == {"value", "unit"}:
            yield path, node
            return
        for key, value in node.items():
            yield from _leaves(value, f"{path}/{escape_pointer_token(key)}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{path}/{index}")
    else:
        yield path, node


LONG_COLUMNS = ("scheme_id", "period", "version", "pointer", "value", "unit")


def long_rows(entries: Sequence[tuple[str, int, Mapping[str, Any]]]) -> list[dict[str, Any]]:
    """Rows of the long table: one per scheme, quarter and field."""
    rows = []
    for period, version, document in entries:
        scheme_id = (document.get("scheme") or {}).get("id")
        for pointer, value in _leaves(document):
            if pointer in ("/$schema",):
                continue
            quantity = isinstance(value, dict)
            rows.append(
                {
                    "scheme_id": scheme_id,
                    "period": period,
                    "version": version,
                    "pointer": pointer,
                    "value": value["value"] if quantity else value,
                    "unit": value["unit"] if quantity else None,
                }
            )
    return rows


def data_dictionary() -> list[dict[str, str]]:
    """Every column of both tables: name, title, meaning, unit, and whether the rule applies."""
    described = {f.pointer: f for f in layout().fields()}
    rule = (
        f"{DEFAULT_RULE.id}: counts 1-{DEFAULT_RULE.threshold} withheld, others rounded to "
        f"the nearest {DEFAULT_RULE.rounding_base}"
    )
    rows = []
    for column, pointer in (
        ("scheme_id", "/scheme/id"),
        ("scheme_name", "/scheme/name"),
        ("commissioner_code", "/scheme/commissioner_code"),
        ("period", "/period"),
    ):
        field = described.get(pointer)
        rows.append(
            _entry(
                "wide",
                column,
                field.title if field else column,
                field.description if field else "",
                "",
                "",
            )
        )
    rows.append(
        _entry(
            "wide",
            "version",
            "Version",
            "The version of the scheme's return for the quarter that is in force "
            "(the newest accepted).",
            "",
            "",
        )
    )
    for spec in FIGURES:
        field = described.get(spec.pointer)
        meaning = field.description if field else ""
        rows.append(
            _entry(
                "wide",
                spec.key,
                spec.title,
                f"{meaning} ({spec.pointer})".strip(),
                spec.unit or "",
                rule if spec.people else "",
            )
        )
    for pointer, title in BREAKDOWNS:
        name = pointer.rsplit("/", 1)[1]
        rows.append(
            _entry(
                "wide",
                f"{name}.CODE",
                title,
                f"One column per code of {pointer}: the people counted against it.",
                "",
                rule,
            )
        )
    for column, meaning in (
        ("scheme_id", "The scheme identifier."),
        ("period", "The NHS financial quarter."),
        ("version", "The version in force."),
        ("pointer", "The JSON Pointer of the field in the return (see the field list below)."),
        ("value", "The field's value (null: withheld by the small-number rule)."),
        ("unit", "The unit of a quantity (FTE, GBP, minute, hour), else empty."),
    ):
        rows.append(_entry("long", column, column, meaning, "", ""))
    for field in layout().fields():
        if field.kind.value == "section":
            continue
        rows.append(
            _entry(
                "field", field.pointer, field.title, field.description, "/".join(field.units), ""
            )
        )
    for table in layout().tables:
        rows.append(_entry("field", table.pointer, table.title, table.description, "", ""))
    return rows


def _entry(
    table: str, column: str, title: str, description: str, unit: str, rule: str
) -> dict[str, str]:
    return {
        "table": table,
        "column": column,
        "title": title,
        "description": description,
        "unit": unit,
        "small_number_rule": rule,
    }


def to_csv(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows as CSV text (UTF-8, header first; None as an empty cell)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        # A spreadsheet would run it as a formula (OWASP: CSV injection).
        return "'" + value
    return value


def to_json(
    columns: Sequence[str], wide: Sequence[Mapping[str, Any]], long: Sequence[Mapping[str, Any]]
) -> str:
    """Both tables and the dictionary as one JSON document."""
    return json.dumps(
        {
            "columns": list(columns),
            "wide": list(wide),
            "long": list(long),
            "dictionary": data_dictionary(),
        },
        ensure_ascii=False,
        indent=1,
    )


def to_xlsx(
    columns: Sequence[str], wide: Sequence[Mapping[str, Any]], long: Sequence[Mapping[str, Any]]
) -> bytes:
    """Both tables and the dictionary as a workbook (three sheets)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for title, names, rows in (
        ("Wide", list(columns), wide),
        ("Long", list(LONG_COLUMNS), long),
        (
            "Dictionary",
            ["table", "column", "title", "description", "unit", "small_number_rule"],
            data_dictionary(),
        ),
    ):
        sheet = book.create_sheet(title)
        sheet.append(names)
        for row in rows:
            sheet.append([_cell(row.get(n)) for n in names])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
