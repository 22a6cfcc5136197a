"""The chains app's services: who sees what, the workbook in and out, the office's rules, a
signing recorded (it becomes a registry project) and moved on through its life, and the
queries the pages show.  Every rule is the engine's (:mod:`kaoping.chains`); these functions
check rights, store and read.

Who sees what: the office (analysts, administrators) everything; a county account every
chain's panorama, gap lists and the signings' summary, the enterprise rows of its own county
only, and it records and advances the signings of its own county; a viewer the panoramas, gap
lists and signing summaries, no enterprise rows and no signing's page; departments, project
owners and judges nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import IO, Any, Final

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kaoping.chains.model import check_book, make_book
from kaoping.chains.schema import POSITIONS, STRENGTHS
from kaoping.chains.signings import by_county, county_seats, group_share, lifecycle, to_registry
from kaoping.chains.strength import StrengthRules, gaps, strength
from kaoping.errors import InputError, Problem
from kaoping.web.chains import frames
from kaoping.web.chains.models import Chain, Edge, Enterprise, Node, Signing, Target
from kaoping.web.collection.access import is_reviewer, require_reviewer, role_of, unit_id_of
from kaoping.web.collection.models import AuditEvent, Role, Unit
from kaoping.web.projects import frames as project_frames
from kaoping.web.projects.frames import PROJECT_FIELDS
from kaoping.web.projects.models import Project

__all__ = [
    "STAGES",
    "book_export",
    "book_import",
    "book_store",
    "can_see_chains",
    "can_see_enterprises",
    "chain_list",
    "gap_list",
    "may_record",
    "next_stage",
    "node_detail",
    "panorama",
    "require_chains",
    "rules_update",
    "signing_advance",
    "signing_record",
    "signings_summary",
    "signings_visible_to",
]

STAGES: Final = (
    ("fulfilled", "fulfilled_on"),
    ("started", "actual_start"),
    ("produced", "produced_on"),
    ("effective", "effective_on"),
)
"""A signing's stages after 签约, in order, and the registry project's date of each: 履约,
开工, 投产, 达效 (the dates :func:`kaoping.chains.lifecycle` counts)."""

# the registry's stage (建设阶段) a signed project is at once it reaches a stage
_PROJECT_STAGE: Final = {"started": "在建", "produced": "投产", "effective": "达效"}


# -- rights ----------------------------------------------------------------------------------------


def can_see_chains(user: Any) -> bool:
    """The office, the counties and the viewers."""
    return is_reviewer(user) or role_of(user) in (Role.COUNTY, Role.VIEWER)


def require_chains(user: Any) -> None:
    if not can_see_chains(user):
        raise PermissionDenied(
            _("The industrial chains are for the city office, the counties and the viewers.")
        )


def can_see_enterprises(user: Any) -> bool:
    """The office (every county's) and the counties (their own)."""
    return is_reviewer(user) or role_of(user) == Role.COUNTY


def _enterprises_visible_to(user: Any) -> QuerySet[Enterprise]:
    if is_reviewer(user):
        return Enterprise.objects.all()
    if role_of(user) == Role.COUNTY:
        return Enterprise.objects.filter(county_id=unit_id_of(user))
    return Enterprise.objects.none()


def may_record(user: Any, county: Unit | None = None) -> bool:
    """The office, or a county account for its own county (any county: ``county`` None)."""
    if is_reviewer(user):
        return True
    if role_of(user) != Role.COUNTY:
        return False
    return county is None or county.pk == unit_id_of(user)


def signings_visible_to(user: Any) -> QuerySet[Signing]:
    """The signings whose rows (and pages) a user sees: the office all, a county its own,
    nobody else (viewers see the summary by county)."""
    query = Signing.objects.select_related("project", "county", "node", "node__chain", "target")
    if is_reviewer(user):
        return query
    if role_of(user) == Role.COUNTY:
        return query.filter(county_id=unit_id_of(user))
    return query.none()


# -- the workbook ----------------------------------------------------------------------------------


def _counties() -> dict[str, Unit]:
    return {u.code: u for u in Unit.objects.all()}


def book_import(*, actor: Any, file: IO[bytes], name: str) -> dict[str, Any]:
    """Read an uploaded chain workbook (:func:`kaoping.chains.read_book`, the counties being
    the platform's units; messages call it ``name``) and store it (:func:`book_store`): all or
    nothing.

    Raises
    ------
    PermissionDenied
        Unless the actor is of the office (checked before the file is read).
    kaoping.errors.InputError
        Every problem of the workbook, by cell; nothing is stored.
    """
    require_reviewer(actor)
    from kaoping.chains import read_book

    book = read_book(file, name=name, counties=set(_counties()))
    return book_store(actor=actor, book=book)


def _text(value: Any) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _lookup(found: dict[str, Any], key: Any) -> Any:
    """The stored row of a key cell (None for an empty cell)."""
    text = _text(key)
    return found[text] if text else None


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _date(value: Any) -> dt.date | None:
    if value is None or value is pd.NaT or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _save(obj: Any, values: dict[str, Any], reason: str) -> str:
    """Create or update ``obj`` with ``values``: ``created``, ``updated`` or ``unchanged``."""
    created = obj.pk is None
    changed = created
    for name, value in values.items():
        if created or getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if not changed:
        return "unchanged"
    obj._change_reason = reason
    obj.save()
    return "created" if created else "updated"


REASON: Final = "workbook import"


def book_store(*, actor: Any, book: Any) -> dict[str, Any]:
    """Create or update, by their keys, the chains, nodes, edges, enterprises, targets and
    signings of ``book`` (a signing with its registry project), in one transaction; nothing
    is deleted: the stored rows the workbook no longer has are named in ``kept``.

    Returns
    -------
    dict
        Per frame name, how many ``created``/``updated``/``unchanged``; ``kept``: frame name
        → the keys of stored rows the workbook does not have (kept, for the office to remove
        in the admin if they are gone).

    Raises
    ------
    PermissionDenied
        Unless the actor is of the office.
    kaoping.errors.InputError
        What :func:`kaoping.chains.check_book` finds, the counties being the platform's units.
    """
    require_reviewer(actor)
    units = _counties()
    problems = check_book(book, counties=set(units))
    if problems:
        raise InputError(problems)
    counts: dict[str, dict[str, int]] = {}

    def count(frame: str, outcome: str) -> None:
        counts.setdefault(frame, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1

    with transaction.atomic():
        chains: dict[str, Chain] = {c.code: c for c in Chain.objects.all()}
        for _i, row in book.chains.iterrows():
            chain = chains.get(str(row["chain"])) or Chain(code=str(row["chain"]))
            count(
                "chains",
                _save(
                    chain,
                    {
                        f: _text(row[f])
                        for f in ("name", "leader", "lead_enterprises", "department", "description")
                    },
                    REASON,
                ),
            )
            chains[chain.code] = chain
        nodes: dict[str, Node] = {n.code: n for n in Node.objects.all()}
        outcomes: dict[str, str] = {}
        for order, (_i, row) in enumerate(book.nodes.iterrows(), start=1):
            # parents afterwards: a parent may come later in the sheet
            node = nodes.get(str(row["node"])) or Node(code=str(row["node"]))
            values = {
                "chain": chains[str(row["chain"])],
                "name": _text(row["name"]),
                "position": _text(row["position"]),
                "industries": "、".join(row["industries"]),
                "note": _text(row["note"]),
                "order": order,
            }
            outcomes[node.code] = _save(node, values, REASON)
            nodes[node.code] = node
        for _i, row in book.nodes.iterrows():
            node = nodes[str(row["node"])]
            parent = _lookup(nodes, row["parent"])
            if (
                _save(node, {"parent": parent}, REASON) == "updated"
                and outcomes[node.code] == "unchanged"
            ):
                outcomes[node.code] = "updated"
        for outcome in outcomes.values():
            count("nodes", outcome)
        edges = {(e.source_id, e.target_id): e for e in Edge.objects.all()}
        for _i, row in book.edges.iterrows():
            source, target = nodes[str(row["source"])], nodes[str(row["target"])]
            edge = edges.get((source.pk, target.pk)) or Edge(source=source, target=target)
            count(
                "edges",
                _save(
                    edge, {"relation": _text(row["relation"]), "note": _text(row["note"])}, REASON
                ),
            )
            edges[(source.pk, target.pk)] = edge
        enterprises = {e.uscc: e for e in Enterprise.objects.prefetch_related("nodes")}
        for _i, row in book.enterprises.iterrows():
            ent = enterprises.get(str(row["uscc"])) or Enterprise(uscc=str(row["uscc"]))
            outcome = _save(
                ent,
                {
                    "name": _text(row["name"]),
                    "county": units[str(row["county"])],
                    "park": _text(row["park"]),
                    "above_scale": bool(row["above_scale"])
                    if not pd.isna(row["above_scale"])
                    else False,
                    "output": _number(row["output"]),
                    "tax": _number(row["tax"]),
                    "employees": _number(row["employees"]),
                    "lead": bool(row["lead"]) if not pd.isna(row["lead"]) else False,
                },
                REASON,
            )
            wanted = {nodes[str(n)].pk for n in row["nodes"]}
            if {n.pk for n in ent.nodes.all()} != wanted:
                ent._change_reason = REASON  # type: ignore[attr-defined]
                ent.nodes.set(wanted)
                outcome = "updated" if outcome == "unchanged" else outcome
            count("enterprises", outcome)
        targets = {t.code: t for t in Target.objects.all()}
        for _i, row in book.targets.iterrows():
            target = targets.get(str(row["target"])) or Target(code=str(row["target"]))
            county = _lookup(units, row["county"])
            count(
                "targets",
                _save(
                    target,
                    {
                        "node": nodes[str(row["node"])],
                        "county": county,
                        "kind": _text(row["kind"]),
                        "name": _text(row["name"]),
                        "priority": _text(row["priority"]),
                        "note": _text(row["note"]),
                    },
                    REASON,
                ),
            )
            targets[target.code] = target
        if len(book.signings):
            registry = to_registry(book)
            for _i, row in book.signings.iterrows():
                outcome = _store_signing(
                    actor, row, registry.loc[str(row["project"])], units, nodes, targets, REASON
                )
                count("signings", outcome)
        kept = {
            "chains": sorted(set(chains) - {str(c) for c in book.chains["chain"]}),
            "nodes": sorted(set(nodes) - {str(n) for n in book.nodes["node"]}),
            "enterprises": sorted(set(enterprises) - {str(e) for e in book.enterprises["uscc"]}),
            "targets": sorted(set(targets) - {str(t) for t in book.targets["target"]}),
            "signings": sorted(
                set(Signing.objects.values_list("project__code", flat=True))
                - {str(s) for s in book.signings["project"]}
            ),
        }
        AuditEvent.record(
            AuditEvent.Action.CHAINS_IMPORT,
            actor,
            **{k: v for k, v in counts.items()},
            kept={k: len(v) for k, v in kept.items()},
        )
    return {**counts, "kept": {k: v for k, v in kept.items() if v}}


def _project_values(registry_row: pd.Series) -> dict[str, Any]:
    """The Project fields of a registry row (:func:`kaoping.chains.to_registry`)."""
    dates = {f.name for f in Project._meta.get_fields() if f.get_internal_type() == "DateField"}
    numbers = {f.name for f in Project._meta.get_fields() if f.get_internal_type() == "FloatField"}
    flags = {f.name for f in Project._meta.get_fields() if f.get_internal_type() == "BooleanField"}
    values: dict[str, Any] = {}
    for name in PROJECT_FIELDS:
        if name not in registry_row.index:
            continue
        raw = registry_row[name]
        if name in dates:
            values[name] = _date(raw)
        elif name in numbers:
            values[name] = _number(raw)
        elif name in flags:
            values[name] = bool(raw) if not pd.isna(raw) else False
        else:
            values[name] = _text(raw)
    return values


def _store_signing(
    actor: Any,
    row: pd.Series,
    registry_row: pd.Series,
    units: dict[str, Unit],
    nodes: dict[str, Node],
    targets: dict[str, Target],
    reason: str,
) -> str:
    code = str(row["project"])
    values = _project_values(registry_row)
    unit = units[str(row["county"])]
    project = Project.objects.filter(code=code).first()
    if project is None:
        project = Project(code=code, unit=unit, **values)
        project._change_reason = reason  # type: ignore[attr-defined]
        project.save()
    else:
        # the registry's own fields that the signing sets; the dates of its life stay
        keep = {k: v for k, v in values.items() if k not in {s[1] for s in STAGES}}
        _save(project, {**keep, "unit": unit}, reason)
    signing = Signing.objects.filter(project=project).first() or Signing(project=project)
    return _save(
        signing,
        {
            "investor": _text(row["investor"]),
            "origin": _text(row["origin"]),
            "amount": float(row["amount"]),
            "signed_on": _date(row["signed_on"]),
            "node": _lookup(nodes, row["node"]),
            "county": unit,
            "park": _text(row["park"]),
            "target": _lookup(targets, row["target"]),
            "batch": _text(row["batch"]),
            "note": _text(row["note"]),
            **({"recorded_by": actor} if signing.pk is None else {}),
        },
        reason,
    )


def book_export(*, actor: Any, empty: bool = False) -> bytes:
    """The chain workbook of everything stored (:func:`kaoping.chains.write_book`), which
    :func:`book_import` reads back; or the empty workbook to fill (``empty``).  The office."""
    require_reviewer(actor)
    from kaoping.chains import write_book

    return write_book(None if empty else frames.book())


def rules_update(*, actor: Any, **fields: Any) -> StrengthRules:
    """Set the office's strength rules (validated by
    :meth:`kaoping.chains.StrengthRules.from_mapping`, every bad value named).

    Raises
    ------
    PermissionDenied
        Unless the actor is of the office.
    kaoping.errors.InputError
        ``chains.unknown_rule``, ``chains.bad_rule``; nothing is changed.
    """
    require_reviewer(actor)
    rules = StrengthRules.from_mapping(fields, where="rules")
    with transaction.atomic():
        row = frames.rules_row()
        before = {f: getattr(row, f) for f in frames.RULE_FIELDS}
        outcome = _save(row, {f: getattr(rules, f) for f in frames.RULE_FIELDS}, "rules changed")
        if outcome != "unchanged":
            AuditEvent.record(
                AuditEvent.Action.CHAINS_RULES,
                actor,
                before=before,
                after={f: getattr(rules, f) for f in frames.RULE_FIELDS},
            )
    return rules


# -- signings --------------------------------------------------------------------------------------


def _problem(code: str, zh: str, en: str, where: str) -> Problem:
    return Problem(f"chains.{code}", zh, en, where)


def _new_code(county: str, year: int) -> str:
    prefix = f"QY-{county}-{year}-"
    taken = set(Project.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


def signing_record(
    *,
    actor: Any,
    county: str,
    name: str,
    investor: str,
    amount: Any,
    signed_on: Any,
    origin: str = "",
    node: str = "",
    park: str = "",
    target: str = "",
    batch: str = "",
    note: str = "",
    code: str = "",
) -> Signing:
    """Record a signed project of ``county``: the registry project it becomes
    (:func:`kaoping.chains.to_registry`: presented as 签约 in its batch, 招商引资, so the dispatch
    counts it) and the signing, in one transaction.  ``code`` (the project id) is made
    (``QY-<county>-<year>-<n>``) when empty.

    Raises
    ------
    PermissionDenied
        Unless the actor is of the office or the county's account.
    kaoping.errors.InputError
        Each field that is missing or wrong (``where`` is the field's name): the checks of
        :func:`kaoping.chains.check_book` (unknown node or target, amount not above 0), a
        project id the registry has, a date or amount that is not one.
    """
    unit = Unit.objects.filter(code=str(county).strip()).first()
    if unit is None or not may_record(actor, unit):
        if unit is None and is_reviewer(actor):
            raise InputError(
                [
                    _problem(
                        "unknown_county",
                        f"县区代码 {county} 不是平台上的单位。",
                        f"county code {county} is not a unit of the platform.",
                        "county",
                    )
                ]
            )
        raise PermissionDenied(_("Only the city office or the county may record its signings."))
    problems: list[Problem] = []
    for field, value, zh, en in (
        ("name", name, "项目名称", "the project's name"),
        ("investor", investor, "投资方", "the investor"),
    ):
        if not str(value).strip():
            problems.append(_problem("required", f"请填写{zh}。", f"write {en}.", field))
    try:
        money = float(str(amount).strip())
    except ValueError:
        money = float("nan")
        problems.append(
            _problem(
                "bad_amount",
                f"签约金额“{amount}”不是数字。请填写以万元计的金额。",
                f"the amount {amount!r} is not a number; write it in 10k yuan.",
                "amount",
            )
        )
    try:
        day = signed_on if isinstance(signed_on, dt.date) else dt.date.fromisoformat(str(signed_on))
    except ValueError:
        day = None
        problems.append(
            _problem(
                "bad_date",
                f"签约时间“{signed_on}”不是日期（如 2026-03-18）。",
                f"the date signed {signed_on!r} is not a date (e.g. 2026-03-18).",
                "signed_on",
            )
        )
    code = str(code).strip() or _new_code(unit.code, (day or dt.date.today()).year)
    if Project.objects.filter(code=code).exists():
        problems.append(
            _problem(
                "duplicate",
                f"项目编号 {code} 已在项目库中。请另取一个编号。",
                f"project id {code} is in the registry already; choose another.",
                "code",
            )
        )
    stored = frames.book(parts=("chains", "nodes", "targets"))
    row = {
        "project": code,
        "name": str(name).strip(),
        "investor": str(investor).strip(),
        "origin": origin or None,
        "amount": money,
        "signed_on": day,
        "node": node or None,
        "county": unit.code,
        "park": park or None,
        "target": target or None,
        "batch": batch or None,
        "note": note or None,
    }
    book = make_book(
        chains=stored.chains, nodes=stored.nodes, targets=stored.targets, signings=[row]
    )
    for problem in check_book(book, counties=set(_counties())):
        field = problem.where.rsplit(".", 1)[-1] if problem.where else ""
        problems.append(Problem(problem.code, problem.zh, problem.en, field))
    if problems:
        raise InputError(problems)
    registry_row = to_registry(book).loc[code]
    nodes = {n.code: n for n in Node.objects.filter(code=node)} if node else {}
    targets = {t.code: t for t in Target.objects.filter(code=target)} if target else {}
    with transaction.atomic():
        _store_signing(
            actor,
            book.signings.iloc[0],
            registry_row,
            {unit.code: unit},
            nodes,
            targets,
            "signing recorded",
        )
        signing = Signing.objects.select_related("project").get(project__code=code)
        AuditEvent.record(
            AuditEvent.Action.SIGNING_RECORD,
            actor,
            project=code,
            county=unit.code,
            amount=money,
            signed_on=day.isoformat() if day else None,
        )
    return signing


def next_stage(signing: Signing) -> str | None:
    """The first stage (of :data:`STAGES`) the signing's project has no date for."""
    for stage, field in STAGES:
        if getattr(signing.project, field) is None:
            return stage
    return None


def signing_advance(*, actor: Any, signing: Signing, stage: str, on: Any) -> Signing:
    """Record the date ``on`` the signing's project reached ``stage`` (履约 ``fulfilled``, 开工
    ``started``, 投产 ``produced``, 达效 ``effective``) on the registry project (its history
    keeps the change): the next stage only, on or after the previous stage's date.

    Raises
    ------
    PermissionDenied
        Unless the actor is of the office or the signing's county.
    kaoping.errors.InputError
        ``chains.bad_stage`` (not the next stage), ``chains.bad_date`` (not a date, or before
        the previous stage's date).
    """
    if not may_record(actor, signing.county):
        raise PermissionDenied(_("Only the city office or the county may record its signings."))
    project = signing.project
    expected = next_stage(signing)
    if stage != expected:
        raise InputError(
            [
                _problem(
                    "bad_stage",
                    f"下一个阶段是“{expected or '无'}”，收到“{stage}”。"
                    "请按 履约→开工→投产→达效 的顺序记录。",
                    f"the next stage is {expected or 'none'!r}, got {stage!r}; "
                    "record 履约, 开工, 投产, 达效 in that order.",
                    "stage",
                )
            ]
        )
    try:
        day = on if isinstance(on, dt.date) else dt.date.fromisoformat(str(on).strip())
    except ValueError:
        raise InputError(
            [
                _problem(
                    "bad_date",
                    f"“{on}”不是日期（如 2026-03-18）。",
                    f"{on!r} is not a date (e.g. 2026-03-18).",
                    "on",
                )
            ]
        ) from None
    index = [s for s, _f in STAGES].index(stage)
    previous = project.signed_on if index == 0 else getattr(project, STAGES[index - 1][1])
    if previous is not None and day < previous:
        raise InputError(
            [
                _problem(
                    "bad_date",
                    f"日期 {day} 早于上一阶段的日期 {previous}。请填写不早于 {previous} 的日期。",
                    f"the date {day} is before the previous stage's, {previous}; write a date from "
                    f"{previous} on.",
                    "on",
                )
            ]
        )
    field = STAGES[index][1]
    values: dict[str, Any] = {field: day}
    if stage in _PROJECT_STAGE:
        values["stage"] = _PROJECT_STAGE[stage]
    with transaction.atomic():
        _save(project, values, f"signing: {stage}")
        AuditEvent.record(
            AuditEvent.Action.SIGNING_ADVANCE,
            actor,
            project=project.code,
            stage=stage,
            on=day.isoformat(),
        )
    return signing


# -- queries of the pages --------------------------------------------------------------------------


def _strength(county: str | None) -> tuple[Any, pd.DataFrame]:
    book = frames.book()
    return book, strength(book, frames.rules(), county=county)


def _scope(actor: Any, county: str | None) -> str | None:
    require_chains(actor)
    if county and not Unit.objects.filter(code=county).exists():
        return None
    return county or None


def chain_list(*, actor: Any) -> list[dict[str, Any]]:
    """Each chain: its row, how many nodes, 缺失 and 薄弱 nodes (the city's), enterprises on
    its nodes, signings and their amount (万元)."""
    require_chains(actor)
    book, judged = _strength(None)
    out = []
    signings = book.signings
    node_chain = dict(zip(book.nodes["node"], book.nodes["chain"], strict=True))
    for chain in Chain.objects.all():
        mine = judged[judged["chain"] == chain.code]
        chain_signings = signings[signings["node"].map(node_chain) == chain.code]
        out.append(
            {
                "chain": chain,
                "nodes": len(mine),
                "missing": int((mine["strength"] == STRENGTHS[2]).sum()),
                "weak": int((mine["strength"] == STRENGTHS[1]).sum()),
                "enterprises": Enterprise.objects.filter(nodes__chain=chain).distinct().count(),
                "signings": len(chain_signings),
                "amount": float(chain_signings["amount"].sum()),
            }
        )
    return out


def panorama(*, actor: Any, chain: Chain, county: str | None = None) -> dict[str, Any]:
    """A chain's nodes with their strength (for the city or ``county``), figures, depth and
    position, in the chain's order, and its links: ``tree`` (parent → child) and ``supply``
    (edges, source → target)."""
    scope = _scope(actor, county)
    book, judged = _strength(scope)
    mine = judged[judged["chain"] == chain.code]
    nodes = []
    for code, row in mine.iterrows():
        nodes.append(
            {
                "code": code,
                "name": row["name"],
                "position": row["position"],
                "column": POSITIONS.index(row["position"]) if row["position"] in POSITIONS else 1,
                "depth": int(row["depth"]),
                "parent": row["parent"],
                "leaf": bool(row["leaf"]),
                "enterprises": int(row["enterprises"]),
                "above_scale": int(row["above_scale"]),
                "output": float(row["output"]),
                "share_pct": None if pd.isna(row["share_pct"]) else float(row["share_pct"]),
                "strength": row["strength"],
                "action": row["action"],
                "reason_zh": row["reason_zh"],
                "reason_en": row["reason_en"],
            }
        )
    codes = set(mine.index)
    tree = [(n["parent"], n["code"]) for n in nodes if n["parent"] in codes]
    edges = book.edges
    supply = [
        (str(s), str(t))
        for s, t in zip(edges["source"], edges["target"], strict=True)
        if str(s) in codes or str(t) in codes
    ]
    return {"chain": chain, "county": scope, "nodes": nodes, "tree": tree, "supply": supply}


def node_detail(*, actor: Any, node: Node, county: str | None = None) -> dict[str, Any]:
    """A node: its strength and figures (city or ``county``), the enterprises in scope the
    actor may see (the node's and its subtree's), its targets, and the signings on it the
    actor may see with their projects."""
    scope = _scope(actor, county)
    _book, judged = _strength(scope)
    row = judged.loc[node.code]
    below = [node.pk]
    frontier = [node.pk]
    while frontier:
        frontier = list(Node.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        below += frontier
    enterprises = _enterprises_visible_to(actor).filter(nodes__in=below).distinct()
    if scope:
        enterprises = enterprises.filter(county__code=scope)
    targets = Target.objects.filter(node=node).select_related("county")
    signings = signings_visible_to(actor).filter(node=node)
    if scope:
        targets = targets.filter(county__isnull=True) | targets.filter(county__code=scope)
        signings = signings.filter(county__code=scope)
    return {
        "node": node,
        "county": scope,
        "stats": row.to_dict(),
        "enterprises": enterprises.select_related("county").order_by("-output", "name")
        if can_see_enterprises(actor)
        else None,
        "targets": targets,
        "signings": signings,
        "signed_here": Signing.objects.filter(
            node=node, **({"county__code": scope} if scope else {})
        ).count(),
        "children": node.children.all(),
    }


def gap_list(*, actor: Any, county: str | None = None) -> pd.DataFrame:
    """The gap list (:func:`kaoping.chains.gaps`) of the city or ``county``, with the chain's
    name (``chain_name``)."""
    scope = _scope(actor, county)
    book = frames.book()
    frame = gaps(book, frames.rules(), county=scope)
    names = dict(zip(book.chains["chain"], book.chains["name"], strict=True))
    frame.insert(0, "chain_name", [names.get(c, c) for c in frame["chain"]])
    return frame


def signings_summary(*, actor: Any, as_of: dt.date) -> dict[str, Any]:
    """The signings by county (:func:`kaoping.chains.by_county`) with their 「三个一批」
    rates by ``as_of`` (:func:`kaoping.chains.lifecycle` over their registry projects), the
    city's rates, and the share of the 县(市) (:func:`county_seats`) together."""
    require_chains(actor)
    book = frames.book()
    signings = book.signings
    names = dict(Unit.objects.values_list("code", "name"))
    if not len(signings):
        return {"rows": pd.DataFrame(), "seats": None, "city": None, "seat_names": []}
    table = by_county(signings, names=names)
    projects = Project.objects.filter(signing__isnull=False)
    registry = project_frames.registry(projects)
    rates = lifecycle(registry, pd.Timestamp(as_of), by=("county",))
    table = table.join(rates.drop(columns=["projects"], errors="ignore"), how="left")
    city = lifecycle(registry.assign(county="all"), pd.Timestamp(as_of)).iloc[0]
    seats = county_seats(set(table.index))
    share = group_share(signings, seats) if seats else None
    return {
        "rows": table,
        "seats": share,
        "city": city.to_dict(),
        "seat_names": [names.get(c, c) for c in seats],
    }
