"""The services of bonus, penalty and veto items: propose (rights, rules, points against the
caps, evidence checked by content, one transaction with the files), decide (approve, reject,
withdraw), read the evidence, object to an item during 公示.

The period is 2024 under the bundled county_hqd_official, whose items are: bonus
four_good_roads (1 point, no cap of its own), industry_top100 (1), national_pilot (0.5, cap 1);
penalty criticised (0.5, cap 2); veto accident; caps per county: bonus 2, penalty 3.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import filetype
import pytest
from django.core.exceptions import PermissionDenied

from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent, Period
from kaoping.web.official import items
from kaoping.web.official.models import Evidence, Item
from kaoping.web.results import services as results
from kaoping.web.results.models import Assessment, Objection

from . import items_kit as kit
from .items_kit import A, B, C, mini, propose

__all__ = ["mini"]  # the fixture, used below


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Each test its own media root (an empty folder), so that "no file on disk" means it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def period(official_periods: dict[str, Period]) -> Period:
    return official_periods["2024"]


def _codes(error: InputError) -> list[str]:
    return [p.code for p in error]


def _nothing_stored() -> bool:
    return not Item.objects.exists() and not Evidence.objects.exists() and kit.stored() == []


# --- the evidence's type, read from its content ------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("通报.pdf", kit.pdf, ("application/pdf", "pdf")),
        ("现场照片.png", kit.png, ("image/png", "png")),
        ("决定.docx", kit.docx, (items.DOCX, "docx")),
        ("名单.xlsx", kit.xlsx, (items.XLSX, "xlsx")),
        # the name says nothing: the content does
        ("scan", kit.pdf, ("application/pdf", "pdf")),
        ("照片.pdf", kit.png, ("image/png", "png")),
    ],
)
def test_it_reads_the_type_of_an_evidence_file_from_its_content(
    name: str, make: Any, expected: tuple[str, str]
) -> None:
    assert items.evidence_check(kit.upload(name, make(), "application/octet-stream")) == expected


def test_it_recognises_a_word_file_whose_main_part_comes_late_in_the_archive() -> None:
    """filetype looks for word/ among the first few entries only: with five custom parts
    before it, filetype alone calls the file a zip; the archive's listing says DOCX."""
    content = kit.docx(parts_first=5)
    assert filetype.guess(content).mime == "application/zip"  # what the check must go beyond
    assert items.evidence_check(kit.upload("决定.docx", content)) == (items.DOCX, "docx")


def test_a_zip_that_is_not_an_office_file_is_refused() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    found = items.evidence_check(kit.upload("材料.docx", buffer.getvalue()))
    assert isinstance(found, items.Problem)
    assert found.code == "web.evidence_type"


BAD = [
    # (uploaded name, content, browser's content type, problem code, what the message says)
    ("通报.pdf", kit.exe(), "application/pdf", "web.evidence_type", "application/x-msdownload"),
    ("照片.png", "这不是图片，只是文字".encode(), "image/png", "web.evidence_type", "照片.png"),
    ("空文件.pdf", b"", "application/pdf", "web.evidence_empty", "0 字节"),
]


@pytest.mark.parametrize(("name", "content", "claimed", "code", "said"), BAD,
                         ids=["exe-as-pdf", "text-as-png", "empty"])  # fmt: skip
def test_a_bad_evidence_file_is_refused_naming_it_and_nothing_is_stored(
    official_users: dict[str, Any], period: Period, name: str, content: bytes, claimed: str,
    code: str, said: str,
) -> None:  # fmt: skip
    with pytest.raises(InputError) as caught:
        propose(official_users["dept-eco"], period, files=[kit.upload(name, content, claimed)])
    (problem,) = list(caught.value)
    assert problem.code == code
    assert problem.where == "files"
    assert name in problem.zh
    assert name in problem.en
    assert said in problem.zh
    if code == "web.evidence_type":  # the fix: what may be uploaded
        assert "PDF" in problem.zh
        assert "Excel" in problem.en
    assert _nothing_stored()


def test_a_file_over_the_limit_is_refused_naming_the_limit_in_mb(
    official_users: dict[str, Any], period: Period, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024  # 1 MB
    big = kit.pdf() + b"%" + b"0" * (1024 * 1024)  # a valid PDF start, 1 MB + ~700 bytes
    with pytest.raises(InputError) as caught:
        propose(official_users["dept-eco"], period, files=[kit.upload("扫描件.pdf", big)])
    (problem,) = list(caught.value)
    assert problem.code == "web.evidence_too_big"
    assert "扫描件.pdf" in problem.zh
    assert "上限 1 MB" in problem.zh
    assert "limit of 1 MB" in problem.en
    assert _nothing_stored()


def test_one_bad_file_among_good_ones_stores_none_of_them(
    official_users: dict[str, Any], period: Period
) -> None:
    files = [
        kit.upload("通报.pdf", kit.pdf()),
        kit.upload("病毒.pdf", kit.exe()),
        kit.upload("照片.png", kit.png(), "image/png"),
    ]
    with pytest.raises(InputError) as caught:
        propose(official_users["dept-eco"], period, files=files)
    assert [p.zh.split("：")[0] for p in caught.value] == ["文件 病毒.pdf 不能作为证明材料"]
    assert _nothing_stored()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ITEM_PROPOSE).exists()


def test_files_written_for_a_proposal_that_fails_are_removed_again(
    official_users: dict[str, Any], period: Period, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files are written inside the transaction; when a later step fails (here the audit
    log refuses its event), the transaction rolls back and the files it wrote are deleted."""
    written: list[str] = []
    original = items._store

    def spy(storage: Any, upload: Any, digest: str, extension: str, out: list[str]) -> str:
        name = original(storage, upload, digest, extension, out)
        written.append(name)
        assert storage.exists(name)  # on disk at that moment
        return name

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(items, "_store", spy)
    monkeypatch.setattr(AuditEvent, "record", refuse)
    files = [kit.upload("通报.pdf", kit.pdf()), kit.upload("照片.png", kit.png())]
    with pytest.raises(RuntimeError):
        propose(official_users["dept-eco"], period, files=files)
    assert len(written) == 2
    assert _nothing_stored()


# --- proposing: what is stored ------------------------------------------------------------


def test_a_department_proposes_an_item_with_its_evidence(
    official_users: dict[str, Any], period: Period, media: Path
) -> None:
    import hashlib

    content = kit.pdf("criticised")
    dept = official_users["dept-eco"]
    photo = kit.upload("整改照片.png", kit.png(), "text/plain")  # the browser's type: wrong
    files = [kit.upload("省政府通报.pdf", content), photo]
    item = propose(dept, period, files=files)
    assert (item.kind, item.rule, item.points) == ("penalty", "criticised", 0.5)
    assert item.status == "proposed"
    assert (item.department, item.proposed_by, item.unit.code) == ("生态环境局", dept, "410821")
    assert item.date == dt.date(2024, 6, 30)
    first, second = item.evidence.all()
    digest = hashlib.sha256(content).hexdigest()
    assert (first.name, first.content_type, first.extension, first.size, first.sha256) == (
        "省政府通报.pdf", "application/pdf", "pdf", len(content), digest
    )  # fmt: skip
    assert first.file.name == f"evidence/{digest[:2]}/{digest}.pdf"
    assert (media / first.file.name).read_bytes() == content
    assert (second.content_type, second.extension) == ("image/png", "png")  # not text/plain
    event = AuditEvent.objects.get(action=AuditEvent.Action.ITEM_PROPOSE)
    assert event.actor == dept
    assert event.data["item"] == item.pk
    assert event.data["evidence"] == [digest, second.sha256]


def test_the_same_file_given_twice_is_stored_once(
    official_users: dict[str, Any], period: Period
) -> None:
    analyst = official_users["analyst"]
    one = propose(analyst, period)
    two = propose(analyst, period, unit="410822")
    assert one.evidence.get().file.name == two.evidence.get().file.name
    assert len(kit.stored()) == 1


def test_the_points_default_to_the_rules_points(
    official_users: dict[str, Any], period: Period
) -> None:
    assert propose(official_users["analyst"], period, rule="national_pilot").points == 0.5
    assert propose(official_users["analyst"], period, rule="four_good_roads").points == 1.0


@pytest.mark.parametrize(
    ("rule", "points", "cap"),
    [
        ("criticised", "2.5", "2"),  # the rule's own cap
        ("national_pilot", "1.5", "1"),
        ("four_good_roads", "3", "2"),  # no cap of its own: the county's bonus cap
    ],
)
def test_points_above_the_cap_are_refused_naming_the_cap(
    official_users: dict[str, Any], period: Period, rule: str, points: str, cap: str
) -> None:
    with pytest.raises(InputError) as caught:
        propose(official_users["analyst"], period, rule=rule, points=points)
    (problem,) = list(caught.value)
    assert problem.code == "web.item_points_cap"
    assert problem.where == "points"
    assert f"最多加分 {cap} 分" in problem.zh or f"最多减分 {cap} 分" in problem.zh
    assert f"at most {cap} points" in problem.en
    assert _nothing_stored()


def test_points_at_the_cap_are_accepted(official_users: dict[str, Any], period: Period) -> None:
    analyst = official_users["analyst"]
    assert propose(analyst, period, points="2").points == 2.0
    assert propose(analyst, period, rule="four_good_roads", points="2").points == 2.0


@pytest.mark.parametrize("points", ["0", "-0.5", "半分"])
def test_zero_negative_or_unreadable_points_are_refused(
    official_users: dict[str, Any], period: Period, points: str
) -> None:
    with pytest.raises(InputError) as caught:
        propose(official_users["analyst"], period, points=points)
    assert [p.where for p in caught.value] == ["points"]


def test_a_veto_takes_no_points(official_users: dict[str, Any], period: Period) -> None:
    analyst = official_users["analyst"]
    with pytest.raises(InputError) as caught:
        propose(analyst, period, rule="accident", points="1")
    assert _codes(caught.value) == ["web.veto_points"]
    item = propose(analyst, period, rule="accident")
    assert (item.kind, item.points) == ("veto", None)


def test_every_problem_is_reported_at_once(official_users: dict[str, Any], period: Period) -> None:
    with pytest.raises(InputError) as caught:
        propose(official_users["analyst"], period, unit="419999", rule="nothing", reason=" ",
                document="", date="2024/13/01", files=[])  # fmt: skip
    assert sorted(p.where for p in caught.value) == [
        "date", "document", "files", "reason", "rule", "unit"
    ]  # fmt: skip
    assert _nothing_stored()


# --- proposing: who may -------------------------------------------------------------------


def test_a_department_may_not_propose_a_rule_outside_its_list(
    official_users: dict[str, Any], period: Period
) -> None:
    with pytest.raises(InputError) as caught:
        propose(official_users["dept-eco"], period, rule="four_good_roads")
    (problem,) = list(caught.value)
    assert problem.code == "web.item_rule_not_yours"
    assert "criticised（被省政府通报批评）" in problem.zh  # what it may propose
    with pytest.raises(InputError) as caught:
        propose(official_users["dept-stat"], period)  # 统计局 may propose none
    (problem,) = list(caught.value)
    assert problem.code == "web.item_rule_not_yours"
    assert problem.zh.endswith("本部门可以提出：无。")
    assert _nothing_stored()


def test_the_city_office_may_propose_under_any_rule(
    official_users: dict[str, Any], period: Period
) -> None:
    every = [r.id for r in items.rules_for(official_users["analyst"], period)]
    assert every == ["four_good_roads", "industry_top100", "national_pilot", "criticised",
                     "accident"]  # fmt: skip
    assert [r.id for r in items.rules_for(official_users["dept-eco"], period)] == ["criticised"]
    item = propose(official_users["admin"], period, rule="industry_top100", unit="410823")
    assert (item.kind, item.department) == ("bonus", "")


@pytest.mark.parametrize("role", ["county-410821", "viewer"])
def test_a_county_or_a_viewer_may_not_propose(
    official_users: dict[str, Any], period: Period, role: str
) -> None:
    with pytest.raises(PermissionDenied):
        propose(official_users[role], period)
    assert _nothing_stored()


def test_an_academic_period_has_no_items(official_users: dict[str, Any]) -> None:
    academic = Period.objects.create(code="2022", methodology="county_hqd", status="open")
    with pytest.raises(InputError) as caught:
        propose(official_users["analyst"], academic)
    assert _codes(caught.value) == ["web.items_academic"]
    assert _nothing_stored()


def _published(period: Period, inputs: dict[str, Any] | None = None) -> Assessment:
    return Assessment.objects.create(
        period=period, methodology=period.methodology, inputs=inputs or {"items": []},
        inputs_hash="0" * 64, results=[], status=Assessment.Status.PUBLISHED,
    )  # fmt: skip


def test_nothing_is_proposed_once_the_ranking_is_published(
    official_users: dict[str, Any], period: Period
) -> None:
    _published(period)
    with pytest.raises(InputError) as caught:
        propose(official_users["analyst"], period)
    assert _codes(caught.value) == ["web.items_published"]


# --- deciding -----------------------------------------------------------------------------


def test_the_office_approves_rejects_and_withdraws(
    official_users: dict[str, Any], period: Period
) -> None:
    analyst = official_users["analyst"]
    one, two = propose(official_users["dept-eco"], period), propose(analyst, period)
    approved = items.item_approve(actor=analyst, item=one)
    assert (approved.status, approved.decided_by, approved.decision) == ("approved", analyst, "")
    rejected = items.item_reject(actor=analyst, item=two, reason="材料不足")
    assert (rejected.status, rejected.decision) == ("rejected", "材料不足")
    withdrawn = items.item_withdraw(actor=analyst, item=one, reason="异议成立：已整改")
    assert (withdrawn.status, withdrawn.decision) == ("rejected", "异议成立：已整改")
    events = AuditEvent.objects.filter(action__startswith="item.").order_by("seq")
    assert [(e.action, e.data["item"], e.data.get("withdrawn")) for e in events] == [
        ("item.propose", one.pk, None), ("item.propose", two.pk, None),
        ("item.approve", one.pk, False), ("item.reject", two.pk, False),
        ("item.reject", one.pk, True),
    ]  # fmt: skip


def test_a_rejection_or_withdrawal_needs_a_reason(
    official_users: dict[str, Any], period: Period
) -> None:
    analyst = official_users["analyst"]
    item = propose(analyst, period)
    with pytest.raises(InputError):
        items.item_reject(actor=analyst, item=item, reason="  ")
    items.item_approve(actor=analyst, item=item)
    with pytest.raises(InputError):
        items.item_withdraw(actor=analyst, item=item, reason="")
    item.refresh_from_db()
    assert item.status == "approved"


def test_a_decided_item_is_not_decided_again(
    official_users: dict[str, Any], period: Period
) -> None:
    analyst = official_users["analyst"]
    item = propose(analyst, period)
    items.item_reject(actor=analyst, item=item, reason="不符合条件")
    with pytest.raises(PermissionDenied):
        items.item_approve(actor=analyst, item=item)
    with pytest.raises(PermissionDenied):  # only an approved item is withdrawn
        items.item_withdraw(actor=analyst, item=item, reason="x")


@pytest.mark.parametrize("role", ["dept-eco", "county-410821", "viewer"])
def test_only_the_office_decides(official_users: dict[str, Any], period: Period, role: str) -> None:
    item = propose(official_users["dept-eco"], period)
    with pytest.raises(PermissionDenied):
        items.item_approve(actor=official_users[role], item=item)
    with pytest.raises(PermissionDenied):
        items.item_reject(actor=official_users[role], item=item, reason="x")
    item.refresh_from_db()
    assert item.status == "proposed"


def test_nothing_is_decided_once_the_ranking_is_published(
    official_users: dict[str, Any], period: Period
) -> None:
    analyst = official_users["analyst"]
    proposed, approved = propose(analyst, period), propose(analyst, period)
    items.item_approve(actor=analyst, item=approved)
    _published(period)
    with pytest.raises(PermissionDenied):
        items.item_approve(actor=analyst, item=proposed)
    with pytest.raises(PermissionDenied):
        items.item_withdraw(actor=analyst, item=approved, reason="迟到的异议")


# --- reading the evidence -----------------------------------------------------------------


def _opened(user: Any, evidence: Evidence) -> bytes | None:
    try:
        handle, _name, _type = items.evidence_open(actor=user, evidence=evidence)
    except PermissionDenied:
        return None
    with handle:
        return bytes(handle.read())


def test_the_evidence_opens_to_those_who_see_the_item_only(
    official_users: dict[str, Any], period: Period
) -> None:
    content = kit.pdf("only for some")
    item = propose(official_users["dept-eco"], period, files=[kit.upload("a.pdf", content)])
    evidence = item.evidence.get()
    readers = {name for name, user in official_users.items() if _opened(user, evidence)}
    assert readers == {"admin", "analyst", "dept-eco", "county-410821"}
    assert _opened(official_users["analyst"], evidence) == content


def test_after_publication_the_evidence_of_a_counted_item_opens_to_every_role(
    official_users: dict[str, Any], period: Period
) -> None:
    """The published 得分明细 shows each line with its evidence: every logged-in role reads
    the files the published ranking froze; an item it did not count stays private."""
    analyst = official_users["analyst"]
    counted = propose(analyst, period)
    other = propose(analyst, period, unit="410822")
    items.item_approve(actor=analyst, item=counted)
    sha = counted.evidence.get().sha256
    _published(period, {"items": [[counted.pk, "410821", "penalty", "criticised", 0.5,
                                   "豫政办〔2024〕12号", "2024-06-30", [sha]]]})  # fmt: skip
    readers = {name for name, u in official_users.items() if _opened(u, counted.evidence.get())}
    assert readers == set(official_users)
    readers = {name for name, u in official_users.items() if _opened(u, other.evidence.get())}
    assert readers == {"admin", "analyst", "county-410822"}


# --- objecting to an item during 公示 -----------------------------------------------------


def _announced(period: Period) -> Assessment:
    return Assessment.objects.create(
        period=period, methodology=period.methodology, inputs={"items": []},
        inputs_hash="0" * 64, results=[], status=Assessment.Status.ANNOUNCED,
        objections_until=dt.date.today() + dt.timedelta(days=5),
    )  # fmt: skip


def test_a_county_objects_to_an_approved_item_about_itself(
    official_users: dict[str, Any], period: Period
) -> None:
    analyst, county = official_users["analyst"], official_users["county-410821"]
    item = propose(analyst, period)
    items.item_approve(actor=analyst, item=item)
    assessment = _announced(period)
    objection = results.objection_raise(
        actor=county, assessment=assessment, text="已于 5 月整改完毕", item=item
    )
    assert (objection.item, objection.unit.code) == (item, "410821")
    event = AuditEvent.objects.get(action=AuditEvent.Action.OBJECT)
    assert event.data["item"] == item.pk


def test_a_county_may_not_object_to_another_countys_or_an_undecided_item(
    official_users: dict[str, Any], period: Period
) -> None:
    analyst, county = official_users["analyst"], official_users["county-410821"]
    theirs = propose(analyst, period, unit="410822")
    items.item_approve(actor=analyst, item=theirs)
    undecided = propose(analyst, period)
    assessment = _announced(period)
    for item in (theirs, undecided):
        with pytest.raises(PermissionDenied):
            results.objection_raise(actor=county, assessment=assessment, text="有误", item=item)
    assert not Objection.objects.exists()


# --- an approved item in the official ranking ---------------------------------------------


def _scores(assessment: Assessment) -> dict[str, tuple[float, float, float, int]]:
    return {r["unit"]: (r["score"], r["bonus"], r["penalty"], r["rank"])
            for r in assessment.results}  # fmt: skip


def test_approved_items_reach_the_frozen_inputs_and_move_the_points_by_the_rules_points(
    official_users: dict[str, Any], mini: Period
) -> None:
    """By hand (the rules of kaoping.scoring.rules): gdp_growth completion A 6.6/6 = 1.1,
    B 5.7/6 = 0.95, C 7/5 = 1.4 capped at 1.2 -> 66, 57, 72; revenue efficacy (base 0.6, best
    30, worst 11) -> A 40 x (0.6 + 0.4 x 9/19) = 31.578947…, B 40, C 24.  Indicator points
    A 97.578947…, B 97, C 96: ranks A, B, C.

    生态环境局 proposes criticised against A with 1 point (two 通报 at 0.5 each; within the
    cap of 2), the office proposes demo_county (2) for B and the veto accident against C; all
    three approved, the ranking computed again: A's penalty 1 (score 96.578947…), B's bonus 2
    (99), C vetoed (keeps 96 and its rank) -> ranks B, A, C.  A proposal still undecided (a
    second criticised against B) counts for nothing."""
    analyst, dept = official_users["analyst"], official_users["dept-eco"]
    before = results.assessment_compute(actor=analyst, period=mini)
    revenue_a = 40 * (0.6 + 0.4 * 9 / 19)
    assert _scores(before) == {
        A: (pytest.approx(66 + revenue_a), 0.0, 0.0, 1),
        B: (pytest.approx(97.0), 0.0, 0.0, 2),
        C: (pytest.approx(96.0), 0.0, 0.0, 3),
    }
    penalty = propose(dept, mini, unit=A, points="1")
    bonus = propose(analyst, mini, unit=B, rule="demo_county")
    veto = propose(analyst, mini, unit=C, rule="accident", document="应急〔2024〕3号")
    propose(dept, mini, unit=B)  # undecided
    for item in (penalty, bonus, veto):
        items.item_approve(actor=analyst, item=item)
    assert results.is_stale(before)
    after = results.assessment_compute(actor=analyst, period=mini)
    got = _scores(after)
    assert got[A] == (pytest.approx(_scores(before)[A][0] - 1.0, abs=1e-12), 0.0, 1.0, 2)
    assert got[B] == (pytest.approx(99.0), 2.0, 0.0, 1)
    assert got[C] == (pytest.approx(96.0), 0.0, 0.0, 3)
    vetoed = {r["unit"]: r["veto"] for r in after.results}
    assert vetoed == {A: [], B: [], C: ["发生重大安全事故（依据：应急〔2024〕3号）"]}
    sha = penalty.evidence.get().sha256
    assert after.inputs["items"] == [
        [penalty.pk, A, "penalty", "criticised", 1.0, "豫政办〔2024〕12号", "2024-06-30", [sha]],
        [bonus.pk, B, "bonus", "demo_county", 2.0, "豫政办〔2024〕12号", "2024-06-30", [sha]],
        [veto.pk, C, "veto", "accident", None, "应急〔2024〕3号", "2024-06-30", [sha]],
    ]
    assert results.assessment_verify(assessment=after)


def test_an_accepted_objection_to_an_item_withdraws_it_from_the_next_ranking(
    official_users: dict[str, Any], mini: Period
) -> None:
    """A's penalty (1 point) approved and announced; A objects to it, the office accepts and
    withdraws it: the announced ranking is stale, and the one computed again has no penalty
    (A back to its indicator points, 97.578947…)."""
    analyst, county = official_users["analyst"], official_users["county-410821"]
    item = propose(official_users["dept-eco"], mini, unit=A, points="1")
    items.item_approve(actor=analyst, item=item)
    announced = results.assessment_compute(actor=analyst, period=mini)
    results.assessment_announce(actor=analyst, assessment=announced, days=5)
    assert _scores(announced)[A][2] == 1.0
    objection = results.objection_raise(
        actor=county, assessment=announced, text="该通报已于 5 月撤销", item=item
    )
    results.objection_answer(actor=analyst, objection=objection, answer="属实", accept=True)
    items.item_withdraw(actor=analyst, item=item, reason="异议成立：通报已撤销")
    assert results.is_stale(announced)
    again = results.assessment_compute(actor=analyst, period=mini)
    assert again.inputs["items"] == []
    assert _scores(again)[A][1:] == (0.0, 0.0, 1)
    assert _scores(again)[A][0] == pytest.approx(66 + 40 * (0.6 + 0.4 * 9 / 19))
