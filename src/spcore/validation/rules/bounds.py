"""Bound rules made from relations between figures: one engine for every "part within whole".

A :class:`Relation` says how figures of a return bound each other: the parts
add up to at most the whole (:attr:`Kind.AT_MOST`), to at least it
(:attr:`Kind.AT_LEAST`), or each part alone is at most the whole
(:attr:`Kind.EACH_AT_MOST`). A figure that must equal a total — a partition —
is two relations on the same figures, one each way (:func:`partition`).
The table of relations is :mod:`spcore.validation.rules.relations`; from it
this module makes the :class:`~spcore.validation.rules.base.Rule` of each
code (:func:`rules_from`), and a return that breaks each relation and a
similar one that keeps it (:meth:`Relation.example`), which the catalogue
shows and the tests validate.

How the figures are read:

* a figure that is not given (its section or breakdown is absent, or an
  optional count is left out) leaves the relation unchecked;
* a code left out of a breakdown that is given counts none, as the
  aggregation writes breakdowns (``docs/aggregation.md``);
* a count withheld by small-number suppression (``null``) is unknown, never
  zero: a withheld part only makes the known parts smaller, so parts that
  exceed the whole are still reported, but parts that fall short are not
  (the withheld part may make up the difference), and a withheld whole
  leaves the relation unchecked;
* each count listed as rounded may be out by half the rounding base
  (:meth:`RuleContext.slack`); money is compared to the penny and staff time
  to a billionth of a full-time equivalent.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from pydantic import BaseModel

from spcore.findings import Severity
from spcore.framework.figure_paths import FigureShape, ValueKind, figure_shape
from spcore.validation.rules.base import Problem, Rule, RuleContext, count

#: Each item of a list, taken one at a time (the same item on both sides of a relation).
EACH_ITEM = "{i}"

#: Every member of a breakdown or list, added together.
EVERY = "*"

#: How far two values of each kind may differ before they disagree (besides rounding).
TOLERANCE: Mapping[ValueKind, float] = {
    ValueKind.COUNT: 0.0,
    ValueKind.ITEMS: 0.0,
    ValueKind.MONEY: 0.01,  # a penny: smaller differences are rounding, not disagreement
    ValueKind.STAFFING: 1e-9,  # FTE given in hours a week converts inexactly
    ValueKind.DURATION: 1e-9,
}

#: Units written in generated examples, by kind of value.
EXAMPLE_UNITS: Mapping[ValueKind, str] = {
    ValueKind.MONEY: "GBP",
    ValueKind.STAFFING: "FTE",
    ValueKind.DURATION: "minute",
}


class Kind(enum.StrEnum):
    """How the parts of a relation bound its whole."""

    AT_MOST = "at most"
    """The parts add up to at most the whole (a subset, or a sum within a total)."""

    AT_LEAST = "at least"
    """The parts, when every one is known, add up to at least the whole."""

    EACH_AT_MOST = "each at most"
    """Each part on its own is at most the whole (members that may overlap)."""


class Term(NamedTuple):
    """One figure in a relation: a pointer pattern and the words a message names it by.

    Attributes:
        pointer: a pattern as :mod:`spcore.framework.figure_paths` reads it.
        label: how a sentence names the figure ("the age bands", "people referred").
        item: for a list (``#...`` or ``.../*/field``), a template of one item for the
            generated examples; ``{n}`` in a text value is the item's number.
        empty_is_absent: a breakdown given as ``{}`` counts as not given (it was not split).
        codes: for a breakdown whose codes are not a codelist (an instrument's categories),
            the codes the generated examples use.
    """

    pointer: str
    label: str
    # Read-only and shared: most terms are not lists and have no item template.
    item: Mapping[str, Any] = MappingProxyType({})
    empty_is_absent: bool = False
    codes: tuple[str, ...] = ()

    @property
    def shape(self) -> FigureShape:
        """What the pattern names in the return's model."""
        return figure_shape(self.pointer)

    def bound(self, index: int | None) -> Term:
        """This term with :data:`EACH_ITEM` replaced by ``index``."""
        if index is None or EACH_ITEM not in self.pointer:
            return self
        return self._replace(pointer=self.pointer.replace(EACH_ITEM, str(index)))


class Source(NamedTuple):
    """A published source: its citation key and where in it (section, table, page)."""

    key: str
    locator: str = ""

    def __str__(self) -> str:
        return f"{self.key}, {self.locator}" if self.locator else self.key


class Relation(NamedTuple):
    """One bound between figures of a return, and the rule that checks it.

    Attributes:
        code: the rule's stable code; relations sharing a code form one rule.
        kind: how the parts bound the whole.
        parts: the figures bounded.
        whole: the figures that bound them (added together).
        severity: ``error`` when the definitions make a break impossible, ``warning``
            when it is only unlikely.
        section: the part of the return (for the catalogue).
        title: a few words naming the rule.
        rationale: why the bound holds and why this severity (one or two sentences).
        sources: where the figures' definitions come from, by citation key and locator.
        reason: the clause a finding ends with: why the figures disagree, or what to check.
        point_at: the side a finding points at (``parts`` or ``whole``).
        example_whole: the whole in the generated examples (the parts one more, or one less).
    """

    code: str
    kind: Kind
    parts: tuple[Term, ...]
    whole: tuple[Term, ...]
    severity: Severity
    section: str
    title: str
    rationale: str
    sources: tuple[Source, ...]
    reason: str
    point_at: str = "parts"
    example_whole: int = 40

    @property
    def source(self) -> str:
        """The sources as the catalogue prints them."""
        return "; ".join(str(s) for s in self.sources)

    @property
    def terms(self) -> tuple[Term, ...]:
        """Every figure of the relation, parts first."""
        return self.parts + self.whole

    @property
    def value_kind(self) -> ValueKind:
        """The kind of value the relation compares (money when any figure is money)."""
        kinds = {t.shape.kind for t in self.terms}
        for kind in (ValueKind.MONEY, ValueKind.STAFFING, ValueKind.DURATION):
            if kind in kinds:
                return kind
        return ValueKind.COUNT

    def problems(self, ctx: RuleContext) -> Iterator[Problem]:
        """What ``ctx`` breaks of this relation, one problem per item of a list."""
        for index in _indexes(ctx, self.terms):
            yield from self._check(ctx, index)

    def _check(self, ctx: RuleContext, index: int | None) -> Iterator[Problem]:
        parts = [t.bound(index) for t in self.parts]
        whole = [t.bound(index) for t in self.whole]
        part_cells = _cells_of(ctx, parts)
        whole_cells = _cells_of(ctx, whole)
        if part_cells is None or whole_cells is None:
            return
        total, complete = _sum(whole_cells)
        if not complete:
            return
        tolerance = TOLERANCE[self.value_kind]
        if self.kind is Kind.EACH_AT_MOST:
            for path, value in part_cells:
                slack = ctx.slack(path, *(p for p, _ in whole_cells)) + tolerance
                if value is not None and value - total > slack:
                    yield (path, self._message(value, total))
            return
        known, parts_complete = _sum(part_cells)
        slack = ctx.slack(*(p for p, _ in part_cells + whole_cells)) + tolerance
        over = self.kind is Kind.AT_MOST and known - total > slack
        short = self.kind is Kind.AT_LEAST and parts_complete and total - known > slack
        if over or short:
            side = parts if self.point_at == "parts" else whole
            yield (_common_pointer(side), self._message(known, total))

    def example_path(self) -> str:
        """Where the finding on the failing example (:meth:`example`) points."""
        side = self.parts if self.point_at == "parts" else self.whole
        bound = [t.bound(0) for t in side]
        if self.kind is not Kind.EACH_AT_MOST:
            return _common_pointer(bound)
        *base, last = bound[0].pointer.split("/")
        if EVERY in base:
            at = base.index(EVERY)
            return "/".join([*base[:at], "0", *base[at + 1 :], last])
        return "/".join([*base, (bound[0].codes or bound[0].shape.codes)[0]])

    def _message(self, value: float, total: float) -> str:
        """The finding's sentence: the figures, by how much they disagree, and why they must not."""
        show = _shower(self.value_kind)
        summed = self.kind is not Kind.EACH_AT_MOST and (
            len(self.parts) > 1 or EVERY in self.parts[0].pointer
        )
        what = _join([t.label for t in self.parts])
        what = what[0].upper() + what[1:]
        head = f"{what} add up to {show(value)}," if summed else f"{what} ({show(value)}):"
        if value > total:
            more = "more"
        else:
            more = "less" if self.value_kind is ValueKind.MONEY else "fewer"
        whole = _join([t.label for t in self.whole])
        return (
            f"{head} {show(abs(value - total))} {more} than {whole} ({show(total)}); {self.reason}."
        )

    def example(self, breaks: bool) -> tuple[dict[str, Any], str]:
        """A patch that makes a return break (or keep) this relation, and its description.

        The patch maps JSON Pointers to the values to write there (a whole
        breakdown or list is written at once, so no other member counts). The
        whole is :attr:`example_whole`; the parts are one unit past it when
        ``breaks``, and equal to it otherwise.
        """
        n = self.example_whole
        if self.kind is Kind.AT_LEAST:
            parts_total = n - 1 if breaks else n
        else:
            parts_total = n + 1 if breaks else n
        patch: dict[str, Any] = {}
        words: list[str] = []
        for terms, total in ((self.whole, n), (self.parts, parts_total)):
            each = self.kind is Kind.EACH_AT_MOST and terms is self.parts
            shares = _shares(total, len(terms)) if not each else [total] * len(terms)
            for term, share in zip(terms, shares, strict=True):
                writes, said = _write(term.bound(0), share, one_member=each)
                patch.update(writes)
                words.append(said)
        text = "; ".join(words)
        return patch, f"{text[0].upper()}{text[1:]}."


def _shares(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` whole shares, the first ones largest."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _shower(kind: ValueKind) -> Any:
    if kind is ValueKind.MONEY:
        return lambda v: f"£{v:,.2f}"
    if kind is ValueKind.STAFFING:
        return lambda v: f"{v:,.2f} FTE"
    if kind is ValueKind.DURATION:
        return lambda v: f"{v:,.1f} minutes"
    return lambda v: f"{round(v):,}"


def _join(labels: Sequence[str]) -> str:
    if len(labels) == 1:
        return labels[0]
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _value(kind: ValueKind, n: int) -> Any:
    unit = EXAMPLE_UNITS.get(kind)
    return n if unit is None else {"value": n, "unit": unit}


def _item(template: Mapping[str, Any], number: int) -> dict[str, Any]:
    return {k: v.format(n=number) if isinstance(v, str) else v for k, v in template.items()}


def _write(term: Term, n: int, one_member: bool) -> tuple[dict[str, Any], str]:
    """The writes that give ``term`` the total ``n``, and how the example says so."""
    shape = term.shape
    show = _shower(shape.kind)
    pointer = term.pointer
    if pointer.startswith("#"):
        items = [_item(term.item, k + 1) for k in range(n)]
        return {pointer[1:]: items}, f"{term.label}: {n:,}"
    *base, last = pointer.split("/")
    if EVERY in base:
        # a field of every item of a list: two items share the total
        at = base.index(EVERY)
        list_pointer = "/".join(base[:at])
        field = last  # a field of the item itself (the only shape the table uses)
        shares = [n] if one_member else _shares(n, 2)
        items = []
        for k, share in enumerate(shares):
            item = _item(term.item, k + 1)
            item[field] = _value(shape.kind, share)
            items.append(item)
        said = " + ".join(show(s) for s in shares)
        return {list_pointer: items}, f"{term.label}: {said}"
    if last == EVERY:
        known = term.codes or shape.codes
        codes = known[:1] if one_member else known[:2]
        shares = [n] if one_member else _shares(n, len(codes))
        cells = {c: _value(shape.kind, s) for c, s in zip(codes, shares, strict=True)}
        said = " + ".join(f"{show(s)} ({c})" for c, s in zip(cells, shares, strict=True))
        return {"/".join(base): cells}, f"{term.label}: {said}"
    return {pointer: _value(shape.kind, n)}, f"{term.label}: {show(n)}"


def _common_pointer(terms: Sequence[Term]) -> str:
    """The deepest pointer above every term (without wildcards)."""
    paths = [t.pointer.lstrip("#").split("/") for t in terms]
    common: list[str] = []
    for tokens in zip(*paths, strict=False):
        if len(set(tokens)) != 1 or tokens[0] in (EVERY, EACH_ITEM):
            break
        common.append(tokens[0])
    if len(terms) == 1 and paths[0][-1] != EVERY and EVERY not in paths[0]:
        return "/".join(paths[0])
    return "/".join(common)


_INDEX = re.compile(r"^\d+$")


def _indexes(ctx: RuleContext, terms: Sequence[Term]) -> Iterator[int | None]:
    """The list positions to take one at a time, or ``None`` once for no such list."""
    patterns = [t.pointer for t in terms if EACH_ITEM in t.pointer]
    if not patterns:
        yield None
        return
    list_pointer = patterns[0].lstrip("#").split("/" + EACH_ITEM)[0]
    found = _walk(ctx.ret, list_pointer.split("/")[1:])
    if isinstance(found, list):
        yield from range(len(found))


_ABSENT = object()


def _walk(obj: Any, tokens: Sequence[str]) -> Any:
    """The value at ``tokens`` below ``obj``; :data:`_ABSENT` where nothing is given."""
    for token in tokens:
        if obj is None or obj is _ABSENT:
            return _ABSENT
        if isinstance(obj, BaseModel):
            obj = getattr(obj, token)
        elif isinstance(obj, Mapping):
            values = {getattr(k, "value", k): v for k, v in obj.items()}
            # a code left out of a breakdown counts none
            obj = values.get(token, 0)
        elif isinstance(obj, list):
            if not _INDEX.match(token) or int(token) >= len(obj):
                return _ABSENT
            obj = obj[int(token)]
        else:
            return _ABSENT
    return _ABSENT if obj is None else obj


def _number(value: Any) -> float | None:
    if hasattr(value, "canonical"):
        return float(value.canonical)
    return count(value)


def _cells(ctx: RuleContext, term: Term) -> list[tuple[str, float | None]] | None:
    """The term's values as ``(pointer, value)``; ``None`` when the figure is not given.

    A value withheld (``null``) is ``None`` in its pair.
    """
    pointer = term.pointer.lstrip("#")
    tokens = pointer.split("/")[1:]
    if term.pointer.startswith("#"):
        found = _walk(ctx.ret, tokens)
        return None if not isinstance(found, list) else [(pointer, float(len(found)))]
    if EVERY not in tokens:
        container = _walk(ctx.ret, tokens[:-1])
        if container is _ABSENT:
            return None
        raw = _walk(container, tokens[-1:])
        return [(pointer, None if raw is _ABSENT else _number(raw))]
    at = tokens.index(EVERY)
    container = _walk(ctx.ret, tokens[:at])
    if container is _ABSENT or (term.empty_is_absent and not container):
        return None
    base = "/" + "/".join(tokens[:at])
    rest = tokens[at + 1 :]
    members = (
        [(getattr(k, "value", k), v) for k, v in container.items()]
        if isinstance(container, Mapping)
        else list(enumerate(container))
    )
    out: list[tuple[str, float | None]] = []
    for key, member in members:
        value = _walk(member, rest) if rest else member
        path = "/".join([base, str(key), *rest])
        out.append((path, None if value is _ABSENT else _number(value)))
    return out


def _cells_of(ctx: RuleContext, terms: Sequence[Term]) -> list[tuple[str, float | None]] | None:
    out: list[tuple[str, float | None]] = []
    for term in terms:
        cells = _cells(ctx, term)
        if cells is None:
            return None
        out += cells
    return out


def _sum(cells: Iterable[tuple[str, float | None]]) -> tuple[float, bool]:
    total = 0.0
    complete = True
    for _, value in cells:
        if value is None:
            complete = False
        else:
            total += value
    return total, complete


def partition(
    *,
    over_code: str,
    under_code: str,
    parts: tuple[Term, ...],
    whole: tuple[Term, ...],
    section: str,
    over_title: str,
    under_title: str,
    over_rationale: str,
    under_rationale: str,
    sources: tuple[Source, ...],
    over_reason: str,
    under_reason: str,
    over_severity: Severity = Severity.ERROR,
    under_severity: Severity = Severity.WARNING,
    point_at: str = "parts",
    example_whole: int = 40,
) -> tuple[Relation, Relation]:
    """The two relations of parts that add up to a whole: never more, and never less.

    The shortfall is a warning (the default) wherever the figures allow "not
    known": a part may be unrecorded, so the parts may honestly fall short. It
    is an error where every member of the whole has exactly one part.
    """
    over = Relation(
        code=over_code,
        kind=Kind.AT_MOST,
        parts=parts,
        whole=whole,
        severity=over_severity,
        section=section,
        title=over_title,
        rationale=over_rationale,
        sources=sources,
        reason=over_reason,
        point_at=point_at,
        example_whole=example_whole,
    )
    under = over._replace(
        code=under_code,
        kind=Kind.AT_LEAST,
        severity=under_severity,
        title=under_title,
        rationale=under_rationale,
        reason=under_reason,
    )
    return over, under


def rules_from(relations: Sequence[Relation]) -> tuple[Rule, ...]:
    """One :class:`Rule` per code of ``relations``, in the order codes first appear.

    The rule of a code shared by several relations checks them all; its title,
    severity, section and examples are those of the first.
    """
    by_code: dict[str, list[Relation]] = {}
    for relation in relations:
        by_code.setdefault(relation.code, []).append(relation)
    return tuple(_rule(group) for group in by_code.values())


def _rule(group: Sequence[Relation]) -> Rule:
    first = group[0]

    def check(ctx: RuleContext) -> Iterator[Problem]:
        for relation in group:
            yield from relation.problems(ctx)

    return Rule(
        code=first.code,
        severity=first.severity,
        section=first.section,
        title=first.title,
        rationale=first.rationale,
        source="; ".join(dict.fromkeys(r.source for r in group)),
        # Written when the catalogue first reads them, not on every start-up.
        fails=lambda: first.example(breaks=True)[1],
        passes=lambda: first.example(breaks=False)[1],
        check=check,
    )
