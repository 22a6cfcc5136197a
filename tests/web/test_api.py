"""The JSON API: published assessments only, to a token only, described by OpenAPI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client
from rest_framework.authtoken.models import Token

from kaoping.web.collection.models import Period, Unit
from kaoping.web.results.models import Assessment

from . import children

RESULTS = [
    {"unit": "410821", "name": "修武县", "category": "A", "score": 70.25, "rank": 1,
     "category_rank": 1, "tier": "第一方阵", "dimensions": {"economy": 60.0}},
]  # fmt: skip


def _assessment(period: Period, status: str) -> Assessment:
    return Assessment.objects.create(
        period=period, methodology="county_hqd", status=status, inputs={},
        inputs_hash="cd" * 32, results=RESULTS,
    )  # fmt: skip


def _client(user: Any) -> Client:
    token = Token.objects.create(user=user)
    return Client(headers={"Authorization": f"Token {token.key}"})


def test_it_lists_only_published_assessments(
    users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    published = _assessment(periods["2024"], "published")
    _assessment(periods["2024"], "computed")  # a preview: never in the API
    body = _client(users["viewer"]).get("/api/assessments/").json()
    assert [a["id"] for a in body] == [published.pk]
    assert body[0]["period"] == "2024"
    assert body[0]["inputs_hash"] == "cd" * 32
    assert body[0]["results"][0]["rank"] == 1
    detail = _client(users["analyst"]).get(f"/api/assessments/{published.pk}/").json()
    assert detail["results"] == RESULTS


def test_it_filters_by_period(
    users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    _assessment(periods["2023"], "published")
    client = _client(users["viewer"])
    assert [a["period"] for a in client.get("/api/assessments/?period=2024").json()] == []
    assert len(client.get("/api/assessments/?period=2023").json()) == 1


def test_it_requires_a_token_and_refuses_writes(
    users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    published = _assessment(periods["2024"], "published")
    assert Client().get("/api/assessments/").status_code == 401
    bad = Client(headers={"Authorization": "Token not-a-token"})
    assert bad.get("/api/assessments/").status_code == 401
    client = _client(users["viewer"])
    assert client.delete(f"/api/assessments/{published.pk}/").status_code == 405
    assert client.post("/api/assessments/", {}).status_code == 405


def test_an_account_past_its_rate_is_answered_429_with_when_to_come_back(
    users: dict[str, Any], periods: dict[str, Period], units: dict[str, Unit]
) -> None:
    """The rate in the settings (KAOPING_API_RATE, 60 a minute by default): that many
    requests answered, the next one 429; another account keeps its own count."""
    from django.conf import settings

    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"]
    allowed = int(rate.split("/")[0])
    client = _client(users["viewer"])
    assert [client.get("/api/assessments/").status_code for _ in range(allowed)] == [200] * allowed
    refused = client.get("/api/assessments/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert _client(users["analyst"]).get("/api/assessments/").status_code == 200


THROTTLED = """
import sys, django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

if sys.argv[1] == "first":
    call_command("migrate", verbosity=0)
    Token.objects.create(key="a" * 40, user=get_user_model().objects.create_user("reader"))
client = Client(headers={"Authorization": "Token " + "a" * 40})
print(*(client.get("/api/assessments/", secure=True).status_code for _ in range(2)))
"""


def test_the_rate_is_counted_across_worker_processes(tmp_path: Path) -> None:
    """Two processes, as two gunicorn workers, share the count through the cache's folder:
    3 a minute, two requests each, the fourth refused."""
    env = children.environment(
        tmp_path, KAOPING_API_RATE="3/minute", KAOPING_ALLOWED_HOSTS="testserver"
    )
    assert children.run(THROTTLED, env, tmp_path, "first")[0].split() == ["200", "200"]
    assert children.run(THROTTLED, env, tmp_path, "second")[0].split() == ["200", "429"]


def test_the_openapi_description_is_for_those_logged_in(
    users: dict[str, Any], client_for: Any
) -> None:
    assert Client().get("/api/schema/").status_code == 401
    page = client_for("county-410821").get("/api/schema/?format=json")  # a session
    assert page.status_code == 200
    assert "/api/assessments/" in page.json()["paths"]


def test_the_openapi_description_names_the_endpoints(users: dict[str, Any]) -> None:
    schema = _client(users["viewer"]).get("/api/schema/", {"format": "json"}).json()
    assert schema["openapi"].startswith("3.")
    assert "/api/assessments/" in schema["paths"]
    assert "/api/assessments/{id}/" in schema["paths"]
