"""What it takes (margins) on a county's page: the points short of the next rank and of the first
tier, and per indicator the smallest change in its own unit that closes the gap, as the engine
(kaoping.analysis.margins) finds them on the assessment's frozen inputs; computed once per
inputs, unit and goal and kept; shown to whoever may see the unit's figures.

Reference: the engine's example (case.tiny), worked by hand in tests/analysis/test_margins.py:
B (博爱县, 10.4, rank 2) is 0.6 points short of rank 1 (A, 11); w (water) to 90 (+5, the upper
band) or p (PM2.5) to 40 (-10, the best of its category) reach it; g cannot alone."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
from tests.web.official.case import TINY, client, compute, tiny
from tests.web.official.cells import table

import kaoping.analysis.margins as engine_margins
from kaoping.web.official.inputs import engine_arguments
from kaoping.web.results import services
from kaoping.web.results.models import Assessment

A, B, C, D = (TINY[k] for k in "ABCD")


@pytest.fixture
def published(official_users: dict[str, Any], official_periods: Any) -> Assessment:
    periods = tiny(official_users, official_periods)
    return compute(official_users, periods, "published")


def _page(who: Any, code: str, query: str = "") -> str:
    response = who.get(f"/results/2024/unit/{code}/margins/{query}")
    assert response.status_code == 200
    return str(response.content.decode())


def _token_out(html: str) -> str:
    """The page without its form token (a new one per response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _engine(assessment: Assessment, code: str, goal: str) -> Any:
    methodology, panel, units = services._engine(assessment.inputs)
    extra = engine_arguments(assessment.inputs, methodology)
    return engine_margins.margins(methodology, panel, code, "2024", goal=goal, units=units,
                                  **extra)  # fmt: skip


def _rank_with(assessment: Assessment, code: str, indicator: str, value: float) -> int:
    """The unit's rank re-scored by the engine with one figure of the frozen inputs changed."""
    inputs = copy.deepcopy(assessment.inputs)
    for row in inputs["values"]:
        if row[0] == code and row[1] == indicator:
            row[2] = value
    return int(services.result_of(inputs).table.loc[code, "rank"])


def test_the_page_shows_the_engines_margins_in_each_indicators_unit(
    client_for: Any, published: Assessment
) -> None:
    html = _page(client_for("viewer"), B)
    found = _engine(published, B, "next")
    assert (found.gap, found.holder) == (pytest.approx(0.6), A)
    assert f"<strong>{found.gap:.2f}</strong>" in html
    assert "修武县" in html.split('class="goal goal-next"')[1].split("</li>")[0]  # A holds it
    rows = {r["_attrs"]["data-indicator"]: r for r in table(html, "margins-table")}
    by = {c.indicator: c for c in found.changes}
    assert set(rows) == set(by)
    assert by["w"].needed == 90.0
    assert by["p"].needed == 40.0
    assert rows["w"]["change"] == "+5 个百分点 （→ 90）"  # a percentage: 个百分点
    assert rows["p"]["change"] == "-10 μg/m³ （→ 40）"
    assert not by["g"].reachable
    assert rows["g"]["change"].endswith("1")  # "cannot alone", and its note's number
    assert f'<a class="cannot" href="#why-1" title="{by["g"].why_zh}">' in html
    assert '<li id="why-1" value="1">' in html  # the note, for a phone (no hover)
    order = [r["_attrs"]["data-indicator"] for r in table(html, "margins-table")]
    assert order == [c.indicator for c in found.changes]  # the engine's order: easiest first
    tier = html.split('class="goal goal-tier"')[1].split("</li>")[0]
    assert "进入第一方阵" in tier  # reached already: no column for it
    assert len(rows["w"]["_cells"]) == 3


def test_the_suggested_changes_reach_the_goal_when_re_scored(published: Assessment) -> None:
    """The page's numbers re-scored by the engine: rank 1 at w = 90 and at p = 40; one step
    of the figures' precision short (89.9, 40.1) they do not."""
    assert _rank_with(published, B, "w", 90.0) == 1
    assert _rank_with(published, B, "w", 89.9) == 2
    assert _rank_with(published, B, "p", 40.0) == 1
    assert _rank_with(published, B, "p", 40.1) == 2


def test_each_margin_is_computed_once_per_inputs_unit_and_goal(
    official_users: dict[str, Any], official_periods: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not published (the pages' cache keeps published pages only): still computed once, then
    read from the default cache, by the inputs' hash, the unit and the goal."""
    periods = tiny(official_users, official_periods)
    compute(official_users, periods, "computed")
    calls: list[tuple[str, str]] = []
    real = engine_margins.margins

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append((args[2], kwargs["goal"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(engine_margins, "margins", counted)
    analyst = client(official_users, "analyst")
    first = _token_out(_page(analyst, B))
    assert sorted(calls) == [(B, "next"), (B, "tier")]
    assert _token_out(_page(analyst, B)) == first
    assert _page(analyst, B, "?part=1") in first  # the section alone, the same numbers
    assert len(calls) == 2
    _page(analyst, D)
    assert sorted(calls[2:]) == [(D, "next"), (D, "tier")]


def test_a_vetoed_unit_is_told_no_figure_gives_it_a_tier(
    client_for: Any, published: Assessment
) -> None:
    html = _page(client_for("viewer"), C)
    tier = html.split('class="goal goal-tier"')[1].split("</li>")[0]
    assert "一票否决：安全事故" in tier
    assert "<strong>" not in tier  # no points "short": no points would do
    rows = table(html, "margins-table")
    assert all(len(r["_cells"]) == 3 for r in rows)  # indicator, figure, the next rank only


def test_the_section_alone_for_the_profile_to_load(client_for: Any, published: Assessment) -> None:
    part = _page(client_for("viewer"), B, "?part=1")
    assert part.startswith('<section class="margins"')
    assert "<html" not in part
    profile = client_for("viewer").get(f"/results/2024/unit/{B}/").content.decode()
    assert f'id="margins-link" href="/results/2024/unit/{B}/margins/"' in profile
    assert "kaoping/margins.js" in profile
    assert "<script>" not in profile  # no inline script (CSP)


def test_before_publication_only_the_unit_itself_and_the_office_see_its_margins(
    official_users: dict[str, Any], official_periods: Any
) -> None:
    periods = tiny(official_users, official_periods)
    compute(official_users, periods, "announced")
    url = f"/results/2024/unit/{A}/margins/"
    assert client(official_users, "county-410821").get(url).status_code == 200
    assert client(official_users, "county-410822").get(url).status_code == 403
    told = client(official_users, "dept-stat").get(url)  # published results only: why not
    assert told.status_code == 200
    assert "margins-table" not in told.content.decode()


def test_an_academic_ranking_has_its_margins_too(
    users: dict[str, Any], periods: Any, approved: Any, client_for: Any
) -> None:
    """The academic path (county_hqd, two counties): the engine's margins of the second."""
    from tests.web.workflow import publish

    assessment = publish(users["analyst"], periods["2024"])
    second = next(r["unit"] for r in assessment.results if r["rank"] == 2)
    html = _page(client_for("viewer"), second)
    methodology, panel, units = services._engine(assessment.inputs)
    found = engine_margins.margins(methodology, panel, second, "2024", units=units)
    assert f"<strong>{found.gap:.2f}</strong>" in html
    rows = table(html, "margins-table")
    assert {r["_attrs"]["data-indicator"] for r in rows} == {c.indicator for c in found.changes}
