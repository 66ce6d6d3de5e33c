"""A commissioner's extract of several schemes: one return per scheme, or one with ``--scheme``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.aggregation.both_paths import assert_same
from tests.aggregation.test_facts import EXAMPLE

from spcore.aggregation import CaseColumns, aggregate, aggregate_by_scheme, load_facts, schemes_in
from spcore.cases.synth import SCHEMES, synth_cases
from spcore.cli import main

TWO = ("NORTHSHIRE-CONNECT", "EASTVALE-LINK")


def _records() -> list[dict[str, object]]:
    return list(synth_cases(900, 6, schemes=TWO))


def test_one_return_per_scheme_counts_only_its_own_records() -> None:
    records = _records()
    results = aggregate_by_scheme(records, "2025-26Q2")
    assert list(results) == list(schemes_in(CaseColumns.from_items(records)))
    assert set(results) == set(TWO)
    for scheme, result in results.items():
        own = [r for r in records if r["scheme_id"] == scheme]
        alone = aggregate(own, "2025-26Q2")
        assert result.document == alone.document
        assert result.records_skipped == 0
        assert result.records_other_schemes == len(records) - len(own)
        assert result.records_used == len(own)
        # The record-by-record path gives the same return for the scheme asked for.
        assert_same(result, aggregate(records, "2025-26Q2", scheme=scheme), scheme)


def test_without_a_scheme_another_schemes_records_are_left_out_as_before() -> None:
    result = aggregate(_records(), "2025-26Q2")
    assert result.skipped_by_code.get("SPC-A003", 0) > 0
    assert result.records_other_schemes == 0


def test_the_facts_must_be_the_schemes() -> None:
    facts, _ = load_facts(EXAMPLE)
    with pytest.raises(ValueError, match="EASTVALE-LINK"):
        aggregate(_records(), "2025-26Q2", facts, scheme="EASTVALE-LINK")


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    path = tmp_path / "icb.ndjson"
    path.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    return path


def test_a_folder_gets_one_return_per_scheme(
    extract: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "returns"
    argv = ["aggregate", str(extract), "--quarter", "2025-26Q2", "--facts", str(EXAMPLE)]
    status = main([*argv, "-o", f"{out}/", "--report", str(tmp_path / "reports.json")])
    err = capsys.readouterr().err
    # NORTHSHIRE-CONNECT has its facts and a valid return; EASTVALE-LINK has none: exit 1.
    assert status == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "EASTVALE-LINK-2025-26Q2.json",
        "NORTHSHIRE-CONNECT-2025-26Q2.json",
    ]
    assert main(["validate", str(out / "NORTHSHIRE-CONNECT-2025-26Q2.json")]) == 0
    assert "SPC-A003" not in err
    assert err.rstrip().splitlines()[-1] == (
        "spcore: 2 returns for 2025-26 Q2, one per scheme: 1 valid, 1 with errors (exit status 1)"
    )
    reports = json.loads((tmp_path / "reports.json").read_text())["returns"]
    assert set(reports) == set(TWO)
    assert reports["EASTVALE-LINK"]["records_other_schemes"] > 0


def test_a_pattern_names_each_schemes_files(
    extract: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts"
    facts.mkdir()
    for scheme in TWO:
        text = EXAMPLE.read_text(encoding="utf-8").replace("NORTHSHIRE-CONNECT", scheme)
        (facts / f"{scheme}.yaml").write_text(text, encoding="utf-8")
    argv = [
        "aggregate", str(extract), "--quarter", "2025-26Q2",
        "--facts", str(facts / "{scheme}.yaml"),
        "-o", str(tmp_path / "out" / "{scheme}.json"),
        "--report", str(tmp_path / "out" / "{scheme}-report.json"),
    ]  # fmt: skip
    assert main(argv) == 0
    for scheme in TWO:
        document = json.loads((tmp_path / "out" / f"{scheme}.json").read_text())
        assert document["scheme"]["id"] == scheme
        assert (tmp_path / "out" / f"{scheme}-report.json").exists()
    assert "exit status 0" in capsys.readouterr().err.splitlines()[-1]


def test_one_scheme_of_several(
    extract: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "one.json"
    argv = ["aggregate", str(extract), "--quarter", "2025-26Q2", "--facts", str(EXAMPLE)]
    assert main([*argv, "--scheme", "NORTHSHIRE-CONNECT", "-o", str(out)]) == 0
    assert "of other schemes" in capsys.readouterr().err
    # Without --scheme, the other scheme's records are left out, as documented (exit 3),
    # and the last lines say how to get a return for each.
    assert main([*argv, "-o", str(out)]) == 3
    err = capsys.readouterr().err
    assert "SPC-A003" in err
    assert "give --scheme ID for one of them, or -o DIR/ for one return per scheme" in err


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--scheme", "EASTVALE-LINK", "-o", "returns/"], "not both"),
        (["--facts", "facts/{scheme}.yaml", "-o", "one.json"], "--facts names {scheme}"),
        (["--report", "{scheme}.json", "-o", "one.json"], "--report names {scheme}"),
        (["--scheme", "EASTVALE-LINK", "--facts", str(EXAMPLE)], "not EASTVALE-LINK"),
    ],
)
def test_options_that_do_not_fit_exit_2(
    extract: Path, options: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["aggregate", str(extract), "--quarter", "2025-26Q2", *options]) == 2
    assert says in capsys.readouterr().err


def test_every_scheme_of_a_commissioners_synthetic_extract(tmp_path: Path) -> None:
    records = list(synth_cases(400, 2, schemes=SCHEMES))
    results = aggregate_by_scheme(CaseColumns.from_items(records), "2025-26Q3")
    assert set(results) == set(SCHEMES)
    assert sum(r.records_used for r in results.values()) == len(records)
