"""What the key-project dispatch (重点项目月调度) stores: the registry (项目库), the months the
city office opens, each project's monthly report with its photos, and the issues raised on a
project (问题台账).

The columns of the registry and of a monthly report are the engine's
(:mod:`kaoping.dispatch.schema`): :mod:`kaoping.web.projects.frames` turns these rows into the
frames :mod:`kaoping.dispatch` computes on, so that no rule is written twice.  Data-bearing rows
keep their history (django-simple-history); workflow actions go to the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kaoping.dispatch.schema import BATCH_ROLES, KEY_LEVELS, STAGES
from kaoping.web.collection.models import Unit


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class Project(models.Model):
    """A project of the registry (项目库), fields as :data:`kaoping.dispatch.schema.REGISTRY`;
    money in 万元."""

    code = models.CharField(_("project id"), max_length=40, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    approval_code = models.CharField(_("approval code"), max_length=40, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="projects")
    park = models.CharField(_("park"), max_length=100, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    nature = models.CharField(_("kind of works"), max_length=8, blank=True)
    key_level = models.CharField(
        _("key level"), max_length=8, blank=True, choices=_choices(KEY_LEVELS)
    )
    industrial = models.BooleanField(_("industrial project"), default=False)
    attracted = models.BooleanField(_("attracted investment"), default=False)
    batch = models.CharField(_("batch (三个一批)"), max_length=40, blank=True)
    batch_role = models.CharField(
        _("batch role"), max_length=4, blank=True, choices=_choices(BATCH_ROLES)
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    responsible = models.CharField(_("responsible unit"), max_length=200, blank=True)
    leader = models.CharField(_("leader in charge"), max_length=100, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    total = models.FloatField(_("total investment (10k yuan)"))
    annual_plan = models.FloatField(_("annual plan (10k yuan)"), null=True, blank=True)
    central_budget = models.FloatField(_("central budget funds (10k yuan)"), null=True, blank=True)
    bond = models.FloatField(_("special bonds (10k yuan)"), null=True, blank=True)
    city_funds = models.FloatField(_("city funds (10k yuan)"), null=True, blank=True)
    market_funds = models.FloatField(_("market and other (10k yuan)"), null=True, blank=True)
    invested_before = models.FloatField(
        _("invested before dispatch (10k yuan)"), null=True, blank=True
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_finish = models.DateField(_("planned finish"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateField(_("actual finish"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    produced_on = models.DateField(_("in production on"), null=True, blank=True)
    effective_on = models.DateField(_("at full effect on"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=4, blank=True, choices=_choices(STAGES))
    content = models.TextField(_("scale and content"), blank=True)
    doc_approval = models.CharField(_("approval document no."), max_length=100, blank=True)
    doc_feasibility = models.CharField(_("feasibility approval no."), max_length=100, blank=True)
    doc_design = models.CharField(_("preliminary design approval no."), max_length=100, blank=True)
    doc_land = models.CharField(_("land approval no."), max_length=100, blank=True)
    doc_planning = models.CharField(_("planning permit no."), max_length=100, blank=True)
    doc_environment = models.CharField(_("environmental approval no."), max_length=100, blank=True)
    doc_construction = models.CharField(_("construction permit no."), max_length=100, blank=True)
    # project-owner accounts (业主单位) that report this project's months
    reporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="reported_projects"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DispatchMonth(models.Model):
    """A month the city office opens for reports (月调度), with its deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for reports")
        CLOSED = "closed", _("Closed")

    month = models.CharField(_("month"), max_length=7, unique=True)  # YYYY-MM
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("dispatch month")
        verbose_name_plural = _("dispatch months")

    def __str__(self) -> str:
        return self.month


class Report(models.Model):
    """A project's report of one month (月度填报), fields as
    :data:`kaoping.dispatch.schema.MONTHLY`, reviewed like a submission."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    month = models.ForeignKey(DispatchMonth, on_delete=models.PROTECT, related_name="reports")
    invested = models.FloatField(_("invested this month (10k yuan)"), null=True, blank=True)
    ytd = models.FloatField(_("this year so far (10k yuan)"), null=True, blank=True)
    since_start = models.FloatField(_("since start (10k yuan)"), null=True, blank=True)
    stopped = models.BooleanField(_("stopped"), default=False)
    in_statistics = models.BooleanField(_("in the statistics"), null=True, blank=True)
    workers = models.IntegerField(_("workers on site"), null=True, blank=True)
    progress = models.TextField(_("progress on site"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["month", "project"]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="one_report_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.project.code} {self.month.month}"


class Photo(models.Model):
    """A photo of the works (形象进度) attached to a report, stored by its SHA-256 under the
    media root with a resized thumbnail; served only after a rights check."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    sha256 = models.CharField(max_length=64)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class Issue(models.Model):
    """An issue raised on a project (问题台账), moving open → 交办 → 督办 → 办结 → 销号 and
    escalated a level (县 → 市调度会 → 市主要领导) when its time limit passes."""

    class Kind(models.TextChoices):
        RELOCATION = "relocation", _("Relocation (征迁)")
        LAND = "land", _("Land (用地)")
        FUNDS = "funds", _("Funds (资金)")
        PERMITS = "permits", _("Permits (手续)")
        WORKS = "works", _("Works (施工)")
        FACTORS = "factors", _("Factor supply (要素保障)")

    class Status(models.TextChoices):
        OPEN = "open", _("Raised")
        ASSIGNED = "assigned", _("Assigned (交办)")
        SUPERVISED = "supervised", _("Supervised (督办)")
        RESOLVED = "resolved", _("Resolved (办结)")
        CLOSED = "closed", _("Closed (销号)")

    class Level(models.TextChoices):
        COUNTY = "county", _("County")
        MEETING = "meeting", _("City dispatch meeting")
        LEADERS = "leaders", _("City's principal leaders")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="issues")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    content = models.TextField(_("content"))
    department = models.CharField(_("responsible department"), max_length=100, blank=True)
    leader = models.CharField(_("leader in charge"), max_length=100, blank=True)
    raised_on = models.DateField(_("raised on"))
    deadline = models.DateField(_("time limit"), null=True, blank=True)
    measures = models.TextField(_("measures"), blank=True)
    result = models.TextField(_("result"), blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.COUNTY)
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="issues"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "pk"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues (问题台账)")

    def __str__(self) -> str:
        return f"{self.project.code}: {self.content[:30]}"
