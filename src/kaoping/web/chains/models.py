"""What the industrial-chain panorama (产业链全景图) and investment attraction (招商引资) store:
chains and their nodes (环节), supply relations, the enterprises placed on the nodes, the
investment targets (招商目标), the signed projects (签约项目, each a project of the dispatch
registry) and the office's strength rules.

The fields are the engine's columns (:mod:`kaoping.chains.schema`); :mod:`.frames` turns the
rows into the :class:`kaoping.chains.ChainBook` the engine computes on, so that no rule is
written twice.  Every data-bearing row keeps its history (django-simple-history; an
enterprise's nodes too, through ``m2m_fields``); workflow actions go to the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kaoping.chains.schema import ORIGINS, POSITIONS, PRIORITIES, TARGET_KINDS
from kaoping.web.collection.models import Unit
from kaoping.web.projects.models import Project


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


class Chain(models.Model):
    """An industrial chain with its 链长 and 链主企业."""

    code = models.CharField(_("chain id"), max_length=40, unique=True)
    name = models.CharField(_("chain name"), max_length=100)
    leader = models.CharField(_("chain leader"), max_length=100, blank=True)
    lead_enterprises = models.CharField(_("lead enterprises"), max_length=300, blank=True)
    department = models.CharField(_("lead department"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("industrial chain")
        verbose_name_plural = _("industrial chains")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Node(models.Model):
    """A node (环节) of a chain: its position, its parent (the nodes of a chain form a tree),
    the GB/T 4754-2017 classes it covers (canonical codes joined by 、)."""

    chain = models.ForeignKey(Chain, on_delete=models.PROTECT, related_name="nodes")
    code = models.CharField(_("node id"), max_length=40, unique=True)
    name = models.CharField(_("node name"), max_length=100)
    position = models.CharField(_("position"), max_length=4, choices=_choices(POSITIONS))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    industries = models.CharField(_("industry codes (GB/T 4754)"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["chain", "order", "code"]
        verbose_name = _("chain node")
        verbose_name_plural = _("chain nodes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Edge(models.Model):
    """A supply relation: ``source`` supplies ``target``."""

    source = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="supplies")
    target = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="supplied_by")
    relation = models.CharField(_("relation"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "target"]
        verbose_name = _("supply relation")
        verbose_name_plural = _("supply relations")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="one_edge_a_pair")]

    def __str__(self) -> str:
        return f"{self.source.code} → {self.target.code}"


class Enterprise(models.Model):
    """An enterprise by its 统一社会信用代码, placed on one or more nodes; money in 万元."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    name = models.CharField(_("enterprise name"), max_length=200)
    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="enterprises")
    park = models.CharField(_("park"), max_length=100, blank=True)
    nodes = models.ManyToManyField(Node, related_name="enterprises", verbose_name=_("nodes"))
    above_scale = models.BooleanField(_("above designated size"), default=False)
    output = models.FloatField(_("output (10k yuan)"), null=True, blank=True)
    tax = models.FloatField(_("tax (10k yuan)"), null=True, blank=True)
    employees = models.FloatField(_("employees"), null=True, blank=True)
    lead = models.BooleanField(_("lead enterprise"), default=False)

    history = HistoricalRecords(m2m_fields=[nodes])

    class Meta:
        ordering = ["uscc"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """An investment target (招商目标) on a node: a named enterprise or a kind of project, of a
    county or (no county) of the city."""

    code = models.CharField(_("target id"), max_length=40, unique=True)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="targets")
    county = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="chain_targets"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=_choices(TARGET_KINDS))
    name = models.CharField(_("target enterprise or kind of project"), max_length=200)
    priority = models.CharField(
        _("priority"), max_length=2, blank=True, choices=_choices(PRIORITIES)
    )
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("investment target")
        verbose_name_plural = _("investment targets")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Signing(models.Model):
    """A signed project (签约项目): the registry project it became (whose dates are its
    life: 履约, 开工, 投产, 达效), the investor and where from, the amount (万元)."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="signing")
    investor = models.CharField(_("investor"), max_length=200)
    origin = models.CharField(
        _("investor from"), max_length=4, blank=True, choices=_choices(ORIGINS)
    )
    amount = models.FloatField(_("amount (10k yuan)"))
    signed_on = models.DateField(_("signed on"))
    node = models.ForeignKey(
        Node, null=True, blank=True, on_delete=models.PROTECT, related_name="signings"
    )
    county = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="signings")
    park = models.CharField(_("park"), max_length=100, blank=True)
    target = models.ForeignKey(
        Target, null=True, blank=True, on_delete=models.SET_NULL, related_name="signings"
    )
    batch = models.CharField(_("batch (三个一批)"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "project"]
        verbose_name = _("signed project")
        verbose_name_plural = _("signed projects")

    def __str__(self) -> str:
        return str(self.project)


class Rules(models.Model):
    """The office's strength rules (one row), as :class:`kaoping.chains.StrengthRules`."""

    missing_below = models.PositiveIntegerField(
        _("fewer enterprises than this: missing"), default=1
    )
    weak_below = models.PositiveIntegerField(_("fewer enterprises than this: weak"), default=3)
    weak_share_pct = models.FloatField(
        _("output share of the chain below this (%): weak"), null=True, blank=True, default=5.0
    )
    weak_without_above_scale = models.BooleanField(
        _("no enterprise above designated size: weak"), default=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strength rules")
        verbose_name_plural = _("strength rules")

    def __str__(self) -> str:
        return str(_("strength rules"))
