"""The dispatch's spreadsheets (kaoping.dispatch.sheets): templates read back as written, every
bad cell named at once with its fix, and the checks across months worked by hand."""

from __future__ import annotations

import doctest
import importlib
import io
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from kaoping.dispatch.demo import synthetic
from kaoping.dispatch.progress import registry_frame
from kaoping.dispatch.sheets import (
    GUIDE_SHEET,
    MONTHLY_SHEET,
    NOTE_HEADER,
    REGISTRY_SHEET,
    check_reports,
    monthly_template,
    read_monthly,
    read_registry,
    registry_template,
)
from kaoping.errors import InputError

REG = pd.DataFrame(
    {
        "project": ["P1", "P2", "P3"],
        "name": ["甲项目（一期）", "乙项目", "丙项目"],
        "county": ["410821", "410822", "410822"],
        "total": [5000.0, 800.0, 1200.0],
    }
)


def _book(rows: list[list[object]], title: str = MONTHLY_SHEET) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _problems(error: pytest.ExceptionInfo[InputError]) -> dict[str | None, str]:
    return {p.where: p.code for p in error.value.problems}


def test_the_doctests_hold() -> None:
    module = importlib.import_module("kaoping.dispatch.sheets")
    assert doctest.testmod(module).failed == 0


# -- the monthly sheet ------------------------------------------------------------------------


def test_the_monthly_template_fills_identity_greys_it_and_explains_each_column() -> None:
    wb = load_workbook(io.BytesIO(monthly_template(REG, "2026-03")))
    assert wb.sheetnames == [MONTHLY_SHEET, GUIDE_SHEET]
    ws = wb[MONTHLY_SHEET]
    heads = [c.value for c in ws[1]]
    assert heads[:4] == ["项目编号", "项目名称", "县区代码", "月份"]
    assert heads[-1] == NOTE_HEADER
    assert "必填" in NOTE_HEADER
    assert [ws.cell(row=r, column=1).value for r in (2, 3, 4)] == ["P1", "P2", "P3"]
    assert ws["B2"].value == "甲项目（一期）"
    assert ws["C3"].value == "410822"
    assert ws["D4"].value == "2026-03"
    assert ws["A2"].fill.fgColor.rgb.endswith("E7E6E6")  # greyed
    assert ws["E2"].fill.fgColor.rgb in (None, "00000000")  # to fill: not greyed
    assert ws.freeze_panes == "C2"
    # every header shows: the column is at least as wide as the header's display width
    for index, head in enumerate(heads, start=1):
        letter = ws.cell(row=1, column=index).column_letter
        wide = sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(head))
        assert ws.column_dimensions[letter].width >= min(wide, 50)
    kinds = {str(v.sqref).split(":")[0]: v.type for v in ws.data_validations.dataValidation}
    assert kinds["E2"] == "decimal"
    assert kinds["H2"] == "list"
    guide = wb[GUIDE_SHEET]
    described = {row[1]: row[2] for row in guide.iter_rows(min_row=2, values_only=True)}
    assert described["本月完成投资（万元）"] == "invested this month (10k yuan)"
    assert described["说明"] == "note"


def test_an_empty_template_reads_back_as_no_reports() -> None:
    frame = read_monthly(io.BytesIO(monthly_template(REG, "2026-03")), name="3月.xlsx")
    assert len(frame) == 0
    assert frame.attrs["source"] == "3月.xlsx!月调度表"


def test_a_filled_template_reads_back_with_its_cells() -> None:
    wb = load_workbook(io.BytesIO(monthly_template(REG, "2026-03")))
    ws = wb[MONTHLY_SHEET]
    ws["E2"], ws["F2"], ws["G2"], ws["H2"], ws["K2"] = 120, "1,320.5", 4020, "否", "主体封顶"
    ws["E4"], ws["H4"], ws["M4"] = 0, "是", "停工整改"
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    frame = read_monthly(out, name="3月.xlsx", month="2026-03")
    assert frame["project"].tolist() == ["P1", "P3"]  # P2 left blank: not reported
    assert frame["_row"].tolist() == [2, 4]
    p1 = frame.iloc[0]
    assert (p1["invested"], p1["ytd"], p1["since_start"]) == (120.0, 1320.5, 4020.0)
    assert p1["stopped"] is False
    assert p1["progress"] == "主体封顶"
    assert p1["month"] == "2026-03"
    assert frame.iloc[1]["stopped"] is True
    assert frame.iloc[1]["note"] == "停工整改"
    assert frame.attrs["columns"]["ytd"] == "F"
    assert frame.attrs["columns"]["note"] == "M"


def test_the_demo_month_round_trips_through_its_template() -> None:
    reg, rep = synthetic()
    month = rep[rep["month"] == "2026-11"].set_index("project").sort_index()
    frame = read_monthly(io.BytesIO(monthly_template(reg, "2026-11", rep)), name="m.xlsx")
    frame = frame.set_index("project").sort_index()
    assert frame.index.tolist() == month.index.tolist()
    for name in ("invested", "ytd", "since_start", "workers"):
        if name in month:
            assert frame[name].tolist() == pytest.approx(
                month[name].astype(float).tolist(), nan_ok=True
            )


def test_every_bad_cell_of_a_monthly_sheet_is_named_at_once() -> None:
    rows: list[list[object]] = [
        ["项目编号", "填报月份", "本月完成投资（万元）", "当年累计", "是否停工", "天气"],
        ["P1", "2026-03", "12o", 300, "也许", "晴"],  # a number that is text, a bad flag
        ["P2", "2026-04", 10, None, None, None],  # another month
        ["P3", "2026-03", None, 20, None, None],  # 本月完成投资 empty
        ["P1", "2026-03", 5, None, None, None],  # P1 twice
        ["P4", "2026.3", 5, None, None, None],  # an ambiguous month
    ]
    with pytest.raises(InputError) as error:
        read_monthly(_book(rows), name="3月.xlsx", month="2026-03")
    where = _problems(error)
    assert where == {
        "3月.xlsx!月调度表!F1": "dispatch.unknown_column",
        "3月.xlsx!月调度表!C2": "dispatch.not_a_number",
        "3月.xlsx!月调度表!E2": "dispatch.bad_flag",
        "3月.xlsx!月调度表!B3": "dispatch.wrong_month",
        "3月.xlsx!月调度表!C4": "dispatch.required",
        "3月.xlsx!月调度表!A5": "dispatch.duplicate_project",
        "3月.xlsx!月调度表!B6": "dispatch.bad_month",
    }
    unknown = next(p for p in error.value.problems if p.code == "dispatch.unknown_column")
    assert "天气" in unknown.zh
    assert "本月完成投资（万元）" in unknown.zh
    assert "本月完成投资" in unknown.en or "invested this month" in unknown.en
    wrong = next(p for p in error.value.problems if p.code == "dispatch.wrong_month")
    assert "2026-04" in wrong.zh
    assert "2026-03" in wrong.zh


def test_a_monthly_csv_with_english_headers_and_no_month_column_is_the_month_given(
    tmp_path: Path,
) -> None:
    path = tmp_path / "march.csv"
    path.write_text("project id,invested this month,备注\nP1,10,\nP2,0,刚复工\n", "utf-8")
    frame = read_monthly(path, month="2026-03")
    assert frame["month"].tolist() == ["2026-03", "2026-03"]
    assert frame["note"].tolist() == [None, "刚复工"]
    assert frame.attrs["source"] == "march.csv"
    with pytest.raises(InputError) as error:
        read_monthly(path)  # no month given: the column is required
    assert error.value.codes == ["dispatch.missing_column"]


def test_a_folder_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        read_monthly(tmp_path, month="2026-03")
    assert error.value.codes == ["data.unreadable_file"]


# -- the registry -----------------------------------------------------------------------------


def test_the_registry_template_is_empty_with_every_header() -> None:
    wb = load_workbook(io.BytesIO(registry_template()))
    assert wb.sheetnames == [REGISTRY_SHEET, GUIDE_SHEET]
    heads = [c.value for c in wb[REGISTRY_SHEET][1]]
    assert heads[:2] == ["项目编号", "项目名称"]
    assert "总投资（万元）" in heads
    rows = list(wb[REGISTRY_SHEET].iter_rows(min_row=2, values_only=True))
    assert all(v is None for row in rows for v in row)  # formatted for 200 rows, all empty
    kinds = {v.type for v in wb[REGISTRY_SHEET].data_validations.dataValidation}
    assert kinds == {"list", "decimal"}


def test_the_demo_registry_round_trips_through_its_export() -> None:
    reg, _ = synthetic()
    frame = read_registry(io.BytesIO(registry_template(reg)), name="项目库.xlsx")
    assert frame.attrs["source"] == "项目库.xlsx!项目库"
    back = registry_frame(frame.drop(columns="_row"))
    want = registry_frame(reg)
    for name in ("name", "county", "total", "bond", "key_level", "industrial", "actual_start"):

        def plain(series: pd.Series) -> list[object]:
            return [None if pd.isna(v) or v == "" else v for v in series]

        assert back.index.tolist() == want.index.tolist()
        assert plain(back[name]) == plain(want[name]), name


def test_every_bad_cell_of_a_registry_is_named_at_once() -> None:
    rows: list[list[object]] = [
        ["项目编号", "项目名称", "县区代码", "总投资（万元）", "重点级别", "计划开工时间", "备注"],
        ["P1", "甲", "410821", "十万", "市重点", "2026-03-01", None],  # total is text
        ["P2", None, "410821", 100, "特重点", "2026-02-30", None],  # name empty, level, date
        ["P1", "丙", "410822", 100, None, "2026/4/1", None],  # P1 twice
    ]
    with pytest.raises(InputError) as error:
        read_registry(_book(rows, REGISTRY_SHEET), name="名称.xlsx")
    assert _problems(error) == {
        "名称.xlsx!项目库!G1": "dispatch.unknown_column",
        "名称.xlsx!项目库!D2": "dispatch.not_a_number",
        "名称.xlsx!项目库!B3": "dispatch.required",
        "名称.xlsx!项目库!E3": "dispatch.bad_choice",
        "名称.xlsx!项目库!F3": "dispatch.bad_date",
        "名称.xlsx!项目库!A4": "dispatch.duplicate_project",
    }
    choice = next(p for p in error.value.problems if p.code == "dispatch.bad_choice")
    assert "国家重点、省重点、市重点、县重点" in choice.zh  # lists the choices
    assert "十万" in next(p.zh for p in error.value.problems if p.code == "dispatch.not_a_number")


def test_a_registry_csv_in_gbk_with_aliases_reads(tmp_path: Path) -> None:
    path = tmp_path / "项目库.csv"
    text = (
        "编号,名称,区划代码,总投资（万元）,是否工业项目,开工时间\n"
        "A1,甲,410821,1000,是,2026年3月5日\n"
    )
    path.write_bytes(text.encode("gb18030"))
    frame = read_registry(path)
    row = frame.iloc[0]
    assert (row["project"], row["county"], row["total"]) == ("A1", "410821", 1000.0)
    assert row["industrial"] is True
    assert row["actual_start"] == pd.Timestamp("2026-03-05")
    assert frame.attrs["columns"]["county"] == "C"


def test_a_sheet_without_a_header_says_what_the_header_needs() -> None:
    with pytest.raises(InputError) as error:
        read_registry(_book([["x", "y"], [1, 2]], REGISTRY_SHEET), name="r.xlsx")
    assert error.value.codes == ["dispatch.no_header"]
    assert "项目编号" in error.value.problems[0].zh


# -- checks across months, by hand ------------------------------------------------------------

PREVIOUS = pd.DataFrame(
    {
        "project": ["P1", "P1", "P2", "P3"],
        "month": ["2026-01", "2026-02", "2026-02", "2025-12"],
        "ytd": [100.0, 300.0, 50.0, 900.0],
        "since_start": [2100.0, 2300.0, 700.0, 1100.0],
    }
)


def _now(**columns: list[object]) -> pd.DataFrame:
    base: dict[str, list[object]] = {"project": ["P1", "P2", "P3"], "month": ["2026-03"] * 3}
    base.update(columns)
    return pd.DataFrame(base)


def test_figures_that_hold_raise_nothing() -> None:
    # P1: ytd 300 -> 320, since start 2300 -> 2320; P2: 50 -> 60; P3: a new year, ytd restarts
    # at 40 (below December's 900, which is of 2025) and since start 1100 -> 1140.
    now = _now(
        invested=[20.0, 10.0, 40.0],
        ytd=[320.0, 60.0, 40.0],
        since_start=[2320.0, 710.0, 1140.0],
        note=[None, None, None],
    )
    assert check_reports(now, registry=REG, previous=PREVIOUS) == []


def test_a_cumulative_figure_below_last_months_is_refused_with_both_values() -> None:
    # P1's ytd 250 < February's 300; P2's since start 690 < 700
    now = _now(
        invested=[0.0, 0.0, 0.0], ytd=[250.0, 60.0, 0.0], since_start=[2300.0, 690.0, 1100.0]
    )
    problems = check_reports(now, registry=REG, previous=PREVIOUS)
    assert [(p.code, p.where) for p in problems] == [
        ("dispatch.cumulative_down", "P1.ytd"),
        ("dispatch.cumulative_down", "P2.since_start"),
    ]
    assert "250" in problems[0].zh
    assert "300" in problems[0].zh
    assert "2026-02" in problems[0].zh
    assert "690" in problems[1].en
    assert "700" in problems[1].en


def test_a_figure_above_the_total_investment_is_refused() -> None:
    # P2's total is 800: invested 900 > 800, and since start 1750 > 800 on its own too
    now = _now(invested=[10.0, 900.0, 10.0], since_start=[2310.0, 1600.0, 1110.0])
    problems = check_reports(now, registry=REG, previous=PREVIOUS)
    assert [(p.code, p.where) for p in problems] == [
        ("dispatch.above_total", "P2.invested"),
        ("dispatch.above_total", "P2.since_start"),
    ]
    assert "900" in problems[0].zh
    assert "800" in problems[0].zh


def test_a_note_waives_the_checks_of_its_row() -> None:
    now = _now(
        invested=[0.0, 900.0, 0.0],
        ytd=[250.0, 60.0, 0.0],
        since_start=[2300.0, 700.0, 1100.0],
        note=["2月多报 50 万元，已更正", "总投资调整为 2000 万元，已报批", "  "],
    )
    assert check_reports(now, registry=REG, previous=PREVIOUS) == []
    now.loc[0, "note"] = None
    assert [p.where for p in check_reports(now, registry=REG, previous=PREVIOUS)] == ["P1.ytd"]


def test_problems_of_a_read_sheet_name_their_cells() -> None:
    wb = load_workbook(io.BytesIO(monthly_template(REG, "2026-03")))
    ws = wb[MONTHLY_SHEET]
    ws["E2"], ws["F2"] = 10, 250  # P1: ytd below February's 300
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    frame = read_monthly(out, name="3月.xlsx", month="2026-03")
    problems = check_reports(frame, registry=REG, previous=PREVIOUS)
    assert [p.where for p in problems] == ["3月.xlsx!月调度表!F2"]


def test_no_previous_reports_checks_the_totals_only() -> None:
    now = _now(invested=[6000.0, 1.0, 1.0])
    assert [p.where for p in check_reports(now, registry=REG, previous=None)] == ["P1.invested"]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 1000, allow_nan=False), min_size=2, max_size=12),
    st.integers(0, 10),
)
def test_a_cumulative_series_is_flagged_exactly_where_it_falls(
    monthly: list[float], drop_at: int
) -> None:
    # ytd is the running sum of non-negative months: never flagged; lowering one month's ytd
    # below the month before it is flagged there and nowhere else
    ytd = [sum(monthly[: k + 1]) for k in range(len(monthly))]
    months = [f"2026-{k + 1:02d}" for k in range(len(monthly))]
    frame = pd.DataFrame({"project": "P1", "month": months, "ytd": ytd})
    reg = pd.DataFrame({"project": ["P1"], "county": ["1"], "total": [math.inf]})
    for k in range(1, len(months)):
        assert check_reports(frame.iloc[[k]], registry=reg, previous=frame.iloc[:k]) == []
    k = 1 + drop_at % (len(months) - 1)
    lowered = frame.iloc[[k]].copy()
    lowered["ytd"] = ytd[k - 1] - 1.0
    problems = check_reports(lowered, registry=reg, previous=frame.iloc[:k])
    assert [p.code for p in problems] == ["dispatch.cumulative_down"]
