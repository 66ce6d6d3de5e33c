"""Where every field of a quarterly return goes in a spreadsheet, derived from the schema.

Nothing here lists fields by hand: the layout is built by walking the bundled
``quarterly-return`` JSON Schema (``$ref``s resolved offline through
:func:`spcore.schemas.registry`), so a field added to the standard appears in
the template, the readers and the writers without further change.

The shape:

* every top-level object (``scheme``, ``outputs``, ``monitoring``, ...) is a
  **form sheet** with one row per field; top-level scalars go on the sheet
  ``Return``. Nested objects are heading rows on their parent's sheet;
  quantities (money, durations, staff time) are one row with a value and a
  unit.
* every **breakdown** (an object keyed by a codelist, such as
  ``referred_by_age_band``) is a **table sheet** with one row per code;
* every **list** of objects (community groups, instrument summaries) or of
  free text is a table sheet with one row per entry; a breakdown inside an
  entry (people by category of an instrument's score) is a heading column
  and one column per code.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs

from spcore import schemas
from spcore.findings import pointer
from spcore.schemas.resolving import ResolvedNode, resolve_node, resolver_for

if TYPE_CHECKING:
    from spcore.schemas.resolving import Resolver

RETURN_SCHEMA = "quarterly-return"

#: Sheet holding the top-level scalars (standard version, period, notes...).
ROOT_SHEET = "Return"

#: Excel refuses sheet names longer than 31 characters (Microsoft, "Rename a
#: worksheet": "Names cannot ... contain more than 31 characters").
MAX_SHEET_NAME = 31


class Kind(enum.StrEnum):
    """How a value is written in one cell (or, for a quantity, a value and a unit cell)."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"
    CODE = "code"
    CODES = "codes"  # a list of codes, written "a, b, c" in one cell
    QUANTITY = "quantity"  # {"value": number, "unit": code}
    JSON = "json"  # any other shape, written as JSON text
    SECTION = "section"  # an object: a heading row
    TABLE = "table"  # a breakdown or list held on its own sheet: a pointer row


@attrs.frozen
class Code:
    """One allowed code and what it means."""

    code: str
    meaning: str


@attrs.frozen
class Field:
    """One value in the return, with everything the schema says about it.

    ``tokens`` is the JSON Pointer as reference tokens: absolute for a form
    row, relative to the entry for a table column.
    """

    tokens: tuple[str, ...]
    title: str
    description: str
    kind: Kind
    required: bool = False
    nullable: bool = False
    codes: tuple[Code, ...] = ()
    units: tuple[str, ...] = ()
    default_unit: str | None = None
    minimum: float | None = None
    unit_required: bool = False
    table: str | None = None  # for TABLE rows: the sheet that holds it

    @property
    def pointer(self) -> str:
        """The field's JSON Pointer."""
        return pointer(*self.tokens)


@attrs.frozen
class FormSheet:
    """A sheet with one row per field."""

    name: str
    tokens: tuple[str, ...]
    title: str
    description: str
    rows: tuple[Field, ...]


class TableShape(enum.StrEnum):
    """What a table sheet holds."""

    BREAKDOWN = "breakdown"  # an object keyed by a codelist: one row per code
    OBJECTS = "objects"  # a list of objects: one row per entry
    VALUES = "values"  # a list of scalars: one row per entry


@attrs.frozen
class TableSheet:
    """A sheet with one row per code (breakdown) or per entry (list).

    For a breakdown, ``columns`` holds one field: the value counted against
    each code (its ``tokens`` are empty). For a list of objects it holds one
    field per property of an entry, with tokens relative to the entry.
    """

    name: str
    tokens: tuple[str, ...]
    title: str
    description: str
    shape: TableShape
    columns: tuple[Field, ...]
    codes: tuple[Code, ...] = ()
    max_entries: int | None = None

    @property
    def pointer(self) -> str:
        """The JSON Pointer of the breakdown or list."""
        return pointer(*self.tokens)


@attrs.frozen
class Layout:
    """Every sheet of the spreadsheet form of a return."""

    forms: tuple[FormSheet, ...]
    tables: tuple[TableSheet, ...]

    def fields(self) -> Iterator[Field]:
        """Every form row, sheet by sheet."""
        for sheet in self.forms:
            yield from sheet.rows

    def sheet_names(self) -> tuple[str, ...]:
        """Every data sheet's name, forms first."""
        return tuple(s.name for s in self.forms) + tuple(t.name for t in self.tables)

    def requirement(self, field: Field) -> str:
        """What the Required column says: ``yes``, ``if <section> is given``, or nothing.

        A field the schema requires inside an optional section (the cohort
        size of the impact on the system) is needed only when that section is.
        """
        if not field.required:
            return ""
        sections = {f.tokens: f for f in self.fields() if f.kind is Kind.SECTION}
        for depth in range(len(field.tokens) - 1, 0, -1):
            parent = sections.get(field.tokens[:depth])
            if parent is not None and not parent.required:
                return f"if '{parent.title}' is given"
        return "yes"


def _codes(node: ResolvedNode) -> tuple[Code, ...]:
    values = node.schema.get("enum")
    if not isinstance(values, list):
        const = node.schema.get("const")
        return (Code(str(const), ""),) if isinstance(const, str) else ()
    meanings = node.schema.get("enumDescriptions") or [""] * len(values)
    return tuple(Code(str(v), str(m)) for v, m in zip(values, meanings, strict=False))


def _is_quantity(node: ResolvedNode) -> bool:
    props = node.schema.get("properties")
    if not isinstance(props, dict) or set(props) != {"value", "unit"}:
        return False
    unit = resolve_node(props["unit"], node.resolver)
    return bool(_codes(unit))


def _scalar_kind(node: ResolvedNode) -> Kind:
    s = node.schema
    if _codes(node):
        return Kind.CODE
    kind = s.get("type")
    if kind == "string":
        return Kind.DATE if s.get("format") == "date" else Kind.TEXT
    if kind == "integer":
        return Kind.INTEGER
    if kind == "number":
        return Kind.NUMBER
    if kind == "boolean":
        return Kind.BOOLEAN
    return Kind.JSON


#: Words written in capitals in sheet names (``rag_caseload_at_end`` -> "RAG caseload at end").
_ACRONYMS = frozenset({"rag", "gp", "fte", "ae", "nhs"})


def _humanise(key: str) -> str:
    words = key.replace("_", " ").replace("-", " ").split() or [key]
    words = [w.upper() if w in _ACRONYMS else w for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _heading(node: ResolvedNode, tokens: tuple[str, ...], required: bool) -> Field:
    """The heading row (or column) of an object: its title, and markers only."""
    return Field(
        tokens=tokens,
        title=str(node.schema.get("title") or _humanise(tokens[-1])),
        description=str(node.schema.get("description", "")),
        kind=Kind.SECTION,
        required=required,
        nullable=node.nullable,
    )


@attrs.define
class _Builder:
    forms: list[FormSheet] = attrs.field(factory=list)
    tables: list[TableSheet] = attrs.field(factory=list)
    used_names: set[str] = attrs.field(factory=set)

    def sheet_name(self, tokens: tuple[str, ...]) -> str:
        """A unique sheet name from the last key(s) of the pointer, within Excel's limit."""
        for depth in range(1, len(tokens) + 1):
            name = _humanise(" ".join(tokens[-depth:]))[:MAX_SHEET_NAME].strip()
            for bad in "[]:*?/\\":
                name = name.replace(bad, " ")
            if name not in self.used_names and name.lower() not in {"readme", "lists"}:
                self.used_names.add(name)
                return name
        n = 2
        while f"Sheet {n}" in self.used_names:
            n += 1
        self.used_names.add(f"Sheet {n}")
        return f"Sheet {n}"

    def field(self, node: ResolvedNode, tokens: tuple[str, ...], required: bool) -> Field:
        """Classify one property that is written in a single row or column."""
        s = node.schema
        title = str(s.get("title") or _humanise(tokens[-1] if tokens else "value"))
        base = Field(
            tokens=tokens,
            title=title,
            description=str(s.get("description", "")),
            kind=Kind.JSON,
            required=required,
            nullable=node.nullable,
        )
        if s.get("type") == "object" and _is_quantity(node):
            props = s["properties"]
            unit = resolve_node(props["unit"], node.resolver)
            value = resolve_node(props["value"], node.resolver)
            return attrs.evolve(
                base,
                kind=Kind.QUANTITY,
                units=tuple(c.code for c in _codes(unit)),
                default_unit=unit.schema.get("default"),
                minimum=value.schema.get("minimum"),
                unit_required="unit" in s.get("required", []),
            )
        if s.get("type") == "array":
            items = resolve_node(s.get("items", {}), node.resolver)
            if _codes(items):
                return attrs.evolve(base, kind=Kind.CODES, codes=_codes(items))
        if s.get("type") in ("object", "array"):
            return base
        return attrs.evolve(
            base, kind=_scalar_kind(node), codes=_codes(node), minimum=s.get("minimum")
        )

    def walk_object(
        self, node: ResolvedNode, tokens: tuple[str, ...], rows: list[Field], required: bool
    ) -> None:
        """Add a heading row for an object, then a row (or a table) for each property."""
        rows.append(_heading(node, tokens, required))
        self.walk_properties(node, tokens, rows)

    def walk_properties(
        self, node: ResolvedNode, tokens: tuple[str, ...], rows: list[Field]
    ) -> None:
        """Lay out each property of an object on the current form sheet."""
        needed = set(node.schema.get("required", []))
        for key, sub in node.schema.get("properties", {}).items():
            child = resolve_node(sub, node.resolver)
            path = (*tokens, key)
            if self.is_table(child):
                table = self.table(child, path)
                rows.append(
                    Field(
                        tokens=path,
                        title=table.title,
                        description=table.description,
                        kind=Kind.TABLE,
                        required=key in needed,
                        nullable=child.nullable,
                        table=table.name,
                    )
                )
            elif child.schema.get("type") == "object" and not _is_quantity(child):
                self.walk_object(child, path, rows, key in needed)
            else:
                rows.append(self.field(child, path, key in needed))

    @staticmethod
    def is_table(node: ResolvedNode) -> bool:
        """Breakdowns, and lists of anything but codes, get a sheet of their own."""
        s = node.schema
        if s.get("type") == "object":
            return "propertyNames" in s and "additionalProperties" in s
        if s.get("type") == "array":
            return not _codes(resolve_node(s.get("items", {}), node.resolver))
        return False

    def table(self, node: ResolvedNode, tokens: tuple[str, ...]) -> TableSheet:
        """Lay out a breakdown or a list on a sheet of its own."""
        s = node.schema
        name = self.sheet_name(tokens)
        title = str(s.get("title") or _humanise(tokens[-1]))
        description = str(s.get("description", ""))
        if s.get("type") == "object":
            keys = resolve_node(s["propertyNames"], node.resolver)
            value = self.field(resolve_node(s["additionalProperties"], node.resolver), (), True)
            value = attrs.evolve(value, title="Value" if value.kind != Kind.QUANTITY else "Amount")
            return self.add(
                TableSheet(
                    name, tokens, title, description, TableShape.BREAKDOWN, (value,), _codes(keys)
                )
            )
        items = resolve_node(s.get("items", {}), node.resolver)
        if items.schema.get("type") == "object" and "properties" in items.schema:
            needed = set(items.schema.get("required", []))
            columns = tuple(
                column
                for key, sub in items.schema["properties"].items()
                for column in self.columns(resolve_node(sub, items.resolver), (key,), key in needed)
            )
            shape = TableShape.OBJECTS
        else:
            columns = (attrs.evolve(self.field(items, (), True), title="Value"),)
            shape = TableShape.VALUES
        max_entries = s.get("maxItems")
        return self.add(
            TableSheet(name, tokens, title, description, shape, columns, (), max_entries)
        )

    def columns(
        self, node: ResolvedNode, tokens: tuple[str, ...], required: bool
    ) -> Iterator[Field]:
        """The column(s) of one property of a list entry.

        A breakdown inside an entry (the people in each category of an
        instrument's score) spreads over a heading column, which holds only
        ``null`` or ``{}`` markers, and one column per code, so that every
        count has a cell of its own.
        """
        s = node.schema
        codes = (
            _codes(resolve_node(s["propertyNames"], node.resolver))
            if self.is_table(node) and s.get("type") == "object"
            else ()
        )
        if not codes:
            yield self.field(node, tokens, required)
            return
        heading = _heading(node, tokens, required)
        yield heading
        value = self.field(resolve_node(s["additionalProperties"], node.resolver), (), False)
        for code in codes:
            label = code.meaning.split(":")[0] if code.meaning else code.code
            yield attrs.evolve(
                value,
                tokens=(*tokens, code.code),
                title=f"{heading.title}: {label}",
                description=code.meaning,
            )

    def add(self, table: TableSheet) -> TableSheet:
        """Keep ``table`` in the layout."""
        self.tables.append(table)
        return table


def build_layout(schema: dict[str, Any], resolver: Resolver[Any]) -> Layout:
    """Lay out the document described by ``schema`` (an object schema) over sheets."""
    builder = _Builder()
    root = resolve_node(schema, resolver)
    builder.used_names.add(ROOT_SHEET)
    root_rows: list[Field] = []
    forms: list[FormSheet] = []
    needed = set(root.schema.get("required", []))
    for key, sub in root.schema.get("properties", {}).items():
        child = resolve_node(sub, root.resolver)
        tokens = (key,)
        if (
            child.schema.get("type") == "object"
            and not _is_quantity(child)
            and not builder.is_table(child)
        ):
            rows: list[Field] = []
            name = builder.sheet_name(tokens)
            builder.walk_object(child, tokens, rows, key in needed)
            forms.append(FormSheet(name, tokens, rows[0].title, rows[0].description, tuple(rows)))
        else:
            holder = ResolvedNode(
                {"properties": {key: sub}, "required": list(needed)}, root.resolver, False
            )
            builder.walk_properties(holder, (), root_rows)
    first = FormSheet(
        ROOT_SHEET,
        (),
        str(root.schema.get("title", "Return")),
        str(root.schema.get("description", "")),
        tuple(root_rows),
    )
    return Layout((first, *forms), tuple(builder.tables))


@functools.cache
def layout() -> Layout:
    """The spreadsheet layout of a quarterly return, from the bundled schema."""
    return build_layout(schemas.load(RETURN_SCHEMA), resolver_for(RETURN_SCHEMA))
