"""Imputation of missing values in a units x indicators matrix, every imputed cell reported.

The methodology chooses how missing values are handled (``missing: mean | median |
category_mean | carry_forward | skip``); ``skip`` leaves them missing for the aggregation to
skip.  An imputed value is never silent: :func:`impute` returns one :class:`Imputation` per
cell it filled (or tried to fill), which the assessment shows next to the result.

References
----------
OECD and JRC (2008), *Handbook on Constructing Composite Indicators: Methodology and User
Guide*, Part I, Step 3 "Imputation of missing data", and Part II, Section 1.1 (single
imputation: unconditional mean and median substitution).

Becker, W. et al. (2022), "COINr: An R package for developing composite indicators",
*Journal of Open Source Software* 7(78), 4567, doi:10.21105/joss.04567 — functions ``i_mean``,
``i_median``, ``i_mean_grp`` (group mean) and ``impute_panel(imp_type = "latest")`` (the
latest available observation), the conventions followed here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from kaoping.data._parse import period_sort_key
from kaoping.data.panel import Panel
from kaoping.errors import get_language

__all__ = ["IMPUTATION_METHODS", "Imputation", "impute"]

IMPUTATION_METHODS: Final[tuple[str, ...]] = (
    "mean",
    "median",
    "category_mean",
    "carry_forward",
    "skip",
)


@dataclass(frozen=True)
class Imputation:
    """One missing cell and the value put in it.

    Parameters
    ----------
    unit, indicator : str
        The cell.
    period : str or None
        The period being assessed, when the caller passed it to :func:`impute`.
    value : float
        The imputed value; NaN when nothing could be imputed (the cell stays missing).
    method : str
        The method asked for.
    note : str
        How the value was obtained, in English (e.g. ``"mean of 4 units"``,
        ``"carried forward from 2023 (data.xlsx!Sheet1!D5)"``).
    note_zh : str
        The same in Chinese.
    """

    unit: str
    indicator: str
    period: str | None
    value: float
    method: str
    note: str
    note_zh: str = ""

    @property
    def imputed(self) -> bool:
        """Whether a value was found (``False``: the cell is still missing)."""
        return not np.isnan(self.value)

    def message(self, lang: str | None = None) -> str:
        """The note in ``lang`` (default: the current language)."""
        zh = (lang or get_language()) != "en"
        return self.note_zh if zh and self.note_zh else self.note


_Filler = Callable[[int, int], Imputation]
"""(row, column) position of a missing cell -> its Imputation."""


def impute(
    matrix: pd.DataFrame,
    method: str,
    *,
    categories: pd.Series | None = None,
    history: Panel | pd.DataFrame | None = None,
    period: str | None = None,
) -> tuple[pd.DataFrame, list[Imputation]]:
    r"""Fill the missing cells of a units x indicators matrix.

    With :math:`O_j` the units that have a value of indicator :math:`j` and :math:`x_{ij}` a
    missing cell:

    .. math::

        \text{mean:}\quad \hat x_{ij} = \frac{1}{|O_j|} \sum_{k \in O_j} x_{kj}, \qquad
        \text{median:}\quad \hat x_{ij} = \operatorname{median}\{x_{kj} : k \in O_j\},

        \text{category\_mean:}\quad \hat x_{ij} = \frac{1}{|O_j \cap G_{c(i)}|}
        \sum_{k \in O_j \cap G_{c(i)}} x_{kj},

        \text{carry\_forward:}\quad \hat x^{(t)}_{ij} = x^{(s)}_{ij},\quad
        s = \max\{s < t : x^{(s)}_{ij} \text{ observed}\},

    where :math:`G_{c(i)}` is the category of unit :math:`i` (重点生态功能区 …).  Statistics
    use only the observed values of the matrix, never values imputed in the same call.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Units (index, unit codes) x indicators (columns), NaN = missing, e.g. from
        :meth:`Panel.matrix`.
    method : {"mean", "median", "category_mean", "carry_forward", "skip"}
        ``skip`` returns the matrix unchanged (the aggregation skips missing values).
    categories : pandas.Series, optional
        Unit code -> category, required by ``category_mean`` (e.g. :attr:`Units.categories`).
        A unit without a category, or whose category has no value for the indicator, gets the
        overall mean, and the note says so.
    history : Panel or pandas.DataFrame, optional
        Required by ``carry_forward``: earlier observations, a :class:`Panel` or a long frame
        with the columns ``unit``, ``indicator``, ``period``, ``value`` (and optionally
        ``location``).  The latest period with a value is used.  Pass ``period`` to ignore
        rows of that period and later; without it, give only earlier periods (see
        :meth:`Panel.history`).
    period : str, optional
        The period of ``matrix``: recorded in each :class:`Imputation`, and the cut-off for
        ``carry_forward``.

    Returns
    -------
    imputed : pandas.DataFrame
        A new float64 matrix, same index and columns; a cell stays NaN when nothing could be
        imputed (an indicator with no value at all, or no earlier value to carry forward).
    imputations : list of Imputation
        One per missing cell, unit by unit and in column order within a unit, including the
        cells that stay missing (their ``value`` is NaN and the note says why).

    Raises
    ------
    ValueError
        An unknown method, a missing ``categories`` or ``history``, or a matrix whose index
        repeats a unit.

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame({"gdp": [10.0, None, 30.0]}, index=["a", "b", "c"])
    >>> filled, notes = impute(m, "mean")
    >>> filled["gdp"].tolist(), notes[0].note
    ([10.0, 20.0, 30.0], 'mean of 2 units')
    """
    if method not in IMPUTATION_METHODS:
        raise ValueError(
            f"unknown imputation method {method!r}; choose one of {', '.join(IMPUTATION_METHODS)}"
        )
    if not matrix.index.is_unique:
        repeated = sorted(map(str, matrix.index[matrix.index.duplicated()].unique()))
        raise ValueError(f"the matrix repeats units {', '.join(repeated)}; give each unit once")
    observed = matrix.astype("float64")
    filled = observed.copy()
    if method == "skip":
        return filled, []
    gaps = np.argwhere(observed.isna().to_numpy())
    if method in ("mean", "median"):
        fill = _column_statistic(observed, method, period)
    elif method == "category_mean":
        if categories is None:
            raise ValueError(
                "category_mean needs categories: a Series unit code -> category "
                "(e.g. Units.categories)"
            )
        fill = _category_mean(observed, categories, period)
    else:
        if history is None:
            raise ValueError(
                "carry_forward needs history: the earlier observations as a Panel or a long "
                "DataFrame (e.g. panel.history(period, indicators))"
            )
        fill = _carry_forward(observed, history, period)
    imputations: list[Imputation] = []
    for i, j in gaps:
        record = fill(int(i), int(j))
        filled.iat[i, j] = record.value
        imputations.append(record)
    return filled, imputations


def _column_statistic(observed: pd.DataFrame, method: str, period: str | None) -> _Filler:
    values = observed.mean() if method == "mean" else observed.median()
    counts = observed.notna().sum()

    def fill(row: int, column: int) -> Imputation:
        unit, indicator = _labels(observed, row, column)
        n = int(counts.iloc[column])
        if n == 0:
            return _nothing(unit, indicator, period, method)
        return Imputation(
            unit,
            indicator,
            period,
            float(values.iloc[column]),
            method,
            f"{method} of {_count(n)}",
            f"{'平均值' if method == 'mean' else '中位数'}（{n} 个单位）",
        )

    return fill


def _category_mean(observed: pd.DataFrame, categories: pd.Series, period: str | None) -> _Filler:
    labels = categories.copy()
    labels.index = labels.index.map(str)
    if not labels.index.is_unique:
        raise ValueError("categories must give each unit once")
    of_row = labels.reindex(observed.index.map(str)).to_numpy(dtype=object)
    known = pd.notna(of_row)
    means = observed.mean()
    counts = observed.notna().sum()
    group_means = observed[known].groupby(of_row[known]).mean()
    group_counts = observed[known].notna().groupby(of_row[known]).sum()

    def fill(row: int, column: int) -> Imputation:
        unit, indicator = _labels(observed, row, column)
        category: Any = of_row[row]
        n = int(counts.iloc[column])
        if known[row]:
            k = (
                int(group_counts.loc[category].iloc[column])
                if category in group_counts.index
                else 0
            )
            if k > 0:
                return Imputation(
                    unit,
                    indicator,
                    period,
                    float(group_means.loc[category].iloc[column]),
                    "category_mean",
                    f"mean of category {category} ({_count(k)})",
                    f"类别 {category} 的平均值（{k} 个单位）",
                )
            why_en = f"no unit of category {category} has a value"
            why_zh = f"类别 {category} 中没有单位有该指标的数值"
        else:
            why_en, why_zh = "the unit has no category", "该单位没有类别"
        if n == 0:
            return _nothing(unit, indicator, period, "category_mean")
        return Imputation(
            unit,
            indicator,
            period,
            float(means.iloc[column]),
            "category_mean",
            f"{why_en}: overall mean of {_count(n)}",
            f"{why_zh}，改用全部单位的平均值（{n} 个单位）",
        )

    return fill


def _carry_forward(
    observed: pd.DataFrame, history: Panel | pd.DataFrame, period: str | None
) -> _Filler:
    frame = history.frame if isinstance(history, Panel) else Panel(history).frame
    frame = frame[frame["value"].notna()]
    frame = frame[frame["unit"].isin(observed.index.map(str))]
    frame = frame[frame["indicator"].isin(observed.columns.map(str))]
    if period is not None:
        cut = period_sort_key(str(period))
        frame = frame[[period_sort_key(p) < cut for p in frame["period"]]]
    periods = [str(p) for p in frame["period"]]
    order = sorted(range(len(frame)), key=lambda r: period_sort_key(periods[r]))
    latest = frame.iloc[order].groupby(["unit", "indicator"], sort=False).tail(1)
    found = {
        (str(u), str(j)): (v, p, loc)
        for u, j, v, p, loc in zip(
            latest["unit"],
            latest["indicator"],
            latest["value"],
            latest["period"],
            latest["location"],
            strict=True,
        )
    }

    def fill(row: int, column: int) -> Imputation:
        unit, indicator = _labels(observed, row, column)
        if (unit, indicator) not in found:
            return Imputation(
                unit,
                indicator,
                period,
                float("nan"),
                "carry_forward",
                "no earlier value to carry forward; the value stays missing",
                "没有更早时期的数值可沿用，仍为缺失",
            )
        value, source_period, location = found[unit, indicator]
        at = "" if pd.isna(location) else f" ({location})"
        at_zh = "" if pd.isna(location) else f"（{location}）"
        return Imputation(
            unit,
            indicator,
            period,
            float(value),
            "carry_forward",
            f"carried forward from {source_period}{at}",
            f"沿用 {source_period} 的数值{at_zh}",
        )

    return fill


def _count(n: int) -> str:
    return "1 unit" if n == 1 else f"{n} units"


def _labels(matrix: pd.DataFrame, row: int, column: int) -> tuple[str, str]:
    return str(matrix.index[row]), str(matrix.columns[column])


def _nothing(unit: str, indicator: str, period: str | None, method: str) -> Imputation:
    return Imputation(
        unit,
        indicator,
        period,
        float("nan"),
        method,
        "no unit has a value for this indicator; the value stays missing",
        "没有任何单位有该指标的数值，仍为缺失",
    )
