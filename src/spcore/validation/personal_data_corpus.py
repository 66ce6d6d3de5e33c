"""How well the personal-data scanner does: a corpus of spellings, and ordinary text.

The **positives** are personal data written the ways people write it (every
spelling the scanner is meant to find: NHS numbers with any separator, any
grouping or Unicode digits; telephone numbers in national, international and
dotted forms; postcodes in any case; dates of birth after each label), each
inside a sentence. The numbers are ones that reach no one: NHS numbers from
the ranges the NHS leaves unissued for testing are not used (they fail
Modulus 11 rarely enough to matter); instead valid-check numbers are built
here, and telephone numbers are from Ofcom's ranges reserved for drama.

The **negatives** are ordinary text spcore ships: every string of the
bundled example return, case extracts, rule and facts files, and every title
and description of the codelists. None is personal data, so any match there
is a false alarm.

``docs/personal-data.md`` shows :func:`rates_table`; a test keeps the two
equal, so the published rates cannot drift from what the scanner does. When
the examples or codelists change, ``python -m
spcore.validation.personal_data_corpus docs/personal-data.md`` (from the
source tree) writes the table again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from spcore import strict_json
from spcore.framework.nhs_number import check_digit
from spcore.validation.personal_data import Kind, scan_text

_CONTEXTS = ("{}", "Seen on Tuesday; {} noted in the file.", "({})")


def _nhs_numbers() -> list[str]:
    numbers = []
    for stem in ("943476591", "401023213", "485777345"):
        digit = check_digit(stem)
        if digit is not None:
            numbers.append(stem + str(digit))
    return numbers


def _digits_in(script_zero: int, text: str) -> str:
    return "".join(chr(script_zero + int(c)) if c.isdigit() else c for c in text)


def _nhs_spellings(number: str) -> Iterator[str]:
    a, b, c = number[:3], number[3:6], number[6:]
    for sep in (" ", "\u00a0", "\u2009", "\u202f", "\t", ".", "/", "-", "\u2013", ""):
        yield f"{a}{sep}{b}{sep}{c}"
    yield f"{number[:4]} {number[4:7]} {number[7:]}"  # 4-3-3
    yield f"{number[:4]}-{number[4:7]}-{number[7:]}"
    for zero in (0xFF10, 0x0660, 0x06F0, 0x0966):  # fullwidth, Arabic-Indic, Persian, Devanagari
        yield _digits_in(zero, f"{a} {b} {c}")
    yield f"NHS no. {a} {b} {c}"
    yield f"{a} - {b} - {c}"  # spaced hyphens: a known miss
    yield f"{a}  {b}  {c}"


_PHONES = (
    "(01632) 960000",
    "01632 960000",
    "01632960000",
    "0044 1632 960000",
    "+44 1632 960000",
    "+44-1632-960000",
    "+44 (0)1632 960000",
    "01632.960.000",
    "0113 496 0000",
    "0113-496-0000",
    "020 7946 0000",
    "(020) 7946 0000",
    "+44 20 7946 0000",
    "07700 900123",
    "07700-900-123",
    "07700.900.123",
    "+447700900123",
    "0044 7700 900123",
    "+44 (0) 7700 900123",
    "07700\u00a0900123",
    "\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13",
)

_POSTCODES = (
    "LS1 4AP",
    "ls1 4ap",
    "Ls1 4aP",
    "LS14AP",
    "SW1A 2AA",
    "sw1a2aa",
    "EC1Y 8SY",
    "m1 1ae",
    "B33 8TH",
    "CR2 6XH",
    "DN55 1PT",
    "\uff2c\uff33\uff11 \uff14\uff21\uff30",
    "LS1\u00a04AP",
)

_DATES_OF_BIRTH = (
    "DOB: 12 Mar 61",
    "dob 12-Mar-1961",
    "DOB 1961/03/12",
    "b. 12/03/1961",
    "Date-of-birth: 12/03/1961",
    "date of birth 12.03.1961",
    "D.O.B. 12/3/61",
    "DOB\t12/03/1961",
    "born 12 March 1961",
    "born on March 12th, 1961",
    "Birth date: 1961-03-12",
    "birthdate 12-03-1961",
    "DOB 12th Mar. 1961",
    "D O B 12/03/61",
    "dob: \uff11\uff12/\uff10\uff13/\uff11\uff19\uff16\uff11",
    "born in March 1961",  # a month and year only: a known miss
    "DOB 12 III 1961",  # a Roman month: a known miss
)

_EMAILS = ("jane.smith@example.org", "j.smith+sp@nhs.example.co.uk", "JO@EXAMPLE.ORG")


def positives() -> list[tuple[Kind, str]]:
    """Every spelling of personal data the scanner is meant to find, in its contexts."""
    spellings: list[tuple[Kind, str]] = []
    for number in _nhs_numbers():
        spellings += [(Kind.NHS_NUMBER, s) for s in _nhs_spellings(number)]
    spellings += [(Kind.PHONE, s) for s in _PHONES]
    spellings += [(Kind.POSTCODE, s) for s in _POSTCODES]
    spellings += [(Kind.DATE_OF_BIRTH, s) for s in _DATES_OF_BIRTH]
    spellings += [(Kind.EMAIL, s) for s in _EMAILS]
    return [(kind, context.format(s)) for kind, s in spellings for context in _CONTEXTS]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def negatives(root: Path | None = None) -> list[str]:
    """Ordinary text spcore ships: the bundled examples' strings and the codelists' words.

    ``root`` is the source tree (for ``examples/``); without it only the
    codelists, which are installed with the package, are used.
    """
    texts: list[str] = []
    folder = resources.files("spcore.framework").joinpath("codelists")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".csv"):
            for row in csv.DictReader(entry.read_text(encoding="utf-8").splitlines()):
                texts += [v for k, v in row.items() if k in ("Title", "Description") and v]
    if root is not None:
        examples = root / "examples"
        for path in sorted(examples.rglob("*")):
            if "identifiable" in path.name or "invalid" in path.parts or not path.is_file():
                continue  # the identifiable extract and invalid returns hold it on purpose
            if path.suffix in (".json", ".ndjson"):
                for line in path.read_text(encoding="utf-8").split(
                    "\n" if path.suffix == ".ndjson" else "\x00"
                ):
                    try:
                        texts += _strings(strict_json.loads(line))
                    except strict_json.StrictJsonError:
                        continue  # a line broken on purpose (the extract of problems)
            elif path.suffix in (".yaml", ".csv"):
                texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    return sorted(set(texts))


@attrs.frozen
class Rates:
    """Detection per kind (found, of) and false alarms (alarms, of)."""

    found: dict[Kind, tuple[int, int]]
    alarms: int
    negatives: int
    missed: tuple[str, ...]


def measure(root: Path | None = None) -> Rates:
    """Run the scanner over the corpus: what it finds of the positives, and of the negatives."""
    found: dict[Kind, list[int]] = {kind: [0, 0] for kind in Kind}
    missed = []
    for kind, text in positives():
        found[kind][1] += 1
        if any(m.kind is kind for m in scan_text(text)):
            found[kind][0] += 1
        else:
            missed.append(text)
    texts = negatives(root)
    alarms = sum(1 for text in texts if scan_text(text))
    return Rates({k: (v[0], v[1]) for k, v in found.items()}, alarms, len(texts), tuple(missed))


def rates_table(rates: Rates) -> str:
    """The Markdown table of the rates, as ``docs/personal-data.md`` shows it."""
    lines = ["| kind | spellings found | detection rate |", "|---|---:|---:|"]
    for kind, (hit, total) in rates.found.items():
        lines.append(f"| {kind.value} | {hit} of {total} | {100 * hit / total:.1f}% |")
    hit = sum(h for h, _ in rates.found.values())
    total = sum(t for _, t in rates.found.values())
    lines.append(f"| **all** | {hit} of {total} | {100 * hit / total:.1f}% |")
    share = 100 * rates.alarms / rates.negatives if rates.negatives else 0.0
    lines += [
        "",
        "| ordinary texts | false alarms | false-positive rate |",
        "|---:|---:|---:|",
        f"| {rates.negatives} | {rates.alarms} | {share:.2f}% |",
    ]
    return "\n".join(lines)


#: The markers around the table in ``docs/personal-data.md``.
START, END = "<!-- rates:start -->\n", "\n<!-- rates:end -->"


def with_table(page: str, table: str) -> str:
    """``page`` with the text between the rates markers replaced by ``table``."""
    head, _, rest = page.partition(START)
    _, _, tail = rest.partition(END)
    return head + START + table + END + tail


def main(argv: list[str] | None = None) -> int:
    """Measure from the source tree and write the table into the page named in ``argv``."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m spcore.validation.personal_data_corpus PAGE.md", file=sys.stderr)
        return 2
    page = Path(args[0])
    text = page.read_text(encoding="utf-8")
    root = page.resolve().parent.parent
    page.write_text(with_table(text, rates_table(measure(root))), encoding="utf-8")
    print(f"wrote the rates into {page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
