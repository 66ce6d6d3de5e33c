"""Grouping findings by rule and field, so 300 bad rows read as one problem.

A return with the same mistake in every community group gives hundreds of
findings that differ only in a list index. Here each finding is filed under
its code and its *field*: the JSON Pointer with list indices and breakdown
keys (age bands, criteria, funding sources...) replaced by ``*``, for
example ``/outputs/community_groups/groups/*/name``. Groups come errors
first, then in the order the sections and fields appear in the standard
(scheme, period, outputs, monitoring, impact...), so a report reads like
the return itself.

Which path parts are list indices or breakdown keys is read from the JSON
Schema the document was checked against, never guessed from the text; a
path that leaves the schema (an unknown field) keeps its names, with only
whole-number parts generalised.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
import referencing
import referencing.exceptions

from spcore import schemas
from spcore.findings import Finding, Severity, escape_pointer_token

if TYPE_CHECKING:
    from spcore.schemas.resolving import Resolver

#: The schema whose sections order a report when no other is named.
DEFAULT_SCHEMA = "quarterly-return"

#: Stands for any list index or breakdown key in a field pattern.
ANY = "*"

#: Title of the section holding findings about the document as a whole
#: (unreadable files, a top level that is not an object, unknown top-level fields).
WHOLE_DOCUMENT = "The document as a whole"

# A position after every field the schema names: unknown fields sort last.
_UNKNOWN_RANK = 1_000_000

_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1}


class FieldInfo(NamedTuple):
    """What the schema says about one finding's path.

    Attributes:
        pattern: the path with list indices and breakdown keys as ``*``.
        title: the field's title from the schema (with its parent's, when it
            has one below the section), or None when the field is not in it.
        section: the top-level field the path starts with (``""`` for the
            document as a whole, or a top-level field the standard lacks).
        section_title: that section's title, as a person would read it.
        order: a sort key following the order fields appear in the schema.
    """

    pattern: str
    title: str | None
    section: str
    section_title: str
    order: tuple[int, ...]


@attrs.frozen
class FindingGroup:
    """Findings with the same code and severity at the same field.

    Attributes:
        code: the finding code shared by the group.
        severity: the severity shared by the group.
        field: the generalised path (see :class:`FieldInfo`).
        title: the field's title from the schema, if it has one.
        section: the top-level field the group belongs to (``""``: whole document).
        section_title: the section's title.
        findings: every finding in the group, in report order.
    """

    code: str
    severity: Severity
    field: str
    title: str | None
    section: str
    section_title: str
    findings: tuple[Finding, ...]

    @property
    def count(self) -> int:
        """How many findings the group holds."""
        return len(self.findings)

    def first(self, limit: int | None) -> tuple[Finding, ...]:
        """The first ``limit`` findings (all of them when ``limit`` is None or below 1)."""
        if limit is None or limit < 1:
            return self.findings
        return self.findings[:limit]

    def hidden(self, limit: int | None) -> int:
        """How many findings :meth:`first` leaves out for ``limit``."""
        return self.count - len(self.first(limit))

    @property
    def shared_message(self) -> str | None:
        """The message, when the group has several findings that all say the same thing.

        Reports then say it once instead of once per row.
        """
        messages = {f.message for f in self.findings}
        return messages.pop() if self.count > 1 and len(messages) == 1 else None

    @property
    def label(self) -> str:
        """The field as a person names it: its title, else its pattern."""
        return self.title or self.field or WHOLE_DOCUMENT


def group_findings(
    findings: Iterable[Finding], schema_name: str = DEFAULT_SCHEMA
) -> tuple[FindingGroup, ...]:
    """Group findings by code, severity and field, ordered errors first then as in the schema.

    Every finding lands in exactly one group, and the findings of a group keep
    the order they were given in.
    """
    buckets: dict[tuple[str, Severity, str], list[Finding]] = {}
    infos: dict[tuple[str, Severity, str], FieldInfo] = {}
    for finding in findings:
        info = field_info(finding.path, schema_name)
        key = (finding.code, finding.severity, info.pattern)
        buckets.setdefault(key, []).append(finding)
        infos.setdefault(key, info)
    ordered = sorted(
        buckets,
        key=lambda k: (_SEVERITY_RANK.get(k[1], len(_SEVERITY_RANK)), infos[k].order, k[2], k[0]),
    )
    return tuple(
        FindingGroup(
            code=key[0],
            severity=key[1],
            field=infos[key].pattern,
            title=infos[key].title,
            section=infos[key].section,
            section_title=infos[key].section_title,
            findings=tuple(buckets[key]),
        )
        for key in ordered
    )


def field_pattern(path: str, schema_name: str = DEFAULT_SCHEMA) -> str:
    """The generalised field of ``path``.

    ``/outputs/community_groups/groups/12/name`` gives
    ``/outputs/community_groups/groups/*/name``.
    """
    return field_info(path, schema_name).pattern


@functools.lru_cache(maxsize=4096)
def field_info(path: str, schema_name: str = DEFAULT_SCHEMA) -> FieldInfo:
    """Generalise ``path`` and find its title and section in schema ``schema_name``.

    A schema that cannot be loaded leaves only whole-number parts generalised.
    """
    walker = _walker(schema_name)
    tokens = _split(path)
    return walker.describe(tokens) if walker else _plain(tokens)


@functools.cache
def _walker(schema_name: str) -> _Walker | None:
    """The walker for a bundled schema, built once; None when there is no such schema."""
    try:
        return _Walker.for_schema(schema_name)
    except (KeyError, OSError, ValueError, referencing.exceptions.Unresolvable):
        return None


def is_index(token: str) -> bool:
    """True when a JSON Pointer token is a list position (ASCII digits only, as RFC 6901 says)."""
    return token.isascii() and token.isdigit()


def _split(path: str) -> list[str]:
    """Unescape a JSON Pointer into its reference tokens (RFC 6901)."""
    if not path:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in path.split("/")[1:]]


def _join(tokens: Iterable[str]) -> str:
    return "".join("/" + (t if t == ANY else escape_pointer_token(t)) for t in tokens)


def _plain(tokens: list[str]) -> FieldInfo:
    generalised = [ANY if is_index(t) else t for t in tokens]
    return FieldInfo(_join(generalised), None, "", WHOLE_DOCUMENT, (_UNKNOWN_RANK,))


class _Walker:
    """Follows a path through a schema, resolving ``$ref``s offline."""

    def __init__(self, root: Mapping[str, Any], resolver: Resolver[Any]) -> None:
        self.root = root
        self.resolver = resolver

    @classmethod
    def for_schema(cls, name: str) -> _Walker:
        # Imported when findings are first grouped: a return without findings needs no walk.
        from spcore.schemas.resolving import resolver_for

        return cls(schemas.load(name), resolver_for(name))

    def _branches(
        self, node: Any, resolver: Resolver[Any]
    ) -> list[tuple[Mapping[str, Any], Resolver[Any]]]:
        """The schema alternatives a value may follow ("X or null" gives X)."""
        from spcore.schemas.resolving import deref

        node, resolver = deref(node, resolver)
        if not isinstance(node, Mapping):
            return []
        options = node.get("anyOf") or node.get("oneOf")
        if isinstance(options, list):
            out: list[tuple[Mapping[str, Any], Resolver[Any]]] = []
            for option in options:
                out += self._branches(option, resolver)
            return out
        return [(node, resolver)]

    def _step(
        self, node: Any, resolver: Resolver[Any], token: str
    ) -> tuple[str, int, Any, Resolver[Any]] | None:
        """One token down: (token or ``*``, its position, its schema, resolver), or None."""
        for branch, branch_resolver in self._branches(node, resolver):
            properties = branch.get("properties")
            if isinstance(properties, Mapping) and token in properties:
                return token, list(properties).index(token), properties[token], branch_resolver
            if is_index(token) and isinstance(branch.get("items"), Mapping):
                # Every entry of a list sorts alike, so its fields keep the schema's order.
                return ANY, 0, branch["items"], branch_resolver
            if not is_index(token) and (
                isinstance(branch.get("additionalProperties"), Mapping)
                or "propertyNames" in branch
                or "patternProperties" in branch
            ):
                values = branch.get("additionalProperties")
                return ANY, 0, values if isinstance(values, Mapping) else {}, branch_resolver
        return None

    def describe(self, tokens: list[str]) -> FieldInfo:
        """The :class:`FieldInfo` for a path given as reference tokens."""
        node: Any = self.root
        resolver = self.resolver
        generalised: list[str] = []
        order: list[int] = []
        titles: list[str] = []
        section, section_title = "", WHOLE_DOCUMENT
        for depth, token in enumerate(tokens):
            step = self._step(node, resolver, token) if node is not None else None
            if step is None:
                # Outside the schema (an unknown field): keep names, generalise indices.
                generalised += [ANY if is_index(t) else t for t in tokens[depth:]]
                order.append(_UNKNOWN_RANK)
                titles = []  # the field has no title: the pattern names it
                break
            part, position, node, resolver = step
            generalised.append(part)
            order.append(position)
            if part != ANY and isinstance(node, Mapping) and isinstance(node.get("title"), str):
                titles.append(node["title"])
            if depth == 0:
                section, section_title = token, titles[-1] if titles else token
        if not section:
            # The document as a whole, and top-level fields the standard lacks,
            # come before every section.
            order.insert(0, -1)
        # The last two titles say enough ("Groups referred to › Group name");
        # the section heading says the rest.
        title = " › ".join(titles[1:][-2:] or titles) or None
        return FieldInfo(_join(generalised), title, section, section_title, tuple(order))
