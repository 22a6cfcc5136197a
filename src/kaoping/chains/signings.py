r"""Signed projects (签约项目): how many and how much per county and their shares of the city,
the registry projects they become, and their 「三个一批」 life (签约 → 开工 → 投产).

For a group :math:`G` of counties (the six 县(市) of a city, say) with :math:`n_G` signings
worth :math:`a_G` out of the city's :math:`n` worth :math:`a`:

.. math::

    \text{share of projects} = 100\,\frac{n_G}{n}, \qquad
    \text{share of investment} = 100\,\frac{a_G}{a}

— the source's "6县(市)集中签约项目59个，投资总额…占全市比重分别达48.8%、58.3%"
(``shared/sources/``; the demo's signings reproduce both shares).

A signing becomes a project of the dispatch registry (:func:`to_registry`: presented in the
签约 group of its batch, money in 万元, flagged 招商引资); its life is then the registry's
dates, and :func:`lifecycle` gives the rates of :func:`kaoping.dispatch.batch_rates` —
签约项目履约率, 履约项目开工率, 开工项目投产率 — per county.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd

from kaoping.chains.model import ChainBook
from kaoping.dispatch.batches import batch_rates
from kaoping.dispatch.progress import registry_frame
from kaoping.dispatch.schema import BATCH_ROLES

__all__ = ["by_county", "county_seats", "group_share", "lifecycle", "to_registry"]


def by_county(signings: pd.DataFrame, *, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Per county: ``projects``, ``amount`` (万元), ``foreign`` (of them by investors from
    outside the province: 省外 or 境外), and the shares of the city's projects and amount
    (``projects_pct``, ``amount_pct``), with the county's ``name`` when ``names`` are given.
    Indexed by county code, largest amount first (then most projects, then by code).

    >>> s = pd.DataFrame({"county": ["1", "1", "2"], "amount": [30.0, 10.0, 60.0],
    ...                   "origin": ["省外", "省内", "境外"]})
    >>> t = by_county(s)
    >>> t["projects"].to_dict(), t["amount_pct"].to_dict(), t["foreign"].to_dict()
    ({'2': 1, '1': 2}, {'2': 60.0, '1': 40.0}, {'2': 1, '1': 1})
    """
    frame = signings.assign(
        county=signings["county"].astype(str),
        amount=pd.to_numeric(signings["amount"]).astype("float64"),
        foreign=signings.get("origin", pd.Series(None, index=signings.index)).isin(
            ("省外", "境外")
        ),
    )
    grouped = frame.groupby("county")
    out = pd.DataFrame(
        {
            "projects": grouped.size(),
            "amount": grouped["amount"].sum(),
            "foreign": grouped["foreign"].sum().astype(int),
        }
    )
    total_n, total_a = int(out["projects"].sum()), float(out["amount"].sum())
    out["projects_pct"] = 100.0 * out["projects"] / total_n if total_n else np.nan
    out["amount_pct"] = 100.0 * out["amount"] / total_a if total_a else np.nan
    if names is not None:
        out.insert(0, "name", [names.get(c, c) for c in out.index])
    out.index.name = "county"
    out = out.sort_index()
    return out.sort_values(["amount", "projects"], ascending=False, kind="stable")


def group_share(signings: pd.DataFrame, counties: Collection[str]) -> dict[str, float]:
    """The ``projects`` and ``amount`` (万元) signed in ``counties`` and their shares of the
    city's (``projects_pct``, ``amount_pct``; see the module docstring).

    >>> s = pd.DataFrame({"county": ["1", "2", "3"], "amount": [50.0, 30.0, 20.0]})
    >>> group_share(s, {"1", "2"})
    {'projects': 2.0, 'amount': 80.0, 'projects_pct': 66.66666666666667, 'amount_pct': 80.0}
    """
    wanted = {str(c) for c in counties}
    inside = signings["county"].astype(str).isin(wanted)
    amount = pd.to_numeric(signings["amount"]).astype("float64")
    n, a = float(inside.sum()), float(amount[inside].sum())
    total_n, total_a = float(len(signings)), float(amount.sum())
    return {
        "projects": n,
        "amount": a,
        "projects_pct": 100.0 * n / total_n if total_n else float("nan"),
        "amount_pct": 100.0 * a / total_a if total_a else float("nan"),
    }


def county_seats(codes: Collection[str]) -> list[str]:
    """The codes of ``codes`` that are 县 or 县级市 by their GB/T 2260 digits — the last two
    21–69 a 县 (自治县, 旗), 81–99 a county-level city; 01–20 are 市辖区 and 70–80 the
    functional zones with statistical codes (示范区) — sorted: the group of "6县(市)".

    >>> county_seats(["410883", "410802", "410871", "410821"])
    ['410821', '410883']
    """
    out = []
    for code in codes:
        tail = str(code)[-2:]
        if len(str(code)) == 6 and tail.isdigit() and (21 <= int(tail) <= 69 or int(tail) >= 81):
            out.append(str(code))
    return sorted(out)


def to_registry(book: ChainBook, signings: pd.DataFrame | None = None) -> pd.DataFrame:
    """The registry rows (columns of :data:`kaoping.dispatch.schema.REGISTRY`) of the
    signings of ``book`` (or the ``signings`` given): the project id and name, the county and
    park, the investor as its owner, the amount as its total investment, the signing date, the
    batch with the role 签约, flagged 招商引资 and 工业项目, and its chain node as the industry
    (``链名/环节名``).  Indexed by project id."""
    frame = book.signings if signings is None else signings
    node_names = dict(zip(book.nodes["node"].astype(str), book.nodes["name"], strict=True))
    node_chain = dict(zip(book.nodes["node"].astype(str), book.nodes["chain"], strict=True))
    chain_names = dict(zip(book.chains["chain"].astype(str), book.chains["name"], strict=True))

    def industry(node: object) -> str | None:
        if node is None or (isinstance(node, float) and np.isnan(node)):
            return None
        key = str(node)
        chain = chain_names.get(str(node_chain.get(key)), "")
        return f"{chain}/{node_names.get(key, key)}" if chain else node_names.get(key, key)

    registry = pd.DataFrame(
        {
            "project": frame["project"].astype(str).to_numpy(),
            "name": frame["name"].to_numpy(),
            "county": frame["county"].astype(str).to_numpy(),
            "park": frame["park"].to_numpy(),
            "industry": [industry(n) for n in frame["node"]],
            "category": "招商引资",
            "industrial": True,
            "attracted": True,
            "batch": frame["batch"].to_numpy(),
            "batch_role": BATCH_ROLES[0],
            "owner": frame["investor"].to_numpy(),
            "total": pd.to_numeric(frame["amount"]).astype("float64").to_numpy(),
            "signed_on": pd.to_datetime(frame["signed_on"]).to_numpy(),
            "content": frame["note"].to_numpy(),
        }
    )
    return registry_frame(registry)


def lifecycle(
    registry: pd.DataFrame, as_of: str | pd.Timestamp, *, by: Sequence[str] = ("county",)
) -> pd.DataFrame:
    """The 「三个一批」 rates of the signed projects of ``registry`` (those presented as 签约)
    by ``as_of``, per ``by`` (see :func:`kaoping.dispatch.batch_rates`): how many signed,
    fulfilled (履约), started (开工), in production (投产), at full effect (达效), and the four
    rates."""
    frame = registry.reset_index() if "project" not in registry.columns else registry
    signed = frame[frame["batch_role"] == BATCH_ROLES[0]]
    return batch_rates(signed, as_of, by=by)
