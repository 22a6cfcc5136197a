"""The monthly dispatch's services (月调度): a month opened and closed, a report saved,
submitted, returned and approved, the month's sheet uploaded all or nothing, photos checked by
content, the late units.

The state is ``dispatch`` (tests/web/projects/conftest.py); money in 万元.  Hand-worked
figures: C (博爱县, total 30000) reported 7000 this year and since the start in October
(approved) and has a November draft; B (修武县) reported 0 in October and nothing in November;
A's November report (16500 this year) is submitted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import Image

from kaoping.errors import InputError
from kaoping.web.collection.models import AuditEvent
from kaoping.web.projects import dispatch as svc
from kaoping.web.projects.models import DispatchMonth, Photo, Report

D = dt.date


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _codes(error: pytest.ExceptionInfo[InputError]) -> list[tuple[str, str | None]]:
    return [(p.code, p.where) for p in error.value]


def _actions(action: str) -> list[dict[str, Any]]:
    return [e.data for e in AuditEvent.objects.filter(action=action).order_by("seq")]


def image(kind: str = "PNG", size: tuple[int, int] = (640, 480), **save: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, kind, **save)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# -- months -------------------------------------------------------------------------------------


def test_the_office_opens_a_month_with_its_deadline(dispatch: SimpleNamespace) -> None:
    analyst = dispatch.users["analyst"]
    opened = svc.month_open(actor=analyst, month="2026-12", deadline="2027-01-10")
    assert (opened.month, opened.deadline, opened.status) == ("2026-12", D(2027, 1, 10), "open")
    assert _actions("dispatch.open") == [{"month": "2026-12", "deadline": "2027-01-10"}]


def test_opening_a_month_lists_every_problem_at_once(dispatch: SimpleNamespace) -> None:
    analyst = dispatch.users["analyst"]
    with pytest.raises(InputError) as bad:
        svc.month_open(actor=analyst, month="2026-13", deadline="")
    assert _codes(bad) == [("dispatch.bad_month", "month"), ("dispatch.no_deadline", "deadline")]
    with pytest.raises(InputError) as twice:
        svc.month_open(actor=analyst, month="2026-11", deadline="2026-10-31")
    assert _codes(twice) == [
        ("dispatch.month_exists", "month"),
        ("dispatch.deadline_before", "deadline"),
    ]
    assert DispatchMonth.objects.count() == 2


@pytest.mark.parametrize("role", ["county-410821", "owner-a", "viewer"])
def test_only_the_office_opens_or_closes_a_month(dispatch: SimpleNamespace, role: str) -> None:
    with pytest.raises(PermissionDenied):
        svc.month_open(actor=dispatch.users[role], month="2026-12", deadline="2027-01-10")
    with pytest.raises(PermissionDenied):
        svc.month_close(actor=dispatch.users[role], month=dispatch.months["2026-11"])


def test_a_month_closes_once_no_report_awaits_review(dispatch: SimpleNamespace) -> None:
    analyst, november = dispatch.users["analyst"], dispatch.months["2026-11"]
    with pytest.raises(InputError) as waiting:
        svc.month_close(actor=analyst, month=november)
    assert _codes(waiting) == [("dispatch.awaiting_review", "month")]
    assert "A" in waiting.value.problems[0].zh
    svc.report_approve(actor=analyst, report=dispatch.reports[("A", "2026-11")])
    svc.month_close(actor=analyst, month=november)
    november.refresh_from_db()
    assert november.status == "closed"
    assert _actions("dispatch.close") == [{"month": "2026-11", "approved": 1, "projects": 3}]
    with pytest.raises(PermissionDenied):
        svc.month_close(actor=analyst, month=november)


def test_the_months_counts_submitted_approved_and_late(dispatch: SimpleNamespace) -> None:
    # November on 2026-12-11 (deadline 2026-12-10): A submitted; B missing and C a draft: late
    rows = {r["month"].month: r for r in svc.months_summary(today=D(2026, 12, 11))}
    nov, oct_ = rows["2026-11"], rows["2026-10"]
    assert (nov["projects"], nov["submitted"], nov["approved"], nov["late"]) == (3, 1, 0, 2)
    assert (oct_["submitted"], oct_["approved"], oct_["late"]) == (0, 3, 0)
    before = {r["month"].month: r for r in svc.months_summary(today=D(2026, 12, 10))}
    assert before["2026-11"]["late"] == 0
    assert before["2026-11"]["missing"] == 2


# -- a report -----------------------------------------------------------------------------------


def test_blank_cumulative_figures_are_last_months_plus_this_months(
    dispatch: SimpleNamespace,
) -> None:
    # C: October 7000 this year and since the start; November 650 -> 7650 and 7650
    saved = svc.report_save(
        actor=dispatch.users["county-410822"],
        project=dispatch.projects["C"],
        month=dispatch.months["2026-11"],
        values={"invested": "650", "workers": "35"},
    )
    assert (saved.invested, saved.ytd, saved.since_start, saved.workers) == (650, 7650, 7650, 35)
    assert saved.status == "draft"
    assert _actions("report.submit") == []


def test_a_cumulative_figure_below_last_months_needs_a_note(dispatch: SimpleNamespace) -> None:
    county, c, november = (
        dispatch.users["county-410822"],
        dispatch.projects["C"],
        dispatch.months["2026-11"],
    )
    values = {"invested": "600", "ytd": "6900", "since_start": "7600"}  # 6900 < October's 7000
    with pytest.raises(InputError) as lower:
        svc.report_save(actor=county, project=c, month=november, values=values)
    assert _codes(lower) == [("dispatch.cumulative_down", "ytd")]
    assert Report.objects.get(project=c, month=november).ytd == 7600  # unchanged
    note = {**values, "note": "10月统计口径调整，多报100万元已核减"}
    assert svc.report_save(actor=county, project=c, month=november, values=note).ytd == 6900


def test_a_months_investment_above_the_total_is_refused(dispatch: SimpleNamespace) -> None:
    # C's total is 30000: 31000 this month, and 7000 + 31000 = 38000 since the start, are above
    with pytest.raises(InputError) as above:
        svc.report_save(
            actor=dispatch.users["county-410822"],
            project=dispatch.projects["C"],
            month=dispatch.months["2026-11"],
            values={"invested": "31000"},
        )
    assert sorted(_codes(above)) == [
        ("dispatch.above_total", "invested"),
        ("dispatch.above_total", "since_start"),
    ]


def test_bad_figures_are_named_by_field_all_at_once(dispatch: SimpleNamespace) -> None:
    with pytest.raises(InputError) as bad:
        svc.report_save(
            actor=dispatch.users["county-410822"],
            project=dispatch.projects["C"],
            month=dispatch.months["2026-11"],
            values={"invested": "abc", "ytd": "-5", "workers": "3.5"},
            submit=True,
        )
    assert _codes(bad) == [
        ("dispatch.not_a_number", "invested"),
        ("dispatch.negative", "ytd"),
        ("dispatch.workers_whole", "workers"),
    ]


def test_submitting_needs_this_months_investment(dispatch: SimpleNamespace) -> None:
    with pytest.raises(InputError) as missing:
        svc.report_save(
            actor=dispatch.users["county-410821"],
            project=dispatch.projects["B"],
            month=dispatch.months["2026-11"],
            values={"progress": "前期手续办理中"},
            submit=True,
        )
    assert _codes(missing) == [("dispatch.no_invested", "invested")]


def test_a_report_is_submitted_returned_corrected_and_approved(dispatch: SimpleNamespace) -> None:
    county, analyst = dispatch.users["county-410821"], dispatch.users["analyst"]
    b, november = dispatch.projects["B"], dispatch.months["2026-11"]
    sent = svc.report_save(
        actor=county,
        project=b,
        month=november,
        values={"invested": "0", "progress": "用地预审"},
        submit=True,
    )
    assert (sent.status, sent.ytd, sent.since_start) == ("submitted", 0, 0)
    with pytest.raises(PermissionDenied):  # submitted: waits for the review
        svc.report_save(actor=county, project=b, month=november, values={"invested": "1"})
    with pytest.raises(InputError) as no_comment:
        svc.report_return(actor=analyst, report=sent, comment=" ")
    assert _codes(no_comment) == [("dispatch.comment_required", "comment")]
    back = svc.report_return(actor=analyst, report=sent, comment="请补充形象进度照片")
    assert (back.status, back.comment) == ("returned", "请补充形象进度照片")
    again = svc.report_save(
        actor=county,
        project=b,
        month=november,
        values={"invested": "120", "progress": "场地平整"},
        submit=True,
    )
    assert (again.status, again.ytd) == ("submitted", 120)
    done = svc.report_approve(actor=analyst, report=again)
    assert done.status == "approved"
    submits = _actions("report.submit")
    assert [s["resubmitted"] for s in submits] == [False, True]
    assert [e["project"] for e in _actions("report.return")] == ["B"]
    assert [e["project"] for e in _actions("report.approve")] == ["B"]
    assert done.history.count() == 4  # submitted, returned, resubmitted, approved


def test_only_the_projects_unit_reports_it(dispatch: SimpleNamespace) -> None:
    november = dispatch.months["2026-11"]
    for role, code in [
        ("owner-a", "B"),
        ("county-410822", "B"),
        ("analyst", "B"),
        ("viewer", "C"),
        ("county-410821", "C"),
    ]:
        with pytest.raises(PermissionDenied):
            svc.report_save(
                actor=dispatch.users[role],
                project=dispatch.projects[code],
                month=november,
                values={"invested": "1"},
            )


def test_a_closed_months_reports_do_not_change(dispatch: SimpleNamespace) -> None:
    with pytest.raises(PermissionDenied):
        svc.report_save(
            actor=dispatch.users["county-410821"],
            project=dispatch.projects["B"],
            month=dispatch.months["2026-10"],
            values={"invested": "1"},
        )


def test_only_a_submitted_report_of_an_open_month_is_decided(dispatch: SimpleNamespace) -> None:
    analyst = dispatch.users["analyst"]
    with pytest.raises(PermissionDenied):  # a draft
        svc.report_approve(actor=analyst, report=dispatch.reports[("C", "2026-11")])
    with pytest.raises(PermissionDenied):  # closed month
        svc.report_return(actor=analyst, report=dispatch.reports[("A", "2026-10")], comment="x")
    with pytest.raises(PermissionDenied):
        svc.report_approve(
            actor=dispatch.users["county-410821"], report=dispatch.reports[("A", "2026-11")]
        )


def test_the_reviewer_sees_what_a_note_explained(dispatch: SimpleNamespace) -> None:
    county = dispatch.users["county-410822"]
    c, november = dispatch.projects["C"], dispatch.months["2026-11"]
    report = svc.report_save(
        actor=county,
        project=c,
        month=november,
        submit=True,
        values={"invested": "600", "ytd": "6900", "note": "口径调整"},
    )
    flags = svc.report_flags([report])
    assert [p.code for p in flags[report.pk]] == ["dispatch.cumulative_down"]


def test_the_late_units_name_their_projects_and_contacts(dispatch: SimpleNamespace) -> None:
    dispatch.projects["B"].contact, dispatch.projects["B"].phone = "王工", "0391-1234567"
    dispatch.projects["B"].save()
    units = svc.late_units(dispatch.months["2026-11"])
    assert [(u["unit"].code, [p["project"].code for p in u["projects"]]) for u in units] == [
        ("410821", ["B"]),
        ("410822", ["C"]),
    ]
    assert units[0]["accounts"] == ["county-410821"]
    assert units[0]["projects"][0]["status"] is None
    assert units[1]["projects"][0]["status"] == "draft"
    assert units[0]["projects"][0]["project"].phone == "0391-1234567"


# -- the month's sheet --------------------------------------------------------------------------


def _sheet(actor: Any, month: DispatchMonth, cells: dict[tuple[str, str], object]) -> bytes:
    """The month's template for ``actor`` with ``cells`` ((project, header) -> value) filled."""
    book = load_workbook(io.BytesIO(svc.month_template(actor=actor, month=month)))
    sheet = book["月调度表"]
    heads = {str(c.value).split("（")[0]: c.column for c in sheet[1] if c.value}
    rows = {sheet.cell(r, heads["项目编号"]).value: r for r in range(2, sheet.max_row + 1)}
    for (code, head), value in cells.items():
        row = rows.get(code)
        if row is None:  # another unit's project: a row added at the end
            row = rows[code] = sheet.max_row + 1
            sheet.cell(row, heads["项目编号"], code)
            sheet.cell(row, heads["月份"], month.month)
        sheet.cell(row, heads[head], value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_months_sheet_lists_the_users_projects(dispatch: SimpleNamespace) -> None:
    content = svc.month_template(
        actor=dispatch.users["county-410821"], month=dispatch.months["2026-11"]
    )
    sheet = load_workbook(io.BytesIO(content))["月调度表"]
    codes = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    assert [c for c in codes if c is not None] == ["A", "B"]  # blank rows keep the validation
    with pytest.raises(PermissionDenied):
        svc.month_template(actor=dispatch.users["viewer"], month=dispatch.months["2026-11"])


def test_an_uploaded_sheet_saves_its_reports(dispatch: SimpleNamespace) -> None:
    # B: October 0; November 300 -> 300 this year and since the start; A (submitted) unchanged
    county, november = dispatch.users["county-410821"], dispatch.months["2026-11"]
    content = _sheet(county, november, {("B", "本月完成投资"): 300, ("B", "形象进度"): "进场"})
    done = svc.month_upload(
        actor=county, month=november, filename="修武县.xlsx", content=content, submit=True
    )
    assert done == {"saved": 1, "submitted": 1}
    b = Report.objects.get(project__code="B", month=november)
    assert (b.invested, b.ytd, b.since_start, b.progress, b.status) == (
        300,
        300,
        300,
        "进场",
        "submitted",
    )
    assert _actions("report.submit")[0]["via"] == "sheet"


def test_one_bad_cell_of_a_sheet_changes_nothing(dispatch: SimpleNamespace) -> None:
    county, november = dispatch.users["county-410822"], dispatch.months["2026-11"]
    content = _sheet(county, november, {("C", "本月完成投资"): "六百"})
    with pytest.raises(InputError) as bad:
        svc.month_upload(actor=county, month=november, filename="博爱县.xlsx", content=content)
    # 项目编号, 项目名称, 县区代码, 月份, then 本月完成投资 in E
    assert [p.where for p in bad.value] == ["博爱县.xlsx!月调度表!E2"]
    assert Report.objects.get(project__code="C", month=november).invested == 600


def test_a_sheet_lists_every_problem_and_saves_none(dispatch: SimpleNamespace) -> None:
    # B is fine, A is submitted and changed, C is not 修武县's: nothing is saved
    county, november = dispatch.users["county-410821"], dispatch.months["2026-11"]
    content = _sheet(
        county,
        november,
        {("B", "本月完成投资"): 10, ("A", "本月完成投资"): 9, ("C", "本月完成投资"): 1},
    )
    with pytest.raises(InputError) as bad:
        svc.month_upload(actor=county, month=november, filename="x.xlsx", content=content)
    assert sorted(p.code for p in bad.value) == ["dispatch.not_editable", "dispatch.not_yours"]
    assert all(p.where and p.where.startswith("x.xlsx!月调度表!A") for p in bad.value)
    assert not Report.objects.filter(project__code="B", month=november).exists()


def test_a_sheets_figures_are_checked_like_the_forms(dispatch: SimpleNamespace) -> None:
    county, november = dispatch.users["county-410822"], dispatch.months["2026-11"]
    content = _sheet(county, november, {("C", "当年累计完成投资"): 6000})  # October: 7000
    with pytest.raises(InputError) as lower:
        svc.month_upload(actor=county, month=november, filename="c.xlsx", content=content)
    assert [(p.code, p.where) for p in lower.value] == [
        ("dispatch.cumulative_down", "c.xlsx!月调度表!F2")  # 当年累计 follows 本月 (E)
    ]


def test_only_a_reporting_unit_uploads_and_only_while_open(dispatch: SimpleNamespace) -> None:
    content = _sheet(dispatch.users["analyst"], dispatch.months["2026-11"], {})
    with pytest.raises(PermissionDenied):
        svc.month_upload(
            actor=dispatch.users["analyst"],
            month=dispatch.months["2026-11"],
            filename="x.xlsx",
            content=content,
        )
    with pytest.raises(PermissionDenied):
        svc.month_upload(
            actor=dispatch.users["county-410821"],
            month=dispatch.months["2026-10"],
            filename="x.xlsx",
            content=content,
        )


# -- photos -------------------------------------------------------------------------------------


def _add(
    dispatch: SimpleNamespace,
    name: str,
    content: bytes,
    role: str = "county-410822",
    code: str = "C",
) -> Photo:
    return svc.photo_add(
        actor=dispatch.users[role],
        project=dispatch.projects[code],
        month=dispatch.months["2026-11"],
        upload=upload(name, content),
    )


def test_a_photo_is_stored_by_its_digest_with_a_thumbnail(
    dispatch: SimpleNamespace, settings: Any
) -> None:
    photo = _add(dispatch, "现场.png", image("PNG", (1280, 960)))
    main, thumb = svc.photo_paths(photo)
    stored = Path(settings.MEDIA_ROOT) / main
    assert main == f"photos/{photo.sha256[:2]}/{photo.sha256}.png"
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == photo.sha256
    assert (photo.content_type, photo.width, photo.height, photo.name) == (
        "image/png",
        1280,
        960,
        "现场.png",
    )
    with Image.open(Path(settings.MEDIA_ROOT) / thumb) as small:
        assert (small.format, small.size) == ("JPEG", (320, 240))
    assert photo.report.status == "draft"


def test_a_photo_is_turned_upright_and_loses_its_metadata(
    dispatch: SimpleNamespace, settings: Any
) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to view
    exif[0x8825] = {2: (35.0, 14.0, 0.0)}  # GPS latitude
    photo = _add(dispatch, "phone.jpg", image("JPEG", (400, 300), exif=exif.tobytes()))
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 300, 400)
    with Image.open(Path(settings.MEDIA_ROOT) / svc.photo_paths(photo)[0]) as stored:
        assert stored.size == (300, 400)
        assert not stored.getexif()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.jpg", b"<html><script>alert(1)</script></html>"),
        ("anim.gif", image("GIF")),
        ("cut.png", image("PNG")[:200]),
    ],
)
def test_a_file_that_is_not_a_photo_is_refused_by_its_content(
    dispatch: SimpleNamespace, name: str, content: bytes
) -> None:
    with pytest.raises(InputError) as bad:
        _add(dispatch, name, content)
    assert _codes(bad) == [("dispatch.photo_type", "photo")]
    assert not Photo.objects.exists()


def test_a_photo_too_large_or_with_too_many_pixels_is_refused(
    dispatch: SimpleNamespace, settings: Any
) -> None:
    settings.PHOTO_MAX_BYTES = 1000
    with pytest.raises(InputError) as big:
        _add(dispatch, "big.png", image("PNG", (800, 800)) + b"\0" * 1000)
    assert _codes(big) == [("dispatch.photo_too_big", "photo")]
    settings.PHOTO_MAX_BYTES = 10 * 1024 * 1024
    settings.PHOTO_MAX_PIXELS = 100 * 100
    with pytest.raises(InputError) as bomb:
        _add(dispatch, "bomb.png", image("PNG", (101, 100)))
    assert _codes(bomb) == [("dispatch.photo_pixels", "photo")]
    assert not Photo.objects.exists()


def test_photos_only_on_a_report_that_may_change(dispatch: SimpleNamespace) -> None:
    with pytest.raises(PermissionDenied):  # A is submitted
        _add(dispatch, "a.png", image(), role="county-410821", code="A")
    with pytest.raises(PermissionDenied):  # not 博爱县's project
        _add(dispatch, "b.png", image(), role="county-410822", code="B")


def test_a_photo_is_opened_by_who_may_see_the_project(dispatch: SimpleNamespace) -> None:
    photo = _add(dispatch, "c.png", image())
    handle, kind = svc.photo_open(actor=dispatch.users["analyst"], photo=photo)
    with handle:
        assert kind == "image/png"
        assert handle.read(8) == b"\x89PNG\r\n\x1a\n"
    small, kind = svc.photo_open(actor=dispatch.users["county-410822"], photo=photo, thumb=True)
    small.close()
    assert kind == "image/jpeg"
    for role in ("county-410821", "owner-a", "viewer"):
        with pytest.raises(PermissionDenied):
            svc.photo_open(actor=dispatch.users[role], photo=photo)


def test_a_removed_photo_leaves_no_file(
    dispatch: SimpleNamespace, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    photo = _add(dispatch, "c.png", image())
    main, thumb = svc.photo_paths(photo)
    with django_capture_on_commit_callbacks(execute=True):
        svc.photo_delete(actor=dispatch.users["county-410822"], photo=photo)
    assert not Photo.objects.exists()
    assert not (Path(settings.MEDIA_ROOT) / main).exists()
    assert not (Path(settings.MEDIA_ROOT) / thumb).exists()
