"""The analyst's dashboard and review page: who has submitted, approve, return with a comment;
closed to counties and viewers."""

from __future__ import annotations

from typing import Any

from kaoping.web.collection.models import Period, Submission


def _submitted(submission: Submission) -> Submission:
    Submission.objects.filter(pk=submission.pk).update(status="submitted")
    submission.refresh_from_db()
    return submission


def test_the_dashboard_counts_what_awaits_review_and_who_has_not_started(
    client_for: Any, submission: Submission
) -> None:
    _submitted(submission)
    page = client_for("analyst").get("/review/2024/")
    assert page.status_code == 200
    assert page.context["waiting"] == 1
    assert page.context["missing"] == 1
    assert "修武县" in page.content.decode()
    assert "博爱县" in page.content.decode()


def test_an_analyst_returns_with_a_comment_then_approves(
    client_for: Any, submission: Submission
) -> None:
    client = client_for("analyst")
    _submitted(submission)
    refused = client.post("/review/2024/410821/", {"decision": "return", "comment": " "})
    assert refused.status_code == 302
    assert Submission.objects.get().status == "submitted"  # no comment, not returned
    client.post("/review/2024/410821/", {"decision": "return", "comment": "请核对GDP"})
    assert Submission.objects.get().comment == "请核对GDP"
    _submitted(submission)
    client.post("/review/2024/410821/", {"decision": "approve"})
    assert Submission.objects.get().status == "approved"


def test_counties_and_viewers_cannot_review(
    client_for: Any, submission: Submission, periods: dict[str, Period]
) -> None:
    _submitted(submission)
    for name in ("county-410821", "county-410822", "viewer"):
        client = client_for(name)
        assert client.get("/review/2024/").status_code == 403
        assert client.post("/review/2024/410821/", {"decision": "approve"}).status_code == 403
    assert Submission.objects.get().status == "submitted"


def test_the_dashboard_marks_who_is_late_after_the_deadline(
    client_for: Any, submission: Submission, periods: dict[str, Period]
) -> None:
    import datetime as dt

    # 修武县 has a draft (not sent), 博爱县 nothing: before the deadline nobody is late
    period = periods["2024"]
    period.deadline = dt.date.today() + dt.timedelta(days=1)
    period.save(update_fields=["deadline"])
    client = client_for("analyst")
    assert client.get("/review/2024/").context["late"] == 0
    period.deadline = dt.date.today() - dt.timedelta(days=1)
    period.save(update_fields=["deadline"])
    page = client.get("/review/2024/")
    assert page.context["late"] == 2
    _submitted(submission)  # sent for review: no longer late
    page = client.get("/review/2024/")
    assert page.context["late"] == 1
    late = [r["unit"].code for r in page.context["rows"] if r["late"]]
    assert late == ["410822"]
    # returned for correction: it was sent in time, it is being corrected, not late
    Submission.objects.filter(pk=submission.pk).update(status="returned")
    page = client.get("/review/2024/")
    assert (page.context["late"], page.context["returned"]) == (1, 1)
    assert "1 份填报退回后正在修改" in page.content.decode()


def test_the_page_is_chinese_unless_the_user_chooses_english(client_for: Any) -> None:
    """An English browser (Accept-Language: en) still gets the Chinese platform; the switcher's
    choice (Django's language cookie) is what changes it."""
    client = client_for("analyst")
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    page = client.get("/periods/", **english_browser)
    assert page["Content-Language"] == "zh-hans"
    assert "考核期" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/periods/"})
    page = client.get("/periods/", **english_browser)
    assert page["Content-Language"] == "en"
    assert "Periods" in page.content.decode()
    client.post("/i18n/setlang/", {"language": "xx", "next": "/periods/"})  # not a language
    assert client.get("/periods/")["Content-Language"] == "en"  # the choice stands
