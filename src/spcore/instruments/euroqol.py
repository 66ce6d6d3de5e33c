"""EQ-5D-5L and EQ-5D-3L in the registry, built on :mod:`spcore.instruments.eq5d`.

The value sets, profile parsing and index arithmetic live in
:mod:`spcore.instruments.eq5d`; this module only presents them as registry
instruments so that ``spcore instruments show``, ``spcore score`` and
:func:`spcore.instruments.score_batch` treat EQ-5D like every other instrument.

A response gives the five dimension answers as item columns (``mobility`` ...
``anxiety_depression``) or as a single ``profile`` column (``"11223"``), and
optionally ``vas`` (EQ VAS, 0-100). The headline score is the index from the
chosen value set (``--value-set``; default per version from
:mod:`spcore.instruments.eq5d`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from spcore.findings import Finding, error, pointer
from spcore.instruments import codes, eq5d
from spcore.instruments.definitions import InstrumentDefinition, Item, Score, Source
from spcore.instruments.engine import (
    BoolArray,
    Columns,
    FloatArray,
    Instrument,
    ObjectArray,
    Values,
    parse_answer,
)

EUROQOL = Source(
    "euroqol",
    "five dimensions (mobility, self-care, usual activities, pain/discomfort, "
    "anxiety/depression), five or three levels, and the EQ VAS from 0 to 100",
)
FAMILY_ACTION_2018 = Source(
    "family-action-2018",
    "'EQ-5D-5L – EuroQol': five dimensions, each divided into five levels, and a "
    "visual analogue scale",
)

_DIMENSION_IDS = tuple(d.id for d in eq5d.DIMENSIONS)
_LICENCE = (
    "Proprietary: the EQ-5D is the property of the EuroQol Research Foundation. Using it needs "
    "registration and, for most uses, a licence (https://euroqol.org/). spcore ships dimension "
    "names, level counts and published value-set coefficients only, never the questionnaire "
    "wording or level labels."
)


def _value_set_source(vs: eq5d.ValueSet) -> Source:
    return Source(f"value-set-{vs.id}")


def _definition(version: str) -> InstrumentDefinition:
    levels = eq5d.LEVELS[version]
    sets = tuple(sorted(vs_id for vs_id, vs in eq5d.VALUE_SETS.items() if vs.version == version))
    default = eq5d.DEFAULT_5L_VALUE_SET if version == "5L" else eq5d.DEFAULT_3L_VALUE_SET
    lowest = min(eq5d.VALUE_SETS[s].min_index for s in sets)
    notes = [
        "Index range by value set: "
        + "; ".join(f"{s} {eq5d.VALUE_SETS[s].min_index:.3f} to 1.000" for s in sets)
        + ". The index is always reported with the value set used.",
        "No meaningful-change threshold is given for the index: spcore found no single "
        "citable threshold.",
        "Findings about the profile itself come from spcore.instruments.eq5d (codes "
        "SPC-I101 to SPC-I110).",
    ]
    return InstrumentDefinition(
        id=f"eq5d{version.lower()}",
        name=f"EQ-5D-{version}",
        summary=(
            f"A generic measure of health status: five dimensions (mobility, self-care, usual "
            f"activities, pain/discomfort, anxiety/depression) each answered on {levels} "
            "levels, giving a profile such as 11223 that a value set turns into an index "
            "(1 = full health, 0 = dead, below 0 = worse than dead), plus the EQ VAS, the "
            "person's own rating of their health today from 0 to 100."
        ),
        items=(
            *tuple(
                Item(d.id, d.name, 1, levels, "euroqol", optional=True) for d in eq5d.DIMENSIONS
            ),
            Item("vas", "EQ VAS (0-100)", eq5d.VAS_MIN, eq5d.VAS_MAX, "euroqol", optional=True),
        ),
        missing_data_rule=(
            "All five dimensions must be answered, either as the five item columns or as one "
            "5-digit 'profile'; if both are given they must agree. The EQ VAS is optional and "
            "scored on its own."
        ),
        scores=(
            Score(
                "index",
                "Index value from the value set",
                round(lowest, 3),
                1,
                higher_is_better=True,
                source=f"value-set-{default}",
                integer=False,
                decimals=3,
            ),
            Score("vas", "EQ VAS", 0, 100, higher_is_better=True, source="euroqol"),
        ),
        headline="index",
        licence=_LICENCE,
        sources=(
            EUROQOL,
            FAMILY_ACTION_2018,
            *tuple(_value_set_source(eq5d.VALUE_SETS[s]) for s in sets),
        ),
        notes=tuple(notes),
        value_sets=sets,
        default_value_set=default,
    )


def _resolve(version: str, value_set: str | None) -> eq5d.ValueSet:
    if value_set is None:
        return eq5d.default_value_set(version)
    return eq5d.VALUE_SETS[value_set]


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def _make(version: str) -> Instrument:
    definition = _definition(version)

    def prepare(answers: dict[str, Any]) -> tuple[dict[str, Any], list[Finding]]:
        raw_profile = answers.get("profile")
        if _is_blank(raw_profile):
            return answers, []
        profile, findings = eq5d.parse_profile(raw_profile, version, path=pointer("profile"))
        if profile is None:
            return answers, findings
        filled = dict(answers)
        for dim_id, level in zip(_DIMENSION_IDS, profile, strict=True):
            given = answers.get(dim_id)
            if not _is_blank(given):
                value, _ = parse_answer(given)
                if value != level:
                    findings.append(
                        error(
                            codes.INCONSISTENT_ANSWERS,
                            pointer(dim_id),
                            f"The {dim_id} answer {given!r} does not match the profile "
                            f"{raw_profile!r}, which gives {level}.",
                        )
                    )
            filled[dim_id] = level
        return filled, findings

    def prepare_batch(columns: dict[str, Any], n: int) -> dict[str, Any]:
        ok: BoolArray = np.ones(n, dtype=bool)
        out = dict(columns)
        if "profile" not in columns:
            out["__ok__"] = ok
            return out
        # A profile column arrives from CSV or a spreadsheet, not a hot path: read it row
        # by row with the same parser as the scalar path.
        profiles: ObjectArray = np.asarray(columns["profile"], dtype=object)
        filled = {
            d: np.asarray(columns[d], dtype=object).copy()
            if d in columns
            else np.full(n, None, dtype=object)
            for d in _DIMENSION_IDS
        }
        for i, raw in enumerate(profiles.tolist()):
            row = {d: filled[d][i] for d in _DIMENSION_IDS}
            row["profile"] = raw
            prepared, findings = prepare(row)
            if findings:
                ok[i] = False
                continue
            for d in _DIMENSION_IDS:
                filled[d][i] = prepared.get(d)
        out.update(filled)
        out["__ok__"] = ok
        return out

    def check(values: Values) -> list[Finding]:
        return [
            error(
                codes.MISSING_ANSWER,
                pointer(d),
                f"The answer to {d} is missing; give all five dimensions or a 5-digit profile.",
            )
            for d in _DIMENSION_IDS
            if values[d] is None
        ]

    def check_batch(columns: Columns) -> BoolArray:
        ok: BoolArray = np.ones(len(columns["vas"]), dtype=bool)
        for d in _DIMENSION_IDS:
            ok &= ~np.isnan(columns[d])
        return ok

    def compute(values: Values, value_set: str | None) -> dict[str, float | None]:
        profile = tuple(int(values[d] or 0) for d in _DIMENSION_IDS)
        return {"index": _resolve(version, value_set).index(profile), "vas": values["vas"]}

    def compute_batch(columns: Columns, value_set: str | None) -> dict[str, FloatArray]:
        levels = np.column_stack([columns[d] for d in _DIMENSION_IDS]).astype(np.int64)
        index = _resolve(version, value_set).index_batch(levels)
        return {"index": index, "vas": columns["vas"]}

    return Instrument(
        definition,
        compute,
        compute_batch,
        check=check,
        check_batch=check_batch,
        extra_inputs=("profile",),
        prepare=prepare,
        prepare_batch=prepare_batch,
    )


EQ5D5L = _make("5L")
EQ5D3L = _make("3L")
