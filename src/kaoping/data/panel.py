"""Panel: the observations of an assessment, one row per (unit, indicator, period).

Observations are stored long, with where each value came from, and turned into a units x
indicators matrix for one period when a computation needs it.  A missing value is a row whose
value is NaN (the cell exists but is empty) or no row at all; both are reported with
:meth:`Panel.missing`, naming the cell when there is one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from kaoping.data._parse import (
    Bad,
    clean_text,
    is_missing,
    parse_code,
    parse_number,
    parse_period,
)
from kaoping.data._parse import period_sort_key as _period_key
from kaoping.errors import InputError, Problem

__all__ = ["IMPUTATION_CHOICES", "PANEL_COLUMNS", "Panel", "Wide"]

PANEL_COLUMNS: Final[tuple[str, ...]] = (
    "unit",
    "indicator",
    "period",
    "value",
    "source",
    "location",
    "name",
)
"""Columns of :attr:`Panel.frame`; ``source``, ``location`` and ``name`` may be NA."""

_REQUIRED: Final = ("unit", "indicator", "period", "value")
_TEXT: Final = ("source", "location", "name")
IMPUTATION_CHOICES: Final = "missing: mean|median|category_mean|carry_forward|skip"


class Panel:
    """Observations of indicators for units over periods, with their provenance.

    Immutable: every method returns a new object, and :attr:`frame` is a copy.

    Parameters
    ----------
    frame : pandas.DataFrame
        Long observations with the columns ``unit`` (unit code), ``indicator`` (indicator id),
        ``period`` and ``value``, and optionally ``source`` (file name), ``location`` (the
        cell, e.g. ``data.xlsx!Sheet1!D7``) and ``name`` (the unit's name as written in the
        file).  Other columns are dropped.  Codes and periods written as numbers become text
        (``410102`` -> ``"410102"``, ``2024`` -> ``"2024"``); Chinese period forms become the
        canonical ones (``"2024年"`` -> ``"2024"``, ``"2024年第3季度"`` -> ``"2024-Q3"``);
        values become float64 with NaN for missing.

    Raises
    ------
    kaoping.errors.InputError
        With every problem at once: a required column missing (``data.bad_frame``), an empty
        unit, indicator or period (``data.missing_code``, ``data.missing_indicator``,
        ``data.missing_period``), a value that is not a finite number
        (``data.not_a_number``), the same (unit, indicator, period) twice (``data.duplicate``).

    Examples
    --------
    >>> import pandas as pd
    >>> panel = Panel(pd.DataFrame({
    ...     "unit": [410102, 410102, 410103],
    ...     "indicator": ["gdp", "pop", "gdp"],
    ...     "period": [2024, 2024, 2024],
    ...     "value": [1200.5, 98.0, 860.0],
    ... }))
    >>> panel.units, panel.periods
    (('410102', '410103'), ('2024',))
    >>> panel.matrix("2024", ["gdp", "pop"])  # doctest: +NORMALIZE_WHITESPACE
    indicator     gdp   pop
    unit
    410102     1200.5  98.0
    410103      860.0   NaN
    """

    __slots__ = ("_long", "_memo", "_wide")
    # the observations one row each; built from ``_wide`` when first needed
    _long: pd.DataFrame | None
    # a panel read from a wide file keeps the file's block of values (rows x indicators) and
    # answers periods, units, names, select(period=) and matrix from it, without a row per
    # value: a million units x 20 indicators stay 160 MB instead of 20 million rows
    _wide: Wide | None
    # what the panel derives from its rows, computed once (it is immutable): the key columns
    # factorised, the periods, units and indicators
    _memo: dict[str, Any]

    def __init__(self, frame: pd.DataFrame) -> None:
        object.__setattr__(self, "_long", _normalise(frame))
        object.__setattr__(self, "_wide", None)
        object.__setattr__(self, "_memo", {})

    @property
    def _frame(self) -> pd.DataFrame:
        if self._long is None:
            assert self._wide is not None
            object.__setattr__(self, "_long", self._wide.long())
        assert self._long is not None
        return self._long

    @classmethod
    def _from_wide(cls, wide: Wide) -> Panel:
        """Wrap the block of a wide file (checked by the reader: keys clean, no duplicates)."""
        panel = cls.__new__(cls)
        object.__setattr__(panel, "_long", None)
        object.__setattr__(panel, "_wide", wide)
        object.__setattr__(panel, "_memo", {})
        return panel

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Panel:
        """Build a panel from a long DataFrame; the same as ``Panel(frame)``."""
        return cls(frame)

    @classmethod
    def _wrap(cls, frame: pd.DataFrame) -> Panel:
        """Wrap a frame that already has the normalised columns and no duplicates."""
        panel = cls.__new__(cls)
        object.__setattr__(panel, "_long", frame.reset_index(drop=True))
        object.__setattr__(panel, "_wide", None)
        object.__setattr__(panel, "_memo", {})
        return panel

    @classmethod
    def concat(cls, panels: Iterable[Panel]) -> Panel:
        """All observations of several panels in one.

        Raises
        ------
        kaoping.errors.InputError
            ``data.duplicate`` for every (unit, indicator, period) present in two panels,
            naming both cells.
        """
        frames = [p._frame for p in panels]
        if not frames:
            return cls._wrap(_empty_frame())
        frame = pd.concat(frames, ignore_index=True)
        problems = _duplicates(frame)
        if problems:
            raise InputError(problems)
        return cls._wrap(frame)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Panel is immutable; cannot set {name!r}")

    def __len__(self) -> int:
        if self._long is None and self._wide is not None:
            return int(self._wide.values.size)
        return len(self._frame)

    def __repr__(self) -> str:
        return (
            f"Panel({len(self)} observations: {len(self.units)} units x "
            f"{len(self.indicators)} indicators x {len(self.periods)} periods)"
        )

    @property
    def frame(self) -> pd.DataFrame:
        """A copy of the observations, with the columns :data:`PANEL_COLUMNS`."""
        return self._frame.copy()

    def _factors(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """A key column factorised, once: each row's code (an index into the second array)
        and the distinct values in order of first appearance.  Hashing the column's text is
        the costly part of looking rows up, so every lookup below shares this one pass."""
        key = f"factors:{column}"
        if key not in self._memo:
            self._memo[key] = _factorize(self._frame[column].to_numpy(dtype=object))
        factors: tuple[np.ndarray, np.ndarray] = self._memo[key]
        return factors

    @property
    def periods(self) -> tuple[str, ...]:
        """The periods, in natural order (``"2024-Q9"`` before ``"2024-Q10"``)."""
        if "periods" not in self._memo:
            found = (
                pd.unique(self._wide.periods)
                if self._wide is not None
                else self._factors("period")[1]
            )
            self._memo["periods"] = tuple(sorted(found, key=_period_key))
        periods: tuple[str, ...] = self._memo["periods"]
        return periods

    @property
    def units(self) -> tuple[str, ...]:
        """The unit codes, sorted."""
        if "units" not in self._memo:
            found = (
                pd.unique(self._wide.units) if self._wide is not None else self._factors("unit")[1]
            )
            self._memo["units"] = tuple(sorted(found))
        units: tuple[str, ...] = self._memo["units"]
        return units

    @property
    def indicators(self) -> tuple[str, ...]:
        """The indicator ids, in order of first appearance (the column order of a wide file)."""
        if "indicators" not in self._memo:
            wide = self._wide
            self._memo["indicators"] = (
                (wide.indicators if len(wide.units) else ())
                if wide is not None
                else tuple(self._factors("indicator")[1])
            )
        indicators: tuple[str, ...] = self._memo["indicators"]
        return indicators

    @property
    def names(self) -> dict[str, str]:
        """Unit code -> name, for the units whose name the file gave (the first one written)."""
        if self._wide is not None:
            return self._wide.first_names()
        codes, uniques = self._factors("unit")
        named = np.flatnonzero(self._frame["name"].notna().to_numpy())
        # the first named row of each unit: codes are small integers, no text is hashed
        _, first = np.unique(codes[named], return_index=True)
        rows = named[first]
        names = self._frame["name"].to_numpy(dtype=object)[rows]
        return dict(zip(uniques[codes[rows]], names, strict=True))

    def select(
        self,
        period: str | int | Iterable[str | int] | None = None,
        units: Iterable[str | int] | None = None,
        indicators: Iterable[str] | None = None,
    ) -> Panel:
        """The observations of the given period(s), units and indicators (None = all)."""
        if period is not None and units is None and indicators is None:
            periods = [period] if isinstance(period, str | int) else list(period)
            wanted = {_period(p) for p in periods}
            if set(self.periods) <= wanted:
                return self  # everything is selected (immutable: no copy needed)
            if self._wide is not None:
                return Panel._from_wide(self._wide.rows(np.isin(self._wide.periods, list(wanted))))
        frame = self._frame
        mask = np.ones(len(frame), dtype=bool)
        if period is not None:
            periods = [period] if isinstance(period, str | int) else list(period)
            mask &= frame["period"].isin([_period(p) for p in periods]).to_numpy()
        if units is not None:
            mask &= frame["unit"].isin(_labels(units, "units")).to_numpy()
        if indicators is not None:
            mask &= frame["indicator"].isin(_labels(indicators, "indicators")).to_numpy()
        return Panel._wrap(frame[mask])

    def history(
        self,
        before_period: str | int,
        indicators: Iterable[str] | None = None,
        units: Iterable[str | int] | None = None,
    ) -> Panel:
        """The observations of every period strictly before ``before_period`` (natural order).

        This is what ``impute(..., method="carry_forward", history=...)`` needs.
        """
        key = _period_key(_period(before_period))
        earlier = [p for p in self.periods if _period_key(p) < key]
        return self.select(period=earlier, units=units, indicators=indicators)

    def matrix(
        self,
        period: str | int,
        indicators: Sequence[str],
        units: Sequence[str | int] | None = None,
    ) -> pd.DataFrame:
        """The units x indicators matrix of one period.

        Parameters
        ----------
        period : str
            The period, e.g. ``"2024"``.
        indicators : sequence of str
            Indicator ids: the columns, in this order.  An indicator without observations is a
            column of NaN.
        units : sequence of str, optional
            Unit codes: the rows, in this order.  Default: every unit with at least one row
            (a value or an empty cell) in ``period``, sorted.

        Returns
        -------
        pandas.DataFrame
            float64, index ``unit``, columns ``indicator``; NaN where the value is missing.
        """
        label = _period(period)
        ids = _labels(indicators, "indicators")
        if self._wide is not None:
            return self._wide.matrix(label, ids, units, self._unit_set)
        unit_codes, unit_values = self._factors("unit")
        ind_codes, ind_values = self._factors("indicator")
        period_codes, period_values = self._factors("period")
        if len(period_values) == 1 and period_values[0] == label:
            in_period = np.ones(len(period_codes), dtype=bool)  # the panel has this period only
        else:
            in_period = period_codes == _position(period_values, label)
        if units is None:
            present = np.unique(unit_codes[in_period])
            codes = sorted(unit_values[present[present >= 0]])
        else:
            codes = _labels(units, "units", known=self._unit_set())
        index = pd.Index(codes, dtype="str", name="unit")
        columns = pd.Index(ids, dtype="str", name="indicator")
        # each (unit, indicator) appears at most once in a period (the panel refuses
        # duplicates), so the cells are scattered straight into place: no pivot, no reindex;
        # only the distinct units and indicators are looked up (-1: not asked for; the -1
        # appended last is where a row without a value, code -1, points)
        rows = np.append(index.get_indexer(pd.Index(unit_values)), -1)[unit_codes]
        cols = np.append(columns.get_indexer(pd.Index(ind_values)), -1)[ind_codes]
        keep = in_period & (rows >= 0) & (cols >= 0)
        values = np.full((len(codes), len(ids)), np.nan)
        values[rows[keep], cols[keep]] = self._frame["value"].to_numpy(dtype=np.float64)[keep]
        return pd.DataFrame(values, index=index, columns=columns)

    def _unit_set(self) -> frozenset[str]:
        if "unit_set" not in self._memo:
            self._memo["unit_set"] = frozenset(
                self._wide.units if self._wide is not None else self._factors("unit")[1]
            )
        known: frozenset[str] = self._memo["unit_set"]
        return known

    def locations(
        self,
        period: str | int,
        indicators: Sequence[str],
        units: Sequence[str | int] | None = None,
    ) -> pd.DataFrame:
        """Where each cell of :meth:`matrix` comes from, the same shape.

        The cell address (``data.xlsx!Sheet1!D7``) when the observation has one, otherwise
        ``unit/indicator/period``.
        """
        if self._wide is not None:
            wanted = _labels(indicators, "indicators")
            return self._wide.locations(_period(period), wanted, units, self._unit_set)
        codes, ids, frame = self._cells(period, indicators, units)
        where = frame.pivot(index="unit", columns="indicator", values="location")
        where = where.reindex(index=codes, columns=ids).astype(object)
        label = _period(period)
        for column in ids:
            gaps = where[column].isna()
            where.loc[gaps, column] = [f"{code}/{column}/{label}" for code in where.index[gaps]]
        return where

    def missing(
        self,
        period: str | int,
        indicators: Sequence[str],
        units: Sequence[str | int] | None = None,
    ) -> list[Problem]:
        """A ``data.missing_value`` problem for every missing cell of :meth:`matrix`.

        The problems come unit by unit, indicators in the given order; each names the cell
        when the file had one, otherwise ``unit/indicator/period``.
        """
        values = self.matrix(period, indicators, units)
        gaps = np.argwhere(values.isna().to_numpy())
        if not len(gaps):
            return []  # the usual case: no need to look up where each cell came from
        where = self.locations(period, indicators, units)
        names = self.names
        label = _period(period)
        problems: list[Problem] = []
        for i, j in gaps:
            code = str(values.index[i])
            indicator = str(values.columns[j])
            unit = f"{code}（{names[code]}）" if code in names else code
            unit_en = f"{code} ({names[code]})" if code in names else code
            problems.append(
                Problem(
                    "data.missing_value",
                    f"单位 {unit} 缺少指标 {indicator} 在 {label} 的数值。请补填，或在考核办法中"
                    f"选择缺失值处理方式（{IMPUTATION_CHOICES}）。",
                    f"unit {unit_en} has no value for indicator {indicator} in {label}: fill it "
                    f"in or choose an imputation ({IMPUTATION_CHOICES}) in the methodology.",
                    str(where.iat[i, j]),
                )
            )
        return problems

    def _cells(
        self,
        period: str | int,
        indicators: Sequence[str],
        units: Sequence[str | int] | None,
    ) -> tuple[pd.Index, pd.Index, pd.DataFrame]:
        label = _period(period)
        ids = _labels(indicators, "indicators")
        if self.periods == (label,):
            frame = self._frame  # the panel has this period only
        else:
            frame = self._frame[self._frame["period"] == label]
        codes = sorted(frame["unit"].unique()) if units is None else _labels(units, "units")
        index = pd.Index(codes, dtype="str", name="unit")
        columns = pd.Index(ids, dtype="str", name="indicator")
        return index, columns, frame


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of text values, quicker on runs of equal values (a long panel sorted
    by unit, a single period): then only the first value of each run is hashed."""
    n = len(values)
    try:
        probe = values[: min(n, 4096)]
        runs = n > 1 and np.count_nonzero(probe[1:] != probe[:-1]) < len(probe) // 4
        if runs:
            heads = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
    except TypeError:  # a value that does not compare (pd.NA): hash them all
        runs = False
    if not runs:
        codes, uniques = pd.factorize(values)
        return codes, np.asarray(uniques, dtype=object)
    head_codes, uniques = pd.factorize(values[heads])
    return np.repeat(head_codes, np.diff(np.append(heads, n))), np.asarray(uniques, dtype=object)


def _position(values: np.ndarray, label: str) -> int:
    """Where ``label`` is among distinct values; -2 if absent (no row has code -2:
    ``pd.factorize`` gives -1 to missing values)."""
    hit = np.flatnonzero(values == label)
    return int(hit[0]) if hit.size else -2


def _period(period: object) -> str:
    parsed = parse_period(period, strict=False)
    if not isinstance(parsed, str):
        raise ValueError(f"a period must be text such as '2024' or '2024-Q3', got {period!r}")
    return parsed


def _labels(
    values: Iterable[str | int] | str, what: str, known: frozenset[str] = frozenset()
) -> list[str]:
    """Unit codes or indicator ids as a list of text; a single string is one label.  Labels in
    ``known`` (already clean, e.g. the panel's own codes) are taken as they are."""
    items = [values] if isinstance(values, str) else list(values)
    labels: list[str] = []
    for item in items:
        if type(item) is str and item in known:
            labels.append(item)
            continue
        code = parse_code(item)
        if not isinstance(code, str):
            raise ValueError(f"{what} must be non-empty codes or ids, got {item!r}")
        labels.append(code)
    repeated = sorted(label for label, n in Counter(labels).items() if n > 1)
    if repeated:
        raise ValueError(f"{what} must not repeat, but {', '.join(repeated)} appear twice")
    return labels


def _empty_frame() -> pd.DataFrame:
    data = {c: pd.Series([], dtype="str") for c in PANEL_COLUMNS}
    data["value"] = pd.Series([], dtype="float64")
    return pd.DataFrame(data)


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"Panel needs a pandas DataFrame, got {type(frame).__name__}")
    absent = [c for c in _REQUIRED if c not in frame.columns]
    if absent:
        raise InputError(
            [
                Problem(
                    "data.bad_frame",
                    f"观测数据缺少列 {', '.join(absent)}"
                    f"（现有列：{', '.join(map(str, frame.columns))}）。"
                    "需要 unit、indicator、period、value 四列。",
                    f"the observations have no column {', '.join(absent)} (columns: "
                    f"{', '.join(map(str, frame.columns))}); unit, indicator, period and value "
                    "are required.",
                )
            ]
        )
    frame = frame.reset_index(drop=True)
    n = len(frame)
    locations = (
        frame["location"].astype(object)
        if "location" in frame.columns
        else pd.Series([None] * n, dtype=object)
    )

    def where(row: int) -> str:
        location = locations.iat[row]
        return str(location) if not is_missing(location) else f"row {row}"

    problems: list[Problem] = []
    columns: dict[str, pd.Series] = {}
    parsers = {"unit": parse_code, "indicator": parse_code, "period": _lenient_period}
    for column, parser in parsers.items():
        raw = frame[column].astype(object)
        mapping: dict[object, str | None] = {}
        for value in pd.unique(raw):
            parsed = None if is_missing(value) else parser(value)
            if isinstance(parsed, Bad) or parsed is None:
                same = raw.isna() if is_missing(value) else raw == value
                rows = np.flatnonzero(same.to_numpy(dtype=bool))
                problems.append(_bad_key(column, parsed, rows, where))
                parsed = None
            mapping[value] = parsed
        columns[column] = pd.Series(raw.map(mapping).to_numpy(), dtype="str")
    columns["value"] = _values(frame["value"], where, problems)
    for column in _TEXT:
        if column in frame.columns:
            text = (
                frame[column]
                .astype(object)
                .map(lambda v: None if is_missing(v) else (clean_text(str(v)) or None))
            )
            columns[column] = pd.Series(text.to_numpy(), dtype="str")
        else:
            columns[column] = pd.Series([None] * n, dtype="str")
    result = pd.DataFrame({c: columns[c] for c in PANEL_COLUMNS})
    problems.extend(_duplicates(result))  # rows with an empty key are not compared
    if problems:
        raise InputError(problems)
    return result


def _lenient_period(value: object) -> str | Bad | None:
    return parse_period(value, strict=False)


def _bad_key(
    column: str, parsed: Bad | None, rows: np.ndarray, where: Callable[[int], str]
) -> Problem:
    first = where(int(rows[0]))
    more = f" (+{len(rows) - 1})" if len(rows) > 1 else ""
    code = {"unit": "data.missing_code", "indicator": "data.missing_indicator"}.get(
        column, "data.missing_period"
    )
    if isinstance(parsed, Bad):
        code = {"unit": "data.bad_code", "indicator": "data.missing_indicator"}.get(
            column, "data.bad_period"
        )
        return Problem(code, parsed.zh, parsed.en, first + more)
    return Problem(
        code,
        f"{column} 列为空（{len(rows)} 行）。每条观测都要有单位、指标和时期，请补填或删除这些行。",
        f"the {column} column is empty in {len(rows)} row(s); every observation needs a unit, "
        "an indicator and a period: fill them in or drop those rows.",
        first + more,
    )


def _values(raw: pd.Series, where: Callable[[int], str], problems: list[Problem]) -> pd.Series:
    if pd.api.types.is_bool_dtype(raw.dtype) or not pd.api.types.is_numeric_dtype(raw.dtype):
        parsed = [parse_number(None if is_missing(v) else v) for v in raw.astype(object)]
        values = np.empty(len(parsed), dtype="float64")
        for row, value in enumerate(parsed):
            if isinstance(value, Bad):
                problems.append(Problem("data.not_a_number", value.zh, value.en, where(row)))
                values[row] = np.nan
            else:
                values[row] = value
    else:
        values = raw.to_numpy(dtype="float64", na_value=np.nan)
    for position in np.flatnonzero(np.isinf(values)):
        row = int(position)
        text = f"{values[row]}"
        problems.append(
            Problem(
                "data.not_a_number",
                f'"{text}" 不是有限的数字。请填写实际数值；缺失请用 NaN。',
                f'"{text}" is not a finite number; give the actual value, or NaN if missing.',
                where(row),
            )
        )
    return pd.Series(values, dtype="float64")


def _duplicates(frame: pd.DataFrame) -> list[Problem]:
    """A ``data.duplicate`` problem for each repeat of a (unit, indicator, period)."""
    keys = ["unit", "indicator", "period"]
    repeated = frame[frame.duplicated(keys, keep=False)]
    problems: list[Problem] = []
    for (unit, indicator, period), group in repeated.groupby(keys, sort=False):
        cells = [
            str(loc) if not is_missing(loc) else f"row {pos}"
            for pos, loc in zip(group.index, group["location"], strict=True)
        ]
        for cell in cells[1:]:
            problems.append(
                duplicate_problem(str(unit), str(indicator), str(period), cell, cells[0])
            )
    return problems


def duplicate_problem(unit: str, indicator: str, period: str, where: str, first: str) -> Problem:
    """The problem for a value given twice for the same unit, indicator and period."""
    return Problem(
        "data.duplicate",
        f"单位 {unit} 的指标 {indicator} 在 {period} 有两个数值：{first} 和 {where}。"
        "请只保留一个。",
        f"unit {unit} has two values for indicator {indicator} in {period}: {first} and "
        f"{where}; keep only one.",
        where,
    )


@dataclass(frozen=True, eq=False)
class Wide:
    """The observations of a wide file as the file holds them: a row per unit and period, a
    column per indicator.  The reader has checked the keys (clean codes and periods, no
    (unit, period) twice); :class:`Panel` answers from this block and builds its long rows
    (one per value, with the cell of each) only when they are asked for.

    Attributes
    ----------
    units, periods, names : ndarray of object
        Per row: the unit code, the period and the unit's name as written (None without).
    values : ndarray of float64
        Rows x indicators; NaN for an empty cell.
    indicators : tuple of str
        The indicator ids of the columns.
    source : str
        The file name.
    prefixes : tuple of str
        Per indicator: its column's cell address without the row (``data.csv!D``).
    lines : ndarray of int64
        Per row: its row number in the file (of the cell addresses).
    """

    units: np.ndarray
    periods: np.ndarray
    names: np.ndarray
    values: np.ndarray
    indicators: tuple[str, ...]
    source: str
    prefixes: tuple[str, ...]
    lines: np.ndarray

    def rows(self, keep: np.ndarray) -> Wide:
        """The rows where ``keep`` (a boolean mask) is True."""
        return Wide(
            self.units[keep],
            self.periods[keep],
            self.names[keep],
            self.values[keep],
            self.indicators,
            self.source,
            self.prefixes,
            self.lines[keep],
        )

    def long(self) -> pd.DataFrame:
        """One row per value, with the columns :data:`PANEL_COLUMNS` (rows in file order,
        indicators in column order within a row)."""
        n, width = self.values.shape
        location = [prefix + str(line) for line in self.lines.tolist() for prefix in self.prefixes]
        data = {
            "unit": pd.Series(np.repeat(self.units, width), dtype="str"),
            "indicator": pd.Series(
                np.tile(np.array(self.indicators, dtype=object), n), dtype="str"
            ),
            "period": pd.Series(np.repeat(self.periods, width), dtype="str"),
            "value": pd.Series(self.values.ravel(), dtype="float64"),
            "source": pd.Series([self.source] * (n * width), dtype="str"),
            "location": pd.Series(location, dtype="str"),
            "name": pd.Series(np.repeat(self.names, width), dtype="str"),
        }
        return pd.DataFrame(data)

    def first_names(self) -> dict[str, str]:
        """Unit code -> the first name the file gives it."""
        named = np.array([v is not None for v in self.names.tolist()], dtype=bool)
        codes = pd.Index(self.units[named])
        first = ~codes.duplicated()
        return dict(zip(codes[first], self.names[named][first], strict=True))

    def _place(
        self,
        label: str,
        ids: list[str],
        units: Sequence[str | int] | None,
        unit_set: Callable[[], frozenset[str]],
    ) -> tuple[pd.Index, pd.Index, np.ndarray, np.ndarray]:
        """The matrix's index and columns, and for each its row of the block and column of the
        values (-1: none)."""
        every = bool((self.periods == label).all()) if len(self.periods) else False
        rows = np.arange(len(self.periods)) if every else np.flatnonzero(self.periods == label)
        codes = self.units if every else self.units[rows]
        if len(codes) < 2 or bool((codes[1:] > codes[:-1]).all()):  # a file sorted by code
            order = np.arange(len(codes))
        else:
            order = np.argsort(codes, kind="stable")
        default = codes[order]
        if units is not None and not (
            len(units) == len(default) and np.array_equal(np.asarray(units, dtype=object), default)
        ):
            index = pd.Index(_labels(units, "units", known=unit_set()), dtype="str", name="unit")
            found = pd.Index(codes, dtype="str").get_indexer(index)
            positions = np.full(len(index), -1, dtype=np.int64)
            positions[found >= 0] = rows[found[found >= 0]]
        else:  # every unit of the period, sorted (also when asked for in that order)
            index = pd.Index(default, dtype="str", name="unit")
            positions = rows[order]
        columns = pd.Index(ids, dtype="str", name="indicator")
        cols = pd.Index(self.indicators, dtype="str").get_indexer(columns)
        return index, columns, np.asarray(positions, dtype=np.int64), cols

    def matrix(
        self,
        label: str,
        ids: list[str],
        units: Sequence[str | int] | None,
        unit_set: Callable[[], frozenset[str]],
    ) -> pd.DataFrame:
        """:meth:`Panel.matrix` from the block."""
        index, columns, positions, cols = self._place(label, ids, units, unit_set)
        n, width = self.values.shape
        if np.array_equal(positions, np.arange(n)) and np.array_equal(cols, np.arange(width)):
            # the block as it is (the panel is immutable: a view, read-only, no copy)
            values = self.values.view()
            values.flags.writeable = False
        elif (positions >= 0).all() and (cols >= 0).all():
            values = self.values[np.ix_(positions, cols)]  # one copy, in place
        else:
            values = np.full((len(index), len(columns)), np.nan)
            r, c = positions >= 0, cols >= 0
            values[np.ix_(r, c)] = self.values[np.ix_(positions[r], cols[c])]
        return pd.DataFrame(values, index=index, columns=columns, copy=False)

    def locations(
        self,
        label: str,
        ids: list[str],
        units: Sequence[str | int] | None,
        unit_set: Callable[[], frozenset[str]],
    ) -> pd.DataFrame:
        """:meth:`Panel.locations` from the block."""
        index, columns, positions, cols = self._place(label, ids, units, unit_set)
        lines = self.lines.tolist()
        table = [
            [
                self.prefixes[c] + str(lines[r])
                if r >= 0 and c >= 0
                else f"{code}/{column}/{label}"
                for c, column in zip(cols.tolist(), columns, strict=True)
            ]
            for r, code in zip(positions.tolist(), index, strict=True)
        ]
        where = pd.DataFrame(table, index=index, columns=columns, dtype=object)
        return where
