"""The chain workbook (kaoping.chains.sheets): a book written and read back is the same book,
every problem of every sheet and across the sheets named at once by its cell, the template
and the exports as a person opens them."""

from __future__ import annotations

import doctest
import importlib
import io
import math
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from kaoping.chains.model import ChainBook, make_book
from kaoping.chains.schema import SHEETS
from kaoping.chains.sheets import GUIDE_SHEET, read_book, write_book, write_tables
from kaoping.dispatch.columns import display_width
from kaoping.errors import InputError

# 统一社会信用代码 that pass their checks: the standard's example (GB 32100-2015) and two made
# by kaoping.chains.codes.make_uscc
USCC = ("91350100M000100Y43", "91410882000000027C", "91410821000000035U")
FRAMES = ("chains", "nodes", "edges", "enterprises", "targets", "signings")


def _book() -> ChainBook:
    return make_book(
        chains=[
            {"chain": "B", "name": "新能源电池材料", "leader": "张某", "lead_enterprises": "甲"},
            {"chain": "M", "name": "生物医药", "department": "市工信局"},
        ],
        nodes=[
            {"node": "B1", "chain": "B", "name": "电池材料", "position": "上游",
             "industries": ("C2613",)},
            {"node": "B2", "chain": "B", "name": "正极材料", "position": "上游", "parent": "B1",
             "industries": ("C2613", "C3985")},
            {"node": "B3", "chain": "B", "name": "电芯", "position": "中游",
             "industries": ("C3841", "C3842")},
            {"node": "B4", "chain": "B", "name": "电池回收", "position": "下游",
             "industries": ("C4220",), "note": "含梯次利用"},
            {"node": "B5", "chain": "B", "name": "电池包", "position": "中游", "parent": "B3"},
            {"node": "M1", "chain": "M", "name": "原料药", "position": "上游",
             "industries": ("C2710",)},
            {"node": "M2", "chain": "M", "name": "制剂", "position": "中游",
             "industries": ("C2720",)},
        ],
        edges=[
            {"source": "B1", "target": "B3", "relation": "供货"},
            {"source": "B3", "target": "B4"},
            {"source": "M1", "target": "M2", "note": "本地配套"},
        ],
        enterprises=[
            {"uscc": USCC[0], "name": "甲电池有限公司（一期）", "county": "410821",
             "park": "焦作高新区", "nodes": ("B1", "B3"), "above_scale": True,
             "output": 12000.5, "tax": 300.0, "employees": 250.0, "lead": True},
            {"uscc": USCC[1], "name": "乙材料", "county": "410882", "nodes": ("B3",),
             "above_scale": False, "tax": 12.25, "lead": None},
            {"uscc": USCC[2], "name": "丙药业", "county": "410821", "nodes": ("M1",),
             "above_scale": None, "output": 800.0, "lead": False},
        ],
        targets=[
            {"target": "T1", "node": "B4", "kind": "企业", "name": "某回收企业",
             "priority": "高"},
            {"target": "T2", "node": "M2", "county": "410821", "kind": "项目",
             "name": "制剂项目", "priority": "中", "note": "对接中"},
        ],
        signings=[
            {"project": "S1", "name": "电池回收项目", "investor": "某回收集团", "origin": "省外",
             "amount": 50000.0, "signed_on": "2026-03-15", "node": "B4", "county": "410821",
             "park": "焦作高新区", "target": "T1", "batch": "2026年第一期", "note": "签约一批"},
            {"project": "S2", "name": "制剂扩产", "investor": "丁公司", "amount": 8000.0,
             "signed_on": "2025-11-02", "county": "410882"},
        ],
    )  # fmt: skip


def _values(book: ChainBook, frame_name: str) -> list[list[object]]:
    """The frame's values in the schema's columns, missing ones as None."""

    def plain(value: object) -> object:
        if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
            return None
        return value.item() if hasattr(value, "item") else value

    frame = book.frame(frame_name)
    columns = [c.name for c in dict(zip(FRAMES, SHEETS.values(), strict=True))[frame_name]]
    return [[plain(v) for v in row] for row in frame[columns].itertuples(index=False)]


def _edited(data: bytes, cells: dict[tuple[str, str], object], drop: tuple[str, ...] = ()) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for (sheet, ref), value in cells.items():
        wb[sheet][ref] = value
    for sheet in drop:
        del wb[sheet]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _problems(error: pytest.ExceptionInfo[InputError]) -> dict[str | None, str]:
    return {p.where: p.code for p in error.value.problems}


def test_the_doctests_hold() -> None:
    for name in ("kaoping.chains.sheets", "kaoping.dispatch.columns"):
        assert doctest.testmod(importlib.import_module(name)).failed == 0


# -- a book written and read back -------------------------------------------------------------


def test_a_book_written_reads_back_as_the_same_book() -> None:
    book = _book()
    read = read_book(io.BytesIO(write_book(book)), name="链.xlsx")
    for name in FRAMES:
        assert _values(read, name) == _values(book, name), name
    assert read.nodes.at[1, "industries"] == ("C2613", "C3985")
    assert read.enterprises.at[0, "nodes"] == ("B1", "B3")
    assert read.enterprises["above_scale"].tolist() == [True, False, None]
    assert read.signings.at[0, "signed_on"] == pd.Timestamp("2026-03-15")
    assert math.isnan(read.enterprises.at[1, "output"])


def test_the_same_book_is_the_same_bytes_also_after_a_round_trip() -> None:
    data = write_book(_book())
    assert write_book(_book()) == data
    assert write_book(read_book(io.BytesIO(data), name="链.xlsx")) == data
    assert write_book() == write_book()


def test_the_demo_book_round_trips_through_its_workbook() -> None:
    from kaoping.chains.demo import demo_book

    book = demo_book()
    data = write_book(book)
    read = read_book(io.BytesIO(data), name="demo.xlsx")
    for name in FRAMES:
        assert _values(read, name) == _values(book, name), name
    assert write_book(read) == data


def test_the_frames_read_name_their_cells() -> None:
    read = read_book(io.BytesIO(write_book(_book())), name="链.xlsx")
    assert read.nodes.attrs["source"] == "链.xlsx!环节"
    assert read.nodes.attrs["columns"]["parent"] == "E"
    assert read.nodes["_row"].tolist() == [2, 3, 4, 5, 6, 7, 8]


def test_the_empty_template_reads_as_an_empty_book() -> None:
    read = read_book(io.BytesIO(write_book()), name="模板.xlsx")
    assert all(len(read.frame(name)) == 0 for name in FRAMES)
    assert "industries" in read.nodes.columns


def test_absent_optional_sheets_are_empty_frames(tmp_path: Path) -> None:
    data = _edited(write_book(_book()), {}, drop=("供应关系", "企业", "招商目标", "签约项目"))
    path = tmp_path / "链.xlsx"
    path.write_bytes(data)
    read = read_book(path)
    assert len(read.nodes) == 7
    assert len(read.edges) == len(read.enterprises) == len(read.signings) == 0
    assert "uscc" in read.enterprises.columns


def test_english_headers_and_aliases_read() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "产业链"
    ws.append(["chain id", "名称"])
    ws.append(["B", "电池"])
    nodes = wb.create_sheet("环节")
    nodes.append(["节点编号", "链编号", "node name", "位置", "上级环节", "行业代码"])
    nodes.append(["B1", "B", "材料", "上游", None, "C2613、C3985"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    read = read_book(out, name="链.xlsx")
    assert read.nodes.at[0, "industries"] == ("C2613", "C3985")


# -- every problem at once -------------------------------------------------------------------


def test_every_bad_cell_and_every_check_across_sheets_is_named_at_once() -> None:
    data = _edited(
        write_book(_book()),
        {
            ("产业链", "G1"): "负责人",  # a header the sheet does not have
            ("环节", "D5"): "侧游",  # not 上游/中游/下游
            ("环节", "E4"): "X9",  # a parent that is no node
            ("环节", "A6"): "B2",  # a node id twice
            ("供应关系", "B2"): "NOPE",  # an edge to an unknown node
            ("企业", "A3"): USCC[0],  # an enterprise twice
            ("企业", "F2"): "可能",  # not 是/否
            ("企业", "G3"): "一百万",  # a number that is text
            ("签约项目", "F2"): "2026-02-30",  # a date that does not exist
            ("签约项目", "B3"): None,  # a required cell empty
        },
    )
    with pytest.raises(InputError) as error:
        read_book(io.BytesIO(data), name="链.xlsx")
    assert _problems(error) == {
        "链.xlsx!产业链!G1": "chains.unknown_column",
        "链.xlsx!环节!D5": "chains.bad_choice",
        "链.xlsx!环节!E4": "chains.unknown_parent",
        "链.xlsx!环节!A6": "chains.duplicate",
        "链.xlsx!供应关系!B2": "chains.unknown_node",
        "链.xlsx!企业!A3": "chains.duplicate",
        "链.xlsx!企业!F2": "chains.bad_flag",
        "链.xlsx!企业!G3": "chains.not_a_number",
        "链.xlsx!签约项目!F2": "chains.bad_date",
        "链.xlsx!签约项目!B3": "chains.required",
    }
    messages = {p.where: p.zh for p in error.value.problems}
    assert "上游、中游、下游" in messages["链.xlsx!环节!D5"]
    assert "链.xlsx!环节!A3" in messages["链.xlsx!环节!A6"]  # where the first one is
    assert "一百万" in messages["链.xlsx!企业!G3"]


def test_a_missing_required_sheet_is_named_with_the_other_sheets_problems() -> None:
    data = _edited(write_book(_book()), {("环节", "D3"): "侧游"}, drop=("产业链",))
    with pytest.raises(InputError) as error:
        read_book(io.BytesIO(data), name="链.xlsx")
    # the nodes' chains are not blamed for the missing sheet
    assert _problems(error) == {
        "链.xlsx": "chains.missing_sheet",
        "链.xlsx!环节!D3": "chains.bad_choice",
    }
    assert "产业链" in error.value.problems[0].zh


def test_a_sheet_without_a_header_is_named_and_not_blamed_on_the_others() -> None:
    wb = load_workbook(io.BytesIO(write_book(_book())))
    ws = wb["环节"]
    ws.delete_rows(1, ws.max_row)
    ws["A1"] = "环节表（待补充）"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(InputError) as error:
        read_book(io.BytesIO(out.getvalue()), name="链.xlsx")
    assert error.value.codes == ["chains.no_header"]
    assert error.value.problems[0].where == "链.xlsx!环节"


def test_a_county_the_platform_does_not_know_is_named_by_its_cell() -> None:
    with pytest.raises(InputError) as error:
        read_book(io.BytesIO(write_book(_book())), name="链.xlsx", counties={"410821"})
    assert _problems(error) == {
        "链.xlsx!企业!C3": "chains.unknown_county",
        "链.xlsx!签约项目!H3": "chains.unknown_county",
    }


def test_an_upload_named_by_a_path_is_named_by_its_base_name_only(tmp_path: Path) -> None:
    data = _edited(write_book(_book()), {("环节", "D5"): "侧游"})
    with pytest.raises(InputError) as error:
        read_book(io.BytesIO(data), name="/srv/kaoping/media/uploads/链.xlsx")
    assert [p.where for p in error.value.problems] == ["链.xlsx!环节!D5"]
    path = tmp_path / "上传" / "链.xlsx"
    path.parent.mkdir()
    path.write_bytes(data)
    with path.open("rb") as file, pytest.raises(InputError) as error:
        read_book(file)  # its name attribute is the whole path
    assert [p.where for p in error.value.problems] == ["链.xlsx!环节!D5"]
    assert str(tmp_path) not in str(error.value)


def test_a_csv_file_is_refused_saying_why(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        read_book(io.BytesIO("环节编号,产业链编号\nB1,B\n".encode()), name="环节.csv")
    assert error.value.codes == ["chains.not_a_workbook"]
    assert "CSV" in error.value.problems[0].zh
    assert ".xlsx" in error.value.problems[0].zh
    path = tmp_path / "链.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_book(path)
    assert _problems(error) == {"链.csv": "chains.not_a_workbook"}


def test_a_folder_and_a_damaged_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as error:
        read_book(tmp_path)
    assert error.value.codes == ["data.unreadable_file"]
    with pytest.raises(InputError) as error:
        read_book(io.BytesIO(b"PK\x03\x04 not a zip"), name="链.xlsx")
    assert error.value.codes == ["data.unreadable_file"]


# -- the template ----------------------------------------------------------------------------


def test_the_template_has_the_sheets_headers_lists_and_a_guide() -> None:
    wb = load_workbook(io.BytesIO(write_book()))
    assert wb.sheetnames == [*SHEETS, GUIDE_SHEET]
    for sheet, columns in SHEETS.items():
        ws = wb[sheet]
        assert [c.value for c in ws[1]] == [c.zh for c in columns]
        assert ws.freeze_panes == "C2"
        for index, col in enumerate(columns, start=1):  # no header cut off
            width = ws.column_dimensions[chr(ord("A") + index - 1)].width
            assert width >= display_width(col.zh) + 2, (sheet, col.zh)
    lists = {
        (sheet, rule.formula1)
        for sheet in SHEETS
        for rule in wb[sheet].data_validations.dataValidation
        if rule.type == "list"
    }
    assert ("环节", '"上游,中游,下游"') in lists
    assert ("企业", '"是,否"') in lists
    assert ("签约项目", '"市内,省内,省外,境外"') in lists
    guide = " ".join(str(c.value) for row in wb[GUIDE_SHEET].iter_rows() for c in row if c.value)
    for said in ("上级环节编号", "一棵树", "GB/T 4754-2017", "C3841", "18 位", "所在环节编号"):
        assert said in guide
    for sheet in SHEETS:
        assert sheet in guide


# -- exports ---------------------------------------------------------------------------------


def test_an_export_translates_headers_formats_numbers_and_fits_chinese_text() -> None:
    counties = pd.DataFrame(
        {
            "name": ["沁阳市", "孟州市"],
            "projects": [3, 2],
            "amount": [12345.678, 800.0],
            "amount_pct": [93.91, 6.09],
            "foreign": [1, 0],
            "_row": [2, 3],
        },
        index=pd.Index(["410882", "410883"], name="county"),
    )
    gaps = pd.DataFrame(
        {
            "name": ["电池回收"],
            "strength": ["缺失"],
            "reason_zh": ["0 家企业（少于 1 家即为缺失）" * 4],
            "signed_on": [pd.Timestamp("2026-03-15")],
            "leaf": [True],
            "industries": [("C4220", "C3841")],
        }
    )
    headers = {
        "county": "县区代码",
        "name": "名称",
        "projects": "项目数",
        "amount": "签约金额（万元）",
        "amount_pct": "金额占全市比重（%）",
        "foreign": "省外境外项目数",
        "reason_zh": "原因",
    }
    data = write_tables(
        {"签约项目/县区": counties, "缺链清单": gaps}, title="焦作市", headers=headers
    )
    assert data == write_tables(
        {"签约项目/县区": counties, "缺链清单": gaps}, title="焦作市", headers=headers
    )
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["签约项目_县区", "缺链清单"]
    assert wb.properties.title == "焦作市"
    ws = wb["签约项目_县区"]
    assert ws["A1"].value == "焦作市"
    assert [c.value for c in ws[2]] == [
        "县区代码", "名称", "项目数", "签约金额（万元）", "金额占全市比重（%）", "省外境外项目数",
    ]  # fmt: skip
    assert ws["A3"].value == "410882"
    assert ws["C3"].value == 3
    assert ws["D3"].number_format == "#,##0.00"
    assert ws["D3"].value == pytest.approx(12345.678)
    assert ws["E3"].number_format == "0.0"
    assert ws["C3"].number_format == "0"
    assert ws.freeze_panes == "A3"
    for index, head in enumerate(c.value for c in ws[2]):
        width = ws.column_dimensions[chr(ord("A") + index)].width
        assert width >= display_width(head), head
    ws = wb["缺链清单"]
    assert [c.value for c in ws[2]] == [
        "名称",
        "strength",
        "原因",
        "signed_on",
        "leaf",
        "industries",
    ]
    assert ws["C3"].alignment.wrap_text
    assert ws["D3"].number_format == "yyyy-mm-dd"
    assert ws["E3"].value == "是"
    assert ws["F3"].value == "C4220、C3841"
