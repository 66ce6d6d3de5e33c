"""The HTML validation report: one self-contained page a commissioner can open.

The page carries its own CSS, needs no JavaScript and fetches nothing: it
can be emailed or archived and still read the same. It opens with a table
of files and counts, then, per file, the groups of findings with what each
code means (and, for business rules, the rule's title and rationale) and
where each finding is. Occurrences past the first few fold into a
``<details>`` element, which browsers open without scripts.

Everything that comes from the document or the file name is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from spcore._version import STANDARD_VERSION, __version__
from spcore.framework.bibliography import readable
from spcore.validation.explanations import explain
from spcore.validation.grouping import FindingGroup
from spcore.validation.render_common import (
    SEVERITY_HEADINGS,
    SHARED_MESSAGE,
    clean,
    group_name,
    more_line,
    plural,
)
from spcore.validation.report import DEFAULT_MAX_PER_GROUP, ValidationReport

TITLE = "Quarterly return validation report"

_CSS = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Arial, sans-serif;
  color: #0b0c0c; margin: 0; background: #f3f2f1; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; background: #fff; }
h1 { font-size: 1.8rem; margin-bottom: .25rem; }
h2 { font-size: 1.4rem; border-top: 4px solid #0b0c0c; padding-top: .75rem; margin-top: 2.5rem;
  overflow-wrap: anywhere; }
h3 { font-size: 1.2rem; margin-top: 1.5rem; }
h4 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; color: #505a5f; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #b1b4b6;
  vertical-align: top; overflow-wrap: anywhere; }
td.n, th.n { text-align: right; }
code { font-family: ui-monospace, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.meta { color: #505a5f; margin-top: 0; }
.verdict { font-weight: 700; }
.v-valid { color: #00703c; } .v-warnings { color: #8a5b00; }
.v-invalid, .v-unreadable { color: #d4351c; }
.group { border-left: 5px solid #d4351c; padding: .25rem 0 .25rem 1rem; margin: 1rem 0; }
.group.warning { border-left-color: #f47738; }
.group h5 { font-size: 1rem; margin: 0; }
.group p { margin: .25rem 0; }
.count { font-weight: 400; color: #505a5f; }
.rationale { color: #505a5f; }
ul.findings { padding-left: 1.25rem; margin: .5rem 0; }
ul.findings li { margin: .25rem 0; }
.where { font-weight: 600; display: block; overflow-wrap: anywhere; }
details summary { cursor: pointer; color: #1d70b8; }
@media print { body { background: #fff; } details > * { display: block; } }
"""

_VERDICT_CLASS = {
    "valid": "v-valid",
    "valid, with warnings": "v-warnings",
    "NOT valid": "v-invalid",
    "cannot be read": "v-unreadable",
}


def _e(text: object) -> str:
    """Escape text from anywhere (document, file name, messages) for HTML."""
    return html.escape(clean(str(text)), quote=True)


def _verdict(report: ValidationReport) -> str:
    css = _VERDICT_CLASS.get(report.verdict, "")
    return f'<span class="verdict {css}">{_e(report.verdict)}</span>'


def _summary(reports: Sequence[ValidationReport]) -> list[str]:
    rows = [
        "<table>",
        "<caption>Files checked</caption>",
        '<thead><tr><th scope="col">File</th><th scope="col">Verdict</th>'
        '<th scope="col" class="n">Errors</th><th scope="col" class="n">Warnings</th></tr></thead>',
        "<tbody>",
    ]
    for number, report in enumerate(reports, start=1):
        counts = report.counts()
        rows.append(
            f'<tr><td><a href="#file-{number}">{_e(report.source)}</a></td>'
            f"<td>{_verdict(report)}</td>"
            f'<td class="n">{counts["error"]:,}</td><td class="n">{counts["warning"]:,}</td></tr>'
        )
    rows += ["</tbody>", "</table>"]
    return rows


def _finding_items(report: ValidationReport, group: FindingGroup, start: int, stop: int) -> str:
    shared = group.shared_message is not None
    items = [
        f'<li><span class="where">{_e(report.where(f))}</span>'
        + ("" if shared else f' <span class="message">{_e(f.message)}</span>')
        + "</li>"
        for f in group.findings[start:stop]
    ]
    return '<ul class="findings">' + "".join(items) + "</ul>"


def _group(report: ValidationReport, group: FindingGroup, limit: int | None) -> list[str]:
    explanation = explain(group.code)
    shown = len(group.first(limit))
    parts = [
        f'<article class="group {_e(group.severity.value)}">',
        f"<h5><code>{_e(group.code)}</code> {_e(group_name(group))} "
        f'<span class="count">({_e(plural(group.count, "finding"))})</span></h5>',
    ]
    if group.field:
        parts.append(f'<p class="field">Field: <code>{_e(group.field)}</code></p>')
    if explanation.title:
        parts.append(f'<p class="rule"><strong>{_e(explanation.title)}</strong></p>')
    if explanation.meaning and explanation.meaning != explanation.title:
        parts.append(f'<p class="meaning">{_e(explanation.meaning)}</p>')
    if explanation.rationale:
        parts.append(f'<p class="rationale">Why: {_e(explanation.rationale)}</p>')
    if explanation.source:
        # People read the short reference; the key stays in the JSON report.
        source = readable(explanation.source)
        parts.append(f'<p class="rationale">Source: {_e(source)}</p>')
    if group.shared_message:
        parts.append(f'<p class="message">{_e(SHARED_MESSAGE + group.shared_message)}</p>')
    parts.append(_finding_items(report, group, 0, shown))
    hidden = group.hidden(limit)
    if hidden:
        parts += [
            f"<details><summary>{_e(more_line(hidden))}</summary>",
            _finding_items(report, group, shown, group.count),
            "</details>",
        ]
    parts.append("</article>")
    return parts


def _report(number: int, report: ValidationReport, limit: int | None) -> list[str]:
    counts = report.counts()
    parts = [
        f'<section class="file" id="file-{number}">',
        f"<h2>{_e(report.source)}</h2>",
        f"<p>{_verdict(report)}: {_e(plural(counts['error'], 'error'))}, "
        f"{_e(plural(counts['warning'], 'warning'))}.</p>",
    ]
    if report.waiting:
        parts.append(f'<p class="waiting">{_e(report.waiting)}</p>')
    if not report.findings:
        parts.append("<p>No problems found.</p>")
    severity = None
    section: str | None = None
    for group in report.groups():
        if group.severity is not severity:
            if severity is not None:
                parts.append("</section>")
            severity, section = group.severity, None
            heading = SEVERITY_HEADINGS.get(group.severity, group.severity.value)
            parts += [f'<section class="{_e(group.severity.value)}s">', f"<h3>{_e(heading)}</h3>"]
        if group.section != section:
            section = group.section
            parts.append(f"<h4>{_e(group.section_title)}</h4>")
        parts += _group(report, group, limit)
    if severity is not None:
        parts.append("</section>")
    parts.append("</section>")
    return parts


def render_html(
    reports: Sequence[ValidationReport], *, max_per_group: int | None = DEFAULT_MAX_PER_GROUP
) -> str:
    """The reports as one self-contained HTML page (inline CSS, no scripts, no fetches).

    Args:
        reports: one report per file, in the order checked.
        max_per_group: occurrences shown per group before the rest fold away
            (None or 0: all shown).
    """
    body: list[str] = [
        f"<h1>{_e(TITLE)}</h1>",
        f'<p class="meta">Checked with spcore {_e(__version__)} against version '
        f"{_e(STANDARD_VERSION)} of the Common Outcomes Framework standard.</p>",
        *_summary(reports),
    ]
    for number, report in enumerate(reports, start=1):
        body += _report(number, report, max_per_group)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(TITLE)}</title>",
            f"<style>{_CSS}</style>",
            "</head>",
            "<body>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )
