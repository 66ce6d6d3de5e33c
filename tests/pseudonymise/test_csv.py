"""CSV and gzip extracts: the case-extract layout plus identifying columns, read and written."""

from __future__ import annotations

import csv
import gzip
import json
import tempfile
from pathlib import Path

import pytest

from spcore import cases
from spcore.pseudonymise import (
    ExtractError,
    ExtractSummary,
    Pseudonymiser,
    PseudonymKey,
    pseudonymise_extract,
)

KEY = PseudonymKey(bytes(range(40, 72)))
P = Pseudonymiser(KEY)
HEADER = (
    "case_id,nhs_number,name,date_of_birth,scheme_id,referral.date,referral.referrer_type,"
    "referral.criteria,demographics.gender,support_offered.social_prescriptions"
)
ROWS = [
    "NC/1,999 000 0018,Ada Testperson,1946-02-01,NORTHSHIRE-CONNECT,2025-04-07,gp-practice,"
    '"[""carer""]",2,',
    'NC/2,,,2001-06-15,NORTHSHIRE-CONNECT,2025-09-20,self-referral,"[""debt-or-money""]",,'
    '"[{""date"":""2025-09-21"",""intervention_type"":""befriending""}]"',
]
EQUIVALENT_NDJSON = [
    {
        "case_id": "NC/1",
        "nhs_number": "999 000 0018",
        "name": "Ada Testperson",
        "date_of_birth": "1946-02-01",
        "scheme_id": "NORTHSHIRE-CONNECT",
        "referral": {"date": "2025-04-07", "referrer_type": "gp-practice", "criteria": ["carer"]},
        "demographics": {"gender": "2"},
    },
    {
        "case_id": "NC/2",
        "date_of_birth": "2001-06-15",
        "scheme_id": "NORTHSHIRE-CONNECT",
        "referral": {
            "date": "2025-09-20",
            "referrer_type": "self-referral",
            "criteria": ["debt-or-money"],
        },
        "support_offered": {
            "social_prescriptions": [{"date": "2025-09-21", "intervention_type": "befriending"}]
        },
    },
]


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _stream(data: bytes) -> tuple[ExtractSummary, str]:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.csv", Path(folder) / "out.ndjson"
        source.write_bytes(data)
        summary = pseudonymise_extract(source, target, P)
        return summary, target.read_text()


def test_csv_gives_the_same_records_as_ndjson(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_bytes(_csv(*ROWS))
    (tmp_path / "in.ndjson").write_text("\n".join(json.dumps(r) for r in EQUIVALENT_NDJSON))
    from_csv = pseudonymise_extract(tmp_path / "in.csv", tmp_path / "a.ndjson", KEY)
    from_json = pseudonymise_extract(tmp_path / "in.ndjson", tmp_path / "b.ndjson", KEY)
    assert (from_csv.written, from_csv.findings) == (2, [])
    assert (from_json.written, from_json.findings) == (2, [])
    assert (tmp_path / "a.ndjson").read_text() == (tmp_path / "b.ndjson").read_text()


def test_csv_output_is_a_case_extract_spcore_cases_accepts(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_bytes(_csv(*ROWS))
    summary = pseudonymise_extract(tmp_path / "in.csv", tmp_path / "out.csv", KEY)
    assert summary.written == 2
    with (tmp_path / "out.csv").open(newline="") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == cases.csv_columns()
    assert "nhs_number" not in header
    assert "date_of_birth" not in header
    reader = cases.read_extract(tmp_path / "out.csv")
    items = list(reader)
    assert [i.accepted for i in items] == [True, True]
    first = items[0].record
    assert first is not None
    assert first.person_id == P.person("9990000018")
    assert first.demographics.age_band.value == "75-84"


def test_row_problems_are_findings_with_line_numbers() -> None:
    quoted = (
        'NC/5,,"Two\nlines",1990-01-01,NORTHSHIRE-CONNECT,2025-04-07,gp-practice,"[""carer""]",2,'
    )
    summary, text = _stream(
        _csv(
            ROWS[0],  # line 2
            ROWS[0] + ",extra",  # line 3: one cell too many
            'NC/4,,,1990-01-01,NORTHSHIRE-CONNECT,2025-04-07,gp-practice,"[carer]",,',  # 4
            quoted,  # lines 5-6: a cell spanning two lines
            'NC/7,9990000017,,1990-01-01,NORTHSHIRE-CONNECT,2025-04-07,gp-practice,["carer"],,',
        )
        + b"\xff,\xfe\n"  # line 8: not UTF-8
        + b'NC/9,"unterminated\n'  # line 9: a quote never closed
    )
    found = [(f.code, f.path) for f in summary.findings]
    assert found == [
        ("SPC-C012", "/lines/3"),
        ("SPC-C013", "/lines/4/referral/criteria"),
        ("SPC-P020", "/lines/7/nhs_number"),
        ("SPC-C002", "/lines/8"),
        ("SPC-C014", "/lines/9"),
    ]
    written = [json.loads(line) for line in text.splitlines()]
    assert [r["case_id"] for r in written] == [
        P.case("NC/1", scheme_id="NORTHSHIRE-CONNECT"),
        P.case("NC/5", scheme_id="NORTHSHIRE-CONNECT"),
    ]


def test_column_named_twice_stops_the_file(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_bytes(_csv(ROWS[0], header=HEADER + ",name"))
    with pytest.raises(ExtractError) as raised:
        pseudonymise_extract(tmp_path / "in.csv", tmp_path / "out.csv", KEY)
    assert raised.value.finding.code == "SPC-C011"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_gzip_input(tmp_path: Path) -> None:
    source = tmp_path / "in.csv.gz"
    source.write_bytes(gzip.compress(_csv(*ROWS)))
    summary = pseudonymise_extract(source, tmp_path / "out.ndjson", KEY)
    assert summary.written == 2


def test_broken_gzip_is_unreadable(tmp_path: Path) -> None:
    source = tmp_path / "in.ndjson.gz"
    source.write_bytes(b"not gzip at all")
    with pytest.raises(ExtractError) as raised:
        pseudonymise_extract(source, tmp_path / "out.ndjson", KEY)
    assert raised.value.finding.code == "SPC-C001"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.ndjson.gz"]


def test_compressed_output_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(_csv(*ROWS))
    with pytest.raises(ExtractError) as raised:
        pseudonymise_extract(source, tmp_path / "out.ndjson.gz", KEY)
    assert raised.value.finding.code == "SPC-P041"
