"""The 通报 (Word) of a ranking from the league page: the engine's notice of the frozen inputs
for the platform's city, 征求意见稿 while the ranking is a preview, in the page's language."""

from __future__ import annotations

import io
from typing import Any

import docx
import pytest

from kaoping.report import briefing
from kaoping.web.collection.models import Period
from kaoping.web.results import services
from kaoping.web.results.models import Assessment

from .workflow import LEFT_OUT, publish


def _text(content: bytes) -> str:
    return "".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


@pytest.fixture
def published(users: dict[str, Any], periods: dict[str, Period], approved: Any) -> Assessment:
    return publish(users["analyst"], periods["2024"])


def test_the_published_notice_states_the_engines_briefing(
    client_for: Any, published: Assessment
) -> None:
    response = client_for("viewer").get("/results/2024/?format=docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    name = f"notice-2024-{published.inputs_hash[:8]}.docx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    text = _text(response.content)
    result = services.result_of(published.inputs)
    # the platform's units are 焦作's (4108): the city's view
    for s in briefing(result, city="4108", city_name="焦作市").sentences:
        assert s.text in text
    assert "征求意见稿" not in text
    assert published.published_at is not None
    day = published.published_at.astimezone().date()
    assert f"{day.year}年{day.month}月{day.day}日" in text


def test_a_preview_is_a_draft_for_comment(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    preview = services.assessment_compute(
        actor=users["analyst"], period=periods["2024"], excluded=LEFT_OUT
    )
    response = client_for("analyst").get(f"/results/2024/?format=docx&assessment={preview.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-draft.docx"')
    assert _text(response.content).startswith("征求意见稿")
    assert preview.status != Assessment.Status.PUBLISHED


def test_an_english_page_gives_an_english_notice(client_for: Any, published: Assessment) -> None:
    client = client_for("viewer")
    client.client.cookies["django_language"] = "en"
    text = _text(client.get("/results/2024/?format=docx").content)
    assert "Notice on the results of the 2024" in text


def test_the_notice_says_the_citys_parks_of_the_year_once_published(
    client_for: Any, published: Assessment
) -> None:
    from kaoping.web.parks.models import Park, ParkRating, ParkYear

    year = ParkYear.objects.create(year=2024, status=ParkYear.Status.COMPUTED)
    parks = [
        ("41082101", "修武县产业集聚区", "410821", 2),
        ("41082201", "博爱县产业集聚区", "410822", 25),
    ]
    for code, name, county, rank in [*parks, ("41010101", "郑州某园区", "410101", 1)]:
        park = Park.objects.create(code=code, name=name, kind="产业集聚区", county_code=county)
        ParkRating.objects.create(year=year, park=park, rank=rank, score=100.0 - rank)
    client = client_for("viewer")
    assert "产业集聚区进入全省前" not in _text(client.get("/results/2024/?format=docx").content)
    # the published notice was kept before the parks' year was published: kept no more
    ParkYear.objects.filter(pk=year.pk).update(
        status=ParkYear.Status.PUBLISHED, published_at=published.published_at
    )
    text = _text(client.get("/results/2024/?format=docx").content)
    # 修武 (rank 2) is in the top 20, 博爱 (25) is not; 郑州's park is another city's
    assert "焦作市有1家产业集聚区进入全省前20位：修武县产业集聚区。" in text
    assert "修武县产业集聚区居全省第2位，为焦作市产业集聚区中最高。" in text


def _pdf_text(content: bytes) -> str:
    import io as _io

    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(_io.BytesIO(content)).pages)


def test_the_report_and_a_countys_card_as_pdf(client_for: Any, published: Assessment) -> None:
    viewer = client_for("viewer")
    response = viewer.get("/results/2024/?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    name = f"report-2024-{published.inputs_hash[:8]}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    text = "".join(_pdf_text(response.content).split())
    result = services.result_of(published.inputs)
    assert result.methodology.fingerprint() in text  # the cover's
    # the rank intervals the pages show (the frozen robustness), in the report's own section
    assert "稳健性" in text
    for s in briefing(result, city="4108", city_name="焦作市").sentences:
        assert "".join(s.text.split()) in text
    card = client_for("county-410821").get("/results/2024/unit/410821/?format=pdf")
    assert card.status_code == 200
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(card.content)).pages) == 1
    assert "修武县" in _pdf_text(card.content)
    assert card["Content-Disposition"].startswith('attachment; filename="card-2024-410821-')


def test_a_countys_card_of_a_preview_is_a_draft(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period], approved: Any
) -> None:
    preview = services.assessment_compute(
        actor=users["analyst"], period=periods["2024"], excluded=LEFT_OUT
    )
    response = client_for("analyst").get(
        f"/results/2024/unit/410821/?format=pdf&assessment={preview.pk}"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-draft.pdf"')
    assert "征求意见稿" in _pdf_text(response.content)
    assert client_for("analyst").get("/results/2024/unit/999999/?format=pdf").status_code == 404
