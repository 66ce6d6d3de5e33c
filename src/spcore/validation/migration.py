"""Returns written for an earlier version of the standard: which one, and what to change.

A return names the version it follows in ``standard_version``. One written
for an earlier version fails the current schema in ways that say little on
their own (a fixed value that differs, fields in the wrong place), so
validation first says which version the return was written for and lists,
place by place, what to change to follow this one (``SPC-S010``). The steps
are the migration notes of ``docs/changelog.md`` as data; a test holds the two
together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

from spcore._version import STANDARD_VERSION
from spcore.findings import Finding, error, pointer
from spcore.instruments.registry import INSTRUMENTS

MIGRATION_CODE = "SPC-S010"


class Step(NamedTuple):
    """One change a return of an earlier version needs, and where the return needs it."""

    summary: str
    places: Callable[[Mapping[str, Any]], Iterator[tuple[str, str]]]


def _version(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    yield (
        "/standard_version",
        f'Set standard_version to "{STANDARD_VERSION}" (and $schema, if given, to '
        f"https://spcore.dev/schema/{STANDARD_VERSION}/quarterly-return.schema.json).",
    )


def _section(data: Mapping[str, Any], *names: str) -> Any:
    node: Any = data
    for name in names:
        node = node.get(name) if isinstance(node, Mapping) else None
    return node


def _staff_morale(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    morale = _section(data, "impact_on_system", "staff_morale")
    if isinstance(morale, Mapping) and "respondents" in morale:
        yield (
            "/impact_on_system/staff_morale",
            "Staff morale is now reported separately for general practice and for other "
            "referral agencies: move respondents, improved, no_change and worse under "
            "staff_morale/general_practice or staff_morale/other_referral_agencies (or one "
            "object under each, if the survey covered both).",
        )


def _categorical(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    summaries = _section(data, "impact_on_person", "instruments")
    if not isinstance(summaries, list):
        return
    for index, summary in enumerate(summaries):
        if not isinstance(summary, Mapping):
            continue
        instrument = INSTRUMENTS.get(str(summary.get("instrument")))
        if instrument is None:
            continue
        definition = instrument.definition
        name = summary.get("score", "score")
        try:
            score = definition.score(definition.headline if name == "score" else str(name))
        except KeyError:
            continue
        if not score.categorical:
            continue
        codes = ", ".join(code for code, _, _ in score.categories())
        yield (
            pointer("impact_on_person", "instruments", index),
            f"{definition.name} '{score.name}' is a category, now summarised without means: "
            "remove mean_baseline, mean_follow_up and people_improved, and give "
            "baseline_by_category and follow_up_by_category (people counted under each of "
            f"{codes}) and people_moved_better and people_moved_worse.",
        )


#: Earlier version -> the steps that bring a return of it up to this version.
MIGRATIONS: dict[str, tuple[Step, ...]] = {
    "0.1": (
        Step("the standard version", _version),
        Step("staff morale by staff group", _staff_morale),
        Step("categorical scores by category", _categorical),
    ),
}


def migration_findings(data: Mapping[str, Any]) -> list[Finding]:
    """``SPC-S010`` findings for a return of an earlier version: which, and what to change.

    Empty for a return of this version, or one whose version spcore does not
    know (the schema reports that).
    """
    written_for = data.get("standard_version")
    steps = MIGRATIONS.get(written_for) if isinstance(written_for, str) else None
    if steps is None:
        return []
    places = [place for step in steps for place in step.places(data)]
    head = (
        f"This return was written for version {written_for} of the standard; spcore "
        f"{STANDARD_VERSION} validates version {STANDARD_VERSION}. "
        f"{len(places)} change{'s' if len(places) != 1 else ''} bring it up to date "
        "(docs/changelog.md, 'Migrating a return'): "
    )
    findings = []
    for index, (path, change) in enumerate(places):
        findings.append(error(MIGRATION_CODE, path, (head if index == 0 else "") + change))
    return findings
