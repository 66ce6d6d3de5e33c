"""Every field of a published JSON Schema, flattened into rows for the reference pages.

A field's *path* is a JSON Pointer into a document, with ``*`` standing for any
position in a list or any key of a map (for example
``/outputs/referred_by_age_band/*``). Each row also records the schema location
that defines it (``quarterly-return#/$defs/Scheme/properties/name``), so a test
can check that every property of every schema is documented.

Rule-like schemas refer to themselves (an ``all`` rule holds rules); such a
repeat is written once with a pointer back to where it was first described,
so the table stays finite.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from spcore import schemas
from spcore.framework import codelists

Node = Mapping[str, Any]

_QUANTITY_KEYS = frozenset({"value", "unit"})


@attrs.frozen
class FieldRow:
    """One documented field of a schema."""

    path: str
    title: str
    type: str
    required: bool
    alternative: bool
    codelist: str | None
    key_codelist: str | None
    values: tuple[str, ...]
    description: str
    example: str
    source: str


@attrs.frozen
class _Target:
    """A resolved schema node and the location it came from."""

    schema: str
    pointer: str
    node: Node
    ref: str | None = None


def _ids() -> dict[str, str]:
    return {schemas.schema_id(name): name for name in schemas.names()}


def _resolve_pointer(document: Node, pointer: str) -> Node:
    node: Any = document
    for part in pointer.lstrip("/").split("/") if pointer else []:
        node = node[part.replace("~1", "/").replace("~0", "~")]
    result: Node = node
    return result


def _resolve(current: str, ref: str) -> _Target:
    uri, _, pointer = ref.partition("#")
    name = _ids()[uri] if uri else current
    return _Target(name, pointer, _resolve_pointer(schemas.load(name), pointer), ref)


def _codelist_for_enum(values: list[Any]) -> str | None:
    """The codelist whose codes are exactly ``values`` (eligibility rules inline them)."""
    wanted = sorted(str(v) for v in values)
    for name in codelists.CODELISTS:
        if sorted(codelists.load(name).values()) == wanted:
            return name
    return None


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _range(noun: str, low: Any, high: Any, unit: str = "", most: str = "at most") -> str:
    """``noun`` with its bounds in words: "whole number, 0 to 100", "text, up to 200 characters"."""
    if low == 1 and high is None:
        unit = unit.removesuffix("s")
    if low is not None and high is not None:
        return f"{noun}, {_number(low)} to {_number(high)}{unit}"
    if high is not None:
        return f"{noun}, {most} {_number(high)}{unit}"
    if low is not None:
        return f"{noun}, at least {_number(low)}{unit}"
    return noun


def _bounds(node: Node, noun: str) -> str:
    return _range(noun, node.get("minimum"), node.get("maximum"))


def _length(node: Node, noun: str, what: str) -> str:
    unit = " characters" if what == "Length" else " items"
    return _range(noun, node.get(f"min{what}"), node.get(f"max{what}"), unit, "up to")


class _Walker:
    """Flattens one schema into :class:`FieldRow` s."""

    def __init__(self, schema: str, example: Any = None) -> None:
        self.schema = schema
        self.example = example
        self.rows: list[FieldRow] = []
        self._unions: dict[tuple[str, ...], str] = {}

    # -- resolving -------------------------------------------------------

    def _deref(self, target: _Target, stack: tuple[str, ...]) -> tuple[_Target, bool]:
        """Follow ``$ref`` s; the flag says the reference is already being described."""
        node = target.node
        while "$ref" in node:
            nxt = _resolve(target.schema, node["$ref"])
            key = f"{nxt.schema}#{nxt.pointer}"
            if key in stack:
                return nxt, True
            merged = {**nxt.node, **{k: v for k, v in node.items() if k != "$ref"}}
            target = _Target(nxt.schema, nxt.pointer, merged, key)
            node = merged
        return target, False

    def _unwrap(self, target: _Target, stack: tuple[str, ...]) -> tuple[_Target, bool]:
        """Follow references and optional-null wrappers down to the field's own schema."""
        while True:
            target, repeated = self._deref(target, stack)
            if repeated:
                return target, True
            unwrapped = self._non_null(target)
            if unwrapped is target:
                return target, False
            target = unwrapped

    def _non_null(self, target: _Target) -> _Target:
        """Unwrap ``anyOf: [X, {"type": "null"}]`` (optional fields written as null)."""
        node = target.node
        branches = node.get("anyOf")
        if not branches:
            return target
        kept = [(i, b) for i, b in enumerate(branches) if b.get("type") != "null"]
        if len(kept) != 1:
            return target
        index, branch = kept[0]
        outer = {k: v for k, v in node.items() if k != "anyOf"}
        return _Target(
            target.schema, f"{target.pointer}/anyOf/{index}", {**branch, **outer}, target.ref
        )

    # -- describing ------------------------------------------------------

    def _type(self, target: _Target, stack: tuple[str, ...]) -> str:
        node = target.node
        if "const" in node:
            return f"always {json.dumps(node['const'])}"
        union = node.get("oneOf")
        if union:
            seen_at = self._unions.get(_union_key(union))
            if seen_at is not None:
                return f"one of the {len(union)} forms at `{seen_at}`"
            return f"one of {len(union)} forms (the rows below)"
        kind = node.get("type")
        if kind == "object":
            props = node.get("properties", {})
            if set(props) == _QUANTITY_KEYS and "enum" in props["unit"]:
                units = ", ".join(props["unit"]["enum"])
                return f"quantity: value with unit ({units})"
            extra = node.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                item, _ = self._deref(_Target(target.schema, "", extra), stack)
                return "map from code to " + self._type(self._non_null(item), stack)
            return "object"
        if kind == "array":
            item, _ = self._deref(_Target(target.schema, "", node.get("items", {})), stack)
            inner = self._type(self._non_null(item), stack)
            if inner.startswith("one of"):
                return _length(node, f"list, each {inner}", "Items")
            inner = "codes" if inner == "code" else inner
            return _length(node, f"list of {inner}", "Items")
        if kind == "integer":
            return _bounds(node, "whole number")
        if kind == "number":
            return _bounds(node, "number")
        if kind == "boolean":
            return "true or false"
        if kind == "string":
            if "enum" in node:
                return "code"
            if node.get("format") == "date":
                return "date (YYYY-MM-DD)"
            if "pattern" in node:
                return _length(node, f"text matching `{node['pattern']}`", "Length")
            return _length(node, "text", "Length")
        return str(kind or "any")

    def _codes(self, node: Node) -> tuple[str | None, tuple[str, ...]]:
        if "codelist" in node:
            return str(node["codelist"]).removesuffix(".csv"), ()
        if "enum" in node:
            name = _codelist_for_enum(node["enum"])
            return (name, ()) if name else (None, tuple(str(v) for v in node["enum"]))
        if node.get("type") == "array":
            item = node.get("items", {})
            if "$ref" in item:
                item = _resolve(self.schema, item["$ref"]).node
            return self._codes(item)
        return None, ()

    def _example(self, path: str, node: Node) -> str:
        value = _example_at(self.example, path)
        if value is _MISSING:
            value = node["examples"][0] if node.get("examples") else _MISSING
        if value is _MISSING or (isinstance(value, dict | list) and len(json.dumps(value)) > 60):
            return ""
        return json.dumps(value, ensure_ascii=False)

    # -- walking ---------------------------------------------------------

    def walk_object(
        self, target: _Target, path: str, stack: tuple[str, ...], alternative: bool = False
    ) -> None:
        """Add a row for every property of the object ``target`` (and below it).

        ``alternative``: the object is one form of a ``oneOf`` (its required
        fields are required only in that form).
        """
        node = target.node
        required = set(node.get("required", ()))
        for name, prop in node.get("properties", {}).items():
            pointer = f"{target.pointer}/properties/{name}"
            self.field(
                _Target(target.schema, pointer, prop),
                f"{path}/{name}",
                name in required,
                stack,
                alternative,
            )

    def field(
        self,
        target: _Target,
        path: str,
        required: bool,
        stack: tuple[str, ...],
        alternative: bool = False,
    ) -> None:
        """Add the row of one field, then the rows of what it contains."""
        source = f"{target.schema}#{target.pointer}"
        outer = target.node
        target, repeated = self._unwrap(target, stack)
        node = target.node
        if target.ref and not repeated:
            stack = (*stack, target.ref)
        key_codelist = None
        names = node.get("propertyNames", {})
        if "$ref" in names:
            key_codelist, _ = self._codes(_resolve(target.schema, names["$ref"]).node)
        codelist, values = self._codes(node)
        description = str(outer.get("description") or node.get("description", ""))
        kind = self._type(target, stack)
        if repeated:
            kind = f"{node.get('title', kind)} (as described above)"
        union = node.get("oneOf")
        seen_at = None
        if union and not repeated:
            key = _union_key(union)
            seen_at = self._unions.get(key)
            if seen_at is None:
                self._unions[key] = path

        self.rows.append(
            FieldRow(
                path=path,
                title=str(outer.get("title") or node.get("title", "")),
                type=kind,
                required=required,
                alternative=alternative,
                codelist=codelist,
                key_codelist=key_codelist,
                values=values,
                description=description,
                example=self._example(path, node),
                source=source,
            )
        )
        if repeated or seen_at is not None:
            return
        self._contents(target, path, stack)

    def _contents(self, target: _Target, path: str, stack: tuple[str, ...]) -> None:
        node = target.node
        for index, branch in enumerate(node.get("oneOf", ())):
            inner, repeated = self._deref(
                _Target(target.schema, f"{target.pointer}/oneOf/{index}", branch), stack
            )
            if not repeated:
                self.walk_object(inner, path, (*stack, inner.ref or ""), alternative=True)
        if node.get("type") == "object":
            self.walk_object(target, path, stack)
            extra = node.get("additionalProperties")
            if isinstance(extra, dict) and extra and extra.get("type") == "object":
                inner = _Target(target.schema, f"{target.pointer}/additionalProperties", extra)
                self.walk_object(inner, f"{path}/*", stack)
        items = node.get("items")
        if node.get("type") == "array" and isinstance(items, dict):
            inner, repeated = self._unwrap(
                _Target(target.schema, f"{target.pointer}/items", items), stack
            )
            if repeated:
                return
            if inner.node.get("oneOf") or inner.node.get("properties"):
                item_stack = (*stack, inner.ref) if inner.ref else stack
                self.field(inner, f"{path}/*", True, item_stack)


_MISSING: Any = object()


def _union_key(union: list[Any]) -> tuple[str, ...]:
    """What identifies a ``oneOf``: the references of its forms."""
    return tuple(sorted(str(branch.get("$ref", "")) for branch in union))


def _example_at(document: Any, path: str) -> Any:
    """The value at ``path`` in ``document``, taking the first entry for each ``*``."""
    if document is None:
        return _MISSING
    node = document
    for part in path.lstrip("/").split("/") if path else []:
        if part == "*":
            if isinstance(node, list) and node:
                node = node[0]
            elif isinstance(node, dict) and node:
                node = next(iter(node.values()))
            else:
                return _MISSING
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


def document_fields(name: str, example: Any = None) -> list[FieldRow]:
    """Every field of the document schema ``name``, from its root, in schema order.

    ``example`` is a valid document whose values fill the Example column.
    """
    walker = _Walker(name, example)
    root = _Target(name, "", schemas.load(name))
    walker.walk_object(root, "", ())
    return walker.rows


def definition_fields(name: str, definition: str) -> list[FieldRow]:
    """Every field of ``$defs/definition`` in schema ``name``, paths relative to it."""
    walker = _Walker(name)
    pointer = f"/$defs/{definition}"
    key = f"{name}#{pointer}"
    target = _Target(name, pointer, schemas.load(name)["$defs"][definition], key)
    walker._contents(target, "", (key,))
    return walker.rows


def property_locations(name: str) -> Iterator[str]:
    """Every location in schema ``name`` that defines a property (``schema#pointer``).

    Found by scanning the raw JSON, independently of the walker, so a test can
    compare the two.
    """

    def scan(node: Any, pointer: str) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    for prop, sub in value.items():
                        yield f"{name}#{pointer}/properties/{prop}"
                        yield from scan(sub, f"{pointer}/properties/{prop}")
                elif key not in ("examples", "default", "const", "enum"):
                    yield from scan(value, f"{pointer}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from scan(value, f"{pointer}/{index}")

    yield from scan(schemas.load(name), "")
