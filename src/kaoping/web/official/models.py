"""What an official period (考核评价) needs beyond the counties' figures: each county's targets
(目标下达), the figures the departments supply for every county (职能部门), the bonus, penalty
and veto items decided on evidence (加减分、一票否决), the judges' scores (评议), and the
counties' disputes of a figure supplied for them.

Everything here keeps its history (who, when, old -> new); an assessment freezes what was
approved when it was computed (see :mod:`kaoping.web.official.inputs`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaoping.web.collection.models import Period, Unit


class Department(models.Model):
    """A department (职能部门 / 数据提供部门) as the platform knows it: its name, as the
    methodologies write it as an indicator's ``owner`` (its accounts carry the same name, and
    supply those indicators' figures for every county), and the bonus, penalty and veto items
    (by their id in the methodology) it may propose against a county."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    rules = models.JSONField(_("items it may propose"), default=list, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """A county's target (目标值) of one indicator in one period, issued by the city office."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=100)
    value = models.FloatField(_("target"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["period", "unit", "indicator"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit", "indicator"], name="one_target_each")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.unit.code} {self.indicator}={self.value:g}"


class Review(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


class DepartmentSheet(models.Model):
    """A department's figures for every county in one period (one sheet: counties x its
    indicators), reviewed like a county's submission."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="sheets")
    department = models.CharField(_("department"), max_length=100)
    status = models.CharField(max_length=10, choices=Review.choices, default=Review.DRAFT)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    version = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department's sheet")
        verbose_name_plural = _("departments' sheets")
        ordering = ["period", "department"]
        constraints = [
            models.UniqueConstraint(fields=["period", "department"], name="one_sheet_each")
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.department}"


class DepartmentValue(models.Model):
    """One figure of a department's sheet: a county's value of one of its indicators."""

    sheet = models.ForeignKey(DepartmentSheet, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("indicator"), max_length=100)
    value = models.FloatField(_("value"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department's figure")
        verbose_name_plural = _("departments' figures")
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "unit", "indicator"], name="one_department_value_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sheet} {self.unit.code} {self.indicator}={self.value}"


class Dispute(models.Model):
    """A county's dispute of a figure a department supplied for it, and the office's answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")

    sheet = models.ForeignKey(DepartmentSheet, on_delete=models.PROTECT, related_name="disputes")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    indicator = models.CharField(_("indicator"), max_length=100)
    text = models.TextField(_("comment"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disputed figure")
        verbose_name_plural = _("disputed figures")
        ordering = ["raised_at", "pk"]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.indicator}: {self.text[:40]}"


class Item(models.Model):
    """A bonus, penalty or veto item (加分、减分、一票否决) against a county, proposed by a
    department or the office with its reason and evidence, approved or rejected by the office."""

    class Kind(models.TextChoices):
        BONUS = "bonus", _("Bonus")
        PENALTY = "penalty", _("Penalty")
        VETO = "veto", _("Veto")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, awaiting a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", pgettext_lazy("item", "Rejected")  # 未通过, not an objection's

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="items")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="items")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    rule = models.CharField(_("item of the methodology"), max_length=100)
    points = models.FloatField(_("points"), null=True, blank=True)  # None: a veto
    reason = models.TextField(_("reason"))
    document = models.CharField(_("document (文号)"), max_length=300)
    date = models.DateField(_("date of the document"), null=True, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decision = models.TextField(_("reason of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bonus, penalty or veto item")
        verbose_name_plural = _("bonus, penalty and veto items")
        ordering = ["period", "unit", "pk"]

    def __str__(self) -> str:
        return f"{self.period} {self.unit.code} {self.kind} {self.rule}"


def _evidence_path(instance: Evidence, filename: str) -> str:
    # never the uploaded name: the file's digest and the extension its content was read as
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}.{instance.extension}"


class Evidence(models.Model):
    """A file (PDF, image, Word, Excel) that an item rests on: stored under the media root,
    served only to those who may see the item (never as a public static file)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)  # as uploaded, for display only
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class JudgedScore(models.Model):
    """One judge's score of one criterion for one county (评议), aggregated by the engine as
    the methodology says (e.g. the trimmed mean)."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="judged")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    judge = models.CharField(_("judge"), max_length=100)
    criterion = models.CharField(_("criterion"), max_length=100)
    score = models.FloatField(_("score"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("judge's score")
        verbose_name_plural = _("judges' scores")
        ordering = ["period", "unit", "judge", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "unit", "judge", "criterion"], name="one_score_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.judge} {self.criterion}={self.score:g}"
