"""Every way into ``aggregate`` applies the same checks to a record.

Records may come as JSON data, as :class:`CaseRecord` objects, as the items
of a read extract or as columns; a record the extract check refuses (here a
categorical score outside its codes, ``SPC-C031``) is left out the same way
on each.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.aggregation.builders import case

from spcore.aggregation import CaseColumns, aggregate
from spcore.cases import read_extract
from spcore.framework.case_record import CaseRecord

SEEN = [("2025-07-02", "telephone", 20)]


def _records() -> list[dict[str, Any]]:
    good = case(
        "CASE-1",
        "2025-04-20",
        contacts=SEEN,
        measures=[("ons-loneliness", "baseline", "2025-05-01", 2)],
    )
    # 2.5 is no ONS loneliness answer: the schema and the model allow it, the check does not.
    bad = case(
        "CASE-2",
        "2025-04-20",
        contacts=SEEN,
        measures=[("ons-loneliness", "baseline", "2025-05-01", 2.5)],
    )
    return [r.model_dump(mode="json", by_alias=True, exclude_none=True) for r in (good, bad)]


def _ways(tmp_path: Path) -> dict[str, Any]:
    data = _records()
    extract = tmp_path / "cases.ndjson"
    extract.write_text("".join(json.dumps(r) + "\n" for r in data), encoding="utf-8")
    return {
        "JSON data": data,
        "CaseRecord objects": [CaseRecord.model_validate(r) for r in data],
        "extract items": list(read_extract(extract, progress=False)),
        "extract items without models": list(
            read_extract(extract, build_records=False, progress=False)
        ),
        "columns": CaseColumns.from_items(data),
    }


@pytest.mark.parametrize(
    "way",
    ["JSON data", "CaseRecord objects", "extract items", "extract items without models", "columns"],
)
def test_a_record_the_extract_check_refuses_is_left_out_on_every_path(
    tmp_path: Path, way: str
) -> None:
    result = aggregate(_ways(tmp_path)[way], "2025-26 Q2")
    assert (result.records_read, result.records_used, result.records_skipped) == (2, 1, 1)
    (finding,) = [f for f in result.findings if f.code == "SPC-A001"]
    assert "line 2" in finding.message
    assert "2.5 is none of them" in finding.message
    summary = result.document["impact_on_person"]["instruments"][0]
    assert summary["people_with_baseline"] == 1
