"""Several schemes' returns worked out side by side: the same returns, in order, as one by one."""

from __future__ import annotations

import contextlib
import importlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.aggregation.test_facts import EXAMPLE

from spcore.aggregation import CaseColumns, aggregate, aggregate_by_scheme, load_facts, schemes_in
from spcore.aggregation.aggregate import AggregationResult, aggregate_each
from spcore.aggregation.facts import SchemeFacts
from spcore.cases.synth import SCHEMES, synth_cases
from spcore.cli import main
from spcore.validation.rules import personal

QUARTER = "2025-26Q3"
# The module, not the function the package names after it.
aggregate_module = importlib.import_module("spcore.aggregation.aggregate")


@pytest.fixture(scope="module")
def columns() -> CaseColumns:
    return CaseColumns.from_items(synth_cases(600, 4, schemes=SCHEMES))


def _one_by_one(columns: CaseColumns) -> list[tuple[str, dict[str, Any]]]:
    return [
        (s, aggregate(columns, QUARTER, None, suppress=True, scheme=s).document)
        for s in schemes_in(columns)
    ]


@pytest.mark.parametrize("threads", [1, 2, 3, 8])
def test_the_same_returns_in_the_same_order(columns: CaseColumns, threads: int) -> None:
    jobs = [(s, None) for s in schemes_in(columns)]
    assert len(jobs) == len(SCHEMES)
    with contextlib.closing(
        aggregate_each(columns, QUARTER, jobs, suppress=True, threads=threads)
    ) as each:
        found = [(s, r.document) for s, r in each]
    assert found == _one_by_one(columns)


def test_by_scheme_is_the_same_as_one_by_one(columns: CaseColumns) -> None:
    results = aggregate_by_scheme(columns, QUARTER, suppress=True)
    assert [(s, r.document) for s, r in results.items()] == _one_by_one(columns)


def test_one_job_is_done_in_the_calling_thread(
    columns: CaseColumns, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A lone scheme's return is worked out where it is asked for, with no thread started.
    seen: list[threading.Thread] = []
    real = aggregate_module.aggregate

    def spy(*args: Any, **kwargs: Any) -> AggregationResult:
        seen.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(aggregate_module, "aggregate", spy)
    before = threading.active_count()
    scheme = schemes_in(columns)[0]
    with contextlib.closing(aggregate_each(columns, QUARTER, [(scheme, None)], threads=4)) as each:
        assert [s for s, _ in each] == [scheme]
    assert seen == [threading.current_thread()]
    assert threading.active_count() == before


def test_a_failing_job_raises_in_its_turn(columns: CaseColumns) -> None:
    schemes = schemes_in(columns)
    facts, _ = load_facts(EXAMPLE)  # NORTHSHIRE-CONNECT's facts
    assert facts is not None
    wrong = next(s for s in schemes[1:] if s != facts.scheme.id)
    jobs: list[tuple[str, SchemeFacts | None]] = [(s, None) for s in schemes]
    jobs[schemes.index(wrong)] = (wrong, facts)
    given: list[str] = []

    def take_all() -> None:
        with contextlib.closing(aggregate_each(columns, QUARTER, jobs, threads=2)) as each:
            given.extend(scheme for scheme, _ in each)

    with pytest.raises(ValueError, match=f"not {wrong}"):
        take_all()
    assert given == list(schemes[: schemes.index(wrong)])


def test_jobs_are_taken_only_when_a_thread_can_start_them(columns: CaseColumns) -> None:
    taken: list[str] = []
    schemes = schemes_in(columns)

    def jobs() -> Iterator[tuple[str, None]]:
        for scheme in schemes:
            taken.append(scheme)
            yield scheme, None

    each = aggregate_each(columns, QUARTER, jobs(), threads=2)
    first, _ = next(each)
    assert first == schemes[0]
    assert taken == list(schemes[:2])  # the first, and the one a thread took alongside it
    each.close()  # closing waits for the job under way and takes no more
    assert taken == list(schemes[:2])


def test_each_thread_keeps_its_own_personal_data_scan() -> None:
    # The five personal-data rules share one scan of the document they check; returns are
    # checked side by side, so the scan kept is each thread's own.
    mine: dict[str, Any] = {"notes": "Seen at LS1 4AP."}
    theirs: dict[str, Any] = {"notes": "nothing personal"}
    kept = personal._matches(mine)
    thread = threading.Thread(target=personal._matches, args=(theirs,))
    thread.start()
    thread.join()
    assert personal._matches(mine) is kept


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    path = tmp_path / "icb.ndjson"
    records = synth_cases(300, 8, schemes=SCHEMES)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_facts_file_of_another_scheme_stops_in_its_turn(
    extract: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = tmp_path / "facts"
    facts.mkdir()
    columns = CaseColumns.from_items(synth_cases(300, 8, schemes=SCHEMES))
    order = schemes_in(columns)
    for scheme in order:
        text = EXAMPLE.read_text(encoding="utf-8").replace("NORTHSHIRE-CONNECT", scheme)
        (facts / f"{scheme}.yaml").write_text(text, encoding="utf-8")
    # The third scheme's file holds the first scheme's facts.
    (facts / f"{order[2]}.yaml").write_text(
        (facts / f"{order[0]}.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    out = tmp_path / "out"
    argv = [
        "aggregate",
        str(extract),
        "--quarter",
        QUARTER,
        "--facts",
        str(facts / "{scheme}.yaml"),
    ]
    assert main([*argv, "-o", f"{out}/"]) == 2
    err = capsys.readouterr().err
    assert err.rstrip().splitlines()[-1] == (
        f"spcore: error: the facts file {facts / f'{order[2]}.yaml'} is for scheme {order[0]}, "
        f"not {order[2]}; no return was built for {order[2]}"
    )
    assert "Traceback" not in err
    # The returns before it were written, as they are one by one; none after it.
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{s}-2025-26Q3.json" for s in order[:2])


@pytest.mark.parametrize(
    "report",
    [
        "{out}/{{scheme}}.json",  # each scheme's report where its return is written
        "{out}/" + f"{SCHEMES[0]}.json",  # every report in one file, one of the returns
    ],
)
def test_a_report_never_takes_a_returns_file(
    extract: Path, tmp_path: Path, report: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    argv = ["aggregate", str(extract), "--quarter", QUARTER, "-o", f"{out}/{{scheme}}.json"]
    assert main([*argv, "--report", report.format(out=out)]) == 2
    assert "-o and --report name the same file" in capsys.readouterr().err
    assert not out.exists()  # refused before anything is written


def test_an_extract_without_a_valid_record_says_how_many_were_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.ndjson"
    path.write_text('{"case_id": \n[]\n', encoding="utf-8")
    argv = ["aggregate", str(path), "--quarter", QUARTER, "-o", f"{tmp_path / 'out'}/"]
    assert main(argv) == 2
    assert capsys.readouterr().err.rstrip().splitlines()[-1] == (
        "spcore: error: the case extract holds no valid record (2 records read), so no scheme "
        f"to write a return for; 'spcore cases check {path}' says what is wrong with each"
    )
