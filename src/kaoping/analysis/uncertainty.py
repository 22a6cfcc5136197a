"""Uncertainty and sensitivity of a ranking (不确定性与敏感性分析), computed in batches.

A ranking that decides commendations must say how solid it is.  :func:`uncertainty` draws N
samples of the uncertain choices — weights around their nominal values (per level of the tree),
the normalisation, the aggregation, the imputation, outlier treatment, one indicator or
dimension left out — and reports, for every unit, its nominal, median and mean rank, the 5th
and 95th percentile rank and the probability of each tier, overall and within its category;
for the whole ranking, the mean absolute rank shift and first-order and total Sobol indices per
uncertain input (Saltelli design, Jansen estimators, bootstrap intervals); and a remove-one
analysis.

How it stays fast and bounded: the discrete choices make a handful of configurations, each
assessed once (normalised values, raw values, nominal weights); the weight samples of a
configuration are scored in batches (a matrix product for arithmetic means, the batch kernels
of :mod:`kaoping.methods` otherwise) and ranked in batches; the ranks are never stored, only
counted per unit (an n x n table of counts), from which the percentiles and tier probabilities
are read.  Memory is O(n^2 + batch x n) whatever N is.

References
----------
Saisana M., Saltelli A., Tarantola S. (2005), Uncertainty and sensitivity analysis techniques
as tools for the quality assessment of composite indicators, *J. R. Stat. Soc. A* 168(2),
307-323, doi:10.1111/j.1467-985X.2005.00350.x.  OECD/JRC (2008), *Handbook on Constructing
Composite Indicators*, Step 7.  Becker W. et al. (COINr), ``get_sensitivity``.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any, Literal, cast

import numba
import numpy as np
import pandas as pd
from threadpoolctl import ThreadpoolController

from kaoping.analysis.sobol import jansen, saltelli
from kaoping.assess import Result, assess
from kaoping.assess.pipeline import distance_scores, indicator_arrays
from kaoping.data import Panel, Units
from kaoping.errors import InputError, KaopingWarning, Problem
from kaoping.methodology import Dimension, Methodology, validate
from kaoping.methods import normalize, rank

__all__ = ["UncertaintyResult", "UncertaintySpec", "uncertainty"]

FloatArray = np.ndarray
_MEANS = {"arithmetic", "geometric", "harmonic", "generalized"}
_BATCH = 2048  # samples drawn from one seed (a worker's or a Dask task's share at a time)
_CHUNK = 512  # samples scored and ranked at once in this process (~12 MB for 3,000 units)
INPUTS = ("weights", "normalization", "aggregation", "imputation", "outliers", "exclude")


@dataclass(frozen=True)
class UncertaintySpec:
    """What varies, and how.

    Parameters
    ----------
    weights : {"dirichlet", "uniform"} or None
        ``dirichlet``: at every node of the tree, the children's weights are drawn from a
        Dirichlet distribution with mean the nominal weights and the given ``concentration``
        (variance :math:`w(1-w)/(c+1)`); ``uniform``: each weight times U(1 - spread,
        1 + spread), then rescaled among its siblings; None: weights fixed.
    concentration, spread : float
    normalization, aggregation, imputation : sequence of str
        Alternative methods (the nominal one is added when missing); empty = fixed.
    outliers : bool
        Vary the outlier treatment on and off.
    exclude : {"indicator", "dimension"} or None
        Leave out one scored indicator (or one top-level dimension) per sample, or none.
    """

    weights: Literal["dirichlet", "uniform"] | None = "dirichlet"
    concentration: float = 100.0
    spread: float = 0.25
    normalization: tuple[str, ...] = ()
    aggregation: tuple[str, ...] = ()
    imputation: tuple[str, ...] = ()
    outliers: bool = False
    exclude: Literal["indicator", "dimension"] | None = None

    @property
    def varied(self) -> list[str]:
        """The uncertain inputs, in the order of :data:`INPUTS`."""
        out = []
        if self.weights:
            out.append("weights")
        for name in ("normalization", "aggregation", "imputation"):
            if getattr(self, name):
                out.append(name)
        if self.outliers:
            out.append("outliers")
        if self.exclude:
            out.append("exclude")
        return out


@dataclass(frozen=True)
class UncertaintyResult:
    """The outcome of :func:`uncertainty`.

    Attributes
    ----------
    table : DataFrame
        Per unit (index: code): name, category, nominal_rank, median_rank, mean_rank, p05,
        p95, then ``P(tier)`` for every tier, and the same within the category
        (``category_*``; ``category_P(tier)`` applies the tiers' rank cut-offs to the rank
        within the category, when the tiers are by rank).
    shift : Series
        The mean absolute rank shift of the whole ranking against the nominal one, per sample.
    sobol : DataFrame or None
        Per uncertain input: first, total and their interval bounds, for the mean absolute
        rank shift.
    unit_sobol : DataFrame or None
        Per (unit, input): first and total indices of that unit's rank.
    remove_one : DataFrame
        Per indicator and top-level dimension: the mean absolute rank change when it alone is
        left out (weights rescaled among its siblings).
    samples, seed, spec
        How it was computed.
    """

    methodology: Methodology
    period: str
    table: pd.DataFrame
    shift: pd.Series
    remove_one: pd.DataFrame
    samples: int
    seed: int | None
    spec: UncertaintySpec
    sobol: pd.DataFrame | None = None
    unit_sobol: pd.DataFrame | None = None
    notes: tuple[Problem, ...] = field(default_factory=tuple)
    ranks: np.ndarray | None = None
    """Every sample's ranks (samples x units), only with ``keep_ranks=True``."""

    def to_records(self) -> list[dict[str, Any]]:
        """Per unit: unit, name, nominal_rank, median_rank, mean_rank, p05, p95 and
        ``tier_probabilities`` (tier -> probability), with the category versions."""
        tiers = [c[2:-1] for c in self.table.columns if c.startswith("P(")]
        table = self.table.sort_values("nominal_rank", kind="stable")
        cols = {c: table[c].tolist() for c in table.columns}  # plain Python values, once
        with_cats = "category_median_rank" in cols
        cat_tiers = with_cats and bool(tiers) and f"category_P({tiers[0]})" in cols

        def whole(v: Any) -> int | None:
            return None if pd.isna(v) else int(v)

        def real(v: Any) -> float | None:
            return None if pd.isna(v) else float(v)

        out = []
        for i, code in enumerate(table.index):
            category = cols["category"][i]
            rec: dict[str, Any] = {
                "unit": str(code),
                "name": cols["name"][i],
                "category": None if pd.isna(category) else category,
            }
            for key in ("nominal_rank", "median_rank", "p05", "p95"):
                rec[key] = whole(cols[key][i])
            rec["mean_rank"] = real(cols["mean_rank"][i])
            rec["tier_probabilities"] = {t: float(cols[f"P({t})"][i]) for t in tiers}
            if with_cats:
                rec["category_rank"] = {
                    k: real(cols[f"category_{k}"][i])
                    for k in ("nominal_rank", "median_rank", "p05", "p95")
                }
                if cat_tiers:
                    rec["category_rank"]["tier_probabilities"] = {
                        t: float(cols[f"category_P({t})"][i]) for t in tiers
                    }
            out.append(rec)
        return out

    def sobol_records(self) -> dict[str, dict[str, float | None]]:
        """Input -> first, total and intervals (``--json``'s ``sobol``)."""
        if self.sobol is None:
            return {}
        return {
            str(k): {str(c): (None if pd.isna(v) else float(v)) for c, v in row.items()}
            for k, row in self.sobol.iterrows()
        }

    def to_excel(self, path: Any) -> Any:
        """Per-unit rank intervals, Sobol indices, remove-one changes and the settings."""
        from pathlib import Path

        out = Path(path)
        settings = pd.DataFrame(
            [
                ("考核办法 / methodology", f"{self.methodology.name} ({self.methodology.id})"),
                ("期间 / period", self.period),
                ("样本数 / samples", self.samples),
                ("随机种子 / seed", self.seed),
                ("变动的输入 / varied inputs", ", ".join(self.spec.varied)),
                ("权重分布 / weights", self.spec.weights),
                ("集中度 / concentration", self.spec.concentration),
            ],
            columns=["项目 / item", "内容 / value"],
        )
        with pd.ExcelWriter(out, engine="openpyxl") as writer:
            self.table.reset_index().to_excel(writer, sheet_name="排名区间", index=False)
            if self.sobol is not None:
                self.sobol.reset_index().to_excel(writer, sheet_name="Sobol指数", index=False)
            self.remove_one.reset_index().to_excel(writer, sheet_name="逐一剔除", index=False)
            settings.to_excel(writer, sheet_name="说明", index=False)
            for ws in writer.book.worksheets:
                ws.freeze_panes = "A2"
        return out


# --------------------------------------------------------------------------------------------
# configurations (the discrete choices), each assessed once
# --------------------------------------------------------------------------------------------


@dataclass
class _Config:
    key: tuple[str, str, str, bool]
    methodology: Methodology
    result: Result
    X: FloatArray  # raw values used by distance methods (treated when the config treats)
    Y: FloatArray  # normalised values, higher is better
    local: dict[str, float]


def _variant(methodology: Methodology, key: tuple[str, str, str, bool]) -> Methodology:
    norm, agg, imp, treat = key
    data = methodology.to_data()
    if norm != methodology.normalization.method:
        spec: dict[str, Any] = {"method": norm}
        if norm in ("minmax", "goalposts", "dist2max"):
            spec["range"] = list(methodology.normalization.range)
        data["normalization"] = spec
    if agg != methodology.aggregation.method:
        data["aggregation"] = agg
    if imp != methodology.missing.method:
        data["missing"] = imp
    data["treat_outliers"] = treat
    variant = Methodology.model_validate(data)
    problems = validate(variant)
    if problems:
        raise InputError(
            [
                Problem(
                    "uncertainty.impossible_alternative",
                    f"备选组合（标准化 {norm}，合成 {agg}，缺失值 {imp}，异常值处理 "
                    f"{'开' if treat else '关'}）不能成立：{p.zh}",
                    f"the alternative (normalisation {norm}, aggregation {agg}, missing {imp}, "
                    f"outlier treatment {'on' if treat else 'off'}) cannot work: {p.en}",
                    p.where,
                )
                for p in problems
            ]
        )
    return variant


def _configs(
    methodology: Methodology,
    panel: Panel,
    period: str | int | None,
    units: Units | None,
    spec: UncertaintySpec,
) -> list[_Config]:
    norms = _with_nominal(spec.normalization, methodology.normalization.method)
    aggs = _with_nominal(spec.aggregation, methodology.aggregation.method)
    imps = _with_nominal(spec.imputation, methodology.missing.method)
    treats = (
        [methodology.treat_outliers, not methodology.treat_outliers]
        if spec.outliers
        else [methodology.treat_outliers]
    )
    out = []
    problems: list[Problem] = []
    for key in product(norms, aggs, imps, treats):
        try:
            variant = _variant(methodology, key)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", KaopingWarning)
                result = assess(variant, panel, period, units=units)
        except InputError as exc:
            problems += exc.problems
            continue
        X = result.raw.to_numpy(dtype=np.float64)
        if variant.treat_outliers:
            X, _ = normalize.treat(X)
        local = {str(k): float(v) for k, v in result.node_weights.items()}
        local.update({str(k): float(v) for k, v in result.weights["weight"].items()})
        out.append(_Config(key, variant, result, X, result.normalized.to_numpy(np.float64), local))
    if problems:
        raise InputError(problems)
    return out


def _with_nominal(alternatives: Sequence[str], nominal: str) -> list[str]:
    out = [nominal]
    out += [a for a in alternatives if a != nominal]
    return out


# --------------------------------------------------------------------------------------------
# weights: samples of the local weights, turned into a batch of effective weights
# --------------------------------------------------------------------------------------------


def _groups(methodology: Methodology) -> list[tuple[str | None, list[str]]]:
    """(parent id, children ids) for the root and every dimension (scored indicators only)."""
    out: list[tuple[str | None, list[str]]] = []

    def visit(parent: Methodology | Dimension, pid: str | None) -> None:
        if isinstance(parent, Methodology) or not parent.is_leaf:
            kids = parent.dimensions if isinstance(parent, Methodology) else parent.children
            out.append((pid, [k.id for k in kids]))
            for k in kids:
                visit(k, k.id)
        else:
            out.append((pid, [i.id for i in parent.scored_indicators]))

    visit(methodology, None)
    return out


def _sample_local(
    groups: list[tuple[str | None, list[str]]],
    local: dict[str, float],
    spec: UncertaintySpec,
    n: int,
    rng: np.random.Generator,
) -> dict[str, FloatArray]:
    """Per node or indicator id: its sampled weight among its siblings, shape (n,)."""
    out: dict[str, FloatArray] = {}
    for _, kids in groups:
        w = np.array([local.get(k, 0.0) for k in kids], dtype=np.float64)
        if not spec.weights or len(kids) == 1 or w.sum() <= 0:
            draws = np.broadcast_to(w, (n, len(kids)))
        elif spec.weights == "dirichlet":
            draws = np.zeros((n, len(kids)))
            pos = w > 0
            draws[:, pos] = rng.dirichlet(spec.concentration * w[pos] / w[pos].sum(), size=n)
        else:
            f = rng.uniform(1.0 - spec.spread, 1.0 + spec.spread, size=(n, len(kids)))
            draws = w * f
            draws /= draws.sum(axis=1, keepdims=True)
        for j, k in enumerate(kids):
            out[k] = draws[:, j]
    return out


def _paths(methodology: Methodology) -> list[list[str]]:
    """For every scored indicator, its id and the ids of its ancestors."""
    out = []
    for ind in methodology.scored_indicators:
        path = [ind.id]
        parent = methodology.parent_of(ind.id)
        while parent is not None:
            path.append(parent.id)
            parent = methodology.parent_of(parent.id)
        out.append(path)
    return out


_PATHS: dict[int, tuple[Methodology, list[list[str]]]] = {}


def _effective(
    methodology: Methodology, sampled: dict[str, FloatArray], n: int
) -> tuple[FloatArray, dict[str, FloatArray]]:
    """Effective indicator weights (n, m): the product of the local weights down the tree."""
    key = id(methodology)
    cached = _PATHS.get(key)
    if cached is None or cached[0] is not methodology:
        cached = _PATHS[key] = (methodology, _paths(methodology))
    paths = cached[1]
    eff = np.empty((n, len(paths)))
    for j, path in enumerate(paths):
        col = sampled[path[0]]
        for node in path[1:]:
            col = col * sampled[node]
        eff[:, j] = col
    return eff, sampled


def _drop(
    sampled: dict[str, FloatArray],
    groups: list[tuple[str | None, list[str]]],
    rows: np.ndarray,
    item: str,
) -> None:
    """Set ``item``'s weight to 0 on ``rows`` and rescale its siblings there.

    Where the siblings carry no weight (``item`` is an only child, or its siblings weigh 0),
    its parent is left out instead, one level up, and so on.
    """
    for parent, kids in groups:
        if item in kids:
            total = sum((sampled[k][rows] for k in kids if k != item), np.zeros(rows.size))
            orphaned = rows[total <= 0]
            keep = rows[total > 0]
            sampled[item] = sampled[item].copy()
            sampled[item][keep] = 0.0
            for k in kids:
                if k != item:
                    sampled[k] = sampled[k].copy()
                    sampled[k][keep] = sampled[k][keep] / total[total > 0]
            if orphaned.size and parent is not None:
                _drop(sampled, groups, orphaned, parent)
            return


def _removable(methodology: Methodology, ident: str) -> bool:
    """Whether leaving ``ident`` out leaves something to score (not the only line of the tree)."""
    node: str | None = ident
    while node is not None:
        parent = methodology.parent_of(node)
        siblings = (
            [d.id for d in methodology.dimensions]
            if parent is None
            else [k.id for k in (parent.children or parent.scored_indicators)]
        )
        if len(siblings) > 1:
            return True
        node = None if parent is None else parent.id
    return False


# --------------------------------------------------------------------------------------------
# batch scoring
# --------------------------------------------------------------------------------------------


def _scores(
    cfg: _Config, eff: FloatArray, local: dict[str, FloatArray], out: FloatArray | None = None
) -> FloatArray:
    """Index scores (k, n) for a batch of k weight samples under one configuration, written
    into ``out`` when given (a buffer reused from batch to batch)."""
    m = cfg.methodology
    means_only = all(m.aggregation_of(node).method == "arithmetic" for node in m.nodes())
    means_only &= m.aggregation.method == "arithmetic"
    Y = cfg.Y
    if means_only and not np.isnan(Y).any():
        return cast(FloatArray, np.matmul(eff, Y.T, out=out))  # the fast path: one product
    if out is not None:
        out[...] = _scores(cfg, eff, local)
        return out
    ids = [i.id for i in m.scored_indicators]
    column = {ident: j for j, ident in enumerate(ids)}
    skipna = m.missing.method == "skip"
    min_share = float(m.missing.min_share or 0.0)
    Xp, dp = normalize.moderate_to_positive(cfg.X, *indicator_arrays(m.scored_indicators))

    def visit(node: Dimension | None) -> FloatArray:
        agg = m.aggregation_of(node)
        params = dict(agg.params or {})
        kids = (
            node.children
            if node is not None and not node.is_leaf
            else (m.dimensions if node is None else None)
        )
        if agg.method in _MEANS:
            if kids is None:  # a leaf: its indicators
                assert node is not None
                members = [i.id for i in node.scored_indicators]
                values = np.broadcast_to(
                    Y[:, [column[k] for k in members]].T[:, None, :],
                    (len(members), eff.shape[0], Y.shape[0]),
                )
            else:
                members = [k.id for k in kids]
                values = np.stack([visit(k) for k in kids])  # (c, k, n)
            w = np.stack([local[k] for k in members], axis=1)  # (k, c)
            return _batch_mean(agg.method, params, values, w, skipna, min_share)
        below = node.scored_below if node is not None else m.scored_indicators
        cols = [column[i.id] for i in below]
        return distance_scores(agg.method, params, Xp[:, cols], dp[cols], Y[:, cols], eff[:, cols])

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.atleast_2d(visit(None))


def _batch_mean(
    method: str,
    params: dict[str, Any],
    values: FloatArray,
    w: FloatArray,
    skipna: bool,
    min_share: float = 0.0,
) -> FloatArray:
    """Weighted mean over the children axis: values (c, k, n), w (k, c) -> (k, n).

    With ``skipna`` the weights are rescaled over the children present, and a unit whose
    present children carry less than ``min_share`` of the weight gets NaN (as
    :func:`kaoping.methods.aggregate.arithmetic` does); without it NaN propagates.
    """
    W = w.T[:, :, None]  # (c, k, 1)
    present = ~np.isnan(values)
    v = np.where(present, values, 0.0) if skipna else values
    Wm = np.where(present, W, 0.0) if skipna else np.broadcast_to(W, values.shape)
    den = Wm.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic":
            out = (Wm * v).sum(axis=0) / den
        elif method == "geometric":
            out = np.exp((Wm * np.log(np.where(Wm > 0, v, 1.0))).sum(axis=0) / den)
        elif method == "harmonic":
            out = den / (Wm * np.where(Wm > 0, 1.0 / v, 0.0)).sum(axis=0)
        else:
            p = float(params["p"])
            out = ((Wm * np.where(Wm > 0, v**p, 0.0)).sum(axis=0) / den) ** (1.0 / p)
        if skipna and min_share > 0:
            share = den / np.broadcast_to(W, values.shape).sum(axis=0)
            out = np.where(share >= min_share - 1e-12, out, np.nan)
    return np.asarray(out, dtype=np.float64)


# --------------------------------------------------------------------------------------------
# the analysis
# --------------------------------------------------------------------------------------------


def uncertainty(
    methodology: Methodology,
    panel: Panel,
    period: str | int | None = None,
    *,
    units: Units | None = None,
    n: int = 1000,
    rng: int | np.random.Generator | None = None,
    vary: UncertaintySpec | None = None,
    sobol: int = 0,
    sobol_units: Sequence[str] = (),
    n_boot: int = 200,
    progress: Callable[[int, int], None] | None = None,
    keep_ranks: bool = False,
    workers: int = 1,
    scheduler: str | None = None,
) -> UncertaintyResult:
    """Rank intervals, tier probabilities, Sobol indices and remove-one changes.

    Parameters
    ----------
    methodology, panel, period, units
        As for :func:`kaoping.assess` (the academic path).
    n : int
        Monte Carlo samples for the rank intervals and tier probabilities.
    rng : int or Generator, optional
        The seed: the same seed gives the same numbers on every run.
    vary : UncertaintySpec, optional
        What varies; default: Dirichlet weights (concentration 100) only.
    sobol : int
        Base sample size of the Saltelli design (0: no Sobol indices); the model runs
        ``sobol * (k + 2)`` times for k uncertain inputs.
    sobol_units : sequence of str
        Units whose own rank gets Sobol indices too (all units at once are cheap: vectorised).
    n_boot : int
        Bootstrap replicates for the Sobol intervals.
    progress : callable, optional
        Called as ``progress(done, total)`` after each batch (the CLI's progress bar).
    keep_ranks : bool
        Keep every sample's ranks (memory n x units; for tests and small studies).
    workers : int
        Processes sharing the batches (1 = this process).  The numbers do not depend on it:
        each batch draws from its own child of the seed.
    scheduler : str, optional
        The address of a Dask scheduler (``tcp://host:8786``): the batches run on its workers
        instead (needs ``kaoping[dask]``); the numbers are the same again.

    Raises
    ------
    InputError
        Before any sample runs: an alternative that cannot work (e.g. a geometric mean over
        values that can be 0), naming which and why; the problems of the data.
    """
    if methodology.is_official:
        raise InputError(
            [
                Problem(
                    "uncertainty.official",
                    "不确定性分析目前只支持学术路径的考核办法（无 official 部分）。",
                    "the uncertainty analysis supports academic methodologies only (without "
                    "an official: section) for now.",
                    methodology.id,
                )
            ]
        )
    spec = vary or UncertaintySpec()
    if n < 1:
        raise ValueError("n must be >= 1")
    if not spec.concentration > 0 or not 0 < spec.spread < 1:
        raise ValueError(
            "concentration must be > 0 and spread in (0, 1) (uniform weights stay positive); "
            f"got {spec.concentration!r} and {spec.spread!r}."
        )
    seed = rng if isinstance(rng, int) else None
    gen = np.random.default_rng(rng)
    configs = _configs(methodology, panel, period, units, spec)
    nominal_cfg = configs[0]
    base = nominal_cfg.result
    codes = list(base.table.index)
    nominal_rank = base.table["rank"].to_numpy(dtype=np.float64)
    cats = base.table["category"].to_numpy(dtype=object)
    has_cats = bool(pd.Series(cats).notna().any())
    unknown = [u for u in sobol_units if u not in codes]
    if unknown:
        raise InputError(
            [
                Problem(
                    "uncertainty.unknown_unit",
                    f"单位 {u} 不在 {base.period} 年的参评单位中，无法计算它的 Sobol 指数。",
                    f"unit {u} is not among the units assessed in {base.period}; it can have "
                    "no Sobol indices.",
                    u,
                )
                for u in unknown
            ]
        )
    groups = _groups(methodology)
    exclusions = _exclusions(methodology, spec)

    # --- Monte Carlo: counts of each unit's rank ----------------------------------------------
    # Each batch of samples draws from its own child of the seed (SeedSequence.spawn), so the
    # numbers depend on the seed only, not on how many processes share the batches.
    by_score = methodology.tier_kind == "score"
    seeds = np.random.SeedSequence(seed if seed is not None else gen.integers(2**63)).spawn(
        (n + _BATCH - 1) // _BATCH
    )
    job = _Job(
        configs, exclusions, groups, spec, nominal_rank, cats if has_cats else None,
        methodology if by_score else None, keep_ranks,
    )  # fmt: skip
    batches = [
        (start, min(n, start + _BATCH), seeds[b]) for b, start in enumerate(range(0, n, _BATCH))
    ]
    total = job.part(0, n)
    if scheduler or (workers > 1 and len(batches) > 1):
        for part in _map(job, batches, workers, scheduler):
            total.add(part)
            if progress is not None:
                progress(total.done, n)
    else:
        _run_here(job, batches, total, progress)
    counts, cat_counts, tier_hits, shift, kept = (
        total.counts, total.cat_counts, total.tier_hits, total.shift, total.kept,
    )  # fmt: skip

    table = pd.DataFrame(index=pd.Index(codes, name="unit"))
    table["name"] = base.table["name"]
    table["category"] = base.table["category"]
    table["nominal_rank"] = nominal_rank
    _quantiles(table, counts, n, "")
    probs = tier_hits / n if by_score else _tier_probabilities(methodology, counts, n)
    for t, tier in enumerate(methodology.tiers):
        table[f"P({tier.name})"] = probs[:, t]
    if cat_counts is not None:
        table["category_nominal_rank"] = base.table["category_rank"]
        _quantiles(table, cat_counts, n, "category_")
        if not by_score:  # rank cut-offs, applied to the rank within the category too
            cat_probs = _tier_probabilities(methodology, cat_counts, n)
            for t, tier in enumerate(methodology.tiers):
                table[f"category_P({tier.name})"] = cat_probs[:, t]

    remove = _remove_one(methodology, nominal_cfg, groups, nominal_rank)
    sob, unit_sob = None, None
    if sobol:
        sob, unit_sob = _sobol(
            configs,
            exclusions,
            groups,
            spec,
            gen,
            sobol,
            nominal_rank,
            codes,
            sobol_units,
            n_boot,
        )
    return UncertaintyResult(
        methodology=methodology,
        period=base.period,
        table=table,
        shift=pd.Series(shift, name="mean_abs_rank_shift"),
        remove_one=remove,
        samples=n,
        seed=seed,
        spec=spec,
        sobol=sob,
        unit_sobol=unit_sob,
        notes=base.notes,
        ranks=kept,
    )


def _exclusions(methodology: Methodology, spec: UncertaintySpec) -> list[str | None]:
    """None (nothing left out) and every indicator or top-level dimension that can be left out
    (not one whose removal would leave nothing to score)."""
    if spec.exclude == "indicator":
        items = [i.id for i in methodology.scored_indicators]
    elif spec.exclude == "dimension":
        items = [d.id for d in methodology.dimensions]
    else:
        return []
    return [None, *(i for i in items if _removable(methodology, i))]


@functools.cache
def _blas() -> ThreadpoolController:
    """The process's thread pools, found once: looking them up walks every loaded library
    (milliseconds, at every batch otherwise)."""
    return ThreadpoolController()


@dataclass
class _Job:
    configs: list[_Config]
    exclusions: list[str | None]
    groups: list[tuple[str | None, list[str]]]
    spec: UncertaintySpec
    nominal: FloatArray
    cats: np.ndarray | None
    score_tiers: Methodology | None
    keep_ranks: bool

    def draw(self, batch: tuple[int, int, np.random.SeedSequence]) -> _Draw:
        """The weights of a batch's samples, drawn from the batch's own seed."""
        start, stop, seed = batch
        gen = np.random.default_rng(seed)
        k = stop - start
        pick = gen.integers(len(self.configs), size=k)
        drop = (
            gen.integers(len(self.exclusions), size=k)
            if self.exclusions
            else np.zeros(k, dtype=np.int64)
        )
        return _draw(self.configs, pick, drop, self.exclusions, self.groups, self.spec, gen)

    def tally(self, start: int, stop: int, scores: FloatArray, into: _Tally) -> None:
        """Rank the scores of samples ``start:stop`` and add them to ``into``."""
        tallied = rank.tally(
            scores, into.counts, reference=self.nominal, categories=self.cats,
            category_counts=into.cat_counts, keep=into.kept is not None,
        )  # fmt: skip
        if self.score_tiers is not None:
            into.tier_hits += _score_tier_hits(self.score_tiers, scores)
        into.shift[start - into.start : stop - into.start] = tallied.shift
        if into.kept is not None and tallied.ranks is not None:
            into.kept[start - into.start : stop - into.start] = tallied.ranks
        into.done += stop - start

    def part(self, start: int, stop: int) -> _Tally:
        """An empty tally of samples ``start:stop``."""
        tiers = len(self.score_tiers.tiers) if self.score_tiers is not None else 0
        return _Tally(
            start, stop, self.nominal.shape[0], tiers, self.cats is not None, self.keep_ranks
        )

    def __call__(self, batch: tuple[int, int, np.random.SeedSequence]) -> _Tally:
        """A batch on its own (in a worker process or on a Dask worker)."""
        start, stop, _ = batch
        part = self.part(start, stop)
        self.tally(start, stop, _score_rows(self.draw(batch), 0, stop - start), part)
        return part


class _Tally:
    """Rank counts and per-sample results of samples ``start:stop``; parts add up in any
    order."""

    def __init__(
        self, start: int, stop: int, n_units: int, n_tiers: int, cats: bool, keep_ranks: bool
    ) -> None:
        self.start = start
        # column r: rank r (0: unranked); int32 halves the memory traffic of each pass
        self.counts = np.zeros((n_units, n_units + 1), dtype=np.int32)
        self.cat_counts = np.zeros((n_units, n_units + 1), dtype=np.int32) if cats else None
        self.tier_hits = np.zeros((n_units, n_tiers), dtype=np.int64)
        self.shift = np.empty(stop - start)
        self.kept = np.empty((stop - start, n_units)) if keep_ranks else None
        self.done = 0

    def add(self, part: _Tally) -> None:
        self.counts += part.counts
        if self.cat_counts is not None and part.cat_counts is not None:
            self.cat_counts += part.cat_counts
        if part.tier_hits.size:
            self.tier_hits += part.tier_hits
        rows = slice(part.start - self.start, part.start - self.start + len(part.shift))
        self.shift[rows] = part.shift
        if self.kept is not None and part.kept is not None:
            self.kept[rows] = part.kept
        self.done += part.done


_JOB: _Job | None = None  # the job of a worker process, set by its initializer


def _init_worker(job: _Job) -> None:
    global _JOB
    _JOB = job


def _run_in_worker(batch: tuple[int, int, np.random.SeedSequence]) -> _Tally:
    assert _JOB is not None
    return _JOB(batch)


def _run_job(job: _Job, batch: tuple[int, int, np.random.SeedSequence]) -> _Tally:
    return job(batch)


def _map_dask(
    job: _Job, batches: list[tuple[int, int, np.random.SeedSequence]], scheduler: str
) -> Iterator[_Tally]:
    """The parts of every batch, computed on the Dask cluster at ``scheduler``."""
    import importlib

    try:  # typed as Any: distributed ships no type information
        distributed: Any = importlib.import_module("distributed")
    except ImportError as exc:  # pragma: no cover - distributed is a dev dependency
        raise InputError(
            [
                Problem(
                    "uncertainty.no_dask",
                    "使用 --scheduler 需要安装 Dask：pip install 'kaoping[dask]'。",
                    "--scheduler needs Dask: pip install 'kaoping[dask]'.",
                    "scheduler",
                )
            ]
        ) from exc
    try:
        client = distributed.Client(scheduler, timeout="5s", set_as_default=False)
    except OSError as exc:
        raise InputError(
            [
                Problem(
                    "uncertainty.scheduler_unreachable",
                    f"无法连接 Dask 调度器 {scheduler}：{exc}。请检查地址（如 "
                    "tcp://10.0.0.5:8786）和调度器是否已启动。",
                    f"cannot reach the Dask scheduler at {scheduler}: {exc}. Check the "
                    "address (e.g. tcp://10.0.0.5:8786) and that the scheduler is running.",
                    "scheduler",
                )
            ]
        ) from exc
    with client:
        shared = client.scatter(job, broadcast=True)  # the matrices travel once per worker
        futures = [client.submit(_run_job, shared, batch, pure=False) for batch in batches]
        for future in futures:  # in order: the progress bar moves as batches arrive
            yield future.result()


def _run_here(
    job: _Job,
    batches: list[tuple[int, int, np.random.SeedSequence]],
    total: _Tally,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Every batch in this process, tallied straight into ``total``, in chunks of _CHUNK
    samples: a helper thread draws the weights and scores the next chunk (one BLAS thread)
    while numba's threads rank this one (they release the GIL).  The scores go to two small
    buffers in turn (one being ranked, one being filled): fresh memory costs a page fault per
    4 KiB on first touch, and a whole batch of scores would be ~50 MB for 3,000 units."""
    from concurrent.futures import ThreadPoolExecutor

    n = total.shift.shape[0]
    chunks = [
        (b, r0, min(r0 + _CHUNK, stop - start))
        for b, (start, stop, _) in enumerate(batches)
        for r0 in range(0, stop - start, _CHUNK)
    ]
    rows = max(r1 - r0 for _, r0, r1 in chunks)
    buffers = [np.empty((rows, job.nominal.shape[0])) for _ in range(min(2, len(chunks)))]
    draws: dict[int, _Draw] = {}

    def score(c: int) -> FloatArray:
        b, r0, r1 = chunks[c]
        if r0 == 0:
            draws.clear()  # the previous batch's weights are done with
            draws[b] = job.draw(batches[b])
        # One BLAS thread: OpenBLAS's idle threads spin for a while after each product and
        # would take the cores from numba's ranking threads.
        with _blas().limit(limits=1, user_api="blas"):
            return _score_rows(draws[b], r0, r1, buffers[c % 2])

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(score, 0)
        for c, (b, r0, r1) in enumerate(chunks):
            scores = pending.result()
            if c + 1 < len(chunks):
                pending = pool.submit(score, c + 1)
            start = batches[b][0]
            job.tally(start + r0, start + r1, scores, total)
            if progress is not None:
                progress(total.done, n)


def _map(
    job: _Job,
    batches: list[tuple[int, int, np.random.SeedSequence]],
    workers: int,
    scheduler: str | None = None,
) -> Iterator[_Tally]:
    """The parts of every batch, in ``workers`` processes or on a Dask cluster.

    Workers are started with ``spawn`` (a fresh interpreter: numba's thread pool is not safe
    to fork) and receive the job once, through their initializer.
    """
    if scheduler:
        yield from _map_dask(job, batches, scheduler)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(
        max_workers=min(workers, len(batches)),
        mp_context=mp.get_context("spawn"),
        initializer=_init_worker,
        initargs=(job,),
    ) as pool:
        futures = [pool.submit(_run_in_worker, batch) for batch in batches]
        for future in as_completed(futures):
            yield future.result()


@dataclass
class _Draw:
    """A batch's sampled weights: per configuration drawn, the batch rows (ascending) that
    use it, their effective indicator weights (rows, m) and local weights per node (rows,)."""

    k: int
    parts: list[tuple[_Config, np.ndarray, FloatArray, dict[str, FloatArray]]]


def _draw(
    configs: list[_Config],
    pick: np.ndarray,
    drop: np.ndarray,
    exclusions: list[str | None],
    groups: list[tuple[str | None, list[str]]],
    spec: UncertaintySpec,
    gen: np.random.Generator,
) -> _Draw:
    """Each sample's configuration, weights and exclusion, for a batch of ``len(pick)``."""
    parts = []
    for c, cfg in enumerate(configs):
        rows = np.flatnonzero(pick == c)
        if rows.size == 0:
            continue
        sampled = _sample_local(groups, cfg.local, spec, rows.size, gen)
        sampled = {key: np.array(v) for key, v in sampled.items()}
        for e, item in enumerate(exclusions):
            if item is None:
                continue
            hit = np.flatnonzero(drop[rows] == e)
            if hit.size:
                _drop(sampled, groups, hit, item)
        eff, local = _effective(cfg.methodology, sampled, rows.size)
        parts.append((cfg, rows, eff, local))
    return _Draw(len(pick), parts)


def _score_rows(draw: _Draw, r0: int, r1: int, out: FloatArray | None = None) -> FloatArray:
    """Scores (r1 - r0, n) of the batch's samples ``r0:r1``; in the first rows of ``out``
    when given."""
    n_units = draw.parts[0][0].Y.shape[0]
    scores = np.empty((r1 - r0, n_units)) if out is None else out[: r1 - r0]
    for cfg, rows, eff, local in draw.parts:
        lo, hi = (int(i) for i in np.searchsorted(rows, (r0, r1)))
        if lo == hi:
            continue
        part_local = {key: v[lo:hi] for key, v in local.items()}
        if hi - lo == r1 - r0:  # every sample here has this configuration: no scatter
            return _scores(cfg, eff[lo:hi], part_local, out=scores)
        scores[rows[lo:hi] - r0] = _scores(cfg, eff[lo:hi], part_local)
    return scores


@numba.njit(cache=True, parallel=True, nogil=True)
def _quantile_kernel(
    counts: np.ndarray, qs: np.ndarray, samples: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per unit (row of rank counts, column r = rank r, column 0 = unranked; each row sums to
    ``samples``): the rank at each probability of ``qs`` (inverted CDF: the smallest r with
    F(r) >= q) and the mean rank.

    ``qs`` must be in ascending order: one pass up the ranks serves them all, and it stops at
    the unit's worst rank (a row is mostly zeros beyond it).  Units are independent: they are
    shared between the threads."""
    n, width = counts.shape
    out = np.full((n, qs.size), np.nan)
    mean = np.full(n, np.nan)
    for u in numba.prange(n):
        total = samples - counts[u, 0]
        if total <= 0:
            continue
        cum = 0
        weighted = 0.0
        j = 0
        for r in range(1, width):
            c = counts[u, r]
            if c == 0:
                continue
            cum += c
            weighted += r * c
            while j < qs.size and cum >= max(1.0, math.ceil(qs[j] * total - 1e-9)):
                out[u, j] = r
                j += 1
            if cum >= total:
                break
        mean[u] = weighted / total
    return out, mean


def _quantiles(table: pd.DataFrame, counts: np.ndarray, n: int, prefix: str) -> None:
    """Median, p05, p95 (inverted CDF: the smallest rank r with F(r) >= q) and mean rank."""
    qs, mean = _quantile_kernel(counts, np.array([0.05, 0.5, 0.95]), n)  # ascending
    table[f"{prefix}median_rank"] = qs[:, 1]
    table[f"{prefix}p05"] = qs[:, 0]
    table[f"{prefix}p95"] = qs[:, 2]
    table[f"{prefix}mean_rank"] = mean


def _tier_probabilities(methodology: Methodology, counts: np.ndarray, n: int) -> np.ndarray:
    """P(tier) per unit from the rank counts (tiers by rank cut-offs; the last may be open):
    the share of samples whose rank falls between the previous tier's cut-off and this one's."""
    out = np.zeros((counts.shape[0], len(methodology.tiers)))
    width = counts.shape[1] - 1  # ranks 1..width
    below = 0
    for t, tier in enumerate(methodology.tiers):
        upper = width if tier.max_rank is None else min(int(tier.max_rank), width)
        if upper > below:
            out[:, t] = counts[:, below + 1 : upper + 1].sum(axis=1, dtype=np.int64) / n
            below = upper
    return out


def _score_tier_hits(methodology: Methodology, scores: FloatArray) -> np.ndarray:
    """How often each unit lands in each tier when tiers are score thresholds (min_score)."""
    tiers = list(methodology.tiers)
    cut = np.array([t.min_score for t in tiers if t.min_score is not None], dtype=np.float64)
    which = rank.tiers(scores, cut, by="score")
    open_last = tiers[-1].min_score is None
    if open_last:
        which = np.where((which < 0) & ~np.isnan(scores), len(tiers) - 1, which)
    return np.stack([(which == t).sum(axis=0) for t in range(len(tiers))], axis=1)


def _remove_one(
    methodology: Methodology,
    cfg: _Config,
    groups: list[tuple[str | None, list[str]]],
    nominal: FloatArray,
) -> pd.DataFrame:
    items = [(i.id, "indicator", i.name) for i in methodology.scored_indicators]
    items += [(d.id, "dimension", d.name) for d in methodology.dimensions]
    items = [item for item in items if _removable(methodology, item[0])]
    if not items:
        return pd.DataFrame(
            columns=["kind", "name", "mean_abs_rank_change", "max_abs_rank_change"],
            index=pd.Index([], name="id"),
        )
    # one row of weights per left-out item: scored and ranked as one batch
    sampled = {k: np.full(len(items), float(v)) for k, v in cfg.local.items()}
    for r, (ident, _, _) in enumerate(items):
        _drop(sampled, groups, np.array([r]), ident)
    eff, local = _effective(cfg.methodology, sampled, len(items))
    change = np.abs(rank.competition(_scores(cfg, eff, local)) - nominal)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a row without ranks: NaN
        mean_change = np.nanmean(change, axis=1)
        max_change = np.nanmax(change, axis=1)
    rows = [
        {
            "id": ident,
            "kind": kind,
            "name": name,
            "mean_abs_rank_change": float(mean_change[r]),
            "max_abs_rank_change": float(max_change[r]),
        }
        for r, (ident, kind, name) in enumerate(items)
    ]
    return pd.DataFrame(rows).set_index("id")


def _sobol(
    configs: list[_Config],
    exclusions: list[str | None],
    groups: list[tuple[str | None, list[str]]],
    spec: UncertaintySpec,
    gen: np.random.Generator,
    n_base: int,
    nominal: FloatArray,
    codes: list[str],
    sobol_units: Sequence[str],
    n_boot: int,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """First and total indices of the mean absolute rank shift (and of named units' ranks).

    Every uncertain input is one coordinate u in [0, 1) of the Saltelli design: the weights
    coordinate picks one of ``n_base`` pre-drawn weight samples, a discrete input picks one of
    its alternatives (the JRC/COINr treatment of grouped inputs).
    """
    names = spec.varied
    k = len(names)
    A, B, AB = saltelli(n_base, k, gen)
    keys = [c.key for c in configs]
    norms = sorted({key[0] for key in keys}, key=[kk[0] for kk in keys].index)
    aggs = sorted({key[1] for key in keys}, key=[kk[1] for kk in keys].index)
    imps = sorted({key[2] for key in keys}, key=[kk[2] for kk in keys].index)
    treats = sorted({key[3] for key in keys}, key=[kk[3] for kk in keys].index)
    # one stream for every configuration's pool: configurations with the same nominal weights
    # get the same weight samples, so that a discrete input does not also redraw the weights
    pool_seed = int(gen.integers(2**63))
    pools = {
        id(cfg): {
            key: np.array(v)
            for key, v in _sample_local(
                groups, cfg.local, spec, n_base, np.random.default_rng(pool_seed)
            ).items()
        }
        for cfg in configs
    }
    by_key = {cfg.key: cfg for cfg in configs}
    unit_idx = [codes.index(u) for u in sobol_units]

    def evaluate(U: FloatArray) -> tuple[FloatArray, FloatArray]:
        out_shift = np.empty(U.shape[0])
        out_units = np.empty((U.shape[0], len(unit_idx)))
        col = {name: j for j, name in enumerate(names)}

        def choose(name: str, options: list[Any], default: Any) -> np.ndarray:
            if name not in col:
                return np.array([default] * U.shape[0], dtype=object)
            idx = np.minimum((U[:, col[name]] * len(options)).astype(int), len(options) - 1)
            return np.asarray(np.array(options, dtype=object)[idx])

        cn = choose("normalization", norms, norms[0])
        ca = choose("aggregation", aggs, aggs[0])
        ci = choose("imputation", imps, imps[0])
        ct = choose("outliers", treats, treats[0])
        ex = choose("exclude", exclusions, None) if exclusions else np.array([None] * U.shape[0])
        wi = (
            np.minimum((U[:, col["weights"]] * n_base).astype(int), n_base - 1)
            if "weights" in col
            else np.zeros(U.shape[0], dtype=int)
        )
        for key in set(zip(cn, ca, ci, ct, strict=True)):
            cfg = by_key[cast(tuple[str, str, str, bool], key)]
            rows = np.flatnonzero((cn == key[0]) & (ca == key[1]) & (ci == key[2]) & (ct == key[3]))
            for start in range(0, rows.size, _BATCH):
                part = rows[start : start + _BATCH]
                sampled = {kk: v[wi[part]] for kk, v in pools[id(cfg)].items()}
                for item in {x for x in ex[part] if x is not None}:
                    _drop(sampled, groups, np.flatnonzero(ex[part] == item), item)
                eff, local = _effective(cfg.methodology, sampled, part.size)
                ranks = rank.competition(_scores(cfg, eff, local))
                out_shift[part] = np.nanmean(np.abs(ranks - nominal), axis=1)
                out_units[part] = ranks[:, unit_idx]
        return out_shift, out_units

    yA, uA = evaluate(A)
    yB, uB = evaluate(B)
    pairs = [evaluate(AB[i]) for i in range(k)]
    yAB = np.stack([p[0] for p in pairs])
    res = jansen(yA, yB, yAB, n_boot=n_boot, rng=gen)
    table = pd.DataFrame(
        {
            "first": res.first,
            "total": res.total,
            "first_low": res.first_ci[:, 0] if res.first_ci is not None else np.nan,
            "first_high": res.first_ci[:, 1] if res.first_ci is not None else np.nan,
            "total_low": res.total_ci[:, 0] if res.total_ci is not None else np.nan,
            "total_high": res.total_ci[:, 1] if res.total_ci is not None else np.nan,
        },
        index=pd.Index(names, name="input"),
    )
    unit_table = None
    if unit_idx:
        uAB = np.stack([p[1] for p in pairs])
        ures = jansen(uA, uB, uAB)
        records = []
        for j, u in enumerate(sobol_units):
            for i, name in enumerate(names):
                records.append(
                    {
                        "unit": u,
                        "input": name,
                        "first": float(ures.first[i, j]),
                        "total": float(ures.total[i, j]),
                    }
                )
        unit_table = pd.DataFrame(records).set_index(["unit", "input"])
    return table, unit_table
