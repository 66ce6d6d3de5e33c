"""Case-record extracts: streaming reading, fast validation, synthetic data.

* :func:`read_extract` reads an NDJSON or CSV extract one record at a time and
  validates each against the case-record schema (:mod:`spcore.cases.extracts`);
* :func:`check_record` validates one record, reporting exactly what the
  reference ``jsonschema`` path reports, far faster (``benchmarks/README.md``)
  (:mod:`spcore.cases.fastcheck`);
* :func:`csv_columns` is the CSV layout, derived from the schema
  (:mod:`spcore.cases.csv_layout`);
* :func:`synth_cases` and :func:`write_synthetic_extract` make deterministic
  synthetic extracts (:mod:`spcore.cases.synth`).

Finding codes: ``SPC-C…`` (:data:`CASE_CODES`) for lines that are not records;
``SPC-S…`` for records that break the schema.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.cases.check import check_case
    from spcore.cases.codes import CASE_CODES, MAX_LINE_BYTES, UNREADABLE_CODES
    from spcore.cases.csv_layout import column_names as csv_columns
    from spcore.cases.extracts import (
        ExtractItem,
        ExtractReader,
        ExtractSummary,
        check_extract,
        detect_format,
        read_extract,
    )
    from spcore.cases.fastcheck import check_record, reference_findings
    from spcore.cases.synth import INVALID_KINDS, SynthStats, synth_cases, write_synthetic_extract
else:
    from spcore._lazy import attach

    # Names load on first use (see spcore._lazy).
    __getattr__, __dir__ = attach(__name__)

__all__ = [
    "CASE_CODES",
    "INVALID_KINDS",
    "MAX_LINE_BYTES",
    "UNREADABLE_CODES",
    "ExtractItem",
    "ExtractReader",
    "ExtractSummary",
    "SynthStats",
    "check_case",
    "check_extract",
    "check_record",
    "csv_columns",
    "detect_format",
    "read_extract",
    "reference_findings",
    "synth_cases",
    "write_synthetic_extract",
]
