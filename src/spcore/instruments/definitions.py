"""Instrument definitions: small frozen records that say what an instrument is.

A definition carries everything needed to validate a response, explain a score
and document the instrument: its items and their allowed answers, the
missing-data rule, the scores with their ranges, bands, the meaningful-change
threshold where one is published, the licence position and the sources. Every
number in a definition names the :class:`Source` it comes from (``source``
keys), so the documentation can cite it and the tests can check it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs

from spcore.framework import bibliography


class ItemKind(enum.StrEnum):
    """How an answer is recorded."""

    INTEGER = "integer"
    """A whole number between ``minimum`` and ``maximum``."""
    NUMBER = "number"
    """Any number between ``minimum`` and ``maximum`` (for example a PAM score 0-100)."""


def _cited(instance: Any, attribute: Any, value: str) -> None:
    bibliography.source(value)  # raises KeyError for a key the bibliography lacks


@attrs.frozen
class Source:
    """A published source, cited by its key in the bibliography, with what is taken from it.

    The full reference and address live once, in ``spcore/framework/sources.csv``.

    Attributes:
        key: the citation key (an unknown key raises ``KeyError``).
        note: the facts or the section taken from the source, where useful.
    """

    key: str = attrs.field(validator=_cited)
    note: str = ""

    @property
    def citation(self) -> str:
        """The full reference, followed by the note in brackets."""
        reference = bibliography.source(self.key).reference
        return f"{reference} ({self.note})" if self.note else reference

    @property
    def url(self) -> str | None:
        """The source's public address, if it has one."""
        return bibliography.source(self.key).url or None

    def to_dict(self) -> dict[str, Any]:
        """Return the source as a JSON-ready dictionary."""
        return {"key": self.key, "citation": self.citation, "url": self.url, "note": self.note}


@attrs.frozen
class Item:
    """One item (question) of an instrument.

    Attributes:
        id: the item id; also the CSV column name for ``spcore score``.
        label: a short neutral name for the item (never licensed item text).
        minimum, maximum: the allowed range, inclusive.
        kind: whole numbers only, or any number.
        optional: the item may be left blank.
        value_labels: names for coded answers where they are published and free.
        source: key of the :class:`Source` for the range.
    """

    id: str
    label: str
    minimum: float
    maximum: float
    source: str
    kind: ItemKind = ItemKind.INTEGER
    optional: bool = False
    value_labels: Mapping[int, str] = attrs.field(factory=dict, hash=False)

    def allowed_values(self) -> list[int] | None:
        """The allowed answers, listed, for whole-number items (``None`` otherwise)."""
        if self.kind is ItemKind.INTEGER:
            return list(range(int(self.minimum), int(self.maximum) + 1))
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the item as a JSON-ready dictionary."""
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "kind": self.kind.value,
            "minimum": _num(self.minimum),
            "maximum": _num(self.maximum),
            "optional": self.optional,
            "source": self.source,
        }
        allowed = self.allowed_values()
        if allowed is not None:
            out["allowed_values"] = allowed
        if self.value_labels:
            out["value_labels"] = {str(k): v for k, v in sorted(self.value_labels.items())}
        return out


@attrs.frozen
class Band:
    """A labelled band of a score: ``minimum <= score <= maximum``.

    ``minimum``/``maximum`` are inclusive. For scores with decimals the bands
    are contiguous at the published precision (see the score's ``decimals``).
    """

    label: str
    minimum: float
    maximum: float
    source: str

    def to_dict(self) -> dict[str, Any]:
        """Return the band as a JSON-ready dictionary."""
        return {
            "label": self.label,
            "minimum": _num(self.minimum),
            "maximum": _num(self.maximum),
            "source": self.source,
        }


class ChangeKind(enum.StrEnum):
    """How a change threshold was derived, in the words the literature uses."""

    MINIMAL_IMPORTANT_DIFFERENCE = "minimal important difference"
    """Anchor-based: the smallest change people themselves (or clinicians) judge important."""
    STATISTICALLY_IMPORTANT_CHANGE = "statistically important change"
    """Distribution-based: a change larger than measurement error (for example 2.77 SEM);
    it says the change is unlikely to be noise, not that people feel it matters."""
    RELIABLE_CHANGE = "reliable change"
    """Distribution-based: a change larger than the questionnaire's measurement error, as a
    service defines it for routine outcome monitoring."""


@attrs.frozen
class ChangeThreshold:
    """The smallest change in a score that counts as meaningful.

    A paired change counts as improved or worse when its size in the better or
    worse direction is at least ``value`` (``>=``).

    Attributes:
        value: the threshold, in points of ``scale``.
        description: what the threshold is, in a sentence.
        source: citation key of the source.
        kind: how it was derived: a minimal important difference, or a
            distribution-based statistically important or reliable change.
        scale: the score the threshold applies to, in words (for SWEMWBS, the
            metric score or the raw total).
        quote: the source's own words for the threshold, with their locator;
            ``None`` when spcore could not read them (``verification`` says why).
        verification: what spcore could and could not check against the
            published source.
    """

    value: float
    description: str
    source: str
    kind: ChangeKind
    scale: str
    quote: str | None
    verification: str

    def to_dict(self) -> dict[str, Any]:
        """Return the threshold as a JSON-ready dictionary."""
        return {
            "value": _num(self.value),
            "kind": self.kind.value,
            "scale": self.scale,
            "description": self.description,
            "quote": self.quote,
            "verification": self.verification,
            "source": self.source,
        }


@attrs.frozen
class Score:
    """A score an instrument produces.

    Attributes:
        name: the score name; also the output column name.
        label: what the score is, in a few words.
        minimum, maximum: the range of the score.
        higher_is_better: direction, used to class change as improved or worse.
        integer: the score is always a whole number.
        decimals: decimals the score is published with (for display and bands).
        bands: labelled bands, where a citable source gives them.
        change: the meaningful-change threshold, where one is published.
        source: key of the source for the range.
        categorical: the score is an answer category or level whose codes are
            labels in order, not quantities: it is summarised by the people in
            each category (one band per code) and never averaged.
    """

    name: str
    label: str
    minimum: float
    maximum: float
    higher_is_better: bool
    source: str
    integer: bool = True
    decimals: int = 0
    bands: tuple[Band, ...] = ()
    change: ChangeThreshold | None = None
    categorical: bool = False

    def __attrs_post_init__(self) -> None:
        if self.categorical and not (
            self.integer
            and self.bands
            and all(b.minimum == b.maximum for b in self.bands)
            and {int(b.minimum) for b in self.bands}
            == set(range(int(self.minimum), int(self.maximum) + 1))
        ):
            raise ValueError(f"categorical score {self.name} needs one band per whole code")

    def categories(self) -> tuple[tuple[str, int, str], ...]:
        """A categorical score's categories, in code order: (category code, code, label).

        The category code is the band label in lowercase words joined by hyphens
        (``Often/always`` -> ``often-always``, ``level 1`` -> ``level-1``); a return
        counts people under it. Empty for a score that is not categorical.
        """
        if not self.categorical:
            return ()
        ordered = sorted(self.bands, key=lambda b: b.minimum)
        return tuple((category_code(b.label), int(b.minimum), b.label) for b in ordered)

    def category_of(self, value: float) -> str | None:
        """The category code of ``value`` for a categorical score (``None`` otherwise)."""
        for code, number, _ in self.categories():
            if number == value:
                return code
        return None

    def band_for(self, value: float) -> str | None:
        """The band label for ``value``, or ``None`` when the score has no bands."""
        for band in self.bands:
            if band.minimum <= value <= band.maximum:
                return band.label
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the score as a JSON-ready dictionary."""
        return {
            "name": self.name,
            "label": self.label,
            "minimum": _num(self.minimum),
            "maximum": _num(self.maximum),
            "integer": self.integer,
            "decimals": self.decimals,
            "higher_is_better": self.higher_is_better,
            "source": self.source,
            "bands": [b.to_dict() for b in self.bands],
            "change_threshold": self.change.to_dict() if self.change else None,
            "categorical": self.categorical,
            "categories": [
                {"category": code, "code": number, "label": label}
                for code, number, label in self.categories()
            ],
        }


@attrs.frozen
class InstrumentDefinition:
    """Everything spcore knows about one instrument.

    Attributes:
        id: registry id (also the ``outcome-instrument`` codelist code).
        name: full name.
        summary: one paragraph: what it measures and for whom.
        items: the items, in questionnaire order.
        missing_data_rule: what counts as a scorable response.
        scores: the scores produced; ``headline`` names the one reported as
            ``score``.
        licence: who owns it, whether it is free, and where to get a licence.
        sources: every source cited by the items, scores, bands and thresholds.
        notes: further facts for the documentation page.
        value_sets: names of the value sets usable with ``--value-set``.
        default_value_set: the value set used when none is named.
    """

    id: str
    name: str
    summary: str
    items: tuple[Item, ...]
    missing_data_rule: str
    scores: tuple[Score, ...]
    headline: str
    licence: str
    sources: tuple[Source, ...]
    notes: tuple[str, ...] = ()
    value_sets: tuple[str, ...] = ()
    default_value_set: str | None = None

    def item(self, item_id: str) -> Item:
        """The item called ``item_id`` (``KeyError`` if there is none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def score(self, name: str) -> Score:
        """The score called ``name`` (``KeyError`` if there is none)."""
        for score in self.scores:
            if score.name == name:
                return score
        raise KeyError(name)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """The item ids, in order."""
        return tuple(item.id for item in self.items)

    @property
    def headline_score(self) -> Score:
        """The score reported in the ``score`` column."""
        return self.score(self.headline)

    def source(self, key: str) -> Source:
        """The source with ``key`` (``KeyError`` if there is none)."""
        for source in self.sources:
            if source.key == key:
                return source
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """The machine-readable definition printed by ``spcore instruments show``."""
        return {
            "id": self.id,
            "name": self.name,
            "summary": self.summary,
            "items": [item.to_dict() for item in self.items],
            "missing_data_rule": self.missing_data_rule,
            "scores": [score.to_dict() for score in self.scores],
            "headline_score": self.headline,
            "bands": {s.name: [b.to_dict() for b in s.bands] for s in self.scores if s.bands},
            "value_sets": list(self.value_sets),
            "default_value_set": self.default_value_set,
            "licence": self.licence,
            "notes": list(self.notes),
            "sources": [s.to_dict() for s in self.sources],
        }


def category_code(label: str) -> str:
    """A band label as a category code: lowercase words joined by hyphens."""
    return "-".join("".join(c if c.isalnum() else " " for c in label.lower()).split())


def _num(value: float) -> int | float:
    """Write whole floats as integers in JSON (``7`` not ``7.0``)."""
    if float(value).is_integer():
        return int(value)
    return float(value)
