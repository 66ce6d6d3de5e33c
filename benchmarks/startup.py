"""Benchmark: how long spcore takes to start, as whole processes.

Each measure is the wall-clock time of a fresh interpreter process, from
start to exit, repeated (default 9 times, the measures interleaved so a busy
machine slows them alike) and reported as the median:

* ``python -c pass`` — a bare interpreter, the floor;
* ``python -c "import spcore"``;
* ``spcore --help``;
* ``spcore validate`` of the bundled example return;
* the baseline for validation: a process importing exactly the third-party
  libraries ``spcore validate`` itself imports (found by running it once in a
  process and listing ``sys.modules``), so the ratio shows spcore's own cost.

Run::

    .venv/bin/python benchmarks/startup.py [--runs N]

Targets: ``import spcore`` under 300 ms, ``spcore --help`` under 250 ms, and
``spcore validate`` of the example within 1.3x the baseline. Exit status 1 if
a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "returns" / "northshire-connect-2025-26-Q2.json"

#: Lists the third-party top-level packages a run of ``spcore validate`` loads.
_FIND_LIBRARIES = """
import sys
from spcore.cli import main
main(["validate", sys.argv[1]])
names = {n.split(".")[0] for n in sys.modules}
third_party = sorted(
    n for n in names
    if n not in sys.stdlib_module_names and not n.startswith("_") and n != "spcore"
)
print(" ".join(third_party), file=sys.stderr)
"""


def libraries_validate_imports() -> list[str]:
    """The third-party packages ``spcore validate`` imports, by running it once."""
    done = subprocess.run(
        [sys.executable, "-c", _FIND_LIBRARIES, str(EXAMPLE)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stderr.strip().splitlines()[-1].split()


def timed(command: list[str]) -> float:
    """Seconds one run of ``command`` takes, start to exit."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    """Measure, print a table, and return 1 if a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs of each measure (default 9)")
    args = parser.parse_args()

    python = sys.executable
    spcore = [python, "-m", "spcore"]
    libraries = libraries_validate_imports()
    measures = {
        "bare interpreter": [python, "-c", "pass"],
        "import spcore": [python, "-c", "import spcore"],
        "spcore --help": [*spcore, "--help"],
        "spcore validate (example)": [*spcore, "validate", str(EXAMPLE)],
        "import validate's libraries": [python, "-c", "import " + ", ".join(libraries)],
    }
    times: dict[str, list[float]] = {name: [] for name in measures}
    for command in measures.values():
        timed(command)  # warm the file cache; not counted
    for _ in range(args.runs):
        for name, command in measures.items():
            times[name].append(timed(command))
    medians = {name: statistics.median(values) for name, values in times.items()}

    print(f"{platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, ")
    print(f"load average {os.getloadavg()[0]:.2f}, median of {args.runs} runs\n")
    print(f"validate's libraries: {', '.join(libraries)}\n")
    print("| measure | median | runs (min-max) |")
    print("|---|---|---|")
    for name, median in medians.items():
        low, high = min(times[name]), max(times[name])
        print(f"| {name} | {median * 1000:.0f} ms | {low * 1000:.0f}-{high * 1000:.0f} ms |")
    ratio = medians["spcore validate (example)"] / medians["import validate's libraries"]
    print(f"\nvalidate / its libraries' import: {ratio:.2f}x")

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
