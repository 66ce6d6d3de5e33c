"""The mapping between the case record and the PRSB Social Prescribing Information Standard.

The mapping is data (``interop/data/prsb-mapping.csv``): one row per
case-record field with the standard's group (person demographics; needs and
concerns; support offered; outcomes), the item where a published source names
it, and a status: ``item`` (mapped to a named item), ``group`` (mapped to the
group; the item could not be verified from public sources) or ``unmapped``
(with the reason). ``spcore prsb mapping`` prints it; the documentation page
is generated from the same rows.
"""

from __future__ import annotations

import argparse
import csv
from typing import Any

from spcore.cli import EXIT_OK
from spcore.interop.terminology import read_csv

COLUMNS = ("Field", "Group", "Item", "Cardinality", "ValueSet", "Status", "Note")


def mapping() -> list[dict[str, str]]:
    """The rows of the PRSB mapping, in case-record order."""
    return read_csv("prsb-mapping.csv")


def register(subparsers: Any) -> None:
    """Add ``prsb mapping`` to the ``spcore`` command."""
    prsb = subparsers.add_parser(
        "prsb",
        help="the PRSB Social Prescribing Information Standard mapping",
        description="The field-by-field mapping of the case record to the PRSB standard v1.1.",
    )
    sub = prsb.add_subparsers(dest="prsb_command", metavar="SUBCOMMAND")
    sub.required = True
    show = sub.add_parser("mapping", help="print the mapping as CSV")
    show.add_argument("-o", "--output", metavar="OUT.csv", default="-", help="output ('-' stdout)")
    show.set_defaults(handler=_mapping)


def _mapping(args: argparse.Namespace) -> int:
    from spcore.interop.cli import output

    with output(args.output, inputs=()) as stream:
        writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(mapping())
    return EXIT_OK


__all__ = ["COLUMNS", "mapping", "register"]
