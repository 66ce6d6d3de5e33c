"""How commands write counts: thousands separators, singular or plural, totals by code.

One place, so every command says "1 record", "2,000 records" and
"SPC-A003 1,025; SPC-C003 4" the same way.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spcore.findings import Finding

#: A finding's path naming a line of an extract: ``/lines/12/nhs_number``.
_LINE_PATH = re.compile(r"^/lines/(\d+)")

#: Plurals that are not the singular plus "s".
_IRREGULAR = {"person": "people", "was": "were", "is": "are", "has": "have"}


def plural(word: str, count: int) -> str:
    """``word`` for ``count`` of them: ``record``/``records``, ``person``/``people``."""
    if count == 1:
        return word
    return _IRREGULAR.get(word, word + "s")


def count(number: int, word: str) -> str:
    """``number`` with thousands separators and ``word`` agreeing: ``1 row``, ``2,000 rows``."""
    return f"{number:,} {plural(word, number)}"


def by_code(counts: Mapping[str, int]) -> str:
    """Totals by finding code, largest first then by code: ``SPC-A003 1,025; SPC-C003 4``."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "; ".join(f"{code} {n:,}" for code, n in ordered if n)


def finding_line(source: str, finding: Finding, *, with_path: bool = True) -> str:
    """One finding as every command prints it: ``FILE:LINE: CODE severity: message``.

    The line comes from a path that starts ``/lines/N`` (a finding about line
    N of an extract); any rest of the path follows the message as
    ``(at /pointer)``. Without a line: ``FILE: CODE severity: message``.
    ``with_path=False`` leaves the path out, for a message that already says
    where it is.
    """
    path = finding.path if with_path else ""
    where = source
    match = _LINE_PATH.match(path)
    if match:
        where = f"{source}:{match[1]}"
        path = path[match.end() :]
    text = f"{where}: {finding.code} {finding.severity}: {finding.message}"
    return f"{text} (at {path})" if path else text


def findings_cell(findings: Sequence[Finding]) -> str:
    """Findings in one CSV cell, the same readable form in every command's output.

    ``SPC-I005 error: The answer to item_2 is missing... | SPC-E012 warning: ...``;
    empty when there are none.
    """
    return " | ".join(f"{f.code} {f.severity}: {f.message}" for f in findings)


#: Rows with problems named one by one on standard error, before a count of the rest.
MAX_ROWS_PRINTED = 50


def row_line(source: str, line: int, row: int, ident: str, finding: Finding) -> str:
    """A problem on a row of a CSV file: ``people.csv:8: SPC-E020 error: row 7 (P007): ...``.

    ``ident`` is the row's reference (its first cell); a message that starts
    by naming the row ("Row 7, column age: ...") does not name it twice.
    """
    who = f" ({ident})" if ident.strip() else ""
    message = re.sub(rf"^Row {row}(?:, | )", "", finding.message)
    head = f"{source}:{line}: {finding.code} {finding.severity}"
    return f"{head}: row {row:,}{who}: {message}"


def json_problem(message: str) -> str:
    """Python's JSON error message made to read before "at column N".

    ``json`` says "Unterminated string starting at"; followed by our own
    "at column 633" that read "starting at at column 633".
    """
    return message.removesuffix(" at").removesuffix(": line 1 column 1 (char 0)")


#: Findings a command prints on standard error before "and N more".
MAX_PRINTED = 20


def print_findings(
    source: str,
    findings: Sequence[Finding],
    *,
    kept_in: str,
    without_path: Callable[[Finding], bool] = lambda finding: False,
) -> None:
    """Print the first :data:`MAX_PRINTED` findings on standard error, then how many more.

    ``kept_in`` names where every finding is written (``--report``,
    ``--json``); ``without_path`` picks findings whose message already says
    where they are.
    """
    for finding in findings[:MAX_PRINTED]:
        print(finding_line(source, finding, with_path=not without_path(finding)), file=sys.stderr)
    if len(findings) > MAX_PRINTED:
        more = count(len(findings) - MAX_PRINTED, "more finding")
        print(f"{source}: and {more} (all in {kept_in})", file=sys.stderr)
