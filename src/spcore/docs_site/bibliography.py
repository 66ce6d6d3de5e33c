"""The sources page of the documentation, generated from the bibliography file.

``standard/sources.md`` lists every source of ``spcore/framework/sources.csv``
under a heading that is its citation key, so that a key anywhere on the site
links to ``standard/sources.md#<key>``.
"""

from __future__ import annotations

from spcore.docs_site import markdown as md
from spcore.framework import bibliography

#: The five sources the standard is drawn from, in the order the page presents them.
DOMAIN_KEYS = ("nhse-cof-2018", "hlp-2017", "family-action-2018", "dayson-2016", "spsc-wiki")


def _entry(source: bibliography.BibliographySource) -> list[str]:
    lines = [f"## {source.key}", "", md.text(source.reference)]
    details = [f"Cited in reports as *{source.short}*."]
    if source.url:
        details.append(f"<{source.url}>")
    lines += ["", " ".join(details)]
    if source.notes:
        lines += ["", md.text(source.notes)]
    return [*lines, ""]


def sources_page() -> str:
    """The Markdown of ``standard/sources.md``."""
    every = bibliography.sources()
    lines = [
        "# Sources",
        "",
        "Every code, threshold and rule in spcore names the source it comes from by a "
        'citation key and a locator, for example `nhse-cof-2018, "Phase 1 suggested '
        "outputs\"` or `family-action-2018 Table 1`: in the codelists' *Source* column, the "
        "schema descriptions, the validation rules and the instrument definitions. Reports "
        "show the short reference instead of the key. This page is generated from the "
        "bibliography file `spcore/framework/sources.csv`, the one place each reference is "
        "written; a test fails when anything cites a key that is not in it.",
        "",
        "Where no source gives a code or a value, spcore made the choice and cites `spcore` "
        "with the reason.",
        "",
        "# The sources of the standard",
        "",
    ]
    for key in DOMAIN_KEYS:
        lines += _entry(every[key])
    lines += ["# Other sources", ""]
    for key, source in every.items():
        if key not in DOMAIN_KEYS:
            lines += _entry(source)
    return md.page(lines)
