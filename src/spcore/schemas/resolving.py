"""Walking a bundled schema: follow ``$ref``s offline and see through "X or null".

The spreadsheet layout, the case-extract CSV columns and the grouping of
findings all walk the schemas field by field. They share this one way of
resolving a node, so that a reference or an optional field means the same
thing to each of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from spcore.schemas import load, registry

if TYPE_CHECKING:
    # ``referencing`` does not re-export its resolver type; only the annotations need it.
    from referencing._core import Resolver as Resolver

#: Most ``$ref``s followed from one node. The schemas nest them two deep; the
#: bound keeps a schema that refers to itself in a loop from hanging a walk.
MAX_REF_DEPTH = 32


@attrs.frozen
class ResolvedNode:
    """A schema node after ``$ref`` and ``anyOf [X, null]`` have been resolved.

    Attributes:
        schema: the node's own schema, carrying the title and description of
            the property that referred to it (the referring property's win).
        resolver: resolves ``$ref``s found inside ``schema``.
        nullable: True when the node was wrapped as "X or null".
    """

    schema: dict[str, Any]
    resolver: Resolver[Any]
    nullable: bool


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


def resolve_node(schema: Any, resolver: Resolver[Any]) -> ResolvedNode:
    """Follow ``$ref``s and unwrap ``anyOf [X, null]``, keeping sibling title/description."""
    nullable = False
    merged: dict[str, Any] = {}
    current: Any = schema
    for _ in range(MAX_REF_DEPTH):
        if not isinstance(current, dict):
            break
        for key in ("title", "description"):
            if key in current and key not in merged:
                merged[key] = current[key]
        if "$ref" in current:
            current, resolver = deref(current, resolver)
            continue
        branches = current.get("anyOf")
        if isinstance(branches, list):
            others = [b for b in branches if b != {"type": "null"}]
            if len(others) < len(branches):
                nullable = True
            if len(others) == 1:
                current = others[0]
                continue
        break
    body = dict(current) if isinstance(current, dict) else {}
    body.update(merged)  # the referring property's own title and description win
    return ResolvedNode(body, resolver, nullable)
