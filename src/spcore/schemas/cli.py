"""``spcore schema``: list, show and export the published JSON Schemas."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spcore import schemas


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``schema list|show|export`` to the command line."""
    parser = subparsers.add_parser(
        "schema",
        help="list, show or export the JSON Schemas",
        description="The standard's JSON Schemas (draft 2020-12), as bundled with spcore.",
    )
    sub = parser.add_subparsers(dest="schema_command", metavar="ACTION")
    sub.required = True
    listing = sub.add_parser("list", help="list the schemas with their $id")
    listing.set_defaults(handler=_list)
    show = sub.add_parser("show", help="print one schema")
    show.add_argument("name", help="schema name, e.g. quarterly-return")
    show.set_defaults(handler=_show)
    export = sub.add_parser("export", help="write every schema into a folder")
    export.add_argument("directory", type=Path, help="folder to write into (created if needed)")
    export.set_defaults(handler=_export)


def _list(args: argparse.Namespace) -> int:
    for name in schemas.names():
        print(f"{name}\t{schemas.schema_id(name)}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from spcore.cli import CliError

    if args.name.removesuffix(".schema.json") not in schemas.names():
        raise CliError(
            f"no schema called '{args.name}'; choose one of: {', '.join(schemas.names())}"
        )
    sys.stdout.write(schemas.text(args.name.removesuffix(".schema.json")))
    return 0


def _export(args: argparse.Namespace) -> int:
    from spcore.cli import CliError
    from spcore.cli_output import write_output
    from spcore.framework.schema_build import build_all, dumps, file_name

    directory: Path = args.directory
    try:
        directory.mkdir(parents=True, exist_ok=True)
        for name, schema in build_all().items():
            write_output(directory / file_name(name), dumps(schema), inputs=())
            print(f"wrote {directory / file_name(name)}")
    except OSError as exc:
        raise CliError(f"cannot write to '{directory}': {exc.strerror or exc}") from None
    return 0
