"""Starting spcore loads only what is used: lazy public names and commands.

Checked through ``sys.modules`` in a fresh interpreter, never the clock (the
times are in ``benchmarks/startup.py``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import subprocess
import sys

import pytest

import spcore
import spcore.cli

#: Libraries that cost the most to import; none is needed to import spcore.
HEAVY = ("numpy", "pandas", "polars", "openpyxl", "pint", "pydantic", "jsonschema", "yaml")


def _modules_after(code: str) -> set[str]:
    """The modules loaded by a fresh interpreter running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return set(loaded)


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_import_spcore_loads_no_heavy_library() -> None:
    loaded = _modules_after("import spcore")
    assert not _top_level(loaded) & set(HEAVY)
    # Nor any area of spcore: only the package, its version and the lazy loader.
    assert {m for m in loaded if m.startswith("spcore")} == {
        "spcore",
        "spcore._lazy",
        "spcore._version",
    }


def test_spcore_help_loads_no_command_module() -> None:
    loaded = _modules_after(
        "import contextlib, io\n"
        "from spcore.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])"
    )
    assert not _top_level(loaded) & set(HEAVY)
    assert not {m for m in loaded if m.endswith(".cli") and m != "spcore.cli"}


def test_a_command_loads_only_its_own_module() -> None:
    loaded = _modules_after(
        "import contextlib, io\n"
        "from spcore.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['schema', 'list'])"
    )
    assert "spcore.schemas.cli" in loaded
    other_commands = {m for m in loaded if m.endswith(".cli")} - {
        "spcore.cli",
        "spcore.schemas.cli",
    }
    assert not other_commands


def test_validating_a_return_does_not_walk_the_schemas() -> None:
    # Where retired codes can appear and the list limits come from the generated
    # index (spcore.schemas.index); findings are grouped by walking the schema,
    # which a return without findings never needs.
    from spcore.bundled import examples_dir

    example = examples_dir() / "returns" / "northshire-connect-2025-26-Q2.json"
    loaded = _modules_after(
        "import contextlib, io\n"
        "from spcore.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main(['validate', {str(example)!r}])"
    )
    assert "spcore.validation.returns" in loaded
    assert "spcore.schemas.resolving" not in loaded
    # Only the instruments the example reports are loaded.
    instruments = {m for m in loaded if m.startswith("spcore.instruments.")}
    assert instruments <= {
        "spcore.instruments.codes",
        "spcore.instruments.definitions",
        "spcore.instruments.engine",
        "spcore.instruments.registry",
        "spcore.instruments.wemwbs",
        "spcore.instruments.ons",
        "spcore.instruments.ucla",
    }


def _lazy_packages() -> list[str]:
    names = ["spcore"]
    for info in pkgutil.iter_modules(spcore.__path__, "spcore."):
        if info.ispkg:
            names.append(info.name)
    return names


@pytest.mark.parametrize("package", _lazy_packages())
def test_every_public_name_resolves(package: str) -> None:
    module = importlib.import_module(package)
    for name in getattr(module, "__all__", ()):
        assert getattr(module, name) is not None, f"{package}.{name}"
        assert name in dir(module)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = spcore.nothing_here  # type: ignore[attr-defined]


def _registered() -> dict[str, tuple[str, str | None]]:
    """Every command each module registers, with the help it gives."""
    found: dict[str, tuple[str, str | None]] = {}
    for module in spcore.cli.COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers()
        importlib.import_module(module).register(subparsers)
        for action in subparsers._choices_actions:
            found[action.dest] = (module, action.help)
    return found


def test_the_command_table_matches_what_modules_register() -> None:
    # The table lets `spcore --help` list commands without importing them; it
    # must say exactly what the modules say.
    assert _registered() == {
        name: (module, summary) for name, (module, summary) in spcore.cli.COMMANDS.items()
    }


def test_every_command_parses_through_the_lazy_parser() -> None:
    for command in spcore.cli.COMMANDS:
        parser = spcore.cli.build_parser(command, lazy=True)
        action = next(a for a in parser._actions if a.dest == "command")
        assert set(action.choices or ()) >= set(spcore.cli.COMMANDS)  # type: ignore[arg-type]
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args([command, "--help"])
        assert exit_info.value.code == 0


def test_a_submodule_does_not_hide_the_name_it_shares() -> None:
    code = (
        "import spcore.aggregation.aggregate, spcore.rag.duties\n"
        "from spcore.aggregation import aggregate\n"
        "from spcore.rag import duties\n"
        "assert callable(aggregate) and callable(duties), (aggregate, duties)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
