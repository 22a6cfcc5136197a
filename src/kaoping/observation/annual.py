r"""After the events: the 回头看 (a later review of an earlier quarter), the annual composite of
the year's events, and the county's annual score from indicators and observation.

- :func:`look_back`: :math:`a_u = (1 - s)\,o_u + s\,r_u` for a reviewed unit (``share``
  :math:`s`), :math:`a_u = o_u` for the others;
- :func:`composite`: :math:`c_u = \sum_e v_e x_{eu} / \sum_e v_e` over the events :math:`e`
  that unit :math:`u` took part in (weights :math:`v_e`), ranked within the unit's group;
- :func:`combine`: :math:`(p\,I_u + q\,O_u)/100` with the shares :math:`p + q = 100`
  (indicators 80 % + observation 20 % by default).

References
----------
Jiaozuo publishes the quarter's results, the 「回头看」 of earlier quarters and the annual
composite separately (``shared/research/domain.md`` §4.6); 临沂's county assessment combines
"指标考核 80% + 观摩点评 20%" (§2.1; ``shared/METHODS.md``, "Components").  How a 回头看 enters
the result was not found published: ``share`` is the event's setting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from kaoping.errors import InputError, Problem
from kaoping.methods.rank import within

__all__ = ["combine", "composite", "look_back"]


def _share_problem(name: str, value: float, low: float, high: float) -> Problem | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        return Problem(
            f"observation.bad_{name}",
            f"{name} 须在 {low:g} 到 {high:g} 之间，收到 {value!r}。",
            f"{name} must be within {low:g}..{high:g}; got {value!r}.",
            name,
        )
    return None


def look_back(original: pd.Series, review: pd.Series, share: float = 0.5) -> pd.Series:
    """The 回头看: a unit's result adjusted by the review of a later visit.

    Parameters
    ----------
    original : pandas.Series
        The event's totals by unit.
    review : pandas.Series
        The review's totals of the units reviewed (NaN or absent: not reviewed).
    share : float, default 0.5
        The review's share of the adjusted result, in 0..1.

    Returns
    -------
    pandas.Series
        The adjusted totals, indexed as ``original``.

    Raises
    ------
    kaoping.errors.InputError
        ``share`` outside 0..1 (``observation.bad_share``), a reviewed unit not in
        ``original`` (``observation.unknown_unit``).

    Examples
    --------
    Unit A reviewed at 90 after 80: 0.5 * 80 + 0.5 * 90 = 85; B not reviewed stays 70.

    >>> look_back(pd.Series({"A": 80.0, "B": 70.0}), pd.Series({"A": 90.0})).tolist()
    [85.0, 70.0]
    """
    problems = [p for p in [_share_problem("share", share, 0.0, 1.0)] if p]
    reviewed = review.dropna()
    for unit in reviewed.index.difference(original.index):
        problems.append(
            Problem(
                "observation.unknown_unit",
                f"回头看的单位 {unit} 不在原结果中。请核对单位代码。",
                f"the reviewed unit {unit} is not in the original results; check the code.",
                str(unit),
            )
        )
    if problems:
        raise InputError(problems)
    out = original.astype("float64").copy()
    at = reviewed.index
    out[at] = (1 - share) * out[at] + share * reviewed.astype("float64")
    return out


def composite(
    scores: Mapping[str, pd.Series],
    weights: Mapping[str, float],
    groups: Mapping[str, Sequence[str]],
) -> pd.DataFrame:
    """The annual composite of the year's events (年度综合): per unit the weighted mean of its
    events' totals, ranked within its group.

    Parameters
    ----------
    scores : Mapping[str, pandas.Series]
        Event code -> its totals by unit, each on 0..100.
    weights : Mapping[str, float]
        Event code -> its weight (non-negative, some positive), one per event of ``scores``.
    groups : Mapping[str, Sequence[str]]
        Group name -> unit codes.

    Returns
    -------
    pandas.DataFrame
        Indexed by unit (the units of ``groups``): ``score`` (the weighted mean over the events
        the unit has a total in, the weights of those events rescaled to sum to one), ``group``,
        ``rank`` (within the group; NaN without any event), ``events`` (how many events).

    Raises
    ------
    kaoping.errors.InputError
        An event without a weight or a weight without an event, a negative weight, no positive
        weight, a total outside 0..100.

    Examples
    --------
    Q1 80 and Q2 90 with weights 1 and 3: (80 + 3 * 90) / 4 = 87.5.

    >>> composite({"Q1": pd.Series({"A": 80.0}), "Q2": pd.Series({"A": 90.0})},
    ...           {"Q1": 1, "Q2": 3}, {"组": ["A"]})["score"].tolist()
    [87.5]
    """
    problems: list[Problem] = []
    for event in scores:
        if event not in weights:
            problems.append(
                Problem(
                    "observation.no_weight",
                    f"观摩活动 {event} 没有权重。请为每次活动给出权重。",
                    f"event {event} has no weight; give every event a weight.",
                    f"weights[{event}]",
                )
            )
    for event, w in weights.items():
        if event not in scores:
            problems.append(
                Problem(
                    "observation.unknown_event",
                    f"权重中的观摩活动 {event} 没有结果。请核对活动代码。",
                    f"event {event} has a weight but no results; check the code.",
                    f"weights[{event}]",
                )
            )
        elif isinstance(w, bool) or not isinstance(w, int | float) or not 0 <= w < math.inf:
            problems.append(
                Problem(
                    "observation.bad_weight",
                    f"观摩活动 {event} 的权重须为非负数，收到 {w!r}。",
                    f"the weight of event {event} must be a non-negative number; got {w!r}.",
                    f"weights[{event}]",
                )
            )
    if not problems and not any(weights[e] > 0 for e in scores):
        problems.append(
            Problem(
                "observation.no_weight",
                "所有观摩活动的权重都为 0。请至少给一次活动正的权重。",
                "every event's weight is 0; give at least one event a positive weight.",
                "weights",
            )
        )
    for event, series in scores.items():
        bad = series[(series < 0) | (series > 100)]
        for unit, value in bad.items():
            problems.append(
                Problem(
                    "observation.out_of_range",
                    f"观摩活动 {event} 中单位 {unit} 的得分 {value:g} 不在 0 到 100 之间。"
                    "请把各次活动的得分换算到百分制。",
                    f"the total {value:g} of unit {unit} in event {event} is outside 0..100; "
                    "put every event's totals on 0..100.",
                    f"{event}/{unit}",
                )
            )
    if problems:
        raise InputError(problems)
    units = [str(u) for members in groups.values() for u in members]
    group_of = {str(u): str(g) for g, members in groups.items() for u in members}
    events = list(scores)
    x = np.column_stack(
        [scores[e].astype("float64").reindex(units).to_numpy() for e in events]
    ).reshape(len(units), len(events))
    v = np.array([float(weights[e]) for e in events])
    has = ~np.isnan(x)
    wsum = (has * v).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(wsum > 0, np.nansum(x * v, axis=1) / np.where(wsum > 0, wsum, 1), np.nan)
    out = pd.DataFrame({"score": score}, index=pd.Index(units, name="unit"))
    out["group"] = [group_of[u] for u in units]
    out["rank"] = within(score, out["group"].to_list())
    out["events"] = has.sum(axis=1)
    return out


def combine(
    indicators: pd.Series,
    observation: pd.Series,
    indicator_share: float = 80.0,
    observation_share: float = 20.0,
) -> pd.Series:
    """The annual score from the indicator assessment and the observation composite.

    .. math::

        C_u = \\frac{p\\,I_u + q\\,O_u}{100}, \\qquad p + q = 100

    Parameters
    ----------
    indicators, observation : pandas.Series
        Each unit's indicator score and observation composite, both on 0..100, the same units.
    indicator_share, observation_share : float
        The shares in percent, non-negative, summing to 100.

    Returns
    -------
    pandas.Series
        ``composite`` by unit, in the order of ``indicators``.

    Raises
    ------
    kaoping.errors.InputError
        Shares negative or not summing to 100, a unit in one series only or without a value.

    Examples
    --------
    80 % of 90 + 20 % of 70 = 72 + 14 = 86.

    >>> combine(pd.Series({"A": 90.0}), pd.Series({"A": 70.0})).tolist()
    [86.0]
    """
    problems = [
        p
        for p in (
            _share_problem("indicator_share", indicator_share, 0.0, 100.0),
            _share_problem("observation_share", observation_share, 0.0, 100.0),
        )
        if p
    ]
    if not problems and not math.isclose(indicator_share + observation_share, 100.0):
        problems.append(
            Problem(
                "observation.bad_shares",
                f"指标考核与观摩评比的占比之和须为 100，收到 {indicator_share:g} + "
                f"{observation_share:g}。",
                f"the indicator and observation shares must sum to 100; got "
                f"{indicator_share:g} + {observation_share:g}.",
                "indicator_share",
            )
        )
    ind, obs = indicators.dropna(), observation.dropna()
    for unit in indicators.index[~indicators.index.isin(obs.index)]:
        problems.append(
            Problem(
                "observation.no_observation",
                f"单位 {unit} 有指标考核得分，但没有观摩评比得分。请补齐，或不把该单位纳入合成。",
                f"unit {unit} has an indicator score but no observation score; add it, or "
                "leave the unit out.",
                str(unit),
            )
        )
    for unit in observation.index[~observation.index.isin(ind.index)]:
        problems.append(
            Problem(
                "observation.no_indicators",
                f"单位 {unit} 有观摩评比得分，但没有指标考核得分。请补齐，或不把该单位纳入合成。",
                f"unit {unit} has an observation score but no indicator score; add it, or "
                "leave the unit out.",
                str(unit),
            )
        )
    if problems:
        raise InputError(problems)
    obs = observation.astype("float64").reindex(indicators.index)
    out = (indicator_share * indicators.astype("float64") + observation_share * obs) / 100.0
    out.name = "composite"
    return out
