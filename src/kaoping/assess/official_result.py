"""The result of an official assessment: points, bonus and penalty, veto, ranks, tiers, awards."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from kaoping.assess.result import _HEADERS as _BASE_HEADERS
from kaoping.assess.result import (
    base_records,
    column_header,
    missing_frame,
    missing_labels,
    paused_gc,
    plain_ints,
    plain_values,
    write_csv,
)
from kaoping.errors import Problem
from kaoping.methodology import Methodology

__all__ = ["OfficialResult", "change_label"]

_HEADERS: dict[str, tuple[str, str]] = {
    **_BASE_HEADERS,
    "score": ("总分", "Total"),
    "indicator_points": ("指标得分", "Indicator points"),
    "bonus": ("加分", "Bonus"),
    "penalty": ("减分", "Penalty"),
    "previous_rank": ("上期类别内排名", "Previous rank in category"),
    "rank_change": ("位次变化", "Rank change"),
    "change": ("进位", "Progress"),
    "awards": ("表彰", "Awards"),
    "veto": ("否决事项", "Veto"),
    "gate": ("门槛", "Gate"),
}


def change_label(previous: Any, change: Any) -> str | None:
    """``↑3``, ``↓1``, ``→`` (unchanged) or ``新进`` (no comparable previous rank).

    >>> change_label(5, 3), change_label(2, -1), change_label(4, 0), change_label(None, None)
    ('↑3', '↓1', '→', '新进')
    """
    if previous is None or (isinstance(previous, float) and math.isnan(previous)):
        return "新进"
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return None
    change = int(change)
    return f"↑{change}" if change > 0 else f"↓{-change}" if change < 0 else "→"


@dataclass(frozen=True)
class OfficialResult:
    """An official assessment of one period (see :func:`kaoping.assess.assess_official`).

    Attributes
    ----------
    table : DataFrame
        Index unit code.  ``name``, ``category``, ``score`` (the total), ``indicator_points``,
        one ``component:ID`` column per component, ``bonus``, ``penalty``, ``rank``,
        ``category_rank``, ``previous_rank`` (last period, within the category),
        ``rank_change`` (positive = up), ``change`` (``↑3``, ``↓1``, ``→``, ``新进``), ``tier``,
        ``awards``, ``veto`` (the reasons; a vetoed unit keeps score and rank but gets no tier
        and no award), ``gate`` (why a unit was not ranked), then the points of every
        dimension.
    raw, targets, completion, points, nominal : DataFrame
        Units x indicators: the values, the targets of the completion-scored indicators, the
        completion ratios, the points scored and the points available (分值).
    lines : DataFrame
        Bonus, penalty and veto lines with their evidence and the points that ``counted``
        after the caps.
    notes : tuple of Problem
        Things worth reading (e.g. a missing value scored 0).
    """

    methodology: Methodology
    period: str
    table: pd.DataFrame
    raw: pd.DataFrame
    targets: pd.DataFrame
    completion: pd.DataFrame
    points: pd.DataFrame
    nominal: pd.DataFrame
    lines: pd.DataFrame
    notes: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def dimension_ids(self) -> list[str]:
        return [node.id for node in self.methodology.nodes()]

    # --- plain forms ---------------------------------------------------------------------------

    def _ordered(self) -> pd.DataFrame:
        return self.table.sort_values(
            ["rank", "score"], ascending=[True, False], na_position="last"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per unit in rank order: the keys of the academic result (``score`` is the
        total, ``dimensions`` the points per dimension) plus ``points`` (indicator -> points),
        ``bonus``, ``penalty``, ``veto`` (list of reasons, empty when none), ``rank_change``,
        ``previous_rank``, ``awards`` (list) and ``gate``."""
        ordered = self._ordered()
        gaps = self.missing()
        points = self.points.reindex(ordered.index)
        keys = list(points.columns)
        records = base_records(ordered, self.dimension_ids)
        per_unit = zip(
            records,
            zip(*(plain_values(points[k]) for k in keys), strict=True)
            if keys
            else ((),) * len(ordered),
            plain_values(ordered["bonus"]),
            plain_values(ordered["penalty"]),
            [v.split("；") if isinstance(v, str) else [] for v in ordered["veto"].tolist()],
            plain_ints(ordered["previous_rank"]),
            plain_ints(ordered["rank_change"]),
            [v.split("、") if isinstance(v, str) else [] for v in ordered["awards"].tolist()],
            plain_values(ordered["gate"]),
            strict=True,
        )
        with paused_gc():
            for record, pts, bonus, penalty, veto, previous, change, awards, gate in per_unit:
                record["points"] = dict(zip(keys, pts, strict=True))
                record["bonus"] = bonus
                record["penalty"] = penalty
                record["veto"] = veto
                record["previous_rank"] = previous
                record["rank_change"] = change
                record["awards"] = awards
                record["gate"] = gate
                record["missing"] = gaps.get(record["unit"], {})
        return records

    def missing(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Every scored figure not given, unit -> indicator -> ``{"method", "value", "zh",
        "en"}``, as :meth:`kaoping.assess.Result.missing`: an official methodology never
        imputes; with ``missing: zero`` such a figure scores 0 (未报送不得分)."""
        out: dict[str, dict[str, dict[str, Any]]] = {}
        spec = self.methodology.official
        if spec is None:
            return out
        scored = [
            r.indicator
            for r in spec.scoring
            if r.rule.method != "judged" and r.indicator in self.raw.columns
        ]
        ranked = self.table["gate"].isna()
        frame = self.raw.loc[ranked[ranked].index, scored]
        rows, cols = np.nonzero(frame.isna().to_numpy())  # row-major: unit by unit
        units = [str(u) for u in frame.index]
        indicators = [str(c) for c in frame.columns]
        value = 0.0 if spec.missing == "zero" else None
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            out.setdefault(units[i], {})[indicators[j]] = {
                "method": spec.missing,
                "value": value,
                "zh": "未报送，按 0 分计（未报送不得分）",
                "en": "not given: scores 0",
            }
        return out

    def missing_frame(self) -> pd.DataFrame:
        """:meth:`missing` as a table for the workbook (one row per figure not given)."""
        return missing_frame(self)

    def header(self, key: str) -> str:
        """The display header of a column key in the current language."""
        if key.startswith("component:"):
            for c in self.methodology.official.components if self.methodology.official else ():
                if c.id == key.split(":", 1)[1]:
                    return c.name
        return column_header(self.methodology, key, _HEADERS)

    def _display_table(self) -> pd.DataFrame:
        out = self._ordered().reset_index()
        for key in ("rank", "category_rank", "previous_rank", "rank_change"):
            out[key] = pd.to_numeric(out[key]).astype("Int64")
        out["missing"] = missing_labels(self, out["unit"])
        out.columns = [self.header(c) for c in out.columns]
        return out

    def to_csv(self, path: str | Path) -> Path:
        """The ranking table with the current language's headers (UTF-8 with BOM)."""
        path = Path(path)
        write_csv(self._display_table(), path)
        return path

    def to_parquet(self, path: str | Path) -> Path:
        """Write the ranking table of :meth:`to_csv` as Parquet (pyarrow): the same columns
        under the same headers (the current language's), the same values, numbers as
        float64 and ranks as nullable integers, so that ``pd.read_parquet`` gives back what
        ``pd.read_csv`` reads from the CSV, to the last bit."""
        path = Path(path)
        self._display_table().to_parquet(path, index=False, engine="pyarrow")
        return path

    def to_excel(self, path: str | Path) -> Path:
        """A workbook: ranking, charts (:func:`kaoping.assess.excel_charts.add_charts`),
        points, raw values, targets and completion, bonus/penalty/veto lines with evidence, and
        notes; Chinese headers, header row frozen."""
        from kaoping.assess.excel import write_official_workbook

        path = Path(path)
        write_official_workbook(self, path)
        return path

    # --- explanation -----------------------------------------------------------------------------

    def explain(self, unit: str) -> str:
        """Where ``unit`` gained and lost points against its category's best and average.

        In Chinese: its total, ranks and tier; for every indicator its points, the category's
        best and average points; the indicators where it lost most against the best and where
        it gained most against the average; bonus, penalty and veto lines with evidence.
        """
        code = str(unit)
        if code not in self.table.index:
            raise KeyError(f"unit {code!r} is not in this result")
        row = self.table.loc[code]
        name = row["name"]
        lines = [f"{name}（{code}）{self.period} 年{self.methodology.name}"]
        if isinstance(row["gate"], str):
            lines.append(f"未参加排名：{row['gate']}。")
            return "\n".join(lines)
        cat = row["category"] if isinstance(row["category"], str) else None
        peers = self.table.index[
            (self.table["category"] == cat) if cat else self.table["category"].isna()
        ]
        peers = [p for p in peers if not isinstance(self.table.loc[p, "gate"], str)]
        head = f"总分 {row['score']:.2f}，总排名第 {int(row['rank'])} 位"
        if cat and not pd.isna(row["category_rank"]):
            head += f"，{cat}第 {int(row['category_rank'])} 位（共 {len(peers)} 个）"
        if isinstance(row["tier"], str):
            head += f"，{row['tier']}"
        change = row["change"]
        if isinstance(change, str) and change != "新进":
            head += f"，位次变化 {change}"
        lines.append(head + "。")
        pts = self.points.loc[code]
        group = self.points.loc[peers]
        best = group.max()
        mean = group.mean()
        lost = (best - pts).sort_values(ascending=False)
        gained = (pts - mean).sort_values(ascending=False)
        label = f"{cat}" if cat else "全体"
        lines.append(f"各指标得分（本单位 / {label}最高 / {label}平均 / 分值）：")
        for ident in self.points.columns:
            ind = self.methodology.indicator(ident)
            extra = ""
            if ident in self.completion.columns and not pd.isna(self.completion.loc[code, ident]):
                extra = (
                    f"，实际 {self.raw.loc[code, ident]:g}，"
                    f"目标 {self.targets.loc[code, ident]:g}，"
                    f"完成率 {self.completion.loc[code, ident]:.1%}"
                )
            lines.append(
                f"  {ind.name}：{pts[ident]:.2f} / {best[ident]:.2f} / {mean[ident]:.2f} / "
                f"{self.nominal.loc[code, ident]:g}{extra}"
            )
        losses = [k for k in lost.index if lost[k] > 1e-9][:3]
        gains = [k for k in gained.index if gained[k] > 1e-9][:3]
        if gains:
            lines.append(
                "高于类别平均最多："
                + "；".join(
                    f"{self.methodology.indicator(k).name}（+{gained[k]:.2f} 分）" for k in gains
                )
                + "。"
            )
        if losses:
            lines.append(
                "比类别最高失分最多："
                + "；".join(
                    f"{self.methodology.indicator(k).name}（-{lost[k]:.2f} 分）" for k in losses
                )
                + "。"
            )
        mine = self.lines[self.lines["unit"] == code]
        for _, line in mine.iterrows():
            kind = {"bonus": "加分", "penalty": "减分", "veto": "否决"}[line["kind"]]
            amount = "" if line["kind"] == "veto" else f" {line['counted']:g} 分"
            date = f"，{line['date']}" if isinstance(line["date"], str) else ""
            lines.append(f"{kind}：{line['name']}{amount}（依据：{line['document']}{date}）。")
        if isinstance(row["veto"], str):
            lines.append(f"一票否决：{row['veto']}；保留得分和排名，不列入方阵，不参加表彰。")
        if isinstance(row["awards"], str):
            lines.append(f"表彰：{row['awards']}。")
        return "\n".join(lines)
