"""kaoping.assess: the pipeline against hand-worked examples and independent formulas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from kaoping.assess import assess
from kaoping.data import Panel, Units
from kaoping.errors import InputError, KaopingWarning
from kaoping.methodology import loads

# A two-level example worked by hand, following COINr's conventions (min-max to [0, 100],
# weights relative within each group of siblings, arithmetic means level by level).
#
#            a (+, w1)  b (-, w1)  | c (+, w3)  e (+, w1)
#   U1          10         5       |    1          4
#   U2          20         1       |    2          0
#   U3          30         3       |    2          2
#
# min-max:     a: 0, 50, 100   b: (5 - x)/4 -> 0, 100, 50   c: 0, 100, 100   e: 100, 0, 50
# D1 (weight 2) = (a + b)/2        -> U1 0,   U2 75, U3 75
# D2 (weight 1) = (3c + e)/4       -> U1 25,  U2 75, U3 87.5
# index = (2 D1 + D2)/3            -> U1 25/3, U2 75, U3 237.5/3 = 79.1666…
# ranks: U3 1, U2 2, U1 3; effective weights a 1/3, b 1/3, c 1/4, e 1/12.

HAND = """
id: hand
name: 手算示例
normalization: {method: minmax, range: [0, 100]}
weighting: fixed
aggregation: arithmetic
tiers: [{name: 第一方阵, max_rank: 1}, {name: 第二方阵, max_rank: 2}]
dimensions:
  - id: d1
    name: 维度一
    weight: 2
    indicators:
      - {id: a, name: 指标A, direction: positive}
      - {id: b, name: 指标B, direction: negative}
  - id: d2
    name: 维度二
    weight: 1
    indicators:
      - {id: c, name: 指标C, direction: positive, weight: 3}
      - {id: e, name: 指标E, direction: positive}
"""

RAW = {
    "U1": {"a": 10.0, "b": 5.0, "c": 1.0, "e": 4.0},
    "U2": {"a": 20.0, "b": 1.0, "c": 2.0, "e": 0.0},
    "U3": {"a": 30.0, "b": 3.0, "c": 2.0, "e": 2.0},
}


def make_panel(raw: dict[str, dict[str, float]], period: str = "2024") -> Panel:
    rows = [
        {"unit": u, "indicator": i, "period": period, "value": v}
        for u, values in raw.items()
        for i, v in values.items()
    ]
    return Panel(pd.DataFrame(rows))


def make_units(categories: dict[str, str]) -> Units:
    frame = pd.DataFrame(
        {
            "code": list(categories),
            "name": [f"{c}县" for c in categories],
            "category": list(categories.values()),
        }
    )
    return Units.from_frame(frame)


def test_it_matches_the_hand_worked_two_level_example() -> None:
    result = assess(loads(HAND), make_panel(RAW), 2024)
    t = result.table
    assert_allclose(t.loc[["U1", "U2", "U3"], "score"], [25 / 3, 75.0, 237.5 / 3], rtol=1e-12)
    assert_allclose(t.loc[["U1", "U2", "U3"], "d1"], [0.0, 75.0, 75.0], atol=1e-12)
    assert_allclose(t.loc[["U1", "U2", "U3"], "d2"], [25.0, 75.0, 87.5], rtol=1e-12)
    assert t.loc[["U1", "U2", "U3"], "rank"].tolist() == [3.0, 2.0, 1.0]
    assert t.loc[["U3", "U2"], "tier"].tolist() == ["第一方阵", "第二方阵"]
    assert pd.isna(t.loc["U1", "tier"])
    assert_allclose(
        result.weights.loc[["a", "b", "c", "e"], "effective_weight"],
        [1 / 3, 1 / 3, 1 / 4, 1 / 12],
        rtol=1e-12,
    )
    assert_allclose(result.normalized.loc["U1", ["a", "b", "c", "e"]], [0, 0, 0, 100])


def test_it_ranks_within_categories() -> None:
    units = make_units({"U1": "甲类", "U2": "甲类", "U3": "乙类"})
    result = assess(loads(HAND), make_panel(RAW), "2024", units=units)
    assert result.table.loc[["U1", "U2", "U3"], "category_rank"].tolist() == [2.0, 1.0, 1.0]
    assert result.table.loc["U2", "name"] == "U2县"


def test_it_lists_every_missing_cell_when_the_methodology_does_not_impute() -> None:
    raw = {u: dict(v) for u, v in RAW.items()}
    raw["U1"]["a"] = np.nan
    raw["U3"]["e"] = np.nan
    with pytest.raises(InputError) as info:
        assess(loads(HAND), make_panel(raw), 2024)
    assert info.value.codes == ["data.missing_value", "data.missing_value"]
    text = str(info.value)
    assert "U1" in text
    assert "U3" in text


def test_skip_rescales_the_weights_over_the_available_indicators() -> None:
    # U1 lacks b.  Min-max is computed over the units that have a value:
    # b over U2, U3: (3 - x)/2 -> U2 100, U3 0 … and U1's D1 is a alone = 0.
    raw = {u: dict(v) for u, v in RAW.items()}
    raw["U1"]["b"] = np.nan
    m = loads(HAND.replace("aggregation: arithmetic", "aggregation: arithmetic\nmissing: skip"))
    result = assess(m, make_panel(raw), 2024)
    assert_allclose(result.table.loc[["U1", "U2", "U3"], "d1"], [0.0, 75.0, 50.0], atol=1e-12)
    assert_allclose(result.table.loc["U1", "score"], (2 * 0.0 + 25.0) / 3, rtol=1e-12)


def test_mean_imputation_fills_and_records_the_cell() -> None:
    raw = {u: dict(v) for u, v in RAW.items()}
    raw["U1"]["a"] = np.nan
    m = loads(HAND.replace("aggregation: arithmetic", "aggregation: arithmetic\nmissing: mean"))
    result = assess(m, make_panel(raw), 2024)
    assert result.raw.loc["U1", "a"] == pytest.approx(25.0)  # mean of 20 and 30
    assert [(i.unit, i.indicator) for i in result.imputations] == [("U1", "a")]


def _entropy_reference(X: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Entropy weights written out directly from METHODS.md (p_ij, 0 ln 0 = 0)."""
    Y = (X - X.min(0)) / (X.max(0) - X.min(0))
    Y[:, d < 0] = 1 - Y[:, d < 0]
    P = Y / Y.sum(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(P > 0, P * np.log(P), 0.0)
    e = -plogp.sum(0) / np.log(X.shape[0])
    return (1 - e) / (1 - e).sum()


def _random_raw(seed: int, n: int = 12) -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(seed)
    return {f"U{i:02d}": {k: float(rng.lognormal(1.0, 0.6)) for k in "abce"} for i in range(n)}


def test_entropy_weights_are_global_and_dimensions_carry_their_sum() -> None:
    raw = _random_raw(7)
    m = loads(HAND.replace("weighting: fixed", "weighting: entropy"))
    result = assess(m, make_panel(raw), 2024)
    X = np.array([[raw[u][k] for k in "abce"] for u in sorted(raw)])
    w = _entropy_reference(X, np.array([1.0, -1, 1, 1]))
    assert_allclose(result.weights.loc[list("abce"), "effective_weight"], w, rtol=1e-9)
    assert_allclose(result.node_weights["d1"], w[0] + w[1], rtol=1e-9)
    assert_allclose(result.weights.loc["a", "weight"], w[0] / (w[0] + w[1]), rtol=1e-9)
    # with full data, the level-by-level arithmetic mean equals the flat weighted sum
    Y = result.normalized.loc[sorted(raw), list("abce")].to_numpy()
    assert_allclose(result.table.loc[sorted(raw), "score"], Y @ w, rtol=1e-9)


def test_topsis_scores_the_index_over_all_indicators_and_each_dimension_alone() -> None:
    raw = _random_raw(11)
    m = loads(
        HAND.replace("weighting: fixed", "weighting: entropy").replace(
            "aggregation: arithmetic", "aggregation: topsis"
        )
    )
    result = assess(m, make_panel(raw), 2024)
    X = np.array([[raw[u][k] for k in "abce"] for u in sorted(raw)])
    d = np.array([1.0, -1, 1, 1])
    w = _entropy_reference(X, d)

    def topsis(Xs: np.ndarray, ws: np.ndarray, ds: np.ndarray) -> np.ndarray:
        # Hwang & Yoon (1981): vector normalisation, weighted ideal and anti-ideal points
        V = Xs / np.sqrt((Xs**2).sum(0)) * ws
        best = np.where(ds > 0, V.max(0), V.min(0))
        worst = np.where(ds > 0, V.min(0), V.max(0))
        dp = np.sqrt(((V - best) ** 2).sum(1))
        dm = np.sqrt(((V - worst) ** 2).sum(1))
        return dm / (dp + dm)

    units = sorted(raw)
    assert_allclose(result.table.loc[units, "score"], 100 * topsis(X, w, d), rtol=1e-9)
    w1 = w[:2] / w[:2].sum()
    assert_allclose(result.table.loc[units, "d1"], 100 * topsis(X[:, :2], w1, d[:2]), rtol=1e-9)


def test_a_constant_indicator_is_named_in_a_note() -> None:
    raw = {u: dict(v) for u, v in RAW.items()}
    for u in raw:
        raw[u]["c"] = 5.0
    with pytest.warns(KaopingWarning, match="指标 c "):
        result = assess(loads(HAND), make_panel(raw), 2024)
    assert [(n.code, n.where) for n in result.notes] == [("assess.constant_indicator", "c")]


def test_an_unknown_period_lists_the_available_ones() -> None:
    with pytest.raises(InputError, match="2023") as info:
        assess(loads(HAND), make_panel(RAW, period="2023"), 2024)
    assert info.value.codes == ["assess.unknown_period"]


def test_an_indicator_without_any_data_is_reported() -> None:
    raw = {u: {k: v for k, v in values.items() if k != "e"} for u, values in RAW.items()}
    with pytest.raises(InputError) as info:
        assess(loads(HAND), make_panel(raw), 2024)
    assert info.value.codes == ["assess.indicator_without_data"]


def test_the_latest_period_is_the_default() -> None:
    panel = Panel.concat([make_panel(RAW, "2023"), make_panel(RAW, "2024")])
    assert assess(loads(HAND), panel).period == "2024"


def test_ahp_weights_come_from_the_pairwise_matrices() -> None:
    # Top level: d1 is 3 times as important as d2 -> weights 3/4, 1/4 (a consistent 2x2
    # matrix's principal eigenvector).  Inside d2: c vs e = 1/2 -> c 1/3, e 2/3.
    text = HAND.replace("weighting: fixed", 'weighting: ahp\nahp: [[1, 3], ["1/3", 1]]')
    text = text.replace(
        "    weight: 1\n    indicators:",
        '    weight: 1\n    ahp: [[1, "1/2"], [2, 1]]\n    indicators:',
    )
    text = text.replace(
        "    weight: 2\n    indicators:",
        "    weight: 2\n    ahp: [[1, 1], [1, 1]]\n    indicators:",
    )
    result = assess(loads(text), make_panel(RAW), 2024)
    assert_allclose(
        result.weights.loc[list("abce"), "effective_weight"],
        [3 / 8, 3 / 8, 1 / 12, 1 / 6],
        rtol=1e-9,
    )


def test_geometric_aggregation_on_a_positive_range_is_below_the_arithmetic() -> None:
    base = HAND.replace("range: [0, 100]", "range: [1, 100]")
    arith = assess(loads(base), make_panel(RAW), 2024).table["score"]
    geo = assess(
        loads(base.replace("aggregation: arithmetic", "aggregation: geometric")),
        make_panel(RAW),
        2024,
    ).table["score"]
    assert (geo <= arith + 1e-9).all()
    assert (geo < arith).any()


def test_one_unit_gets_the_top_score_and_a_note_instead_of_nan() -> None:
    # With a single unit every indicator is constant: min-max gives the top of the range
    # (METHODS.md: never NaN or inf) and entropy falls back to equal weights.
    m = loads(HAND.replace("weighting: fixed", "weighting: entropy"))
    with pytest.warns(KaopingWarning, match="a,b,c,e"):
        result = assess(m, make_panel({"U1": RAW["U1"]}), 2024)
    assert result.table.loc["U1", "score"] == pytest.approx(100.0)
    assert result.table.loc["U1", "rank"] == 1.0
    assert_allclose(result.weights["effective_weight"], [0.25] * 4)
    assert result.notes


def test_a_constant_indicator_inside_a_topsis_dimension_is_named_correctly() -> None:
    # e is the second column of d2 but the fourth indicator: the note must say e, not b
    raw = _random_raw(3)
    for u in raw:
        raw[u]["e"] = 2.0
    m = loads(HAND.replace("aggregation: arithmetic", "aggregation: topsis"))
    with pytest.warns(KaopingWarning):
        result = assess(m, make_panel(raw), 2024)
    assert {n.where for n in result.notes} == {"e"}


def test_an_open_last_tier_takes_every_remaining_unit() -> None:
    m = loads(
        HAND.replace(
            "tiers: [{name: 第一方阵, max_rank: 1}, {name: 第二方阵, max_rank: 2}]",
            "tiers: [{name: 第一方阵, max_rank: 1}, {name: 其他}]",
        )
    )
    t = assess(m, make_panel(RAW), 2024).table
    assert t.loc[["U3", "U2", "U1"], "tier"].tolist() == ["第一方阵", "其他", "其他"]


def test_units_without_a_category_get_no_category_rank() -> None:
    frame = pd.DataFrame(
        {"code": ["U1", "U2", "U3"], "name": ["甲", "乙", "丙"], "category": ["A", None, None]}
    )
    t = assess(loads(HAND), make_panel(RAW), 2024, units=Units.from_frame(frame)).table
    assert t.loc["U1", "category_rank"] == 1.0
    assert t.loc[["U2", "U3"], "category_rank"].isna().all()


def test_a_geometric_mean_over_vikor_scores_names_the_node_and_units() -> None:
    text = (
        HAND.replace("range: [0, 100]", "range: [1, 100]")
        .replace("aggregation: arithmetic", "aggregation: geometric")
        .replace(
            "    weight: 2\n    indicators:",
            "    weight: 2\n    aggregation: vikor\n    indicators:",
        )
    )
    with pytest.raises(InputError) as info:
        assess(loads(text), make_panel(RAW), 2024)
    assert info.value.codes == ["assess.aggregation_needs_positive"]
    assert info.value.problems[0].where == "hand"


def test_skip_under_topsis_notes_the_units_left_without_a_score() -> None:
    raw = {u: dict(v) for u, v in _random_raw(5).items()}
    raw["U00"]["c"] = np.nan
    m = loads(HAND.replace("aggregation: arithmetic", "aggregation: topsis\nmissing: skip"))
    result = assess(m, make_panel(raw), 2024)
    assert np.isnan(result.table.loc["U00", "score"])
    assert np.isnan(result.table.loc["U00", "rank"])
    assert [n.code for n in result.notes] == ["assess.unscored_missing"]
    assert "U00" in result.notes[0].where
