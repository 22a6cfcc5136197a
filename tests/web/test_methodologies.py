"""The analyst adds a methodology (考核办法) as YAML: the engine checks it (every problem with its
line, nothing stored), it is listed beside the bundled ones, a new period may use it, and the
counties' forms, the template and the assessment follow it.  A period names a methodology by
key only, never a file on the server."""

from __future__ import annotations

from typing import Any

import pytest

from kaoping.errors import InputError
from kaoping.methodology import bundled, dumps, loads
from kaoping.web.collection import services
from kaoping.web.collection.methodologies import methodology_add, methodology_of
from kaoping.web.collection.models import (
    AuditEvent,
    Period,
    StoredMethodology,
    Submission,
    Unit,
    Value,
)
from kaoping.web.results import services as results

MINI = """\
id: jiaozuo_mini
name: 焦作县域简表
name_en: Jiaozuo short form
dimensions:
  - id: econ
    name: 经济
    indicators:
      - {id: gdp, name: 地区生产总值, unit: 亿元, direction: 正向}
      - {id: energy, name: 单位GDP能耗, unit: 吨标准煤/万元, direction: 逆向}
"""


def test_an_analyst_adds_a_methodology_and_a_period_uses_it(
    client_for: Any, users: dict[str, Any], units: dict[str, Unit], periods: Any
) -> None:
    analyst = client_for("analyst")
    added = analyst.post("/methodologies/", {"key": "jiaozuo_mini", "text": MINI})
    assert added.status_code == 302
    assert added["Location"] == "/methodologies/jiaozuo_mini/"
    stored = StoredMethodology.objects.get()
    assert (stored.key, stored.name, stored.uploaded_by) == (
        "jiaozuo_mini", "焦作县域简表", users["analyst"],
    )  # fmt: skip
    event = AuditEvent.objects.get(action=AuditEvent.Action.METHODOLOGY_ADD)
    assert event.data == {"key": "jiaozuo_mini", "name": "焦作县域简表", "indicators": 2}
    listing = analyst.get("/methodologies/").content.decode()
    assert "jiaozuo_mini" in listing
    assert "county_hqd" in listing  # the bundled ones beside it
    page = analyst.get("/methodologies/jiaozuo_mini/").content.decode()
    assert "单位GDP能耗" in page
    assert "吨标准煤/万元" in page
    assert "<td>逆向</td>" in page  # directions in the interface's language
    download = analyst.get("/methodologies/jiaozuo_mini/?format=yaml")
    assert download.content.decode() == MINI
    # a new period may use it; the county's form has its two indicators
    assert 'value="jiaozuo_mini"' in analyst.get("/periods/").content.decode()
    created = analyst.post(
        "/periods/", {"code": "2025", "methodology": "jiaozuo_mini", "previous": "", "deadline": ""}
    )
    assert created.status_code == 302
    period = Period.objects.get(code="2025")
    services.period_open(actor=users["analyst"], period=period)
    form = client_for("county-410821").get("/collect/2025/")
    assert [r["id"] for r in form.context["rows"]] == ["gdp", "energy"]


def test_an_assessment_of_an_uploaded_methodology_freezes_its_text(
    users: dict[str, Any], units: dict[str, Unit]
) -> None:
    analyst = users["analyst"]
    methodology_add(actor=analyst, key="jiaozuo_mini", text=MINI)
    period = Period.objects.create(code="2025", methodology="jiaozuo_mini", status="open")
    for code, gdp, energy in (("410821", 200.0, 0.5), ("410822", 150.0, 0.4)):
        submission = Submission.objects.create(unit=units[code], period=period, status="approved")
        Value.objects.create(submission=submission, indicator="gdp", value=gdp)
        Value.objects.create(submission=submission, indicator="energy", value=energy)
    assessment = results.assessment_compute(actor=analyst, period=period)
    assert assessment.inputs["methodology"] == dumps(loads(MINI))
    assert {r["unit"] for r in assessment.results} == {"410821", "410822"}
    assert results.assessment_verify(assessment=assessment)


def test_a_bad_methodology_is_refused_with_every_problem_and_its_line(
    client_for: Any, users: dict[str, Any]
) -> None:
    bad = MINI.replace("direction: 逆向", "direction: sideways")
    page = client_for("analyst").post("/methodologies/", {"key": "county_hqd", "text": bad})
    assert page.status_code == 200
    problems = page.context["problems"]
    assert any("county_hqd" in p and "已有考核办法" in p for p in problems)  # the key
    assert any(p.startswith("county_hqd.yaml:9:") for p in problems)  # the line
    assert not StoredMethodology.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("key", ["Jiaozuo", "1x", "a", "jiaozuo mini", "../etc"])
def test_a_malformed_key_is_refused(users: dict[str, Any], key: str) -> None:
    with pytest.raises(InputError) as refused:
        methodology_add(actor=users["analyst"], key=key, text=MINI)
    assert refused.value.codes == ["web.methodology_key_malformed"]


def test_a_period_never_names_a_file_on_the_server(users: dict[str, Any]) -> None:
    path = str(bundled()["county_hqd"])  # a methodology file that loads, by its path
    with pytest.raises(InputError) as refused:
        services.period_create(actor=users["analyst"], code="2030", methodology=path)
    assert refused.value.codes == ["web.unknown_methodology"]
    with pytest.raises(InputError):
        methodology_of(path)
    assert not Period.objects.filter(code="2030").exists()


def test_an_uploaded_file_is_read_as_utf8_and_a_counties_account_is_refused(
    client_for: Any, users: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("mini.yaml", "\ufeff".encode() + MINI.encode())
    analyst = client_for("analyst")
    assert analyst.post("/methodologies/", {"key": "mini", "file": upload}).status_code == 302
    assert methodology_of("mini").name == "焦作县域简表"
    latin = SimpleUploadedFile("gbk.yaml", MINI.encode("gbk"))
    page = analyst.post("/methodologies/", {"key": "mini2", "file": latin})
    assert "UTF-8" in " ".join(page.context["problems"])
    county = client_for("county-410821")
    assert county.get("/methodologies/").status_code == 403
    assert county.post("/methodologies/", {"key": "x2", "text": MINI}).status_code == 403
    assert StoredMethodology.objects.count() == 1


def test_the_methodology_page_says_its_missing_value_policy_and_its_rules(
    client_for: Any, users: dict[str, Any]
) -> None:
    page = client_for("analyst").get("/methodologies/county_hqd/").content.decode()
    assert "未填报的数值按考核办法估算（mean：均值插补）" in page  # county_hqd: missing: mean
    assert "income_ratio == urban_income / rural_income" in page
    assert "须在 0–100% 之间" in page  # a share's hard range, beside the indicator
    official = client_for("analyst").get("/methodologies/county_hqd_official/").content.decode()
    assert "官方计分的考核办法从不插补" in official
