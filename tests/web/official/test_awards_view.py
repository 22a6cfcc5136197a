"""The awards list (表彰名单) of an official assessment: per award of the methodology, exactly the
units the engine commended, each with why (total and rank; category rank for a category award;
the places gained for the most improved); vetoed units named as excluded, with the reason; the
same visibility as the league table, kept whole once published.

Reference: the engine's hand-worked example (case.tiny; tests/assess/test_official.py works it
out): 先进 (top 1) A; 分类先进 (top 1 per category) A and D (C is vetoed anyway); 进位 (most
improved 1) A and D, tied at +1 and both commended."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.web.official.case import TINY, compute, tiny
from tests.web.official.cells import table

from kaoping.web.results import scoring, services
from kaoping.web.results.models import Assessment

A, B, C, D = (TINY[k] for k in "ABCD")


@pytest.fixture
def published(official_users: dict[str, Any], official_periods: Any) -> Assessment:
    periods = tiny(official_users, official_periods)
    return compute(official_users, periods, "published")


def _token_out(html: str) -> str:
    """The page without its form token (a new one per response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _section(html: str, ident: str) -> str:
    return html.split(f'id="award-{ident}"')[1].split("</section>")[0]


def _listed(html: str, ident: str) -> list[str]:
    return re.findall(r'<tr data-unit="([0-9]+)">', _section(html, ident))


def test_each_award_lists_exactly_the_units_the_engine_commended(
    client_for: Any, published: Assessment
) -> None:
    html = client_for("viewer").get("/results/2024/awards/").content.decode()
    engine = services.result_of(published.inputs).table["awards"]
    methodology = services.result_of(published.inputs).methodology
    for award in methodology.official.awards:
        won = {str(u) for u, a in engine.items() if isinstance(a, str)
               and award.name in a.split("、")}  # fmt: skip
        assert set(_listed(html, award.id)) == won, award.id
    # and as worked by hand, in the page's order (by rank; by category; by places gained)
    assert _listed(html, "top") == [A]
    assert _listed(html, "cat") == [D, A]  # 重点生态功能区 before 非重点生态功能区
    assert sorted(_listed(html, "up")) == [A, D]  # tied at +1: both


def test_each_unit_says_why_with_its_numbers(client_for: Any, published: Assessment) -> None:
    html = client_for("viewer").get("/results/2024/awards/").content.decode()

    def numbers(ident: str, unit: str) -> list[str]:
        row = next(r for r in table(_section(html, ident) + "</table>", "awards-list")
                   if r["_attrs"]["data-unit"] == unit)  # fmt: skip
        return re.findall(r"[0-9]+(?:\.[0-9]+)?", row["why"])

    assert numbers("top", A) == ["11.00", "1"]  # total, rank overall
    assert numbers("cat", D) == ["9.70", "1"]  # total, rank in its category
    assert numbers("up", D) == ["1", "2", "1"]  # +1: from 2nd to 1st in its category
    assert "重点生态功能区" in _section(html, "cat")


def test_a_vetoed_unit_is_named_as_excluded_with_the_reason(
    client_for: Any, published: Assessment
) -> None:
    html = client_for("viewer").get("/results/2024/awards/").content.decode()
    excluded = html.split('id="excluded"')[1].split("</section>")[0]
    assert f'data-unit="{C}"' in excluded
    assert "安全事故（事故 = 1，超过 0）" in excluded
    assert all(C not in _listed(html, a) for a in ("top", "cat", "up"))
    assert re.findall(r'data-unit="([0-9]+)"', excluded) == [C]


def test_the_published_list_is_kept_whole(
    client_for: Any, published: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for("viewer")
    first = _token_out(client.get("/results/2024/awards/").content.decode())
    built: list[Any] = []
    monkeypatch.setattr(scoring, "awards", lambda *a: built.append(a))  # must not be asked
    assert _token_out(client.get("/results/2024/awards/").content.decode()) == first
    assert built == []


def test_before_publication_a_viewer_is_told_why_and_a_county_sees_the_announced_list(
    official_users: dict[str, Any], official_periods: Any, client_for: Any
) -> None:
    periods = tiny(official_users, official_periods)
    compute(official_users, periods, "announced")
    viewer = client_for("viewer").get("/results/2024/awards/")
    assert viewer.status_code == 200
    assert 'id="award-top"' not in viewer.content.decode()
    county = client_for("county-410822").get("/results/2024/awards/")
    assert _listed(county.content.decode(), "top") == [A]


def test_an_academic_methodology_has_no_awards_to_list(
    users: dict[str, Any], periods: Any, approved: Any, client_for: Any
) -> None:
    from tests.web.workflow import publish

    publish(users["analyst"], periods["2024"])
    page = client_for("viewer").get("/results/2024/awards/")
    assert page.status_code == 200
    assert 'class="award' not in page.content.decode()
    league = client_for("viewer").get("/results/2024/").content.decode()
    assert "/results/2024/awards/" not in league  # and the ranking does not link to it
