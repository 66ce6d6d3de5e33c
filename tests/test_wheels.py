"""Wheels: built with the compiled modules where a compiler works, pure Python where not.

``hatch_build.py`` compiles ``spcore.aggregation._fill``,
``spcore.cases._screens`` and ``spcore.schemas._check`` into the wheel; when
the compiler fails (here: ``CC=/bin/false``) the wheel is still built, pure
Python, and reads an extract into the same columns. Each wheel is unpacked and
its package imported on its own (``PYTHONPATH``), not the checkout's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from spcore.cases.synth import write_synthetic_extract

ROOT = Path(__file__).resolve().parents[1]

pytest.importorskip("hatchling", reason="the wheels are built without build isolation")
pytest.importorskip("setuptools")

#: Run inside an unpacked wheel: whether it has the compiled modules, and the columns it reads.
_READ = """
import hashlib, sys
from spcore.aggregation import read_columns
from spcore.compiled import check_module, fill_module, screens_module
import spcore
assert spcore.__file__.startswith(sys.argv[1]), spcore.__file__
columns = read_columns(sys.argv[2], workers=2)
digest = hashlib.sha256()
for name in sorted(n for n in dir(columns) if not n.startswith("_")):
    value = getattr(columns, name)
    if hasattr(value, "tobytes"):
        digest.update(name.encode() + value.tobytes())
built = [m is not None for m in (fill_module(), screens_module(), check_module())]
print(all(built), any(built), len(columns), digest.hexdigest())
"""


def _wheel(tmp_path: Path, name: str, **env: str) -> Path:
    out = tmp_path / name
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
        ],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", **env},
        capture_output=True,
    )
    (wheel,) = out.glob("*.whl")
    return wheel


def _read_from(wheel: Path, extract: Path) -> tuple[str, ...]:
    unpacked = wheel.with_suffix("")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(unpacked)
    env = {k: v for k, v in os.environ.items() if k != "SPCORE_PURE_PYTHON"}
    result = subprocess.run(
        [sys.executable, "-c", _READ, str(unpacked), str(extract)],
        check=True,
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": str(unpacked)},
        cwd=unpacked,
    )
    return tuple(result.stdout.split())


@pytest.mark.skipif(sys.platform != "linux", reason="the failing compiler is /bin/false")
def test_with_and_without_a_compiler_the_wheels_read_the_same_columns(tmp_path: Path) -> None:
    extract = tmp_path / "cases.ndjson"
    with extract.open("w", encoding="utf-8") as out:  # service use, and 5% invalid records
        write_synthetic_extract(out, 400, 1, invalid_share=0.05)
    compiled = _wheel(tmp_path, "compiled")
    pure = _wheel(tmp_path, "pure", CC="/bin/false")
    with zipfile.ZipFile(compiled) as archive:
        for folder in (
            "spcore/aggregation/_fill.",
            "spcore/cases/_screens.",
            "spcore/schemas/_check.",
        ):
            assert any(n.startswith(folder) and n.endswith(".so") for n in archive.namelist())
    with zipfile.ZipFile(pure) as archive:
        assert not any(n.endswith((".so", ".pyd")) for n in archive.namelist())
    assert pure.name.endswith("-py3-none-any.whl")
    assert not compiled.name.endswith("-py3-none-any.whl")  # tagged for its platform
    with_module = _read_from(compiled, extract)
    without = _read_from(pure, extract)
    assert with_module[:2] == ("True", "True")
    assert without[:2] == ("False", "False")
    assert with_module[2:] == without[2:]


def test_the_build_and_the_package_name_the_same_modules_and_variable() -> None:
    import importlib.util

    from spcore.compiled import MODULES, PURE_PYTHON_VARIABLE

    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None
    assert spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.PURE_PYTHON_VARIABLE == PURE_PYTHON_VARIABLE
    assert build.MODULES == MODULES
    for module in MODULES:
        assert (ROOT / build.source_of(module)).is_file()
