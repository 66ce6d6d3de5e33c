"""Fuzzing every entry point in the suite: hostile inputs never end in a traceback.

The inputs and checks are those of the long run (``fuzz/run.py``, see
``fuzz/README.md``): a bundled example mutated by a few edits, run through
the command line in process. Each run must end with status 0, 1 or 2, say
why on standard error when the status is 2, and leave no half-written
output. Hypothesis is derandomized in CI (tests/conftest.py).
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

import jsonschema
import pytest
from fuzz.cases import ENTRY_POINTS, EntryPoint, mutate, run_one
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spcore import schemas, strict_json, validate_return

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "examples/returns/northshire-connect-2025-26-Q2.json"
)


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda e: e.name)
@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_no_hostile_input_ends_badly(entry: EntryPoint, rng: random.Random) -> None:
    content = mutate(entry.seed(), rng)
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_one(entry, content, Path(folder))
    assert outcome.problems == (), (outcome.status, outcome.stderr[-500:])


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda e: e.name)
def test_the_unmutated_seed_runs_cleanly(entry: EntryPoint) -> None:
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_one(entry, entry.seed(), Path(folder))
    assert outcome.problems == ()
    assert outcome.status in (0, 1, 3)


@settings(max_examples=40)
@given(rng=st.randoms(use_true_random=False))
def test_validity_agrees_with_plain_jsonschema(rng: random.Random) -> None:
    """Nothing the schema refuses is called valid; nothing it accepts is refused by the schema."""
    content = mutate(EXAMPLE.read_bytes(), rng, edits=rng.randint(1, 2))
    try:
        document = strict_json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, strict_json.StrictJsonError):
        return  # not a document: the file-level findings are tested elsewhere
    if not isinstance(document, dict):
        return
    oracle = jsonschema.Draft202012Validator(
        schemas.load("quarterly-return"), registry=schemas.registry()
    )
    schema_valid = oracle.is_valid(document)
    report = validate_return(document)
    schema_codes = {f.code for f in report.findings if f.code.startswith("SPC-S0")}
    if report.is_valid:
        assert schema_valid, json.dumps(document)[:300]
    if not schema_valid:
        assert not report.is_valid
        assert schema_codes, "the schema's refusal must be reported as a schema finding"
