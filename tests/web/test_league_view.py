"""The league table: sorted, filtered by category, tier classes, rank change against the
previous period's published ranking (and which period that is), the publication date and data
fingerprint, a period selector; previews for the city office only, and to everyone else a page
that says why there is no ranking yet.  (The exports: test_exports.py.)"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

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


def codes(html: str) -> list[str]:
    """The units of the league table, in the order shown."""
    return re.findall(r'<td class="code"[^>]*>([0-9]+)</td>', html)


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
    html = page.content.decode()
    assert codes(html) == ["410822", "410821", "410823"]
    changes = re.findall(r'<td class="change"[^>]*>(.*?)</td>', html)
    # 2 -> 1 up one, 1 -> 2 down one, 3 -> 3 unchanged
    assert changes == ['<span class="up">↑1</span>', '<span class="down">↓1</span>', "="]
    assert "<th>名次变化（较 2023 年）</th>" in html  # against which year
    assert 'class="tier-0"' in html  # 第一方阵 rows coloured as the first tier
    assert 'class="tier-1"' in html


def test_the_rank_change_names_its_period_in_english_and_a_code_that_is_not_a_year(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2023"], "published", RESULTS)
    _assessment(periods["2024"], "published", RESULTS)
    client = client_for("viewer")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "<th>Change since 2023</th>" in client.get("/results/2024/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    q3 = Period.objects.create(code="2025-Q3", methodology="county_hqd", previous=periods["2024"])
    q4 = Period.objects.create(code="2025-Q4", methodology="county_hqd", previous=q3)
    _assessment(q3, "published", RESULTS)
    _assessment(q4, "published", RESULTS)
    assert "<th>名次变化（较 2024 年）</th>" in client.get("/results/2025-Q3/").content.decode()
    assert "<th>名次变化（较 2025-Q3）</th>" in client.get("/results/2025-Q4/").content.decode()


def test_the_published_page_says_when_and_shows_the_fingerprint_to_copy(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    assessment = _assessment(periods["2024"], "published", RESULTS)
    moment = dt.datetime(2025, 3, 1, 18, 30, tzinfo=dt.UTC)  # 2025-03-02 02:30 in Beijing
    Assessment.objects.filter(pk=assessment.pk).update(published_at=moment)
    html = client_for("viewer").get("/results/2024/").content.decode()
    assert "发布于 2025-03-02" in html  # the date where the city is (Asia/Shanghai)
    assert "数据指纹 <code>abababab…</code>" in html  # the first 8 of the SHA-256
    assert 'title="本排名据以计算的全部内容' in html  # the summary says what it is
    assert f'value="{"ab" * 32}"' in html  # the whole of it, in a field to copy from
    assert 'data-copy="fingerprint"' in html
    assert "kaoping/copy.js" in html
    assert timezone.localdate(moment) == dt.date(2025, 3, 2)


def test_a_period_selector_lists_every_period_with_a_ranking_the_user_may_see(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2023"], "published", RESULTS)
    _assessment(periods["2024"], "computed", RESULTS)  # a preview: the city office's only
    selector = re.compile(r'<nav class="periods".*?</nav>', re.S)
    viewer = selector.search(client_for("viewer").get("/results/2023/").content.decode())
    assert viewer is None  # one period only: nothing to choose
    analyst = selector.search(client_for("analyst").get("/results/2023/").content.decode())
    assert analyst is not None
    assert re.findall(r'href="([^"]+)"', analyst.group()) == ["/results/2023/", "/results/2024/"]
    assert 'aria-current="page">2023<' in analyst.group()
    on_map = client_for("analyst").get("/results/2023/map/").content.decode()
    assert 'href="/results/2024/map/"' in on_map
    profile = client_for("analyst").get("/results/2023/unit/410821/").content.decode()
    assert 'href="/results/2024/unit/410821/"' in profile


def test_it_sorts_and_filters_by_category(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2024"], "published", RESULTS)
    client = client_for("viewer")
    assert codes(client.get("/results/2024/?sort=unit").content.decode()) == [
        "410821", "410822", "410823"
    ]  # fmt: skip
    assert codes(client.get("/results/2024/?sort=score").content.decode()) == [
        "410822", "410821", "410823"
    ]  # fmt: skip
    assert codes(client.get("/results/2024/?category=B").content.decode()) == ["410823"]
    assert codes(client.get("/results/2024/?sort=nonsense").content.decode())[0] == "410822"


def test_previews_are_for_the_city_office_only(
    client_for: Any, periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2023"], "published", [dict(r, score=11.5) for r in RESULTS])
    _assessment(periods["2024"], "computed", RESULTS)
    assert client_for("analyst").get("/results/2024/").status_code == 200
    for name in ("viewer", "county-410821"):  # a page that says why, not a 404
        page = client_for(name).get("/results/2024/")
        assert page.status_code == 200
        html = page.content.decode()
        assert "2024 年的排名尚未发布。" in html
        assert "70.25" not in html  # nothing of the preview
        assert 'href="/results/2023/"' in html  # the latest published ranking
        assert client_for(name).get("/results/2024/?format=csv").status_code == 404
        assert client_for(name).get("/results/2024/map/").status_code == 200
        assert "70.25" not in client_for(name).get("/results/2024/map/").content.decode()
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
    page = client.get("/results/2024/")  # nothing left to show first: compute again
    assert page.templates[0].name == "results/none.html"
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
    # a viewer (published results only) neither sees the announced ranking nor objects to it:
    # the page says it is announced, until when, and that it will be published after that
    viewer = client_for("viewer")
    pending = viewer.get("/results/2024/").content.decode()
    assert f"2024 年排名正在公示，公示期至 {assessment.objections_until.isoformat()}" in pending
    assert "80.5" not in pending
    assert viewer.get(f"/results/2024/?assessment={assessment.pk}").status_code == 404
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


def test_an_academic_ranking_shows_each_units_rank_interval_and_chance_of_the_first_tier(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    """Computed with the ranking (services.ROBUSTNESS) and shown from its frozen results:
    the interval of each unit's row is its stored robust.p05–p95, the share its p_first."""
    from .workflow import publish

    assessment = publish(users["analyst"], periods["2024"])
    page = client_for("viewer").get("/results/2024/").content.decode()
    assert "名次区间（5%–95%）" in page
    assert "P(第一方阵)" in page
    for record in assessment.results:
        robust = record["robust"]
        assert robust["p05"] <= robust["median"] <= robust["p95"]
        assert f"{robust['p05']}–{robust['p95']}</td>" in page
        assert f"{round(100 * robust['p_first'])}%</td>" in page
    profile = client_for("viewer").get("/results/2024/unit/410821/").content.decode()
    mine = next(r["robust"] for r in assessment.results if r["unit"] == "410821")
    assert f"第 {mine['p05']} 至第 {mine['p95']} 名之间" in profile
