"""A result's outputs built column by column for 10^5 units (issue 20): ``to_records`` and
``missing`` give exactly what the row-by-row code gave (kept here as the oracle), the Parquet
ranking table reads back equal to the CSV's to the last bit, and the workbook streamed by
XlsxWriter holds the frames' values exactly, with the ranking chart cut to its first
:data:`~kaoping.assess.excel_charts.RANKING_CHART_LIMIT` units and saying so."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from tests.assess.chartbook import cells, charts
from tests.assess.test_excel_charts import computed

from kaoping import errors
from kaoping.assess import assess
from kaoping.assess.excel_charts import RANKING_CHART_LIMIT
from kaoping.data import Panel
from kaoping.errors import KaopingWarning
from kaoping.methodology import loads

SKIP = "id: skip\nname: 跳过\nbase: county_hqd\nmissing: skip\n"


@pytest.fixture(autouse=True)
def chinese() -> Iterator[None]:
    before = errors._language
    errors.set_language("zh")
    yield
    errors._language = before


# --- the oracle: the row-by-row code these replace (kaoping before issue 20) -----------------


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


def _base(code: Any, row: pd.Series, dims: list[str]) -> dict[str, Any]:
    return {
        "unit": str(code),
        "name": row["name"],
        "category": _plain(row["category"]),
        "score": _plain(row["score"]),
        "rank": _plain_int(row["rank"]),
        "category_rank": _plain_int(row["category_rank"]),
        "tier": _plain(row["tier"]),
        "dimensions": {d: _plain(row[d]) for d in dims},
    }


def _ordered(result: Any) -> pd.DataFrame:
    return result.table.sort_values(["rank", "score"], ascending=[True, False], na_position="last")


def records_by_rows(result: Any) -> list[dict[str, Any]]:
    """``to_records`` as it was: ``iterrows`` and one conversion per value."""
    gaps = missing_by_cells(result)
    out = []
    for code, row in _ordered(result).iterrows():
        record = _base(code, row, result.dimension_ids)
        if "bonus" in result.table.columns:
            pts = result.points.loc[code]
            record |= {
                "points": {k: _plain(v) for k, v in pts.items()},
                "bonus": _plain(row["bonus"]),
                "penalty": _plain(row["penalty"]),
                "veto": row["veto"].split("；") if isinstance(row["veto"], str) else [],
                "previous_rank": _plain_int(row["previous_rank"]),
                "rank_change": _plain_int(row["rank_change"]),
                "awards": row["awards"].split("、") if isinstance(row["awards"], str) else [],
                "gate": _plain(row["gate"]),
            }
        record["missing"] = gaps.get(str(code), {})
        out.append(record)
    return out


def missing_by_cells(result: Any) -> dict[str, dict[str, dict[str, Any]]]:
    """The academic ``missing`` as it was (the official one: its own, unchanged in form)."""
    if "bonus" in result.table.columns:
        return result.missing()  # type: ignore[no-any-return]
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for imp in result.imputations:
        out.setdefault(imp.unit, {})[imp.indicator] = {
            "method": imp.method,
            "value": _plain(imp.value),
            "zh": imp.note_zh or imp.note,
            "en": imp.note,
        }
    method = result.methodology.missing.method
    gaps = result.raw.isna().to_numpy()
    for i, j in zip(*gaps.nonzero(), strict=True):
        unit, indicator = str(result.raw.index[i]), str(result.raw.columns[j])
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


def typed(value: Any) -> Any:
    """The value with every leaf's type beside it (1 == 1.0 == True would hide a change)."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}, list(value)
    if isinstance(value, list):
        return [typed(v) for v in value]
    return type(value).__name__, value


# --- to_records and missing ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["academic", "official", "skip"])
def test_records_are_the_row_by_row_records_exactly(kind: str) -> None:
    result = computed("academic", SKIP) if kind == "skip" else computed(kind)
    got = result.to_records()
    assert typed(got) == typed(records_by_rows(result))
    assert typed(result.missing()) == typed(missing_by_cells(result))
    assert len(got) == 102


@cache
def _skip_result() -> Any:
    return computed("academic", SKIP)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    share=st.sampled_from([0.0, 0.05, 0.5, 1.0]),
    ties=st.booleans(),
    int64=st.booleans(),
    scalars=st.booleans(),
)
def test_records_of_any_table_are_the_row_by_row_records(
    seed: int, share: float, ties: bool, int64: bool, scalars: bool
) -> None:
    """Scores, ranks, categories and tiers missing anywhere (``share`` of the cells), ties,
    figures not given, columns of other dtypes (Int64, object holding NumPy scalars)."""
    result = _skip_result()
    rng = np.random.default_rng(seed)
    n, m = result.raw.shape
    table = result.table.copy()
    for column in ("score", "rank", "category_rank", "economy"):
        table.loc[rng.random(n) < share, column] = np.nan
    table.loc[rng.random(n) < share, "category"] = None
    table.loc[rng.random(n) < share, "tier"] = np.nan
    if ties:
        table["rank"] = np.floor(table["rank"] / 3)
    if int64:
        table["category_rank"] = pd.array(table["category_rank"].round(), dtype="Int64")
    if scalars:  # NumPy scalars in an object column
        table["innovation"] = pd.Series(list(table["innovation"].to_numpy()), dtype=object).values
    raw = result.raw.mask(rng.random((n, m)) < share / 5)
    changed = replace(result, table=table, raw=raw)
    assert typed(changed.to_records()) == typed(records_by_rows(changed))
    assert typed(changed.missing()) == typed(missing_by_cells(changed))


def test_an_official_result_with_its_vetoes_awards_and_gaps_gives_the_same_records() -> None:
    result = computed("official")
    raw = result.raw.copy()
    scored = [c for c in raw.columns if raw[c].notna().all()][:3]
    raw.iloc[[0, 5, 7], [raw.columns.get_loc(c) for c in scored]] = np.nan
    changed = replace(result, raw=raw)
    records = changed.to_records()
    assert typed(records) == typed(records_by_rows(changed))
    assert any(r["veto"] for r in records)
    assert any(r["awards"] for r in records)
    assert sum(len(r["missing"]) for r in records) == sum(map(len, changed.missing().values())) > 0


# --- Parquet --------------------------------------------------------------------------------


def _same(csv: pd.DataFrame, parquet: pd.DataFrame) -> None:
    """Column by column: numbers equal with == (NaN where NaN), texts equal."""
    assert list(csv.columns) == list(parquet.columns)
    for column in csv.columns:
        a, b = csv[column], parquet[column]
        if pd.api.types.is_numeric_dtype(b) or b.isna().all():
            x = pd.to_numeric(a).to_numpy(dtype=float, na_value=np.nan)
            y = pd.to_numeric(b).to_numpy(dtype=float, na_value=np.nan)
            assert np.array_equal(np.isnan(x), np.isnan(y)), column
            assert (x[~np.isnan(x)] == y[~np.isnan(y)]).all(), column  # to the last bit
            if b.dtype.kind == "f":
                assert b.dtype == np.float64
        else:
            assert a.astype(object).fillna("").astype(str).tolist() == (
                b.astype(object).fillna("").astype(str).tolist()
            ), column


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("kind", ["academic", "official", "skip"])
def test_parquet_reads_back_as_the_csv_to_the_last_bit(
    tmp_path: Path, kind: str, language: str
) -> None:
    errors.set_language(language)
    result = computed("academic", SKIP) if kind == "skip" else computed(kind)
    csv = pd.read_csv(result.to_csv(tmp_path / "r.csv"), encoding="utf-8-sig", dtype={0: str})
    parquet = pd.read_parquet(result.to_parquet(tmp_path / "r.parquet"))
    assert list(parquet.columns) == [str(c) for c in result._display_table().columns]
    assert parquet.columns[0] == ("代码" if language == "zh" else "Code")
    _same(csv, parquet)
    # and both are the table itself: every score bit for bit
    scores = _ordered(result)["score"].to_numpy()
    assert (parquet.iloc[:, 3].to_numpy() == scores).all()
    if kind == "skip":
        assert parquet.iloc[:, -1].str.contains("（缺）").sum() == 1  # the figure not given


def test_the_csv_writes_floats_that_read_back_exactly(tmp_path: Path) -> None:
    """Floats of every magnitude, the shortest repr that round-trips (pandas' default)."""
    result = computed("academic")
    rng = np.random.default_rng(7)
    table = result.table.copy()
    table["score"] = rng.lognormal(0, 8, len(table)) * rng.choice([-1, 1], len(table))
    table["economy"] = rng.random(len(table)) / 3
    changed = replace(result, table=table)
    back = pd.read_csv(changed.to_csv(tmp_path / "r.csv"), encoding="utf-8-sig")
    assert (back["综合得分"].to_numpy() == _ordered(changed)["score"].to_numpy()).all()
    parquet = pd.read_parquet(changed.to_parquet(tmp_path / "r.parquet"))
    assert (back["经济实力"].to_numpy() == parquet["经济实力"].to_numpy()).all()


# --- the workbook at scale --------------------------------------------------------------------


@cache
def many(n: int = 450) -> Any:
    """``n`` synthetic units, three indicators, tiers by rank (30, 60, the rest)."""
    m = loads(
        "id: many\nname: 多单位\nmissing: skip\n"
        "tiers:\n  - {name: 第一方阵, max_rank: 30}\n  - {name: 第二方阵, max_rank: 60}\n"
        "  - {name: 第三方阵}\n"
        "dimensions:\n"
        "  - id: a\n    name: 甲\n    indicators:\n"
        "      - {id: x1, name: 指标一, direction: positive}\n"
        "      - {id: x2, name: 指标二, direction: negative}\n"
        "  - id: b\n    name: 乙\n    indicators:\n"
        "      - {id: x3, name: 指标三, direction: positive}\n"
    )
    rng = np.random.default_rng(3)
    values = rng.lognormal(size=(n, 3))
    values[rng.random((n, 3)) < 0.01] = np.nan
    codes = [f"E{i:05d}" for i in range(n)]
    frame = pd.DataFrame(
        [
            {"unit": c, "indicator": f"x{j + 1}", "period": "2024", "value": values[i, j]}
            for i, c in enumerate(codes)
            for j in range(3)
            if not np.isnan(values[i, j])
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return assess(m, Panel(frame), "2024")


def test_the_streamed_sheets_hold_the_frames_values_exactly(tmp_path: Path) -> None:
    result = many()
    path = result.to_excel(tmp_path / "many.xlsx")
    ranking = pd.read_excel(path, sheet_name="综合排名")
    expected = result._display_table()
    assert list(ranking.columns) == list(expected.columns)
    for column in ("综合得分", "甲", "乙"):  # XlsxWriter writes 16 significant digits (%.16G)
        np.testing.assert_allclose(ranking[column], expected[column], rtol=2e-16 * 10, atol=0)
    assert ranking["代码"].tolist() == expected["代码"].tolist()
    raw = pd.read_excel(path, sheet_name="原始数据")
    same = raw.set_index("代码")[["指标一", "指标二", "指标三"]]
    given = result.raw.loc[same.index, ["x1", "x2", "x3"]].to_numpy()
    np.testing.assert_allclose(same.to_numpy(), given, rtol=2e-15, atol=0)  # NaN where NaN
    book = load_workbook(path)
    ws = book["原始数据"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.bold
    assert str(ws["A1"].fill.fgColor.rgb).endswith("DDEBF7")
    for row in ws.iter_rows(min_row=2, max_row=60, min_col=3):
        for cell in row:
            if isinstance(cell.value, float):
                assert cell.number_format == ("0.00" if abs(cell.value) >= 1 else "0.0000")
            else:
                assert cell.value is None  # a figure not given: blank
    missing = pd.read_excel(path, sheet_name="未填报的数值")
    assert len(missing) == int(result.raw.isna().sum().sum()) > 0


def test_above_the_limit_the_ranking_chart_draws_the_first_units_and_says_so(
    tmp_path: Path,
) -> None:
    result = many()
    n = len(result.table)
    assert n > RANKING_CHART_LIMIT
    path = result.to_excel(tmp_path / "many.xlsx")
    book = load_workbook(path)
    found = {c.title: c for c in charts(path)["图表"]}
    title = f"综合排名（前 {RANKING_CHART_LIMIT} 名，共 {n} 个单位）"
    assert set(found) == {title, "各方阵单位数", "所选单位各维度得分"}
    bars = found[title]
    order = _ordered(result)
    first = order.iloc[:RANKING_CHART_LIMIT]
    assert cells(book, bars.series[0].categories) == list(first["name"])
    drawn = [cells(book, s.values) for s in bars.series]
    assert all(len(v) == RANKING_CHART_LIMIT for v in drawn)
    scores = [next(x for x in row if x is not None) for row in zip(*drawn, strict=True)]
    # each unit's bar in its tier's series (16 significant digits)
    assert scores == pytest.approx(list(first["score"]), rel=2e-15)
    assert bars.height == pytest.approx(3.5 + 0.5 * RANKING_CHART_LIMIT, abs=0.05)
    # the drop-down list and the blocks still hold every ranked unit
    ws = book["图表"]
    (listed,) = ws.data_validations.dataValidation
    assert len(cells(book, f"'图表'!{listed.formula1}")) == n
    tiers = found["各方阵单位数"]
    assert cells(book, tiers.series[0].values) == [30, 30, n - 60]
