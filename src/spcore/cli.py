"""The ``spcore`` command.

Each area of the library contributes its own sub-commands through a
``register(subparsers)`` function in a small ``cli`` module; this file only
wires them together and turns failures into a one-line message with exit
status 2, never a traceback.

Exit statuses: 0 success (or only warnings), 1 the input has errors,
2 the input could not be read or the command was used wrongly, 3 the output
was written and is valid but some input records were left out.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

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
    "spcore.bundled.cli",
    "spcore.hub.cli",
    "spcore.interop.cli",
    "spcore.evaluation.cli",
)

#: What ``spcore --help`` lists for each command, and the module registering it.
#: ``spcore COMMAND ...`` imports only that command's module and ``spcore --help``
#: none, so starting up costs a few milliseconds instead of loading every area.
#: A test holds each summary equal to the help its module registers; a module
#: of :data:`COMMAND_MODULES` with commands missing here is imported every time.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("spcore.validation.cli", "check quarterly returns against the standard"),
    "schema": ("spcore.schemas.cli", "list, show or export the JSON Schemas"),
    "instruments": (
        "spcore.instruments.cli",
        "list the outcome instruments or show one definition",
    ),
    "score": ("spcore.instruments.cli", "score a CSV of responses to an instrument"),
    "eligibility": (
        "spcore.eligibility.cli",
        "decide referral eligibility for a CSV of people, with reasons",
    ),
    "rag": (
        "spcore.rag.cli",
        "rate a CSV of safeguarding assessments red, amber or green, with reasons",
    ),
    "pseudonymise": (
        "spcore.pseudonymise.cli",
        "pseudonymise an extract of case records (NDJSON or CSV) with a keyed hash",
    ),
    "aggregate": (
        "spcore.aggregation.cli",
        "build a quarterly return from case records, with optional suppression",
    ),
    "evaluate": (
        "spcore.evaluation.cli",
        "impact figures from case records: outcomes, progress, report, JSON, tables",
    ),
    "cases": ("spcore.cases.cli", "check case-record extracts (NDJSON or CSV)"),
    "synth": ("spcore.cases.cli", "write synthetic data (case extracts)"),
    "template": (
        "spcore.spreadsheets.cli",
        "write a fill-in quarterly return template (.xlsx or .csv)",
    ),
    "examples": (
        "spcore.bundled.cli",
        "list the bundled example files or copy them to a folder",
    ),
    "convert": (
        "spcore.spreadsheets.cli",
        "convert a quarterly return between .json, .xlsx and .csv",
    ),
    "hub": (
        "spcore.hub.cli",
        "run the national collection and dashboard of returns (needs spcore[hub])",
    ),
    "fhir": (
        "spcore.interop.cli",
        "FHIR R4: Questionnaires, scoring QuestionnaireResponses, case Bundles",
    ),
    "prsb": ("spcore.interop.cli", "the PRSB Social Prescribing Information Standard mapping"),
    "directory": (
        "spcore.interop.cli",
        "check an Open Referral UK (HSDS 3.0) directory; export community groups",
    ),
    "gp": (
        "spcore.interop.cli",
        "referrals, declines and consultations from coded GP-record extracts",
    ),
}

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
#: The output was written and is valid, but some input records were left out.
EXIT_PARTIAL = 3
#: Stopped by Ctrl-C (SIGINT) or SIGTERM: 128 + the signal, as for a process it killed.
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM

#: The exit statuses, in words, for every command's ``--help``.
EXIT_STATUSES = (
    "Exit status: 0 done, no errors (warnings allowed); 1 the input has errors; "
    "2 a file could not be read or written, the command was misused, or it ran out of memory "
    "(or a worker process was killed); "
    "3 the output was written and is valid, but some input records were left out; "
    "130 or 143 stopped by Ctrl-C or SIGTERM (no output is left half-written)."
)


def renamed(old: str, new: str) -> type[argparse.Action]:
    """An option action accepting ``old`` as a spelling of ``new``, with a note on stderr.

    Every command spells one thing one way (``--as-of`` for the reference date,
    ``--max-per-group`` for the cap on examples); older spellings keep working.
    """

    class Renamed(argparse._StoreAction):
        def __call__(
            self,
            parser: argparse.ArgumentParser,
            namespace: argparse.Namespace,
            values: str | Sequence[Any] | None,
            option_string: str | None = None,
        ) -> None:
            if option_string == old:
                print(
                    f"spcore: note: {old} is now spelled {new}; {old} still works for now",
                    file=sys.stderr,
                )
            super().__call__(parser, namespace, values, option_string)

    return Renamed


class CliError(Exception):
    """A problem to report on one line with exit status 2 (unreadable file, bad option)."""


Handler = Callable[[argparse.Namespace], int]


def build_parser(command: str | None = None, *, lazy: bool = False) -> argparse.ArgumentParser:
    """Build the argument parser with every registered sub-command.

    With ``lazy``, only the module of ``command`` (none when it is None) is
    imported. The other commands are listed from :data:`COMMANDS` (and cannot
    be parsed by this parser) when ``command`` is None or unknown, for the
    help and the error; a parser for a known command holds that command's
    module alone, since building a sub-parser for each of the others costs
    more than the command's own start.
    """
    parser = argparse.ArgumentParser(
        prog="spcore",
        description="Common Outcomes Framework for social prescribing: validate, score, rate.",
        epilog=EXIT_STATUSES + " 'spcore COMMAND --help' says what each status means there.",
    )
    parser.add_argument("--version", action="version", version=f"spcore {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMAND_MODULES:
        listed = [c for c, (module, _) in COMMANDS.items() if module == name]
        if lazy and listed and command not in listed:
            if command in COMMANDS:
                continue
            for listed_command in listed:
                subparsers.add_parser(listed_command, help=COMMANDS[listed_command][1])
            continue
        importlib.import_module(name).register(subparsers)
    _state_exit_statuses(parser)
    return parser


def _state_exit_statuses(parser: argparse.ArgumentParser) -> None:
    """Give every (sub-)command's ``--help`` the exit statuses, unless it states its own."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                told = f"{child.description or ''} {child.epilog or ''}"
                if "Exit status" not in told:
                    child.epilog = EXIT_STATUSES
                _state_exit_statuses(child)


def _command(argv: Sequence[str]) -> str | None:
    """The sub-command named in ``argv``: its first word not starting with ``-``.

    None when help is asked for before it (``spcore -h validate`` prints the
    list of every command).
    """
    for word in argv:
        if word in ("-h", "--help"):
            return None
        if not word.startswith("-"):
            return word
    return None


@functools.cache
def _parser(command: str | None, modules: tuple[str, ...]) -> argparse.ArgumentParser:
    # Built once per process and set of commands: a program calling main() many
    # times (tests, fuzzing) does not pay for registering every command again.
    return build_parser(command, lazy=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    words = sys.argv[1:] if argv is None else list(argv)
    args = _parser(_command(words), COMMAND_MODULES).parse_args(words)
    handler: Handler = args.handler
    try:
        return handler(args)
    except (CliError, OutputError) as exc:
        print(f"spcore: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("spcore: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("spcore: stopped (terminated)", file=sys.stderr)
        return EXIT_TERMINATED
    except MemoryError:
        # What was being built is dropped with the exception, so there is memory to say so.
        print(
            "spcore: error: the command ran out of memory and stopped; nothing more was "
            "written (give it a smaller input, or run it where more memory is free)",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error for the user.
        return EXIT_OK
    except Exception as exc:
        # Named here, not imported up front: the command line starts without the reading.
        from spcore.cases.workers import WorkerStoppedError

        if not isinstance(exc, WorkerStoppedError):
            raise
        print(
            "spcore: error: a worker process stopped before it finished (killed, often by "
            "the system when memory runs short); nothing more was written (run it where "
            "more memory is free)",
            file=sys.stderr,
        )
        return EXIT_USAGE


def one_line(text: str) -> str:
    """``text`` on one line: a reason printed with exit status 2 is always one line."""
    return " ".join(text.split())


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM), raised so that every ``finally`` runs.

    A ``BaseException``, as ``KeyboardInterrupt`` is, so no ``except Exception``
    takes it for a failure of the work.
    """


def _terminated(signum: int, frame: object) -> None:
    raise Terminated


def run() -> None:
    """Console-script entry point.

    SIGTERM (``kill``, a scheduler's time limit) stops the command as Ctrl-C
    does, so an output being written is removed, never left half-written
    beside its target; the exit status is 143 (128 + 15), as for a process the
    signal killed.
    """
    signal.signal(signal.SIGTERM, _terminated)
    sys.exit(main())


if __name__ == "__main__":
    run()
