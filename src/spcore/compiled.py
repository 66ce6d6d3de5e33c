"""spcore's compiled modules, when spcore was built with them.

Three small C modules make reading a case extract faster; each repeats the work
of Python code (or a validator) that stays the definition, and the tests hold
the two equal:

* ``spcore.aggregation._fill`` (``_fill.c``) appends a checked case record's
  JSON data to columns: the work of ``add_record`` in
  :mod:`spcore.aggregation.columns`, value for value, without a Python call
  for every value;
* ``spcore.cases._screens`` (``_screens.c``) runs the screens of
  :mod:`spcore.cases.screens` (can a schema-valid record have no finding
  beyond the schema?), calling back to them for what they have not yet worked
  out; and its ``read_run`` takes a worker through a run of lines that the
  quick reading of :mod:`spcore.cases.chunks` accepts, calling the same
  functions in the same order, until the first line it might not accept;
* ``spcore.schemas._check`` (``_check.c``) proves a document valid against a
  bundled schema by a walk over its dicts and lists, written by
  :mod:`spcore.schemas.program`; where it cannot, a validator decides.

They are built when spcore is installed where a C compiler is found;
elsewhere spcore installs without them and Python does all the work, giving
the same results (the reference readings always use Python).

Set the environment variable ``SPCORE_PURE_PYTHON`` to ``1`` to read without
them even where they are built.
"""

from __future__ import annotations

import functools
import importlib
import os
from types import ModuleType

#: The environment variable that turns the compiled modules off (``1``).
PURE_PYTHON_VARIABLE = "SPCORE_PURE_PYTHON"

#: The compiled modules, by name; the build compiles each from the ``.c`` file beside it.
MODULES = ("spcore.aggregation._fill", "spcore.cases._screens", "spcore.schemas._check")


def pure_python() -> bool:
    """True when the compiled modules are turned off (``SPCORE_PURE_PYTHON=1``)."""
    return os.environ.get(PURE_PYTHON_VARIABLE, "") == "1"


@functools.cache
def _module(name: str) -> ModuleType | None:
    if pure_python():
        return None
    try:
        return importlib.import_module(name)
    except ImportError:  # installed without a C compiler
        return None


def fill_module() -> ModuleType | None:
    """``spcore.aggregation._fill``, or ``None`` when not built or turned off."""
    return _module(MODULES[0])


def screens_module() -> ModuleType | None:
    """``spcore.cases._screens``, or ``None`` when not built or turned off."""
    return _module(MODULES[1])


def check_module() -> ModuleType | None:
    """``spcore.schemas._check``, or ``None`` when not built or turned off."""
    return _module(MODULES[2])
