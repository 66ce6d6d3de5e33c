"""The machine-readable validation report (``spcore validate --format json``).

The shape is stable and versioned by :data:`FORMAT_VERSION`: a new key bumps
the minor number, a removed or changed key the major number. Every key is
described by the bundled JSON Schema ``validation-report.schema.json``
(:func:`report_schema`) and documented in ``docs/validation-reports.md``.
Unlike the text and HTML reports, the JSON report always lists every finding.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from spcore import strict_json
from spcore._version import STANDARD_VERSION, __version__
from spcore.validation.report import ValidationReport

#: Version of the JSON report's shape (not of spcore, nor of the standard).
FORMAT_VERSION = "1.1"

_SCHEMA_FILE = "validation-report.schema.json"


def summary(reports: Sequence[ValidationReport]) -> dict[str, Any]:
    """Counts over all the files: files by outcome, findings by severity."""
    valid = sum(r.is_valid for r in reports)
    unreadable = sum(not r.readable for r in reports)
    return {
        "files": len(reports),
        "valid": valid,
        "not_valid": len(reports) - valid - unreadable,
        "unreadable": unreadable,
        "error": sum(r.counts()["error"] for r in reports),
        "warning": sum(r.counts()["warning"] for r in reports),
    }


def reports_document(reports: Sequence[ValidationReport]) -> dict[str, Any]:
    """The whole JSON report as a dictionary (see :func:`report_schema`)."""
    return {
        "format_version": FORMAT_VERSION,
        "spcore_version": __version__,
        "standard_version": STANDARD_VERSION,
        "summary": summary(reports),
        "reports": [r.to_dict() for r in reports],
    }


def render_json(reports: Sequence[ValidationReport]) -> str:
    """The reports as indented JSON text, ending in a newline."""
    return json.dumps(reports_document(reports), indent=2, ensure_ascii=False) + "\n"


@functools.cache
def _schema_text() -> str:
    return (resources.files("spcore.validation") / _SCHEMA_FILE).read_text(encoding="utf-8")


def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON report (a fresh copy each call)."""
    schema: dict[str, Any] = strict_json.loads(_schema_text())
    return schema
