"""The analyst's targets page (目标下达) of an official period: every county's targets beside
last period's actuals, the workbook to download and upload back, one target corrected with its
reason, and the last changes.

Views are short: they read through :mod:`kaoping.web.official.targets` and change through its
services (which check rights again); a refused upload or correction re-shows the page with
every problem (200, as Django's forms do), and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kaoping.errors import InputError
from kaoping.web.collection import access
from kaoping.web.collection.models import Period, Unit
from kaoping.web.lang import lang, plain
from kaoping.web.official import targets
from kaoping.web.workbooks import refused, xlsx_response

FIELDS = ("unit", "indicator", "value", "reason")  # the correction form's


def _period(request: HttpRequest, period: str) -> Period:
    access.require_reviewer(request.user)
    return get_object_or_404(Period, code=period)


def _text(number: float | None) -> str:
    """A figure as a person types it (6.5, 1250.5; no exponent, no trailing zeros)."""
    return "" if number is None else format(number, ".15g")


def _page(
    request: HttpRequest,
    period: Period,
    *,
    file_problems: list[str] | None = None,
    set_problems: dict[str, list[str]] | None = None,
    entered: dict[str, str] | None = None,
) -> HttpResponse:
    try:
        table = targets.targets_table(actor=request.user, period=period)
    except InputError as error:  # an academic period: no targets to issue
        return render(
            request, "official/targets.html", {"period": period, "none": plain(error.problems[0])}
        )
    indicators = table["indicators"]
    english = lang() == "en"
    names = {i.id: (i.name_en or i.name) if english else i.name for i in indicators}
    rows = []
    for row in table["rows"]:
        cells = [
            {
                "indicator": c["indicator"],
                "target": _text(c["target"]),
                "last": _text(c["last"]),
            }
            for c in row["cells"]
        ]
        rows.append({"unit": row["unit"], "cells": cells})
    # the correction form: what was typed (a refused save), else the cell the link named
    chosen = entered or {
        "unit": request.GET.get("unit", ""),
        "indicator": request.GET.get("indicator", ""),
        "value": "",
        "reason": "",
    }
    if not entered:
        current = next(
            (
                c["target"]
                for r in rows
                if r["unit"].code == chosen["unit"]
                for c in r["cells"]
                if c["indicator"] == chosen["indicator"]
            ),
            "",
        )
        chosen["value"] = current
    history = [
        {
            "change": c,
            "indicator": names.get(c.indicator, c.indicator),
            "old": _text(c.old),
            "new": _text(c.new),
        }
        for c in targets.targets_history(actor=request.user, period=period)
    ]
    context: dict[str, Any] = {
        "period": period,
        "indicators": [{"id": i.id, "name": names[i.id], "unit": i.unit or ""} for i in indicators],
        "rows": rows,
        "set": table["set"],
        "total": table["total"],
        "frozen": table["frozen"],
        "file_problems": file_problems or [],
        "set_problems": set_problems or {},
        # a refused correction's problems that name no field of the form
        "set_other": [t for k, v in (set_problems or {}).items() if k not in FIELDS for t in v],
        "chosen": chosen,
        "history": history,
    }
    return render(request, "official/targets.html", context)


@login_required
@require_GET
def page(request: HttpRequest, period: str) -> HttpResponse:
    """The targets of every county, the workbook, the correction form and the last changes."""
    return _page(request, _period(request, period))


@login_required
@require_GET
def workbook(request: HttpRequest, period: str) -> HttpResponse:
    """The targets workbook (xlsx) of the period, prefilled with the current targets."""
    the_period = _period(request, period)
    try:
        content = targets.targets_workbook(actor=request.user, period=the_period)
    except InputError:
        return _page(request, the_period)  # says why there is none
    return xlsx_response(content, f"targets-{the_period.code}.xlsx")


@login_required
@require_POST
def upload(request: HttpRequest, period: str) -> HttpResponse:
    """Issue the targets of an uploaded workbook; every problem is listed by its cell."""
    the_period = _period(request, period)
    file = request.FILES.get("file")
    if (why := refused(file)) is not None:
        return _page(request, the_period, file_problems=[why])
    try:
        count = targets.targets_upload(actor=request.user, period=the_period, file=file)
    except InputError as error:
        messages.error(request, _("Nothing was saved: correct the cells listed below."))
        return _page(request, the_period, file_problems=[p.message(lang()) for p in error])
    except PermissionDenied as error:  # the reviewer's right is checked above: published
        messages.error(request, str(error))
        return redirect("targets", period=period)
    messages.success(request, _("Targets written from the workbook: %(count)d.") % {"count": count})
    return redirect("targets", period=period)


@login_required
@require_POST
def set_one(request: HttpRequest, period: str) -> HttpResponse:
    """Correct one county's target of one indicator, with the reason."""
    the_period = _period(request, period)
    entered = {k: request.POST.get(k, "") for k in FIELDS}
    unit = Unit.objects.filter(code=entered["unit"]).first()
    if unit is None:
        messages.error(request, _("Nothing was saved: correct what is listed below."))
        return _page(
            request, the_period, set_problems={"unit": [_("Choose the county.")]}, entered=entered
        )
    try:
        targets.target_set(
            actor=request.user,
            period=the_period,
            unit=unit,
            indicator=entered["indicator"],
            value=entered["value"],
            reason=entered["reason"],
        )
    except InputError as error:
        messages.error(request, _("Nothing was saved: correct what is listed below."))
        problems: dict[str, list[str]] = {}
        for problem in error:
            problems.setdefault(problem.where or "", []).append(plain(problem))
        return _page(request, the_period, set_problems=problems, entered=entered)
    except PermissionDenied as error:  # the reviewer's right is checked above: published
        messages.error(request, str(error))
        return redirect("targets", period=period)
    messages.success(request, _("The target was saved."))
    return redirect("targets", period=period)
