"""What the platform stores: who may do what, the periods, each unit's submission and values,
and the append-only audit log of workflow actions.

Values and submissions keep their history (django-simple-history: who, when, old -> new, why);
workflow actions (create, open and close a period; submit, return, approve …) are written to
:class:`AuditEvent` by the services, never edited afterwards.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaoping.web.collection import audit


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    ANALYST = "analyst", _("City office analyst")
    COUNTY = "county", _("County submitter")
    DEPARTMENT = "department", _("Department (data provider)")
    OWNER = "owner", _("Project owner (reports its projects)")
    JUDGE = "judge", _("Judge (scores on-site observations)")
    VIEWER = "viewer", _("Viewer")


class Unit(models.Model):
    """A county-level unit, by its GB/T 2260 code."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # shown where the page is in English (empty: the Chinese name); Henan's from the bundled
    # units table (see scripts/make_henan_units.py)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Membership(models.Model):
    """A user's role; for a county submitter the one unit they submit for, for a department
    (职能部门) its name as the methodologies write it as an indicator's ``owner`` (统计局)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT)
    department = models.CharField(_("department"), max_length=100, blank=True)
    # set when the city office resets the password (a temporary one, told to the county):
    # every page but the password change sends the user there until they choose their own
    must_change_password = models.BooleanField(_("must change the password"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.COUNTY) | models.Q(unit__isnull=False),
                name="county_member_has_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="department") | ~models.Q(department=""),
                name="department_member_has_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class StoredMethodology(models.Model):
    """A methodology (考核办法) the city office uploaded: its YAML text, checked by the engine
    when added and never changed afterwards (a new version is a new key), so that a period's
    figures and its assessment always mean the same thing.  Bundled methodologies are not
    stored; :mod:`kaoping.web.collection.methodologies` resolves both by key."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    text = models.TextField(_("YAML text"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("methodology")
        verbose_name_plural = _("methodologies")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} {self.name}"


class Period(models.Model):
    """A collection period (``2024``, ``2024-Q3``): open for submissions or closed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet open")
        OPEN = "open", _("Open for submission")
        CLOSED = "closed", _("Closed")

    code = models.CharField(_("period"), max_length=16, unique=True)
    methodology = models.CharField(_("methodology"), max_length=100)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class Submission(models.Model):
    """One unit's figures for one period, and where they are in the review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    comment = models.TextField(_("reviewer's comment"), blank=True)
    # optimistic locking: a save names the version it edited; a stale one is refused
    version = models.PositiveIntegerField(default=0)
    # reopened after an accepted objection: the county may correct it even in a closed period
    reopened = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="one_submission_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.period.code}"


class BlankReason(models.TextChoices):
    """Why a figure is not given: a county confirms every blank before it submits."""

    UNKNOWN = "unknown", _("Not known")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class Value(models.Model):
    """One indicator's figure in a submission (NULL: not given, with the reason when the
    county has confirmed the blank)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(_("indicator"), max_length=100)
    value = models.FloatField(_("value"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    blank_reason = models.CharField(
        _("reason for a blank"), max_length=16, choices=BlankReason.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="one_value_each")
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.indicator}={self.value}"


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("the audit log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only")


class AuditEvent(models.Model):
    """A workflow action, written once by a service and never changed.

    The events form a hash chain (``seq``, ``hash``: see :mod:`.audit`), checked by
    ``python -m kaoping.web verify_audit``; the database refuses UPDATE and DELETE of them
    (triggers made by migration 0009)."""

    class Action(models.TextChoices):
        METHODOLOGY_ADD = "methodology.add", _("Added a methodology")
        PERIOD_CREATE = "period.create", _("Created the period")
        PERIOD_DEADLINE = "period.deadline", _("Set the deadline")
        PERIOD_OPEN = "period.open", _("Opened the period")
        PERIOD_CLOSE = "period.close", _("Closed the period")
        SAVE = "submission.save", _("Saved figures")
        SUBMIT = "submission.submit", _("Submitted")
        RETURN = "submission.return", _("Returned for correction")
        APPROVE = "submission.approve", _("Approved")
        REOPEN = "submission.reopen", _("Reopened after an accepted objection")
        COMPUTE = "assessment.compute", _("Computed the assessment")
        ANNOUNCE = "assessment.announce", _("Announced the results for objections")
        OBJECT = "assessment.object", _("Raised an objection")
        ANSWER = "assessment.answer", _("Answered an objection")
        REPLY = "assessment.reply", _("Replied to the answer to an objection")
        DISCARD = "assessment.discard", _("Discarded a preview")
        PUBLISH = "assessment.publish", _("Published the results")
        TARGETS_UPLOAD = "targets.upload", _("Issued targets from a workbook")
        TARGET_SET = "targets.set", _("Corrected a target")
        SHEET_SAVE = "sheet.save", _("Saved a department's figures")
        SHEET_SUBMIT = "sheet.submit", _("Submitted a department's figures")
        SHEET_RETURN = "sheet.return", _("Returned a department's figures for correction")
        SHEET_APPROVE = "sheet.approve", _("Approved a department's figures")
        DISPUTE_RAISE = "dispute.raise", _("Disputed a figure supplied by a department")
        DISPUTE_ANSWER = "dispute.answer", _("Answered a disputed figure")
        ITEM_PROPOSE = "item.propose", _("Proposed a bonus, penalty or veto item")
        ITEM_APPROVE = "item.approve", _("Approved an item")
        ITEM_REJECT = "item.reject", _("Rejected an item")
        JUDGED_UPLOAD = "judged.upload", _("Entered judges' scores")
        PROJECTS_IMPORT = "projects.import", _("Imported the project registry")
        DISPATCH_OPEN = "dispatch.open", _("Opened a dispatch month")
        DISPATCH_CLOSE = "dispatch.close", _("Closed and published a dispatch month")
        REPORT_SUBMIT = "report.submit", _("Submitted a project's monthly report")
        REPORT_RETURN = "report.return", _("Returned a monthly report for correction")
        REPORT_APPROVE = "report.approve", _("Approved a monthly report")
        ISSUE_RAISE = "issue.raise", _("Raised an issue on a project")
        ISSUE_STEP = "issue.step", _("Moved an issue a step on")
        ISSUE_ESCALATE = "issue.escalate", _("Escalated an overdue issue")
        EVENT_OPEN = "observation.open", _("Opened an observation event for scoring")
        EVENT_CLOSE = "observation.close", _("Closed an observation event")
        EVENT_DECIDE = "observation.decide", _("Decided on a judge of an observation event")
        EVENT_PUBLISH = "observation.publish", _("Published an observation event's results")
        SCORES_SUBMIT = "observation.submit", _("Submitted a judge's scores")
        SCORES_UPLOAD = "observation.upload", _("Entered judges' score sheets")
        COMPOSITE_FEED = "observation.feed", _("Fed the observation composite into an assessment")
        COMPOSITE_SHARES = "observation.shares", _("Set the shares of the annual composite")
        PARKS_IMPORT = "parks.import", _("Imported the park registry")
        PARK_VALUES = "parks.values", _("Imported the parks' figures")
        PARKS_COMPUTE = "parks.compute", _("Computed the parks' ratings")
        PARKS_PUBLISH = "parks.publish", _("Published the parks' ratings")
        CHAINS_IMPORT = "chains.import", _("Imported the chain workbook")
        CHAINS_RULES = "chains.rules", _("Changed the chains' strength rules")
        SIGNING_RECORD = "chains.sign", _("Recorded a signed project")
        SIGNING_ADVANCE = "chains.advance", _("Recorded a signed project's next stage")
        PASSWORD_CHANGE = "account.password", _("Changed their password")
        PASSWORD_RESET = "account.reset", _("Reset a county account's password")

    seq = models.PositiveBigIntegerField(_("number"), unique=True, editable=False)
    timestamp = models.DateTimeField(db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.PROTECT)
    data = models.JSONField(default=dict, blank=True)
    # SHA-256 of the previous event's hash and this event's content (see audit.digest)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["seq"]

    @classmethod
    def record(
        cls,
        action: AuditEvent.Action,
        actor: Any,
        *,
        submission: Submission | None = None,
        period: Period | None = None,
        **data: Any,
    ) -> AuditEvent:
        """Append an event (the services' one way to write the log); the period defaults to
        the submission's.  Under the log's write lock, so that the event follows the last one
        (see :mod:`.audit`)."""
        with transaction.atomic():
            audit.append_lock()
            last = cls.objects.order_by("-seq").values_list("seq", "hash").first()
            seq, previous = (last[0] + 1, last[1]) if last else (1, audit.GENESIS)
            event = cls(
                seq=seq,
                timestamp=timezone.now(),
                action=action,
                actor=actor,
                submission=submission,
                period=period or (submission.period if submission else None),
                data=data,
            )
            event.hash = audit.digest(
                previous,
                seq=seq,
                timestamp=event.timestamp,
                actor_id=event.actor_id,
                action=event.action,
                submission_id=event.submission_id,
                period_id=event.period_id,
                data=event.data,
            )
            event.save(force_insert=True)
        return event

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("the audit log is append-only: an event cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("the audit log is append-only: an event cannot be deleted")
