"""The instrument pages (generated when the documentation site is built) say what they must."""

from __future__ import annotations

from spcore.instruments import INSTRUMENT_IDS, get_definition
from spcore.instruments.docs import render_markdown


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
