"""An assessment of a period: its frozen inputs and their content hash, its results, where it
is in the announce-and-publish cycle, and the objections raised while it was announced."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaoping.web.collection.models import Period, Unit


class Assessment(models.Model):
    class Status(models.TextChoices):
        COMPUTED = "computed", _("Computed (preview)")
        ANNOUNCED = "announced", _("Announced for objections")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded preview")
        SUPERSEDED = "superseded", _("Withdrawn: replaced by a new announcement")

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="assessments")
    methodology = models.CharField(_("methodology"), max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPUTED)
    # everything the numbers depend on (the methodology's full text, every figure, the units
    # and their categories), frozen when computed; inputs_hash is the SHA-256 of its canonical
    # JSON, so that anyone can check a published ranking against its inputs
    inputs = models.JSONField()
    inputs_hash = models.CharField(max_length=64)
    results = models.JSONField()  # one record per unit: rank, score, tier, dimension scores
    computed_at = models.DateTimeField(auto_now_add=True)
    objections_until = models.DateField(_("objections until"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-computed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.period.code} {self.methodology} ({self.status})"

    @property
    def ranked(self) -> int:
        """How many units the ranking holds."""
        return len(self.results)

    @property
    def excluded(self) -> list[dict[str, str]]:
        """The units left out by the analyst's decision, with the reason: ``code``, ``name``,
        ``reason`` (未参评)."""
        return [
            {"code": code, "name": name, "reason": reason}
            for code, name, reason in self.inputs.get("excluded", [])
        ]


class Objection(models.Model):
    """A county's objection to an announced ranking, the city office's answer (accepted or
    rejected) and the county's one reply to it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="objections")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    # an objection to one bonus, penalty or veto item about the county (official periods)
    item = models.ForeignKey(
        "official.Item", null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    text = models.TextField(_("objection"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(_("the county's reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    raised_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["raised_at", "pk"]

    def __str__(self) -> str:
        return f"{self.unit.code}: {self.text[:40]}"
