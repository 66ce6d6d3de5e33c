"""Validating returns: findings for every invalid example, never a traceback."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from spcore import validate_return
from spcore.cli import main
from spcore.validation import FINDING_CODES

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"
INVALID = ROOT / "examples" / "returns" / "invalid"
EXPECTED: dict[str, Any] = yaml.safe_load((INVALID / "expected-findings.yaml").read_text())


def valid_doc() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(VALID.read_text())
    return data


def test_valid_example_is_valid() -> None:
    report = validate_return(VALID)
    assert report.is_valid, report.findings
    assert report.findings == ()
    assert validate_return(valid_doc()).is_valid


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_example_gives_its_code(name: str) -> None:
    report = validate_return(INVALID / name)
    codes = {f.code for f in report.findings}
    assert codes == set(EXPECTED[name]["codes"]), [f.message for f in report.findings]
    assert not report.is_valid
    for finding in report.findings:
        assert finding.code in FINDING_CODES
        assert finding.message.endswith((".", "?"))


def test_messages_point_and_explain() -> None:
    report = validate_return(INVALID / "misspelt-age-band.json")
    (finding,) = report.findings
    assert finding.path == "/outputs/referred_by_age_band/18-25"
    assert "Did you mean '18-24'?" in finding.message


def test_unknown_field_suggests() -> None:
    doc = valid_doc()
    doc["outputs"]["people_refered"] = doc["outputs"].pop("people_referred")
    codes = [(f.code, f.path) for f in validate_return(doc).findings]
    assert ("SPC-S002", "/outputs/people_refered") in codes
    messages = " ".join(f.message for f in validate_return(doc).findings)
    assert "Did you mean 'people_referred'?" in messages


def test_quarter_spelling_is_explained() -> None:
    doc = valid_doc()
    doc["period"] = "2025/26 Q2"
    (finding,) = validate_return(doc).findings
    assert finding.message == "'Reporting period' must be written '2025-26 Q2'; found '2025/26 Q2'."


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\xff\xfe\x00garbage", "SPC-F006"),
        (b'{"a": 1, "a": 2}', "SPC-F007"),
        (b'{"a": NaN}', "SPC-F003"),
        (b'{"a": 1e999}', "SPC-F003"),
        (b'{"a": ' + b"9" * 5000 + b"}", "SPC-F003"),
        (b'"just text"', "SPC-F005"),
        (b"", "SPC-F003"),
    ],
)
def test_malformed_files(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    report = validate_return(path)
    assert not report.readable
    assert [f.code for f in report.findings] == [code]


def test_ten_megabytes_of_nested_arrays(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nested.json"
    half = 5 * 1024 * 1024
    path.write_bytes(b"[" * half + b"]" * half)
    assert main(["validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "SPC-F004" in out
    assert "Traceback" not in out


def test_deep_object_within_limit_of_parser(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a":' * 200 + "1" + "}" * 200)
    assert [f.code for f in validate_return(path).findings] == ["SPC-F004"]


def test_oversized_and_missing_files(tmp_path: Path) -> None:
    from spcore.validation.loading import read_json_file

    big = tmp_path / "big.json"
    big.write_text('{"notes": "' + "x" * 2000 + '"}')
    assert [f.code for f in read_json_file(big, max_bytes=1000).findings] == ["SPC-F002"]
    assert [f.code for f in validate_return(tmp_path / "nope.json").findings] == ["SPC-F001"]
    assert [f.code for f in validate_return(tmp_path).findings] == ["SPC-F001"]


def test_cli_exit_statuses(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["validate", str(VALID)]) == 0
    assert main(["validate", str(INVALID / "negative-count.json")]) == 1
    assert main(["validate", str(INVALID / "not-json.json")]) == 2
    assert main(["validate", str(VALID), str(INVALID / "negative-count.json")]) == 1
    capsys.readouterr()
    assert main(["validate", "--format", "json", str(INVALID / "negative-count.json")]) == 1
    report = json.loads(capsys.readouterr().out)["reports"][0]
    assert report["valid"] is False
    assert report["counts"] == {"error": 1, "warning": 0}
    assert report["findings"][0]["code"] == "SPC-S005"
    assert report["findings"][0]["path"] == "/outputs/people_referred"


# -- never a traceback: random mutations of a valid return -------------------

_POISON = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


_ALL_PATHS = _paths(valid_doc())[1:]


@settings(max_examples=300)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(_ALL_PATHS), st.sampled_from(["set", "delete", "negate"]), _POISON
        ),
        min_size=1,
        max_size=4,
    )
)
def test_mutations_give_findings_not_tracebacks(
    mutations: list[tuple[tuple[Any, ...], str, Any]],
) -> None:
    doc = copy.deepcopy(valid_doc())
    for path, action, value in mutations:
        parent: Any = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            last = path[-1]
            if action == "delete" and isinstance(parent, dict):
                parent.pop(last, None)
            elif action == "negate" and isinstance(parent[last], int | float):
                parent[last] = -parent[last] - 1
            else:
                parent[last] = value
        except (KeyError, IndexError, TypeError):
            continue
    report = validate_return(doc)
    for finding in report.findings:
        assert finding.code in FINDING_CODES
        assert finding.message


def test_location_of_uses_deepest_known_part_of_the_path() -> None:
    from spcore.findings import error
    from spcore.validation import ValidationReport

    report = ValidationReport(
        "r.xlsx",
        locations={
            "/outputs": "sheet 'Outputs'",
            "/outputs/people_referred": "sheet 'Outputs', row 3",
        },
    )
    assert (
        report.location_of(error("X", "/outputs/people_referred", "m")) == "sheet 'Outputs', row 3"
    )
    assert report.location_of(error("X", "/outputs/volunteers/count", "m")) == "sheet 'Outputs'"
    assert report.location_of(error("X", "/period", "m")) is None
