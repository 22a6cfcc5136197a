"""``kaoping analyze inequality``: regional gaps of a score over the periods (区域差异).

The library does the work (:mod:`kaoping.analysis.inequality`); this command assesses the
chosen periods (``--periods``, default all), takes the index or a dimension's score
(``--node``), groups the units by category or by city (``--by``), and prints, writes
(``-o OUT.xlsx``) or dumps (``--json``) five tables: the Gini coefficient with Dagum's
decomposition and the CV per period, the groups' within-group Gini, the pairs' between-group
Gini, Theil's T and L with their decompositions per period, and each group's Theil terms.
What the library warns about (units left out, Theil indices not computed) is printed once, as
a note.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import click

from kaoping.cli import _t, domain_errors
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

__all__ = ["inequality_command"]

SUMMARY_HEADERS: dict[str, tuple[str, str]] = {
    "mean": ("均值", "Mean"),
    "gini": ("基尼系数 G", "Gini G"),
    "gini_within": ("组内贡献 Gw", "Within Gw"),
    "gini_net_between": ("组间净值贡献 Gnb", "Net between Gnb"),
    "gini_transvariation": ("超变密度贡献 Gt", "Transvariation Gt"),
    "within_pct": ("组内贡献率 %", "Within %"),
    "net_between_pct": ("组间贡献率 %", "Net between %"),
    "transvariation_pct": ("超变密度贡献率 %", "Transvariation %"),
    "cv": ("变异系数 CV", "CV"),
}
WITHIN_HEADERS: dict[str, tuple[str, str]] = {
    "mean": ("均值", "Mean"),
    "p": ("单位数占比 p", "Unit share p"),
    "s": ("得分占比 s", "Score share s"),
    "gini": ("组内基尼系数 Gjj", "Within-group Gini Gjj"),
    "contribution": ("对 G 的贡献", "Contribution to G"),
    "contribution_pct": ("贡献率 %", "Contribution %"),
}
BETWEEN_HEADERS: dict[str, tuple[str, str]] = {
    "group_j": ("分组 j（均值较高）", "Group j (higher mean)"),
    "group_h": ("分组 h", "Group h"),
    "gini": ("组间基尼系数 Gjh", "Between-group Gini Gjh"),
    "d": ("djh", "djh"),
    "q": ("qjh", "qjh"),
    "D": ("相对影响 Djh", "Relative affluence Djh"),
    "net_between": ("组间净值贡献", "Net between contribution"),
    "transvariation": ("超变密度贡献", "Transvariation contribution"),
    "net_between_pct": ("组间净值贡献率 %", "Net between %"),
    "transvariation_pct": ("超变密度贡献率 %", "Transvariation %"),
}
THEIL_HEADERS: dict[str, tuple[str, str]] = {
    "theil_t": ("泰尔指数 T", "Theil T"),
    "theil_t_between": ("组间 Tb", "Between Tb"),
    "theil_t_within": ("组内 Tw", "Within Tw"),
    "theil_t_between_pct": ("组间贡献率 %", "Between %"),
    "theil_l": ("泰尔指数 L", "Theil L"),
    "theil_l_between": ("组间 Lb", "Between Lb"),
    "theil_l_within": ("组内 Lw", "Within Lw"),
    "theil_l_between_pct": ("L 组间贡献率 %", "L between %"),
    "mean": ("均值", "Mean"),
    "population_share": ("单位数占比", "Unit share"),
    "value_share": ("得分占比", "Score share"),
}
THEIL_GROUP_HEADERS: dict[str, tuple[str, str]] = {
    **THEIL_HEADERS,
    "theil_t": ("组内泰尔指数 Tg", "Group's Theil Tg"),
    "theil_t_between": ("Tb 分项", "Term of Tb"),
    "theil_t_within": ("Tw 分项", "Term of Tw"),
    "theil_l": ("组内泰尔指数 Lg", "Group's Theil Lg"),
    "theil_l_between": ("Lb 分项", "Term of Lb"),
    "theil_l_within": ("Lw 分项", "Term of Lw"),
}

_SUMMARY = ["n", "mean", "gini", "gini_within", "gini_net_between", "gini_transvariation",
            "within_pct", "net_between_pct", "transvariation_pct", "cv"]  # fmt: skip
_THEIL = ["theil_t", "theil_t_between", "theil_t_within", "theil_t_between_pct",
          "theil_l", "theil_l_between", "theil_l_within", "theil_l_between_pct"]  # fmt: skip


def _categories(inputs: Inputs) -> pd.Series:
    """Unit -> category, from the assessments (the latest period's category of a unit wins)."""
    import pandas as pd

    from kaoping.errors import InputError, Problem

    frames = [r.table["category"] for r in inputs.results().values()]
    merged = pd.concat(frames).dropna()
    merged = merged[merged.astype(str).str.strip() != ""]
    merged = merged[~merged.index.duplicated(keep="last")]
    if merged.empty:
        raise InputError(
            [
                Problem(
                    "analysis.no_categories",
                    "没有单位带有类别，无法按类别分组：请用 --units 给出含“类别”列的单位表，"
                    "或改用 --by city（按地市分组）。",
                    "no unit has a category to group by: give a units table with a category "
                    "column (--units), or group by city (--by city).",
                    "--by",
                )
            ]
        )
    merged.index = merged.index.astype(str)
    categories: pd.Series = merged.rename("category")
    return categories


@analyze.command("inequality")
@input_options
@output_options
@click.option(
    "--by",
    type=click.Choice(["category", "city"]),
    default="category",
    show_default=True,
    help="Groups: the units' category, or their city (the first 4 digits of the code).",
)
@node_option
@domain_errors
def inequality_command(
    inputs: Inputs, as_json: bool, output: Path | None, by: str, node: str
) -> None:
    """Regional gaps: Gini with Dagum's decomposition, Theil T and L, CV, per period.

    \b
    区域差异：各期基尼系数及其 Dagum 分解（组内差异 Gw、组间净值差异 Gnb、超变密度 Gt 及贡献率），
    各组组内基尼系数与各组之间的组间基尼系数，泰尔指数 T、L 的组间/组内分解，
    变异系数（总体标准差）。
    分组：--by category（类别，默认）或 --by city（地市，代码前四位）。
    Example: kaoping analyze inequality --demo --by city -o 区域差异.xlsx
    """
    from kaoping.analysis.inequality import city_groups, inequality_panel
    from kaoping.analysis.periods import score_frame
    from kaoping.errors import KaopingWarning

    scores = score_frame(inputs.results(), node)
    groups = city_groups(scores.index, inputs.units) if by == "city" else _categories(inputs)
    with warnings.catch_warnings():  # the notes are printed below, once
        warnings.simplefilter("ignore", KaopingWarning)
        out = inequality_panel(scores, groups)
    what = inputs.node_name(node)
    basis = _t("类别", "category") if by == "category" else _t("地市", "city")
    sections = [
        Section(
            "summary",
            f"{what}区域差异：基尼系数与 Dagum 分解",
            f"Gaps in {what}: Gini and Dagum's decomposition",
            out.summary[_SUMMARY],
            headers=SUMMARY_HEADERS,
        )
    ]
    if out.within is not None:
        sections.append(
            Section(
                "within",
                f"Dagum 组内差异（按{basis}）",
                f"Dagum within groups (by {basis})",
                out.within,
                index=False,
                headers=WITHIN_HEADERS,
            )
        )
    if out.between is not None:
        sections.append(
            Section(
                "between",
                f"Dagum 组间差异（按{basis}）",
                f"Dagum between groups (by {basis})",
                out.between,
                index=False,
                headers=BETWEEN_HEADERS,
            )
        )
    sections.append(
        Section(
            "theil",
            f"泰尔指数分解（按{basis}）",
            f"Theil decomposition (by {basis})",
            out.summary[_THEIL],
            headers=THEIL_HEADERS,
        )
    )
    if out.theil is not None:
        sections.append(
            Section(
                "theil_groups",
                f"泰尔指数各组分项（按{basis}）",
                f"Theil terms per group (by {basis})",
                out.theil,
                index=False,
                headers=THEIL_GROUP_HEADERS,
            )
        )
    notes = [
        _t(
            "基尼系数 G = ΣΣ|yi − yr| / (2n²μ)，按 Dagum（1997）分解为 G = Gw + Gnb + Gt，"
            "各组按均值由低到高排列；变异系数用总体标准差。",
            "Gini G = ΣΣ|yi − yr| / (2n²μ), decomposed after Dagum (1997) as "
            "G = Gw + Gnb + Gt, groups ordered by increasing mean; the CV uses the population "
            "standard deviation.",
        )
    ]
    dropped = {p: units for p, units in out.dropped.items() if units}
    if dropped:
        listed = sorted({u for units in dropped.values() for u in units})
        shown = listed[:20]
        more_zh = f" 等 {len(listed)} 个" if len(listed) > len(shown) else ""
        more_en = f" … ({len(listed)} in all)" if len(listed) > len(shown) else ""
        notes.append(
            _t(
                f"无数值或无{basis}的单位未计入：{'、'.join(shown)}{more_zh}"
                f"（涉及 {'、'.join(dropped)}）。",
                f"units without a value or a {basis} were left out: {', '.join(shown)}"
                f"{more_en} (in {', '.join(dropped)}).",
            )
        )
    notes.extend(_t(zh, en) for zh, en in out.notes)
    emit(sections, as_json=as_json, output=output, notes=notes)
