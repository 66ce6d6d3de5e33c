"""A synthetic extract (spcore synth) aggregates into valid returns for every quarter."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.aggregation.test_facts import example_data

from spcore.aggregation import aggregate, derive, parse_facts, read_columns
from spcore.aggregation.tally import Tally
from spcore.cases import read_extract
from spcore.cases.synth import write_synthetic_extract
from spcore.framework.periods import FinancialQuarter
from spcore.rag import DateRange


@pytest.fixture(scope="module")
def extract_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synth") / "cases.ndjson"
    buffer = io.StringIO()
    write_synthetic_extract(buffer, 2000, seed=7, year=2025, invalid_share=0.02)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("quarter", ["2025-26 Q1", "2025-26 Q2", "2025-26 Q3", "2025-26 Q4"])
@pytest.mark.parametrize("suppress", [False, True])
def test_every_quarter_is_a_valid_return(extract_path: Path, quarter: str, suppress: bool) -> None:
    # The example facts are for 2025-26 Q2 (prepared in October 2025): date them for any quarter.
    data = example_data()
    del data["prepared_on"]
    facts, _ = parse_facts(data)
    reader = read_extract(extract_path, progress=False)
    result = aggregate(reader, quarter, facts, suppress=suppress)
    assert result.validation.errors == (), result.validation.errors[:3]
    assert result.missing == {}
    # Every record is either counted or reported: invalid ones, and other schemes' cases.
    assert result.records_read == reader.summary.read
    assert result.records_used + result.records_skipped == result.records_read
    assert reader.summary.rejected > 0
    assert result.records_skipped >= reader.summary.rejected
    outputs = result.document["outputs"]
    if not suppress:
        assert outputs["people_referred"] > 0
        assert sum(outputs["referred_by_age_band"].values()) == outputs["people_referred"]
        assert sum(outputs["referred_by_referrer_type"].values()) == outputs["people_referred"]


@pytest.mark.parametrize("quarter", ["2025-26 Q1", "2025-26 Q3"])
def test_records_passed_over_as_outside_the_quarter_would_add_nothing(
    extract_path: Path, quarter: str
) -> None:
    parsed = FinancialQuarter.parse(quarter)
    period = DateRange(parsed.start, parsed.end)
    records = [i.record for i in read_extract(extract_path, progress=False) if i.record]
    outside = [r for r in records if not derive.touches(r, period)]
    assert 0 < len(outside) < len(records)
    tally = Tally(period)
    for record in outside:
        tally.add(record)
    nothing = Tally(period)
    assert (tally.outputs(), tally.monitoring(), tally.impact_on_person()) == (
        nothing.outputs(),
        nothing.monitoring(),
        nothing.impact_on_person(),
    )


def test_corrupt_lines_in_10000_records_are_reported_and_the_rest_aggregate(
    tmp_path: Path,
) -> None:
    buffer = io.StringIO()
    write_synthetic_extract(buffer, 10_000, seed=23, year=2025)
    lines = buffer.getvalue().encode("utf-8").splitlines(keepends=True)
    corrupt = {
        3: b'{"case_id": "cut-off", \n',
        4242: b"\xff\xfe not text\n",
        6000: b"[1, 2, 3]\n",
        9998: b'{"case_id":"A1234","case_id":"B1234"}\n',
    }
    for number, text in corrupt.items():
        lines[number - 1] = text
    path = tmp_path / "corrupt.ndjson"
    path.write_bytes(b"".join(lines))

    clean = aggregate(read_extract(_without(lines, corrupt), progress=False), "2025-26 Q2")
    result = aggregate(read_extract(path, progress=False), "2025-26 Q2")

    reported = {f.message for f in result.findings}
    for number in corrupt:
        assert any(f"line {number} " in m for m in reported), number
    assert result.records_read == 10_000
    assert result.records_used + result.records_skipped == 10_000
    # The other 9,996 records add up exactly as they do without the corrupt lines.
    assert result.records_used == clean.records_used
    assert (
        result.document["outputs"]["people_referred"]
        == (clean.document["outputs"]["people_referred"])
    )
    assert result.document["monitoring"] == clean.document["monitoring"]
    # Loaded into columns, the same file gives the same return and the same findings.
    columnar = aggregate(read_columns(path, progress=False), "2025-26 Q2")
    assert (columnar.document, columnar.findings) == (result.document, result.findings)


def _without(lines: list[bytes], corrupt: dict[int, bytes]) -> Path:
    import tempfile

    folder = Path(tempfile.mkdtemp())
    path = folder / "clean.ndjson"
    path.write_bytes(b"".join(t for n, t in enumerate(lines, 1) if n not in corrupt))
    return path
