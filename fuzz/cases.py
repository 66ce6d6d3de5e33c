"""Hostile inputs for every spcore entry point, and the checks every run must pass.

Shared by the property tests (``tests/test_fuzz.py``, a few dozen inputs per
entry point, derandomized in CI) and the long run (``python fuzz/run.py``,
hundreds of thousands of inputs). An input is a bundled example mutated by a
handful of edits: bytes deleted, repeated or replaced, and hostile tokens
inserted (lone surrogate escapes, ``NaN``, huge numbers, impossible dates,
deep brackets, key material, formula cells, stray carriage returns, "null ").

Each run is one in-process call of :func:`spcore.cli.main`, checked for:

* no exception escaping (a traceback);
* an exit status of 0, 1, 2 or 3 (3: written and valid, some records left out);
* a reason on standard error, ending ``spcore: ...``, whenever the status is 2;
* no half-written output: with status 2 the output file does not exist, and
  no temporary file is ever left beside it.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import random
from collections.abc import Callable
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]

KEY_HEX = "4cf82fd92f72090e0a7d3fca94f1475aa9c78dbf663c85559dee8d304902fa52"

#: Tokens that have broken a reader before, or could.
TOKENS: tuple[bytes, ...] = (
    b'"\\ud800"',
    b"\\udc00",
    b"NaN",
    b"-Infinity",
    b"1e999",
    b"9" * 5000,
    b"2025-02-30",
    b"[" * 300,
    b"{" * 300,
    b'{"a":1,"a":2}',
    KEY_HEX.encode(),
    b'=HYPERLINK("http://x","y")',
    b"\r",
    b"\r\r\n",
    b"null ",
    b" null",
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"&a [*a, *a]",
    b"!!python/object/apply:os.system ['true']",
    b"943 476 5919",
    b"07700 900123",
    b"DOB 12/03/1961",
    b"\xef\xbb\xbf",
    b"\n\n\n",
    b",,,,,,,,",
    b'"',
    b"\\",
    b"-1",
    b"0",
    b"true",
)


def _read(relative: str, lines: int | None = None) -> bytes:
    data = (ROOT / relative).read_bytes()
    if lines is not None:
        data = b"".join(data.splitlines(keepends=True)[:lines])
    return data


@attrs.frozen
class EntryPoint:
    """One way into spcore: a seed file, the file's name, and the command around it."""

    name: str
    seed: Callable[[], bytes]
    file_name: str
    argv: Callable[[Path, Path], list[str]]
    """The command, given the mutated file and the folder to write in."""
    compress: bool = False


def _key(folder: Path) -> Path:
    key = folder / "scheme.key"
    if not key.exists():
        key.write_text(KEY_HEX + "\n", encoding="ascii")
        key.chmod(0o600)
    return key


ENTRY_POINTS: tuple[EntryPoint, ...] = (
    EntryPoint(
        "validate-json",
        lambda: _read("examples/returns/northshire-connect-2025-26-Q2.json"),
        "return.json",
        lambda f, d: ["validate", str(f), "--today", "2026-01-01", "-o", str(d / "out.txt")],
    ),
    EntryPoint(
        "validate-csv",
        lambda: _read("examples/returns/northshire-connect-2025-26-Q2.csv"),
        "return.csv",
        lambda f, d: ["validate", str(f), "--format", "json", "-o", str(d / "out.json")],
    ),
    EntryPoint(
        "convert-xlsx",
        lambda: _read("examples/returns/northshire-connect-2025-26-Q2.xlsx"),
        "return.xlsx",
        lambda f, d: ["convert", str(f), "-o", str(d / "out.json")],
    ),
    EntryPoint(
        "cases-ndjson",
        lambda: _read("examples/cases/extract-with-problems.ndjson"),
        "extract.ndjson",
        lambda f, d: ["cases", "check", str(f), "-o", str(d / "out.txt")],
    ),
    EntryPoint(
        "cases-csv",
        lambda: _read("examples/cases/extract-2025-26.csv", 6),
        "extract.csv",
        lambda f, d: ["cases", "check", str(f), "--format", "json", "-o", str(d / "out.json")],
    ),
    EntryPoint(
        "cases-gzip",
        lambda: _read("examples/cases/extract-2025-26.ndjson", 5),
        "extract.ndjson.gz",
        lambda f, d: ["cases", "check", str(f), "-o", str(d / "out.txt")],
        compress=True,
    ),
    EntryPoint(
        "cases-gzip-bytes",
        lambda: gzip.compress(_read("examples/cases/extract-2025-26.ndjson", 5), mtime=0),
        "extract.ndjson.gz",
        lambda f, d: ["cases", "check", str(f), "-o", str(d / "out.txt")],
    ),
    EntryPoint(
        "aggregate",
        lambda: _read("examples/cases/extract-2025-26.ndjson", 8),
        "extract.ndjson",
        lambda f, d: ["aggregate", str(f), "--quarter", "2025-26Q2", "-o", str(d / "r.json")],
    ),
    EntryPoint(
        "facts",
        lambda: _read("examples/cases/scheme-facts.yaml"),
        "facts.yaml",
        lambda f, d: [
            "aggregate",
            str(ROOT / "examples/cases/extract-2025-26.ndjson"),
            "--quarter",
            "2025-26Q2",
            "--facts",
            str(f),
            "-o",
            str(d / "r.json"),
        ],
    ),
    EntryPoint(
        "rules-yaml",
        lambda: _read("examples/rules/secondary-care.yaml"),
        "rules.yaml",
        lambda f, d: ["eligibility", "--rules", str(f)],
    ),
    EntryPoint(
        "rules-json",
        lambda: (
            b'{"id": "r", "title": "T", "rule": {"all": [{"age": {"at_least": 18}},'
            b' {"lives_alone": true}]}}'
        ),
        "rules.json",
        lambda f, d: ["eligibility", "--rules", str(f)],
    ),
    EntryPoint(
        "people-csv",
        lambda: _read("examples/rules/people.csv", 4),
        "people.csv",
        lambda f, d: [
            "eligibility",
            "--rules",
            str(ROOT / "examples/rules/secondary-care.yaml"),
            str(f),
            "--as-of",
            "2025-09-01",
            "-o",
            str(d / "out.csv"),
        ],
    ),
    EntryPoint(
        "score-csv",
        lambda: (
            b"id,item_1,item_2,item_3,item_4,item_5,item_6,item_7\n"
            b"A,3,4,3,2,4,3,3\nB,5,5,4,4,3,3,5\nC,1,,2,2,1,2,1\n"
        ),
        "answers.csv",
        lambda f, d: ["score", "swemwbs", str(f), "-o", str(d / "out.csv")],
    ),
    EntryPoint(
        "score-eq5d",
        lambda: b"id,profile\nA,11111\nB,21345\nC,55555\n",
        "profiles.csv",
        lambda f, d: ["score", "eq5d5l", str(f), "-o", str(d / "out.csv")],
    ),
    EntryPoint(
        "pseudonymise",
        lambda: _read("examples/cases/identifiable-extract.ndjson"),
        "identifiable.ndjson",
        lambda f, d: [
            "pseudonymise",
            str(f),
            "-o",
            str(d / "out.ndjson"),
            "--key-file",
            str(_key(d)),
        ],
    ),
    EntryPoint(
        "rag-csv",
        lambda: _read("examples/rag/assessments.csv", 4),
        "assessments.csv",
        lambda f, d: ["rag", str(f), "-o", str(d / "out.csv")],
    ),
    EntryPoint(
        "directory-json",
        lambda: _read("examples/directory/northshire-community-groups.json"),
        "directory.json",
        lambda f, d: ["directory", "check", str(f)],
    ),
    EntryPoint(
        "gp-events-csv",
        lambda: (
            b"person_id,date,code,practice,pcn\n"
            b"1,2025-07-01,871731000000106,A81001,U1\n"
            b"2,2025-08-12,871711000000103,A81001,U1\n"
        ),
        "events.csv",
        lambda f, d: ["gp", "referrals", str(f), "-o", str(d / "out.csv")],
    ),
    EntryPoint(
        "fhir-responses",
        lambda: (
            b'{"resourceType": "QuestionnaireResponse", "id": "r1", "status": "completed", '
            b'"questionnaire": "https://spcore.dev/fhir/Questionnaire/ucla3", '
            b'"item": [{"linkId": "lack_companionship", "answer": [{"valueInteger": 1}]}, '
            b'{"linkId": "left_out", "answer": [{"valueInteger": 2}]}, '
            b'{"linkId": "isolated", "answer": [{"valueInteger": 3}]}]}\n'
        ),
        "responses.ndjson",
        lambda f, d: ["fhir", "score", str(f), "-o", str(d / "out.csv")],
    ),
    EntryPoint(
        "key-file",
        lambda: KEY_HEX.encode() + b"\n",
        "mutated.key",
        lambda f, d: [
            "pseudonymise",
            str(ROOT / "examples/cases/identifiable-extract.ndjson"),
            "-o",
            str(d / "out.ndjson"),
            "--key-file",
            str(f),
        ],
    ),
)


def mutate(seed: bytes, rng: random.Random, edits: int | None = None) -> bytes:
    """``seed`` after a few random edits (see the module)."""
    data = bytearray(seed)
    for _ in range(edits if edits is not None else rng.randint(1, 4)):
        where = rng.randint(0, len(data))
        roll = rng.random()
        if roll < 0.45:
            data[where:where] = rng.choice(TOKENS)
        elif roll < 0.6 and data:
            del data[where : where + rng.randint(1, 64)]
        elif roll < 0.75 and data:
            data[where : where + 1] = bytes([rng.randint(0, 255)])
        elif roll < 0.85 and data:
            piece = bytes(data[where : where + rng.randint(1, 200)])
            data[where:where] = piece * rng.randint(1, 50)
        else:
            data = data[: rng.randint(0, len(data))]  # truncated
    return bytes(data)


@attrs.frozen
class Outcome:
    """What one run did, and what was wrong with it (empty when nothing)."""

    status: int | None
    problems: tuple[str, ...]
    stderr: str


def run_one(entry: EntryPoint, content: bytes, folder: Path) -> Outcome:
    """Write ``content`` as the entry point's input in ``folder``, run it, check the rules."""
    from spcore.cli import main

    for old in folder.iterdir():
        if old.name != "scheme.key" or entry.name == "key-file":
            old.unlink()
    target = folder / entry.file_name
    target.write_bytes(gzip.compress(content, mtime=0) if entry.compress else content)
    argv = entry.argv(target, folder)
    output = Path(argv[argv.index("-o") + 1]) if "-o" in argv else None
    out, err = io.StringIO(), io.StringIO()
    problems: list[str] = []
    status: int | None = None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse refusing the command line
            status = exc.code if isinstance(exc.code, int) else 2
        except Exception as exc:  # a traceback is what is looked for
            problems.append(f"traceback: {type(exc).__name__}: {exc}"[:300])
    stderr = err.getvalue()
    if status is not None and status not in (0, 1, 2, 3):  # spcore.cli.EXIT_STATUSES
        problems.append(f"exit status {status}")
    if status == 2:
        last = stderr.strip().splitlines()[-1] if stderr.strip() else ""
        if not last.startswith("spcore"):
            problems.append("exit status 2 without a reason on standard error")
        if output is not None and output.exists() and entry.name.startswith(("cases", "validate")):
            pass  # a report of an unreadable file is still a report
        elif output is not None and output.exists():
            problems.append(f"exit status 2 but {output.name} was written")
    leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".part")]
    if leftovers:
        problems.append(f"temporary files left: {leftovers}")
    return Outcome(status, tuple(problems), stderr)
