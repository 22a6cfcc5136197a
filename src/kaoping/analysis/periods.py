"""An assessment over every period of a panel, and its scores as one units x periods frame.

The researcher's analyses of change (inequality over the years, kernel density, Markov
transitions, convergence, Moran's I per year) all start from the same table: the index (or a
dimension's score) of each unit in each period, under one methodology.  :func:`assess_periods`
assesses the periods one by one with the real pipeline; :func:`score_frame` lays the scores side
by side.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from kaoping.errors import InputError, KaopingWarning, Problem

if TYPE_CHECKING:
    from kaoping.assess import Result
    from kaoping.data import Panel, Units
    from kaoping.methodology import Methodology

__all__ = ["assess_periods", "score_frame"]


def assess_periods(
    methodology: Methodology,
    panel: Panel,
    periods: Sequence[str | int] | None = None,
    *,
    units: Units | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Result]:
    """Assess ``panel`` in each of ``periods`` (default: all of them) under ``methodology``.

    Each period is assessed on its own, as :func:`kaoping.assess.assess` does it: objective
    weights and normalisation bounds are those of that period.  The methodology's warnings
    (constant columns, imputations) stay on each result's ``notes``.

    Parameters
    ----------
    methodology, panel, units
        As for :func:`kaoping.assess.assess`; an official methodology is refused (the
        analyses read the academic path's normalised values and dimension scores).
    periods : sequence of str, optional
        The periods to assess, in any order; the result is in the panel's period order.
    progress : callable, optional
        Called as ``progress(done, total)`` after each period.

    Returns
    -------
    dict
        Period -> :class:`~kaoping.assess.Result`, in period order.

    Raises
    ------
    InputError
        An official methodology, a period the panel does not have (all of them named), or the
        assessment's own problems, each prefixed with its period.
    """
    from kaoping.assess import assess

    if methodology.is_official:
        raise InputError(
            [
                Problem(
                    "analysis.official_methodology",
                    f"考核办法 {methodology.id} 为官方赋分办法：研究分析需要学术路径（标准化、"
                    "权重与合成），请选用学术考核办法（如 county_hqd）。",
                    f"methodology {methodology.id} is an official (points) methodology: the "
                    "analyses need the academic path (normalisation, weights, aggregation); "
                    "choose an academic one such as county_hqd.",
                    "-m/--methodology",
                )
            ]
        )
    chosen = _choose(panel, periods)
    out: dict[str, Result] = {}
    problems: list[Problem] = []
    for done, period in enumerate(chosen, start=1):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", KaopingWarning)
                out[period] = assess(methodology, panel, period, units=units)
        except InputError as exc:
            problems.extend(
                Problem(
                    p.code,
                    f"{period}：{p.zh}",
                    f"{period}: {p.en}",
                    p.where,
                )
                for p in exc.problems
            )
        if progress is not None:
            progress(done, len(chosen))
    if problems:
        raise InputError(problems)
    return out


def _choose(panel: Panel, periods: Sequence[str | int] | None) -> list[str]:
    available = list(panel.periods)
    if periods is None:
        return available
    wanted = {str(p).strip() for p in periods}
    unknown = sorted(wanted.difference(available))
    if unknown:
        raise InputError(
            [
                Problem(
                    "analysis.unknown_period",
                    f"数据中没有时期 {p}；可选：{'、'.join(available)}。",
                    f"the data has no period {p}; available: {', '.join(available)}.",
                    "--periods",
                )
                for p in unknown
            ]
        )
    return [p for p in available if p in wanted]


def score_frame(results: Mapping[str, Result], node: str = "score") -> pd.DataFrame:
    """The score of every unit in every period: units (rows) x periods (columns).

    Parameters
    ----------
    results : mapping
        Period -> Result, as :func:`assess_periods` returns.
    node : str
        ``"score"`` (the index) or the id of a dimension of any level.

    Returns
    -------
    DataFrame
        Index: unit code (the union over the periods, sorted); columns: the periods in the
        mapping's order; a unit absent from a period is NaN there.

    Raises
    ------
    InputError
        ``node`` is neither ``score`` nor a dimension of the methodology (the choices are
        named).

    Examples
    --------
    >>> from kaoping.data.bundled import demo_panel, henan_units
    >>> from kaoping.methodology import load
    >>> m = load("county_hqd")
    >>> units = henan_units()
    >>> panel = demo_panel(m.name_to_id(), units)
    >>> frame = score_frame(assess_periods(m, panel, ["2023", "2024"], units=units))
    >>> frame.shape
    (102, 2)
    """
    columns: dict[str, pd.Series] = {}
    for period, result in results.items():
        if node not in result.table.columns or node in ("name", "category", "tier"):
            choices = ["score", *result.dimension_ids]
            raise InputError(
                [
                    Problem(
                        "analysis.unknown_node",
                        f"“{node}”既不是 score（综合得分），也不是考核办法 {result.methodology.id} "
                        f"的维度；可选：{'、'.join(choices)}。",
                        f"{node!r} is neither 'score' (the index) nor a dimension of "
                        f"{result.methodology.id}; choose one of: {', '.join(choices)}.",
                        "--node",
                    )
                ]
            )
        columns[str(period)] = pd.to_numeric(result.table[node], errors="coerce").astype(float)
    frame = pd.DataFrame(columns)
    frame.index = frame.index.astype(str)
    frame.index.name = "unit"
    frame.columns.name = "period"
    return frame.sort_index()
