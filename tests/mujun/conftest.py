"""The hand example of tests/mujun: six firms in two industries under the 黄岩 spec.

Benchmarks (default, 台州市黄岩区, shared/research/domain.md §3.1): 亩均税收 24.097, 亩均增加值
136.16, 全员劳动生产率 18.14, 单位能耗增加值 2.694, 单位排放增加值 4929.81, R&D占比 0.0302, with
30/20/10/20/10/10 points; industry 34 has its own row: 30, 150, 20, 3, 5000, 0.04.  Cap 1.5 × w.
"""

from __future__ import annotations

import pandas as pd
import pytest

from kaoping.mujun import MujunSpec, load_spec

HEADER = (
    "企业代码,企业名称,县区代码,行业代码,用地面积（亩）,实缴税金（万元）,工业增加值（万元）,"
    "年平均职工人数（人）,综合能耗（吨标准煤）,主要污染物排放当量（吨）,研发经费支出（万元）,"
    "营业收入（万元）,不定等级,不定等级原因,年份"
)
ROWS = [
    # code, name, county, industry, land, tax, va, staff, energy, emissions, rd, revenue,
    # exempt, reason, year
    "a,甲公司,410883,13,10,240.97,1361.6,68,340.4,0.2,60.4,2000,否,,2024",
    "b,乙公司,410883,C13,20,964,1000,100,500,0.5,0,3000,,,2024",
    "c,丙公司,410882,1311,0,100,800,50,200,0.1,24,1200,,,2024",
    "d,丁公司,410882,34,15,450,2250,0,750,0.45,120,3000,否,,2024",
    "e,戊公司,410882,34,8,120,600,40,,0.3,30,1500,否,,2024",
    "f,己公司,410883,34,50,100,500,20,100,1,0,800,是,公用事业,2024",
]
BENCHMARKS = (
    "行业代码,行业名称,亩均税收,亩均增加值,全员劳动生产率,单位能耗增加值,单位排放增加值,"
    "R&D经费占比\n34,通用设备制造业,30,150,20,3,5000,0.04\n"
)


@pytest.fixture(scope="session")
def spec() -> MujunSpec:
    return load_spec()


@pytest.fixture
def firm_csv(tmp_path: pytest.TempPathFactory) -> str:
    path = tmp_path / "企业.csv"  # type: ignore[operator]
    path.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def bench_csv(tmp_path: pytest.TempPathFactory) -> str:
    path = tmp_path / "标杆值.csv"  # type: ignore[operator]
    path.write_text(BENCHMARKS, encoding="utf-8")
    return str(path)


def frame_of(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A firm frame as :func:`kaoping.mujun.evaluate` takes it, defaults filled in."""
    base = {
        "code": "x", "name": "", "county": "410883", "industry": "13", "land": 10.0,
        "tax": 240.97, "value_added": 1361.6, "staff": 75.0, "energy": 505.0,
        "emissions": 0.28, "rd": 30.2, "revenue": 1000.0, "exempt": False, "exempt_reason": "",
    }  # fmt: skip
    return pd.DataFrame([{**base, **r} for r in rows])
