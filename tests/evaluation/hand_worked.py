"""A hand-worked extract for the evaluation tests, and what it should give."""

from __future__ import annotations

from typing import Any

from tests.aggregation.builders import case

from spcore.framework.case_record import CaseRecord

B, F = "baseline", "follow-up"

ROTHERHAM_L = ([1, 2, 3, 4, 5, 2, 2, 3], [2, 2, 4, 4, 5, 3, 1, 3])
ROTHERHAM_M = ([2] * 8, [3] * 8)


def _rotherham(before: list[int], after: list[int], count: int = 8) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for n in range(1, count + 1):
        out.append(("rotherham8", B, "2025-05-01", before[n - 1], f"measure_{n}"))
        out.append(("rotherham8", F, "2025-08-15", after[n - 1], f"measure_{n}"))
    return out


def extract() -> list[CaseRecord]:
    """Records referred in 2025-26 Q1 (and one before it), each a case the tests reason about.

    SWEMWBS (headline metric score, meaningful change 2.87): A +4 improved, B -1 no change,
    C -4 worse, G +3 improved (earliest of two baselines); D has only a follow-up sooner than
    three months, E no follow-up, F no baseline. PAM levels: A 1->3, B 2->2, C 3->2.
    """
    return [
        case(
            "CASE-A",
            "2025-04-10",
            person="PERSON-1",
            age="18-24",
            criteria=("long-term-condition", "carer"),
            ratings=[("2025-04-10", "green")],
            measures=[
                ("swemwbs", B, "2025-04-15", 17.0),
                ("swemwbs", F, "2025-06-01", 30.0),
                ("swemwbs", F, "2025-07-20", 21.0),
                ("pam", B, "2025-04-15", 1),
                ("pam", F, "2025-07-20", 3),
            ],
        ),
        case(
            "CASE-B",
            "2025-04-20",
            age="18-24",
            ratings=[("2025-04-20", "green"), ("2025-05-01", "amber")],
            measures=[
                ("swemwbs", B, "2025-04-25", 20.0),
                ("swemwbs", F, "2025-08-01", 19.0),
                ("pam", B, "2025-04-25", 2),
                ("pam", F, "2025-08-01", 2),
            ],
        ),
        case(
            "CASE-C",
            "2025-05-02",
            age="25-34",
            criteria=("carer",),
            measures=[
                ("swemwbs", B, "2025-05-03", 22.0),
                ("swemwbs", F, "2025-09-10", 18.0),
                ("pam", B, "2025-05-03", 3),
                ("pam", F, "2025-09-10", 2),
            ],
        ),
        case(
            "CASE-D",
            "2025-05-05",
            age="25-34",
            measures=[("swemwbs", B, "2025-05-06", 15.0), ("swemwbs", F, "2025-06-01", 25.0)],
        ),
        case("CASE-E", "2025-05-10", measures=[("swemwbs", B, "2025-05-10", 18.0)]),
        case("CASE-F", "2025-05-12", measures=[("swemwbs", F, "2025-09-12", 18.0)]),
        case(
            "CASE-G",
            "2025-06-01",
            measures=[
                ("swemwbs", B, "2025-06-05", 30.0),
                ("swemwbs", B, "2025-06-02", 16.0),
                ("swemwbs", F, "2025-09-15", 19.0),
            ],
        ),
        case(
            "CASE-H",
            "2025-06-02",
            rejected=("2025-06-03", "declined-by-person"),
            measures=[("swemwbs", B, "2025-06-03", 10.0)],
        ),
        case("CASE-A", "2025-06-03", measures=[("swemwbs", B, "2025-06-03", 10.0)]),
        case(
            "CASE-J",
            "2025-06-20",
            person="PERSON-1",
            measures=[("swemwbs", B, "2025-06-21", 10.0), ("swemwbs", F, "2025-10-01", 25.0)],
        ),
        case(
            "CASE-K",
            "2024-12-01",
            measures=[("swemwbs", B, "2024-12-02", 10.0), ("swemwbs", F, "2025-04-01", 25.0)],
        ),
        case("CASE-L", "2025-04-30", age="85-plus", measures=_rotherham(*ROTHERHAM_L)),
        case("CASE-M", "2025-04-30", age="85-plus", measures=_rotherham(*ROTHERHAM_M)),
        case("CASE-N", "2025-04-30", age="85-plus", measures=_rotherham(*ROTHERHAM_M, count=7)),
    ]


def as_json(records: list[CaseRecord]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json", by_alias=True, exclude_none=True) for r in records]
