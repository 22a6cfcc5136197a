"""The result of an assessment, and its Excel/CSV/JSON forms."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
        every figure was given).  Missing numbers are ``None``."""
        records = []
        ordered = self.table.sort_values(
            ["rank", "score"], ascending=[True, False], na_position="last"
        )
        gaps = self.missing()
        for code, row in ordered.iterrows():
            record = base_record(code, row, self.dimension_ids)
            record["missing"] = gaps.get(str(code), {})
            records.append(record)
        return records

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
        gaps = self.raw.isna().to_numpy()
        if gaps.any():
            for i, j in zip(*gaps.nonzero(), strict=True):
                unit, indicator = str(self.raw.index[i]), str(self.raw.columns[j])
                out.setdefault(unit, {}).setdefault(
                    indicator,
                    {
                        "method": method,
                        "value": None,
                        "zh": "未填报，按可用指标重新分配权重" if method == "skip" else "未填报",
                        "en": "not given: the weights were rescaled over the figures given"
                        if method == "skip"
                        else "not given",
                    },
                )
        return out

    def to_csv(self, path: str | Path) -> Path:
        """Write the ranking table with the current language's headers (UTF-8 with BOM, so
        that Excel opens Chinese text correctly)."""
        path = Path(path)
        self._display_table().to_csv(path, index=False, encoding="utf-8-sig")
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


def gap_mark(gap: dict[str, Any]) -> str:
    """估 for a figure estimated in place of one not given, 缺 for one left out (or scored 0)."""
    return "估" if gap["value"] is not None and gap["method"] != "zero" else "缺"


def missing_labels(result: Any, units: pd.Series) -> list[str]:
    """Per unit: the indicators not given, each with its mark (``投资率（估）``); '' if none."""
    gaps = result.missing()
    sep = "；" if get_language() == "zh" else "; "
    return [
        sep.join(f"{result.header(i)}（{gap_mark(g)}）" for i, g in gaps.get(str(code), {}).items())
        for code in units
    ]


def missing_frame(result: Any) -> pd.DataFrame:
    """Every figure not given, one row each (the workbook's sheet of them)."""
    zh = get_language() == "zh"
    names = result.table["name"].to_dict()
    rows = [
        {
            "unit": unit,
            "name": names.get(unit, unit),
            "indicator_name": result.header(indicator),
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
