r"""「三个一批」 (签约一批、开工一批、投产一批): a project's life from signing to full effect, and
the batch rates a province evaluates.

A project lives through five stages, each with its date in the registry:
签约 (``signed_on``) → 履约 (``fulfilled_on``) → 开工 (``actual_start``) → 投产 (``produced_on``)
→ 达效 (``effective_on``), numbered :math:`k = 0 \dots 4`.  At a batch a project is presented in
one group, its *entry* stage :math:`e_p` (签约 = 0, 开工 = 2, 投产 = 3).  By the date :math:`t`
it has *reached* stage :math:`r_p(t)`: the latest stage whose date is on or before :math:`t`,
and at least its entry stage (a project presented as started has started).

The rate of stage :math:`k` (1 … 4) is taken over the projects that entered at or before the
previous stage and got there:

.. math::

    B_k = \{\, p : e_p \le k - 1 \le r_p(t) \,\}, \qquad
    \text{rate}_k = 100\, \frac{\#\{\, p \in B_k : r_p(t) \ge k \,\}}{\# B_k}

so that 签约项目履约率 = rate₁ (of the signed projects, those that fulfilled), 履约项目开工率 =
rate₂ (of those that fulfilled, those that started), 开工项目投产率 = rate₃ (of the projects
presented as started or started since, those in production) and 投产项目达效率 = rate₄.

References
----------
Henan's 「三个一批」 evaluation (签约项目履约率、履约项目开工率、开工项目投产率、投产项目达效率),
``shared/research/domain.md`` §4.5.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from kaoping.dispatch.schema import BATCH_ROLES

__all__ = ["RATES", "STAGE_DATES", "batch_rates", "stages_reached"]

STAGE_DATES: Final = ("signed_on", "fulfilled_on", "actual_start", "produced_on", "effective_on")
"""The registry's date of each stage 签约, 履约, 开工, 投产, 达效."""

RATES: Final = {
    "fulfilment_pct": "签约项目履约率",
    "start_pct": "履约项目开工率",
    "production_pct": "开工项目投产率",
    "effect_pct": "投产项目达效率",
}
"""The four batch rates, rate₁ … rate₄, by column name."""

_ENTRY: Final = {BATCH_ROLES[0]: 0, BATCH_ROLES[1]: 2, BATCH_ROLES[2]: 3}


def stages_reached(registry: pd.DataFrame, as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Per project of a batch: its ``entry`` stage and the stage ``reached`` by ``as_of``
    (0 = 签约 … 4 = 达效; see the module docstring).  Projects without a batch role are left
    out."""
    t = pd.Timestamp(as_of)
    frame = registry.reset_index() if "project" not in registry.columns else registry
    role = frame.get("batch_role", pd.Series(None, index=frame.index))
    entry = role.map(_ENTRY)
    keep = entry.notna()
    frame = frame[keep]
    reached = entry[keep].to_numpy(dtype="float64")
    for k, col in enumerate(STAGE_DATES):
        if col in frame.columns:
            dates = pd.to_datetime(frame[col])
            reached = np.where((dates <= t).to_numpy(), np.maximum(reached, k), reached)
    return pd.DataFrame(
        {
            "project": frame["project"].astype(str).to_numpy(),
            "county": frame["county"].astype(str).to_numpy(),
            "batch": frame.get("batch", pd.Series(None, index=frame.index)).to_numpy(),
            "entry": entry[keep].astype(int).to_numpy(),
            "reached": reached.astype(int),
        }
    )


def batch_rates(
    registry: pd.DataFrame,
    as_of: str | pd.Timestamp,
    *,
    by: Sequence[str] = ("batch",),
) -> pd.DataFrame:
    """The four rates of the 「三个一批」 per group of ``by`` (``"batch"``, ``"county"`` or both).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``by``: the counts ``signed`` … ``effective`` of projects that reached each
        stage, the bases ``base_1`` … ``base_4`` and the rates ``fulfilment_pct``,
        ``start_pct``, ``production_pct``, ``effect_pct`` (NaN when the base is empty).

    Examples
    --------
    Two signed projects, one of which fulfilled and started; one project presented as started
    and since in production:

    >>> reg = pd.DataFrame({"project": ["A", "B", "C"], "county": ["1", "1", "1"],
    ...     "batch": ["第一期"] * 3, "batch_role": ["签约", "签约", "开工"],
    ...     "fulfilled_on": [pd.Timestamp("2026-02-01"), pd.NaT, pd.NaT],
    ...     "actual_start": [pd.Timestamp("2026-04-01"), pd.NaT, pd.Timestamp("2025-10-01")],
    ...     "produced_on": [pd.NaT, pd.NaT, pd.Timestamp("2026-06-01")]})
    >>> r = batch_rates(reg, "2026-06-30").iloc[0]
    >>> [float(r[c]) for c in RATES]
    [50.0, 100.0, 50.0, 0.0]
    """
    stages = stages_reached(registry, as_of)
    keys = list(by)
    rows = []
    for key, group in stages.groupby(keys, sort=True, dropna=False):
        e = group["entry"].to_numpy()
        r = group["reached"].to_numpy()
        row: dict[str, object] = dict(
            zip(keys, key if isinstance(key, tuple) else (key,), strict=True)
        )
        row["projects"] = len(group)
        for k, name in enumerate(("signed", "fulfilled", "started", "produced", "effective")):
            row[name] = int((r >= k).sum())
        for k, rate in enumerate(RATES, start=1):
            base = (e <= k - 1) & (r >= k - 1)
            n = int(base.sum())
            row[f"base_{k}"] = n
            row[rate] = 100.0 * float((base & (r >= k)).sum()) / n if n else np.nan
        rows.append(row)
    columns = [*keys, "projects", "signed", "fulfilled", "started", "produced", "effective"]
    columns += [c for k in range(1, 5) for c in (f"base_{k}", list(RATES)[k - 1])]
    return pd.DataFrame(rows, columns=columns).set_index(keys)
