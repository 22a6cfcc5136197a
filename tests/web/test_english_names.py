"""On an English page the platform's own pages name units, methodologies, dimensions and
indicators in English where they have an English name (``Unit.name_en``, the methodology's
``name_en``), and in Chinese where they have none; a Chinese page keeps the Chinese names."""

from __future__ import annotations

from typing import Any

from kaoping.methodology import load
from kaoping.web.collection.models import Period, Submission, Unit

ENGLISH = {"410821": "Xiuwu County", "410822": "Bo'ai County"}


def _english(client: Any) -> Any:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_the_collection_pages_name_units_and_indicators_in_english(
    client_for: Any, users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    for code, name in ENGLISH.items():
        Unit.objects.filter(code=code).update(name_en=name)
    Period.objects.filter(pk=periods["2024"].pk).update(status="open")
    Submission.objects.create(unit=units["410821"], period=periods["2024"], status="submitted")
    methodology = load("county_hqd")
    first = methodology.indicators[0]
    assert first.name_en  # the bundled methodology names every indicator in English
    analyst = _english(client_for("analyst"))
    county = _english(client_for("county-410821"))
    pages = {
        "dashboard": analyst.get("/review/2024/"),
        "review": analyst.get("/review/2024/410821/"),
        "compute": analyst.get("/results/2024/compute/"),
        "accounts": analyst.get("/accounts/counties/"),
        "form": county.get("/collect/2024/"),
        "methodology": analyst.get("/methodologies/county_hqd/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
    text = {name: response.content.decode() for name, response in pages.items()}
    for name in ("dashboard", "review", "compute", "accounts", "form"):
        assert "Xiuwu County" in text[name], name
        assert "修武县" not in text[name], name
    assert "博爱县" not in text["dashboard"]  # with its English name
    for name in ("review", "form", "methodology"):
        assert first.name_en in text[name], name
    assert methodology.name_en is not None
    assert methodology.name_en in text["methodology"]
    assert methodology.dimensions[0].name_en in text["methodology"]
    # a Chinese page: the Chinese names
    chinese = client_for("analyst").get("/review/2024/").content.decode()
    assert "修武县" in chinese
    assert "Xiuwu County" not in chinese
