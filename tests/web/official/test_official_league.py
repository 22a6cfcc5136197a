"""The league table of an official assessment (考核评价): points, bonus, penalty, the veto mark
with its reason, total, rank overall and in category, 进位, tier, awards; sorted and filtered as
the academic table; and its exports, the engine's official workbook.

The reference is the engine's hand-worked example on the platform (``case.tiny``: every number
of the table below is worked out in ``tests/assess/test_official.py``'s docstring)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from tests.assess.chartbook import cells, charts, evaluate
from tests.web.official.case import TINY, compute, tiny
from tests.web.official.cells import table

from kaoping.web.results import exports, services
from kaoping.web.results.models import Assessment

A, B, C, D = (TINY[k] for k in "ABCD")


@pytest.fixture
def published(official_users: dict[str, Any], official_periods: Any) -> Assessment:
    periods = tiny(official_users, official_periods)
    return compute(official_users, periods, "published")


def _rows(client: Any, query: str = "") -> list[dict[str, Any]]:
    page = client.get(f"/results/2024/{query}")
    assert page.status_code == 200
    return table(page.content.decode(), "league")


def test_the_table_shows_the_hand_worked_points_bonus_penalty_totals_and_awards(
    client_for: Any, published: Assessment
) -> None:
    """By hand (case.tiny): A 10 + 1 = 11, B 9.4 + 1 (its second 荣誉 counts 0: cap 1) = 10.4,
    D 9.2 + 1 - 0.5 = 9.7, C 7 (vetoed); 进位 within the category against 2023."""
    rows = _rows(client_for("viewer"))
    shown = [
        (r["code"], r["rank"], r["change"], r["points"], r["bonus"], r["penalty"], r["score"],
         r["tier"], r["category-rank"], r["awards"])
        for r in rows
    ]  # fmt: skip
    assert shown == [
        (A, "1", "↑1", "10.00", "+1", "0", "11.00", "第一方阵", "1", "先进、分类先进、进位"),
        (B, "2", "↓1", "9.40", "+1", "0", "10.40", "第一方阵", "2", ""),
        (D, "3", "↑1", "9.20", "+1", "−0.50", "9.70", "第二方阵", "1", "分类先进、进位"),
        (C, "4", "↓1", "7.00", "0", "0", "7.00", "—", "2", ""),
    ]


def test_one_countys_cells_are_the_engines_numbers(client_for: Any, published: Assessment) -> None:
    """温县 (D): the engine's result of the frozen inputs (services.result_of) against the
    cells, and both against the hand-worked 1 bonus, 0.5 penalty, 9.7 total."""
    engine = services.result_of(published.inputs).table.loc[D]
    assert (engine["bonus"], engine["penalty"]) == (1.0, 0.5)
    assert engine["score"] == pytest.approx(9.7)
    assert engine["indicator_points"] == pytest.approx(9.2)
    row = next(r for r in _rows(client_for("county-410821")) if r["code"] == D)
    assert row["bonus"] == f"+{engine['bonus']:g}"
    assert row["penalty"] == f"−{engine['penalty']:.2f}"
    assert row["score"] == f"{engine['score']:.2f}"
    assert row["points"] == f"{engine['indicator_points']:.2f}"


def test_a_vetoed_unit_shows_the_mark_with_its_reason_and_no_tier(
    client_for: Any, published: Assessment
) -> None:
    html = client_for("viewer").get("/results/2024/").content.decode()
    vetoed = [r for r in table(html, "league") if "vetoed" in r["_attrs"]["class"]]
    assert [r["code"] for r in vetoed] == [C]
    assert vetoed[0]["tier"] == "—"
    assert not vetoed[0]["_attrs"]["class"].startswith("tier-")  # not coloured as a tier
    reason = "安全事故（事故 = 1，超过 0）"  # the engine's words for the red line
    assert f'href="#veto-1" title="{reason}"' in html  # on hover, and a tap to the note
    assert f'<li id="veto-1" value="1"><strong>武陟县</strong>：{reason}。' in html
    others = [r for r in table(html, "league") if r["code"] != C]
    assert all(r["veto"] == "" for r in others)


def test_sorting_and_the_category_filter_work_as_on_the_academic_table(
    client_for: Any, published: Assessment
) -> None:
    client = client_for("viewer")
    assert [r["code"] for r in _rows(client, "?sort=unit")] == sorted(TINY.values())
    assert [r["code"] for r in _rows(client, "?sort=score")] == [A, B, D, C]
    only = _rows(client, "?category=重点生态功能区")
    assert [(r["code"], r["category-rank"]) for r in only] == [(D, "1"), (C, "2")]


def test_progress_says_new_for_a_unit_not_ranked_in_its_category_last_period(
    official_users: dict[str, Any], official_periods: Any, client_for: Any
) -> None:
    """温县 was not in 2023's ranking: 新进 (the engine's label); the others as before."""
    periods = tiny(official_users, official_periods)
    before = Assessment.objects.get(period=periods["2023"])
    before.results = [r for r in before.results if r["unit"] != D]
    before.save(update_fields=["results"])
    compute(official_users, periods, "published")
    changes = {r["code"]: r["change"] for r in _rows(client_for("viewer"))}
    assert changes == {A: "↑1", B: "↓1", C: "↓1", D: "新进"}


def test_without_a_previous_period_there_is_no_progress_to_show(
    official_users: dict[str, Any], official_periods: Any, client_for: Any
) -> None:
    periods = tiny(official_users, official_periods)
    Assessment.objects.filter(period=periods["2023"]).delete()
    compute(official_users, periods, "published")
    assert {r["change"] for r in _rows(client_for("viewer"))} == {"—"}


def test_the_workbook_is_the_engines_official_workbook_with_the_platforms_title_rows(
    client_for: Any, published: Assessment, tmp_path: Path
) -> None:
    response = client_for("viewer").get("/results/2024/?format=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    with exports._engine_language("zh"):  # the reference: the CLI's workbook of the inputs
        cli = load_workbook(services.result_of(published.inputs).to_excel(tmp_path / "o.xlsx"))
    assert book.sheetnames == cli.sheetnames
    assert "得分" in "".join(cli.sheetnames)  # the official sheets: points, targets, lines …
    for web, theirs in zip(book.worksheets[1:-1], cli.worksheets[1:-1], strict=True):
        if web.title == "图表":  # made again on the moved table: test_the_charts_…
            continue
        assert [[c.value for c in r] for r in web.iter_rows()] == [
            [c.value for c in r] for r in theirs.iter_rows()
        ]
    ranking = book.worksheets[0]
    header = next(r for r in ranking.iter_rows(values_only=True) if r[0] == "代码")
    rows = [r for r in ranking.iter_rows(values_only=True) if r[0] == D]
    assert len(rows) == 1
    mine = dict(zip(header, rows[0], strict=True))
    assert (mine["加分"], mine["减分"]) == (1.0, 0.5)
    assert mine["总分"] == pytest.approx(9.7)
    assert mine["进位"] == "↑1"
    assert mine["方阵"] == "第二方阵"
    for column, cell in zip(header, next(r for r in ranking.iter_rows() if r[0].value == D),
                            strict=True):  # fmt: skip
        if column in ("总分", "指标得分", "加分", "减分"):
            assert cell.number_format == exports.SCORE_FORMAT, column


def test_the_charts_are_the_totals_tiers_and_points_of_the_moved_table(
    client_for: Any, published: Assessment
) -> None:
    """The hand-worked totals as bars (C vetoed: in no tier), two in 第一方阵, one in 第二方阵,
    one in none; 温县 (D) chosen: its points per dimension from the table below the
    platform's title rows."""
    content = client_for("viewer").get("/results/2024/?format=xlsx").content
    book = load_workbook(io.BytesIO(content))
    found = {c.title: c for c in charts(content)["图表"]}
    bars = found["总分排名"]
    engine = services.result_of(published.inputs)
    names = engine.table["name"]
    assert cells(book, bars.series[0].categories) == [names[A], names[B], names[D], names[C]]
    by_tier = {cells(book, s.title)[0]: cells(book, s.values) for s in bars.series}
    assert list(by_tier) == ["第一方阵", "第二方阵", "未列入方阵"]
    assert by_tier["未列入方阵"] == [None, None, None, 7]  # C, vetoed, keeps its rank
    totals = [next(v for v in row if v is not None) for row in zip(*by_tier.values(), strict=True)]
    assert totals == pytest.approx([11, 10.4, 9.7, 7])
    tiers = found["各方阵单位数"].series[0]
    assert [t.name for t in engine.methodology.tiers] == ["第一方阵", "第二方阵"]
    assert cells(book, tiers.categories) == ["第一方阵", "第二方阵", "未列入方阵"]
    assert cells(book, tiers.values) == [2, 1, 1]
    ws = book["图表"]
    d = engine.table.loc[D, "name"]
    assert evaluate(book, "图表", ws["B2"].value, chosen=d) == D
    dimensions = engine.methodology.dimensions
    got = [
        evaluate(book, "图表", ws.cell(5 + i, 2).value, chosen=d) for i in range(len(dimensions))
    ]
    assert got == pytest.approx([engine.table.loc[D, dim.id] for dim in dimensions])


def test_the_csv_has_the_official_columns_rounded(client_for: Any, published: Assessment) -> None:
    response = client_for("viewer").get("/results/2024/?format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert f"# 数据指纹（输入数据的 SHA-256）: {published.inputs_hash}" in text
    rows = list(csv.reader(line for line in text.splitlines() if not line.startswith("#")))
    mine = dict(zip(rows[0], next(r for r in rows if r[0] == D), strict=True))
    assert (mine["指标得分"], mine["加分"], mine["减分"], mine["总分"]) == (
        "9.20", "1", "0.50", "9.70",
    )  # fmt: skip
    vetoed = dict(zip(rows[0], next(r for r in rows if r[0] == C), strict=True))
    assert vetoed["方阵"] == ""
    assert "安全事故" in vetoed["否决事项"]
