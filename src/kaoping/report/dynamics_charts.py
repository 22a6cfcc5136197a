"""Charts of the dynamics of a score: its kernel density in each period on one set of axes.

Drawn like the report's other charts (:mod:`kaoping.report.charts`): a
:class:`matplotlib.figure.Figure`, never ``pyplot``, the CJK font that module finds, and a
:class:`~kaoping.report.charts.Chart` that writes PNG or SVG with the same bytes for the same
input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kaoping.report.charts import Chart, Lang, _family, _figure, _style, _t

if TYPE_CHECKING:
    from kaoping.analysis.dynamics import KernelDensity

__all__ = ["density_chart"]


def _period_label(period: str, lang: Lang) -> str:
    return f"{period}年" if lang == "zh" and period.isdigit() else period


def density_chart(
    kde: KernelDensity,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    lang: Lang = "zh",
) -> Chart:
    """The kernel density of each period as one line, oldest light to latest dark, with a
    legend of the periods and labelled axes.

    Parameters
    ----------
    kde : KernelDensity
        From :func:`kaoping.analysis.dynamics.kernel_density`.
    title : str, optional
        Default: 综合得分核密度 / "Kernel density of the scores".
    xlabel : str, optional
        What the scores are (default 得分 / "Score"), e.g. a dimension's name.
    lang : "zh" or "en"
    """
    from matplotlib import colormaps

    fig = _figure(6.4, 3.8)
    family = _family(fig)
    ax = fig.add_subplot()
    periods = kde.periods
    palette = colormaps["viridis_r"]
    steps = max(len(periods) - 1, 1)
    grid = kde.grid
    for k, period in enumerate(periods):
        ax.plot(
            grid,
            kde.density[period].to_numpy(),
            color=palette(0.15 + 0.7 * k / steps),
            linewidth=1.6,
            label=_period_label(period, lang),
        )
    ax.set_xlim(float(grid[0]), float(grid[-1]))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(xlabel or _t(lang, "得分", "Score"), fontfamily=family, fontsize=9)
    ax.set_ylabel(_t(lang, "密度", "Density"), fontfamily=family, fontsize=9)
    ax.grid(color="#dee2e6", linewidth=0.5)
    ax.set_axisbelow(True)
    _style(ax, family)
    ax.legend(prop={"family": family, "size": 8}, frameon=False, loc="upper right")
    rule = (
        _t(lang, "高斯核，Silverman 带宽", "Gaussian kernel, Silverman's bandwidth")
        if kde.rule == "silverman"
        else _t(lang, "高斯核，给定带宽", "Gaussian kernel, given bandwidth")
    )
    ax.set_title(rule, fontfamily=family, fontsize=8, loc="right", color="#495057")
    heading = title or _t(lang, "综合得分核密度", "Kernel density of the scores")
    fig.suptitle(heading, fontfamily=family, fontsize=11)
    summary = kde.summary()
    rows = zip(
        kde.periods,
        summary["peak_at"].tolist(),
        summary["peak_height"].tolist(),
        summary["peaks"].tolist(),
        strict=True,
    )
    parts = [
        _t(
            lang,
            f"{_period_label(p, lang)}主峰位于 {at:.1f}（密度 {height:.3f}，{peaks} 个峰）",
            f"{p}: main peak at {at:.1f} (density {height:.3f}, {peaks} peak(s))",
        )
        for p, at, height, peaks in rows
    ]
    head = _t(lang, "各期核密度曲线：", "Kernel density per period: ")
    alt = head + _t(lang, "；", "; ").join(parts)
    return Chart(fig, heading, alt)
