"""Build hook: compile spcore's C modules where a C compiler is found.

``spcore.aggregation._fill``, ``spcore.cases._screens`` and
``spcore.schemas._check`` (each from the ``.c`` file beside where it goes)
read case extracts faster than Python can;
spcore works the same without them (see :mod:`spcore.compiled`). So a wheel
is built with them when the compiler works, and without them, pure Python,
when it does not or when ``SPCORE_PURE_PYTHON=1`` is set. An editable install
builds them in place, beside their sources.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: spcore.compiled.MODULES, written again because the package cannot be imported while
#: it is being built (tests/test_wheels.py holds the two equal).
MODULES = ("spcore.aggregation._fill", "spcore.cases._screens", "spcore.schemas._check")
#: spcore.compiled.PURE_PYTHON_VARIABLE, likewise.
PURE_PYTHON_VARIABLE = "SPCORE_PURE_PYTHON"


def source_of(module: str) -> Path:
    """The C source of ``module``, relative to the project's root."""
    return Path("src", *module.split(".")).with_suffix(".c")


class CompileModules(BuildHookInterface):  # type: ignore[type-arg]  # generic in its config
    """Compiles the modules into the wheel (or in place for an editable install)."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile, and include the modules; on any failure, say so and build pure Python."""
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        if version == "editable":  # a module built earlier from another source must not load
            for module in MODULES:
                folder, stem = root / source_of(module).parent, module.rpartition(".")[2]
                for stale in [*folder.glob(f"{stem}.*.so"), *folder.glob(f"{stem}.*.pyd")]:
                    stale.unlink()
        if os.environ.get(PURE_PYTHON_VARIABLE, "") == "1":
            return
        self._work = Path(tempfile.mkdtemp(prefix="spcore-build-"))
        try:
            built = _compile(root, self._work)
        except Exception as exc:  # a missing compiler or headers: spcore works without them
            print(
                f"spcore: {', '.join(MODULES)} not compiled ({type(exc).__name__}: {exc}); "
                "installing the pure Python reading, which gives the same results",
                file=sys.stderr,
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        for module, path in built.items():
            folder = source_of(module).parent
            if version == "editable":
                shutil.copy2(path, root / folder / path.name)
            else:
                inside = folder.relative_to("src").as_posix()
                build_data["force_include"][str(path)] = f"{inside}/{path.name}"

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        """Remove the build's temporary folder."""
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _compile(root: Path, work: Path) -> dict[str, Path]:
    """Each compiled module, built by setuptools' ``build_ext`` under ``work``."""
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    extensions = [Extension(m, [str(root / source_of(m))]) for m in MODULES]
    distribution = Distribution({"name": "spcore", "ext_modules": extensions})
    command = build_ext(distribution)
    command.build_lib = str(work / "lib")
    command.build_temp = str(work / "temp")
    command.ensure_finalized()
    command.run()
    return {m: Path(command.get_ext_fullpath(m)) for m in MODULES}
