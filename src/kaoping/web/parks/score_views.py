"""The judge's pages (观摩评比 on a phone): the event's counties, one county's criteria, saving
one value as typed, submitting when complete.

Views are short: they find the judge's own row through
:func:`kaoping.web.parks.access.require_judge` (a judge of the event, the event open) and
change through :mod:`kaoping.web.parks.scoring`, which checks the rights again.  A judge sees
only their own scores here, never another judge's.

``save`` answers ``static/parks/score.js`` in JSON (``{ok, saved, progress}``, or 400 with the
problems' messages, 403 with the refusal); a plain form post (no JavaScript) is redirected back
to the county's page with the message.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaoping.errors import InputError, Problem
from kaoping.web.lang import plain
from kaoping.web.parks import scoring
from kaoping.web.parks.access import require_judge
from kaoping.web.parks.models import Criterion, ObservationEvent, Visit


def _text(value: float | None) -> str:
    """Points as typed (no trailing zeros): 25.5, 40."""
    return "" if value is None else format(value, ".15g")


def _event(code: str) -> ObservationEvent:
    return get_object_or_404(ObservationEvent, code=code)


def _totals(rows: list[scoring.UnitProgress]) -> dict[str, int]:
    scored = sum(min(r.scored, r.required) for r in rows)
    required = sum(r.required for r in rows)
    return {"scored": scored, "required": required, "left": required - scored}


@login_required
def score(request: HttpRequest, code: str) -> HttpResponse:
    """The event's counties by group, each with how many criteria the judge has scored, and
    the Submit button (enabled once every county has every criterion)."""
    event = _event(code)
    judge = require_judge(request.user, event)
    rows = scoring.progress(judge)
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["name"] != row.group:
            groups.append({"name": row.group, "rows": []})
        groups[-1]["rows"].append(row)
    totals = _totals(rows)
    context = {
        "event": event,
        "judge": judge,
        "groups": groups,
        "totals": totals,
        "complete": bool(rows) and totals["left"] == 0,
        "submitted": judge.submitted_at is not None,
        "first": rows[0].unit.code if rows else None,
        "next": next((r.unit.code for r in rows if not r.complete), None),
    }
    return render(request, "parks/score.html", context)


@login_required
def score_unit(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    """One county: the projects visited there, each criterion with its hint, maximum and the
    judge's saved points; the previous and next county."""
    event = _event(code)
    judge = require_judge(request.user, event)
    listed = scoring.event_units(event)
    index = next((i for i, (_g, u) in enumerate(listed) if u.code == unit), None)
    if index is None:
        raise Http404(_("This county is not one of the event's."))
    group, found = listed[index]
    saved = scoring.scores_of(judge, found)
    criteria = list(Criterion.objects.filter(event=event).order_by("order", "pk"))
    rows = [
        {"criterion": c, "max": _text(c.maximum), "value": _text(saved.get((found.pk, c.pk)))}
        for c in criteria
    ]
    context = {
        "event": event,
        "judge": judge,
        "unit": found,
        "group": group,
        "visits": Visit.objects.filter(event=event, unit=found).select_related("project"),
        "rows": rows,
        "scored": sum(1 for r in rows if r["value"] != ""),
        "position": index + 1,
        "count": len(listed),
        "previous": listed[index - 1][1] if index > 0 else None,
        "next": listed[index + 1][1] if index + 1 < len(listed) else None,
        "editable": judge.submitted_at is None,
    }
    return render(request, "parks/score_unit.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json" or "application/json" in request.headers.get(
        "Accept", ""
    )


def _payload(request: HttpRequest) -> dict[str, Any] | None:
    """The unit, criterion and value posted (JSON or a form); None: unreadable JSON."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[…
            return None
        return data if isinstance(data, dict) else None
    return {k: request.POST[k] for k in ("unit", "criterion", "value") if k in request.POST}


def _refused(request: HttpRequest, status: int, texts: list[str], unit: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": False, "problems": texts}, status=status)
    if status == 403:
        raise PermissionDenied(texts[0])
    for text in texts:
        messages.error(request, text)
    return _back(request, unit)


def _back(request: HttpRequest, unit: str) -> HttpResponse:
    code = request.resolver_match.kwargs["code"] if request.resolver_match else ""
    if unit:
        return redirect("event-score-unit", code, unit)
    return redirect("event-score", code)


@login_required
@require_POST
def save(request: HttpRequest, code: str) -> HttpResponse:
    """Save one value: ``unit`` (its code), ``criterion`` (its id), ``value`` (as typed; empty
    clears).  JSON: ``{ok: true, saved: "25.5" | null, progress: {unit, scored, required,
    complete}, totals: {scored, required, left}}``."""
    event = _event(code)
    data = _payload(request)
    if data is None or "value" not in data:
        problem = Problem(
            "observation.bad_request",
            "保存请求无法识别：请刷新页面后重新填写。",
            "the save request could not be read: reload the page and enter the value again.",
            "value",
        )
        return _refused(request, 400, [plain(problem)], "")
    unit = str(data.get("unit") or "")
    try:
        stored = scoring.save_score(
            request.user, event, unit, data.get("criterion"), data.get("value")
        )
    except PermissionDenied as refusal:
        return _refused(request, 403, [str(refusal)], unit)
    except InputError as error:
        return _refused(request, 400, [plain(p) for p in error], unit)
    judge = require_judge(request.user, event)
    rows = scoring.progress(judge)
    unit = unit.strip()  # the service found the county by its stripped code
    mine = next(r for r in rows if r.unit.code == unit)
    saved = _text(stored.value) if stored is not None else None
    if not _wants_json(request):
        messages.success(request, _("Saved."))
        return _back(request, unit)
    body = {"ok": True, "saved": saved, "progress": mine.as_json(), "totals": _totals(rows)}
    return JsonResponse(body)


@login_required
@require_POST
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """Hand in the judge's sheet; refused, with what is missing, while it is incomplete."""
    event = _event(code)
    try:
        scoring.submit(request.user, event)
    except InputError as error:
        messages.error(
            request,
            _("Not submitted: %(n)d scores are still missing.") % {"n": len(error.problems)},
        )
        for problem in error.problems[:12]:
            messages.error(request, plain(problem))
        return redirect("event-score", event.code)
    messages.success(
        request,
        _("Your scores are submitted. They no longer change unless the organiser reopens them."),
    )
    return redirect("event-score", event.code)
