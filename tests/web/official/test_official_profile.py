"""A county's profile in an official assessment: its points by indicator (得分明细) -- figure,
target, completion, points against the indicator's points (分值), the category's best and
average -- each bonus, penalty and veto line with its document and evidence, the engine's
explanation (Chinese; the English page says so), within the rights of the profile.

References: the engine's ``OfficialResult`` of the frozen inputs (``services.result_of``: its
``raw``, ``targets``, ``completion``, ``points``, ``nominal``, ``lines`` and ``explain``), and
for the small example the numbers worked by hand in ``tests/assess/test_official.py``."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

import pytest
from django.urls import reverse
from tests.web.official.case import TINY, VETO_DOCUMENT, client, compute, prepare, tiny
from tests.web.official.cells import table

from kaoping.web.official import items
from kaoping.web.official.models import Evidence
from kaoping.web.results import services
from kaoping.web.results.models import Assessment


@pytest.fixture
def bundled(official_users: dict[str, Any], official_periods: Any) -> Assessment:
    """county_hqd_official for three counties (case.prepare), published."""
    prepare(official_users, official_periods)
    return compute(official_users, official_periods, "published")


def _page(client: Any, code: str) -> str:
    response = client.get(f"/results/2024/unit/{code}/")
    assert response.status_code == 200
    return str(response.content.decode())


def _figure(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def test_the_points_by_indicator_are_the_engines(client_for: Any, bundled: Assessment) -> None:
    """Every row against OfficialResult (figure ``raw``, ``targets``, ``completion``,
    ``points``, ``nominal``), and the category's best and average against the engine's own
    explanation, which states them per indicator (本单位 / 最高 / 平均 / 分值)."""
    code = "410821"
    result = services.result_of(bundled.inputs)
    rows = [r for r in table(_page(client_for("viewer"), code), "detail")
            if r["_section"] == "tbody"]  # fmt: skip
    scored = [s.indicator for s in result.methodology.official.scoring]
    assert [r["_attrs"]["data-indicator"] for r in rows] == scored
    stated = {}  # indicator name -> (points, best, average, nominal) as the engine says them
    for line in result.explain(code).splitlines():
        found = re.fullmatch(r"  (.+?)：([0-9.]+) / ([0-9.]+) / ([0-9.]+) / ([0-9.]+).*", line)
        if found:
            stated[found.group(1)] = found.groups()[1:]
    for row in rows:
        ident = row["_attrs"]["data-indicator"]
        name = result.methodology.indicator(ident).name
        assert row["value"] == _figure(result.raw.loc[code, ident]), ident
        assert row["points"] == f"{result.points.loc[code, ident]:.2f}", ident
        assert row["nominal"] == f"{result.nominal.loc[code, ident]:g}", ident
        if ident in result.targets.columns:
            assert row["target"] == _figure(result.targets.loc[code, ident]), ident
            assert row["completion"] == f"{100 * result.completion.loc[code, ident]:.1f}%"
        else:
            assert (row["target"], row["completion"]) == ("—", "—"), ident
        points, best, average, nominal = stated[name]
        assert (row["points"], row["best"], row["average"]) == (points, best, average), ident
        assert row["nominal"] == nominal, ident
    total = next(r for r in table(_page(client_for("viewer"), code), "detail")
                 if r["_section"] == "tfoot")  # fmt: skip
    assert total["points"] == f"{result.table.loc[code, 'indicator_points']:.2f}"
    assert total["nominal"] == "100"  # the methodology's total_points


def test_the_small_examples_rows_as_worked_by_hand(
    official_users: dict[str, Any], official_periods: Any, client_for: Any
) -> None:
    """博爱县 (B of the example): g 9 against 7.5 = 120% (the cap 1.2) x 6 = 7.2; p 50, the
    worst of its category, 0.6 x 2 = 1.2; w 85, the [80, 90) band: 1; its category (X: A and
    B) best 7.2 / 2 / 2, average (6 + 7.2) / 2 = 6.6, (2 + 1.2) / 2 = 1.6, (2 + 1) / 2 = 1.5."""
    periods = tiny(official_users, official_periods)
    compute(official_users, periods, "published")
    rows = table(_page(client_for("viewer"), TINY["B"]), "detail")
    shown = [(r["value"], r["target"], r["completion"], r["points"], r["nominal"], r["best"],
              r["average"]) for r in rows if r["_section"] == "tbody"]  # fmt: skip
    assert shown == [
        ("9", "7.5", "120.0%", "7.20", "6", "7.20", "6.60"),
        ("50", "—", "—", "1.20", "2", "2.00", "1.60"),
        ("85", "—", "—", "1.00", "2", "2.00", "1.50"),
    ]
    foot = next(r for r in rows if r["_section"] == "tfoot")
    assert (foot["points"], foot["nominal"]) == ("9.40", "10")  # of the 分值 of its category


def test_each_bonus_line_shows_what_counted_after_the_caps_and_its_document(
    client_for: Any, bundled: Assessment
) -> None:
    """修武县 asked 1 + 1 + 0.5: the unit's bonus cap of 2 lets the first two count and the
    pilot 0 (case.py); the engine's lines say the same (``counted``)."""
    lines = table(_page(client_for("county-410821"), "410821"), "lines")
    shown = [(r["#0"], r["counted"].split()[0], r["document"], r["date"], r["evidence"])
             for r in lines]  # fmt: skip
    assert shown == [
        ("全国“四好农村路”示范县", "+1", "交公路发〔2024〕3号", "2024-06-01", "依据1.pdf"),
        ("中国工业百强县（市）", "+1", "赛迪〔2024〕百强县榜单", "2024-06-02", "依据2.pdf"),
        ("国家级改革试点或示范", "+0", "发改体改〔2024〕9号", "2024-06-03", "依据3.pdf"),
    ]  # one evidence file each, by its name
    assert "0.50" in lines[2]["counted"]  # what was given, beside what counted
    assert "0.50" not in lines[0]["counted"] + lines[1]["counted"]  # not capped
    engine = services.result_of(bundled.inputs).lines
    assert list(engine[engine["unit"] == "410821"]["counted"]) == [1.0, 1.0, 0.0]


def test_a_vetoed_county_sees_the_veto_its_document_and_no_tier(
    official_users: dict[str, Any], bundled: Assessment
) -> None:
    html = _page(client(official_users, "county-410823"), "410823")
    notice = html.split('class="notice veto-notice"')[1].split("</p>")[0]
    assert f"发生较大及以上生产安全事故（依据：{VETO_DOCUMENT}）" in notice
    lines = table(html, "lines")
    assert [(r["_attrs"]["class"], r["counted"], r["document"]) for r in lines] == [
        ("line-veto", "—", VETO_DOCUMENT)
    ]
    head = html.split('<h2 id="detail">')[0]
    # no tier named above its points (its rank is kept; "不列入方阵" says it has none)
    assert not [t for t in ("第一方阵", "第二方阵", "第三方阵") if t in head]
    assert "不列入方阵" in head


def test_each_line_links_the_evidence_files_the_ranking_counted(
    official_users: dict[str, Any], client_for: Any, bundled: Assessment
) -> None:
    """The links are the files' own, not the items' pages: the 得分明细 is one page for every
    reader of the published ranking, and a viewer may open a counted file
    (``items.may_read``) but not the item's page (only the office, its department and its
    county see that)."""
    html = _page(client_for("viewer"), "410821")
    viewer = official_users["viewer"]
    for rule in ("four_good_roads", "industry_top100", "national_pilot"):
        evidence = Evidence.objects.get(item__rule=rule, item__unit__code="410821")
        assert f'<a href="{reverse("evidence", args=[evidence.pk])}">{evidence.name}</a>' in html
        assert items.may_read(viewer, evidence)
        assert reverse("item", args=["2024", evidence.item_id]) not in html
    other = Evidence.objects.get(item__rule="criticised")  # 博爱县's: not on 修武县's page
    assert reverse("evidence", args=[other.pk]) not in html


def test_the_engines_explanation_is_shown_in_chinese_and_the_english_page_says_so(
    client_for: Any, bundled: Assessment
) -> None:
    text = services.result_of(bundled.inputs).explain("410822")
    client = client_for("viewer")
    html = _page(client, "410822")
    assert f'<pre class="explain" lang="zh-Hans">{html_lib.escape(text)}</pre>' in html
    assert "In Chinese only" not in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _page(client, "410822")
    assert "In Chinese only" in english
    assert html_lib.escape(text) in english
    assert "Points by indicator" in english


def test_before_publication_a_county_reads_its_own_points_and_not_anothers(
    official_users: dict[str, Any], official_periods: Any, client_for: Any
) -> None:
    periods = tiny(official_users, official_periods)
    compute(official_users, periods, "announced")
    own = client_for("county-410821").get("/results/2024/unit/410821/")
    assert own.status_code == 200
    assert 'class="cards detail"' in own.content.decode()
    assert client_for("county-410822").get("/results/2024/unit/410821/").status_code == 403
    viewer = client_for("viewer").get("/results/2024/unit/410821/")  # not published: why
    assert 'class="cards detail"' not in viewer.content.decode()


def test_an_academic_profile_keeps_its_indicators_table(
    users: dict[str, Any], periods: Any, approved: Any, client_for: Any
) -> None:
    from tests.web.workflow import publish

    publish(users["analyst"], periods["2024"])
    html = _page(client_for("viewer"), "410821")
    assert 'class="cards detail"' not in html
    assert "得分明细" not in html
    assert "/results/2024/unit/410821/margins/" in html  # what it takes: academic too
