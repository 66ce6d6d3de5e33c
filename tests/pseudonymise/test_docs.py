"""The pseudonymisation page documents every finding code and every identifying field."""

from __future__ import annotations

import re
from pathlib import Path

from spcore.cases import MAX_LINE_BYTES
from spcore.pseudonymise import IDENTIFIABLE_FIELDS, MIN_KEY_BYTES, PSEUDONYMISE_CODES
from spcore.pseudonymise.identifiable import OLDEST_VERIFIED_AGE
from spcore.pseudonymise.keys import MAX_KEY_FILE_BYTES, MIN_DISTINCT_BYTES

PAGE = (Path(__file__).resolve().parents[2] / "docs" / "pseudonymisation.md").read_text()


def test_code_table_lists_exactly_the_codes() -> None:
    rows = re.findall(r"^\| `(SPC-P\d{3})` \| (error|warning) \|", PAGE, flags=re.MULTILINE)
    assert [code for code, _ in rows] == list(PSEUDONYMISE_CODES)
    for code, severity in rows:
        assert ("(warning)" in PSEUDONYMISE_CODES[code]) == (severity == "warning")


def test_field_table_lists_exactly_the_identifying_fields() -> None:
    section = PAGE.split("## The identifiable case record", 1)[1].split("\n## ", 1)[0]
    fields = re.findall(r"^\| `([a-z_]+)` \| ([^|]+)", section, flags=re.MULTILINE)
    assert [name for name, _ in fields] == list(IDENTIFIABLE_FIELDS)
    for name, action in fields:
        if IDENTIFIABLE_FIELDS[name].action == "dropped":
            assert action.startswith("dropped")


def test_numbers_in_the_page_are_the_code_s() -> None:
    assert f"at least **{MIN_KEY_BYTES} random bytes**" in PAGE
    assert f"fewer than {MIN_DISTINCT_BYTES} different" in PAGE
    assert f"over {MAX_KEY_FILE_BYTES // 1024} KiB" in PAGE
    assert f"longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB" in PAGE
    assert f"older than {OLDEST_VERIFIED_AGE}" in PAGE
