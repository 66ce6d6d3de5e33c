"""Work and Social Adjustment Scale (WSAS).

Source: Mundt, Marks, Shear and Greist (2002). Five items (work, home
management, social leisure, private leisure, close relationships) each rated
0 (not at all impaired) to 8 (very severely impaired); total 0-40. A total
above 20 suggests moderately severe or worse psychopathology; 10-20 is
associated with significant functional impairment but less severe clinical
symptomatology; below 10 with subclinical populations.

The questionnaire lets a person who is retired, or has chosen not to work for
reasons unrelated to their problem, mark the work item as not applicable.
spcore records that as ``work_not_applicable = 1`` with ``work`` left blank.
The published bands are for the five-item total, so such a response has no
``total`` (and no band); ``total_without_work`` (items 2-5, 0-32) is always
given.
"""

from __future__ import annotations

import numpy as np

from spcore.findings import Finding, error, pointer
from spcore.instruments import codes
from spcore.instruments.definitions import Band, InstrumentDefinition, Item, Score, Source
from spcore.instruments.engine import (
    BoolArray,
    Columns,
    FloatArray,
    Instrument,
    Values,
    total,
    total_batch,
)

MUNDT_2002 = Source(
    "mundt-2002",
    "five items rated 0-8; scores above 20 moderately severe or worse, 10-20 significant "
    "functional impairment, below 10 subclinical; work item may be marked not applicable by "
    "people who are retired or choose not to work for reasons unrelated to their problem",
)

_OTHER = ("home_management", "social_leisure", "private_leisure", "relationships")

WSAS_DEFINITION = InstrumentDefinition(
    id="wsas",
    name="Work and Social Adjustment Scale (WSAS)",
    summary=(
        "Five ratings, from 0 (not at all) to 8 (very severely), of how much a person's "
        "problem impairs their ability to work, manage the home, take part in social and "
        "private leisure, and keep close relationships. The total runs from 0 to 40; higher "
        "is worse."
    ),
    items=(
        Item("work", "Ability to work", 0, 8, "mundt-2002", optional=True),
        Item("home_management", "Home management", 0, 8, "mundt-2002"),
        Item("social_leisure", "Social leisure activities", 0, 8, "mundt-2002"),
        Item("private_leisure", "Private leisure activities", 0, 8, "mundt-2002"),
        Item("relationships", "Close relationships", 0, 8, "mundt-2002"),
        Item(
            "work_not_applicable",
            "Retired or not working for reasons unrelated to the problem (1 = yes)",
            0,
            1,
            "mundt-2002",
            optional=True,
        ),
    ),
    missing_data_rule=(
        "Items 2-5 must be answered. The work item must be answered unless "
        "work_not_applicable is 1, in which case it must be blank; then only "
        "total_without_work is given, because the published bands are for the five-item total."
    ),
    scores=(
        Score(
            "total",
            "Total of the five items",
            0,
            40,
            higher_is_better=False,
            source="mundt-2002",
            bands=(
                Band("subclinical", 0, 9, "mundt-2002"),
                Band("significant functional impairment", 10, 20, "mundt-2002"),
                Band("moderately severe or worse", 21, 40, "mundt-2002"),
            ),
        ),
        Score(
            "total_without_work",
            "Total of items 2-5 (home, social, private leisure, relationships)",
            0,
            32,
            higher_is_better=False,
            source="mundt-2002",
        ),
    ),
    headline="total",
    licence=(
        "Published with Mundt et al. (2002), which reproduces the scale. spcore ships the item "
        "domains and scoring facts only; check reuse terms with the publisher before "
        "reproducing the item wording."
    ),
    sources=(MUNDT_2002,),
    notes=(
        "No meaningful-change threshold is given: spcore found no citable published "
        "threshold for individual change.",
    ),
)


def _check(values: Values) -> list[Finding]:
    not_applicable = values["work_not_applicable"] == 1
    work = values["work"]
    if not_applicable and work is not None:
        return [
            error(
                codes.INCONSISTENT_ANSWERS,
                pointer("work"),
                "The work item is answered but work_not_applicable is 1; leave work blank for a "
                "person who is retired or not working for reasons unrelated to their problem.",
            )
        ]
    if not not_applicable and work is None:
        return [
            error(
                codes.MISSING_ANSWER,
                pointer("work"),
                "The answer to work is missing; answer it, or set work_not_applicable to 1 for a "
                "person who is retired or not working for reasons unrelated to their problem.",
            )
        ]
    return []


def _check_batch(columns: Columns) -> BoolArray:
    not_applicable = columns["work_not_applicable"] == 1
    present = ~np.isnan(columns["work"])
    result: BoolArray = np.where(not_applicable, ~present, present)
    return result


def _compute(values: Values, value_set: str | None) -> dict[str, float | None]:
    rest = total(values, _OTHER)
    work = values["work"]
    return {"total_without_work": rest, "total": None if work is None else rest + work}


def _compute_batch(columns: Columns, value_set: str | None) -> dict[str, FloatArray]:
    rest = total_batch(columns, _OTHER)
    # NaN work (not applicable) propagates to a NaN total, as in the scalar path.
    return {"total_without_work": rest, "total": rest + columns["work"]}


WSAS = Instrument(WSAS_DEFINITION, _compute, _compute_batch, _check, _check_batch)
