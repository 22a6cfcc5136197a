r"""Regional gaps (区域差异): Gini, Dagum's decomposition, Theil T and L and the CV, labelled.

The second half of a county-development paper asks how unequal the counties' index is, and
where the inequality lies: within the groups of counties (a category such as 重点生态功能区,
or a city) or between them.  :func:`inequality` answers it for one set of values,
:func:`inequality_panel` for every period of a panel (one row per period, and the groups' and
pairs' tables in long form with a ``period`` column).  The numbers come from the kernels of
:mod:`kaoping.methods.inequality`, whose docstrings give the formulas and their sources:

* the Gini coefficient :math:`G = \sum_i \sum_r |y_i - y_r| / (2 n^2 \mu)` and its Dagum (1997)
  decomposition :math:`G = G_w + G_{nb} + G_t` (within groups, net between groups,
  transvariation), with each group's :math:`G_{jj}` and each pair's :math:`G_{jh}` and
  :math:`D_{jh}`;
* Theil's T and L with their between/within decompositions;
* the coefficient of variation (population standard deviation unless ``ddof=1``).

Groups are a Series unit -> label: a category (``Result.table["category"]``) or a city, the
first four digits of the unit's GB/T 2260 code (:func:`city_groups`).  A unit without a value,
or without a group when groups are given, is left out and listed in ``dropped``.  The Theil
indices need every value > 0: where one is not, they are NaN, the units are named in a
:class:`~kaoping.errors.KaopingWarning` and in ``notes``, and the Gini coefficient and the CV
are still computed.  A negative value (z-score normalisation) is refused: the Gini
coefficient compares non-negative amounts.

References
----------
Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio.
*Empirical Economics* 22(4), 515-531. https://doi.org/10.1007/BF01205777.  Theil, H. (1967).
*Economics and Information Theory*.  Shorrocks, A. F. (1980). The class of additively
decomposable inequality measures. *Econometrica* 48(3), 613-625.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kaoping.errors import InputError, KaopingWarning, Problem, get_language
from kaoping.methods import inequality as K

if TYPE_CHECKING:
    from kaoping.data import Units

__all__ = [
    "DagumTables",
    "Inequality",
    "InequalityPanel",
    "city_groups",
    "inequality",
    "inequality_panel",
]

_CODE = re.compile(r"^\d{6}$")
_CITY_SUFFIXES = ("市", "州", "盟", "地区")

SUMMARY_COLUMNS = (
    "n",
    "mean",
    "gini",
    "gini_within",
    "gini_net_between",
    "gini_transvariation",
    "within_pct",
    "net_between_pct",
    "transvariation_pct",
    "theil_t",
    "theil_t_between",
    "theil_t_within",
    "theil_t_between_pct",
    "theil_l",
    "theil_l_between",
    "theil_l_within",
    "theil_l_between_pct",
    "cv",
)
"""The columns of a summary with groups (without groups: n, mean, gini, theil_t, theil_l, cv)."""

_UNGROUPED = ("n", "mean", "gini", "theil_t", "theil_l", "cv")


# --------------------------------------------------------------------------------------------
# groups
# --------------------------------------------------------------------------------------------


def city_groups(codes: Iterable[Any], units: Units | None = None) -> pd.Series:
    """Each unit's city: the first four digits of its six-digit GB/T 2260 code.

    ``410122`` (中牟县) -> ``"4101"`` (郑州市); a functional zone's code (``410871``) belongs to
    its city the same way; ``419001`` (济源) gives ``"4190"``, the province's directly
    administered units.  With ``units``, a prefix is labelled by the city's name instead
    (``"郑州市"``) when every unit with that prefix has the same ``parent`` and it is a city
    (its name ends in 市, 州, 盟 or 地区); otherwise the prefix stays.

    Parameters
    ----------
    codes : iterable of str
        Unit codes (an Index, a Series' values, a list).
    units : Units, optional
        The units table, for the cities' names.

    Returns
    -------
    Series
        Index: the codes (as text); values: the city label; name ``"city"``.

    Raises
    ------
    InputError
        ``analysis.bad_code`` for every code that is not six digits.

    References
    ----------
    GB/T 2260-2007, *Codes for the administrative divisions of the People's Republic of China*:
    digits 1-2 the province, 3-4 the prefecture-level city, 5-6 the county.

    Examples
    --------
    >>> city_groups(["410122", "410181", "410221"]).tolist()
    ['4101', '4101', '4102']
    """
    text = [str(c) for c in codes]
    bad = [c for c in text if not _CODE.match(c)]
    if bad:
        raise InputError(
            [
                Problem(
                    "analysis.bad_code",
                    f"单位代码 {c} 不是六位数字，无法按 GB/T 2260 前四位归入地市；请用六位行政区划"
                    "代码，或用 --by category 按类别分组。",
                    f"unit code {c!r} is not six digits, so it has no city by its first four "
                    "digits (GB/T 2260); use six-digit division codes, or group by category.",
                    "groups",
                )
                for c in bad
            ]
        )
    prefix = pd.Series([c[:4] for c in text], index=pd.Index(text, name="unit"), name="city")
    if units is None:
        return prefix
    frame = units.frame
    parents = frame["parent"].reindex(prefix.index)
    labels: dict[str, str] = {}
    for key, members in parents.groupby(prefix, sort=False):
        names = {str(v) for v in members if isinstance(v, str) and v}
        if len(names) == 1 and members.notna().all():
            (name,) = names
            if name.endswith(_CITY_SUFFIXES):
                labels[str(key)] = name
    return prefix.map(lambda p: labels.get(p, p)).rename("city")


# --------------------------------------------------------------------------------------------
# results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DagumTables:
    """Dagum's decomposition with the group labels.

    ``within``: one row per group (by increasing mean, as Dagum orders them), columns n, mean,
    p (population share), s (value share), gini (:math:`G_{jj}`), contribution
    (:math:`G_{jj} p_j s_j`), contribution_pct (of G).  ``between``: one row per pair of
    groups, ``group_j`` the one with the higher mean, columns group_j, group_h, gini
    (:math:`G_{jh}`), d, q, D (:math:`D_{jh}`), net_between, transvariation (the pair's terms of
    :math:`G_{nb}` and :math:`G_t`) and their shares of G in %.  ``matrix``: :math:`G_{jh}` as a
    square table (its diagonal :math:`G_{jj}`).  ``result``: the kernel's
    :class:`~kaoping.methods.inequality.Dagum`."""

    within: pd.DataFrame
    between: pd.DataFrame
    matrix: pd.DataFrame
    result: K.Dagum


@dataclass(frozen=True, eq=False)
class Inequality:
    """Inequality of one set of values.

    ``summary``: n, mean, gini, theil_t, theil_l, cv and, with groups, Dagum's and Theil's
    parts (see :data:`SUMMARY_COLUMNS`; ``*_pct`` are shares of the total in %).  ``dagum``:
    :class:`DagumTables` (None without groups).  ``theil``: one row per group (label order):
    n, mean, population_share, value_share, theil_t (:math:`T_g`), theil_t_between,
    theil_t_within (the group's terms of :math:`T_b` and :math:`T_w`), theil_l, theil_l_between,
    theil_l_within (None without groups, or when a value is not > 0).  ``dropped``: the units
    left out (no value, or no group).  ``notes``: (Chinese, English) of what the reader should
    know."""

    summary: pd.Series
    dagum: DagumTables | None
    theil: pd.DataFrame | None
    dropped: tuple[str, ...]
    notes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False)
class InequalityPanel:
    """Inequality in every period.

    ``summary``: one row per period (index ``period``), the columns of
    :attr:`Inequality.summary`.  ``within``, ``between``, ``theil``: the per-period tables of
    :class:`Inequality` stacked in long form with a ``period`` column first (None without
    groups).  ``by_period``: period -> :class:`Inequality`.  ``dropped``: period -> the units
    left out there.  ``notes``: as :attr:`Inequality.notes`, each once."""

    summary: pd.DataFrame
    within: pd.DataFrame | None
    between: pd.DataFrame | None
    theil: pd.DataFrame | None
    by_period: dict[str, Inequality]
    dropped: dict[str, tuple[str, ...]]
    notes: tuple[tuple[str, str], ...] = ()


# --------------------------------------------------------------------------------------------
# one set of values
# --------------------------------------------------------------------------------------------


def _prepare(
    values: pd.Series, groups: pd.Series | None, period: str | None = None
) -> tuple[pd.Series, pd.Series | None, tuple[str, ...]]:
    """Values as floats by unit code, groups aligned to them, and the units left out.

    ``period`` (when given) heads every problem's message."""
    zh_at = f"{period}：" if period is not None else ""
    en_at = f"{period}: " if period is not None else ""
    if not isinstance(values, pd.Series):
        raise TypeError(
            f"values must be a pandas Series indexed by unit code, got {type(values).__name__}; "
            "for a units x periods frame use inequality_panel."
        )
    vals = pd.to_numeric(values, errors="coerce").astype(float)
    vals.index = vals.index.astype(str)
    if vals.index.has_duplicates:
        dup = sorted(set(vals.index[vals.index.duplicated()]))
        raise InputError(
            [
                Problem(
                    "analysis.duplicate_unit",
                    f"{zh_at}单位 {u} 出现了不止一次；每个单位只能有一个数值。",
                    f"{en_at}unit {u} appears more than once; give one value per unit.",
                    "values",
                )
                for u in dup
            ]
        )
    keep = vals.notna() & np.isfinite(vals)
    grp: pd.Series | None = None
    if groups is not None:
        g = groups.copy()
        g.index = g.index.astype(str)
        g = g[~g.index.duplicated()]
        grp = g.reindex(vals.index)
        keep &= grp.notna()
    dropped = tuple(vals.index[~keep])
    vals = vals[keep]
    if grp is not None:
        grp = grp[keep]
    if vals.empty:
        raise InputError(
            [
                Problem(
                    "analysis.no_values",
                    f"{zh_at}没有可用的数值（{len(dropped)} 个单位缺少数值或分组）；"
                    "请检查数据与分组。",
                    f"{en_at}no values to compare ({len(dropped)} unit(s) lack a value or a "
                    "group); check the data and the groups.",
                    "values",
                )
            ]
        )
    negative = vals[vals < 0]
    if not negative.empty:
        shown = "、".join(f"{u}（{v:g}）" for u, v in negative.head(10).items())
        shown_en = ", ".join(f"{u} ({v:g})" for u, v in negative.head(10).items())
        raise InputError(
            [
                Problem(
                    "analysis.negative_value",
                    f"{zh_at}基尼系数与泰尔指数比较的是非负数值，但 {len(negative)} 个单位的数值"
                    f"为负：{shown}。请使用非负的得分（如极差标准化，而非 z-score）。",
                    f"{en_at}the Gini coefficient and Theil's indices compare non-negative "
                    f"amounts, but {len(negative)} unit(s) have a negative value: {shown_en}. "
                    "Use non-negative scores (min-max normalisation, not z-scores).",
                    "values",
                )
            ]
        )
    if not vals.sum() > 0:
        raise InputError(
            [
                Problem(
                    "analysis.zero_values",
                    f"{zh_at}所有数值均为 0，相对差异无从谈起；请检查所选的得分。",
                    f"{en_at}every value is 0, so relative inequality is undefined; check the "
                    "scores chosen.",
                    "values",
                )
            ]
        )
    return vals, grp, dropped


def _dagum_tables(res: K.Dagum, labels: np.ndarray[Any, Any]) -> DagumTables:
    names = pd.Index(labels[res.groups], name="group")
    g = names.size
    pct = 100.0 / res.gini if res.gini > 0 else float("nan")
    within = pd.DataFrame(
        {
            "n": res.n,
            "mean": res.mean,
            "p": res.p,
            "s": res.s,
            "gini": res.within_gini,
            "contribution": res.within_jj,
            "contribution_pct": res.within_jj * pct,
        },
        index=names,
    )
    jj, hh = np.tril_indices(g, k=-1)
    between = pd.DataFrame(
        {
            "group_j": names[jj],
            "group_h": names[hh],
            "gini": res.gini_jh[jj, hh],
            "d": res.d[jj, hh],
            "q": res.d[hh, jj],
            "D": res.D[jj, hh],
            "net_between": res.net_between_jh[jj, hh],
            "transvariation": res.transvariation_jh[jj, hh],
            "net_between_pct": res.net_between_jh[jj, hh] * pct,
            "transvariation_pct": res.transvariation_jh[jj, hh] * pct,
        }
    )
    matrix = pd.DataFrame(res.gini_jh, index=names, columns=names.rename("group_h"))
    return DagumTables(within=within, between=between, matrix=matrix, result=res)


def _theil_table(t: K.Theil, ell: K.Theil, labels: np.ndarray[Any, Any]) -> pd.DataFrame:
    names = pd.Index(labels[t.groups], name="group")
    return pd.DataFrame(
        {
            "n": t.n,
            "mean": t.mean,
            "population_share": ell.weight,
            "value_share": t.weight,
            "theil_t": t.group_index,
            "theil_t_between": t.between_g,
            "theil_t_within": t.within_g,
            "theil_l": ell.group_index,
            "theil_l_between": ell.between_g,
            "theil_l_within": ell.within_g,
        },
        index=names,
    )


def _compute(
    vals: pd.Series, grp: pd.Series | None, dropped: tuple[str, ...], ddof: int
) -> tuple[Inequality, list[str]]:
    """The measures of prepared values; also the units whose value is not > 0 (no Theil)."""
    y = vals.to_numpy(dtype=np.float64)
    nonpositive = [str(u) for u in vals.index[y <= 0]]
    out: dict[str, float] = {"n": float(y.size), "mean": float(y.mean())}
    dagum_tables: DagumTables | None = None
    theil_table: pd.DataFrame | None = None
    nan = float("nan")
    if grp is None:
        out["gini"] = K.gini(y)
        if nonpositive:
            out["theil_t"] = out["theil_l"] = nan
        else:
            out["theil_t"] = K.theil_t(y).total
            out["theil_l"] = K.theil_l(y).total
        out["cv"] = K.cv(y, ddof=ddof) if y.size > ddof else nan
        summary = pd.Series(out, name="value").reindex(list(_UNGROUPED))
    else:
        codes, labels = pd.factorize(grp, sort=True)
        label_array = np.asarray(labels, dtype=object)
        res = K.dagum(y, codes)
        dagum_tables = _dagum_tables(res, label_array)
        share = res.shares
        out.update(
            gini=res.gini,
            gini_within=res.within,
            gini_net_between=res.net_between,
            gini_transvariation=res.transvariation,
            within_pct=100 * share[0],
            net_between_pct=100 * share[1],
            transvariation_pct=100 * share[2],
        )
        if nonpositive:
            for index in ("theil_t", "theil_l"):
                for part in ("", "_between", "_within", "_between_pct"):
                    out[index + part] = nan
        else:
            t = K.theil_t(y, codes)
            ell = K.theil_l(y, codes)
            theil_table = _theil_table(t, ell, label_array)
            out.update(
                theil_t=t.total,
                theil_t_between=t.between,
                theil_t_within=t.within,
                theil_t_between_pct=100 * t.shares[0],
                theil_l=ell.total,
                theil_l_between=ell.between,
                theil_l_within=ell.within,
                theil_l_between_pct=100 * ell.shares[0],
            )
        out["cv"] = K.cv(y, ddof=ddof) if y.size > ddof else nan
        summary = pd.Series(out, name="value").reindex(list(SUMMARY_COLUMNS))
    return Inequality(summary, dagum_tables, theil_table, dropped), nonpositive


def _theil_note(units: Mapping[str, list[str]]) -> tuple[str, str]:
    """(zh, en): the Theil indices were not computed where a value is not > 0."""
    parts = [(p, us) for p, us in units.items() if us]
    zh = "；".join(
        f"{p + '：' if p else ''}{'、'.join(us[:10])}{' 等' if len(us) > 10 else ''}"
        for p, us in parts
    )
    en = "; ".join(
        f"{p + ': ' if p else ''}{', '.join(us[:10])}{' …' if len(us) > 10 else ''}"
        for p, us in parts
    )
    return (
        f"泰尔指数需要每个数值都大于 0（取对数），以下单位的数值为 0，故未计算泰尔指数（基尼系数"
        f"与变异系数照常）：{zh}。可改用取值大于 0 的得分（如极差标准化到 [lo, hi]，lo > 0）。",
        f"Theil's indices take the logarithm of every value, so they need values > 0; these "
        f"units have 0, so the Theil indices were not computed (the Gini coefficient and the CV "
        f"were): {en}. Use scores above 0 (e.g. min-max onto [lo, hi] with lo > 0).",
    )


def _warn(note: tuple[str, str]) -> None:
    warnings.warn(KaopingWarning(note[0] if get_language() == "zh" else note[1]), stacklevel=3)


def _check_ddof(ddof: int) -> None:
    if ddof not in (0, 1):
        raise ValueError(
            f"ddof must be 0 (population standard deviation, the default) or 1 (sample), got "
            f"{ddof!r}."
        )


def inequality(values: pd.Series, groups: pd.Series | None = None, *, ddof: int = 0) -> Inequality:
    r"""The inequality of ``values`` across units, decomposed by ``groups`` when given.

    Parameters
    ----------
    values : Series
        Unit code -> value (a score; >= 0).  Missing values are left out (``dropped``).
    groups : Series, optional
        Unit code -> group label (a category, a city from :func:`city_groups`); units without
        a label are left out.  Units of ``groups`` without a value are ignored.
    ddof : int
        The CV's delta degrees of freedom: 0 (population, default) or 1.

    Returns
    -------
    Inequality
        ``summary`` (:math:`G`, :math:`G_w`, :math:`G_{nb}`, :math:`G_t`, T, L, CV …),
        ``dagum``, ``theil``, ``dropped``, ``notes``.

    Raises
    ------
    InputError
        No values left, a negative value (the units named), every value 0, or a unit twice.

    Warns
    -----
    KaopingWarning
        A value is 0: Theil's indices are not computed (NaN); the units are named.

    References
    ----------
    Dagum (1997), *Empirical Economics* 22, 515-531; Theil (1967); see
    :mod:`kaoping.methods.inequality` for the formulas.

    Examples
    --------
    >>> import pandas as pd
    >>> y = pd.Series({"410122": 1.0, "410181": 3.0, "410221": 2.0, "410222": 6.0})
    >>> res = inequality(y, city_groups(y.index))
    >>> res.summary[["gini", "gini_within", "gini_net_between", "gini_transvariation"]].round(6)
    gini                   0.333333
    gini_within            0.125000
    gini_net_between       0.166667
    gini_transvariation    0.041667
    Name: value, dtype: float64
    """
    _check_ddof(ddof)
    vals, grp, dropped = _prepare(values, groups)
    result, nonpositive = _compute(vals, grp, dropped, ddof)
    if nonpositive:
        note = _theil_note({"": nonpositive})
        _warn(note)
        result = Inequality(result.summary, result.dagum, result.theil, dropped, (note,))
    return result


# --------------------------------------------------------------------------------------------
# every period
# --------------------------------------------------------------------------------------------


def _long(frames: Mapping[str, pd.DataFrame | None], index: bool) -> pd.DataFrame | None:
    parts = []
    for period, frame in frames.items():
        if frame is None:
            continue
        f = frame.reset_index() if index else frame.copy()
        f.insert(0, "period", period)
        parts.append(f)
    if not parts:
        return None
    return pd.concat(parts, ignore_index=True)


def inequality_panel(
    scores: pd.DataFrame, groups: pd.Series | None = None, *, ddof: int = 0
) -> InequalityPanel:
    """Inequality in every period of ``scores`` (units x periods), as :func:`inequality`.

    Parameters
    ----------
    scores : DataFrame
        Index: unit code; columns: periods (as :func:`kaoping.analysis.periods.score_frame`
        returns).  In each period the units without a value are left out.
    groups : Series, optional
        Unit code -> group label, the same in every period.
    ddof : int
        As :func:`inequality`.

    Returns
    -------
    InequalityPanel
        ``summary`` one row per period (G, G_w, G_nb, G_t and their % of G, T with T_b and
        T_w, L with L_b and L_w, CV); ``within`` (per period and group: :math:`G_{jj}` and its
        contribution), ``between`` (per period and pair: :math:`G_{jh}`, :math:`D_{jh}`, net
        and transvariation contributions), ``theil`` (per period and group), long, with a
        ``period`` column; ``by_period``; ``dropped``; ``notes``.

    Raises
    ------
    InputError
        As :func:`inequality`, each problem prefixed with its period; an empty frame.

    Warns
    -----
    KaopingWarning
        Once, naming the periods and units whose value is 0 (no Theil indices there).

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"2023": [1.0, 3.0, 2.0, 6.0], "2024": [2.0, 2.0, 2.0, 2.0]},
    ...                       index=["410122", "410181", "410221", "410222"])
    >>> out = inequality_panel(scores, city_groups(scores.index))
    >>> out.summary["gini"].round(6).tolist()
    [0.333333, 0.0]
    """
    _check_ddof(ddof)
    if not isinstance(scores, pd.DataFrame) or scores.shape[1] == 0:
        raise InputError(
            [
                Problem(
                    "analysis.no_periods",
                    "没有可分析的时期：scores 应为“单位 × 时期”的表（见 score_frame）。",
                    "no periods to analyse: scores must be a units x periods frame (see "
                    "score_frame).",
                    "scores",
                )
            ]
        )
    by_period: dict[str, Inequality] = {}
    problems: list[Problem] = []
    zero_units: dict[str, list[str]] = {}
    for period in scores.columns:
        label = str(period)
        try:
            vals, grp, dropped = _prepare(scores[period], groups, label)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        result, nonpositive = _compute(vals, grp, dropped, ddof)
        if nonpositive:
            zero_units[label] = nonpositive
            note = _theil_note({label: nonpositive})
            result = Inequality(result.summary, result.dagum, result.theil, dropped, (note,))
        by_period[label] = result
    if problems:
        raise InputError(problems)
    notes: tuple[tuple[str, str], ...] = ()
    if zero_units:
        note = _theil_note(zero_units)
        _warn(note)
        notes = (note,)
    summary = pd.DataFrame({p: r.summary for p, r in by_period.items()}).T
    summary.index.name = "period"
    summary["n"] = summary["n"].astype(int)
    grouped = groups is not None
    return InequalityPanel(
        summary=summary,
        within=_long({p: r.dagum.within if r.dagum else None for p, r in by_period.items()},
                     index=True) if grouped else None,
        between=_long({p: r.dagum.between if r.dagum else None for p, r in by_period.items()},
                      index=False) if grouped else None,
        theil=_long({p: r.theil for p, r in by_period.items()}, index=True) if grouped else None,
        by_period=by_period,
        dropped={p: r.dropped for p, r in by_period.items()},
        notes=notes,
    )  # fmt: skip
