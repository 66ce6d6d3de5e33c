"""The committed instrument pages match what the definitions generate."""

from __future__ import annotations

from pathlib import Path

from spcore.instruments import INSTRUMENT_IDS, get_definition
from spcore.instruments.docs import pages, render_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "instruments"


def test_committed_pages_do_not_drift() -> None:
    expected = pages()
    assert sorted(p.name for p in DOCS.glob("*.md")) == sorted(expected)
    for name, text in expected.items():
        assert (DOCS / name).read_text(encoding="utf-8") == text, (
            f"docs/instruments/{name} is stale: run python -m spcore.instruments.docs "
            "docs/instruments"
        )


def test_every_page_has_the_sections() -> None:
    for instrument in INSTRUMENT_IDS:
        page = render_markdown(get_definition(instrument))
        for section in ("## Licence", "## Items", "## Scoring", "## Bands",
                        "## Meaningful change", "## Sources"):  # fmt: skip
            assert section in page


def test_proprietary_pages_name_the_licensor() -> None:
    assert "Insignia Health" in render_markdown(get_definition("pam"))
    assert "Triangle Consulting" in render_markdown(get_definition("wellbeing-star"))
    assert "EuroQol" in render_markdown(get_definition("eq5d5l"))


def test_registry_ids_match_outcome_instrument_codelist() -> None:
    import csv
    from importlib import resources

    text = (
        resources.files("spcore.framework")
        .joinpath("codelists/outcome-instrument.csv")
        .read_text(encoding="utf-8")
    )
    codes = [row["Code"] for row in csv.DictReader(text.splitlines())]
    assert codes == list(INSTRUMENT_IDS)
