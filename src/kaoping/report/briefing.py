"""The briefing text (通报/新闻稿): the facts of a result worth saying, as sentences.

From a result (academic or official) and a point of view — the whole province, or the counties
of one city given by its code prefix (``"4108"``: Jiaozuo) — :func:`briefing` picks the facts a
city office would write by hand, in the register of a press briefing::

    在2024年全省县域经济高质量发展综合评价中，焦作市6个县（市）全部进入“第一方阵”（前30位）。
    修武县居重点生态功能区县（市）第5位，为焦作市同类县（市）中最高。

Every sentence comes whole from one template of the ``kaoping_report`` gettext catalogue
(English msgids with named placeholders; ``locale/zh_Hans/LC_MESSAGES/kaoping_report.po``),
with plural forms for counts and the list join (``博爱县、温县和沁阳市``) defined there too;
English is the msgids themselves.  Each sentence carries the :class:`Fact` s it states, so a test
(or a reader) can check every number against the result table.

Names the data gives only in Chinese (units, categories, awards) stay Chinese in English text.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from kaoping.assess.official_result import OfficialResult
from kaoping.assess.result import Result

__all__ = [
    "DOMAIN",
    "LOCALEDIR",
    "TEMPLATES",
    "Briefing",
    "Fact",
    "Sentence",
    "briefing",
    "parks_briefing",
    "projects_briefing",
    "tier_cutoff",
]

Lang = Literal["zh", "en"]
AnyResult = Result | OfficialResult

DOMAIN = "kaoping_report"
LOCALEDIR = Path(__file__).parent / "locale"

FactKind = Literal[
    "tier_count",  # tier (None: ranked but in no tier, e.g. vetoed), value = number of units
    "tier",  # a unit in a tier: unit, tier, rank
    "rank",  # a unit's overall rank: unit, rank, value = score
    "category_rank",  # a unit's rank in its category: unit, category, rank, value = score
    "rank_change",  # places moved on the previous period (+ up): unit, value, rank (now)
    "category_rank_change",  # the same within the category: unit, category, value, rank
    "award",  # unit, award
    "dimension_rank",  # unit, dimension, rank among the ranked units, value = dimension score
    "park_count",  # the city's parks in the province's top ``rank``: value = how many
    "park_rank",  # a park's rank in the province: unit (park code), name, rank, value = score
    "projects",  # the city's key projects: name = measure (projects, ytd, completion_pct,
    # started), value
]


@dataclass(frozen=True)
class Fact:
    """One number (or membership) a sentence states, as the result table has it."""

    kind: FactKind
    unit: str | None = None
    name: str | None = None
    category: str | None = None
    dimension: str | None = None
    tier: str | None = None
    award: str | None = None
    value: float | None = None
    rank: int | None = None


@dataclass(frozen=True)
class Sentence:
    """A rendered template: ``key`` names it in :data:`TEMPLATES`."""

    key: str
    text: str
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Briefing:
    """The sentences of one briefing, in reading order."""

    period: str
    lang: Lang
    city: str | None
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The sentences as one paragraph."""
        return ("" if self.lang == "zh" else " ").join(s.text for s in self.sentences)

    def keys(self) -> list[str]:
        return [s.key for s in self.sentences]


@dataclass(frozen=True)
class Template:
    """A catalogue entry: ``msgid``, its plural (rendered with ``count``) and context."""

    msgid: str
    plural: str | None = None
    context: str | None = None


# Every template of the briefing, by key.  The .po has exactly these entries (tests check it).
TEMPLATES: dict[str, Template] = {
    # tier cut-offs, in brackets after a tier's name
    "cutoff.top": Template("top {max_rank}", context="tier cut-off"),
    "cutoff.range": Template("ranks {first}–{last}", context="tier cut-off"),
    "cutoff.rest": Template("rank {first} and below", context="tier cut-off"),
    "cutoff.score": Template("{min_score} points or more", context="tier cut-off"),
    "cutoff.below": Template("below {min_score} points", context="tier cut-off"),
    # lists of names
    "list.two": Template("{first} and {second}", context="list of two"),
    "list.middle": Template("{head}, {next}", context="list, middle"),
    "list.end": Template("{head}, and {last}", context="list, end"),
    # the city's tiers
    "city.tier.all": Template(
        "In the {period} province-wide {assessment}, {city}'s {count} county is in the "
        "“{tier}” ({cutoff}).",
        "In the {period} province-wide {assessment}, all {count} of {city}'s counties are in "
        "the “{tier}” ({cutoff}).",
    ),
    "city.intro": Template(
        "In the {period} province-wide {assessment}, {count} county of {city} is ranked.",
        "In the {period} province-wide {assessment}, {count} counties of {city} are ranked.",
    ),
    "city.tier": Template(
        "{count} of them is in the “{tier}” ({cutoff}): {names}.",
        "{count} of them are in the “{tier}” ({cutoff}): {names}.",
    ),
    "city.no_tier": Template(
        "{names} is ranked but placed in no tier (vetoed).",
        "{names} are ranked but placed in no tier (vetoed).",
    ),
    # best placings
    "city.best": Template(
        "Of {city}'s counties, {name} ranks highest: No. {rank} in the province."
    ),
    "city.category_best": Template(
        "{name} is No. {rank} among the {category} counties, the highest of {city}'s."
    ),
    "province.intro": Template(
        "In the {period} province-wide {assessment}, {count} county is ranked.",
        "In the {period} province-wide {assessment}, {count} counties are ranked.",
    ),
    "province.top": Template(
        "The top {count} in the province: {names}.",
        "The top {count} in the province: {names}.",
    ),
    "province.category_first": Template(
        "{names} ranks first among the {category} counties.",
        "{names} rank first among the {category} counties.",
    ),
    # movers
    "city.rise": Template(
        "Of {city}'s counties, {names} rose most: up {places} place on the previous year.",
        "Of {city}'s counties, {names} rose most: up {places} places on the previous year.",
    ),
    "city.fall": Template(
        "Of {city}'s counties, {names} fell most: down {places} place on the previous year.",
        "Of {city}'s counties, {names} fell most: down {places} places on the previous year.",
    ),
    "city.rise.category": Template(
        "Of {city}'s counties, {names} rose most within their category: up {places} place on "
        "the previous year.",
        "Of {city}'s counties, {names} rose most within their category: up {places} places on "
        "the previous year.",
    ),
    "city.fall.category": Template(
        "Of {city}'s counties, {names} fell most within their category: down {places} place on "
        "the previous year.",
        "Of {city}'s counties, {names} fell most within their category: down {places} places "
        "on the previous year.",
    ),
    "province.rise": Template(
        "{names} rose most in the province: up {places} place on the previous year.",
        "{names} rose most in the province: up {places} places on the previous year.",
    ),
    "province.fall": Template(
        "{names} fell most in the province: down {places} place on the previous year.",
        "{names} fell most in the province: down {places} places on the previous year.",
    ),
    "province.rise.category": Template(
        "{names} rose most within their category: up {places} place on the previous year.",
        "{names} rose most within their category: up {places} places on the previous year.",
    ),
    "province.fall.category": Template(
        "{names} fell most within their category: down {places} place on the previous year.",
        "{names} fell most within their category: down {places} places on the previous year.",
    ),
    # awards
    "award": Template(
        "{names} is commended as “{award}”.",
        "{names} are commended as “{award}”.",
    ),
    # dimensions
    "city.dimension_lead": Template(
        "{city}'s best placing in any dimension: {name}, No. {rank} in the province in {dimension}."
    ),
    "city.dimension_trail": Template(
        "{dimension} is where {city} trails: its best-placed county there, {name}, is No. "
        "{rank} in the province."
    ),
    # parks (产业集聚区)
    "parks.top": Template(
        "{count} park of {city} is in the province's top {top}: {names}.",
        "{count} parks of {city} are in the province's top {top}: {names}.",
    ),
    "parks.best": Template("{name} ranks highest of {city}'s parks: No. {rank} in the province."),
    # key projects (重点项目)
    "projects.progress": Template(
        "By {month}, {city}'s {count} key project has invested {ytd} billion yuan this year, "
        "{pct}% of the year's plan; {started} of them have started.",
        "By {month}, {city}'s {count} key projects have invested {ytd} billion yuan this year, "
        "{pct}% of the year's plan; {started} of them have started.",
    ),
}


@lru_cache(maxsize=2)
def _catalogue(lang: Lang) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALEDIR, languages=["zh_Hans"])


class _Writer:
    """Renders templates in one language."""

    def __init__(self, lang: Lang) -> None:
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
        self.lang: Lang = lang
        self.cat = _catalogue(lang)

    def render(self, key: str, count: int | None = None, **values: Any) -> str:
        t = TEMPLATES[key]
        if t.plural is not None:
            if count is None:
                raise ValueError(f"template {key!r} needs a count")
            if t.context is not None:
                pattern = self.cat.npgettext(t.context, t.msgid, t.plural, count)
            else:
                pattern = self.cat.ngettext(t.msgid, t.plural, count)
            return pattern.format(count=count, **values)
        if t.context is not None:
            pattern = self.cat.pgettext(t.context, t.msgid)
        else:
            pattern = self.cat.gettext(t.msgid)
        return pattern.format(**values)

    def join(self, names: Sequence[str]) -> str:
        """``A``, ``A和B``, ``A、B和C`` (``A, B, and C`` in English), from the catalogue."""
        if not names:
            raise ValueError("nothing to list")
        if len(names) == 1:
            return names[0]
        if len(names) == 2:
            return self.render("list.two", first=names[0], second=names[1])
        head = names[0]
        for name in names[1:-1]:
            head = self.render("list.middle", head=head, next=name)
        return self.render("list.end", head=head, last=names[-1])

    def sentence(
        self, key: str, facts: Iterable[Fact], count: int | None = None, **values: Any
    ) -> Sentence:
        return Sentence(key, self.render(key, count, **values), tuple(facts))


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def briefing(
    result: AnyResult,
    *,
    city: str | None = None,
    city_name: str | None = None,
    previous: AnyResult | None = None,
    lang: Lang = "zh",
) -> Briefing:
    """The briefing of ``result``: the facts worth saying, one sentence each.

    Parameters
    ----------
    result : Result or OfficialResult
        What :func:`kaoping.assess.assess` returned.
    city : str, optional
        A code prefix (``"4108"``): speak of the ranked units whose code starts with it.  None:
        the whole province.
    city_name : str, optional
        How to call the city in the text (``"焦作市"``); the prefix itself if not given.
    previous : Result or OfficialResult, optional
        The previous period's result: rises and falls are then of the overall rank.  Without
        it, an official result's own ``rank_change`` (within the category) is used.
    lang : {"zh", "en"}
        zh-Hans (the catalogue) or English (its msgids).

    Returns
    -------
    Briefing
        City view: the tiers of the city's counties (or all in one tier), its best overall and
        best per category, its biggest rise and fall, its awards, and the dimensions where its
        counties lead or trail.  Province view: the number ranked, the top three, the first of
        every category, the biggest rise and fall and the awards.

    Raises
    ------
    ValueError
        ``lang`` is neither ``"zh"`` nor ``"en"``, or no ranked unit has a code starting with
        ``city``.
    """
    w = _Writer(lang)
    table = result.table
    ranked = table[table["rank"].notna()]
    if city is not None:
        ranked_city = ranked[[str(c).startswith(city) for c in ranked.index]]
        if ranked_city.empty:
            raise ValueError(
                f"no ranked unit of this result has a code starting with {city!r}; give a "
                "city's code prefix, e.g. '4108'."
            )
    methodology = result.methodology
    assessment = (methodology.name_en or methodology.name) if lang == "en" else methodology.name
    out: list[Sentence] = []
    ctx = _Context(w, result, ranked, assessment)
    if city is not None:
        mine = ranked_city.sort_values(["rank", "score"], ascending=[True, False])
        name = city_name or city
        out += ctx.tiers(mine, name)
        out += ctx.best(mine, name)
        out += ctx.movers(mine, name, previous)
        out += ctx.awards(mine)
        out += ctx.dimensions(mine, name)
    else:
        out += ctx.province(ranked.sort_values(["rank", "score"], ascending=[True, False]))
        out += ctx.movers(ranked, None, previous)
        out += ctx.awards(ranked)
    return Briefing(period=result.period, lang=lang, city=city, sentences=out)


def parks_briefing(
    league: pd.DataFrame,
    *,
    city: str,
    city_name: str | None = None,
    top: int = 20,
    lang: Lang = "zh",
) -> list[Sentence]:
    """The parks' sentences: how many of the city's parks are in the province's top ``top``
    (the source's "3家产业集聚区进入全省前二十") and which ranks highest.

    ``league``: a park league (:func:`kaoping.assess.parks.league`): indexed by park code,
    with ``name``, ``county_code``, ``rank`` and ``score``.  None of the city's parks ranked:
    no sentence."""
    w = _Writer(lang)
    name = city_name or city
    ranked = league[league["rank"].notna()].sort_values(["rank", "score"], ascending=[True, False])
    mine = ranked[[str(c).startswith(city) for c in ranked["county_code"]]]
    if mine.empty:
        return []
    out: list[Sentence] = []
    best = mine[mine["rank"] <= top]
    if not best.empty:
        facts = [Fact("park_count", rank=top, value=float(len(best)))]
        facts += [
            Fact("park_rank", unit=str(c), name=str(r["name"]), rank=_int(r["rank"]),
                 value=_float(r["score"]))
            for c, r in best.iterrows()
        ]  # fmt: skip
        names = w.join([str(n) for n in best["name"]])
        out.append(w.sentence("parks.top", facts, count=len(best), city=name, top=top,
                              names=names))  # fmt: skip
    code, row = next(iter(mine.iterrows()))
    fact = Fact("park_rank", unit=str(code), name=str(row["name"]), rank=_int(row["rank"]),
                value=_float(row["score"]))  # fmt: skip
    out.append(w.sentence("parks.best", [fact], city=name, name=row["name"],
                          rank=_int(row["rank"])))  # fmt: skip
    return out


def projects_briefing(
    counties: pd.DataFrame,
    *,
    month: str,
    city: str,
    city_name: str | None = None,
    lang: Lang = "zh",
) -> list[Sentence]:
    """The key projects' sentence: the city's projects, invested this year (亿元, from the
    万元 of the dispatch), the share of the year's plan and how many have started.

    ``counties``: :func:`kaoping.dispatch.progress.county_progress` of the month (indexed by
    county code: ``projects``, ``ytd``, ``annual_plan``, ``started``); the rows of the city's
    counties are summed.  ``month``: as said in the text (``2024年11月``)."""
    w = _Writer(lang)
    mine = counties[[str(c).startswith(city) for c in counties.index]]
    count = int(mine["projects"].sum()) if not mine.empty else 0
    if count == 0:
        return []
    ytd = float(mine["ytd"].sum())
    plan = float(mine["annual_plan"].sum())
    started = int(mine["started"].sum())
    pct = 100 * ytd / plan if plan > 0 else float("nan")
    # 万元 -> 亿元 (10^4 万元) in Chinese, billion yuan (10^5 万元) in English
    amount = f"{ytd / 1e4:.1f}" if lang == "zh" else f"{ytd / 1e5:.2f}"
    facts = [
        Fact("projects", name="projects", value=float(count)),
        Fact("projects", name="ytd", value=ytd),
        Fact("projects", name="completion_pct", value=pct),
        Fact("projects", name="started", value=float(started)),
    ]
    return [
        w.sentence(
            "projects.progress",
            facts,
            count=count,
            month=month,
            city=city_name or city,
            ytd=amount,
            pct=f"{pct:.1f}",
            started=started,
        )
    ]


def tier_cutoff(result: AnyResult, tier: str, lang: Lang = "zh") -> str:
    """A tier's cut-off as the briefing says it (``前30位``, ``第31–60位``, ``70分及以上`` …;
    English: ``top 30`` …), from the catalogue; '' for a name that is not one of the
    methodology's tiers.
    """
    table = result.table
    ranked = table[table["rank"].notna()]
    return _Context(_Writer(lang), result, ranked, "")._cutoff(tier)


class _Context:
    def __init__(self, w: _Writer, result: AnyResult, ranked: pd.DataFrame, assessment: str):
        self.w = w
        self.result = result
        self.ranked = ranked
        self.assessment = assessment
        self.period = result.period

    # --- helpers -------------------------------------------------------------------------------

    def _names(self, frame: pd.DataFrame) -> str:
        return self.w.join([str(n) for n in frame["name"]])

    def _tier_label(self, name: str) -> str:
        for tier in self.result.methodology.tiers:
            if tier.name == name:
                return (tier.name_en or tier.name) if self.w.lang == "en" else tier.name
        return name

    def _cutoff(self, name: str) -> str:
        tiers = list(self.result.methodology.tiers)
        index = next((i for i, t in enumerate(tiers) if t.name == name), None)
        if index is None:
            return ""
        tier = tiers[index]
        before = tiers[index - 1] if index > 0 else None
        if tier.max_rank is not None:
            if before is None or before.max_rank is None:
                return self.w.render("cutoff.top", max_rank=tier.max_rank)
            return self.w.render("cutoff.range", first=before.max_rank + 1, last=tier.max_rank)
        if tier.min_score is not None:
            return self.w.render("cutoff.score", min_score=f"{tier.min_score:g}")
        if before is not None and before.max_rank is not None:
            return self.w.render("cutoff.rest", first=before.max_rank + 1)
        if before is not None and before.min_score is not None:
            return self.w.render("cutoff.below", min_score=f"{before.min_score:g}")
        return ""

    @staticmethod
    def _unit_fact(kind: FactKind, code: Any, row: pd.Series, **extra: Any) -> Fact:
        return Fact(kind=kind, unit=str(code), name=str(row["name"]), **extra)

    # --- sentences -----------------------------------------------------------------------------

    def tiers(self, mine: pd.DataFrame, city: str) -> list[Sentence]:
        """How many of the city's ranked units are in each tier (and in none)."""
        order = [t.name for t in self.result.methodology.tiers]
        tiers = [t for t in order if (mine["tier"] == t).any()]
        untiered = mine[mine["tier"].isna()]
        out: list[Sentence] = []

        def unit_facts(frame: pd.DataFrame) -> list[Fact]:
            return [
                self._unit_fact("tier", c, r, tier=_str(r["tier"]), rank=_int(r["rank"]))
                for c, r in frame.iterrows()
            ]

        if len(tiers) == 1 and untiered.empty:
            tier = tiers[0]
            facts = [Fact("tier_count", tier=tier, value=float(len(mine))), *unit_facts(mine)]
            out.append(
                self.w.sentence(
                    "city.tier.all",
                    facts,
                    count=len(mine),
                    period=self.period,
                    assessment=self.assessment,
                    city=city,
                    tier=self._tier_label(tier),
                    cutoff=self._cutoff(tier),
                )
            )
            return out
        out.append(
            self.w.sentence(
                "city.intro",
                [],
                count=len(mine),
                period=self.period,
                assessment=self.assessment,
                city=city,
            )
        )
        for tier in tiers:
            group = mine[mine["tier"] == tier]
            facts = [Fact("tier_count", tier=tier, value=float(len(group))), *unit_facts(group)]
            out.append(
                self.w.sentence(
                    "city.tier",
                    facts,
                    count=len(group),
                    tier=self._tier_label(tier),
                    cutoff=self._cutoff(tier),
                    names=self._names(group),
                )
            )
        if not untiered.empty:
            facts = [Fact("tier_count", tier=None, value=float(len(untiered)))]
            facts += unit_facts(untiered)
            out.append(
                self.w.sentence(
                    "city.no_tier", facts, count=len(untiered), names=self._names(untiered)
                )
            )
        return out

    def best(self, mine: pd.DataFrame, city: str) -> list[Sentence]:
        """The city's best overall, and its best in every category it has units in."""
        code, row = next(iter(mine.iterrows()))
        fact = self._unit_fact(
            "rank", code, row, rank=_int(row["rank"]), value=_float(row["score"])
        )
        out = [
            self.w.sentence(
                "city.best", [fact], city=city, name=row["name"], rank=_int(row["rank"])
            )
        ]
        categories = [c for c in dict.fromkeys(mine["category"]) if isinstance(c, str)]
        for category in categories:
            group = mine[mine["category"] == category].sort_values("category_rank")
            code, row = next(iter(group.iterrows()))
            rank = _int(row["category_rank"])
            fact = self._unit_fact(
                "category_rank",
                code,
                row,
                category=category,
                rank=rank,
                value=_float(row["score"]),
            )
            out.append(
                self.w.sentence(
                    "city.category_best",
                    [fact],
                    city=city,
                    name=row["name"],
                    rank=rank,
                    category=category,
                )
            )
        return out

    def province(self, ranked: pd.DataFrame) -> list[Sentence]:
        """How many are ranked, the top three and the first of every category."""
        out = [
            self.w.sentence(
                "province.intro",
                [],
                count=len(ranked),
                period=self.period,
                assessment=self.assessment,
            )
        ]
        top = ranked[ranked["rank"] <= 3]
        facts = [
            self._unit_fact("rank", c, r, rank=_int(r["rank"]), value=_float(r["score"]))
            for c, r in top.iterrows()
        ]
        out.append(self.w.sentence("province.top", facts, count=len(top), names=self._names(top)))
        spec = self.result.methodology.official
        present = {c for c in ranked["category"] if isinstance(c, str)}
        listed = [c for c in (spec.categories if spec is not None else ()) if c in present]
        for category in listed + sorted(present - set(listed)):
            first = ranked[(ranked["category"] == category) & (ranked["category_rank"] == 1)]
            if first.empty:
                continue
            facts = [
                self._unit_fact(
                    "category_rank", c, r, category=category, rank=1, value=_float(r["score"])
                )
                for c, r in first.iterrows()
            ]
            out.append(
                self.w.sentence(
                    "province.category_first",
                    facts,
                    count=len(first),
                    names=self._names(first),
                    category=category,
                )
            )
        return out

    def movers(
        self, units: pd.DataFrame, city: str | None, previous: AnyResult | None
    ) -> list[Sentence]:
        """Who rose and who fell most: overall against ``previous``, else the official result's
        own change within the category."""
        if previous is not None:
            before = previous.table["rank"].reindex(units.index)
            change = (before - units["rank"]).dropna()
            kind: FactKind = "rank_change"
            rank_column = "rank"
        elif "rank_change" in units.columns:
            change = pd.to_numeric(units["rank_change"]).dropna()
            kind = "category_rank_change"
            rank_column = "category_rank"
        else:
            return []
        out: list[Sentence] = []
        scope = "province" if city is None else "city"
        suffix = "" if kind == "rank_change" else ".category"
        for direction in ("rise", "fall"):
            best = change.max() if direction == "rise" else change.min()
            if change.empty or (best <= 0 if direction == "rise" else best >= 0):
                continue
            movers = units.loc[change.index[change == best]]
            facts = [
                self._unit_fact(
                    kind,
                    c,
                    r,
                    category=_str(r["category"]) if kind != "rank_change" else None,
                    value=float(best),
                    rank=_int(r[rank_column]),
                )
                for c, r in movers.iterrows()
            ]
            places = abs(int(best))
            out.append(
                self.w.sentence(
                    f"{scope}.{direction}{suffix}",
                    facts,
                    count=places,
                    places=places,
                    names=self._names(movers),
                    city=city,
                )
            )
        return out

    def awards(self, units: pd.DataFrame) -> list[Sentence]:
        """Every award and who among ``units`` won it (official results)."""
        if "awards" not in units.columns:
            return []
        names: list[str] = []
        spec = self.result.methodology.official
        if spec is not None:
            names = [a.name for a in spec.awards]
        won = {
            str(code): row["awards"].split("、")
            for code, row in units.iterrows()
            if isinstance(row["awards"], str)
        }
        for found in won.values():
            names += [a for a in found if a not in names]
        out: list[Sentence] = []
        for award in names:
            winners = units.loc[[c for c, found in won.items() if award in found]]
            if winners.empty:
                continue
            facts = [
                self._unit_fact("award", c, r, award=award, rank=_int(r["rank"]))
                for c, r in winners.iterrows()
            ]
            out.append(
                self.w.sentence(
                    "award", facts, count=len(winners), names=self._names(winners), award=award
                )
            )
        return out

    def dimension_ranks(self) -> dict[str, dict[str, int]]:
        """Every ranked unit's rank in every top-level dimension (1 = best score; ties share
        the better rank): dimension -> unit -> rank."""
        out: dict[str, dict[str, int]] = {}
        for node in self.result.methodology.dimensions:
            if node.id not in self.ranked.columns:
                continue
            scores = pd.to_numeric(self.ranked[node.id]).dropna()
            ranks = scores.rank(ascending=False, method="min")
            out[node.id] = {str(code): int(rank) for code, rank in ranks.items()}
        return out

    def dimensions(self, mine: pd.DataFrame, city: str) -> list[Sentence]:
        """The dimension where one of the city's counties places best, and the dimension where
        even the city's best-placed county places worst."""
        ranks = self.dimension_ranks()
        nodes = {d.id: d for d in self.result.methodology.dimensions}
        codes = [str(c) for c in mine.index]  # in rank order: the better unit wins a tie
        names = {str(c): str(n) for c, n in mine["name"].items()}

        def label(dim: str) -> str:
            node = nodes[dim]
            return (node.name_en or node.name) if self.w.lang == "en" else node.name

        # the city's best-placed unit in each dimension, and its rank there
        best_in: dict[str, tuple[str, int]] = {}
        for dim, by_unit in ranks.items():
            placed = [(by_unit[c], i, c) for i, c in enumerate(codes) if c in by_unit]
            if placed:
                rank, _, code = min(placed)
                best_in[dim] = (code, rank)
        if not best_in:
            return []

        def sentence(key: str, dim: str) -> Sentence:
            code, rank = best_in[dim]
            fact = Fact(
                "dimension_rank",
                unit=code,
                name=names[code],
                dimension=dim,
                rank=rank,
                value=_float(mine.loc[code, dim]),
            )
            return self.w.sentence(
                key, [fact], city=city, name=names[code], rank=rank, dimension=label(dim)
            )

        order = list(best_in)
        lead = min(order, key=lambda d: (best_in[d][1], order.index(d)))
        trail = max(order, key=lambda d: (best_in[d][1], -order.index(d)))
        out = [sentence("city.dimension_lead", lead)]
        if best_in[trail][1] > best_in[lead][1]:
            out.append(sentence("city.dimension_trail", trail))
        return out
