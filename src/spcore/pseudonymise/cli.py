"""``spcore pseudonymise``: make a key, or pseudonymise an extract of case records.

    spcore pseudonymise --new-key KEY             # write a new random key (mode 0600)
    spcore pseudonymise IN.ndjson -o OUT.ndjson --key-file KEY
    spcore pseudonymise IN.csv -o OUT.csv --key-file KEY    # formats from the file names

Findings go to standard error, one a line, as they are found; a summary line
ends the run. Exit status: 0 every record was written (warnings allowed);
1 some records were left out because of errors; 2 the key or the extract
cannot be used, or the command was misused (nothing is written).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import Any

from spcore.cli import EXIT_FINDINGS, EXIT_OK, EXIT_PARTIAL, EXIT_STATUSES, CliError
from spcore.cli_output import add_output_option, chosen_output
from spcore.findings import Finding, Severity
from spcore.pseudonymise.extract import ExtractError, pseudonymise_extract
from spcore.pseudonymise.keys import UnusableKeyError, read_key, write_new_key
from spcore.wording import by_code, count, finding_line


def register(subparsers: Any) -> None:
    """Add the ``pseudonymise`` sub-command."""
    parser = subparsers.add_parser(
        "pseudonymise",
        help="pseudonymise an extract of case records (NDJSON or CSV) with a keyed hash",
        description=(
            "Replace local case references and NHS numbers with keyed pseudonyms "
            "(HMAC-SHA256), band dates of birth and drop names, addresses and other "
            "identifiers, so the extract passes the case-record schema. Or, with --new-key, "
            "make a key. Records with errors are left out, each named on standard error. "
            + EXIT_STATUSES
        ),
    )
    parser.add_argument(
        "input",
        nargs="?",
        metavar="IN",
        help="identifiable extract: .ndjson, .jsonl, .json or .csv, optionally .gz",
    )
    parser.add_argument(
        "old_output", nargs="?", metavar="OUT", help="(deprecated: use -o) the extract to write"
    )
    add_output_option(
        parser, metavar="OUT", help="pseudonymised extract to write (.csv, else NDJSON)"
    )
    parser.add_argument("--key-file", metavar="KEY", help="the scheme's key file")
    parser.add_argument(
        "--new-key", metavar="KEY", help="write a new random key to KEY (never overwrites)"
    )
    parser.set_defaults(handler=run)


def _print(source: str, finding: Finding) -> None:
    print(finding_line(source, finding), file=sys.stderr)


def _new_key(path: str) -> int:
    try:
        key = write_new_key(path)
    except UnusableKeyError as exc:
        raise CliError(f"{exc.finding.code} {exc}") from None
    print(
        f"spcore: wrote a new {key.length}-byte key to {path} (fingerprint {key.fingerprint}); "
        "keep it secret and keep a copy: without it no pseudonym can be matched again",
        file=sys.stderr,
    )
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Handle ``spcore pseudonymise``."""
    args.output = chosen_output(args, "old_output", command="pseudonymise")
    if args.new_key is not None:
        if args.input or args.output or args.key_file:
            raise CliError("--new-key makes a key and takes no other arguments")
        return _new_key(args.new_key)
    if not (args.input and args.output and args.key_file):
        raise CliError("give IN, -o OUT and --key-file KEY (or --new-key KEY to make a key)")
    if args.output == "-":
        raise CliError("name the file to write with -o; a pseudonymised extract is not printed")
    key_read = read_key(args.key_file)
    for finding in key_read.findings:
        _print(args.key_file, finding)
    if key_read.key is None:
        error = next(f for f in key_read.findings if f.severity is Severity.ERROR)
        raise CliError(f"{error.code} the key cannot be used; nothing was written")
    codes: Counter[str] = Counter()

    def report(finding: Finding) -> None:
        codes[finding.code] += 1
        _print(args.input, finding)

    try:
        summary = pseudonymise_extract(
            args.input,
            args.output,
            args.key_file,  # the path, so the output can be checked against it
            on_finding=report,
        )
    except (ExtractError, UnusableKeyError) as exc:
        raise CliError(f"{exc.finding.code} {exc}") from None
    # Nothing usable written is an input with errors, not a partial output.
    status = EXIT_OK
    if summary.rejected:
        status = EXIT_PARTIAL if summary.written else EXIT_FINDINGS
    findings = f" (findings by code: {by_code(codes)})" if codes else ""
    outcome = {
        EXIT_OK: "every record pseudonymised",
        EXIT_PARTIAL: "the output is valid, but records were left out",
        EXIT_FINDINGS: "no record could be pseudonymised",
    }[status]
    print(
        f"spcore: {count(summary.read, 'record')} read, {summary.written:,} written to "
        f"{args.output}, {summary.rejected:,} left out{findings}; "
        f"{count(summary.warnings, 'warning')}; key fingerprint {summary.key_fingerprint}; "
        f"{outcome} (exit status {status})",
        file=sys.stderr,
    )
    return status
