"""The synthetic demo: 50,000 firms of Henan's counties, seeded, and marked synthetic."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

from kaoping.data.bundled import henan_units
from kaoping.mujun import MujunSpec, evaluate
from kaoping.mujun.demo import INDUSTRIES, demo_benchmarks, demo_firms
from kaoping.mujun.workbook import write_workbook


def test_the_demo_firms_are_seeded_and_plausible(spec: MujunSpec) -> None:
    units = henan_units()
    firms = demo_firms(spec, units)
    pd.testing.assert_frame_equal(firms, demo_firms(spec, units))  # same seed, same firms
    assert len(firms) == 50_000
    assert firms["code"].is_unique
    assert firms["land"].between(5, 500).all()
    assert 0.025 < firms["exempt"].mean() < 0.035
    assert (firms.loc[firms["exempt"], "exempt_reason"] != "").all()
    assert firms["energy"].isna().sum() > 50
    assert (firms["staff"] == 0).sum() > 30
    assert set(firms["county"]) <= set(units.codes)
    assert firms["county"].nunique() > 150
    tax_per_mu = (firms["tax"] / firms["land"]).median()
    assert 10 < tax_per_mu < 40  # around the 24.097 benchmark
    bench = demo_benchmarks(spec)
    assert len(bench) == len(INDUSTRIES) == 30
    assert set(firms["industry"]) == set(bench.index)


def test_the_demo_workbook_is_marked_synthetic(spec: MujunSpec, tmp_path: Path) -> None:
    units = henan_units()
    firms = demo_firms(spec, units, 200, rng=3)
    result = evaluate(spec, firms, demo_benchmarks(spec), units=units, year="2024", synthetic=True)
    path = tmp_path / "demo.xlsx"
    write_workbook(result, path)
    book = openpyxl.load_workbook(path, read_only=True)
    for name in ("企业评价", "县域汇总", "标杆值"):
        rows = list(book[name].iter_rows(values_only=True))
        assert str(rows[0][0]).startswith("合成数据")  # the banner line
        assert rows[1][-1] == "数据性质"
    firm_rows = list(book["企业评价"].iter_rows(values_only=True))
    assert len(firm_rows) == 202
    assert {r[-1] for r in firm_rows[2:]} == {"合成数据 / synthetic"}
    about = list(book["说明"].iter_rows(values_only=True))
    assert about[1][0] == "数据"
    assert "合成数据" in about[1][1]
    assert np.isfinite(result.firms["score"]).all()
