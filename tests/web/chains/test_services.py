"""The chains services: the workbook stored by keys, rights, the signing → project → 开工
lifecycle and its rates."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied

from kaoping.errors import InputError
from kaoping.web.chains import services
from kaoping.web.chains.models import Enterprise, Node, Signing
from kaoping.web.collection.models import AuditEvent
from kaoping.web.projects.models import Project

from .conftest import small_book


def test_a_signing_becomes_a_registry_project_of_the_dispatch(chains: SimpleNamespace) -> None:
    project = Project.objects.get(code="S1")
    assert project.unit.code == "410821"
    assert (project.batch_role, project.attracted, project.total) == ("签约", True, 30000.0)
    assert project.signed_on == dt.date(2026, 3, 1)
    assert project.industry == "新能源电池/储能系统"
    assert chains.signing.project == project
    assert AuditEvent.objects.filter(action="chains.sign").count() == 1


def test_signing_project_start_lifecycle_changes_the_rates(chains: SimpleNamespace) -> None:
    county = chains.users["county-410821"]
    as_of = dt.date(2026, 12, 31)
    before = services.signings_summary(actor=county, as_of=as_of)
    assert before["rows"].loc["410821", "fulfilled"] == 0
    signing = Signing.objects.get(project__code="S1")
    services.signing_advance(actor=county, signing=signing, stage="fulfilled", on="2026-04-01")
    services.signing_advance(actor=county, signing=signing, stage="started", on="2026-05-10")
    project = Project.objects.get(code="S1")
    assert (project.fulfilled_on, project.actual_start) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 5, 10),
    )
    assert project.stage == "在建"
    assert project.history.count() == 3  # recorded, 履约, 开工
    after = services.signings_summary(actor=county, as_of=as_of)
    row = after["rows"].loc["410821"]
    assert (row["fulfilled"], row["started"]) == (1, 1)
    assert row["fulfilment_pct"] == 100.0
    assert row["start_pct"] == 100.0
    assert services.next_stage(signing) == "produced"


def test_a_stage_before_the_previous_one_or_out_of_order_is_refused(
    chains: SimpleNamespace,
) -> None:
    county = chains.users["county-410821"]
    signing = chains.signing
    with pytest.raises(InputError) as before:
        services.signing_advance(actor=county, signing=signing, stage="fulfilled", on="2026-02-01")
    assert [p.code for p in before.value] == ["chains.bad_date"]
    with pytest.raises(InputError) as skipped:
        services.signing_advance(actor=county, signing=signing, stage="started", on="2026-05-01")
    assert [p.code for p in skipped.value] == ["chains.bad_stage"]
    assert Project.objects.get(code="S1").fulfilled_on is None


def test_another_county_may_neither_record_nor_advance(chains: SimpleNamespace) -> None:
    other = chains.users["county-410822"]
    with pytest.raises(PermissionDenied):
        services.signing_advance(actor=other, signing=chains.signing, stage="fulfilled",
                                 on="2026-04-01")  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.signing_record(actor=other, county="410821", name="x", investor="y",
                                amount="1", signed_on="2026-01-01")  # fmt: skip


def test_a_bad_signing_names_every_field(chains: SimpleNamespace) -> None:
    with pytest.raises(InputError) as error:
        services.signing_record(actor=chains.users["analyst"], county="410822", name="",
                                investor="甲", amount="-5", signed_on="2026-13-01",
                                node="NOPE", code="S1")  # fmt: skip
    assert {p.where for p in error.value} == {"name", "signed_on", "code", "node", "amount"}
    assert Signing.objects.count() == 1


def test_storing_the_book_again_changes_nothing_and_deletes_nothing(
    chains: SimpleNamespace,
) -> None:
    analyst = chains.users["analyst"]
    done = services.book_store(actor=analyst, book=small_book())
    assert done["nodes"] == {"created": 0, "updated": 0, "unchanged": 4}
    assert done["kept"] == {"signings": ["S1"]}
    assert Enterprise.objects.count() == 3
    assert Node.objects.get(code="U11").parent.code == "U1"


def test_a_book_with_problems_stores_nothing(chains: SimpleNamespace) -> None:
    book = small_book()
    book.nodes.loc[0, "chain"] = "XX"
    book.enterprises.loc[0, "county"] = "999999"
    with pytest.raises(InputError) as error:
        services.book_store(actor=chains.users["analyst"], book=book)
    assert {p.code for p in error.value} >= {"chains.unknown_chain", "chains.unknown_county"}


def test_strength_and_gaps_follow_the_office_rules(chains: SimpleNamespace) -> None:
    analyst = chains.users["analyst"]
    gaps = services.gap_list(actor=analyst)
    assert list(gaps.index) == ["U11", "D1"] or "D1" in gaps.index
    assert gaps.loc["D1", "status"] == "已签约"
    services.rules_update(actor=analyst, missing_below=1, weak_below=1, weak_share_pct=None,
                          weak_without_above_scale=False)  # fmt: skip
    assert list(services.gap_list(actor=analyst).index) == ["D1"]
    with pytest.raises(InputError):
        services.rules_update(actor=analyst, weak_below=-1)
    with pytest.raises(PermissionDenied):
        services.rules_update(actor=chains.users["county-410821"], weak_below=2)
