"""The bibliography: every cited key is known, and no document speaks of seed numbers."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import spcore.validation
from spcore.docs_site.bibliography import DOMAIN_KEYS, sources_page
from spcore.framework import bibliography, codelists
from spcore.framework.bibliography import KEY_PATTERN, readable, sources, unknown_keys
from spcore.instruments.registry import definitions

REPO = Path(__file__).resolve().parents[2]
#: A key with a year, as it appears in prose: "family-action-2018", "shah-2018".
YEAR_KEY = re.compile(r"(?<![\w/.-])([a-z]+(?:-[a-z0-9]+)*-(?:19|20)\d\d)(?![\w-])")
#: "seed 002", "Seed 000" and the bare source numbers the old citations used ("(002", "000 ").
SEED = re.compile(r"seed\s*0\d\d", re.IGNORECASE)
BARE_NUMBER = re.compile(r"(?<![\d\w.,/:-])(?<!\d )00[0-4](?![\d.,]| \d)")


def test_file_is_well_formed() -> None:
    text = (REPO / "src" / "spcore" / "framework" / "sources.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["Key", "Short", "Reference", "Year", "URL", "Notes"]
    keys = [r["Key"] for r in rows]
    assert len(keys) == len(set(keys))
    for row in rows:
        assert KEY_PATTERN.fullmatch(row["Key"]), row["Key"]
        assert row["Short"].strip()
        assert row["Reference"].strip()
        assert not row["URL"] or row["URL"].startswith(("https://", "http://"))
        assert not row["Year"] or re.fullmatch(r"(19|20)\d\d", row["Year"])
    assert set(DOMAIN_KEYS) | {"spcore"} <= set(keys)


def test_unknown_key_is_refused_with_a_suggestion() -> None:
    with pytest.raises(KeyError, match="did you mean 'family-action-2018'"):
        bibliography.source("family-action-2017")
    assert unknown_keys("NHS Data Dictionary; hlp-2017 §2.1") == ["NHS"]


def test_every_codelist_source_cites_known_keys() -> None:
    bad = [
        (name, code.code, code.source)
        for name in codelists.CODELISTS
        for code in codelists.load(name).codes
        if unknown_keys(code.source)
    ]
    assert bad == []


def test_every_validation_rule_cites_known_keys() -> None:
    rules: Any = getattr(spcore.validation, "RULES", {})
    values = rules.values() if isinstance(rules, dict) else rules
    bad = [(r.code, r.source) for r in values if not r.source or unknown_keys(r.source)]
    assert bad == []


def test_every_instrument_source_and_threshold_is_in_the_bibliography() -> None:
    for definition in definitions():
        keys = {s.key for s in definition.sources}
        assert keys <= set(sources()), definition.id
        for score in definition.scores:
            cited = [score.source, *(b.source for b in score.bands)]
            if score.change:
                cited.append(score.change.source)
            assert set(cited) <= keys, (definition.id, score.name)
        for item in definition.items:
            assert item.source in keys, (definition.id, item.id)


def _descriptions(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("description", "title") and isinstance(value, str):
                yield value
            else:
                yield from _descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _descriptions(value)


def _texts() -> Iterator[tuple[Path, str]]:
    for folder in ("src", "schemas", "docs", "examples"):
        for path in (REPO / folder).rglob("*"):
            wanted = path.suffix in (".py", ".md", ".csv", ".json", ".yaml", ".yml", ".txt")
            if wanted and "__pycache__" not in path.parts:
                yield path, path.read_text(encoding="utf-8")
    yield REPO / "README.md", (REPO / "README.md").read_text(encoding="utf-8")


def test_every_key_with_a_year_is_known() -> None:
    known = set(sources())
    bad = []
    for path, text in _texts():
        if path.suffix == ".json":
            with contextlib.suppress(json.JSONDecodeError):
                text = "\n".join(_descriptions(json.loads(text)))
        bad += [(str(path.relative_to(REPO)), k) for k in YEAR_KEY.findall(text) if k not in known]
    assert bad == []


def test_no_seed_numbers_anywhere() -> None:
    found = []
    for path, text in _texts():
        for number, line in enumerate(text.splitlines(), 1):
            if SEED.search(line) and "--seed" not in line:
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()[:80]}")
            if path.suffix in (".md", ".csv") and BARE_NUMBER.search(line):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()[:80]}")
    assert found == []


def test_sources_page_lists_every_source() -> None:
    page = sources_page()
    for key, source in sources().items():
        assert f"\n## {key}\n" in page
        assert source.short in page
    assert page.index("## nhse-cof-2018") < page.index("## shah-2018")


def test_readable_replaces_keys_with_short_references() -> None:
    text = readable("nhse-cof-2018, 'Phase 1 suggested outputs'; spcore, a choice")
    assert text.startswith("NHS England (2018)")
    assert "'Phase 1 suggested outputs'" in text
    assert "nhse-cof-2018" not in text
    assert readable("not a key at all") == "not a key at all"
