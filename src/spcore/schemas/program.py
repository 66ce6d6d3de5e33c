"""A bundled schema as a program for the compiled check (``spcore.schemas._check``).

The compiled check walks a document as ``orjson`` or ``json`` builds it
(dicts, lists, text, numbers) against a schema and answers one question: is
it certainly valid? ``True`` is a proof that the reference validator
(:func:`spcore.schemas.validator`, plain ``jsonschema``) accepts the document;
``False`` means only "not proved", and the caller asks a validator. So the
program never has to be complete, only sound, and everything it is not sure
of is written as "never proved":

* a keyword outside the small set the walk knows (``type``, ``enum`` and
  ``const`` of text, ``minimum``/``maximum`` and their exclusive forms,
  ``minLength``/``maxLength``, ``pattern`` of the simple shape below,
  ``format: date``, ``items``, ``minItems``/``maxItems``, ``properties``,
  ``required``, ``additionalProperties``, ``propertyNames``, ``anyOf``,
  ``$ref``), or a keyword of a form it does not read (an ``enum`` holding a
  number, a bound that is not a number a double holds exactly), makes the
  schema object holding it never proved. Keywords that only describe
  (:data:`ANNOTATIONS`) are skipped, as validators skip them;
* a ``pattern`` is read only as ``^`` then characters or ASCII classes
  (``[A-Za-z0-9_-]``), each with an optional ``{m}``, ``{m,n}``, ``?``,
  ``*`` or ``+``, then ``$``; it is proved only by matching to the very end
  of the text (Python's ``$`` also matches before a final newline, which the
  reference then accepts and the walk does not prove);
* ``format: date`` is proved only for ``YYYY-MM-DD`` in ASCII digits naming
  a real day of years 0001-9999 (the reference's ``date.fromisoformat``);
* ``integer`` is proved only for an ``int`` (never ``bool``); a float such as
  ``1.0``, which the reference counts as an integer, is left to the
  validator, as is any number beyond 2**53, where a double would round.

The program is a tuple of nodes, one per schema object reached (``$ref``
followed once per target, so a schema that refers to itself is a loop of
nodes, not an endless program); node 0 is the root. Each node is a
:class:`Node`. :func:`program` builds it; the tests hold the compiled walk
to the reference on valid and invalid documents.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable
from typing import Any, Final, NamedTuple

from spcore.compiled import check_module
from spcore.schemas import load, registry

#: Keywords that describe and never constrain: skipped, as validators skip them
#: (``enumDescriptions``, ``codelist`` and ``openCodelist`` are spcore's own annotations).
ANNOTATIONS: Final = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "$comment",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "enumDescriptions",
        "codelist",
        "openCodelist",
    }
)

#: The JSON types, as bits of :attr:`Node.types`.
TYPE_BITS: Final = {
    "null": 1,
    "boolean": 2,
    "integer": 4,
    "number": 8,
    "string": 16,
    "array": 32,
    "object": 64,
}
#: Every type (no ``type`` keyword).
ANY_TYPE: Final = 127

#: No node (``items``, ``additionalProperties``, ``propertyNames`` absent: anything goes).
NO_NODE: Final = -1
#: ``additionalProperties: false``.
NO_MORE: Final = -2

#: Largest integer a double holds exactly, with every integer below it (2**53).
EXACT_LIMIT: Final = 2**53

#: A pattern the walk reads: ``^``, atoms, ``$``. An atom is a class or one plain character.
_ATOM = re.compile(
    r"(\[(?P<cls>[^\]\\^]+)\]|(?P<lit>[A-Za-z0-9 _,:;/@#%&'\"=<>!~`-]))"
    r"(?P<q>\{\d+\}|\{\d+,\d+\}|[?*+])?"
)


class Atom(NamedTuple):
    """One step of a pattern: a character from ``allowed``, ``least`` to ``most`` times."""

    allowed: str
    least: int
    most: int  # -1: no bound


class Node(NamedTuple):
    """One schema object, as the compiled walk reads it (see the module's text)."""

    never: bool
    types: int
    enum: frozenset[str] | None
    min_length: int
    max_length: int
    date: bool
    pattern: tuple[Atom, ...] | None
    minimum: float | None
    exclusive_minimum: float | None
    maximum: float | None
    exclusive_maximum: float | None
    items: int
    min_items: int
    max_items: int
    properties: dict[str, int] | None
    required: tuple[str, ...]
    additional: int
    property_names: int
    any_of: tuple[int, ...]
    all_of: tuple[int, ...]


#: A schema object that constrains nothing (``{}`` or ``true``).
_BLANK: Final = Node(
    never=False,
    types=ANY_TYPE,
    enum=None,
    min_length=-1,
    max_length=-1,
    date=False,
    pattern=None,
    minimum=None,
    exclusive_minimum=None,
    maximum=None,
    exclusive_maximum=None,
    items=NO_NODE,
    min_items=-1,
    max_items=-1,
    properties=None,
    required=(),
    additional=NO_NODE,
    property_names=NO_NODE,
    any_of=(),
    all_of=(),
)


#: A schema object the walk never proves a value against.
_NEVER: Final = _BLANK._replace(never=True)


def read_pattern(pattern: str) -> tuple[Atom, ...] | None:
    """``pattern`` as atoms, or None when it is not of the shape the walk reads."""
    if not (pattern.startswith("^") and pattern.endswith("$")) or pattern.endswith("\\$"):
        return None
    body, atoms, at = pattern[1:-1], [], 0
    while at < len(body):
        found = _ATOM.match(body, at)
        if found is None:
            return None
        at = found.end()
        allowed = _class(found["cls"]) if found["cls"] is not None else found["lit"]
        if allowed is None:
            return None
        least, most = _quantity(found["q"])
        if most != -1 and least > most:
            return None
        atoms.append(Atom(allowed, least, most))
    return tuple(atoms)


def _class(text: str) -> str | None:
    """The characters of a class body such as ``A-Za-z0-9_-``; None if it is not plain ASCII."""
    chars: set[str] = set()
    at = 0
    while at < len(text):
        if at + 2 < len(text) and text[at + 1] == "-":
            low, high = text[at], text[at + 2]
            if low > high:
                return None
            chars.update(chr(c) for c in range(ord(low), ord(high) + 1))
            at += 3
        else:
            chars.add(text[at])
            at += 1
    if not all(" " <= c <= "~" and c not in "[]\\^" for c in chars):
        return None
    return "".join(sorted(chars))


def _quantity(text: str | None) -> tuple[int, int]:
    if text is None:
        return 1, 1
    if text == "?":
        return 0, 1
    if text == "*":
        return 0, -1
    if text == "+":
        return 1, -1
    low, _, high = text[1:-1].partition(",")
    return int(low), int(high or low)


def _bound(value: Any) -> float | None:
    """A numeric bound as a double, when it is one exactly; else raise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _NotReadError
    if isinstance(value, int) and abs(value) > EXACT_LIMIT:
        raise _NotReadError
    return float(value)


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _NotReadError
    return value


class _NotReadError(Exception):
    """A keyword the walk does not read in this form: the node is never proved."""


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[Node | None] = []
        self.seen: dict[int, int] = {}
        self.kept: list[Any] = []  # the schema objects whose ids are keys of ``seen``

    def node(self, schema: Any, resolver: Any) -> int:
        """The index of ``schema``'s node, built the first time it is reached."""
        key = id(schema)
        if key in self.seen:
            return self.seen[key]
        index = len(self.nodes)
        self.seen[key] = index
        self.kept.append(schema)
        self.nodes.append(None)
        try:
            built = self._build(schema, resolver, root=index == 0)
        except _NotReadError:
            built = _NEVER
        self.nodes[index] = built
        return index

    def _build(self, schema: Any, resolver: Any, *, root: bool) -> Node:
        if schema is True:
            schema = {}
        if not isinstance(schema, dict) or ("$id" in schema and not root):
            raise _NotReadError  # ``false``, or a new base URI inside a document
        unknown = set(schema) - ANNOTATIONS - _READ
        if unknown:
            raise _NotReadError
        types = ANY_TYPE
        if "type" in schema:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not names or not all(n in TYPE_BITS for n in names):
                raise _NotReadError
            types = sum({TYPE_BITS[n] for n in names})
        enum = None
        # ``enum`` and ``const`` both hold: the text both allow
        lists = ([schema["enum"]] if "enum" in schema else []) + (
            [[schema["const"]]] if "const" in schema else []
        )
        for allowed in lists:
            if not isinstance(allowed, list) or not all(isinstance(v, str) for v in allowed):
                raise _NotReadError
            # Interned: the objects a worker's parser gives for these codes (see
            # spcore.cases.chunks.vocabulary), so a look in the set meets the same object.
            texts = frozenset(sys.intern(v) for v in allowed)
            enum = texts if enum is None else enum & texts
        pattern = None
        if "pattern" in schema:
            if not isinstance(schema["pattern"], str):
                raise _NotReadError
            pattern = read_pattern(schema["pattern"])
            if pattern is None:
                raise _NotReadError
        if "format" in schema and schema["format"] != "date":
            raise _NotReadError
        properties = None
        if "properties" in schema:
            if not isinstance(schema["properties"], dict):
                raise _NotReadError
            properties = {}
            for name, sub in schema["properties"].items():
                properties[name] = self.node(sub, resolver)
        required = schema.get("required", [])
        if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
            raise _NotReadError
        additional = NO_NODE
        if "additionalProperties" in schema:
            more = schema["additionalProperties"]
            additional = NO_MORE if more is False else self.node(more, resolver)
        any_of: tuple[int, ...] = ()
        if "anyOf" in schema:
            branches = schema["anyOf"]
            if not isinstance(branches, list) or not branches:
                raise _NotReadError
            any_of = tuple(self.node(b, resolver) for b in branches)
        all_of: tuple[int, ...] = ()
        if "$ref" in schema:
            if not isinstance(schema["$ref"], str):
                raise _NotReadError
            resolved = resolver.lookup(schema["$ref"])
            all_of = (self.node(resolved.contents, resolved.resolver),)
        return Node(
            never=False,
            types=types,
            enum=enum,
            min_length=_count(schema["minLength"]) if "minLength" in schema else -1,
            max_length=_count(schema["maxLength"]) if "maxLength" in schema else -1,
            date="format" in schema,
            pattern=pattern,
            minimum=_bound(schema["minimum"]) if "minimum" in schema else None,
            exclusive_minimum=_bound(schema["exclusiveMinimum"])
            if "exclusiveMinimum" in schema
            else None,
            maximum=_bound(schema["maximum"]) if "maximum" in schema else None,
            exclusive_maximum=_bound(schema["exclusiveMaximum"])
            if "exclusiveMaximum" in schema
            else None,
            items=self.node(schema["items"], resolver) if "items" in schema else NO_NODE,
            min_items=_count(schema["minItems"]) if "minItems" in schema else -1,
            max_items=_count(schema["maxItems"]) if "maxItems" in schema else -1,
            properties=properties,
            required=tuple(required),
            additional=additional,
            property_names=(
                self.node(schema["propertyNames"], resolver)
                if "propertyNames" in schema
                else NO_NODE
            ),
            any_of=any_of,
            all_of=all_of,
        )


#: The keywords the walk reads (see the module's text).
_READ: Final = frozenset(
    {
        "type",
        "enum",
        "const",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "items",
        "minItems",
        "maxItems",
        "properties",
        "required",
        "additionalProperties",
        "propertyNames",
        "anyOf",
        "$ref",
    }
)


@functools.cache
def program(name: str) -> tuple[Node, ...]:
    """Bundled schema ``name`` as the compiled check's program; node 0 is the root."""
    return program_for(load(name))


def program_for(schema: dict[str, Any] | bool) -> tuple[Node, ...]:
    """``schema`` as the compiled check's program; its ``$ref``s resolve within it and
    to the bundled schemas."""
    from referencing.jsonschema import DRAFT202012

    base = str(schema.get("$id", _BASE)) if isinstance(schema, dict) else _BASE
    found = registry().with_resource(base, DRAFT202012.create_resource(schema))
    builder = _Builder()
    builder.node(schema, found.resolver(base_uri=base))
    return _without_aliases(tuple(n for n in builder.nodes if n is not None))


def _without_aliases(nodes: tuple[Node, ...]) -> tuple[Node, ...]:
    """``nodes`` with every reference to a node that is only a ``$ref`` (as a property
    written ``{"$ref": ..., "description": ...}`` is) made to its target, so the walk
    takes one step where it took two. The alias nodes stay, unreferenced but for node 0."""

    def target(index: int) -> int:
        seen = set()
        while index >= 0 and index not in seen:
            seen.add(index)
            node = nodes[index]
            if node._replace(all_of=()) != _BLANK or len(node.all_of) != 1:
                return index
            index = node.all_of[0]
        return index  # a loop of aliases: left as it is (the walk's depth limit ends it)

    def one(index: int) -> int:
        return target(index) if index >= 0 else index

    return tuple(
        node._replace(
            items=one(node.items),
            additional=one(node.additional),
            property_names=one(node.property_names),
            properties=(
                None
                if node.properties is None
                else {name: one(i) for name, i in node.properties.items()}
            ),
            any_of=tuple(one(i) for i in node.any_of),
            all_of=tuple(one(i) for i in node.all_of),
        )
        for node in nodes
    )


#: The URI a schema without ``$id`` is known by while its program is written.
_BASE: Final = "urn:spcore:program"


def proof(name: str) -> Callable[[Any], bool] | None:
    """The compiled proof for bundled schema ``name``: ``proof(document)`` is True
    only when the document is valid; None where spcore was built without
    ``spcore.schemas._check`` or it is turned off (:mod:`spcore.compiled`)."""
    return _proof(name, None)


def proving(name: str, otherwise: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """``otherwise`` (a validator's ``is_valid`` for schema ``name``), answered by
    the compiled proof whenever it proves the document valid; ``otherwise`` itself
    where the proof is not built."""
    return _proof(name, otherwise) or otherwise


@functools.cache
def _proof(name: str, otherwise: Callable[[Any], bool] | None) -> Callable[[Any], bool] | None:
    module = check_module()
    if module is None:
        return None
    check: Callable[[Any], bool] = module.Check(program(name), otherwise=otherwise)
    return check
