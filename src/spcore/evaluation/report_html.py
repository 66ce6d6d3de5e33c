"""The evaluation report: one self-contained HTML page a commissioner reads.

Headline figures first, then charts (inline SVG from :mod:`.charts`), the
figures of each score and breakdown cell, the records left out, the method,
the caveats and the sources. The page has no script, no external style
sheet, font or image: it opens offline and prints. It is written from the
document (:mod:`.document`), after suppression, so it shows exactly the
figures of the JSON and the tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any, Final

from spcore.evaluation import charts
from spcore.evaluation.codes import EVALUATION_CODES

_STYLE: Final = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0 auto;
max-width:62rem;padding:1rem 1.5rem;color:#0b0c0c;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{border-bottom:2px solid #1d70b8;padding-bottom:.2rem;
margin-top:2.2rem}h3{margin-top:1.6rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.9rem;display:block;
overflow-x:auto}
th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}thead th{background:#f3f2f1}
.headline{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.figure{border-left:5px solid #1d70b8;padding:.4rem .8rem;background:#f3f2f1;min-width:12rem}
.figure b{display:block;font-size:1.5rem}.note{color:#505a5f;font-size:.9rem}
.caveat{border-left:5px solid #f47738;padding:.3rem .8rem;background:#fff7f0}
svg{max-width:100%;height:auto}
"""

#: What each statistic of a score is called in the tables.
_COLUMNS: Final = (
    ("n_paired", "people paired"),
    ("mean_baseline", "mean baseline"),
    ("mean_follow_up", "mean follow-up"),
    ("mean_change", "mean change"),
    ("ci", "95% CI"),
    ("d_z", "d_z"),
    ("p_t", "p (paired t)"),
    ("p_wilcoxon", "p (signed-rank)"),
    ("improved", "improved"),
    ("no_change", "no change"),
    ("worse", "worse"),
    ("not_paired", "not paired"),
)


_TESTS: Final = {"wilcoxon": "Wilcoxon signed-rank", "paired-t": "paired t"}


def _number(value: Any, decimals: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if math.isnan(value):
        return "–"
    return f"{value:,.{decimals}f}"


def _money(value: float | None, decimals: int = 0) -> str:
    if value is None:
        return "–"
    sign = "−" if value < 0 else ""
    return f"{sign}£{abs(value):,.{decimals}f}"


def _p(value: float | None) -> str:
    if value is None:
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _share(part: int | None, whole: int | None) -> str:
    if part is None or not whole:
        return "–"
    return f"{100 * part / whole:.0f}%"


def _with_share(part: int | None, whole: int | None) -> str:
    return f"{_number(part)} ({_share(part, whole)})"


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _not_paired(cell: dict[str, Any]) -> int | None:
    parts = [cell.get("no_follow_up"), cell.get("follow_up_too_soon"), cell.get("no_baseline")]
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def _cell_row(cell: dict[str, Any], first: str) -> list[str]:
    values = {
        **cell,
        "not_paired": _not_paired(cell),
        "ci": (
            "–"
            if cell.get("ci_low") is None
            else f"{_number(cell['ci_low'])} to {_number(cell['ci_high'])}"
        ),
    }
    row = [escape(first)]
    for key, _ in _COLUMNS:
        value = values.get(key)
        if key == "ci":
            row.append(str(value))
        elif key.startswith("p_"):
            row.append(_p(value))
        elif key in ("improved", "no_change", "worse") and value is not None:
            row.append(_with_share(value, cell.get("n_paired")))
        else:
            row.append(_number(value))
    return row


def _figure_title(figure: dict[str, Any]) -> str:
    value_set = f", value set {figure['value_set']}" if figure["value_set"] else ""
    return f"{figure['label']}{value_set}"


def _headline(document: dict[str, Any]) -> str:
    records = document["records"]
    boxes = [
        ("people evaluated", _number(records["evaluated"])),
        ("records left out", _number(records["left_out_total"])),
    ]
    for figure in document["progress"]:
        total = figure["cells"][0]
        boxes.append(
            (
                f"progressed on at least one measure ({figure['instrument']})",
                _share(total["progressed_any"], total["n"]),
            )
        )
        boxes.append(
            (
                f"progressed on {figure['min_measures']} or more measures",
                _share(total["progressed_min"], total["n"]),
            )
        )
    sroi = document.get("sroi")
    if sroi:
        boxes.append(("of social value per £1 invested (SROI)", f"£{sroi['ratio']:.2f}"))
    html = '<div class="headline">' + "".join(
        f'<div class="figure"><b>{escape(v)}</b>{escape(k)}</div>' for k, v in boxes
    )
    html += "</div>"
    rows = []
    for figure in document["outcomes"]:
        total = figure["cells"][0]
        if figure["categorical"]:
            change = "see transitions"
        elif total.get("mean_change") is None:
            change = "–"
        else:
            change = (
                f"{_number(total['mean_change'])} ({_number(total['ci_low'])} to "
                f"{_number(total['ci_high'])})"
            )
        p = total.get("p_wilcoxon") if figure["primary_test"] == "wilcoxon" else total.get("p_t")
        rows.append(
            [
                escape(_figure_title(figure)),
                _number(total["n_paired"]),
                change,
                _number(total.get("d_z")),
                f"{_p(p)} ({'signed-rank' if figure['primary_test'] == 'wilcoxon' else 't'})",
                _share(total.get("improved"), total["n_paired"]),
                _share(total.get("worse"), total["n_paired"]),
            ]
        )
    if rows:
        html += _table(
            ("score", "people paired", "mean change (95% CI)", "d_z", "p", "improved", "worse"),
            rows,
        )
        html += (
            '<p class="note">Improved and worse are by the instrument\'s published '
            "meaningful-change threshold (or one category, for a categorical score); "
            "– where the instrument has none.</p>"
        )
    return html


def _charts(document: dict[str, Any]) -> str:
    parts = []
    labels, estimates, lows, highs = [], [], [], []
    for figure in document["outcomes"]:
        total = figure["cells"][0]
        sd = total.get("sd_change")
        if figure["categorical"] or total.get("ci_low") is None or not sd:
            continue
        labels.append(f"{figure['instrument']} {figure['score']}")
        estimates.append(total["mean_change"] / sd)
        lows.append(total["ci_low"] / sd)
        highs.append(total["ci_high"] / sd)
    if labels:
        parts.append(
            charts.interval_chart(
                "Mean change per score, in standard deviations of the change (d_z)",
                labels,
                estimates,
                lows,
                highs,
                xlabel="mean change / SD of change, with 95% interval",
            )
        )
    class_labels: list[str] = []
    shares: list[tuple[float, float, float]] = []
    for figure in document["outcomes"]:
        total = figure["cells"][0]
        counts = [total.get(k) for k in ("improved", "no_change", "worse")]
        if any(c is None for c in counts) or not total["n_paired"]:
            continue
        improved, same, worse = (int(c or 0) for c in counts)
        whole = improved + same + worse or 1
        class_labels.append(f"{figure['instrument']} {figure['score']}")
        shares.append((improved / whole, same / whole, worse / whole))
    if class_labels:
        parts.append(
            charts.class_chart(
                "Improved, no change and worse by the meaningful-change threshold",
                class_labels,
                shares,
            )
        )
    progress = [f for f in document["progress"] if f["cells"][0]["n"]]
    if progress:
        names = [f["instrument"] for f in progress]
        any_share = [_ratio(f["cells"][0]["progressed_any"], f["cells"][0]["n"]) for f in progress]
        min_share = [_ratio(f["cells"][0]["progressed_min"], f["cells"][0]["n"]) for f in progress]
        parts.append(
            charts.paired_bars(
                "Progress on the eight measures (dayson-2016)",
                names,
                any_share,
                min_share,
                ("at least one", "four or more"),
                ylabel="% of people",
            )
        )
    return "".join(f"<figure>{svg}</figure>" for svg in parts)


def _ratio(part: int | None, whole: int | None) -> float:
    return 0.0 if part is None or not whole else 100.0 * part / whole


def _outcome_details(document: dict[str, Any]) -> str:
    html = ""
    for figure in document["outcomes"]:
        html += f"<h3>{escape(_figure_title(figure))}</h3>"
        threshold = figure.get("threshold")
        if threshold:
            html += (
                f'<p class="note">Meaningful change: {_number(threshold["value"])} points '
                f"({escape(threshold['kind'])}, {escape(threshold['source'])}). "
                f"{'Higher' if figure['higher_is_better'] else 'Lower'} is better. "
                f"Test read first: {_TESTS[figure['primary_test']]}.</p>"
            )
        rows = [
            _cell_row(cell, "total" if cell["by"] == "all" else f"{cell['by']}: {cell['value']}")
            for cell in figure["cells"]
        ]
        html += _table(["cell", *(name for _, name in _COLUMNS)], rows)
        forest = [
            c
            for c in figure["cells"][1:]
            if c.get("ci_low") is not None and c.get("mean_change") is not None
        ]
        if len(forest) >= 2 and not figure["categorical"]:
            html += (
                "<figure>"
                + charts.interval_chart(
                    f"{figure['instrument']} {figure['score']}: mean change by cell",
                    [f"{c['by']}: {c['value']}" for c in [figure["cells"][0], *forest]],
                    [c["mean_change"] for c in [figure["cells"][0], *forest]],
                    [c["ci_low"] for c in [figure["cells"][0], *forest]],
                    [c["ci_high"] for c in [figure["cells"][0], *forest]],
                    xlabel="mean change, with 95% interval",
                )
                + "</figure>"
            )
        if figure["categorical"]:
            html += _transitions(figure)
    return html


def _transitions(figure: dict[str, Any]) -> str:
    categories = figure["categories"]
    total = figure["cells"][0]
    table = total.get("transitions")
    if table is None:
        return '<p class="note">Transition table withheld (small numbers).</p>'
    rows = [
        [escape(f"baseline {source}"), *(_number(v) for v in table[r])]
        for r, source in enumerate(categories)
    ]
    return "<p>People by baseline (rows) and follow-up (columns) category, all cells:</p>" + (
        _table(["", *(f"follow-up {c}" for c in categories)], rows)
    )


def _progress(document: dict[str, Any]) -> str:
    html = ""
    for figure in document["progress"]:
        html += f"<h3>{escape(figure['instrument'])}</h3>"
        rows = []
        for cell in figure["cells"]:
            rows.append(
                [
                    escape("total" if cell["by"] == "all" else f"{cell['by']}: {cell['value']}"),
                    _number(cell["n"]),
                    _with_share(cell["progressed_any"], cell["n"]),
                    _with_share(cell["progressed_min"], cell["n"]),
                    _share(cell["low_baseline_progressed"], cell["n_low_baseline_pairs"]),
                    _number(cell["excluded"]),
                ]
            )
        html += _table(
            (
                "cell",
                "people with all measures paired",
                "progressed on ≥ 1",
                f"progressed on ≥ {figure['min_measures']}",
                f"low baseline (≤ {figure['low_baseline_max']}) measures that progressed",
                "left out (a measure missing)",
            ),
            rows,
        )
    return html


def _records(document: dict[str, Any]) -> str:
    records = document["records"]
    rows = [
        ["records and lines read", _number(records["read"])],
        ["referred outside the period (not asked for)", _number(records["outside_period"])],
        ["referrals rejected or declined (not cases)", _number(records["not_cases"])],
        ["people evaluated", _number(records["evaluated"])],
    ]
    for code, count in records["left_out"].items():
        rows.append([f"left out, {escape(code)}: {escape(EVALUATION_CODES[code])}", _number(count)])
    html = _table(("", "count"), rows)
    findings = document["findings"]
    if findings:
        items = "".join(
            f"<li><code>{escape(f['code'])}</code> {escape(f['message'])}</li>"
            for f in findings[:50]
        )
        more = len(findings) - 50 + document["findings_not_listed"]
        html += f"<details><summary>Records left out, one by one</summary><ul>{items}</ul>"
        if more > 0:
            html += f"<p>and {more:,} more (all in the JSON document).</p>"
        html += "</details>"
    return html


def _service_headline(document: dict[str, Any]) -> str:
    part = document.get("service_use")
    if not part:
        return ""
    rows = []
    for figure in part["figures"]:
        total = figure["cells"][0]
        percent = total.get("percent_change")
        interval = (
            f" ({_number(total['percent_ci_low'], 0)}% to {_number(total['percent_ci_high'], 0)}%)"
            if total.get("percent_ci_low") is not None
            else ""
        )
        did = (
            f"{_number(total['did_percent'], 0)}% ({_number(total['did_percent_ci_low'], 0)}% to "
            f"{_number(total['did_percent_ci_high'], 0)}%)"
            if total.get("did_percent") is not None
            else "–"
        )
        rows.append(
            [
                escape(f"{figure['service']} ({figure['months']} months)"),
                _number(total["n_paired"]),
                _number(total["total_before"]),
                _number(total["total_after"]),
                "–" if percent is None else f"{_number(percent, 0)}%{interval}",
                did,
            ]
        )
    return "<h3>Service use, before and after referral</h3>" + _table(
        (
            "service (window)",
            "people",
            "before",
            "after",
            "change (95% CI)",
            "against the comparison cohort (95% CI)",
        ),
        rows,
    )


def _service_details(document: dict[str, Any]) -> str:
    part = document.get("service_use")
    if not part:
        return ""
    html = (
        '<p class="caveat">Regression to the mean: people are often referred when they use '
        "services most, and their use would fall back towards its usual level without help, "
        "so a fall from before to after overstates what social prescribing did"
        + (
            ". The difference in differences compares the fall with the comparison cohort's."
            if part["comparison"]
            else "; no comparison cohort was in the extract to separate the two."
        )
        + " (barnett-2005)</p>"
    )
    labels, before, after = [], [], []
    for figure in part["figures"]:
        total = figure["cells"][0]
        if total.get("mean_before") is None:
            continue
        labels.append(f"{figure['service']} ({figure['months']} m)")
        before.append(total["mean_before"])
        after.append(total["mean_after"])
    if labels:
        html += (
            "<figure>"
            + charts.paired_bars(
                "Mean use per person, before and after referral",
                labels,
                before,
                after,
                ("before", "after"),
                ylabel="per person",
            )
            + "</figure>"
        )
    for figure in part["figures"]:
        title = f"{figure['service']}: {figure['window']} ({figure['unit']}s)"
        html += f"<h3>{escape(title)}</h3>"
        rows = []
        for cell in figure["cells"]:
            ci = (
                "–"
                if cell.get("ci_low") is None
                else f"{_number(cell['ci_low'])} to {_number(cell['ci_high'])}"
            )
            did = (
                "–"
                if cell.get("did") is None
                else f"{_number(cell['did'])} ({_number(cell['did_ci_low'])} to "
                f"{_number(cell['did_ci_high'])})"
            )
            rows.append(
                [
                    escape("total" if cell["by"] == "all" else f"{cell['by']}: {cell['value']}"),
                    _number(cell["n_paired"]),
                    _number(cell["mean_before"]),
                    _number(cell["mean_after"]),
                    _number(cell["mean_change"]),
                    ci,
                    "–"
                    if cell.get("percent_change") is None
                    else f"{_number(cell['percent_change'], 1)}%",
                    did,
                    _number(cell.get("cost_change_per_person")),
                    _number(cell["before_only"]) + " / " + _number(cell["after_only"]),
                ]
            )
        html += _table(
            (
                "cell",
                "people",
                "mean before",
                "mean after",
                "mean change",
                "95% CI",
                "% change",
                "DiD per person (95% CI)",
                "cost change per person (£)",
                "before only / after only",
            ),
            rows,
        )
    return html


def _costs(document: dict[str, Any]) -> str:
    costs = document.get("costs")
    if not costs:
        return ""
    rows = [
        [
            escape(c["service"]),
            escape(c["unit"]),
            f"£{_number(c['cost'])}",
            escape(c["price_year"]),
            f"£{_number(c['cost_in_price_year'])}",
            escape(c["source"]),
        ]
        for c in costs["unit_costs"]
    ]
    year = costs["price_year"] or "as given"
    html = _table(("service", "unit", "cost", "price year", f"cost in {year}", "source"), rows)
    for figure in costs["figures"]:
        cells = [
            [
                escape("total" if c["by"] == "all" else f"{c['by']}: {c['value']}"),
                _money(c["cost_before"]),
                _money(c["cost_after"]),
                _money(c["cost_change"]),
            ]
            for c in figure["cells"]
        ]
        html += f"<p>Cost of every service priced, {escape(figure['window'])}:</p>"
        html += _table(("cell", "before", "after", "change"), cells)
    return html


def _sroi(document: dict[str, Any]) -> str:
    sroi = document.get("sroi")
    if not sroi:
        return ""
    html = (
        f'<div class="headline"><div class="figure"><b>£{sroi["ratio"]:.2f}</b>of social value '
        f'per £1 invested</div><div class="figure"><b>£{_number(sroi["total_present_value"], 0)}'
        f'</b>present value</div><div class="figure"><b>£{_number(sroi["investment"], 0)}</b>'
        f"invested ({escape(sroi['investment_source'])})</div></div>"
    )
    rows = [
        [
            escape(o["outcome"]),
            escape(o["stakeholder"]),
            _number(o["quantity"]),
            f"£{_number(o['proxy'])}",
            f"{o['deadweight']:.0%}",
            f"{o['displacement']:.0%}",
            f"{o['attribution']:.0%}",
            f"{o['drop_off']:.0%}",
            str(o["duration"]),
            _money(o["present_value"]),
            escape(o["proxy_source"]),
        ]
        for o in sroi["outcomes"]
    ]
    html += _table(
        ("outcome", "stakeholder", "quantity", "proxy", "deadweight", "displacement",
         "attribution", "drop-off", "years", "present value", "proxy source"),
        rows,
    )  # fmt: skip
    html += (
        f'<p class="note">Discount rate {sroi["discount_rate"]:.1%} '
        "(HM Treasury Green Book, hmt-green-book-discounting-2025); stages of the SROI guide "
        "(sroi-guide-2012). The proxies and shares are the user's assumptions, not "
        "spcore's.</p>"
    )
    sens = [
        [escape(r["assumption"]), escape(r["change"]), f"£{r['ratio']:.2f}"]
        for r in sroi["sensitivity"]
    ]
    html += "<h3>Sensitivity</h3>" + _table(("assumption", "change", "value per £1"), sens)
    if sroi.get("proxy_change_to_break_even") is not None:
        html += (
            f"<p>The proxies would have to change by {sroi['proxy_change_to_break_even']:+.0%} "
            "for the value to equal the investment (1:1).</p>"
        )
    return html


_METHOD: Final = """
<p><b>Who is evaluated.</b> People referred in the period whose referral became a case, each
once (on their first case in the period). A score's figures count people with both a baseline
(their earliest baseline measure) and a follow-up (their latest follow-up measure at least three
months after it); the others are counted as not paired.</p>
<p><b>Mean change and interval.</b> d̄ = mean of (follow-up − baseline); 95% interval
d̄ ± t<sub>0.975, n−1</sub> · s<sub>d</sub>/√n (Student's t). <b>Paired t test</b>:
t = d̄ / (s<sub>d</sub>/√n) on n − 1 degrees of freedom, two-sided.</p>
<p><b>Effect size.</b> Cohen's d<sub>z</sub> = d̄ / s<sub>d</sub>, the mean change in standard
deviations of the change (cohen-1988; lakens-2013). It is larger than a d computed with the
baseline standard deviation when baseline and follow-up are correlated.</p>
<p><b>Wilcoxon signed-rank test</b> (wilcoxon-1945), read first for ordinal scores (single
questions and ratings with at most 11 values, and categories): zero changes dropped, the
others ranked by size (ties take the average rank); the exact distribution of the sum of
positive ranks for up to 50 changes without ties, otherwise the normal approximation with
the tie-corrected variance n(n+1)(2n+1)/24 − Σ(t³−t)/48 (lehmann-1975).</p>
<p><b>Improved, no change, worse.</b> A change at least the instrument's meaningful-change
threshold in the better direction is improved, in the worse direction worse, anything
smaller no change; a categorical score counts a move of one category or more.</p>
<p><b>Service use</b>: per service and window length, people with the service counted in
both the window before and the window after referral; the mean change per person with its t
interval; the percentage change of the totals, (after − before) / before, with a 95% interval
by the delta method on the log of the ratio of means. With comparison people in the extract,
the difference in differences: the referred people's mean change minus the comparison
people's, with Welch's interval (welch-1947), and as a ratio of the two groups' after/before
ratios (wing-2018). Costs: counts × the unit cost in the price year.</p>
<p><b>Social return on investment</b> (sroi-guide-2012): each outcome's quantity × its
financial proxy × (1 − deadweight) × (1 − displacement) × (1 − attribution) in year 1, less
the drop-off share each later year, discounted as value<sub>t</sub>/(1 + r)<sup>t</sup> for
years 1 to its duration; the ratio is the total present value over the investment.</p>
<p><b>Progress</b> (dayson-2016): among people with all eight measures paired, those whose
follow-up is higher than their baseline on at least one measure, and on four or more; and,
over every measure with a low baseline (2 or less), the share that rose.</p>
"""


def render(document: dict[str, Any]) -> str:
    """The report as one HTML page (a string), from the document."""
    control = document.get("disclosure_control")
    suppression = (
        f"Small-number suppression applied ({escape(control['rule'])}): counts from 1 to "
        f"{control['threshold']} are withheld (–), others rounded to the nearest "
        f"{control['rounding_base']}; shares are worked out from the published counts."
        if control
        else "No small-number suppression: this report holds exact counts and is not for "
        "publication as it is (use --suppress)."
    )
    caveats = "".join(
        f'<p class="caveat">{escape(c["text"])}'
        + (f" ({escape(', '.join(c['sources']))})" if c["sources"] else "")
        + "</p>"
        for c in document["caveats"]
    )
    sources = "".join(
        f"<li><b>{escape(s['key'])}</b>: {escape(s['reference'])}"
        + (f" {escape(s['url'])}" if s.get("url") else "")
        + "</li>"
        for s in document["sources"]
    )
    breakdowns = ", ".join(b["field"] for b in document["breakdowns"]) or "none"
    title = f"Social prescribing evaluation: {document['period']['label']}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{_STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
<p class="note">Extract {escape(document["source"])}; breakdowns: {escape(breakdowns)};
spcore {escape(document["spcore_version"])}, evaluation format {escape(document["format_version"])}.
{suppression}</p>
<h2>Headline figures</h2>
{_headline(document)}
{_service_headline(document)}
{caveats}
<h2>Charts</h2>
{_charts(document)}
<h2>Outcomes by score</h2>
{_outcome_details(document)}
{"<h2>Progress on the eight measures</h2>" + _progress(document) if document["progress"] else ""}
{"<h2>Service use</h2>" + _service_details(document) if document.get("service_use") else ""}
{"<h2>Costs of service use</h2>" + _costs(document) if document.get("costs") else ""}
{"<h2>Social return on investment</h2>" + _sroi(document) if document.get("sroi") else ""}
<h2>Records evaluated and left out</h2>
{_records(document)}
<h2>Method</h2>
{_METHOD}
<h2>Sources</h2>
<ul>{sources}</ul>
</body></html>
"""
