"""The city office's analysts manage units and accounts in Django's admin, and nothing more:
they never see a superuser's account, never hand out the admin role, never change anyone's
staff or superuser flags; a county submitter does not get in at all."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from kaoping.web.collection.models import Membership, Role, Unit
from kaoping.web.collection.staff import ANALYSTS


def _superuser() -> Any:
    return get_user_model().objects.create_superuser("root", password="pw")


def test_the_analyst_role_makes_staff_and_taking_it_away_unmakes_it(
    users: dict[str, Any],
) -> None:
    analyst = users["analyst"]
    assert analyst.is_staff
    assert analyst.groups.filter(name=ANALYSTS).exists()
    assert not users["county-410821"].is_staff
    assert not users["viewer"].is_staff
    membership = analyst.membership
    membership.role = Role.VIEWER
    membership.save()
    analyst.refresh_from_db()
    assert not analyst.is_staff
    assert not analyst.groups.exists()


def test_an_analyst_adds_a_unit_and_a_county_account_with_its_role(
    client_for: Any, users: dict[str, Any]
) -> None:
    client = client_for("analyst")
    assert client.get("/admin/").status_code == 200
    unit = {"code": "410823", "name": "武陟县", "category": "重点生态功能区"}
    assert client.post("/admin/collection/unit/add/", unit).status_code == 302
    wuzhi = Unit.objects.get(code="410823")
    account = {
        "username": "county-410823", "password1": "Wz-2026-kaoping!", "password2":
        "Wz-2026-kaoping!", "usable_password": "true",
        "membership-TOTAL_FORMS": "1", "membership-INITIAL_FORMS": "0",
        "membership-MIN_NUM_FORMS": "0", "membership-MAX_NUM_FORMS": "1",
        "membership-0-role": "county", "membership-0-unit": str(wuzhi.pk),
    }  # fmt: skip
    response = client.post("/admin/auth/user/add/", account)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = get_user_model().objects.get(username="county-410823")
    assert (created.membership.role, created.membership.unit) == ("county", wuzhi)
    assert created.check_password("Wz-2026-kaoping!")
    assert not created.is_staff


def test_an_analyst_cannot_hand_out_the_admin_role(client_for: Any, users: dict[str, Any]) -> None:
    client = client_for("analyst")
    form = client.get("/admin/collection/membership/add/").content.decode()
    assert 'value="analyst"' in form
    assert 'value="admin"' not in form
    newcomer = get_user_model().objects.create_user("newcomer", password="pw")
    response = client.post(
        "/admin/collection/membership/add/", {"user": newcomer.pk, "role": "admin"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert not Membership.objects.filter(user=newcomer).exists()
    # the superuser may
    root = _superuser()
    from tests.web.conftest import CsrfClient

    CsrfClient(root).post(
        "/admin/collection/membership/add/", {"user": newcomer.pk, "role": "admin"}
    )
    assert Membership.objects.get(user=newcomer).role == "admin"


def test_an_analyst_never_sees_a_superuser_nor_raises_privileges(
    client_for: Any, users: dict[str, Any]
) -> None:
    root = _superuser()
    client = client_for("analyst")
    listing = client.get("/admin/auth/user/").content.decode()
    assert "county-410821" in listing
    assert "root" not in listing
    assert client.get(f"/admin/auth/user/{root.pk}/change/").status_code == 302  # "no such"
    analyst = users["analyst"]
    change = {
        "username": "analyst", "is_active": "on", "is_superuser": "on", "is_staff": "on",
        "membership-TOTAL_FORMS": "1", "membership-INITIAL_FORMS": "1",
        "membership-MIN_NUM_FORMS": "0", "membership-MAX_NUM_FORMS": "1",
        "membership-0-id": str(analyst.membership.pk), "membership-0-user": str(analyst.pk),
        "membership-0-role": "analyst", "membership-0-unit": "",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-11-29",
        "date_joined_1": "09:00:00",
    }  # fmt: skip
    response = client.post(f"/admin/auth/user/{analyst.pk}/change/", change)
    assert response.status_code == 302, response.content.decode()[:3000]
    analyst.refresh_from_db()
    assert not analyst.is_superuser


def test_a_county_submitter_and_a_viewer_do_not_get_into_the_admin(client_for: Any) -> None:
    for name in ("county-410821", "viewer"):
        response = client_for(name).get("/admin/collection/unit/")
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_the_header_links_the_admin_for_analysts_only(client_for: Any, periods: Any) -> None:
    assert 'href="/admin/"' in client_for("analyst").get("/periods/").content.decode()
    assert (
        'href="/admin/"' not in client_for("county-410821").get("/collect/2024/").content.decode()
    )


def test_an_analyst_has_no_token_admin(client_for: Any, users: dict[str, Any]) -> None:
    # the token admin lists every key and makes one for any account, a superuser's included
    root = _superuser()
    client = client_for("analyst")
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 403
    response = client.post("/admin/authtoken/tokenproxy/add/", {"user": root.pk})
    assert response.status_code == 403
    from rest_framework.authtoken.models import Token

    assert not Token.objects.exists()


def test_an_analyst_cannot_touch_a_system_admins_account(
    client_for: Any, users: dict[str, Any]
) -> None:
    admin = users["admin"]  # the admin role, not a superuser
    assert not admin.is_superuser
    client = client_for("analyst")
    listing = client.get("/admin/auth/user/").content.decode()
    assert f"/admin/auth/user/{admin.pk}/change/" not in listing
    assert client.get(f"/admin/auth/user/{admin.pk}/change/").status_code == 302  # "no such"
    password = {"password1": "Taken-over-2026!", "password2": "Taken-over-2026!"}
    client.post(f"/admin/auth/user/{admin.pk}/password/", password)
    admin.refresh_from_db()
    assert admin.check_password("pw")


def test_a_role_moved_to_another_account_takes_the_staff_rights_with_it(
    users: dict[str, Any],
) -> None:
    analyst, viewer = users["analyst"], users["viewer"]
    viewer.membership.delete()
    membership = analyst.membership
    membership.user = viewer
    membership.save()
    analyst.refresh_from_db()
    viewer.refresh_from_db()
    assert not analyst.is_staff
    assert not analyst.groups.exists()
    assert viewer.is_staff
    assert viewer.groups.filter(name=ANALYSTS).exists()


def test_a_period_in_the_admin_takes_a_methodology_key_only(
    users: dict[str, Any], periods: Any
) -> None:
    from tests.web.conftest import CsrfClient

    root = CsrfClient(_superuser())
    form = root.get("/admin/collection/period/add/").content.decode()
    assert 'value="county_hqd"' in form
    path = "/etc/passwd"
    response = root.post(
        "/admin/collection/period/add/", {"code": "2031", "methodology": path, "status": "draft"}
    )
    assert response.status_code == 200  # the form again, refused
    from kaoping.web.collection.models import Period

    assert not Period.objects.filter(code="2031").exists()


def test_a_henan_unit_added_without_an_english_name_gets_the_bundled_one(
    client_for: Any, users: dict[str, Any]
) -> None:
    client = client_for("analyst")
    added = {"code": "410823", "name": "武陟县", "name_en": "", "category": "重点生态功能区"}
    assert client.post("/admin/collection/unit/add/", added).status_code == 302
    assert Unit.objects.get(code="410823").name_en == "Wuzhi County"  # henan.csv's name_en
    given = {"code": "410825", "name": "温县", "name_en": "Wenxian", "category": ""}
    client.post("/admin/collection/unit/add/", given)
    assert Unit.objects.get(code="410825").name_en == "Wenxian"  # what the analyst wrote
    elsewhere = {"code": "420102", "name": "江岸区", "name_en": "", "category": ""}
    client.post("/admin/collection/unit/add/", elsewhere)
    assert Unit.objects.get(code="420102").name_en == ""  # not in the table: left blank


def test_the_units_admin_fills_in_missing_english_names_from_the_bundled_table(
    client_for: Any, users: dict[str, Any], units: dict[str, Unit]
) -> None:
    Unit.objects.filter(code="410822").update(name_en="Boai")  # given by hand: kept
    client = client_for("analyst")
    listing = client.get("/admin/collection/unit/").content.decode()
    assert "English name" in listing or "英文名称" in listing
    chosen = [str(u.pk) for u in units.values()]
    response = client.post(
        "/admin/collection/unit/",
        {"action": "fill_english_names", "_selected_action": chosen},
        follow=True,
    )
    assert "已补全 1 个英文名称。" in response.content.decode()
    names = dict(Unit.objects.values_list("code", "name_en"))
    assert names == {"410821": "Xiuwu County", "410822": "Boai"}
