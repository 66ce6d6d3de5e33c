"""The eligibility engine: a rule tree, three-valued evaluation, decisions with reasons.

Every criterion answers *met*, *failed* or *unknown* (a fact it needs is
missing). ``all``, ``any`` and ``not`` combine these with Kleene's
three-valued logic, so a missing fact makes the decision ``needs review``
only when its value could change the outcome:

- ``all`` fails if any part fails, else is unknown if any part is unknown,
  else is met;
- ``any`` is met if any part is met, else is unknown if any part is unknown,
  else fails;
- ``not`` swaps met and failed and leaves unknown alone.

The evaluation date ``as_of`` is always passed in; the engine never reads
the clock, so a decision can be reproduced later.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterator, Sequence

import attrs

from spcore.eligibility.calendar import age_on, birthday, window_start
from spcore.eligibility.facts import PersonFacts, exclusion_fact
from spcore.rag.model import EXCLUSION_TEXT, ReferralExclusion


class Truth(enum.StrEnum):
    """Three-valued outcome of a criterion or a combination."""

    MET = "met"
    FAILED = "failed"
    UNKNOWN = "unknown"

    def negate(self) -> Truth:
        """Kleene negation: met ↔ failed, unknown stays unknown."""
        if self is Truth.MET:
            return Truth.FAILED
        if self is Truth.FAILED:
            return Truth.MET
        return Truth.UNKNOWN


class Outcome(enum.StrEnum):
    """The decision on one person: never a bare boolean."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not eligible"
    NEEDS_REVIEW = "needs review"


_OUTCOME = {Truth.MET: Outcome.ELIGIBLE, Truth.FAILED: Outcome.NOT_ELIGIBLE}


def _all(values: Sequence[Truth]) -> Truth:
    if Truth.FAILED in values:
        return Truth.FAILED
    return Truth.UNKNOWN if Truth.UNKNOWN in values else Truth.MET


def _any(values: Sequence[Truth]) -> Truth:
    if Truth.MET in values:
        return Truth.MET
    return Truth.UNKNOWN if Truth.UNKNOWN in values else Truth.FAILED


# --- bounds ---------------------------------------------------------------------


def _dec(value: float | int | decimal.Decimal | None) -> decimal.Decimal | None:
    # str() first: Decimal(0.1) would carry the binary rounding error into the comparison.
    return None if value is None else decimal.Decimal(str(value))


@attrs.frozen
class Bounds:
    """Inclusive (``at_least``, ``at_most``) and exclusive (``more_than``,
    ``less_than``) bounds on a number; ``None`` means no bound."""

    at_least: decimal.Decimal | None = attrs.field(default=None, converter=_dec)
    more_than: decimal.Decimal | None = attrs.field(default=None, converter=_dec)
    at_most: decimal.Decimal | None = attrs.field(default=None, converter=_dec)
    less_than: decimal.Decimal | None = attrs.field(default=None, converter=_dec)

    def contains(self, value: decimal.Decimal | int) -> bool:
        """True when ``value`` meets every bound."""
        number = decimal.Decimal(value)
        if self.at_least is not None and number < self.at_least:
            return False
        if self.more_than is not None and number <= self.more_than:
            return False
        if self.at_most is not None and number > self.at_most:
            return False
        return not (self.less_than is not None and number >= self.less_than)

    def describe(self, fmt: str = "{}") -> str:
        """Plain words: ``18 or more``, ``more than £20``, ``1 to 3``."""
        parts = []
        if self.at_least is not None:
            parts.append(f"{fmt.format(self.at_least)} or more")
        if self.more_than is not None:
            parts.append(f"more than {fmt.format(self.more_than)}")
        if self.at_most is not None:
            parts.append(f"{fmt.format(self.at_most)} or less")
        if self.less_than is not None:
            parts.append(f"less than {fmt.format(self.less_than)}")
        return " and ".join(parts)


# --- criteria -------------------------------------------------------------------


@attrs.frozen
class Check:
    """Result of one criterion on one person, before polarity is applied."""

    truth: Truth
    reason: str


def _flag(value: bool | None, expected: bool, fact: str) -> Check:
    if value is None:
        return Check(Truth.UNKNOWN, f"{fact} is not known")
    truth = Truth.MET if value is expected else Truth.FAILED
    return Check(truth, f"{fact} is {'yes' if value else 'no'}")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@attrs.frozen
class Age:
    """Age on the evaluation date, from date of birth or recorded age.

    ``at_least``, ``at_most`` and ``less_than`` compare the age in completed
    years ("18 or over", "64 or under", "under 65"). ``more_than`` N reads
    "over N" strictly: older than N years, that is from the day *after* the
    Nth birthday, so only people on their Nth birthday differ from
    ``at_least`` N (family-action-2018 "over 18"; see docs/eligibility.md).
    With only a recorded age (completed years) of exactly N, ``more_than`` N
    is unknown: the person may be on their birthday.
    """

    bounds: Bounds
    path: str = ""
    name = "age"

    def describe(self) -> str:
        """What the criterion requires, in plain words."""
        parts = []
        b = self.bounds
        if b.at_least is not None:
            parts.append(f"age {b.at_least} or more")
        if b.more_than is not None:
            n = int(b.more_than)
            parts.append(f"older than {n} (from the day after the {_ordinal(n)} birthday)")
        if b.at_most is not None:
            parts.append(f"age {b.at_most} or less")
        if b.less_than is not None:
            parts.append(f"under {b.less_than}")
        return " and ".join(parts)

    def facts(self) -> tuple[str, ...]:
        """The fact columns this criterion reads."""
        return ("date_of_birth", "age")

    def _older_than(self, n: int, years: int, born: dt.date | None, as_of: dt.date) -> Truth:
        if years != n:
            return Truth.MET if years > n else Truth.FAILED
        if born is None:
            return Truth.UNKNOWN  # aged n in completed years: maybe the birthday itself
        return Truth.MET if as_of != birthday(born, n) else Truth.FAILED

    def check(self, person: PersonFacts, as_of: dt.date) -> Check:
        """Evaluate on one person."""
        born = person.date_of_birth
        if born is not None:
            years = age_on(born, as_of)
            if years < 0:
                return Check(Truth.UNKNOWN, f"date of birth {born} is after {as_of}")
            source = f"aged {years} on {as_of}, born {born}"
            if years > 0 and as_of == birthday(born, years):
                source += f", the {_ordinal(years)} birthday"
        elif person.age is not None:
            years = person.age
            source = f"recorded age {years}"
        else:
            return Check(Truth.UNKNOWN, "date of birth and age are not known")
        b = self.bounds
        truths: list[Truth] = []
        if (b.at_least, b.at_most, b.less_than) != (None, None, None):
            # Completed years: one Bounds holds all three, more_than being read apart.
            in_years = Bounds(b.at_least, None, b.at_most, b.less_than).contains(years)
            truths.append(Truth.MET if in_years else Truth.FAILED)
        if b.more_than is not None:
            truths.append(self._older_than(int(b.more_than), years, born, as_of))
        truth = _all(truths)
        if truth is Truth.UNKNOWN:
            source += f"; whether that is after the {_ordinal(int(b.more_than or 0))} birthday "
            source += "is not known without the date of birth"
        return Check(truth, source)


@attrs.frozen
class Flag:
    """A yes/no fact that must have the expected value."""

    fact: str
    expected: bool
    label: str
    path: str = ""

    @property
    def name(self) -> str:
        """Criterion name (the fact name)."""
        return self.fact

    def describe(self) -> str:
        """What the criterion requires, in plain words."""
        return self.label if self.expected else f"not {self.label}"

    def facts(self) -> tuple[str, ...]:
        """The fact columns this criterion reads."""
        return (self.fact,)

    def check(self, person: PersonFacts, as_of: dt.date) -> Check:
        """Evaluate on one person."""
        value: bool | None = person.get(self.fact)
        return _flag(value, self.expected, self.fact)


@attrs.frozen
class DischargedWithin:
    """Discharged on or after the window start and on or before the evaluation date."""

    months: int = 0
    weeks: int = 0
    days: int = 0
    path: str = ""
    name = "discharged_within"

    def _length(self) -> str:
        parts = [
            f"{n} {unit}{'' if n == 1 else 's'}"
            for n, unit in ((self.months, "month"), (self.weeks, "week"), (self.days, "day"))
            if n
        ]
        return " and ".join(parts)

    def describe(self) -> str:
        """What the criterion requires, in plain words."""
        return f"discharged from hospital within the last {self._length()}"

    def facts(self) -> tuple[str, ...]:
        """The fact columns this criterion reads."""
        return ("discharge_date",)

    def check(self, person: PersonFacts, as_of: dt.date) -> Check:
        """Evaluate on one person."""
        discharged = person.discharge_date
        if discharged is None:
            return Check(Truth.UNKNOWN, "discharge date is not known")
        try:
            start = window_start(as_of, months=self.months, weeks=self.weeks, days=self.days)
        except OverflowError:
            return Check(Truth.UNKNOWN, f"the window before {as_of} is outside the calendar")
        if discharged > as_of:
            return Check(Truth.FAILED, f"discharge date {discharged} is after {as_of}")
        if discharged < start:
            return Check(Truth.FAILED, f"discharged {discharged}, before {start}")
        return Check(Truth.MET, f"discharged {discharged}, on or after {start}")


@attrs.frozen
class NoExclusion:
    """None of the listed referral exclusions applies (family-action-2018, "beyond red")."""

    exclusions: tuple[ReferralExclusion, ...] = tuple(ReferralExclusion)
    path: str = ""
    name = "no_referral_exclusion"

    def describe(self) -> str:
        """What the criterion requires, in plain words."""
        if set(self.exclusions) == set(ReferralExclusion):
            return "none of the referral exclusions applies"
        listed = "; ".join(EXCLUSION_TEXT[c] for c in self.exclusions)
        return f"none of these applies: {listed}"

    def facts(self) -> tuple[str, ...]:
        """The fact columns this criterion reads."""
        return tuple(exclusion_fact(c) for c in self.exclusions)

    def check(self, person: PersonFacts, as_of: dt.date) -> Check:
        """Evaluate on one person."""
        present = [c for c in self.exclusions if person.exclusion(c) is True]
        unknown = [c for c in self.exclusions if person.exclusion(c) is None]
        if present:
            text = "; ".join(EXCLUSION_TEXT[c] for c in present)
            return Check(Truth.FAILED, f"beyond red: {text}")
        if unknown:
            names = ", ".join(exclusion_fact(c) for c in unknown)
            return Check(Truth.UNKNOWN, f"not known: {names}")
        return Check(Truth.MET, "no referral exclusion applies")


@attrs.frozen
class InRange:
    """A numeric fact within bounds."""

    fact: str
    bounds: Bounds
    label: str
    money: bool = False
    path: str = ""

    @property
    def name(self) -> str:
        """Criterion name (the fact name)."""
        return self.fact

    def _fmt(self) -> str:
        return "£{}" if self.money else "{}"

    def describe(self) -> str:
        """What the criterion requires, in plain words."""
        return f"{self.label} {self.bounds.describe(self._fmt())}"

    def facts(self) -> tuple[str, ...]:
        """The fact columns this criterion reads."""
        return (self.fact,)

    def check(self, person: PersonFacts, as_of: dt.date) -> Check:
        """Evaluate on one person."""
        value: decimal.Decimal | int | None = person.get(self.fact)
        if value is None:
            return Check(Truth.UNKNOWN, f"{self.fact} is not known")
        truth = Truth.MET if self.bounds.contains(value) else Truth.FAILED
        return Check(truth, f"{self.fact} is {self._fmt().format(value)}")


@attrs.frozen
class PamLevel:
    """Patient Activation Measure level is one of the listed levels."""

    levels: frozenset[int]
    path: str = ""
    name = "pam_level"

    def describe(self) -> str:
        """What the criterion requires, in plain words."""
        listed = sorted(self.levels)
        text = ", ".join(str(n) for n in listed[:-1])
        text = f"{text} or {listed[-1]}" if text else str(listed[-1])
        return f"PAM level {text}"

    def facts(self) -> tuple[str, ...]:
        """The fact columns this criterion reads."""
        return ("pam_level",)

    def check(self, person: PersonFacts, as_of: dt.date) -> Check:
        """Evaluate on one person."""
        if person.pam_level is None:
            return Check(Truth.UNKNOWN, "pam_level is not known")
        truth = Truth.MET if person.pam_level in self.levels else Truth.FAILED
        return Check(truth, f"pam_level is {person.pam_level}")


@attrs.frozen
class ReferralCriterion:
    """The person's referral criteria include at least one listed code."""

    codes: tuple[str, ...]
    path: str = ""
    name = "referral_criterion"

    def describe(self) -> str:
        """What the criterion requires, in plain words."""
        return f"referral criteria include any of: {', '.join(self.codes)}"

    def facts(self) -> tuple[str, ...]:
        """The fact columns this criterion reads."""
        return ("referral_criteria",)

    def check(self, person: PersonFacts, as_of: dt.date) -> Check:
        """Evaluate on one person."""
        held = person.referral_criteria
        if held is None:
            return Check(Truth.UNKNOWN, "referral_criteria is not known")
        matched = [c for c in self.codes if c in held]
        if matched:
            return Check(Truth.MET, f"has {', '.join(matched)}")
        shown = ", ".join(sorted(held)) or "none"
        return Check(Truth.FAILED, f"referral criteria are {shown}")


Criterion = Age | Flag | DischargedWithin | NoExclusion | InRange | PamLevel | ReferralCriterion


@attrs.frozen
class AllOf:
    """Met when every part is met."""

    parts: tuple[Node, ...]
    path: str = ""


@attrs.frozen
class AnyOf:
    """Met when at least one part is met."""

    parts: tuple[Node, ...]
    path: str = ""


@attrs.frozen
class Not:
    """Met when the part is not met."""

    part: Node
    path: str = ""


Node = AllOf | AnyOf | Not | Criterion


@attrs.frozen
class RuleSet:
    """A validated set of eligibility rules (from a rule file or built in code)."""

    id: str
    title: str
    rule: Node
    description: str | None = None
    source: str | None = None

    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion in the rule, in file order."""
        return tuple(_leaves(self.rule))

    def facts(self) -> frozenset[str]:
        """Every fact (CSV column) the rules read."""
        return frozenset(f for c in self.criteria() for f in c.facts())


def _leaves(node: Node) -> Iterator[Criterion]:
    if isinstance(node, AllOf | AnyOf):
        for part in node.parts:
            yield from _leaves(part)
    elif isinstance(node, Not):
        yield from _leaves(node.part)
    else:
        yield node


# --- decisions -----------------------------------------------------------------


@attrs.frozen
class CriterionResult:
    """How one criterion went for one person.

    Attributes:
        path: JSON Pointer to the criterion in the rule file.
        criterion: the criterion name (for example ``age``).
        requirement: what counts towards eligibility, in plain words; it
            starts with "not" when the criterion sits under an odd number of
            ``not``.
        outcome: ``met`` when it counts towards eligibility, ``failed`` when
            it counts against, ``unknown`` when a fact is missing.
        reason: the facts behind the outcome (for example "aged 45 on
            2025-06-30").
        decisive: True when this criterion is one the decision rests on
            (for example, the failed part of an ``all``); these are the
            reasons to show first.
    """

    path: str
    criterion: str
    requirement: str
    outcome: Truth
    reason: str
    decisive: bool

    def text(self) -> str:
        """One line: ``age 18 or more: met (aged 45 on 2025-06-30)``."""
        return f"{self.requirement}: {self.outcome} ({self.reason})"


@attrs.frozen
class Decision:
    """The eligibility decision on one person, with every criterion's result."""

    outcome: Outcome
    rules_id: str
    as_of: dt.date
    results: tuple[CriterionResult, ...]

    @property
    def met(self) -> tuple[CriterionResult, ...]:
        """Criteria that count towards eligibility."""
        return tuple(r for r in self.results if r.outcome is Truth.MET)

    @property
    def failed(self) -> tuple[CriterionResult, ...]:
        """Criteria that count against eligibility."""
        return tuple(r for r in self.results if r.outcome is Truth.FAILED)

    @property
    def unknown(self) -> tuple[CriterionResult, ...]:
        """Criteria that could not be decided for want of a fact."""
        return tuple(r for r in self.results if r.outcome is Truth.UNKNOWN)

    @property
    def reasons(self) -> tuple[CriterionResult, ...]:
        """The criteria the decision rests on."""
        return tuple(r for r in self.results if r.decisive)


@attrs.define
class _Eval:
    truth: Truth
    children: list[_Eval]
    leaf: CriterionResult | None = None


def _evaluate(node: Node, person: PersonFacts, as_of: dt.date, negated: bool) -> _Eval:
    if isinstance(node, AllOf | AnyOf):
        children = [_evaluate(p, person, as_of, negated) for p in node.parts]
        combine = _all if isinstance(node, AllOf) else _any
        return _Eval(combine([c.truth for c in children]), children)
    if isinstance(node, Not):
        child = _evaluate(node.part, person, as_of, not negated)
        return _Eval(child.truth.negate(), [child])
    check = node.check(person, as_of)
    effective = check.truth.negate() if negated else check.truth
    requirement = f"not {node.describe()}" if negated else node.describe()
    leaf = CriterionResult(node.path, node.name, requirement, effective, check.reason, False)
    return _Eval(check.truth, [], leaf)


def _mark(evaluation: _Eval, decisive: set[int]) -> None:
    """Mark the leaves that the node's truth rests on.

    For ``all``/``any``, the decisive parts are those with the same truth as
    the whole when the whole is failed/met respectively ("any failed part
    fails all"); otherwise every part with that truth. For ``not``, the part.
    """
    if evaluation.leaf is not None:
        decisive.add(id(evaluation.leaf))
        return
    matching = [c for c in evaluation.children if c.truth is evaluation.truth]
    for child in matching or evaluation.children:
        _mark(child, decisive)


def _collect(evaluation: _Eval) -> Iterator[CriterionResult]:
    if evaluation.leaf is not None:
        yield evaluation.leaf
    for child in evaluation.children:
        yield from _collect(child)


def evaluate(rules: RuleSet, person: PersonFacts, *, as_of: dt.date) -> Decision:
    """Decide whether ``person`` is eligible under ``rules`` on ``as_of``.

    Returns ``eligible``, ``not eligible`` or ``needs review`` (a missing fact
    could change the outcome), with every criterion's result and reason.
    """
    root = _evaluate(rules.rule, person, as_of, negated=False)
    decisive: set[int] = set()
    _mark(root, decisive)
    results = tuple(attrs.evolve(leaf, decisive=id(leaf) in decisive) for leaf in _collect(root))
    outcome = _OUTCOME.get(root.truth, Outcome.NEEDS_REVIEW)
    return Decision(outcome, rules.id, as_of, results)
