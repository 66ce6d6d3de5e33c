"""The bibliography: every source spcore cites, by citation key.

``sources.csv`` beside this module is the one place where a source's full
reference lives (columns ``Key,Short,Reference,Year,URL,Notes``). Everything
else cites by key plus a locator — ``nhse-cof-2018, "Phase 1 suggested
outputs"`` or ``family-action-2018 Table 1`` — in the codelists' Source column,
schema descriptions, validation rules and instrument definitions; the
documentation's sources page is generated from the file, and reports show the
short reference instead of the key.

A citation is one or more parts separated by ``;``; each part starts with a
key, followed by an optional locator (after a space or a comma). The key
``spcore`` marks a choice this standard made where no source gives the value;
the reason follows it.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
import re
from typing import NamedTuple

#: How a citation key is spelled: lowercase words and numbers joined by hyphens (or dots).
KEY_PATTERN = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")


class BibliographySource(NamedTuple):
    """One published source (or ``spcore`` itself).

    Attributes:
        key: the citation key.
        short: the short reference shown in reports ("Family Action (2018), …").
        reference: the full reference.
        year: year of publication, or empty when the source gives none.
        url: a public address (URL or DOI link), or empty.
        notes: what spcore takes from it, and any caveat about checking it.
    """

    key: str
    short: str
    reference: str
    year: str = ""
    url: str = ""
    notes: str = ""


@functools.cache
def sources() -> dict[str, BibliographySource]:
    """Every source of the bibliography, by key, in file order."""
    text = (
        importlib.resources.files("spcore.framework")
        .joinpath("sources.csv")
        .read_text(encoding="utf-8")
    )
    out: dict[str, BibliographySource] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        key = row["Key"].strip()
        out[key] = BibliographySource(
            key=key,
            short=row["Short"].strip(),
            reference=row["Reference"].strip(),
            year=(row.get("Year") or "").strip(),
            url=(row.get("URL") or "").strip(),
            notes=(row.get("Notes") or "").strip(),
        )
    return out


def source(key: str) -> BibliographySource:
    """The source cited as ``key``.

    Raises:
        KeyError: when ``key`` is not in the bibliography (with a did-you-mean).
    """
    found = sources().get(key)
    if found is None:
        # Imported here: the answers module is small but not needed on the common path.
        from spcore.answers import suggestion

        raise KeyError(f"'{key}' is not a citation key of spcore{suggestion(key, sources())}")
    return found


def cited_keys(citation: str) -> list[str]:
    """The key each part of ``citation`` starts with (or the part's first word when it
    starts with no key-like word, so that a check can report it)."""
    keys: list[str] = []
    for part in citation.split(";"):
        text = part.strip()
        if not text:
            continue
        match = KEY_PATTERN.match(text)
        keys.append(match.group(0) if match else text.split()[0])
    return keys


def unknown_keys(citation: str) -> list[str]:
    """Keys (or leading words) of ``citation`` that are not in the bibliography."""
    known = sources()
    return [key for key in cited_keys(citation) if key not in known]


def _expand_part(part: str) -> str:
    text = part.strip()
    match = KEY_PATTERN.match(text)
    if not match or match.group(0) not in sources():
        return text
    rest = text[match.end() :].lstrip(" ,")
    short = sources()[match.group(0)].short
    return f"{short}, {rest}" if rest else short


def readable(citation: str) -> str:
    """A citation with each key replaced by its short reference, for people to read.

    ``nhse-cof-2018, "Phase 1 suggested outputs"`` becomes ``NHS England (2018),
    Common Outcomes Framework (draft), "Phase 1 suggested outputs"``. Text that
    starts with no known key is left as it is.
    """
    return "; ".join(_expand_part(p) for p in citation.split(";") if p.strip())
