"""Text longer than its column is refused with a message before the database sees it, the same
on SQLite (which would store it) and PostgreSQL (which would raise: a 500).

``FIELDS`` names every CharField of the platform's models and how text reaches it: typed by
someone (then a test below sends one character too many), a choice, or written by the platform
itself.  A new CharField without an entry fails the last test.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client

from kaoping.web.collection.models import (
    Period,
    StoredMethodology,
    Submission,
    Unit,
    Value,
)

CHOICE = "a choice among fixed values"
PLATFORM = "written by the platform, never typed"
FIELDS = {
    "Unit.code": "test_the_admin_refuses_overlong_unit_fields",
    "Unit.name": "test_the_admin_refuses_overlong_unit_fields",
    "Unit.name_en": "test_the_admin_refuses_overlong_unit_fields",
    "Unit.category": "test_the_admin_refuses_overlong_unit_fields",
    "Membership.role": CHOICE,
    "StoredMethodology.key": "test_an_uploaded_methodology_with_overlong_texts_is_refused",
    "StoredMethodology.name": "test_an_uploaded_methodology_with_overlong_texts_is_refused",
    "Period.code": "test_an_overlong_period_code_is_refused_on_the_page_and_in_the_admin",
    "Period.methodology": CHOICE + " (the key of a stored or bundled methodology)",
    "Period.status": CHOICE,
    "Submission.status": CHOICE,
    "Value.indicator": "test_an_uploaded_methodology_with_overlong_texts_is_refused",
    "Value.blank_reason": CHOICE + " (submission_save refuses any other)",
    "AuditEvent.action": CHOICE,
    "AuditEvent.hash": PLATFORM,
    "Assessment.methodology": PLATFORM + " (the period's methodology)",
    "Assessment.status": CHOICE,
    "Assessment.inputs_hash": PLATFORM,
    "Objection.status": CHOICE,
    # the history of a tracked model copies its fields (above); its reason is the note's start
    "HistoricalValue.history_change_reason": "test_a_long_note_is_saved_whole",
    "HistoricalSubmission.history_change_reason": PLATFORM + " (never set)",
    "HistoricalAssessment.history_change_reason": PLATFORM + " (never set)",
    "HistoricalObjection.history_change_reason": PLATFORM + " (never set)",
    # official periods (issue 14)
    "Membership.department": "test_an_overlong_department_name_is_refused_in_the_admin",
    "Department.name": "test_an_overlong_department_name_is_refused_in_the_admin",
    "Target.indicator": "test_an_uploaded_methodology_with_overlong_texts_is_refused",
    "DepartmentSheet.department": PLATFORM + " (the account's department)",
    "DepartmentSheet.status": CHOICE,
    "DepartmentValue.indicator": "test_an_uploaded_methodology_with_overlong_texts_is_refused",
    "Dispute.indicator": "test_an_uploaded_methodology_with_overlong_texts_is_refused",
    "Dispute.status": CHOICE,
    "Item.kind": CHOICE,
    "Item.rule": CHOICE + " (an item id of the methodology: item_propose refuses others)",
    "Item.document": "official.items.item_propose refuses a longer one (web.item_document_long)",
    "Item.department": PLATFORM + " (the proposing account's department)",
    "Item.status": CHOICE,
    "Evidence.name": PLATFORM + " (the uploaded name, shortened to the column by items._trimmed)",
    "Evidence.content_type": PLATFORM + " (read from the file's content)",
    "Evidence.extension": PLATFORM,
    "Evidence.sha256": PLATFORM,
    "JudgedScore.judge": "test_an_overlong_judge_name_is_refused_before_the_database_sees_it",
    "JudgedScore.criterion": CHOICE + " (a criterion of the methodology)",
    "HistoricalTarget.history_change_reason": PLATFORM + " (shortened: targets.target_set)",
    "HistoricalDepartmentSheet.history_change_reason": PLATFORM + " (never set)",
    "HistoricalDepartmentValue.history_change_reason": PLATFORM + " (never set)",
    "HistoricalDispute.history_change_reason": PLATFORM + " (never set)",
    "HistoricalItem.history_change_reason": PLATFORM + " (never set)",
    "HistoricalJudgedScore.history_change_reason": PLATFORM + " (never set)",
}


def _mini(name: str = "简表", indicator: str = "gdp") -> str:
    return (
        f"id: mini\nname: {name}\ndimensions:\n  - id: econ\n    name: 经济\n    indicators:\n"
        f"      - {{id: {indicator}, name: 地区生产总值, direction: 正向}}\n"
        "      - {id: energy, name: 单位GDP能耗, direction: 逆向}\n"
    )


def _problems(page: Any) -> str:
    assert page.status_code == 200, page.status_code
    return page.content.decode()


def test_an_uploaded_methodology_with_overlong_texts_is_refused(
    client_for: Any, users: dict[str, Any]
) -> None:
    client = client_for("analyst")
    name = StoredMethodology._meta.get_field("name").max_length
    indicator = Value._meta.get_field("indicator").max_length
    assert (name, indicator) == (200, 100)
    long_name = _problems(
        client.post("/methodologies/", {"key": "mini", "text": _mini("名" * 201)})
    )
    assert "名称有 201 个字符，最多 200 个" in long_name
    long_id = "g" * 101
    said = _problems(
        client.post("/methodologies/", {"key": "mini", "text": _mini(indicator=long_id)})
    )
    assert f"指标代码“{long_id}”有 101 个字符，最多 100 个" in said
    key = _problems(client.post("/methodologies/", {"key": "k" * 65, "text": _mini()}))
    assert "2–64 个小写字母" in key
    assert not StoredMethodology.objects.exists()
    # at the limits: stored
    text = _mini("名" * 200, "g" * 100)
    assert client.post("/methodologies/", {"key": "m" * 64, "text": text}).status_code == 302
    assert StoredMethodology.objects.get().name == "名" * 200


def test_the_admin_refuses_overlong_unit_fields(client_for: Any, users: dict[str, Any]) -> None:
    client = client_for("analyst")
    before = Unit.objects.count()
    for field, limit in (("code", 12), ("name", 100), ("name_en", 100), ("category", 100)):
        unit = {"code": "410823", "name": "武陟县", "category": "重点生态功能区"}
        unit[field] = "4" * (limit + 1)
        page = _problems(client.post("/admin/collection/unit/add/", unit))
        assert f"不超过 {limit} 字符" in page, field
    assert Unit.objects.count() == before


def test_an_overlong_period_code_is_refused_on_the_page_and_in_the_admin(
    client_for: Any, users: dict[str, Any]
) -> None:
    client = client_for("analyst")
    code = "2025-" + "Q" * 12  # 17 characters
    form = {"code": code, "methodology": "county_hqd", "previous": "", "deadline": ""}
    assert "不超过 16 字符" in _problems(client.post("/periods/", form))
    root = Client()  # periods are the system admin's in the admin (analysts use the page)
    root.force_login(get_user_model().objects.create_superuser("root", password="pw"))
    admin = {**form, "status": "draft"}
    assert "不超过 16 字符" in _problems(root.post("/admin/collection/period/add/", admin))
    assert not Period.objects.exists()


def test_a_long_note_is_saved_whole(
    client_for: Any, users: dict[str, Any], submission: Submission
) -> None:
    """A note is unbounded; the history's reason (100 characters) takes its beginning."""
    note = "因统计口径调整，" * 40  # 320 characters
    page = client_for("county-410821").post(
        "/collect/2024/", {"gdp": "200", "note-gdp": note, "version": "0"}
    )
    assert page.status_code == 302
    value = Value.objects.get(indicator="gdp")
    assert value.note == note
    reason = value.history.get().history_change_reason
    assert reason == note[:99] + "…"


def test_an_overlong_user_name_at_login_is_a_wrong_login(
    client_for: Any, users: dict[str, Any]
) -> None:
    page = client_for(None).post(
        "/accounts/login/", {"username": "u" * 300, "password": "no"},
        HTTP_USER_AGENT="A" * 2000,
    )  # fmt: skip
    assert "用户名或密码错误" in _problems(page)


def test_the_admin_refuses_an_overlong_user_name(client_for: Any, users: dict[str, Any]) -> None:
    account = {"username": "c" * 151, "password1": "Wz-2026-kaoping!",
               "password2": "Wz-2026-kaoping!", "usable_password": "true",
               "membership-TOTAL_FORMS": "0", "membership-INITIAL_FORMS": "0",
               "membership-MIN_NUM_FORMS": "0", "membership-MAX_NUM_FORMS": "1"}  # fmt: skip
    page = client_for("analyst").post("/admin/auth/user/add/", account)
    assert "不超过 150 字符" in _problems(page)


def test_every_charfield_says_how_its_length_is_kept() -> None:
    found = {
        f"{model.__name__}.{field.name}"
        for label in ("collection", "results", "official")
        for model in apps.get_app_config(label).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField)
        and not (model.__name__.startswith("Historical") and field.name != "history_change_reason")
    }
    assert sorted(found ^ FIELDS.keys()) == []


def test_an_overlong_department_name_is_refused_in_the_admin(admin_client: Any) -> None:
    """A department's name (and a department account's) holds 100 characters: the admin's
    forms refuse a longer one before the database sees it."""
    from kaoping.web.official.models import Department

    response = admin_client.post("/admin/official/department/add/",
                                 {"name": "局" * 101, "rules": "[]"})  # fmt: skip
    assert response.status_code == 200
    assert not Department.objects.exists()
    response = admin_client.post("/admin/official/department/add/",
                                 {"name": "统计局", "rules": '["criticised"]'})  # fmt: skip
    assert response.status_code == 302
    assert Department.objects.get().rules == ["criticised"]
    from kaoping.web.collection.models import Membership

    field = Membership._meta.get_field("department")
    assert field.max_length == 100
    assert field.formfield().max_length == 100  # the admin's form: refused above it
