"""The command line: schema commands, usage errors, no tracebacks."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import spcore.cli
from spcore import __version__, schemas
from spcore.cases.workers import WorkerStoppedError
from spcore.cli import main


def test_schema_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("quarterly-return", "case-record", "common"):
        assert f"{name}\t{schemas.schema_id(name)}" in out


def test_schema_show(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "show", "quarterly-return"]) == 0
    assert json.loads(capsys.readouterr().out)["$id"] == schemas.schema_id("quarterly-return")


def test_schema_show_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "show", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("spcore: error: no schema called 'nope'")


def test_schema_export_matches_bundled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "export", str(tmp_path / "out")]) == 0
    for name in schemas.names():
        exported = (tmp_path / "out" / f"{name}.schema.json").read_text(encoding="utf-8")
        assert exported == schemas.text(name)


def test_schema_export_unwritable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["schema", "export", str(blocker / "sub")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_version_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "spcore", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"spcore {__version__}"


def test_usage_error_exits_2() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2


def test_one_spelling_for_the_reference_date_and_the_cap_old_ones_with_a_note(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pathlib import Path

    example = str(Path(__file__).parents[1] / "examples/returns/northshire-connect-2025-26-Q2.json")
    assert spcore.cli.main(["validate", "--as-of", "2025-10-14", example]) == 0
    assert "note" not in capsys.readouterr().err
    assert spcore.cli.main(["validate", "--today", "2025-10-14", example]) == 0
    assert "--today is now spelled --as-of" in capsys.readouterr().err
    extract = str(Path(__file__).parents[1] / "examples/cases/extract-2025-26.ndjson")
    assert spcore.cli.main(["cases", "check", extract, "--max-per-group", "1"]) == 0
    assert spcore.cli.main(["cases", "check", extract, "--examples", "1"]) == 0
    assert "--examples is now spelled --max-per-group" in capsys.readouterr().err


@pytest.mark.parametrize("command", sorted(spcore.cli.COMMANDS))
def test_every_command_help_states_its_exit_statuses(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        spcore.cli.main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Exit status" in text, command


@pytest.mark.parametrize(
    ("raised", "status", "said"),
    [
        (MemoryError, 2, "spcore: error: the command ran out of memory and stopped"),
        (KeyboardInterrupt, 130, "spcore: interrupted"),
        (spcore.cli.Terminated, 143, "spcore: stopped (terminated)"),
        (WorkerStoppedError, 2, "spcore: error: a worker process stopped before it finished"),
    ],
)
def test_running_out_of_memory_or_an_interrupt_is_said_in_words(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    raised: type[BaseException],
    status: int,
    said: str,
) -> None:
    # Where a million-record extract once ran out: loading it into columns.
    def load(path: object) -> object:
        raise raised

    monkeypatch.setattr("spcore.aggregation.cli.read_columns", load)
    output = tmp_path / "return.json"
    extract = Path(__file__).parents[1] / "examples" / "cases" / "extract-2025-26.ndjson"
    argv = ["aggregate", str(extract), "--quarter", "2025-26Q2", "-o", str(output)]
    assert main(argv) == status
    err = capsys.readouterr().err
    assert err.startswith(said)
    assert "Traceback" not in err
    assert not output.exists()


def test_a_command_stopped_by_sigterm_leaves_no_partial_output(tmp_path: Path) -> None:
    # A scheduler's time limit or `kill`: the output being written is removed, not left
    # as a hidden partial file beside its target (a million records' worth of litter).
    command = [sys.executable, "-m", "spcore", "synth", "cases", "5000000", "--seed", "1"]
    process = subprocess.Popen(
        [*command, "-o", "cases.ndjson"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Polled, not timed: the file appears once writing has begun.
        while not list(tmp_path.glob(".cases.ndjson.*.part")):
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == spcore.cli.EXIT_TERMINATED == 143
    assert err.startswith("spcore: stopped (terminated)")
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []
