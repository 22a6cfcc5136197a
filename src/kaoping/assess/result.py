"""The result of an assessment, and its Excel/CSV/JSON forms."""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kaoping.data import Imputation
from kaoping.errors import Problem, get_language
from kaoping.methodology import Methodology

__all__ = ["Result"]

# Column headers of the workbook: (Chinese, English)
_HEADERS: dict[str, tuple[str, str]] = {
    "unit": ("代码", "Code"),
    "name": ("名称", "Name"),
    "category": ("类别", "Category"),
    "score": ("综合得分", "Score"),
    "rank": ("排名", "Rank"),
    "category_rank": ("类别内排名", "Rank in category"),
    "tier": ("方阵", "Tier"),
    "indicator": ("指标代码", "Indicator"),
    "dimension": ("所属维度", "Dimension"),
    "direction": ("方向", "Direction"),
    "weight": ("组内权重", "Weight within group"),
    "effective_weight": ("综合权重", "Effective weight"),
    "unit_of_measure": ("计量单位", "Unit"),
    "missing": (
        "未填报的数值（估：估算；缺：未计入）",
        "Figures not given (估 estimated, 缺 left out)",
    ),
    "indicator_name": ("指标", "Indicator"),
    "method": ("处理方式", "Treatment"),
    "value": ("代入值", "Value used"),
    "how": ("说明", "How"),
}
_DIRECTIONS = {"positive": "正向", "negative": "逆向", "moderate": "适度", "constraint": "约束"}


@dataclass(frozen=True)
class Result:
    """Scores, ranks and tiers of one period under one methodology.

    Attributes
    ----------
    table : DataFrame
        Index: unit code.  Columns ``name``, ``category``, ``score``, ``rank``,
        ``category_rank``, ``tier``, then one column per dimension (every level, tree order).
    raw : DataFrame
        The values assessed (after imputation and before outlier treatment), units x indicators.
    normalized : DataFrame
        Normalised values, units x indicators, higher is better.
    weights : DataFrame
        Per scored indicator: name, dimension, direction, unit, weight within its group and
        effective weight (the product down the tree; sums to 1).
    node_weights : Series
        Every dimension's weight among its siblings.
    imputations, treatment, notes
        What was imputed, what the outlier treatment changed, and warnings worth reading.
    """

    methodology: Methodology
    period: str
    table: pd.DataFrame
    raw: pd.DataFrame
    normalized: pd.DataFrame
    weights: pd.DataFrame
    node_weights: pd.Series
    imputations: tuple[Imputation, ...] = ()
    treatment: Any = None
    notes: tuple[Problem, ...] = field(default_factory=tuple)

    # --- plain forms ---------------------------------------------------------------------------

    @property
    def dimension_ids(self) -> list[str]:
        return [node.id for node in self.methodology.nodes()]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per unit, in rank order: unit, name, category, score, rank, category_rank,
        tier, ``dimensions`` (id -> score) and ``missing`` (see :meth:`missing`; empty when
        every figure was given).  Missing numbers are ``None``.

        Built column by column (:func:`base_records`): each column becomes a list of plain
        Python values once, then the dicts are zipped from those lists."""
        ordered = self.table.sort_values(
            ["rank", "score"], ascending=[True, False], na_position="last"
        )
        return base_records(ordered, self.dimension_ids, self.missing())

    def missing(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Every figure that was not given and how it was treated: unit -> indicator ->
        ``{"method", "value", "zh", "en"}``.  ``method`` is the methodology's ``missing``
        (``mean``, ``median``, ``category_mean``, ``carry_forward``: ``value`` is the estimate
        put in its place, shown as 估; ``skip``: ``value`` is None and the unit's weights were
        rescaled over the figures it has, shown as 缺); ``zh``/``en`` say how.

        """
        out: dict[str, dict[str, dict[str, Any]]] = {}
        for imp in self.imputations:
            out.setdefault(imp.unit, {})[imp.indicator] = {
                "method": imp.method,
                "value": _plain(imp.value),
                "zh": imp.note_zh or imp.note,
                "en": imp.note,
            }
        method = self.methodology.missing.method
        rows, cols = np.nonzero(self.raw.isna().to_numpy())  # row-major: unit by unit
        if len(rows):
            skip = method == "skip"
            zh = "未填报，按可用指标重新分配权重" if skip else "未填报"
            en = (
                "not given: the weights were rescaled over the figures given"
                if skip
                else "not given"
            )
            units = [str(u) for u in self.raw.index]
            indicators = [str(c) for c in self.raw.columns]
            for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
                out.setdefault(units[i], {}).setdefault(
                    indicators[j], {"method": method, "value": None, "zh": zh, "en": en}
                )
        return out

    def to_csv(self, path: str | Path) -> Path:
        """Write the ranking table with the current language's headers (UTF-8 with BOM, so
        that Excel opens Chinese text correctly)."""
        path = Path(path)
        write_csv(self._display_table(), path)
        return path

    def to_parquet(self, path: str | Path) -> Path:
        """Write the ranking table of :meth:`to_csv` as Parquet (pyarrow): the same columns
        under the same headers (the current language's), the same values, numbers as
        float64 and ranks as nullable integers, so that ``pd.read_parquet`` gives back what
        ``pd.read_csv`` reads from the CSV, to the last bit."""
        path = Path(path)
        self._display_table().to_parquet(path, index=False, engine="pyarrow")
        return path

    def to_excel(self, path: str | Path) -> Path:
        """Write a workbook an analyst can hand on: ranking, dimension scores, charts (the
        ranking by tier, the units per tier, a chosen unit's dimensions:
        :func:`kaoping.assess.excel_charts.add_charts`), normalised and raw values, weights,
        and notes; headers in the current language, header row frozen."""
        from kaoping.assess.excel import write_workbook

        path = Path(path)
        write_workbook(self, path)
        return path

    # --- helpers for writers -------------------------------------------------------------------

    def header(self, key: str) -> str:
        """The display header of a column key in the current language."""
        return column_header(self.methodology, key, _HEADERS)

    def _display_table(self) -> pd.DataFrame:
        table = self.table.sort_values(
            ["rank", "score"], ascending=[True, False], na_position="last"
        )
        out = table.reset_index()
        out["rank"] = out["rank"].astype("Int64")
        out["category_rank"] = pd.to_numeric(out["category_rank"]).astype("Int64")
        out["missing"] = missing_labels(self, out["unit"])
        out.columns = [self.header(c) for c in out.columns]
        return out

    def missing_frame(self) -> pd.DataFrame:
        """:meth:`missing` as a table for the workbook: unit, name, indicator, treatment,
        value used and how, with the current language's headers."""
        return missing_frame(self)

    def direction_label(self, direction: str) -> str:
        return _DIRECTIONS.get(direction, direction) if get_language() == "zh" else direction


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` (its index left out) as CSV, UTF-8 with a BOM so that Excel opens
    Chinese text correctly, by pyarrow's CSV writer: a tenth of pandas' ``to_csv`` time at
    10^6 rows.  Numbers are written in their shortest exact form (``5`` and ``0.00001`` where
    pandas writes ``5.0`` and ``1e-05``): read back, they are the same doubles."""
    import codecs
    import csv
    import io

    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(frame, preserve_index=False)
    header = io.StringIO()  # the header as pandas writes it (quoted only where needed)
    csv.writer(header, lineterminator="\n").writerow([str(c) for c in frame.columns])
    with open(path, "wb") as file:
        file.write(codecs.BOM_UTF8 + header.getvalue().encode("utf-8"))
        pacsv.write_csv(table, file, pacsv.WriteOptions(include_header=False))


def gap_mark(gap: dict[str, Any]) -> str:
    """估 for a figure estimated in place of one not given, 缺 for one left out (or scored 0)."""
    return "估" if gap["value"] is not None and gap["method"] != "zero" else "缺"


def missing_labels(result: Any, units: pd.Series) -> list[str]:
    """Per unit: the indicators not given, each with its mark (``投资率（估）``); '' if none."""
    gaps = result.missing()
    sep = "；" if get_language() == "zh" else "; "
    header = _cached(result.header)
    labels = {
        code: sep.join(f"{header(i)}（{gap_mark(g)}）" for i, g in found.items())
        for code, found in gaps.items()
    }
    return [labels.get(str(code), "") for code in units] if labels else [""] * len(units)


def missing_frame(result: Any) -> pd.DataFrame:
    """Every figure not given, one row each (the workbook's sheet of them)."""
    zh = get_language() == "zh"
    names = result.table["name"].to_dict()
    header = _cached(result.header)
    rows = [
        {
            "unit": unit,
            "name": names.get(unit, unit),
            "indicator_name": header(indicator),
            "method": f"{gap_mark(gap)} {gap['method']}",
            "value": gap["value"],
            "how": gap["zh"] if zh else gap["en"],
        }
        for unit, found in result.missing().items()
        for indicator, gap in found.items()
    ]
    columns = ["unit", "name", "indicator_name", "method", "value", "how"]
    frame = pd.DataFrame(rows, columns=columns)
    frame.columns = [column_header(result.methodology, c, _HEADERS) for c in frame.columns]
    return frame


def _cached(header: Callable[[str], str]) -> Callable[[str], str]:
    """``header`` remembered per key (a header is looked up through the methodology's tree,
    and the same few indicators recur for thousands of units)."""
    seen: dict[str, str] = {}

    def lookup(key: str) -> str:
        if key not in seen:
            seen[key] = header(key)
        return seen[key]

    return lookup


def column_header(methodology: Methodology, key: str, headers: dict[str, tuple[str, str]]) -> str:
    """A column key's header in the current language: a fixed column (``headers``: key ->
    (zh, en)), else a dimension's or indicator's name, else the key itself."""
    zh = get_language() == "zh"
    if key in headers:
        return headers[key][0 if zh else 1]
    for node in methodology.nodes():
        if node.id == key:
            return node.name if zh or not node.name_en else node.name_en
    for ind in methodology.indicators:
        if ind.id == key:
            return ind.name if zh or not ind.name_en else ind.name_en
    return key


def base_record(code: Any, row: pd.Series, dimension_ids: list[str]) -> dict[str, Any]:
    """The keys every result's JSON has: unit, name, category, score, rank, category_rank,
    tier and ``dimensions`` (id -> score); missing numbers are None."""
    return {
        "unit": str(code),
        "name": row["name"],
        "category": _plain(row["category"]),
        "score": _plain(row["score"]),
        "rank": _plain_int(row["rank"]),
        "category_rank": _plain_int(row["category_rank"]),
        "tier": _plain(row["tier"]),
        "dimensions": {d: _plain(row[d]) for d in dimension_ids},
    }


def base_records(
    table: pd.DataFrame,
    dimension_ids: list[str],
    gaps: Mapping[str, dict[str, dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """:func:`base_record` of every row of ``table``, in its order, the same values: each
    column converted once (:func:`plain_values`, :func:`plain_ints`), then zipped; with
    ``gaps`` (``missing()``), each record ends with ``missing``: its unit's (a new empty dict
    when none)."""
    n = len(table)
    units = list(map(str, table.index.to_numpy(dtype=object).tolist()))
    with paused_gc():
        dims = [plain_values(table[d]) for d in dimension_ids]
        columns = zip(
            units,
            table["name"].to_numpy(dtype=object).tolist(),
            plain_values(table["category"]),
            plain_values(table["score"]),
            plain_ints(table["rank"]),
            plain_ints(table["category_rank"]),
            plain_values(table["tier"]),
            [dict(zip(dimension_ids, v, strict=True)) for v in zip(*dims, strict=True)]
            if dims
            else [{} for _ in range(n)],
            strict=True,
        )
        records = [
            {
                "unit": unit,
                "name": name,
                "category": category,
                "score": score,
                "rank": rank,
                "category_rank": category_rank,
                "tier": tier,
                "dimensions": dimensions,
            }
            for unit, name, category, score, rank, category_rank, tier, dimensions in columns
        ]
        if gaps is not None:  # the key last, as it always was
            get = gaps.get
            for record in records:
                record["missing"] = get(record["unit"], {})
    return records


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while a block builds many small containers
    (10^5 records: each allocation batch would otherwise start a collection that walks every
    object made so far, which triples the time); resumed as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def plain_values(column: pd.Series) -> list[Any]:
    """``[_plain(v) for v in column]`` without a Python call per value: the column as plain
    Python values (numbers as ``int``/``float``/``bool``), None where it is missing (NaN,
    None, ``pd.NA``)."""
    values = column.to_numpy()
    if values.dtype.kind in "biuf":  # NumPy numbers: tolist gives Python numbers
        out: list[Any] = values.tolist()
        if values.dtype.kind == "f":
            for i in np.flatnonzero(np.isnan(values)).tolist():
                out[i] = None
        return out
    out = values.astype(object).tolist() if values.dtype != object else values.tolist()
    if not _PLAIN_TYPES.issuperset(map(type, out)):  # NumPy scalars, pd.NA …: one by one
        return [_plain(v) for v in out]
    for i, v in enumerate(out):
        if v is None or v != v:  # NaN is the only value not equal to itself
            out[i] = None
    return out


def plain_ints(column: pd.Series) -> list[int | None]:
    """``[_plain_int(v) for v in column]`` without a Python call per value."""
    values = column.to_numpy()
    if values.dtype.kind in "biu":
        return [int(v) for v in values.tolist()] if values.dtype.kind == "b" else values.tolist()
    if values.dtype.kind == "f":
        missing = np.isnan(values)
        out: list[int | None] = np.where(missing, 0, values).astype(np.int64).tolist()
        for i in np.flatnonzero(missing).tolist():
            out[i] = None
        return out
    return [None if v is None else int(v) for v in plain_values(column)]


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _plain_int(value: Any) -> int | None:
    v = _plain(value)
    return None if v is None else int(v)
