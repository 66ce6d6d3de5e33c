"""Social return on investment from the evaluation's figures and the user's assumptions.

spcore follows the stages of *A guide to Social Return on Investment*
(``sroi-guide-2012``; hlp-2017 points commissioners to it):

1. **Scope and stakeholders** — the SROI file names each outcome's stakeholder.
2. **Mapping outcomes** — each outcome names the figure that counts it
   (``quantity``): people improved on an instrument, people who progressed,
   a reduction in a service's use, or a number given.
3. **Evidencing outcomes and giving them a value** — the quantity comes from
   the evaluation; the user gives each a financial proxy (£ per unit per year)
   and its source, or the unit cost of a service from ``--unit-costs``.
4. **Establishing impact** — deadweight, displacement and attribution are
   taken off (``value × (1 − deadweight) × (1 − displacement) × (1 − attribution)``),
   and drop-off reduces each later year's value by its share.
5. **Calculating the SROI** — each year's value over the outcome's duration
   is discounted to present value at the discount rate (default 3.5%, the
   Green Book's Social Time Preference Rate for the first 30 years:
   ``hmt-green-book-discounting-2025``) as ``value_t / (1 + r)^t`` for years
   t = 1 … duration; the ratio is total present value over the investment;
   and a sensitivity table shows the ratio as each assumption moves, with the
   change in the proxies that would bring it to 1:1.
6. **Reporting** — the report and the JSON document give every assumption,
   value and source beside the ratio.

The SROI file is YAML or JSON (see ``docs/evaluation/sroi.md``); every
problem is a finding with its JSON Pointer and line (``SPC-V020`` to
``SPC-V022``).
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs
import yaml

from spcore import strict_json, strict_yaml
from spcore.evaluation import codes
from spcore.excerpt import excerpt
from spcore.findings import Finding, error, has_errors, pointer

#: The Green Book discount rate for years 0-30 (hmt-green-book-discounting-2025, section 1).
GREEN_BOOK_RATE: Final = 0.035
#: Longest duration of an outcome, in years (the Green Book rate applies for 30).
MAX_DURATION: Final = 30
#: Largest SROI file read, in bytes.
MAX_FILE_BYTES: Final = 1_000_000
#: The shares an outcome's impact is reduced by.
SHARES: Final = ("deadweight", "displacement", "attribution", "drop_off")
#: What a quantity may count, by the kind of figure it names.
QUANTITY_COUNTS: Final[dict[str, tuple[str, ...]]] = {
    "instrument": ("improved", "n_paired"),
    "progress": ("progressed_any", "progressed_min"),
    "service": ("reduction", "reduction_vs_comparison"),
}
_OUTCOME_KEYS: Final = frozenset(
    {"id", "description", "stakeholder", "quantity", "proxy", "proxy_source", "duration", *SHARES}
)
_TOP_KEYS: Final = frozenset(
    {"investment", "discount_rate", "outcomes", "sensitivity", "price_year", "title"}
)


@attrs.frozen
class Outcome:
    """One outcome valued in the SROI (stage 2 to 4)."""

    id: str
    description: str
    stakeholder: str
    quantity: dict[str, Any] | float
    proxy: float | None
    proxy_unit_cost: str | None
    proxy_source: str
    deadweight: float
    displacement: float
    attribution: float
    drop_off: float
    duration: int


@attrs.frozen
class Assumptions:
    """An SROI file, read and checked."""

    file: str
    title: str
    investment: float
    investment_source: str
    discount_rate: float
    outcomes: tuple[Outcome, ...]
    share_step: float = 0.1
    proxy_step: float = 0.5


class _Reader:
    """Checks the file's data, keeping a finding (with its line) for each problem."""

    def __init__(self, lines: Mapping[str, int], base: Path) -> None:
        self.lines = lines
        self.base = base
        self.findings: list[Finding] = []

    def problem(self, code: str, path: str, message: str) -> None:
        line = self.lines.get(path)
        where = f"line {line}: " if line else ""
        self.findings.append(error(code, path, f"{where}{message}"))

    def number(self, value: Any, path: str, what: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(codes.SROI_VALUE, path, f"{what} must be a number, not {_show(value)}")
            return None
        if not math.isfinite(value):
            self.problem(codes.SROI_VALUE, path, f"{what} must be a finite number")
            return None
        return float(value)

    def share(self, value: Any, path: str, what: str) -> float:
        if isinstance(value, str) and value.strip().endswith("%"):
            with contextlib.suppress(ValueError):
                value = float(value.strip()[:-1]) / 100
        number = self.number(value, path, what)
        if number is None:
            return 0.0
        if not 0 <= number <= 1:
            self.problem(
                codes.SROI_VALUE,
                path,
                f"{what} is a share from 0 to 1 (or 0% to 100%), not {_show(value)}",
            )
            return 0.0
        return number

    def text(self, value: Any, path: str, what: str, *, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(codes.SROI_VALUE, path, f"{what} must be text, not {_show(value)}")
            return ""
        return value.strip()


def _show(value: Any) -> str:
    return "nothing" if value is None else f"'{excerpt(str(value), 40)}'"


def _lines(text: str) -> dict[str, int]:
    """JSON Pointer -> line (from 1) of every value in a YAML or JSON text."""
    found: dict[str, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return found
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if node is None:
            continue
        found[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                token = str(key.value).replace("~", "~0").replace("/", "~1")
                stack.append((value, f"{path}/{token}"))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, f"{path}/{i}") for i, child in enumerate(node.value))
    return found


def _investment_from_returns(reader: _Reader, files: Any, path: str) -> float | None:
    if not isinstance(files, list) or not files:
        reader.problem(codes.SROI_INVESTMENT, path, "returns must be a list of return files")
        return None
    total = 0.0
    for i, name in enumerate(files):
        where = f"{path}/{i}"
        target = reader.base / str(name)
        try:
            document = strict_json.loads(target.read_text(encoding="utf-8"))
            amount = document["outputs"]["total_investment"]["amount"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            reader.problem(
                codes.SROI_INVESTMENT,
                where,
                f"no total investment can be read from the return {name} ({type(exc).__name__})",
            )
            return None
        if not isinstance(amount, dict) or amount.get("unit") != "GBP":
            reader.problem(
                codes.SROI_INVESTMENT, where, f"the return {name} gives no amount in GBP"
            )
            return None
        value = reader.number(amount.get("value"), where, f"the investment in {name}")
        if value is None:
            return None
        total += value
    return total


def _investment(reader: _Reader, data: Any) -> tuple[float, str]:
    if not isinstance(data, dict):
        reader.problem(
            codes.SROI_INVESTMENT,
            "/investment",
            "the file gives no investment: add investment: {value: POUNDS, source: ...} or "
            "investment: {returns: [RETURN.json, ...]}",
        )
        return 0.0, ""
    source = reader.text(data.get("source"), "/investment/source", "the investment's source",
                         required="returns" not in data)  # fmt: skip
    if "returns" in data:
        value = _investment_from_returns(reader, data["returns"], "/investment/returns")
        source = source or "total investment in the quarterly returns: " + ", ".join(
            str(f) for f in data["returns"]
        )
    else:
        value = reader.number(data.get("value"), "/investment/value", "the investment")
    if value is not None and value <= 0:
        reader.problem(codes.SROI_INVESTMENT, "/investment", "the investment must be above £0")
        value = None
    return (value or 0.0), source


def _quantity(reader: _Reader, data: Any, path: str) -> dict[str, Any] | float:
    if isinstance(data, (int, float)) and not isinstance(data, bool):
        number = reader.number(data, path, "the quantity")
        if number is not None and number < 0:
            reader.problem(codes.SROI_VALUE, path, "the quantity must not be negative")
        return number or 0.0
    if isinstance(data, dict):
        kinds = [k for k in QUANTITY_COUNTS if k in data]
        if len(kinds) == 1:
            kind = kinds[0]
            allowed = QUANTITY_COUNTS[kind]
            count = data.get("count", allowed[0])
            if count not in allowed:
                reader.problem(
                    codes.SROI_VALUE,
                    f"{path}/count",
                    f"a {kind} quantity counts {' or '.join(allowed)}, not {_show(count)}",
                )
            return {**data, "count": count}
    reader.problem(
        codes.SROI_VALUE,
        path,
        "the quantity must be a number, or name a figure: {instrument: ID}, {progress: ID} "
        "or {service: CODE}",
    )
    return 0.0


def _outcome(reader: _Reader, data: Any, i: int) -> Outcome | None:
    path = f"/outcomes/{i}"
    if not isinstance(data, dict):
        reader.problem(codes.SROI_FILE, path, "each outcome must be a mapping of its assumptions")
        return None
    for key in sorted(set(data) - _OUTCOME_KEYS):
        reader.problem(
            codes.SROI_FILE, f"{path}/{key}", f"'{excerpt(key, 30)}' is not an outcome key"
        )
    proxy_data = data.get("proxy")
    proxy: float | None = None
    unit_cost: str | None = None
    if isinstance(proxy_data, dict) and isinstance(proxy_data.get("unit_cost"), str):
        unit_cost = proxy_data["unit_cost"]
    else:
        proxy = reader.number(proxy_data, f"{path}/proxy", "the financial proxy (£ per unit)")
        if proxy is not None and proxy < 0:
            reader.problem(codes.SROI_VALUE, f"{path}/proxy", "the financial proxy is negative")
    duration = data.get("duration", 1)
    if (
        isinstance(duration, bool)
        or not isinstance(duration, int)
        or not 1 <= duration <= MAX_DURATION
    ):
        reader.problem(
            codes.SROI_VALUE,
            f"{path}/duration",
            f"the duration is a whole number of years from 1 to {MAX_DURATION}, "
            f"not {_show(duration)}",
        )
        duration = 1
    shares = {s: reader.share(data.get(s, 0), f"{path}/{s}", s.replace("_", "-")) for s in SHARES}
    return Outcome(
        id=reader.text(data.get("id"), f"{path}/id", "the outcome's id"),
        description=reader.text(data.get("description"), f"{path}/description", "the description"),
        stakeholder=reader.text(data.get("stakeholder"), f"{path}/stakeholder", "the stakeholder"),
        quantity=_quantity(reader, data.get("quantity"), f"{path}/quantity"),
        proxy=proxy,
        proxy_unit_cost=unit_cost,
        proxy_source=reader.text(
            data.get("proxy_source"),
            f"{path}/proxy_source",
            "the proxy's source",
            required=unit_cost is None,
        ),
        duration=duration,
        **shares,
    )


def read_sroi(path: str | Path) -> tuple[Assumptions | None, list[Finding]]:
    """Read and check an SROI file; ``None`` and findings when it cannot be used."""
    target = Path(path)
    try:
        if target.stat().st_size > MAX_FILE_BYTES:
            return None, [
                error(codes.SROI_FILE, "", f"the SROI file is over {MAX_FILE_BYTES:,} bytes")
            ]
        text = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return None, [error(codes.SROI_FILE, "", f"the SROI file {path} cannot be read: {reason}")]
    try:
        data = strict_json.loads(text) if target.suffix == ".json" else strict_yaml.load(text)
    except (strict_yaml.StrictYamlError, ValueError) as exc:
        line = getattr(exc, "line", None)
        where = f" (line {line})" if line else ""
        return None, [error(codes.SROI_FILE, "", f"the SROI file cannot be read{where}: {exc}")]
    return parse_sroi(data, lines=_lines(text), base=target.parent, file=target.name)


def parse_sroi(
    data: Any,
    *,
    lines: Mapping[str, int] | None = None,
    base: Path | None = None,
    file: str = "SROI",
) -> tuple[Assumptions | None, list[Finding]]:
    """Check SROI data (as read from YAML or JSON); ``None`` and findings when it has errors."""
    reader = _Reader(lines or {}, base or Path.cwd())
    if not isinstance(data, dict):
        reader.problem(codes.SROI_FILE, "", "the SROI file must be a mapping of its sections")
        return None, reader.findings
    for key in sorted(set(data) - _TOP_KEYS):
        reader.problem(
            codes.SROI_FILE, f"/{key}", f"'{excerpt(str(key), 30)}' is not an SROI section"
        )
    investment, source = _investment(reader, data.get("investment"))
    rate = reader.number(
        data.get("discount_rate", GREEN_BOOK_RATE), "/discount_rate", "the discount rate"
    )
    if rate is not None and not 0 <= rate <= 0.2:
        reader.problem(
            codes.SROI_VALUE, "/discount_rate", "the discount rate is a share from 0 to 0.2"
        )
    outcomes_data = data.get("outcomes")
    if not isinstance(outcomes_data, list) or not outcomes_data:
        reader.problem(codes.SROI_FILE, "/outcomes", "the file lists no outcomes")
        outcomes_data = []
    outcomes = [_outcome(reader, item, i) for i, item in enumerate(outcomes_data)]
    sensitivity = data.get("sensitivity") or {}
    share_step = reader.share(
        sensitivity.get("share_step", 0.1), "/sensitivity/share_step", "share_step"
    )
    proxy_step = reader.share(
        sensitivity.get("proxy_step", 0.5), "/sensitivity/proxy_step", "proxy_step"
    )
    ids = [o.id for o in outcomes if o is not None]
    if len(set(ids)) < len(ids):
        reader.problem(codes.SROI_FILE, "/outcomes", "two outcomes have the same id")
    if has_errors(reader.findings):
        return None, reader.findings
    title = data.get("title")
    return (
        Assumptions(
            file=file,
            title=title if isinstance(title, str) else "Social return on investment",
            investment=investment,
            investment_source=source,
            discount_rate=rate if rate is not None else GREEN_BOOK_RATE,
            outcomes=tuple(o for o in outcomes if o is not None),
            share_step=share_step,
            proxy_step=proxy_step,
        ),
        reader.findings,
    )


# --------------------------------------------------------------------- calculation

#: Resolves an outcome's quantity or a unit cost: returns the number, or a reason it has none.
Resolver = Callable[[Outcome], "float | str"]


def present_value(
    quantity: float,
    proxy: float,
    outcome: Outcome,
    rate: float,
    *,
    shares: Mapping[str, float] | None = None,
    duration: int | None = None,
) -> float:
    """The outcome's present value: impact, dropped off each later year, discounted from year 1."""
    s: dict[str, float] = {name: float(getattr(outcome, name)) for name in SHARES}
    s.update(shares or {})
    impact = (
        quantity * proxy * (1 - s["deadweight"]) * (1 - s["displacement"]) * (1 - s["attribution"])
    )
    years = duration if duration is not None else outcome.duration
    return float(
        sum(impact * (1 - s["drop_off"]) ** (t - 1) / (1 + rate) ** t for t in range(1, years + 1))
    )


def calculate(
    assumptions: Assumptions, quantity: Resolver, proxy: Resolver
) -> tuple[dict[str, Any], list[Finding]]:
    """The SROI: each outcome's values, the ratio, and the sensitivity table, as a dictionary."""
    findings: list[Finding] = []
    rows: list[dict[str, Any]] = []
    valued: list[tuple[Outcome, float, float]] = []
    for i, outcome in enumerate(assumptions.outcomes):
        amount, price = quantity(outcome), proxy(outcome)
        if isinstance(amount, str) or isinstance(price, str):
            reason = amount if isinstance(amount, str) else price
            findings.append(
                error(codes.SROI_VALUE, pointer("outcomes", i), f"{outcome.id}: {reason}")
            )
            continue
        rate = assumptions.discount_rate
        pv = present_value(amount, price, outcome, rate)
        impact = (
            amount
            * price
            * (1 - outcome.deadweight)
            * (1 - outcome.displacement)
            * (1 - outcome.attribution)
        )
        rows.append(
            {
                "outcome": outcome.id,
                "description": outcome.description,
                "stakeholder": outcome.stakeholder,
                "quantity": amount,
                "quantity_from": outcome.quantity if isinstance(outcome.quantity, dict) else None,
                "proxy": price,
                "proxy_source": outcome.proxy_source
                or f"unit cost of {outcome.proxy_unit_cost} (--unit-costs)",
                "deadweight": outcome.deadweight,
                "displacement": outcome.displacement,
                "attribution": outcome.attribution,
                "drop_off": outcome.drop_off,
                "duration": outcome.duration,
                "value_before_impact": amount * price,
                "impact_year_1": impact,
                "present_value": pv,
            }
        )
        valued.append((outcome, amount, price))
    total = sum(r["present_value"] for r in rows)
    investment = assumptions.investment

    def ratio(change: Mapping[str, float]) -> float:
        factor, rate = change.get("proxies", 1.0), change.get("rate", assumptions.discount_rate)
        value = 0.0
        for outcome, amount, price in valued:
            shares = {
                name: min(1.0, max(0.0, getattr(outcome, name) + change.get(name, 0.0)))
                for name in SHARES
            }
            years = max(1, outcome.duration + int(change.get("duration", 0)))
            value += present_value(
                amount, price * factor, outcome, rate, shares=shares, duration=years
            )
        return value / investment

    sensitivity = [
        {"assumption": assumption, "change": label, "ratio": ratio(change)}
        for assumption, label, change in _sensitivity_cases(assumptions)
    ]
    base = ratio({})
    result = {
        "file": assumptions.file,
        "title": assumptions.title,
        "investment": investment,
        "investment_source": assumptions.investment_source,
        "discount_rate": assumptions.discount_rate,
        "total_present_value": total,
        "net_present_value": total - investment,
        "ratio": base,
        "net_ratio": (total - investment) / investment,
        "proxy_change_to_break_even": (1 / base - 1) if base > 0 else None,
        "outcomes": rows,
        "sensitivity": sensitivity,
    }
    return result, findings


def _sensitivity_cases(
    assumptions: Assumptions,
) -> list[tuple[str, str, dict[str, float]]]:
    """The rows of the sensitivity table: (assumption, change in words, change)."""
    step, proxy_step = assumptions.share_step, assumptions.proxy_step
    cases: list[tuple[str, str, dict[str, float]]] = [("as given", "", {})]
    for name in SHARES:
        for sign in (1, -1):
            words = f"{sign * step * 100:+.0f} percentage points, every outcome"
            cases.append((name.replace("_", "-"), words, {name: sign * step}))
    for sign in (-1, 1):
        cases.append(("proxies", f"{sign * proxy_step:+.0%}", {"proxies": 1 + sign * proxy_step}))
    for years in (-1, 1):
        cases.append(("duration", f"{years:+d} year (at least 1)", {"duration": years}))
    for rate in (0.0, 0.05):
        cases.append(("discount rate", f"{rate:.1%}", {"rate": rate}))
    return cases


def dumps(result: Mapping[str, Any]) -> str:
    """The SROI result as JSON text (for debugging and the docs)."""
    return json.dumps(result, indent=2)
