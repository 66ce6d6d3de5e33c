"""Dashboard figures against hand-worked values, and the small-number rule on public figures."""

from __future__ import annotations

import math

import attrs
import pytest

from spcore.hub.dashboard import (
    OUTPUTS,
    FunnelPoint,
    combine,
    funnel_limits,
    pool_instruments,
    publish,
    quarters_shown,
)

from .conftest import TODAY, Hub, as_bytes, example, upload

SPEC = {s.key: s for s in OUTPUTS}


def _two() -> list[dict[str, object]]:
    a = example()
    b = example()
    b["scheme"]["id"] = "EASTVALE-LINK"
    b["outputs"]["people_benefiting"] = 100
    b["outputs"]["average_time_per_person"] = {"value": 1, "unit": "hour"}
    b["outputs"]["people_referred"] = None  # withheld by the scheme
    b["impact_on_person"]["instruments"][0] |= {"people_with_follow_up": 12, "mean_follow_up": 20.0}
    return [a, b]


def test_sums_weighted_means_and_withheld_figures() -> None:
    a, b = _two()
    referred = combine(SPEC["people_referred"], [a, b])
    assert (referred.value, referred.schemes, referred.left_out) == (240, 1, 1)
    benefiting = combine(SPEC["people_benefiting"], [a, b])
    assert benefiting.value == 198 + 100
    minutes = combine(SPEC["average_minutes_per_person"], [a, b])
    assert minutes.value == pytest.approx((270 * 198 + 60 * 100) / 298)
    assert combine(SPEC["link_worker_fte"], [a, b]).value == pytest.approx(10.8)
    assert combine(SPEC["lowest_salary"], [a, b]).value == 27485


def test_pooled_instruments_weighted_by_people_paired() -> None:
    pooled = {p.instrument: p for p in pool_instruments(_two())}
    swemwbs = pooled["swemwbs"]
    assert swemwbs.people_with_follow_up == 88 + 12
    assert swemwbs.mean_follow_up == pytest.approx((88 * 22.41 + 12 * 20.0) / 100)
    assert swemwbs.mean_baseline == pytest.approx(19.62)
    small = pool_instruments([example()])[0]
    small = attrs.evolve(small, people_with_follow_up=6)
    assert small.published().mean_follow_up is None  # a mean over 1-7 people is not shown


@pytest.mark.parametrize(
    ("count", "shown"), [(0, 0), (1, None), (7, None), (8, 10), (12, 10), (13, 15), (242, 240)]
)
def test_public_counts_pass_the_small_number_rule(count: int, shown: int | None) -> None:
    document = example()
    document["outputs"]["people_referred"] = count
    figure = publish(combine(SPEC["people_referred"], [document]))
    assert figure.value == shown
    assert figure.withheld is (shown is None)


def test_counts_not_about_people_are_published_as_they_are() -> None:
    document = example()
    document["outputs"]["link_workers"]["headcount"] = 3
    assert publish(combine(SPEC["link_workers"], [document])).value == 3


def test_funnel_limits_are_poisson_around_the_pooled_rate() -> None:
    points = [FunnelPoint("A", 5.0, 200.0), FunnelPoint("B", 3.0, 120.0)]
    limits = funnel_limits(points, 4.0)
    rate = 320 / 8
    assert limits[1.96] == pytest.approx(
        (rate - 1.96 * math.sqrt(rate / 4), rate + 1.96 * math.sqrt(rate / 4))
    )


def test_quarters_shown_run_to_the_last_ended_quarter() -> None:
    assert quarters_shown(["2025-26 Q1"], TODAY, 12) == ("2025-26 Q1", "2025-26 Q2")
    assert len(quarters_shown(["2020-21 Q1"], TODAY, 12)) == 12


def test_public_page_shows_small_counts_withheld(lite_hub: Hub) -> None:
    document = example()
    document["outputs"]["people_rejecting_referral"] = 5
    assert "Accepted" in upload(lite_hub.client("northshire"), as_bytes(document), "r.json").text
    public = lite_hub.client().get("/").text
    row = public.split("Output 1: people rejecting a referral", 1)[1].split("</tr>", 1)[0]
    assert "withheld" in row
    referred = public.split("Output 1: people referred", 1)[1].split("</tr>", 1)[0]
    assert ">240<" in referred
    signed_in = lite_hub.client("national").get("/dashboard").text
    row = signed_in.split("Output 1: people rejecting a referral", 1)[1].split("</tr>", 1)[0]
    assert ">5<" in row
