"""The items' pages: the list and the propose form, one item, the office's decision, the
evidence file, the county's objection from the item's page, and the links to them."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import CsrfClient
from tests.web.workflow import close_response

from kaoping.web.collection.models import Period, Submission
from kaoping.web.official import items
from kaoping.web.official.models import Evidence, Item
from kaoping.web.results.models import Assessment, Objection

from . import items_kit as kit
from .items_kit import A, mini, propose

__all__ = ["mini"]  # the fixture, used below


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def period(official_periods: dict[str, Period]) -> Period:
    return official_periods["2024"]


@pytest.fixture
def client_as(official_users: dict[str, Any]) -> Any:
    """client_as("dept-eco"): a CSRF-enforcing client logged in as that account."""
    return lambda name: CsrfClient(official_users[name] if name else None)


@pytest.fixture
def two(official_users: dict[str, Any], period: Period) -> dict[str, Item]:
    """生态环境局's penalty against 修武县 (a PDF) and the office's bonus for 博爱县 (a DOCX)."""
    return {
        "eco": propose(official_users["dept-eco"], period),
        "office": propose(official_users["analyst"], period, unit="410822",
                          rule="four_good_roads", document="交公路〔2024〕5号",
                          files=[kit.upload("命名通知.docx", kit.docx())]),
    }  # fmt: skip


URL = "/official/2024/items/"


def _status(client: Any, path: str) -> int:
    """The status of a GET, its response closed (a file response holds the file open)."""
    response = client.get(path)
    close_response(response)
    return int(response.status_code)


# --- the list ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("analyst", {"eco", "office"}),
        ("admin", {"eco", "office"}),
        ("dept-eco", {"eco"}),
        ("dept-stat", set()),
        ("county-410821", {"eco"}),
        ("county-410822", {"office"}),
        ("county-410823", set()),
    ],
)
def test_each_role_lists_the_items_it_may_see(
    client_as: Any, two: dict[str, Item], role: str, shown: set[str]
) -> None:
    page = client_as(role).get(URL)
    assert page.status_code == 200
    listed = {k for k, item in two.items() if f"/official/2024/items/{item.pk}/" in page.text}
    assert listed == shown


def test_a_viewer_has_no_items_page_and_an_anonymous_visitor_logs_in_first(
    client_as: Any, two: dict[str, Item]
) -> None:
    assert client_as("viewer").get(URL).status_code == 403
    anonymous = client_as(None).get(URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_an_academic_period_has_no_items_page(client_as: Any, official_users: Any) -> None:
    Period.objects.create(code="2022", methodology="county_hqd", status="open")
    assert client_as("analyst").get("/official/2022/items/").status_code == 404


def test_the_office_filters_by_status_and_county(
    client_as: Any, two: dict[str, Item], official_users: dict[str, Any]
) -> None:
    items.item_approve(actor=official_users["analyst"], item=two["office"])
    client = client_as("analyst")
    proposed = client.get(URL + "?status=proposed").text
    assert f"/items/{two['eco'].pk}/" in proposed
    assert f"/items/{two['office'].pk}/" not in proposed
    by_county = client.get(URL + "?unit=410822").text
    assert f"/items/{two['office'].pk}/" in by_county
    assert f"/items/{two['eco'].pk}/" not in by_county


def test_the_form_offers_each_proposer_its_rules_only(client_as: Any, period: Period) -> None:
    office = client_as("analyst").get(URL).text
    assert 'value="four_good_roads"' in office
    assert 'value="accident"' in office
    eco = client_as("dept-eco").get(URL).text
    assert 'value="criticised"' in eco
    assert 'value="four_good_roads"' not in eco
    stat = client_as("dept-stat").get(URL).text
    assert "Propose the item" not in stat
    assert 'name="files"' not in stat
    assert 'name="files"' not in client_as("county-410821").get(URL).text


# --- proposing -----------------------------------------------------------------------------


def test_a_department_proposes_through_the_form_with_several_files(
    client_as: Any, period: Period
) -> None:
    client = client_as("dept-eco")
    response = client.post(URL, {
        "unit": "410822", "rule": "criticised", "points": "1", "reason": "空气质量排名末位",
        "document": "豫环〔2024〕8号", "date": "2024-07-01",
        "files": [kit.upload("通报.pdf", kit.pdf()), kit.upload("名单.xlsx", kit.xlsx())],
    })  # fmt: skip
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/official/2024/items/{item.pk}/"
    assert (item.unit.code, item.points, item.department) == ("410822", 1.0, "生态环境局")
    assert [e.extension for e in item.evidence.all()] == ["pdf", "xlsx"]
    page = client.get(response["Location"]).text
    assert "通报.pdf" in page
    assert "名单.xlsx" in page


def test_a_refused_proposal_shows_every_problem_and_stores_nothing(
    client_as: Any, period: Period
) -> None:
    response = client_as("dept-eco").post(URL, {
        "unit": "410821", "rule": "criticised", "points": "3", "reason": "通报",
        "document": "豫环〔2024〕9号", "date": "",
        "files": [kit.upload("通报.pdf", kit.exe())],
    })  # fmt: skip
    assert response.status_code == 200  # the form again, as entered
    text = response.text
    assert "文件 通报.pdf 不能作为证明材料" in text
    assert "最多减分 2 分" in text
    assert 'value="豫环〔2024〕9号"' in text
    assert not Item.objects.exists()
    assert not Evidence.objects.exists()
    assert kit.stored() == []


def test_a_county_may_not_post_a_proposal(client_as: Any, period: Period) -> None:
    response = client_as("county-410821").post(URL, {
        "unit": "410821", "rule": "criticised", "reason": "x", "document": "y",
        "files": [kit.upload("a.pdf", kit.pdf())],
    })  # fmt: skip
    assert response.status_code == 403
    assert not Item.objects.exists()


# --- one item and the decision ------------------------------------------------------------


def _item_url(item: Item) -> str:
    return f"/official/2024/items/{item.pk}/"


def test_the_item_page_lists_the_evidence_without_its_storage_path(
    client_as: Any, two: dict[str, Item]
) -> None:
    evidence = two["eco"].evidence.get()
    page = client_as("county-410821").get(_item_url(two["eco"])).text
    assert f'href="/official/evidence/{evidence.pk}/"' in page
    assert "通报.pdf" in page
    assert evidence.file.name not in page
    assert "decide" not in page  # no decision form for a county


def test_another_county_or_department_gets_404_for_an_item(
    client_as: Any, two: dict[str, Item]
) -> None:
    for role in ("county-410822", "dept-stat", "viewer"):
        assert client_as(role).get(_item_url(two["eco"])).status_code in (403, 404)
    assert client_as("dept-eco").get(_item_url(two["office"])).status_code == 404


def test_the_office_approves_rejects_and_withdraws_on_the_item_page(
    client_as: Any, two: dict[str, Item]
) -> None:
    client = client_as("analyst")
    page = client.get(_item_url(two["eco"])).text
    assert 'value="approve"' in page
    decide = _item_url(two["eco"]) + "decide/"
    assert client.post(decide, {"action": "approve", "reason": ""}).status_code == 302
    two["eco"].refresh_from_db()
    assert two["eco"].status == "approved"
    assert 'value="withdraw"' in client.get(_item_url(two["eco"])).text
    client.post(decide, {"action": "withdraw", "reason": ""})  # refused: no reason
    two["eco"].refresh_from_db()
    assert two["eco"].status == "approved"
    client.post(decide, {"action": "withdraw", "reason": "异议成立"})
    two["eco"].refresh_from_db()
    assert (two["eco"].status, two["eco"].decision) == ("rejected", "异议成立")
    office = _item_url(two["office"]) + "decide/"
    client.post(office, {"action": "reject", "reason": "称号尚未公布"})
    two["office"].refresh_from_db()
    assert two["office"].status == "rejected"


def test_a_department_may_not_decide(client_as: Any, two: dict[str, Item]) -> None:
    decide = _item_url(two["eco"]) + "decide/"
    assert client_as("dept-eco").post(decide, {"action": "approve"}).status_code == 403
    two["eco"].refresh_from_db()
    assert two["eco"].status == "proposed"


# --- the evidence file ---------------------------------------------------------------------


def test_a_pdf_opens_in_the_browser_with_its_stored_type(
    client_as: Any, two: dict[str, Item]
) -> None:
    evidence = two["eco"].evidence.get()
    response = client_as("dept-eco").get(f"/official/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline;")
    assert "filename*=utf-8''%E9%80%9A%E6%8A%A5.pdf" in response["Content-Disposition"]  # 通报
    body = b"".join(response.streaming_content)
    close_response(response)
    assert hashlib.sha256(body).hexdigest() == evidence.sha256


def test_a_word_file_is_downloaded(client_as: Any, two: dict[str, Item]) -> None:
    evidence = two["office"].evidence.get()
    response = client_as("county-410822").get(f"/official/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == items.DOCX
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == kit.docx()
    close_response(response)


@pytest.mark.parametrize("role", ["county-410822", "dept-stat", "viewer", "county-410823"])
def test_the_evidence_is_404_to_those_who_may_not_see_the_item(
    client_as: Any, two: dict[str, Item], role: str
) -> None:
    evidence = two["eco"].evidence.get()
    assert _status(client_as(role), f"/official/evidence/{evidence.pk}/") == 404


def test_the_evidence_of_a_counted_item_opens_to_a_viewer_once_published(
    client_as: Any, two: dict[str, Item], official_users: dict[str, Any], period: Period
) -> None:
    item = two["eco"]
    items.item_approve(actor=official_users["analyst"], item=item)
    evidence = item.evidence.get()
    path = f"/official/evidence/{evidence.pk}/"
    assert _status(client_as("viewer"), path) == 404
    row = [item.pk, "410821", "penalty", "criticised", 0.5, item.document, "2024-06-30",
           [evidence.sha256]]  # fmt: skip
    Assessment.objects.create(period=period, methodology=period.methodology,
                              inputs={"items": [row]}, inputs_hash="0" * 64, results=[],
                              status=Assessment.Status.PUBLISHED)  # fmt: skip
    assert _status(client_as("viewer"), path) == 200
    assert _status(client_as("dept-stat"), path) == 200


def test_a_missing_file_is_404_not_an_error(client_as: Any, two: dict[str, Item]) -> None:
    evidence = two["eco"].evidence.get()
    Path(evidence.file.path).unlink()
    assert _status(client_as("analyst"), f"/official/evidence/{evidence.pk}/") == 404


# --- objecting from the item's page --------------------------------------------------------


def test_the_county_objects_to_an_approved_item_from_its_page(
    client_as: Any, two: dict[str, Item], official_users: dict[str, Any], period: Period
) -> None:
    item = two["eco"]
    items.item_approve(actor=official_users["analyst"], item=item)
    client = client_as("county-410821")
    assert "Object to this item" not in client.get(_item_url(item)).text  # nothing announced
    assessment = Assessment.objects.create(
        period=period, methodology=period.methodology, inputs={"items": []},
        inputs_hash="0" * 64, results=[], status=Assessment.Status.ANNOUNCED,
        objections_until=dt.date.today() + dt.timedelta(days=3),
    )  # fmt: skip
    page = client.get(_item_url(item)).text
    assert 'name="item"' in page
    response = client.post("/results/2024/objection/", {
        "assessment": assessment.pk, "item": item.pk, "text": "通报已撤销",
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == _item_url(item)
    objection = Objection.objects.get()
    assert (objection.item, objection.unit.code, objection.text) == (item, "410821", "通报已撤销")
    assert "通报已撤销" in client_as("analyst").get(_item_url(item)).text
    # the other county: not its item (nothing recorded)
    client_as("county-410822").post("/results/2024/objection/", {
        "assessment": assessment.pk, "item": item.pk, "text": "x",
    })  # fmt: skip
    assert Objection.objects.count() == 1


# --- the links to the items page ---------------------------------------------------------


def test_the_dashboard_and_the_countys_form_link_the_items_of_an_official_period(
    client_as: Any, two: dict[str, Item], period: Period
) -> None:
    dashboard = client_as("analyst").get("/review/2024/").text
    assert 'href="/official/2024/items/"' in dashboard
    assert "2 await a decision" in dashboard or "2 项待审核" in dashboard
    Submission.objects.create(unit=two["eco"].unit, period=period)
    assert 'href="/official/2024/items/"' in client_as("county-410821").get("/collect/2024/").text


def test_an_academic_periods_pages_have_no_items_link(
    client_for: Any, periods: dict[str, Period]
) -> None:
    assert "/official/" not in client_for("analyst").get("/review/2024/").text


def test_the_ranking_page_links_an_objection_to_its_item(
    client_as: Any, official_users: dict[str, Any], mini: Period
) -> None:
    """Through the services on MINI: an approved penalty against 修武县, the ranking computed
    and announced, 修武县 objects to the item, the office accepts: the ranking's page links
    the item and sends the office to withdraw it (not to reopen the county's figures)."""
    from kaoping.web.results import services as results

    analyst = official_users["analyst"]
    item = propose(official_users["dept-eco"], mini, unit=A)
    items.item_approve(actor=analyst, item=item)
    assessment = results.assessment_compute(actor=analyst, period=mini)
    results.assessment_announce(actor=analyst, assessment=assessment, days=5)
    county = official_users["county-410821"]
    objection = results.objection_raise(
        actor=county, assessment=assessment, text="已撤销", item=item
    )
    results.objection_answer(actor=analyst, objection=objection, answer="属实", accept=True)
    page = client_as("analyst").get(f"/results/2024/?assessment={assessment.pk}").text
    assert f'href="/official/2024/items/{item.pk}/"' in page
    assert 'value="reopen"' not in page
