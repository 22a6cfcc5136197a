"""``kaoping analyze coupling`` and ``kaoping analyze obstacles``: 耦合协调度 and 障碍度.

The library does the work (:mod:`kaoping.analysis.coupling`, :mod:`kaoping.analysis.obstacle`);
these commands assess the period asked for (``-p``, default the latest; ``coupling
--over-periods``: every period of ``--periods``), and print, write (``-o OUT.xlsx``) or dump
(``--json``) the tables:

* ``coupling``: per unit the coupling degree C, the development index T, the coupling
  coordination degree D and its class, with the subsystem scores on [0, 1]; and how many units
  fall in each class (per period);
* ``obstacles``: per unit its ``--top`` largest obstacles and the obstacle degree of each
  top-level dimension; with ``--unit CODE`` one unit's every indicator, largest first.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kaoping.cli import _t, domain_errors
from kaoping.cli.analyze import Inputs, Section, analyze, emit, input_options, output_options
from kaoping.errors import get_language

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["coupling_command", "obstacles_command"]

COUPLING_HEADERS: dict[str, tuple[str, str]] = {
    "C": ("耦合度 C", "Coupling C"),
    "T": ("综合协调指数 T", "Development T"),
    "D": ("耦合协调度 D", "Coordination D"),
    "class": ("协调等级", "Class (Chinese)"),
    "class_en": ("协调等级（英文）", "Class"),
    "range": ("D 的区间", "Range of D"),
    "units": ("单位数", "Units"),
    "mean_C": ("C 均值", "Mean C"),
    "mean_T": ("T 均值", "Mean T"),
    "mean_D": ("D 均值", "Mean D"),
}
OBSTACLE_HEADERS: dict[str, tuple[str, str]] = {
    "degree": ("障碍度", "Obstacle degree"),
    "deviation": ("偏离度 1−y", "Deviation 1−y"),
    "value": ("标准化值 y", "Normalised y"),
    "weight": ("权重 F", "Weight F"),
    "rank": ("位次", "Rank"),
    "dimension_name": ("维度名称", "Dimension name"),
}


def _dimension_headers(inputs: Inputs) -> dict[str, tuple[str, str]]:
    """Dimension id -> (Chinese name, English name or id), for the subsystem columns."""
    return {n.id: (n.name, n.name_en or n.id) for n in inputs.methodology.nodes()}


def _numbers(text: str | None, option: str, count: int | None = None) -> list[float] | None:
    if text is None:
        return None
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        values = []
    if not values or (count is not None and len(values) != count):
        need = f"{count} numbers" if count else "numbers"
        raise click.BadParameter(
            _t(
                f"须为逗号分隔的数，收到 {text!r}。",
                f"must be {need} separated by commas; got {text!r}.",
            ),
            param_hint=option,
        )
    return values


@analyze.command("coupling")
@input_options
@output_options
@click.option(
    "--subsystems",
    help="Dimension ids to couple, comma-separated (default: the top-level dimensions).",
)
@click.option(
    "--form",
    type=click.Choice(["standard", "wang2021"]),
    default="standard",
    show_default=True,
    help="Coupling degree: standard (geometric over arithmetic mean) or wang2021 "
    "(the corrected form of Wang et al. 2021).",
)
@click.option(
    "--coefficients",
    help="Coefficients a_i of T, comma-separated in subsystem order, summing to 1 "
    "(default: equal).",
)
@click.option(
    "--scale",
    help="LO,HI of the dimension scores, rescaled to [0, 1] (default: the methodology's "
    "range, e.g. 0,100).",
)
@click.option(
    "--over-periods",
    is_flag=True,
    help="Every period of --periods (default all) instead of the one of -p.",
)
@domain_errors
def coupling_command(
    inputs: Inputs,
    as_json: bool,
    output: Path | None,
    subsystems: str | None,
    form: str,
    coefficients: str | None,
    scale: str | None,
    over_periods: bool,
) -> None:
    """Coupling coordination degree of the dimensions: C, T, D and the ten classes.

    \b
    耦合协调度：以各维度（默认一级维度）为子系统，计算耦合度 C（几何平均/算术平均，
    或 --form wang2021 王淑佳等 2021 的修正形式）、综合协调指数 T = Σ a_i U_i、
    耦合协调度 D = √(C·T)，按 0.1 分为十个等级（极度失调 … 优质协调，区间左闭右开）。
    维度得分先按考核办法的取值范围换算到 [0, 1]（县域默认办法为 0–100）。
    Example: kaoping analyze coupling --demo --subsystems economy,green -o 耦合协调度.xlsx
    """
    import pandas as pd

    from kaoping.analysis.coupling import class_counts, coupling_of, coupling_panel

    ids = [s.strip() for s in subsystems.split(",") if s.strip()] if subsystems else None
    a = _numbers(coefficients, "--coefficients")
    bounds = _numbers(scale, "--scale", 2)
    options = {
        "coefficients": a,
        "form": form,
        "scale": (bounds[0], bounds[1]) if bounds else None,
    }
    headers = {**COUPLING_HEADERS, **_dimension_headers(inputs)}
    if over_periods:
        table = coupling_panel(inputs.results(), ids, **options)  # type: ignore[arg-type]
        means = table.groupby("period", sort=False)[["C", "T", "D"]].mean()
        means.columns = pd.Index(["mean_C", "mean_T", "mean_D"])
        sections = [
            Section(
                "coupling",
                "耦合协调度（各时期）",
                "Coupling coordination (every period)",
                table,
                index=False,
                headers=headers,
            ),
            Section(
                "summary",
                "各时期均值",
                "Means per period",
                means,
                headers=headers,
            ),
            Section(
                "classes",
                "协调等级分布（各时期单位数）",
                "Units per class and period",
                class_counts(table, by="period"),
                headers=headers,
            ),
        ]
        period_text = f"{inputs.periods[0]}–{inputs.periods[-1]}"
    else:
        result = inputs.result()
        table = coupling_of(result, ids, **options)  # type: ignore[arg-type]
        table = table.sort_values("D", ascending=False, kind="stable", na_position="last")
        sections = [
            Section(
                "coupling",
                f"耦合协调度（{result.period}）",
                f"Coupling coordination ({result.period})",
                table,
                headers=headers,
            ),
            Section(
                "classes",
                f"协调等级分布（{result.period}）",
                f"Units per class ({result.period})",
                class_counts(table),
                headers=headers,
            ),
        ]
        period_text = result.period
    used = ids or [d.id for d in inputs.methodology.dimensions]
    names = "、".join(headers[i][0] for i in used) if get_language() == "zh" else ", ".join(used)
    notes = [
        _t(
            f"子系统：{names}；耦合度形式：{form}；时期：{period_text}。",
            f"subsystems: {names}; coupling form: {form}; period: {period_text}.",
        )
    ]
    if form == "wang2021":
        notes.append(
            _t(
                "wang2021 按文献中通行的写法实现，未能与原文公式逐字核对（见 "
                "kaoping.methods.coupling.degree 的说明）；发表前请对照原文。",
                "wang2021 follows the formula as it is generally cited; it could not be checked "
                "against the paper's own equation (see kaoping.methods.coupling.degree); check "
                "it against the paper before publishing.",
            )
        )
    emit(sections, as_json=as_json, output=output, notes=notes)


def _indicator_names(inputs: Inputs, frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """In English, the indicators' English names where the methodology has them."""
    if get_language() == "zh" or column not in frame.columns:
        return frame
    english = {i.id: i.name_en or i.name for i in inputs.methodology.indicators}
    ids = frame["indicator"] if "indicator" in frame.columns else frame.index.to_series()
    out = frame.copy()
    out[column] = [english.get(str(i), name) for i, name in zip(ids, frame[column], strict=True)]
    return out


@analyze.command("obstacles")
@input_options
@output_options
@click.option(
    "--top",
    "top_n",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="How many obstacles per unit.",
)
@click.option("--unit", "unit_code", help="One unit's obstacles (its code): every indicator.")
@domain_errors
def obstacles_command(
    inputs: Inputs, as_json: bool, output: Path | None, top_n: int, unit_code: str | None
) -> None:
    """Obstacle degrees: which indicators hold each unit back, and each dimension's share.

    \b
    障碍度：O_ij = F_j (1 − y_ij) / Σ F_l (1 − y_il)，F 为指标的有效权重，y 为 [0, 1] 上的
    标准化值（1 为最优）；维度障碍度为其指标之和。列出每个单位的前 N 个主要障碍因子（--top）
    与各一级维度的障碍度；--unit CODE 列出一个单位的全部指标。缺失值（missing: skip）
    对该单位略去并按其余指标重新分配。
    Example: kaoping analyze obstacles --demo --top 5 --unit 410122
    """
    import pandas as pd

    from kaoping.analysis.obstacle import obstacles

    result = inputs.result()
    obs = obstacles(result)
    headers = {**OBSTACLE_HEADERS, **_dimension_headers(inputs)}
    dims = obs.dimensions.copy()
    dims.insert(0, "name", obs.names.reindex(dims.index).to_numpy())
    if unit_code is not None:
        table = _indicator_names(inputs, obs.unit(unit_code), "indicator_name")
        code = str(unit_code).strip()
        name = str(obs.names.get(code, code))
        lang = 0 if get_language() == "zh" else 1
        one = pd.DataFrame(
            {
                "dimension_name": [headers[d][lang] for d in obs.dimensions.columns],
                "degree": obs.dimensions.loc[code].to_numpy(),
            },
            index=pd.Index(list(obs.dimensions.columns), name="dimension"),
        ).sort_values("degree", ascending=False, kind="stable")
        sections = [
            Section(
                "unit",
                f"{name}（{code}）各指标障碍度（{result.period}）",
                f"Obstacle degrees of {name} ({code}), {result.period}",
                table,
                headers=headers,
            ),
            Section(
                "dimensions",
                f"{name}（{code}）各维度障碍度",
                f"Obstacle degrees of {name} ({code}) by dimension",
                one,
                headers=headers,
            ),
        ]
    else:
        top = _indicator_names(inputs, obs.top(top_n), "indicator_name")
        sections = [
            Section(
                "top",
                f"主要障碍因子（前 {top_n} 位，{result.period}）",
                f"Main obstacles (top {top_n}, {result.period})",
                top,
                index=False,
                headers=headers,
            ),
            Section(
                "dimensions",
                f"各维度障碍度（{result.period}）",
                f"Obstacle degrees by dimension ({result.period})",
                dims,
                headers=headers,
            ),
        ]
    notes = []
    if obs.no_deviation:
        shown = "、".join(obs.no_deviation[:10]) + ("…" if len(obs.no_deviation) > 10 else "")
        notes.append(
            _t(
                f"{len(obs.no_deviation)} 个单位在各项有权重的指标上均为最优，没有障碍"
                f"（障碍度为 0）：{shown}。",
                f"{len(obs.no_deviation)} unit(s) are the best on every weighted indicator and "
                f"have no obstacle (degrees 0): {shown}.",
            )
        )
    skipped = int(obs.indicators.isna().to_numpy().sum())
    if skipped:
        notes.append(
            _t(
                f"{skipped} 个缺失值已对相应单位略去，其余指标的障碍度按可用指标重新计算。",
                f"{skipped} missing value(s) were skipped for their units; the other degrees "
                "are shares of the indicators each unit has.",
            )
        )
    emit(sections, as_json=as_json, output=output, notes=notes)
