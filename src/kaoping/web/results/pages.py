"""What the results pages show that is the same for every reader, built once per published
assessment.

A published assessment never changes: its league table (per language, sort and category),
its map, each county's profile and its exports are built on the first request and kept in
the ``pages`` cache (``settings.CACHES``), keyed by the assessment's id and inputs hash, the
page's language and whatever else the part depends on: the published ranking of the previous
period that the rank change is counted against, the assessments of a profile's trend.  What
varies per reader -- the header with the user's name and CSRF token, the period selector,
the reviewer's actions, a county's objections and its own profile link while a ranking is
only announced -- is rendered per request around the cached part, which carries none of it.
An assessment that is not published is never cached: its figures may still change.  Every
key also holds a digest of the code that renders the parts (:func:`code_version`), so that a
new version of the platform never serves what the previous one rendered.

Where a page has nothing of its reader's but the header, the whole page is kept
(:func:`whole`): rendered once with stand-ins for the user name and the CSRF token, which
each request then fills in.  Its key adds the header's links (they follow the reader's role
and the periods open), the period selector and the path with its query, so that two readers
share a page only where they would have been shown the same one.

English names of units (``Unit.name_en``) are not frozen with an assessment: the units admin
clears the cache when a unit changes (:func:`forget`).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from kaoping.web.collection.models import Unit
from kaoping.web.lang import lang
from kaoping.web.results import scoring
from kaoping.web.results.models import Assessment
from kaoping.web.results.profile import frozen_methodology
from kaoping.web.results.profile import profile as profile_of

CACHE = "pages"
"""The cache alias (see ``CACHES`` in :mod:`kaoping.web.settings`)."""
HERE = Path(__file__).parent


@functools.cache
def code_version() -> str:
    """A digest of what turns an assessment into the kept parts and pages: kaoping's version,
    the platform's templates (the header's too), the modules that build the pages and their
    context, the workbook's and the documents' writers, the compiled translations and the
    static files' manifest (a kept page names the hashed CSS and scripts of its version).
    Part of every key, so that an upgrade never serves what the previous code rendered (the
    cache folder outlives the server)."""
    import kaoping

    web = HERE.parent
    digest = hashlib.sha256(kaoping.__version__.encode())
    files = [
        *sorted(web.rglob("templates/**/*.html")),
        *sorted(HERE.glob("*.py")),
        *(web / name for name in ("context.py", "lang.py", "urls.py")),
        web.parent / "assess" / "excel.py",  # the workbook's writer
        *sorted((web.parent / "report").rglob("*.py")),  # the 通报 and the report's writers
        web.parent / "analysis" / "obstacle.py",  # the profile's obstacles
        web.parent / "methods" / "obstacle.py",
        *sorted((web.parent / "report").rglob("*.mo")),
        *sorted((web.parent / "report").rglob("templates/*")),
        *sorted((web / "locale").glob("*/LC_MESSAGES/django.mo")),
    ]
    root = getattr(settings, "STATIC_ROOT", None)
    if root:
        files.append(Path(root) / "staticfiles.json")
    for file in files:
        if file.is_file():
            digest.update(str(file.relative_to(file.anchor)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


SORTS = ("rank", "score", "unit", "name", "category")


def cached[T](
    assessment: Assessment, kind: str, parts: tuple[Any, ...], build: Callable[[], T]
) -> T:
    """``build()``, kept for the published ``assessment`` under ``kind``, the page's language
    and ``parts`` (everything else the value depends on); built afresh for any other."""
    if assessment.status != Assessment.Status.PUBLISHED:
        return build()
    fields = [code_version(), kind, str(assessment.pk), assessment.inputs_hash, lang()]
    text = "\x1f".join([*fields, *map(str, parts)])
    key = f"kaoping:{kind}:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"
    store = caches[CACHE]
    found: T | None = store.get(key)
    if found is None:
        found = build()
        store.set(key, found)
    return found


USER = "\ue000kaoping-user\ue000"
TOKEN = "\ue000kaoping-csrf\ue000"
"""The stand-ins of a kept page for the reader's user name and CSRF token (characters of
Unicode's private use area, which no page shows otherwise)."""


class _Reader:
    """The ``user`` of a page rendered to be kept: logged in, named by the stand-in."""

    is_authenticated = True
    username = USER

    def get_username(self) -> str:
        return USER


def whole(
    request: HttpRequest,
    assessment: Assessment,
    kind: str,
    parts: tuple[Any, ...],
    render: Callable[[dict[str, Any]], HttpResponse],
    query: Callable[[str], Collection[str]],
) -> HttpResponse:
    """The page of the published ``assessment``: ``render(overrides)`` (the page's response,
    its context updated with ``overrides``), kept under ``kind``, ``parts`` (what else the
    page shows that is not the same for every reader: the period selector ...), the header's
    links and the path.  Kept only for a query the page itself would write: every parameter
    once, each with a value that ``query(name)`` lists (none for a parameter the page does
    not take), so that odd queries cannot fill the cache with copies of one page.  Built
    afresh for an assessment not published, another query, or a message to show."""
    from kaoping.web.context import links

    if (
        assessment.status != Assessment.Status.PUBLISHED
        or any(len(v) != 1 or v[0] not in query(k) for k, v in request.GET.lists())
        or len(messages.get_messages(request))
    ):
        return render({})
    nav = links(request)
    header = tuple(sorted(nav.items()))

    def build() -> str:
        response = render({"user": _Reader(), "csrf_token": TOKEN, "nav": nav})
        return str(response.content.decode(response.charset))

    page = cached(assessment, kind, (request.get_full_path(), header, *parts), build)
    name = escape(request.user.get_username())  # type: ignore[union-attr]
    return HttpResponse(page.replace(USER, name).replace(TOKEN, get_token(request)))


def forget() -> None:
    """Empty the cache (a unit's English name changed: every page may show it)."""
    caches[CACHE].clear()


def period_label(code: str) -> str:
    """A period in a sentence: ``2023 年`` on a Chinese page when the code is a year, else the
    code as it is (``2025-H1``)."""
    if code.isdigit() and len(code) == 4:
        return pgettext("a year in a sentence, e.g. 'since 2023'", "%(year)s") % {"year": code}
    return code


def unit_names(records: list[dict[str, Any]]) -> dict[str, str]:
    """Unit code -> the name to show: the English name on an English page where the unit has
    one, else the (Chinese) name frozen with the results."""
    english = (
        dict(Unit.objects.exclude(name_en="").values_list("code", "name_en"))
        if lang() == "en"
        else {}
    )
    return {r["unit"]: english.get(r["unit"]) or r.get("name") or r["unit"] for r in records}


def tier_names(assessment: Assessment) -> dict[str, str]:
    """Tier name -> the name to show (its ``name_en`` on an English page)."""
    tiers = frozen_methodology(assessment).tiers
    english = lang() == "en"
    return {t.name: (t.name_en or t.name) if english else t.name for t in tiers}


def tiers_of(records: list[dict[str, Any]]) -> list[str]:
    """The tiers present, best first (records come in rank order): the colours' order."""
    return list(dict.fromkeys(r["tier"] for r in records if r.get("tier")))


def indicator_names(assessment: Assessment) -> dict[str, str]:
    """Indicator id -> its name in the page's language, from the assessment's methodology."""
    methodology = frozen_methodology(assessment)
    english = lang() == "en"
    return {i.id: (i.name_en or i.name) if english else i.name for i in methodology.indicators}


def rows(assessment: Assessment, previous: Assessment | None) -> list[dict[str, Any]]:
    """The league table's rows in rank order: each record with ``change`` (places up since
    ``previous``; None without one), the names to show, ``tier_class`` and the marks of the
    figures not given (``gap``, ``gap_title``)."""
    from kaoping.assess.result import gap_mark

    records = [dict(r) for r in assessment.results]
    before = (
        {r["unit"]: r["rank"] for r in previous.results if r.get("rank") is not None}
        if previous is not None
        else {}
    )
    tiers = tiers_of(records)
    shown = unit_names(records)
    tier_shown = tier_names(assessment)
    names = indicator_names(assessment)
    english = lang() == "en"
    for row in records:
        old = before.get(row["unit"])
        row["change"] = None if old is None or row.get("rank") is None else old - row["rank"]
        row["shown"] = shown[row["unit"]]
        row["tier_shown"] = tier_shown.get(row.get("tier") or "", row.get("tier") or "")
        row["tier_class"] = f"tier-{tiers.index(row['tier'])}" if row.get("tier") else ""
        gaps = row.get("missing") or {}
        row["gap"] = "/".join(sorted({gap_mark(g) for g in gaps.values()}, reverse=True))
        row["gap_title"] = "；".join(
            f"{names.get(i, i)}（{gap_mark(g)}）：{g['en'] if english else g['zh']}"
            for i, g in gaps.items()
        )
    return records


def _sorted(records: list[dict[str, Any]], sort: str) -> list[dict[str, Any]]:
    def key(row: dict[str, Any]) -> tuple[int, Any]:  # missing values last; scores descending
        value = row.get(sort)
        if value is None:
            return (1, 0)
        return (0, -value if sort == "score" else value)

    return sorted(records, key=key)


def league(
    assessment: Assessment,
    previous: Assessment | None,
    *,
    sort: str,
    category: str,
    pinned: bool,
    linked: Callable[[str], bool],
) -> dict[str, Any]:
    """The league table's part that is the same for every reader: ``table`` (its HTML),
    ``ranked``, ``categories``, ``excluded``, ``estimated``, ``policy``, ``dimensions``.
    ``linked(code)``: whether the unit's name links to its profile (every unit's, once
    published); ``pinned``: the page names the assessment (``?assessment=``), so its sort
    links do too."""

    def build() -> dict[str, Any]:
        table = rows(assessment, previous)
        categories = sorted({r["category"] for r in table if r.get("category")})
        shown = [r for r in table if not category or r.get("category") == category]
        for row in shown:
            row["linked"] = linked(row["unit"])
        methodology = frozen_methodology(assessment)
        robust = any(r.get("robust") for r in table)
        first = methodology.tiers[0].name if methodology.tiers else ""
        first_tier = tier_names(assessment).get(first, first)
        official = methodology.official is not None
        ordered = _sorted(shown, sort)
        if official:  # points, bonus, penalty, veto (a footnote each, in the order shown) …
            scoring.league_rows(assessment, ordered)
        html = render_to_string(
            "results/_ranking_official.html" if official else "results/_ranking.html",
            {
                "assessment": assessment,
                "rows": ordered,
                "vetoed": [r for r in ordered if r.get("vetoed")],
                "sort": sort,
                "category": category,
                "pinned": pinned,
                "previous": previous,
                "previous_label": period_label(previous.period.code) if previous else "",
                "robust": robust,
                "first_tier": first_tier,
            },
        )
        return {
            "table": str(html),
            "ranked": len(table),
            "categories": categories,
            "excluded": assessment.excluded,
            "estimated": any(r.get("missing") for r in table),
            "robust": robust,
            "first_tier": first_tier,
            "samples": next((r["robust"]["samples"] for r in table if r.get("robust")), None),
            "policy": f"missing: {methodology.missing.method}",
            "official": official,
            "awards": bool(official and methodology.official.awards),
        }

    parts = (sort, category, pinned, previous.pk if previous is not None else None)
    return cached(assessment, "league", parts, build)


def categories(assessment: Assessment) -> list[str]:
    """The categories of the ranked units (kept: a kept page's query is checked against them
    without reading the results)."""

    def build() -> list[str]:
        return sorted({r["category"] for r in assessment.results if r.get("category")})

    return cached(assessment, "categories", (), build)


def _first_tier(assessment: Assessment, record: dict[str, Any]) -> dict[str, Any]:
    """The first tier's name as shown and the unit's chance of it in percent (the profile's
    robustness line)."""
    tiers = frozen_methodology(assessment).tiers
    first = tiers[0].name if tiers else ""
    share = (record.get("robust") or {}).get("p_first")
    return {
        "first_tier": tier_names(assessment).get(first, first),
        "first_pct": None if share is None else round(100 * share),
    }


def county_map(assessment: Assessment) -> dict[str, Any]:
    """The map's data: every unit's code, name (as shown), score, rank and tier (as shown),
    the tiers in order with their colour class and count, and the score range."""

    def build() -> dict[str, Any]:
        records = assessment.results
        shown = unit_names(records)
        tier_shown = tier_names(assessment)
        tiers = tiers_of(records)
        scores = [r["score"] for r in records if r.get("score") is not None]
        return {
            "tiers": [
                {
                    "name": tier_shown.get(t, t),
                    "index": i,
                    "count": sum(r.get("tier") == t for r in records),
                }
                for i, t in enumerate(tiers)
            ],
            "units": [
                {
                    "code": r["unit"],
                    "name": shown[r["unit"]],
                    "score": r.get("score"),
                    "rank": r.get("rank"),
                    "tier": tier_shown.get(r.get("tier") or "", r.get("tier")),
                    "tier_index": tiers.index(r["tier"]) if r.get("tier") else None,
                }
                for r in records
            ],
            "min": min(scores) if scores else None,
            "max": max(scores) if scores else None,
            # the names of the map's other units (not ranked) in English, where there is one
            "names": (
                dict(Unit.objects.exclude(name_en="").values_list("code", "name_en"))
                if lang() == "en"
                else {}
            ),
        }

    return cached(assessment, "map", (), build)


def profile(
    assessment: Assessment,
    code: str,
    history: Callable[[], list[Assessment]],
    trend: tuple[int, ...],
) -> dict[str, Any] | None:
    """The profile of unit ``code``: ``body`` (its HTML) and ``name`` (as shown); None if the
    unit is not in the ranking.  ``history()``: the published assessments of the trend,
    oldest first; ``trend``: their ids (part of the key: a period published again changes
    the trend)."""

    def build() -> dict[str, str] | None:
        if not any(r["unit"] == code for r in assessment.results):
            return None
        data = profile_of(assessment, code, history())
        record = dict(data["record"])
        record["shown"] = unit_names([record])[code]
        record["tier_shown"] = tier_names(assessment).get(record.get("tier") or "", "")
        official = scoring.detail(assessment, code) if scoring.is_official(assessment) else None
        hindrances = [] if official else obstacles(assessment).get(code, [])
        html = render_to_string(
            "results/_profile.html",
            {
                "assessment": assessment,
                **data,
                "record": record,
                "sep": ", " if lang() == "en" else "、",
                "official": official,
                "obstacles": hindrances,
                "english": lang() == "en",
                **_first_tier(assessment, record),
            },
        )
        return {"body": str(html), "name": record["shown"]}

    found = cached(assessment, "profile", (code, trend), build)
    if found is None:
        return None
    return {"body": mark_safe(found["body"]), "name": found["name"]}  # our template's output


OBSTACLES = 3  # the main obstacles (主要障碍因子) a profile names


def obstacles(assessment: Assessment) -> dict[str, list[dict[str, Any]]]:
    """Unit -> its main obstacles (主要障碍因子): the indicators that hold it back most, by the
    engine's obstacle degree on the frozen inputs (:func:`kaoping.analysis.obstacle.obstacles`),
    each with ``name`` (in the page's language), ``dimension`` and ``percent``; empty for an
    assessment stored without its inputs or one whose normalisation has no best value of 1
    (z-scores: the degree is not defined).  Computed once per assessment, for every unit."""

    def build() -> dict[str, list[dict[str, Any]]]:
        if not (assessment.inputs or {}).get("methodology"):
            return {}
        import warnings

        from kaoping.analysis.obstacle import obstacles as degrees
        from kaoping.errors import InputError, KaopingWarning
        from kaoping.web.results.services import result_of

        try:
            with warnings.catch_warnings():  # the assessment itself has said them
                warnings.simplefilter("ignore", KaopingWarning)
                found = degrees(result_of(assessment.inputs))
        except InputError:  # a normalisation without a best value: no obstacles to name
            return {}
        english = lang() == "en"
        methodology = frozen_methodology(assessment)
        names = {
            ind.id: (ind.name_en or ind.name) if english else ind.name
            for ind in methodology.indicators
        }
        dims = {d.id: (d.name_en or d.name) if english else d.name for d in methodology.nodes()}
        out: dict[str, list[dict[str, Any]]] = {}
        for row in found.top(OBSTACLES).itertuples(index=False):
            out.setdefault(str(row.unit), []).append(
                {
                    "name": names.get(row.indicator, row.indicator),
                    "dimension": dims.get(row.dimension, row.dimension),
                    "percent": round(100.0 * float(row.degree), 1),
                }
            )
        return out

    return cached(assessment, "obstacles", (), build)


def export(assessment: Assessment, previous: Assessment | None, fmt: str) -> bytes | None:
    """The xlsx workbook or the CSV of the ranking (see :mod:`kaoping.web.results.exports`);
    None for an assessment stored without its frozen inputs."""
    from kaoping.web.results import exports

    def build() -> bytes | None:
        if not (assessment.inputs or {}).get("methodology"):
            return None
        return exports.export(assessment, previous, fmt)

    parts: tuple[Any, ...] = (previous.pk if previous else None,)
    if fmt == "docx":  # the notice says the parks of the year once they are published
        parts += (exports.parks_state(assessment.period.code),)
    return cached(assessment, f"export-{fmt}", parts, build)


def card(assessment: Assessment, previous: Assessment | None, code: str) -> bytes | None:
    """A county's one-page card (PDF, see :func:`kaoping.web.results.exports.card`); None for
    an assessment stored without its inputs or a unit not in its ranking."""
    from kaoping.web.results import exports

    def build() -> bytes | None:
        if not (assessment.inputs or {}).get("methodology"):
            return None
        if code not in {r["unit"] for r in assessment.results or []}:
            return None
        return exports.card(assessment, previous, code)

    return cached(assessment, "card", (code, previous.pk if previous else None), build)


def awards(assessment: Assessment) -> dict[str, Any]:
    """The awards page's part that is the same for every reader: ``body`` (its HTML)."""

    def build() -> dict[str, str]:
        names = unit_names(assessment.results)
        data = scoring.awards(assessment, names)
        html = render_to_string("results/_awards.html", {"assessment": assessment, **data})
        return {"body": str(html)}

    found = cached(assessment, "awards", (), build)
    return {"body": mark_safe(found["body"])}  # our template's output


def margins(assessment: Assessment, code: str) -> dict[str, Any] | None:
    """The margins of unit ``code`` (see :func:`scoring.margin`): ``body`` (its HTML) and
    ``name``; None if the unit is not in the ranking."""

    def build() -> dict[str, str] | None:
        record = next((r for r in assessment.results if r["unit"] == code), None)
        if record is None:
            return None
        found = {goal: scoring.margin(assessment, code, goal) for goal in scoring.GOALS}
        record = {**record, "shown": unit_names([record])[code]}
        names = unit_names(assessment.results)
        view = scoring.margins_view(found)
        for goal in view["goals"]:
            if goal.get("holder"):
                goal["holder_shown"] = names.get(goal["holder"], goal["holder"])
        html = render_to_string(
            "results/_margins.html",
            {"assessment": assessment, "record": record, **view, "english": lang() == "en"},
        )
        return {"body": str(html), "name": record["shown"]}

    found = cached(assessment, "margins", (code,), build)
    if found is None:
        return None
    return {"body": mark_safe(found["body"]), "name": found["name"]}  # our template's output
