"""``spcore pseudonymise``: exit statuses, one-line errors, and the key never leaks."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from spcore import schemas
from spcore.cli import main
from spcore.pseudonymise import load_key

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "identifiable-extract.ndjson"
SECRET = bytes(range(40, 72))
COMMAND = (sys.executable, "-m", "spcore", "pseudonymise")


def _forms(secret: bytes) -> list[bytes]:
    """Every way the key could appear in bytes written out."""
    return [
        secret,
        secret.hex().encode(),
        secret.hex().upper().encode(),
        base64.b64encode(secret),
        base64.urlsafe_b64encode(secret),
        base64.b64encode(secret).rstrip(b"="),
        repr(secret).encode(),
    ]


def _assert_absent(secret: bytes, *texts: bytes) -> None:
    for text in texts:
        for form in _forms(secret):
            assert form not in text


def test_new_key_then_pseudonymise(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key_file = tmp_path / "scheme.key"
    assert main(["pseudonymise", "--new-key", str(key_file)]) == 0
    if os.name == "posix":
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    fingerprint = load_key(key_file).fingerprint
    assert fingerprint in capsys.readouterr().err
    out = tmp_path / "out.ndjson"
    assert main(["pseudonymise", str(EXAMPLE), str(out), "--key-file", str(key_file)]) == 0
    err = capsys.readouterr().err
    assert "4 records read, 4 written" in err
    assert "0 left out" in err
    assert fingerprint in err
    validator = schemas.validator("case-record")
    for line in out.read_text().splitlines():
        assert not list(validator.iter_errors(json.loads(line)))


def test_new_key_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key_file = tmp_path / "k"
    key_file.write_text("keep me")
    assert main(["pseudonymise", "--new-key", str(key_file)]) == 2
    assert "SPC-P006" in capsys.readouterr().err
    assert key_file.read_text() == "keep me"


def test_rejected_records_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key_file = tmp_path / "k"
    key_file.write_text(SECRET.hex())
    key_file.chmod(0o600)
    source = tmp_path / "in.ndjson"
    lines = EXAMPLE.read_text().splitlines()
    source.write_text(lines[0] + "\n" + lines[1].replace("9990000026", "9990000027") + "\n")
    out = tmp_path / "out.ndjson"
    assert main(["pseudonymise", str(source), str(out), "--key-file", str(key_file)]) == 3
    err = capsys.readouterr().err
    assert f"{source}:2: SPC-P020 error:" in err
    assert "(at /nhs_number)" in err
    assert "2 records read, 1 written" in err
    assert err.rstrip().endswith("the output is valid, but records were left out (exit status 3)")
    assert "9990000027" not in err
    assert len(out.read_text().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give IN, -o OUT and --key-file"),
        (["a.ndjson", "b.ndjson"], "give IN, -o OUT and --key-file"),
        (["a", "b", "--new-key", "k"], "--new-key makes a key"),
    ],
)
def test_misuse_exits_2(args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pseudonymise", *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("contents", "code"),
    [
        (b"password123\n", "SPC-P002"),
        (b"00" * 32, "SPC-P004"),
        (SECRET[:16].hex().encode(), "SPC-P003"),
    ],
)
def test_unusable_key_exits_2_and_writes_nothing(
    tmp_path: Path, contents: bytes, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "k"
    key_file.write_bytes(contents)
    out = tmp_path / "out.ndjson"
    assert main(["pseudonymise", str(EXAMPLE), str(out), "--key-file", str(key_file)]) == 2
    err = capsys.readouterr().err
    assert code in err
    assert contents.decode().strip() not in err
    assert not out.exists()


def test_missing_key_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "o"
    assert main(["pseudonymise", str(EXAMPLE), str(out), "--key-file", str(tmp_path / "no")]) == 2
    assert "SPC-P001" in capsys.readouterr().err


def test_output_over_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    key_file = tmp_path / "k"
    key_file.write_text(SECRET.hex())
    source = tmp_path / "in.ndjson"
    source.write_bytes(EXAMPLE.read_bytes())
    assert main(["pseudonymise", str(source), str(source), "--key-file", str(key_file)]) == 2
    assert "SPC-P040" in capsys.readouterr().err
    assert source.read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize("form", ["hex", "base64", "raw"])
def test_key_never_leaks(tmp_path: Path, form: str) -> None:
    secret = b"\xfe" + SECRET  # non-ASCII, so the raw form is read as raw bytes
    key_file = tmp_path / "k"
    key_file.write_bytes(
        {
            "hex": secret.hex().encode() + b"\n",
            "base64": base64.b64encode(secret) + b"\n",
            "raw": secret,
        }[form]
    )
    key_file.chmod(0o644)  # so the readable-by-others warning is printed too
    source = tmp_path / "in.ndjson"
    # A good record, a bad NHS number, bad JSON, a record naming the person.
    lines = EXAMPLE.read_text().splitlines()
    source.write_text(
        lines[0] + "\n" + lines[1].replace("9990000026", "9990000027") + "\n{oops\n" + lines[2]
    )
    out = tmp_path / "out.ndjson"
    result = subprocess.run(
        [*COMMAND, str(source), str(out), "--key-file", str(key_file)],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 3
    assert b"SPC-P005" in result.stderr
    assert b"SPC-P020" in result.stderr
    _assert_absent(secret, out.read_bytes(), result.stdout, result.stderr)
    # The library's own text: findings, reprs and errors.
    key = load_key(key_file)
    _assert_absent(secret, repr(key).encode(), str(key).encode())
    weak = tmp_path / "weak"
    weak.write_bytes(secret[:20])
    failed = subprocess.run(
        [*COMMAND, str(source), str(out), "--key-file", str(weak)],
        capture_output=True,
        check=False,
    )
    assert failed.returncode == 2
    _assert_absent(secret[:20], failed.stdout, failed.stderr)
