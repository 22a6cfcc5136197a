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

from collections.abc import Iterator
from contextlib import contextmanager
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
    "class": ("协调等级", "Class"),
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
        need_zh = f"{count} 个" if count else ""
        need_en = f"{count} numbers" if count else "numbers"
        raise click.BadParameter(
            _t(
                f"须为 {need_zh}逗号分隔的数，收到 {text}。",
                f"must be {need_en} separated by commas; got {text}.",
            ),
            param_hint=option,
        )
    return values


_OPTIONS = {
    "subsystems": "--subsystems",
    "coefficients": "--coefficients",
    "scale": "--scale",
    "form": "--form",
}
FORM_NAMES: dict[str, tuple[str, str]] = {
    "standard": ("标准形式（几何平均/算术平均）", "standard (geometric over arithmetic mean)"),
    "wang2021": ("王淑佳等 2021 的修正形式", "the corrected form of Wang et al. (2021)"),
}


@contextmanager
def _option_problems() -> Iterator[None]:
    """The library's problems with the options as usage errors (exit 2) naming the option;
    other problems stay (exit 1), with the options named as on the command line."""
    from kaoping.errors import InputError, Problem

    try:
        yield
    except InputError as exc:
        options = [_OPTIONS.get(p.where or "") for p in exc.problems]
        if all(options):
            lines = [_t(p.zh, p.en) for p in exc.problems]
            if len(set(options)) == 1:
                raise click.BadParameter("\n".join(lines), param_hint=options[0]) from None
            raise click.UsageError(
                "\n".join(f"{o}: {line}" for o, line in zip(options, lines, strict=True))
            ) from None
        raise InputError(
            Problem(p.code, p.zh, p.en, o or p.where)
            for p, o in zip(exc.problems, options, strict=True)
        ) from None


def _all_zero(table: pd.DataFrame, ids: list[str]) -> list[str]:
    """The units whose every subsystem score is 0 (left out by the library)."""
    zero = (table[ids] == 0).all(axis=1) & table["D"].isna()
    units = table["unit"] if "unit" in table.columns else table.index.to_series()
    return [str(u) for u in units[zero]]


def _one_class_column(frame: pd.DataFrame, as_json: bool) -> pd.DataFrame:
    """The class in the user's language only (the JSON keeps both names)."""
    if as_json or "class_en" not in frame.columns:
        return frame
    if get_language() == "zh":
        return frame.drop(columns="class_en")
    out = frame.drop(columns="class")
    return out.rename(columns={"class_en": "class"})


def _class_counts(counts: pd.DataFrame, as_json: bool) -> pd.DataFrame:
    """The class counts indexed by the class in the user's language (JSON: both names)."""
    if as_json:
        return counts
    if get_language() == "zh":
        return counts.drop(columns="class_en")
    out = counts.set_index("class_en").rename_axis("class")
    return out


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
    import warnings

    import pandas as pd

    from kaoping.analysis.coupling import (
        all_zero_note,
        check_options,
        class_counts,
        coupling_of,
        coupling_panel,
    )
    from kaoping.errors import KaopingWarning

    names_given = [s.strip() for s in subsystems.split(",") if s.strip()] if subsystems else None
    a = _numbers(coefficients, "--coefficients")
    bounds = _numbers(scale, "--scale", 2)
    span = (bounds[0], bounds[1]) if bounds else None
    with _option_problems():  # before any assessment: a bad option is a usage error
        ids = check_options(inputs.methodology, names_given, coefficients=a, form=form, scale=span)
    options = {"coefficients": a, "form": form, "scale": span}
    headers = {**COUPLING_HEADERS, **_dimension_headers(inputs)}
    zero_notes: list[tuple[str, str]] = []
    if over_periods:
        results = inputs.results()
        with _option_problems(), warnings.catch_warnings():  # the notes are printed below
            warnings.simplefilter("ignore", KaopingWarning)
            table = coupling_panel(results, ids, **options)  # type: ignore[arg-type]
        for period, part in table.groupby("period", sort=False):
            zero = _all_zero(part, ids)
            if zero:
                zh, en = all_zero_note(zero)
                zero_notes.append((f"{period}：{zh}", f"{period}: {en}"))
        means = table.groupby("period", sort=False)[["C", "T", "D"]].mean()
        means.columns = pd.Index(["mean_C", "mean_T", "mean_D"])
        sections = [
            Section(
                "coupling",
                "耦合协调度（各时期）",
                "Coupling coordination (every period)",
                _one_class_column(table, as_json),
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
                _class_counts(class_counts(table, by="period"), as_json),
                headers=headers,
            ),
        ]
        period_text = f"{inputs.periods[0]}–{inputs.periods[-1]}"
    else:
        result = inputs.result()
        with _option_problems(), warnings.catch_warnings():  # the notes are printed below
            warnings.simplefilter("ignore", KaopingWarning)
            table = coupling_of(result, ids, **options)  # type: ignore[arg-type]
        zero = _all_zero(table, ids)
        if zero:
            zero_notes.append(all_zero_note(zero))
        table = table.sort_values("D", ascending=False, kind="stable", na_position="last")
        sections = [
            Section(
                "coupling",
                f"耦合协调度（{result.period}）",
                f"Coupling coordination ({result.period})",
                _one_class_column(table, as_json),
                headers=headers,
            ),
            Section(
                "classes",
                f"协调等级分布（{result.period}）",
                f"Units per class ({result.period})",
                _class_counts(class_counts(table), as_json),
                headers=headers,
            ),
        ]
        period_text = result.period
    lang = 0 if get_language() == "zh" else 1
    names = ("、" if lang == 0 else ", ").join(headers[i][lang] for i in ids)
    form_name = FORM_NAMES[form][lang]
    notes = [
        _t(
            f"子系统：{names}；耦合度形式：{form_name}；时期：{period_text}。",
            f"subsystems: {names}; coupling form: {form_name}; period: {period_text}.",
        ),
        *(_t(zh, en) for zh, en in zero_notes),
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
        top_shown = min(top_n, len(obs.indicators.columns))  # --top 100 of 38 indicators: 38
        sections = [
            Section(
                "top",
                f"主要障碍因子（前 {top_shown} 位，{result.period}）",
                f"Main obstacles (top {top_shown}, {result.period})",
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
