"""The event workbook read back as written, every bad cell named, the results workbook, and
the demo event."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from numpy.testing import assert_allclose

from kaoping.errors import InputError
from kaoping.observation import aggregate
from kaoping.observation.demo import event
from kaoping.observation.io import read_event, write_event, write_results


def test_the_demo_event_is_seeded_and_complete() -> None:
    spec, scores = event(seed=0, quarter="2026-Q1")
    again = event(seed=0, quarter="2026-Q1")[1]
    assert scores.equals(again)
    assert not scores.equals(event(seed=0, quarter="2026-Q2")[1])
    assert [len(m) for m in spec.groups.values()] == [7, 4]
    assert spec.names["410883"] == "孟州市"
    assert spec.maximum == 100
    assert len(spec.judges) == 9
    assert len(scores) == 9 * 11 * 4
    result = aggregate(spec, scores)
    assert result.left_out == {}
    assert (result.table["judges"] == 7).all()  # 9 judges, trimmed
    assert result.table["total"].between(60, 100).all()


def test_an_event_workbook_reads_back_as_written(tmp_path: Path) -> None:
    spec, scores = event()
    path = tmp_path / "event.xlsx"
    write_event(spec, scores, path)
    spec2, scores2 = read_event(path)
    assert spec2 == spec
    assert scores2["location"].iloc[0] == "event.xlsx!评分!D2"
    assert_allclose(scores2["score"], scores["score"])
    totals = aggregate(spec, scores).table["total"]
    assert_allclose(aggregate(spec2, scores2).table["total"], totals)


def test_every_bad_cell_of_the_workbook_is_named(tmp_path: Path) -> None:
    """A maximum not a number (B3 of 评分项), a duplicate unit code (B3 of 分组), an unknown
    setting value, a score outside 0..40 (D2 of 评分) and an unknown judge (row 3)."""
    spec, scores = event()
    path = tmp_path / "event.xlsx"
    write_event(spec, scores, path)
    wb = openpyxl.load_workbook(path)
    wb["评分项"]["B3"] = "三十"
    wb["分组"]["B3"] = "410883"
    wb["设置"]["B4"] = "中位数"
    wb["评分"]["D2"] = 41
    wb["评分"]["A3"] = "J99"
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_event(path)
    found = {(p.code, p.where) for p in caught.value.problems}
    assert ("observation.not_a_number", "event.xlsx!评分项!B3") in found
    assert ("observation.duplicate", "event.xlsx!分组!B3") in found
    assert ("observation.bad_aggregation", "event.xlsx!设置!B4") in found
    assert ("observation.out_of_range", "event.xlsx!评分!D2") in found
    assert ("observation.unknown_judge", "event.xlsx!评分!D3") in found


def test_a_missing_sheet_and_header_are_reported(tmp_path: Path) -> None:
    spec, scores = event()
    path = tmp_path / "event.xlsx"
    write_event(spec, scores, path)
    wb = openpyxl.load_workbook(path)
    del wb["评委"]
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_event(path)
    assert caught.value.codes == ["data.missing_sheet"]
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("评委")
    ws.append(["姓名", "权重"])
    wb.save(path)
    with pytest.raises(InputError) as caught:
        read_event(path)
    assert ("observation.missing_header", "event.xlsx!评委!A1") in {
        (p.code, p.where) for p in caught.value.problems
    }


def test_the_results_workbook_has_a_sheet_per_group_in_rank_order(tmp_path: Path) -> None:
    spec, scores = event()
    result = aggregate(spec, scores)
    path = tmp_path / "results.xlsx"
    write_results(result, path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["县(市)组", "城区组", "评委总分", "评委提示", "说明"]
    rows = list(wb["城区组"].iter_rows(values_only=True))
    assert rows[0][:3] == ("名次", "代码", "名称")
    assert rows[0][3] == "项目建设（40分）"
    assert [r[0] for r in rows[1:]] == [1, 2, 3, 4]
    top = result.table[result.table["group"] == "城区组"]["total"].idxmax()
    assert rows[1][1] == top
    assert rows[1][-2] == round(result.table.at[top, "total"], 2)
    assert wb["评委总分"].max_row == 12
