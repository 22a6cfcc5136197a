"""Reading the firm table and the benchmark sheet: every bad cell named (file, sheet, cell)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import xlsxwriter

from kaoping.data.bundled import henan_units
from kaoping.errors import InputError
from kaoping.mujun import MujunSpec, read_benchmarks, read_firms
from kaoping.mujun.sheets import division

from .conftest import HEADER, ROWS


def test_the_hand_firm_table_is_read(spec: MujunSpec, firm_csv: str) -> None:
    table = read_firms(firm_csv, spec, units=henan_units())
    frame = table.frame
    assert frame["code"].tolist() == ["a", "b", "c", "d", "e", "f"]
    assert frame["industry"].tolist() == ["13", "13", "13", "34", "34", "34"]
    assert frame["exempt"].tolist() == [False] * 5 + [True]
    assert np.isnan(frame.loc[4, "energy"])
    assert table.year == "2024"
    assert frame["row"].tolist() == [2, 3, 4, 5, 6, 7]


def test_every_bad_cell_of_the_firm_table_is_named(spec: MujunSpec, tmp_path: Path) -> None:
    rows = [
        "a,甲,410883,13,-10,240.97,1361.6,68,340.4,0.2,60.4,2000,否,,2024",  # E2 land < 0
        "a,乙,419999,99,20,12%,1000,100,500,0.5,0,3000,也许,,2024",  # A3 dup, C3, D3, F3, M3
        "c,丙,41088,C44,10,100,800,50,200,0.1,24,1200,是,,2025",  # C4, D4 (C not 44), N4, O4
    ]
    path = tmp_path / "企业.csv"
    path.write_text(HEADER + ",颜色\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_firms(path, spec, units=henan_units())
    got = {(p.code, p.where) for p in caught.value.problems}
    assert got == {
        ("mujun.unknown_column", "企业.csv!P1"),
        ("mujun.negative", "企业.csv!E2"),
        ("mujun.duplicate_firm", "企业.csv!A3"),
        ("mujun.unknown_county", "企业.csv!C3"),
        ("mujun.bad_industry", "企业.csv!D3"),
        ("mujun.not_a_number", "企业.csv!F3"),
        ("mujun.bad_flag", "企业.csv!M3"),
        ("mujun.bad_county", "企业.csv!C4"),
        ("mujun.bad_industry", "企业.csv!D4"),
        ("mujun.missing_reason", "企业.csv!N4"),
        ("mujun.mixed_years", "企业.csv!O4"),
    }
    first = next(p for p in caught.value.problems if p.code == "mujun.duplicate_firm")
    assert "企业.csv!A2" in first.zh
    assert "企业.csv!A2" in first.en


def test_a_missing_column_is_named(spec: MujunSpec, tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("企业代码,县区代码,行业代码,用地面积\na,410883,13,1\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_firms(path, spec)
    missing = [p.zh for p in caught.value.problems if p.code == "mujun.missing_column"]
    assert len(missing) == 7
    assert "实缴税金" in missing[0]


def _workbook(path: Path, rows: list[list[object]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("企业")
    sheet = book.add_worksheet("标杆值")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()


def test_every_bad_cell_of_the_benchmark_sheet_is_named(spec: MujunSpec, tmp_path: Path) -> None:
    path = tmp_path / "标杆值.xlsx"
    _workbook(
        path,
        [
            ["行业代码", "行业名称", "亩均税收（万元/亩）", "亩均增加值", "单位能耗", "R&D占比"],
            [34, "通用设备", 30, 150, None, 0.04],
            ["3411", "小类", 30, "abc", None, None],  # A3 小类, D3 not a number
            ["34", "重复", 0, 150, None, None],  # A4 duplicate, C4 benchmark 0
            ["01", "农业", -1, None, None, None],  # A5 not industrial, C5 < 0
        ],
    )
    with pytest.raises(InputError) as caught:
        read_benchmarks(path, spec, sheet="标杆值")
    got = {(p.code, p.where) for p in caught.value.problems}
    assert got == {
        ("mujun.unknown_column", "标杆值.xlsx!标杆值!E1"),  # 单位能耗 is no indicator name
        ("mujun.bad_industry", "标杆值.xlsx!标杆值!A3"),
        ("mujun.not_a_number", "标杆值.xlsx!标杆值!D3"),
        ("mujun.duplicate_industry", "标杆值.xlsx!标杆值!A4"),
        ("mujun.bad_benchmark", "标杆值.xlsx!标杆值!C4"),
        ("mujun.bad_industry", "标杆值.xlsx!标杆值!A5"),
        ("mujun.bad_benchmark", "标杆值.xlsx!标杆值!C5"),
    }
    fix = next(p for p in caught.value.problems if p.where == "标杆值.xlsx!标杆值!C4")
    assert "24.097" in fix.zh
    assert "leave it empty" in fix.en


def test_a_benchmark_sheet_blank_cell_means_the_default(spec: MujunSpec, bench_csv: str) -> None:
    path = Path(bench_csv)
    path.write_text("行业代码,亩均税收\n34,30\n13,\n", encoding="utf-8")
    frame = read_benchmarks(path, spec)
    assert frame.loc["34", "tax_per_mu"] == 30.0
    assert np.isnan(frame.loc["13", "tax_per_mu"])
    assert np.isnan(frame.loc["34", "va_per_mu"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(13, "13"), ("C13", "13"), ("1311", "13"), ("C3311", "33"), (6, "06"), ("610", "06"),
     ("46", "46")],
)  # fmt: skip
def test_industry_codes_give_their_division(raw: object, expected: str) -> None:
    assert division(raw) == expected


@pytest.mark.parametrize("raw", ["05", "47", "A01", "B13", "C1", "xx", "12345"])
def test_codes_that_are_no_industrial_division_are_refused(raw: object) -> None:
    assert not isinstance(division(raw), str)


def test_the_rows_fixture_is_consistent() -> None:
    assert all(len(r.split(",")) == len(HEADER.split(",")) for r in ROWS)
