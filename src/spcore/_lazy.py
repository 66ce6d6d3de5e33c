"""A package's public names, imported when first used.

``import spcore`` should cost next to nothing: most programs use a handful of
names, and loading every model, schema and NumPy up front took over a second.
A package therefore lists its public names as ordinary imports inside
``if TYPE_CHECKING:`` — what type checkers, editors and readers see — and,
outside type checking, hands its ``__getattr__`` and ``__dir__`` to
:func:`attach`::

    from typing import TYPE_CHECKING

    if TYPE_CHECKING:
        from spcore.findings import Finding
    else:
        from spcore._lazy import attach

        __getattr__, __dir__ = attach(__name__)

The import statements are read from the package's own source the first time
a name is asked for, so the list of names lives in one place.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any

#: name -> (module to import, attribute of it or None for the module itself)
Origins = dict[str, tuple[str, str | None]]


def _resolve(package: str, module: str | None, level: int) -> str:
    if level == 0:
        return module or ""
    base = package.rsplit(".", level - 1)[0] if level > 1 else package
    return f"{base}.{module}" if module else base


def origins(package: str, source: str) -> Origins:
    """Where each name imported under ``if TYPE_CHECKING:`` in ``source`` comes from."""
    import ast  # only when a name is first used: parsing is not part of ``import spcore``

    found: Origins = {}
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)):
            continue
        for statement in ast.walk(node):
            if isinstance(statement, ast.ImportFrom):
                module = _resolve(package, statement.module, statement.level)
                for alias in statement.names:
                    found[alias.asname or alias.name] = (module, alias.name)
            elif isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.asname:
                        found[alias.asname] = (alias.name, None)
    return found


def attach(package: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, importing its public names lazily."""
    module = sys.modules[package]
    table: Origins = {}
    loaded = False

    def names() -> Origins:
        nonlocal loaded
        if not loaded:
            spec = module.__spec__
            loader = spec.loader if spec is not None else None
            get_source = getattr(loader, "get_source", None)
            source = get_source(package) if get_source is not None else None
            if source is None:  # pragma: no cover - spcore always ships its sources
                raise ImportError(f"cannot read the source of {package} to find its names")
            table.update(origins(package, source))
            loaded = True
        return table

    def get(name: str) -> Any:
        origin = names().get(name)
        if origin is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        source_module, attribute = origin
        value: Any = importlib.import_module(source_module)
        if attribute is not None:
            try:
                value = getattr(value, attribute)
            except AttributeError:
                # ``from package import submodule``: a module not yet imported.
                value = importlib.import_module(f"{source_module}.{attribute}")
        # Cached as a plain attribute: the next use costs nothing.
        setattr(module, name, value)
        return value

    def listing() -> list[str]:
        return sorted(set(vars(module)) | set(names()))

    class Package(types.ModuleType):
        """The package, keeping a public name when a submodule of that name is imported."""

        def __setattr__(self, name: str, value: Any) -> None:
            # Importing ``spcore.aggregation.aggregate`` makes the import system
            # set the package's ``aggregate`` to that module, hiding the
            # function of the same name the package exports.
            origin = names().get(name)
            if (
                isinstance(value, types.ModuleType)
                and value.__name__ == f"{package}.{name}"
                and origin is not None
                and origin != (package, name)
            ):
                return
            super().__setattr__(name, value)

    module.__class__ = Package

    return get, listing
