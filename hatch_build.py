"""Build hook: compile spcore's C module where a C compiler is found.

``spcore.aggregation._fill`` (``src/spcore/aggregation/_fill.c``) fills the
columns of a case extract faster than Python can; spcore works the same
without it (see :mod:`spcore.aggregation.compiled`). So a wheel is built with
it when the compiler works, and without it, pure Python, when it does not or
when ``SPCORE_PURE_PYTHON=1`` is set. An editable install builds it in place,
beside its source.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODULE = "spcore.aggregation._fill"
SOURCE = Path("src/spcore/aggregation/_fill.c")
#: spcore.aggregation.compiled.PURE_PYTHON_VARIABLE, written again because the package
#: cannot be imported while it is being built (tests/test_wheels.py holds the two equal).
PURE_PYTHON_VARIABLE = "SPCORE_PURE_PYTHON"


class CompileFill(BuildHookInterface):  # type: ignore[type-arg]  # generic in its config
    """Compiles the module into the wheel (or in place for an editable install)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile, and include the module; on any failure, say so and build pure Python."""
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        in_place = root / SOURCE.parent
        if version == "editable":  # a module built earlier from another source must not load
            for stale in in_place.glob("_fill.*.so"):
                stale.unlink()
            for stale in in_place.glob("_fill.*.pyd"):
                stale.unlink()
        if os.environ.get(PURE_PYTHON_VARIABLE, "") == "1":
            return
        self._work = Path(tempfile.mkdtemp(prefix="spcore-build-"))
        try:
            built = _compile(root / SOURCE, self._work)
        except Exception as exc:  # a missing compiler or headers: spcore works without it
            print(
                f"spcore: {MODULE} not compiled ({type(exc).__name__}: {exc}); "
                "installing the pure Python reading, which gives the same results",
                file=sys.stderr,
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version == "editable":
            shutil.copy2(built, in_place / built.name)
        else:
            build_data["force_include"][str(built)] = f"spcore/aggregation/{built.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the build's temporary folder."""
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _compile(source: Path, work: Path) -> Path:
    """The compiled module, built by setuptools' ``build_ext`` under ``work``."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    distribution = Distribution(
        {"name": "spcore", "ext_modules": [Extension(MODULE, [str(source)])]}
    )
    command = build_ext(distribution)
    command.build_lib = str(work / "lib")
    command.build_temp = str(work / "temp")
    command.ensure_finalized()
    command.run()
    return Path(command.get_ext_fullpath(MODULE))
