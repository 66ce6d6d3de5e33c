"""Benchmark: how long spcore takes to start, as whole processes.

Each measure is the wall-clock time of a fresh interpreter process, from
start to exit, repeated (default 9 times, the measures interleaved so a busy
machine slows them alike) and reported as the median:

* ``python -c pass`` — a bare interpreter, the floor;
* ``python -c "import spcore"``;
* ``spcore --help``;
* ``spcore validate`` of the bundled example return;

  both through the ``spcore`` command pip installs beside this interpreter
  (``python -m spcore`` only when there is none, as in a bare checkout),
  since that command is what users run;
* the baseline for validation: a process importing exactly the third-party
  modules ``spcore validate`` itself imports (found by running it once in a
  process and listing ``sys.modules``: every module, not only the top-level
  packages, since pydantic for one loads most of its code on first use), in
  the order it loaded them, so the ratio shows spcore's own cost.

Every process reads compiled bytecode, as an installed package does (pip
compiles a wheel's modules when it installs them). An editable install
compiles spcore's modules on each run when ``PYTHONDONTWRITEBYTECODE`` is
set, which would charge spcore for compiling itself; so the processes here
keep their bytecode in a temporary ``PYTHONPYCACHEPREFIX``, written by the
warm-up runs and read by the timed ones.

Wall-clock times on a shared or virtual machine move by a tenth from run to
run. With ``--instructions`` the script also counts the instructions each
process executes under valgrind's callgrind (when ``valgrind`` is installed;
``apt-get install valgrind``), which gives the same count on every run: a
steady ratio to compare changes by. The target is judged on time, not on
instructions; the two ratios are reported side by side.

Run::

    .venv/bin/python benchmarks/startup.py [--runs N] [--instructions]

Targets: ``import spcore`` under 300 ms, ``spcore --help`` under 250 ms, and
``spcore validate`` of the example within 1.3x the baseline. Exit status 1 if
a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"

#: Lists the third-party modules a run of ``spcore validate`` loads, in the order loaded.
_FIND_LIBRARIES = """
import sys
from spcore.cli import main
try:
    main(["validate", sys.argv[1]])
except SystemExit:
    pass
def third_party(name):
    top = name.partition(".")[0]
    return top not in sys.stdlib_module_names and not top.startswith("_") and top != "spcore"
print(" ".join(n for n in list(sys.modules) if third_party(n)), file=sys.stderr)
"""


def libraries_validate_imports(env: dict[str, str]) -> list[str]:
    """The third-party modules ``spcore validate`` imports, by running it once."""
    done = subprocess.run(
        [sys.executable, "-c", _FIND_LIBRARIES, str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    return done.stderr.strip().splitlines()[-1].split()


def timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds one run of ``command`` takes, start to exit."""
    start = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env
    )
    return time.perf_counter() - start


def instructions(command: list[str], env: dict[str, str]) -> int:
    """Instructions one run of ``command`` executes, counted by valgrind's callgrind."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True,
        text=True,
        check=False,
        # One BLAS thread: numpy's idle threads would otherwise add a varying count.
        env={**env, "OPENBLAS_NUM_THREADS": "1"},
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise RuntimeError(f"valgrind gave no count for {command}:\n{done.stderr[-500:]}")
    return int(found.group(1))


def main() -> int:
    """Measure, print a table, and return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each measure (default 9)")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count instructions under valgrind (a steady figure; needs valgrind)",
    )
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind (apt-get install valgrind)")

    with tempfile.TemporaryDirectory(prefix="spcore-bytecode-") as bytecode:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = bytecode
        return measure(args.runs, env, count_instructions=args.instructions)


def measure(runs: int, env: dict[str, str], *, count_instructions: bool = False) -> int:
    """Time each measure ``runs`` times in ``env``; print the table; 1 if a target is missed."""
    python = sys.executable
    script = Path(python).with_name("spcore")
    spcore = [str(script)] if script.is_file() else [python, "-m", "spcore"]
    libraries = libraries_validate_imports(env)
    measures = {
        "bare interpreter": [python, "-c", "pass"],
        "import spcore": [python, "-c", "import spcore"],
        "spcore --help": [*spcore, "--help"],
        "spcore validate (example)": [*spcore, "validate", str(EXAMPLE)],
        "import validate's libraries": [python, "-c", "import " + ", ".join(libraries)],
    }
    times: dict[str, list[float]] = {name: [] for name in measures}
    for name, command in measures.items():
        # Compile bytecode and warm the file cache; not counted. Each must succeed, or its
        # time would be that of a failure.
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
        if done.returncode != 0:
            print(f"{name} failed (exit {done.returncode}):\n{done.stderr}", file=sys.stderr)
            return 2
    for _ in range(runs):
        for name, command in measures.items():
            times[name].append(timed(command, env))
    medians = {name: statistics.median(values) for name, values in times.items()}

    print(f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, ")
    print(f"load average {os.getloadavg()[0]:.2f}, median of {runs} runs\n")
    packages = dict.fromkeys(name.partition(".")[0] for name in libraries)
    print(f"validate's libraries: {len(libraries)} modules of {', '.join(packages)}")
    print(f"spcore run as: {' '.join(spcore)}\n")
    print("| measure | median | runs (min-max) |")
    print("|---|---|---|")
    for name, median in medians.items():
        low, high = min(times[name]), max(times[name])
        print(f"| {name} | {median * 1000:.0f} ms | {low * 1000:.0f}-{high * 1000:.0f} ms |")
    ratio = medians["spcore validate (example)"] / medians["import validate's libraries"]
    print(f"\nvalidate / its libraries' import: {ratio:.2f}x")
    if count_instructions:
        validate = instructions(measures["spcore validate (example)"], env)
        baseline = instructions(measures["import validate's libraries"], env)
        print(
            f"instructions: validate {validate / 1e6:,.0f} million, its libraries' import "
            f"{baseline / 1e6:,.0f} million: {validate / baseline:.3f}x"
        )

    missed = []
    if medians["import spcore"] >= 0.300:
        missed.append("import spcore under 300 ms")
    if medians["spcore --help"] >= 0.250:
        missed.append("spcore --help under 250 ms")
    if ratio > 1.3:
        missed.append("validate within 1.3x its libraries' import")
    for target in missed:
        print(f"target missed: {target}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
