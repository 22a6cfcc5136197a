"""The 回头看, the annual composite and indicators + observation, worked by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from kaoping.errors import InputError
from kaoping.observation import combine, composite, look_back


def test_look_back_blends_the_review_into_the_reviewed_units_only() -> None:
    """share 0.4: A 0.6 * 80 + 0.4 * 90 = 84; B not reviewed (NaN) stays 70; C 0.6*60 +
    0.4*50 = 56."""
    out = look_back(
        pd.Series({"A": 80.0, "B": 70.0, "C": 60.0}),
        pd.Series({"A": 90.0, "B": math.nan, "C": 50.0}),
        share=0.4,
    )
    assert_allclose(out, [84.0, 70.0, 56.0])
    assert out.index.tolist() == ["A", "B", "C"]


def test_look_back_refuses_a_bad_share_and_an_unknown_unit_together() -> None:
    with pytest.raises(InputError) as caught:
        look_back(pd.Series({"A": 80.0}), pd.Series({"Z": 90.0}), share=1.5)
    assert caught.value.codes == ["observation.bad_share", "observation.unknown_unit"]


def test_composite_is_the_weighted_mean_of_the_events_a_unit_has() -> None:
    """Weights Q1 1, Q2 1, Q3 2.  A: (80 + 90 + 2 * 85)/4 = 85; B missed Q2: (70 + 2*100)/3 =
    90; C: (60 + 60 + 2 * 60)/4 = 60 alone in its group; A ranks 2 and B 1 in 组1."""
    events = {
        "Q1": pd.Series({"A": 80.0, "B": 70.0, "C": 60.0}),
        "Q2": pd.Series({"A": 90.0, "C": 60.0}),
        "Q3": pd.Series({"A": 85.0, "B": 100.0, "C": 60.0}),
    }
    out = composite(events, {"Q1": 1, "Q2": 1, "Q3": 2}, {"组1": ["A", "B"], "组2": ["C"]})
    assert_allclose(out["score"], [85.0, 90.0, 60.0])
    assert out["rank"].tolist() == [2.0, 1.0, 1.0]
    assert out["events"].tolist() == [3, 2, 3]
    assert out["group"].tolist() == ["组1", "组1", "组2"]


def test_composite_reports_every_bad_weight_and_total() -> None:
    with pytest.raises(InputError) as caught:
        composite(
            {"Q1": pd.Series({"A": 120.0}), "Q2": pd.Series({"A": 50.0})},
            {"Q1": -1, "Q9": 1},
            {"组": ["A"]},
        )
    assert caught.value.codes == [
        "observation.no_weight",
        "observation.bad_weight",
        "observation.unknown_event",
        "observation.out_of_range",
    ]


def test_combine_takes_80_percent_indicators_and_20_percent_observation() -> None:
    """A: 0.8 * 90 + 0.2 * 70 = 86; B: 0.8 * 80 + 0.2 * 95 = 83; 70/30: A 63 + 21 = 84."""
    ind, obs = pd.Series({"A": 90.0, "B": 80.0}), pd.Series({"B": 95.0, "A": 70.0})
    out = combine(ind, obs)
    assert_allclose(out, [86.0, 83.0])
    assert out.name == "composite"
    assert out.index.tolist() == ["A", "B"]
    assert_allclose(combine(ind, obs, 70, 30)["A"], 84.0)


def test_combine_refuses_shares_not_summing_to_100_and_unmatched_units() -> None:
    with pytest.raises(InputError) as caught:
        combine(pd.Series({"A": 90.0}), pd.Series({"A": 70.0}), 80, 30)
    assert caught.value.codes == ["observation.bad_shares"]
    with pytest.raises(InputError) as caught:
        combine(pd.Series({"A": 90.0, "B": 1.0}), pd.Series({"A": 70.0, "C": 2.0}))
    assert caught.value.codes == ["observation.no_observation", "observation.no_indicators"]
