"""Wording shared by the text and HTML reports, so both say the same thing."""

from __future__ import annotations

import re

from spcore.findings import Severity
from spcore.validation.grouping import FindingGroup

#: The heading over each severity's groups.
SEVERITY_HEADINGS = {
    Severity.ERROR: "Errors (these must be put right)",
    Severity.WARNING: "Warnings (worth a second look)",
}

# C0 and C1 control characters, DEL included: never written out as they are.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``) instead of acted on.

    A value copied from a document into a report cannot then move a
    terminal's cursor, recolour it, or break a line in the middle of a field.
    """
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def plural(count: int, noun: str) -> str:
    """``plural(1, "error") == "1 error"``, ``plural(0, "warning") == "no warnings"``."""
    if count == 0:
        return f"no {noun}s"
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


#: Introduces a message said once for every finding of a group.
SHARED_MESSAGE = "In each place: "


def more_line(hidden: int) -> str:
    """What stands for the occurrences a group does not show."""
    return f"... and {hidden:,} more like this"


def group_name(group: FindingGroup) -> str:
    """The field a group is about, or ``""`` when the section heading already names it."""
    return "" if group.label == group.section_title else group.label
