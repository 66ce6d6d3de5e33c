"""Unit costs: the user's file of £ per unit of each service, and prices brought to one year.

spcore ships no unit costs. The figures evaluators use come from the PSSRU
*Unit Costs of Health and Social Care* (``pssru-unit-costs``; its 2024 manual
is licensed CC BY-NC-SA 4.0, which an MIT-licensed package cannot bundle)
and NHS England's National Cost Collection (``nhse-national-cost-collection``);
a scheme copies the figures it uses into a file like
``examples/evaluation/unit-costs-illustrative.csv``, whose figures are made up
and say so.

The unit-cost file is CSV with a header row::

    service,unit,cost,price_year,source
    gp-consultations,consultation,40.00,2023-24,<where the figure comes from>

``service`` is a code of the ``service`` codelist, ``cost`` pounds per unit
(not negative), ``price_year`` a financial year (``2023-24``) or a calendar
year (``2023``), ``source`` where the figure comes from (required: a cost
without a source cannot be checked). To bring costs of different years to
one, give a price index file (``year,index``, for example the NHS Cost
Inflation Index published with the PSSRU manual) and the year wanted: a
cost is multiplied by index[year wanted] / index[its price year].

Every problem is a finding naming the file's line (``SPC-V010`` to
``SPC-V013``); a file with any error gives no costs rather than costs that
are partly wrong.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any, Final

import attrs

from spcore.answers import suggestion
from spcore.evaluation import codes
from spcore.excerpt import excerpt
from spcore.findings import Finding, error, has_errors, pointer

#: The columns a unit-cost file must have.
UNIT_COST_COLUMNS: Final = ("service", "unit", "cost", "price_year", "source")
#: The columns of a price index file.
INDEX_COLUMNS: Final = ("year", "index")
#: Most rows read from either file (a unit-cost file has one row per service).
MAX_ROWS: Final = 10_000

_YEAR: Final = re.compile(r"^(?P<start>\d{4})(?:-(?P<end>\d{2}))?$")


@attrs.frozen
class UnitCost:
    """One service's cost per unit, as given, and brought to the chosen price year."""

    service: str
    unit: str
    cost: float
    price_year: str
    source: str
    line: int
    factor: float = 1.0

    @property
    def adjusted(self) -> float:
        """The cost per unit in the chosen price year (the cost itself without an index)."""
        return self.cost * self.factor

    def to_dict(self) -> dict[str, Any]:
        """The unit cost as a JSON-ready dictionary."""
        return {
            "service": self.service,
            "unit": self.unit,
            "cost": self.cost,
            "price_year": self.price_year,
            "source": self.source,
            "inflation_factor": self.factor,
            "cost_in_price_year": self.adjusted,
        }


@attrs.frozen
class UnitCosts:
    """The unit costs read, by service, and the price year they are expressed in."""

    costs: dict[str, UnitCost]
    price_year: str | None
    file: str

    def to_dict(self) -> dict[str, Any]:
        """The unit costs as a JSON-ready dictionary."""
        return {
            "file": self.file,
            "price_year": self.price_year,
            "unit_costs": [c.to_dict() for c in self.costs.values()],
        }


def _year(text: str) -> bool:
    match = _YEAR.match(text)
    if match is None:
        return False
    end = match["end"]
    return end is None or int(end) == (int(match["start"]) + 1) % 100


def _rows(
    path: Path, columns: tuple[str, ...], what: str
) -> tuple[list[tuple[int, dict[str, str]]], list[Finding]]:
    """The rows of a small CSV file by line number, or a finding saying why it cannot be read."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                return [], [error(codes.UNIT_COST_FILE, "", f"the {what} {path} is empty")]
            names = [h.strip() for h in header]
            missing = [c for c in columns if c not in names]
            if missing:
                return [], [
                    error(
                        codes.UNIT_COST_FILE,
                        "",
                        f"the {what} {path} has no column {', '.join(missing)}; its header "
                        f"must be {','.join(columns)}",
                    )
                ]
            rows: list[tuple[int, dict[str, str]]] = []
            for cells in reader:
                if len(rows) >= MAX_ROWS:
                    return [], [
                        error(codes.UNIT_COST_FILE, "", f"the {what} has over {MAX_ROWS:,} rows")
                    ]
                if not any(c.strip() for c in cells):
                    continue
                values = {
                    n: (cells[i].strip() if i < len(cells) else "") for i, n in enumerate(names)
                }
                rows.append((reader.line_num, values))
            return rows, []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        return [], [error(codes.UNIT_COST_FILE, "", f"the {what} {path} cannot be read: {reason}")]


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_index(path: str | Path) -> tuple[dict[str, float], list[Finding]]:
    """A price index file: year -> index (positive), with findings naming the line."""
    rows, findings = _rows(Path(path), INDEX_COLUMNS, "price index file")
    index: dict[str, float] = {}
    for line, row in rows:
        value = _number(row["index"])
        if not _year(row["year"]):
            findings.append(
                error(
                    codes.UNIT_COST_INDEX,
                    pointer(line, "year"),
                    f"line {line}: '{excerpt(row['year'], 20)}' is not a year; write 2023-24 "
                    "or 2023",
                )
            )
        elif value is None or value <= 0:
            findings.append(
                error(
                    codes.UNIT_COST_INDEX,
                    pointer(line, "index"),
                    f"line {line}: the index for {row['year']} must be a positive number, not "
                    f"'{excerpt(row['index'], 20)}'",
                )
            )
        else:
            index[row["year"]] = value
    return index, findings


def read_unit_costs(
    path: str | Path,
    *,
    price_year: str | None = None,
    index: str | Path | None = None,
    services: Collection[str] | None = None,
) -> tuple[UnitCosts | None, list[Finding]]:
    """Read a unit-cost file (see the module documentation), optionally brought to one year.

    Args:
        path: the unit-cost CSV file.
        price_year: the year to express every cost in; needs ``index``.
        index: a price index CSV (``year,index``).
        services: the service codes allowed (default: any code).

    Returns:
        The unit costs, or ``None`` when the files have errors; and the findings.
    """
    rows, findings = _rows(Path(path), UNIT_COST_COLUMNS, "unit-cost file")
    indices: dict[str, float] = {}
    if (price_year is None) != (index is None):
        findings.append(
            error(
                codes.UNIT_COST_INDEX,
                "",
                "a price year and a price index file go together: give both or neither",
            )
        )
    elif index is not None and price_year is not None:
        indices, more = read_index(index)
        findings.extend(more)
        if not more and price_year not in indices:
            findings.append(
                error(
                    codes.UNIT_COST_INDEX,
                    "",
                    f"the price index file has no index for the price year {price_year}",
                )
            )
    costs: dict[str, UnitCost] = {}
    for line, row in rows:
        problem = _problem(row, services, costs)
        if problem is not None:
            column, message = problem
            findings.append(
                error(codes.UNIT_COST_ROW, pointer(line, column), f"line {line}: {message}")
            )
            continue
        cost = float(_number(row["cost"]) or 0.0)
        factor = 1.0
        if indices and price_year in indices:
            if row["price_year"] not in indices:
                findings.append(
                    error(
                        codes.UNIT_COST_INDEX,
                        pointer(line, "price_year"),
                        f"line {line}: the price index file has no index for {row['price_year']}, "
                        f"so the cost of {row['service']} cannot be brought to {price_year}",
                    )
                )
                continue
            factor = indices[price_year] / indices[row["price_year"]]
        costs[row["service"]] = UnitCost(
            row["service"], row["unit"], cost, row["price_year"], row["source"], line, factor
        )
    if not rows and not findings:
        findings.append(error(codes.UNIT_COST_FILE, "", f"the unit-cost file {path} has no rows"))
    if has_errors(findings):
        return None, findings
    return UnitCosts(costs, price_year, Path(path).name), findings


def _problem(
    row: dict[str, str], services: Collection[str] | None, seen: dict[str, UnitCost]
) -> tuple[str, str] | None:
    service = row["service"]
    if not service:
        return "service", "the service is blank"
    if services is not None and service not in services:
        return (
            "service",
            f"'{excerpt(service, 40)}' is not a service code{suggestion(service, services)}",
        )
    if service in seen:
        return "service", f"{service} is given twice (first on line {seen[service].line})"
    value = _number(row["cost"])
    if value is None:
        return (
            "cost",
            f"the cost of {service} must be a number of pounds, not '{excerpt(row['cost'], 20)}'",
        )
    if value < 0:
        return "cost", f"the cost of {service} is negative ({row['cost']})"
    if not _year(row["price_year"]):
        return "price_year", (
            f"the price year of {service} must be a year such as 2023-24 or 2023, not "
            f"'{excerpt(row['price_year'], 20)}'"
        )
    if not row["unit"]:
        return "unit", f"the unit of {service} is blank (for example: consultation, attendance)"
    if not row["source"]:
        return "source", f"the source of the cost of {service} is blank; say where it comes from"
    return None


def missing_costs(costs: UnitCosts, used: Collection[str], file: str) -> list[Finding]:
    """``SPC-V012`` for every service used in the extract that the unit-cost file does not price."""
    return [
        error(
            codes.UNIT_COST_MISSING,
            "",
            f"{file} has no unit cost for {service}, which the extract counts; its costs are "
            "left out (add a row for it)",
        )
        for service in sorted(set(used) - set(costs.costs))
    ]
