"""Events (加减分及否决事项) and judged sheets (评委打分表): read with every problem by cell."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from kaoping.data import events as events_module
from kaoping.data.events import read_events, read_judged
from kaoping.errors import InputError


def _csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_events_with_title_row_counts_and_footnote(tmp_path: Path) -> None:
    f = _csv(
        tmp_path,
        "e.csv",
        "加减分事项表\n"
        "代码,年份,事项,数量,依据,日期,说明\n"
        "410883,2024,hon,2,文件1,2024-05-01,两项\n"
        "410882,2024年,crit,,文件2,,\n"
        "注：示例\n",
    )
    got = read_events(f)
    assert got["unit"].tolist() == ["410883", "410882"]
    assert got["period"].tolist() == ["2024", "2024"]
    assert got["count"].tolist() == [2.0, 1.0]  # an empty count is one
    assert got["location"].tolist() == ["e.csv!C3", "e.csv!C4"]


def test_every_bad_event_line_is_named(tmp_path: Path) -> None:
    f = _csv(
        tmp_path,
        "e.csv",
        "代码,事项,数量,依据\n410883,,1,文件\n,hon,-1,文件\n410882,hon,1,\n",
    )
    with pytest.raises(InputError) as info:
        read_events(f)
    assert sorted((p.code, p.where) for p in info.value.problems) == [
        ("data.bad_code", "e.csv!A3"),
        ("data.bad_count", "e.csv!C3"),
        ("data.missing_evidence", "e.csv!D4"),
        ("data.missing_item", "e.csv!B2"),
    ]


def test_events_need_item_and_evidence_columns(tmp_path: Path) -> None:
    f = _csv(tmp_path, "e.csv", "代码,事项\n410883,hon\n")
    with pytest.raises(InputError) as info:
        read_events(f)
    assert info.value.codes == ["data.missing_column"]
    assert "依据" in info.value.problems[0].zh


def test_judged_sheet_and_its_problems(tmp_path: Path) -> None:
    good = _csv(tmp_path, "j.csv", "代码,评委,评分项,分数\n410883,甲,进度,38\n410883,乙,进度,36\n")
    assert read_judged(good)["score"].tolist() == [38.0, 36.0]
    bad = _csv(
        tmp_path,
        "k.csv",
        "代码,评委,评分项,分数\n410883,甲,进度,abc\n410883,甲,进度,30\n410883,甲,进度,31\n",
    )
    with pytest.raises(InputError) as info:
        read_judged(bad)
    assert sorted((p.code, p.where) for p in info.value.problems) == [
        ("data.bad_score", "k.csv!D2"),
        ("data.duplicate", "k.csv!D4"),
    ]


def test_docstring_examples() -> None:
    result = doctest.testmod(events_module)
    assert result.attempted > 0
    assert result.failed == 0
