"""Tests of kaoping.analysis.audit (COINr's statistical audit).

Reference values: hand-worked examples (the arithmetic in the comments); independent formulas
written differently from the module -- Cronbach's alpha from the covariance matrix as COINr's
``get_cronbach`` computes it, k^2 mean(off-diagonal) / sum(all), and the standardised alpha
k r / (1 + (k - 1) r) of z-scored items; NumPy's ``corrcoef`` and ``linalg.eigvalsh`` for the
correlations and the principal components; SciPy's ``pearsonr`` for the p-values; pandas'
``skew``/``kurt`` for the moments; the demo assessment for the shapes.
"""

from __future__ import annotations

import doctest
import warnings
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from kaoping.analysis import audit as A
from kaoping.assess import Result, assess
from kaoping.data import Panel
from kaoping.data.bundled import demo_panel, henan_units
from kaoping.errors import InputError, KaopingWarning
from kaoping.methodology import load, loads

# A two-level framework: d1 holds the sub-dimensions d1a (a, b) and d1b (c alone); d2 holds
# e, f, g.  Groups: d1a, d1b, d1, d2 and the index (d1, d2).
NESTED = """
id: audit_nested
name: 审计示例
normalization: {method: minmax, range: [0, 100]}
weighting: fixed
aggregation: arithmetic
dimensions:
  - id: d1
    name: 维度一
    name_en: One
    children:
      - id: d1a
        name: 子维度甲
        indicators:
          - {id: a, name: 指标A, name_en: A, direction: positive}
          - {id: b, name: 指标B, direction: negative}
      - id: d1b
        name: 子维度乙
        indicators:
          - {id: c, name: 指标C, direction: positive}
  - id: d2
    name: 维度二
    indicators:
      - {id: e, name: 指标E, direction: positive}
      - {id: f, name: 指标F, direction: positive}
      - {id: g, name: 指标G, direction: positive}
"""
IDS = ["a", "b", "c", "e", "f", "g"]


def make_panel(values: np.ndarray, period: str = "2024") -> Panel:
    rows = [
        {"unit": f"U{i:02d}", "indicator": ind, "period": period, "value": float(v)}
        for i, row in enumerate(values)
        for ind, v in zip(IDS, row, strict=True)
        if not np.isnan(v)
    ]
    return Panel(pd.DataFrame(rows))


def nested_values(seed: int = 7, n: int = 15) -> np.ndarray:
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))
    return np.round(10 + 3 * common + rng.normal(size=(n, len(IDS))), 2)


def nested_result(values: np.ndarray | None = None, missing: str = "error") -> Result:
    text = NESTED if missing == "error" else NESTED + f"missing: {{method: {missing}}}\n"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        out = assess(loads(text), make_panel(nested_values() if values is None else values), 2024)
    assert isinstance(out, Result)
    return out


@cache
def demo_result() -> Result:
    m, units = load("county_hqd"), henan_units()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        out = assess(m, demo_panel(m.name_to_id(), units), "2024", units=units)
    assert isinstance(out, Result)
    return out


def coinr_alpha(X: np.ndarray) -> float:
    """COINr's get_cronbach: k^2 * (mean of the off-diagonal covariances) / (sum of all)."""
    k = X.shape[1]
    cov = np.cov(X, rowvar=False)
    total = cov.sum()
    off = (total - np.trace(cov)) / (k * (k - 1))
    return float(k * k * off / total)


def test_docstring_examples() -> None:
    result = doctest.testmod(A, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# Cronbach's alpha
# --------------------------------------------------------------------------------------------


def test_alpha_of_two_items_worked_by_hand() -> None:
    # x = 1, 2, 3 and y = 1, 3, 2: variances 1 and 1, covariance 1/2; the totals 2, 5, 5
    # have variance 3 (= 1 + 1 + 2 * 1/2); alpha = 2/1 * (1 - 2/3) = 2/3.
    X = np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0]])
    assert A.cronbach_alpha(X) == pytest.approx(2 / 3, rel=1e-12)


def test_alpha_of_three_items_worked_by_hand() -> None:
    # items (1,2,3,5), (2,3,4,4), (3,4,5,4): variances 35/12, 11/12, 8/12, sum 54/12 = 4.5;
    # totals 6, 9, 12, 13 (mean 10) have variance (16 + 1 + 4 + 9)/3 = 10;
    # alpha = 3/2 * (1 - 4.5/10) = 0.825.
    X = np.array([[1.0, 2, 3], [2, 3, 4], [3, 4, 5], [5, 4, 4]])
    assert A.cronbach_alpha(X) == pytest.approx(0.825, rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alpha_equals_coinrs_covariance_form(seed: int) -> None:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 1)) + rng.normal(size=(40, 5)) * rng.uniform(0.5, 2, size=5)
    assert_allclose(A.cronbach_alpha(X), coinr_alpha(X), rtol=1e-12)


def test_alpha_of_z_scores_is_the_standardised_alpha() -> None:
    # Standardised items: alpha = k rbar / (1 + (k - 1) rbar), rbar the mean inter-item r
    # (the Spearman-Brown form).
    rng = np.random.default_rng(3)
    X = rng.normal(size=(30, 1)) + rng.normal(size=(30, 4))
    Z = (X - X.mean(axis=0)) / X.std(axis=0, ddof=1)
    R = np.corrcoef(X, rowvar=False)
    k = 4
    rbar = (R.sum() - k) / (k * (k - 1))
    assert_allclose(A.cronbach_alpha(Z), k * rbar / (1 + (k - 1) * rbar), rtol=1e-12)


def test_alpha_uses_the_complete_cases() -> None:
    rng = np.random.default_rng(4)
    X = rng.normal(size=(20, 3)) + rng.normal(size=(20, 1))
    Y = X.copy()
    Y[[2, 9], [0, 2]] = np.nan
    kept = np.delete(X, [2, 9], axis=0)
    assert_allclose(A.cronbach_alpha(Y), coinr_alpha(kept), rtol=1e-12)


def test_alpha_is_nan_where_undefined() -> None:
    assert np.isnan(A.cronbach_alpha(np.ones((5, 1))))  # one item
    assert np.isnan(A.cronbach_alpha(np.array([[1.0, 2.0]])))  # one unit
    assert np.isnan(A.cronbach_alpha(np.full((4, 3), 2.0)))  # totals do not vary
    with pytest.raises(ValueError, match="cronbach_alpha: X must be a 2-D array"):
        A.cronbach_alpha(np.ones(3))


# --------------------------------------------------------------------------------------------
# principal components, correlations, flags
# --------------------------------------------------------------------------------------------


def test_eigenvalues_match_numpys_eigvalsh_of_the_correlation_matrix() -> None:
    rng = np.random.default_rng(5)
    X = rng.normal(size=(50, 1)) + rng.normal(size=(50, 6))
    expected = np.linalg.eigvalsh(np.corrcoef(X, rowvar=False))[::-1]
    got = A.correlation_eigenvalues(X)
    assert_allclose(got, expected, atol=1e-12)
    assert got.sum() == pytest.approx(6.0)


def test_eigenvalues_leave_out_incomplete_rows_and_constant_columns() -> None:
    rng = np.random.default_rng(6)
    X = rng.normal(size=(25, 3))
    X[:, 2] = 4.0  # constant
    X[3, 0] = np.nan
    kept = np.delete(X, 3, axis=0)[:, :2]
    expected = np.linalg.eigvalsh(np.corrcoef(kept, rowvar=False))[::-1]
    assert_allclose(A.correlation_eigenvalues(X), expected, atol=1e-12)
    assert A.correlation_eigenvalues(np.ones((1, 3))).size == 0


def test_correlation_flags_at_coinrs_thresholds() -> None:
    # get_corr_flags: high means strictly above 0.9; plot_corr: weak <= 0.3, negative <= -0.4
    assert A.correlation_flag(0.9) == "ok"
    assert A.correlation_flag(0.9000001) == "high"
    assert A.correlation_flag(0.3) == "weak"
    assert A.correlation_flag(0.3000001) == "ok"
    assert A.correlation_flag(-0.4) == "negative"
    assert A.correlation_flag(-0.3999) == "weak"
    assert A.correlation_flag(0.5, high=0.4) == "high"


def test_p_values_match_scipys_pearsonr() -> None:
    rng = np.random.default_rng(8)
    x = rng.normal(size=12)
    y = 0.4 * x + rng.normal(size=12)
    r, n = A._pearson(x, y)
    expected = stats.pearsonr(x, y)
    assert r == pytest.approx(expected.statistic, rel=1e-12)
    assert A._p_values(np.array([r]), np.array([n]))[0] == pytest.approx(expected.pvalue, rel=1e-9)
    assert np.isnan(A._p_values(np.array([0.5]), np.array([2.0]))[0])  # no degrees of freedom
    assert A._p_values(np.array([1.0]), np.array([10.0]))[0] == 0.0


# --------------------------------------------------------------------------------------------
# the audit of a result
# --------------------------------------------------------------------------------------------


def test_parent_correlations_match_numpy_on_the_nested_example() -> None:
    result = nested_result()
    audit = A.audit(result)
    pc = audit.parent_correlations
    Y, T = result.normalized, result.table
    assert list(pc.index) == [*IDS, "d1", "d1a", "d1b", "d2"]
    for ind, parent in zip(IDS, ["d1a", "d1a", "d1b", "d2", "d2", "d2"], strict=True):
        assert pc.loc[ind, "parent"] == parent
        expected = np.corrcoef(Y[ind], T[parent])[0, 1]
        assert pc.loc[ind, "r_parent"] == pytest.approx(expected, rel=1e-12)
        assert pc.loc[ind, "r_index"] == pytest.approx(np.corrcoef(Y[ind], T["score"])[0, 1])
    for dim, parent in [("d1", "score"), ("d1a", "d1"), ("d1b", "d1"), ("d2", "score")]:
        assert pc.loc[dim, "parent"] == parent
        assert pc.loc[dim, "r_parent"] == pytest.approx(np.corrcoef(T[dim], T[parent])[0, 1])
    # d1b holds c alone: its score is c's normalised value, r = 1
    assert pc.loc["c", "r_parent"] == pytest.approx(1.0)
    # the p-value of a is scipy's
    expected = stats.pearsonr(Y["a"], T["d1a"]).pvalue
    assert pc.loc["a", "p_parent"] == pytest.approx(expected, rel=1e-9)
    assert set(pc["flag_parent"]) <= {"high", "ok", "weak", "negative"}


def test_within_pairs_and_the_groups_of_the_nested_example() -> None:
    result = nested_result()
    audit = A.audit(result)
    w = audit.within
    # in tree order: d1: (d1a, d1b); d1a: (a, b); d1b: none; d2: (e, f), (e, g), (f, g);
    # the index: (d1, d2)
    pairs = list(zip(w["group"], w["a"], w["b"], strict=True))
    assert pairs == [
        ("d1", "d1a", "d1b"),
        ("d1a", "a", "b"),
        ("d2", "e", "f"),
        ("d2", "e", "g"),
        ("d2", "f", "g"),
        ("score", "d1", "d2"),
    ]
    Y, T = result.normalized, result.table
    for group, a, b, r in zip(w["group"], w["a"], w["b"], w["r"], strict=True):
        frame = Y if group in ("d1a", "d2") else T
        assert r == pytest.approx(np.corrcoef(frame[a], frame[b])[0, 1], rel=1e-12)
    c = audit.cronbach
    assert list(c.index) == ["d1", "d1a", "d1b", "d2", "score"]
    assert c.loc["d1", "members"] == "dimensions"
    assert c.loc["d2", "members"] == "indicators"
    assert c.loc["d1b", "k"] == 1
    assert c["alpha"].isna()["d1b"]
    assert c.loc["d2", "alpha"] == pytest.approx(coinr_alpha(Y[["e", "f", "g"]].to_numpy()))
    assert c.loc["score", "alpha"] == pytest.approx(coinr_alpha(T[["d1", "d2"]].to_numpy()))
    p = audit.pca
    ev = np.linalg.eigvalsh(np.corrcoef(Y[["e", "f", "g"]].to_numpy(), rowvar=False))
    assert p.loc["d2", "eigenvalue"] == pytest.approx(ev[-1])
    assert p.loc["d2", "pc1_share"] == pytest.approx(ev[-1] / 3)
    assert p.loc["d2", "above_one"] == int((ev > 1).sum())
    # min-max is linear and b's direction only flips a sign: the raw values' eigenvalues
    raw_ev = np.linalg.eigvalsh(np.corrcoef(result.raw[["a", "b"]].to_numpy(), rowvar=False))
    assert p.loc["d1a", "eigenvalue"] == pytest.approx(raw_ev[-1], rel=1e-12)
    assert p["pc1_share"].isna()["d1b"]
    assert p["above_one"].isna()["d1b"]
    assert list(audit.groups.columns) == [
        "name", "members", "k", "n", "alpha", "low_alpha", "eigenvalue", "pc1_share",
        "above_one",
    ]  # fmt: skip


def test_indicator_statistics_match_pandas() -> None:
    result = demo_result()
    stats_ = A.audit(result).indicators
    raw = result.raw
    assert_allclose(stats_["skew"], raw.skew(), rtol=1e-9)
    assert_allclose(stats_["kurtosis"], raw.kurt(), rtol=1e-9)
    assert_allclose(stats_["sd"], raw.std(ddof=1), rtol=1e-12)
    assert_allclose(stats_["mean"], raw.mean(), rtol=1e-12)
    assert_allclose(stats_["median"], raw.median(), rtol=1e-12)
    assert (stats_["n"] == raw.count()).all()
    # the flag is treat's test, |skew| >= 2 and kurtosis >= 3.5, on pandas' moments
    expected = (raw.skew().abs() >= 2) & (raw.kurt() >= 3.5)
    assert (stats_["outlier"] == expected).all()
    assert 0 < int(expected.sum()) < len(expected)  # the demo has some, not all
    # the demo's methodology treats outliers: the flagged ones are those it treated
    treated = stats_["treatment"] != "none"
    assert (treated == stats_["outlier"]).all()


def test_imputed_and_missing_values_are_counted_and_alpha_uses_complete_cases() -> None:
    values = nested_values()
    values[3, 3] = np.nan  # e of U03
    result = nested_result(values, missing="skip")
    audit = A.audit(result)
    assert audit.indicators.loc["e", "missing"] == 1
    assert audit.indicators.loc["e", "n"] == 14
    assert audit.indicators.loc["e", "availability"] == pytest.approx(14 / 15)
    kept = result.normalized[["e", "f", "g"]].dropna().to_numpy()
    assert audit.cronbach.loc["d2", "n"] == 14
    assert audit.cronbach.loc["d2", "alpha"] == pytest.approx(coinr_alpha(kept), rel=1e-12)
    assert [p.code for p in audit.notes] == ["audit.incomplete_units"]
    assert "1 个单位" in audit.notes[0].zh
    assert audit.notes[0].where == "d2"
    # pairwise: the correlation of e and f leaves out U03 only
    row = audit.within[(audit.within["a"] == "e") & (audit.within["b"] == "f")].iloc[0]
    assert row["n"] == 14
    assert row["r"] == pytest.approx(np.corrcoef(kept[:, 0], kept[:, 1])[0, 1], rel=1e-12)

    imputed = nested_result(values, missing="mean")
    stats_ = A.audit(imputed).indicators
    assert stats_.loc["e", "imputed"] == 1
    assert stats_.loc["e", "missing"] == 0


def test_the_demo_audit_has_every_table_in_shape() -> None:
    audit = A.audit(demo_result())
    m = audit.methodology
    leaves = m.leaf_groups()
    n_ind = sum(len(inds) for _, inds in leaves)
    assert audit.indicators.shape[0] == n_ind == 38
    assert audit.parent_correlations.shape[0] == n_ind + len(list(m.nodes()))
    pairs = sum(len(inds) * (len(inds) - 1) // 2 for _, inds in leaves)
    top = len(m.dimensions)
    assert len(audit.within) == pairs + top * (top - 1) // 2
    assert list(audit.cronbach.index) == [n.id for n in m.nodes()] + ["score"]
    assert audit.cronbach["alpha"].le(1).all()
    shares = audit.pca["pc1_share"]
    assert ((shares >= 1 / audit.pca["k"]) & (shares <= 1)).all()
    assert audit.period == "2024"
    assert audit.notes == ()
    flags = audit.flags()
    assert set(flags.loc[flags["check"] == "outlier", "id"]) == set(
        audit.indicators.index[audit.indicators["outlier"]]
    )
    assert set(flags["check"]) <= {
        "outlier", "low_availability", "weak_parent", "negative_parent", "weak_index",
        "negative_index", "collinear", "negative_within", "low_alpha",
    }  # fmt: skip
    assert flags["zh"].str.endswith("。").all()


def test_flags_say_it_in_both_languages() -> None:
    # e and f made nearly equal (collinear), g the reverse of e (negative)
    values = nested_values()
    values[:, 4] = values[:, 3] + 0.01 * np.arange(15)
    values[:, 5] = 30 - values[:, 3]
    audit = A.audit(nested_result(values))
    flags = audit.flags()
    keys = list(zip(flags["check"], flags["id"], strict=True))
    assert ("collinear", "e/f") in keys
    assert ("negative_within", "e/g") in keys
    row = {str(k): str(v) for k, v in flags.iloc[keys.index(("collinear", "e/f"))].items()}
    assert row["name"] == "指标E/指标F"
    assert row["zh"].startswith("维度二：指标E与指标F高度相关")
    assert row["en"].startswith("维度二: 指标E and 指标F are highly correlated")  # no name_en


def test_display_frames_in_chinese_and_english() -> None:
    audit = A.audit(nested_result())
    zh = A.display_frame(audit, "parent_correlations", "zh")
    assert list(zh.columns[:3]) == ["代码", "名称", "类型"]
    assert zh.iloc[0, 2] == "指标"
    assert zh.iloc[0, 3] == "子维度甲"
    en = A.display_frame(audit, "parent_correlations", "en")
    assert en.iloc[0, 1] == "A"
    assert en.iloc[1, 1] == "指标B"
    within = A.display_frame(audit, "within", "en", headers=False)
    assert list(within.columns) == ["group", "a", "b", "name_a", "name_b", "n", "r", "p", "flag"]
    assert within.loc[0, "group"] == "One"
    groups = A.display_frame(audit, "groups", "zh")
    assert groups.iloc[0, 0] == "d1"
    assert groups.iloc[0, 1] == "维度一"
    with pytest.raises(ValueError, match="key must be"):
        A.display_frame(audit, "weights")


# --------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"high": 0.2}, "negative < weak < high"),
        ({"negative": 0.5}, "negative=0.5"),
        ({"high": float("nan")}, "high must be a finite number"),
        ({"alpha_min": 0.0}, "alpha_min must be in"),
        ({"availability_min": 1.5}, "availability_min must be a share"),
    ],
)
def test_bad_thresholds_name_the_parameter(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        A.audit(nested_result(), **kwargs)


def test_an_official_result_is_refused() -> None:
    from kaoping.cli import _official_inputs

    m, units = load("county_hqd_official"), henan_units()
    panel = demo_panel(m.name_to_id(), units)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        extra = _official_inputs(m, None, None, None, None, panel, "2024", units)
        official = assess(m, panel, "2024", units=units, **extra)
    with pytest.raises(InputError) as caught:
        A.audit(official)  # type: ignore[arg-type, unused-ignore]
    assert caught.value.codes == ["audit.not_academic"]
    assert "OfficialResult" in str(caught.value)
