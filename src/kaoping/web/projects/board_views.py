"""Pages of the dispatch's results (重点项目月调度结果): the start page, a month's dashboard,
the counties' ranking, the map of the projects, the month's workbook, and a project's page.

Views are short: the months and projects a user may see come from :mod:`.board` and
:mod:`.access`, every figure from :mod:`kaoping.dispatch` (through :class:`.board.MonthResults`);
the views only put the numbers in rows for the templates and the charts.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kaoping.dispatch import alerts
from kaoping.dispatch.progress import progress, project_series
from kaoping.dispatch.rankings import MEASURES
from kaoping.dispatch.schema import STATUSES
from kaoping.web.collection.access import is_reviewer
from kaoping.web.lang import lang
from kaoping.web.projects import board, dispatch, frames
from kaoping.web.projects.access import can_report, can_see, require_see
from kaoping.web.projects.models import DispatchMonth, Issue, Photo, Project, Report
from kaoping.web.workbooks import xlsx_response

# the engine's statuses and colours as the page's language writes them
STATUS_LABELS = {
    "超前": pgettext_lazy("project status", "Ahead of schedule"),
    "正常": pgettext_lazy("project status", "On schedule"),
    "滞后": pgettext_lazy("project status", "Behind schedule"),
    "停工": pgettext_lazy("project status", "Stopped"),
    "未开工": pgettext_lazy("project status", "Not started"),
}
COLOUR_LABELS = {
    "red": gettext_lazy("Red warning"),
    "yellow": gettext_lazy("Yellow warning"),
    "green": gettext_lazy("Green"),
}
TIER_LABELS = (gettext_lazy("First tier"), gettext_lazy("Second tier"), gettext_lazy("Third tier"))


def _num(value: Any) -> float | None:
    """A figure for a template or a chart: None for a missing one (NaN)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def _reason(warning: Any) -> str:
    return str(warning["reason_en"] if lang() == "en" else warning["reason_zh"])


def _months_nav(user: Any, current: str) -> list[dict[str, Any]]:
    return [
        {"month": m.month, "current": m.month == current, "open": m.status == m.Status.OPEN}
        for m in board.visible_months(user)[:24]
    ]


def _open_for(user: Any) -> DispatchMonth | None:
    """The open month a county or an owner fills (None for anyone else)."""
    month = (
        DispatchMonth.objects.filter(status=DispatchMonth.Status.OPEN).order_by("-month").first()
    )
    return month if month is not None and dispatch.can_fill_month(user, month) else None


def _common(request: HttpRequest, month: DispatchMonth, page: str) -> dict[str, Any]:
    return {
        "month": month,
        "months": _months_nav(request.user, month.month),
        "page": page,
        "reviewer": is_reviewer(request.user),
        "fill_month": _open_for(request.user),
    }


# -- the start page --------------------------------------------------------------------------------


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    """The latest month's dashboard the user may see; a page that says why there is none."""
    latest = board.latest_month(request.user)
    if latest is not None:
        return redirect("dispatch-board", month=latest.month)
    context = {"reviewer": is_reviewer(request.user), "fill_month": _open_for(request.user)}
    return render(request, "projects/board_none.html", context)


# -- a month's dashboard ---------------------------------------------------------------------------


@login_required
def month_board(request: HttpRequest, month: str) -> HttpResponse:
    """The month's dashboard: counts by status and by warning, plan against investment by
    county (a chart), the headline numbers and the red projects with the reasons."""
    found = board.require_month(request.user, month)
    shown = board.results_projects(request.user)
    results = board.month_results(found.month, shown)
    table, names = results.table, results.names
    counties = [
        {
            "code": code,
            "name": names.get(str(code), str(code)),
            "projects": int(row["projects"]),
            "annual_plan": _num(row["annual_plan"]),
            "ytd": _num(row["ytd"]),
            "completion_pct": _num(row["completion_pct"]),
            "schedule_pct": _num(row["schedule_pct"]),
            "statuses": [{"label": STATUS_LABELS[s], "n": int(row[s])} for s in STATUSES],
        }
        for code, row in results.counties.iterrows()
    ]
    # the projects shown are the user's own (or all, to the office): linked unless the user
    # reads the published results only (no project pages)
    pages = board.role_sees_pages(request.user)
    red = [
        {
            "code": str(code),
            "name": row["name"],
            "county": names.get(str(row["county"]), str(row["county"])),
            "status": STATUS_LABELS.get(str(row["status"]), row["status"]),
            "completion_pct": _num(row["completion_pct"]),
            "schedule_pct": _num(row["schedule_pct"]),
            "lag_pp": _num(row["lag_pp"]),
            "reason": _reason(row),
            "link": pages,
        }
        for code, row in results.red().iterrows()
    ]
    reports = Report.objects.filter(month=found, project__in=shown).aggregate(
        handed=Count("pk", filter=Q(status__in=dispatch.SENT)),
        approved=Count("pk", filter=Q(status=Report.Status.APPROVED)),
    )
    chart = {
        "counties": [c["name"] for c in counties],
        "plan": [c["annual_plan"] for c in counties],
        "ytd": [c["ytd"] for c in counties],
    }
    starts = results.new_starts()
    bonds = results.special_bonds()
    statuses = results.status_counts()
    colours = results.colour_counts()
    context = {
        **_common(request, found, "board"),
        "projects": len(table),
        "reports": reports,
        "statuses": [{"key": s, "label": STATUS_LABELS[s], "n": n} for s, n in statuses.items()],
        "status_heads": [STATUS_LABELS[s] for s in STATUSES],
        "colours": [{"key": c, "label": COLOUR_LABELS[c], "n": n} for c, n in colours.items()],
        "counties": counties,
        "totals": {
            "annual_plan": _num(table["annual_plan"].sum()),
            "ytd": _num(table["ytd"].sum()),
        },
        "starts": {**vars(starts), "share_pct": _num(starts.share_pct)},
        # 亿元 as the reports write it: 19.6, not 19.60
        "bonds": {"projects": bonds.projects, "amount_yi": f"{round(bonds.amount_yi, 2):g}"},
        "red": red,
        "chart": chart,
    }
    return render(request, "projects/board_month.html", context)


# -- the counties' ranking -------------------------------------------------------------------------


def _measure_label(key: str) -> str:
    zh, en = MEASURES[key]
    return en if lang() == "en" else zh


@login_required
def ranking(request: HttpRequest, month: str) -> HttpResponse:
    """The counties ranked by one of the dispatch measures (投资完成率 by default): competition
    ranks (1, 2, 2, 4), a tier a third of the counties, every measure beside, a bar chart."""
    found = board.require_month(request.user, month)
    by = request.GET.get("by", "completion_pct")
    if by not in MEASURES:
        by = "completion_pct"
    # the ranking of the counties: every project's results, whoever reads them
    results = board.month_results(found.month, Project.objects.all())
    measures, ranked = results.ranking()
    order = sorted(
        ranked.index,
        key=lambda c: (math.isnan(ranked.at[c, f"{by}_rank"]), ranked.at[c, f"{by}_rank"], c),
    )
    tier_col = f"{by}_tier"
    rows = []
    for code in order:
        tier = int(ranked.at[code, tier_col]) if tier_col in ranked else -1
        rows.append(
            {
                "code": code,
                "name": results.names.get(str(code), str(code)),
                "rank": _num(ranked.at[code, f"{by}_rank"]),
                "value": _num(ranked.at[code, by]),
                "tier": tier,
                "tier_label": TIER_LABELS[tier] if 0 <= tier < len(TIER_LABELS) else "",
                "projects": int(measures.at[code, "projects"]),
                "ytd": _num(measures.at[code, "ytd"]),
                "annual_plan": _num(measures.at[code, "annual_plan"]),
                "measures": [
                    {
                        "key": key,
                        "label": _measure_label(key),
                        "value": _num(ranked.at[code, key]),
                        "rank": _num(ranked.at[code, f"{key}_rank"]),
                    }
                    for key in MEASURES
                ],
            }
        )
    context = {
        **_common(request, found, "ranking"),
        "by": by,
        "by_label": _measure_label(by),
        "choices": [{"key": k, "label": _measure_label(k)} for k in MEASURES],
        "tier_labels": TIER_LABELS,
        "rows": rows,
        "chart": {
            "counties": [r["name"] for r in rows],
            "values": [r["value"] for r in rows],
            "tiers": [r["tier"] for r in rows],
        },
    }
    return render(request, "projects/board_ranking.html", context)


# -- the map ---------------------------------------------------------------------------------------


@login_required
def month_map(request: HttpRequest, month: str) -> HttpResponse:
    """The projects as points by their coordinates over the counties, coloured by the month's
    warning; those without coordinates listed below."""
    found = board.require_month(request.user, month)
    shown = board.results_projects(request.user)
    results = board.month_results(found.month, shown)
    table, warnings, names = results.table, results.warnings, results.names
    pages = board.role_sees_pages(request.user)
    where = {p.code: (p.longitude, p.latitude) for p in shown}
    points, unplaced = [], []
    for code, row in table.iterrows():
        warning = warnings.loc[code]
        item = {
            "code": str(code),
            "name": row["name"],
            "county": names.get(str(row["county"]), str(row["county"])),
            "colour": str(warning["colour"]),
            "colour_label": str(COLOUR_LABELS[str(warning["colour"])]),
            "status": str(STATUS_LABELS.get(str(row["status"]), row["status"])),
            "reason": _reason(warning),
            "url": reverse("project", args=[code]) if pages else "",
        }
        lon, lat = where.get(str(code), (None, None))
        if lon is None or lat is None:
            unplaced.append(item)
        else:
            points.append({**item, "lon": lon, "lat": lat})
    counties = sorted({str(c) for c in table["county"]})
    context = {
        **_common(request, found, "map"),
        "map": {
            "points": points,
            "counties": counties,
            "prefixes": sorted({c[:4] for c in counties}),
            "colours": list(board.COLOURS),
            "labels": {c: str(COLOUR_LABELS[c]) for c in board.COLOURS},
        },
        "colour_counts": [
            {"key": c, "label": COLOUR_LABELS[c], "n": sum(1 for p in points if p["colour"] == c)}
            for c in board.COLOURS
        ],
        "unplaced": unplaced,
        "pages": pages,
    }
    return render(request, "projects/board_map.html", context)


# -- the month's workbook --------------------------------------------------------------------------


@login_required
def sheet(request: HttpRequest, month: str) -> HttpResponse:
    """The month's results workbook (项目, 县区排名, 红色预警, 三个一批, 头条数字) of the projects
    the user sees, approved reports only."""
    from kaoping.dispatch.sheets import write_report

    found = board.require_month(request.user, month)
    results = board.month_results(found.month, board.results_projects(request.user))
    content = write_report(
        results.registry, results.reports, found.month, rules=board.RULES, counties=results.names
    )
    # the workbook is written in Chinese: so is its name
    return xlsx_response(content, f"重点项目月调度-{found.month}.xlsx")


# -- a project's page ------------------------------------------------------------------------------

FACTS = {
    "identity": (
        gettext_lazy("Identity"),
        ("code", "name", "approval_code", "industry", "category", "nature", "key_level",
         "industrial", "attracted", "batch", "batch_role", "content"),
    ),
    "location": (gettext_lazy("Location"), ("unit", "park", "location", "longitude", "latitude")),
    "parties": (
        gettext_lazy("Parties"), ("owner", "responsible", "leader", "contact", "phone")
    ),
    "money": (
        gettext_lazy("Investment (10k yuan)"),
        ("total", "annual_plan", "central_budget", "bond", "city_funds", "market_funds",
         "invested_before"),
    ),
    "schedule": (
        gettext_lazy("Schedule"),
        ("stage", "planned_start", "planned_finish", "actual_start", "actual_finish",
         "signed_on", "fulfilled_on", "produced_on", "effective_on"),
    ),
    "documents": (
        gettext_lazy("Preliminary approvals (前期手续)"),
        ("doc_approval", "doc_feasibility", "doc_design", "doc_land", "doc_planning",
         "doc_environment", "doc_construction"),
    ),
}  # fmt: skip


def _fact(project: Project, name: str) -> dict[str, Any]:
    field = Project._meta.get_field(name)
    value = getattr(project, name)
    if name == "unit":
        return {"label": _("County"), "value": project.unit.name}
    elif isinstance(value, bool):
        value = _("Yes") if value else _("No")
    elif isinstance(value, float):
        value = format(value, ",.15g") if name not in ("longitude", "latitude") else value
    return {"label": field.verbose_name, "value": value}


def _series(project: Project) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The project's approved months (figures, 序时进度, status) and its latest warning."""
    registry = frames.registry(Project.objects.filter(pk=project.pk))
    reports = frames.reports(approved_only=True)
    reports = reports[reports["project"] == project.code]
    if reports.empty:
        return [], None
    series = project_series(registry, reports, project.code)
    # the registry's annual plan is the latest year's: its 序时进度 means nothing before it
    year = str(series.index[-1])[:4]
    series = series[[str(m).startswith(year) for m in series.index]]
    rows = [
        {
            "month": str(m),
            "invested": _num(row["invested"]),
            "ytd": _num(row["ytd"]),
            "planned": _num(row["annual_plan"] * row["schedule_pct"] / 100.0),
            "completion_pct": _num(row["completion_pct"]),
            "schedule_pct": _num(row["schedule_pct"]),
            "lag_pp": _num(row["lag_pp"]),
            "status": STATUS_LABELS.get(str(row["status"]), row["status"]),
        }
        for m, row in series.iterrows()
    ]
    last = str(series.index[-1])
    upto = reports[reports["month"] <= last]
    table = progress(registry, upto, last)
    warning = alerts.evaluate(board.RULES, table, registry=registry, reports=upto, month=last)
    row = warning.iloc[0]
    latest = {
        "month": last,
        "colour": str(row["colour"]),
        "label": COLOUR_LABELS[str(row["colour"])],
        "reason": _reason(row),
    }
    return rows, latest


@login_required
def project_page(request: HttpRequest, code: str) -> HttpResponse:
    """A project's page: the registry's fields, its months against 序时进度 (a chart), its
    reports with their status, the photos, its issues and the form to raise one."""
    found = get_object_or_404(Project.objects.select_related("unit"), code=code)
    require_see(request.user, found)
    facts = [
        {"title": title, "facts": [_fact(found, n) for n in names]}
        for title, names in FACTS.values()
    ]
    series, latest = _series(found)
    reports = list(found.reports.select_related("month").order_by("-month__month"))
    photos = list(
        Photo.objects.filter(report__project=found)
        .select_related("report__month")
        .order_by("-report__month__month", "uploaded_at")
    )
    open_month = (
        DispatchMonth.objects.filter(status=DispatchMonth.Status.OPEN).order_by("-month").first()
    )
    context = {
        "project": found,
        "facts": facts,
        "series": series,
        "latest": latest,
        "series_year": series[-1]["month"][:4] if series else "",
        "chart": {
            "months": [r["month"] for r in series],
            "invested": [r["invested"] for r in series],
            "ytd": [r["ytd"] for r in series],
            "planned": [r["planned"] for r in series],
        },
        "reports": reports,
        "photos": photos,
        "issues": list(found.issues.all()),
        "kinds": Issue.Kind.choices,
        "can_raise": can_see(request.user, found),
        "report_month": open_month if open_month and can_report(request.user, found) else None,
        "reviewer": is_reviewer(request.user),
        "results_month": board.latest_month(request.user),
    }
    return render(request, "projects/board_project.html", context)
