"""What a business rule is, and the few helpers every rule reads a return through.

A rule is data: a stable code, a severity, a title, a one-sentence rationale
citing its source, and a documented failing and passing example, beside the
function that checks it. The catalogue in the documentation is rendered from
these objects (:mod:`spcore.validation.catalogue`), so the code and the
documentation cannot disagree.

Severity follows :class:`~spcore.findings.Severity`: ``error`` when the figures
cannot all be true at once (impossible), ``warning`` when they could be but
are unlikely enough to deserve a second look (implausible).

Rules never raise. :meth:`RuleInfo.guard` turns an unexpected exception inside
a check into the internal finding :data:`INTERNAL_CODE`, so a bug in one rule
cannot hide the other findings or print a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar, Generic, NamedTuple, Self, TypeVar

from spcore.findings import Finding, Severity, error
from spcore.framework.quarterly_return import QuarterlyReturn

#: The code reported when a rule itself fails on a document (a defect in spcore).
INTERNAL_CODE = "SPC-R999"

#: A problem a check found: the JSON Pointer and one plain sentence.
Problem = tuple[str, str]


class RuleContext(NamedTuple):
    """What a rule checks: the parsed return, the document as read, and today's date.

    ``today`` is given by the caller so that checks against the calendar (a
    quarter in the future) are deterministic in tests.
    """

    ret: QuarterlyReturn
    raw: Mapping[str, Any]
    today: dt.date
    #: How findings about other returns name this one (its file, or its place in a list).
    label: str = "another return"

    @property
    def disclosure(self) -> Any:
        """The return's disclosure-control section, or ``None`` when it declares none."""
        return getattr(self.ret, "disclosure_control", None)

    def slack(self, *paths: str) -> int:
        """How far the published counts at ``paths`` may disagree because of rounding.

        A count rounded to the nearest multiple of the rounding base ``b`` is
        at most ``b // 2`` from the true count (for whole numbers), so a sum
        over several rounded counts may be out by that much per count. Counts
        the return does not list as rounded contribute nothing.
        """
        control = self.disclosure
        if control is None:
            return 0
        rounded = set(getattr(control, "rounded", ()) or ())
        base = int(getattr(control, "rounding_base", 1) or 1)
        return (base // 2) * sum(1 for p in paths if p in rounded)

    def withheld(self, path: str) -> bool:
        """True when disclosure control lists the count at ``path`` as withheld."""
        control = self.disclosure
        return control is not None and path in set(getattr(control, "suppressed", ()) or ())


def count(value: Any) -> int | None:
    """A count as a rule reads it: the number, or ``None`` when it is absent or withheld.

    Every rule reads counts through this helper, so a ``null`` written by
    small-number suppression is treated as "unknown" and never as zero.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


class RuleInfo:
    """What every rule declares: its code, severity, and documentation.

    Read-only once made. A plain class rather than an attrs one: the checks
    load about sixty rules on every run of ``spcore validate``, and generating
    attrs methods for these four classes cost more than the rules' own code.
    Rules compare by identity (each is made once, at import).

    Attributes:
        code: stable identifier (``SPC-R001``…), never reused.
        severity: ``error`` (impossible) or ``warning`` (implausible).
        section: the part of the return the rule reads (for the catalogue).
        title: a few words naming the rule.
        rationale: one sentence: why the rule holds, and why this severity.
        source: the published source (by citation key) the rule comes from.
        fails: a short description of a return the rule reports.
        passes: a short description of a similar return it accepts.

    ``fails`` and ``passes`` may be given as functions that write them: the
    bound rules compute their examples from the model, which only the catalogue
    reads, so they are written when first read.
    """

    __slots__ = (
        "_fails",
        "_passes",
        "code",
        "rationale",
        "section",
        "severity",
        "source",
        "title",
    )
    #: What the constructor takes, in order (the subclasses add ``check``).
    FIELDS: ClassVar[tuple[str, ...]] = (
        "code",
        "severity",
        "section",
        "title",
        "rationale",
        "source",
        "fails",
        "passes",
    )

    code: str
    severity: Severity
    section: str
    title: str
    rationale: str
    source: str

    def __init__(
        self,
        *,
        code: str,
        severity: Severity,
        section: str,
        title: str,
        rationale: str,
        source: str,
        fails: str | Callable[[], str],
        passes: str | Callable[[], str],
    ) -> None:
        given = {
            "code": code,
            "severity": severity,
            "section": section,
            "title": title,
            "rationale": rationale,
            "source": source,
            "_fails": fails,
            "_passes": passes,
        }
        for name, value in given.items():
            object.__setattr__(self, name, value)

    @property
    def fails(self) -> str:
        """A short description of a return the rule reports."""
        return self._written("_fails")

    @property
    def passes(self) -> str:
        """A short description of a similar return it accepts."""
        return self._written("_passes")

    def _written(self, slot: str) -> str:
        value = getattr(self, slot)
        if callable(value):
            value = value()
            object.__setattr__(self, slot, value)
        return str(value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a rule is read-only: cannot set {name!r} of {self.code}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"a rule is read-only: cannot delete {name!r} of {self.code}")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code} {self.severity.value}: {self.title}>"

    def replace(self, **changes: Any) -> Self:
        """A copy of the rule with ``changes`` (field name -> value) made."""
        unknown = set(changes) - set(self.FIELDS)
        if unknown:
            raise TypeError(f"a rule has no field {', '.join(sorted(unknown))}")
        return type(self)(**{name: changes.get(name, getattr(self, name)) for name in self.FIELDS})

    def finding(self, path: str, message: str) -> Finding:
        """A finding of this rule at ``path``."""
        return Finding(self.code, self.severity, path, message)

    def guard(self, problems: Callable[[], Iterable[Any]]) -> Iterator[Any]:
        """Run ``problems`` and yield its items; an exception becomes one internal finding."""
        try:
            yield from list(problems())
        except Exception as exc:  # a defect in a rule must not stop validation
            yield internal_finding(self.code, exc)


def internal_finding(code: str, exc: BaseException) -> Finding:
    """The finding reported when the rule ``code`` failed with ``exc``."""
    return error(
        INTERNAL_CODE,
        "",
        f"spcore could not complete check {code} on this document ({type(exc).__name__}); "
        "the return has not been fully checked, so please report this to the spcore project.",
    )


#: A problem found across returns: which return (its index), the pointer, the sentence.
CrossProblem = tuple[int, str, str]

#: What each kind of rule calls to check: a return, any document, or several returns.
ReturnCheck = Callable[[RuleContext], Iterable[Problem]]
DocumentCheck = Callable[[Mapping[str, Any]], Iterable[Problem]]
CrossCheck = Callable[[Sequence[RuleContext]], Iterable[CrossProblem]]
CheckT = TypeVar("CheckT", ReturnCheck, DocumentCheck, CrossCheck)


class _Checked(RuleInfo, Generic[CheckT]):
    """A rule with the function that checks it (what the three kinds of rule share)."""

    __slots__ = ("check",)
    FIELDS = (*RuleInfo.FIELDS, "check")

    check: CheckT

    def __init__(self, *, check: CheckT, **info: Any) -> None:
        super().__init__(**info)
        object.__setattr__(self, "check", check)

    def _findings(self, problems: Callable[[], Iterable[Any]]) -> list[Finding]:
        """The findings of ``problems`` (pointer and sentence pairs, or findings)."""
        return [
            item if isinstance(item, Finding) else self.finding(*item)
            for item in self.guard(problems)
        ]


class Rule(_Checked[ReturnCheck]):
    """A rule about one return that has passed the schema."""

    __slots__ = ()

    def run(self, ctx: RuleContext) -> list[Finding]:
        """The rule's findings on ``ctx`` (never raises)."""
        return self._findings(lambda: self.check(ctx))


class DocumentRule(_Checked[DocumentCheck]):
    """A rule that reads any JSON object, valid or not (personal data is looked for in both)."""

    __slots__ = ()

    def run(self, document: Mapping[str, Any]) -> list[Finding]:
        """The rule's findings on ``document`` (never raises)."""
        return self._findings(lambda: self.check(document))


class CrossReturnRule(_Checked[CrossCheck]):
    """A rule about several returns of one scheme given together."""

    __slots__ = ()

    def run(self, contexts: Sequence[RuleContext]) -> list[tuple[int | None, Finding]]:
        """``(index, finding)`` pairs; an internal failure has index ``None`` (every return)."""
        out: list[tuple[int | None, Finding]] = []
        for item in self.guard(lambda: self.check(contexts)):
            if isinstance(item, Finding):
                out.append((None, item))
            else:
                index, path, message = item
                out.append((index, self.finding(path, message)))
        return out


def plural(n: int | float, one: str, many: str | None = None) -> str:
    """``"1 person"``, ``"3 people"``: a number with its noun in the right form."""
    shown = f"{n:,}" if isinstance(n, int) else f"{n:,.2f}".rstrip("0").rstrip(".")
    return f"{shown} {one if n == 1 else (many or one + 's')}"


def rule(
    code: str,
    severity: Severity,
    *,
    section: str,
    title: str,
    rationale: str,
    source: str,
    fails: str,
    passes: str,
) -> Callable[[Callable[[RuleContext], Iterable[Problem]]], Rule]:
    """Decorator: make a check function into a :class:`Rule` with its documentation."""

    def make(check: Callable[[RuleContext], Iterable[Problem]]) -> Rule:
        return Rule(
            code=code,
            severity=severity,
            section=section,
            title=title,
            rationale=rationale,
            source=source,
            fails=fails,
            passes=passes,
            check=check,
        )

    return make
