"""A judge's account (Role.JUDGE, issue 16) lands on the observation events and its header
links only them: judges score, they do not collect figures or follow projects."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from kaoping.web.collection.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def judge_client() -> Client:
    user: Any = get_user_model().objects.create_user("judge-x", password="pw-judge-x-1")
    Membership.objects.create(user=user, role=Role.JUDGE)
    client = Client()
    client.force_login(user)
    return client


def test_a_judge_starts_at_the_observation_events(judge_client: Client) -> None:
    response = judge_client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/parks/observation/"


def test_a_judges_header_links_the_observation_only(judge_client: Client) -> None:
    html = judge_client.get("/parks/observation/").content.decode()
    nav = re.search(r"<nav\b.*?</nav>", html, re.S)
    assert nav is not None
    assert re.findall(r'href="([^"]+)"', nav.group(0)) == ["/parks/observation/"]
