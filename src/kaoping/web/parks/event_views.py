"""The organiser's pages of the observation events: the list, a new event, an event (who has
scored), open, close (missing scores: wait or leave out), decide on flagged judges, publish,
the results per group and their workbook, the annual composite and its feed to the 考核.

Views are short: they read and change through :mod:`kaoping.web.parks.events` (which checks
the office's rights) and :mod:`kaoping.web.parks.access` (who sees which results), and show the
problems the services raise as messages naming the judge or the field.
"""

from __future__ import annotations

import io
import math
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.errors import InputError, Problem
from kaoping.web.collection.access import is_reviewer, require_reviewer, role_of, unit_id_of
from kaoping.web.collection.models import Period, Role, Unit
from kaoping.web.lang import lang, plain
from kaoping.web.parks import access
from kaoping.web.parks import events as services
from kaoping.web.parks.models import Decision, Judge, ObservationEvent
from kaoping.web.workbooks import xlsx_response

# -- the list and a new event --------------------------------------------------------------------


def _event(code: str) -> ObservationEvent:
    return get_object_or_404(ObservationEvent, code=code)


def _refuse(request: HttpRequest, error: InputError) -> None:
    for problem in error:
        messages.error(request, plain(problem))


@login_required
def events(request: HttpRequest) -> HttpResponse:
    """The events the user sees: the office every one (and a new one), a judge those it
    judges (with the link to score an open one), counties and viewers the results they may
    read."""
    if role_of(request.user) is None:
        raise PermissionDenied(_("Your account has no role on the platform."))
    reviewer = is_reviewer(request.user)
    rows = []
    for event in services.events_visible_to(request.user).order_by("-year", "-period", "code"):
        judge = access.judge_of(request.user, event)
        rows.append(
            {
                "event": event,
                "judge": judge,
                "score": judge is not None and event.status == ObservationEvent.Status.OPEN,
                "results": access.can_see_results(request.user, event),
            }
        )
    years = sorted({r["event"].year for r in rows}, reverse=True)
    context = {
        "rows": rows,
        "reviewer": reviewer,
        "years": years,
        "judge_role": role_of(request.user) == Role.JUDGE,
    }
    return render(request, "parks/event_list.html", context)


def _judges() -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(membership__role=Role.JUDGE, is_active=True)
        .order_by("username")
    )


def _defaults() -> dict[str, Any]:
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    return {
        "code": f"{today.year}-q{quarter}",
        "name": f"{today.year}年第{quarter}季度项目建设观摩评比",
        "period": f"{today.year}-Q{quarter}",
        "year": str(today.year),
        "kind": ObservationEvent.Kind.QUARTER,
        "aggregation": ObservationEvent.Aggregation.TRIMMED,
        "groups": "\n".join(
            f"{name}: {' '.join(codes)}" for name, codes in services.JIAOZUO_GROUPS.items()
        ),
        "criteria": "\n".join(
            f"{name} | {top:g} | {hint}" for name, top, hint in services.DEFAULT_CRITERIA
        ),
        "itinerary": True,
        "chosen": set(),
        "weights": {},
        "roles": {},
        "reviews": [],
    }


def _parse_form(post: Any) -> tuple[dict[str, Any], list[Problem]]:
    """The new event's fields as the service takes them, and the problems of the text
    fields (a group line without a colon, a criterion line without a number)."""
    problems: list[Problem] = []
    groups: dict[str, list[str]] = {}
    for n, line in enumerate(post.get("groups", "").splitlines(), start=1):
        if not line.strip():
            continue
        name, colon, codes = line.replace("：", ":").partition(":")
        if not colon:
            problems.append(
                Problem(
                    "event.bad_group_line",
                    f"组的第 {n} 行应写作“组名: 代码 代码 …”。",
                    f"line {n} of the groups should read 'group: code code …'.",
                    "groups",
                )
            )
            continue
        if name.strip() in groups:
            problems.append(
                Problem(
                    "event.group_twice",
                    f"组的第 {n} 行：组 “{name.strip()}” 已在前面出现：每个组只写一行。",
                    f"line {n} of the groups: the group {name.strip()!r} is named above already: "
                    "give each group one line.",
                    "groups",
                )
            )
            continue
        groups[name.strip()] = codes.replace(",", " ").replace("，", " ").split()
    criteria: list[tuple[str, float, str]] = []
    for n, line in enumerate(post.get("criteria", "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        try:
            top = float(parts[1]) if len(parts) > 1 else math.nan
        except ValueError:
            top = math.nan
        if math.isnan(top):
            problems.append(
                Problem(
                    "event.bad_criterion_line",
                    f"评分项的第 {n} 行应写作“名称 | 满分 | 说明”。",
                    f"line {n} of the criteria should read 'name | maximum | hint'.",
                    "criteria",
                )
            )
            continue
        criteria.append((parts[0], top, " | ".join(parts[2:])))  # a hint may hold a |
    accounts = {str(u.pk): u for u in _judges()}
    judges = []
    for pk in post.getlist("judges"):
        if pk not in accounts:
            continue
        raw = post.get(f"weight-{pk}", "1").strip() or "1"
        try:
            weight = float(raw)
        except ValueError:
            weight = math.nan
        judges.append(
            {"user": accounts[pk], "role": post.get(f"role-{pk}", "").strip(), "weight": weight}
        )
    try:
        year = int(post.get("year", ""))
    except ValueError:
        year = 0
        problems.append(
            Problem("event.bad_year", "年份应为四位数字。", "the year is four digits.", "year")
        )
    date = (post.get("date") or "").strip()
    if date and _date(date) is None:
        problems.append(
            Problem(
                "event.bad_date",
                f"日期 “{date}” 不是有效日期：请写作 2026-03-28，或留空。",
                f"the date {date!r} is not a valid date: write it as 2026-03-28, or leave it "
                "empty.",
                "date",
            )
        )
    fields = {
        "code": post.get("code", ""),
        "name": post.get("name", ""),
        "period": post.get("period", ""),
        "year": year,
        "kind": post.get("kind", ObservationEvent.Kind.QUARTER),
        "aggregation": post.get("aggregation", ObservationEvent.Aggregation.TRIMMED),
        "groups": groups,
        "criteria": criteria,
        "judges": judges,
        "reviews": post.getlist("reviews"),
        "visits": None if post.get("itinerary") else [],
        "date": date or None,
    }
    return fields, problems


@login_required
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest) -> HttpResponse:
    """A new event (the office): the Jiaozuo groups and four criteria summing to 100 as
    defaults, the judges chosen among the judge accounts with their role and weight."""
    require_reviewer(request.user)
    values = _defaults()
    if request.method == "POST":
        post = request.POST
        values |= {
            k: post.get(k, "")
            for k in (
                "code",
                "name",
                "period",
                "year",
                "kind",
                "aggregation",
                "groups",
                "criteria",
                "date",
            )
        }
        values |= {
            "itinerary": bool(post.get("itinerary")),
            "chosen": set(post.getlist("judges")),
            "weights": {k[7:]: v for k, v in post.items() if k.startswith("weight-")},
            "roles": {k[5:]: v for k, v in post.items() if k.startswith("role-")},
            "reviews": post.getlist("reviews"),
        }
        fields, problems = _parse_form(post)
        if problems:
            _refuse(request, InputError(problems))
            return _new_page(request, values, status=400)
        fields["date"] = _date(fields["date"])
        try:
            event = services.event_create(actor=request.user, **fields)
        except InputError as error:
            messages.error(request, _("The event was not created: correct what is listed."))
            _refuse(request, error)
            return _new_page(request, values, status=400)
        messages.success(request, _("The event was created. Open it when the judges may score."))
        return redirect("event", code=event.code)
    return _new_page(request, values)


def _date(raw: Any) -> Any:
    import datetime as dt

    if not raw:
        return None
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        return None


def _new_page(request: HttpRequest, values: dict[str, Any], status: int = 200) -> HttpResponse:
    judges = [
        {
            "user": u,
            "chosen": str(u.pk) in values["chosen"] or not values["chosen"],
            "weight": values["weights"].get(str(u.pk), "1"),
            "role": values["roles"].get(str(u.pk), ""),
        }
        for u in _judges()
    ]
    context = {
        "values": values,
        "judges": judges,
        "kinds": ObservationEvent.Kind.choices,
        "aggregations": ObservationEvent.Aggregation.choices,
        "reviewable": ObservationEvent.objects.filter(kind=ObservationEvent.Kind.QUARTER),
    }
    return render(request, "parks/event_new.html", context, status=status)


# -- an event: who has scored, open, close, decide, publish --------------------------------------


def _flag_rows(event: ObservationEvent) -> tuple[list[dict[str, Any]], list[str]]:
    """The engine's flags with each judge's decision, or the engine's problems."""
    if event.status not in (ObservationEvent.Status.CLOSED, ObservationEvent.Status.PUBLISHED):
        return [], []
    try:
        frame = services.flags(event)
    except InputError as error:
        return [], [plain(p) for p in error]
    judges = {j.user.username: j for j in event.judges.select_related("user")}
    kept = services._kept(event)
    rows = []
    for flag in frame.itertuples():
        judge = judges.get(str(flag.judge))
        if judge is None:
            continue
        rows.append(
            {
                "judge": judge,
                "kind": flag.kind,
                "value": flag.value,
                "why": flag.en if lang() == "en" else flag.zh,
                "decided": "exclude" if judge.excluded else "keep" if judge.pk in kept else "",
            }
        )
    return rows, []


@login_required
def event(request: HttpRequest, code: str) -> HttpResponse:
    """An event for the office: its state, itinerary, score sheet, who has scored how much,
    and the next step (open; close, with wait or leave out for missing scores; keep or leave
    out a flagged judge; publish)."""
    found = _event(code)
    require_reviewer(request.user)
    rows = services.status(found)
    late = [r for r in rows if not r.excluded and not r.complete]
    flags, flag_problems = _flag_rows(found)
    context = {
        "event": found,
        "rows": rows,
        "late": late,
        "groups": [
            {"name": g.name, "units": list(g.units.order_by("code"))}
            for g in found.groups.prefetch_related("units").order_by("order")
        ],
        "criteria": list(found.criteria.order_by("order")),
        "total": sum(c.maximum for c in found.criteria.all()),
        "visits": list(found.visits.select_related("unit", "project").order_by("order")),
        "decisions": list(
            Decision.objects.filter(event=found).select_related("judge", "by").order_by("-at")
        ),
        "flags": flags,
        "undecided": [f for f in flags if not f["decided"]],
        "flag_problems": flag_problems,
        "reviews": list(found.reviews.order_by("period")),
        "done": sum(1 for r in rows if r.complete),
    }
    return render(request, "parks/event.html", context)


def _act(request: HttpRequest, code: str, do: Any, success: str) -> HttpResponse:
    found = _event(code)
    require_reviewer(request.user)
    try:
        outcome = do(found)
    except InputError as error:
        _refuse(request, error)
    else:
        if outcome is not False:
            messages.success(request, success)
        else:
            messages.success(request, _("The event stays open; the decision to wait is recorded."))
    return redirect("event", code=found.code)


@login_required
@require_POST
def event_open(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        lambda e: services.event_open(actor=request.user, event=e),
        _("The event is open: its judges may score."),
    )


@login_required
@require_POST
def event_close(request: HttpRequest, code: str) -> HttpResponse:
    choice = request.POST.get("choice", "")
    reason = request.POST.get("reason", "")
    return _act(
        request,
        code,
        lambda e: services.event_close(actor=request.user, event=e, choice=choice, reason=reason),
        _("The event is closed: its results are computed."),
    )


@login_required
@require_POST
def event_decide(request: HttpRequest, code: str) -> HttpResponse:
    found = _event(code)
    require_reviewer(request.user)
    chosen = request.POST.get("judge", "").strip()
    number = int(chosen) if chosen.isascii() and chosen.isdecimal() else 0  # "abc": no judge
    judge = Judge.objects.filter(event=found, pk=number).first()
    if judge is None:
        raise Http404
    kind = request.POST.get("kind", "")
    reason = request.POST.get("reason", "")
    return _act(
        request,
        code,
        lambda e: services.event_decide(
            actor=request.user, event=e, judge=judge, kind=kind, reason=reason
        ),
        _("The decision is recorded."),
    )


@login_required
@require_POST
def event_publish(request: HttpRequest, code: str) -> HttpResponse:
    return _act(
        request,
        code,
        lambda e: services.event_publish(actor=request.user, event=e),
        _("The results are published."),
    )


# -- results -------------------------------------------------------------------------------------


def _results(request: HttpRequest, found: ObservationEvent) -> dict[str, Any]:
    """What the user may see of the results: every row (the office, judges after close,
    everybody after publication) or the county's own; the judges' columns and the flags with
    every row."""
    access.require_results(request.user, found)
    closed = found.status in (ObservationEvent.Status.CLOSED, ObservationEvent.Status.PUBLISHED)
    out: dict[str, Any] = {"event": found, "closed": closed, "problems": [], "groups": []}
    if not closed:
        return out
    try:
        result = services.results(found)
    except InputError as error:
        out["problems"] = [plain(p) for p in error]
        return out
    everything = access.sees_all_results(request.user, found)
    own = unit_id_of(request.user)
    own_code = Unit.objects.filter(pk=own).values_list("code", flat=True).first() if own else None
    criteria = list(found.criteria.order_by("order"))
    judges = [j for j in found.judges.select_related("user").order_by("pk")]
    left = dict(result.left_out)
    columns = [j for j in judges if j.user.username in result.per_judge.columns]
    table = result.table
    for group in found.groups.order_by("order"):
        rows = []
        for code in [c for c in table.index if table.at[c, "group"] == group.name]:
            if not everything and code != own_code:
                continue
            rows.append(
                {
                    "code": code,
                    "name": table.at[code, "name"],
                    "rank": table.at[code, "rank"],
                    "points": [(c.name, table.at[code, c.name]) for c in criteria],
                    "total": table.at[code, "total"],
                    "judges_used": table.at[code, "judges"],
                    "per_judge": [
                        (
                            j.name,
                            _value(result.per_judge, code, j.user.username),
                            j.user.username in left,
                        )
                        for j in columns
                    ]
                    if everything
                    else [],
                }
            )
        rows.sort(key=lambda r: (r["rank"] if r["rank"] == r["rank"] else 1e9, r["code"]))
        chart = {
            "names": [r["name"] for r in rows],
            "totals": [round(float(r["total"]), 2) for r in rows],
        }
        out["groups"].append({"name": group.name, "rows": rows, "chart": chart})
    out |= {
        "criteria": criteria,
        "everything": everything,
        "columns": [{"name": j.name, "left_out": j.user.username in left} for j in columns]
        if everything
        else [],
        "left_out": [
            {"judge": j, "reason": _why_left_out(left[j.user.username])}
            for j in judges
            if j.user.username in left
        ]
        if everything
        else [],
        "flags": _flag_rows(found)[0] if everything else [],
        "own_only": not everything,
        "charts": [
            {"id": f"chart-{i}", "name": g["name"], **g["chart"]}
            for i, g in enumerate(out["groups"])
            if g["rows"]
        ],
    }
    return out


@login_required
def results(request: HttpRequest, code: str) -> HttpResponse:
    """The results per group: rank, county, the criteria's points and the total; with every
    row (see :func:`_results`) each judge's totals and the flags."""
    context = _results(request, _event(code))
    context["reviewer"] = is_reviewer(request.user)
    return render(request, "parks/event_results.html", context)


@login_required
def results_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    """The results the user may see as a workbook: one sheet per group."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    found = _event(code)
    context = _results(request, found)
    if not context["closed"] or context["problems"]:
        raise Http404(_("There are no results yet."))
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for group in context["groups"]:
        sheet = book.create_sheet(group["name"][:31])
        sheet.append([f"{found.name}（{group['name']}）"])
        header = [
            "名次",
            "代码",
            "单位",
            *[f"{c.name}（{c.maximum:g}）" for c in context["criteria"]],
            "总分",
            "计分评委数",
        ]
        header += [j["name"] for j in context["columns"]]
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for r in group["rows"]:
            sheet.append(
                [
                    _num(r["rank"]),
                    r["code"],
                    r["name"],
                    *[_num(p) for _, p in r["points"]],
                    _num(r["total"]),
                    _num(r["judges_used"]),
                    *[_num(v) for _, v, _ in r["per_judge"]],
                ]
            )
    if not context["groups"]:
        book.create_sheet("结果")
    out = io.BytesIO()
    book.save(out)
    return xlsx_response(out.getvalue(), f"{found.code}-results.xlsx")


def _why_left_out(reason: str) -> str:
    """The engine's reason a judge's scores do not count, in the page's language."""
    if reason == "excluded":
        return _("left out by the organiser")
    kinds = {"flat": _("every county given the same total"),
             "far": _("far from the other judges")}  # fmt: skip
    return _("flagged and not kept: %(why)s") % {
        "why": ", ".join(kinds.get(k, k) for k in reason.split(","))
    }


def _value(frame: Any, row: str, column: str) -> float | None:
    """A cell of the engine's frame, None where the judge did not count (NaN) or is absent."""
    if row not in frame.index or column not in frame.columns:
        return None
    value = frame.at[row, column]
    return None if value is None or value != value else float(value)


def _num(value: Any) -> Any:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    return None if math.isnan(number) else round(number, 4)


# -- the annual composite ------------------------------------------------------------------------


def _require_composite(user: Any) -> None:
    if not (is_reviewer(user) or role_of(user) in (Role.COUNTY, Role.VIEWER)):
        raise PermissionDenied(_("The annual composite is for the office, counties and viewers."))


@login_required
def composite(request: HttpRequest, year: int) -> HttpResponse:
    """The year's composite: each published event's totals (0..100, after the 回头看), the
    composite and the rank in its group; the annual composite with a published assessment
    (:func:`_combined`); for the office the form of the shares and the one that feeds the
    composite into an official period."""
    _require_composite(request.user)
    return _composite_page(request, year, request.GET.get("assessment", ""))


def _composite_page(
    request: HttpRequest,
    year: int,
    chosen: str,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    table = services.composite(year)
    groups: dict[str, list[dict[str, Any]]] = {}
    names = dict(Unit.objects.filter(code__in=list(table.table.index)).values_list("code", "name"))
    for code in table.table.index:
        row = table.table.loc[code]
        groups.setdefault(str(row["group"]), []).append(
            {
                "code": code,
                "name": names.get(code, code),
                "rank": row["rank"],
                "composite": row["composite"],
                "events": [(e.period, _value(table.totals, code, e.code)) for e in table.events],
            }
        )
    for rows in groups.values():
        rows.sort(key=lambda r: (r["rank"] if r["rank"] == r["rank"] else 1e9, r["code"]))
    reviewer = is_reviewer(request.user)
    context = {
        "year": year,
        "table": table,
        **_combined(year, chosen),
        "groups": groups,
        "columns": [
            (
                e,
                f"{table.weights.get(e.code, 0):g}",
                any(e.code in r for r in table.reviews.values()),
            )
            for e in table.events
        ],
        "reviewer": reviewer,
        "periods": Period.objects.order_by("-code") if reviewer else [],
        "judge_name": services.feed_judge(year),
        "fed": table.settings.period if table.settings and table.settings.fed_at else None,
        "charts": [
            {
                "id": f"chart-{i}",
                "name": name,
                "names": [r["name"] for r in rows],
                "totals": [round(float(r["composite"]), 2) for r in rows],
            }
            for i, (name, rows) in enumerate(groups.items())
        ],
    }
    context |= extra or {}
    return render(request, "parks/composite.html", context, status=status)


def _combined(year: int, raw: str) -> dict[str, Any]:
    """The section "Indicators and observation": the published assessments to choose from
    (``raw`` = ``?assessment=<pk>``, default the latest; any other pk is not found), the
    year's shares, and the annual composite of the chosen one (or the problems that stopped
    it)."""
    assessments = list(services.published_assessments())
    if raw:
        chosen = next((a for a in assessments if str(a.pk) == raw), None)
        if chosen is None:
            raise Http404(_("No published assessment has this number."))
    else:
        chosen = assessments[0] if assessments else None
    indicator_share, observation_share = services.shares(year)
    out: dict[str, Any] = {
        "assessments": assessments,
        "chosen": chosen,
        "combined": None,
        "combined_problems": [],
        "indicator_share": f"{indicator_share:g}",
        "observation_share": f"{observation_share:g}",
    }
    if chosen is not None:
        try:
            out["combined"] = services.combined(year, chosen)
        except InputError as error:
            out["combined_problems"] = [plain(p) for p in error]
    return out


@login_required
@require_POST
def composite_shares(request: HttpRequest, year: int) -> HttpResponse:
    """The office sets the year's shares: the indicators' 0..100 (the form's
    ``indicator_share``), the observation's the rest; back to the composite (with the chosen
    assessment), or the page again (400) with the problem next to the field."""
    require_reviewer(request.user)
    chosen = request.POST.get("assessment", "")
    typed = request.POST.get("indicator_share", "")
    try:
        settings = services.set_shares(actor=request.user, year=year, indicator_share=typed)
    except InputError as error:
        messages.error(request, _("The shares were not changed."))
        extra = {"share_problems": [plain(p) for p in error], "typed_share": typed}
        return _composite_page(request, year, chosen if chosen.isdigit() else "", extra, 400)
    else:
        messages.success(
            request,
            _("The shares of %(year)d are now indicators %(p)s%% and observation %(q)s%%.")
            % {
                "year": year,
                "p": f"{settings.indicator_share:g}",
                "q": f"{settings.observation_share:g}",
            },
        )
    url = reverse("composite", kwargs={"year": year})
    query = f"?assessment={chosen}" if chosen.isdigit() else ""
    return redirect(f"{url}{query}#combined")


@login_required
@require_POST
def composite_feed(request: HttpRequest, year: int) -> HttpResponse:
    """Write the year's composite into the chosen official period's judged scores."""
    require_reviewer(request.user)
    period = Period.objects.filter(code=request.POST.get("period", "")).first()
    if period is None:
        messages.error(request, _("Choose the official period to feed."))
        return redirect("composite", year=year)
    try:
        written = services.feed(actor=request.user, year=year, period=period)
    except InputError as error:
        _refuse(request, error)
    else:
        messages.success(
            request,
            _("%(n)d judged scores of %(period)s were written from the composite.")
            % {"n": written, "period": period.code},
        )
    return redirect("composite", year=year)
