"""When a worker's parser may read a record's contacts without making objects, and what it packs.

A case record's contacts (``support_offered.contacts``) are about a third of
its bytes, and nothing in a worker reads them but the schema's proof and the
columns' fill. The compiled parser's contacts lane (``spcore/cases/_parse.h``)
reads them straight from the line's bytes, checks each contact, and packs what
the fill takes; the record then holds an empty list in their place.

That is only sound while three things hold, and :func:`contacts_lane` checks
them on the bundled schema and screens, so that a change to either turns the
lane off rather than letting it read differently:

* every contact the lane packs is valid against the schema, so the record's
  verdict with an empty list is its verdict with the contacts. The lane packs
  a contact written with the names ``date``, ``type`` and ``duration`` only, a
  date YYYY-MM-DD, a type among the codes given, and a duration that is null
  or a whole ``value`` no larger than given with a ``unit`` among those given.
  So the schema's contact must be closed, require nothing beyond ``date`` and
  ``type``, and say no more of each than this (a string of format ``date``; an
  enumeration of text; a duration or null, itself closed, with a bounded,
  non-negative number and an enumeration of units); the array of contacts may
  bound its length (the most the lane packs);
* no screen looks at contacts: no free text among them, and no code retired
  there (a retired contact type is left out of the codes packed, so a record
  holding one is read as before and its finding made);
* the types and units are plain text (the lane compares bytes).

Anything beyond the lane's reading sends the contacts the usual way; the tests
in ``tests/cases/test_contacts_lane.py`` hold the two readings equal.
"""

from __future__ import annotations

import functools
import sys
from typing import TYPE_CHECKING, Any, Final

from spcore import schemas
from spcore.cases import screens
from spcore.cases.fastcheck import SCHEMA_NAME
from spcore.schemas.resolving import MAX_REF_DEPTH, resolver_for

if TYPE_CHECKING:
    from spcore.schemas.resolving import Resolver

#: Keywords that say nothing of validity (JSON Schema's annotations, and spcore's own).
_ANNOTATIONS: Final = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "$comment",
        "enumDescriptions",
        "codelist",
        "openCodelist",
    }
)

#: The lane's settings: the contact types and units it packs, the most contacts it packs
#: and the largest duration value (``_screens.Parser``'s ``contacts``).
Lane = tuple[tuple[str, ...], tuple[str, ...], int, int]

#: Most contacts packed when the schema sets no bound (the parser's buffer grows to it).
_MOST_UNBOUNDED: Final = 10_000


class _NoLaneError(Exception):
    """The schema or the screens say more of contacts than the lane reads."""


def _only(node: Any, *keywords: str) -> dict[str, Any]:
    """``node``, when it is an object saying nothing beyond ``keywords`` and annotations."""
    if not isinstance(node, dict) or not node.keys() - _ANNOTATIONS <= set(keywords):
        raise _NoLaneError(str(node)[:80])
    return node


def _followed(node: Any, resolver: Resolver[Any]) -> tuple[dict[str, Any], Resolver[Any]]:
    """``node``, or the schema its ``$ref`` (its only keyword) names, with that one's resolver."""
    for _ in range(MAX_REF_DEPTH):
        if not (isinstance(node, dict) and "$ref" in node):
            break
        _only(node, "$ref")
        resolved = resolver.lookup(node["$ref"])
        node, resolver = resolved.contents, resolved.resolver
    if not isinstance(node, dict) or "$ref" in node:
        raise _NoLaneError(str(node)[:80])
    return node, resolver


def _closed(node: dict[str, Any], names: set[str], required: set[str]) -> dict[str, Any]:
    """The properties of a closed object with exactly ``names``, requiring at most ``required``."""
    _only(node, "type", "properties", "additionalProperties", "required")
    properties = node.get("properties")
    if (
        node.get("type") != "object"
        or node.get("additionalProperties") is not False
        or not isinstance(properties, dict)
        or set(properties) != names
        or not set(node.get("required") or ()) <= required
    ):
        raise _NoLaneError("an object the lane does not read")
    return properties


def _codes(node: dict[str, Any]) -> tuple[str, ...]:
    """The codes of a string enumeration."""
    _only(node, "type", "enum")
    codes = node.get("enum")
    if node.get("type", "string") != "string" or not isinstance(codes, list):
        raise _NoLaneError("not an enumeration of text")
    if not all(
        isinstance(c, str) and c.isascii() and '"' not in c and "\\" not in c for c in codes
    ):
        raise _NoLaneError("codes that are not plain text")
    return tuple(sys.intern(c) for c in codes)


def _largest_value(node: dict[str, Any]) -> int:
    """The largest whole value a duration's ``value`` admits, when it admits every one from 0."""
    _only(node, "type", "minimum", "maximum")
    largest = node.get("maximum")
    if (
        node.get("type") not in ("number", "integer")
        or node.get("minimum") != 0
        or not isinstance(largest, int)
        or isinstance(largest, bool)
        or not 0 <= largest < 10**18
    ):
        raise _NoLaneError("a value the lane does not bound")
    return largest


def _lane_from_schema() -> tuple[tuple[str, ...], tuple[str, ...], int, int]:
    record = schemas.load(SCHEMA_NAME)
    support, where = _followed(
        record.get("properties", {}).get("support_offered"), resolver_for(SCHEMA_NAME)
    )
    # support_offered may be "X or null": the contacts are X's.
    for branch in support.get("anyOf") or ():
        branch, branch_base = _followed(branch, where)
        if branch.get("type") == "object":
            support, where = branch, branch_base
    contacts = _only(support.get("properties", {}).get("contacts"), "type", "items", "maxItems")
    if contacts.get("type") != "array":
        raise _NoLaneError("contacts that are not an array")
    most = contacts.get("maxItems", _MOST_UNBOUNDED)
    contact, at = _followed(contacts.get("items"), where)
    fields = _closed(contact, {"date", "type", "duration"}, {"date", "type"})
    date = _only(fields["date"], "type", "format")
    if date.get("type") != "string" or date.get("format") != "date":
        raise _NoLaneError("a date the lane does not read")
    types = _codes(_followed(fields["type"], at)[0])
    duration = _only(fields["duration"], "anyOf")
    branches = duration.get("anyOf")
    if not isinstance(branches, list) or len(branches) != 2:
        raise _NoLaneError("a duration the lane does not read")
    nulls = [b for b in branches if b == {"type": "null"}]
    others = [b for b in branches if b != {"type": "null"}]
    if len(nulls) != 1 or len(others) != 1:
        raise _NoLaneError("a duration that is not a duration or null")
    measured, there = _followed(others[0], at)
    parts = _closed(measured, {"value", "unit"}, {"value", "unit"})
    largest = _largest_value(parts["value"])
    units = _codes(_followed(parts["unit"], there)[0])
    if not isinstance(most, int) or isinstance(most, bool) or most < 0:
        raise _NoLaneError("a bound on contacts the lane does not read")
    return types, units, most, largest


def _screened_out(types: tuple[str, ...]) -> tuple[str, ...]:
    """``types`` less any retired where contacts are; refused when a screen reads contacts."""
    tree = screens._free_text_tree()
    for token, node in tree[1]:
        if token == "support_offered" and any(t in ("contacts", "*") for t, _ in node[1]):
            raise _NoLaneError("free text among contacts")
    retired: set[str] = set()
    for tokens, _, codes in screens._retired_codes():
        if "contacts" in tokens:
            retired |= codes
    return tuple(t for t in types if t not in retired)


@functools.cache
def contacts_lane() -> Lane | None:
    """The contacts lane's settings for the bundled schema, or None when it must stay off."""
    try:
        types, units, most, largest = _lane_from_schema()
        return _screened_out(types), units, most, largest
    except _NoLaneError:
        return None
