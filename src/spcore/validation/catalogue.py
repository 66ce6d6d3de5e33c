"""The catalogue of finding codes, rendered as Markdown for the documentation site.

Every code spcore's validation can report is listed: the file and schema
codes with their meaning (``FINDING_CODES``), then every business rule of
:data:`spcore.validation.rules.RULES` with its severity, title, rationale,
source and a failing and passing example. The page is generated from the
same objects the validator runs, so it cannot fall out of date.
"""

from __future__ import annotations

from collections.abc import Mapping

from spcore.validation.rules import INTERNAL_CODE, RULE_CODES, RULES
from spcore.validation.rules.base import RuleInfo


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _code_table(codes: Mapping[str, str], prefix: str) -> list[str]:
    rows = [f"| `{c}` | {_cell(m)} |" for c, m in codes.items() if c.startswith(prefix)]
    return ["| code | meaning |", "|---|---|", *rows]


def _rule_entry(rule: RuleInfo) -> list[str]:
    return [
        f"### `{rule.code}` {rule.title}",
        "",
        f"**Severity:** {rule.severity.value}  ",
        f"**Why:** {rule.rationale}  ",
        f"**Source:** {rule.source}",
        "",
        f"- Reported: {rule.fails}",
        f"- Accepted: {rule.passes}",
        "",
    ]


def render_catalogue_markdown() -> str:
    """The Markdown catalogue of every finding code (file, schema, rules), one page."""
    from spcore.validation import FINDING_CODES

    lines = [
        "# Finding codes",
        "",
        "Every finding spcore reports has one of these codes. A code never changes meaning; "
        "an `error` means the return cannot be right, a `warning` that it is unlikely to be.",
        "",
    ]
    others = {c: m for c, m in FINDING_CODES.items() if c not in RULE_CODES}
    headings = {"SPC-F": "The file", "SPC-S": "The schema", "SPC-X": "Spreadsheets and CSV"}
    # Codes of other families (spreadsheets, say) are listed under their own prefix.
    for prefix in sorted({code[:5] for code in others}):
        lines += [f"## {headings.get(prefix, 'Codes')} (`{prefix}…`)", ""]
        lines += _code_table(others, prefix)
        lines.append("")
    lines += [
        "## Business rules (`SPC-R…`)",
        "",
        "The checks a JSON Schema cannot express. They run on every return that passes the "
        "schema; personal data is looked for in every readable document, valid or not; the "
        "rules across returns run when several returns of one scheme are validated together "
        "(`spcore validate Q1.json Q2.json`, or `spcore.validation.validate_returns`).",
        "",
        "- **Small-number suppression.** When a return declares `disclosure_control`, a "
        "withheld count (`null`) is treated as unknown, never as zero: parts that add up to "
        "*less* than their total are not reported when a part is withheld, while parts that "
        "add up to *more* still are. Counts listed as rounded may each be out by half the "
        "rounding base (2 for base 5), so sums are allowed that much per rounded count.",
        "- **Dates.** The period and the preparation date are checked against today's date; "
        "`validate_return(..., today=date(2025, 11, 1))` checks against another.",
        "- **Personal data.** Findings name the kind of data found and its position in the "
        "text, never the data itself, so a report can be shared safely.",
        "",
    ]
    section = None
    for rule in RULES:
        if rule.section != section:
            section = rule.section
            lines += [f"### {section}", ""]
        entry = _rule_entry(rule)
        entry[0] = "#" + entry[0]
        lines += entry
    lines += [
        f"### `{INTERNAL_CODE}` A check could not be completed",
        "",
        "**Severity:** error  ",
        "**Why:** a defect in spcore stopped one rule; the return has not been fully checked, so "
        "it is not reported as valid. Please report it with the return's structure (not its "
        "figures).",
        "",
    ]
    return "\n".join(lines).rstrip() + "\n"
