"""A synthetic observation event of Jiaozuo for the demo (SYNTHETIC: not real scores).

The city's two groups (县(市)组 of 7 units, 城区组 of 4; ``shared/research/domain.md`` §4.6),
nine judges (three 市领导 with weight 1.5, three 市直部门 and three 人大政协代表 with 1), four
criteria summing to 100 (the criteria and weights of the real event were not found published),
and every judge's score of every unit and criterion: each unit has a level of its own that
changes a little from quarter to quarter, each judge a small leniency of their own, each score
some noise, on half points.  Seeded: the same arguments give the same frames.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import pandas as pd

from kaoping.observation.model import Criterion, EventSpec, Judge

__all__ = ["CRITERIA", "GROUPS", "JUDGES", "NAMES", "event"]

GROUPS: dict[str, list[str]] = {
    "县(市)组": ["410883", "410871", "410825", "410823", "410822", "410821", "410882"],
    "城区组": ["410802", "410803", "410804", "410811"],
}
NAMES: dict[str, str] = {
    "410883": "孟州市",
    "410871": "焦作城乡一体化示范区",
    "410825": "温县",
    "410823": "武陟县",
    "410822": "博爱县",
    "410821": "修武县",
    "410882": "沁阳市",
    "410802": "解放区",
    "410803": "中站区",
    "410804": "马村区",
    "410811": "山阳区",
}
CRITERIA: tuple[Criterion, ...] = (
    Criterion("项目建设", 40.0, "观摩项目的投资规模、建设进度、质量效益"),
    Criterion("产业转型", 30.0, "主导产业、技术改造、新兴产业的进展"),
    Criterion("营商环境", 15.0, "要素保障、审批服务、企业评价"),
    Criterion("观摩组织", 15.0, "线路安排、汇报材料、现场组织"),
)
JUDGES: tuple[Judge, ...] = tuple(
    Judge(f"J{k}", f"评委{k}（示例）", role, weight)
    for k, (role, weight) in enumerate(
        [("市领导", 1.5)] * 3 + [("市直部门", 1.0)] * 3 + [("人大政协代表", 1.0)] * 3, start=1
    )
)

# each unit's level (share of the maximum) in the demo year
_LEVEL = {
    "410883": 0.90, "410871": 0.84, "410825": 0.86, "410823": 0.85, "410822": 0.83,
    "410821": 0.80, "410882": 0.88, "410802": 0.87, "410803": 0.82, "410804": 0.79,
    "410811": 0.85,
}  # fmt: skip


def _quarter(quarter: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", quarter.strip())
    if not match:
        raise ValueError(f"quarter must be written like 2026-Q1; got {quarter!r}")
    return int(match.group(1)), int(match.group(2))


def event(seed: int = 0, quarter: str = "2026-Q1") -> tuple[EventSpec, pd.DataFrame]:
    """The demo's event of ``quarter`` and its scores (``judge``, ``unit``, ``criterion``,
    ``score``), aggregated by the trimmed weighted mean."""
    year, q = _quarter(quarter)
    period = f"{year}-Q{q}"
    rng = np.random.default_rng([seed, year, q, zlib.crc32(b"observation")])
    spec = EventSpec(
        code=f"JZ-GM-{period}",
        period=period,
        groups={g: list(m) for g, m in GROUPS.items()},
        criteria=list(CRITERIA),
        judges=list(JUDGES),
        aggregation="trimmed_weighted",
        names=dict(NAMES),
    )
    leniency = rng.normal(0.0, 0.015, len(JUDGES))
    rows = []
    for unit in spec.units:
        level = _LEVEL[unit] + rng.normal(0.0, 0.025)  # this quarter's showing
        strengths = rng.normal(0.0, 0.02, len(CRITERIA))
        for j, judge in enumerate(JUDGES):
            for c, criterion in enumerate(CRITERIA):
                share = level + strengths[c] + leniency[j] + rng.normal(0.0, 0.02)
                points = np.clip(share, 0.5, 1.0) * criterion.maximum
                rows.append((judge.id, unit, criterion.name, float(np.round(points * 2) / 2)))
    scores = pd.DataFrame(rows, columns=["judge", "unit", "criterion", "score"])
    return spec, scores
