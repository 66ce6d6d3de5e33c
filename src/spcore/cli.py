"""The ``spcore`` command.

Each area of the library contributes its own sub-commands through a
``register(subparsers)`` function in a small ``cli`` module; this file only
wires them together and turns failures into a one-line message with exit
status 2, never a traceback.

Exit statuses: 0 success (or only warnings), 1 the input has errors,
2 the input could not be read or the command was used wrongly.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import sys
from collections.abc import Callable, Sequence

from spcore._version import __version__
from spcore.cli_output import OutputError

#: Modules that each define ``register(subparsers)``.
COMMAND_MODULES: tuple[str, ...] = (
    "spcore.validation.cli",
    "spcore.schemas.cli",
    "spcore.instruments.cli",
    "spcore.eligibility.cli",
    "spcore.rag.cli",
    "spcore.pseudonymise.cli",
    "spcore.aggregation.cli",
    "spcore.cases.cli",
    "spcore.spreadsheets.cli",
    "spcore.hub.cli",
    "spcore.interop.cli",
)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A problem to report on one line with exit status 2 (unreadable file, bad option)."""


Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="spcore",
        description="Common Outcomes Framework for social prescribing: validate, score, rate.",
    )
    parser.add_argument("--version", action="version", version=f"spcore {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


@functools.cache
def _parser(modules: tuple[str, ...]) -> argparse.ArgumentParser:
    # Built once per process and set of commands: a program calling main() many
    # times (tests, fuzzing) does not pay for registering every command again.
    return build_parser()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser(COMMAND_MODULES).parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except (CliError, OutputError) as exc:
        print(f"spcore: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("spcore: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error for the user.
        return EXIT_OK


def one_line(text: str) -> str:
    """``text`` on one line: a reason printed with exit status 2 is always one line."""
    return " ".join(text.split())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
