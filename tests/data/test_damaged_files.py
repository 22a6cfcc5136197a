"""Damaged workbooks and files that are not files: one located problem each, never an exception
from inside a library, a hang or an unbounded read.

Each workbook is built part by part in the test (xlsxkit.py) with one part or cell damaged;
the expected address is the cell as written (row 1 the header, column A the code).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kaoping.data import _sheet, read_panel, read_units
from kaoping.errors import InputError

from .xlsxkit import corrupt, workbook

INDICATORS = {"gdp_pc": "gdp_pc", "人均GDP": "gdp_pc", "urban": "urban"}
ROWS: list[list[object]] = [
    ["代码", "名称", "年份", "人均GDP", "urban"],
    ["410821", "修武县", "2024", 86200, 55.2],
    ["410822", "博爱县", "2024", 91000, 58.1],
]


def problems(path: Path, **kwargs: object) -> list[tuple[str, str | None]]:
    with pytest.raises(InputError) as error:
        read_panel(path, indicators=INDICATORS, **kwargs)  # type: ignore[arg-type]
    return [(p.code, p.where) for p in error.value.problems]


def write(folder: Path, content: bytes, name: str = "data.xlsx") -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def test_the_builder_makes_a_workbook_that_reads(tmp_path: Path) -> None:
    for shared in (False, True):
        panel = read_panel(write(tmp_path, workbook(ROWS, shared=shared)), indicators=INDICATORS)
        assert panel.matrix("2024", ["gdp_pc"])["gdp_pc"].tolist() == [86200.0, 91000.0]


@pytest.mark.parametrize(
    ("label", "content", "where"),
    [
        ("truncated", workbook(ROWS)[:300], "data.xlsx"),
        ("sheet does not decompress", corrupt(workbook(ROWS), "xl/worksheets/sheet1.xml"), None),
        ("shared strings do not decompress", None, None),
        (
            "sheet XML cut off",
            workbook(ROWS, parts={"xl/worksheets/sheet1.xml": "<worksheet><"}),
            None,
        ),
        ("styles XML broken", workbook(ROWS, parts={"xl/styles.xml": "<styleSheet><fonts"}), None),
        ("workbook XML broken", workbook(ROWS, parts={"xl/workbook.xml": "<workbook"}), None),
        ("sheet part missing", workbook(ROWS, drop=["xl/worksheets/sheet1.xml"]), None),
        (
            "entities that expand a billion times",
            workbook(
                ROWS,
                parts={
                    "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><!DOCTYPE x ['
                    '<!ENTITY a "aaaaaaaaaa">'
                    + "".join(
                        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                        for i in range(8)
                    )
                    + ']><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;'
                    "</t></is></c></row></sheetData></worksheet>"
                },
            ),
            None,
        ),
    ],
)
def test_a_damaged_part_is_named_with_the_fix(
    tmp_path: Path, label: str, content: bytes | None, where: str | None
) -> None:
    if content is None:  # shared strings that do not decompress
        content = corrupt(workbook(ROWS, shared=True), "xl/sharedStrings.xml")
    with pytest.raises(InputError) as error:
        read_panel(write(tmp_path, content), indicators=INDICATORS)
    (problem,) = error.value.problems
    assert problem.code in {"data.damaged_workbook", "data.unreadable_file"}, label
    assert problem.where == "data.xlsx"
    assert "Excel" in problem.zh
    assert "Excel" in problem.en


@pytest.mark.parametrize(
    ("cell", "where", "words"),
    [
        ('<c r="A2" t="s"><v>99</v></c>', "A2", "99"),  # shared string index past the end
        ('<c r="A2" t="s"><v>-1</v></c>', "A2", "-1"),
        ('<c r="D2" t="n"><v>abc</v></c>', "D2", "abc"),  # typed as a number, holding text
        ('<c r="D2"><v>nan</v></c>', "D2", "nan"),
        ('<c r="D2" t="b"><v>7</v></c>', "D2", "7"),  # a logical value that is 7
        ('<c r="D2" t="d"><v>garbage</v></c>', "D2", "garbage"),  # a date that is not one
        ('<c r="D2" t="zz"><v>1</v></c>', "D2", "zz"),  # no such cell type
        ('<c r="D2" s="99"><v>1</v></c>', "D2", "99"),  # style index past the end
        ('<c r="ZZZZ2"><v>1</v></c>', "D2", "ZZZZ2"),  # no such column: named by its place
        ('<c r="D7"><v>1</v></c>', "D2", "D7"),  # the address of another row
    ],
)
def test_a_damaged_cell_is_named_by_its_address(
    tmp_path: Path, cell: str, where: str, words: str
) -> None:
    """The damaged cell replaces the cell at ``where`` of a workbook that reads without it."""
    content = workbook(ROWS, shared='t="s"' in cell, cells={where: cell})
    with pytest.raises(InputError) as error:
        read_panel(write(tmp_path, content), indicators=INDICATORS)
    (problem,) = (p for p in error.value.problems if p.code == "data.damaged_cell")
    assert problem.where == f"data.xlsx!Sheet1!{where}"
    assert words in problem.zh
    assert words in problem.en


def test_every_damaged_cell_is_reported_at_once(tmp_path: Path) -> None:
    cells = {"D2": '<c r="D2" t="b"><v>7</v></c>', "E3": '<c r="E3"><v>x</v></c>'}
    assert problems(write(tmp_path, workbook(ROWS, cells=cells))) == [
        ("data.damaged_cell", "data.xlsx!Sheet1!D2"),
        ("data.damaged_cell", "data.xlsx!Sheet1!E3"),
    ]


def test_a_row_number_beyond_excel_is_refused_at_once_not_read_as_empty_rows(
    tmp_path: Path,
) -> None:
    far = '<row r="2000000000"><c r="A2000000000"><v>1</v></c></row>'
    start = time.perf_counter()
    found = problems(write(tmp_path, workbook(ROWS, extra_rows=far)))
    assert time.perf_counter() - start < 5  # openpyxl's reader yields 2e9 empty rows first
    assert [code for code, _ in found] == ["data.damaged_cell"]


def test_a_repeated_row_is_refused(tmp_path: Path) -> None:
    again = '<row r="2"><c r="A2"><v>1</v></c></row>'
    assert problems(write(tmp_path, workbook(ROWS, extra_rows=again))) == [
        ("data.damaged_cell", "data.xlsx!Sheet1!A2")
    ]


def test_a_zip_bomb_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    """60 MB of spaces compress about a thousand times, which no sheet written by Excel does
    (Apache POI refuses more than 100 times by default)."""
    sheet = "<worksheet><sheetData>" + " " * 60_000_000 + "</sheetData></worksheet>"
    content = workbook(ROWS, parts={"xl/worksheets/sheet1.xml": sheet})
    assert len(content) < 1_000_000
    start = time.perf_counter()
    assert problems(write(tmp_path, content)) == [("data.unreadable_file", "data.xlsx")]
    assert time.perf_counter() - start < 2


def test_a_workbook_without_sheets_is_empty(tmp_path: Path) -> None:
    content = workbook(ROWS, parts={"xl/workbook.xml": "<workbook><sheets/></workbook>"})
    assert problems(write(tmp_path, content)) == [("data.empty_file", "data.xlsx")]


def test_percent_dates_and_shared_formulas_are_still_seen(tmp_path: Path) -> None:
    """Style 1 of the builder is the built-in format 9 (0%): the cell shows 55% and holds 0.552,
    which is ambiguous; a formula without a saved value is named with its text."""
    cells = {
        "E2": '<c r="E2" s="1"><v>0.552</v></c>',
        "D3": '<c r="D3"><f t="shared" ref="D3:E3" si="0">B3*2</f></c>',
        "E3": '<c r="E3"><f t="shared" si="0"/></c>',
    }
    with pytest.raises(InputError) as error:
        read_panel(write(tmp_path, workbook(ROWS, cells=cells)), indicators=INDICATORS)
    found = {p.where: p for p in error.value.problems}
    assert found["data.xlsx!Sheet1!E2"].code == "data.not_a_number"
    assert "55.2%" in found["data.xlsx!Sheet1!E2"].zh
    assert found["data.xlsx!Sheet1!D3"].code == "data.formula_without_value"
    assert "=B3*2" in found["data.xlsx!Sheet1!D3"].zh
    assert "=C3*2" in found["data.xlsx!Sheet1!E3"].zh  # translated one column right


def test_a_units_file_is_read_by_the_same_reader(tmp_path: Path) -> None:
    rows = [["代码", "名称"], ["410821", "修武县"]]
    content = workbook(rows, shared=True, cells={"B2": '<c r="B2" t="s"><v>5</v></c>'})
    with pytest.raises(InputError) as error:
        read_units(write(tmp_path, content, "units.xlsx"))
    assert [(p.code, p.where) for p in error.value.problems] == [
        ("data.damaged_cell", "units.xlsx!Sheet1!B2")
    ]


# -- files that are not files ----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "data.csv"
    os.mkfifo(pipe)  # opening it for reading would wait for a writer forever
    assert problems(pipe) == [("data.unreadable_file", str(pipe))]


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "data.csv"
    folder.mkdir()
    with pytest.raises(InputError) as error:
        read_panel(folder, indicators=INDICATORS)
    (problem,) = error.value.problems
    assert (problem.code, problem.where) == ("data.unreadable_file", str(folder))
    assert "文件夹" in problem.zh
    assert "folder" in problem.en


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_that_never_ends_is_refused_without_reading(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        read_units("/dev/zero")
    assert [(p.code, p.where) for p in error.value.problems] == [
        ("data.unreadable_file", "/dev/zero")
    ]
    assert "设备" in error.value.problems[0].zh


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_sheet, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "data.csv"
    with path.open("wb") as file:
        file.truncate(1001)  # sparse: no disk is used
    assert problems(path) == [("data.unreadable_file", "data.csv")]


# -- CSV ------------------------------------------------------------------------------------


def test_a_nul_byte_in_a_csv_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes("代码,年份,人均GDP\n410821,2024,86\x00200\n".encode())
    assert problems(path) == [("data.unreadable_file", "data.csv:2")]


def test_a_cell_longer_than_the_csv_limit_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text('代码,年份,人均GDP\n410821,2024,"86200\n' + "x" * 200_000 + "\n", "utf-8")
    assert problems(path) == [("data.unreadable_file", "data.csv:2")]  # the row it starts


@pytest.mark.parametrize("module", ["kaoping._files", "kaoping.data.readers"])
def test_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0
