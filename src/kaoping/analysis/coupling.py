r"""Coupling coordination (耦合协调度) between subsystems, as labelled tables.

Papers on county development split their index into subsystems -- the dimensions of the
methodology, e.g. 创新、协调、绿色、开放、共享 -- and ask how well they develop together: the
coupling degree C (耦合度), the development index T and the coupling coordination degree
:math:`D = \sqrt{C T}` (耦合协调度), read in ten classes from 极度失调 to 优质协调.  The numbers
come from :mod:`kaoping.methods.coupling` (formulas and sources there); this module puts the
labels on them:

* :func:`coupling`: any table of subsystem scores in [0, 1], units x subsystems;
* :func:`coupling_of`: the dimension scores of an assessment (:class:`~kaoping.assess.Result`),
  by default its top-level dimensions, rescaled to [0, 1] from the range the methodology gives
  them (0-100 for the bundled county_hqd);
* :func:`coupling_panel`: the same over several periods, one long table;
* :func:`class_counts`: how many units fall in each class (per period).
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from kaoping.errors import InputError, KaopingWarning, Problem, get_language
from kaoping.methods import coupling as kernel

if TYPE_CHECKING:
    from kaoping.assess import Result
    from kaoping.methodology import Dimension, Methodology

__all__ = [
    "all_zero_note",
    "check_options",
    "class_counts",
    "coupling",
    "coupling_of",
    "coupling_panel",
    "equal_coefficients",
    "score_range",
]

Coefficients = Sequence[float] | Mapping[str, float] | None

COLUMNS = ("C", "T", "D", "class", "class_en")
"""The columns :func:`coupling` puts before the subsystem scores."""

_MEANS = ("arithmetic", "geometric", "harmonic", "generalized")
_TIMES_100 = ("topsis", "gra", "vikor")  # closeness, grey relational grade, 1 - Q: x 100
_SLACK = 1e-9  # rescaled scores this far outside [0, 1] are rounding, and are clipped


def coupling(
    scores: pd.DataFrame,
    *,
    coefficients: Coefficients = None,
    form: str = "standard",
    closed: Literal["left", "right"] = "left",
) -> pd.DataFrame:
    r"""Coupling degree, development index, coupling coordination degree and class per unit.

    .. math::

        C = \frac{k \left(\prod_i U_i\right)^{1/k}}{\sum_i U_i}, \qquad
        T = \sum_i a_i U_i, \qquad D = \sqrt{C\,T}

    for the default ``form="standard"`` (``"wang2021"``: the corrected C of 王淑佳 et al.
    2021, see :func:`kaoping.methods.coupling.degree` for its formula and what could be checked
    of it); classes of D in bands :math:`[a, a + 0.1)`, the last :math:`[0.9, 1]`
    (``closed="right"``: :math:`(a, a + 0.1]`).

    Parameters
    ----------
    scores : DataFrame
        Units (index) x subsystems (at least two columns), each score in [0, 1]; NaN for
        missing (that unit's C, T, D are NaN and its class empty).
    coefficients : sequence or mapping of float, optional
        :math:`a_i`, one per subsystem (in column order, or keyed by column), non-negative and
        summing to 1; default equal, 1/k.
    form : {"standard", "wang2021"}
        The form of C; default ``"standard"`` (METHODS.md).
    closed : {"left", "right"}
        Which end of each class band belongs to it; default ``"left"``: D = 0.1 is 严重失调.

    Returns
    -------
    DataFrame
        Index as ``scores``; columns ``C``, ``T``, ``D``, ``class`` (Chinese name), ``class_en``,
        then the subsystem scores as given.

    Raises
    ------
    InputError
        Fewer than two subsystems, a score that is not a number or lies outside [0, 1], bad
        coefficients or an unknown form; every offending unit and subsystem is named.

    Warns
    -----
    KaopingWarning
        Units whose scores are all 0 (C = 0/0 undefined), naming them: they are left out as if
        missing (C, T, D NaN, no class).

    References
    ----------
    廖重斌 (1999), *热带地理* 19(2), 171-177; 王淑佳, 孔伟, 任亮, 治丹丹, 戴彬婷 (2021),
    国内耦合协调度模型的误区及修正, *自然资源学报* 36(3), 793-810,
    https://doi.org/10.31497/zrzyxb.20210319.

    Examples
    --------
    >>> frame = pd.DataFrame({"economy": [0.2, 0.5], "ecology": [0.8, 0.5]}, index=["A", "B"])
    >>> coupling(frame)[["C", "T", "D", "class"]].round(4)
         C    T       D  class
    A  0.8  0.5  0.6325   初级协调
    B  1.0  0.5  0.7071   中级协调
    """
    problems: list[Problem] = []
    columns = [str(c) for c in scores.columns]
    if form not in kernel.FORMS:
        problems.append(
            Problem(
                "analysis.coupling_form",
                f"未知的耦合度形式 {form!r}：可选 standard（默认，几何平均比算术平均）或 wang2021"
                "（王淑佳等 2021 的修正形式）。",
                f"unknown coupling form {form!r}: choose standard (the default, geometric over "
                "arithmetic mean) or wang2021 (the corrected form of Wang et al. 2021).",
                "form",
            )
        )
    if len(columns) < 2:
        problems.append(
            Problem(
                "analysis.coupling_too_few",
                f"耦合协调度至少需要两个子系统，收到 {len(columns)} 个"
                f"（{'、'.join(columns) or '无'}）。请给出两个或更多子系统的得分。",
                f"coupling needs at least two subsystems; got {len(columns)} "
                f"({', '.join(columns) or 'none'}). Give the scores of two or more subsystems.",
                "subsystems",
            )
        )
    clash = [c for c in columns if c in COLUMNS]
    if clash:
        problems.append(
            Problem(
                "analysis.coupling_column_name",
                f"子系统不能命名为 {'、'.join(clash)}：这些是结果表的列名（C、T、D、class、"
                "class_en）。请给子系统改名。",
                f"a subsystem cannot be named {', '.join(clash)}: those are the result's columns "
                "(C, T, D, class, class_en); rename the subsystem.",
                "subsystems",
            )
        )
    values = _numbers(scores, problems)
    a = _coefficients(coefficients, columns, problems)
    if problems:
        raise InputError(problems)
    problems += _range_problems(values, scores.index, columns)
    if problems:
        raise InputError(problems)
    zero = np.all(values == 0, axis=1) if values.size else np.zeros(len(values), dtype=bool)
    if zero.any():
        _warn_all_zero([str(u) for u in scores.index[zero]])
    res = kernel.coordination(
        np.where(zero[:, None], np.nan, values),  # C = 0/0: left out, as if missing
        a,
        form=form,  # type: ignore[arg-type]  # checked above
    )
    index = kernel.classify(res.D, closed=closed)
    out = pd.DataFrame(
        {
            "C": res.C,
            "T": res.T,
            "D": res.D,
            "class": [kernel.CLASSES[i].zh if i >= 0 else None for i in index],
            "class_en": [kernel.CLASSES[i].en if i >= 0 else None for i in index],
        },
        index=scores.index.copy(),
    )
    for j, column in enumerate(scores.columns):
        out[column] = values[:, j]
    return out


def coupling_of(
    result: Result,
    subsystems: Sequence[str] | None = None,
    *,
    coefficients: Coefficients = None,
    form: str = "standard",
    scale: tuple[float, float] | None = None,
    closed: Literal["left", "right"] = "left",
) -> pd.DataFrame:
    r"""Coupling coordination of an assessment's dimensions (子系统 = 维度).

    The subsystem scores are the dimension scores of ``result.table``, rescaled to [0, 1]:

    .. math:: U_i = \frac{s_i - lo}{hi - lo}

    with :math:`[lo, hi]` the range the methodology gives the dimension's scores: a mean of
    min-max (goalposts, dist2max) values keeps the normalisation's ``range`` (``[0, 100]`` in
    the bundled methodologies), of percentile ranks or x/max values [0, 1]; TOPSIS, GRA and
    VIKOR scores are reported on [0, 100].  Where no range follows from the methodology
    (z-scores, vector normalisation, Copeland counts, sub-dimensions on different ranges) pass
    ``scale``.  Then as :func:`coupling`.

    Parameters
    ----------
    result : Result
        An academic assessment (:func:`kaoping.assess.assess`).
    subsystems : sequence of str, optional
        Dimension ids (any level), at least two; default: the top-level dimensions.
    coefficients, form, closed
        As :func:`coupling`.
    scale : (float, float), optional
        ``(lo, hi)`` of every subsystem's scores, instead of the range the methodology implies.

    Returns
    -------
    DataFrame
        Index: unit code; columns ``name``, ``C``, ``T``, ``D``, ``class``, ``class_en``, then
        the subsystems' scores on [0, 1], one column per dimension id.

    Raises
    ------
    InputError
        An official result, an unknown or repeated dimension id, a dimension whose range cannot
        be told (pass ``scale``), a bad ``scale``, scores outside the range used (one problem
        per dimension, naming ``scale``), and everything :func:`coupling` refuses.

    Examples
    --------
    >>> from kaoping.assess import assess
    >>> from kaoping.data.bundled import demo_panel, henan_units
    >>> from kaoping.methodology import load
    >>> m = load("county_hqd")
    >>> units = henan_units()
    >>> table = coupling_of(assess(m, demo_panel(m.name_to_id(), units), 2024, units=units))
    >>> list(table.columns[:6]), len(table)
    (['name', 'C', 'T', 'D', 'class', 'class_en'], 102)
    """
    from kaoping.assess import Result

    if not isinstance(result, Result):
        raise InputError(
            [
                Problem(
                    "analysis.not_academic",
                    "耦合协调度读取学术路径评价结果的维度得分；官方赋分结果请先把各维度得分换算到 "
                    "[0, 1]，再调用 coupling()。",
                    "coupling_of reads the dimension scores of an academic assessment; for an "
                    "official (points) result, rescale the dimensions' points to [0, 1] and call "
                    "coupling().",
                    "result",
                )
            ]
        )
    methodology = result.methodology
    ids = _subsystems(methodology, subsystems)
    problems: list[Problem] = []
    ranges = _ranges(methodology, ids, scale, problems)
    if problems:
        raise InputError(problems)
    raw = result.table[ids].apply(pd.to_numeric, errors="coerce").astype(float)
    U = pd.DataFrame(index=raw.index)
    for node_id in ids:
        lo, hi = ranges[node_id]
        u = (raw[node_id] - lo) / (hi - lo)
        near = (u >= -_SLACK) & (u <= 1.0 + _SLACK)  # rounding in the mean: clip it
        U[node_id] = u.where(~near, u.clip(0.0, 1.0))
    problems += _outside_range(raw, U, ranges, scale is not None)
    if problems:
        raise InputError(problems)
    U.index = U.index.astype(str)
    U.index.name = "unit"
    out = coupling(U, coefficients=coefficients, form=form, closed=closed)
    out.insert(0, "name", result.table["name"].reindex(raw.index).to_numpy())
    return out


def coupling_panel(
    results: Mapping[str, Result],
    subsystems: Sequence[str] | None = None,
    *,
    coefficients: Coefficients = None,
    form: str = "standard",
    scale: tuple[float, float] | None = None,
    closed: Literal["left", "right"] = "left",
) -> pd.DataFrame:
    """Coupling coordination in every period of a panel: one long table.

    Parameters
    ----------
    results : mapping
        Period -> Result (as :func:`kaoping.analysis.periods.assess_periods` returns).
    subsystems, coefficients, form, scale, closed
        As :func:`coupling_of`, the same for every period.

    Returns
    -------
    DataFrame
        Columns ``period``, ``unit``, ``name``, ``C``, ``T``, ``D``, ``class``, ``class_en`` and
        the subsystems' scores on [0, 1]; rows by period, then unit.

    Raises
    ------
    InputError
        What :func:`coupling_of` refuses, each problem prefixed with its period.

    Examples
    --------
    >>> from kaoping.analysis.periods import assess_periods
    >>> from kaoping.data.bundled import demo_panel, henan_units
    >>> from kaoping.methodology import load
    >>> m = load("county_hqd")
    >>> units = henan_units()
    >>> results = assess_periods(m, demo_panel(m.name_to_id(), units), ["2023", "2024"])
    >>> long = coupling_panel(results)
    >>> long.shape[0], sorted(set(long["period"]))
    (204, ['2023', '2024'])
    """
    frames: list[pd.DataFrame] = []
    problems: list[Problem] = []
    first = next(iter(results.values()), None)
    if first is not None:  # the options once, not once per period
        subsystems = check_options(
            first.methodology, subsystems, coefficients=coefficients, form=form, scale=scale
        )
    for period, result in results.items():
        try:
            table = coupling_of(
                result,
                subsystems,
                coefficients=coefficients,
                form=form,
                scale=scale,
                closed=closed,
            )
        except InputError as exc:
            problems.extend(
                Problem(p.code, f"{period}：{p.zh}", f"{period}: {p.en}", p.where)
                for p in exc.problems
            )
            continue
        table = table.reset_index()
        table.insert(0, "period", str(period))
        frames.append(table)
    if problems:
        raise InputError(problems)
    if not frames:
        return pd.DataFrame(columns=["period", "unit", "name", *COLUMNS])
    return pd.concat(frames, ignore_index=True)


def class_counts(table: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """How many units fall in each of the ten classes (all ten listed, in order).

    Parameters
    ----------
    table : DataFrame
        With a ``class`` column, as :func:`coupling`, :func:`coupling_of` or
        :func:`coupling_panel` return.
    by : str, optional
        A column to count within (e.g. ``"period"``): one count column per value.

    Returns
    -------
    DataFrame
        Index ``class`` (Chinese names, 极度失调 … 优质协调); columns ``class_en``, ``range``
        (e.g. ``[0.6, 0.7)``) and ``units`` (or one column per value of ``by``).

    Examples
    --------
    >>> frame = pd.DataFrame({"class": ["初级协调", "初级协调", None]})
    >>> counts = class_counts(frame)
    >>> int(counts.loc["初级协调", "units"]), len(counts)
    (2, 10)
    """
    names = [band.zh for band in kernel.CLASSES]
    out = pd.DataFrame(
        {
            "class_en": [band.en for band in kernel.CLASSES],
            "range": [
                f"[{band.lower:.1f}, {band.upper:.1f}{']' if band.upper == 1.0 else ')'}"
                for band in kernel.CLASSES
            ],
        },
        index=pd.Index(names, name="class"),
    )
    if by is None:
        counts = table["class"].value_counts()
        out["units"] = [int(counts.get(name, 0)) for name in names]
        return out
    for value, part in table.groupby(by, sort=False):
        counts = part["class"].value_counts()
        out[str(value)] = [int(counts.get(name, 0)) for name in names]
    return out


# --- checks -------------------------------------------------------------------------------------


def _numbers(scores: pd.DataFrame, problems: list[Problem]) -> np.ndarray:
    """The scores as a float matrix; a cell that is not a number is a problem (NaN stays)."""
    numeric = scores.apply(pd.to_numeric, errors="coerce").astype(float)
    text = numeric.isna().to_numpy() & scores.notna().to_numpy()
    for i, j in zip(*np.nonzero(text), strict=True):
        unit, column = scores.index[i], scores.columns[j]
        problems.append(
            Problem(
                "analysis.coupling_not_a_number",
                f"单位 {unit} 的子系统 {column} 得分 {scores.iat[i, j]!r} 不是数。"
                "请给出 [0, 1] 之间的数，缺失值留空。",
                f"the score of unit {unit} in subsystem {column}, {scores.iat[i, j]!r}, is not a "
                "number; give a number in [0, 1], or leave it empty when missing.",
                f"{unit}/{column}",
            )
        )
    matrix: np.ndarray = numeric.to_numpy(dtype=np.float64)
    return matrix


def _range_problems(values: np.ndarray, units: pd.Index, columns: Sequence[str]) -> list[Problem]:
    problems: list[Problem] = []
    with np.errstate(invalid="ignore"):
        outside = np.argwhere(~np.isnan(values) & ((values < 0) | (values > 1)))
    for i, j in outside.tolist():
        unit, column, v = units[i], columns[j], values[i, j]
        problems.append(
            Problem(
                "analysis.coupling_out_of_range",
                f"单位 {unit} 的子系统 {column} 得分为 {v:.6g}，须在 [0, 1] 之内：请先把得分换算到 "
                "[0, 1]（百分制得分除以 100）。",
                f"the score of unit {unit} in subsystem {column} is {v:.6g}; it must lie in "
                "[0, 1]: rescale the scores to [0, 1] first (divide 0-100 scores by 100).",
                f"{unit}/{column}",
            )
        )
    return problems


def all_zero_note(units: Sequence[str]) -> tuple[str, str]:
    """The note (Chinese, English) on units left out because every subsystem score is 0."""
    shown = list(units[:10])
    more = "…" if len(units) > 10 else ""
    return (
        f"{len(units)} 个单位的各子系统得分均为 0（{'、'.join(shown)}{more}），耦合度 C = 0/0 "
        "没有定义：这些单位的 C、T、D 记为空，不计入协调等级分布。",
        f"{len(units)} unit(s) have every subsystem score 0 ({', '.join(shown)}{more}), where "
        "the coupling degree C = 0/0 is undefined: their C, T and D are left empty and they "
        "are not counted in the classes.",
    )


def _warn_all_zero(units: Sequence[str]) -> None:
    zh, en = all_zero_note(units)
    warnings.warn(KaopingWarning(zh if get_language() == "zh" else en), stacklevel=3)


def _coefficients(
    coefficients: Coefficients, columns: Sequence[str], problems: list[Problem]
) -> np.ndarray | None:
    if coefficients is None:
        return None
    k = len(columns)
    if isinstance(coefficients, Mapping):
        given = {str(key): value for key, value in coefficients.items()}
        unknown = sorted(set(given) - set(columns))
        absent = [c for c in columns if c not in given]
        if unknown or absent:
            problems.append(
                Problem(
                    "analysis.coupling_coefficients",
                    f"系数须与子系统一一对应（{'、'.join(columns)}）："
                    + (f"多出 {'、'.join(unknown)}；" if unknown else "")
                    + (f"缺少 {'、'.join(absent)}。" if absent else ""),
                    f"the coefficients must name each subsystem once ({', '.join(columns)}): "
                    + (f"unknown {', '.join(unknown)}; " if unknown else "")
                    + (f"missing {', '.join(absent)}." if absent else ""),
                    "coefficients",
                )
            )
            return None
        raw = [given[c] for c in columns]
    else:
        raw = list(coefficients)
    try:
        a = np.array([float(v) for v in raw], dtype=np.float64)
    except (TypeError, ValueError):
        a = np.array([np.nan])
    ok = a.shape == (k,) and bool(np.all(np.isfinite(a))) and bool(np.all(a >= 0))
    if ok and abs(float(a.sum()) - 1.0) <= 1e-6:
        return a
    shown = ",".join(f"{v:g}" if isinstance(v, int | float) else str(v) for v in raw)
    total_zh = total_en = ""
    if a.shape == (k,) and bool(np.all(np.isfinite(a))):
        total_zh, total_en = f"（和为 {float(a.sum()):.6g}）", f" (sum {float(a.sum()):.6g})"
    example = equal_coefficients(k)
    problems.append(
        Problem(
            "analysis.coupling_coefficients",
            f"系数 a 须为 {k} 个非负数且和为 1（每个子系统一个：{'、'.join(columns)}），"
            f"收到 {shown}{total_zh}。请按子系统顺序给出，例如 {example}；不给则取等权。",
            f"the coefficients a must be {k} non-negative numbers summing to 1 (one per "
            f"subsystem: {', '.join(columns)}); got {shown}{total_en}. Give them in subsystem "
            f"order, e.g. {example}, or none for equal coefficients.",
            "coefficients",
        )
    )
    return None


def equal_coefficients(k: int) -> str:
    """k nearly equal coefficients written with two decimals (four past 100 subsystems) that
    sum to 1 exactly, comma-separated: an example a user can pass as it is.

    Examples
    --------
    >>> equal_coefficients(6)  # 4 x 0.17 + 2 x 0.16 = 1
    '0.17,0.17,0.17,0.17,0.16,0.16'
    >>> equal_coefficients(2)
    '0.5,0.5'
    """
    unit = 100 if k <= 100 else 10_000
    base, extra = divmod(unit, k)  # the first `extra` get one hundredth more
    return ",".join(f"{(base + (i < extra)) / unit:g}" for i in range(k))


def _subsystems(methodology: Methodology, subsystems: Sequence[str] | None) -> list[str]:
    known = [node.id for node in methodology.nodes()]
    if subsystems is None:
        return [d.id for d in methodology.dimensions]
    ids = [str(s).strip() for s in subsystems]
    problems: list[Problem] = []
    for node_id in dict.fromkeys(ids):
        if node_id not in known:
            close = difflib.get_close_matches(node_id, known, n=3)
            hint_zh = f"是否想用 {'、'.join(close)}？" if close else ""
            hint_en = f" Did you mean {', '.join(close)}?" if close else ""
            problems.append(
                Problem(
                    "analysis.unknown_subsystem",
                    f"考核办法 {methodology.id} 没有维度 {node_id}。{hint_zh}"
                    f"可选：{'、'.join(known)}。",
                    f"methodology {methodology.id} has no dimension {node_id!r}.{hint_en} "
                    f"Choose from: {', '.join(known)}.",
                    "subsystems",
                )
            )
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        problems.append(
            Problem(
                "analysis.repeated_subsystem",
                f"子系统 {'、'.join(repeated)} 重复：每个维度只能列一次。",
                f"subsystem(s) {', '.join(repeated)} are repeated: list each dimension once.",
                "subsystems",
            )
        )
    if not problems and len(ids) < 2:
        problems.append(
            Problem(
                "analysis.coupling_too_few",
                f"耦合协调度至少需要两个子系统，收到 {len(ids)} 个。请列出两个或更多维度。",
                f"coupling needs at least two subsystems; got {len(ids)}. List two or more "
                "dimensions.",
                "subsystems",
            )
        )
    if problems:
        raise InputError(problems)
    return ids


def _ranges(
    methodology: Methodology,
    ids: Sequence[str],
    scale: tuple[float, float] | None,
    problems: list[Problem],
) -> dict[str, tuple[float, float]]:
    if scale is not None:
        try:
            lo, hi = (float(v) for v in scale)
        except (TypeError, ValueError):
            lo, hi = np.nan, np.nan
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            got = ",".join(_number_text(v) for v in scale)
            problems.append(
                Problem(
                    "analysis.coupling_scale",
                    f"得分范围须为两个有限数：下限,上限，且下限小于上限；收到 {got}。"
                    "请先写下限，例如 0,100（百分制得分）。",
                    f"the score range must be two finite numbers LO,HI with LO < HI; got {got}. "
                    "Give the lower end first, e.g. 0,100 (scores out of 100).",
                    "scale",
                )
            )
            return {}
        return {node_id: (lo, hi) for node_id in ids}
    out: dict[str, tuple[float, float]] = {}
    for node_id in ids:
        node = methodology.dimension(node_id)
        found = score_range(methodology, node)
        if found is None:
            norm = methodology.normalization.method
            agg = methodology.aggregation_of(node).method
            problems.append(
                Problem(
                    "analysis.coupling_scale",
                    f"无法从考核办法 {methodology.id} 判断维度 {node_id} 得分的取值范围"
                    f"（标准化 {norm}、合成方法 {agg}）："
                    "请用 scale=(lo, hi)（命令行 --scale LO,HI）给出，以便换算到 [0, 1]。",
                    f"cannot tell the range of dimension {node_id}'s scores from methodology "
                    f"{methodology.id} (normalisation {norm}, aggregation {agg}): give it as "
                    "scale=(lo, hi) (--scale LO,HI on the command line) to rescale them to "
                    "[0, 1].",
                    node_id,
                )
            )
        else:
            out[node_id] = found
    return out


def _number_text(value: object) -> str:
    try:
        return f"{float(value):g}"  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


def _outside_range(
    raw: pd.DataFrame,
    U: pd.DataFrame,
    ranges: Mapping[str, tuple[float, float]],
    given: bool,
) -> list[Problem]:
    """One problem per subsystem whose scores fall outside the range used to rescale them:
    how many units, the smallest and largest score, and the fix (a wider range)."""
    problems: list[Problem] = []
    for node_id in U.columns:
        u = U[node_id]
        out = (u < 0) | (u > 1)
        if not out.any():
            continue
        lo, hi = ranges[node_id]
        values = raw.loc[out.to_numpy(), node_id]
        units = [str(x) for x in values.index[:5]] + (["…"] if len(values) > 5 else [])
        span = f"{values.min():.6g}–{values.max():.6g}"
        if given:
            fix_zh = "请放宽得分范围（--scale LO,HI），使其包含全部得分"
            fix_en = "widen the score range (--scale LO,HI) to hold every score"
            source_zh, source_en = "给定的得分范围", "the given score range"
        else:
            fix_zh = "请用 --scale LO,HI 给出实际的得分范围"
            fix_en = "give the actual range of the scores with --scale LO,HI"
            source_zh, source_en = "考核办法给出的得分范围", "the methodology's score range"
        problems.append(
            Problem(
                "analysis.coupling_scale_exceeded",
                f"维度 {node_id} 有 {len(values)} 个单位的得分（{span}；"
                f"{'、'.join(units)}）超出{source_zh} {lo:g}–{hi:g}，无法换算到 [0, 1]：{fix_zh}。",
                f"{len(values)} unit(s) score {values.min():.6g} to {values.max():.6g} on "
                f"dimension {node_id} "
                f"({', '.join(units)}), outside {source_en} {lo:g} to {hi:g}, so they cannot be "
                f"rescaled to [0, 1]: {fix_en}.",
                "scale" if given else node_id,
            )
        )
    return problems


def check_options(
    methodology: Methodology,
    subsystems: Sequence[str] | None = None,
    *,
    coefficients: Coefficients = None,
    form: str = "standard",
    scale: tuple[float, float] | None = None,
) -> list[str]:
    """Check the options of :func:`coupling_of` against a methodology, before any assessment.

    Returns
    -------
    list of str
        The subsystems' dimension ids (default: the top-level dimensions).

    Raises
    ------
    InputError
        Every problem with the options, each ``where`` naming the option (``subsystems``,
        ``coefficients``, ``form``, ``scale``), or the dimension whose range cannot be told
        (pass ``scale``).

    Examples
    --------
    >>> from kaoping.methodology import load
    >>> check_options(load("county_hqd"), ["economy", "green"], coefficients=[0.6, 0.4])
    ['economy', 'green']
    """
    ids = _subsystems(methodology, subsystems)
    problems: list[Problem] = []
    if form not in kernel.FORMS:
        problems.append(
            Problem(
                "analysis.coupling_form",
                f"未知的耦合度形式 {form}：可选 standard（默认，几何平均比算术平均）或 wang2021"
                "（王淑佳等 2021 的修正形式）。",
                f"unknown coupling form {form}: choose standard (the default, geometric over "
                "arithmetic mean) or wang2021 (the corrected form of Wang et al. 2021).",
                "form",
            )
        )
    _coefficients(coefficients, ids, problems)
    _ranges(methodology, ids, scale, problems)
    if problems:
        raise InputError(problems)
    return ids


def score_range(methodology: Methodology, node: Dimension) -> tuple[float, float] | None:
    """The range ``(lo, hi)`` the methodology gives a dimension's scores, or None.

    A mean (arithmetic, geometric, harmonic, generalized) of values on one range stays on it:
    at a leaf the normalisation's (``range`` for min-max, goalposts and dist2max; [0, 1] for
    percentile ranks and x/max; [0, max(1, cap)] for capped completion rates), above it the
    children's when they agree.  TOPSIS, GRA and VIKOR scores are on [0, 100].  None for
    z-scores, vector normalisation, uncapped completion rates, Copeland counts and children on
    different ranges.

    Examples
    --------
    >>> from kaoping.methodology import load
    >>> m = load("county_hqd")
    >>> score_range(m, m.dimensions[0])
    (0.0, 100.0)
    """
    from kaoping.methodology import RANGE_METHODS

    method = methodology.aggregation_of(node).method
    if method in _TIMES_100:
        return (0.0, 100.0)
    if method not in _MEANS:
        return None
    if node.is_leaf:
        spec = methodology.normalization
        if spec.method in RANGE_METHODS:
            lo, hi = spec.range
            return (float(lo), float(hi))
        if spec.method in ("rank", "fracmax"):
            return (0.0, 1.0)
        params: dict[str, object] = dict(spec.params or {})
        cap = params.get("cap")
        if spec.method == "target" and isinstance(cap, int | float):
            return (0.0, max(1.0, float(cap)))
        return None
    found = {score_range(methodology, child) for child in node.children}
    return found.pop() if len(found) == 1 else None
