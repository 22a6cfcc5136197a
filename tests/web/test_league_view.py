"""The league table: sorted, filtered by category, tier classes, rank change against the
previous period's published ranking, CSV and xlsx exports; previews for the city office only."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import load_workbook

from kaoping.web.collection.models import Period, Unit
from kaoping.web.results.models import Assessment

RESULTS = [
    {"unit": "410822", "name": "博爱县", "category": "A", "score": 80.5, "rank": 1,
     "category_rank": 1, "tier": "第一方阵", "dimensions": {"economy": 90.0}},
    {"unit": "410821", "name": "修武县", "category": "A", "score": 70.25, "rank": 2,
     "category_rank": 2, "tier": "第一方阵", "dimensions": {"economy": 60.0}},
    {"unit": "410823", "name": "武陟县", "category": "B", "score": 40.0, "rank": 3,
     "category_rank": 1, "tier": "其他", "dimensions": {"economy": 10.0}},
]  # fmt: skip


def _assessment(period: Period, status: str, results: list[dict[str, Any]]) -> Assessment:
    return Assessment.objects.create(
        period=period, methodology="county_hqd", status=status, inputs={},
        inputs_hash="ab" * 32, results=results,
    )  # fmt: skip


def test_a_viewer_reads_the_published_ranking_with_rank_changes(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    last = [dict(r) for r in RESULTS]
    last[0]["rank"], last[1]["rank"] = 2, 1  # 博爱县 was 2nd, 修武县 1st
    _assessment(periods["2023"], "published", last)
    _assessment(periods["2024"], "published", RESULTS)
    client = client_for("viewer")
    assert client.get("/")["Location"] == "/results/2024/"
    page = client.get("/results/2024/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r["unit"] for r in rows] == ["410822", "410821", "410823"]
    assert [r["change"] for r in rows] == [1, -1, 0]  # 2 -> 1 up one, 1 -> 2 down one
    html = page.content.decode()
    assert "↑1" in html
    assert "↓1" in html
    assert 'class="tier-0"' in html  # 第一方阵 rows coloured as the first tier
    assert 'class="tier-1"' in html


def test_it_sorts_and_filters_by_category(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2024"], "published", RESULTS)
    client = client_for("viewer")
    by_name = client.get("/results/2024/?sort=unit").context["rows"]
    assert [r["unit"] for r in by_name] == ["410821", "410822", "410823"]
    only_b = client.get("/results/2024/?category=B").context["rows"]
    assert [r["unit"] for r in only_b] == ["410823"]


def test_it_exports_csv_and_xlsx(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2024"], "published", RESULTS)
    client = client_for("viewer")
    text = client.get("/results/2024/?format=csv").content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][:3] == ["1", "410822", "博爱县"]
    assert len(lines) == 4
    book = load_workbook(io.BytesIO(client.get("/results/2024/?format=xlsx").content))
    sheet = book["2024"]
    assert [c.value for c in sheet[2]][:3] == [1, "410822", "博爱县"]
    assert sheet.cell(6, 2).value == "ab" * 32  # the inputs hash travels with the export


def test_previews_are_for_the_city_office_only(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2024"], "computed", RESULTS)
    assert client_for("analyst").get("/results/2024/").status_code == 200
    assert client_for("viewer").get("/results/2024/").status_code == 404
    assert client_for("county-410821").get("/results/2024/").status_code == 404
    assert (
        client_for("county-410821").post("/results/2024/act/", {"action": "compute"}).status_code
        == 403
    )


def test_the_analyst_computes_announces_and_verifies_from_the_page(
    client_for: Any, periods: dict[str, Period], approved: Any
) -> None:
    client = client_for("analyst")
    page = client.get("/results/2024/compute/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "3 个单位中 2 个已审核通过" in html
    assert 'name="exclude-410823"' in html  # 武陟县, submitted: leave it out, or review it
    refused = client.post("/results/2024/compute/", {})
    assert refused.status_code == 200
    assert "尚未审核通过" in refused.content.decode()
    no_reason = client.post("/results/2024/compute/", {"exclude-410823": "yes"})
    assert "请说明 410823（武陟县）未参评的原因" in no_reason.content.decode()
    assert not Assessment.objects.exists()
    done = client.post(
        "/results/2024/compute/", {"exclude-410823": "yes", "reason-410823": "数据待核实"}
    )
    assessment = Assessment.objects.get()
    assert done["Location"] == f"/results/2024/?assessment={assessment.pk}"
    league = client.get(done["Location"]).content.decode()
    assert "未参评" in league
    assert "410823 武陟县（原因：数据待核实）" in league
    assert "3 个单位中 2 个参与排名" in league
    client.post("/results/2024/act/", {"action": "announce", "assessment": assessment.pk,
                                       "days": "3"})  # fmt: skip
    assessment.refresh_from_db()
    assert assessment.status == "announced"
    page = client.post(
        "/results/2024/act/", {"action": "verify", "assessment": assessment.pk}, follow=True
    )
    assert "所有数值完全一致" in page.content.decode()


def test_verifying_a_ranking_whose_inputs_were_lost_says_the_numbers_differ(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    assessment = _assessment(periods["2024"], "announced", RESULTS)
    page = client_for("analyst").post(
        "/results/2024/act/", {"action": "verify", "assessment": assessment.pk}, follow=True
    )
    # the stored inputs here are empty, so the recomputation cannot reproduce the results
    assert "不一致" in page.content.decode()


def test_a_preview_is_discarded_from_the_page(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    preview = _assessment(periods["2024"], "computed", RESULTS)
    client = client_for("analyst")
    client.post("/results/2024/act/", {"action": "discard", "assessment": preview.pk})
    preview.refresh_from_db()
    assert preview.status == "discarded"
    assert client.get("/results/2024/").status_code == 404  # nothing left to show first
    assert client.get(f"/results/2024/?assessment={preview.pk}").status_code == 200


def test_a_malformed_assessment_id_is_not_found(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2024"], "published", RESULTS)
    client = client_for("analyst")
    for bad in ("abc", "1.5", "-1", "9" * 40):
        assert client.get(f"/results/2024/?assessment={bad}").status_code == 404
        assert client.get(f"/results/2024/map/?assessment={bad}").status_code == 404
        assert (
            client.post("/results/2024/act/", {"action": "verify", "assessment": bad}).status_code
            == 404
        )


def test_a_county_objects_on_the_page_and_the_analyst_answers(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    import datetime as dt

    from kaoping.web.results.models import Objection

    assessment = _assessment(periods["2024"], "announced", RESULTS)
    assessment.objections_until = dt.date.today() + dt.timedelta(days=3)
    assessment.save(update_fields=["objections_until"])
    county = client_for("county-410821")
    page = county.get(f"/results/2024/?assessment={assessment.pk}")
    assert page.context["may_object"]
    county.post("/results/2024/objection/", {"assessment": assessment.pk, "text": "GDP 有误"})
    objection = Objection.objects.get()
    assert (objection.unit.code, objection.text) == ("410821", "GDP 有误")
    # the other county does not see it; the analyst does, and answers
    other = client_for("county-410822").get(f"/results/2024/?assessment={assessment.pk}")
    assert list(other.context["objections"]) == []
    analyst = client_for("analyst")
    assert list(analyst.get("/results/2024/").context["objections"]) == [objection]
    answer = {"assessment": assessment.pk, "objection": objection.pk, "answer": "已核实",
              "action": "reject"}  # fmt: skip
    analyst.post("/results/2024/objection/", answer)
    objection.refresh_from_db()
    assert (objection.answer, objection.status) == ("已核实", "rejected")
    # a viewer (published results only) neither sees the announced ranking nor objects to it
    viewer = client_for("viewer")
    assert viewer.get("/results/2024/").status_code == 404
    refused = viewer.post("/results/2024/objection/", {"assessment": assessment.pk, "text": "x"})
    assert refused.status_code == 404
    assert Objection.objects.count() == 1


def _announce(client: Any, assessment: Assessment, days: str) -> str:
    """Press "announce" with this window; the page it leads to (a 200, not an error page)."""
    response = client.post(
        "/results/2024/act/", {"action": "announce", "assessment": assessment.pk, "days": days},
        follow=True,
    )  # fmt: skip
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_stale_button_is_a_message_not_an_error_page(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    """A second click on "announce" (the page was opened before the first one): the analyst
    may announce, the assessment no longer can be; the page says so."""
    assessment = _assessment(periods["2024"], "announced", RESULTS)
    assert "只有已计算的考核结果才能公示。" in _announce(client_for("analyst"), assessment, "5")
    assessment.refresh_from_db()
    assert assessment.status == "announced"


def test_an_objection_window_that_is_not_a_whole_number_is_refused_with_a_message(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    assessment = _assessment(periods["2024"], "computed", RESULTS)
    for days in ("²", "3.5", "-1", "五"):  # "²".isdigit() is True, int("²") is an error
        assert "公示期须至少 1 天" in _announce(client_for("analyst"), assessment, days)
    assessment.refresh_from_db()
    assert assessment.status == "computed"


def test_every_page_says_while_a_ranking_is_announced_for_objections(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    import datetime as dt

    assessment = _assessment(periods["2024"], "announced", RESULTS)
    until = dt.date.today() + dt.timedelta(days=3)
    Assessment.objects.filter(pk=assessment.pk).update(objections_until=until)
    form = client_for("county-410822").get("/collect/2024/").content.decode()
    assert f"2024 考核排名正在公示，异议截止 {until.isoformat()}。" in form
    assert f'href="/results/2024/?assessment={assessment.pk}"' in form
    assert "正在公示" in client_for("analyst").get("/review/2024/").content.decode()
    # the window over: no notice
    Assessment.objects.filter(pk=assessment.pk).update(objections_until=dt.date(2000, 1, 1))
    assert "正在公示" not in client_for("county-410822").get("/collect/2024/").content.decode()


def test_the_analyst_finds_a_newer_preview_beside_the_published_ranking(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    published = _assessment(periods["2024"], "published", RESULTS)
    preview = _assessment(periods["2024"], "computed", RESULTS)
    page = client_for("analyst").get("/results/2024/")
    assert page.context["assessment"] == published  # the published one comes first
    assert list(page.context["others"]) == [preview]
    assert f'href="?assessment={preview.pk}"' in page.content.decode()
    county = client_for("county-410821").get("/results/2024/")
    assert list(county.context["others"]) == []  # a preview is the city office's only
