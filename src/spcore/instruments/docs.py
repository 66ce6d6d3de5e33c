"""Documentation pages for the instruments, generated from their definitions.

The documentation site adds these pages under ``instruments/`` when it is
built (see :mod:`spcore.docs_site`), so they cannot drift from the
definitions. ``python -m spcore.instruments.docs OUTDIR`` also writes
``OUTDIR/<id>.md`` for every instrument and ``OUTDIR/index.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from spcore.instruments import eq5d
from spcore.instruments.codes import FINDING_CODES
from spcore.instruments.definitions import ChangeThreshold, InstrumentDefinition, Score
from spcore.instruments.registry import definitions


def _num(value: float, decimals: int = 0) -> str:
    if float(value).is_integer() and decimals == 0:
        return str(int(value))
    return f"{value:.{max(decimals, 1)}f}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _score_range(score: Score) -> str:
    return f"{_num(score.minimum, score.decimals)} to {_num(score.maximum, score.decimals)}"


def render_markdown(definition: InstrumentDefinition) -> str:
    """The documentation page of one instrument, as Markdown."""
    lines: list[str] = [
        f"# {definition.name}",
        "",
        f"Registry id: `{definition.id}`",
        "",
        definition.summary,
        "",
        "## Licence",
        "",
        definition.licence,
        "",
        "## Items",
        "",
        "| Item id | Item | Allowed answers | Required | Source |",
        "|---|---|---|---|---|",
    ]
    for item in definition.items:
        allowed = f"{_num(item.minimum)}-{_num(item.maximum)}"
        if item.kind.value == "number":
            allowed += " (any number)"
        if item.value_labels:
            allowed += " (" + "; ".join(f"{k} {v}" for k, v in item.value_labels.items()) + ")"
        lines.append(
            f"| `{item.id}` | {_cell(item.label)} | {_cell(allowed)} | "
            f"{'no' if item.optional else 'yes'} | [{item.source}](#sources) |"
        )
    lines += ["", "## Missing data", "", definition.missing_data_rule, "", "## Scoring", ""]
    lines += [
        f"The headline score (`score` column of `spcore score`) is `{definition.headline}`.",
        "",
        "| Score | What it is | Range | Direction | Source |",
        "|---|---|---|---|---|",
    ]
    for score in definition.scores:
        direction = "higher is better" if score.higher_is_better else "higher is worse"
        lines.append(
            f"| `{score.name}` | {_cell(score.label)} | {_score_range(score)} | {direction} | "
            f"[{score.source}](#sources) |"
        )
    lines += ["", "## Bands", ""]
    banded = [s for s in definition.scores if s.bands]
    if not banded:
        lines.append("No bands: no citable published cut-points (see notes).")
    for score in banded:
        lines += [f"`{score.name}`:", "", "| Band | From | To | Source |", "|---|---|---|---|"]
        for band in score.bands:
            lines.append(
                f"| {_cell(band.label)} | {_num(band.minimum, score.decimals)} | "
                f"{_num(band.maximum, score.decimals)} | [{band.source}](#sources) |"
            )
        lines.append("")
    lines += ["", "## Meaningful change", ""]
    thresholds = [s for s in definition.scores if s.change]
    if not thresholds:
        lines.append("No published meaningful-change threshold is implemented (see notes).")
    for score in thresholds:
        change = score.change
        assert change is not None
        lines += [
            f"- `{score.name}`: {_num(change.value, score.decimals)} points on "
            f"{_cell(change.scale)}, a **{change.kind.value}**. {change.description} "
            f"([{change.source}](#sources))",
            f"    - In the source's words: {change.quote}"
            if change.quote
            else "    - The source's own words could not be read here (see below).",
            f"    - Checked: {change.verification}",
        ]
    if definition.value_sets:
        lines += ["", "## Value sets", ""]
        for vs_id in definition.value_sets:
            vs = eq5d.VALUE_SETS[vs_id]
            default = " (default)" if vs_id == definition.default_value_set else ""
            lines.append(f"- `{vs_id}`{default}: {vs.citation} Lowest index {vs.min_index:.3f}.")
    if definition.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in definition.notes]
    lines += _fhir_lines(definition)
    lines += ["", "## Sources", ""]
    for source in definition.sources:
        link = f" <{source.url}>" if source.url else ""
        lines.append(f"- **{source.key}**: {source.citation}{link}")
    return "\n".join(lines).rstrip() + "\n"


def _fhir_lines(definition: InstrumentDefinition) -> list[str]:
    """The instrument's FHIR Questionnaire and each score's national codes, with their sources."""
    # Imported here: the interoperability area builds on this one, not the other way round.
    from spcore.interop.questionnaire import questionnaire_url
    from spcore.interop.terminology import codes_for

    lines = [
        "",
        "## FHIR",
        "",
        f"Questionnaire: `{questionnaire_url(definition.id)}` "
        "(see the [implementation guide](../interop/index.md)).",
        "",
    ]
    for score in definition.scores:
        found = codes_for(definition.id, score.name)
        codes = "; ".join(
            f"{c.system} `{c.code}` {c.display} ({c.source}, {c.locator})" for c in found
        )
        lines.append(f"- `{score.name}`: {codes or 'no verified national code'}")
    return lines


def _change_cell(change: ChangeThreshold | None, decimals: int) -> str:
    if change is None:
        return "-"
    return f"{_num(change.value, decimals)} ({change.kind.value})"


def render_index(defs: Sequence[InstrumentDefinition]) -> str:
    """The index page: one row per instrument, and the finding codes."""
    lines = [
        "# Outcome instruments",
        "",
        "Generated from the definitions in `spcore.instruments`.",
        "",
        "| Id | Instrument | Headline score | Range | Bands | Change threshold |",
        "|---|---|---|---|---|---|",
    ]
    for definition in defs:
        headline = definition.headline_score
        bands = ", ".join(b.label for b in headline.bands) or "-"
        change = headline.change
        lines.append(
            f"| [`{definition.id}`]({definition.id}.md) | {_cell(definition.name)} | "
            f"`{headline.name}` | {_score_range(headline)} | {_cell(bands)} | "
            f"{_change_cell(change, headline.decimals)} |"
        )
    lines += ["", "## Finding codes", "", "| Code | Meaning |", "|---|---|"]
    all_codes = {**FINDING_CODES, **eq5d.FINDING_CODES}
    for code in sorted(all_codes):
        lines.append(f"| `{code}` | {_cell(all_codes[code])} |")
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """Every page: file name -> Markdown."""
    defs = definitions()
    out = {f"{d.id}.md": render_markdown(d) for d in defs}
    out["index.md"] = render_index(defs)
    return out


def write(outdir: Path) -> list[Path]:
    """Write every page into ``outdir`` (created if needed); return the paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in pages().items():
        path = outdir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m spcore.instruments.docs OUTDIR``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m spcore.instruments.docs OUTDIR", file=sys.stderr)
        return 2
    for path in write(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
