"""The analyst's methodologies pages: the bundled and uploaded methodologies (考核办法), one's
indicator tree and YAML text, and adding a new one (checked by the engine: every problem with
its line, nothing stored)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kaoping.errors import InputError
from kaoping.web.collection import access
from kaoping.web.collection.methodologies import available, methodology_add
from kaoping.web.collection.models import Period, StoredMethodology
from kaoping.web.lang import lang

# kaoping.methodology (pydantic) is imported where it is used: management commands start
# without it.
if TYPE_CHECKING:
    from kaoping.methodology import Methodology

MAX_TEXT = 1024 * 1024  # a methodology is a few KB of YAML


def _text(request: HttpRequest) -> tuple[str, list[str]]:
    """The YAML of the form: the uploaded file when there is one, else the text box."""
    upload = request.FILES.get("file")
    if upload is None or not upload.size:
        return request.POST.get("text", ""), []
    if upload.size > MAX_TEXT:
        return "", [_("The file is larger than 1 MB: a methodology is a few KB of YAML.")]
    try:
        return upload.read().decode("utf-8-sig"), []
    except UnicodeDecodeError:
        return "", [_("The file is not UTF-8 text: save the YAML as UTF-8 and upload it again.")]


@login_required
@require_http_methods(["GET", "POST"])
def methodologies(request: HttpRequest) -> HttpResponse:
    """Every methodology a period may use, and the form that adds one."""
    access.require_reviewer(request.user)
    problems: list[str] = []
    entered = {"key": "", "text": ""}
    if request.method == "POST":
        text, problems = _text(request)
        entered = {"key": request.POST.get("key", ""), "text": request.POST.get("text", "")}
        if not problems:
            try:
                stored = methodology_add(actor=request.user, key=entered["key"], text=text)
            except InputError as error:
                problems = [p.message(lang()) for p in error]
            else:
                messages.success(
                    request,
                    _("Methodology %(key)s was added; a new period may now use it.")
                    % {"key": stored.key},
                )
                return redirect("methodology", key=stored.key)
        messages.error(request, _("Nothing was added: correct the problems listed below."))
    used: dict[str, list[str]] = {}
    for code, key in Period.objects.order_by("code").values_list("code", "methodology"):
        used.setdefault(key, []).append(code)
    stored = {s.key: s for s in StoredMethodology.objects.select_related("uploaded_by")}
    rows = [
        {"key": key, "methodology": m, "stored": stored.get(key), "used": used.get(key, [])}
        for key, m in available().items()
    ]
    context = {"rows": rows, "problems": problems, "entered": entered}
    return render(request, "collection/methodologies.html", context)


def _tree(methodology: Methodology) -> list[dict[str, Any]]:
    """The dimensions depth-first, each with its depth and its own indicators (with their
    direction in the interface's language: 正向, or positive)."""
    from kaoping.methodology import DIRECTIONS
    from kaoping.methodology.plausibility import limits

    english = lang() == "en"
    depth: dict[str, int] = {}
    rows = []
    for node in methodology.nodes():
        parent = methodology.parent_of(node.id)
        depth[node.id] = 0 if parent is None else depth[parent.id] + 1
        indicators = [
            {
                "indicator": i,
                "direction": i.direction if english else DIRECTIONS[i.direction],
                "rules": limits(methodology, i).describe(i.unit)[1 if english else 0],
            }
            for i in node.indicators
        ]
        rows.append({"node": node, "depth": depth[node.id], "indicators": indicators})
    return rows


def _missing_policy(methodology: Methodology) -> str:
    """What the methodology does with a figure not given, in the page's language."""
    from kaoping.methodology import MISSING_METHODS

    if methodology.official is not None:
        if methodology.official.missing == "zero":
            return _(
                "An official methodology never imputes: a figure not given scores 0 (未报送不得分)."
            )
        return _("An official methodology never imputes: a figure not given stops the computation.")
    method = methodology.missing.method
    if method == "error":
        return _("A figure not given stops the computation: every figure must be given.")
    if method == "skip":
        return _(
            "A figure not given is left out and the unit's weights are rescaled over the figures "
            "it has; the ranking marks the unit 缺."
        )
    return _(
        "A figure not given is estimated (%(method)s: %(gloss)s); the ranking marks the unit 估 "
        "and says which figure and how."
    ) % {"method": method, "gloss": MISSING_METHODS[method]}


@login_required
def methodology(request: HttpRequest, key: str) -> HttpResponse:
    """One methodology: its settings, indicator tree and YAML text (``?format=yaml`` to
    download it)."""
    from kaoping.methodology import bundled

    access.require_reviewer(request.user)
    stored = StoredMethodology.objects.filter(key=key).first()
    found = available().get(key)
    if found is None:
        raise Http404(_("There is no such methodology."))
    text = stored.text if stored is not None else bundled()[key].read_text(encoding="utf-8")
    if request.GET.get("format") == "yaml":
        response = HttpResponse(text, content_type="application/yaml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{key}.yaml"'
        return response
    context = {
        "key": key,
        "methodology": found,
        "missing_policy": _missing_policy(found),
        "checks": [
            {"name": (c.name_en or c.name) if lang() == "en" else c.name, "check": c}
            for c in found.plausibility.checks
        ],
        "stored": stored,
        "tree": _tree(found),
        "text": text,
        "periods": Period.objects.filter(methodology=key).order_by("code"),
    }
    return render(request, "collection/methodology.html", context)
