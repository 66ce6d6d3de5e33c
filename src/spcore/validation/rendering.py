"""One entry point for writing validation reports in any of their formats."""

from __future__ import annotations

from collections.abc import Sequence

from spcore.validation.report import DEFAULT_MAX_PER_GROUP, ValidationReport

#: The report formats, the first being the default.
FORMATS: tuple[str, ...] = ("text", "json", "html")


def render_reports(
    reports: Sequence[ValidationReport],
    fmt: str = "text",
    *,
    max_per_group: int | None = DEFAULT_MAX_PER_GROUP,
    colour: bool = False,
) -> str:
    """The reports as ``text``, ``json`` or ``html``.

    ``max_per_group`` limits the occurrences shown per group in text (and the
    ones shown before a "more" fold in HTML); JSON always lists them all.
    ``colour`` applies to text only. An unknown format raises ``ValueError``.
    """
    # Each renderer is imported when its format is asked for: a command prints one.
    if fmt == "text":
        from spcore.validation.render_text import render_text

        return render_text(reports, max_per_group=max_per_group, colour=colour)
    if fmt == "json":
        from spcore.validation.render_json import render_json

        return render_json(reports)
    if fmt == "html":
        from spcore.validation.render_html import render_html

        return render_html(reports, max_per_group=max_per_group)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
