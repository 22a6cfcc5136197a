"""Warnings (红黄绿预警): the three presets against hand-worked cases, a city's own rules, bad YAML.

The thresholds come from shared/research/domain.md §4.4:

- 银川 (https://m.qlbk.net/news/3Ww4l7bw75.html): start delayed without a reason yellow in the
  month (当月), red when 3 months not started; 10–30 pp behind 序时进度 yellow, > 30 pp red; not
  in the statistics database 1 month after the start yellow, > 2 months red.
- 天津 (http://m.djxww.com/zixun/2022/0305/48584.html): cumulative investment growth ≥ plan and
  ≥ the city's average green; growth below either yellow; negative growth red.
- 新晃 (http://moment.rednet.cn/rednetcms/news/localNews/20150514/125097.html): the month's task
  < 80 % key tracking (yellow), < 60 % 黄牌 (red in our three colours).
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from kaoping.dispatch import PRESETS, evaluate, load_rules, red_projects
from kaoping.dispatch.alerts import MEASURES, RuleSet
from kaoping.dispatch.progress import county_progress, progress
from kaoping.errors import InputError

# ------------------------------------------------------------------------------------ 银川


def _yinchuan_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    """June 2026. Year-round projects (started 2025) with a plan of 1200 are due 6/12 = 50 %
    (序时进度); the others' schedules are worked out beside them."""
    t = pd.Timestamp
    rows = [
        # project, planned start, actual start, annual plan, June's investment, in stats, note
        # S1: planned 2026-06-10, not started: late in its month (1) -> yellow
        ("S1", t("2026-06-10"), pd.NaT, 600.0, None, None, None),
        # S2: planned 2026-04: April 1, May 2, June 3 months late -> red
        ("S2", t("2026-04-01"), pd.NaT, 600.0, None, None, None),
        # S3: planned 2026-05, 2 months late but June's report explains why -> green
        ("S3", t("2026-05-01"), pd.NaT, 600.0, 0.0, None, "征迁未完成，预计7月开工"),
        # L1: 480 / 1200 = 40 %, 50 - 40 = 10 pp behind -> yellow (10 is in 10–30)
        ("L1", t("2025-03-01"), t("2025-03-01"), 1200.0, 480.0, True, None),
        # L2: 240 / 1200 = 20 %, 30 pp -> yellow (30 is in 10–30)
        ("L2", t("2025-03-01"), t("2025-03-01"), 1200.0, 240.0, True, None),
        # L3: 228 / 1200 = 19 %, 31 pp -> red
        ("L3", t("2025-03-01"), t("2025-03-01"), 1200.0, 228.0, True, None),
        # L4: 540 / 1200 = 45 %, 5 pp -> green
        ("L4", t("2025-03-01"), t("2025-03-01"), 1200.0, 540.0, True, None),
        # N1: planned and started 2026-04 (due (6-4+1)/9 = 1/3 of 900 = 300; did 300, no lag);
        #     June's report: not in the statistics 6 - 4 = 2 months after start -> yellow
        ("N1", t("2026-04-01"), t("2026-04-05"), 900.0, 300.0, False, None),
        # N2: planned and started 2026-03 (due 4/10 of 1000 = 400, did 400); not in the
        #     statistics 3 months after start (> 2) -> red
        ("N2", t("2026-03-01"), t("2026-03-20"), 1000.0, 400.0, False, None),
        # N3: started 2026-06, not in the statistics in its first month (0) -> green
        ("N3", t("2026-06-01"), t("2026-06-01"), 700.0, 100.0, False, None),
    ]
    reg = pd.DataFrame(
        {
            "project": [r[0] for r in rows],
            "name": [f"项目{r[0]}" for r in rows],
            "county": "410821",
            "planned_start": [r[1] for r in rows],
            "actual_start": [r[2] for r in rows],
            "planned_finish": pd.Timestamp("2028-12-31"),
            "annual_plan": [r[3] for r in rows],
        }
    )
    rep = pd.DataFrame(
        [(r[0], "2026-06", r[4], r[5], r[6]) for r in rows if r[4] is not None],
        columns=["project", "month", "invested", "in_statistics", "note"],
    )
    return reg, rep


YINCHUAN_EXPECTED = {
    "S1": ("yellow", "start_late"),
    "S2": ("red", "not_started_3_months"),
    "S3": ("green", ""),
    "L1": ("yellow", "lag_10_30"),
    "L2": ("yellow", "lag_10_30"),
    "L3": ("red", "lag_over_30"),
    "L4": ("green", ""),
    "N1": ("yellow", "not_in_statistics"),
    "N2": ("red", "not_in_statistics_over_2_months"),
    "N3": ("green", ""),
}


def test_yinchuan_colours_the_hand_worked_projects() -> None:
    reg, rep = _yinchuan_case()
    table = progress(reg, rep, "2026-06")
    assert table.loc["L1", "lag_pp"] == pytest.approx(10.0)
    assert table.loc["N2", "lag_pp"] == pytest.approx(0.0)
    out = evaluate(load_rules("yinchuan"), table, registry=reg, reports=rep, month="2026-06")
    assert list(out.index) == list(table.index)
    assert list(out.columns) == ["colour", "rules", "reason_zh", "reason_en"]
    got = {p: (out.loc[p, "colour"], out.loc[p, "rules"]) for p in out.index}
    assert got == YINCHUAN_EXPECTED
    assert out.loc["S2", "reason_zh"] == "逾期 3 个月未开工"
    assert out.loc["L3", "reason_zh"] == "落后序时进度 31.0 个百分点（完成 19.0%，序时 50.0%）"
    assert out.loc["N1", "reason_en"] == ("not in the statistics database 2 months after the start")
    assert out.loc["S3", "reason_zh"] == ""


def test_every_rule_that_fired_is_listed_worst_first() -> None:
    table = pd.DataFrame(
        {
            "started": [True],
            "lag_pp": [12.0],
            "completion_pct": [38.0],
            "schedule_pct": [50.0],
            "explained": [False],
            "months_late_to_start": [0.0],
            "months_not_in_statistics": [3.0],
        },
        index=pd.Index(["P"], name="project"),
    )
    out = evaluate("yinchuan", table).loc["P"]
    assert out["colour"] == "red"
    assert out["rules"] == "not_in_statistics_over_2_months; lag_10_30"
    assert out["reason_zh"] == (
        "开工 3 个月仍未入统；落后序时进度 12.0 个百分点（完成 38.0%，序时 50.0%）"
    )


def test_red_projects_lists_the_red_ones_with_their_reasons() -> None:
    reg, rep = _yinchuan_case()
    table = progress(reg, rep, "2026-06")
    warnings = evaluate("yinchuan", table, registry=reg, reports=rep, month="2026-06")
    red = red_projects(table, warnings)
    # worst lag first: S2 is due (6-4+1)/9 = 33.3 % and did nothing, L3 31 pp, N2 none
    assert list(red.index) == ["S2", "L3", "N2"]
    assert "reason_zh" in red.columns


def test_a_measure_the_table_lacks_needs_its_context() -> None:
    reg, rep = _yinchuan_case()
    table = progress(reg, rep, "2026-06")
    with pytest.raises(InputError) as err:
        evaluate("yinchuan", table)
    (problem,) = err.value.problems
    assert problem.code == "alerts.missing_context"
    assert "registry=" in problem.en
    assert "month=" in problem.en


# ------------------------------------------------------------------------------------ 天津


def _tianjin_case() -> tuple[pd.DataFrame, pd.DataFrame]:
    """One project a county; January–March of 2025 and of 2026 (investment per month)."""
    per_month = {"X": (1000, 1100), "Y": (1000, 1050), "Z": (1000, 900), "W": (1000, 1200)}
    reg = pd.DataFrame(
        {
            "project": [f"P{c}" for c in per_month],
            "county": list(per_month),
            "annual_plan": 4800.0,
            "actual_start": pd.Timestamp("2024-01-01"),
        }
    )
    rows = [
        (f"P{c}", f"{year}-{m:02d}", amount / 3)
        for c, (last, this) in per_month.items()
        for year, amount in ((2025, last), (2026, this))
        for m in (1, 2, 3)
    ]
    return reg, pd.DataFrame(rows, columns=["project", "month", "invested"])


def test_tianjin_colours_the_hand_worked_counties() -> None:
    # growth on Jan–Mar 2025: X +10 %, Y +5 %, Z -10 %, W +20 %; the city's: 4250 / 4000 - 1
    # = +6.25 %.  Planned growth (given): X 8, Y 8, Z 8, W 25.
    reg, rep = _tianjin_case()
    counties = county_progress(progress(reg, rep, "2026-03"))
    out = evaluate(
        "tianjin",
        counties,
        registry=reg,
        reports=rep,
        month="2026-03",
        growth_targets={"X": 8.0, "Y": 8.0, "Z": 8.0, "W": 25.0},
    )
    assert out.loc["X", "colour"] == "green"  # 10 >= 8 and >= 6.25
    assert out.loc["Y", "colour"] == "yellow"  # 5 < 8 and < 6.25: both rules
    assert out.loc["Y", "rules"] == "below_plan; below_city_average"
    assert out.loc["Z", "colour"] == "red"  # negative growth
    assert out.loc["Z", "rules"] == "negative_growth"
    assert out.loc["W", "colour"] == "yellow"  # 20 >= 6.25 but < 25
    assert out.loc["W", "rules"] == "below_plan"
    assert out.loc["Y", "reason_zh"] == (
        "累计投资增速 5.0%，低于计划增速 8.0%；累计投资增速 5.0%，低于全市平均 6.2%"
    )


def test_tianjin_without_targets_takes_the_plans_growth_and_sums_a_project_table() -> None:
    # Without targets the plan's growth: March is 3/12 of the year's 4800 = 1200 due against
    # last year's 1000, +20 %.  X (+10 %) and Y (+5 %) are below it; W (+20 %) meets it and the
    # city's 6.25 %.
    reg, rep = _tianjin_case()
    table = progress(reg, rep, "2026-03")
    out = evaluate("tianjin", table, registry=reg, reports=rep, month="2026-03")
    assert out.index.name == "county"
    assert out["colour"].to_dict() == {"W": "green", "X": "yellow", "Y": "yellow", "Z": "red"}
    assert out.loc["X", "rules"] == "below_plan"


# ------------------------------------------------------------------------------------ 新晃


def test_xinhuang_colours_the_months_task_rates() -> None:
    # Year-round projects with a plan of 1200: the month's task is 1200 / 12 = 100; M5 has a
    # monthly plan of 200 in June (its task), M6 did not report.
    reg = pd.DataFrame(
        {
            "project": ["M1", "M2", "M3", "M4", "M5", "M6"],
            "county": "410821",
            "annual_plan": 1200.0,
            "actual_start": pd.Timestamp("2025-01-01"),
        }
    )
    rep = pd.DataFrame(
        {
            "project": ["M1", "M2", "M3", "M4", "M5"],
            "month": "2026-06",
            "invested": [80.0, 79.0, 60.0, 59.9, 150.0],
        }
    )
    plans = pd.DataFrame(
        {"project": "M5", "month": [f"2026-{m:02d}" for m in range(1, 13)], "planned": 100.0}
    )
    plans.loc[5, "planned"] = 200.0
    table = progress(reg, rep, "2026-06", plans=plans)
    out = evaluate(load_rules("xinhuang"), table)
    assert out["colour"].to_dict() == {
        "M1": "green",  # 80 %: not under 80
        "M2": "yellow",  # 79 %: key tracking
        "M3": "yellow",  # 60 %: not under 60
        "M4": "red",  # 59.9 %: 黄牌
        "M5": "yellow",  # 150 / 200 = 75 %
        "M6": "green",  # no report: not judged
    }
    assert out.loc["M4", "reason_zh"] == "月度任务完成率 59.9%，低于 60%（黄牌）"
    assert out.loc["M5", "rules"] == "key_tracking"


# ------------------------------------------------------------------------- the presets and YAML


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_ships_and_loads(name: str) -> None:
    ref = resources.files("kaoping.dispatch").joinpath("presets", f"{name}.yaml")
    assert ref.is_file()
    rules = load_rules(name)
    assert isinstance(rules, RuleSet)
    assert rules.name == rules.id == name
    assert rules.title_zh
    assert rules.title_en
    assert rules.source.startswith("http")
    assert rules.level == ("county" if name == "tianjin" else "project")
    assert set(rules.measures) <= set(MEASURES)


OWN_RULES = """\
id: jiaozuo
name: {zh: 焦作市重点项目预警, en: Jiaozuo key-project warnings}
level: project
x-note: a city's own rules
rules:
  - id: stopped
    colour: red
    when: {measure: stopped, op: "==", value: true}
    reason: {zh: 本月停工, en: stopped this month}
  - id: behind_or_slow
    colour: yellow
    when:
      all:
        - {not: {measure: stopped, op: "==", value: true}}
        - any:
            - {measure: lag_pp, op: ">", value: 15}
            - {measure: invested, op: "<", to: month_plan}
    reason:
      zh: 落后 {lag_pp:.0f} 个百分点，本月完成 {invested} 万元（计划 {month_plan} 万元）
      en: "{lag_pp:.0f} pp behind, {invested} of {month_plan} invested this month"
"""


def test_a_citys_own_rules_from_a_yaml_string_path_or_file(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "stopped": [True, False, False, False],
            "lag_pp": [40.0, 16.0, 2.0, 2.0],
            "invested": [0.0, 120.0, 50.0, 100.0],
            "month_plan": [100.0, 100.0, 100.0, 100.0],
        },
        index=pd.Index(list("ABCD"), name="project"),
    )
    rules = load_rules(OWN_RULES)
    assert (rules.name, rules.level) == ("jiaozuo", "project")
    assert rules.title_en == "Jiaozuo key-project warnings"
    out = evaluate(rules, table)
    assert out["colour"].tolist() == ["red", "yellow", "yellow", "green"]
    assert out.loc["B", "reason_zh"] == "落后 16 个百分点，本月完成 120 万元（计划 100 万元）"
    assert out.loc["C", "reason_en"] == "2 pp behind, 50 of 100 invested this month"
    path = tmp_path / "jiaozuo.yaml"
    path.write_text(OWN_RULES, encoding="utf-8")
    assert load_rules(path) == rules
    assert load_rules(str(path)) == rules
    assert load_rules(io.BytesIO(OWN_RULES.encode())) == rules


BAD = """\
id: 9bad
name: {zh: 坏规则}
level: town
colour: red
rules:
  - id: a
    colour: green
    when: {measure: lag, op: ">=", value: 10}
    reason: {zh: "落后 {lagg}", en: behind}
  - id: a
    colour: red
    when:
      all:
        - {measure: lag_pp, op: "=>", value: "ten"}
        - {measure: growth_pct, op: "<", value: 0}
    reason: {zh: "落后 {lag_pp:d", en: "behind {lag_pp!r}"}
  - id: b
    colour: yellow
    when: {any: []}
    reason: yes
"""


def test_bad_yaml_lists_every_problem_at_once_and_where() -> None:
    with pytest.raises(InputError) as err:
        load_rules(BAD, name="bad.yaml")
    found = {(p.where, p.code) for p in err.value.problems}
    assert found == {
        ("bad.yaml:id", "alerts.bad_id"),
        ("bad.yaml:name.en", "alerts.missing_text"),
        ("bad.yaml:level", "alerts.bad_level"),
        ("bad.yaml:colour", "alerts.unknown_key"),
        ("bad.yaml:rules[0].colour", "alerts.bad_colour"),
        ("bad.yaml:rules[0].when.measure", "alerts.unknown_measure"),
        ("bad.yaml:rules[0].reason.zh", "alerts.unknown_measure"),
        ("bad.yaml:rules[1].when.all[0].op", "alerts.bad_op"),
        ("bad.yaml:rules[1].when.all[0].value", "alerts.bad_value"),
        # growth_pct is a county measure; the rule set (read as project level) has no such one
        ("bad.yaml:rules[1].when.all[1].measure", "alerts.unknown_measure"),
        ("bad.yaml:rules[1].reason.zh", "alerts.bad_reason"),
        ("bad.yaml:rules[1].reason.en", "alerts.bad_reason"),
        ("bad.yaml:rules[2].when.any", "alerts.bad_condition"),
        ("bad.yaml:rules[2].reason", "alerts.missing_text"),
    }
    by_where = {p.where: p for p in err.value.problems}
    unknown = by_where["bad.yaml:rules[0].when.measure"]
    assert "did you mean lag_pp?" in unknown.en
    assert "months_late_to_start" in unknown.en
    assert "lag_pp" in unknown.zh
    assert "green is what no rule firing means" in by_where["bad.yaml:rules[0].colour"].en


def test_a_duplicate_rule_id_and_a_syntax_error_are_named() -> None:
    dup = OWN_RULES.replace("id: behind_or_slow", "id: stopped")
    with pytest.raises(InputError) as err:
        load_rules(dup, name="dup.yaml")
    assert [(p.code, p.where) for p in err.value.problems] == [
        ("alerts.duplicate_rule", "dup.yaml:rules[1].id")
    ]
    with pytest.raises(InputError) as err:
        load_rules("id: x\nrules: [\n", name="broken.yaml")
    (problem,) = err.value.problems
    assert problem.code == "alerts.yaml_syntax"
    assert problem.where is not None
    assert problem.where.startswith("broken.yaml:")


def test_an_unknown_preset_says_which_exist() -> None:
    with pytest.raises(InputError) as err:
        load_rules("beijing")
    (problem,) = err.value.problems
    assert problem.code == "alerts.not_found"
    assert "yinchuan" in problem.en
    assert "xinhuang" in problem.zh


@pytest.mark.parametrize("readme", ["README.md", "README.zh-CN.md"])
def test_the_readmes_own_rules_load(readme: str) -> None:
    text = (Path(__file__).resolve().parents[2] / readme).read_text(encoding="utf-8")
    (block,) = [b for b in text.split("```yaml\n")[1:] if b.startswith("id: my_city")]
    rules = load_rules(block.split("```")[0], name=readme)
    assert [(r.id, r.colour) for r in rules.rules] == [("lag", "red")]
