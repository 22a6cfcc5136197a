"""Monte Carlo uncertainty of a ranking, against answers known without simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kaoping.analysis.uncertainty import UncertaintySpec, uncertainty
from kaoping.data import Panel, Units
from kaoping.errors import InputError
from kaoping.methodology import loads
from kaoping.methods import rank

FOUR = """\
id: four
name: 四指标
tiers: [{name: 第一方阵, max_rank: 2}, {name: 其余}]
dimensions:
  - id: a
    name: 甲
    indicators:
      - {id: x1, name: 指标1, direction: positive}
      - {id: x2, name: 指标2, direction: positive}
  - id: b
    name: 乙
    indicators:
      - {id: x3, name: 指标3, direction: positive}
      - {id: x4, name: 指标4, direction: positive}
"""


def _panel(values: dict[str, list[float]]) -> Panel:
    rows = [
        {"unit": u, "indicator": f"x{j + 1}", "period": "2024", "value": v}
        for u, vs in values.items()
        for j, v in enumerate(vs)
    ]
    return Panel(pd.DataFrame(rows))


DATA = {
    "U1": [9.0, 9.0, 9.0, 9.0],  # dominates everyone
    "U2": [5.0, 2.0, 6.0, 3.0],
    "U3": [2.0, 5.0, 6.0, 3.0],  # U2 with x1 and x2 swapped
    "U4": [4.0, 4.0, 2.0, 6.0],
    "U5": [4.0, 4.0, 2.0, 6.0],  # identical to U4
    "U6": [1.0, 1.0, 1.0, 1.0],  # dominated by everyone
}

# No ties at the nominal weights (DATA's four tied units always shift by 5 in total, whatever
# their order: |2-2| + |3-2| + |4-2| + |5-2| - a zero-variance output, useless for Sobol).
SPREAD = {
    "V1": [9.0, 1.0, 5.0, 3.0],
    "V2": [2.0, 8.0, 4.0, 6.0],
    "V3": [5.0, 5.0, 1.0, 9.0],
    "V4": [7.0, 3.0, 8.0, 1.0],
    "V5": [3.0, 6.0, 6.0, 4.0],
    "V6": [1.0, 2.0, 9.0, 7.0],
}


def test_without_noise_every_interval_is_the_nominal_rank() -> None:
    out = uncertainty(loads(FOUR), _panel(DATA), n=50, rng=1, vary=UncertaintySpec(weights=None))
    t = out.table
    for col in ("median_rank", "p05", "p95", "mean_rank"):
        np.testing.assert_array_equal(t[col], t["nominal_rank"])
    assert (out.shift == 0).all()


def test_dominating_unit_is_always_first_and_dominated_always_last() -> None:
    out = uncertainty(loads(FOUR), _panel(DATA), n=400, rng=2, keep_ranks=True)
    assert out.ranks is not None
    codes = list(out.table.index)
    assert (out.ranks[:, codes.index("U1")] == 1).all()
    assert (out.ranks[:, codes.index("U6")] == 6).all()
    assert out.table.loc["U1", "P(第一方阵)"] == 1.0


def test_identical_units_always_share_their_rank() -> None:
    out = uncertainty(
        loads(FOUR), _panel(DATA), n=400, rng=3, keep_ranks=True,
        vary=UncertaintySpec(weights="uniform", spread=0.5),
    )  # fmt: skip
    assert out.ranks is not None
    codes = list(out.table.index)
    np.testing.assert_array_equal(out.ranks[:, codes.index("U4")], out.ranks[:, codes.index("U5")])


def test_swapped_values_of_equally_weighted_indicators_tie_in_probability() -> None:
    # U2 and U3 differ only by swapping x1 and x2, which have equal nominal weights; under a
    # symmetric Dirichlet around them U2 is ahead exactly when w1 > w2: probability 1/2.  With
    # n = 4,000 the standard error is sqrt(0.25 / 4000) = 0.0079; allow 4 of them.
    n = 4000
    out = uncertainty(
        loads(FOUR), _panel(DATA), n=n, rng=4, keep_ranks=True,
        vary=UncertaintySpec(concentration=20.0),
    )  # fmt: skip
    assert out.ranks is not None
    codes = list(out.table.index)
    ahead = np.mean(out.ranks[:, codes.index("U2")] < out.ranks[:, codes.index("U3")])
    assert abs(ahead - 0.5) < 4 * np.sqrt(0.25 / n)


def test_tier_probabilities_sum_to_one_and_quantiles_are_ordered() -> None:
    out = uncertainty(loads(FOUR), _panel(DATA), n=300, rng=5)
    t = out.table
    np.testing.assert_allclose(t["P(第一方阵)"] + t["P(其余)"], 1.0)
    assert (t["p05"] <= t["median_rank"]).all()
    assert (t["median_rank"] <= t["p95"]).all()


def test_same_seed_same_numbers_and_other_seed_differs() -> None:
    spec = UncertaintySpec(concentration=10.0, exclude="indicator")
    a = uncertainty(loads(FOUR), _panel(SPREAD), n=200, rng=7, vary=spec, keep_ranks=True)
    b = uncertainty(loads(FOUR), _panel(SPREAD), n=200, rng=7, vary=spec, keep_ranks=True)
    c = uncertainty(loads(FOUR), _panel(SPREAD), n=200, rng=8, vary=spec, keep_ranks=True)
    pd.testing.assert_frame_equal(a.table, b.table)
    pd.testing.assert_series_equal(a.shift, b.shift)
    np.testing.assert_array_equal(a.ranks, b.ranks)
    assert not np.array_equal(a.ranks, c.ranks)


def test_a_batch_larger_than_one_chunk_gives_the_same_counts_as_its_parts() -> None:
    # 1,100 samples cross two batch boundaries (512): the counts must simply add up
    out = uncertainty(loads(FOUR), _panel(DATA), n=1100, rng=9, keep_ranks=True)
    assert out.ranks is not None
    for column, q in (("median_rank", 0.5), ("p05", 0.05), ("p95", 0.95)):
        expected = np.quantile(out.ranks, q, axis=0, method="inverted_cdf")
        np.testing.assert_array_equal(out.table[column], expected)
    assert (out.table["p05"] < out.table["median_rank"]).any()  # the intervals are not empty
    np.testing.assert_allclose(out.table["mean_rank"], out.ranks.mean(axis=0))


def test_ranks_within_category_and_their_tier_probabilities() -> None:
    # Reference: the kept overall ranks of every sample, ranked again within each category by
    # rank.within (ties as overall), then the inverted-CDF quantiles and the share of samples
    # at a rank <= 2 (第一方阵's cut-off, applied within the category).
    units = Units(
        pd.DataFrame(
            {
                "code": list(SPREAD),
                "name": list(SPREAD),
                "category": ["甲", "甲", "乙", "乙", "甲", None],  # V6 has no category
            }
        )
    )
    out = uncertainty(
        loads(FOUR), _panel(SPREAD), n=700, rng=4, units=units, keep_ranks=True,
        vary=UncertaintySpec(concentration=5.0),
    )  # fmt: skip
    assert out.ranks is not None
    cats = units.categories.reindex(out.table.index).to_numpy(dtype=object)
    within = rank.within(-out.ranks, cats)
    t = out.table
    for u, code in enumerate(t.index):
        column = within[:, u]
        if np.isnan(column).all():  # V6: no category, no rank within one
            assert code == "V6"
            assert pd.isna(t.loc[code, "category_median_rank"])
            assert t.loc[code, "category_P(第一方阵)"] == 0.0
            continue
        median, p05, p95 = np.quantile(column, [0.5, 0.05, 0.95], method="inverted_cdf")
        assert t.loc[code, "category_median_rank"] == median
        assert t.loc[code, "category_p05"] == p05
        assert t.loc[code, "category_p95"] == p95
        assert t.loc[code, "category_P(第一方阵)"] == pytest.approx((column <= 2).mean())
        assert t.loc[code, "category_P(其余)"] == pytest.approx((column > 2).mean())
    # the JSON record carries them too
    record = next(r for r in out.to_records() if r["unit"] == "V1")
    probs = record["category_rank"]["tier_probabilities"]
    assert probs["第一方阵"] == pytest.approx(t.loc["V1", "category_P(第一方阵)"])


def test_an_impossible_alternative_is_refused_before_any_sample() -> None:
    spec = UncertaintySpec(aggregation=("geometric",))
    with pytest.raises(InputError) as info:
        uncertainty(loads(FOUR), _panel(DATA), n=10, rng=1, vary=spec)
    problem = info.value.problems[0]
    assert problem.code == "uncertainty.impossible_alternative"
    assert "geometric" in problem.en


def test_alternatives_that_work_are_sampled() -> None:
    text = FOUR.replace(
        "name: 四指标\n", "name: 四指标\nnormalization: {method: minmax, range: [1, 100]}\n"
    )
    spec = UncertaintySpec(aggregation=("geometric",), normalization=("fracmax",))
    out = uncertainty(loads(text), _panel(DATA), n=200, rng=1, vary=spec)
    assert out.table["median_rank"].notna().all()


def test_remove_one_of_a_constant_indicator_changes_nothing() -> None:
    data = {u: [*v[:3], 5.0] for u, v in DATA.items()}  # x4 constant
    out = uncertainty(loads(FOUR), _panel(data), n=20, rng=1)
    assert out.remove_one.loc["x4", "mean_abs_rank_change"] == 0.0
    assert out.remove_one.loc["x1", "mean_abs_rank_change"] > 0.0


def test_sobol_indices_of_the_rank_shift() -> None:
    spec = UncertaintySpec(concentration=5.0, exclude="indicator")
    out = uncertainty(
        loads(FOUR), _panel(SPREAD), n=50, rng=11, vary=spec, sobol=256, sobol_units=["V2"],
        n_boot=50,
    )  # fmt: skip
    assert out.sobol is not None
    assert list(out.sobol.index) == ["weights", "exclude"]
    assert ((out.sobol["total"] > -0.1) & (out.sobol["total"] < 1.5)).all()
    assert out.unit_sobol is not None
    assert set(out.unit_sobol.index.get_level_values("input")) == {"weights", "exclude"}


def test_workers_share_the_batches_without_changing_a_number() -> None:
    # each batch draws from its own child of the seed: 1 or 2 processes, the same numbers
    spec = UncertaintySpec(exclude="indicator")
    one = uncertainty(loads(FOUR), _panel(SPREAD), n=4200, rng=3, vary=spec)
    two = uncertainty(loads(FOUR), _panel(SPREAD), n=4200, rng=3, vary=spec, workers=2)
    pd.testing.assert_frame_equal(one.table, two.table)
    pd.testing.assert_series_equal(one.shift, two.shift)


def test_min_share_is_honoured_in_the_samples() -> None:
    # without noise the intervals must be the nominal ranks, also where units are unranked
    text = FOUR.replace("name: 四指标\n", "name: 四指标\nmissing: {method: skip, min_share: 0.8}\n")
    data = {u: list(v) for u, v in SPREAD.items()}
    data["V1"][0] = float("nan")
    data["V3"][2] = float("nan")
    out = uncertainty(loads(text), _panel(data), n=30, rng=1, vary=UncertaintySpec(weights=None))
    t = out.table
    np.testing.assert_array_equal(t["median_rank"], t["nominal_rank"])
    assert t["nominal_rank"].isna().sum() == 2


def test_leaving_out_an_only_child_leaves_out_its_parent() -> None:
    text = """\
id: lonely
name: 独子
tiers: [{name: 前列, max_rank: 3}, {name: 其余}]
dimensions:
  - {id: a, name: 甲, indicators: [{id: x1, name: 指标1, direction: positive}]}
  - id: b
    name: 乙
    indicators:
      - {id: x2, name: 指标2, direction: positive}
      - {id: x3, name: 指标3, direction: positive}
"""
    data = {u: v[:3] for u, v in SPREAD.items()}
    panel = Panel(
        pd.DataFrame(
            [
                {"unit": u, "indicator": f"x{j + 1}", "period": "2024", "value": x}
                for u, vs in data.items()
                for j, x in enumerate(vs)
            ]
        )
    )
    out = uncertainty(
        loads(text), panel, n=400, rng=2, vary=UncertaintySpec(exclude="indicator"),
        keep_ranks=True,
    )  # fmt: skip
    assert out.ranks is not None
    assert not np.isnan(out.ranks).any()
    np.testing.assert_allclose(out.table["P(前列)"] + out.table["P(其余)"], 1.0)
    assert out.remove_one.loc["x1", "mean_abs_rank_change"] >= 0.0


def test_a_discrete_input_that_changes_nothing_gets_no_sobol_index() -> None:
    # three identical configurations (no missing data to impute): imputation explains nothing
    spec = UncertaintySpec(concentration=5.0, imputation=("mean", "median"))
    out = uncertainty(loads(FOUR), _panel(SPREAD), n=10, rng=4, vary=spec, sobol=512, n_boot=20)
    assert out.sobol is not None
    assert abs(out.sobol.loc["imputation", "total"]) < 1e-9
    assert out.sobol.loc["weights", "first"] > 0.9


def test_unknown_sobol_unit_and_bad_spread_are_refused() -> None:
    with pytest.raises(InputError) as info:
        uncertainty(loads(FOUR), _panel(SPREAD), n=10, rng=1, sobol=16, sobol_units=["V9"])
    assert info.value.codes == ["uncertainty.unknown_unit"]
    with pytest.raises(ValueError, match="spread"):
        uncertainty(
            loads(FOUR), _panel(SPREAD), n=10, vary=UncertaintySpec(weights="uniform", spread=1.5)
        )


def test_a_dask_cluster_gives_the_same_numbers() -> None:
    # a real scheduler and worker, started here on loopback (in-process threads)
    distributed = pytest.importorskip("distributed")
    spec = UncertaintySpec(exclude="indicator")
    local = uncertainty(loads(FOUR), _panel(SPREAD), n=4200, rng=5, vary=spec)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        remote = uncertainty(
            loads(FOUR), _panel(SPREAD), n=4200, rng=5, vary=spec,
            scheduler=cluster.scheduler_address,
        )  # fmt: skip
    pd.testing.assert_frame_equal(local.table, remote.table)
    pd.testing.assert_series_equal(local.shift, remote.shift)


def test_an_unreachable_scheduler_is_an_input_problem() -> None:
    pytest.importorskip("distributed")
    with pytest.raises(InputError) as info:
        uncertainty(loads(FOUR), _panel(SPREAD), n=10, rng=1, scheduler="tcp://127.0.0.1:9")
    assert info.value.codes == ["uncertainty.scheduler_unreachable"]
