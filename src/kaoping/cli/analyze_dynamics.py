"""``kaoping analyze density | markov | convergence``: how a score moves over the periods.

The library does the work (:mod:`kaoping.analysis.dynamics`); these commands assess the chosen
periods (``--periods``, default all), take the index or a dimension's score (``--node``), and
print, write (``-o OUT.xlsx``) or dump (``--json``) the tables.  What the library warns about
(an empty class, units left out) is printed once, as a note.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kaoping.cli import _stderr, _t, domain_errors
from kaoping.cli.analyze import HEADERS as SHARED
from kaoping.cli.analyze import (
    Inputs,
    Section,
    analyze,
    emit,
    input_options,
    node_option,
    output_options,
)

if TYPE_CHECKING:
    import pandas as pd

    from kaoping.analysis.dynamics import BetaConvergence, SigmaConvergence

__all__ = ["convergence_command", "density_command", "markov_command"]

HEADERS: dict[str, tuple[str, str]] = {
    "score": ("得分", "Score"),
    "bandwidth": ("带宽", "Bandwidth"),
    "peak_at": ("主峰位置", "Main peak at"),
    "peak_height": ("主峰高度", "Main peak height"),
    "peaks": ("波峰数", "Peaks"),
    "from": ("期初类别", "From"),
    "class": ("类别", "Class"),
    "lower": ("下限", "Lower bound"),
    "upper": ("上限（含）", "Upper bound (incl.)"),
    "initial": ("期初占比", "Share, first period"),
    "final": ("期末占比", "Share, last period"),
    "sigma": ("σ", "σ"),
    "mean": ("均值", "Mean"),
    "start": ("基期", "Start"),
    "end": ("末期", "End"),
    "span": ("年数 T", "Years T"),
    "beta": ("β", "β"),
    "se": ("标准误", "Std. error"),
    "t": ("t 值", "t"),
    "p": ("p 值", "p"),
    "alpha": ("常数项", "Constant"),
    "alpha_se": ("常数项标准误", "Constant std. error"),
    "r2": ("R²", "R²"),
    "speed": ("收敛速度", "Speed of convergence"),
    "half_life": ("半衰期（年）", "Half-life (years)"),
}
"""Column headers of these commands' tables (beyond the shared ones)."""


def _scores(inputs: Inputs, node: str) -> pd.DataFrame:
    from kaoping.analysis.periods import score_frame

    return score_frame(inputs.results(), node)


def _notes(pairs: tuple[tuple[str, str], ...]) -> list[str]:
    return [_t(zh, en) for zh, en in pairs]


# --------------------------------------------------------------------------------------------
# kaoping analyze density
# --------------------------------------------------------------------------------------------


def _bandwidth(text: str) -> str | float:
    if text.strip().lower() == "silverman":
        return "silverman"
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise click.BadParameter(
            _t(
                f"须为 silverman 或正数，收到 {text!r}。",
                f"must be 'silverman' or a positive number, got {text!r}.",
            ),
            param_hint="--bandwidth",
        )
    return value


@analyze.command("density")
@input_options
@output_options
@node_option
@click.option(
    "--bandwidth",
    default="silverman",
    show_default=True,
    help="'silverman' (0.9 min(sd, IQR/1.34) n^(-1/5), per period) or one bandwidth h > 0.",
)
@click.option(
    "--points", default=256, show_default=True, type=click.IntRange(min=2), help="Grid points."
)
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw the curves to OUT.png (or OUT.svg).",
)
@domain_errors
def density_command(
    inputs: Inputs,
    as_json: bool,
    output: Path | None,
    node: str,
    bandwidth: str,
    points: int,
    chart: Path | None,
) -> None:
    """Kernel density of a score in each period, on one grid.

    \b
    核密度估计：各期得分分布的高斯核密度曲线（Silverman 带宽或给定带宽），绘于同一网格；
    汇总各期带宽、主峰位置与高度、波峰数。--chart 输出曲线图（PNG 或 SVG）。
    Example: kaoping analyze density --demo --chart 核密度.png -o 核密度.xlsx
    """
    from kaoping.analysis.dynamics import kernel_density

    h = _bandwidth(bandwidth)
    if chart is not None and chart.suffix.lower() not in (".png", ".svg"):
        raise click.UsageError(
            _t(f"{chart} 的扩展名须为 .png 或 .svg。", f"{chart} must end in .png or .svg.")
        )
    kde = kernel_density(_scores(inputs, node), bandwidth=h, points=points)  # type: ignore[arg-type]
    what = inputs.node_name(node)
    sections = [
        Section(
            "summary",
            f"{what}核密度：各期带宽与主峰",
            f"Kernel density of {what}: bandwidth and main peak per period",
            kde.summary(),
            headers=HEADERS,
        )
    ]
    if as_json or output is not None:  # 256 rows: for machines and the workbook
        sections.append(
            Section(
                "density",
                f"{what}核密度曲线",
                f"Kernel density curves of {what}",
                kde.density,
                headers=HEADERS,
                digits=6,
            )
        )
    grid = kde.grid
    if kde.rule == "silverman":
        rule = (
            "Silverman 带宽 h = 0.9·min(s, IQR/1.34)·n^(-1/5)（s 为样本标准差）",
            "Silverman's bandwidth h = 0.9 min(s, IQR/1.34) n^(-1/5) (s the sample sd)",
        )
    else:
        rule = (f"带宽 h = {h:g}", f"bandwidth h = {h:g}")
    notes = [
        _t(
            f"高斯核，{rule[0]}；网格 {grid.size} 点，{grid[0]:.2f} 至 {grid[-1]:.2f}。",
            f"Gaussian kernel, {rule[1]}; a grid of {grid.size} points from {grid[0]:.2f} "
            f"to {grid[-1]:.2f}.",
        )
    ]
    if not as_json and output is None:
        notes.append(
            _t(
                "各网格点的密度见 --json 或 -o OUT.xlsx。",
                "The density at each grid point: --json or -o OUT.xlsx.",
            )
        )
    emit(sections, as_json=as_json, output=output, notes=notes)
    if chart is not None:
        from kaoping.errors import get_language
        from kaoping.report.dynamics_charts import density_chart

        drawn = density_chart(
            kde,
            title=_t(f"{what}核密度", f"Kernel density of {what}"),
            xlabel=what if node != "score" else _t("综合得分", "Score"),
            lang="en" if get_language() == "en" else "zh",
        )
        if chart.suffix.lower() == ".svg":
            chart.write_text(drawn.svg(), encoding="utf-8")
        else:
            chart.write_bytes(drawn.png())
        _stderr().print(_t(f"已写入 {chart}", f"written to {chart}"), markup=False)


# --------------------------------------------------------------------------------------------
# kaoping analyze markov
# --------------------------------------------------------------------------------------------


def _classes(text: str) -> int | str:
    low = text.strip().lower()
    if low == "tiers":
        return "tiers"
    if low.isdigit() and int(low) >= 2:
        return int(low)
    raise click.BadParameter(
        _t(
            f"须为不小于 2 的整数（按分位数分类，如 4 为四分位）或 tiers（按方阵），"
            f"收到 {text!r}。",
            f"must be a whole number >= 2 (quantile classes, 4 = quartiles) or 'tiers', got "
            f"{text!r}.",
        ),
        param_hint="--classes",
    )


@analyze.command("markov")
@input_options
@output_options
@node_option
@click.option(
    "--classes",
    "classes_text",
    default="4",
    show_default=True,
    help="Quantile classes of the pooled scores (4 = quartiles), or 'tiers' (the tiers).",
)
@domain_errors
def markov_command(
    inputs: Inputs, as_json: bool, output: Path | None, node: str, classes_text: str
) -> None:
    """Markov transition matrix of classes between consecutive periods.

    \b
    马尔可夫转移矩阵：按全部年份得分的分位数（默认四分位，Q1 最低）或按方阵分类，统计相邻
    两期之间的类别转移概率 P_ab = n_ab / n_a；附各类样本数 n_a、分类界限与期初、期末分布。
    Example: kaoping analyze markov --demo --classes tiers -o 马尔可夫.xlsx
    """
    from kaoping.analysis.dynamics import markov, tier_labels
    from kaoping.errors import KaopingWarning

    classes = _classes(classes_text)
    if classes == "tiers" and node != "score":
        raise click.UsageError(
            _t(
                "方阵按综合得分划定：--classes tiers 不能与 --node 同用；维度得分请按分位数分类。",
                "tiers follow the index: --classes tiers cannot be used with --node; classify "
                "a dimension's score by quantiles.",
            )
        )
    scores = _scores(inputs, node)
    with warnings.catch_warnings():  # the notes are printed below, once
        warnings.simplefilter("ignore", KaopingWarning)
        if classes == "tiers":
            found = markov(scores, classes="tiers", labels=tier_labels(inputs.results()))
        else:
            found = markov(scores, classes=int(classes))
    what = inputs.node_name(node)
    if classes == "tiers":
        kind = _t("按方阵", "tiers")
    elif classes == 4:
        kind = _t("按四分位", "quartiles")
    else:
        kind = _t(f"按 {classes} 分位", f"{classes} quantile classes")
    span = f"{found.periods[0]}–{found.periods[-1]}"
    sections = [
        Section(
            "matrix",
            f"{what}马尔可夫转移矩阵（{kind}，{span}）",
            f"Markov transition matrix of {what} ({kind}, {span})",
            found.table(),
            headers={**HEADERS, "n": ("转移样本数 n_a", "Transitions n_a")},
        ),
        Section(
            "distribution",
            "期初与期末各类占比",
            "Share of the units in each class, first and last period",
            found.initial.to_frame().join(found.final),
            headers=HEADERS,
        ),
    ]
    if found.bounds is not None:
        sections.insert(
            1,
            Section("bounds", "分类界限", "Class bounds", found.bounds, headers=HEADERS, digits=2),
        )
    stay = float(sum(found.transitions.loc[c, c] for c in found.matrix.index))
    total = float(found.counts.sum())
    notes = _notes(found.notes)
    if total:
        notes.append(
            _t(
                f"{int(total)} 次相邻两期转移中 {stay / total:.1%} 保持原类别（对角线）。",
                f"of {int(total)} transitions between consecutive periods {stay / total:.1%} "
                "stay in their class (the diagonal).",
            )
        )
    if found.bounds is not None:
        notes.append(
            _t(
                "分类界限为全部年份得分合并后的分位数；恰在界限上的得分归入较低一类。",
                "The bounds are quantiles of the scores of all periods pooled; a score on a "
                "bound goes to the lower class.",
            )
        )
    emit(sections, as_json=as_json, output=output, notes=notes)


# --------------------------------------------------------------------------------------------
# kaoping analyze convergence
# --------------------------------------------------------------------------------------------


@analyze.command("convergence")
@input_options
@output_options
@node_option
@click.option(
    "--measure",
    type=click.Choice(["sd_log", "cv"]),
    default="sd_log",
    show_default=True,
    help="σ: the standard deviation of ln y (population), or the coefficient of variation.",
)
@domain_errors
def convergence_command(
    inputs: Inputs, as_json: bool, output: Path | None, node: str, measure: str
) -> None:
    """σ convergence per period and absolute β convergence (OLS) from the first period
    chosen to the last.

    \b
    σ收敛与绝对β收敛：各期对数得分的标准差（或变异系数）；以首末两期做
    ln(y_末/y_基)/T 对 ln y_基 的最小二乘回归，给出 β、标准误、t、p、R²、收敛速度
    −ln(1+Tβ)/T 与半衰期 ln2/速度。--periods 选定起止年份。
    Example: kaoping analyze convergence --demo --node green -o 收敛.xlsx
    """
    import pandas as pd

    from kaoping.analysis.dynamics import beta_convergence, sigma_convergence

    scores = _scores(inputs, node)
    sigma = sigma_convergence(scores, measure=measure)  # type: ignore[arg-type]
    beta = beta_convergence(scores)
    what = inputs.node_name(node)
    measured = _t("对数标准差", "sd of ln y") if measure == "sd_log" else _t("变异系数", "CV")
    summary = beta.summary()
    if as_json:  # one record, the library's names
        fit = pd.DataFrame([summary.to_dict()])
    else:  # one row per item: readable on a terminal and in a sheet
        fit = pd.DataFrame(
            {
                "item": [_t(*(HEADERS.get(k) or SHARED[k])) for k in summary.index],
                "value": [_plain(v) for v in summary.to_numpy()],
            }
        )
    sections = [
        Section(
            "sigma",
            f"{what}σ收敛（{measured}）",
            f"σ convergence of {what} ({measured})",
            sigma.frame,
            headers=HEADERS,
        ),
        Section(
            "beta",
            f"{what}绝对β收敛",
            f"Absolute β convergence of {what}",
            fit,
            index=False,
            headers={**HEADERS, "item": ("项目", "Item")},
        ),
    ]
    notes = [_sigma_note(sigma), _beta_note(beta), *_notes(beta.notes)]
    emit(sections, as_json=as_json, output=output, notes=notes)


def _plain(value: object) -> object:
    """Whole numbers as int (n, T), others as they are (the periods, the floats)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sigma_note(sigma: SigmaConvergence) -> str:
    values = sigma.sigma
    first, last = str(values.index[0]), str(values.index[-1])
    a, b = float(values.iloc[0]), float(values.iloc[-1])
    if len(values) < 2:
        return _t(f"σ = {a:.4f}（{first}）。", f"σ = {a:.4f} ({first}).")
    falls = b < a
    return _t(
        f"σ 由 {a:.4f}（{first}）{'降至' if falls else '升至'} {b:.4f}（{last}）："
        f"{'差距缩小（σ收敛）' if falls else '差距未缩小（无σ收敛）'}。",
        f"σ went from {a:.4f} ({first}) to {b:.4f} ({last}): the gaps "
        f"{'narrowed (σ convergence)' if falls else 'did not narrow (no σ convergence)'}.",
    )


def _beta_note(beta: BetaConvergence) -> str:
    sign = "< 0" if beta.beta < 0 else ">= 0"
    significant = beta.p < 0.05
    if beta.beta < 0 and significant:
        zh = "存在绝对β收敛（5% 水平显著）"
        en = "absolute β convergence (significant at 5%)"
    elif beta.beta < 0:
        zh, en = "β 为负但不显著", "β negative but not significant at 5%"
    else:
        zh, en = "无绝对β收敛", "no absolute β convergence"
    extra_zh = extra_en = ""
    if beta.speed > 0:
        extra_zh = f"，收敛速度 {beta.speed:.2%}/年，半衰期 {beta.half_life:.1f} 年"
        extra_en = f"; speed {beta.speed:.2%} a year, half-life {beta.half_life:.1f} years"
    return _t(
        f"β = {beta.beta:.4f} {sign}（p = {beta.p:.3g}，n = {beta.n}）：{zh}{extra_zh}。",
        f"β = {beta.beta:.4f} {sign} (p = {beta.p:.3g}, n = {beta.n}): {en}{extra_en}.",
    )
