"""The exports of a ranking: the command line's workbook, recomputed from the frozen inputs,
with title rows (period, methodology, status, publication date, inputs hash), the rank change
against the previous period's published ranking, every dimension's score shown with two
decimals; its charts sheet made again on the table where the title rows moved it; the CSV
of its ranking sheet, rounded, the hash in a comment line."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from tests.assess.chartbook import cells, charts, evaluate

from kaoping.web.collection.models import Period, Unit
from kaoping.web.results import exports, services
from kaoping.web.results.models import Assessment

from .workflow import publish

TITLE_ROWS = 8  # the title, six facts, a blank row: the table's header is row 9


@pytest.fixture
def published(
    users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> tuple[Assessment, Assessment]:
    """2024 computed by the engine from the approved figures of 修武县 and 博爱县 and
    published; 2023's published ranking with the two in the other order."""
    assessment = publish(users["analyst"], periods["2024"])
    first, second = (r["unit"] for r in assessment.results)
    before = [{"unit": second, "rank": 1}, {"unit": first, "rank": 2}]
    last = Assessment.objects.create(
        period=periods["2023"], methodology="county_hqd", status="published", inputs={},
        inputs_hash="c" * 64, results=before,
    )  # fmt: skip
    return assessment, last


def _sheet(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content)).worksheets[0]


def test_the_workbook_is_the_command_lines_with_what_the_platform_knows_above_it(
    client_for: Any, published: tuple[Assessment, Assessment], tmp_path: Path
) -> None:
    assessment, _ = published
    response = client_for("viewer").get("/results/2024/?format=xlsx")
    assert response.status_code == 200
    name = f"ranking-2024-{assessment.inputs_hash[:8]}.xlsx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    book = load_workbook(io.BytesIO(response.content))
    # the reference: the CLI's workbook of the same frozen inputs (kaoping.assess ... to_excel)
    with exports._engine_language("zh"):
        result = services.result_of(assessment.inputs)
        cli = load_workbook(result.to_excel(tmp_path / "cli.xlsx"))
    assert book.sheetnames == cli.sheetnames  # 综合排名, 图表, 标准化值, 原始数据, 指标权重 …
    for web, theirs in zip(book.worksheets[1:-1], cli.worksheets[1:-1], strict=True):
        if web.title == "图表":  # made again on the moved table: the test after this one
            continue
        assert list(web.values) == list(theirs.values), web.title  # the same, cell for cell
    sheet, reference = book.worksheets[0], cli.worksheets[0]
    # the title rows
    assert sheet["A1"].value == "2024 考核排名"
    facts = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(2, TITLE_ROWS)}
    assert facts["考核期"] == "2024"
    assert facts["考核办法"].endswith("(county_hqd)")
    assert facts["状态"] == "已发布"
    assert facts["发布日期"] == timezone.localdate().isoformat()  # the city's day, not UTC's
    assert facts["数据指纹（输入数据的 SHA-256）"] == assessment.inputs_hash
    assert facts["名次变化的比较对象"] == "2023 年已发布的排名"
    # the CLI's ranking table below them, with two columns after the rank
    header = [c.value for c in sheet[TITLE_ROWS + 1]]
    theirs = [c.value for c in reference[1]]
    rank = theirs.index("排名")
    assert header == [*theirs[: rank + 1], "2023 年名次", "名次变化（较 2023 年）",
                      *theirs[rank + 1 :]]  # fmt: skip
    assert "经济实力" in header  # every dimension's score
    rows = list(sheet.iter_rows(min_row=TITLE_ROWS + 2, values_only=True))
    assert len(rows) == 2
    for row, cli_row in zip(rows, reference.iter_rows(min_row=2, values_only=True), strict=True):
        assert [*row[: rank + 1], *row[rank + 3 :]] == list(cli_row)
    # 2023: the second was first and the first second -> the first went up one place
    assert [row[rank + 1 : rank + 3] for row in rows] == [(2, 1), (1, -1)]
    change = sheet.cell(TITLE_ROWS + 2, rank + 3)
    assert change.number_format == '"↑"0;"↓"0;"→"'  # shown ↑1 / ↓1, a number to sort by
    score = sheet.cell(TITLE_ROWS + 2, header.index("综合得分") + 1)
    assert score.number_format == "0.00"
    dimension = sheet.cell(TITLE_ROWS + 2, header.index("经济实力") + 1)
    assert dimension.number_format == "0.00"
    assert sheet.freeze_panes == f"A{TITLE_ROWS + 2}"  # the header stays in view
    about = {r[0]: r[1] for r in book.worksheets[-1].iter_rows(values_only=True)}
    assert about["数据指纹（输入数据的 SHA-256）"] == assessment.inputs_hash


def _bars(book: Any, found: list[Any]) -> tuple[list[str], list[float]]:
    """The ranking bars' names and scores (each unit's in its tier's series), top to bottom."""
    bars = next(c for c in found if c.direction == "bar")
    columns = [cells(book, s.values) for s in bars.series]
    scores = [next(v for v in row if v is not None) for row in zip(*columns, strict=True)]
    return cells(book, bars.series[0].categories), scores


def test_the_charts_read_the_ranking_table_where_the_title_rows_moved_it(
    client_for: Any, published: tuple[Assessment, Assessment]
) -> None:
    assessment, _ = published
    content = client_for("viewer").get("/results/2024/?format=xlsx").content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[1] == "图表"
    found = charts(content)["图表"]
    assert len(found) == 3
    records = sorted(assessment.results, key=lambda r: r["rank"])
    names, scores = _bars(book, found)
    assert names == [r["name"] for r in records]
    assert scores == pytest.approx([r["score"] for r in records], rel=1e-12)
    tiers = next(c for c in found if c.title == "各方阵单位数").series[0]
    assert cells(book, tiers.categories) == ["第一方阵", "第二方阵", "第三方阵"]
    assert cells(book, tiers.values) == [2, 0, 0]
    # the chosen county's dimensions: formulas on the table below the title rows
    header = {c.column_letter: c.value for c in book.worksheets[0][TITLE_ROWS + 1]}
    ws = book["图表"]
    dimension = ws["B5"].value
    assert ws["A5"].value == "经济实力"
    # the table's rows (10, 11), not the title rows' nor the header's
    column, first, last = re.match(
        r"=INDEX\('综合排名'!\$([A-Z]+)\$(\d+):\$\1\$(\d+),", dimension
    ).groups()
    assert (int(first), int(last)) == (TITLE_ROWS + 2, TITLE_ROWS + 3)
    assert header[column] == "经济实力"
    for record in records:
        got = evaluate(book, "图表", dimension, chosen=record["name"])
        assert got == pytest.approx(record["dimensions"]["economy"], rel=1e-12)
    mean = sum(r["dimensions"]["economy"] for r in records) / 2
    assert evaluate(book, "图表", ws["C5"].value) == pytest.approx(mean, rel=1e-12)


def test_the_csv_has_the_ranking_sheets_columns_rounded_and_the_hash(
    client_for: Any, published: tuple[Assessment, Assessment]
) -> None:
    assessment, _ = published
    client = client_for("viewer")
    text = client.get("/results/2024/?format=csv").content.decode("utf-8")
    assert text.startswith("\ufeff# 2024 考核排名\n")  # the BOM, then the comment lines
    comments = [line for line in text[1:].splitlines() if line.startswith("# ")]
    assert f"# 数据指纹（输入数据的 SHA-256）: {assessment.inputs_hash}" in comments
    table = list(csv.reader(line for line in text[1:].splitlines() if not line.startswith("#")))
    sheet = _sheet(client.get("/results/2024/?format=xlsx").content)
    assert table[0] == [c.value for c in sheet[TITLE_ROWS + 1]]  # the same columns
    header = table[0]
    by_code = {r["unit"]: r for r in assessment.results}
    for row in table[1:]:
        record = by_code[row[header.index("代码")]]
        assert row[header.index("综合得分")] == f"{record['score']:.2f}"  # 67.99, not 67.98802…
        assert row[header.index("经济实力")] == f"{record['dimensions']['economy']:.2f}"
    assert [r[header.index("名次变化（较 2023 年）")] for r in table[1:]] == ["+1", "-1"]


def test_in_english_the_export_names_units_and_tiers_in_english(
    client_for: Any, published: tuple[Assessment, Assessment], units: dict[str, Unit]
) -> None:
    Unit.objects.filter(code="410821").update(name_en="Xiuwu County")
    client = client_for("viewer")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    sheet = _sheet(client.get("/results/2024/?format=xlsx").content)
    assert sheet["A1"].value == "Ranking 2024"
    header = [c.value for c in sheet[TITLE_ROWS + 1]]
    assert {"Code", "Name", "Score", "Rank in 2023", "Rank change since 2023"} <= set(header)
    rows = {r[header.index("Code")]: r for r in sheet.iter_rows(min_row=10, values_only=True)}
    assert rows["410821"][header.index("Name")] == "Xiuwu County"
    assert rows["410822"][header.index("Name")] == "博爱县"  # no English name given
    tiers = {r[header.index("Tier")] for r in rows.values()}
    assert tiers <= {"First tier", "Second tier", "Third tier"}
    # the charts sheet in English, with the names the ranking sheet shows
    content = client.get("/results/2024/?format=xlsx").content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[1] == "Charts"
    found = charts(content)["Charts"]
    names, _ = _bars(book, found)
    assert set(names) == {"Xiuwu County", "博爱县"}
    tier_chart = next(c for c in found if c.title == "Units per tier").series[0]
    assert cells(book, tier_chart.categories) == ["First tier", "Second tier", "Third tier"]
    (listed,) = book["Charts"].data_validations.dataValidation
    assert set(cells(book, f"'Charts'!{listed.formula1}")) == {"Xiuwu County", "博爱县"}
    xiuwu = evaluate(book, "Charts", book["Charts"]["B5"].value, chosen="Xiuwu County")
    assert xiuwu == rows["410821"][header.index("Economic strength")]


def test_the_engines_language_is_put_back_after_an_export() -> None:
    from kaoping import errors

    errors._language = None  # unset: KAOPING_LANG decides
    with exports._engine_language("en"):
        assert errors.get_language() == "en"
    assert errors._language is None


def test_a_ranking_without_its_frozen_inputs_has_no_export(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    Assessment.objects.create(
        period=periods["2024"], methodology="county_hqd", status="published", inputs={},
        inputs_hash="d" * 64, results=[{"unit": "410821", "name": "修武县", "rank": 1}],
    )  # fmt: skip
    client = client_for("viewer")
    assert client.get("/results/2024/").status_code == 200
    assert client.get("/results/2024/?format=xlsx").status_code == 404
