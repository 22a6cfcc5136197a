"""What the leaders' screen (大屏) of an assessment shows: the map by tier, the top ten, the
biggest movers, the first of each category, the awards, the city's own units, and the latest
published month of the key-project dispatch (重点项目月调度).

Every figure is one the other pages show: the rows of :func:`pages.rows` (rank, score, tier
and the rank change against the previous period's published ranking, as the league table
counts it), the map's data of :func:`pages.county_map`, the awards of :func:`scoring.awards`,
and for the dispatch :class:`kaoping.web.projects.board.MonthResults` with the engine's
measures (:func:`kaoping.dispatch.rankings.county_measures`, the city's projects taken as one
county).  The assessment's part is kept like the other results pages (:func:`pages.cached`):
a published assessment's, per language, previous ranking and city.

The city is a code prefix (``4108``: 焦作市): the page's ``?city=`` when it is four digits,
else the platform's city as the parks' league has it (:func:`kaoping.web.parks.ratings.
city_prefix`: the first four digits most units share; 焦作 when there are none).
"""

from __future__ import annotations

import math
import re
from typing import Any

from kaoping.web.collection.access import role_of
from kaoping.web.collection.models import Role
from kaoping.web.lang import lang
from kaoping.web.results import pages, scoring
from kaoping.web.results.models import Assessment
from kaoping.web.results.profile import frozen_methodology

__all__ = ["CITIES_EN", "MOVERS", "TOP", "city_label", "city_of", "dispatch_headline", "screen"]

TOP = 10
"""The top ten: the units ranked 1 to 10 (more where units tie for 10th)."""
MOVERS = 5
"""The units that climbed most, and those that fell most, shown each."""
CITY_ROWS = 12
"""The city's units listed at most (the screen's height; a longer list says how many more)."""
RUNNERS = 2
"""The units after the first of a category, listed when there are at most three categories."""
LEADERS = 3
"""The counties first by 投资完成率 in the dispatch's panel."""

CITIES_EN = {
    "4101": "Zhengzhou", "4102": "Kaifeng", "4103": "Luoyang", "4104": "Pingdingshan",
    "4105": "Anyang", "4106": "Hebi", "4107": "Xinxiang", "4108": "Jiaozuo", "4109": "Puyang",
    "4110": "Xuchang", "4111": "Luohe", "4112": "Sanmenxia", "4113": "Nanyang",
    "4114": "Shangqiu", "4115": "Xinyang", "4116": "Zhoukou", "4117": "Zhumadian",
    "4190": "Jiyuan",
}  # fmt: skip
"""Henan's cities in English by their code prefix (the divisions table names them in Chinese
only; 4190: the province's directly administered 济源)."""


def city_of(raw: str | None) -> str:
    """The city of the page: ``raw`` (``?city=``) when it is a four-digit prefix, else the
    platform's (see the module docstring)."""
    if raw and re.fullmatch(r"[0-9]{4}", raw):
        return raw
    from kaoping.web.parks.ratings import city_prefix

    return city_prefix()


def city_label(prefix: str) -> str:
    """The city's name in the page's language (焦作市 / Jiaozuo); the prefix for a city the
    divisions do not know."""
    if lang() == "en":
        return CITIES_EN.get(prefix, prefix)
    from kaoping.web.parks.ratings import city_name

    return city_name(prefix)


def _row(record: dict[str, Any], tiers: list[str], city: str) -> dict[str, Any]:
    """A row of :func:`pages.rows` as the screen lists it."""
    tier = record.get("tier")
    return {
        "code": record["unit"],
        "name": record["shown"],
        "rank": record.get("rank"),
        "score": record.get("score"),
        "category": record.get("category") or "",
        "tier": record["tier_shown"],
        "tier_index": tiers.index(tier) if tier else None,
        "change": record["change"],
        "mine": record["unit"].startswith(city),
    }


def _categories(assessment: Assessment, ranked: list[dict[str, Any]]) -> list[str]:
    """The categories of the ranked units: an official methodology's in its order, then any
    other by name."""
    spec = frozen_methodology(assessment).official
    given = [c for c in (spec.categories if spec is not None else ()) if c]
    present = {r["category"] for r in ranked if r["category"]}
    return [c for c in given if c in present] + sorted(present - set(given))


def screen(assessment: Assessment, previous: Assessment | None, *, city: str) -> dict[str, Any]:
    """The screen's part of ``assessment`` (ranked against ``previous``, the last published
    ranking of the period before, or None) with the units of ``city`` (a code prefix) marked
    ``mine``:

    - ``title``, ``period``, ``draft`` (not published: the screen says so), ``official``;
    - ``ranked``; ``untiered``: how many ranked units have no tier (vetoed, 一票否决);
    - ``top``: the rows ranked 1 to :data:`TOP`, in rank order;
    - ``up`` / ``down``: the :data:`MOVERS` rows with the largest rank change up / down
      (largest first, ties by rank); ``compared``: the previous period's label, or "" when
      there is none to compare with (no movers);
    - ``categories``: per category (an official methodology's order), its first (``units``:
      more than one when tied), the :data:`RUNNERS` after it (``next``, when there are at most
      three categories) and how many units it ranks (``count``);
    - ``awards``: per award of an official methodology, its name, kind, n and units;
    - ``city``: ``prefix``, ``name``, ``units`` (its ranked rows, at most
      :data:`CITY_ROWS`), ``more`` (how many beyond them), ``ranked``, ``top`` (in the top
      ten) and ``first`` (in the first tier, named ``first_tier``);
    - ``map``: :func:`pages.county_map`'s data with ``city``, for the script.

    A row: ``code``, ``name``, ``rank``, ``score``, ``category``, ``tier`` (as shown),
    ``tier_index`` (its colour), ``change`` (places up; None without a comparison), ``mine``.
    """

    def build() -> dict[str, Any]:
        records = pages.rows(assessment, previous)
        tiers = pages.tiers_of(records)
        rows = [_row(r, tiers, city) for r in records]
        ranked = [r for r in rows if r["rank"] is not None]
        methodology = frozen_methodology(assessment)
        english = lang() == "en"
        title = (methodology.name_en or methodology.name) if english else methodology.name
        moved = [r for r in ranked if r["change"]] if previous is not None else []
        up = sorted((r for r in moved if r["change"] > 0), key=lambda r: (-r["change"], r["rank"]))
        down = sorted((r for r in moved if r["change"] < 0), key=lambda r: (r["change"], r["rank"]))
        categories = []
        names = _categories(assessment, ranked)
        for name in names:
            members = [r for r in ranked if r["category"] == name]  # in rank order
            best = members[0]["rank"]
            first = [r for r in members if r["rank"] == best]
            # the next ones beside the first while the screen has room for them
            after = members[len(first) : len(first) + RUNNERS] if len(names) <= 3 else []
            categories.append({"name": name, "units": first, "next": after, "count": len(members)})
        awards: list[dict[str, Any]] = []
        if methodology.official is not None:
            shown = {r["code"]: r["name"] for r in rows}
            for award in scoring.awards(assessment, shown)["awards"]:
                units = [
                    {
                        "code": u["unit"],
                        "name": u["shown"],
                        "mine": u["unit"].startswith(city),
                        "rank": u.get("rank"),
                    }
                    for u in award["units"]
                ]
                awards.append(
                    {**{k: award[k] for k in ("id", "name", "kind", "n")}, "units": units}
                )
        mine = [r for r in ranked if r["mine"]]
        first_tier = methodology.tiers[0].name if methodology.tiers else ""
        first_shown = pages.tier_names(assessment).get(first_tier, first_tier)
        return {
            "title": title,
            "period": assessment.period.code,
            "period_label": pages.period_label(assessment.period.code),
            "draft": assessment.status != Assessment.Status.PUBLISHED,
            "official": methodology.official is not None,
            "ranked": len(ranked),
            # ranked, but in no tier (一票否决: kept in the ranking, not in a tier)
            "untiered": sum(1 for r in ranked if r["tier_index"] is None),
            "top": [r for r in ranked if r["rank"] <= TOP],
            "up": up[:MOVERS],
            "down": down[:MOVERS],
            "compared": pages.period_label(previous.period.code) if previous is not None else "",
            "categories": categories,
            "awards": awards,
            "city": {
                "prefix": city,
                "name": city_label(city),
                "units": mine[:CITY_ROWS],
                "more": max(0, len(mine) - CITY_ROWS),
                "ranked": len(mine),
                "top": sum(1 for r in mine if r["rank"] <= TOP),
                "first": sum(
                    1
                    for r in records
                    if r["unit"].startswith(city)
                    and r.get("rank") is not None
                    and r.get("tier") == first_tier
                ),
                "first_tier": first_shown,
            },
            "map": {**pages.county_map(assessment), "city": city},
        }

    parts = (previous.pk if previous is not None else None, city)
    return pages.cached(assessment, "screen", parts, build)


def _num(value: Any) -> float | None:
    """A figure for the page: None for a missing one (NaN)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def dispatch_headline(user: Any, *, city: str) -> dict[str, Any] | None:
    """The key projects' headline of the latest published (closed) dispatch month: ``month``,
    ``projects``, ``start_rate`` (开工率) with ``planned_starts``, ``completion_pct``
    (投资完成率) of the annual plan (``annual_plan``, ``ytd``, 万元; ``plan_yi``, ``ytd_yi``,
    亿元), both measures' names
    (``start_label``, ``completion_label``: the engine's), the projects by status
    (``statuses``: ``key``, ``label``, ``n``, as the board counts them), the red, yellow and
    green warnings, and the :data:`LEADERS` counties first by 投资完成率 (``leaders``: ``code``,
    ``name``, ``rank``, ``value``, ``mine`` in ``city``).

    Every project's, as the board shows the published months to the office, viewers and
    departments; None for a county (its board shows its own projects only), when no month is
    closed, or when the month has no project."""
    if role_of(user) in (Role.COUNTY, Role.OWNER):
        return None
    from kaoping.web.projects.models import DispatchMonth, Project

    month = (
        DispatchMonth.objects.filter(status=DispatchMonth.Status.CLOSED).order_by("-month").first()
    )
    if month is None:
        return None
    from kaoping.dispatch.rankings import MEASURES, county_measures
    from kaoping.web.projects import board
    from kaoping.web.projects.board_views import STATUS_LABELS

    results = board.month_results(month.month, Project.objects.all())
    table = results.table
    if table.empty:
        return None
    # the city's projects as one county: the engine's rates of sums, as the ranking's
    whole = county_measures(
        results.registry.assign(county="all"), table.assign(county="all"), month.month
    ).iloc[0]
    colours = results.colour_counts()
    _, ranked = results.ranking()
    order = sorted(
        (c for c in ranked.index if not math.isnan(ranked.at[c, "completion_pct_rank"])),
        key=lambda c: (ranked.at[c, "completion_pct_rank"], c),
    )
    leaders = [
        {
            "code": str(code),
            "name": results.names.get(str(code), str(code)),
            "rank": int(ranked.at[code, "completion_pct_rank"]),
            "value": _num(ranked.at[code, "completion_pct"]),
            "mine": str(code).startswith(city),
        }
        for code in order[:LEADERS]
    ]
    english = lang() == "en"
    if english:
        names = _english_names([c["code"] for c in leaders])
        for leader in leaders:
            leader["name"] = names.get(leader["code"]) or leader["name"]
    label = {key: en if english else zh for key, (zh, en) in MEASURES.items()}
    return {
        "month": month.month,
        "start_label": label["start_rate"],
        "completion_label": label["completion_pct"],
        "projects": len(table),
        "start_rate": _num(whole["start_rate"]),
        "planned_starts": int(whole["planned_starts"]),
        "completion_pct": _num(whole["completion_pct"]),
        "annual_plan": _num(whole["annual_plan"]),
        "ytd": _num(whole["ytd"]),
        # in 亿元 for the headline, as the board writes the special bonds
        "plan_yi": _yi(whole["annual_plan"]),
        "ytd_yi": _yi(whole["ytd"]),
        "statuses": [
            {"key": key, "label": str(STATUS_LABELS[key]), "n": n}
            for key, n in results.status_counts().items()
        ],
        "red": colours["red"],
        "yellow": colours["yellow"],
        "green": colours["green"],
        "leaders": leaders,
    }


def _yi(wan: Any) -> float | None:
    """万元 in 亿元, to one decimal (None for a missing figure)."""
    number = _num(wan)
    return None if number is None else round(number / 10_000, 1)


def _english_names(codes: list[str]) -> dict[str, str]:
    from kaoping.web.collection.models import Unit

    return dict(
        Unit.objects.filter(code__in=codes).exclude(name_en="").values_list("code", "name_en")
    )
