"""What every page's header needs: the links of the user's role.

A county gets its form of the open period ("Fill in figures"); an analyst or admin the
collection dashboard of the latest open period, the periods and methodologies pages, the
results and the admin (units and accounts); everyone logged in the ranking of the latest
assessment they may see, when there is one.  Computed on first use (a page that does not show
the header runs no query), in at most three queries: the membership, the open period, the
latest visible assessment (none when a results page has read the user's assessments).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from kaoping.web.collection import access
from kaoping.web.collection.models import Period, Role
from kaoping.web.official.sheets import sheet_period
from kaoping.web.results.access import assessments_visible_to
from kaoping.web.results.models import Assessment


def _latest(request: HttpRequest, user: Any) -> tuple[int, str, str, Any] | None:
    """The latest assessment the user may see (pk, period code, status, objections_until):
    from the list a results page has read already (``request.visible_assessments``, every one
    the user may see), else by a query."""
    every: list[Assessment] | None = getattr(request, "visible_assessments", None)
    if every is None:
        found: tuple[int, str, str, Any] | None = (
            assessments_visible_to(user)
            .values_list("pk", "period__code", "status", "objections_until")
            .first()
        )
        return found
    if not every:
        return None
    last = max(every, key=lambda a: (a.computed_at, a.pk))  # the model's ordering, reversed
    return last.pk, last.period.code, last.status, last.objections_until


def links(request: HttpRequest) -> dict[str, str]:
    """Link name -> URL for the user of the request (empty for an anonymous user or an
    account without a role); ``current`` names the link whose page is shown; ``announced``
    (with ``announced_period`` and ``announced_until``) links the latest assessment while it
    is announced for objections."""
    user = getattr(request, "user", None)
    role = access.role_of(user)
    if role is None:
        return {}
    reviewer = role in (Role.ANALYST, Role.ADMIN)
    found: dict[str, str] = {}
    if reviewer or role == Role.COUNTY:
        open_period = (
            Period.objects.filter(status=Period.Status.OPEN)
            .order_by("-code")
            .values_list("code", flat=True)
            .first()
        )
        if open_period is not None and reviewer:
            found["collection"] = reverse("dashboard", args=[open_period])
        elif open_period is not None:
            found["collect"] = reverse("collect", args=[open_period])
    if role == Role.DEPARTMENT:  # its sheet (职能部门报送) of the open period
        sheet = sheet_period(user)
        if sheet is not None:
            found["sheet"] = reverse("sheet", args=[sheet])
            found["proposals"] = reverse("items", args=[sheet])  # the items it proposes
    if reviewer or role in (Role.COUNTY, Role.OWNER, Role.VIEWER):
        found["projects"] = reverse("projects")  # key-project dispatch (重点项目月调度)
    if reviewer or role in (Role.COUNTY, Role.VIEWER, Role.JUDGE):
        found["observation"] = reverse("observation")  # on-site observation (观摩评比)
    if reviewer or role in (Role.COUNTY, Role.VIEWER):
        found["parks"] = reverse("parks")  # the parks' league (产业集聚区/开发区)
        found["chains"] = reverse("chains")  # industrial chains (产业链全景图, 招商引资)
    if reviewer:
        found["periods"] = reverse("periods")
        found["methodologies"] = reverse("methodologies")
        found["accounts"] = reverse("county-accounts")  # reset a county's password
    latest = _latest(request, user)
    if latest is not None:
        pk, code, status, until = latest
        found["results"] = reverse("league", args=[code])
        if status == Assessment.Status.ANNOUNCED and until and until >= timezone.localdate():
            # the notice of an announcement (公示) on every page, while objections are open
            found["announced"] = f"{reverse('league', args=[code])}?assessment={pk}"
            found["announced_period"], found["announced_until"] = code, until.isoformat()
    if reviewer and user is not None and user.is_staff:  # units and accounts (see staff.py)
        found["admin"] = reverse("admin:index")
    pages = {k: v for k, v in found.items() if not k.startswith("announced")}
    current = next((name for name, url in pages.items() if request.path.startswith(url)), None)
    if current is not None:
        found["current"] = current
    return found


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The context processor: ``nav`` (see :func:`links`), evaluated when a template uses it."""
    return {"nav": SimpleLazyObject(lambda: links(request))}
