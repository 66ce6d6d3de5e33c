"""Reference pages for the schemas and codelists, generated from the bundled files.

Every page here is built from :mod:`spcore.schemas` and the codelist CSVs at
documentation build time; nothing is copied by hand, so the pages cannot drift
from what :func:`spcore.validate_return` enforces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from spcore import schemas
from spcore.docs_site import markdown as md
from spcore.docs_site.schema_fields import FieldRow, definition_fields, document_fields
from spcore.framework import bibliography, codelists

#: Folder of the generated reference pages, relative to the docs root.
ROOT = "reference"

#: Plain-English titles of the published schemas (falls back to the schema's title).
SCHEMA_TITLES: dict[str, str] = {
    "quarterly-return": "Quarterly return",
    "case-record": "Case record",
    "eligibility-rules": "Eligibility rule file",
    "common": "Common definitions",
}


def _citation_key() -> re.Pattern[str]:
    keys = sorted(bibliography.sources(), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w-])")


def schema_title(name: str) -> str:
    """The page title of schema ``name``."""
    return SCHEMA_TITLES.get(name) or str(schemas.load(name).get("title", name))


def sources_markdown(source: str, to_root: str) -> str:
    """A codelist ``Source`` cell with each citation key linked to the sources page."""
    link = f"{to_root}standard/sources.md"
    return _citation_key().sub(lambda m: f"[{m.group(1)}]({link}#{m.group(1)})", md.cell(source))


def _codes_cell(row: FieldRow) -> str:
    parts = []
    if row.key_codelist:
        parts.append(f"keys: {_codelist_link(row.key_codelist)}")
    if row.codelist:
        parts.append(_codelist_link(row.codelist))
    if row.values:
        parts.append(", ".join(md.code(v) for v in row.values))
    return "; ".join(parts)


def _codelist_link(name: str) -> str:
    return f"[{codelists.CODELISTS[name].title}](../codelists/{name}.md)"


def _required_cell(row: FieldRow) -> str:
    if not row.required:
        return "no"
    return "yes, in this form" if row.alternative else "yes"


def field_table(rows: list[FieldRow]) -> list[str]:
    """The Markdown table of ``rows``: path, title, type, required, codes, description, example."""
    return md.table(
        ("Path", "Title", "Type", "Required", "Allowed codes", "Description", "Example"),
        (
            (
                md.code(row.path or "/"),
                md.cell(row.title),
                md.cell(row.type),
                _required_cell(row),
                _codes_cell(row),
                md.cell(row.description),
                md.code(row.example) if row.example else "",
            )
            for row in rows
        ),
    )


_PATHS_NOTE = (
    "Paths are JSON Pointers into the document, the same pointers findings use; "
    "`*` stands for any position in a list or any key of a map. A field the "
    "standard does not define is refused."
)
_FORMS_NOTE = (
    "Where a value takes one of several forms, the fields of every form are listed; "
    "*yes, in this form* means required when that form is used."
)


def schema_page(name: str, example: Any = None, example_name: str = "") -> str:
    """The reference page of one published schema: what it is and every field."""
    schema = schemas.load(name)
    lines = [
        f"# {schema_title(name)}",
        "",
        md.text(str(schema.get("description", ""))),
        "",
        f"- Schema `$id`: `{schema['$id']}`",
        f"- Download: [{name}.schema.json]({name}.schema.json) (JSON Schema draft 2020-12)",
        f"- Show it from the command line: `spcore schema show {name}`",
    ]
    if example_name:
        lines.append(f"- The Example column comes from `{example_name}`.")
    lines.append("")
    if "properties" in schema:
        rows = document_fields(name, example)
        lines += ["## Fields", "", _PATHS_NOTE]
        if any(row.alternative for row in rows):
            lines.append(_FORMS_NOTE)
        lines += ["", *field_table(rows)]
    # The common schema has no document root: it is a library of definitions.
    shared = schema.get("$defs", {}) if "properties" not in schema else {}
    for definition, node in shared.items():
        lines += ["", f"## {definition}", "", md.text(str(node.get("description", ""))), ""]
        if "codelist" in node:
            lines.append(f"Codes: {_codelist_link(node['codelist'].removesuffix('.csv'))}.")
        rows = definition_fields(name, definition)
        if rows:
            lines += ["Paths are relative to the object.", "", *field_table(rows)]
    return md.page(lines)


def schema_index() -> str:
    """The index of the published schemas."""
    rows = [
        (
            f"[{schema_title(n)}]({n}.md)",
            md.code(schemas.schema_id(n)),
            md.cell(str(schemas.load(n).get("description", ""))),
        )
        for n in schemas.names()
    ]
    return md.page(
        [
            "# Schemas",
            "",
            "The standard is published as JSON Schemas (draft 2020-12). Each page below "
            "lists every field: its path, type, whether it is required, the codes it "
            "allows and an example. `$ref`s between the schemas use their `$id`s; "
            "spcore resolves them from the bundled files, never over the network.",
            "",
            *md.table(("Schema", "$id", "What it describes"), rows),
        ]
    )


def _usage() -> dict[str, list[tuple[str, str]]]:
    """Codelist name -> (schema, path) of every field that uses it."""
    used: dict[str, list[tuple[str, str]]] = {}
    for name in schemas.names():
        if "properties" not in schemas.load(name):
            continue
        for row in document_fields(name):
            for codelist in (row.codelist, row.key_codelist):
                if codelist:
                    used.setdefault(codelist, []).append((name, row.path))
    return used


def codelist_page(name: str, used_by: list[tuple[str, str]]) -> str:
    """The page of one codelist: what it is for, where it is used, every code."""
    codelist = codelists.load(name)
    info = codelist.info
    kind = (
        "Open: the sources give examples rather than a complete list; use `other` "
        "and free text for anything else."
        if info.open
        else "Closed: use these codes and no others."
    )
    lines = [f"# {info.title}", "", md.text(info.description), "", kind, ""]
    lines.append(f"Codelist file: `src/spcore/framework/codelists/{name}.csv`.")
    if used_by:
        lines += ["", "Used by:", ""]
        lines += [
            f"- [{schema_title(s)}](../schemas/{s}.md): {md.code(path)}" for s, path in used_by
        ]
    deprecated = any(c.deprecated for c in codelist.codes)
    header = ["Code", "Title", "Description", "Source"] + (["Deprecated"] if deprecated else [])
    rows = []
    for c in codelist.codes:
        row = [md.code(c.code), md.cell(c.title), md.cell(c.description)]
        row.append(sources_markdown(c.source, "../../"))
        if deprecated:
            row.append(md.cell(c.deprecated))
        rows.append(row)
    lines += ["", "## Codes", "", *md.table(header, rows)]
    return md.page(lines)


def codelist_index() -> str:
    """The index of every codelist."""
    rows = [
        (
            f"[{info.title}]({name}.md)",
            md.code(name),
            md.cell(info.description),
            "open" if info.open else "closed",
            str(len(codelists.load(name).codes)),
        )
        for name, info in codelists.CODELISTS.items()
    ]
    return md.page(
        [
            "# Codelists",
            "",
            "A codelist is the set of codes a field may take. Each is one CSV file "
            "(`Code,Title,Description,Source`) from which the Python enums, the schemas' "
            "`enum`s and these pages are all generated. *Closed* lists are complete; "
            "*open* lists hold the examples the sources give and an `other` code.",
            "",
            *md.table(("Codelist", "Name", "What it is for", "Open or closed", "Codes"), rows),
        ]
    )


def pages(examples: Mapping[str, tuple[str, Any]] | None = None) -> dict[str, str]:
    """Schema and codelist pages: path under the docs root -> Markdown.

    ``examples`` maps a schema name to ``(file name, parsed document)`` used for
    the Example column.
    """
    examples = examples or {}
    out = {f"{ROOT}/schemas/index.md": schema_index()}
    for name in schemas.names():
        example_name, example = examples.get(name, ("", None))
        out[f"{ROOT}/schemas/{name}.md"] = schema_page(name, example, example_name)
    used = _usage()
    out[f"{ROOT}/codelists/index.md"] = codelist_index()
    for name in codelists.CODELISTS:
        out[f"{ROOT}/codelists/{name}.md"] = codelist_page(name, used.get(name, []))
    return out


def schema_files() -> dict[str, str]:
    """The schema files themselves, published beside their pages: path -> JSON text."""
    return {f"{ROOT}/schemas/{n}.schema.json": schemas.text(n) for n in schemas.names()}
