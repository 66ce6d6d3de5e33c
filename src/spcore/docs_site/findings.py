"""The finding-code pages: every code the library can report, and the validation rules.

Areas publish their codes as module-level ``*_CODES`` dicts (code -> meaning).
They are looked up by import here rather than imported directly, so the
documentation builds whichever areas are installed, and a new area appears as
soon as it is added to :data:`AREAS`.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Collection
from typing import Any

from spcore.docs_site import markdown as md

#: Areas of the library that report findings: (title, module, page in the docs).
#: A code is listed under the first area that publishes it, so the specific
#: areas come before ``spcore.validation``, whose ``FINDING_CODES`` gathers
#: the codes of everything a return can be read from.
AREAS: tuple[tuple[str, str, str], ...] = (
    ("Business rules", "spcore.validation.rules", "reference/validation-rules.md"),
    ("Spreadsheets", "spcore.spreadsheets", "spreadsheets.md"),
    ("Case extracts", "spcore.cases", "case-extracts.md"),
    ("Aggregation", "spcore.aggregation", "aggregation.md"),
    ("Evaluation", "spcore.evaluation", "evaluation/index.md"),
    ("Pseudonymisation", "spcore.pseudonymise", "pseudonymisation.md"),
    ("RAG safeguarding rating", "spcore.rag", "rag.md"),
    ("Eligibility", "spcore.eligibility", "eligibility.md"),
    ("Interoperability", "spcore.interop.codes", "interop/index.md"),
    ("Outcome instruments", "spcore.instruments", "instruments/index.md"),
    ("EQ-5D", "spcore.instruments.eq5d", "instruments/index.md"),
    ("Files and schema", "spcore.validation", "reference/validation-rules.md"),
)


def optional_module(name: str) -> Any:
    """The module ``name``, or None when it is not part of this installation.

    A folder without ``__init__.py`` (a package still being written) counts as absent.
    """
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None
    if spec is None or spec.origin is None:
        return None
    return importlib.import_module(name)


def _meaning(value: Any) -> str:
    if isinstance(value, str):
        return value
    for attribute in ("meaning", "description", "summary", "title", "message"):
        text = getattr(value, attribute, None)
        if isinstance(text, str):
            return text
    return str(value)


def area_codes(module_name: str) -> dict[str, str]:
    """Every finding code a module publishes in its ``*_CODES`` dicts: code -> meaning."""
    module = optional_module(module_name)
    codes: dict[str, str] = {}
    if module is None:
        return codes
    # dir(), not vars(): a package's public names load on first use (spcore._lazy).
    for attribute in sorted(dir(module)):
        value = getattr(module, attribute)
        if attribute.endswith("_CODES") and isinstance(value, dict):
            for code, meaning in value.items():
                codes.setdefault(str(code), _meaning(meaning))
    return codes


def all_codes() -> list[tuple[str, str, str, str]]:
    """Every finding code: (code, meaning, area title, area page), each code once."""
    seen: dict[str, tuple[str, str, str, str]] = {}
    for title, module, page in AREAS:
        for code, meaning in area_codes(module).items():
            seen.setdefault(code, (code, meaning, title, page))
    return sorted(seen.values())


def _prefixes(codes: list[tuple[str, str, str, str]]) -> list[tuple[str, str]]:
    """Each code prefix (``SPC-F``) with the areas using it, from the codes themselves."""
    areas: dict[str, list[str]] = {}
    for code, _, title, _ in codes:
        prefix = code.rstrip("0123456789")
        if title not in areas.setdefault(prefix, []):
            areas[prefix].append(title)
    return [(md.code(p), md.cell(", ".join(t))) for p, t in sorted(areas.items())]


def findings_page(existing: Collection[str] | None = None) -> str:
    """Every finding code the library can report, with its area.

    ``existing``: the pages of the site; an area links to its page only when
    that page exists (pages of new areas may land after their code).
    """
    codes = all_codes()
    rows = [
        (
            md.code(code),
            md.cell(meaning),
            f"[{md.cell(title)}](../{page})"
            if existing is None or page in existing
            else md.cell(title),
        )
        for code, meaning, title, page in codes
    ]
    return md.page(
        [
            "# Finding codes",
            "",
            "Every check in spcore reports a *finding*: a stable code, a severity "
            "(`error` or `warning`), a JSON Pointer to the value concerned and one "
            "plain sentence. Codes are never reused for a different meaning. This "
            "page lists every code of every area, generated from the code itself.",
            "",
            *md.table(("Prefix", "Area"), _prefixes(codes)),
            "",
            *md.table(("Code", "Meaning", "Area"), rows),
        ]
    )


def _catalogue_renderer() -> Callable[[], str] | None:
    """``spcore.validation.catalogue.render_catalogue_markdown`` when it exists."""
    module = optional_module("spcore.validation.catalogue")
    render = getattr(module, "render_catalogue_markdown", None) if module else None
    return render if callable(render) else None


def validation_rules_page() -> str:
    """The catalogue of quarterly-return checks.

    The validation package renders its own catalogue when it has one; until
    then the page lists its finding codes.
    """
    render = _catalogue_renderer()
    if render is not None:
        # The catalogue's own heading is replaced: "Finding codes" is the
        # title of the page listing every area's codes.
        body = render().lstrip()
        if body.startswith("# "):
            body = body.split("\n", 1)[1] if "\n" in body else ""
        return md.page(["# Validation rules", "", body.lstrip("\n")])
    rows = [
        (md.code(code), md.cell(meaning))
        for code, meaning in sorted(area_codes("spcore.validation").items())
    ]
    return md.page(
        [
            "# Validation rules",
            "",
            "`spcore validate` and `spcore.validate_return` check a quarterly return "
            "and report each problem with one of these codes.",
            "",
            *md.table(("Code", "Meaning"), rows),
        ]
    )
