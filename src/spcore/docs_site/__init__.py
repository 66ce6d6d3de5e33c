"""The generated pages of the documentation site.

The site (``mkdocs.yml``, ``docs/``) adds these pages at build time through the
hook in ``docs/hooks/generated_pages.py``; they are never committed, so they
cannot drift from the schemas, codelists, instruments and finding codes they
describe. :func:`pages` returns them all, which is also what the tests check.

* ``reference/schemas/`` — one page per published schema: every field's path,
  title, type, whether it is required, allowed codes, description and example;
  the schema files themselves beside them;
* ``reference/codelists/`` — one page per codelist: every code's title,
  description and source;
* ``reference/findings.md`` — every finding code of every area;
* ``reference/validation-rules.md`` — the quarterly-return rule catalogue;
* ``reference/figures.md`` — each count's population and definition, and the
  relations between figures the bound rules are made from;
* ``standard/sources.md`` — the bibliography (:mod:`spcore.docs_site.bibliography`);
* ``instruments/`` — one page per outcome instrument (:mod:`spcore.instruments.docs`);
* ``api/`` — API reference pages (mkdocstrings) for each public module installed.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

from spcore import strict_json
from spcore.docs_site import findings, reference
from spcore.docs_site.bibliography import sources_page
from spcore.docs_site.findings import optional_module
from spcore.instruments import docs as instrument_docs
from spcore.validation.catalogue import render_figures_markdown

#: Example documents that fill the Example column: schema name -> path in the repository.
EXAMPLES: dict[str, str] = {
    "quarterly-return": "examples/returns/northshire-connect-2025-26-Q2.json",
    "case-record": "examples/cases/case-7f3a9c.json",
    "eligibility-rules": "examples/rules/secondary-care.yaml",
}

#: Public modules with an API reference page, in reading order. Modules not
#: installed (areas still being added) are left out rather than failing the build.
API_MODULES: tuple[str, ...] = (
    "spcore",
    "spcore.findings",
    "spcore.framework",
    "spcore.framework.periods",
    "spcore.framework.quantities",
    "spcore.framework.quarterly_return",
    "spcore.framework.case_record",
    "spcore.framework.codelists",
    "spcore.framework.nhs_number",
    "spcore.schemas",
    "spcore.validation",
    "spcore.validation.rules",
    "spcore.instruments",
    "spcore.instruments.change",
    "spcore.rag",
    "spcore.eligibility",
    "spcore.spreadsheets",
    "spcore.cases",
    "spcore.aggregation",
    "spcore.pseudonymise",
    "spcore.interop",
    "spcore.interop.journey",
    "spcore.interop.scoring",
)


def load_examples(repo_root: Path) -> dict[str, tuple[str, Any]]:
    """The example documents under ``repo_root``: schema name -> (path, parsed document)."""
    out: dict[str, tuple[str, Any]] = {}
    for name, relative in EXAMPLES.items():
        path = repo_root / relative
        if not path.is_file():
            continue
        raw = path.read_text(encoding="utf-8")
        out[name] = (
            relative,
            yaml.safe_load(raw) if path.suffix == ".yaml" else strict_json.loads(raw),
        )
    return out


def api_modules() -> list[str]:
    """The modules of :data:`API_MODULES` that this installation has."""
    return [name for name in API_MODULES if optional_module(name) is not None]


def api_page(module: str) -> str:
    """The API reference page of ``module`` (a mkdocstrings directive)."""
    return f"# `{module}`\n\n::: {module}\n"


def api_index(modules: list[str]) -> str:
    """The index of the API reference."""
    lines = [
        "# API reference",
        "",
        "Generated from the docstrings. Everything in `spcore` itself is the stable "
        "public API; the sub-modules hold the detail.",
        "",
    ]
    lines += [f"- [`{m}`]({m}.md)" for m in modules]
    return "\n".join(lines) + "\n"


def pages(repo_root: Path | None = None, existing: Collection[str] | None = None) -> dict[str, str]:
    """Every generated page: path under the docs root -> Markdown.

    ``repo_root`` holds the example documents for the Example columns;
    ``existing`` names the hand-written pages, so links go only to pages that exist.
    """
    examples = load_examples(repo_root) if repo_root else {}
    out = reference.pages(examples)
    generated = set(out)
    out["reference/validation-rules.md"] = findings.validation_rules_page()
    out["reference/figures.md"] = render_figures_markdown()
    out["standard/sources.md"] = sources_page()
    out.update({f"instruments/{k}": v for k, v in instrument_docs.pages().items()})
    interop_docs = optional_module("spcore.interop.docs")
    if interop_docs is not None:
        case = examples.get("case-record", ("", None))[1]
        out.update({f"interop/{k}": v for k, v in interop_docs.pages(case).items()})
    modules = api_modules()
    out["api/index.md"] = api_index(modules)
    out.update({f"api/{m}.md": api_page(m) for m in modules})
    generated |= set(out)
    links = None if existing is None else set(existing) | generated | {"reference/findings.md"}
    out["reference/findings.md"] = findings.findings_page(links)
    return out


def files() -> dict[str, str]:
    """Generated non-Markdown files (the schemas): path under the docs root -> text."""
    out = reference.schema_files()
    interop_docs = optional_module("spcore.interop.docs")
    if interop_docs is not None:
        out.update({f"interop/{k}": v for k, v in interop_docs.files().items()})
    return out
