"""The synthetic park league: the source's sentences hold for the demo, read from the results.

"我市3家产业集聚区进入全省前20、7家进入第一方阵" (3 Jiaozuo parks in the province's top 20 and 7
in the first tier, the top 30); 孟州 "三星级" and "7次跻身全省前十" (top 10 in 7 years).
Every check below counts ranks and stars in the computed league (assess park_hqd + rate, year
after year), not the generator's plan.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kaoping.assess.parks import LEAGUE_COLUMNS, league, run
from kaoping.data import parks_demo
from kaoping.data.bundled import henan_units
from kaoping.data.parks import PARK_COLUMNS, PARK_KINDS, read_parks, write_parks_template
from kaoping.methodology import load


def jiaozuo(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["county_code"].str.startswith("4108")]


def test_the_docstring_says_synthetic() -> None:
    assert parks_demo.__doc__ is not None
    assert "SYNTHETIC" in parks_demo.__doc__
    assert "合成数据" in parks_demo.DEMO_NOTE[0]


def test_the_registry_has_184_parks_over_henan_counties() -> None:
    parks = parks_demo.registry()
    assert list(parks.columns) == list(PARK_COLUMNS)
    assert len(parks) == 184
    assert parks["code"].is_unique
    assert set(parks["kind"]) <= set(PARK_KINDS)
    units = henan_units()
    assert all(code in units for code in parks["county_code"])
    assert (parks["area_km2"] > 0).all()


def test_jiaozuo_has_its_eight_parks() -> None:
    parks = parks_demo.registry().set_index("code")
    mine = parks[parks["county_code"].str.startswith("4108")]
    assert len(mine) == 8
    assert set(mine["county_code"]) == {
        "410883",
        "410882",
        "410825",
        "410823",
        "410822",
        "410821",
        "410871",
        "410803",
    }
    mengzhou = parks.loc[parks_demo.MENGZHOU]
    assert mengzhou["name"] == "孟州市产业集聚区"
    assert mengzhou["area_km2"] == pytest.approx(29.6)
    assert "装备制造" in mengzhou["industries"]
    assert "皮毛加工" in mengzhou["industries"]


def test_every_indicator_has_a_value_for_every_park_and_year() -> None:
    ids = {i.id for i in load("park_hqd").indicators}
    codes = set(parks_demo.registry()["code"])
    assert parks_demo.years() == list(range(2018, 2025))
    for year in parks_demo.years():
        values = parks_demo.values(year)
        assert list(values.columns) == ["park", "indicator", "value"]
        assert set(values["indicator"]) == ids
        assert set(values["park"]) == codes
        assert len(values) == len(ids) * len(codes)
        assert values["value"].notna().all()
    with pytest.raises(ValueError, match="2017"):
        parks_demo.values(2017)


def test_the_registry_goes_through_the_template(tmp_path: Path) -> None:
    parks = parks_demo.registry()
    path = tmp_path / "parks.xlsx"
    write_parks_template(path, parks)
    pd.testing.assert_frame_equal(read_parks(path, counties=henan_units()), parks)


def test_2024_three_jiaozuo_parks_in_the_top_20_and_seven_in_the_top_30() -> None:
    table = league(2024)
    mine = jiaozuo(table)
    assert int((mine["rank"] <= 20).sum()) == 3
    assert int((mine["rank"] <= 30).sum()) == 7
    assert int((mine["tier"] == "第一方阵").sum()) == 7  # 第一方阵 = top 30 in park_hqd


def test_mengzhou_three_stars_in_2024_and_top_ten_in_seven_years() -> None:
    tables = run()
    mengzhou = parks_demo.MENGZHOU
    assert tables[2024].loc[mengzhou, "star"] == 3
    assert tables[2024].loc[mengzhou, "star_name"] == "三星级"
    top_ten = [year for year, table in tables.items() if table.loc[mengzhou, "rank"] <= 10]
    assert len(top_ten) == 7
    # three stars although it ranks high: its 亩均税收 misses the four-star minimum
    assert tables[2024].loc[mengzhou, "eligible"] == 3
    assert "亩均税收" in tables[2024].loc[mengzhou, "reason_zh"]


def test_the_league_rates_on_last_years_star() -> None:
    tables = run()
    assert sorted(tables) == parks_demo.years()
    first = tables[2018]
    assert set(first["change"]) == {"new"}
    for year in parks_demo.years()[1:]:
        table, before = tables[year], tables[year - 1]
        assert (table["previous"] == before.loc[table.index, "star"]).all()
        assert (table["star"] - table["previous"] <= 1).all()
    every = pd.concat(tables.values())
    assert every["capped"].any()  # the demo shows the one-step cap …
    assert (every["change"] == "demoted").any()  # … and demotions below the gate
    assert list(first.columns[: len(LEAGUE_COLUMNS)]) == list(LEAGUE_COLUMNS)
    assert first["rank"].is_monotonic_increasing
