"""Pages of the departments' sheets: the department's sheet (a grid of counties x its
indicators, its workbook, upload, submit), the city office's list and review of the sheets,
and the county's dispute of a supplied figure with the office's answer.

Views are short: they read through the services' selectors, change through the services
(which check rights again) and show the problems the services raise beside the figures they
name.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.errors import InputError
from kaoping.web.collection import access
from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.collection.models import Period, Unit
from kaoping.web.collection.services import StaleEdit
from kaoping.web.lang import lang, plain
from kaoping.web.official import sheets
from kaoping.web.official.models import DepartmentSheet, Dispute, Review
from kaoping.web.workbooks import refused, xlsx_response


def _version(request: HttpRequest) -> int:
    """The sheet's version the page was opened at (-1 when missing: always stale)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _text(number: float | None) -> str:
    """A figure as a person typed it (see :func:`kaoping.web.collection.views._text`)."""
    return "" if number is None else format(number, ".15g")


def _indicators(period: Period, department: str) -> list[dict[str, Any]]:
    """The department's indicators as the page heads its columns: id, name, unit, rules."""
    from kaoping.methodology.plausibility import limits

    methodology = methodology_of(period.methodology)
    english = lang() == "en"
    out = []
    for ident in sheets.indicators_for(period, department):
        indicator = methodology.indicator(ident)
        rules_zh, rules_en = limits(methodology, indicator).describe(indicator.unit)
        out.append(
            {
                "id": ident,
                "name": (indicator.name_en or indicator.name) if english else indicator.name,
                "unit": indicator.unit or "",
                "rules": rules_en if english else rules_zh,
            }
        )
    return out


def _grid(
    sheet: DepartmentSheet,
    indicators: list[dict[str, Any]],
    *,
    entered: dict[str, str] | None = None,
    problems: dict[sheets.Cell, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """One row per county, one cell per indicator: the figure (as entered when a save was
    refused), last period's, the problems of a refused save and the rules' flags."""
    saved = sheets.figures_of(sheet)
    last = sheets.previous_figures(sheet.period, [i["id"] for i in indicators])
    flags = {k: [plain(p) for p in v] for k, v in sheets.sheet_flags(sheet).items()}
    entered, problems = entered or {}, problems or {}
    rows = []
    for unit in Unit.objects.order_by("code"):
        cells = []
        for indicator in indicators:
            key = (unit.code, indicator["id"])
            name = sheets.field(*key)
            before = last.get(unit.code, {}).get(indicator["id"])
            cells.append(
                {
                    **indicator,
                    "field": name,
                    "value": entered.get(name, _text(saved.get(key))),
                    "last": None if before is None else _text(before),
                    "problems": problems.get(key, []),
                    "flags": flags.get(key, []) if not problems else [],
                }
            )
        rows.append({"unit": unit, "cells": cells})
    return rows


def _own_sheet(request: HttpRequest, period: str) -> DepartmentSheet:
    the_period = get_object_or_404(Period, code=period)
    return sheets.sheet_get_or_start(actor=request.user, period=the_period)


def _sheet_page(
    request: HttpRequest,
    sheet: DepartmentSheet,
    *,
    entered: dict[str, str] | None = None,
    problems: dict[sheets.Cell, list[str]] | None = None,
    file_problems: list[str] | None = None,
) -> HttpResponse:
    indicators = _indicators(sheet.period, sheet.department)
    rows = _grid(sheet, indicators, entered=entered, problems=problems)
    lacking = sheets.missing(sheet)
    context = {
        "period": sheet.period,
        "sheet": sheet,
        "indicators": indicators,
        "rows": rows,
        "editable": sheets.can_edit_sheet(request.user, sheet),
        "lacking": sum(len(v) for v in lacking.values()),
        "file_problems": file_problems or [],
    }
    return render(request, "official/sheet.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def sheet(request: HttpRequest, period: str) -> HttpResponse:
    """The department's sheet of one period: every county's figures of its indicators."""
    current = _own_sheet(request, period)
    if request.method == "GET":
        return _sheet_page(request, current)
    own = sheets.indicators_for(current.period, current.department)
    codes = list(Unit.objects.order_by("code").values_list("code", flat=True))
    values = {(c, i): request.POST.get(sheets.field(c, i), "") for c in codes for i in own}
    try:
        sheets.sheet_save(
            actor=request.user, sheet=current, values=values, version=_version(request)
        )
    except sheets.SheetProblems as error:
        messages.error(request, _("Nothing was saved: correct the figures marked below."))
        beside = {k: [plain(p) for p in v] for k, v in error.cells.items()}
        entered = {sheets.field(*k): str(v) for k, v in values.items()}
        return _sheet_page(request, current, entered=entered, problems=beside)
    except StaleEdit as error:
        messages.error(request, str(error))
        return redirect("sheet", period=period)
    messages.success(request, _("Saved."))
    return redirect("sheet", period=period)


@login_required
def template(request: HttpRequest, period: str) -> HttpResponse:
    """The department's sheet as an xlsx workbook, its figures so far filled in."""
    current = _own_sheet(request, period)
    content = sheets.sheet_template(actor=request.user, sheet=current)
    return xlsx_response(content, f"{current.department}-{current.period.code}.xlsx")


@login_required
@require_POST
def upload(request: HttpRequest, period: str) -> HttpResponse:
    """Save the figures of an uploaded workbook; its problems are listed by cell."""
    current = _own_sheet(request, period)
    upload = request.FILES.get("file")
    if (why := refused(upload)) is not None:
        return _sheet_page(request, current, file_problems=[why])
    try:
        sheets.sheet_upload(
            actor=request.user,
            sheet=current,
            filename=upload.name or "upload.xlsx",
            content=upload.read(),
            version=_version(request),
        )
    except InputError as error:  # every problem by its cell; nothing was saved
        messages.error(request, _("Nothing was saved: correct the cells listed below."))
        return _sheet_page(request, current, file_problems=[p.message(lang()) for p in error])
    except StaleEdit as error:
        messages.error(request, str(error))
        return redirect("sheet", period=period)
    messages.success(request, _("The file's figures were saved."))
    return redirect("sheet", period=period)


@login_required
@require_POST
def submit(request: HttpRequest, period: str) -> HttpResponse:
    """The department sends its sheet for review (every county's every figure given)."""
    current = _own_sheet(request, period)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the figures are checked."))
        return redirect("sheet", period=period)
    try:
        sheets.sheet_submit(actor=request.user, sheet=current)
    except InputError as error:
        messages.error(request, _("Not submitted: every county needs every figure first."))
        return _sheet_page(request, current, file_problems=[plain(p) for p in error])
    messages.success(request, _("Submitted for review."))
    return redirect("sheet", period=period)


@login_required
def sheet_list(request: HttpRequest, period: str) -> HttpResponse:
    """The city office's list of the period's sheets: each department, its sheet's status,
    how many figures it has given, its open disputes; and what still stands in the way of
    announcing the results."""
    access.require_reviewer(request.user)
    the_period = get_object_or_404(Period, code=period)
    given = sheets.supplied(the_period)
    by_department = {s.department: s for s in DepartmentSheet.objects.filter(period=the_period)}
    units = Unit.objects.count()
    rows = []
    for department in sorted(set(given.values())):
        found = by_department.get(department)
        indicators = [i for i, d in given.items() if d == department]
        filled = (
            found.values.filter(value__isnull=False, indicator__in=indicators).count()
            if found
            else 0
        )
        disputes = (
            found.disputes.filter(status=Dispute.Status.OPEN).count() if found is not None else 0
        )
        rows.append(
            {
                "department": department,
                "sheet": found,
                "indicators": len(indicators),
                "filled": filled,
                "expected": len(indicators) * units,
                "disputes": disputes,
            }
        )
    context = {
        "period": the_period,
        "rows": rows,
        "blocking": [plain(p) for p in sheets.blocking(the_period)],
    }
    return render(request, "official/sheets.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, period: str, department: str) -> HttpResponse:
    """One department's sheet beside last period's figures: approve, or return with what to
    correct; the counties' disputes of its figures, each with the office's answer."""
    access.require_reviewer(request.user)
    the_period = get_object_or_404(Period, code=period)
    if department not in set(sheets.supplied(the_period).values()):
        raise Http404("no such department in this period")
    current = sheets.sheet_of(the_period, department)
    if request.method == "POST":
        if current is None:
            raise PermissionDenied(_("Only a submitted sheet can be approved."))
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                sheets.sheet_approve(actor=request.user, sheet=current)
                messages.success(request, _("Approved."))
            elif decision == "return":
                sheets.sheet_return(
                    actor=request.user, sheet=current, comment=request.POST.get("comment", "")
                )
                messages.success(request, _("Returned to the department."))
            else:
                messages.error(request, _("Choose approve or return."))
        except InputError:
            messages.error(request, _("Say what needs correcting when returning a sheet."))
        return redirect("sheet-review", period=period, department=department)
    indicators = _indicators(the_period, department)
    rows = _grid(current, indicators) if current is not None else []
    disputes = (
        list(current.disputes.select_related("unit", "raised_by").order_by("status", "raised_at"))
        if current is not None
        else []
    )
    names = {i["id"]: i["name"] for i in indicators}
    for dispute in disputes:
        dispute.indicator_name = names.get(dispute.indicator, dispute.indicator)  # type: ignore[attr-defined]
    context = {
        "period": the_period,
        "department": department,
        "sheet": current,
        "indicators": indicators,
        "rows": rows,
        "disputes": disputes,
        "returnable": current is not None
        and (
            current.status == Review.SUBMITTED
            or (current.status == Review.APPROVED and the_period.status == Period.Status.OPEN)
        ),
    }
    return render(request, "official/sheet_review.html", context)


@login_required
@require_POST
def dispute(request: HttpRequest, period: str) -> HttpResponse:
    """A county disputes a figure a department supplied for it."""
    the_period = get_object_or_404(Period, code=period)
    try:
        sheets.dispute_raise(
            actor=request.user,
            period=the_period,
            indicator=request.POST.get("indicator", ""),
            text=request.POST.get("text", ""),
        )
    except InputError as error:
        for problem in error:
            messages.error(request, plain(problem))
    else:
        messages.success(request, _("Your dispute was sent to the city office."))
    return redirect("collect", period=period)


@login_required
@require_POST
def dispute_answer(request: HttpRequest, period: str, pk: int) -> HttpResponse:
    """The city office answers a county's dispute."""
    access.require_reviewer(request.user)
    found = get_object_or_404(
        Dispute.objects.select_related("sheet"), pk=pk, sheet__period__code=period
    )
    try:
        sheets.dispute_answer(
            actor=request.user, dispute=found, answer=request.POST.get("answer", "")
        )
    except InputError:
        messages.error(request, _("Write the answer first."))
    else:
        messages.success(request, _("Answered."))
    return redirect("sheet-review", period=period, department=found.sheet.department)
