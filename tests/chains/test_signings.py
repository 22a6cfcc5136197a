"""Signings per county and their shares, the registry projects they become and their
「三个一批」 rates, on a hand example, and the demo's shares against the source's."""

from __future__ import annotations

import math

import pandas as pd
from numpy.testing import assert_allclose

from kaoping.chains.demo import AS_OF, SIX_COUNTIES, demo_book
from kaoping.chains.model import check_book, make_book
from kaoping.chains.signings import by_county, county_seats, group_share, lifecycle, to_registry
from kaoping.chains.strength import gaps

T = pd.Timestamp


def _book() -> object:
    """Four signings (万元): A 410821 6000 省外, B 410821 2000 省内, C 410822 1000 境外,
    D 410802 1000 市内.  By hand: the two counties 3 of 4 projects (75 %) and 9000 of 10000
    (90 %); 410821 alone 80 % of the amount."""
    return make_book(
        chains=[{"chain": "L", "name": "锂电"}],
        nodes=[{"node": "L1", "chain": "L", "name": "电芯", "position": "中游"}],
        signings=[
            {"project": "A", "name": "甲项目", "investor": "甲", "origin": "省外",
             "amount": 6000, "signed_on": "2026-01-10", "node": "L1", "county": "410821",
             "batch": "第一期", "park": "修武产业集聚区"},
            {"project": "B", "name": "乙项目", "investor": "乙", "origin": "省内",
             "amount": 2000, "signed_on": "2026-01-12", "county": "410821", "batch": "第一期"},
            {"project": "C", "name": "丙项目", "investor": "丙", "origin": "境外",
             "amount": 1000, "signed_on": "2026-04-02", "county": "410822", "batch": "第二期"},
            {"project": "D", "name": "丁项目", "investor": "丁", "origin": "市内",
             "amount": 1000, "signed_on": "2026-04-03", "county": "410802", "batch": "第二期"},
        ],
    )  # fmt: skip


def test_signings_per_county_and_their_shares() -> None:
    book = _book()
    table = by_county(book.signings, names={"410821": "修武县"})  # type: ignore[attr-defined]
    assert list(table.index) == ["410821", "410802", "410822"]  # ties by code
    assert table.loc["410821", "name"] == "修武县"
    assert table.loc["410822", "name"] == "410822"
    assert table["projects"].tolist() == [2, 1, 1]
    assert_allclose(table["amount_pct"], [80.0, 10.0, 10.0])
    assert_allclose(table["projects_pct"], [50.0, 25.0, 25.0])
    assert table["foreign"].tolist() == [1, 0, 1]
    share = group_share(book.signings, {"410821", "410822"})  # type: ignore[attr-defined]
    assert share == {"projects": 3.0, "amount": 9000.0, "projects_pct": 75.0, "amount_pct": 90.0}
    empty = group_share(book.signings.iloc[:0], {"410821"})  # type: ignore[attr-defined]
    assert math.isnan(empty["amount_pct"])


def test_a_signing_becomes_a_registry_project_presented_as_signed() -> None:
    registry = to_registry(_book())  # type: ignore[arg-type]
    a = registry.loc["A"]
    assert a["batch_role"] == "签约"
    assert a["attracted"]
    assert a["industrial"]
    assert a["total"] == 6000.0
    assert a["owner"] == "甲"
    assert a["industry"] == "锂电/电芯"
    assert a["signed_on"] == T("2026-01-10")
    assert a["park"] == "修武产业集聚区"
    assert pd.isna(registry.loc["B", "industry"])


def test_lifecycle_rates_follow_the_registry_dates() -> None:
    """By 2026-06-30: A fulfilled and started, B fulfilled, C nothing; D started without a
    recorded 履约 date (it counts as fulfilled: 开工 is a later stage).  410821: 2 of 2
    fulfilled (100 %), 1 of 2 started (50 %)."""
    registry = to_registry(_book())  # type: ignore[arg-type]
    registry.loc[["A", "B"], "fulfilled_on"] = T("2026-02-01")
    registry.loc["A", "actual_start"] = T("2026-05-01")
    registry.loc["D", "actual_start"] = T("2026-06-01")
    registry.loc["C", "actual_start"] = T("2026-08-01")  # after the day seen from
    rates = lifecycle(registry, "2026-06-30")
    assert rates.loc["410821", "fulfilment_pct"] == 100.0
    assert rates.loc["410821", "start_pct"] == 50.0
    assert rates.loc["410822", "fulfilment_pct"] == 0.0
    assert math.isnan(rates.loc["410822", "start_pct"])
    assert rates.loc["410802", "start_pct"] == 100.0
    # a project of the registry that was not presented as a signing is not counted
    other = registry.assign(batch_role=["签约", "签约", "签约", "开工"])
    assert "410802" not in lifecycle(other, "2026-06-30").index


def test_the_demo_reproduces_the_sources_shares() -> None:
    """The source: "6县(市)集中签约项目59个，投资总额…占全市比重分别达48.8%、58.3%"
    (shared/sources/)."""
    book = demo_book()
    assert check_book(book) == []
    share = group_share(book.signings, SIX_COUNTIES)
    assert share["projects"] == 59
    assert round(share["projects_pct"], 1) == 48.8
    assert round(share["amount_pct"], 1) == 58.3
    assert len(book.signings) == 121
    # the same seed, the same book
    again = demo_book()
    pd.testing.assert_frame_equal(book.enterprises, again.enterprises)
    pd.testing.assert_frame_equal(book.signings, again.signings)


def test_the_demo_has_gaps_to_fill_and_a_life_so_far() -> None:
    book = demo_book()
    city = gaps(book)
    assert {"缺失", "薄弱"} <= set(city["strength"])
    assert (city["status"] == "已签约").any()
    registry = to_registry(book)
    for column in ("fulfilled_on", "actual_start", "produced_on"):
        registry[column] = pd.to_datetime(book.signings.set_index("project")[column])
    rates = lifecycle(registry, AS_OF)
    assert rates["signed"].sum() == 121
    assert 0 < rates["started"].sum() < rates["fulfilled"].sum() < 121


def test_the_group_of_counties_leaves_out_districts_and_zones() -> None:
    """GB/T 2260: 01–20 市辖区, 21–69 县, 81–99 县级市; 410871 is the 示范区 (a zone)."""
    assert county_seats(["410802", "410821", "410871", "410882", "410811"]) == ["410821", "410882"]
    from kaoping.chains.demo import _OTHERS

    assert county_seats([*SIX_COUNTIES, *_OTHERS]) == sorted(SIX_COUNTIES)
