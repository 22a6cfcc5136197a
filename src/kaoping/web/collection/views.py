"""Pages of collection and review: the county's form, the analyst's dashboard and review page.

Views are short: they read through the access helpers and selectors, change through the
services (which check rights again), and render the problems the services raise next to the
fields they name.
"""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.errors import InputError
from kaoping.web.collection import access, services
from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.collection.models import BlankReason, Period, Submission, Unit
from kaoping.web.lang import lang, plain
from kaoping.web.official.models import Review
from kaoping.web.official.sheets import previous_figures, supplied_for
from kaoping.web.workbooks import refused, xlsx_response


def _version(request: HttpRequest) -> int:
    """The submission version the form was opened at (-1 when missing: always stale)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _text(number: float) -> str:
    """A figure as a person typed it: 97350, 6.5, 1234567.8 (no exponent, no trailing zeros,
    15 significant digits), so that saving the form again reads back the same number."""
    return format(number, ".15g")


def _rows(
    submission: Submission,
    entered: dict[str, str] | None = None,
    problems: dict[str, list[str]] | None = None,
    supplied: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """One row per indicator: name, unit of measure, what the methodology accepts, last
    period's value, this period's value (as entered when a save was refused), the change, the
    reason for a blank, the note, and the problems (a refused save's, or on a saved
    submission the plausibility flags its figures raise); for an indicator scored against a
    target (an official period) the unit's target and the completion of the figure shown;
    for an indicator a department supplies (``supplied``:
    :func:`kaoping.web.official.sheets.supplied_for`), ``supplied`` holds the department's
    figure instead, read-only.  The caller has checked that the user may read the submission
    (its unit's targets too)."""
    from kaoping.methodology.plausibility import check_one, limits  # pydantic: on first use
    from kaoping.web.official import targets
    from kaoping.web.official.inputs import target_indicators

    methodology = methodology_of(submission.period.methodology)
    last = services.previous_values(submission)
    own = targets.targets_of(submission.period, submission.unit)
    scored = target_indicators(methodology)
    saved = {v.indicator: v for v in submission.values.all()}
    english = lang() == "en"
    given = {s["indicator"]: s for s in supplied or []}
    if given:  # last period's supplied figures: the department's approved ones where it had one
        before = previous_figures(submission.period, list(given))
        last = {**last, **before.get(submission.unit.code, {})}
    if problems is None:  # a saved submission: what the rules say of it, for the reviewer
        figures = {k: v.value for k, v in saved.items() if k not in given}
        problems = {}
        for flag in check_one(methodology, figures, last):
            problems.setdefault(flag.indicator, []).append(plain(flag.problem(None, note=False)))
    entered = entered or {}
    rows = []
    for indicator in methodology.indicators:
        ident = indicator.id
        value = saved.get(ident)
        number = None if value is None else value.value
        from_department = given.get(ident)
        if from_department is not None:  # the department's figure, not the county's
            value, number = None, from_department["value"]
            from_department = _supplied_row(from_department, submission.period)
        shown = "" if number is None else _text(number)
        before = last.get(ident)
        rules_zh, rules_en = limits(methodology, indicator).describe(indicator.unit)
        target = (
            own.get(ident, targets.common_target(methodology, ident)) if ident in scored else None
        )
        rows.append(
            {
                "id": ident,
                "name": (indicator.name_en or indicator.name) if english else indicator.name,
                "unit": indicator.unit or "",
                "rules": rules_en if english else rules_zh,
                "last": None if before is None else _text(before),
                "value": entered.get(ident, shown),
                "change": _change(number, before, indicator.unit),
                "reason": entered.get(f"reason-{ident}", value.blank_reason if value else ""),
                "reason_label": (
                    value.get_blank_reason_display() if value and value.blank_reason else ""
                ),
                "note": entered.get(f"note-{ident}", value.note if value else ""),
                "problems": problems.get(ident, []),
                "supplied": from_department,
                **_completion(methodology, ident, target, entered.get(ident, shown)),
            }
        )
    return rows


def _completion(
    methodology: Any, indicator: str, target: float | None, text: str
) -> dict[str, Any]:
    """The target of a row (``target`` as shown, ``target_exact`` for the page's script), the
    indicator's ``direction`` and the ``completion`` of the figure ``text`` (see
    :mod:`kaoping.web.official.targets`; the script updates it as the county types)."""
    from kaoping.data import Bad, parse_number
    from kaoping.web.official import targets

    if target is None:
        return {"target": None}
    direction = targets.direction_of(methodology, indicator)
    number = parse_number(text if text != "" else None)
    figure = None if isinstance(number, Bad) or math.isnan(number) else number
    return {
        "target": _text(target),
        "target_exact": repr(target),
        "direction": direction,
        "completion": targets.percent(targets.completion(figure, target, direction)),
    }


def _supplied_row(given: dict[str, Any], period: Period) -> dict[str, Any]:
    """A supplied figure as the form shows it: the department, its sheet's status, the
    county's disputes, and whether the county may dispute it now."""
    disputes = given["disputes"]
    return {
        **given,
        "text": None if given["value"] is None else _text(given["value"]),
        "status_label": Review(given["status"]).label if given["status"] else "",
        "can_dispute": given["value"] is not None
        and period.status == Period.Status.OPEN
        and not any(d.status == "open" for d in disputes),
    }


def _change(value: float | None, before: float | None, unit: str | None) -> str:
    """This period against last: ``+1.5 pp`` for a figure in %, else ``+12.3%``."""
    if value is None or before is None:
        return ""
    if unit == "%":
        return _("%(change)s pp") % {"change": format(value - before, "+.2f")}
    if before == 0:
        return ""
    return format((value - before) / abs(before), "+.1%")


@login_required
@require_http_methods(["GET", "POST"])
def collect(request: HttpRequest, period: str) -> HttpResponse:
    """The county's form for one period: figures beside last period's, save, submit."""
    submission = _own_submission(request, period)
    the_period = submission.period
    problems: dict[str, list[str]] | None = None
    entered: dict[str, str] | None = None
    if request.method == "POST":
        given = services.supplied(the_period)  # a department's figures: not the county's
        indicators = [i for i in services.indicators_of(the_period.methodology) if i not in given]
        values = {i: request.POST.get(i, "") for i in indicators}
        notes = {i: request.POST.get(f"note-{i}", "") for i in indicators}
        reasons = {i: request.POST.get(f"reason-{i}", "") for i in indicators}
        try:
            services.submission_save(
                actor=request.user,
                submission=submission,
                values=values,
                notes=notes,
                reasons=reasons,
                version=_version(request),
            )
        except InputError as error:
            problems = _by_field(error)
            entered = {
                **values,
                **{f"note-{k}": v for k, v in notes.items()},
                **{f"reason-{k}": v for k, v in reasons.items()},
            }
            messages.error(request, _("Nothing was saved: correct the fields marked below."))
        except services.StaleEdit as error:
            messages.error(request, str(error))
            return redirect("collect", period=period)
        else:
            messages.success(request, _("Saved."))
            return redirect("collect", period=period)
        submission.refresh_from_db()
    return _collect_page(request, submission, problems=problems, entered=entered)


def _by_field(error: InputError) -> dict[str, list[str]]:
    """A refused save's problems by the field (indicator id) they name."""
    out: dict[str, list[str]] = {}
    for problem in error:
        out.setdefault(problem.where or "", []).append(plain(problem))
    return out


def _collect_page(
    request: HttpRequest,
    submission: Submission,
    *,
    problems: dict[str, list[str]] | None = None,
    entered: dict[str, str] | None = None,
    file_problems: list[str] | None = None,
    from_file: bool = False,
) -> HttpResponse:
    given = supplied_for(actor=request.user, period=submission.period, unit=submission.unit)
    rows = _rows(submission, entered, problems, given)
    known = {row["id"] for row in rows}
    context = {
        "period": submission.period,
        "unit": submission.unit,
        "submission": submission,
        "rows": rows,
        # problems that name no field of the form (a stale page, an unknown field)
        "other_problems": [t for k, v in (problems or {}).items() if k not in known for t in v],
        "file_problems": file_problems or [],
        "editable": access.can_edit_submission(request.user, submission),
        "reasons": BlankReason.choices,
        "blanks": sum(1 for r in rows if not r["value"] and not r["reason"] and not r["supplied"]),
        "from_file": from_file,
        "has_targets": any(row["target"] is not None for row in rows),  # completion.js
        # an official period: the bonus, penalty and veto items about the county
        "official": methodology_of(submission.period.methodology).official is not None,
    }
    # a refused save re-shows the form with 200, as Django's forms do (a 4xx page would be an
    # error in the browser's console)
    return render(request, "collection/collect.html", context)


def _own_submission(request: HttpRequest, period: str) -> Submission:
    the_period = get_object_or_404(Period, code=period)
    unit_id = access.unit_id_of(request.user)
    if unit_id is None:
        raise PermissionDenied(_("Only a county submitter fills in figures."))
    unit = get_object_or_404(Unit, pk=unit_id)
    return services.submission_get_or_start(actor=request.user, unit=unit, period=the_period)


@login_required
def template(request: HttpRequest, period: str) -> HttpResponse:
    """The xlsx template of the period, pre-filled with the county's unit."""
    submission = _own_submission(request, period)
    layout = "wide" if request.GET.get("layout") == "wide" else "tall"
    content = services.submission_template(actor=request.user, submission=submission, layout=layout)
    suffix = "-wide" if layout == "wide" else ""
    return xlsx_response(content, f"{submission.unit.code}-{submission.period.code}{suffix}.xlsx")


@login_required
@require_POST
def upload(request: HttpRequest, period: str) -> HttpResponse:
    """Save the figures of an uploaded workbook; its problems are listed by cell."""
    submission = _own_submission(request, period)
    upload = request.FILES.get("file")
    if (why := refused(upload)) is not None:
        return _collect_page(request, submission, file_problems=[why])
    try:
        services.submission_upload(
            actor=request.user,
            submission=submission,
            filename=upload.name or "upload.xlsx",
            content=upload.read(),
            version=_version(request),
        )
    except services.UploadProblems as error:  # figures read, rules broken: beside each row
        messages.error(request, _("Nothing was saved: correct the cells marked below."))
        beside = {k: [p.message(lang()) for p in v] for k, v in error.rows.items()}
        return _collect_page(request, submission, problems=beside, from_file=True)
    except InputError as error:
        messages.error(request, _("Nothing was saved: correct the cells listed below."))
        return _collect_page(request, submission, file_problems=[p.message(lang()) for p in error])
    except services.StaleEdit as error:
        messages.error(request, str(error))
        return redirect("collect", period=period)
    messages.success(request, _("The file's figures were saved."))
    return redirect("collect", period=period)


@login_required
@require_POST
def submit(request: HttpRequest, period: str) -> HttpResponse:
    the_period = get_object_or_404(Period, code=period)
    unit_id = access.unit_id_of(request.user)
    submission = get_object_or_404(
        access.submissions_visible_to(request.user), period=the_period, unit_id=unit_id
    )
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that the figures are checked."))
        return redirect("collect", period=period)
    try:
        services.submission_submit(actor=request.user, submission=submission)
    except InputError as error:
        messages.error(request, _("Not submitted: every blank figure needs a reason first."))
        return _collect_page(request, submission, problems=_by_field(error))
    messages.success(request, _("Submitted for review."))
    return redirect("collect", period=period)


@login_required
def dashboard(request: HttpRequest, period: str) -> HttpResponse:
    """Who has submitted, who has not, what awaits review."""
    access.require_reviewer(request.user)
    the_period = get_object_or_404(Period, code=period)
    by_unit = {
        s.unit_id: s for s in access.submissions_visible_to(request.user).filter(period=the_period)
    }
    overdue = the_period.deadline is not None and timezone.localdate() > the_period.deadline
    rows = []
    for unit in Unit.objects.all():
        submission = by_unit.get(unit.pk)
        # late (逾期未报): past the deadline and never sent; a submission returned for
        # correction was sent in time, and is counted as being corrected, not as late
        late = overdue and (submission is None or submission.status == Submission.Status.DRAFT)
        rows.append({"unit": unit, "submission": submission, "late": late})

    def count(status: str) -> int:
        return sum(1 for r in rows if r["submission"] and r["submission"].status == status)

    context = {
        "period": the_period,
        "rows": rows,
        "waiting": count(Submission.Status.SUBMITTED),
        "returned": count(Submission.Status.RETURNED),
        "approved": count(Submission.Status.APPROVED),
        "total": len(rows),
        "missing": sum(1 for r in rows if r["submission"] is None),
        "late": sum(1 for r in rows if r["late"]),
        "items_awaiting": _items_awaiting(the_period),
        "departments": bool(services.supplied(the_period)),  # an official period's sheets
        "judged": _has_judged(the_period),
    }
    return render(request, "collection/dashboard.html", context)


def _has_judged(period: Period) -> bool:
    """Whether the period's methodology has indicators that judges score (评议)."""
    from kaoping.web.official.judged import criteria_of

    return bool(criteria_of(methodology_of(period.methodology)))


def _items_awaiting(period: Period) -> int | None:
    """How many bonus, penalty and veto items of an official period await a decision (None:
    the period is academic, it has none)."""
    if methodology_of(period.methodology).official is None:
        return None
    from kaoping.web.official.models import Item  # the official app builds on this one

    return Item.objects.filter(period=period, status=Item.Status.PROPOSED).count()


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, period: str, unit: str) -> HttpResponse:
    """One unit's figures, approve or return with a comment."""
    access.require_reviewer(request.user)
    submission = get_object_or_404(
        access.submissions_visible_to(request.user), period__code=period, unit__code=unit
    )
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                services.submission_approve(actor=request.user, submission=submission)
                messages.success(request, _("Approved."))
            elif decision == "return":
                services.submission_return(
                    actor=request.user,
                    submission=submission,
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("Returned to the county."))
            else:
                messages.error(request, _("Choose approve or return."))
        except InputError:
            messages.error(request, _("Say what needs correcting when returning a submission."))
        return redirect("review", period=period, unit=unit)
    given = supplied_for(actor=request.user, period=submission.period, unit=submission.unit)
    rows = _rows(submission, supplied=given)
    flagged = sum(1 for r in rows if r["problems"])
    context = {"submission": submission, "rows": rows, "flagged": flagged}
    return render(request, "collection/review.html", context)
