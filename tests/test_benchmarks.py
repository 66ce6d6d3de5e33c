"""Every benchmark script runs as its docstring says, at a small scale.

The figures are recorded in ``benchmarks/README.md``, never asserted here; these
runs only hold the scripts to working (and to their own equality checks, which
make them exit 1), so a change to spcore cannot leave one broken.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from spcore.cases.synth import synth_cases

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

#: Each script with small-scale arguments ({extract}: a few valid records), and what its
#: output must say.
RUNS = {
    "aggregation.py": (["2000", "300"], "read_columns then aggregate"),
    "case_validation.py": (
        ["--records", "1500", "--sample", "300"],
        "differing from the reference on the sample: 0",
    ),
    "evaluation.py": (["1500"], "ratio to aggregate"),
    "extract_reading.py": (
        ["--records", "1500", "--sample", "200", "--dir", "extracts", "--command"],
        "same verdicts, findings and columns: yes",
    ),
    "extract_screens.py": (["{extract}", "--rounds", "1"], "same columns: yes"),
    "hub.py": (
        ["--uploads", "6", "--clients", "2", "--schemes", "6", "--quarters", "2"],
        "dashboard",
    ),
    "instruments_batch.py": (["2000", "300"], "swemwbs"),
    "line_kinds.py": (
        ["--records", "600", "--repeats", "1"],
        "those handed back last in each chunk:",
    ),
    "record_costs.py": (
        ["{extract}", "--records", "200", "--repeats", "1"],
        "pyarrow.json.read_json",
    ),
    "schemes_side_by_side.py": (["1500", "--rounds", "1"], "the same returns in the same order"),
    "startup.py": (["--runs", "1"], "| spcore validate (example) |"),
}


#: Scripts whose exit status also says whether a timing target was met: that is the
#: machine's to answer, not a test's, so only their equality checks are held here.
TIMED = {"case_validation.py", "startup.py"}


def test_every_script_is_run_here() -> None:
    assert sorted(RUNS) == sorted(p.name for p in BENCHMARKS.glob("*.py"))


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("extract") / "valid.ndjson"
    path.write_text(
        "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in synth_cases(300, 5)),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("script", sorted(RUNS))
def test_the_script_runs(script: str, extract: Path, tmp_path: Path) -> None:
    arguments, says = RUNS[script]
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *(a.format(extract=extract) for a in arguments)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    allowed = (0, 1) if script in TIMED else (0,)
    assert done.returncode in allowed, done.stdout[-2000:] + done.stderr[-2000:]
    assert says in done.stdout
