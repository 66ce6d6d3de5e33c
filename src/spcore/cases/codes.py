"""Finding codes and limits for case-record extracts.

A record that breaks the case-record schema is reported with the ``SPC-S``
codes of :data:`spcore.validation.SCHEMA_CODES`, exactly as a quarterly return
would be. The ``SPC-C`` codes here are for what is wrong with the extract as a
file: a line or row that is not a record at all, or a CSV cell that cannot be
read.
"""

from __future__ import annotations

from spcore.validation import loading

#: Longest line (NDJSON) or physical CSV line read, in bytes. The largest case
#: record the schema allows (four event lists of at most 1,000 entries each,
#: ``MAX_EVENTS`` in :mod:`spcore.framework.case_record`, 200-character names)
#: is about 1.4 MB written compactly and under 3 MB with spaces after every
#: separator and every name in four-byte UTF-8 characters (a test builds both);
#: anything longer is not a case record, and the limit keeps a corrupt or
#: hostile file from exhausting memory. Only a record that is at every limit
#: *and* writes such characters as ``\u`` escapes could exceed it.
MAX_LINE_BYTES = 4 * 1024 * 1024

#: Deepest nesting accepted in one record: the limit every spcore document
#: shares (a case record nests five levels).
MAX_DEPTH = loading.MAX_DEPTH

CASE_CODES: dict[str, str] = {
    "SPC-C001": "The extract file cannot be read (missing, a folder, not permitted, or an "
    "unknown format).",
    "SPC-C002": "A line is not UTF-8 text.",
    "SPC-C003": "A line is not valid JSON (including NaN, infinite or overlong numbers, or a "
    "truncated record).",
    "SPC-C004": "A line is longer than spcore reads (4 MiB), so it cannot be a case record.",
    "SPC-C005": "An object names the same field twice, so one of the values would be lost.",
    "SPC-C006": "A line holds JSON that is not an object ({...}), so it is not a case record.",
    "SPC-C007": "A record nests lists or objects more deeply than any case record.",
    "SPC-C008": "A record passes the schema but the case-record model still refuses it.",
    "SPC-C009": "A line holds text that is not characters (a lone surrogate escape such as "
    "\\ud800), which nothing can write out.",
    "SPC-C010": "A CSV file's first row names none of the case-extract columns, so it is not "
    "a header (see spcore cases columns).",
    "SPC-C011": "A CSV header names the same column twice, so the file cannot be read safely.",
    "SPC-C012": "A CSV row has more cells than the header has columns.",
    "SPC-C013": "A CSV cell that must hold a JSON list cannot be read as JSON.",
    "SPC-C014": "A CSV row cannot be parsed (for example an unterminated quote).",
    "SPC-C015": "A record's free text (a group's name or directory id) holds what looks like "
    "personal data: an NHS number, telephone number, date of birth, email address or postcode.",
    "SPC-C020": "The extract holds no records.",
    "SPC-C030": "A follow-up measure is sooner than three months after its baseline, so "
    "aggregation will not pair it (a warning).",
    "SPC-C031": "A categorical score (an answer category or level) is not one of its "
    "instrument's codes.",
    "SPC-C032": "A window of service use ends before it starts.",
    "SPC-C033": "A window of service use before referral ends after the referral (index) date.",
    "SPC-C034": "A window of service use after referral starts before the referral (index) date.",
    "SPC-C035": "A service is counted in two windows on the same side of referral with the "
    "same length, so it would be added up twice.",
    "SPC-C036": "A window of service use's dates do not span its stated number of months (a "
    "warning).",
}

#: File-level codes meaning the extract could not be read at all (exit status 2).
UNREADABLE_CODES = frozenset({"SPC-C001", "SPC-C010", "SPC-C011"})
