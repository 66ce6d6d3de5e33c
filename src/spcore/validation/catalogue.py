"""The catalogue of finding codes, rendered as Markdown for the documentation site.

Every code spcore's validation can report is listed: the file and schema
codes with their meaning (``FINDING_CODES``), then every business rule of
:data:`spcore.validation.rules.RULES` with its severity, title, rationale,
source and a failing and passing example. The page is generated from the
same objects the validator runs, so it cannot fall out of date.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spcore.framework.definitions import FIGURES
from spcore.validation.rules import INTERNAL_CODE, RULE_CODES, RULES
from spcore.validation.rules.base import RuleInfo
from spcore.validation.rules.bounds import Kind, Term
from spcore.validation.rules.relations import RELATIONS, UNBOUNDED


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


def _terms(terms: Sequence[Term]) -> str:
    return " + ".join(f"`{t.pointer}`" for t in terms)


#: How the relations page writes each kind of relation between parts and whole.
KIND_WORDS = {
    Kind.AT_MOST: "≤",
    Kind.AT_LEAST: "≥ (when every part is known)",
    Kind.EACH_AT_MOST: "each ≤",
}


def definitions_table() -> str:
    """The Markdown table of every count's population, definition and source.

    Made from :data:`spcore.framework.definitions.FIGURES`, the one place these
    are written: the reference page of figures and the aggregation page show it.
    """
    lines = ["| field | population | definition | source |", "|---|---|---|---|"]
    lines += [
        f"| `{pointer}` | {_cell(f.population)} | {_cell(f.definition)} | {_cell(f.source)} |"
        for pointer, f in FIGURES.items()
    ]
    return "\n".join(lines)


def render_figures_markdown() -> str:
    """The Markdown page of every count's population and definition, and the relations table.

    Generated from :data:`spcore.framework.definitions.FIGURES` and
    :data:`spcore.validation.rules.relations.RELATIONS`, the same data the
    schema descriptions and the bound rules are made from.
    """
    lines = [
        "# Figures and their relations",
        "",
        "What each count of a quarterly return counts, and the bounds its definition implies "
        "between it and other figures. The schema puts each population and definition in the "
        "field's description; the bound rules of the [catalogue](validation-rules.md) are "
        "made from the relations below. How the table works is explained in "
        "[business rules](../validation-rules.md).",
        "",
        "## Populations and definitions",
        "",
        definitions_table(),
    ]
    lines += [
        "",
        "## Relations",
        "",
        "`*` adds up every member of a breakdown or list; `{i}` takes each item of a list in "
        "turn; `#` before a pointer is the number of items in the list.",
        "",
        "| code | severity | parts | | whole | why |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| `{r.code}` | {r.severity.value} | {_terms(r.parts)} | {KIND_WORDS[r.kind]} | "
        f"{_terms(r.whole)} | {_cell(r.rationale)} |"
        for r in RELATIONS
    ]
    lines += [
        "",
        "## Counts no relation bounds",
        "",
        "| field | why |",
        "|---|---|",
    ]
    lines += [f"| `{p}` | {_cell(why)} |" for p, why in UNBOUNDED.items()]
    return "\n".join(lines) + "\n"
