"""Whole pages kept for every reader (kaoping.web.results.pages.whole) and what they must never
do: outlive a change of the reader's role or of the code that rendered them, or fill the cache
with copies of one page through odd queries; and the sign-in backend that reads the role with
the user (Django's semantics kept, login lockout too)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kaoping.web.collection.models import Membership, Period, Role, Unit
from kaoping.web.results import pages

from .test_pages_cache import PAGES, _assessment, _keys


def _browser(user: Any) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_a_changed_role_or_a_deactivated_account_is_seen_on_the_next_page(
    users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2024"], "published")
    viewer = users["viewer"]
    client = _browser(viewer)
    assert 'value="verify"' not in client.get("/results/2024/").content.decode()
    Membership.objects.filter(user=viewer).update(role=Role.ANALYST)
    assert 'value="verify"' in client.get("/results/2024/").content.decode()
    Membership.objects.filter(user=viewer).update(role=Role.VIEWER)
    page = client.get("/results/2024/").content.decode()
    assert 'value="verify"' not in page
    assert "/periods/" not in page
    get_user_model().objects.filter(pk=viewer.pk).update(is_active=False)
    for path in PAGES:
        assert client.get(path).status_code == 302, path  # to the login page


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/results/2024/", "sort=x{n}"),
        ("/results/2024/", "category=x{n}"),
        ("/results/2024/", "by=tier&n={n}"),
        ("/results/2024/", "assessment=0{pk}"),  # the id, with leading zeros
        ("/results/2024/", "sort=rank&sort=score{n}"),  # a parameter twice
        ("/results/2024/map/", "by=x{n}"),
        ("/results/2024/unit/410821/", "sort={n}"),
    ],
)
def test_a_query_no_page_writes_is_answered_but_never_kept(
    users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit], path: str,
    query: str,
) -> None:  # fmt: skip
    assessment = _assessment(periods["2024"], "published")
    client = _browser(users["viewer"])
    for n in range(5):
        wanted = query.format(n=n, pk=f"{assessment.pk:0{n + 2}d}")
        assert client.get(f"{path}?{wanted}").status_code in (200, 404), wanted
    assert _keys("league-page", "map-page", "profile-page") == 0


def test_the_queries_the_pages_write_are_kept(
    users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    assessment = _assessment(periods["2024"], "published")
    client = _browser(users["viewer"])
    for query in ("", "?sort=score&category=", "?sort=rank&category=A",
                  f"?sort=name&category=&assessment={assessment.pk}"):  # fmt: skip
        assert client.get(f"/results/2024/{query}").status_code == 200
    assert client.get("/results/2024/map/?by=tier").status_code == 200
    assert _keys("league-page") == 4
    assert _keys("map-page") == 1


def test_the_pages_key_changes_with_the_header_template_and_the_static_manifest(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the digest read from a copy of the files it covers, the header changed there: never in
    # the source tree, which the other test processes (pytest-xdist's workers) render from
    source = Path(pages.__file__).parents[2]
    copy = tmp_path / "kaoping"
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(source / "web", copy / "web", ignore=skip)
    shutil.copytree(source / "report", copy / "report", ignore=skip)
    (copy / "assess").mkdir()
    shutil.copy(source / "assess" / "excel.py", copy / "assess")
    monkeypatch.setattr(pages, "HERE", copy / "web" / "results")
    base = copy / "web" / "templates" / "base.html"
    saved = base.read_bytes()
    assert b"<header>" in saved
    pages.code_version.cache_clear()
    before = pages.code_version()
    try:
        base.write_bytes(saved.replace(b"<header>", b"<header class=changed>"))
        pages.code_version.cache_clear()
        assert pages.code_version() != before
    finally:
        base.write_bytes(saved)
        pages.code_version.cache_clear()
    assert pages.code_version() == before
    settings.STATIC_ROOT = str(tmp_path)
    (tmp_path / "staticfiles.json").write_text('{"paths": {"kaoping/site.css": "a.css"}}')
    pages.code_version.cache_clear()
    first = pages.code_version()
    (tmp_path / "staticfiles.json").write_text('{"paths": {"kaoping/site.css": "b.css"}}')
    pages.code_version.cache_clear()
    try:
        assert pages.code_version() != first
    finally:
        pages.code_version.cache_clear()


def test_deleting_units_from_the_admin_list_empties_the_pages(
    users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2024"], "published")
    _browser(users["viewer"]).get("/results/2024/map/")
    assert _keys("map", "map-page") == 2
    extra = Unit.objects.create(code="410899", name="试验县", category="A")
    root = get_user_model().objects.create_superuser("root", password="pw")
    admin = Client()
    admin.force_login(root)
    form = {"action": "delete_selected", "_selected_action": [extra.pk], "post": "yes"}
    assert admin.post("/admin/collection/unit/", form).status_code == 302
    assert not Unit.objects.filter(pk=extra.pk).exists()
    assert _keys("map", "map-page") == 0


def test_the_backend_keeps_djangos_rules_and_the_login_lockout(
    users: dict[str, Any], client_for: Any
) -> None:
    from kaoping.web.accounts.backends import Backend

    analyst = users["analyst"]
    found = Backend().get_user(analyst.pk)
    assert found is not None
    assert found.membership.role == Role.ANALYST
    assert Backend().get_user(10**9) is None
    nobody = get_user_model().objects.create_user(username="nobody", password="pw")
    assert Backend().get_user(nobody.pk) is not None  # no membership: a user without a role
    get_user_model().objects.filter(pk=analyst.pk).update(is_active=False)
    assert Backend().get_user(analyst.pk) is None
    client = client_for(None)
    client.post("/accounts/login/", {"username": "analyst", "password": "pw"})
    assert "_auth_user_id" not in client.client.session
    for _ in range(5):
        client.post("/accounts/login/", {"username": "viewer", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "viewer", "password": "pw"})
    assert locked.status_code == 429
