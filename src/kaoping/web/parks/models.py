"""What the parks and the on-site observation (产业集聚区/开发区考核, 观摩评比) store.

Parks: the registry (:mod:`kaoping.data.parks`), their park-level figures per year, and the
annual ratings the engine computes from them (:mod:`kaoping.scoring.stars`): score, ranks, star
level and why.  Parks are not :class:`~kaoping.web.collection.models.Unit` rows: the units are
the counties that submit figures and are ranked; a park names its host county by code.

Observation: an event (a quarter's 观摩 or a 回头看) with its groups of counties, the itinerary
of projects visited (linked to the dispatch registry when it holds them), the criteria with
their maxima, the judges (accounts with a weight) and each judge's scores per county and
criterion.  The engine (:mod:`kaoping.observation`) aggregates them; the organiser's decisions
(exclude a judge, wait for missing scores) are recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaoping.web.collection.models import Period, Unit

PARK_KINDS = ("产业集聚区", "开发区", "高新区", "经开区", "专业园区")
"""As :data:`kaoping.data.parks.PARK_KINDS` (kept here so that migrations need no pandas)."""


class Park(models.Model):
    """A park of the registry: 产业集聚区, 开发区, 高新区, 经开区 or 专业园区."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=8, choices=[(k, k) for k in PARK_KINDS])
    county_code = models.CharField(_("host county code"), max_length=12)
    county_name = models.CharField(_("host county"), max_length=100, blank=True)
    industries = models.CharField(_("leading industries"), max_length=300, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=20, blank=True)  # 国家级 / 省级
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("park")
        verbose_name_plural = _("parks")

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> Unit | None:
        """The host county as a unit of the platform, when it is one."""
        return Unit.objects.filter(code=self.county_code).first()


class ParkYear(models.Model):
    """One year's assessment of the parks: the methodology, and whether it is published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Figures being collected")
        COMPUTED = "computed", _("Computed, not yet published")
        PUBLISHED = "published", _("Published")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    methodology = models.CharField(_("methodology"), max_length=100, default="park_hqd")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    computed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("park assessment year")
        verbose_name_plural = _("park assessment years")

    def __str__(self) -> str:
        return str(self.year)


class ParkValue(models.Model):
    """A park's figure of one indicator in one year."""

    year = models.ForeignKey(ParkYear, on_delete=models.CASCADE, related_name="values")
    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="values")
    indicator = models.CharField(_("indicator"), max_length=100)
    value = models.FloatField(_("value"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "park", "indicator"], name="one_value_per_park_indicator"
            )
        ]


class ParkRating(models.Model):
    """The engine's rating of a park in a year (written when the year is computed)."""

    year = models.ForeignKey(ParkYear, on_delete=models.CASCADE, related_name="ratings")
    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="ratings")
    score = models.FloatField(_("score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    kind_rank = models.PositiveIntegerField(_("rank among its kind"), null=True, blank=True)
    eligible = models.PositiveSmallIntegerField(_("eligible star level"), default=0)
    star = models.PositiveSmallIntegerField(_("star level"), default=0)
    previous = models.PositiveSmallIntegerField(_("previous star level"), null=True, blank=True)
    change = models.CharField(_("change"), max_length=8, blank=True)  # up down same new demoted
    capped = models.BooleanField(_("promotion capped"), default=False)
    gate = models.BooleanField(_("passed the threshold"), default=True)
    reason_zh = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)

    class Meta:
        ordering = ["year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["year", "park"], name="one_rating_per_park_year")
        ]


class ObservationEvent(models.Model):
    """An on-site observation (观摩评比) of one quarter, or a 回头看 of earlier events."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quarterly observation")
        REVIEW = "review", _("Look-back (回头看)")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean of the judges")
        TRIMMED = "trimmed", _("Mean without the highest and lowest")
        WEIGHTED = "weighted", _("Mean weighted by the judges' roles")
        TRIMMED_WEIGHTED = "trimmed_weighted", _("Weighted, without the highest and lowest")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for scoring")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    code = models.SlugField(_("code"), max_length=40, unique=True)  # e.g. 2026-q1
    name = models.CharField(_("name"), max_length=200)
    period = models.CharField(_("quarter"), max_length=16)  # 2026-Q1
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.QUARTER)
    reviews = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+")
    aggregation = models.CharField(
        max_length=16, choices=Aggregation.choices, default=Aggregation.TRIMMED
    )
    trim_min_judges = models.PositiveSmallIntegerField(default=5)
    far = models.FloatField(_("flag a judge this far from the others"), default=0.15)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    date = models.DateField(_("date"), null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-period", "code"]
        verbose_name = _("observation event")
        verbose_name_plural = _("observation events")

    def __str__(self) -> str:
        return self.name


class EventGroup(models.Model):
    """A group of the event (县(市)组, 城区组): its counties are ranked among themselves."""

    event = models.ForeignKey(ObservationEvent, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("group"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    units = models.ManyToManyField(Unit, related_name="+")

    class Meta:
        ordering = ["event", "order"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="one_group_name_per_event")
        ]


class Visit(models.Model):
    """A stop of the itinerary: a project visited in a county (from the registry when it is
    there)."""

    event = models.ForeignKey(ObservationEvent, on_delete=models.CASCADE, related_name="visits")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("project visited"), max_length=200)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["event", "order"]


class Criterion(models.Model):
    """A criterion of the event's score sheet, with its maximum points."""

    event = models.ForeignKey(ObservationEvent, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    maximum = models.FloatField(_("maximum points"))
    order = models.PositiveSmallIntegerField(default=0)
    hint = models.TextField(_("what the judges look at"), blank=True)

    class Meta:
        ordering = ["event", "order"]


class Judge(models.Model):
    """A judge of the event: an account, its role and its weight."""

    event = models.ForeignKey(ObservationEvent, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100, blank=True)
    weight = models.FloatField(_("weight"), default=1.0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    excluded = models.BooleanField(_("left out of the results"), default=False)

    class Meta:
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_judge_per_user_event")
        ]


class Score(models.Model):
    """One judge's points of one county on one criterion."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.FloatField(_("points"))
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "unit", "criterion"], name="one_score_per_judge_unit_criterion"
            )
        ]


class Decision(models.Model):
    """An organiser's recorded decision on an event: close with missing scores (wait or leave
    the judge out), keep or leave out a flagged judge."""

    class Kind(models.TextChoices):
        WAIT = "wait", _("Wait for the missing scores")
        EXCLUDE = "exclude", _("Leave the judge out")
        KEEP = "keep", _("Keep the flagged judge")

    event = models.ForeignKey(ObservationEvent, on_delete=models.CASCADE, related_name="decisions")
    judge = models.ForeignKey(Judge, null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "at"]


class AnnualComposite(models.Model):
    """A year's observation composite: the weights of its events, the shares of indicators and
    observation, and the official period it may feed as a judged component."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    weights = models.JSONField(_("weights of the events"), default=dict, blank=True)
    indicator_share = models.FloatField(_("share of the indicators (%)"), default=80.0)
    observation_share = models.FloatField(_("share of the observation (%)"), default=20.0)
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.SET_NULL)
    fed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]
