r"""Weights from the data, Benefit of the Doubt and the Mazziotta-Pareto indices of an assessment.

Labelled wrappers of the kernels in :mod:`kaoping.methods.weights` and
:mod:`kaoping.methods.aggregate` (formulas and sources in their docstrings and in METHODS.md,
"The researcher's analyses"):

* :func:`data_weights` -- weights an analyst would derive from the data: PCA in the convention
  of Chinese papers (``"pca"``, 主成分分析法) or COINr's (``"pca_coinr"``), the OECD/JRC
  Handbook's factor-analysis weights (``"pca_oecd"``: varimax, squared loadings), and entropy on
  the raw shares :math:`p_{ij} = x_{ij} / \sum_i x_{ij}` (``"entropy_shares"``), beside the
  methodology's own weights;
* :func:`pairwise_weights` -- AHP weights of a labelled pairwise matrix, Saaty's approximate
  method (column-normalised row means) by default, with :func:`pairwise_matrix` to read one
  (entries such as ``1/3`` allowed);
* :func:`bod_scores` -- each unit's Benefit-of-the-Doubt score and its most favourable
  weights, with optional bounds on each indicator's share;
* :func:`mpi_scores` -- the Mazziotta-Pareto index (MPI) or its adjusted form (AMPI).

Which values are used, and why:

* PCA, BoD and the (default) MPI read ``result.normalized``: higher is better, directions and
  moderate (适度) indicators already applied, after the methodology's outlier treatment -- the
  values the index itself aggregated.  PCA and the MPI standardise each indicator, so that
  min-max values give the same answer as the raw ones with their directions.
* Entropy on shares, and the MPI/AMPI with goalposts in the indicators' own units, read
  ``result.raw`` (the values assessed, before outlier treatment).
* Units with a missing value are left out of a PCA (listwise deletion, as SPSS and COINr do)
  and get no BoD or MPI score; the notes name them.

Every function also accepts a plain DataFrame (units x indicators) where it makes sense, with
``directions`` (indicator -> +1/-1 or positive/negative) and ``groups`` (indicator -> group).
"""

from __future__ import annotations

import difflib
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionArray

from kaoping.errors import InputError, KaopingWarning, Problem, get_language
from kaoping.methods import ConstantColumnWarning
from kaoping.methods import aggregate as agg
from kaoping.methods import weights as wts
from kaoping.methods.rank import competition

if TYPE_CHECKING:
    from kaoping.assess import Result
    from kaoping.methodology import Methodology

__all__ = [
    "METHODS",
    "BoDScores",
    "DataWeights",
    "MPIScores",
    "bod_scores",
    "data_weights",
    "mpi_scores",
    "pairwise_matrix",
    "pairwise_weights",
]

METHODS: Mapping[str, tuple[str, str]] = {
    "pca": ("主成分分析法（特征值 > 1 的主成分，综合得分系数）", "PCA, Chinese papers' convention"),
    "pca_coinr": ("主成分分析法（COINr：第一主成分载荷）", "PCA, COINr's first component"),
    "pca_oecd": (
        "因子分析法（OECD/JRC 手册：主成分提取、方差最大化旋转、载荷平方归一）",
        "factor analysis, OECD/JRC Handbook (PCA extraction, varimax, squared loadings)",
    ),
    "entropy_shares": ("熵值法（原始值占比 p = x / Σx）", "entropy on raw shares p = x / sum x"),
}
"""The methods of :func:`data_weights`: id -> (Chinese, English) description."""

Note = tuple[str, str]
_ALL = "all"


# --------------------------------------------------------------------------------------------
# sources: a Result or a plain frame
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """The labelled inputs an analysis needs, from a Result or a DataFrame."""

    values: pd.DataFrame  # units x indicators
    directions: pd.Series  # indicator -> +1.0 / -1.0 / 0.0 (moderate)
    info: pd.DataFrame  # indicator -> name, dimension (group), top, current_weight
    names: pd.Series  # unit -> name
    table: pd.DataFrame | None  # the Result's table (score, rank, category), or None
    period: str | None
    optimum: pd.Series  # indicator -> optimum of a moderate indicator (NaN elsewhere)
    kind: str  # "normalized", "raw" or "frame"


_DIRECTION_WORDS: Mapping[str, float] = {
    "positive": 1.0, "+": 1.0, "+1": 1.0, "1": 1.0, "正向": 1.0, "正": 1.0,
    "negative": -1.0, "-": -1.0, "-1": -1.0, "负向": -1.0, "逆向": -1.0, "负": -1.0,
    "moderate": 0.0, "适度": 0.0,
}  # fmt: skip


def _problem(code: str, zh: str, en: str, where: str | None = None) -> InputError:
    return InputError([Problem(code, zh, en, where)])


def _is_result(source: object) -> bool:
    from kaoping.assess import Result

    return isinstance(source, Result)


def _top_of(methodology: Methodology) -> dict[str, str]:
    out: dict[str, str] = {}
    for top in methodology.dimensions:
        for ind in top.scored_below:
            out[ind.id] = top.id
    return out


def _from_result(result: Result, kind: Literal["normalized", "raw"]) -> _Source:
    m = result.methodology
    frame = (result.normalized if kind == "normalized" else result.raw).astype(float)
    ids = [str(c) for c in frame.columns]
    w = result.weights.reindex(ids)
    raw_dir = {"positive": 1.0, "negative": -1.0, "moderate": 0.0}
    if kind == "normalized":  # already higher-is-better
        directions = pd.Series(1.0, index=ids)
    else:
        directions = pd.Series([raw_dir.get(str(d), 1.0) for d in w["direction"]], index=ids)
    optimum = pd.Series([_optimum(m, i) for i in ids], index=ids, dtype=np.float64)
    top = _top_of(m)
    info = pd.DataFrame(
        {
            "name": [str(n) for n in w["name"]],
            "dimension": [str(d) for d in w["dimension"]],
            "top": [top.get(i, str(d)) for i, d in zip(ids, w["dimension"], strict=True)],
            "current_weight": pd.to_numeric(w["effective_weight"]).to_numpy(float),
        },
        index=pd.Index(ids, name="indicator"),
    )
    return _Source(
        values=frame,
        directions=directions,
        info=info,
        names=result.table["name"].reindex(frame.index),
        table=result.table,
        period=str(result.period),
        optimum=optimum,
        kind=kind,
    )


def _optimum(methodology: Methodology, indicator: str) -> float:
    value = methodology.indicator(indicator).optimum
    return math.nan if value is None else float(value)


def _direction_value(value: object, indicator: str) -> float:
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value) in (1.0, -1.0):
        return float(value)
    key = str(value).strip().lower()
    if key in _DIRECTION_WORDS and _DIRECTION_WORDS[key] != 0.0:
        return _DIRECTION_WORDS[key]
    raise _problem(
        "analysis.bad_direction",
        f"指标 {indicator} 的方向 {value!r} 无法识别；请用 positive/正向/1 或 negative/逆向/-1"
        "（适度指标请先换算为正向）。",
        f"the direction {value!r} of indicator {indicator} is not understood; use positive/1 "
        "or negative/-1 (turn a moderate indicator into a positive one first).",
        "directions",
    )


def _from_frame(
    frame: pd.DataFrame,
    directions: Mapping[str, object] | pd.Series | None,
    groups: Mapping[str, str] | pd.Series | None,
) -> _Source:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"expected a kaoping.assess.Result or a pandas DataFrame (units x indicators), got "
            f"{type(frame).__name__}."
        )
    values = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    bad = [str(c) for c in frame.columns if values[c].isna().sum() > frame[c].isna().sum()]
    if bad:
        raise _problem(
            "analysis.not_numeric",
            f"指标 {'、'.join(bad)} 含有非数值内容；请只保留数值（缺失值留空）。",
            f"indicator(s) {', '.join(bad)} hold values that are not numbers; keep numbers only "
            "(leave missing values empty).",
            "data",
        )
    ids = [str(c) for c in values.columns]
    values.columns = pd.Index(ids, name="indicator")
    given = dict(directions.items()) if directions is not None else {}
    unknown = sorted(str(k) for k in given if str(k) not in ids)
    if unknown:
        raise _unknown("directions", unknown, ids)
    dirs = pd.Series([_direction_value(given.get(i, 1.0), i) for i in ids], index=ids)
    group_of = {str(k): str(v) for k, v in (groups.items() if groups is not None else [])}
    unknown = sorted(k for k in group_of if k not in ids)
    if unknown:
        raise _unknown("groups", unknown, ids)
    info = pd.DataFrame(
        {
            "name": ids,
            "dimension": [group_of.get(i, _ALL) for i in ids],
            "top": [group_of.get(i, _ALL) for i in ids],
            "current_weight": np.nan,
        },
        index=pd.Index(ids, name="indicator"),
    )
    names = pd.Series([str(u) for u in values.index], index=values.index)
    return _Source(values, dirs, info, names, None, None, pd.Series(np.nan, index=ids), "frame")


def _unknown(where: str, unknown: Sequence[str], known: Sequence[str]) -> InputError:
    problems = []
    for code in unknown:
        close = difflib.get_close_matches(code, list(known), n=3, cutoff=0.6)
        hint_zh = f"是否想用 {'、'.join(close)}？" if close else ""
        hint_en = f" Did you mean {', '.join(close)}?" if close else ""
        problems.append(
            Problem(
                "analysis.unknown_indicator",
                f"没有指标 {code}。{hint_zh}",
                f"there is no indicator {code}.{hint_en}",
                where,
            )
        )
    return InputError(problems)


def _select(src: _Source, indicators: Sequence[str] | None) -> _Source:
    if indicators is None:
        return src
    ids = [str(i).strip() for i in indicators if str(i).strip()]
    known = list(src.values.columns)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise _unknown("indicators", unknown, known)
    if not ids:
        raise _problem(
            "analysis.no_indicators",
            "请至少选择一个指标。",
            "choose at least one indicator.",
            "indicators",
        )
    keep = [i for i in known if i in set(ids)]
    return _Source(
        src.values[keep], src.directions[keep], src.info.loc[keep], src.names, src.table,
        src.period, src.optimum[keep], src.kind,
    )  # fmt: skip


def _source(
    source: Result | pd.DataFrame,
    kind: Literal["normalized", "raw"],
    directions: Mapping[str, object] | pd.Series | None,
    groups: Mapping[str, str] | pd.Series | None,
    indicators: Sequence[str] | None,
) -> _Source:
    if _is_result(source):
        if directions is not None or groups is not None:
            raise _problem(
                "analysis.result_has_directions",
                "评价结果已带有指标方向与维度，不必再给 directions 或 groups。",
                "an assessment result carries its indicators' directions and dimensions; do not "
                "give directions or groups.",
                "directions",
            )
        src = _from_result(source, kind)  # type: ignore[arg-type]
    else:
        src = _from_frame(source, directions, groups)  # type: ignore[arg-type]
    return _select(src, indicators)


def _incomplete(src: _Source) -> list[str]:
    return [str(u) for u in src.values.index[src.values.isna().any(axis=1)]]


def _list(items: Sequence[str], n: int = 8) -> tuple[str, str]:
    shown = list(items[:n])
    more_zh = f" 等 {len(items)} 个" if len(items) > n else ""
    more_en = f" and {len(items) - n} more" if len(items) > n else ""
    return "、".join(shown) + more_zh, ", ".join(shown) + more_en


def _period_text(src: _Source) -> tuple[str, str]:
    return (f"时期 {src.period}：", f"period {src.period}: ") if src.period else ("", "")


def _warn(notes: Sequence[Note], stacklevel: int = 3) -> None:
    lang = get_language()
    for zh, en in notes:
        warnings.warn(KaopingWarning(zh if lang == "zh" else en), stacklevel=stacklevel)


def _quiet[T](fn: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, list[Warning]]:
    """Call a kernel, keeping its warnings (which name columns by position) for relabelling."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn(*args, **kwargs)
    return out, [w.message for w in caught if isinstance(w.message, Warning)]


def _component_rows(
    group: str, eigenvalues: Any, explained: Any, retained: int
) -> list[dict[str, Any]]:
    """One row per principal component of a group: its eigenvalue, share of the variance,
    the cumulative share, and whether it is one of the ``retained`` first ones."""
    cumulative = np.cumsum(explained)
    return [
        {
            "group": group,
            "component": k + 1,
            "eigenvalue": float(lam),
            "explained": float(explained[k]),
            "cumulative": float(cumulative[k]),
            "retained": k < retained,
        }
        for k, lam in enumerate(eigenvalues)
    ]


def _relabel(caught: Sequence[Warning], ids: Sequence[str], src: _Source, what: Note) -> list[Note]:
    """Kernel warnings as notes that name the indicators (and the period); ``what`` names the
    analysis (zh, en)."""
    pz, pe = _period_text(src)
    wz, we = what
    notes: list[Note] = []
    for message in caught:
        if isinstance(message, wts.NegativeLoadingWarning):
            names = [ids[j] for j in message.columns]
            z, e = _list(names)
            notes.append(
                (
                    f"{pz}{wz}：指标 {z} 的系数为负（与所取主成分反向变动），权重取其绝对值；"
                    "请检查其方向（正向/逆向）或考虑剔除。",
                    f"{pe}{we}: the coefficient of {e} is negative (it moves against the "
                    "components the weights come from); its weight is the absolute value. Check "
                    "its direction or consider dropping it.",
                )
            )
        elif isinstance(message, ConstantColumnWarning):
            names = [ids[j] for j in message.columns if j < len(ids)]
            z, e = _list(names)
            notes.append(
                (
                    f"{pz}{wz}：指标 {z} 在各单位间没有差异（常数列），不能区分单位"
                    "（权重为 0；在 MPI 中取 100）。",
                    f"{pe}{we}: {e} do not vary between units (constant), cannot tell them "
                    "apart (weight 0; in the MPI, 100 for every unit).",
                )
            )
        elif isinstance(message, KaopingWarning):
            notes.append((f"{pz}{wz}：{message}", f"{pe}{we}: {message}"))
        else:  # not ours: let it through unchanged
            warnings.warn(message, stacklevel=4)
    return notes


# --------------------------------------------------------------------------------------------
# weights from the data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DataWeights:
    """Weights derived by :func:`data_weights` or :func:`pairwise_weights`.

    Attributes
    ----------
    method : str
        ``"pca"``, ``"pca_coinr"``, ``"pca_oecd"``, ``"entropy_shares"``, ``"ahp_approximate"`` or
        ``"ahp_eigenvector"``.
    period : str or None
        The assessment's period (None for a plain frame or a pairwise matrix).
    by : str
        ``"all"`` (one set of weights over every indicator) or ``"dimension"`` (weights within
        each dimension holding the indicators).
    table : DataFrame
        Index: indicator (or the matrix's labels).  Columns ``name``, ``dimension``,
        ``weight`` (summing to 1 overall, or within each dimension with ``by="dimension"``),
        ``effective_weight`` (summing to 1 overall: within-dimension weights times the
        methodology's weight of the dimension), ``current_weight`` (the methodology's
        effective weight, for comparison; NaN when unknown), then the method's own facts:
        PCA ``coefficient`` (b_j, or e_j1 for COINr), ``negative`` and ``loading_1`` ...
        (SPSS's component matrix); ``pca_oecd`` ``factor`` (1-based), ``negative``,
        ``loading_k`` (varimax-rotated) and ``squared_k`` (squared, scaled to unity sum within
        the factor); entropy ``n`` (values used).
    components : DataFrame
        PCA only: per group and component, ``eigenvalue``, ``explained``, ``cumulative``,
        ``retained`` (``pca_oecd`` also ``rotated_variance`` and ``factor_weight`` of the
        factors kept); empty otherwise.
    facts : dict
        Method-level numbers: PCA ``units_used``; AHP ``lambda_max``, ``ci``, ``cr``, ``ri``,
        ``ri_table``, ``consistent``.
    notes : tuple of (zh, en)
        What the reader should know (negative coefficients, constant indicators, units left
        out).
    """

    method: str
    period: str | None
    by: str
    table: pd.DataFrame
    components: pd.DataFrame
    facts: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()

    @property
    def weights(self) -> pd.Series:
        """Indicator -> weight (the ``weight`` column)."""
        out: pd.Series = self.table["weight"].copy()
        out.name = "weight"
        return out


def _method_id(method: str) -> str:
    key = str(method).strip().lower().replace("-", "_")
    aliases = {
        "pca_cn": "pca", "coinr": "pca_coinr", "entropy_share": "entropy_shares",
        "oecd": "pca_oecd", "factor": "pca_oecd", "fa": "pca_oecd", "pca_fa": "pca_oecd",
    }  # fmt: skip
    key = aliases.get(key, key)
    if key not in METHODS:
        raise _problem(
            "analysis.unknown_weight_method",
            f"未知的赋权方法 {method!r}；可选：{'、'.join(METHODS)}（AHP 请用 pairwise_weights）。",
            f"unknown weighting method {method!r}; choose one of {', '.join(METHODS)} "
            "(for AHP use pairwise_weights).",
            "method",
        )
    return key


def _groups(src: _Source, by: str) -> list[tuple[str, list[str]]]:
    ids = list(src.values.columns)
    if by == _ALL:
        return [(_ALL, ids)]
    order: dict[str, list[str]] = {}
    for i in ids:
        order.setdefault(str(src.info.at[i, "dimension"]), []).append(i)
    return list(order.items())


def _group_shares(src: _Source, groups: list[tuple[str, list[str]]]) -> dict[str, float]:
    """Each group's share of the total weight: the methodology's (its indicators' effective
    weights), or equal shares when unknown."""
    current = src.info["current_weight"]
    if current.notna().all() and current.sum() > 0:
        total = float(current.sum())
        return {g: float(current[ids].sum()) / total for g, ids in groups}
    return {g: 1.0 / len(groups) for g, _ in groups}


def data_weights(
    source: Result | pd.DataFrame,
    method: str = "pca",
    *,
    by: Literal["all", "dimension"] | None = None,
    retain: str | float = "eigen1",
    factors: int | None = None,
    shift: float = 0.0,
    indicators: Sequence[str] | None = None,
    directions: Mapping[str, object] | pd.Series | None = None,
    groups: Mapping[str, str] | pd.Series | None = None,
) -> DataWeights:
    r"""Weights derived from the data, per indicator, beside the methodology's own.

    ``method``:

    * ``"pca"`` -- 主成分分析法 of Chinese papers (:func:`kaoping.methods.weights.pca`,
      ``convention="cn"``): components with eigenvalue > 1 (or ``retain=0.85``: the fewest
      reaching 85 % of the variance), :math:`b_j = \sum_k e_{jk}\lambda_k / \sum_k \lambda_k`,
      :math:`w_j = |b_j| / \sum |b_l|`;
    * ``"pca_coinr"`` -- COINr's ``get_PCA`` weights, the first component's loadings
      :math:`|e_{j1}|` scaled to sum 1 (by dimension by default, as COINr's ``by_groups``);
    * ``"pca_oecd"`` -- the OECD/JRC Handbook's factor-analysis weights
      (:func:`kaoping.methods.weights.factor_weights`): factors with eigenvalue > 1, each
      explaining > 10 % and together >= 60 % of the variance (or ``factors=K``), varimax,
      squared rotated loadings scaled to unity sum within each factor; each indicator weighted
      in the factor where that is largest, the factors by their share of explained variance;
    * ``"entropy_shares"`` -- the entropy method on the raw shares
      :math:`p_{ij} = x_{ij} / \sum_i x_{ij}` (pymcdm's, scikit-criteria's and mcdm's
      convention; :func:`kaoping.methods.weights.entropy` with ``variant="shares"``), which
      needs non-negative raw values.

    Parameters
    ----------
    source : Result or DataFrame
        An academic assessment, or a frame of units x indicators.  From a Result, PCA reads
        ``result.normalized`` (higher is better, after outlier treatment) and the entropy reads
        ``result.raw``.
    method : {"pca", "pca_coinr", "pca_oecd", "entropy_shares"}
        Hyphens are accepted (``"pca-coinr"``).
    by : {"all", "dimension"}, optional
        One set of weights over every indicator, or weights within each dimension holding the
        indicators (their ``effective_weight`` then keeps the methodology's dimension weights).
        Default ``"dimension"`` for ``pca_coinr``, ``"all"`` otherwise.
    retain : "eigen1" or float
        ``"pca"`` only: Kaiser's rule or a cumulative share in (0, 1].
    factors : int, optional
        ``"pca_oecd"`` only: keep exactly this many factors instead of the Handbook's rules
        (at most the number of indicators of each group).
    shift : float
        ``"entropy_shares"`` only: a constant added to every raw value first (>= 0).
    indicators : sequence of str, optional
        A subset of the indicators (ids).
    directions, groups : mapping, optional
        For a DataFrame only: indicator -> +1/-1 (or positive/negative; default +1), and
        indicator -> group (needed for ``by="dimension"``).

    Returns
    -------
    DataWeights
        The weights with their facts (see :class:`DataWeights`).

    Raises
    ------
    InputError
        An unknown method or indicator, ``by="dimension"`` on a frame without ``groups``,
        negative or all-zero raw values for ``entropy_shares`` (naming every indicator and the
        period), or fewer than 3 complete units for a PCA.

    Warns
    -----
    KaopingWarning
        The notes (negative coefficients, constant indicators, units left out), in the
        current language.

    References
    ----------
    See :func:`kaoping.methods.weights.pca` (Jolliffe 2002; OECD/JRC 2008; Becker et al. 2022,
    COINr), :func:`kaoping.methods.weights.factor_weights` (OECD/JRC 2008, section 6.1;
    Kaiser 1958) and :func:`kaoping.methods.weights.entropy` (Hwang & Yoon 1981; pymcdm,
    scikit-criteria, mcdm).

    Examples
    --------
    >>> frame = pd.DataFrame({"a": [1.0, 2, 3, 4, 5, 6], "b": [2.0, 3, 3, 5, 4, 6],
    ...                       "c": [3.0, 1, 2, 5, 4, 2], "d": [1.0, 2, 4, 3, 5, 2]})
    >>> data_weights(frame, "pca").weights.round(4).tolist()
    [0.2326, 0.1694, 0.2926, 0.3055]
    """
    key = _method_id(method)
    grouping = by if by is not None else ("dimension" if key == "pca_coinr" else _ALL)
    if grouping not in (_ALL, "dimension"):
        raise _problem(
            "analysis.bad_by",
            f"by 须为 all（全部指标一起）或 dimension（各维度内），收到 {by!r}。",
            f"by must be 'all' (every indicator together) or 'dimension' (within each "
            f"dimension), got {by!r}.",
            "by",
        )
    kind: Literal["normalized", "raw"] = "raw" if key == "entropy_shares" else "normalized"
    src = _source(source, kind, directions, groups, indicators)
    if grouping == "dimension" and not _is_result(source) and groups is None:
        raise _problem(
            "analysis.no_groups",
            "按维度计算权重需要各指标所属的维度：请给出 groups（指标 → 维度）。",
            "weights by dimension need each indicator's dimension: give groups "
            "(indicator -> group).",
            "groups",
        )
    if key == "entropy_shares":
        if isinstance(shift, bool) or not (
            isinstance(shift, (int, float)) and math.isfinite(shift) and shift >= 0
        ):
            raise _problem(
                "analysis.bad_shift",
                f"平移常数须为 >= 0 的有限数，收到 {shift}。",
                f"the shift must be a finite number >= 0, got {shift}.",
                "shift",
            )
        _check_shares(src, float(shift))
    parts = _groups(src, grouping)
    shares = _group_shares(src, parts)
    rows: dict[str, dict[str, Any]] = {}
    comps: list[dict[str, Any]] = []
    notes: list[Note] = []
    facts: dict[str, Any] = {}
    pz, pe = _period_text(src)
    if key != "entropy_shares":
        dropped = _incomplete(src)
        used = src.values.drop(index=dropped)
        facts["units_used"] = len(used)
        if dropped:
            z, e = _list(dropped)
            notes.append(
                (
                    f"{pz}主成分分析剔除了有缺失值的 {len(dropped)} 个单位（{z}，成列删除，与 SPSS "
                    "和 COINr 相同）；可先插补以使用全部单位。",
                    f"{pe}the PCA leaves out {len(dropped)} unit(s) with a missing value ({e}; "
                    "listwise deletion, as SPSS and COINr do); impute first to use every unit.",
                )
            )
        if len(used) < 3:
            raise _problem(
                "analysis.pca_too_few_units",
                f"{pz}主成分分析至少需要 3 个指标值齐全的单位，只有 {len(used)} 个。",
                f"{pe}a PCA needs at least 3 units with every value, got {len(used)}.",
                "data",
            )
    else:
        used = src.values
        if factors is not None and not (
            not isinstance(factors, bool) and int(factors) == factors and factors >= 1
        ):
            raise _problem(
                "analysis.bad_factors",
                f"factors 须为 >= 1 的整数（保留的因子个数），收到 {factors!r}。",
                f"factors must be a whole number >= 1 (the factors kept), got {factors!r}.",
                "factors",
            )
    label = (METHODS[key][0].split("（")[0], METHODS[key][1])
    for group, ids in parts:
        X = used[ids].to_numpy(dtype=np.float64)
        d = src.directions[ids].to_numpy(dtype=np.float64)
        if key == "entropy_shares":
            # the shares' dispersion does not depend on the direction (the kernel only checks
            # it): a moderate indicator's shares are of its raw values, as for any other
            d = np.where(d == 0.0, 1.0, d)
            w, caught = _quiet(wts.entropy, X, d, shift, variant="shares")
            notes += _relabel(caught, ids, src, label)
            for j, i in enumerate(ids):
                rows[i] = {"weight": float(w[j]), "n": int(np.isfinite(X[:, j]).sum())}
        elif len(ids) == 1 and key == "pca_oecd":
            rows[ids[0]] = {"weight": 1.0, "factor": 1, "negative": False}
        elif len(ids) == 1:
            rows[ids[0]] = {"weight": 1.0, "coefficient": np.nan, "negative": False}
        elif key == "pca_oecd":
            if factors is not None and factors > len(ids):
                gz, ge = ("", "") if group == _ALL else (f"维度 {group} ", f"dimension {group} ")
                raise _problem(
                    "analysis.too_many_factors",
                    f"{pz}{gz}只有 {len(ids)} 个指标，不能保留 {factors} 个因子；请减小 factors。",
                    f"{pe}{ge}has {len(ids)} indicators, so {factors} factors cannot be kept; "
                    "give fewer factors.",
                    "factors",
                )
            fa, caught = _quiet(wts.factor_weights, X, d, factors=factors)
            negative_fa = [c for c in caught if isinstance(c, wts.NegativeLoadingWarning)]
            notes += _relabel([c for c in caught if c not in negative_fa], ids, src, label)
            for message in negative_fa:
                z, e = _list([ids[j] for j in message.columns])
                notes.append(
                    (
                        f"{pz}{label[0]}：指标 {z} 在其所属因子上的旋转后载荷为负（与该因子反向"
                        "变动），权重取载荷的平方；请检查其方向（正向/逆向）或考虑剔除。",
                        f"{pe}{label[1]}: the rotated loading of {e} on its own factor is "
                        "negative (it moves against that factor); its weight comes from the "
                        "squared loading. Check its direction or consider dropping it.",
                    )
                )
            if factors is None and fa.k > fa.rules_k:
                gz, ge = ("", "") if group == _ALL else (f"维度 {group}：", f"dimension {group}: ")
                notes.append(
                    (
                        f"{pz}{gz}特征值 > 1 且贡献率 > 10% 的因子只有 {fa.rules_k} 个，累计贡献率"
                        f"不足 60%，按手册的第三条规则增至 {fa.k} 个。",
                        f"{pe}{ge}{fa.rules_k} factor(s) have an eigenvalue > 1 and a share "
                        f"> 10 %, explaining less than 60 % together; the Handbook's third rule "
                        f"keeps {fa.k}.",
                    )
                )
            for j, i in enumerate(ids):
                fa_row: dict[str, Any] = {
                    "weight": float(fa.weights[j]),
                    "factor": int(fa.factor[j]) + 1,
                    "negative": bool(j in fa.negative),
                }
                for k in range(fa.k):
                    fa_row[f"loading_{k + 1}"] = float(fa.loadings[j, k])
                for k in range(fa.k):
                    fa_row[f"squared_{k + 1}"] = float(fa.squared[j, k])
                rows[i] = fa_row
            comps += _component_rows(group, fa.eigenvalues, fa.explained, fa.k)
            for k in range(fa.k):  # the rotated factors' variance and weight
                comps[k - len(fa.eigenvalues)]["rotated_variance"] = float(fa.factor_variance[k])
                comps[k - len(fa.eigenvalues)]["factor_weight"] = float(fa.factor_weights[k])
        else:
            convention: Literal["cn", "coinr"] = "coinr" if key == "pca_coinr" else "cn"
            res, caught = _quiet(wts.pca, X, d, convention=convention, retain=retain)
            notes += _relabel(caught, ids, src, label)
            for j, i in enumerate(ids):
                row: dict[str, Any] = {
                    "weight": float(res.weights[j]),
                    "coefficient": float(res.coefficients[j]),
                    "negative": bool(j in res.negative),
                }
                for k in range(res.k):
                    row[f"loading_{k + 1}"] = float(res.loadings[j, k])
                rows[i] = row
            comps += _component_rows(group, res.eigenvalues, res.explained, res.k)
    if key == "entropy_shares" and shift:
        notes.append(
            (
                f"{pz}每个原始值先加上平移常数 {shift:g}；平移使占比趋于平均，权重随之改变，"
                "且取决于各指标的量纲（平移相对其取值越大，权重越小）。",
                f"{pe}{shift:g} is added to every raw value first; the shift evens out the "
                "shares, so the weights change and depend on each indicator's scale (the larger "
                "the shift relative to its values, the smaller its weight).",
            )
        )
    moderate = [i for i in src.values.columns if src.directions[i] == 0.0]
    if key == "entropy_shares" and moderate:
        z, e = _list(moderate)
        notes.append(
            (
                f"{pz}适度指标 {z} 按其原始值的占比计算熵值（占比的离散程度与指标方向无关）。",
                f"{pe}the moderate indicator(s) {e} enter with the shares of their raw values "
                "(the dispersion of shares does not depend on the direction).",
            )
        )
    ids_all = list(src.values.columns)
    table = pd.DataFrame.from_dict(rows, orient="index").reindex(ids_all)
    table.index.name = "indicator"
    group_of = {i: g for g, members in parts for i in members}
    within = table["weight"].to_numpy(dtype=np.float64)
    effective = [w * shares[group_of[i]] for w, i in zip(within, ids_all, strict=True)]
    head = pd.DataFrame(
        {
            "name": src.info["name"].reindex(ids_all),
            "dimension": src.info["dimension"].reindex(ids_all),
            "weight": table["weight"],
            "effective_weight": effective,
            "current_weight": src.info["current_weight"].reindex(ids_all),
        }
    )
    rest = table.drop(columns=["weight"])
    out = pd.concat([head, rest], axis=1)
    comp_columns = ["group", "component", "eigenvalue", "explained", "cumulative", "retained"]
    if key == "pca_oecd":
        comp_columns += ["rotated_variance", "factor_weight"]
    components = pd.DataFrame(comps, columns=comp_columns)
    if key != "entropy_shares" and grouping == "dimension":
        singles = [ids[0] for _, ids in parts if len(ids) == 1]
        if singles:
            z, e = _list(singles)
            notes.append(
                (
                    f"{pz}维度内只有一个指标（{z}），其维度内权重为 1，未做主成分分析。",
                    f"{pe}{e} are alone in their dimension: weight 1 within it, no PCA.",
                )
            )
    _warn(notes)
    return DataWeights(key, src.period, grouping, out, components, facts, tuple(notes))


def _round_up(value: float) -> float:
    """``value`` rounded up to two significant digits (a shift to suggest: 25.3 -> 26)."""
    if not value > 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return float(f"{math.ceil(value / step - 1e-9) * step:.12g}")


def _check_shares(src: _Source, shift: float = 0.0) -> None:
    """Raw values plus ``shift`` for shares: every indicator >= 0 with a positive sum, all named
    at once, with the shift that would make them usable."""
    values = src.values + shift
    pz, pe = _period_text(src)
    problems = []
    low = values.min(skipna=True)
    below = [i for i in values.columns if low[i] < 0]
    need = _round_up(max((-float(src.values[i].min(skipna=True)) for i in below), default=0.0))
    hint_zh = f"（当前为 {shift:g}）" if shift else ""
    hint_en = f" (now {shift:g})" if shift else ""
    for i in values.columns:
        col = values[i]
        neg = col[col < 0]
        if len(neg):
            units = [str(u) for u in neg.index]
            z, e = _list(units, 3)
            least = float(src.values[i].min(skipna=True))
            problems.append(
                Problem(
                    "analysis.negative_share",
                    f"{pz}指标 {i}（{src.info.at[i, 'name']!s}）有 {len(neg)} 个值"
                    f"{'加上平移常数后仍' if shift else ''}为负（{z}，最小 {least:g}），"
                    "不能按原始值占比 p = x / Σx 计算熵值；请用平移常数 --shift 给每个值加上"
                    f"至少 {need:g}{hint_zh}，或改用考核办法的熵值法（先标准化），或只选取取值"
                    "非负的指标。",
                    f"{pe}indicator {i} has {len(neg)} negative value(s)"
                    f"{' after the shift' if shift else ''} ({e}; the smallest {least:g}), so its "
                    f"raw shares p = x / sum x are undefined; add at least {need:g} to every value "
                    f"with --shift{hint_en}, use the methodology's entropy method (which "
                    "normalises first), or choose indicators with non-negative values.",
                )
            )
        elif col.notna().any() and not col.sum(skipna=True) > 0:
            problems.append(
                Problem(
                    "analysis.zero_share",
                    f"{pz}指标 {i}（{src.info.at[i, 'name']!s}）各单位均为 0，占比无定义；请剔除。",
                    f"{pe}indicator {i} is 0 for every unit, so its shares are undefined; drop it.",
                )
            )
    if problems:
        raise InputError(problems)


# --------------------------------------------------------------------------------------------
# AHP from a labelled pairwise matrix
# --------------------------------------------------------------------------------------------


def _entry(value: object) -> float:
    """A matrix cell: a number, or a fraction such as '1/3' (also '１/３' and '1／3')."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip().translate(str.maketrans("０１２３４５６７８９／．", "0123456789/."))
    if not text:
        return math.nan
    try:
        return float(Fraction(text))
    except (ValueError, ZeroDivisionError):
        return math.nan


def pairwise_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """A pairwise comparison matrix read from a table: labels in the first column and the
    header, entries numbers or fractions (``1/3``).

    Parameters
    ----------
    frame : DataFrame
        Either already indexed by the labels, or with the labels in its first column (as
        ``pandas.read_csv``/``read_excel`` give it); the header must hold the same labels in
        the same order.

    Returns
    -------
    DataFrame
        Square, float64, index and columns the labels.

    Raises
    ------
    InputError
        Labels that differ between rows and columns, or cells that are not positive numbers
        (each named by its row and column label).

    Examples
    --------
    >>> raw = pd.DataFrame({"": ["a", "b"], "a": ["1", "1/3"], "b": ["3", "1"]})
    >>> pairwise_matrix(raw)
              a    b
    a  1.000000  3.0
    b  0.333333  1.0
    """
    table = frame
    if list(map(str, table.index)) != [str(c) for c in table.columns]:
        first = table.columns[0]
        table = table.set_index(first)
        table.index.name = None
    rows = [str(r).strip() for r in table.index]
    cols = [str(c).strip() for c in table.columns]
    if rows != cols:
        rz, re_ = _list(rows)
        cz, ce = _list(cols)
        pos = next(
            (k for k, (r, c) in enumerate(zip(rows, cols, strict=False)) if r != c),
            min(len(rows), len(cols)),
        )
        if pos < min(len(rows), len(cols)):
            where_zh = f"第 {pos + 1} 个行标签为 {rows[pos]}，第 {pos + 1} 个列标签为 {cols[pos]}"
            where_en = f"row label {pos + 1} is {rows[pos]}, column label {pos + 1} is {cols[pos]}"
        else:
            where_zh, where_en = "行数与列数不同", "the numbers of rows and columns differ"
        raise _problem(
            "analysis.matrix_labels",
            f"判断矩阵须为方阵，首列（行标签）与首行（列标签）为同一组指标或维度、顺序一致；"
            f"此表有 {len(rows)} 行、{len(cols)} 列，{where_zh}。行标签：{rz}；列标签：{cz}。",
            f"a pairwise matrix must be square, with the same indicators or dimensions, in the "
            f"same order, in its first column (row labels) and its header (column labels); this "
            f"table has {len(rows)} rows and {len(cols)} columns, and {where_en}. Row labels: "
            f"{re_}; column labels: {ce}.",
            "matrix",
        )
    values = np.array([[_entry(v) for v in row] for row in table.to_numpy()], dtype=np.float64)
    problems = []
    for i, j in zip(*np.nonzero(~(values > 0)), strict=True):
        cell = table.iat[i, j]
        blank = (
            cell is None or (isinstance(cell, float) and math.isnan(cell)) or not str(cell).strip()
        )
        if blank:
            zh = (
                f"判断矩阵第 {rows[i]} 行、第 {cols[j]} 列为空；"
                "请填入正数（如 3 或 1/3；对角线为 1）。"
            )
            en = (
                f"the pairwise matrix's entry in row {rows[i]}, column {cols[j]} is empty; fill "
                "in a positive number (such as 3 or 1/3; 1 on the diagonal)."
            )
        else:
            text = str(cell).strip()
            zh = f"判断矩阵第 {rows[i]} 行、第 {cols[j]} 列的值“{text}”不是正数（可写 3 或 1/3）。"
            en = (
                f'the pairwise matrix\'s entry in row {rows[i]}, column {cols[j]} is "{text}", '
                "not a positive number (write 3 or 1/3)."
            )
        problems.append(Problem("analysis.matrix_entry", zh, en, f"matrix[{rows[i]}, {cols[j]}]"))
    if problems:
        raise InputError(problems)
    return pd.DataFrame(values, index=rows, columns=cols)


def _judgement(value: float) -> str:
    """A matrix entry as a judgement is written: 3, 1/3, or 0.4."""
    if value > 0 and value < 1 and math.isclose(1 / value, round(1 / value), rel_tol=1e-6):
        return f"1/{round(1 / value)}"
    return f"{value:.4g}"


def _check_pairwise(labels: list[str], rows: list[str], A: np.ndarray, ri: str | float) -> None:
    """A labelled pairwise matrix, in words, before the kernel sees it: square with the same
    labels, positive entries, 1 on the diagonal, reciprocal pairs (each named by its labels),
    no larger than the RI table."""
    n = len(labels)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or rows != labels or n == 0:
        raise _problem(
            "analysis.matrix_labels",
            f"判断矩阵须为非空方阵，行标签与列标签相同且顺序一致；收到 {A.shape[0]} 行、"
            f"{A.shape[1] if A.ndim == 2 else 0} 列。",
            f"a pairwise matrix must be non-empty and square, with the same row and column "
            f"labels in the same order; got {A.shape[0]} rows and "
            f"{A.shape[1] if A.ndim == 2 else 0} columns.",
            "matrix",
        )
    problems: list[Problem] = []
    for i, j in zip(*np.nonzero(~(np.isfinite(A) & (A > 0))), strict=True):
        problems.append(
            Problem(
                "analysis.matrix_entry",
                f"判断矩阵第 {labels[i]} 行、第 {labels[j]} 列须为正数（如 3 或 1/3），"
                f"收到 {'空值' if math.isnan(A[i, j]) else f'{A[i, j]:g}'}。",
                f"the pairwise matrix's entry in row {labels[i]}, column {labels[j]} must be a "
                f"positive number (such as 3 or 1/3), got "
                f"{'nothing' if math.isnan(A[i, j]) else f'{A[i, j]:g}'}.",
                f"matrix[{labels[i]}, {labels[j]}]",
            )
        )
    if problems:
        raise InputError(problems)
    tol = 1e-6
    for i in range(n):
        if abs(A[i, i] - 1.0) > tol:
            problems.append(
                Problem(
                    "analysis.matrix_diagonal",
                    f"判断矩阵对角线（第 {labels[i]} 行、第 {labels[i]} 列）须为 1"
                    f"（与自身同等重要），收到 {_judgement(A[i, i])}。",
                    f"the pairwise matrix's diagonal (row and column {labels[i]}) must be 1 (as "
                    f"important as itself), got {_judgement(A[i, i])}.",
                    f"matrix[{labels[i]}, {labels[i]}]",
                )
            )
        for j in range(i + 1, n):
            if abs(A[i, j] * A[j, i] - 1.0) > tol:
                problems.append(
                    Problem(
                        "analysis.matrix_reciprocal",
                        f"判断矩阵第 {labels[i]} 行、第 {labels[j]} 列为 {_judgement(A[i, j])}，"
                        f"而对称位置（第 {labels[j]} 行、第 {labels[i]} 列）为 "
                        f"{_judgement(A[j, i])}，二者须互为倒数；应为 "
                        f"{_judgement(1 / A[i, j])}（或把前者改为 {_judgement(1 / A[j, i])}）。"
                        "每个判断只填一次，对称位置填其倒数（如 3 与 1/3）。",
                        f"the pairwise matrix has {_judgement(A[i, j])} in row {labels[i]}, column "
                        f"{labels[j]} but {_judgement(A[j, i])} opposite it (row {labels[j]}, "
                        f"column {labels[i]}); they must be reciprocals: "
                        f"{_judgement(1 / A[i, j])} there (or {_judgement(1 / A[j, i])} here). "
                        "Enter each judgement once and its reciprocal opposite it (3 and 1/3).",
                        f"matrix[{labels[i]}, {labels[j]}]",
                    )
                )
    if problems:
        raise InputError(problems)
    if isinstance(ri, str) and ri in wts.RI_TABLES and n > len(wts.RI_TABLES[ri]):
        size = len(wts.RI_TABLES[ri])
        raise _problem(
            "analysis.matrix_too_large",
            f"随机一致性指标表 {ri} 只到 n = {size}，而判断矩阵为 {n} × {n}；请把比较分成较小的组"
            "（如先在各维度内比较），或换用覆盖更大 n 的 RI 表。",
            f"the random-index table {ri} covers n <= {size}, but the matrix is {n} x {n}; split "
            "the comparisons into smaller groups (e.g. within each dimension), or use an RI "
            "table covering a larger n.",
            "matrix",
        )


def pairwise_weights(
    matrix: pd.DataFrame,
    *,
    method: Literal["approximate", "eigenvector"] = "approximate",
    ri: str | float = "saaty1980",
    methodology: Methodology | None = None,
) -> DataWeights:
    """AHP weights of a labelled pairwise comparison matrix (层次分析法), with CI and CR.

    Saaty's approximate method by default (column-normalised row means, :math:`\\lambda_{max}`
    the mean of :math:`(Aw)_i / w_i`), or the principal eigenvector; see
    :func:`kaoping.methods.weights.ahp`.

    Parameters
    ----------
    matrix : DataFrame
        Square, positive reciprocal; labels indicator or dimension ids (or names, with
        ``methodology``).  :func:`pairwise_matrix` reads one from a table.
    method : {"approximate", "eigenvector"}
    ri : str or float
        The random-index table (``"saaty1980"`` default) or RI(n) itself.
    methodology : Methodology, optional
        Names the labels: an indicator or dimension id, or a Chinese name, gets its name and
        dimension in the table.

    Returns
    -------
    DataWeights
        ``table`` with ``name``, ``dimension``, ``weight`` (= ``effective_weight``);
        ``facts`` with ``lambda_max``, ``ci``, ``cr``, ``ri``, ``ri_table``, ``consistent``.

    Raises
    ------
    InputError
        A matrix that is not positive reciprocal (the cell named by its labels), or one
        larger than the RI table.

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill; see
    :func:`kaoping.methods.weights.ahp`.

    Examples
    --------
    >>> A = pairwise_matrix(pd.DataFrame([[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]],
    ...                                  index=list("xyz"), columns=list("xyz")))
    >>> res = pairwise_weights(A)
    >>> res.weights.round(4).tolist(), round(res.facts["cr"], 4)
    ([0.6333, 0.2605, 0.1062], 0.0334)
    """
    labels = [str(c) for c in matrix.columns]
    A = matrix.to_numpy(dtype=np.float64)
    _check_pairwise(labels, [str(r) for r in matrix.index], A, ri)
    try:
        res = wts.ahp(A, ri=ri, method=method)
    except ValueError as exc:
        text = str(exc)
        for i in range(len(labels)):  # name the cell by its labels as well
            for j in range(len(labels)):
                text = text.replace(f"A[{i}, {j}]", f"A[{labels[i]}, {labels[j]}]")
        raise _problem("analysis.ahp_matrix", f"判断矩阵有误：{text}", text, "matrix") from exc
    names: list[str] = []
    dims: list[str] = []
    ids: list[str] = []
    lookup = methodology.name_to_id() if methodology is not None else {}
    unknown: list[str] = []
    for label in labels:
        ident = lookup.get(label, label)
        name, dim = label, ""
        if methodology is not None:
            node = next((n for n in methodology.nodes() if n.id == ident or n.name == label), None)
            if node is not None:
                ident, name = node.id, node.name
                parent = methodology.parent_of(node.id)
                dim = parent.id if parent is not None else ""
            else:
                try:
                    ind = methodology.indicator(ident)
                except (KeyError, ValueError):
                    ind = None
                if ind is not None:
                    name = ind.name
                    parent = methodology.parent_of(ind.id)
                    dim = parent.id if parent is not None else ""
                else:
                    unknown.append(label)
        ids.append(ident)
        names.append(name)
        dims.append(dim)
    table = pd.DataFrame(
        {
            "name": names,
            "dimension": dims,
            "weight": np.asarray(res.weights),
            "effective_weight": np.asarray(res.weights),
            "current_weight": np.nan,
        },
        index=pd.Index(ids, name="indicator"),
    )
    facts = {
        "lambda_max": res.lambda_max,
        "ci": res.ci,
        "cr": res.cr,
        "ri": res.ri,
        "ri_table": res.ri_table,
        "consistent": res.consistent,
    }
    notes: list[Note] = []
    if methodology is not None and unknown:
        z, e = _list(unknown)
        every = len(unknown) == len(labels)
        title = methodology.name_en or methodology.id
        notes.append(
            (
                f"{'判断矩阵的标签' if every else '标签'} {z} 不是考核办法“{methodology.name}”"
                "的指标或维度（代码或名称），按自由矩阵计算，未给出名称与所属维度；"
                "如需对应，请改用指标或维度的代码（或中文名称）。",
                f"{'the matrix labels' if every else 'the labels'} {e} are not indicators or "
                f"dimensions (ids or names) of the methodology {title}: the matrix is weighted "
                "as it stands, without names or dimensions; to match them, use the indicators' "
                "or dimensions' ids (or Chinese names).",
            )
        )
    if not res.consistent:
        notes.append(
            (
                f"一致性比率 CR = {res.cr:.4f} ≥ 0.10，判断矩阵一致性不可接受，请修正判断。",
                f"the consistency ratio CR = {res.cr:.4f} >= 0.10: the judgements are not "
                "acceptably consistent; revise them.",
            )
        )
    _warn(notes)
    empty = pd.DataFrame(
        columns=["group", "component", "eigenvalue", "explained", "cumulative", "retained"]
    )
    return DataWeights(f"ahp_{method}", None, _ALL, table, empty, facts, tuple(notes))


# --------------------------------------------------------------------------------------------
# Benefit of the Doubt
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BoDScores:
    """Benefit-of-the-Doubt scores of an assessment (:func:`bod_scores`).

    Attributes
    ----------
    period : str or None
    table : DataFrame
        Index: unit.  Columns ``name``, ``category`` (from a Result), ``bod_score`` in [0, 1],
        ``bod_rank``, ``efficient`` (score 1), and the index's ``score`` and ``rank`` (from a
        Result) for comparison.
    shares : DataFrame
        Units x indicators: each indicator's share of the unit's BoD score under its most
        favourable weights (rows sum to 1).
    dimension_shares : DataFrame
        Units x top-level dimensions: the shares summed over each dimension's indicators.
    weights : DataFrame
        Units x indicators: the optimal weights themselves (per unit of the values used).
    lower, upper : Series
        The share bounds used, per indicator.
    notes : tuple of (zh, en)
    """

    period: str | None
    table: pd.DataFrame
    shares: pd.DataFrame
    dimension_shares: pd.DataFrame
    weights: pd.DataFrame
    lower: pd.Series
    upper: pd.Series
    notes: tuple[Note, ...] = ()

    def frame(self) -> pd.DataFrame:
        """``table`` with one ``share_<indicator>`` column per indicator."""
        shares = self.shares.add_prefix("share_")
        return pd.concat([self.table, shares], axis=1)


def _bound(value: float | Mapping[str, float] | None, ids: list[str], name: str) -> Any:
    if value is None or isinstance(value, (int, float)):
        return value
    unknown = sorted(str(k) for k in value if str(k) not in ids)
    if unknown:
        raise _unknown(name, unknown, ids)
    default = 0.0 if name == "lower" else 1.0
    return np.array([float(value.get(i, default)) for i in ids])


def _check_bounds(lower: Any, upper: Any, ids: list[str]) -> None:
    """The share bounds, in words, before the kernel sees them: each in [0, 1], lower <= upper,
    lower bounds summing to at most 1 and upper ones to at least 1 (codes
    ``analysis.bod_bound*``; ``where`` is ``lower`` or ``upper``)."""
    m = len(ids)
    scalar_lo = lower is None or np.ndim(lower) == 0
    scalar_hi = upper is None or np.ndim(upper) == 0
    lo = np.broadcast_to(np.asarray(0.0 if lower is None else lower, dtype=np.float64), (m,))
    hi = np.broadcast_to(np.asarray(1.0 if upper is None else upper, dtype=np.float64), (m,))
    problems: list[Problem] = []
    for name, b, zh in (("lower", lo, "下限"), ("upper", hi, "上限")):
        bad = [i for i, v in zip(ids, b, strict=True) if not 0.0 <= v <= 1.0]
        if bad:
            z, e = _list(bad)
            value = f"{float(b[ids.index(bad[0])]):g}"
            problems.append(
                Problem(
                    "analysis.bod_bound_range",
                    f"份额{zh}须在 0 到 1 之间（如 0.02 或 0.5），指标 {z} 的{zh}为 {value}。",
                    f"a {name} bound on a share must be between 0 and 1 (e.g. 0.02 or 0.5); "
                    f"{e} have {value}.",
                    name,
                )
            )
    if problems:
        raise InputError(problems)
    crossed = [i for i, a, b in zip(ids, lo, hi, strict=True) if a > b]
    if crossed:
        j = ids.index(crossed[0])
        if scalar_lo and scalar_hi:
            zh = f"份额下限 {lo[j]:g} 高于上限 {hi[j]:g}；请使下限不超过上限。"
            en = (
                f"the lower share bound {lo[j]:g} is above the upper one {hi[j]:g}; make it no "
                "higher."
            )
        else:
            z, e = _list(crossed)
            zh = (
                f"指标 {z} 的份额下限高于上限（如 {crossed[0]}：下限 {lo[j]:g}，上限 {hi[j]:g}）；"
                "请使每个指标的下限不超过上限。"
            )
            en = (
                f"the lower share bound of {e} is above the upper one (e.g. {crossed[0]}: lower "
                f"{lo[j]:g}, upper {hi[j]:g}); make each lower bound no higher than its upper one."
            )
        problems.append(Problem("analysis.bod_bounds_crossed", zh, en, "lower"))
    total = float(lo.sum())
    if total > 1.0 + 1e-12:
        if scalar_lo:
            zh = (
                f"份额下限 {lo[0]:g} × {m} 个指标 = {total:g} > 1，没有单位的得分能这样分配；"
                f"下限至多为 1/{m} ≈ {_round_down(1.0 / m):g}（或减少指标）。"
            )
            en = (
                f"a lower share bound of {lo[0]:g} on {m} indicators sums to {total:g} > 1, so "
                f"no unit's score can be split that way; give at most 1/{m}, about "
                f"{_round_down(1.0 / m):g} (or fewer indicators)."
            )
        else:
            zh = (
                f"各指标的份额下限之和为 {total:g} > 1，没有单位的得分能这样分配；"
                "请降低下限，使其和不超过 1。"
            )
            en = (
                f"the lower share bounds sum to {total:g} > 1, so no unit's score can be split "
                "that way; lower them to sum to at most 1."
            )
        problems.append(Problem("analysis.bod_bounds_lower_sum", zh, en, "lower"))
    total = float(hi.sum())
    if total < 1.0 - 1e-12:
        if scalar_hi:
            zh = (
                f"份额上限 {hi[0]:g} × {m} 个指标 = {total:g} < 1，没有单位的得分能这样分配；"
                f"上限至少为 1/{m} ≈ {_round_up(1.0 / m):g}。"
            )
            en = (
                f"an upper share bound of {hi[0]:g} on {m} indicators sums to {total:g} < 1, so "
                f"no unit's score can be split that way; give at least 1/{m}, about "
                f"{_round_up(1.0 / m):g}."
            )
        else:
            zh = (
                f"各指标的份额上限之和为 {total:g} < 1，没有单位的得分能这样分配；"
                "请提高上限，使其和至少为 1。"
            )
            en = (
                f"the upper share bounds sum to {total:g} < 1, so no unit's score can be split "
                "that way; raise them to sum to at least 1."
            )
        problems.append(Problem("analysis.bod_bounds_upper_sum", zh, en, "upper"))
    if problems:
        raise InputError(problems)


def _round_down(value: float) -> float:
    """``value`` rounded down to two significant digits (a bound to suggest: 1/38 -> 0.026)."""
    if not value > 0:
        return 0.0
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return float(f"{math.floor(value / step + 1e-9) * step:.12g}")


def _ranks(scores: np.ndarray) -> ExtensionArray:
    r = competition(scores)
    return pd.array([int(v) if np.isfinite(v) else None for v in r], dtype="Int64")


def _result_columns(src: _Source, index: pd.Index) -> dict[str, Any]:
    if src.table is None:
        return {}
    t = src.table.reindex(index)
    return {"score": t["score"].to_numpy(float), "rank": t["rank"].astype("Int64").to_numpy()}


def bod_scores(
    source: Result | pd.DataFrame,
    lower: float | Mapping[str, float] | None = None,
    upper: float | Mapping[str, float] | None = None,
    *,
    indicators: Sequence[str] | None = None,
    groups: Mapping[str, str] | pd.Series | None = None,
) -> BoDScores:
    r"""Benefit of the Doubt: each unit's score under the weights most favourable to it.

    Per unit i, :math:`\max_w \sum_j w_j y_{ij}` subject to :math:`\sum_j w_j y_{kj} \le 1`
    for every unit k and :math:`w \ge 0`, optionally with :math:`L_j \le w_j y_{ij} / s_i \le
    U_j` on each indicator's share of the score (Cherchye et al. 2007); see
    :func:`kaoping.methods.aggregate.bod`.  The values are ``result.normalized`` (higher is
    better); the score does not depend on their scale.

    Parameters
    ----------
    source : Result or DataFrame
        An academic assessment, or a frame of units x indicators with values >= 0, higher is
        better.
    lower, upper : float or mapping indicator -> float, optional
        Bounds on the indicators' shares of each unit's score, in [0, 1].
    indicators : sequence of str, optional
        A subset of the indicators.
    groups : mapping, optional
        For a DataFrame: indicator -> group, for ``dimension_shares``.

    Returns
    -------
    BoDScores

    Raises
    ------
    InputError
        Negative normalised values (a normalisation such as z-scores), an unknown indicator,
        or bounds the kernel refuses (outside [0, 1], lower above upper, lower bounds summing
        above 1, upper bounds below 1).

    References
    ----------
    Cherchye, L., Moesen, W., Rogge, N., Van Puyenbroeck, T. (2007). An introduction to
    'benefit of the doubt' composite indicators. *Social Indicators Research* 82(1), 111-145.
    https://doi.org/10.1007/s11205-006-9029-7 ; Compind (R), ``ci_bod``.

    Examples
    --------
    >>> frame = pd.DataFrame({"x": [1.0, 0.4, 0.5], "y": [0.2, 1.0, 0.5]}, index=["A", "B", "C"])
    >>> bod_scores(frame).table["bod_score"].round(4).tolist()
    [1.0, 1.0, 0.7609]
    """
    src = _source(source, "normalized", None, groups, indicators)
    ids = list(src.values.columns)
    pz, pe = _period_text(src)
    neg = [i for i in ids if (src.values[i] < 0).any()]
    if neg:
        z, e = _list(neg)
        raise _problem(
            "analysis.bod_negative",
            f"{pz}“好处推定”（BoD）需要非负的标准化值（越大越好），指标 {z} 有负值；"
            "请选用 min-max 等取值非负的标准化方法。",
            f"{pe}Benefit of the Doubt needs normalised values >= 0 (higher is better); {e} "
            "have negative values. Use a normalisation such as min-max.",
            "normalization",
        )
    lo = _bound(lower, ids, "lower")
    hi = _bound(upper, ids, "upper")
    _check_bounds(lo, hi, ids)
    Y = src.values.to_numpy(dtype=np.float64)
    try:
        res, caught = _quiet(agg.bod, Y, lower=lo, upper=hi)
    except ValueError as exc:
        if not str(exc).startswith("bod: "):
            raise
        text = str(exc).removeprefix("bod: ")
        for j in range(len(ids) - 1, -1, -1):  # name the indicator, not the column index
            text = text.replace(f"[{j}]", f"[{ids[j]}]")
        raise _problem("analysis.bod", f"{pz}BoD：{text}", f"{pe}BoD: {text}", "bounds") from exc
    notes: list[Note] = []
    for message in caught:
        if isinstance(message, KaopingWarning):
            units = [str(src.values.index[i]) for i in _forced_rows(str(message))]
            z, e = _list(units)
            notes.append(
                (
                    f"{pz}单位 {z} 在某个设有份额下限的指标上为 0，BoD 得分被迫为 0；"
                    "可降低该下限，或使标准化后的最小值大于 0（如取值范围 [1, 100]）。",
                    f"{pe}{e} score 0: they have 0 on an indicator whose share has a lower bound; "
                    "lower that bound, or normalise so that the worst value is above 0 (e.g. "
                    "the range [1, 100]).",
                )
            )
        else:
            warnings.warn(message, stacklevel=2)
    efficient = int(np.sum(np.asarray(res.scores) >= 1 - 1e-9))
    if lo is None and hi is None and len(src.values) >= 10 and efficient > len(src.values) / 2:
        notes.append(
            (
                f"{pz}{len(src.values)} 个单位中有 {efficient} 个 BoD 得分为 1：指标较多时"
                "几乎每个单位都有“最有利”的权重；可用份额上下限（lower/upper）加以约束。",
                f"{pe}{efficient} of {len(src.values)} units score 1: with many indicators nearly "
                "every unit finds weights that favour it; bound the shares (lower/upper).",
            )
        )
    missing = _incomplete(src)
    if missing:
        z, e = _list(missing)
        notes.append(
            (
                f"{pz}单位 {z} 有缺失值，没有 BoD 得分，也不约束其他单位。",
                f"{pe}{e} have a missing value: no BoD score, and they constrain no other unit.",
            )
        )
    index = src.values.index
    scores = np.asarray(res.scores)
    table = pd.DataFrame(
        {
            "name": src.names.reindex(index).to_numpy(),
            **(
                {"category": src.table["category"].reindex(index).to_numpy()}
                if src.table is not None
                else {}
            ),
            "bod_score": scores,
            "bod_rank": _ranks(scores),
            "efficient": pd.array(
                [bool(s >= 1 - 1e-9) if np.isfinite(s) else None for s in scores], dtype="boolean"
            ),
            **_result_columns(src, index),
        },
        index=index,
    )
    shares = pd.DataFrame(np.asarray(res.shares), index=index, columns=pd.Index(ids))
    tops = list(dict.fromkeys(src.info["top"]))
    dim_shares = pd.DataFrame(
        {t: shares[[i for i in ids if src.info.at[i, "top"] == t]].sum(axis=1, min_count=1)
         for t in tops},
        index=index,
    )  # fmt: skip
    _warn(notes)
    return BoDScores(
        period=src.period,
        table=table,
        shares=shares,
        dimension_shares=dim_shares,
        weights=pd.DataFrame(np.asarray(res.weights), index=index, columns=pd.Index(ids)),
        lower=pd.Series(np.asarray(res.lower), index=ids, name="lower"),
        upper=pd.Series(np.asarray(res.upper), index=ids, name="upper"),
        notes=tuple(notes),
    )


def _forced_rows(message: str) -> list[int]:
    """The row indices of bod's "row(s) [i, j] score 0" warning."""
    _, _, rest = message.partition("[")
    inside, _, _ = rest.partition("]")
    return [int(v) for v in inside.split(",") if v.strip().isdigit()]


# --------------------------------------------------------------------------------------------
# Mazziotta-Pareto
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MPIScores:
    """Mazziotta-Pareto index of an assessment (:func:`mpi_scores`).

    Attributes
    ----------
    period : str or None
    adjusted : bool
        False: MPI; True: AMPI.
    table : DataFrame
        Index: unit.  Columns ``name``, ``category`` (from a Result), ``mean``, ``sd``, ``cv``
        (of the unit's standardised or rescaled values), ``mpi`` (or ``ampi``), ``mpi_rank``
        (or ``ampi_rank``), and the index's ``score`` and ``rank`` (from a Result).
    values : DataFrame
        Units x indicators: the standardised z (MPI, mean 100, sd 10) or the rescaled r (AMPI,
        about 70-130), higher is better.
    goalposts : DataFrame
        AMPI only: per indicator the ``lower`` and ``upper`` goalposts used (in the units of
        the values); empty for the MPI.
    values_used : str
        ``"normalized"``, ``"raw"`` or ``"frame"``.
    notes : tuple of (zh, en)
    """

    period: str | None
    adjusted: bool
    table: pd.DataFrame
    values: pd.DataFrame
    goalposts: pd.DataFrame
    values_used: str
    notes: tuple[Note, ...] = ()


def mpi_scores(
    source: Result | pd.DataFrame,
    *,
    adjusted: bool = False,
    penalty: Literal["negative", "positive"] = "negative",
    values: Literal["normalized", "raw"] | None = None,
    goalposts: Mapping[str, tuple[float, float]] | None = None,
    reference: Mapping[str, float] | None = None,
    ddof: int = 0,
    indicators: Sequence[str] | None = None,
    directions: Mapping[str, object] | pd.Series | None = None,
) -> MPIScores:
    r"""The Mazziotta-Pareto index (MPI), or its adjusted form (AMPI), of every unit.

    MPI: :math:`z_{ij} = 100 \pm 10 (x_{ij} - M_j)/S_j`, then
    :math:`M_{z_i} - S_{z_i} cv_i` (population sds; Mazziotta & Pareto 2016).  AMPI: min-max
    to goalposts :math:`r_{ij} = 70 + 60 (x_{ij} - \mathrm{Min}_j)/(\mathrm{Max}_j -
    \mathrm{Min}_j)`, the reference (default the mean) at 100, then the same penalty.  See
    :func:`kaoping.methods.aggregate.mpi` and :func:`~kaoping.methods.aggregate.ampi`.

    Parameters
    ----------
    source : Result or DataFrame
        An academic assessment, or a frame of raw values (units x indicators) with
        ``directions``.
    adjusted : bool
        False: MPI (default); True: AMPI.
    penalty : {"negative", "positive"}
        Negative for an index where higher is better (default).
    values : {"normalized", "raw"}, optional
        From a Result: the normalised values (default; higher is better, as the index saw
        them) or the raw ones with their directions (moderate indicators as the distance to
        their optimum).  Default ``"raw"`` when goalposts or a reference are given, which are
        in the indicators' own units.
    goalposts : mapping indicator -> (lower, upper), optional
        AMPI only: the goalposts of every indicator used.
    reference : mapping indicator -> float, optional
        AMPI only: the reference values (100), with Delta half the range; default the means.
    ddof : {0, 1}
        MPI only: 1 uses sample sds (Compind's ``ci_mpi``).
    indicators : sequence of str, optional
        A subset of the indicators.
    directions : mapping, optional
        For a DataFrame: indicator -> +1/-1 (default +1).

    Returns
    -------
    MPIScores

    Raises
    ------
    InputError
        Fewer than 2 indicators; goalposts or a reference for the MPI, for only some
        indicators, for a moderate indicator, or with ``upper <= lower``; an unknown
        indicator.

    References
    ----------
    Mazziotta, M., Pareto, A. (2016). On a generalized non-compensatory composite index for
    measuring socio-economic phenomena. *Social Indicators Research* 127(3), 983-1003.
    https://doi.org/10.1007/s11205-015-0998-2 ; De Muro, P., Mazziotta, M., Pareto, A.
    (2011). *Social Indicators Research* 104(1), 1-18. https://doi.org/10.1007/s11205-010-9727-z

    Examples
    --------
    >>> frame = pd.DataFrame({"x": [1.0, 1, 3, 3], "y": [2.0, 6, 2, 6]}, index=list("ABCD"))
    >>> mpi_scores(frame).table["mpi"].tolist()
    [90.0, 99.0, 99.0, 110.0]
    """
    if (goalposts is not None or reference is not None) and not adjusted:
        raise _problem(
            "analysis.mpi_goalposts",
            "目标值（goalposts）与参照值（reference）只用于调整后的 MPI（adjusted=True）。",
            "goalposts and a reference apply to the adjusted MPI only (adjusted=True).",
            "goalposts",
        )
    kind = values or ("raw" if (goalposts is not None or reference is not None) else "normalized")
    if kind not in ("normalized", "raw"):
        raise _problem(
            "analysis.bad_values",
            f"values 须为 normalized 或 raw，收到 {values!r}。",
            f"values must be 'normalized' or 'raw', got {values!r}.",
            "values",
        )
    src = _source(source, kind, directions, None, indicators)
    ids = list(src.values.columns)
    pz, pe = _period_text(src)
    if len(ids) < 2:
        raise _problem(
            "analysis.mpi_indicators",
            f"Mazziotta-Pareto 指数至少需要 2 个指标，只有 {len(ids)} 个。",
            f"the Mazziotta-Pareto index needs at least 2 indicators, got {len(ids)}.",
            "indicators",
        )
    X = src.values.to_numpy(dtype=np.float64)
    d = src.directions.to_numpy(dtype=np.float64)
    moderate = [i for i, v in zip(ids, d, strict=True) if v == 0.0]
    if moderate and (goalposts is not None or reference is not None):
        z, e = _list(moderate)
        raise _problem(
            "analysis.mpi_moderate_goalposts",
            f"适度指标 {z} 以与最优值的距离计分，不能用原值单位的目标值；请用 indicators 剔除，"
            "或改用标准化值（values='normalized'）。",
            f"moderate indicator(s) {e} are scored by their distance to the optimum, which "
            "goalposts in their own units cannot describe; leave them out (indicators) or use "
            "the normalised values.",
            "goalposts",
        )
    if moderate:
        from kaoping.methods.normalize import moderate_to_positive

        X, d = moderate_to_positive(X, d, src.optimum.to_numpy(dtype=np.float64))
    label = "AMPI" if adjusted else "MPI"
    goal_frame = pd.DataFrame(columns=["lower", "upper"])
    if adjusted:
        gp = _pairs(goalposts, ids) if goalposts is not None else None
        ref = _values_for(reference, ids, "reference") if reference is not None else None
        res, caught = _quiet(agg.ampi, X, d, goalposts=gp, reference=ref, penalty=penalty)
        if gp is not None:
            lo, hi = gp
        else:
            center = ref if ref is not None else np.nanmean(X, axis=0)
            delta = (np.nanmax(X, axis=0) - np.nanmin(X, axis=0)) / 2
            lo, hi = center - delta, center + delta
        goal_frame = pd.DataFrame({"lower": lo, "upper": hi}, index=pd.Index(ids, name="indicator"))
    else:
        res, caught = _quiet(agg.mpi, X, d, penalty=penalty, ddof=ddof)
    notes = _relabel(caught, ids, src, (label, label))
    missing = _incomplete(src)
    if missing:
        z, e = _list(missing)
        notes.append(
            (
                f"{pz}单位 {z} 有缺失值，没有 {label} 得分。",
                f"{pe}{e} have a missing value: no {label} score.",
            )
        )
    index = src.values.index
    scores = np.asarray(res.scores)
    col = "ampi" if adjusted else "mpi"
    table = pd.DataFrame(
        {
            "name": src.names.reindex(index).to_numpy(),
            **(
                {"category": src.table["category"].reindex(index).to_numpy()}
                if src.table is not None
                else {}
            ),
            "mean": np.asarray(res.mean),
            "sd": np.asarray(res.sd),
            "cv": np.asarray(res.cv),
            col: scores,
            f"{col}_rank": _ranks(scores),
            **_result_columns(src, index),
        },
        index=index,
    )
    _warn(notes)
    return MPIScores(
        period=src.period,
        adjusted=adjusted,
        table=table,
        values=pd.DataFrame(np.asarray(res.values), index=index, columns=pd.Index(ids)),
        goalposts=goal_frame,
        values_used=src.kind,
        notes=tuple(notes),
    )


def _values_for(given: Mapping[str, float], ids: list[str], where: str) -> np.ndarray:
    unknown = sorted(str(k) for k in given if str(k) not in ids)
    if unknown:
        raise _unknown(where, unknown, ids)
    absent = [i for i in ids if i not in given]
    if absent:
        z, e = _list(absent)
        raise _problem(
            "analysis.mpi_incomplete_goalposts",
            f"请为每个指标给出 {where}，缺少：{z}。",
            f"give {where} for every indicator; missing: {e}.",
            where,
        )
    return np.array([float(given[i]) for i in ids])


def _pairs(given: Mapping[str, tuple[float, float]], ids: list[str]) -> tuple[Any, Any]:
    lows = _values_for({k: v[0] for k, v in given.items()}, ids, "goalposts")
    highs = _values_for({k: v[1] for k, v in given.items()}, ids, "goalposts")
    wrong = [i for i, lo, hi in zip(ids, lows, highs, strict=True) if not hi > lo]
    if wrong:
        z, e = _list(wrong)
        raise _problem(
            "analysis.mpi_goalposts_order",
            f"指标 {z} 的上目标值须大于下目标值。",
            f"the upper goalpost of {e} must be above the lower one.",
            "goalposts",
        )
    return lows, highs
