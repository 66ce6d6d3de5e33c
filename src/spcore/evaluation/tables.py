"""Tidy long tables of an evaluation: one row per figure, breakdown cell and statistic.

Every row has the same columns (:data:`COLUMNS`), so the tables load into R
(``readr::read_csv``) or Excel as they are and pivot any way round:

``section``
    ``records``, ``outcomes``, ``progress``, ``service_use``, ``costs`` or ``sroi``.
``subject``, ``detail``
    what the figure is about: an instrument and its score, a service, an SROI outcome.
``by``, ``cell``
    the breakdown field and its value (``all``, ``all`` for the total).
``statistic``, ``value``
    the statistic's name and its value (blank when withheld or undefined).
``status``
    blank, ``withheld`` (small-number suppression) or ``undefined`` (for example
    no interval for one person).

They are written from the document (:mod:`spcore.evaluation.document`), after
suppression, so they hold exactly the figures of the report.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from spcore.cli_output import open_output

if TYPE_CHECKING:
    import pandas as pd

COLUMNS: Final = ("section", "subject", "detail", "by", "cell", "statistic", "value", "status")

#: The sections, in the order the tables are written.
SECTIONS: Final = ("records", "outcomes", "progress", "service_use", "costs", "sroi")

_SKIP: Final = frozenset({"by", "value", "transitions", "service", "outcome", "label"})


def _row(
    section: str,
    subject: str,
    detail: str,
    by: str,
    cell: str,
    statistic: str,
    value: Any,
    withheld: bool,
) -> dict[str, Any]:
    status = "withheld" if withheld else ("undefined" if value is None else "")
    return {
        "section": section,
        "subject": subject,
        "detail": detail,
        "by": by,
        "cell": cell,
        "statistic": statistic,
        "value": value,
        "status": status,
    }


def _cells(
    section: str,
    subject: str,
    detail: str,
    cells: list[dict[str, Any]],
    base: str,
    withheld: set[str],
) -> Iterator[dict[str, Any]]:
    for i, cell in enumerate(cells):
        path = f"{base}/cells/{i}"
        for key, value in cell.items():
            if key in _SKIP or isinstance(value, (dict, list)):
                continue
            yield _row(
                section, subject, detail, cell["by"], cell["value"], key, value,
                f"{path}/{key}" in withheld,
            )  # fmt: skip


def long_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure of the document as tidy long rows (see the module documentation)."""
    control = document.get("disclosure_control") or {}
    withheld = set(control.get("withheld", ()))
    rows: list[dict[str, Any]] = []
    records = document["records"]
    for key, value in records.items():
        if key == "left_out":
            for code, count in value.items():
                rows.append(
                    _row("records", "left out", code, "all", "all", "records", count,
                         f"/records/left_out/{code}" in withheld)
                )  # fmt: skip
        else:
            rows.append(
                _row("records", "extract", "", "all", "all", key, value,
                     f"/records/{key}" in withheld)
            )  # fmt: skip
    for f, figure in enumerate(document["outcomes"]):
        subject = figure["instrument"]
        detail = figure["score"] + (f" ({figure['value_set']})" if figure["value_set"] else "")
        base = f"/outcomes/{f}"
        rows.extend(_cells("outcomes", subject, detail, figure["cells"], base, withheld))
        categories = figure["categories"]
        for i, cell in enumerate(figure["cells"]):
            table = cell.get("transitions")
            if not categories:
                continue
            for r, source in enumerate(categories):
                for c, target in enumerate(categories):
                    value = None if table is None else table[r][c]
                    hidden = (
                        f"{base}/cells/{i}/transitions" in withheld
                        or f"{base}/cells/{i}/transitions/{r}/{c}" in withheld
                    )
                    rows.append(
                        _row("outcomes", subject, detail, cell["by"], cell["value"],
                             f"transition {source} -> {target}", value, hidden)
                    )  # fmt: skip
    for f, figure in enumerate(document["progress"]):
        rows.extend(
            _cells("progress", figure["instrument"], f"at least {figure['min_measures']} measures",
                   figure["cells"], f"/progress/{f}", withheld)
        )  # fmt: skip
    for section in ("service_use", "costs"):
        rows.extend(_extra_rows(document.get(section), section, withheld))
    rows.extend(_sroi_rows(document.get("sroi"), withheld))
    return rows


def _sroi_rows(part: dict[str, Any] | None, withheld: set[str]) -> Iterator[dict[str, Any]]:
    """The SROI: its totals, each outcome's assumptions and values, the sensitivity table."""
    if not part:
        return
    for key, value in part.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            yield _row("sroi", "total", "", "all", "all", key, value, False)
    for i, outcome in enumerate(part["outcomes"]):
        for key, value in outcome.items():
            if key in ("outcome", "description", "stakeholder", "proxy_source", "quantity_from"):
                continue
            yield _row("sroi", outcome["outcome"], "", "all", "all", key, value,
                       f"/sroi/outcomes/{i}/{key}" in withheld)  # fmt: skip
    for case in part["sensitivity"]:
        detail = f"{case['assumption']} {case['change']}".strip()
        yield _row("sroi", "sensitivity", detail, "all", "all", "ratio", case["ratio"], False)


def _extra_rows(
    part: dict[str, Any] | None, section: str, withheld: set[str]
) -> Iterator[dict[str, Any]]:
    """Rows of the service-use, cost and SROI sections: their ``figures`` lists of cells."""
    if not part:
        return
    for f, figure in enumerate(part.get("figures", ())):
        subject = str(figure.get("service") or figure.get("outcome") or section)
        detail = str(figure.get("detail") or figure.get("window") or "")
        cells = figure.get("cells")
        if cells is None:
            for key, value in figure.items():
                if isinstance(value, (dict, list)) or key in _SKIP:
                    continue
                yield _row(section, subject, detail, "all", "all", key, value,
                           f"/{section}/figures/{f}/{key}" in withheld)  # fmt: skip
            continue
        yield from _cells(section, subject, detail, cells, f"/{section}/figures/{f}", withheld)
    for key, value in part.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            yield _row(section, section, "", "all", "all", key, value,
                       f"/{section}/{key}" in withheld)  # fmt: skip


def write_tables(
    document: dict[str, Any], folder: str | Path, *, inputs: Iterable[str | Path] = ()
) -> list[Path]:
    """Write one CSV per section with rows into ``folder`` (created); the paths written.

    Each file is written by the output helper every command shares, so a
    table that would replace one of ``inputs`` is refused.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    rows = long_rows(document)
    written = []
    for section in SECTIONS:
        mine = [r for r in rows if r["section"] == section]
        if not mine:
            continue
        path = target / f"{section}.csv"
        with open_output(path, inputs=list(inputs), newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            for row in mine:
                writer.writerow({k: "" if v is None else _text(v) for k, v in row.items()})
        written.append(path)
    return written


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def frame(document: dict[str, Any], section: str | None = None) -> pd.DataFrame:
    """The tidy rows as a pandas DataFrame (pandas comes with ``spcore[report]``)."""
    from spcore.evaluation.extras import require

    pd = require("pandas")
    rows = long_rows(document)
    if section is not None:
        if section not in SECTIONS:
            raise ValueError(f"no section '{section}'; the sections are {', '.join(SECTIONS)}")
        rows = [r for r in rows if r["section"] == section]
    return pd.DataFrame(rows, columns=list(COLUMNS))
