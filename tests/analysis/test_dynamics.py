"""Tests of kaoping.analysis.dynamics and its kernel kaoping.methods.density.

Reference values come from hand-worked examples (the arithmetic is in the comments), from
SciPy (``scipy.stats.gaussian_kde`` with the same bandwidth, ``scipy.stats.variation``, the t
distribution for the p-value), from pandas (``pandas.qcut`` for the quartile classes), from
Python's ``statistics.pstdev`` and from a closed-form OLS written here (``numpy.linalg.lstsq``
and the textbook standard error), independent of statsmodels.  The demo panel (102 Henan
counties, 2020-2024, synthetic) is assessed once for the module.
"""

from __future__ import annotations

import doctest
import itertools
import math
import statistics
import warnings
from functools import cache

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from kaoping.analysis import dynamics
from kaoping.analysis.dynamics import (
    beta_convergence,
    kernel_density,
    markov,
    sigma_convergence,
    tier_labels,
)
from kaoping.analysis.periods import assess_periods, score_frame
from kaoping.assess import Result
from kaoping.data import bundled
from kaoping.errors import InputError, KaopingWarning
from kaoping.methodology import load
from kaoping.methods import density
from kaoping.methods.density import gaussian_kde, silverman_bandwidth


@cache
def demo_results() -> dict[str, Result]:
    methodology = load("county_hqd")
    units = bundled.henan_units()
    panel = bundled.demo_panel(methodology.name_to_id(), units)
    return assess_periods(methodology, panel, units=units)


@cache
def demo_scores() -> pd.DataFrame:
    return score_frame(demo_results())


@pytest.mark.parametrize("module", [dynamics, density])
def test_docstring_examples_run(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)  # type: ignore[arg-type]
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# the kernel: Silverman's bandwidth and the Gaussian density
# --------------------------------------------------------------------------------------------


def test_silverman_bandwidth_hand_worked() -> None:
    # 1..5: s = sqrt(10/4) = 1.58114, IQR = 4 - 2 = 2 (linear quantiles), 2/1.34 = 1.49254 < s
    # h = 0.9 * 1.49254 * 5^(-0.2) = 0.9 * 1.49254 * 0.72478 = 0.97358
    assert_allclose(silverman_bandwidth([1, 2, 3, 4, 5]), 0.9 * (2 / 1.34) * 5**-0.2, rtol=1e-15)
    assert_allclose(silverman_bandwidth([1, 2, 3, 4, 5]), 0.97358, atol=5e-6)
    # 0, 0, 0, 0, 10: s = sqrt((4 * 4 + 64) / 4) = sqrt(20) = 4.47214 and IQR = 0 -> A = s
    # h = 0.9 * 4.47214 * 5^(-0.2) = 2.91713
    assert_allclose(silverman_bandwidth([0, 0, 0, 0, 10]), 0.9 * math.sqrt(20) * 5**-0.2)
    # s (sd, ddof=1) the smaller: 0, 1 -> s = 0.70711, IQR = 0.75 - 0.25 = 0.5, 0.5/1.34 = 0.37
    assert_allclose(silverman_bandwidth([0, 1]), 0.9 * (0.5 / 1.34) * 2**-0.2)
    assert silverman_bandwidth([3.0, 3.0, 3.0]) == 0.0
    with pytest.raises(ValueError, match="at least two values"):
        silverman_bandwidth([1.0])


def test_silverman_bandwidth_is_statsmodels_with_silvermans_1_34() -> None:
    from statsmodels.nonparametric.bandwidths import bw_silverman

    # heavy tails (Student t, 2 df): the IQR term is the smaller in both, and statsmodels
    # divides the IQR by 1.349 where Silverman (and METHODS.md) divide by 1.34
    x = np.random.default_rng(5).standard_t(2, 500)
    iqr = np.subtract(*np.percentile(x, [75, 25]))
    assert iqr / 1.34 < x.std(ddof=1)
    assert_allclose(silverman_bandwidth(x), bw_silverman(x) * 1.349 / 1.34, rtol=1e-13)


def test_gaussian_kde_equals_scipy_with_the_same_bandwidth() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(50, 8, 300)
    grid = np.linspace(10, 90, 401)
    h = silverman_bandwidth(x)
    # scipy's bw_method is a factor of the data's sd (ddof=1): kernel sd = factor * sd
    ref = stats.gaussian_kde(x, bw_method=h / np.std(x, ddof=1))(grid)
    assert_allclose(gaussian_kde(x, grid, h), ref, rtol=1e-10, atol=1e-300)


def test_gaussian_kde_in_blocks_equals_one_block(monkeypatch: pytest.MonkeyPatch) -> None:
    x = np.arange(10.0)
    grid = np.linspace(-3, 12, 37)
    whole = gaussian_kde(x, grid, 1.5)
    monkeypatch.setattr(density, "_BUDGET", 25)  # 2 grid points per block
    assert_allclose(gaussian_kde(x, grid, 1.5), whole, rtol=1e-15)


@pytest.mark.parametrize("h", [0.0, -1.0, math.nan, math.inf])
def test_gaussian_kde_refuses_a_bandwidth_that_is_not_positive(h: float) -> None:
    with pytest.raises(ValueError, match="bandwidth must be a positive finite number"):
        gaussian_kde([1.0, 2.0], [1.5], h)


# --------------------------------------------------------------------------------------------
# kernel_density
# --------------------------------------------------------------------------------------------


def test_demo_densities_are_scipys_and_integrate_to_one() -> None:
    scores = demo_scores()
    kde = kernel_density(scores)
    assert kde.rule == "silverman"
    assert kde.periods == ("2020", "2021", "2022", "2023", "2024")
    assert kde.density.shape == (256, 5)
    for period in scores.columns:
        y = scores[period].dropna().to_numpy()
        h = kde.bandwidth[period]
        iqr = np.subtract(*np.percentile(y, [75, 25]))
        assert_allclose(h, 0.9 * min(y.std(ddof=1), iqr / 1.34) * len(y) ** -0.2, rtol=1e-14)
        ref = stats.gaussian_kde(y, bw_method=h / y.std(ddof=1))(kde.grid)
        assert_allclose(kde.density[period], ref, rtol=1e-10, atol=1e-300)
        # the grid reaches 3 h beyond the pooled extremes: each kernel loses at most
        # Phi(-3) = 0.00135 of its mass outside it
        mass = np.trapezoid(kde.density[period].to_numpy(), kde.grid)
        assert abs(mass - 1.0) < 2e-3
        assert kde.n[period] == len(y) == 102


def test_the_default_grid_spans_the_pooled_range_and_3_widest_bandwidths() -> None:
    scores = demo_scores()
    kde = kernel_density(scores, points=101)
    reach = 3 * kde.bandwidth.max()
    assert kde.grid.size == 101
    assert_allclose(kde.grid[[0, -1]], [scores.min().min() - reach, scores.max().max() + reach])
    assert_allclose(np.diff(kde.grid), np.diff(kde.grid)[0])


def test_a_given_bandwidth_and_grid_are_used_as_given() -> None:
    # two units, one period each at 0 and 2, h = 1: f(1) = phi(1) = exp(-0.5)/sqrt(2 pi)
    scores = pd.DataFrame({"2020": [0.0, 2.0], "2021": [1.0, 1.0]}, index=["a", "b"])
    kde = kernel_density(scores, bandwidth=1.0, grid=[1.0, 3.0])
    assert kde.rule == "given"
    assert kde.bandwidth.tolist() == [1.0, 1.0]
    # f_2020(3) = (phi(3) + phi(1)) / 2; f_2021(1) = phi(0) and f_2021(3) = phi(2)
    phi = stats.norm.pdf
    assert_allclose(kde.density["2020"], [phi(1), (phi(3) + phi(1)) / 2], rtol=1e-14)
    assert_allclose(kde.density["2021"], [phi(0), phi(2)], rtol=1e-14)


def test_the_summary_finds_one_peak_or_two() -> None:
    rng = np.random.default_rng(3)
    one = rng.normal(50, 5, 200)
    two = np.concatenate([rng.normal(30, 3, 100), rng.normal(70, 3, 100)])
    kde = kernel_density(pd.DataFrame({"one": one, "two": two}), points=512)
    summary = kde.summary()
    assert summary["peaks"].tolist() == [1, 2]
    assert abs(summary.loc["one", "peak_at"] - 50) < 3
    top = kde.density["two"].idxmax()
    assert summary.loc["two", "peak_at"] == top
    assert summary.loc["two", "peak_height"] == kde.density["two"].max()


def test_missing_scores_are_left_out_of_their_period() -> None:
    scores = pd.DataFrame({"2020": [1.0, 2.0, np.nan], "2021": [1.0, 2.0, 3.0]})
    kde = kernel_density(scores, bandwidth=0.5, grid=[1.5])
    assert kde.n.tolist() == [2, 3]
    assert_allclose(kde.density["2020"], gaussian_kde([1.0, 2.0], [1.5], 0.5))


def test_kernel_density_refuses_bad_arguments_naming_them() -> None:
    scores = pd.DataFrame({"2020": [1.0, 2.0, 4.0]})
    with pytest.raises(ValueError, match=r"bandwidth must be 'silverman' or a positive.*'scott'"):
        kernel_density(scores, bandwidth="scott")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"bandwidth.*-1"):
        kernel_density(scores, bandwidth=-1.0)
    with pytest.raises(ValueError, match="grid must be one or more finite, strictly increasing"):
        kernel_density(scores, grid=[3.0, 1.0])
    with pytest.raises(ValueError, match="points must be a whole number >= 2, got 1"):
        kernel_density(scores, points=1)
    with pytest.raises(ValueError, match="scores must be a DataFrame"):
        kernel_density(scores["2020"])  # type: ignore[arg-type]


def test_kernel_density_names_the_period_that_cannot_have_a_density() -> None:
    scores = pd.DataFrame(
        {"2020": [1.0, np.nan, np.nan], "2021": [5.0, 5.0, 5.0], "2022": [1.0, 2.0, 3.0]},
        index=["410101", "410102", "410103"],
    )
    with pytest.raises(InputError) as caught:
        kernel_density(scores)
    assert caught.value.codes == ["dynamics.too_few_units", "dynamics.constant"]
    assert [p.where for p in caught.value.problems] == ["2020", "2021"]
    assert "bandwidth" in caught.value.problems[1].en
    # a given bandwidth makes the constant period fine
    assert kernel_density(scores[["2021", "2022"]], bandwidth=1.0).n.tolist() == [3, 3]


def test_a_score_that_is_not_a_number_is_named_by_unit_and_period() -> None:
    scores = pd.DataFrame({"2020": [1.0, "abc"], "2021": [np.inf, 2.0]}, index=["a", "b"])
    with pytest.raises(InputError) as caught:
        kernel_density(scores)
    assert caught.value.codes == ["dynamics.not_a_number"] * 2
    assert sorted(p.where for p in caught.value.problems) == ["a/2021", "b/2020"]
    assert "“abc”" in caught.value.problems[0].zh + caught.value.problems[1].zh


# --------------------------------------------------------------------------------------------
# markov
# --------------------------------------------------------------------------------------------

# Hand-worked quartile example.  The 12 pooled scores are 1..12; linear quantiles at positions
# 11 q: q25 = 3 + 0.75 = 3.75, q50 = 6.5, q75 = 9 + 0.25 = 9.25, so Q1 = {1,2,3},
# Q2 = {4,5,6}, Q3 = {7,8,9}, Q4 = {10,11,12}.
#   a: 1, 4, 7    Q1 -> Q2, Q2 -> Q3
#   b: 2, 3, 10   Q1 -> Q1, Q1 -> Q4
#   c: 12, 11, 5  Q4 -> Q4, Q4 -> Q2
#   d: 8, 9, 6    Q3 -> Q3, Q3 -> Q2
# From Q1: 3 pairs (to Q2, Q1, Q4); from Q2: 1 (to Q3); from Q3: 2 (Q3, Q2); from Q4: 2 (Q4, Q2).
# First period: Q1 a b, Q3 d, Q4 c; last: Q2 c d, Q3 a, Q4 b.
HAND = pd.DataFrame(
    {"1": [1.0, 2, 12, 8], "2": [4.0, 3, 11, 9], "3": [7.0, 10, 5, 6]}, index=list("abcd")
)


def test_markov_hand_worked_quartiles() -> None:
    m = markov(HAND)
    assert m.classes.loc["a"].tolist() == ["Q1", "Q2", "Q3"]
    assert_allclose(m.bounds["upper"], [3.75, 6.5, 9.25, 12.0])
    assert_allclose(m.bounds["lower"], [1.0, 3.75, 6.5, 9.25])
    assert_array_equal(m.transitions, [[1, 1, 0, 1], [0, 0, 1, 0], [0, 1, 1, 0], [0, 1, 0, 1]])
    assert m.counts.tolist() == [3, 1, 2, 2]
    expected = [[1 / 3, 1 / 3, 0, 1 / 3], [0, 0, 1, 0], [0, 0.5, 0.5, 0], [0, 0.5, 0, 0.5]]
    assert_allclose(m.matrix, expected, rtol=1e-15)
    assert_allclose(m.initial, [0.5, 0, 0.25, 0.25])
    assert_allclose(m.final, [0, 0.5, 0.25, 0.25])
    assert list(m.table().columns) == ["n", "Q1", "Q2", "Q3", "Q4"]
    assert m.notes == ()
    assert m.periods == ("1", "2", "3")


def test_a_score_equal_to_a_quartile_goes_to_the_lower_class() -> None:
    # 9 pooled scores 1..9 (one missing): quartiles at positions 2, 4, 6 are exactly 3, 5, 7
    scores = pd.DataFrame(
        {"1": [1.0, 2, 3, 4, 5], "2": [6.0, 7, 8, 9, np.nan]}, index=list("abcde")
    )
    with pytest.warns(KaopingWarning):  # Q3 and Q4 hold only second-period scores
        m = markov(scores)
    assert_allclose(m.bounds["upper"][:3], [3, 5, 7])
    assert m.classes["1"].tolist() == ["Q1", "Q1", "Q1", "Q2", "Q2"]
    assert m.classes["2"].iloc[:4].tolist() == ["Q3", "Q3", "Q4", "Q4"]
    assert pd.isna(m.classes.loc["e", "2"])
    assert m.counts.sum() == 4  # unit e has no second score


def test_demo_quartile_classes_are_pandas_qcut_and_the_counts_a_loop() -> None:
    scores = demo_scores()
    m = markov(scores)
    pooled = scores.stack()
    qcut = pd.qcut(pooled, 4, labels=["Q1", "Q2", "Q3", "Q4"]).astype(str)
    assert m.classes.stack().astype(str).equals(qcut)
    # n_ab by a plain loop over units and consecutive periods
    counts: dict[tuple[str, str], int] = {}
    periods = list(scores.columns)
    for unit in scores.index:
        for t0, t1 in itertools.pairwise(periods):
            pair = (m.classes.loc[unit, t0], m.classes.loc[unit, t1])
            counts[pair] = counts.get(pair, 0) + 1
    for a in m.matrix.index:
        for b in m.matrix.columns:
            assert m.transitions.loc[a, b] == counts.get((a, b), 0)
    assert m.counts.sum() == 102 * 4
    assert_allclose(m.matrix.sum(axis=1), 1.0, rtol=1e-15)


def test_tier_classes_follow_the_methodology_best_first() -> None:
    results = demo_results()
    labels = tier_labels(results)
    order = [t.name for t in results["2024"].methodology.tiers]
    assert list(labels["2024"].cat.categories) == order
    assert labels.loc["410122", "2022"] == results["2022"].table.loc["410122", "tier"]
    m = markov(score_frame(results), classes="tiers", labels=labels)
    assert list(m.matrix.index) == order
    # every unit is in a tier in each period of the demo: 102 x 4 pairs
    assert m.counts.sum() == 102 * 4
    first = results["2020"].table["tier"].value_counts(normalize=True)
    assert_allclose(m.initial, first.reindex(order).to_numpy())
    assert_allclose(m.matrix.sum(axis=1), 1.0, rtol=1e-15)


def test_given_labels_are_sorted_unless_an_order_is_given() -> None:
    labels = pd.DataFrame({"1": ["b", "a"], "2": ["a", "a"]}, index=["u", "v"])
    scores = pd.DataFrame({"1": [1.0, 2.0], "2": [1.0, 2.0]}, index=["u", "v"])
    assert list(markov(scores, classes="labels", labels=labels).matrix.index) == ["a", "b"]
    given = markov(scores, classes="labels", labels=labels, order=["b", "a"])
    assert list(given.matrix.index) == ["b", "a"]
    # from b: u -> a (1 pair); from a: v -> a (1 pair)
    assert_allclose(given.matrix, [[0.0, 1.0], [0.0, 1.0]])


def test_a_class_that_never_starts_a_transition_is_nan_and_said() -> None:
    # quartiles of 1..8 pooled are 2.75, 4.5, 6.25; a: 1 -> 4 (Q1 -> Q2), b: 3 -> 6 (Q2 -> Q3),
    # c: 5 -> 7 (Q3 -> Q4), d: 2 -> 8 (Q1 -> Q4): no pair starts in Q4
    scores = pd.DataFrame({"1": [1.0, 3, 5, 2], "2": [4.0, 6, 7, 8]}, index=list("abcd"))
    with pytest.warns(KaopingWarning, match="Q4"):
        m = markov(scores)
    assert m.matrix.loc["Q4"].isna().all()
    assert m.counts["Q4"] == 0
    assert [zh for zh, _ in m.notes] == [
        "类别 Q4 在各期之间没有作为起点的转移（n = 0），其转移概率无定义（该行留空）。"
    ]
    assert_allclose(m.matrix.loc[["Q1", "Q2", "Q3"]].sum(axis=1), 1.0)


def test_markov_refuses_bad_arguments_naming_them() -> None:
    with pytest.raises(ValueError, match=r"classes must be a whole number >= 2.*got 1"):
        markov(HAND, classes=1)
    with pytest.raises(ValueError, match=r"classes must be.*'quartiles'"):
        markov(HAND, classes="quartiles")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="classes='tiers' needs labels"):
        markov(HAND, classes="tiers")
    with pytest.raises(ValueError, match="labels/order are for given classes"):
        markov(HAND, labels=HAND)
    with pytest.raises(InputError) as one_period:
        markov(HAND[["1"]])
    assert one_period.value.codes == ["dynamics.too_few_periods"]
    labels = HAND.map(lambda v: "low" if v < 6 else "high")
    with pytest.raises(InputError) as missing:
        markov(HAND, classes="tiers", labels=labels[["1", "2"]])
    assert [p.where for p in missing.value.problems] == ["3"]
    with pytest.raises(InputError) as unknown:
        markov(HAND, classes="tiers", labels=labels, order=["low"])
    assert unknown.value.codes[0] == "dynamics.unknown_class"
    assert '"high"' in unknown.value.problems[0].en
    # row by row, the scores >= 6: a's 7, b's 10, c's 12 and 11, d's 8, 9 and 6
    wheres = [p.where for p in unknown.value.problems]
    assert wheres == ["a/3", "b/3", "c/1", "c/2", "d/1", "d/2", "d/3"]


# --------------------------------------------------------------------------------------------
# σ convergence
# --------------------------------------------------------------------------------------------


def test_sigma_hand_worked() -> None:
    # ln y = 0, 1, 2 in 2020 (mean 1): population sd = sqrt((1 + 0 + 1) / 3) = sqrt(2/3);
    # sample sd = sqrt(2/2) = 1.  2021: y = 2, 4, 6: mean 4, population sd sqrt(8/3), CV
    # sqrt(8/3)/4 = 0.408248
    scores = pd.DataFrame(
        {"2020": [1.0, math.e, math.e**2], "2021": [2.0, 4.0, 6.0]}, index=list("abc")
    )
    sd_log = sigma_convergence(scores)
    assert_allclose(sd_log.sigma["2020"], math.sqrt(2 / 3), rtol=1e-15)
    assert sd_log.ddof == 0
    assert sd_log.measure == "sd_log"
    assert_allclose(sigma_convergence(scores, ddof=1).sigma["2020"], 1.0, rtol=1e-15)
    cv = sigma_convergence(scores, measure="cv")
    assert_allclose(cv.sigma["2021"], math.sqrt(8 / 3) / 4, rtol=1e-15)
    assert cv.frame.loc["2021", "mean"] == 4.0
    assert cv.frame["n"].tolist() == [3, 3]


def test_demo_sigma_is_statistics_pstdev_and_scipy_variation() -> None:
    scores = demo_scores()
    sd_log = sigma_convergence(scores)
    cv = sigma_convergence(scores, measure="cv")
    for period in scores.columns:
        y = scores[period].dropna().tolist()
        assert_allclose(sd_log.sigma[period], statistics.pstdev(math.log(v) for v in y), 1e-13)
        assert_allclose(cv.sigma[period], stats.variation(y), rtol=1e-13)
    values = sd_log.sigma
    assert sd_log.converging is bool(values.iloc[-1] < values.iloc[0])


def test_sigma_of_logs_needs_positive_scores_and_names_them() -> None:
    scores = pd.DataFrame({"2020": [1.0, 0.0], "2021": [-2.0, 3.0]}, index=["410101", "410102"])
    with pytest.raises(InputError) as caught:
        sigma_convergence(scores)
    assert caught.value.codes == ["dynamics.not_positive"] * 2
    assert sorted(p.where for p in caught.value.problems) == ["410101/2021", "410102/2020"]
    assert "单位 410101 在 2021 的得分为 -2" in caught.value.problems[0].zh
    # the CV needs only a positive mean
    assert_allclose(sigma_convergence(scores, measure="cv").sigma["2021"], 2.5 / 0.5)


def test_sigma_refuses_bad_arguments_naming_them() -> None:
    scores = pd.DataFrame({"2020": [1.0, 2.0]})
    with pytest.raises(ValueError, match="measure must be 'sd_log' or 'cv', got 'sd'"):
        sigma_convergence(scores, measure="sd")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"ddof must be 0 .* got 2"):
        sigma_convergence(scores, ddof=2)
    with pytest.raises(InputError) as caught:
        sigma_convergence(pd.DataFrame({"2020": [1.0, np.nan]}), ddof=1)
    assert caught.value.codes == ["dynamics.too_few_units"]
    with pytest.raises(InputError) as negative_mean:
        sigma_convergence(pd.DataFrame({"2020": [1.0, -3.0]}), measure="cv")
    assert negative_mean.value.codes == ["dynamics.mean_not_positive"]


# --------------------------------------------------------------------------------------------
# β convergence
# --------------------------------------------------------------------------------------------


def closed_form_ols(x: np.ndarray, g: np.ndarray) -> dict[str, float]:
    """OLS of g on (1, x) by least squares, with the textbook standard errors."""
    n = len(x)
    X = np.column_stack([np.ones(n), x])
    (alpha, beta), *_ = np.linalg.lstsq(X, g, rcond=None)
    e = g - alpha - beta * x
    s2 = e @ e / (n - 2)
    sxx = ((x - x.mean()) ** 2).sum()
    se = math.sqrt(s2 / sxx)
    alpha_se = math.sqrt(s2 * (1 / n + x.mean() ** 2 / sxx))
    t = beta / se
    return {
        "alpha": alpha,
        "beta": beta,
        "se": se,
        "alpha_se": alpha_se,
        "t": t,
        "p": 2 * stats.t.sf(abs(t), n - 2),
        "r2": 1 - (e @ e) / ((g - g.mean()) ** 2).sum(),
    }


def test_demo_beta_equals_the_closed_form_ols() -> None:
    scores = demo_scores()
    fit = beta_convergence(scores)
    assert (fit.start, fit.end, fit.span, fit.n) == ("2020", "2024", 4.0, 102)
    x = np.log(scores["2020"].to_numpy())
    g = np.log(scores["2024"].to_numpy() / scores["2020"].to_numpy()) / 4
    ref = closed_form_ols(x, g)
    for key, value in ref.items():
        assert_allclose(getattr(fit, key), value, rtol=1e-9, err_msg=key)
    speed = -math.log(1 + 4 * ref["beta"]) / 4
    assert_allclose(fit.speed, speed, rtol=1e-12)
    if speed > 0:
        assert_allclose(fit.half_life, math.log(2) / speed, rtol=1e-12)
    assert_allclose(fit.data["growth"].to_numpy(), g, rtol=1e-15)
    summary = fit.summary()
    assert summary["beta"] == fit.beta
    assert summary["n"] == 102


def test_beta_between_chosen_periods_and_by_position_when_not_years() -> None:
    scores = demo_scores()
    fit = beta_convergence(scores, start="2021", end="2023")
    assert fit.span == 2.0
    x = np.log(scores["2021"].to_numpy())
    g = np.log(scores["2023"].to_numpy() / scores["2021"].to_numpy()) / 2
    assert_allclose(fit.beta, closed_form_ols(x, g)["beta"], rtol=1e-9)
    # periods that are not whole numbers: T counts the columns between them
    named = scores.rename(columns=lambda p: f"Y{p}")
    assert beta_convergence(named, start="Y2021", end="Y2024").span == 3.0


def test_beta_speed_and_half_life_hand_worked() -> None:
    # y_end = y_start^0.5 over T = 10: growth = -0.05 ln y_start exactly, so beta = -0.05,
    # speed = -ln(1 - 0.5)/10 = ln 2 / 10 = 0.0693147, half-life = ln 2 / speed = 10 years
    y0 = np.array([1.0, 2.0, 5.0, 9.0, 20.0])
    scores = pd.DataFrame({"2010": y0, "2020": np.sqrt(y0)}, index=list("abcde"))
    fit = beta_convergence(scores)
    assert_allclose([fit.beta, fit.alpha], [-0.05, 0.0], atol=1e-15)
    assert_allclose(fit.speed, math.log(2) / 10, rtol=1e-12)
    assert_allclose(fit.half_life, 10.0, rtol=1e-12)
    assert fit.converging
    # diverging: y_end = y_start^1.5 gives beta = +0.05, speed -ln(1.5)/10 < 0, no half-life
    up = beta_convergence(pd.DataFrame({"2010": y0, "2020": y0**1.5}))
    assert_allclose(up.beta, 0.05, rtol=1e-12)
    assert_allclose(up.speed, -math.log(1.5) / 10, rtol=1e-12)
    assert math.isnan(up.half_life)
    assert not up.converging


def test_beta_where_one_plus_t_beta_is_not_positive_has_no_speed() -> None:
    # y_end = y_start^-0.5 over T = 2: beta = -1.5 / 2 = -0.75, 1 + T beta = -0.5
    y0 = np.array([1.0, 2.0, 4.0, 8.0])
    fit = beta_convergence(pd.DataFrame({"2020": y0, "2022": y0**-0.5}))
    assert_allclose(fit.beta, -0.75, rtol=1e-12)
    assert math.isnan(fit.speed)
    assert math.isnan(fit.half_life)
    assert "1 + Tβ" in fit.notes[0][0]


def test_units_missing_in_either_period_are_left_out_and_said() -> None:
    scores = pd.DataFrame(
        {"2020": [1.0, 2.0, 4.0, 8.0, np.nan], "2021": [1.5, 2.5, np.nan, 9.0, 3.0]},
        index=list("abcde"),
    )
    fit = beta_convergence(scores)
    assert fit.n == 3
    assert list(fit.data.index) == ["a", "b", "d"]
    assert fit.notes[0][1] == "2 unit(s) without a score in 2020 or 2021 are left out."


def test_beta_refuses_what_it_cannot_fit_naming_unit_and_period() -> None:
    scores = pd.DataFrame(
        {"2020": [1.0, 0.0, 3.0, 4.0], "2024": [2.0, 3.0, 4.0, 5.0]}, index=list("abcd")
    )
    with pytest.raises(InputError) as zero:
        beta_convergence(scores)
    assert zero.value.codes == ["dynamics.not_positive"]
    assert zero.value.problems[0].where == "b/2020"
    with pytest.raises(InputError) as unknown:
        beta_convergence(scores, start="2019", end="2030")
    assert [p.where for p in unknown.value.problems] == ["2019", "2030"]
    assert "2020, 2024" in unknown.value.problems[0].en
    with pytest.raises(InputError) as backwards:
        beta_convergence(scores, start="2024", end="2020")
    assert backwards.value.codes == ["dynamics.end_not_after_start"]
    with pytest.raises(InputError) as few:
        beta_convergence(scores.loc[["a", "c"]])
    assert few.value.codes == ["dynamics.too_few_units"]
    with pytest.raises(InputError) as flat:
        beta_convergence(pd.DataFrame({"1": [2.0, 2, 2], "2": [1.0, 2, 3]}))
    assert flat.value.codes == ["dynamics.constant_start"]


def test_messages_are_in_both_languages() -> None:
    with pytest.raises(InputError) as caught:
        sigma_convergence(pd.DataFrame({"2020": [0.0, 1.0]}, index=["410101", "410102"]))
    problem = caught.value.problems[0]
    assert "取对数" in problem.zh
    assert "logarithm" in problem.en
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert problem.message("en").startswith("410101/2020: unit 410101")


# --------------------------------------------------------------------------------------------
# fix round: T in years whatever the periods, messages without function names, merged notes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        ("2024-Q1", "2025-Q1", 1.0),  # four quarters
        ("2024-Q2", "2024-Q4", 0.5),  # two quarters
        ("2024-H1", "2025-H2", 1.5),  # three halves
        ("2024-01", "2024-07", 0.5),  # six months
        ("2024年第1季度", "2025年第1季度", 1.0),  # the Chinese form of a quarter
        ("2020", "2023", 3.0),
    ],
)
def test_beta_measures_t_in_years_whatever_the_periods(start: str, end: str, years: float) -> None:
    # y_end = y_start^0.5: ln(y_end/y_start) = -0.5 ln y_start, so beta = -0.5 / T exactly, and
    # speed = -ln(1 - 0.5)/T = ln 2 / T a year, half-life T years (the span of the data)
    y0 = np.array([1.0, 2.0, 5.0, 9.0])
    fit = beta_convergence(pd.DataFrame({start: y0, end: np.sqrt(y0)}, index=list("abcd")))
    assert (fit.span, fit.span_unit) == (years, "years")
    assert_allclose(fit.beta, -0.5 / years, rtol=1e-12)
    assert_allclose(fit.speed, math.log(2) / years, rtol=1e-12)
    assert_allclose(fit.half_life, years, rtol=1e-12)
    assert fit.notes == ()
    assert fit.summary()["span_unit"] == "years"


def test_beta_over_skipped_years_counts_the_years_not_the_columns() -> None:
    # 2020, 2022, 2023: 2020 -> 2023 is 3 years though the columns are 2 apart
    y0 = np.array([1.0, 2.0, 5.0, 9.0])
    scores = pd.DataFrame({"2020": y0, "2022": y0, "2023": np.sqrt(y0)}, index=list("abcd"))
    assert beta_convergence(scores).span == 3.0


def test_beta_over_labels_that_are_not_years_is_per_period_and_says_so() -> None:
    y0 = np.array([1.0, 2.0, 5.0, 9.0])
    named = pd.DataFrame({"早": y0, "中": y0, "晚": np.sqrt(y0)}, index=list("abcd"))
    fit = beta_convergence(named)
    assert (fit.span, fit.span_unit) == (2.0, "periods")
    assert "“期”为单位" in fit.notes[0][0]
    assert "per period" in fit.notes[0][1]
    # a year and a quarter are not of one kind: counted by position too
    mixed = pd.DataFrame({"2024": y0, "2025-Q1": np.sqrt(y0)}, index=list("abcd"))
    assert (beta_convergence(mixed).span, beta_convergence(mixed).span_unit) == (1.0, "periods")


def test_too_few_periods_says_how_many_without_naming_a_function() -> None:
    with pytest.raises(InputError) as caught:
        beta_convergence(pd.DataFrame({"2024": [1.0, 2.0, 3.0]}))
    (problem,) = caught.value.problems
    assert problem.code == "dynamics.too_few_periods"
    assert problem.where is None
    assert problem.zh == "至少需要 2 个时期的得分，只有 1 个（2024）；请给出 2 个或更多时期的得分。"
    for lang in ("zh", "en"):
        assert "beta_convergence" not in problem.message(lang)
        assert not problem.message(lang).startswith("scores")
    with pytest.raises(InputError) as per_period:
        kernel_density(pd.DataFrame({"2020": [1.0], "2021": [1.0]}, index=["a"]))
    assert per_period.value.problems[0].zh.startswith("时期 2020：只有 1 个单位")


def test_classes_that_never_start_a_transition_share_one_note_without_nan() -> None:
    # pooled 1..8: quartile cuts 2.75, 4.5, 6.25; the first period holds 1, 2 (Q1) and 3, 4
    # (Q2) only, so neither Q3 nor Q4 starts a transition
    scores = pd.DataFrame({"1": [1.0, 2, 3, 4], "2": [5.0, 6, 7, 8]}, index=list("abcd"))
    with pytest.warns(KaopingWarning, match="Q3、Q4"):
        m = markov(scores)
    assert m.counts[["Q3", "Q4"]].tolist() == [0, 0]
    (note,) = m.notes
    assert (
        note[0]
        == "类别 Q3、Q4 在各期之间没有作为起点的转移（n = 0），其转移概率无定义（该行留空）。"
    )
    assert note[1].startswith("class Q3, Q4 are never the start")
    assert "NaN" not in note[0] + note[1]


def test_a_score_of_zero_is_refused_without_advising_the_index() -> None:
    with pytest.raises(InputError) as caught:
        beta_convergence(pd.DataFrame({"2020": [0.0, 1, 2], "2021": [1.0, 2, 3]}))
    assert "综合得分" not in caught.value.problems[0].zh
    assert "大于 0 的得分" in caught.value.problems[0].zh
