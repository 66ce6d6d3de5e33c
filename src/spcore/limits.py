"""Every bound spcore puts on what it reads, in one table.

Each reader accepts input only up to a size that a genuine document of its
kind never approaches, so the time and memory it spends are proportional to
what it accepts, and a mistaken or hostile file is refused with a finding
rather than exhausting the machine. The modules that apply a limit import it
from here; ``docs/limits.md`` shows this table (a test keeps the two equal).

The comment above each value says why it is what it is.
"""

from __future__ import annotations

# --- every JSON or YAML document --------------------------------------------------------

#: Deepest nesting of lists and objects in any document. A return nests five
#: levels, a case record five, a rule file about ten; 64 leaves room for
#: deep ``all``/``any`` rules while keeping parsers far from their recursion
#: limits. For YAML and JSON rule and facts files, brackets are counted on the
#: raw text *before* parsing, because a YAML parser's time grows with the
#: square of the depth of nested flow brackets.
MAX_DEPTH = 64

#: Where a caller judges depth on the parsed document itself, the bracket count
#: before parsing still stops at this many levels.
MAX_PARSE_DEPTH = 256

#: Most digits in one integer. No spcore figure has more than 13 (a money
#: amount up to 10^12), so a longer one is reported by the schema as too
#: large; past 1,000 digits it is refused while reading, with its line, since
#: converting a long digit string costs time quadratic in its length (Python
#: itself stops at 4,300 with an exception).
MAX_INTEGER_DIGITS = 1000

# --- quarterly returns --------------------------------------------------------------------

#: Largest return file read (JSON), in bytes. A return is a few kilobytes;
#: the largest the schema allows (every list full) is a few megabytes.
RETURN_FILE_BYTES = 20 * 1024 * 1024

#: Largest return file in the CSV form: three times the JSON limit, since every
#: value sits on a row of its own with its field name.
RETURN_CSV_BYTES = 3 * RETURN_FILE_BYTES

#: Longest cell of the CSV form read, in characters.
RETURN_CSV_CELL = 100_000

#: Most schema findings collected for one return before the schema walk stops:
#: a list over its ``maxItems`` is reported once and its entries are not walked.
MAX_SCHEMA_FINDINGS = 1000

# --- workbooks (.xlsx) ---------------------------------------------------------------------

#: Most parts in the zip: a workbook of this layout has about 30.
XLSX_MAX_PARTS = 500

#: Most bytes all parts may unpack to: the largest valid return is a few MB of XML.
XLSX_MAX_UNPACKED_BYTES = 200 * 1024 * 1024

#: Highest compression ratio of a part once it unpacks to more than the grace
#: size: Apache POI's defaults for the same check (``ZipSecureFile``).
XLSX_MAX_RATIO = 100
XLSX_RATIO_GRACE_BYTES = 100 * 1024

#: Most sheets read: the layout has about 20 data sheets.
XLSX_MAX_SHEETS = 100

#: Rows and cells beyond the largest return the schema allows (the per-sheet
#: and per-workbook limits are worked out from the layout in
#: :mod:`spcore.spreadsheets.limits`). Every row element counts, empty or not,
#: so a sheet of millions of empty rows is refused as quickly as a full one.
XLSX_MARGIN = 1_000

# --- case-record extracts ------------------------------------------------------------------

#: Longest NDJSON line or physical CSV line, in bytes: the largest case record
#: the schema allows is under 3 MB even with every character four bytes long.
CASE_LINE_BYTES = 4 * 1024 * 1024

#: A gzip-compressed extract may unpack to at most this many times its
#: compressed size, plus the grace below. Extracts compress about 5 to 30
#: times; a decompression bomb compresses about 1,000 times.
GZIP_MAX_RATIO = 200
GZIP_RATIO_GRACE_BYTES = 64 * 1024 * 1024

# --- small configuration files -------------------------------------------------------------

#: Largest eligibility rule file, in bytes: real ones are a few kilobytes.
RULE_FILE_BYTES = 2 * 1024 * 1024

#: Largest scheme-facts file, in bytes: real ones are a few hundred bytes.
FACTS_FILE_BYTES = 1024 * 1024

#: Largest key file, in bytes: a key is 64 hexadecimal digits and a comment.
KEY_FILE_BYTES = 4096

# --- tables of answers and people ----------------------------------------------------------

#: Largest CSV scored by ``spcore score`` (read whole, to score columns at once).
SCORE_CSV_BYTES = 256 * 1024 * 1024

# --- personal-data scan -------------------------------------------------------------------

#: Longest stretch of one string scanned: the longest free text allowed is 4,000.
SCAN_MAX_CHARS = 100_000

#: Most strings scanned in one document.
SCAN_MAX_STRINGS = 200_000

#: Most matches reported from one string, and from one document: one is
#: enough to refuse a return, and a hostile file must not produce millions.
SCAN_MAX_MATCHES_PER_STRING = 20
SCAN_MAX_MATCHES_PER_DOCUMENT = 200

# --- messages -----------------------------------------------------------------------------

#: Longest excerpt of a file's content quoted in a message, in characters.
EXCERPT_CHARACTERS = 60


def table() -> list[tuple[str, int, str]]:
    """Every limit as ``(name, value, why)``, in the order above (for the docs).

    The "why" is the ``#:`` comment above the value; values written one after
    another share the comment above the first.
    """
    import inspect
    import sys

    rows: list[tuple[str, int, str]] = []
    comment: list[str] = []
    pending = False
    for line in inspect.getsource(sys.modules[__name__]).splitlines():
        if line.startswith("#:"):
            if not pending:
                comment = []
            pending = True
            comment.append(line[2:].strip())
        elif line[:1].isupper() and " = " in line:
            name = line.split(" = ", 1)[0]
            rows.append((name, int(globals()[name]), " ".join(comment)))
            pending = False
        elif not line.strip() or line.startswith("# ---"):
            comment = [] if not line.strip() and not rows else comment
    return rows
