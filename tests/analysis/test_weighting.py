"""Weights from the data, Benefit of the Doubt and the Mazziotta-Pareto indices of an assessment
(kaoping.analysis.weighting): the labelled results against the kernels on the same arrays (the
kernels have their own reference tests in tests/methods), hand-worked frames, and the bundled
demo's facts computed here directly from its values (which indicators have negative raw values,
which dimension holds which indicator)."""

from __future__ import annotations

import doctest
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from kaoping.analysis import weighting as module
from kaoping.analysis.weighting import (
    bod_scores,
    data_weights,
    mpi_scores,
    pairwise_matrix,
    pairwise_weights,
)
from kaoping.assess import Result, assess
from kaoping.data.bundled import demo_panel, henan_units
from kaoping.errors import InputError, KaopingWarning, set_language
from kaoping.methodology import load
from kaoping.methods import aggregate as A
from kaoping.methods import weights as W

nan = np.nan

# the pca docstring's six units x four indicators (two eigenvalues above 1)
SIX = pd.DataFrame(
    [[1, 2, 3, 1], [2, 3, 1, 2], [3, 3, 2, 4], [4, 5, 5, 3], [5, 4, 4, 5], [6, 6, 2, 2]],
    columns=["a", "b", "c", "d"],
    index=[f"u{i}" for i in range(6)],
    dtype=float,
)


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh")


@pytest.fixture(scope="module")
def demo() -> Result:
    methodology = load("county_hqd")
    units = henan_units()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return assess(methodology, demo_panel(methodology.name_to_id(), units), 2024, units=units)


def quiet_call[T](fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return fn(*args, **kwargs)


def test_docstring_examples() -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# data_weights
# --------------------------------------------------------------------------------------------


def test_pca_on_a_frame_labels_the_kernel() -> None:
    dw = data_weights(SIX, "pca")
    ref = W.pca(SIX.to_numpy())
    assert dw.method == "pca"
    assert dw.by == "all"
    assert list(dw.table.index) == ["a", "b", "c", "d"]
    assert_allclose(dw.weights.to_numpy(), ref.weights, rtol=1e-14)
    assert_allclose(dw.table["coefficient"].to_numpy(), ref.coefficients, rtol=1e-14)
    assert_allclose(dw.table[["loading_1", "loading_2"]].to_numpy(), ref.loadings, rtol=1e-14)
    assert_allclose(dw.components["eigenvalue"].to_numpy(), ref.eigenvalues, rtol=1e-14)
    assert dw.components["retained"].tolist() == [True, True, False, False]
    assert dw.table["current_weight"].isna().all()
    assert dw.facts["units_used"] == 6
    # directions of a frame: a negative indicator is multiplied by -1 first
    flipped = data_weights(SIX, "pca", directions={"c": "negative"}, retain=0.99)
    assert_allclose(
        flipped.weights.to_numpy(),
        W.pca(SIX.to_numpy(), [1, 1, -1, 1], retain=0.99).weights,
        rtol=1e-14,
    )


def test_pca_of_the_demo_reads_the_normalised_values(demo: Result) -> None:
    with pytest.warns(KaopingWarning, match="系数为负"):
        dw = data_weights(demo, "pca")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        ref = W.pca(demo.normalized.to_numpy(dtype=float))
    assert_allclose(dw.weights.to_numpy(), ref.weights, rtol=1e-12)
    assert dw.period == "2024"
    negative = [demo.normalized.columns[j] for j in ref.negative]
    assert list(dw.table.index[dw.table["negative"].astype(bool)]) == negative
    assert any(all(i in zh for i in negative) for zh, _ in dw.notes)
    assert_allclose(dw.table["current_weight"], demo.weights["effective_weight"], rtol=1e-14)
    assert dw.table["effective_weight"].sum() == pytest.approx(1.0)


def test_coinr_pca_works_within_each_dimension(demo: Result) -> None:
    dw = quiet_call(data_weights, demo, "pca-coinr")
    assert dw.by == "dimension"
    dims = demo.weights["dimension"]
    for dim, members in dims.groupby(dims).groups.items():
        ids = [str(i) for i in members]
        block = demo.normalized[ids].to_numpy(dtype=float)
        ref = quiet_call(W.pca, block, convention="coinr")
        assert_allclose(dw.table.loc[ids, "weight"].to_numpy(), ref.weights, rtol=1e-12)
        # effective weights keep the methodology's weight of the dimension
        share = demo.weights.loc[ids, "effective_weight"].sum()
        assert dw.table.loc[ids, "effective_weight"].sum() == pytest.approx(share, rel=1e-12)
        assert set(dw.components.loc[dw.components["group"] == dim, "component"]) == set(
            range(1, len(ids) + 1)
        )
    assert dw.table["effective_weight"].sum() == pytest.approx(1.0)
    # one PCA over everything when asked
    whole = quiet_call(data_weights, demo, "pca_coinr", by="all")
    ref = quiet_call(W.pca, demo.normalized.to_numpy(dtype=float), convention="coinr")
    assert_allclose(whole.weights.to_numpy(), ref.weights, rtol=1e-12)


def test_pca_leaves_out_units_with_a_missing_value() -> None:
    frame = pd.concat([SIX, pd.DataFrame({"a": [7.0], "b": [nan], "c": [1.0], "d": [2.0]},
                                         index=["gap"])])  # fmt: skip
    with pytest.warns(KaopingWarning, match="gap"):
        dw = data_weights(frame, "pca")
    assert dw.facts["units_used"] == 6
    assert_allclose(dw.weights.to_numpy(), W.pca(SIX.to_numpy()).weights, rtol=1e-14)
    with pytest.raises(InputError, match="至少需要 3 个"):
        data_weights(SIX.iloc[:2], "pca")


def test_entropy_on_shares_names_every_indicator_with_negative_values(demo: Result) -> None:
    negative = sorted(str(c) for c in demo.raw.columns if (demo.raw[c] < 0).any())
    assert negative  # the demo's growth rates can fall
    with pytest.raises(InputError) as info:
        data_weights(demo, "entropy-shares")
    assert info.value.codes == ["analysis.negative_share"] * len(negative)
    assert all(any(i in p.zh and "2024" in p.zh for p in info.value.problems) for i in negative)
    assert "negative value" in info.value.message("en")


def test_entropy_on_shares_of_chosen_indicators(demo: Result) -> None:
    ids = ["gdp", "rd_intensity", "trade", "fdi", "physicians"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dw = data_weights(demo, "entropy_shares", indicators=ids)
    ref = W.entropy(demo.raw[ids].to_numpy(dtype=float), np.ones(5), variant="shares")
    assert list(dw.table.index) == ids  # the methodology's order
    assert_allclose(dw.weights.to_numpy(), ref, rtol=1e-14)
    assert (dw.table["n"] == len(demo.raw)).all()
    by_dim = data_weights(demo, "entropy_shares", indicators=ids, by="dimension")
    sums = by_dim.table.groupby("dimension")["weight"].sum()
    assert_allclose(sums.to_numpy(), 1.0, rtol=1e-12)
    # within openness (trade, fdi) the weights are the kernel's on those two alone
    pair = W.entropy(demo.raw[["trade", "fdi"]].to_numpy(dtype=float), [1, 1], variant="shares")
    assert_allclose(by_dim.table.loc[["trade", "fdi"], "weight"].to_numpy(), pair, rtol=1e-12)


def test_data_weights_refuse_what_they_cannot_do(demo: Result) -> None:
    with pytest.raises(InputError, match="未知的赋权方法 'critic'"):
        data_weights(SIX, "critic")
    with pytest.raises(InputError, match="没有指标 gdpp。是否想用 gdp"):
        data_weights(demo, "pca", indicators=["gdpp"])
    with pytest.raises(InputError, match="groups"):
        data_weights(SIX, "pca", by="dimension")
    with pytest.raises(InputError, match="by 须为 all"):
        data_weights(SIX, "pca", by="level")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="不必再给 directions"):
        data_weights(demo, "pca", directions={"gdp": 1})
    with pytest.raises(InputError, match="方向 'up' 无法识别"):
        data_weights(SIX, "pca", directions={"a": "up"})
    with pytest.raises(InputError, match="各单位均为 0"):
        data_weights(SIX.assign(a=0.0), "entropy_shares")


# --------------------------------------------------------------------------------------------
# AHP from a pairwise matrix
# --------------------------------------------------------------------------------------------


def test_pairwise_matrix_reads_fractions_and_names_bad_cells() -> None:
    raw = pd.DataFrame(
        {"": ["econ", "green"], "econ": ["1", "1/3"], "green": ["３", 1]}  # full-width 3
    )
    A_ = pairwise_matrix(raw)
    assert list(A_.index) == list(A_.columns) == ["econ", "green"]
    assert_allclose(A_.to_numpy(), np.array([[1, 3], [1 / 3, 1]]), rtol=1e-15)
    bad = pd.DataFrame({"": ["x", "y"], "x": ["1", "abc"], "y": ["-2", "1"]})
    with pytest.raises(InputError) as info:
        pairwise_matrix(bad)
    assert [p.where for p in info.value.problems] == ["matrix[x, y]", "matrix[y, x]"]
    with pytest.raises(InputError, match="行标签"):
        pairwise_matrix(pd.DataFrame({"": ["x", "z"], "x": [1, 1], "y": [1, 1]}))


def test_pairwise_weights_hand_worked_and_named(demo: Result) -> None:
    # the 3 x 3 example of tests/methods/test_weights_variants.py: 5113/8073, 701/2691, 857/8073
    labels = ["economy", "innovation", "green"]
    M = pd.DataFrame(
        [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]], index=labels, columns=labels, dtype=float
    )
    res = pairwise_weights(M, methodology=demo.methodology)
    assert res.method == "ahp_approximate"
    assert_allclose(res.weights.to_numpy(), [5113 / 8073, 701 / 2691, 857 / 8073], rtol=1e-14)
    assert res.table["name"].tolist() == ["经济实力", "创新发展", "绿色发展"]
    assert res.facts["consistent"] is True
    assert res.facts["ri"] == 0.58
    eig = pairwise_weights(M, method="eigenvector")
    assert_allclose(eig.weights.to_numpy(), W.ahp(M.to_numpy()).weights, rtol=1e-14)
    # indicator names are matched too
    named = pairwise_weights(
        pd.DataFrame([[1, 2], [0.5, 1]], index=["地区生产总值", "pm25"],
                     columns=["地区生产总值", "pm25"], dtype=float),
        methodology=demo.methodology,
    )  # fmt: skip
    assert list(named.table.index) == ["gdp", "pm25"]
    assert named.table["dimension"].tolist() == ["economy", "green"]


def test_pairwise_weights_report_inconsistency_and_bad_cells() -> None:
    cyclic = pd.DataFrame([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]], index=list("abc"),
                          columns=list("abc"))  # fmt: skip
    with pytest.warns(KaopingWarning, match="一致性比率"):
        res = pairwise_weights(cyclic)
    assert res.facts["consistent"] is False
    broken = pd.DataFrame([[1, 2], [0.4, 1]], index=["p", "q"], columns=["p", "q"])
    with pytest.raises(InputError, match="第 p 行、第 q 列为 2") as info:
        pairwise_weights(broken)
    assert info.value.problems[0].where == "matrix[p, q]"


# --------------------------------------------------------------------------------------------
# Benefit of the Doubt
# --------------------------------------------------------------------------------------------

HAND = pd.DataFrame({"x": [1.0, 0.4, 0.5, 0.3], "y": [0.2, 1.0, 0.5, 0.15]}, index=list("ABCD"))


def test_bod_of_a_frame_as_solved_by_hand() -> None:
    # tests/methods/test_bod.py: A 1, B 1, C 35/46 (shares 4/7, 3/7), D 33/92
    res = bod_scores(HAND)
    assert_allclose(res.table["bod_score"].to_numpy(), [1, 1, 35 / 46, 33 / 92], rtol=1e-9)
    assert res.table["bod_rank"].tolist() == [1, 1, 3, 4]
    assert res.table["efficient"].tolist() == [True, True, False, False]
    assert_allclose(res.shares.loc["C"].to_numpy(), [4 / 7, 3 / 7], rtol=1e-9)
    assert "score" not in res.table.columns  # no index to compare with
    frame = res.frame()
    assert list(frame.columns[-2:]) == ["share_x", "share_y"]
    bounded = bod_scores(HAND, lower={"y": 0.4})
    assert (bounded.shares["y"] >= 0.4 - 1e-9).all()
    assert_array_equal(bounded.lower.to_numpy(), [0.0, 0.4])


def test_bod_of_the_demo(demo: Result) -> None:
    with pytest.warns(KaopingWarning, match="BoD 得分为 1"):  # 38 indicators: nearly all 1
        res = bod_scores(demo)
    ref = A.bod(demo.normalized.to_numpy(dtype=float))
    assert_allclose(res.table["bod_score"].to_numpy(), ref.scores, rtol=1e-12)
    assert_allclose(res.table["score"], demo.table["score"])
    assert_allclose(res.shares.sum(axis=1), 1.0, rtol=1e-9)
    assert list(res.dimension_shares.columns) == [d.id for d in demo.methodology.dimensions]
    assert_allclose(res.dimension_shares.sum(axis=1), 1.0, rtol=1e-9)
    ids = ["gdp", "rd_intensity", "pm25", "trade"]
    # min-max puts each indicator's worst unit at 0: under a lower bound it scores 0
    worst = sorted({str(demo.normalized[i].idxmin()) for i in ids})
    with pytest.warns(KaopingWarning, match="BoD 得分被迫为 0") as rec:
        few = bod_scores(demo, lower=0.1, upper=0.5, indicators=ids)
    assert all(u in str(rec[0].message) for u in worst)
    assert list(few.shares.columns) == ids
    assert_allclose(few.table.loc[worst, "bod_score"].to_numpy(), 0.0, atol=1e-12)
    ok = few.shares.dropna()
    assert (ok.to_numpy() >= 0.1 - 1e-7).all()
    assert (ok.to_numpy() <= 0.5 + 1e-7).all()


def test_bod_refuses_negative_values_and_bad_bounds() -> None:
    with pytest.raises(InputError, match="非负的标准化值"):
        bod_scores(HAND - 0.5)
    with pytest.raises(
        InputError, match=r"指标 y 的份额下限高于上限（如 y：下限 0\.6，上限 0\.5）"
    ):
        bod_scores(HAND, lower={"y": 0.6}, upper=0.5)
    with pytest.raises(InputError, match="没有指标 z"):
        bod_scores(HAND, lower={"z": 0.1})


# --------------------------------------------------------------------------------------------
# Mazziotta-Pareto
# --------------------------------------------------------------------------------------------

X4 = pd.DataFrame({"x": [1.0, 1, 3, 3], "y": [2.0, 6, 2, 6]}, index=list("ABCD"))


def test_mpi_and_ampi_of_a_frame_as_worked_by_hand() -> None:
    # tests/methods/test_mpi.py: MPI 90, 99, 99, 110; with y negative 99, 90, 110, 99;
    # AMPI 70, 91, 91, 130; goalposts [0, 4] and [0, 8]: 85, 97.75, 97.75, 115
    res = mpi_scores(X4)
    assert_allclose(res.table["mpi"].to_numpy(), [90, 99, 99, 110], rtol=1e-14)
    assert res.table["mpi_rank"].tolist() == [4, 2, 2, 1]
    assert_allclose(res.values.to_numpy(), [[90, 90], [90, 110], [110, 90], [110, 110]])
    neg = mpi_scores(X4, directions={"y": -1})
    assert_allclose(neg.table["mpi"].to_numpy(), [99, 90, 110, 99], rtol=1e-14)
    adj = mpi_scores(X4, adjusted=True)
    assert_allclose(adj.table["ampi"].to_numpy(), [70, 91, 91, 130], rtol=1e-14)
    assert_allclose(adj.goalposts.to_numpy(), [[1, 3], [2, 6]])
    given = mpi_scores(X4, adjusted=True, goalposts={"x": (0, 4), "y": (0, 8)})
    assert_allclose(given.table["ampi"].to_numpy(), [85, 97.75, 97.75, 115], rtol=1e-14)


def test_mpi_of_the_demo(demo: Result) -> None:
    res = mpi_scores(demo)
    assert res.values_used == "normalized"
    ref = A.mpi(demo.normalized.to_numpy(dtype=float), np.ones(demo.normalized.shape[1]))
    assert_allclose(res.table["mpi"].to_numpy(), ref.scores, rtol=1e-12)
    assert_allclose(res.table["score"], demo.table["score"])
    # raw values with their directions; the moderate investment rate as -|x - 45|
    raw = mpi_scores(demo, values="raw")
    X = demo.raw.to_numpy(dtype=float).copy()
    d = demo.weights["direction"].map({"positive": 1.0, "negative": -1.0, "moderate": 0.0})
    j = list(demo.raw.columns).index("investment_rate")
    assert d.iloc[j] == 0.0
    X[:, j] = -np.abs(X[:, j] - 45.0)
    d.iloc[j] = 1.0
    assert_allclose(raw.table["mpi"].to_numpy(), A.mpi(X, d.to_numpy()).scores, rtol=1e-12)
    adj = mpi_scores(demo, adjusted=True)
    ref_a = A.ampi(demo.normalized.to_numpy(dtype=float), np.ones(demo.normalized.shape[1]))
    assert_allclose(adj.table["ampi"].to_numpy(), ref_a.scores, rtol=1e-12)


def test_mpi_goalposts_need_every_indicator_and_no_moderate_one(demo: Result) -> None:
    with pytest.raises(InputError, match="只用于调整后的 MPI"):
        mpi_scores(X4, goalposts={"x": (0, 4), "y": (0, 8)})
    with pytest.raises(InputError, match="缺少：y"):
        mpi_scores(X4, adjusted=True, goalposts={"x": (0, 4)})
    with pytest.raises(InputError, match="上目标值须大于下目标值"):
        mpi_scores(X4, adjusted=True, goalposts={"x": (4, 4), "y": (0, 8)})
    with pytest.raises(InputError, match="适度指标 investment_rate"):
        mpi_scores(demo, adjusted=True, reference={i: 1.0 for i in demo.raw.columns})
    with pytest.raises(InputError, match="至少需要 2 个指标"):
        mpi_scores(X4, indicators=["x"])


def test_mpi_missing_values_are_noted() -> None:
    frame = pd.concat([X4, pd.DataFrame({"x": [nan], "y": [4.0]}, index=["E"])])
    with pytest.warns(KaopingWarning, match="单位 E 有缺失值"):
        res = mpi_scores(frame)
    assert np.isnan(res.table["mpi"]["E"])
    assert res.table["mpi_rank"].isna()["E"]


# --------------------------------------------------------------------------------------------
# fix round: messages in words, the shift honoured (probe report A3, B8, B17)
# --------------------------------------------------------------------------------------------


def test_entropy_shares_honour_the_shift_and_say_how_much_is_needed() -> None:
    frame = pd.DataFrame({"g": [-2.0, 1.0, 4.0], "h": [1.0, 2.0, 6.0]}, index=list("ABC"))
    with pytest.raises(InputError) as info:
        data_weights(frame, "entropy_shares")
    # the smallest value is -2: a shift of at least 2 makes every value >= 0
    assert "--shift 给每个值加上至少 2" in info.value.problems[0].zh
    with pytest.raises(InputError, match="加上平移常数后仍为负") as info:
        data_weights(frame, "entropy_shares", shift=1.0)
    assert "add at least 2 to every value" in info.value.problems[0].en
    with pytest.warns(KaopingWarning, match="平移常数 2"):
        res = data_weights(frame, "entropy_shares", shift=2.0)
    # independent: entropy on the hand-shifted frame (g + 2 = 0, 3, 6; h + 2 = 3, 4, 8)
    assert_allclose(res.weights.to_numpy(), W.entropy(frame.to_numpy() + 2, [1, 1],
                    variant="shares"), rtol=1e-14)  # fmt: skip
    with pytest.raises(InputError, match="平移常数须为 >= 0"):
        data_weights(frame, "entropy_shares", shift=-1.0)


def test_entropy_shares_of_the_demo_with_a_shift_and_its_moderate_indicator(demo: Result) -> None:
    low = float(demo.raw.min().min())  # the demo's most negative raw value (a growth rate)
    assert low < 0
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        res = data_weights(demo, "entropy_shares", shift=-low + 1)
    moderate = [i.id for i in demo.methodology.indicators if i.direction == "moderate"]
    assert moderate
    assert any(moderate[0] in str(w.message) for w in rec)
    ref = W.entropy(demo.raw.to_numpy(dtype=float), np.ones(demo.raw.shape[1]), -low + 1,
                    variant="shares")  # fmt: skip
    assert_allclose(res.weights.to_numpy(), ref, rtol=1e-12)


def test_bod_bounds_are_refused_in_words_naming_the_option() -> None:
    with pytest.raises(InputError) as info:
        bod_scores(HAND, lower=0.6)  # 2 indicators x 0.6 = 1.2 > 1
    (p,) = info.value.problems
    assert (p.code, p.where) == ("analysis.bod_bounds_lower_sum", "lower")
    assert "份额下限 0.6 × 2 个指标 = 1.2 > 1" in p.zh
    assert "1/2 ≈ 0.5" in p.zh
    with pytest.raises(InputError) as info:
        bod_scores(HAND, upper=0.3)  # 2 x 0.3 = 0.6 < 1
    (p,) = info.value.problems
    assert (p.code, p.where) == ("analysis.bod_bounds_upper_sum", "upper")
    assert "上限至少为 1/2 ≈ 0.5" in p.zh
    assert "give at least 1/2, about 0.5" in p.en
    with pytest.raises(InputError, match=r"份额下限 0\.5 高于上限 0\.4"):
        bod_scores(HAND, lower=0.5, upper=0.4)
    with pytest.raises(InputError, match="须在 0 到 1 之间"):
        bod_scores(HAND, upper={"x": 1.5})
    for text in (p.zh for p in info.value.problems):
        assert "lower[" not in text
        assert "bod:" not in text


def test_pairwise_messages_in_words() -> None:
    # an empty cell: no "nan"
    short = pd.DataFrame({"": ["a", "b"], "a": ["1", "1/3"], "b": ["3", None]})
    with pytest.raises(InputError) as info:
        pairwise_matrix(short)
    assert (
        info.value.problems[0].zh
        == "判断矩阵第 b 行、第 b 列为空；请填入正数（如 3 或 1/3；对角线为 1）。"
    )
    assert "nan" not in info.value.problems[0].en
    # every non-reciprocal pair named once, by its labels, with the value it should hold
    labels = ["p", "q", "r"]
    M = pd.DataFrame([[1, 3, 5], [0.5, 1, 2], [0.2, 0.25, 1]], index=labels, columns=labels)
    with pytest.raises(InputError) as info:
        pairwise_weights(M)
    assert [p.where for p in info.value.problems] == ["matrix[p, q]", "matrix[q, r]"]
    assert "为 3，而对称位置（第 q 行、第 p 列）为 1/2，二者须互为倒数；应为 1/3" in (
        info.value.problems[0].zh
    )
    assert "must be reciprocals: 1/3 there" in info.value.problems[0].en
    # a data file is not a matrix: a short message, not every label
    rows = [f"u{i}" for i in range(500)]
    big = pd.DataFrame({"code": rows, "name": "x", "year": 2024})
    with pytest.raises(InputError) as info:
        pairwise_matrix(big)
    text = info.value.problems[0].zh
    assert "此表有 500 行、2 列" in text
    assert "等 500 个" in text
    assert len(text) < 400


def test_pairwise_labels_unknown_to_the_methodology_are_noted(demo: Result) -> None:
    M = pd.DataFrame([[1, 3], [1 / 3, 1]], index=["foo", "gdp"], columns=["foo", "gdp"])
    with pytest.warns(KaopingWarning, match="标签 foo 不是考核办法"):
        res = pairwise_weights(M, methodology=demo.methodology)
    assert res.table.loc["gdp", "dimension"] == "economy"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pairwise_weights(M).notes == ()  # no methodology: a free matrix, nothing to say
