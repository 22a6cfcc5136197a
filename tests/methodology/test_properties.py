"""Properties of loading: valid weights load, round trips are exact, fingerprints discriminate,
problems land on the right line whatever the data."""

from __future__ import annotations

import itertools
from typing import Any

import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kaoping.methodology import check_text, dumps, loads

SETTINGS = settings(max_examples=50, deadline=None)

WEIGHT = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
NORMALIZATIONS: list[Any] = [
    "minmax",
    {"method": "minmax", "range": [1, 100]},
    "zscore",
    {"method": "zscore", "ddof": 0, "center": 50, "scale": 10},
    "rank",
    "vector",
    "fracmax",
    "dist2max",
    {"method": "target", "cap": 1.2},
]
AGGREGATIONS: list[Any] = [
    "arithmetic",
    "copeland",
    {"method": "topsis", "normalization": "minmax"},
    {"method": "gra", "rho": 0.5},
    {"method": "vikor", "v": 0.3},
    {"method": "generalized", "p": 2},
]
WEIGHTINGS: list[Any] = [
    "fixed",
    "equal",
    {"method": "entropy", "shift": 0.01},
    "critic",
    "cv",
    {"method": "combine", "subjective": "equal", "objective": "critic", "alpha": 0.3},
    {"method": "ahp", "ri": "saaty2005"},
]


def scalar(x: float) -> str:
    """A float as YAML writes it (``1.0e-05``, not Python's ``1e-05``, which YAML 1.1 reads
    as text)."""
    return yaml.safe_dump(x).splitlines()[0]


@st.composite
def consistent_matrix(draw: st.DrawFn, n: int) -> list[list[float]]:
    """A perfectly consistent pairwise matrix a_ij = w_i / w_j (Saaty 1980)."""
    w = draw(st.lists(st.floats(0.1, 10), min_size=n, max_size=n))
    return [[1.0 if i == j else w[i] / w[j] for j in range(n)] for i in range(n)]


@st.composite
def documents(draw: st.DrawFn) -> tuple[dict[str, Any], int]:
    """A valid methodology as plain data, and the number of sibling groups whose weights are
    all zero (each of which must be reported, and nothing else)."""
    counter = itertools.count()
    depth = draw(st.integers(1, 3))
    weighting = draw(st.sampled_from(WEIGHTINGS))
    uses_ahp = isinstance(weighting, dict) and weighting["method"] == "ahp"
    zero_groups = 0

    def weights_of(items: list[dict[str, Any]]) -> None:
        nonlocal zero_groups
        if all(item.get("weight", 1) == 0 for item in items):
            zero_groups += 1

    def indicator(scored: bool) -> dict[str, Any]:
        k = next(counter)
        choices = ["positive", "negative", "moderate", "正向", "逆向"]
        direction = draw(st.sampled_from(choices if scored else [*choices, "constraint"]))
        item: dict[str, Any] = {"id": f"i{k}", "name": f"指标{k}", "direction": direction}
        if direction == "moderate":
            item["optimum"] = draw(st.floats(-1e3, 1e3))
        if direction != "constraint" and draw(st.booleans()):
            item["weight"] = draw(WEIGHT)
        if draw(st.booleans()):
            item["aliases"] = [f"别名{k}"]
        return item

    def node(level: int) -> dict[str, Any]:
        k = next(counter)
        item: dict[str, Any] = {"id": f"d{k}", "name": f"维度{k}"}
        if draw(st.booleans()):
            item["weight"] = draw(WEIGHT)
        if level == depth:
            inds = [indicator(True)] + [indicator(False) for _ in range(draw(st.integers(0, 3)))]
            item["indicators"] = inds
            members = [i for i in inds if i["direction"] != "constraint"]
        else:
            item["children"] = members = [node(level + 1) for _ in range(draw(st.integers(1, 3)))]
        weights_of(members)
        if uses_ahp and len(members) >= 2:
            item["ahp"] = draw(consistent_matrix(len(members)))
        return item

    dims = [node(1) for _ in range(draw(st.integers(1, 3)))]
    weights_of(dims)
    data: dict[str, Any] = {
        "id": "generated",
        "name": "生成的考核办法",
        "normalization": draw(st.sampled_from(NORMALIZATIONS)),
        "weighting": weighting,
        "aggregation": draw(st.sampled_from(AGGREGATIONS)),
        "dimensions": dims,
    }
    if uses_ahp and len(dims) >= 2:
        data["ahp"] = draw(consistent_matrix(len(dims)))
    cuts = draw(st.lists(st.integers(1, 500), unique=True, max_size=3))
    if cuts:
        data["tiers"] = [
            {"name": f"第{i + 1}方阵", "max_rank": c} for i, c in enumerate(sorted(cuts))
        ]
    return data, zero_groups


def to_yaml(data: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)


@SETTINGS
@given(documents())
def test_any_non_negative_weights_load(doc: tuple[dict[str, Any], int]) -> None:
    data, zero_groups = doc
    found = check_text(to_yaml(data))
    # Only all-zero sibling groups may be refused, once each.
    assert [p.code for p in found] == ["methodology.zero_weights"] * zero_groups


@SETTINGS
@given(documents())
def test_dump_then_load_is_exact(doc: tuple[dict[str, Any], int]) -> None:
    data, zero_groups = doc
    assume(zero_groups == 0)
    m = loads(to_yaml(data))
    again = loads(dumps(m))
    assert again == m
    assert again.fingerprint() == m.fingerprint()
    assert [i.id for i in again.indicators] == [i.id for i in m.indicators]


@SETTINGS
@given(documents(), st.data())
def test_fingerprint_sees_a_changed_weight_or_name(
    doc: tuple[dict[str, Any], int], data: st.DataObject
) -> None:
    raw, zero_groups = doc
    assume(zero_groups == 0)
    m = loads(to_yaml(raw))
    target = data.draw(st.sampled_from([i.id for i in m.scored_indicators]))
    edited = m.to_data()
    for dim in _walk(edited["dimensions"]):
        for ind in dim.get("indicators", []):
            if ind["id"] == target:
                renamed = {**ind, "name": ind["name"] + "（新）"}
                reweighted = {**ind, "weight": ind["weight"] + 1.0}
    for changed in (renamed, reweighted):
        copy = _replace_indicator(m.to_data(), target, changed)
        assert loads(to_yaml(copy)).fingerprint() != m.fingerprint()


def _walk(dims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for d in dims:
        out.append(d)
        out += _walk(d.get("children", []))
    return out


def _replace_indicator(data: dict[str, Any], target: str, new: dict[str, Any]) -> dict[str, Any]:
    for dim in _walk(data["dimensions"]):
        dim["indicators"] = [new if i["id"] == target else i for i in dim.get("indicators", [])]
    return data


@SETTINGS
@given(
    st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).filter(lambda w: w != 0),
        min_size=1,
        max_size=8,
    )
)
def test_each_negative_weight_is_reported_on_its_line(weights: list[float]) -> None:
    head = "id: t\nname: 测试\ndimensions:\n  - id: d\n    name: D\n    indicators:\n"
    lines = [
        f"      - {{id: i{k}, name: 指标{k}, direction: positive, weight: {scalar(w)}}}\n"
        for k, w in enumerate(weights)
    ]
    found = check_text(head + "".join(lines), "w.yaml")
    expected = [f"w.yaml:{7 + k}" for k, w in enumerate(weights) if w < 0]  # head is 6 lines
    assert [p.where for p in found] == expected
    assert {p.code for p in found} <= {"methodology.negative_weight"}


@SETTINGS
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(consistent_matrix(n), st.data())))
def test_a_broken_reciprocal_is_reported_at_its_cell(case: tuple[list[list[float]], Any]) -> None:
    matrix, data = case
    n = len(matrix)
    indicators = "".join(
        f"      - {{id: i{k}, name: 指标{k}, direction: positive}}\n" for k in range(n)
    )

    def text(rows: list[list[float]]) -> str:
        body = "".join(f"      - [{', '.join(scalar(x) for x in row)}]\n" for row in rows)
        return (
            "id: t\nname: 测试\ndimensions:\n  - id: d\n    name: D\n    ahp:\n"
            + body
            + ("    indicators:\n" + indicators)
        )

    assert check_text(text(matrix)) == []
    i = data.draw(st.integers(0, n - 2))
    j = data.draw(st.integers(i + 1, n - 1))
    factor = data.draw(st.sampled_from([0.5, 0.9, 1.1, 2.0, 3.0]))
    broken = [row[:] for row in matrix]
    broken[i][j] *= factor
    [p] = check_text(text(broken), "a.yaml")
    assert p.code == "methodology.ahp_not_reciprocal"
    assert p.where == f"a.yaml:{7 + j}"  # row j of the matrix; the head is 6 lines
    assert f"ahp[{i}][{j}]=" in p.en
    assert f"but ahp[{j}][{i}]=" in p.en
