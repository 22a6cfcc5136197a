"""The county's form: figures beside last period's, every bad field marked, nothing saved on a
problem, a stale save refused, submit; and only a county of its own unit gets in."""

from __future__ import annotations

from typing import Any

from kaoping.web.collection.models import Period, Submission, Unit, Value
from kaoping.web.collection.services import indicators_of


def test_it_shows_each_indicator_with_last_periods_value(
    client_for: Any, units: dict[str, Unit], periods: dict[str, Period]
) -> None:
    last = Submission.objects.create(unit=units["410821"], period=periods["2023"])
    Value.objects.create(submission=last, indicator="gdp", value=321.5)
    page = client_for("county-410821").get("/collect/2024/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "地区生产总值" in html
    assert "321.5" in html
    assert 'name="version" value="0"' in html


def test_it_marks_the_bad_field_and_saves_nothing(
    client_for: Any, periods: dict[str, Period]
) -> None:
    client = client_for("county-410821")
    page = client.post("/collect/2024/", {"version": "0", "gdp": "12,3%", "urbanization": "56"})
    assert page.status_code == 200  # the form again, with the problems
    html = page.content.decode()
    assert 'role="alert"' in html
    assert "12,3%" in html
    assert not Value.objects.exists()


def test_it_saves_and_redirects_then_refuses_a_stale_second_save(
    client_for: Any, periods: dict[str, Period]
) -> None:
    client = client_for("county-410821")
    saved = client.post("/collect/2024/", {"version": "0", "gdp": "1,200"})
    assert saved.status_code == 302
    assert Value.objects.get(indicator="gdp").value == 1200.0
    stale = client.post("/collect/2024/", {"version": "0", "gdp": "9"}, follow=True)
    assert "Reload" in stale.content.decode() or "重新" in stale.content.decode()
    assert Value.objects.get(indicator="gdp").value == 1200.0


def test_submitting_asks_for_reasons_and_a_confirmation_then_locks_the_form(
    client_for: Any, periods: dict[str, Period]
) -> None:
    client = client_for("county-410821")
    client.post("/collect/2024/", {"version": "0", "gdp": "1"})
    # 39 figures are blank without a reason: the page says which, nothing is submitted
    refused = client.post("/collect/2024/submit/", {"confirm": "yes"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert page.count('role="alert"') == 39
    assert "没有填写：请填写数值，或选择空缺原因" in page
    assert Submission.objects.get().status == "draft"
    blanks = {f"reason-{i}": "unknown" for i in indicators_of("county_hqd") if i != "gdp"}
    client.post("/collect/2024/", {"version": "1", "gdp": "1", **blanks})
    # the box "I have checked these figures" is required
    unticked = client.post("/collect/2024/submit/")
    assert unticked.status_code == 302
    assert Submission.objects.get().status == "draft"
    assert client.post("/collect/2024/submit/", {"confirm": "yes"}).status_code == 302
    assert Submission.objects.get().status == "submitted"
    html = client.get("/collect/2024/").content.decode()
    assert "disabled" in html
    refused = client.post("/collect/2024/", {"version": "2", "gdp": "2"})
    assert refused.status_code == 403


def test_only_county_submitters_have_a_form(client_for: Any, periods: dict[str, Period]) -> None:
    assert client_for("analyst").get("/collect/2024/").status_code == 403
    assert client_for("viewer").get("/collect/2024/").status_code == 403
    anonymous = client_for(None).get("/collect/2024/")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_a_post_without_the_csrf_token_is_refused(
    users: dict[str, Any], periods: dict[str, Period]
) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["county-410821"])
    assert client.post("/collect/2024/", {"version": "0", "gdp": "1"}).status_code == 403
    assert not Value.objects.exists()


def test_saved_figures_come_back_as_typed_and_survive_a_second_save(
    client_for: Any, periods: dict[str, Period]
) -> None:
    # a large figure shown as 1.23457e+06 would be refused (not a plain number) or rounded
    client = client_for("county-410821")
    client.post("/collect/2024/", {"version": "0", "gdp": "1234567.8", "urbanization": "56"})
    html = client.get("/collect/2024/").content.decode()
    assert 'value="1234567.8"' in html
    assert 'value="56"' in html
    resaved = client.post("/collect/2024/", {"version": "1", "gdp": "1234567.8"})
    assert resaved.status_code == 302
    assert Value.objects.get(indicator="gdp").value == 1234567.8
