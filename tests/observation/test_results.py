"""The result of an observation event on small examples worked by hand (the numbers in each
docstring): trimmed means, weights, ranks within the groups, flagged and excluded judges, and
every bad score reported at once."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from kaoping.errors import InputError
from kaoping.observation import (
    Criterion,
    EventSpec,
    Judge,
    aggregate,
    check_scores,
    judge_flags,
    missing_scores,
)


def _spec(
    n: int,
    groups: dict[str, list[str]],
    criteria: list[Criterion] | None = None,
    weights: list[float] | None = None,
    **settings: object,
) -> EventSpec:
    weights = weights or [1.0] * n
    judges = [Judge(f"J{k + 1}", f"评委{k + 1}", weight=weights[k]) for k in range(n)]
    return EventSpec(
        "E1",
        "2026-Q1",
        groups,
        criteria or [Criterion("总体", 100.0)],
        judges,
        **settings,  # type: ignore[arg-type]
    )


def _scores(table: dict[tuple[str, str], list[float]], spec: EventSpec) -> pd.DataFrame:
    """{(judge, unit): [points per criterion]} -> the long frame."""
    rows = [
        (judge, unit, c.name, value)
        for (judge, unit), values in table.items()
        for c, value in zip(spec.criteria, values, strict=True)
    ]
    return pd.DataFrame(rows, columns=["judge", "unit", "criterion", "score"])


def _one_unit(totals: list[float], **settings: object) -> pd.DataFrame:
    spec = _spec(len(totals), {"组": ["A"]}, far=1.0, **settings)
    scores = _scores({(f"J{k + 1}", "A"): [t] for k, t in enumerate(totals)}, spec)
    return aggregate(spec, scores).table


def test_trimmed_mean_of_nine_judges_drops_the_highest_and_the_lowest_total() -> None:
    """Totals 90 85 88 70 95 80 82 86 84: drop 95 and 70; (90+85+88+80+82+86+84)/7 = 595/7
    = 85, from 7 judges."""
    table = _one_unit([90, 85, 88, 70, 95, 80, 82, 86, 84])
    assert_allclose(table.at["A", "total"], 85.0)
    assert table.at["A", "judges"] == 7


def test_tied_totals_are_dropped_once() -> None:
    """Totals 90 90 80 70 70: one 90 and one 70 dropped; (90+80+70)/3 = 80."""
    table = _one_unit([90, 90, 80, 70, 70])
    assert_allclose(table.at["A", "total"], 80.0)
    assert table.at["A", "judges"] == 3


def test_fewer_judges_than_trim_min_judges_are_not_trimmed() -> None:
    """Four judges (fewer than 5): 90 80 70 60, the plain mean 75; with trim_min_judges=4
    trimmed: (80+70)/2 = 75 as well, from 2 judges."""
    table = _one_unit([90, 80, 70, 60])
    assert_allclose(table.at["A", "total"], 75.0)
    assert table.at["A", "judges"] == 4
    assert _one_unit([90, 80, 70, 60], trim_min_judges=4).at["A", "judges"] == 2


def test_mean_keeps_every_judge() -> None:
    """mean of 90 85 88 70 95 80 82 86 84 = 760/9."""
    table = _one_unit([90, 85, 88, 70, 95, 80, 82, 86, 84], aggregation="mean")
    assert_allclose(table.at["A", "total"], 760 / 9)


def test_weighted_mean_uses_the_judges_weights() -> None:
    """Weights 1.5 1 1, totals 90 80 70: (135 + 80 + 70) / 3.5 = 285 / 3.5 = 81.428571."""
    table = _one_unit([90, 80, 70], aggregation="weighted", weights=[1.5, 1.0, 1.0])
    assert_allclose(table.at["A", "total"], 285 / 3.5)


def test_trimmed_weighted_trims_then_weights_the_others() -> None:
    """Weights 1.5 1.5 1 1 1, totals 95 80 85 70 90: drop J1 (95) and J4 (70); J2 80 (1.5),
    J3 85, J5 90: (120 + 85 + 90) / 3.5 = 295 / 3.5 = 84.285714."""
    table = _one_unit(
        [95, 80, 85, 70, 90], aggregation="trimmed_weighted", weights=[1.5, 1.5, 1, 1, 1]
    )
    assert_allclose(table.at["A", "total"], 295 / 3.5)


def test_criterion_points_are_means_over_the_same_kept_judges() -> None:
    """Criteria a (max 60) and b (max 40), five judges: J1 55+38 = 93, J2 50+30 = 80,
    J3 45+30 = 75, J4 40+20 = 60, J5 48+37 = 85.  Drop J1 and J4; a = (50+45+48)/3 = 143/3,
    b = (30+30+37)/3 = 97/3, total 240/3 = 80 = a + b."""
    spec = _spec(5, {"组": ["A"]}, [Criterion("a", 60), Criterion("b", 40)], far=1.0)
    points = [[55, 38], [50, 30], [45, 30], [40, 20], [48, 37]]
    scores = _scores({(f"J{k + 1}", "A"): p for k, p in enumerate(points)}, spec)
    table = aggregate(spec, scores).table
    assert_allclose(table.loc["A", ["a", "b", "total"]].astype(float), [143 / 3, 97 / 3, 80.0])


def test_ranks_are_within_each_group_and_ties_share_the_best_rank() -> None:
    """Two judges, mean.  组1: A (80, 90) = 85, B (85, 85) = 85, C 70 -> ranks 1, 1, 3;
    组2: D 60, E (90, 70) = 80 -> ranks 2, 1."""
    spec = _spec(2, {"组1": ["A", "B", "C"], "组2": ["D", "E"]}, aggregation="mean")
    pairs = {"A": (80, 90), "B": (85, 85), "C": (70, 70), "D": (60, 60), "E": (90, 70)}
    scores = _scores(
        {(j, u): [p[k]] for u, p in pairs.items() for k, j in enumerate(["J1", "J2"])}, spec
    )
    table = aggregate(spec, scores).table
    assert table["rank"].to_dict() == {"A": 1, "B": 1, "C": 3, "D": 2, "E": 1}
    assert table["group"].tolist() == ["组1", "组1", "组1", "组2", "组2"]
    assert_allclose(table["total"], [85, 85, 70, 60, 80])


def _flat_and_far() -> tuple[EventSpec, pd.DataFrame]:
    """Five judges, three units, mean.  J1-J3: U1 80 82 78, U2 70 72 68, U3 60 62 58; J4 75
    everywhere (flat); J5 40 30 20.  J5's distance from the others' mean: U1 |40 - 78.75|,
    U2 |30 - 71.25|, U3 |20 - 63.75| -> (38.75 + 41.25 + 43.75)/3 = 41.25 of 100 = 0.4125
    (far).  J4's: U1 |75 - 70| = 5, U2 |75 - 60| = 15, U3 |75 - 50| = 25 -> 0.15, not above
    the threshold 0.15."""
    spec = _spec(5, {"组": ["U1", "U2", "U3"]}, aggregation="mean")
    columns = {
        "J1": [80, 70, 60],
        "J2": [82, 72, 62],
        "J3": [78, 68, 58],
        "J4": [75, 75, 75],
        "J5": [40, 30, 20],
    }
    scores = _scores(
        {(j, u): [v[k]] for j, v in columns.items() for k, u in enumerate(["U1", "U2", "U3"])},
        spec,
    )
    return spec, scores


def test_a_flat_and_a_far_judge_are_flagged_and_left_out() -> None:
    """As :func:`_flat_and_far`: J4 flat (75), J5 far (0.4125); the result is the mean of
    J1-J3: U1 80, U2 70, U3 60."""
    spec, scores = _flat_and_far()
    flags = judge_flags(spec, scores)
    assert flags[["judge", "kind"]].values.tolist() == [["J4", "flat"], ["J5", "far"]]
    assert_allclose(flags["value"], [75.0, 0.4125])
    assert "J5" in flags.at[1, "en"]
    assert "41.2" in flags.at[1, "zh"]
    result = aggregate(spec, scores)
    assert result.left_out == {"J4": "flat", "J5": "far"}
    assert_allclose(result.table["total"], [80, 70, 60])
    assert result.table["judges"].tolist() == [3, 3, 3]
    assert_allclose(result.per_judge.loc["U1"], [80, 82, 78, 75, 40])


def test_flagged_judges_the_organiser_keeps_are_used() -> None:
    """Kept J4 and J5: U1 = (80+82+78+75+40)/5 = 71."""
    spec, scores = _flat_and_far()
    spec = dataclasses.replace(spec, kept=frozenset({"J4", "J5"}))
    result = aggregate(spec, scores)
    assert result.left_out == {}
    assert len(result.flags) == 2  # still reported
    assert_allclose(result.table.at["U1", "total"], 71.0)


def test_an_excluded_judge_needs_no_scores_and_is_not_used() -> None:
    """J5 excluded and its scores removed: nothing missing; J4 (flat) left out; the mean of
    J1-J3 again."""
    spec, scores = _flat_and_far()
    spec = dataclasses.replace(spec, excluded=frozenset({"J5"}))
    scores = scores[scores["judge"] != "J5"]
    assert missing_scores(spec, scores).empty
    result = aggregate(spec, scores)
    assert result.left_out == {"J5": "excluded", "J4": "flat"}
    assert_allclose(result.table["total"], [80, 70, 60])


def test_missing_scores_raise_naming_the_judge_the_unit_and_the_criterion() -> None:
    """J2 has not scored U2 on 总体."""
    spec, scores = _flat_and_far()
    scores = scores[~((scores["judge"] == "J2") & (scores["unit"] == "U2"))]
    missing = missing_scores(spec, scores)
    assert missing.values.tolist() == [["J2", "U2", "总体"]]
    with pytest.raises(InputError) as caught:
        aggregate(spec, scores)
    assert caught.value.codes == ["observation.missing_score"]
    problem = caught.value.problems[0]
    assert problem.where == "J2/U2"
    assert "J2" in problem.zh
    assert "U2" in problem.zh
    assert "总体" in problem.zh
    assert "J2" in problem.en
    assert "总体" in problem.en


def test_bad_scores_are_all_reported_together_by_their_location() -> None:
    """Criterion a has a maximum of 60: 61 is outside; J1/A/a a second time; criterion c
    does not exist; "x" is not a number.  All four at once, each at its cell, and nothing
    reported again as missing."""
    spec = _spec(1, {"组": ["A", "B"]}, [Criterion("a", 60), Criterion("b", 40)])
    scores = pd.DataFrame(
        {
            "judge": ["J1"] * 6,
            "unit": ["A", "A", "A", "A", "B", "B"],
            "criterion": ["a", "b", "a", "c", "a", "b"],
            "score": [61, 30, 50, 10, "x", 20],
            "location": [f"e.xlsx!评分!D{r}" for r in range(2, 8)],
        },
        dtype=object,
    )
    problems = check_scores(spec, scores)
    assert [(p.code, p.where) for p in problems] == [
        ("observation.out_of_range", "e.xlsx!评分!D2"),
        ("observation.duplicate_score", "e.xlsx!评分!D4"),
        ("observation.unknown_criterion", "e.xlsx!评分!D5"),
        ("observation.not_a_number", "e.xlsx!评分!D6"),
    ]
    assert "e.xlsx!评分!D2" in problems[1].zh  # the first of the two
    with pytest.raises(InputError) as caught:
        aggregate(spec, scores)
    assert caught.value.codes == [p.code for p in problems]


def test_without_a_location_a_problem_names_judge_unit_and_criterion() -> None:
    spec = _spec(1, {"组": ["A"]})
    scores = pd.DataFrame({"judge": ["J9"], "unit": ["A"], "criterion": ["总体"], "score": [50]})
    (problem,) = check_scores(spec, scores)
    assert problem.code == "observation.unknown_judge"
    assert problem.where == "J9/A/总体"


def test_a_bad_configuration_is_reported_field_by_field() -> None:
    spec = EventSpec(
        "E",
        "2026-Q1",
        {"组1": ["A"], "组2": ["A"]},
        [Criterion("a", 0)],
        [Judge("J1", "甲", weight=-1), Judge("J1", "乙")],
        aggregation="median",
        trim_min_judges=2,
        far=0,
        kept=frozenset({"J7"}),
    )
    codes = [p.code for p in check_scores(spec, pd.DataFrame(columns=["judge"]))]
    assert codes == [
        "observation.bad_aggregation",
        "observation.bad_trim_min_judges",
        "observation.bad_far",
        "observation.duplicate_unit",
        "observation.bad_maximum",
        "observation.bad_weight",
        "observation.duplicate_judge",
        "observation.unknown_judge",
        "observation.missing_column",
    ]
