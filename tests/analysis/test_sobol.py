"""Tests of kaoping.analysis.sobol.

Reference values: the Ishigami function's analytic indices (derived below from its variance
decomposition), the closed form of a linear additive model, and a plain bootstrap written
the obvious way (gathering the resampled rows) against the kernel's matrix-product bootstrap.
"""

from __future__ import annotations

import doctest
import functools
import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.analysis import sobol
from kaoping.analysis.sobol import SobolResult, jansen, saltelli

SETTINGS = settings(max_examples=40, deadline=None)


def test_docstring_examples_run() -> None:
    result = doctest.testmod(sobol)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# saltelli
# --------------------------------------------------------------------------------------------


@SETTINGS
@given(
    n=st.integers(min_value=2, max_value=40),
    k=st.integers(min_value=1, max_value=7),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_design_shapes_and_radial_columns(n: int, k: int, seed: int) -> None:
    A, B, AB = saltelli(n, k, seed)
    assert A.shape == (n, k)
    assert B.shape == (n, k)
    assert AB.shape == (k, n, k)
    for X in (A, B, AB):
        assert X.dtype == np.float64
        assert ((X >= 0.0) & (X < 1.0)).all()
    for i in range(k):
        others = [j for j in range(k) if j != i]
        assert_array_equal(AB[i][:, others], A[:, others])  # A except column i ...
        assert_array_equal(AB[i][:, i], B[:, i])  # ... which is B's
    # A and B are the two halves of one n x 2k sample drawn from the seed
    X = np.random.default_rng(seed).random((n, 2 * k))
    assert_array_equal(A, X[:, :k])
    assert_array_equal(B, X[:, k:])


def test_design_same_seed_same_design() -> None:
    first = saltelli(16, 4, 2024)
    again = saltelli(16, 4, 2024)
    from_generator = saltelli(16, 4, np.random.default_rng(2024))
    for x, y, z in zip(first, again, from_generator, strict=True):
        assert_array_equal(x, y)
        assert_array_equal(x, z)
    other = saltelli(16, 4, 2025)
    assert not np.array_equal(first[0], other[0])


@pytest.mark.parametrize(
    ("n", "k", "match"),
    [(1, 3, "n"), (8, 0, "k"), (2.5, 3, "n"), (True, 3, "n"), ("8", 3, "n")],
)
def test_design_rejects_bad_sizes(n: object, k: object, match: str) -> None:
    with pytest.raises(ValueError, match=rf"saltelli：{match}（.*必须是不小于 \d 的整数"):
        saltelli(n, k)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# jansen: analytic test functions
# --------------------------------------------------------------------------------------------

ISHIGAMI_A, ISHIGAMI_B = 7.0, 0.1


def ishigami(U: np.ndarray) -> np.ndarray:
    """f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x = -pi + 2 pi u uniform on [-pi, pi]^3."""
    x = -math.pi + 2.0 * math.pi * U
    return (
        np.sin(x[..., 0])
        + ISHIGAMI_A * np.sin(x[..., 1]) ** 2
        + ISHIGAMI_B * x[..., 2] ** 4 * np.sin(x[..., 0])
    )


def ishigami_indices() -> tuple[np.ndarray, np.ndarray]:
    """Analytic first-order and total indices of the Ishigami function (Ishigami & Homma 1990).

    With x_i uniform on [-pi, pi]: E sin x = 0, E sin^2 x = 1/2, E sin^4 x = 3/8,
    E x^4 = pi^4/5, E x^8 = pi^8/9.  The ANOVA (Sobol') decomposition f = f0 + sum f_i + ...:
      f1(x1) = E[f | x1] - f0 = (1 + b pi^4/5) sin x1      -> V1 = (1 + b pi^4/5)^2 / 2
      f2(x2) = a (sin^2 x2 - 1/2)                          -> V2 = a^2 (3/8 - 1/4) = a^2/8
      f3(x3) = b (x3^4 - pi^4/5) E[sin x1] = 0              -> V3 = 0
      f13    = b sin x1 (x3^4 - pi^4/5)                     -> V13 = b^2 (1/2) Var(x3^4)
                                                               = b^2 pi^8 (1/18 - 1/50)
    and every other term is 0, so V = V1 + V2 + V13 = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2.
    S_i = V_i / V; S_T1 = (V1 + V13)/V, S_T2 = V2/V, S_T3 = V13/V.
    """
    a, b, pi = ISHIGAMI_A, ISHIGAMI_B, math.pi
    V = a**2 / 8 + b * pi**4 / 5 + b**2 * pi**8 / 18 + 0.5
    V1 = (1 + b * pi**4 / 5) ** 2 / 2
    V2 = a**2 / 8
    V13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    assert math.isclose(V1 + V2 + V13, V)  # the decomposition is complete
    first = np.array([V1, V2, 0.0]) / V
    total = np.array([V1 + V13, V2, V13]) / V
    return first, total


def _covers(interval: np.ndarray, value: np.ndarray) -> bool:
    return bool(((interval[..., 0] <= value) & (value <= interval[..., 1])).all())


def test_ishigami_analytic_indices_in_the_bootstrap_intervals() -> None:
    # Monte Carlo check (SALib's test_test_functions style) with fixed seeds.  The design is
    # pseudo-random, so at n = 2^13 the estimates' standard deviations over seeds are
    # 0.005-0.019 (S_3 the widest; measured over 100 seeds when this test was written).
    # Six intervals at 95% would all cover only ~74% of the time, hence 99% (~94%).
    S, ST = ishigami_indices()
    # n = 2^15 (not 2^13) for a comfortable margin: the estimates' spread halves
    A, B, AB = saltelli(2**15, 3, rng=0)
    res = jansen(ishigami(A), ishigami(B), ishigami(AB), n_boot=1000, rng=1, confidence=0.99)
    assert res.first_ci is not None
    assert res.total_ci is not None
    assert _covers(res.first_ci, S), (res.first_ci, S)
    assert _covers(res.total_ci, ST), (res.total_ci, ST)
    assert_allclose(res.first, S, rtol=0, atol=0.03)
    assert_allclose(res.total, ST, rtol=0, atol=0.03)
    assert (res.first_ci[..., 0] <= res.first_ci[..., 1]).all()
    # the variance of the 2n runs on A and B estimates V
    assert res.variance.shape == ()
    assert float(res.variance) == pytest.approx(13.8446, rel=0.03)


def test_linear_additive_model_closed_form() -> None:
    # y = sum c_i x_i, x_i ~ U(0, 1) independent: V_i = c_i^2 / 12, no interactions, so
    # S_i = S_Ti = c_i^2 / sum c_j^2 = [1, 4, 9, 0] / 14
    c = np.array([1.0, -2.0, 3.0, 0.0])
    A, B, AB = saltelli(2**13, 4, rng=7)
    res = jansen(A @ c, B @ c, AB @ c)
    expected = c**2 / np.sum(c**2)
    assert_allclose(res.first, expected, rtol=0, atol=0.03)
    assert_allclose(res.total, expected, rtol=0, atol=0.03)
    assert res.total[3] == 0.0  # A and AB[3] give the same output when c_4 = 0: exactly 0
    assert res.variance == pytest.approx(np.sum(c**2) / 12, rel=0.05)


@functools.cache
def _design(k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return saltelli(2**13, k, rng=1000 + k)


@SETTINGS
@given(
    st.lists(
        st.floats(min_value=-10.0, max_value=10.0, allow_nan=False, allow_subnormal=False),
        min_size=1,
        max_size=5,
    )
)
def test_additive_model_random_coefficients(coefficients: list[float]) -> None:
    c = np.array(coefficients)
    assume(np.abs(c).max() >= 1e-3)
    A, B, AB = _design(c.size)
    res = jansen(A @ c, B @ c, AB @ c)
    expected = c**2 / np.sum(c**2)
    # loose: the worst case over 20,000 coefficient directions on these designs was 0.037
    assert_allclose(res.first, expected, rtol=0, atol=0.05)
    assert_allclose(res.total, expected, rtol=0, atol=0.05)


# --------------------------------------------------------------------------------------------
# jansen: many outputs, blocks, bootstrap
# --------------------------------------------------------------------------------------------


def _many_outputs(n: int = 256, k: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seven outputs of different kinds (linear, Ishigami, ranks, a constant) on one design."""
    A, B, AB = saltelli(n, k, rng=3)

    def model(U: np.ndarray) -> np.ndarray:
        lin = U @ np.array([1.0, 2.0, 0.5])
        ish = ishigami(U)
        prod = U[..., 0] * U[..., 1] + U[..., 2] ** 2
        # the ranks of four "units" whose scores move with the inputs: integer outputs
        scores = np.stack([U[..., 0], U[..., 1], 0.5 * U[..., 2] + 0.25, 0.6 * U[..., 0]], -1)
        ranks = 1.0 + (scores[..., np.newaxis, :] > scores[..., :, np.newaxis]).sum(-1)
        const = np.full(U.shape[:-1], 0.1)
        return np.concatenate(
            [np.stack([lin, ish, prod], -1), ranks[..., :3], const[..., np.newaxis]], -1
        )

    return model(A), model(B), model(AB)


def _assert_same(x: SobolResult, y: SobolResult, atol: float) -> None:
    for name in ("first", "total", "first_ci", "total_ci", "variance"):
        u, v = getattr(x, name), getattr(y, name)
        assert (u is None) == (v is None), name
        if u is not None:
            assert u.shape == v.shape, name
            assert_allclose(u, v, rtol=0, atol=atol, equal_nan=True, err_msg=name)


def test_many_outputs_at_once_equal_separate_calls() -> None:
    yA, yB, yAB = _many_outputs()
    together = jansen(yA, yB, yAB, n_boot=200, rng=11)
    p = yA.shape[1]
    assert together.first.shape == (3, p)
    assert together.first_ci is not None
    assert together.first_ci.shape == (3, p, 2)
    assert together.variance.shape == (p,)
    for j in range(p):
        alone = jansen(yA[:, j], yB[:, j], yAB[:, :, j], n_boot=200, rng=11)
        column = SobolResult(
            first=together.first[:, j],
            total=together.total[:, j],
            first_ci=together.first_ci[:, j],
            total_ci=None if together.total_ci is None else together.total_ci[:, j],
            variance=together.variance[j],
        )
        _assert_same(column, alone, atol=1e-12)


def test_blocks_of_outputs_do_not_change_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    yA, yB, yAB = _many_outputs()
    default = jansen(yA, yB, yAB, n_boot=150, rng=5)
    # a tiny budget: one output per block, and resamples drawn again for every block
    monkeypatch.setattr(sobol, "_BUDGET", 64)
    blocked = jansen(yA, yB, yAB, n_boot=150, rng=5)
    _assert_same(default, blocked, atol=1e-12)


def test_bootstrap_equals_the_plain_resampling_formula(monkeypatch: pytest.MonkeyPatch) -> None:
    yA, yB, yAB = _many_outputs(n=64)
    yA, yB, yAB = yA[:, :6], yB[:, :6], yAB[:, :, :6]  # not the constant output
    n = yA.shape[0]
    drawn: list[np.ndarray] = []
    original = sobol._resamples

    def recording(seed: int, n: int, n_boot: int) -> Iterator[tuple[int, np.ndarray]]:
        for start, counts in original(seed, n, n_boot):
            drawn.append(counts.copy())
            yield start, counts

    monkeypatch.setattr(sobol, "_resamples", recording)
    res = jansen(yA, yB, yAB, n_boot=300, rng=8, confidence=0.9)
    counts = np.concatenate(drawn)
    assert counts.shape == (300, n)
    assert (counts.sum(axis=1) == n).all()  # n rows drawn with replacement, every time

    boot_first, boot_total = [], []
    for row in counts:
        idx = np.repeat(np.arange(n), row)  # the resampled rows, the same for A, B and AB
        a, b, ab = yA[idx], yB[idx], yAB[:, idx]
        V = np.var(np.concatenate([a, b]), axis=0, ddof=1)
        boot_first.append((V - 0.5 * np.mean((b - ab) ** 2, axis=1)) / V)
        boot_total.append(0.5 * np.mean((a - ab) ** 2, axis=1) / V)
    expected_first = np.moveaxis(np.quantile(boot_first, [0.05, 0.95], axis=0), 0, -1)
    expected_total = np.moveaxis(np.quantile(boot_total, [0.05, 0.95], axis=0), 0, -1)
    assert res.first_ci is not None
    assert res.total_ci is not None
    assert_allclose(res.first_ci, expected_first, rtol=0, atol=1e-10)
    assert_allclose(res.total_ci, expected_total, rtol=0, atol=1e-10)


# --------------------------------------------------------------------------------------------
# jansen: degenerate outputs, determinism, shapes, errors
# --------------------------------------------------------------------------------------------


def test_constant_output_gives_nan_not_an_error() -> None:
    # 0.1 is not exact in binary: a mean-based variance would be ~1e-34, not 0
    n, k = 32, 3
    y = np.full(n, 0.1)
    res = jansen(y, y, np.full((k, n), 0.1), n_boot=50, rng=0)
    assert float(res.variance) == 0.0
    assert np.isnan(res.first).all()
    assert np.isnan(res.total).all()
    assert res.first_ci is not None
    assert np.isnan(res.first_ci).all()
    assert res.total_ci is not None
    assert np.isnan(res.total_ci).all()
    # beside other outputs: only its own column is NaN
    yA, yB, yAB = _many_outputs()
    both = jansen(yA, yB, yAB)
    assert np.isnan(both.first[:, -1]).all()
    assert np.isfinite(both.first[:, :-1]).all()
    assert np.isfinite(both.total[:, :-1]).all()


def test_resamples_without_variance_are_skipped() -> None:
    # one run of 40 differs: ~36% of the resamples miss it and have no variance at all
    n, k = 40, 2
    yA = np.zeros(n)
    yA[3] = 1.0
    yB = np.zeros(n)
    yAB = np.zeros((k, n))
    res = jansen(yA, yB, yAB, n_boot=200, rng=2)
    assert res.first_ci is not None
    assert res.total_ci is not None
    assert np.isfinite(res.first_ci).all()
    assert np.isfinite(res.total_ci).all()
    # by the formula: one squared difference of 1 among n rows of A vs AB[i]
    assert_allclose(res.total, 0.5 * (1 / n) / res.variance)


def test_same_seed_same_indices() -> None:
    yA, yB, yAB = _many_outputs()
    once = jansen(yA, yB, yAB, n_boot=100, rng=42)
    twice = jansen(yA, yB, yAB, n_boot=100, rng=np.random.default_rng(42))
    _assert_same(once, twice, atol=0.0)
    other = jansen(yA, yB, yAB, n_boot=100, rng=43)
    assert other.first_ci is not None
    assert once.first_ci is not None
    assert not np.array_equal(once.first_ci[:, :6], other.first_ci[:, :6])
    assert_array_equal(once.first, other.first)  # the estimates themselves use no randomness


def test_single_output_shapes_and_read_only_arrays() -> None:
    A, B, AB = saltelli(64, 3, rng=0)
    c = np.array([1.0, 1.0, 1.0])
    res = jansen(A @ c, B @ c, AB @ c, n_boot=20, rng=0)
    assert res.first.shape == (3,)
    assert res.total.shape == (3,)
    assert res.first_ci is not None
    assert res.first_ci.shape == (3, 2)
    assert res.total_ci is not None
    assert res.total_ci.shape == (3, 2)
    assert res.variance.shape == ()
    with pytest.raises(ValueError, match="read-only"):
        res.first[0] = 1.0
    plain = jansen(A @ c, B @ c, AB @ c)
    assert plain.first_ci is None
    assert plain.total_ci is None
    assert_array_equal(plain.first, res.first)


@pytest.mark.parametrize(
    ("yA", "yB", "yAB", "match"),
    [
        (np.zeros(1), np.zeros(1), np.zeros((2, 1)), "yA 应为"),
        (np.zeros((4, 2, 2)), np.zeros((4, 2, 2)), np.zeros((2, 4, 2, 2)), "yA 应为"),
        (np.zeros(4), np.zeros(5), np.zeros((2, 4)), "yB 的形状"),
        (np.zeros(4), np.zeros(4), np.zeros((2, 5)), "yAB 的形状"),
        (np.zeros((4, 3)), np.zeros((4, 3)), np.zeros((2, 4)), "yAB 的形状"),
        (np.zeros(4), np.zeros(4), np.zeros((0, 4)), "yAB 的形状"),
    ],
)
def test_jansen_rejects_shapes_that_do_not_fit_the_design(
    yA: np.ndarray, yB: np.ndarray, yAB: np.ndarray, match: str
) -> None:
    with pytest.raises(ValueError, match=match):
        jansen(yA, yB, yAB)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"n_boot": -1}, "n_boot"),
        ({"n_boot": 10.0}, "n_boot"),
        ({"n_boot": 10, "confidence": 1.0}, "confidence"),
        ({"n_boot": 10, "confidence": 0.0}, "confidence"),
        ({"n_boot": 10, "confidence": float("nan")}, "confidence"),
        ({"n_boot": 10, "confidence": "95%"}, "confidence"),
    ],
)
def test_jansen_rejects_bad_options(options: dict[str, object], match: str) -> None:
    y = np.arange(8.0)
    with pytest.raises(ValueError, match=rf"jansen：{match}"):
        jansen(y, y, np.stack([y, y]), **options)  # type: ignore[arg-type]
