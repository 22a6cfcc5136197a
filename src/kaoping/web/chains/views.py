"""Pages of the industrial chains: the chains, a chain's panorama (产业链全景图) and a node's
page, the gap list (缺链清单), the signings (签约项目) by county with their 「三个一批」 rates,
a signing's page and form, the office's workbook import and strength rules.

Views are short: they read and change through :mod:`kaoping.web.chains.services` (which
checks rights) and show the problems it raises beside the fields or cells they name.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kaoping.chains.schema import ORIGINS, POSITIONS, STRENGTHS
from kaoping.errors import InputError, Problem
from kaoping.web.chains import frames, services
from kaoping.web.chains.models import Chain, Node, Signing, Target
from kaoping.web.collection.access import is_reviewer, require_reviewer, unit_id_of
from kaoping.web.collection.models import Unit
from kaoping.web.lang import lang, plain
from kaoping.web.workbooks import refused, xlsx_response


def _labels() -> dict[str, str]:
    return {
        "fulfilled": _("fulfilled (履约)"),
        "started": _("started (开工)"),
        "produced": _("in production (投产)"),
        "effective": _("at full effect (达效)"),
    }


def _county(request: HttpRequest) -> str:
    return request.GET.get("county", "").strip()


def _units() -> Any:
    return Unit.objects.order_by("code")


def _beside(problems: list[Problem]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in problems:
        out.setdefault(problem.where or "", []).append(plain(problem))
    return out


def _num(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


@login_required
def chain_list(request: HttpRequest) -> HttpResponse:
    """Each chain with its nodes, 缺失/薄弱 counts, enterprises and signings."""
    rows = services.chain_list(actor=request.user)
    return render(
        request, "chains/list.html", {"rows": rows, "reviewer": is_reviewer(request.user)}
    )


@login_required
def panorama(request: HttpRequest, code: str) -> HttpResponse:
    """A chain's panorama: the graph (上游 | 中游 | 下游) coloured by strength, sized by output,
    for the city or ``?county=``, and the same nodes as a table."""
    chain = get_object_or_404(Chain, code=code)
    data = services.panorama(actor=request.user, chain=chain, county=_county(request))
    english = lang() == "en"
    graph = {
        "nodes": [
            {
                "code": n["code"],
                "name": n["name"],
                "column": n["column"],
                "depth": n["depth"],
                "strength": STRENGTHS.index(n["strength"]),
                "output": n["output"],
                "enterprises": n["enterprises"],
                "above": n["above_scale"],
                "share": n["share_pct"],
                "reason": n["reason_en"] if english else n["reason_zh"],
                "url": reverse("chain-node", args=[n["code"]])
                + (f"?county={data['county']}" if data["county"] else ""),
            }
            for n in data["nodes"]
        ],
        "tree": data["tree"],
        "supply": data["supply"],
    }
    context = {
        "chain": chain,
        "data": data,
        "graph": graph,
        "positions": POSITIONS,
        "units": _units(),
        "reviewer": is_reviewer(request.user),
        "labels": {
            "strengths": [_("present (已有)"), _("weak (薄弱)"), _("missing (缺失)")],
            "positions": [_("upstream (上游)"), _("midstream (中游)"), _("downstream (下游)")],
            "enterprises": _("enterprises"),
            "above": _("above designated size"),
            "output": _("output (10k yuan)"),
            "share": _("share of the chain's output"),
            "supply": _("supplies"),
            "tree": _("part of"),
        },
    }
    return render(request, "chains/panorama.html", context)


@login_required
def node(request: HttpRequest, code: str) -> HttpResponse:
    """A node: its strength and reason, figures, enterprises (those the user may see), targets
    and signings with their projects' stages."""
    found = get_object_or_404(Node.objects.select_related("chain", "parent"), code=code)
    data = services.node_detail(actor=request.user, node=found, county=_county(request))
    stats = data["stats"]
    context = {
        "node": found,
        "data": data,
        "stats": stats,
        "share": _num(stats.get("share_pct")),
        "reason": stats["reason_en"] if lang() == "en" else stats["reason_zh"],
        "units": _units(),
        "reviewer": is_reviewer(request.user),
    }
    return render(request, "chains/node.html", context)


_GAP_HEADERS = {
    "chain_name": "产业链",
    "node": "环节编号",
    "name": "环节名称",
    "position": "上中下游",
    "strength": "强弱",
    "action": "举措",
    "reason_zh": "判定理由",
    "enterprises": "企业数",
    "output": "产值（万元）",
    "targets": "招商目标数",
    "target_names": "招商目标",
    "signings": "签约项目数",
    "signed_amount": "签约金额（万元）",
    "status": "招商进展",
}


@login_required
def gap_list(request: HttpRequest) -> HttpResponse:
    """The gap list of the city or ``?county=``, with where the work on each gap stands."""
    county = _county(request)
    frame = services.gap_list(actor=request.user, county=county)
    rows = [{"node": n, **r} for n, r in frame.to_dict("index").items()]
    english = lang() == "en"
    for row in rows:
        row["reason"] = row["reason_en"] if english else row["reason_zh"]
    context = {
        "rows": rows,
        "county": county,
        "units": _units(),
        "reviewer": is_reviewer(request.user),
    }
    return render(request, "chains/gaps.html", context)


@login_required
def gap_export(request: HttpRequest) -> HttpResponse:
    """The gap list as xlsx (the sheet's own Chinese headers, as the city files it)."""
    from kaoping.chains.sheets import write_tables

    county = _county(request)
    frame = services.gap_list(actor=request.user, county=county).reset_index()
    frame = frame[list(_GAP_HEADERS)]
    title = f"缺链清单（{county}）" if county else "缺链清单（全市）"
    content = write_tables({"缺链清单": frame}, title=title, headers=_GAP_HEADERS)
    return xlsx_response(content, f"缺链清单-{county or '全市'}.xlsx")


_SUMMARY_HEADERS = {
    "county": "县区代码",
    "name": "县（市、区）",
    "projects": "签约项目数",
    "amount": "签约金额（万元）",
    "projects_pct": "项目数占全市（%）",
    "amount_pct": "金额占全市（%）",
    "foreign": "省外境外项目数",
    "fulfilment_pct": "签约项目履约率（%）",
    "start_pct": "履约项目开工率（%）",
    "production_pct": "开工项目投产率（%）",
    "effect_pct": "投产项目达效率（%）",
}
_LIST_HEADERS = {
    "project": "项目编号",
    "name": "项目名称",
    "county": "县区代码",
    "investor": "投资方",
    "origin": "投资方来源",
    "amount": "签约金额（万元）",
    "signed_on": "签约时间",
    "node": "环节编号",
    "stage": "建设阶段",
}


def _summary(request: HttpRequest) -> dict[str, Any]:
    today = timezone.localdate()
    summary = services.signings_summary(actor=request.user, as_of=today)
    table = summary["rows"]
    rows = [{"county": c, **r} for c, r in table.to_dict("index").items()] if len(table) else []
    for row in rows:
        for key, value in list(row.items()):
            if isinstance(value, float) and math.isnan(value):
                row[key] = None
    return {**summary, "table_rows": rows, "today": today}


@login_required
def signing_list(request: HttpRequest) -> HttpResponse:
    """The signings by county with their shares and rates, the 县(市)' combined share, and
    the list of those the user may see; the form's link for who may record."""
    summary = _summary(request)
    signings = services.signings_visible_to(request.user).order_by("-signed_on", "project__code")
    context = {
        **summary,
        "signings": signings,
        "may_list": services.can_see_enterprises(request.user),
        "may_record": services.may_record(request.user),
        "reviewer": is_reviewer(request.user),
    }
    return render(request, "chains/signings.html", context)


@login_required
def signing_export(request: HttpRequest) -> HttpResponse:
    """The signings by county (and, for who may see them, the list) as xlsx."""
    from kaoping.chains.sheets import write_tables

    summary = _summary(request)
    table = summary["rows"]
    tables: dict[str, pd.DataFrame] = {}
    if len(table):
        tables["按县区"] = table.reset_index()[
            [c for c in _SUMMARY_HEADERS if c in table.reset_index()]
        ]
    rows = [
        {
            "project": s.project.code,
            "name": s.project.name,
            "county": s.county.code,
            "investor": s.investor,
            "origin": s.origin,
            "amount": s.amount,
            "signed_on": s.signed_on,
            "node": s.node.code if s.node else "",
            "stage": s.project.stage,
        }
        for s in services.signings_visible_to(request.user)
    ]
    if services.can_see_enterprises(request.user):
        tables["签约项目"] = pd.DataFrame(rows, columns=list(_LIST_HEADERS))
    if not tables:
        tables["按县区"] = pd.DataFrame(columns=list(_SUMMARY_HEADERS))
    content = write_tables(tables, title="签约项目", headers={**_SUMMARY_HEADERS, **_LIST_HEADERS})
    return xlsx_response(content, f"签约项目-{summary['today'].isoformat()}.xlsx")


_FIELDS = (
    "code",
    "name",
    "investor",
    "origin",
    "amount",
    "signed_on",
    "county",
    "node",
    "park",
    "target",
    "batch",
    "note",
)


@login_required
@require_http_methods(["GET", "POST"])
def signing_new(request: HttpRequest) -> HttpResponse:
    """The form of a new signing (GET) and recording it (POST): the office for any county, a
    county for its own."""
    if not services.may_record(request.user):
        raise Http404
    own = unit_id_of(request.user)
    entered = {k: request.POST.get(k, "").strip() for k in _FIELDS}
    if own is not None:
        entered["county"] = Unit.objects.get(pk=own).code
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            signing = services.signing_record(actor=request.user, **entered)
        except InputError as error:
            problems = list(error)
            messages.error(
                request, _("The signing was not recorded: correct what is marked below.")
            )
        else:
            messages.success(
                request, _("The signing was recorded; its project is in the registry.")
            )
            return redirect("signing", code=signing.project.code)
    counties = _units() if own is None else Unit.objects.filter(pk=own)
    context = {
        "entered": entered,
        "problems": _beside(problems),
        "counties": counties,
        "origins": ORIGINS,
        "nodes": Node.objects.select_related("chain").order_by("chain__code", "order"),
        "targets": Target.objects.select_related("node").order_by("code"),
    }
    return render(request, "chains/signing_form.html", context)


def _signing(request: HttpRequest, code: str) -> Signing:
    found = services.signings_visible_to(request.user).filter(project__code=code).first()
    if found is None:
        services.require_chains(request.user)
        raise Http404
    return found


@login_required
def signing(request: HttpRequest, code: str) -> HttpResponse:
    """A signing: its project, the dates of its life and the form of its next stage."""
    found = _signing(request, code)
    labels = _labels()
    project = found.project
    life = [(labels[stage], getattr(project, field)) for stage, field in services.STAGES]
    following = services.next_stage(found)
    context = {
        "signing": found,
        "project": project,
        "life": life,
        "next": following,
        "next_label": labels.get(following or "", ""),
        "may_advance": services.may_record(request.user, found.county) and following is not None,
        "today": timezone.localdate(),
        "problems": {},
    }
    return render(request, "chains/signing.html", context)


@login_required
@require_POST
def signing_advance(request: HttpRequest, code: str) -> HttpResponse:
    found = _signing(request, code)
    try:
        services.signing_advance(
            actor=request.user,
            signing=found,
            stage=request.POST.get("stage", ""),
            on=request.POST.get("on", ""),
        )
    except InputError as error:
        for text in _beside(list(error)).values():
            for line in text:
                messages.error(request, line)
    else:
        messages.success(request, _("The stage was recorded on the project."))
    return redirect("signing", code=code)


@login_required
@require_http_methods(["GET", "POST"])
def book_import(request: HttpRequest) -> HttpResponse:
    """The office's page: upload the chain workbook (every problem by cell, nothing stored on
    error), download it or the empty template."""
    require_reviewer(request.user)
    file_problems: list[str] = []
    done: dict[str, Any] | None = None
    if request.method == "POST":
        file = request.FILES.get("file")
        if (why := refused(file)) is not None:
            messages.error(request, why)
        else:
            try:
                done = services.book_import(
                    actor=request.user, file=file, name=file.name or "chains.xlsx"
                )
            except InputError as error:
                messages.error(request, _("Nothing was changed: correct the cells listed below."))
                file_problems = [p.message(lang()) for p in error]
            else:
                messages.success(request, _("The workbook was imported."))
    context = {"file_problems": file_problems, "done": done, "chains": Chain.objects.count()}
    return render(request, "chains/import.html", context)


@login_required
def book_export(request: HttpRequest) -> HttpResponse:
    """The chain workbook of everything stored; ``?template=1``: the empty workbook."""
    if request.GET.get("template"):
        return xlsx_response(
            services.book_export(actor=request.user, empty=True), "产业链-空表.xlsx"
        )
    content = services.book_export(actor=request.user)
    return xlsx_response(content, f"产业链-{timezone.localdate().isoformat()}.xlsx")


def _rule_values(post: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in ("missing_below", "weak_below"):
        raw = post.get(name, "").strip()
        values[name] = int(raw) if raw.lstrip("-").isdigit() else raw
    share = post.get("weak_share_pct", "").strip()
    try:
        values["weak_share_pct"] = float(share) if share else None
    except ValueError:
        values["weak_share_pct"] = share
    values["weak_without_above_scale"] = post.get("weak_without_above_scale") == "on"
    return values


@login_required
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    """The office's strength rules: what makes a node 缺失 or 薄弱."""
    require_reviewer(request.user)
    problems: list[Problem] = []
    if request.method == "POST":
        try:
            services.rules_update(actor=request.user, **_rule_values(request.POST))
        except InputError as error:
            problems = list(error)
            messages.error(request, _("The rules were not changed: correct what is marked below."))
        else:
            messages.success(request, _("The rules were saved; every page judges by them now."))
            return redirect("chains-rules")
    current = frames.rules()
    context = {"rules": current, "problems": _beside(problems)}
    return render(request, "chains/rules.html", context)
