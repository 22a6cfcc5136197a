"""Assessment and publication: computed by the engine from approved figures only, frozen with
the SHA-256 of its inputs, announced for objections, published once the window is over and
every objection answered; a recomputation from the frozen inputs gives identical numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pandas as pd
import pytest
from django.core.exceptions import PermissionDenied

import kaoping
from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent, Period
from kaoping.web.results import services
from kaoping.web.results.models import Assessment

from .workflow import LEFT_OUT


def test_nothing_is_computed_before_any_submission_is_approved(
    users: dict[str, Any], periods: dict[str, Period]
) -> None:
    with pytest.raises(InputError) as error:
        services.assessment_compute(actor=users["analyst"], period=periods["2024"])
    assert "web.nothing_approved" in error.value.codes


def test_it_computes_what_the_engine_computes_on_the_approved_figures_alone(
    users: dict[str, Any], periods: dict[str, Period], approved: dict[str, dict[str, float]]
) -> None:
    assessment = services.assessment_compute(
        actor=users["analyst"], period=periods["2024"], excluded=LEFT_OUT
    )
    # the reference: kaoping.assess directly on the two approved units' figures
    rows = [(u, i, "2024", v) for u in ("410821", "410822") for i, v in approved[u].items()]
    panel = kaoping.Panel(pd.DataFrame(rows, columns=["unit", "indicator", "period", "value"]))
    units = kaoping.Units(
        pd.DataFrame(
            {"code": ["410821", "410822"], "name": ["修武县", "博爱县"],
             "category": ["非重点生态功能区"] * 2}
        )
    )  # fmt: skip
    methodology = kaoping.load_methodology("county_hqd")
    expected = kaoping.assess(methodology, panel, "2024", units=units).to_records()
    # and its robustness: the engine's uncertainty analysis, 1,000 samples, seed 1
    from kaoping.analysis.uncertainty import uncertainty

    solid = uncertainty(methodology, panel, "2024", units=units, n=1000, rng=1).table
    for record in expected:
        row = solid.loc[record["unit"]]
        record["robust"] = {
            "p05": int(row["p05"]), "p95": int(row["p95"]), "median": int(row["median_rank"]),
            "tier": "第一方阵", "p_first": round(float(row["P(第一方阵)"]), 4), "samples": 1000,
        }  # fmt: skip
    assert assessment.inputs["robustness"] == {"samples": 1000, "seed": 1}
    assert assessment.results == expected
    assert {r["unit"] for r in assessment.results} == {"410821", "410822"}
    canonical = json.dumps(
        assessment.inputs, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert assessment.inputs_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert services.assessment_verify(assessment=assessment)


def test_verification_notices_a_changed_number_or_input(
    users: dict[str, Any], periods: dict[str, Period], approved: dict[str, dict[str, float]]
) -> None:
    assessment = services.assessment_compute(
        actor=users["analyst"], period=periods["2024"], excluded=LEFT_OUT
    )
    forged = Assessment.objects.get(pk=assessment.pk)
    forged.results[0]["score"] += 1e-9
    assert not services.assessment_verify(assessment=forged)
    forged = Assessment.objects.get(pk=assessment.pk)
    forged.inputs["values"][0][2] += 1.0
    assert not services.assessment_verify(assessment=forged)


def test_announce_object_answer_publish(
    users: dict[str, Any], periods: dict[str, Period], approved: dict[str, dict[str, float]]
) -> None:
    analyst, county = users["analyst"], users["county-410821"]
    assessment = services.assessment_compute(
        actor=analyst, period=periods["2024"], excluded=LEFT_OUT
    )
    with pytest.raises(InputError) as error:
        services.assessment_publish(actor=analyst, assessment=assessment)
    assert error.value.codes == ["web.not_announced"]
    services.assessment_announce(actor=analyst, assessment=assessment, days=5)
    objection = services.objection_raise(
        actor=county, assessment=assessment, text="我县规上工业增加值增速有误"
    )
    with pytest.raises(PermissionDenied):
        services.objection_raise(actor=users["viewer"], assessment=assessment, text="x")
    with pytest.raises(InputError) as error:  # the window is open and an objection waits
        services.assessment_publish(actor=analyst, assessment=assessment)
    assert error.value.codes == ["web.window_open", "web.unanswered_objections"]
    services.objection_answer(
        actor=analyst, objection=objection, answer="已核实，数据无误。", accept=False
    )
    # the window is over
    assessment.objections_until = dt.date.today() - dt.timedelta(days=1)
    assessment.save(update_fields=["objections_until"])
    with pytest.raises(PermissionDenied):  # no objection after the window
        services.objection_raise(actor=county, assessment=assessment, text="晚了")
    published = services.assessment_publish(actor=analyst, assessment=assessment)
    assert published.status == Assessment.Status.PUBLISHED
    assert published.published_at is not None
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == [
        "assessment.compute",
        "assessment.announce",
        "assessment.object",
        "assessment.answer",
        "assessment.publish",
    ]


def test_only_reviewers_compute_announce_and_publish(
    users: dict[str, Any], periods: dict[str, Period], approved: dict[str, dict[str, float]]
) -> None:
    for name in ("county-410821", "viewer"):
        with pytest.raises(PermissionDenied):
            services.assessment_compute(actor=users[name], period=periods["2024"])
    assessment = services.assessment_compute(
        actor=users["admin"], period=periods["2024"], excluded=LEFT_OUT
    )
    with pytest.raises(PermissionDenied):
        services.assessment_announce(actor=users["county-410821"], assessment=assessment, days=3)
    with pytest.raises(InputError):
        services.assessment_announce(actor=users["admin"], assessment=assessment, days=0)


def test_an_assessment_computed_before_robustness_was_kept_stays_fresh_and_verifiable(
    users: dict[str, Any], periods: dict[str, Period], approved: dict[str, dict[str, float]]
) -> None:
    """Assessments frozen without ``robustness`` (before it was computed with them) are not
    made stale by it, and recompute to the same numbers, without it."""
    fresh = services.assessment_compute(
        actor=users["analyst"], period=periods["2024"], excluded=LEFT_OUT
    )
    inputs = {k: v for k, v in fresh.inputs.items() if k != "robustness"}
    results = [{k: v for k, v in r.items() if k != "robust"} for r in fresh.results]
    old = Assessment.objects.create(
        period=periods["2024"], methodology="county_hqd", inputs=inputs,
        inputs_hash=services.inputs_hash(inputs), results=results,
    )  # fmt: skip
    assert not services.is_stale(old)
    assert not services.is_stale(fresh)
    assert services.assessment_verify(assessment=old)
    assert all("robust" not in r for r in services.evaluate(old.inputs))
