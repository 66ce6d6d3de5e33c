"""Codelists: one CSV each, feeding the enums and the schemas."""

from __future__ import annotations

import csv
import io
import re

import pytest

from spcore.framework import codelists, enums
from spcore.framework.codelists import CODELISTS, available_csvs, enum_class_name, load


def test_every_csv_is_a_declared_codelist_and_back() -> None:
    assert set(available_csvs()) == set(CODELISTS)


@pytest.mark.parametrize("name", sorted(CODELISTS))
def test_csv_well_formed(name: str) -> None:
    reader = csv.reader(io.StringIO(codelists.csv_text(name)))
    header = next(reader)
    assert header[:4] == ["Code", "Title", "Description", "Source"]
    rows = list(reader)
    assert rows, f"{name}.csv has no codes"
    codes = [r[0] for r in rows]
    assert len(codes) == len(set(codes))
    for row in rows:
        assert all(cell.strip() for cell in row[:4]), row
        official = name in {"gender", "ethnic-category"}
        assert official or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row[0]), row[0]


@pytest.mark.parametrize("name", sorted(CODELISTS))
def test_enum_matches_csv(name: str) -> None:
    enum_cls = getattr(enums, enum_class_name(name))
    assert [m.value for m in enum_cls] == load(name).values()
    first = next(iter(enum_cls))
    assert first.label == load(name).codes[0].title


def test_age_bands_partition_ages() -> None:
    bands = [c for c in load("age-band").values() if c != "unknown"]
    covered: list[int] = []
    for band in bands:
        low, _, high = band.partition("-")
        top = 130 if high == "plus" else int(high)
        covered.extend(range(int(low), top + 1))
    assert covered == list(range(131)), "age bands must cover 0+ without gaps or overlaps"


def test_outcome_instruments_are_the_registry_ids() -> None:
    assert load("outcome-instrument").values() == [
        "swemwbs", "wemwbs", "ons4", "ons-loneliness", "ucla3", "eq5d5l", "eq5d3l",
        "wsas", "phq9", "gad7", "pam", "wellbeing-star", "mycaw", "rotherham8",
    ]  # fmt: skip


def test_outcome_instrument_codelist_equals_registry() -> None:
    from spcore.instruments.registry import INSTRUMENT_IDS

    assert list(INSTRUMENT_IDS) == load("outcome-instrument").values()


def test_each_registry_entry_is_the_instrument_of_that_id() -> None:
    # The registry names where each instrument is defined; the definition's own id decides.
    from spcore.instruments.registry import INSTRUMENTS

    assert [instrument.id for instrument in INSTRUMENTS.values()] == list(INSTRUMENTS)
    assert INSTRUMENTS.get("no-such-instrument") is None
    assert "swemwbs" in INSTRUMENTS
    assert "no-such-instrument" not in INSTRUMENTS


def test_a_registry_lookup_loads_only_its_own_instrument() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from spcore.instruments.registry import INSTRUMENTS\n"
        "INSTRUMENTS['swemwbs']\n"
        "print('spcore.instruments.euroqol' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_instrument_category_codelist_equals_the_registry_categories() -> None:
    from spcore.instruments.registry import INSTRUMENTS

    categories = [
        code
        for instrument in INSTRUMENTS.values()
        for score in instrument.definition.scores
        for code, _, _ in score.categories()
    ]
    assert categories == load("instrument-category").values()


def test_readme_says_which_codelists_are_open_as_the_metadata_does() -> None:
    from pathlib import Path

    readme = Path(__file__).parents[2] / "src/spcore/framework/codelists/README.md"
    rows = re.findall(r"^\| `([a-z-]+)` \|.*\| (open|closed) \|$", readme.read_text(), re.M)
    assert {name for name, _ in rows} == set(CODELISTS)
    for name, state in rows:
        assert CODELISTS[name].open == (state == "open"), name
        if state == "open":
            assert "other" in load(name), f"open codelist {name} needs an 'other' code"


def test_every_retired_code_names_a_live_replacement() -> None:
    from spcore.framework.codelists import all_codelists

    retired = [(c, code) for c in all_codelists() for code in c.codes if code.deprecated]
    assert retired, "the closure reason 'escalated' is retired"
    for codelist, code in retired:
        live = {c.code for c in codelist.codes if not c.deprecated}
        assert code.replacement in live, (codelist.name, code.code, code.deprecated)
