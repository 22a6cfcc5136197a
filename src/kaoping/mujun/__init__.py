"""亩均论英雄: per-mu efficiency evaluation of industrial enterprises (规上工业企业亩均效益评价).

The way a city's 经信局 evaluates every industrial enterprise above designated size, as in
Zhejiang's 亩均论英雄 reform: six indicators, each a ratio of two figures of the firm table
(亩均税收 = 实缴税金 / 用地面积 …), scored by benchmark ratios with industry-specific benchmarks
(分行业标杆值), classed A/B/C/D by percentile (or by score thresholds), exempt firms 「不定等级」,
and rolled up per county.

>>> from kaoping.mujun import load_spec
>>> spec = load_spec()                       # the bundled enterprise_mujun (台州市黄岩区)
>>> [(i.name, i.weight) for i in spec.indicators][3]
('单位能耗增加值', 20.0)

Modules: :mod:`~kaoping.mujun.spec` (the YAML), :mod:`~kaoping.mujun.sheets` (the firm table and
the benchmark sheet), :mod:`~kaoping.mujun.evaluate` (scores), :mod:`~kaoping.mujun.classes`
(the percentile rule), :mod:`~kaoping.mujun.rollup` (counties), :mod:`~kaoping.mujun.demo`
(synthetic firms), :mod:`~kaoping.mujun.workbook` (the xlsx and the template).
"""

from kaoping.mujun.evaluate import MujunResult, evaluate
from kaoping.mujun.rollup import COUNTY_INDICATORS, county_indicators, county_rollup
from kaoping.mujun.sheets import FirmTable, read_benchmarks, read_firms
from kaoping.mujun.spec import BUNDLED, MujunSpec, load_spec, loads_spec

__all__ = [
    "BUNDLED",
    "COUNTY_INDICATORS",
    "FirmTable",
    "MujunResult",
    "MujunSpec",
    "county_indicators",
    "county_rollup",
    "evaluate",
    "load_spec",
    "loads_spec",
    "read_benchmarks",
    "read_firms",
]
