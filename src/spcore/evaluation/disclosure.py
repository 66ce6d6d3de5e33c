"""Small-number suppression of an evaluation document (``--suppress``).

Every count about people in the document goes through the rule of
:mod:`spcore.aggregation.suppression` (by default NHS Digital's: 1 to 7
withheld, other counts rounded to the nearest 5; ``nhs-digital-disclosure-control``).
A withheld count is written ``null`` and its JSON Pointer listed under
``disclosure_control.withheld``. Where a cell's people count is withheld,
every statistic of the cell (means, intervals, tests, transition counts) is
withheld with it: the guidance does not show a mean of 1 to 7 people. The
statistics that give away a count exactly (the t test's degrees of freedom,
the signed-rank sums) are never published in a suppressed document.

Secondary suppression, as the return's suppression does it: wherever
published counts add up to a published total — improved + no change + worse
= people paired, and the cells of a breakdown that splits the total (every
field but referral criterion) — one withheld member could be worked out by
subtraction, so the smallest published non-zero member is withheld too,
until no such group has exactly one member withheld.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any, Final

from spcore.aggregation.suppression import SuppressionRule

#: Statistics of an outcome cell, withheld with its people count.
_OUTCOME_STATISTICS: Final = (
    "mean_baseline",
    "mean_follow_up",
    "mean_change",
    "sd_change",
    "ci_low",
    "ci_high",
    "t",
    "df",
    "p_t",
    "d_z",
    "wilcoxon_r_plus",
    "wilcoxon_r_minus",
    "wilcoxon_z",
    "p_wilcoxon",
    "wilcoxon_exact",
)
_OUTCOME_COUNTS: Final = (
    "n_paired",
    "no_follow_up",
    "follow_up_too_soon",
    "no_baseline",
    "n_zero_change",
    "improved",
    "no_change",
    "worse",
)
_CLASSES: Final = ("improved", "no_change", "worse")
#: Statistics that give away a cell's exact count (df = n - 1; the two rank sums add up
#: to m(m + 1)/2), so rounding the count would protect nothing: never published suppressed.
_EXACT_COUNT_STATISTICS: Final = ("df", "wilcoxon_r_plus", "wilcoxon_r_minus")
_PROGRESS_COUNTS: Final = (
    "n",
    "excluded",
    "progressed_any",
    "progressed_min",
    "n_low_baseline_pairs",
    "low_baseline_progressed",
)
_RECORD_COUNTS: Final = (
    "read",
    "evaluated",
    "comparison",
    "outside_period",
    "not_cases",
    "left_out_total",
)
#: Counts of a service-use cell (people, and events: NHS Digital's rule covers both).
_SERVICE_COUNTS: Final = ("n_paired", "before_only", "after_only", "total_before", "total_after")
#: Statistics of a service-use cell, withheld with its people count.
_SERVICE_STATISTICS: Final = (
    "mean_before",
    "mean_after",
    "mean_change",
    "ci_low",
    "ci_high",
    "p_t",
    "percent_change",
    "percent_ci_low",
    "percent_ci_high",
    "cost_change_per_person",
    "cost_ci_low",
    "cost_ci_high",
)
#: Figures of the comparison people and the difference in differences, withheld together.
_COMPARISON_STATISTICS: Final = (
    "comparison_mean_before",
    "comparison_mean_after",
    "comparison_percent_change",
    "did",
    "did_ci_low",
    "did_ci_high",
    "did_p",
    "did_percent",
    "did_percent_ci_low",
    "did_percent_ci_high",
)


class _Suppressor:
    def __init__(self, rule: SuppressionRule) -> None:
        self.rule = rule
        self.withheld: list[str] = []

    def count(self, node: dict[str, Any], key: str, path: str) -> bool:
        """Round or withhold ``node[key]``; True when withheld."""
        value = node.get(key)
        if value is None:
            return False
        if self.rule.withholds(int(value)):
            node[key] = None
            self.withheld.append(f"{path}/{key}")
            return True
        node[key] = self.rule.round(int(value))
        return False

    def withhold(self, node: dict[str, Any], keys: Iterable[str], path: str) -> None:
        for key in keys:
            if node.get(key) is not None:
                node[key] = None
                self.withheld.append(f"{path}/{key}")

    def secondary(
        self,
        members: Sequence[tuple[dict[str, Any], str, str, int]],
        dependants: Sequence[str] = (),
    ) -> bool:
        """One group: (node, key, path, unrounded value); True when it withheld another."""
        withheld = [m for m in members if m[0].get(m[1]) is None and m[3] > 0]
        if len(withheld) != 1:
            return False
        published = [m for m in members if m[0].get(m[1]) is not None and m[3] > 0]
        if not published:
            return False
        node, key, path, _ = min(published, key=lambda m: m[3])
        self.withhold(node, [key, *dependants], path)
        return True


def _outcome_cells(s: _Suppressor, figure: dict[str, Any], base: str) -> None:
    originals = [dict(cell) for cell in figure["cells"]]
    for i, cell in enumerate(figure["cells"]):
        path = f"{base}/cells/{i}"
        for key in _OUTCOME_COUNTS:
            s.count(cell, key, path)
        s.withhold(cell, _EXACT_COUNT_STATISTICS, path)
        if cell["n_paired"] is None:
            s.withhold(cell, (*_OUTCOME_STATISTICS, *_CLASSES), path)
            if cell.get("transitions") is not None:
                cell["transitions"] = None
                s.withheld.append(f"{path}/transitions")
        elif cell.get("transitions") is not None:
            table = cell["transitions"]
            for r, row in enumerate(table):
                for col, value in enumerate(row):
                    if s.rule.withholds(int(value)):
                        row[col] = None
                        s.withheld.append(f"{path}/transitions/{r}/{col}")
                    else:
                        row[col] = s.rule.round(int(value))
    changed = True
    while changed:
        changed = False
        for i, cell in enumerate(figure["cells"]):
            if cell["n_paired"] is None or all(originals[i].get(k) is None for k in _CLASSES):
                continue
            members = [(cell, k, f"{base}/cells/{i}", int(originals[i][k] or 0)) for k in _CLASSES]
            changed |= s.secondary(members)
    return None


def _partitions(document: dict[str, Any]) -> list[list[int]]:
    """Cell positions of each breakdown that splits the total (criteria do not)."""
    groups: dict[str, list[int]] = {}
    service_use = document.get("service_use") or {}
    figures = document["outcomes"] or document["progress"] or service_use.get("figures")
    if not figures:
        return []
    for i, cell in enumerate(figures[0]["cells"]):
        if cell["by"] not in ("all", "referral-criterion"):
            groups.setdefault(cell["by"], []).append(i)
    return list(groups.values())


def _cell_partitions(
    s: _Suppressor,
    figure: dict[str, Any],
    base: str,
    key: str,
    originals: list[dict[str, Any]],
    groups: list[list[int]],
    dependants: Sequence[str],
) -> None:
    changed = True
    while changed:
        changed = False
        for group in groups:
            members = [
                (figure["cells"][i], key, f"{base}/cells/{i}", int(originals[i][key] or 0))
                for i in group
            ]
            if s.secondary(members, dependants):
                changed = True


def _service_use(s: _Suppressor, document: dict[str, Any], groups: list[list[int]]) -> None:
    part = document.get("service_use")
    if not part:
        return
    for f, figure in enumerate(part["figures"]):
        base = f"/service_use/figures/{f}"
        originals = [dict(cell) for cell in figure["cells"]]
        price = figure.get("unit_cost")
        for i, cell in enumerate(figure["cells"]):
            path = f"{base}/cells/{i}"
            for key in _SERVICE_COUNTS:
                s.count(cell, key, path)
            if cell["n_paired"] is None:
                s.withhold(cell, (*_SERVICE_STATISTICS, "total_before", "total_after"), path)
            if s.count(cell, "comparison_n_paired", path) or cell["n_paired"] is None:
                s.withhold(cell, _COMPARISON_STATISTICS, path)
        _cell_partitions(
            s, figure, base, "n_paired", originals, groups,
            (*_SERVICE_STATISTICS, *_COMPARISON_STATISTICS, "total_before", "total_after"),
        )  # fmt: skip
        for cell in figure["cells"]:
            # A cost is a count times a price: worked out again from the published count.
            for side in ("before", "after"):
                total = cell.get(f"total_{side}")
                if price is not None:
                    cell[f"cost_{side}"] = None if total is None else total * price
    costs = document.get("costs")
    if costs:
        _recost(costs, part["figures"])


def _recost(costs: dict[str, Any], figures: list[dict[str, Any]]) -> None:
    """The cost totals again from the published (suppressed) service-use cells."""
    for figure in costs["figures"]:
        mine = [f for f in figures if f["months"] == figure["months"] and f["unit_cost"]]
        for i, cell in enumerate(figure["cells"]):
            for side in ("before", "after"):
                values = [f["cells"][i][f"cost_{side}"] for f in mine]
                cell[f"cost_{side}"] = None if None in values else float(sum(values))
            both = cell["cost_before"] is not None and cell["cost_after"] is not None
            cell["cost_change"] = cell["cost_after"] - cell["cost_before"] if both else None


def _sroi(s: _Suppressor, document: dict[str, Any]) -> None:
    """An outcome quantity that counts people goes through the rule, with what it gives."""
    part = document.get("sroi")
    if not part:
        return
    for i, outcome in enumerate(part["outcomes"]):
        source = outcome.get("quantity_from") or {}
        if "instrument" not in source and "progress" not in source:
            continue
        path = f"/sroi/outcomes/{i}"
        if s.count(outcome, "quantity", path):
            s.withhold(outcome, ("value_before_impact", "impact_year_1", "present_value"), path)


def suppress_document(document: dict[str, Any], rule: SuppressionRule) -> dict[str, Any]:
    """A copy of ``document`` with every count about people through ``rule``."""
    out = copy.deepcopy(document)
    s = _Suppressor(rule)
    groups = _partitions(out)
    for f, figure in enumerate(out["outcomes"]):
        base = f"/outcomes/{f}"
        originals = [dict(cell) for cell in figure["cells"]]
        _outcome_cells(s, figure, base)
        _cell_partitions(
            s, figure, base, "n_paired", originals, groups, (*_OUTCOME_STATISTICS, *_CLASSES)
        )
        for i, cell in enumerate(figure["cells"]):
            if cell["n_paired"] is None and cell.get("transitions") is not None:
                cell["transitions"] = None
                s.withheld.append(f"{base}/cells/{i}/transitions")
    for f, figure in enumerate(out["progress"]):
        base = f"/progress/{f}"
        originals = [dict(cell) for cell in figure["cells"]]
        for i, cell in enumerate(figure["cells"]):
            for key in _PROGRESS_COUNTS:
                s.count(cell, key, f"{base}/cells/{i}")
            if cell["n"] is None:
                s.withhold(cell, _PROGRESS_COUNTS, f"{base}/cells/{i}")
        _cell_partitions(s, figure, base, "n", originals, groups, _PROGRESS_COUNTS)
    _service_use(s, out, groups)
    _sroi(s, out)
    records = out["records"]
    for key in _RECORD_COUNTS:
        s.count(records, key, "/records")
    for code in list(records["left_out"]):
        s.count(records["left_out"], code, "/records/left_out")
    out["disclosure_control"] = {
        "rule": rule.id,
        "threshold": rule.threshold,
        "rounding_base": rule.rounding_base,
        "withheld": s.withheld,
    }
    return out
