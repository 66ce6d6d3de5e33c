"""``spcore examples``: list the bundled example files or copy them to a folder."""

from __future__ import annotations

import argparse
from typing import Any

from spcore.cli import EXIT_OK, CliError


def register(subparsers: Any) -> None:
    """Add ``examples`` to the command line."""
    examples = subparsers.add_parser(
        "examples",
        help="list the bundled example files or copy them to a folder",
        description=(
            "The example returns, case extracts, rule files and questionnaire answers the "
            "README and the documentation use. 'spcore examples copy .' puts them in "
            "./examples, so every documented command runs from any folder. "
            "Exit status: 0 done, 2 the examples could not be found or copied."
        ),
    )
    actions = examples.add_subparsers(dest="examples_command", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser("list", help="list the example files")
    listing.set_defaults(handler=run_list)
    copy = actions.add_parser(
        "copy",
        help="copy the examples to DIR/examples",
        description="Copy the bundled examples to DIR/examples (DIR is created if needed).",
    )
    copy.add_argument("directory", metavar="DIR", help="folder to copy into ('.' for here)")
    copy.add_argument(
        "--overwrite",
        action="store_true",
        help="replace the files of an existing DIR/examples (other files there are kept)",
    )
    copy.set_defaults(handler=run_copy)


def run_list(args: argparse.Namespace) -> int:
    """Print every example file, relative to ``examples/``."""
    from spcore.bundled import ExamplesError, example_files

    try:
        names = example_files()
    except ExamplesError as exc:
        raise CliError(str(exc)) from None
    for name in names:
        print(f"examples/{name}")
    return EXIT_OK


def run_copy(args: argparse.Namespace) -> int:
    """Copy the examples; say where they went."""
    from spcore.bundled import ExamplesError, copy_examples, example_files

    try:
        target = copy_examples(args.directory, overwrite=args.overwrite)
        count = len(example_files())
    except ExamplesError as exc:
        raise CliError(str(exc)) from None
    noun = "file" if count == 1 else "files"
    print(f"copied {count:,} example {noun} to {target}")
    return EXIT_OK
