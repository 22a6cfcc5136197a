"""Bonus, penalty and veto items (加分、减分、一票否决) and the evidence files they rest on, as
services: keyword-only, one transaction each, every workflow action written to the audit log.

Who may do what (checked here, not only in the views):

- **Propose** an item against a county: a department (职能部门) under the rules its
  :class:`~kaoping.web.official.models.Department` lists, the city office (analysts, admins)
  under any bonus, penalty or veto rule of the period's methodology; never once the period's
  ranking is published.
- **Decide**: the city office approves or rejects a proposed item (a rejection says why), and
  may withdraw an approved one (approved -> rejected, with the reason: e.g. after a county's
  objection to it was accepted) while the period's ranking is not published.
- **Read** an item and its evidence: whoever :func:`~kaoping.web.official.access.items_visible_to`
  lets see it (the office all; a department those it proposed; a county those about itself).
  Once a ranking of the period that counted an item is published, the evidence of that item
  (the files whose digests the ranking froze) is readable by every logged-in role: the
  published 得分明细 shows each bonus and penalty line with its evidence.

An evidence file's type is read from its content (``filetype``; an Office Open XML file also
from its archive's listing), never from its name's extension or the browser's content type.
It is stored under ``MEDIA_ROOT`` as ``evidence/<sha256[:2]>/<sha256>.<extension>`` (the
extension its content was read as) and served only through :func:`evidence_open`, never as a
static file.  A proposal and its files are saved together or not at all: a file written for
a proposal that then fails is removed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kaoping.errors import InputError, Problem
from kaoping.web.collection import access
from kaoping.web.collection.methodologies import methodology_of
from kaoping.web.collection.models import AuditEvent, Period, Unit
from kaoping.web.dates import form_date
from kaoping.web.official.access import department_of, items_visible_to
from kaoping.web.official.models import Department, Evidence, Item

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TYPES: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/msword": "doc",
    DOCX: "docx",
    "application/vnd.ms-excel": "xls",
    XLSX: "xlsx",
}
"""The evidence files accepted: content type (as read from the content) -> the extension the
file is stored and served with."""
INLINE = frozenset({"application/pdf", "image/png", "image/jpeg"})
"""Shown in the browser; every other accepted type (Word, Excel) is served as a download."""
ACCEPT = ".pdf,.png,.jpg,.jpeg,.doc,.docx,.xls,.xlsx"
"""The file input's ``accept`` (a hint to the browser's file chooser: the check is by content)."""
_ACCEPTED_ZH = "PDF、PNG 或 JPEG 图片、Word（.doc、.docx）、Excel（.xls、.xlsx）"
_ACCEPTED_EN = "PDF, PNG or JPEG images, Word (.doc, .docx), Excel (.xls, .xlsx)"
_NAME = Evidence._meta.get_field("name").max_length or 200


def _size(n: int) -> str:
    """A size for a message: ``20 MB``, ``1.5 MB``, ``512 KB`` (below 1 MB)."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    return f"{n / 1024:.3g} KB"


def _shown_name(upload: Any) -> str:
    """The uploaded file's name as the user chose it (its last part only: never a path)."""
    return Path(str(getattr(upload, "name", "") or "")).name or "upload"


def _sniff(upload: Any) -> str | None:
    """The content type read from the file's content (None: not one we can tell)."""
    import filetype

    upload.seek(0)
    head = upload.read(8192)  # what filetype reads of a file
    upload.seek(0)
    kind = filetype.guess(head) if head else None
    mime = kind.mime if kind is not None else None
    if mime in TYPES:
        return mime
    if head.startswith(b"PK\x03\x04"):  # a zip: an Office Open XML file whose parts are in an
        return _ooxml(upload)  # order filetype does not look at (it reads the first few only)
    return mime


def _ooxml(upload: Any) -> str | None:
    """DOCX or XLSX by the archive's listing ([Content_Types].xml and the main part)."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "application/zip"
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return "application/zip"


def evidence_check(upload: Any) -> tuple[str, str] | Problem:
    """``(content_type, extension)`` of an uploaded evidence file, read from its content, or
    the :class:`Problem` that refuses it (empty, larger than ``EVIDENCE_MAX_BYTES``, or not a
    PDF, PNG, JPEG, Word or Excel file whatever its name says), naming the file as uploaded,
    the limit or the accepted types."""
    name = _shown_name(upload)
    size = int(upload.size or 0)
    limit = int(settings.EVIDENCE_MAX_BYTES)
    if size == 0:
        return Problem(
            "web.evidence_empty",
            f"文件 {name} 是空文件（0 字节）：请重新选择证明材料文件。",
            f"the file {name} is empty (0 bytes): choose the evidence file again.",
            "files",
        )
    if size > limit:
        return Problem(
            "web.evidence_too_big",
            f"文件 {name} 大小为 {_size(size)}，超过了证明材料的上限 {_size(limit)}：请压缩或拆分后"
            "再上传（如将扫描件另存为分辨率较低的 PDF）。",
            f"the file {name} is {_size(size)}, more than the evidence limit of {_size(limit)}: "
            "compress or split it (e.g. save the scan as a lower-resolution PDF) and upload "
            "it again.",
            "files",
        )
    found = _sniff(upload)
    if found in TYPES:
        return found, TYPES[found]
    what_zh = f"其内容是 {found} 文件" if found else "无法从其内容识别文件类型"
    what_en = f"its content is {found}" if found else "its content is not a type we recognise"
    return Problem(
        "web.evidence_type",
        f"文件 {name} 不能作为证明材料：{what_zh}（按文件内容判断，不看扩展名）。"
        f"可以上传：{_ACCEPTED_ZH}。",
        f"the file {name} cannot be evidence: {what_en} (judged by the content, not the "
        f"name's extension). Accepted: {_ACCEPTED_EN}.",
        "files",
    )


def points_text(value: float | None) -> str:
    """Points as written in a methodology: ``0.5``, ``2`` (``—`` for none: a veto)."""
    return "—" if value is None else format(float(value), "g")


def status_label(status: str) -> str:
    """An item's status in the page's language (its own words for a rejection: the model's
    label is the objections' one)."""
    if status == Item.Status.REJECTED:
        return pgettext("item", "Rejected")
    return str(Item.Status(status).label)


@dataclass(frozen=True)
class Rule:
    """A bonus, penalty or veto rule of a methodology as the propose form lists it."""

    id: str
    name: str
    kind: str  # bonus, penalty, veto
    points: float | None  # per item; None for a veto
    cap: float | None  # the most one item may carry: the rule's cap, else the unit cap

    @property
    def kind_label(self) -> str:
        return str(Item.Kind(self.kind).label)

    @property
    def points_text(self) -> str:
        return points_text(self.points)

    @property
    def cap_text(self) -> str:
        return points_text(self.cap)


def rules_of(methodology: Any) -> list[Rule]:
    """Every bonus, penalty and veto rule of the methodology, in its order."""
    spec = methodology.official
    if spec is None:
        return []
    caps = dict(zip(("bonus", "penalty"), spec.unit_caps, strict=True))
    out = [
        Rule(i.id, i.name, kind, float(i.points), i.cap if i.cap is not None else caps[kind])
        for kind, group in (("bonus", spec.bonus), ("penalty", spec.penalty))
        for i in group
    ]
    out += [Rule(v.id, v.name, "veto", None, None) for v in spec.veto]
    return out


def _allowed(actor: Any) -> set[str] | None:
    """The rules ``actor`` may propose under: None for every rule (the city office), a
    department those its Department lists; PermissionDenied for every other role."""
    if access.is_reviewer(actor):
        return None
    department = department_of(actor)
    if department is None:
        raise PermissionDenied(_("Only a department or the city office proposes an item."))
    rules = Department.objects.filter(name=department).values_list("rules", flat=True).first()
    return {str(r) for r in rules or []}


def rules_for(actor: Any, period: Period) -> list[Rule]:
    """The rules of the period's methodology ``actor`` may propose an item under (the propose
    form's choices), in the methodology's order."""
    allowed = _allowed(actor)
    rules = rules_of(methodology_of(period.methodology))
    return [r for r in rules if allowed is None or r.id in allowed]


def is_official(period: Period) -> bool:
    """Whether the period's methodology has an ``official:`` section (items exist there)."""
    return methodology_of(period.methodology).official is not None


def is_published(period: Period) -> bool:
    """Whether a ranking of the period is published (its items can no longer change)."""
    from kaoping.web.results.models import Assessment

    return Assessment.objects.filter(period=period, status=Assessment.Status.PUBLISHED).exists()


def _published_problem(period: Period) -> Problem:
    return Problem(
        "web.items_published",
        f"{period.code} 的考核结果已经发布，加减分和否决事项不能再提出或改变。",
        f"the {period.code} ranking is published: its items can no longer be proposed or changed.",
        "period",
    )


def _points(raw: object) -> float | Problem | None:
    """The points field: None when blank, else a finite number, else the problem."""
    from kaoping.data import Bad, parse_number

    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    value = parse_number(raw)
    if isinstance(value, Bad):
        return Problem("web.item_points", value.zh, value.en, "points")
    return None if math.isnan(value) else float(value)


def _listed(rules: list[Rule]) -> tuple[str, str]:
    shown = [f"{r.id}（{r.name}）" for r in rules]
    return "、".join(shown) or "无", ", ".join(f"{r.id} ({r.name})" for r in rules) or "none"


def _check_rule_and_points(
    allowed: set[str] | None, methodology: Any, rule: str, raw_points: object,
    problems: list[Problem],
) -> tuple[Rule | None, float | None]:  # fmt: skip
    every = rules_of(methodology)
    mine = [r for r in every if allowed is None or r.id in allowed]
    found = next((r for r in mine if r.id == rule), None)
    if found is None:
        zh, en = _listed(mine)
        if allowed is not None and any(r.id == rule for r in every):
            problems.append(
                Problem(
                    "web.item_rule_not_yours",
                    f"事项 {rule} 不在本部门可以提出的事项中。本部门可以提出：{zh}。",
                    f"the item {rule} is not one your department may propose; it may propose: "
                    f"{en}.",
                    "rule",
                )
            )
        else:
            problems.append(
                Problem(
                    "web.item_rule_unknown",
                    f"请选择考核办法中的加分、减分或否决事项（收到“{rule}”）。可以提出：{zh}。",
                    f"choose a bonus, penalty or veto item of the methodology (got {rule!r}); "
                    f"you may propose: {en}.",
                    "rule",
                )
            )
    points = _points(raw_points)
    if isinstance(points, Problem):
        problems.append(points)
        return found, None
    if found is None:
        return None, points
    if found.kind == "veto":
        if points is not None:
            problems.append(
                Problem(
                    "web.veto_points",
                    f"{found.name} 是一票否决事项，不计分值：请把分值留空。",
                    f"{found.name} is a veto: it carries no points; leave the points blank.",
                    "points",
                )
            )
        return found, None
    if points is None:
        points = found.points
    assert points is not None
    word_zh = "加分" if found.kind == "bonus" else "减分"
    if points <= 0:
        problems.append(
            Problem(
                "web.item_points_positive",
                f"{word_zh}分值须大于 0（收到 {points:g}）：减分也填正数，如 0.5。",
                f"the points must be above 0 (got {points:g}); a penalty too is written as a "
                "positive number, e.g. 0.5.",
                "points",
            )
        )
    elif found.cap is not None and points > found.cap:
        problems.append(
            Problem(
                "web.item_points_cap",
                f"{found.name} 每县最多{word_zh} {found.cap:g} 分，收到 {points:g}：请填不超过 "
                f"{found.cap:g} 的分值（每次 {found.points:g} 分）。",
                f"{found.name} carries at most {found.cap:g} points per county; got "
                f"{points:g}: enter at most {found.cap:g} (each occurrence {found.points:g}).",
                "points",
            )
        )
    return found, points


def item_propose(
    *,
    actor: Any,
    period: Period,
    unit: str,
    rule: str,
    points: object = None,
    reason: str,
    document: str,
    date: dt.date | str | None = None,
    files: list[Any],
) -> Item:
    """Propose a bonus, penalty or veto item against the county ``unit`` (its code), under
    ``rule`` (the item's id in the methodology), with its reason, document (文号), date and
    evidence files (at least one).

    The kind follows from the rule; ``points`` (a number or its text; blank: the rule's
    points) must be above 0 and at most the rule's cap (or, for a rule without one, the
    methodology's cap per county, ``unit_caps``); a veto carries none.  A department proposes
    only under the rules its Department lists (the message lists them), the city office under
    every rule.  Every problem (with the fields and each refused file named) is raised
    together as :class:`InputError`, and then nothing is stored: no item, no file on disk.
    """
    allowed = _allowed(actor)  # PermissionDenied for a county, a viewer …
    methodology = methodology_of(period.methodology)
    if methodology.official is None:
        raise InputError(
            [
                Problem(
                    "web.items_academic",
                    f"{period.code} 按学术综合指数方法评价，没有加减分和否决事项。",
                    f"{period.code} is assessed by an academic index: it has no bonus, penalty "
                    "or veto items.",
                    "period",
                )
            ]
        )
    problems: list[Problem] = []
    if is_published(period):
        problems.append(_published_problem(period))
    found_unit = Unit.objects.filter(code=(unit or "").strip()).first()
    if found_unit is None:
        problems.append(
            Problem(
                "web.item_unit",
                f"没有代码为“{unit}”的县（市、区）：请从列表中选择。",
                f"there is no unit with the code {unit!r}: choose one from the list.",
                "unit",
            )
        )
    found, value = _check_rule_and_points(allowed, methodology, rule, points, problems)
    reason, document = (reason or "").strip(), (document or "").strip()
    if not reason:
        problems.append(
            Problem(
                "web.item_reason",
                "请写明事由（发生了什么、何时何地）。",
                "say why: what happened, when and where.",
                "reason",
            )
        )
    most = Item._meta.get_field("document").max_length or 300
    if not document:
        problems.append(
            Problem(
                "web.item_document",
                "请填写依据文件的文号，如 豫政办〔2024〕12号。",
                "enter the document's number (文号), e.g. 豫政办〔2024〕12号.",
                "document",
            )
        )
    elif len(document) > most:
        problems.append(
            Problem(
                "web.item_document_long",
                f"文号最多 {most} 个字，收到 {len(document)} 个：请只写文号，说明写在事由中。",
                f"the document number takes at most {most} characters, got {len(document)}: "
                "write the number only, and the rest in the reason.",
                "document",
            )
        )
    when = form_date(date, code="web.item_date", field="date", example="2024-06-30")
    if isinstance(when, Problem):
        problems.append(when)
        when = None
    checked: list[tuple[Any, str, str]] = []
    if not files:
        problems.append(
            Problem(
                "web.item_no_evidence",
                f"请至少附一个证明材料文件（{_ACCEPTED_ZH}）。",
                f"attach at least one evidence file ({_ACCEPTED_EN}).",
                "files",
            )
        )
    for upload in files:
        verdict = evidence_check(upload)
        if isinstance(verdict, Problem):
            problems.append(verdict)
        else:
            checked.append((upload, *verdict))
    if problems:
        raise InputError(problems)
    assert found is not None
    assert found_unit is not None
    department = department_of(actor) if allowed is not None else ""
    storage = Evidence._meta.get_field("file").storage
    written: list[str] = []  # the files this proposal wrote: removed again if it fails
    try:
        with transaction.atomic():
            item = Item(
                period=period,
                unit=found_unit,
                kind=found.kind,
                rule=found.id,
                points=value,
                reason=reason,
                document=document,
                date=when,
                department=department or "",
                proposed_by=actor,
            )
            item._history_user = actor  # type: ignore[attr-defined]
            item.save()
            digests = []
            for upload, content_type, extension in checked:
                digest, size = _digest(upload)
                name = _store(storage, upload, digest, extension, written)
                Evidence.objects.create(
                    item=item,
                    file=name,
                    name=_trimmed(_shown_name(upload)),
                    content_type=content_type,
                    extension=extension,
                    size=size,
                    sha256=digest,
                    uploaded_by=actor,
                )
                digests.append(digest)
            AuditEvent.record(
                AuditEvent.Action.ITEM_PROPOSE,
                actor,
                period=period,
                item=item.pk,
                unit=found_unit.code,
                kind=found.kind,
                rule=found.id,
                points=value,
                document=document,
                department=department or "",
                evidence=digests,
            )
    except BaseException:
        for name in written:
            storage.delete(name)
        raise
    return item


def _digest(upload: Any) -> tuple[str, int]:
    upload.seek(0)
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return digest.hexdigest(), size


def _store(storage: Any, upload: Any, digest: str, extension: str, written: list[str]) -> str:
    """The stored name of the file: an evidence file of the same content already stored (and
    committed) is shared; else the file is written, and its name added to ``written``."""
    wanted = f"evidence/{digest[:2]}/{digest}.{extension}"
    for name in Evidence.objects.filter(sha256=digest, extension=extension).values_list(
        "file", flat=True
    ):
        if storage.exists(name):
            return str(name)
    # a file left at that name without a row (a crash between writing and committing) is
    # not trusted: the storage then picks a free name beside it
    saved = str(storage.save(wanted, upload))
    written.append(saved)
    return saved


def _trimmed(name: str) -> str:
    """The uploaded name, shortened to the column (its extension kept)."""
    if len(name) <= _NAME:
        return name
    suffix = Path(name).suffix[:16]
    return name[: _NAME - len(suffix) - 1] + "…" + suffix


def _decide(actor: Any, item: Item, status: str, reason: str, *, withdraw: bool = False) -> Item:
    access.require_reviewer(actor)
    with transaction.atomic():
        current = Item.objects.select_for_update().select_related("period", "unit").get(pk=item.pk)
        if is_published(current.period):
            raise PermissionDenied(
                _("The period's ranking is published: its items can no longer be changed.")
            )
        wanted = Item.Status.APPROVED if withdraw else Item.Status.PROPOSED
        if current.status != wanted:
            raise PermissionDenied(
                _("Only an approved item can be withdrawn.")
                if withdraw
                else _("This item has already been decided.")
            )
        current.status = status
        current.decision = reason
        current.decided_by = actor
        current.decided_at = timezone.now()
        current._history_user = actor  # type: ignore[attr-defined]
        current.save(update_fields=["status", "decision", "decided_by", "decided_at"])
        AuditEvent.record(
            AuditEvent.Action.ITEM_APPROVE
            if status == Item.Status.APPROVED
            else AuditEvent.Action.ITEM_REJECT,
            actor,
            period=current.period,
            item=current.pk,
            unit=current.unit.code,
            rule=current.rule,
            reason=reason,
            withdrawn=withdraw,
        )
    return current


def _reason_required(reason: str, withdraw: bool) -> str:
    text = (reason or "").strip()
    if not text:
        raise InputError(
            [
                Problem(
                    "web.item_decision_reason",
                    "撤销已通过的事项须说明原因。" if withdraw else "不予通过须说明原因。",
                    "say why the approved item is withdrawn."
                    if withdraw
                    else "say why the item is rejected.",
                    "reason",
                )
            ]
        )
    return text


def item_approve(*, actor: Any, item: Item, reason: str = "") -> Item:
    """The city office approves a proposed item (the reason is optional): it counts in the
    next computation of the period's ranking."""
    return _decide(actor, item, Item.Status.APPROVED, (reason or "").strip())


def item_reject(*, actor: Any, item: Item, reason: str) -> Item:
    """The city office rejects a proposed item, saying why."""
    return _decide(actor, item, Item.Status.REJECTED, _reason_required(reason, False))


def item_withdraw(*, actor: Any, item: Item, reason: str) -> Item:
    """The city office withdraws an approved item (approved -> rejected), saying why, while the
    period's ranking is not published: e.g. after a county's objection to it was accepted.
    Computed rankings that counted it go stale (compute and announce again)."""
    return _decide(actor, item, Item.Status.REJECTED, _reason_required(reason, True), withdraw=True)


def counted_in_published(evidence: Evidence) -> bool:
    """Whether a published ranking of the item's period counted the item with this file (its
    frozen inputs list the item and the file's digest)."""
    from kaoping.web.results.models import Assessment

    published = Assessment.objects.filter(
        period__items=evidence.item_id, status=Assessment.Status.PUBLISHED
    ).values_list("inputs", flat=True)
    for inputs in published:
        for row in (inputs or {}).get("items", []):
            if row[0] == evidence.item_id and evidence.sha256 in row[7]:
                return True
    return False


def may_read(actor: Any, evidence: Evidence) -> bool:
    """Whether ``actor`` may open the evidence file (see the module docstring)."""
    if access.role_of(actor) is None:
        return False
    item = Item.objects.select_related("period").get(pk=evidence.item_id)  # as it is now
    if items_visible_to(actor, item.period).filter(pk=item.pk).exists():
        return True
    return item.status == Item.Status.APPROVED and counted_in_published(evidence)


def evidence_open(*, actor: Any, evidence: Evidence) -> tuple[IO[bytes], str, str]:
    """``(file, name as uploaded, content type as read from the content)`` of an evidence
    file, for whoever may see its item (:func:`items_visible_to`) and, once a published ranking
    counted the item, for every logged-in role; PermissionDenied for anyone else.
    FileNotFoundError when the file is missing from the media root."""
    if not may_read(actor, evidence):
        raise PermissionDenied(_("You may not open this file."))
    handle = evidence.file.storage.open(evidence.file.name, "rb")
    return handle, evidence.name, evidence.content_type
