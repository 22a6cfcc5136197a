"""The assessment pipeline: Methodology + Panel + period -> Result.

This is where labels meet numbers.  The pipeline validates the input once, turns the period's
observations into a units x indicators matrix, and calls the bare kernels of
:mod:`kaoping.methods` for each step the methodology names:

1. missing values: stop with every missing cell listed (``missing: error``), keep them for
   per-unit re-weighting (``skip``), or impute (``mean``, ``median``, ``category_mean``,
   ``carry_forward``);
2. optional outlier treatment (winsorisation or log, METHODS.md);
3. normalisation, direction applied, so that higher is always better;
4. weights: ``fixed`` and ``equal`` are relative within each group of siblings (as in COINr);
   objective weights (``entropy``, ``critic``, ``cv``) are computed over all scored indicators
   at once and then rescaled within each group, so that an indicator's effective weight is its
   objective weight and a dimension's weight is the sum of its indicators'; ``ahp`` takes each
   node's pairwise matrix; ``combine`` mixes a subjective and an objective set;
5. aggregation: the means (arithmetic, geometric, harmonic, generalized) go level by level,
   indicators -> sub-dimensions -> dimensions -> index; the distance and outranking methods
   (TOPSIS, GRA, VIKOR, Copeland) score the index over all indicators at once and each
   dimension over its own indicators;
6. competition ranks overall and within category, and tiers.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, cast

import numpy as np
import pandas as pd

from kaoping.assess.result import Result
from kaoping.data import Imputation, Panel, Units, impute
from kaoping.errors import InputError, KaopingWarning, Problem
from kaoping.methodology import Dimension, Indicator, Methodology
from kaoping.methodology.plausibility import check_panel
from kaoping.methods import ConstantColumnWarning, aggregate, normalize, rank, weights

__all__ = ["assess"]

_MEANS = {"arithmetic", "geometric", "harmonic", "generalized"}
_DISTANCE = {"topsis", "gra", "vikor"}
_DIRECTION = {"positive": 1.0, "negative": -1.0, "moderate": 0.0}


def assess(
    methodology: Methodology,
    panel: Panel,
    period: str | int | None = None,
    *,
    units: Units | None = None,
    **official: Any,
) -> Result:
    """Score, rank and tier every unit of ``panel`` in ``period`` under ``methodology``.

    A methodology with an ``official:`` section takes the official path instead
    (:func:`kaoping.assess.official.assess_official`, which also accepts ``targets``,
    ``events``, ``judged`` and ``previous``) and returns an ``OfficialResult``.

    Parameters
    ----------
    methodology : Methodology
        The indicator tree and method choices (see :func:`kaoping.methodology.load`).
    panel : Panel
        Observations; only ``period`` is assessed (and earlier periods are read for
        ``missing: carry_forward``).
    period : str or int, optional
        The period to assess, e.g. ``2024``.  Default: the latest period in the panel.
    units : Units, optional
        Names, categories and parents of the units.  Without it, names come from the data file
        and there are no category ranks.

    Returns
    -------
    Result
        ``result.table`` has one row per unit (index: unit code) with name, category, score,
        rank, category_rank, tier and one column per dimension of every level.

    Raises
    ------
    InputError
        Every problem at once: unknown period, indicators without data, missing values when the
        methodology does not impute, units missing from the units table.
    """
    if methodology.is_official:
        from kaoping.assess.official import assess_official

        return assess_official(  # type: ignore[return-value]
            methodology, panel, period, units=units, **official
        )
    if official:
        raise TypeError(
            f"{', '.join(official)}: only an official methodology (with an official: section) "
            f"takes these; {methodology.id} is an academic one."
        )
    period_str = _choose_period(panel, period)
    indicators = list(methodology.scored_indicators)
    ids = [ind.id for ind in indicators]

    period_panel = panel.select(period=period_str)
    unit_codes = list(period_panel.units)  # sorted, each once
    problems: list[Problem] = []
    present = set(period_panel.indicators)
    absent = [i for i in ids if i not in present]
    for ind_id in absent:
        ind = methodology.indicator(ind_id)
        problems.append(
            Problem(
                "assess.indicator_without_data",
                f"期间 {period_str} 没有指标 {ind.id}（{ind.name}）的任何数据：请在数据文件中增加"
                "这一列，或从考核办法中删除该指标。",
                f"no data at all for indicator {ind.id} ({ind.name}) in period {period_str}: add "
                "the column to the data file or remove the indicator from the methodology.",
                ind.id,
            )
        )
    if units is not None:
        for code in unit_codes:
            if code not in units:
                problems.append(
                    Problem(
                        "assess.unknown_unit",
                        f"单位 {code} 不在单位表中：请在单位表中补充它，或检查代码是否有误。",
                        f"unit {code} is not in the units table: add it there or correct the code.",
                        code,
                    )
                )
    names = _unit_names(unit_codes, units, panel)
    implausible, unusual = check_panel(
        methodology, panel, period_str, unit_codes, dict(zip(unit_codes, names, strict=True))
    )
    problems += implausible
    if problems:
        raise InputError(problems)

    raw = period_panel.matrix(period_str, ids, unit_codes)
    refuse_huge_values(raw, period_panel, period_str)
    categories = _unit_categories(unit_codes, units)

    imputations: list[Imputation] = []
    missing = methodology.missing.method
    if missing == "error":
        if raw.isna().to_numpy().any():  # only then look up which cells, and where they are
            raise InputError(panel.missing(period_str, ids, unit_codes))
    elif missing != "skip":
        history = panel.select(units=unit_codes, indicators=ids)
        raw, imputations = impute(
            raw,
            missing,
            categories=categories if missing == "category_mean" else None,
            history=history if missing == "carry_forward" else None,
            period=period_str,
        )

    notes: list[Problem] = list(unusual)
    # the figures as read (a read-only view of a wide file's block: the kernels never write
    # into their input, and a write would raise rather than change the panel)
    X = raw.to_numpy(dtype=np.float64, copy=False)
    directions, optimum = indicator_arrays(indicators)

    treatment = None
    if methodology.treat_outliers:
        X, treatment = normalize.treat(X)

    with _named_warnings(ids, notes):
        Y = _normalize(methodology, indicators, X, directions, optimum)
        w_eff, local = _weights(methodology, indicators, X, directions, optimum, notes)
        node_scores, index = _aggregate(
            methodology, unit_codes, notes, indicators, X, Y, w_eff, local, directions, optimum
        )

    _refuse_non_finite_scores(index, X, unit_codes, period_panel, period_str, ids)
    score_rank = rank.competition(index)
    table = pd.DataFrame(index=pd.Index(unit_codes, name="unit"))
    table["name"] = names
    table["category"] = categories
    table["score"] = index
    table["rank"] = score_rank
    table["category_rank"] = (
        rank.within(index, categories.to_numpy(dtype=object))
        if categories.notna().any()
        else np.nan
    )
    table["tier"] = _tiers(methodology, index, score_rank)
    for node in methodology.nodes():
        table[node.id] = node_scores[node.id]

    normalized = pd.DataFrame(Y, index=raw.index, columns=raw.columns, copy=False)
    weight_table = _weight_table(methodology, indicators, w_eff, local)
    return Result(
        methodology=methodology,
        period=period_str,
        table=table,
        raw=raw,
        normalized=normalized,
        weights=weight_table,
        node_weights=pd.Series(
            {node.id: local[node.id] for node in methodology.nodes()}, name="weight"
        ),
        imputations=tuple(imputations),
        treatment=treatment,
        notes=tuple(notes),
    )


# --- inputs -----------------------------------------------------------------------------------

LARGEST = 1e150
"""The largest magnitude of a value the engine computes with.  Normalisations and
aggregations square values and add them up (vector and z-score normalisation, TOPSIS
distances, entropy's shares): below 1e150 the sum of squares of a million values stays below
the largest double, 1.8e308; above it a score would overflow to infinity or NaN.  No
indicator comes near it (a GDP in yuan is about 1e13)."""


def refuse_huge_values(raw: pd.DataFrame, panel: Panel, period: str) -> None:
    """``assess.value_too_large`` for every value of magnitude above :data:`LARGEST`, by cell."""
    values = raw.to_numpy(dtype=np.float64)
    if not values.size or (
        np.fmax.reduce(values, axis=None) <= LARGEST
        and np.fmin.reduce(values, axis=None) >= -LARGEST
    ):
        return  # the usual case, found without a temporary the size of the matrix
    with np.errstate(invalid="ignore"):
        huge = np.argwhere(np.abs(values) > LARGEST)
    if not len(huge):
        return
    where = panel.locations(period, list(raw.columns), list(raw.index))
    problems = [
        Problem(
            "assess.value_too_large",
            f"数值 {values[i, j]:.6g} 太大（绝对值超过 {LARGEST:.0e}），计算得分时会超出浮点数的"
            "范围（约 ±1.8e308），得不到有限的得分。请检查这个数值的计量单位和数量级。",
            f"the value {values[i, j]:.6g} is too large (its magnitude is above {LARGEST:.0e}): "
            "computing the scores would go beyond the range of floating-point numbers (about "
            "±1.8e308) and give no finite score; check the unit and the order of magnitude "
            "of this value.",
            str(where.iat[i, j]),
        )
        for i, j in huge
    ]
    raise InputError(problems)


def _refuse_non_finite_scores(
    index: np.ndarray,
    X: np.ndarray,
    unit_codes: Sequence[str],
    panel: Panel,
    period: str,
    ids: Sequence[str],
) -> None:
    """``assess.non_finite`` for a unit whose score came out infinite, or NaN although it has
    every value (a guard behind :func:`refuse_huge_values`: it names the unit's cells)."""
    complete = ~np.isnan(X).any(axis=1)
    bad = np.flatnonzero(np.isinf(index) | (np.isnan(index) & complete))
    if not len(bad):
        return
    where = panel.locations(period, list(ids), list(unit_codes))
    problems = []
    for i in bad:
        j = int(np.nanargmax(np.abs(X[i]))) if not np.isnan(X[i]).all() else 0
        problems.append(
            Problem(
                "assess.non_finite",
                f"单位 {unit_codes[i]} 的综合得分不是有限的数（{index[i]}）：它的数值中绝对值"
                f"最大的是这一格（{X[i, j]:.6g}）。请检查各数值的计量单位和数量级。",
                f"the score of unit {unit_codes[i]} is not a finite number ({index[i]}): the "
                f"largest of its values in magnitude is this cell ({X[i, j]:.6g}); check the "
                "unit and the order of magnitude of its values.",
                str(where.iat[i, j]),
            )
        )
    raise InputError(problems)


def _choose_period(panel: Panel, period: str | int | None) -> str:
    periods = list(panel.periods)
    if not periods:
        raise InputError(
            [
                Problem(
                    "assess.empty_panel", "数据中没有任何观测值。", "the data has no observations."
                )
            ]
        )
    if period is None:
        return str(periods[-1])
    wanted = str(period)
    if wanted not in periods:
        raise InputError(
            [
                Problem(
                    "assess.unknown_period",
                    f"数据中没有期间 {wanted}：可选的期间为 {', '.join(periods)}。",
                    f"period {wanted} is not in the data: the periods are {', '.join(periods)}.",
                    "period",
                )
            ]
        )
    return wanted


def _unit_names(codes: Sequence[str], units: Units | None, panel: Panel) -> list[str]:
    """Names from the units table, else as written in the data file, else the code."""
    known = units.names if units is not None else {}
    from_file = panel.names
    out = []
    for code in codes:
        name = known.get(code)
        if name is None or pd.isna(cast(Any, name)):
            name = from_file.get(code, code)
        out.append(str(name))
    return out


def _unit_categories(codes: Sequence[str], units: Units | None) -> pd.Series:
    if units is None:
        return pd.Series([pd.NA] * len(codes), index=list(codes), dtype="object")
    return units.categories.reindex(list(codes)).astype("object")


@contextmanager
def _named_warnings(ids: Sequence[str], notes: list[Problem]) -> Iterator[None]:
    """Turn the kernels' index-based warnings into notes that name the indicators."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    seen: set[str] = set()
    for w in caught:
        if isinstance(w.message, ConstantColumnWarning):
            key = ",".join(ids[c] for c in w.message.columns if c < len(ids))
            if key in seen:
                continue
            seen.add(key)
            note = Problem(
                "assess.constant_indicator",
                f"指标 {key} 在所有单位取值相同，不能区分单位：标准化后均取最高值，"
                "客观赋权法不从中取得信息。",
                f"indicator(s) {key} have the same value for every unit and do not "
                "discriminate: normalised to the top of the range, no information for "
                "objective weights.",
                key,
            )
        else:
            note = Problem("assess.warning", str(w.message), str(w.message))
        notes.append(note)
        warnings.warn(note.message(), KaopingWarning, stacklevel=4)  # the caller of assess


# --- normalisation ------------------------------------------------------------------------------


def _normalize(
    methodology: Methodology,
    indicators: Sequence[Indicator],
    X: np.ndarray,
    directions: np.ndarray,
    optimum: np.ndarray,
) -> np.ndarray:
    """Normalised values, higher is better.  ``range`` maps the [0, 1] output of minmax,
    goalposts and dist2max to ``lo + (hi - lo) y``; the other methods keep their own scale."""
    spec = methodology.normalization
    method = spec.method
    lo, hi = (float(v) for v in spec.range)
    params: dict[str, Any] = dict(spec.params or {})
    if method == "minmax":
        return normalize.minmax(X, directions, lo=lo, hi=hi, optimum=optimum)
    Xp, dp = _positive(X, directions, optimum)
    if method == "zscore":
        return normalize.zscore(
            Xp,
            dp,
            ddof=int(params.get("ddof", 1)),
            m=float(params.get("center", 0.0)),
            s=float(params.get("scale", 1.0)),
        )
    if method == "vector":
        return normalize.vector(Xp) * dp
    if method == "rank":
        return normalize.rank(Xp, dp)
    if method == "fracmax":
        return normalize.fracmax(Xp, dp)
    if method == "target":
        targets = np.array([_num(ind.target) for ind in indicators])
        cap = params.get("cap")
        return normalize.target(Xp, targets, dp, cap=None if cap is None else float(cap))
    if method == "goalposts":
        lower = np.array([_num(ind.lower) for ind in indicators])
        upper = np.array([_num(ind.upper) for ind in indicators])
        unit = normalize.goalposts(Xp, lower, upper, dp)
    elif method == "dist2max":
        unit = normalize.dist2max(Xp, dp)
    else:  # the methodology loader rejects unknown methods; this guards library callers
        raise ValueError(f"unknown normalisation method {method!r}")
    return lo + (hi - lo) * unit


def _positive(
    X: np.ndarray, directions: np.ndarray, optimum: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`normalize.moderate_to_positive`, without its copy of ``X`` when no indicator is
    moderate (the kernels only read their input: a copy of 10^6 x 20 values is 160 MB)."""
    if not (np.asarray(directions) == 0).any():
        return X, np.asarray(directions, dtype=np.float64)
    return normalize.moderate_to_positive(X, directions, optimum)


def _num(value: float | None) -> float:
    return np.nan if value is None else float(value)


# --- weights ------------------------------------------------------------------------------------


def _children(node: Methodology | Dimension) -> list[Any]:
    if isinstance(node, Methodology):
        return list(node.dimensions)
    if node.is_leaf:
        return [ind for ind in node.indicators if ind.direction != "constraint"]
    return list(node.children)


def _weights(
    methodology: Methodology,
    indicators: Sequence[Indicator],
    X: np.ndarray,
    directions: np.ndarray,
    optimum: np.ndarray,
    notes: list[Problem],
) -> tuple[np.ndarray, dict[str, float]]:
    """Effective weight per scored indicator, and every node's weight among its siblings."""
    spec = methodology.weighting
    method = spec.method
    ids = [ind.id for ind in indicators]
    if method in ("fixed", "equal", "ahp"):
        local = _local_weights(methodology, method, notes)
        return _effective(methodology, ids, local), local
    objective_method = spec.objective if method == "combine" else method
    objective = _objective(str(objective_method), float(spec.shift), X, directions, optimum)
    if method == "combine":
        subjective_local = _local_weights(methodology, str(spec.subjective), notes)
        subjective = _effective(methodology, ids, subjective_local)
        mode = cast(Literal["additive", "multiplicative"], spec.mode)
        eff = weights.combine(subjective, objective, alpha=spec.alpha, method=mode)
    else:
        eff = objective
    return eff, _local_from_effective(methodology, ids, eff)


def _objective(
    method: str, shift: float, X: np.ndarray, directions: np.ndarray, optimum: np.ndarray
) -> np.ndarray:
    Xp, dp = _positive(X, directions, optimum)
    if method == "entropy":
        return weights.entropy(Xp, dp, shift=shift)
    if method == "critic":
        return weights.critic(Xp, dp)
    if method == "cv":
        return weights.cv(Xp)
    raise ValueError(f"unknown objective weighting {method!r}")


def _local_weights(methodology: Methodology, method: str, notes: list[Problem]) -> dict[str, float]:
    """Weight of every node and indicator among its siblings (summing to 1 per group)."""
    local: dict[str, float] = {}
    strict = bool(getattr(methodology.weighting, "strict", False))
    ri = getattr(methodology.weighting, "ri", "saaty1980")

    def visit(node: Methodology | Dimension) -> None:
        kids = _children(node)
        if not kids:
            return
        if method == "equal":
            w = weights.equal(len(kids))
        elif method == "ahp" and len(kids) >= 2:
            res = weights.ahp(np.array(node.ahp, dtype=np.float64), ri=ri, strict=strict)
            w = res.weights
            if not res.consistent:
                label = getattr(node, "id", methodology.id)
                notes.append(
                    Problem(
                        "assess.ahp_inconsistent",
                        f"{label} 的判断矩阵一致性比率 CR = {res.cr:.3f} ≥ 0.10，一致性不可接受："
                        "请修改判断矩阵。",
                        f"the pairwise matrix of {label} has CR = {res.cr:.3f} >= 0.10, "
                        "inconsistent: revise the judgements.",
                        label,
                    )
                )
        elif method == "ahp":
            w = np.ones(1)
        else:
            raw = np.array([float(k.weight) for k in kids])
            w = raw / raw.sum()
        for kid, wk in zip(kids, w, strict=True):
            local[kid.id] = float(wk)
            if isinstance(kid, Dimension):
                visit(kid)

    visit(methodology)
    return local


def _effective(methodology: Methodology, ids: Sequence[str], local: dict[str, float]) -> np.ndarray:
    """Product of local weights along each indicator's path to the root."""
    eff = np.empty(len(ids))
    for j, ind_id in enumerate(ids):
        w = local[ind_id]
        parent = methodology.parent_of(ind_id)
        while parent is not None:
            w *= local[parent.id]
            parent = methodology.parent_of(parent.id)
        eff[j] = w
    total = eff.sum()
    return eff / total if total > 0 else np.full(len(ids), 1.0 / len(ids))


def _local_from_effective(
    methodology: Methodology, ids: Sequence[str], eff: np.ndarray
) -> dict[str, float]:
    """Rescale effective weights within each group; a node's weight is its indicators' sum."""
    mass = dict(zip(ids, (float(v) for v in eff), strict=True))

    def node_mass(node: Dimension) -> float:
        total = sum(
            node_mass(k) if isinstance(k, Dimension) else mass[k.id] for k in _children(node)
        )
        mass[node.id] = total
        return total

    for dim in methodology.dimensions:
        node_mass(dim)
    local: dict[str, float] = {}

    def visit(node: Methodology | Dimension) -> None:
        kids = _children(node)
        total = sum(mass[k.id] for k in kids)
        for kid in kids:
            local[kid.id] = mass[kid.id] / total if total > 0 else 1.0 / len(kids)
            if isinstance(kid, Dimension):
                visit(kid)

    visit(methodology)
    return local


# --- aggregation --------------------------------------------------------------------------------


def _aggregate(
    methodology: Methodology,
    unit_codes: Sequence[str],
    notes: list[Problem],
    indicators: Sequence[Indicator],
    X: np.ndarray,
    Y: np.ndarray,
    w_eff: np.ndarray,
    local: dict[str, float],
    directions: np.ndarray,
    optimum: np.ndarray,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every dimension's score and the index.

    A node whose aggregation is a mean combines its children's scores (normalised values at a
    leaf) with their weights among siblings; a node whose aggregation is a distance or
    outranking method scores the raw values of all indicators below it at once, with their
    effective weights rescaled to sum to 1 there.
    """
    column = {ind.id: j for j, ind in enumerate(indicators)}
    skipna = methodology.missing.method == "skip"
    min_share = float(methodology.missing.min_share or 0.0)
    Xp, dp = _positive(X, directions, optimum)
    scores: dict[str, np.ndarray] = {}
    current: list[str] = []  # the node being aggregated, for messages
    unranked: set[int] = set()

    def mean(method: str, params: dict[str, Any], values: np.ndarray, w: np.ndarray) -> np.ndarray:
        if method in ("geometric", "harmonic") or (
            method == "generalized" and float(params["p"]) < 0
        ):
            bad = np.flatnonzero(np.any(values <= 0, axis=1))
            if bad.size:
                raise _needs_positive(method, current[-1], [unit_codes[int(i)] for i in bad])
        if method == "generalized":
            return aggregate.generalized(
                values, w, float(params["p"]), skipna=skipna, min_share=min_share
            )
        fn = getattr(aggregate, method)
        return np.asarray(fn(values, w, skipna=skipna, min_share=min_share))

    def whole(method: str, params: dict[str, Any], cols: list[int]) -> np.ndarray:
        # the kernel numbers its constant columns within ``cols``: report them by position in
        # the full indicator list, so that the note names the right indicators
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = _whole(method, params, cols)
        for w in caught:
            msg = w.message
            if isinstance(msg, ConstantColumnWarning):
                msg = ConstantColumnWarning(str(msg), [cols[c] for c in msg.columns])
            warnings.warn(msg, stacklevel=2)
        if skipna:  # units with some but not all values here get NaN from these methods
            partial = np.isnan(out) & ~np.isnan(X[:, cols]).all(axis=1)
            unranked.update(np.flatnonzero(partial).tolist())
        return out

    def _whole(method: str, params: dict[str, Any], cols: list[int]) -> np.ndarray:
        every = cols == list(range(X.shape[1]))  # the whole matrix: no copy of its columns
        Xs = Xp if every else Xp[:, cols]
        Ys = Y if every or method != "copeland" else Y[:, cols]  # only Copeland reads Y
        return distance_scores(method, params, Xs, dp[cols], Ys, w_eff[cols])

    def visit(node: Dimension | None) -> np.ndarray:
        current.append(node.id if node is not None else methodology.id)
        try:
            return _visit(node)
        finally:
            current.pop()

    def _visit(node: Dimension | None) -> np.ndarray:
        spec = methodology.aggregation_of(node)
        params: dict[str, Any] = dict(spec.params or {})
        kids = _children(methodology if node is None else node)
        if spec.method in _MEANS:
            if node is not None and node.is_leaf:
                values = Y[:, [column[k.id] for k in kids]]
            else:
                values = np.column_stack([visit(k) for k in kids])
            out = mean(spec.method, params, values, np.array([local[k.id] for k in kids]))
        else:
            if node is None or not node.is_leaf:
                for kid in kids:  # the sub-dimensions still get their own scores
                    visit(kid)
            below = node.scored_below if node is not None else indicators
            out = whole(spec.method, params, [column[ind.id] for ind in below])
        if node is not None:
            scores[node.id] = out
        return out

    index = visit(None)
    if unranked:
        codes = ", ".join(unit_codes[i] for i in sorted(unranked))
        notes.append(
            Problem(
                "assess.unscored_missing",
                f"{methodology.aggregation.method} 等距离法不能跳过缺失值：单位 {codes} 有缺失值，"
                "在相应维度或总分上没有得分。请补齐数据，或改用插补（missing: mean 等）。",
                f"distance methods cannot skip missing values: units {codes} have missing "
                "values and get no score where those are needed; complete the data or impute "
                "(missing: mean …).",
                codes,
            )
        )
    return scores, index


def indicator_arrays(indicators: Sequence[Indicator]) -> tuple[np.ndarray, np.ndarray]:
    """Directions (+1 positive, -1 negative, 0 moderate) and optima (NaN where none)."""
    directions = np.array([_DIRECTION.get(ind.direction, 1.0) for ind in indicators])
    optimum = np.array(
        [ind.optimum if ind.optimum is not None else np.nan for ind in indicators],
        dtype=np.float64,
    )
    return directions, optimum


def distance_scores(
    method: str,
    params: dict[str, Any],
    Xp: np.ndarray,
    dp: np.ndarray,
    Y: np.ndarray,
    w: np.ndarray,
) -> np.ndarray:
    """Scores of a distance or outranking method over the given columns.

    ``Xp``, ``dp``: raw values and directions with moderate indicators made positive;
    ``Y``: normalised values (Copeland); ``w``: weights (m,) or a batch (k, m), rescaled to
    sum to 1 (equal when they are all 0).  TOPSIS, GRA and VIKOR are reported x 100.
    """
    W = np.atleast_2d(w)
    sums = W.sum(axis=1, keepdims=True)
    W = np.where(sums > 0, W / np.where(sums > 0, sums, 1.0), 1.0 / W.shape[1])
    W = W[0] if np.ndim(w) == 1 else W
    if method == "topsis":
        norm = cast(Literal["vector", "minmax"], params.get("normalization", "vector"))
        return 100.0 * aggregate.topsis(Xp, W, dp, normalization=norm)
    if method == "gra":
        return 100.0 * aggregate.gra(Xp, W, dp, rho=float(params.get("rho", 0.5)))
    if method == "vikor":
        return 100.0 * aggregate.vikor(Xp, W, dp, v=float(params.get("v", 0.5)))
    if method == "copeland":
        return np.asarray(aggregate.copeland(Y, W), dtype=np.float64)
    raise ValueError(f"unknown aggregation method {method!r}")


def _needs_positive(method: str, node: str, units: Sequence[str]) -> InputError:
    shown = ", ".join(units[:10]) + (" …" if len(units) > 10 else "")
    return InputError(
        [
            Problem(
                "assess.aggregation_needs_positive",
                f"{node} 用{method}平均合成，要求各项得分均大于 0，但单位 {shown} 有得分 ≤ 0"
                "（距离法、Copeland 或 vector 标准化的逆向指标可能得到 0 或负数）。请改用算术平均，"
                "或把标准化区间设为 [1, 100] 等不含 0 的区间。",
                f"{node} is aggregated with a {method} mean, which needs every score above 0, "
                f"but units {shown} have a score <= 0 (distance methods, Copeland, or vector "
                "normalisation of negative indicators can give 0 or less); use the arithmetic "
                "mean, or a normalisation range without 0 such as [1, 100].",
                node,
            )
        ]
    )


# --- tiers and tables ---------------------------------------------------------------------------


def _tiers(methodology: Methodology, index: np.ndarray, ranks: np.ndarray) -> list[Any]:
    """Tier names; the last tier may have no threshold and then takes every scored unit
    that no earlier tier took."""
    tiers = list(methodology.tiers)
    if not tiers:
        return [None] * len(index)
    open_last = tiers[-1].max_rank is None and tiers[-1].min_score is None
    bounded = tiers[:-1] if open_last else tiers
    which = np.full(len(index), -1, dtype=np.int64)
    if bounded and methodology.tier_kind == "rank":
        cut = np.array([t.max_rank for t in bounded], dtype=np.float64)
        which = rank.tiers(ranks, cut, by="rank")
    elif bounded:
        cut = np.array([t.min_score for t in bounded], dtype=np.float64)
        which = rank.tiers(index, cut, by="score")
    if open_last:
        which = np.where((which < 0) & ~np.isnan(index), len(tiers) - 1, which)
    return [tiers[k].name if k >= 0 else None for k in which]


def _weight_table(
    methodology: Methodology,
    indicators: Sequence[Indicator],
    w_eff: np.ndarray,
    local: dict[str, float],
) -> pd.DataFrame:
    rows = []
    for ind, w in zip(indicators, w_eff, strict=True):
        parent = methodology.parent_of(ind.id)
        rows.append(
            {
                "indicator": ind.id,
                "name": ind.name,
                "dimension": parent.id if parent is not None else None,
                "direction": ind.direction,
                "unit": ind.unit,
                "weight": local[ind.id],
                "effective_weight": float(w),
            }
        )
    return pd.DataFrame(rows).set_index("indicator")
