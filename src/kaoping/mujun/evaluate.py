r"""Score, rank and class every firm: 亩均论英雄 by benchmark ratios.

For firm :math:`i` and indicator :math:`j` (``numerator / denominator`` of the firm table),

.. math::

    x_{ij} = \frac{\mathrm{num}_{ij}}{\mathrm{den}_{ij}}, \qquad
    p_{ij} = \min\!\Big(\max\big(w_j\, \frac{x_{ij}}{b_{ij}},\ 0\big),\ \mathrm{cap}_j\, w_j\Big),
    \qquad S_i = \sum_j p_{ij}

with :math:`w_j` the indicator's points (分值), :math:`b_{ij}` the benchmark of firm :math:`i`'s
industry (its row of the 分行业标杆值 sheet; the spec's default benchmark when the industry has no
row or leaves the cell blank) and :math:`\mathrm{cap}_j` the cap (a multiple of :math:`w_j`;
none when null).  This is :func:`kaoping.scoring.rules.benchmark_ratio` applied to
:math:`x_{ij} / b_{ij}` with benchmark 1.  A firm exactly at every benchmark scores
:math:`\sum_j w_j` (100 for 黄岩).

An indicator whose denominator is 0 or missing, or whose numerator is missing, is not computed
(never inf): the firm gets a note naming the field, and the indicator scores 0 (``missing:
zero``) or the firm's computable points are scaled by
:math:`\sum_j w_j / \sum_{j\ \mathrm{computed}} w_j` (``missing: reweight``).
Exempt firms (不定等级) are scored but not ranked or classed; classes follow
:mod:`kaoping.mujun.classes`.

References
----------
黄岩区 规上工业企业亩均效益评价: 规上 = 亩均税收÷24.097×30 + 亩均增加值÷136.16×20 +
单位能耗增加值÷2.694×20 + 单位排放增加值÷4929.81×10 + 全员劳动生产率÷18.14×10 +
R&D占比÷0.0302×10, https://www.chacewang.com/newsdetail/news430850.html (via
``shared/research/domain.md`` §3.1 and §6).  Classes: http://www.gu456.com/OpennessContent/show/3457811.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from kaoping.data.units import Units
from kaoping.errors import InputError, Problem
from kaoping.mujun.classes import by_percentile, by_thresholds
from kaoping.mujun.sheets import FirmTable
from kaoping.mujun.spec import MujunSpec
from kaoping.scoring.rules import benchmark_ratio

__all__ = ["DEFAULT_BASIS", "MujunResult", "evaluate"]

DEFAULT_BASIS = "默认"
"""The ``benchmark_basis`` of a firm scored against the spec's default benchmarks."""

_FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class MujunResult:
    """The evaluation of every firm, the benchmarks used and the per-county roll-up.

    ``firms`` has one row per firm, best rank first (then the exempt firms, then firms without
    a score), with the columns ``code, name, county, county_name, industry, benchmark_basis``,
    the indicator values (column = indicator id), the points (``<id>_points``), ``score``,
    ``rank`` (among the graded firms; NaN for exempt ones), ``class`` (A/B/C/D or the exempt
    class), ``class_name``, ``exempt_reason``, ``note_zh``, ``note_en``.
    """

    spec: MujunSpec
    firms: pd.DataFrame
    benchmarks: pd.DataFrame
    counties: pd.DataFrame
    year: str | None = None
    synthetic: bool = False
    notes: tuple[Problem, ...] = field(default_factory=tuple)

    @property
    def graded(self) -> int:
        """The number of graded firms: the base of the percentiles."""
        return int(self.firms["rank"].notna().sum())

    def class_counts(self) -> pd.DataFrame:
        """Per class (the spec's, then the exempt class): ``name``, ``count``, ``share`` of the
        graded firms (NaN for the exempt class) and the percentile bound."""
        counts = self.firms["class"].value_counts()
        n = self.graded
        rows: list[dict[str, Any]] = []
        for c in self.spec.classes:
            k = int(counts.get(c.id, 0))
            rows.append(
                {
                    "class": c.id,
                    "name": c.name,
                    "name_en": c.name_en,
                    "count": k,
                    "share": k / n if n else np.nan,
                    "upto_percent": float(c.upto_percent),
                    "min_score": c.min_score,
                }
            )
        rows.append(
            {
                "class": self.spec.exempt_class,
                "name": self.spec.exempt_class,
                "name_en": self.spec.exempt_class_en,
                "count": int(counts.get(self.spec.exempt_class, 0)),
                "share": np.nan,
                "upto_percent": np.nan,
                "min_score": None,
            }
        )
        return pd.DataFrame(rows).set_index("class")

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready (NaN -> None): spec, classes, firms, counties, benchmarks."""
        return {
            "spec": self.spec.id,
            "scheme": self.spec.scheme,
            "method": self.spec.method,
            "year": self.year,
            "synthetic": self.synthetic,
            "graded": self.graded,
            "classes": _records(self.class_counts().reset_index()),
            "notes": [{"code": p.code, "zh": p.zh, "en": p.en} for p in self.notes],
            "firms": _records(self.firms),
            "counties": _records(self.counties.reset_index()),
            "benchmarks": _records(self.benchmarks.reset_index()),
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    clean = frame.astype(object).where(frame.notna(), None)
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()} for r in clean.to_dict("records")
    ]
    return records


def evaluate(
    spec: MujunSpec,
    firms: FirmTable | pd.DataFrame,
    benchmarks: pd.DataFrame | None = None,
    *,
    units: Units | None = None,
    method: Literal["percentile", "thresholds"] | None = None,
    year: str | None = None,
    synthetic: bool = False,
) -> MujunResult:
    """Evaluate the firms under ``spec``.

    Parameters
    ----------
    spec : MujunSpec
        The methodology (:func:`kaoping.mujun.load_spec`).
    firms : FirmTable or pandas.DataFrame
        From :func:`kaoping.mujun.read_firms`, or a frame with its columns (``code, county,
        industry``, the spec's field ids; optional ``name, exempt, exempt_reason``).
    benchmarks : pandas.DataFrame, optional
        Industry benchmarks (:func:`kaoping.mujun.read_benchmarks`): index the 2-digit 大类,
        one column per indicator id, NaN = the default.
    units : kaoping.data.units.Units, optional
        For the counties' names.
    method : {"percentile", "thresholds"}, optional
        Overrides the spec's ``classes.method``.
    year : str, optional
        The evaluation year (default: the firm table's 年份).
    synthetic : bool, default False
        Marks every output as synthetic data (合成数据) — the demo.

    Returns
    -------
    MujunResult

    Raises
    ------
    kaoping.errors.InputError
        ``mujun.missing_column`` when a frame lacks a column; ``mujun.no_thresholds``.

    Examples
    --------
    >>> import pandas as pd
    >>> from kaoping.mujun import load_spec
    >>> f = pd.DataFrame({"code": ["a"], "county": ["410883"], "industry": ["13"],
    ...     "land": [10.0], "tax": [240.97], "value_added": [1361.6], "staff": [75.06],
    ...     "energy": [505.42], "emissions": [0.2762], "rd": [30.2], "revenue": [1000.0]})
    >>> round(float(evaluate(load_spec(), f).firms["score"].iloc[0]), 2)
    100.0
    """
    if method is not None and method != spec.method:
        spec = spec.with_method(method)
    if isinstance(firms, FirmTable):
        year = year if year is not None else firms.year
        frame = firms.frame
    else:
        frame = _check_frame(firms, spec)
    n = len(frame)
    industry = frame["industry"].astype(str).to_numpy()
    basis, bench = _benchmarks(spec, industry, benchmarks)
    out: dict[str, Any] = {
        "code": frame["code"].astype(str).to_numpy(),
        "name": frame["name"].astype(str).to_numpy() if "name" in frame else np.full(n, ""),
        "county": frame["county"].astype(str).to_numpy(),
    }
    names = units.names if units is not None else {}
    out["county_name"] = np.array([names.get(c, "") for c in out["county"]], dtype=object)
    out["industry"] = industry
    out["benchmark_basis"] = basis
    points = np.zeros((n, len(spec.indicators)))
    computed = np.zeros((n, len(spec.indicators)), dtype=bool)
    for j, ind in enumerate(spec.indicators):
        num = frame[ind.numerator].to_numpy(dtype=np.float64, na_value=np.nan)
        den = frame[ind.denominator].to_numpy(dtype=np.float64, na_value=np.nan)
        ok = np.isfinite(num) & np.isfinite(den) & (den > 0)
        value = np.full(n, np.nan)
        np.divide(num, den, out=value, where=ok)
        out[ind.id] = value
        pts = benchmark_ratio(value / bench[:, j], ind.weight, benchmark=1.0, cap=ind.cap)
        computed[:, j] = ok
        points[:, j] = np.where(ok, pts, 0.0)
        out[f"{ind.id}_points"] = np.where(ok, pts, np.nan)
    weights = np.array([i.weight for i in spec.indicators])
    score = points.sum(axis=1)
    if spec.missing == "reweight":
        have = computed @ weights
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(have > 0, score * weights.sum() / have, np.nan)
    out["score"] = score
    exempt = (
        frame["exempt"].fillna(False).astype(bool).to_numpy()
        if "exempt" in frame
        else np.zeros(n, bool)
    )
    reasons = (
        frame["exempt_reason"].fillna("").astype(str).to_numpy()
        if "exempt_reason" in frame
        else np.full(n, "")
    )
    graded = ~exempt & np.isfinite(score)
    rank = np.full(n, np.nan)
    klass = np.full(n, "", dtype=object)
    class_name = np.full(n, "", dtype=object)
    ids = np.array([c.id for c in spec.classes], dtype=object)
    labels = np.array([c.name for c in spec.classes], dtype=object)
    if graded.any():
        s = score[graded]
        if spec.method == "percentile":
            r, idx = by_percentile(s, [c.upto_percent for c in spec.classes])
        else:
            from kaoping.methods.rank import competition

            r = competition(s)
            idx = by_thresholds(s, [c.min_score or 0.0 for c in spec.classes[:-1]])
        rank[graded] = r
        klass[graded] = ids[idx]
        class_name[graded] = labels[idx]
    klass[exempt] = spec.exempt_class
    class_name[exempt] = spec.exempt_class
    out["rank"] = rank
    out["class"] = klass
    out["class_name"] = class_name
    out["exempt_reason"] = np.where(exempt, reasons, "")
    note_zh, note_en = _notes(spec, frame, computed, np.isfinite(score))
    out["note_zh"] = note_zh
    out["note_en"] = note_en
    table = pd.DataFrame(out)
    order = np.lexsort(
        (
            table["code"].to_numpy(),
            np.where(exempt, 1, np.where(graded, 0, 2)),
            np.nan_to_num(rank, nan=np.inf),
        )
    )
    table = table.iloc[order].reset_index(drop=True)
    from kaoping.mujun.rollup import county_rollup

    used = _used_benchmarks(spec, benchmarks, table)
    counties = county_rollup(spec, frame, table, units=units)
    notes = _run_notes(spec, table, benchmarks)
    return MujunResult(spec, table, used, counties, year, synthetic, tuple(notes))


def _check_frame(firms: pd.DataFrame, spec: MujunSpec) -> pd.DataFrame:
    needed = ["code", "county", "industry", *(f.id for f in spec.fields)]
    missing = [c for c in needed if c not in firms.columns]
    if missing:
        raise InputError(
            [
                Problem(
                    "mujun.missing_column",
                    f"企业表缺少列 {'、'.join(missing)}。",
                    f"the firm frame lacks the column(s) {', '.join(missing)}.",
                    "firms",
                )
            ]
        )
    return firms


def _benchmarks(
    spec: MujunSpec, industry: NDArray[Any], benchmarks: pd.DataFrame | None
) -> tuple[NDArray[Any], _FloatArray]:
    """Per firm: its benchmark basis (the industry or 默认) and benchmarks (n x m)."""
    n = len(industry)
    default = np.array([i.benchmark for i in spec.indicators])
    bench = np.tile(default, (n, 1))
    if benchmarks is None or benchmarks.empty:
        return np.full(n, DEFAULT_BASIS, dtype=object), bench
    keys = pd.Index(benchmarks.index.astype(str))
    position = keys.get_indexer(industry)
    has = position >= 0
    for j, ind in enumerate(spec.indicators):
        if ind.id not in benchmarks:
            continue
        column = benchmarks[ind.id].to_numpy(dtype=np.float64, na_value=np.nan)
        given = np.full(n, np.nan)
        given[has] = column[position[has]]
        bench[:, j] = np.where(np.isfinite(given) & (given > 0), given, default[j])
    return np.where(has, industry, DEFAULT_BASIS).astype(object), bench


def _notes(
    spec: MujunSpec, frame: pd.DataFrame, computed: NDArray[np.bool_], scored: NDArray[np.bool_]
) -> tuple[NDArray[Any], NDArray[Any]]:
    """Per firm, why an indicator could not be computed (one note per cause, not per cell)."""
    n = len(frame)
    zh = np.full(n, "", dtype=object)
    en = np.full(n, "", dtype=object)
    how_zh = "按 0 分计" if spec.missing == "zero" else "按其余指标的权重折算"
    how_en = "scored 0" if spec.missing == "zero" else "the other indicators' weights rescaled"

    def add(mask: NDArray[np.bool_], text_zh: str, text_en: str) -> None:
        if mask.any():
            zh[mask] = zh[mask] + ("；" + text_zh)
            en[mask] = en[mask] + ("; " + text_en)

    values = {f.id: frame[f.id].to_numpy(dtype=np.float64, na_value=np.nan) for f in spec.fields}
    explained = np.zeros_like(computed)
    for f in spec.fields:
        users = [j for j, i in enumerate(spec.indicators) if i.denominator == f.id]
        if not users:
            continue
        names_zh = "、".join(spec.indicators[j].name for j in users)
        names_en = ", ".join(spec.indicators[j].name_en for j in users)
        v = values[f.id]
        for mask, what_zh, what_en in (
            (np.isnan(v), "缺失", "is missing"),
            (v == 0, "为 0", "is 0"),
            (v < 0, "为负数", "is negative"),
        ):
            add(
                mask,
                f"{f.name}{what_zh}：{names_zh}无法计算，{how_zh}",
                f"{f.name_en} {what_en}: {names_en} not computable, {how_en}",
            )
            explained[:, users] |= mask[:, None]
    for f in spec.fields:
        users = [j for j, i in enumerate(spec.indicators) if i.numerator == f.id]
        if not users:
            continue
        mask = np.isnan(values[f.id]) & ~explained[:, users].all(axis=1)
        names_zh = "、".join(spec.indicators[j].name for j in users)
        names_en = ", ".join(spec.indicators[j].name_en for j in users)
        add(
            mask,
            f"{f.name}缺失：{names_zh}无法计算，{how_zh}",
            f"{f.name_en} is missing: {names_en} not computable, {how_en}",
        )
    add(~scored, "没有一项指标可计算，不参加分类", "no indicator computable: not classed")
    return (
        np.array([s[1:] for s in zh], dtype=object),
        np.array([s[2:] for s in en], dtype=object),
    )


def _used_benchmarks(
    spec: MujunSpec, benchmarks: pd.DataFrame | None, table: pd.DataFrame
) -> pd.DataFrame:
    """The benchmarks in force: the default row, then each industry row with the defaults
    filled in, and the number of firms scored against each."""
    counts = table["benchmark_basis"].value_counts()
    rows: list[dict[str, Any]] = [
        {
            "industry": DEFAULT_BASIS,
            "name": spec.scheme or spec.name,
            **{i.id: i.benchmark for i in spec.indicators},
            "firms": int(counts.get(DEFAULT_BASIS, 0)),
        }
    ]
    if benchmarks is not None:
        for code, row in benchmarks.iterrows():  # ~100 industries at most
            given: Mapping[str, Any] = {str(k): v for k, v in row.to_dict().items()}
            rows.append(
                {
                    "industry": str(code),
                    "name": given.get("name", ""),
                    **{
                        i.id: (
                            float(given[i.id])
                            if i.id in given and pd.notna(given[i.id]) and given[i.id] > 0
                            else i.benchmark
                        )
                        for i in spec.indicators
                    },
                    "firms": int(counts.get(str(code), 0)),
                }
            )
    return pd.DataFrame(rows).set_index("industry")


def _run_notes(
    spec: MujunSpec, table: pd.DataFrame, benchmarks: pd.DataFrame | None
) -> list[Problem]:
    notes: list[Problem] = []
    default = int((table["benchmark_basis"] == DEFAULT_BASIS).sum())
    if benchmarks is not None and default:
        notes.append(
            Problem(
                "mujun.default_benchmark",
                f"{default:,} 家企业所在行业在标杆值表中没有行，"
                f"按默认标杆值（{spec.scheme}）计分。",
                f"{default:,} firm(s) are in industries without a row in the benchmark sheet "
                f"and were scored against the default benchmarks ({spec.scheme_en}).",
            )
        )
    noted = int((table["note_zh"] != "").sum())
    if noted:
        notes.append(
            Problem(
                "mujun.not_computable",
                f"{noted:,} 家企业有指标无法计算（分母为 0 或缺失），见“说明”列。",
                f"{noted:,} firm(s) have an indicator that could not be computed (a zero or "
                "missing denominator): see the note column.",
            )
        )
    return notes
