"""Aggregating columns (NumPy) gives exactly what aggregating records one at a time gives.

The same extract goes through both paths of :func:`spcore.aggregate`: as
records (:class:`~spcore.framework.case_record.CaseRecord` or the items of
:func:`spcore.cases.read_extract`) and as
:class:`~spcore.aggregation.columns.CaseColumns`. Every part of the result
must be identical, types and key order of the return included: the return
written out as JSON must not depend on the path that built it.
"""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.aggregation.both_paths import assert_same
from tests.aggregation.case_strategies import case_extracts
from tests.aggregation.test_facts import example_data
from tests.aggregation.test_hand_worked import extract

from spcore.aggregation import (
    AggregationResult,
    CaseColumns,
    SchemeFacts,
    aggregate,
    parse_facts,
    read_columns,
)
from spcore.cases import ExtractItem, check_record, csv_columns, read_extract
from spcore.cases.synth import write_synthetic_extract
from spcore.findings import error
from spcore.framework.case_record import CaseRecord

QUARTERS = ("2025-26 Q1", "2025-26 Q2", "2025-26 Q3")


def _columns_from(items: Iterable[Any]) -> CaseColumns:
    return CaseColumns.from_items(items)


def _read_columns(path: Path) -> CaseColumns:
    return read_columns(path, progress=False)


def _facts(scheme_id: str | None, **more: Any) -> SchemeFacts | None:
    """The example facts dated for any quarter; ``scheme_id`` None for no facts at all."""
    if scheme_id is None:
        return None
    data = example_data()
    del data["prepared_on"]
    data["scheme"]["id"] = scheme_id
    data.update(more)
    facts, findings = parse_facts(data)
    assert findings == [], findings
    assert facts is not None
    return facts


#: No facts; the example facts (the scheme of most generated records); the same with an
#: average time, which the cases' own average overrides (SPC-A023) unless no contact is
#: timed; facts of a scheme no record belongs to, so every record is another scheme's (SPC-A003).
FACTS: dict[str, SchemeFacts | None] = {
    "none": None,
    "scheme": _facts("NORTHSHIRE-CONNECT"),
    "scheme with an average time": _facts(
        "NORTHSHIRE-CONNECT", average_time_per_person={"value": 0.75, "unit": "hour"}
    ),
    "no record's scheme": _facts("SOMEWHERE-ELSE"),
}


# ------------------------------------------------------------------------- comparing


# ------------------------------------------------------------------- offered items

#: How a valid record is offered to the columns: as a model, as JSON data, or as an extract
#: item read with or without models (or an item-like object holding only the model).
VALID_KINDS = ("model", "data", "item", "item-without-model", "item-without-data")


def _broken(record: dict[str, Any], how: int) -> dict[str, Any]:
    """A copy of ``record`` the schema refuses, in one of four ways."""
    data = copy.deepcopy(record)
    if how == 0:
        del data["demographics"]["age_band"]
    elif how == 1:
        data["referral"]["date"] = "2025-02-30"
    elif how == 2:
        data["referral"]["referrer_type"] = "gp"
    else:
        data["referal"] = data.pop("referral")
    return data


@st.composite
def offered_items(draw: st.DrawFn) -> list[tuple[str, dict[str, Any] | None]]:
    """(how it is offered, the record's JSON data) for a generated extract.

    Mostly valid records in every kind; now and then a record the schema
    refuses, a line that is not JSON, or a problem with the file (line 0).
    """
    records = draw(case_extracts())
    kinds = st.sampled_from(VALID_KINDS)
    offered: list[tuple[str, dict[str, Any] | None]] = []
    for record in records:
        odd = draw(st.integers(0, 24))
        if odd == 0:
            # Refused by the schema: given to the columns as data or as a read item.
            how = draw(st.sampled_from(("data", "item")))
            offered.append((f"invalid-{how}-{draw(st.integers(0, 3))}", record))
        elif odd == 1:
            offered.append(("unreadable", None))
        elif odd == 2:
            offered.append(("file-problem", None))
        offered.append((draw(kinds), record))
    return offered


def build(
    offered: Sequence[tuple[str, dict[str, Any] | None]],
) -> tuple[list[Any], list[CaseRecord | ExtractItem]]:
    """The items for the columns (every kind mixed) and the same for the records' path."""
    given_items: list[Any] = []
    reference: list[CaseRecord | ExtractItem] = []
    for index, (kind, data) in enumerate(offered):
        line = index + 1
        if kind == "file-problem":
            item = ExtractItem(0, None, None, (error("SPC-C001", "", "The file stopped."),))
        elif kind == "unreadable":
            item = ExtractItem(
                line, None, None, (error("SPC-C003", "", "The line is not valid JSON."),)
            )
        elif kind.startswith("invalid-"):
            assert data is not None
            broken = _broken(data, int(kind.rsplit("-", 1)[1]))
            findings = check_record(broken)
            assert findings
            item = ExtractItem(line, None, broken, findings)
            if kind.startswith("invalid-data-"):
                given_items.append(broken)
                reference.append(item)
                continue
        else:
            assert data is not None
            model = CaseRecord.model_validate(data)
            reference.append(model)
            given_items.append(
                {
                    "model": model,
                    "data": data,
                    "item": ExtractItem(line, model, data),
                    "item-without-model": ExtractItem(line, None, data),
                    "item-without-data": ExtractItem(line, model, None),
                }[kind]
            )
            continue
        given_items.append(item)
        reference.append(item)
    return given_items, reference


# ------------------------------------------------------------------------- the tests


def test_generated_records_are_valid() -> None:
    @settings(max_examples=25)
    @given(case_extracts())
    def check(records: list[dict[str, Any]]) -> None:
        for record in records:
            assert check_record(record) == (), record
            CaseRecord.model_validate(record)

    check()


@settings(max_examples=200)
@given(
    offered=offered_items(),
    facts=st.sampled_from(tuple(FACTS)),
    suppress=st.booleans(),
)
def test_columns_give_what_records_give(
    offered: list[tuple[str, dict[str, Any] | None]], facts: str, suppress: bool
) -> None:
    given_items, reference = build(offered)
    columns = _columns_from(given_items)
    for quarter in QUARTERS:
        columnar = aggregate(columns, quarter, FACTS[facts], suppress=suppress)
        scalar = aggregate(reference, quarter, FACTS[facts], suppress=suppress)
        assert_same(columnar, scalar, f"{quarter}, facts {facts}, suppress {suppress}")


def test_columns_from_data_and_from_models_agree_on_the_hand_worked_extract() -> None:
    models = extract()
    spellings = {
        "models": models,
        "data": [m.model_dump(mode="json", by_alias=True, exclude_none=True) for m in models],
        "data with nulls": [m.model_dump(mode="json", by_alias=True) for m in models],
        "items": [
            ExtractItem(i + 1, None, m.model_dump(mode="json", exclude_none=True))
            for i, m in enumerate(models)
        ],
    }
    facts = FACTS["scheme"]
    for quarter in ("2025-26 Q1", "2025-26 Q2"):
        scalar = aggregate(models, quarter, facts)
        for name, items in spellings.items():
            columnar = aggregate(_columns_from(items), quarter, facts)
            assert_same(columnar, scalar, f"{quarter}, columns from {name}")
    # And the figures are the hand-worked ones (test_hand_worked.py).
    result = aggregate(_columns_from(spellings["data"]), "2025-26 Q2", facts)
    assert result.document["outputs"]["people_referred"] == 4
    assert result.document["outputs"]["average_time_per_person"] == {
        "value": 105.0,
        "unit": "minute",
    }


def _written(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "scheme_id": "NORTHSHIRE-CONNECT",
        "referral": {"date": "2025-07-01", "referrer_type": "gp-practice", "criteria": ["carer"]},
        "demographics": {"age_band": "45-54"},
    }
    base.update(fields)
    return base


#: Records written by hand where the spelling of the data could matter: group names that
#: differ in case and spacing, a directory identifier, fractional hours, an untimed contact,
#: same-day ratings out of order, and a baseline and follow-up on one day.
HAND_WRITTEN = [
    _written(
        case_id="HAND-0001",
        person_id="PERSON-0001",
        support_offered={
            "contacts": [
                {"date": "2025-07-01", "type": "assessment",
                 "duration": {"value": 0.1, "unit": "hour"}},
                {"date": "2025-09-30", "type": "telephone",
                 "duration": {"value": 0.2, "unit": "hour"}},
                {"date": "2025-09-30", "type": "video"},
            ],
            "social_prescriptions": [
                {"date": "2025-07-01", "intervention_type": "befriending",
                 "community_group": "  Knit and  Natter"},
                {"date": "2025-07-02", "intervention_type": "arts-and-culture",
                 "community_group": "KNIT AND NATTER", "five_ways": ["connect"]},
                {"date": "2025-07-03", "intervention_type": "befriending",
                 "community_group": "Knit and Natter", "directory_id": "oruk-001"},
                {"date": "2025-07-04", "intervention_type": "befriending"},
            ],
        },
        needs_and_concerns={
            "rag_history": [
                {"date": "2025-08-01", "rating": "red"},
                {"date": "2025-07-01", "rating": "amber"},
                {"date": "2025-08-01", "rating": "green"},
            ]
        },
        outcomes={
            "measures": [
                {"instrument": "swemwbs", "timepoint": "baseline", "date": "2025-07-01",
                 "score": 17.0},
                {"instrument": "swemwbs", "timepoint": "follow-up", "date": "2025-07-01",
                 "score": 19.87},
                {"instrument": "gad7", "timepoint": "baseline", "date": "2025-07-01",
                 "score": 10, "score_name": "custom"},
            ]
        },
    ),
    _written(
        case_id="HAND-0002",
        person_id="PERSON-0001",
        referral={"date": "2025-06-30", "referrer_type": "self-referral", "criteria": ["housing"]},
        support_offered={
            "contacts": [{"date": "2025-07-01", "type": "home-visit",
                          "duration": {"value": 0.01, "unit": "day"}}],
            "social_prescriptions": [
                {"date": "2025-07-01", "intervention_type": "befriending",
                 "community_group": "knit and natter", "directory_id": " oruk-001"},
            ],
        },
        closure={"date": "2025-09-30", "reason": "support-completed"},
        outcomes={"employability": ["volunteering"]},
    ),
    _written(
        case_id="HAND-0003",
        referral={"date": "2025-07-01", "referrer_type": "gp-practice", "criteria": ["carer"],
                  "rejection": {"date": "2025-07-02", "reason": "declined-by-person"}},
    ),
]  # fmt: skip


def test_columns_from_data_and_from_models_agree_on_hand_written_spellings() -> None:
    for record in HAND_WRITTEN:
        assert check_record(record) == (), record
    models = [CaseRecord.model_validate(r) for r in HAND_WRITTEN]
    for quarter in QUARTERS:
        scalar = aggregate(models, quarter)
        for name, items in (("models", models), ("data", HAND_WRITTEN)):
            assert_same(aggregate(_columns_from(items), quarter), scalar, f"{quarter}, {name}")


# --------------------------------------------------------------------- extract files

FILE_QUARTERS = (
    "2024-25 Q4",
    "2025-26 Q1",
    "2025-26 Q2",
    "2025-26 Q3",
    "2025-26 Q4",
    "2026-27 Q1",
)

#: Lines replaced by something that is not a record, by format (line number -> text).
CORRUPT: dict[str, dict[int, bytes]] = {
    "ndjson": {
        3: b'{"case_id": "cut-off", \n',
        1200: b"\xff\xfe not text\n",
        2000: b"[1, 2, 3]\n",
        2999: b'{"case_id":"A1234","case_id":"B1234"}\n',
    },
    "csv": {
        3: b"\xff\xfe not text\n",
        1200: b"x," * (len(csv_columns()) + 3) + b"\n",
        2000: b'"quoted"then text,2025-07-01\n',
        2999: b"",  # filled in below: a row whose contacts cell is cut off part-way
    },
}


def _row_with_a_cut_off_list() -> bytes:
    names = csv_columns()
    cells = dict.fromkeys(names, "")
    cells.update({"case_id": "CUT-0001", "scheme_id": "NORTHSHIRE-CONNECT",
                  "support_offered.contacts": '[{"date":"2025-07-01"'})  # fmt: skip
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells[n] for n in names)
    return out.getvalue().encode("utf-8")


CORRUPT["csv"][2999] = _row_with_a_cut_off_list()


@pytest.fixture(scope="module", params=["ndjson", "csv"])
def extract_file(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 synthetic cases (5% invalid) with four corrupt lines, as NDJSON or CSV."""
    format = request.param
    buffer = io.StringIO()
    write_synthetic_extract(buffer, 3000, seed=41, format=format, year=2025, invalid_share=0.05)
    lines = buffer.getvalue().encode("utf-8").splitlines(keepends=True)
    for number, text in CORRUPT[format].items():
        lines[number - 1] = text
    path = tmp_path_factory.mktemp("columnar") / f"cases.{format}"
    path.write_bytes(b"".join(lines))
    return path


def test_an_extract_file_aggregates_the_same_in_columns(extract_file: Path) -> None:
    reader = read_extract(extract_file, progress=False)
    items = list(reader)
    columns = _read_columns(extract_file)
    assert columns.summary == reader.summary
    assert reader.summary.rejected > 4  # the corrupt lines and the invalid records
    for quarter in FILE_QUARTERS:
        scalar = aggregate(items, quarter)
        assert_same(aggregate(columns, quarter), scalar, f"{extract_file.name}, {quarter}")
    # The quarter after the extract's year holds nothing referred in it.
    assert scalar.document["outputs"]["people_referred"] == 0
    # Facts of a scheme no record belongs to: 3,000 findings of one code, capped alike.
    facts = FACTS["no record's scheme"]
    scalar = aggregate(items, "2025-26 Q2", facts)
    assert scalar.records_skipped > 2000
    assert_same(aggregate(columns, "2025-26 Q2", facts), scalar, f"{extract_file.name}, capped")


def _with(**fields: Any) -> dict[str, Any]:
    record = _written(case_id="ODD-0001", person_id="PERSON-0001")
    record["support_offered"] = {"contacts": [{"date": "2025-07-02", "type": "telephone"}]}
    record.update(fields)
    return record


#: Records that reading with models leaves out although they look like records: a pattern's
#: '$' would let a final newline through, a lone surrogate is text to the schema, and a whole
#: number past the largest float is a number to JSON. Reading without models must leave
#: them out too, with the same findings.
REFUSED_WHEN_READ_WITH_MODELS = {
    "case_id ending in a newline": _with(case_id="ODD-0001\n"),
    "person_id ending in a newline": _with(person_id="PERSON-0001\n"),
    "scheme_id ending in a newline": _with(scheme_id="NORTHSHIRE-CONNECT\n"),
    "score_name ending in a newline": _with(
        outcomes={"measures": [{"instrument": "eq5d5l", "timepoint": "baseline",
                                "date": "2025-07-01", "score": 0.5, "score_name": "index\n"}]}
    ),
    "community group a lone surrogate": _with(
        support_offered={
            "contacts": [{"date": "2025-07-02", "type": "telephone"}],
            "social_prescriptions": [{"date": "2025-07-02", "intervention_type": "befriending",
                                      "community_group": "\ud800"}],
        }
    ),
    "score past the largest float": _with(
        outcomes={"measures": [{"instrument": "eq5d5l", "timepoint": "baseline",
                                "date": "2025-07-01", "score": 10**309}]}
    ),
    "duration past the largest float": _with(
        support_offered={"contacts": [{"date": "2025-07-02", "type": "telephone",
                                       "duration": {"value": 10**309, "unit": "minute"}}]}
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", REFUSED_WHEN_READ_WITH_MODELS)
def test_a_record_reading_with_models_leaves_out_is_left_out_of_columns_too(
    name: str, tmp_path: Path
) -> None:
    odd = REFUSED_WHEN_READ_WITH_MODELS[name]
    path = tmp_path / "cases.ndjson"
    lines = [json.dumps(record) for record in (*HAND_WRITTEN, odd)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reader = read_extract(path, progress=False)
    items = list(reader)
    assert items[-1].record is None
    assert items[-1].findings
    columns = _read_columns(path)
    assert columns.summary == reader.summary
    # JSON data given to the columns directly is left out too. (Its finding may give another
    # reason: parsed data has no line of JSON whose number is too large to read.)
    given = _columns_from([json.loads(line) for line in lines])
    for quarter in QUARTERS:
        scalar = aggregate(items, quarter)
        assert_same(aggregate(columns, quarter), scalar, f"{name}, {quarter}, read")
        assert_same(
            _unexplained(aggregate(given, quarter)),
            _unexplained(scalar),
            f"{name}, {quarter}, given as data",
        )


def _unexplained(result: AggregationResult) -> AggregationResult:
    """The result with the messages of its findings left out (codes and paths kept)."""
    findings = tuple(attrs.evolve(f, message="") for f in result.findings)
    return attrs.evolve(result, findings=findings)
