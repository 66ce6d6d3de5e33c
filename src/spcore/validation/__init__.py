"""Validation of quarterly returns: schema checks and business rules, as findings.

Finding codes:

* ``SPC-F…`` — the file itself cannot be used (see :data:`FILE_CODES`);
* ``SPC-S…`` — the document breaks the JSON Schema (see :data:`SCHEMA_CODES`);
* ``SPC-R…`` — the business rules (see :data:`RULES` and :data:`RULE_CODES`).
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.validation.catalogue import render_catalogue_markdown
    from spcore.validation.finding_codes import FINDING_CODES
    from spcore.validation.grouping import FindingGroup, group_findings
    from spcore.validation.loading import FILE_CODES
    from spcore.validation.rendering import render_reports
    from spcore.validation.report import ValidationReport
    from spcore.validation.returns import parse_return, validate_return, validate_returns
    from spcore.validation.rules import RULE_CODES, RULES
    from spcore.validation.schema_findings import SCHEMA_CODES
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

__all__ = [
    "FILE_CODES",
    "FINDING_CODES",
    "RULES",
    "RULE_CODES",
    "SCHEMA_CODES",
    "FindingGroup",
    "ValidationReport",
    "group_findings",
    "parse_return",
    "render_catalogue_markdown",
    "render_reports",
    "validate_return",
    "validate_returns",
]
