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
from spcore.schemas.resolving import Location, ResolvedNode, resolve_node, resolver_for

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


def _at(node: ResolvedNode) -> Location:
    """Where ``node`` is; every node here is resolved from a known location."""
    if node.location is None:
        raise ValueError("schema node resolved without its location")
    return node.location


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


#: The definitions a walk is inside, outermost first.
_Stack = tuple[Location, ...]


def _child(parent: ResolvedNode, node: Any, *tokens: str | int, stack: _Stack) -> ResolvedNode:
    """``node``, found at ``tokens`` below ``parent``, resolved (stopping at ``stack``)."""
    return resolve_node(node, parent.resolver, at=_at(parent).child(*tokens), stop_at=stack)


def _push(stack: _Stack, node: ResolvedNode) -> _Stack:
    """``stack`` with the definition ``node`` came from, if it came from one."""
    return (*stack, node.definition) if node.definition else stack


class _Walker:
    """Flattens one schema into :class:`FieldRow` s.

    ``stack`` holds the definitions being described on the way down; a
    ``$ref`` back into one of them is written once, "as described above".
    """

    def __init__(self, example: Any = None) -> None:
        self.example = example
        self.rows: list[FieldRow] = []
        self._unions: dict[tuple[str, ...], str] = {}

    # -- describing ------------------------------------------------------

    def _type(self, target: ResolvedNode, stack: _Stack) -> str:
        node = target.schema
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
                item = _child(target, extra, "additionalProperties", stack=stack)
                return "map from code to " + self._type(item, stack)
            return "object"
        if kind == "array":
            item = _child(target, node.get("items", {}), "items", stack=stack)
            inner = self._type(item, stack)
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

    def _codes(self, target: ResolvedNode) -> tuple[str | None, tuple[str, ...]]:
        node = target.schema
        if "codelist" in node:
            return str(node["codelist"]).removesuffix(".csv"), ()
        if "enum" in node:
            name = _codelist_for_enum(node["enum"])
            return (name, ()) if name else (None, tuple(str(v) for v in node["enum"]))
        if node.get("type") == "array":
            return self._codes(resolve_node(node.get("items", {}), target.resolver))
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
        self, target: ResolvedNode, path: str, stack: _Stack, alternative: bool = False
    ) -> None:
        """Add a row for every property of the object ``target`` (and below it).

        ``alternative``: the object is one form of a ``oneOf`` (its required
        fields are required only in that form).
        """
        node = target.schema
        required = set(node.get("required", ()))
        for name, prop in node.get("properties", {}).items():
            at = _at(target).child("properties", name)
            self.field(prop, at, target, f"{path}/{name}", name in required, stack, alternative)

    def field(
        self,
        outer: Node,
        at: Location,
        parent: ResolvedNode,
        path: str,
        required: bool,
        stack: _Stack,
        alternative: bool = False,
    ) -> None:
        """Add the row of field ``outer`` (at ``at``, inside ``parent``), then what it holds."""
        target = resolve_node(outer, parent.resolver, at=at, stop_at=stack)
        node = target.schema
        if not target.repeated:
            stack = _push(stack, target)
        key_codelist = None
        names = node.get("propertyNames", {})
        if "$ref" in names:
            key_codelist, _ = self._codes(resolve_node(names, target.resolver))
        codelist, values = self._codes(target)
        description = str(outer.get("description") or node.get("description", ""))
        kind = self._type(target, stack)
        if target.repeated:
            kind = f"{node.get('title', kind)} (as described above)"
        union = node.get("oneOf")
        seen_at = None
        if union and not target.repeated:
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
                source=str(at),
            )
        )
        if target.repeated or seen_at is not None:
            return
        self._contents(target, path, stack)

    def _contents(self, target: ResolvedNode, path: str, stack: _Stack) -> None:
        node = target.schema
        for index, branch in enumerate(node.get("oneOf", ())):
            inner = _child(target, branch, "oneOf", index, stack=stack)
            if not inner.repeated:
                self.walk_object(inner, path, _push(stack, inner), alternative=True)
        if node.get("type") == "object":
            self.walk_object(target, path, stack)
            extra = node.get("additionalProperties")
            if isinstance(extra, dict) and extra and extra.get("type") == "object":
                inner = _child(target, extra, "additionalProperties", stack=stack)
                self.walk_object(inner, f"{path}/*", stack)
        items = node.get("items")
        if node.get("type") == "array" and isinstance(items, dict):
            inner = _child(target, items, "items", stack=stack)
            if inner.repeated:
                return
            if inner.schema.get("oneOf") or inner.schema.get("properties"):
                self.field(inner.schema, _at(inner), inner, f"{path}/*", True, _push(stack, inner))


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
    walker = _Walker(example)
    root = resolve_node(schemas.load(name), resolver_for(name), at=Location(name))
    walker.walk_object(root, "", ())
    return walker.rows


def definition_fields(name: str, definition: str) -> list[FieldRow]:
    """Every field of ``$defs/definition`` in schema ``name``, paths relative to it."""
    walker = _Walker()
    at = Location(name).child("$defs", definition)
    target = resolve_node(schemas.load(name)["$defs"][definition], resolver_for(name), at=at)
    walker._contents(target, "", (at,))
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
