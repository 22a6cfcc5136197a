"""Hypothesis properties of kaoping.analysis.spatial (Moran's I and local Moran).

Invariants checked:
- global and local Moran's I, their z-scores and, with the same seed, their permutation
  p-values do not change when the values are transformed a*y + b (a != 0 for the global I, a > 0
  for the local statistics and quadrants: a < 0 swaps high and low);
- each unit's quadrant is the signs of its standardised value z_i and of its spatial lag
  (HH: both > 0, LH: z <= 0 < lag, LL: both <= 0, HL: lag <= 0 < z; within 1e-10 of 0 is 0,
  as the library documents), its cluster is that
  quadrant when p < alpha and "ns" otherwise;
- the local statistics add up to S0 times the global one (Anselin 1995);
- permuting the order of the values (the same unit codes) changes nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from libpysal.weights import lat2W
from numpy.testing import assert_allclose

from kaoping.analysis.spatial import local_moran, moran

SETTINGS = settings(max_examples=40, deadline=None)
ROWS, COLS = 4, 5
W_QUEEN = lat2W(ROWS, COLS, rook=False)


@st.composite
def fields(draw: st.DrawFn) -> pd.Series:
    """Whole numbers in [-100, 100] on a 4 x 5 lattice, not all equal."""
    y = draw(
        hnp.arrays(np.float64, ROWS * COLS, elements=st.integers(-100, 100).map(float)).filter(
            lambda a: np.ptp(a) > 0
        )
    )
    return pd.Series(y, index=[str(i) for i in range(ROWS * COLS)])


@SETTINGS
@given(
    fields(),
    st.floats(0.01, 100).flatmap(lambda a: st.sampled_from([a, -a])),
    st.floats(-1000, 1000),
)
def test_global_moran_is_invariant_to_affine_transforms(y: pd.Series, a: float, b: float) -> None:
    first = moran(y, W_QUEEN, permutations=99, rng=3)
    moved = moran(a * y + b, W_QUEEN, permutations=99, rng=3)
    assert_allclose(moved.moran_i, first.moran_i, rtol=1e-9, atol=1e-12)
    assert_allclose(moved.z_normal, first.z_normal, rtol=1e-9, atol=1e-9)
    assert_allclose(moved.z_random, first.z_random, rtol=1e-9, atol=1e-9)
    if a > 0:  # the same permutations of z scaled by a: the same order of the simulated I's
        assert moved.p_sim == first.p_sim


@SETTINGS
@given(fields(), st.floats(0.01, 100), st.floats(-1000, 1000))
def test_local_moran_is_invariant_to_positive_affine_transforms(
    y: pd.Series, a: float, b: float
) -> None:
    first = local_moran(y, W_QUEEN, permutations=99, rng=5).table
    moved = local_moran(a * y + b, W_QUEEN, permutations=99, rng=5).table
    assert_allclose(moved["local_i"], first["local_i"], rtol=1e-8, atol=1e-10)
    assert (moved["quadrant"] == first["quadrant"]).all()
    assert (moved["p_sim"] == first["p_sim"]).all()


@SETTINGS
@given(fields(), st.sampled_from([0.05, 0.1, 0.3]))
def test_quadrants_and_clusters_follow_the_signs_and_the_p_values(
    y: pd.Series, alpha: float
) -> None:
    result = local_moran(y, W_QUEEN, permutations=99, rng=1, alpha=alpha)
    table = result.table
    # within 1e-10 of 0 (a value or a neighbours' mean equal to the mean) counts as 0
    high, lag_high = table["z"] > 1e-10, table["lag"] > 1e-10
    expected = np.select(
        [high & lag_high, ~high & lag_high, ~high & ~lag_high], ["HH", "LH", "LL"], "HL"
    )
    assert (table["quadrant"].to_numpy() == expected).all()
    significant = table["p_sim"] < alpha
    assert (table["cluster"].where(significant, "ns") == table["cluster"]).all()
    assert (table.loc[significant, "cluster"] == table.loc[significant, "quadrant"]).all()
    assert (table.loc[~significant, "cluster"] == "ns").all()
    assert ((table["p_sim"] > 0) & (table["p_sim"] <= 0.5 + 1 / 100)).all()  # directed


@SETTINGS
@given(fields())
def test_the_local_statistics_add_up_to_s0_times_the_global_one(y: pd.Series) -> None:
    result = local_moran(y, W_QUEEN, permutations=19, rng=1, alpha=0.1)
    assert_allclose(result.table["local_i"].sum(), ROWS * COLS * result.moran_i, atol=1e-9)


@SETTINGS
@given(fields(), st.permutations(range(ROWS * COLS)))
def test_the_order_of_the_values_does_not_matter(y: pd.Series, order: list[int]) -> None:
    shuffled = y.iloc[order]
    assert moran(shuffled, W_QUEEN, rng=2) == moran(y, W_QUEEN, rng=2)
    pd.testing.assert_frame_equal(
        local_moran(shuffled, W_QUEEN, permutations=99, rng=2).table,
        local_moran(y, W_QUEEN, permutations=99, rng=2).table,
    )
