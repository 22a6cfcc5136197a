"""The targets pages: the analyst's table of every county's targets beside last year's actual,
the workbook downloaded and uploaded back (every problem listed by its cell, nothing saved), one
target corrected with its reason and the history of changes; and the county's form, where each
target-bearing indicator shows the county's own target and the completion of its figure — the
engine's ratio (kaoping.scoring.rules.completion)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone

from kaoping.scoring import rules
from kaoping.web.collection.models import Period, StoredMethodology, Submission, Unit, Value
from kaoping.web.official import targets
from kaoping.web.official.models import Target
from kaoping.web.results.models import Assessment

from .targetbook import GDP, URBAN, as_file, download, put

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# two indicators scored against a target, one of them negative (energy per unit of GDP: less
# is better, so its completion is target / figure), and one common target (for every county
# without its own)
MINI = """\
id: mini_targets
name: 目标小表
dimensions:
  - id: d
    name: 维度
    indicators:
      - {id: g, name: 增速, unit: "%", direction: positive}
      - {id: e, name: 单位GDP能耗, unit: 吨标准煤/万元, direction: negative}
      - {id: r, name: 收入, unit: 亿元, direction: positive}
official:
  total_points: 15
  scoring:
    g: {points: 5, rule: completion}
    e: {points: 5, rule: {method: completion, cap: 1.2}}
    r: {points: 5, rule: completion, target: 40}
"""


@pytest.fixture
def world(official_users: dict[str, Any], official_periods: dict[str, Period]) -> dict[str, Any]:
    return {**official_users, **official_periods}


def _target(period: Period, code: str, indicator: str, value: float) -> Target:
    return Target.objects.create(
        period=period, unit=Unit.objects.get(code=code), indicator=indicator, value=value
    )


# --------------------------------------------------------------------------------------------
# the analyst's page
# --------------------------------------------------------------------------------------------


def test_the_page_shows_every_county_s_targets_beside_last_year(
    world: dict[str, Any], client_for: Any
) -> None:
    last = Submission.objects.create(
        unit=Unit.objects.get(code="410822"), period=world["2023"], status="approved"
    )
    Value.objects.create(submission=last, indicator="gdp_growth", value=6.1)
    _target(world["2024"], "410821", "gdp_growth", 6.5)
    page = client_for("analyst").get("/official/2024/targets/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("修武县", "博爱县", "武陟县", "地区生产总值增速", "常住人口城镇化率"):
        assert name in html
    # 修武县's target, a link that opens the correction form on its cell
    assert '<a href="?unit=410821&amp;indicator=gdp_growth#set">6.5</a>' in html
    rows = {r["unit"].code: r for r in page.context["rows"]}
    assert rows["410822"]["cells"][0] == {"indicator": "gdp_growth", "target": "", "last": "6.1"}
    assert page.context["set"] == 1
    assert page.context["total"] == 27
    assert 'href="/official/2024/targets.xlsx"' in html


def test_the_workbook_is_downloaded_as_an_xlsx_file(world: dict[str, Any], client_for: Any) -> None:
    response = client_for("analyst").get("/official/2024/targets.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="targets-2024.xlsx"'
    assert response.content[:4] == b"PK\x03\x04"


def test_an_uploaded_workbook_issues_its_targets(world: dict[str, Any], client_for: Any) -> None:
    book = download(world["analyst"], world["2024"])
    put(book["目标值"], "410823", f"{GDP}目标值", 7.5)
    put(book["目标值"], "410823", f"{URBAN}目标值", 45)
    client = client_for("analyst")
    response = client.post("/official/2024/targets/upload/", {"file": as_file(book)})
    assert response.status_code == 302
    assert response["Location"] == "/official/2024/targets/"
    assert Target.objects.count() == 2
    page = client.get("/official/2024/targets/").content.decode()
    assert "2" in re.search(r'class="success">([^<]*)<', page).group(1)  # how many written
    assert "目标值.xlsx" in page  # the history says where they came from


def test_a_bad_workbook_lists_every_problem_by_cell_and_saves_nothing(
    world: dict[str, Any], client_for: Any
) -> None:
    book = download(world["analyst"], world["2024"])
    sheet = book["目标值"]
    sheet["E3"], sheet["G4"], sheet["I5"] = 6.5, "七", -2  # a good cell, two bad ones
    response = client_for("analyst").post("/official/2024/targets/upload/", {"file": as_file(book)})
    assert response.status_code == 200
    html = response.content.decode()
    problems = re.findall(r'<li class="error">([^<]*)</li>', html)
    assert [p.split(":")[0] for p in problems[-2:]] == ["目标值!G4", "目标值!I5"]
    assert "不是数字" in problems[-2]
    assert "须大于 0" in problems[-1]
    assert not Target.objects.exists()


def test_an_upload_without_a_file_or_not_an_xlsx_says_so(
    world: dict[str, Any], client_for: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("analyst")
    empty = client.post("/official/2024/targets/upload/", {})
    assert empty.status_code == 200
    assert empty.context["file_problems"]
    csv = SimpleUploadedFile("targets.csv", b"code,target\n410821,6\n")
    refused = client.post("/official/2024/targets/upload/", {"file": csv})
    assert refused.status_code == 200
    assert "targets.csv: 这不是 Excel 工作簿（.xlsx）" in refused.content.decode()


def test_one_target_is_corrected_with_its_reason_and_the_change_is_listed(
    world: dict[str, Any], client_for: Any
) -> None:
    _target(world["2024"], "410822", "urbanization", 50.0)
    client = client_for("analyst")
    form = client.get("/official/2024/targets/?unit=410822&indicator=urbanization")
    html = form.content.decode()
    assert '<option value="410822" selected>' in html  # the cell the link named
    assert '<option value="urbanization" selected>' in html
    assert 'name="value" value="50"' in html  # its current target
    response = client.post(
        "/official/2024/targets/set/",
        {"unit": "410822", "indicator": "urbanization", "value": "52.5", "reason": "按省下达"},
    )
    assert response.status_code == 302
    assert Target.objects.get().value == 52.5
    page = client.get("/official/2024/targets/").content.decode()
    history = page[page.index('id="history"') :]
    assert "50 → 52.5" in history
    assert "按省下达" in history
    assert "analyst" in history


def test_a_refused_correction_marks_each_field_and_keeps_what_was_typed(
    world: dict[str, Any], client_for: Any
) -> None:
    response = client_for("analyst").post(
        "/official/2024/targets/set/",
        {"unit": "410821", "indicator": "gdp_growth", "value": "0", "reason": ""},
    )
    assert response.status_code == 200
    assert set(response.context["set_problems"]) == {"value", "reason"}
    html = response.content.decode()
    assert 'name="value" value="0"' in html
    assert html.count('<span class="problem" role="alert">') == 2
    unknown = client_for("analyst").post(
        "/official/2024/targets/set/",
        {"unit": "419999", "indicator": "gdp_growth", "value": "6", "reason": "x"},
    )
    assert unknown.status_code == 200
    assert set(unknown.context["set_problems"]) == {"unit"}
    assert not Target.objects.exists()


def test_an_academic_period_s_page_says_there_are_no_targets(
    users: dict[str, Any], periods: dict[str, Period], client_for: Any
) -> None:
    page = client_for("analyst").get("/official/2024/targets/")
    assert page.status_code == 200
    assert "不按目标完成率计分任何指标" in page.content.decode()
    workbook = client_for("analyst").get("/official/2024/targets.xlsx")
    assert workbook.status_code == 200
    assert workbook["Content-Type"].startswith("text/html")


def test_a_published_period_s_targets_are_shown_frozen(
    world: dict[str, Any], client_for: Any
) -> None:
    _target(world["2024"], "410821", "gdp_growth", 6.5)
    Assessment.objects.create(
        period=world["2024"], methodology="county_hqd_official", status="published", inputs={},
        inputs_hash="x" * 64, results=[], published_at=timezone.now(),
    )  # fmt: skip
    client = client_for("analyst")
    html = client.get("/official/2024/targets/").content.decode()
    assert 'action="/official/2024/targets/upload/"' not in html
    assert 'action="/official/2024/targets/set/"' not in html
    response = client.post(
        "/official/2024/targets/set/",
        {"unit": "410821", "indicator": "gdp_growth", "value": "7", "reason": "改"},
        follow=True,
    )
    assert "published" in response.content.decode() or "发布" in response.content.decode()
    assert Target.objects.get().value == 6.5


def test_the_periods_page_links_the_targets_of_an_official_period_only(
    world: dict[str, Any], client_for: Any
) -> None:
    Period.objects.create(code="2025", methodology="county_hqd", status="draft")
    html = client_for("analyst").get("/periods/").content.decode()
    assert 'href="/official/2024/targets/"' in html
    assert 'href="/official/2023/targets/"' in html
    assert 'href="/official/2025/targets/"' not in html


# --------------------------------------------------------------------------------------------
# the county's form
# --------------------------------------------------------------------------------------------


def _completion_shown(html: str, indicator: str) -> str:
    return re.search(rf'<output id="c-{indicator}" for="f-{indicator}">([^<]*)</output>', html)[1]


def test_the_county_sees_its_own_target_and_the_engine_s_completion_of_its_figure(
    world: dict[str, Any], client_for: Any
) -> None:
    """修武县's 实际到位省外资金 7.8 亿元 against its target 6.5: the engine's rate 7.8 / 6.5 =
    1.2, shown as 120.0%; 博爱县's target (5.0) is not on 修武县's form.  (Not GDP growth: 统计局
    has an account and supplies it; 商务局, the owner of this one, has none.)"""
    period = world["2024"]
    _target(period, "410821", "external_capital", 6.5)
    _target(period, "410822", "external_capital", 5.0)
    _target(period, "410822", "urbanization", 77.7)
    mine = Submission.objects.create(unit=Unit.objects.get(code="410821"), period=period)
    Value.objects.create(submission=mine, indicator="external_capital", value=7.8)
    html = client_for("county-410821").get("/collect/2024/").content.decode()
    field = re.search(r'<input[^>]*id="f-external_capital"[^>]*>', html)[0]
    assert 'data-target="6.5"' in field
    assert 'data-direction="1"' in field
    assert 'data-completion="c-external_capital"' in field
    ratio = rules.completion([7.8], 6.5, 1.0, 1)[1][0]
    shown = _completion_shown(html, "external_capital")
    assert shown == "120.0%"
    assert float(shown.rstrip("%")) == pytest.approx(ratio * 100, abs=0.05)
    assert "77.7" not in html  # the other county's target
    assert 'data-target="5.0"' not in html
    assert 'id="c-urbanization"' not in html  # no target of its own yet: none shown
    assert "/static/kaoping/completion" in html


def test_the_form_shows_the_completion_of_a_negative_indicator_and_a_common_target(
    world: dict[str, Any], client_for: Any
) -> None:
    """e is negative: a figure of 0.5 against a target of 0.6 completes it 0.6 / 0.5 = 120%;
    r has no target of 修武县's own, so the scoring table's common target 40 is the one the
    engine uses: 30 of 40 = 75.0%."""
    StoredMethodology.objects.create(key="mini_targets", name="目标小表", text=MINI)
    period = Period.objects.create(code="2025", methodology="mini_targets", status="open")
    _target(period, "410821", "e", 0.6)
    mine = Submission.objects.create(unit=Unit.objects.get(code="410821"), period=period)
    Value.objects.create(submission=mine, indicator="e", value=0.5)
    Value.objects.create(submission=mine, indicator="r", value=30.0)
    html = client_for("county-410821").get("/collect/2025/").content.decode()
    assert 'data-direction="-1"' in re.search(r'<input[^>]*id="f-e"[^>]*>', html)[0]
    assert _completion_shown(html, "e") == targets.percent(
        rules.completion([0.5], 0.6, 1.0, -1)[1][0]
    )
    assert _completion_shown(html, "e") == "120.0%"
    assert _completion_shown(html, "r") == "75.0%"
    assert 'id="c-g"' not in html  # g has no target (nor a common one): nothing to complete
    _target(period, "410821", "g", 5.0)
    html = client_for("county-410821").get("/collect/2025/").content.decode()
    assert _completion_shown(html, "g") == "—"  # a target, no figure yet
    assert 'data-target="40.0"' in html


def test_a_refused_save_shows_the_completion_of_what_was_typed(
    world: dict[str, Any], client_for: Any
) -> None:
    _target(world["2024"], "410821", "external_capital", 8.0)
    client = client_for("county-410821")
    client.get("/collect/2024/")
    # a figure that is not a number elsewhere refuses the save: the form shows what was typed
    refused = client.post(
        "/collect/2024/", {"version": "0", "external_capital": "7.2", "budget_revenue": "abc"}
    )
    assert refused.status_code == 200
    assert _completion_shown(refused.content.decode(), "external_capital") == "90.0%"


def test_an_academic_period_s_form_shows_no_target(
    users: dict[str, Any], periods: dict[str, Period], client_for: Any
) -> None:
    html = client_for("county-410821").get("/collect/2024/").content.decode()
    assert "data-target" not in html
    assert "completion.js" not in html
