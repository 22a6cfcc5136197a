"""The judges' scores page (评议) of an official period: the city office enters one judge's
scores of one county, or uploads the whole sheet, and sees what the engine will aggregate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaoping.errors import InputError
from kaoping.web.collection import access
from kaoping.web.collection.models import Period, Unit
from kaoping.web.lang import lang
from kaoping.web.official import judged
from kaoping.web.workbooks import refused, xlsx_response


def _period(request: HttpRequest, period: str) -> Period:
    access.require_reviewer(request.user)
    return get_object_or_404(Period, code=period)


def _page(request: HttpRequest, period: Period, problems: list[str] | None = None) -> HttpResponse:
    try:
        judged._require_judged(period)
    except InputError as error:
        return render(
            request,
            "official/judged.html",
            {"period": period, "none": error.problems[0].message(lang())},
        )
    table = judged.judged_table(period)
    return render(
        request,
        "official/judged.html",
        {
            "period": period,
            "table": table,
            "units": Unit.objects.order_by("code"),
            "problems": problems or [],
            "status": 400 if problems else 200,
        },
        status=400 if problems else 200,
    )


@login_required
def page(request: HttpRequest, period: str) -> HttpResponse:
    """The scores entered so far, the aggregate per county, and the entry and upload forms."""
    return _page(request, _period(request, period))


@login_required
def template(request: HttpRequest, period: str) -> HttpResponse:
    the_period = _period(request, period)
    try:
        content = judged.judged_template(actor=request.user, period=the_period)
    except InputError:
        return _page(request, the_period)
    return xlsx_response(content, f"judged-{the_period.code}.xlsx")


@login_required
@require_POST
def upload(request: HttpRequest, period: str) -> HttpResponse:
    the_period = _period(request, period)
    file = request.FILES.get("file")
    if (why := refused(file)) is not None:
        return _page(request, the_period, [why])
    try:
        count = judged.judged_upload(
            actor=request.user,
            period=the_period,
            filename=file.name or "judged.xlsx",
            content=file.read(),
        )
    except InputError as error:
        messages.error(request, _("Nothing was saved: correct the cells listed below."))
        return _page(request, the_period, [p.message(lang()) for p in error])
    messages.success(request, _("%(count)d scores saved.") % {"count": count})
    return redirect("judged", period=period)


@login_required
@require_POST
def enter(request: HttpRequest, period: str) -> HttpResponse:
    the_period = _period(request, period)
    unit = Unit.objects.filter(code=request.POST.get("unit", "")).first()
    if unit is None:
        return _page(request, the_period, [_("Choose the county.")])
    try:
        methodology = judged._require_judged(the_period)
        scores = {
            criterion: request.POST.get(f"score-{i}", "")
            for i, (_ind, criterion, _top) in enumerate(judged.criteria_of(methodology))
        }
        judged.judged_enter(
            actor=request.user,
            period=the_period,
            unit=unit,
            judge=request.POST.get("judge", ""),
            scores=scores,
        )
    except InputError as error:
        messages.error(request, _("Nothing was saved: correct what is listed below."))
        return _page(request, the_period, [p.message(lang()) for p in error])
    messages.success(request, _("The judge's scores were saved."))
    return redirect("judged", period=period)
