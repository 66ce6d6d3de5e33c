"""Walking a bundled schema: follow ``$ref``s offline and see through "X or null".

The spreadsheet layout, the case-extract CSV columns, the grouping of findings
and the reference pages all walk the schemas field by field. They share this
one way of resolving a node, so that a reference or an optional field means
the same thing to each of them.

A walk that needs to know *where* a node is defined (the reference pages
name the schema and pointer behind every row, and stop where a rule refers
back to itself) passes the node's :class:`Location`; the resolved node then
reports the location it ended at and the definition its last ``$ref`` named.
"""

from __future__ import annotations

import functools
from collections.abc import Container
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote, urljoin

from spcore.schemas import load, names, registry, schema_id

if TYPE_CHECKING:
    # ``referencing`` does not re-export its resolver type; only the annotations need it.
    from referencing._core import Resolver as Resolver

#: Most ``$ref``s followed from one node. The schemas nest them two deep; the
#: bound keeps a schema that refers to itself in a loop from hanging a walk.
MAX_REF_DEPTH = 32

#: Annotations a referring property or an "X or null" wrapper gives the field:
#: they describe this use of the referred schema, so they win over its own.
ANNOTATIONS = ("title", "description", "examples")

_NULL = {"type": "null"}


class Location(NamedTuple):
    """Where a node sits in the bundled schemas: a schema's name and a JSON Pointer into it.

    Written ``schema#pointer``, for example ``common#/$defs/Money``.
    """

    schema: str
    pointer: str = ""

    def __str__(self) -> str:
        return f"{self.schema}#{self.pointer}"

    def child(self, *tokens: str | int) -> Location:
        """The location ``tokens`` below this one, each escaped as a JSON Pointer token."""
        escaped = (str(t).replace("~", "~0").replace("/", "~1") for t in tokens)
        return Location(self.schema, self.pointer + "".join(f"/{t}" for t in escaped))

    def refer(self, ref: str) -> Location | None:
        """Where ``ref``, written in this location's schema, points; None outside the bundle."""
        uri, _, fragment = urljoin(schema_id(self.schema), ref).partition("#")
        name = _names_by_id().get(uri)
        return Location(name, unquote(fragment)) if name is not None else None


@functools.cache
def _names_by_id() -> dict[str, str]:
    return {schema_id(name): name for name in names()}


class ResolvedNode(NamedTuple):
    """A schema node after ``$ref`` and ``anyOf [X, null]`` have been resolved.

    Attributes:
        schema: the node's own schema, carrying the :data:`ANNOTATIONS` (title,
            description, examples) of the property that referred to it (the
            referring property's win). When ``repeated``, the referred schema
            as written instead.
        resolver: resolves ``$ref``s found inside ``schema``.
        nullable: True when the node was wrapped as "X or null".
        location: where ``schema`` is, when the walk said where it started
            (an unwrapped "X or null" is at ``.../anyOf/<index>``).
        definition: where the last ``$ref`` followed pointed (normally a
            ``$defs`` entry); None when no reference was followed or the walk
            did not say where it started.
        repeated: resolving stopped at a ``$ref`` to a location in
            ``stop_at``: a definition the walk is already inside.
    """

    schema: dict[str, Any]
    resolver: Resolver[Any]
    nullable: bool
    location: Location | None = None
    definition: Location | None = None
    repeated: bool = False


def resolver_for(name: str) -> Resolver[Any]:
    """A resolver for ``$ref``s inside bundled schema ``name`` (offline)."""
    return registry().resolver(base_uri=str(load(name).get("$id", "")))


def deref(node: Any, resolver: Resolver[Any]) -> tuple[Any, Resolver[Any]]:
    """Follow ``$ref``s from ``node`` until it is not a reference (at most MAX_REF_DEPTH)."""
    for _ in range(MAX_REF_DEPTH):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            break
        resolved = resolver.lookup(node["$ref"])
        node, resolver = resolved.contents, resolved.resolver
    return node, resolver


def resolve_node(
    schema: Any,
    resolver: Resolver[Any],
    *,
    at: Location | None = None,
    stop_at: Container[Location] = (),
) -> ResolvedNode:
    """Follow ``$ref``s and unwrap ``anyOf [X, null]``, keeping the outer annotations.

    ``at`` is where ``schema`` itself is; given it, the result reports its
    :attr:`~ResolvedNode.location` and :attr:`~ResolvedNode.definition`, and
    a ``$ref`` to a location in ``stop_at`` is not followed further: the
    result is the referred schema as written, marked ``repeated``, so a walk
    through a schema that refers to itself can say "as described above".
    """
    nullable = False
    merged: dict[str, Any] = {}
    current: Any = schema
    location, definition = at, None
    for _ in range(MAX_REF_DEPTH):
        if not isinstance(current, dict):
            break
        for key in ANNOTATIONS:
            if key in current and key not in merged:
                merged[key] = current[key]
        ref = current.get("$ref")
        if isinstance(ref, str):
            location = definition = location.refer(ref) if location is not None else None
            resolved = resolver.lookup(ref)
            current, resolver = resolved.contents, resolved.resolver
            if location is not None and location in stop_at:
                return ResolvedNode(dict(current), resolver, nullable, location, location, True)
            continue
        branches = current.get("anyOf")
        if isinstance(branches, list):
            others = [(i, b) for i, b in enumerate(branches) if b != _NULL]
            if len(others) < len(branches):
                nullable = True
            if len(others) == 1:
                index, current = others[0]
                location = location.child("anyOf", index) if location is not None else None
                continue
        break
    body = dict(current) if isinstance(current, dict) else {}
    body.update(merged)  # the referring property's own annotations win
    return ResolvedNode(body, resolver, nullable, location, definition)
