"""Official periods' assessments for the pages' tests, built through the platform's models and
services the way the city office gets there.

``tiny``: the engine's hand-worked example (``tests/assess/test_official.py``, whose docstring
works every number) on the platform: its methodology uploaded, four counties for its units
A-D, their figures approved, the targets and the bonus/penalty items approved.  By hand:

==========  =====================  ==========  ===============  ==========  ==========  =====
unit        category               g (目标)     points g/p/w     bonus/pen.  total       rank
==========  =====================  ==========  ===============  ==========  ==========  =====
A 410821    非重点生态功能区 (X)   6 (6)       6 / 2 / 2        +1          11          1 (1)
B 410822    非重点生态功能区 (X)   9 (7.5)     7.2 / 1.2 / 1    +1 (+0)     10.4        2 (2)
C 410823    重点生态功能区 (Y)     3 (4)       3 / 4 / 0        vetoed      7           4 (2)
D 410825    重点生态功能区 (Y)     5 (4)       4.8 / 2.4 / 2    +1 −0.5     9.7         3 (1)
==========  =====================  ==========  ===============  ==========  ==========  =====

Tiers A, B 第一方阵, D 第二方阵, C none (vetoed: 事故 acc = 1 > 0); 进位 against 2023's category
ranks A 2, B 1, C 1, D 2: A ↑1, B ↓1, C ↓1, D ↑1; awards 先进 A, 分类先进 A and D, 进位 A and D
(tied at +1).  Margins (``tests/analysis/test_margins.py``, worked by hand there): B is 0.6
points short of rank 1 (A); p (PM2.5) to 40 (−10 μg/m³) or w (water) to 90 (+5 个百分点)
reach it, g cannot alone (its completion is capped already).

``prepare``/``compute``: 2024 under the bundled ``county_hqd_official`` for the three counties
of the ``official_units`` fixture, with departments' sheets, targets and evidence:

- Figures: the bundled (synthetic) demo data's 2024 figures, each county's submission
  approved; the indicators of 统计局 and 生态环境局 supplied by those departments' approved
  sheets (the same figures).
- Targets: the bundled (synthetic) targets file's 2024 row of each county
  (``data/demo/henan_targets.csv``, the methodology's own example), one ``Target`` per
  completion-scored indicator.
- Items (approved), worked by hand against the methodology's caps (its ``bonus``/``penalty``
  and ``unit_caps: {bonus: 2, penalty: 3}``):

  * 修武县 410821: 四好农村路 +1, 工业百强 +1, 改革试点 +0.5 -> 2.5 asked, the unit's cap of
    2 counts: **bonus 2** (the pilot counts 0, the first two 1 each); no penalty.
  * 博爱县 410822: 改革试点 +0.5 (**bonus 0.5**); 通报批评 twice, 2 x 0.5 = **penalty 1**
    (under the item's cap 2), proposed by 生态环境局.
  * 武陟县 410823: a veto, 发生较大及以上生产安全事故 (文号 焦应急〔2024〕12号): it keeps its
    score and rank, **no tier and no award**.

- The previous period: 2023 published with 武陟县 1st, 修武县 2nd, 博爱县 3rd overall; within
  the categories 修武县 1st and 博爱县 2nd of 非重点生态功能区, 武陟县 1st of 重点生态功能区.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from tests.web.workflow import demo_figures, fill

from kaoping.web.collection.models import Period, StoredMethodology, Submission, Unit
from kaoping.web.official.inputs import indicators_of, target_indicators
from kaoping.web.official.models import (
    DepartmentSheet,
    DepartmentValue,
    Evidence,
    Item,
    Review,
    Target,
)
from kaoping.web.results import services
from kaoping.web.results.models import Assessment

CODES = ("410821", "410822", "410823")
DEPARTMENTS = ("统计局", "生态环境局")
VETO_DOCUMENT = "焦应急〔2024〕12号"
PREVIOUS = [  # 2023's published ranking: [unit, category, rank, category_rank]
    ("410823", "重点生态功能区", 1, 1),
    ("410821", "非重点生态功能区", 2, 1),
    ("410822", "非重点生态功能区", 3, 2),
]
ITEMS = [  # unit, kind, rule, points, document, department
    ("410821", "bonus", "four_good_roads", 1.0, "交公路发〔2024〕3号", ""),
    ("410821", "bonus", "industry_top100", 1.0, "赛迪〔2024〕百强县榜单", ""),
    ("410821", "bonus", "national_pilot", 0.5, "发改体改〔2024〕9号", ""),
    ("410822", "bonus", "national_pilot", 0.5, "发改体改〔2024〕10号", ""),
    ("410822", "penalty", "criticised", 1.0, "豫政督〔2024〕5号", "生态环境局"),
    ("410823", "veto", "accident", None, VETO_DOCUMENT, "应急管理局"),
]


@functools.cache
def bundled_targets() -> dict[tuple[str, str], float]:
    """(unit, indicator) -> the bundled targets file's 2024 target."""
    from pathlib import Path

    from kaoping.data import read_panel
    from kaoping.methodology import load

    methodology = load("county_hqd_official")
    spec = methodology.official
    assert spec is not None
    assert spec.targets is not None
    path = Path(spec.folder or ".") / spec.targets
    panel = read_panel(path, indicators=methodology.name_to_id())
    frame = panel.select(period="2024").frame
    return {
        (str(r.unit), str(r.indicator)): float(r.value)
        for r in frame.itertuples()
        if str(r.unit) in CODES
    }


def prepare(users: dict[str, Any], periods: dict[str, Period]) -> None:
    """Everything the 2024 official assessment is computed from (see the module's text)."""
    from kaoping.methodology import load

    period = periods["2024"]
    methodology = load("county_hqd_official")
    units = {u.code: u for u in Unit.objects.filter(code__in=CODES)}
    figures = {code: demo_figures(code) for code in CODES}
    for code in CODES:
        submission = Submission.objects.create(unit=units[code], period=period, status="approved")
        fill(submission, figures[code])
    for department in DEPARTMENTS:
        sheet = DepartmentSheet.objects.create(
            period=period, department=department, status=Review.APPROVED
        )
        for indicator in indicators_of(methodology, department):
            for code in CODES:
                DepartmentValue.objects.create(
                    sheet=sheet, unit=units[code], indicator=indicator,
                    value=figures[code][indicator],
                )  # fmt: skip
    targets = bundled_targets()
    for indicator in target_indicators(methodology):
        for code in CODES:
            Target.objects.create(
                period=period, unit=units[code], indicator=indicator,
                value=targets[(code, indicator)],
            )  # fmt: skip
    analyst = users["analyst"]
    for i, (code, kind, rule, points, document, department) in enumerate(ITEMS):
        item = Item.objects.create(
            period=period, unit=units[code], kind=kind, rule=rule, points=points,
            reason=f"{rule} ({code})", document=document, date=dt.date(2024, 6, 1 + i),
            department=department, proposed_by=analyst, status=Item.Status.APPROVED,
            decided_by=analyst,
        )  # fmt: skip
        digest = f"{i:02d}" + "e" * 62
        Evidence.objects.create(
            item=item, file=f"evidence/{digest[:2]}/{digest}.pdf", name=f"依据{i + 1}.pdf",
            content_type="application/pdf", extension="pdf", size=1000, sha256=digest,
            uploaded_by=analyst,
        )  # fmt: skip
    Assessment.objects.create(
        period=periods["2023"], methodology=period.methodology, status="published",
        inputs={}, inputs_hash="d" * 64, published_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
        results=[
            {"unit": u, "name": units[u].name, "category": c, "rank": r, "category_rank": k,
             "score": 90.0 - r}
            for u, c, r, k in PREVIOUS
        ],
    )  # fmt: skip


def compute(users: dict[str, Any], periods: dict[str, Period], status: str) -> Assessment:
    """The 2024 assessment (``prepare`` first) computed and brought to ``status``: computed,
    announced (window open), closed (announced, window past) or published."""
    analyst = users["analyst"]
    assessment = services.assessment_compute(actor=analyst, period=periods["2024"])
    if status != "computed":
        services.assessment_announce(actor=analyst, assessment=assessment, days=5)
    if status in ("closed", "published"):
        Assessment.objects.filter(pk=assessment.pk).update(objections_until=dt.date(2000, 1, 1))
        assessment.refresh_from_db()
    if status == "published":
        services.assessment_publish(actor=analyst, assessment=assessment)
    assessment.refresh_from_db()
    return assessment


# --- the engine's hand-worked example on the platform -----------------------------------------

TINY_KEY = "tiny_official"
TINY_YAML = """\
id: tiny_official
name: 小例子
tiers: [{name: 第一方阵, name_en: First tier, max_rank: 2}, {name: 第二方阵, name_en: Second tier}]
dimensions:
  - id: econ
    name: 经济
    indicators: [{id: g, name: 增速, name_en: Growth, direction: positive, unit: "%"}]
  - id: green
    name: 绿色
    indicators:
      - {id: p, name: 细颗粒物, name_en: PM2.5, direction: negative, unit: μg/m³}
      - {id: w, name: 水质, name_en: Water, direction: positive, unit: "%"}
      - {id: acc, name: 事故, name_en: Accidents, direction: constraint, unit: 起}
official:
  categories: [非重点生态功能区, 重点生态功能区]
  total_points: 10
  scoring:
    g: {points: {非重点生态功能区: 6, 重点生态功能区: 4}, rule: {method: completion, cap: 1.2}}
    p: {points: {非重点生态功能区: 2, 重点生态功能区: 4}, rule: efficacy}
    w:
      points: 2
      rule: {method: bands, bands: [{min: 90, points: 2}, {min: 80, max: 90, points: 1}]}
  bonus: [{id: hon, name: 荣誉, points: 1, cap: 1}]
  penalty: [{id: crit, name: 通报批评, points: 0.5}]
  veto: [{id: accident, name: 安全事故, indicator: acc, above: 0}]
  awards:
    - {id: top, name: 先进, top: 1}
    - {id: cat, name: 分类先进, top_per_category: 1}
    - {id: up, name: 进位, most_improved: 1}
"""
TINY = {"A": "410821", "B": "410822", "C": "410823", "D": "410825"}
TINY_VALUES = {
    "A": {"g": 6.0, "p": 40, "w": 95, "acc": 0},
    "B": {"g": 9.0, "p": 50, "w": 85, "acc": 0},
    "C": {"g": 3.0, "p": 30, "w": 70, "acc": 1},
    "D": {"g": 5.0, "p": 35, "w": 92, "acc": 0},
}
TINY_TARGETS = {"A": 6.0, "B": 7.5, "C": 4.0, "D": 4.0}
TINY_ITEMS = [("A", "hon", 1.0), ("B", "hon", 1.0), ("B", "hon", 1.0), ("D", "hon", 1.0),
              ("D", "crit", 0.5)]  # fmt: skip
TINY_PREVIOUS = {"A": (2, 2), "B": (1, 1), "C": (3, 1), "D": (4, 2)}  # rank, category rank


def tiny(users: dict[str, Any], periods: dict[str, Period]) -> dict[str, Period]:
    """The example's methodology uploaded and made the periods' (2023, 2024), the fourth
    county (温县 410825), the 2024 figures approved, targets, items approved, and 2023's
    published ranking (see the module's text).  Returns the periods, refreshed."""
    StoredMethodology.objects.create(key=TINY_KEY, name="小例子", text=TINY_YAML)
    Period.objects.filter(pk__in=[p.pk for p in periods.values()]).update(methodology=TINY_KEY)
    for period in periods.values():
        period.refresh_from_db()
    Unit.objects.get_or_create(
        code="410825", defaults={"name": "温县", "category": "重点生态功能区"}
    )
    units = {letter: Unit.objects.get(code=code) for letter, code in TINY.items()}
    period, analyst = periods["2024"], users["analyst"]
    for letter, unit in units.items():
        submission = Submission.objects.create(unit=unit, period=period, status="approved")
        fill(submission, {k: float(v) for k, v in TINY_VALUES[letter].items()})
        Target.objects.create(period=period, unit=unit, indicator="g",
                              value=TINY_TARGETS[letter])  # fmt: skip
    for i, (letter, rule, points) in enumerate(TINY_ITEMS):
        item = Item.objects.create(
            period=period, unit=units[letter], kind="bonus" if rule == "hon" else "penalty",
            rule=rule, points=points, reason=f"{rule} {letter}", document=f"文件{i}",
            date=dt.date(2024, 5, 1 + i), proposed_by=analyst, status=Item.Status.APPROVED,
            decided_by=analyst,
        )  # fmt: skip
        digest = f"{i:02d}" + "f" * 62
        Evidence.objects.create(
            item=item, file=f"evidence/{digest[:2]}/{digest}.pdf", name=f"文件{i}.pdf",
            content_type="application/pdf", extension="pdf", size=100, sha256=digest,
            uploaded_by=analyst,
        )  # fmt: skip
    Assessment.objects.create(
        period=periods["2023"], methodology=TINY_KEY, status="published", inputs={},
        inputs_hash="a" * 64, published_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
        results=[
            {"unit": units[k].code, "name": units[k].name, "category": units[k].category,
             "rank": r, "category_rank": c, "score": 10.0 - r}
            for k, (r, c) in TINY_PREVIOUS.items()
        ],
    )  # fmt: skip
    return periods


def client(users: dict[str, Any], name: str) -> Any:
    """A CSRF-enforcing client logged in as ``name`` of ``users`` (the ``official_users``
    fixture's accounts: the departments' and 武陟县's too)."""
    from tests.web.conftest import CsrfClient

    return CsrfClient(users[name])
