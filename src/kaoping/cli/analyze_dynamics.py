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
    check_output,
    emit,
    input_options,
    node_option,
    output_options,
)

if TYPE_CHECKING:
    import pandas as pd

    from kaoping.analysis.dynamics import BetaConvergence, SigmaConvergence
    from kaoping.errors import InputError

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


def _need_periods(inputs: Inputs, least: int, what_zh: str, what_en: str) -> None:
    """Stop before any assessment when fewer than ``least`` periods are chosen: a usage error
    naming --periods when the data has enough of them, else a data problem."""
    from kaoping.errors import InputError, Problem

    chosen, available = inputs.periods, list(inputs.panel.periods)
    if len(chosen) >= least:
        return
    have_zh = "、".join(available) or "无"
    have_en = ", ".join(available) or "none"
    picked_zh = f"（{'、'.join(chosen)}）" if chosen else ""
    picked_en = f" ({', '.join(chosen)})" if chosen else ""
    if inputs.periods_given and len(available) >= least:
        raise click.BadParameter(
            _t(
                f"{what_zh}至少需要 {least} 个时期，只选择了 {len(chosen)} 个{picked_zh}：请用 "
                f"--periods 选择 {least} 个或更多时期（数据中有：{have_zh}），或去掉 --periods "
                "使用全部时期。",
                f"{what_en} needs at least {least} periods, {len(chosen)} chosen{picked_en}: "
                f"choose {least} or more with --periods (the data has: {have_en}), or leave out "
                "--periods for all of them.",
            ),
            param_hint="--periods",
        )
    raise InputError(
        [
            Problem(
                "analysis.too_few_periods",
                f"{what_zh}至少需要 {least} 个时期，数据中只有 {len(available)} 个（{have_zh}）："
                f"请使用包含 {least} 个或更多时期的数据（每行一个单位、一个时期，如年份列）。",
                f"{what_en} needs at least {least} periods, the data has {len(available)} "
                f"({have_en}): use data with {least} or more periods (one row per unit and "
                "period, e.g. a year column).",
            )
        ]
    )


def _with_fix(error: InputError, code: str, zh: str, en: str) -> InputError:
    """``error`` with ``zh``/``en`` added to each of its problems of ``code`` (the option to
    change, which the library cannot name)."""
    from kaoping.errors import InputError, Problem

    return InputError(
        [
            Problem(p.code, p.zh + zh, f"{p.en} {en}", p.where) if p.code == code else p
            for p in error.problems
        ]
    )


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
    from kaoping.errors import InputError, Problem

    h = _bandwidth(bandwidth)
    check_output(chart, (".png", ".svg"), "--chart")
    _need_periods(inputs, 1, "核密度", "the kernel density")
    scores = _scores(inputs, node)
    counts = scores.notna().sum()
    if len(counts) and int(counts.max()) < 2:
        units = [str(u) for u in scores.index[scores.notna().any(axis=1)]]
        listed = f"（{'、'.join(units)}）" if units else ""
        raise InputError(
            [
                Problem(
                    "analysis.too_few_units",
                    f"核密度至少需要 2 个单位的得分，每个时期都只有 {int(counts.max())} 个单位"
                    f"有得分{listed}：请使用包含两个或更多单位的数据。",
                    f"a kernel density needs the scores of at least 2 units, and every period "
                    f"has {int(counts.max())}{' (' + ', '.join(units) + ')' if units else ''}: "
                    "use data with two or more units.",
                )
            ]
        )
    try:
        kde = kernel_density(scores, bandwidth=h, points=points)  # type: ignore[arg-type]
    except InputError as exc:
        exc = _with_fix(
            exc, "dynamics.too_few_units", "请用 --periods 去掉这一时期。",
            "Leave the period out with --periods.",
        )  # fmt: skip
        raise _with_fix(
            exc, "dynamics.constant", "请用 --bandwidth 给出带宽，如 --bandwidth 2.5。",
            "Give one with --bandwidth, e.g. --bandwidth 2.5.",
        ) from None  # fmt: skip
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


def _most_classes(scores: pd.DataFrame) -> tuple[int, int, int]:
    """The most quantile classes the scores bear, with the number of transitions and of
    distinct scores: at most as many classes as distinct scores, and so few that the average
    class starts at least as many transitions as its row has cells (k <= sqrt(transitions)),
    never fewer than 2."""
    import numpy as np

    values = scores.to_numpy(dtype=float)
    finite = np.isfinite(values)
    pairs = int((finite[:, :-1] & finite[:, 1:]).sum())
    distinct = int(np.unique(values[finite]).size)
    return max(2, min(distinct, math.isqrt(pairs))), pairs, distinct


def _check_classes(scores: pd.DataFrame, classes: int) -> None:
    most, pairs, distinct = _most_classes(scores)
    if classes <= most:
        return
    why_zh = f"只有 {distinct} 个不同的得分" if distinct < classes else ""
    why_en = f"there are only {distinct} distinct scores" if distinct < classes else ""
    if not why_zh:
        why_zh = (
            f"{pairs} 次相邻两期转移分到 {classes} 类，每类平均只有 {pairs / classes:.1f} 次，"
            "转移矩阵的多数格子没有观测"
        )
        why_en = (
            f"{pairs} transitions between consecutive periods in {classes} classes are "
            f"{pairs / classes:.1f} per class, and most cells of the matrix would rest on no "
            "observation"
        )
    raise click.BadParameter(
        _t(
            f"{classes} 类太多：{why_zh}；这些数据最多用 {most} 类（每类的平均转移次数不少于"
            "类数），常用 4（四分位）或 5。",
            f"{classes} classes are too many: {why_en}; these data bear at most {most} (as "
            "many transitions per class, on average, as classes), commonly 4 (quartiles) or 5.",
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
    _need_periods(inputs, 2, "马尔可夫转移矩阵", "a Markov transition matrix")
    scores = _scores(inputs, node)
    if isinstance(classes, int):
        _check_classes(scores, classes)
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

    _need_periods(inputs, 2, "β收敛", "β convergence")
    scores = _scores(inputs, node)
    what = inputs.node_name(node)
    _check_positive(inputs, scores, node, what, measure)
    sigma = sigma_convergence(scores, measure=measure)  # type: ignore[arg-type]
    beta = beta_convergence(scores)
    measured = _t("对数标准差", "sd of ln y") if measure == "sd_log" else _t("变异系数", "CV")
    summary = beta.summary()
    headers = dict(HEADERS)
    if beta.span_unit != "years":
        headers["span"] = ("期数 T", "Periods T")
        headers["half_life"] = ("半衰期（期）", "Half-life (periods)")
        headers["speed"] = ("收敛速度（每期）", "Speed of convergence (per period)")
    if as_json:  # one record, the library's names
        fit = pd.DataFrame([summary.to_dict()])
    else:  # one row per item: readable on a terminal and in a sheet
        summary = summary.drop("span_unit")
        fit = pd.DataFrame(
            {
                "item": [_t(*(headers.get(k) or SHARED[k])) for k in summary.index],
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
            headers={**headers, "item": ("项目", "Item")},
        ),
    ]
    notes = [_sigma_note(sigma), _beta_note(beta), *_notes(beta.notes)]
    emit(sections, as_json=as_json, output=output, notes=notes)


def _check_positive(
    inputs: Inputs, scores: pd.DataFrame, node: str, what: str, measure: str
) -> None:
    """Refuse scores <= 0 with one problem that says why they arise and what to change: the
    logs of σ (sd_log) and of β need scores above 0."""
    import numpy as np

    from kaoping.errors import InputError, Problem

    used = scores if measure == "sd_log" else scores[[scores.columns[0], scores.columns[-1]]]
    values = used.to_numpy(dtype=float)
    bad = np.argwhere(np.isfinite(values) & (values <= 0))
    if not len(bad):
        return
    shown = [f"{used.index[i]}/{used.columns[j]} = {values[i, j]:g}" for i, j in bad[:5]]
    more_zh = f" 等 {len(bad)} 个" if len(bad) > 5 else ""
    more_en = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    norm = inputs.methodology.normalization
    lo, hi = (float(v) for v in norm.range)
    if norm.method in ("minmax", "goalposts", "dist2max") and lo <= 0:
        fix = f"[1, {hi:g}]" if hi > 1 else f"[0.01, {hi:g}]"
        why_zh = (
            f"考核办法的 {norm.method} 标准化把每个指标最差的单位记为 {lo:g}（取值区间 "
            f"[{lo:g}, {hi:g}]），在{what}的各项指标上都最差的单位得分就是 {lo:g}。"
        )
        why_en = (
            f"the methodology's {norm.method} normalisation gives {lo:g} to the worst unit of "
            f"each indicator (range [{lo:g}, {hi:g}]), so a unit worst on every indicator of "
            f"{what} scores {lo:g}."
        )
        fix_zh = f"请在考核办法中把标准化改为 {{method: {norm.method}, range: {fix}}}（下限大于 0）"
        fix_en = (
            f"set normalization: {{method: {norm.method}, range: {fix}}} (a lower bound above 0)"
        )
    else:
        why_zh = f"考核办法的 {norm.method} 标准化会产生 0 或负的得分。"
        why_en = f"the methodology's {norm.method} normalisation gives scores of 0 or below."
        fix_zh = "请在考核办法中改用 {method: minmax, range: [1, 100]} 标准化"
        fix_en = "use normalization: {method: minmax, range: [1, 100]} in the methodology"
    if node != "score":
        fix_zh += "，或用 --node 选择其他得分（如 --node score 为综合得分）"
        fix_en += ", or choose another score with --node (e.g. --node score, the index)"
    if measure == "sd_log":
        cv_zh = "改用 --measure cv 也不行：它只改变σ收敛，β收敛仍要取对数。"
        cv_en = "--measure cv does not help: it changes σ only, and β still takes logs."
    else:
        cv_zh = "--measure cv 只用于σ收敛，β收敛仍要取对数。"
        cv_en = "--measure cv serves σ only; β still takes logs."
    raise InputError(
        [
            Problem(
                "analysis.not_positive",
                f"{what}有 {len(bad)} 个得分不大于 0（{'、'.join(shown)}{more_zh}），而"
                f"{'σ收敛的对数标准差与' if measure == 'sd_log' else ''}β收敛要取对数，需要全部"
                f"大于 0 的得分。{why_zh}{fix_zh}；{cv_zh}",
                f"{len(bad)} score(s) of {what} are not above 0 ({', '.join(shown)}{more_en}), "
                f"and {'the sd of ln y (σ) and ' if measure == 'sd_log' else ''}β take logs, "
                f"which need scores above 0: {why_en} To fix, {fix_en}; {cv_en}",
            )
        ]
    )


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
        years = beta.span_unit == "years"
        per_zh, unit_zh = ("年", "年") if years else ("期", "期")
        per_en, unit_en = ("a year", "years") if years else ("a period", "periods")
        extra_zh = f"，收敛速度 {beta.speed:.2%}/{per_zh}，半衰期 {beta.half_life:.1f} {unit_zh}"
        extra_en = f"; speed {beta.speed:.2%} {per_en}, half-life {beta.half_life:.1f} {unit_en}"
    return _t(
        f"β = {beta.beta:.4f} {sign}（p = {beta.p:.3g}，n = {beta.n}）：{zh}{extra_zh}。",
        f"β = {beta.beta:.4f} {sign} (p = {beta.p:.3g}, n = {beta.n}): {en}{extra_en}.",
    )
