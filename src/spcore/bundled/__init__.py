"""The example files that come with spcore, and copying them where a reader works.

Every command in the README and the documentation names files under
``examples/`` (returns, case extracts, rule files, questionnaire answers).
In a checkout of the repository they are there already; after
``pip install spcore`` they travel inside the package, and
``spcore examples copy DIR`` (or :func:`copy_examples`) puts the same
``examples/`` folder in ``DIR``.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

#: Where the wheel carries the examples inside the package (pyproject.toml).
PACKAGED = "_examples"


class ExamplesError(Exception):
    """The examples cannot be found or copied; the message says why."""


def examples_dir() -> Path:
    """The folder holding the bundled examples.

    Inside an installed wheel it is ``spcore/_examples``; in a checkout (an
    editable install) it is the repository's own ``examples/``.
    """
    packaged = Path(str(resources.files("spcore") / PACKAGED))
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / "examples"
    if checkout.is_dir():
        return checkout
    raise ExamplesError(
        "the bundled examples are missing from this installation of spcore; reinstall it"
    )


def example_files() -> list[str]:
    """Every bundled example, as a path relative to ``examples/`` (forward slashes)."""
    root = examples_dir()
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


def already_there(target: Path) -> bool:
    """True when ``target`` holds every bundled example with the same bytes."""
    source = examples_dir()
    if target.resolve() == source.resolve():
        return True
    for name in example_files():
        copy = target / name
        if not copy.is_file() or copy.read_bytes() != (source / name).read_bytes():
            return False
    return True


def copy_examples(destination: str | Path, *, overwrite: bool = False) -> Path:
    """Copy the bundled examples to ``destination/examples``; return that folder.

    Nothing is done when the folder already holds every example unchanged
    (in a checkout, ``examples/`` is the bundled folder itself). Otherwise an
    existing ``examples`` folder is not replaced (:class:`ExamplesError`)
    unless ``overwrite`` is true, so nobody's edited copy is lost.
    """
    target = Path(destination) / "examples"
    source = examples_dir()
    if target.exists():
        if already_there(target):
            return target
        if not overwrite:
            raise ExamplesError(
                f"'{target}' already exists and differs from the bundled examples; remove it, "
                "or use --overwrite to replace its files"
            )
    try:
        shutil.copytree(
            source,
            target,
            dirs_exist_ok=overwrite,
            ignore=shutil.ignore_patterns("__pycache__"),
        )
    except OSError as exc:
        raise ExamplesError(f"cannot copy the examples to '{target}': {exc}") from None
    return target
