"""The compiled part of reading an extract into columns, when spcore was built with it.

``spcore.aggregation._fill`` (C, ``_fill.c`` beside this module) appends a
checked case record's JSON data to columns: the work of
``add_record`` in :mod:`spcore.aggregation.columns`, value for value, without
a Python call for every value. It is built when spcore is installed where a C
compiler is found; elsewhere spcore installs without it and the Python closure
does all the work, giving the same columns (the reference reading always uses
the closure, and the tests hold the two equal).

Set the environment variable ``SPCORE_PURE_PYTHON`` to ``1`` to read without
it even where it is built.
"""

from __future__ import annotations

import functools
import os
from types import ModuleType

#: The environment variable that turns the compiled module off (``1``).
PURE_PYTHON_VARIABLE = "SPCORE_PURE_PYTHON"


@functools.cache
def fill_module() -> ModuleType | None:
    """``spcore.aggregation._fill``, or ``None`` when not built or turned off."""
    if os.environ.get(PURE_PYTHON_VARIABLE, "") == "1":
        return None
    try:
        from spcore.aggregation import _fill
    except ImportError:  # installed without a C compiler
        return None
    return _fill
