"""The case-extract page documents every column and code; the bundled examples read as stated."""

from __future__ import annotations

import json
import re
from pathlib import Path

from spcore.cases import CASE_CODES, INVALID_KINDS, read_extract
from spcore.cases.csv_layout import columns

ROOT = Path(__file__).parents[2]
PAGE = (ROOT / "docs" / "case-extracts.md").read_text(encoding="utf-8")
EXAMPLES = ROOT / "examples" / "cases"


def test_column_table_is_the_layout() -> None:
    rows = re.findall(r"^\| `([^`]+)` \| (text|boolean|number|json-list) \| (.+) \|$", PAGE, re.M)
    assert rows == [(c.name, c.kind.value, c.title) for c in columns()]


def test_every_code_documented_with_its_meaning() -> None:
    for code, meaning in CASE_CODES.items():
        assert f"| `{code}` | {meaning.rstrip('.').replace(' (a warning)', '')}" in PAGE


def test_every_invalid_kind_documented() -> None:
    for kind in INVALID_KINDS:
        assert f"| `{kind}` |" in PAGE


def test_examples_read_as_documented() -> None:
    ndjson = [i.record for i in read_extract(EXAMPLES / "extract-2025-26.ndjson")]
    csv = [i.record for i in read_extract(EXAMPLES / "extract-2025-26.csv")]
    assert len(ndjson) == 20
    assert None not in ndjson
    assert csv == ndjson
    reader = read_extract(EXAMPLES / "extract-with-problems.ndjson")
    rejected = {i.line: sorted({f.code for f in i.findings}) for i in reader if not i.accepted}
    assert rejected == {
        2: ["SPC-S006"],
        3: ["SPC-S002"],
        4: ["SPC-S004"],
        5: ["SPC-S001"],
        6: ["SPC-S003"],
        7: ["SPC-C003"],
        9: ["SPC-S004"],
        10: ["SPC-S007"],
    }
    assert (reader.summary.read, reader.summary.accepted) == (12, 4)


def test_the_example_extracts_are_what_the_documented_command_writes(tmp_path: Path) -> None:
    from spcore.cli import main

    command = re.search(r"^(spcore synth cases 20 .*?)$", PAGE.replace("\\\n  ", " "), re.M)
    assert command is not None
    words = command.group(1).split()[1:]
    for suffix in (".ndjson", ".csv"):
        out = tmp_path / f"extract{suffix}"
        assert main([*words[:-1], str(out)]) == 0
        bundled = EXAMPLES / f"extract-2025-26{suffix}"
        assert out.read_bytes() == bundled.read_bytes(), (
            f"{bundled} has drifted: run {' '.join(words[:-1])} {bundled}"
        )


def test_the_example_extract_holds_the_fields_of_the_standard() -> None:
    records = [json.loads(line) for line in (EXAMPLES / "extract-2025-26.ndjson").open()]
    text = json.dumps(records)
    for field in (
        "wellbeing_aspects",
        "social_care_package",
        "occupation",
        "income_sources",
        "key_professionals",
        "substance_misuse",
        "health_conditions",
        "risk_assessment",
    ):
        assert f'"{field}"' in text, field
