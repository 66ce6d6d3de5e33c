"""Benchmark: loading an extract with the Python screens, the compiled screen, and compiled runs.

    python benchmarks/extract_screens.py EXTRACT [--rounds R] [--raw VALID_EXTRACT]

In one process, R rounds (default 4) of, in turn, ``spcore.read_columns`` of
EXTRACT read three ways:

* ``python``: the Python screens (``spcore.cases.screens``), each line read
  by the Python quick reading;
* ``compiled``: the compiled screen (``spcore.cases._screens``), each line
  read by the Python quick reading;
* ``runs``: the compiled screen, and runs of accepted lines read by
  ``spcore.cases._screens.read_run`` (what spcore does where it is built);

and ``pyarrow.json.read_json`` of VALID_EXTRACT (default EXTRACT; pyarrow
refuses an extract with invalid lines). The workers are forked after the way
is chosen, so they use it. Everything else (the compiled filling of the
columns included) is the same in all three. Prints the median time of each
and the median of each round's ratio to pyarrow's parse; exit status 1 if
the loads give different columns, or if spcore was built without the
compiled screen.

Make the extracts with ``benchmarks/extract_reading.py --records N --dir DIR``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from spcore.aggregation.columns import read_columns
from spcore.cases import chunks, screens

sys.path.insert(0, str(Path(__file__).parent))
from extract_reading import same_columns

Screen = Callable[[Mapping[str, Any]], bool]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("extract")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--raw", default=None, help="the valid extract pyarrow parses")
    args = parser.parse_args()
    import pyarrow.json as pj

    compiled = screens.record_screen()
    if compiled is screens._both:
        print("spcore was built without the compiled screen")
        return 1
    module = chunks.screens_module
    # The screen, and what chunks.Reading finds to read runs with (None: line by line).
    choices: dict[str, tuple[Screen, Callable[[], ModuleType | None]]] = {
        "python": (screens._both, lambda: None),
        "compiled": (compiled, lambda: None),
        "runs": (compiled, module),
    }
    times: dict[str, list[float]] = {name: [] for name in [*choices, "pyarrow"]}
    loaded: dict[str, Any] = {}
    for _ in range(args.rounds):
        for name in times:
            gc.collect()
            start = time.perf_counter()
            if name == "pyarrow":
                pj.read_json(args.raw or args.extract)
            else:
                screen, runs = choices[name]
                screens.record_screen = lambda screen=screen: screen  # type: ignore[method-assign,misc,assignment]
                chunks.screens_module = runs  # type: ignore[attr-defined]
                loaded[name] = read_columns(args.extract)
            times[name].append(time.perf_counter() - start)
    for name, seconds in times.items():
        ratio = statistics.median(a / b for a, b in zip(seconds, times["pyarrow"], strict=True))
        print(f"{name}: median {statistics.median(seconds):.2f} s, {ratio:.2f}x pyarrow's parse")
    same = all(same_columns(loaded["python"], loaded[name]) for name in ("compiled", "runs"))
    print(f"same columns: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
