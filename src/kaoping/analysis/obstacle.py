r"""Obstacle degree (障碍度) of an assessment: which indicators hold each county back.

For every unit and scored indicator, the indicator's weighted shortfall from the best value as
a share of the unit's total weighted shortfall,

.. math:: O_{ij} = \frac{F_j (1 - y_{ij})}{\sum_l F_l (1 - y_{il})},

with :math:`F_j` the indicator's effective weight (``result.weights.effective_weight``) and
:math:`y_{ij}` its normalised value on [0, 1] (``result.normalized`` rescaled from the
normalisation's range); a dimension's obstacle degree is the sum over its indicators.  The
kernel and its conventions are in :mod:`kaoping.methods.obstacle`.

Choices made here, and why:

* **Normalisation.**  The deviation :math:`1 - y` needs y on [0, 1] with 1 the best.  Min-max,
  goalposts and dist2max values are rescaled from their ``range`` (``[0, 100]`` in the bundled
  methodologies) by :math:`(v - lo)/(hi - lo)`; percentile ranks and x/max values are on [0, 1]
  already, and so are completion rates capped at 1 or less.  Z-scores, vector normalisation and
  uncapped completion rates have no best value of 1: :func:`obstacles` refuses them and says
  so.
* **Missing values** (``missing: skip``): an indicator without a value for a unit is skipped
  for that unit -- its degree is NaN, and the unit's other degrees are shares of its total over
  the indicators it has, so they still sum to 1 (as the assessment rescales the unit's weights
  over the figures it has).  Imputed values count like given ones.
* **No deviation.**  A unit that is the best on every indicator that carries weight has nothing
  holding it back: its degrees are 0, not 0/0, and :attr:`Obstacles.no_deviation` names it;
  :meth:`Obstacles.top` lists nothing for it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kaoping.errors import InputError, Problem
from kaoping.methods import obstacle as kernel

if TYPE_CHECKING:
    from kaoping.assess import Result
    from kaoping.methodology import Methodology

__all__ = ["Obstacles", "obstacles"]

_SLACK = 1e-9  # rescaled values this far outside [0, 1] are rounding (100.00000000000001)


@dataclass(frozen=True, eq=False)
class Obstacles:
    """The obstacle degrees of one assessment.

    Attributes
    ----------
    period : str
        The period assessed.
    indicators : DataFrame
        Units (index, unit code) x scored indicators (tree order): :math:`O_{ij}`, summing to 1
        per unit (0 for a unit without deviation; NaN where a value was skipped).
    dimensions : DataFrame
        Units x top-level dimensions: the sums over each dimension's indicators (sum to 1).
    levels : DataFrame
        Units x every dimension of every level (tree order): the sums over the indicators
        below each.
    normalized : DataFrame
        Units x indicators: the normalised values :math:`y_{ij}` on [0, 1] that were used.
    deviation : DataFrame
        Units x indicators: :math:`1 - y_{ij}`.
    info : DataFrame
        Per indicator (index): ``name``, ``dimension`` (the top-level dimension), ``group`` (the
        dimension holding it), ``weight`` (the effective weight :math:`F_j`).
    names : Series
        Unit code -> name.
    no_deviation : tuple of str
        Units with no weighted deviation at all (degrees 0).
    """

    period: str
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    levels: pd.DataFrame
    normalized: pd.DataFrame
    deviation: pd.DataFrame
    info: pd.DataFrame
    names: pd.Series
    no_deviation: tuple[str, ...]

    def top(self, n: int = 3) -> pd.DataFrame:
        """Each unit's ``n`` largest obstacles (主要障碍因子).

        Ties keep the methodology's order of indicators; indicators with degree 0 (no
        shortfall, or no weight) are never listed, so a unit may have fewer than ``n`` rows and
        a unit in :attr:`no_deviation` has none.

        Returns
        -------
        DataFrame
            Columns ``unit``, ``name``, ``rank`` (1 … n), ``indicator``, ``indicator_name``,
            ``dimension`` (top-level), ``degree``; by unit (table order), then rank.

        Raises
        ------
        ValueError
            ``n`` not a whole number >= 1.
        """
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"n must be a whole number >= 1 (how many obstacles); got {n!r}.")
        degrees = self.indicators.to_numpy(dtype=np.float64)
        ids = list(self.indicators.columns)
        # descending degree, ties in tree order (a stable sort of the negated degrees); NaN last
        key = np.where(np.isnan(degrees), np.inf, -degrees)
        order = np.argsort(key, axis=1, kind="stable")
        rows = []
        for i, unit in enumerate(self.indicators.index):
            for rank, j in enumerate(order[i, : int(n)], start=1):
                value = degrees[i, j]
                if not value > 0:
                    break
                ind = ids[j]
                rows.append(
                    {
                        "unit": unit,
                        "name": self.names.get(unit, unit),
                        "rank": rank,
                        "indicator": ind,
                        "indicator_name": self.info.at[ind, "name"],
                        "dimension": self.info.at[ind, "dimension"],
                        "degree": float(value),
                    }
                )
        columns = ["unit", "name", "rank", "indicator", "indicator_name", "dimension", "degree"]
        return pd.DataFrame(rows, columns=columns)

    def unit(self, code: str) -> pd.DataFrame:
        """One unit's obstacle degree of every indicator, largest first.

        Returns
        -------
        DataFrame
            Index: indicator id; columns ``indicator_name``, ``dimension``, ``weight``, ``value``
            (normalised, on [0, 1]), ``deviation``, ``degree``, ``rank`` (1 = the largest; empty
            where the value was skipped or the degree is 0).

        Raises
        ------
        InputError
            A unit code that is not in the assessment (the closest codes are suggested).
        """
        code = str(code).strip()
        if code not in self.indicators.index:
            close = _close_codes(code, [str(c) for c in self.indicators.index])
            hint_zh = f"是否想用 {'、'.join(close)}？" if close else ""
            hint_en = f" Did you mean {', '.join(close)}?" if close else ""
            raise InputError(
                [
                    Problem(
                        "analysis.unknown_unit",
                        f"时期 {self.period} 的评价中没有单位 {code}。{hint_zh}",
                        f"unit {code} is not in the assessment of {self.period}.{hint_en}",
                        "unit",
                    )
                ]
            )
        degree = self.indicators.loc[code]
        out = pd.DataFrame(
            {
                "indicator_name": self.info["name"],
                "dimension": self.info["dimension"],
                "weight": self.info["weight"],
                "value": self.normalized.loc[code],
                "deviation": self.deviation.loc[code],
                "degree": degree,
            }
        )
        out.index.name = "indicator"
        out = out.iloc[np.argsort(np.where(degree.isna(), np.inf, -degree), kind="stable")]
        positive = (out["degree"] > 0).to_numpy()
        ranks = np.cumsum(positive)
        out["rank"] = pd.array(
            [int(r) if p else None for r, p in zip(ranks, positive, strict=True)], dtype="Int64"
        )
        return out


def obstacles(result: Result) -> Obstacles:
    """Obstacle degrees of every unit, indicator and dimension of an assessment.

    Parameters
    ----------
    result : Result
        An academic assessment (:func:`kaoping.assess.assess`) whose normalisation lies on a
        known [lo, hi] with the best value at hi (min-max, goalposts, dist2max, percentile rank,
        x/max, completion capped at 1 or less).

    Returns
    -------
    Obstacles
        Degrees per indicator, per top-level dimension and per dimension of every level, with
        the values, deviations and weights used; :meth:`Obstacles.top` and
        :meth:`Obstacles.unit` for the tables a report shows.

    Raises
    ------
    InputError
        An official (points) result; a normalisation without a [0, 1] form (z-scores, vector,
        uncapped completion); a normalised value outside the normalisation's range.

    References
    ----------
    The obstacle-degree model (障碍度模型); ``shared/METHODS.md``, "The researcher's
    analyses".  See :func:`kaoping.methods.obstacle.degree`.

    Examples
    --------
    >>> from kaoping.assess import assess
    >>> from kaoping.data.bundled import demo_panel, henan_units
    >>> from kaoping.methodology import load
    >>> m = load("county_hqd")
    >>> units = henan_units()
    >>> obs = obstacles(assess(m, demo_panel(m.name_to_id(), units), 2024, units=units))
    >>> bool(np.allclose(obs.indicators.sum(axis=1), 1.0)), list(obs.top(3).columns)[:4]
    (True, ['unit', 'name', 'rank', 'indicator'])
    """
    from kaoping.assess import Result

    if not isinstance(result, Result):
        raise InputError(
            [
                Problem(
                    "analysis.not_academic",
                    "障碍度需要学术路径评价结果的标准化值与权重；官方赋分结果没有这两项，请选用学术"
                    "考核办法（如 county_hqd）。",
                    "obstacle degrees need the normalised values and weights of an academic "
                    "assessment, which an official (points) result does not have; choose an "
                    "academic methodology such as county_hqd.",
                    "result",
                )
            ]
        )
    methodology = result.methodology
    Y = _unit_interval(result)
    ids = [str(c) for c in Y.columns]
    weights = pd.to_numeric(result.weights["effective_weight"].reindex(ids)).to_numpy(float)
    res = kernel.degree(Y.to_numpy(dtype=np.float64), weights)
    units = Y.index

    top_of: dict[str, str] = {}
    for top in methodology.dimensions:
        for ind in top.scored_below:
            top_of[ind.id] = top.id
    tops = [d.id for d in methodology.dimensions]
    groups = np.array([tops.index(top_of[i]) for i in ids], dtype=np.int64)
    dims = kernel.by_group(res.degrees, groups, len(tops))

    levels: dict[str, np.ndarray] = {}
    for node in methodology.nodes():  # a unit's degrees of one level's dimensions sum to 1
        below = {ind.id for ind in node.scored_below}
        member = np.array([0 if i in below else -1 for i in ids], dtype=np.int64)
        levels[node.id] = kernel.by_group(res.degrees, member, 1)[:, 0]

    info = pd.DataFrame(
        {
            "name": [methodology.indicator(i).name for i in ids],
            "dimension": [top_of[i] for i in ids],
            "group": [_group(methodology, i) for i in ids],
            "weight": weights,
        },
        index=pd.Index(ids, name="indicator"),
    )
    frame = pd.DataFrame(res.degrees, index=units, columns=Y.columns)
    return Obstacles(
        period=str(result.period),
        indicators=frame,
        dimensions=pd.DataFrame(dims, index=units, columns=pd.Index(tops, name="dimension")),
        levels=pd.DataFrame(levels, index=units),
        normalized=Y,
        deviation=pd.DataFrame(res.deviation, index=units, columns=Y.columns),
        info=info,
        names=result.table["name"].reindex(units),
        no_deviation=tuple(str(u) for u in units[res.no_deviation]),
    )


def _close_codes(code: str, known: list[str], n: int = 3) -> list[str]:
    """The known codes nearest ``code``: the longest common prefix first (codes are
    hierarchical: 410123 is next to 410122), then the closest spelling."""

    def prefix(other: str) -> int:
        k = 0
        while k < min(len(code), len(other)) and code[k] == other[k]:
            k += 1
        return k

    ratio = {c: difflib.SequenceMatcher(None, code, c).ratio() for c in known}
    ranked = sorted(known, key=lambda c: (-prefix(c), -ratio[c], c))
    return [c for c in ranked[:n] if prefix(c) > 0 or ratio[c] >= 0.6]


def _group(methodology: Methodology, indicator: str) -> str | None:
    parent = methodology.parent_of(indicator)
    return None if parent is None else str(parent.id)


def _unit_interval(result: Result) -> pd.DataFrame:
    """``result.normalized`` on [0, 1] with 1 the best, or the reason it cannot be."""
    from kaoping.methodology import RANGE_METHODS

    spec = result.methodology.normalization
    method = spec.method
    values = result.normalized.astype(float)
    params: dict[str, object] = dict(spec.params or {})
    cap = params.get("cap")
    if method in RANGE_METHODS:
        lo, hi = (float(v) for v in spec.range)
        Y = (values - lo) / (hi - lo)
        span = f"[{lo:g}, {hi:g}]"
    elif method in ("rank", "fracmax") or (
        method == "target" and isinstance(cap, int | float) and float(cap) <= 1.0
    ):
        Y = values
        span = "[0, 1]"
    else:
        why_zh = {
            "zscore": "Z 分数没有上下界，也没有“最优值为 1”",
            "vector": "向量归一化的值不以 1 为最优",
            "target": "未设上限（cap）的目标完成率可以超过 1",
        }.get(method, f"{method} 的值不在 [0, 1] 之内")
        why_en = {
            "zscore": "z-scores have no bounds and no best value of 1",
            "vector": "vector-normalised values do not have 1 as the best",
            "target": "completion rates without a cap can exceed 1",
        }.get(method, f"{method} values are not on [0, 1]")
        raise InputError(
            [
                Problem(
                    "analysis.obstacle_normalization",
                    f"障碍度需要 [0, 1] 之间、以 1 为最优的标准化值（偏离度 = 1 − y），而考核办法 "
                    f"{result.methodology.id} 用 {method} 标准化：{why_zh}。请改用极差标准化"
                    "（minmax）、阈值法（goalposts）、百分位排名（rank）或 cap ≤ 1 的目标完成率。",
                    f"obstacle degrees need normalised values on [0, 1] with 1 the best (deviation "
                    f"= 1 - y), but methodology {result.methodology.id} normalises with {method}: "
                    f"{why_en}. Use min-max, goalposts, percentile rank, or completion rates "
                    "capped at 1 or less.",
                    "normalization",
                )
            ]
        )
    arr = Y.to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore"):
        outside = ~np.isnan(arr) & ((arr < -_SLACK) | (arr > 1.0 + _SLACK))
    if outside.any():
        raw = values.to_numpy(dtype=np.float64)
        problems = []
        for i, j in np.argwhere(outside).tolist():
            unit, ind, v = str(Y.index[i]), str(Y.columns[j]), float(raw[i, j])
            problems.append(
                Problem(
                    "analysis.obstacle_out_of_range",
                    f"单位 {unit} 的指标 {ind} 标准化值为 {v:.6g}，超出 {method} 标准化的范围 "
                    f"{span}，无法计算偏离度：请检查考核办法的标准化设置。",
                    f"the normalised value of unit {unit} in indicator {ind} is {v:.6g}, "
                    f"outside the {span} of its {method} normalisation, so its deviation is "
                    "undefined; check the methodology's normalisation.",
                    f"{unit}/{ind}",
                )
            )
        raise InputError(problems)
    Y = Y.clip(0.0, 1.0)
    Y.index = Y.index.astype(str)
    Y.index.name = "unit"
    return Y
