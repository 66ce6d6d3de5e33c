"""Every finding code a quarterly return's validation can report, in one table."""

from spcore.spreadsheets.codes import SPREADSHEET_CODES
from spcore.validation.loading import FILE_CODES
from spcore.validation.rules import RULE_CODES
from spcore.validation.schema_findings import SCHEMA_CODES

#: Every finding code this package can report, with its meaning.
FINDING_CODES: dict[str, str] = {
    **FILE_CODES,
    **SCHEMA_CODES,
    **SPREADSHEET_CODES,
    **RULE_CODES,
}
