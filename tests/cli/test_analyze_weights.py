"""``kaoping analyze weights``, ``ahp``, ``bod`` and ``mpi`` on the bundled demo: exit codes,
headers, values cross-checked with the library (kaoping.analysis.weighting, itself tested against
the kernels), the JSON, the workbook, and bad options."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import kaoping.cli.analyze_weights  # noqa: F401  (registers the commands)
from kaoping.analysis.weighting import bod_scores, data_weights, mpi_scores
from kaoping.assess import Result, assess
from kaoping.cli import cli
from kaoping.data.bundled import demo_panel, henan_units
from kaoping.errors import KaopingWarning
from kaoping.methodology import load

MATRIX = ",economy,innovation,green\neconomy,1,3,5\ninnovation,1/3,1,3\ngreen,1/5,1/3,1\n"


@pytest.fixture(scope="module")
def demo() -> Result:
    m = load("county_hqd")
    units = henan_units()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return assess(m, demo_panel(m.name_to_id(), units), "2024", units=units)


def _json(runner: CliRunner, args: list[str]) -> dict[str, list[dict[str, object]]]:
    res = runner.invoke(cli, ["analyze", *args, "--json"])
    assert res.exit_code == 0, res.output
    out: dict[str, list[dict[str, object]]] = json.loads(res.stdout)
    return out


def _library[T](fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return fn(*args, **kwargs)


def test_weights_table_has_chinese_headers_and_notes(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "weights", "--demo"])
    assert res.exit_code == 0, res.output
    assert "数据驱动的权重（2024）" in res.stdout
    assert "现行权重" in res.stdout
    assert "主成分：特征值与方差贡献率" in res.stdout
    assert "方法：主成分分析法（中文文献的做法）" in res.stderr
    assert "系数为负" in res.stderr  # the demo's fixed-asset investment growth


def test_weights_json_matches_the_library(runner: CliRunner, demo: Result) -> None:
    out = _json(runner, ["weights", "--demo", "--method", "pca", "--retain", "0.85"])
    assert set(out) == {"weights", "components", "loadings"}
    expected = _library(data_weights, demo, "pca", retain=0.85)
    rows = {r["indicator"]: r for r in out["weights"]}
    assert len(rows) == len(expected.table)
    for ind in ("gdp", "pm25", "fai_growth"):
        assert rows[ind]["weight"] == pytest.approx(expected.table.loc[ind, "weight"], rel=1e-12)
    retained = [r for r in out["components"] if r["retained"]]
    assert len(retained) == int(expected.components["retained"].sum())
    coinr = _json(runner, ["weights", "--demo", "--method", "pca-coinr"])
    lib = _library(data_weights, demo, "pca_coinr")
    first = coinr["weights"][0]
    assert first["weight"] == pytest.approx(lib.table.iloc[0]["weight"], rel=1e-12)
    total = sum(float(str(r["effective_weight"])) for r in coinr["weights"])
    assert total == pytest.approx(1.0)


def test_entropy_shares_names_the_negative_indicators_and_works_on_a_choice(
    runner: CliRunner, demo: Result
) -> None:
    bad = runner.invoke(cli, ["analyze", "weights", "--demo", "--method", "entropy-shares"])
    assert bad.exit_code == 1
    negative = [str(c) for c in demo.raw.columns if (demo.raw[c] < 0).any()]
    assert all(i in bad.stderr for i in negative)
    ids = "gdp,trade,fdi"
    out = _json(runner, ["weights", "--demo", "--method", "entropy-shares", "--indicators", ids])
    lib = _library(data_weights, demo, "entropy_shares", indicators=ids.split(","))
    assert [r["indicator"] for r in out["weights"]] == ["gdp", "trade", "fdi"]
    assert [r["weight"] for r in out["weights"]] == pytest.approx(lib.weights.tolist())


def test_ahp_from_a_matrix_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "判断矩阵.csv"
    path.write_text(MATRIX, encoding="utf-8")
    # the hand-worked weights of tests/methods/test_weights_variants.py
    out = _json(runner, ["ahp", str(path)])
    assert [r["weight"] for r in out["weights"]] == pytest.approx(
        [5113 / 8073, 701 / 2691, 857 / 8073], rel=1e-12
    )
    assert [r["name"] for r in out["weights"]] == ["经济实力", "创新发展", "绿色发展"]
    cr = next(r for r in out["consistency"] if "CR" in str(r["item"]))
    assert cr["value"] == pytest.approx(0.0334, abs=5e-5)
    same = _json(runner, ["weights", "--demo", "--method", "ahp-approx", "--matrix", str(path)])
    assert same["weights"] == out["weights"]
    eig = _json(runner, ["ahp", str(path), "--method", "eigenvector"])
    assert eig["weights"][0]["weight"] == pytest.approx(0.637, abs=5e-4)
    xlsx = tmp_path / "m.xlsx"
    wb = openpyxl.Workbook()
    for row in [line.split(",") for line in MATRIX.strip().splitlines()]:
        wb.active.append(row)
    wb.save(xlsx)
    assert _json(runner, ["ahp", str(xlsx)])["weights"] == out["weights"]


def test_ahp_refusals(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text(MATRIX.replace("1/3,1,3", "1/3,1,x"), encoding="utf-8")
    bad = runner.invoke(cli, ["analyze", "ahp", str(path)])
    assert bad.exit_code == 1
    assert "第 innovation 行、第 green 列" in bad.stderr
    no_matrix = runner.invoke(cli, ["analyze", "weights", "--demo", "--method", "ahp-approx"])
    assert no_matrix.exit_code == 2
    assert "--matrix" in no_matrix.output
    other = tmp_path / "m.txt.json"
    other.write_text("{}", encoding="utf-8")
    assert runner.invoke(cli, ["analyze", "ahp", str(other)]).exit_code == 2


def test_bod_json_matches_the_library_and_notes_the_many_ones(
    runner: CliRunner, demo: Result
) -> None:
    res = runner.invoke(cli, ["analyze", "bod", "--demo", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) == {"bod", "dimension_shares"}
    lib = _library(bod_scores, demo)
    rows = {r["unit"]: r for r in out["bod"]}
    assert len(rows) == 102
    for unit, value in lib.table["bod_score"].items():
        assert rows[unit]["bod_score"] == pytest.approx(value, rel=1e-12)
    assert "BoD 得分为 1" in res.stderr
    bounded = _json(runner, ["bod", "--demo", "--lower", "0.01", "--upper", "0.2", "--detail"])
    assert set(bounded) == {"bod", "dimension_shares", "shares", "weights"}
    lib_b = _library(bod_scores, demo, 0.01, 0.2)
    first = bounded["bod"][0]
    assert first["bod_score"] == pytest.approx(lib_b.table["bod_score"][str(first["unit"])])
    shares = [
        float(v)  # type: ignore[arg-type]
        for r in bounded["shares"]
        for k, v in r.items()
        if k != "unit" and v is not None
    ]
    assert min(shares) >= 0.01 - 1e-7
    assert max(shares) <= 0.2 + 1e-7


def test_bod_refuses_bounds_nothing_can_meet(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "bod", "--demo", "--upper", "0.01"])
    assert res.exit_code == 2  # a bad option value: a usage error
    # 38 indicators x 0.01 = 0.38 < 1; 1/38 = 0.0263 rounds up to 0.027
    assert "份额上限 0.01 × 38 个指标 = 0.38 < 1" in res.stderr
    assert "上限至少为 1/38 ≈ 0.027" in res.stderr
    assert runner.invoke(cli, ["analyze", "bod", "--demo", "--lower", "1.5"]).exit_code == 2


def test_mpi_and_ampi_match_the_library_and_write_a_workbook(
    runner: CliRunner, demo: Result, tmp_path: Path
) -> None:
    out = _json(runner, ["mpi", "--demo"])
    lib = _library(mpi_scores, demo)
    rows = {r["unit"]: r for r in out["mpi"]}
    assert rows["410122"]["mpi"] == pytest.approx(lib.table.loc["410122", "mpi"], rel=1e-12)
    assert out["mpi"][0]["mpi_rank"] == 1  # sorted by the index
    raw = _json(runner, ["mpi", "--demo", "--values", "raw", "--sample-sd"])
    lib_raw = _library(mpi_scores, demo, values="raw", ddof=1)
    rows = {r["unit"]: r for r in raw["mpi"]}
    assert rows["410122"]["mpi"] == pytest.approx(lib_raw.table.loc["410122", "mpi"], rel=1e-12)
    book = tmp_path / "MPI.xlsx"
    res = runner.invoke(cli, ["analyze", "mpi", "--demo", "--adjusted", "-o", str(book)])
    assert res.exit_code == 0, res.output
    assert "AMPI" in res.stdout
    wb = openpyxl.load_workbook(book)
    assert len(wb.sheetnames) == 2
    header = [c.value for c in wb[wb.sheetnames[0]][1]]
    assert "AMPI" in header
    assert "均值 M" in header
    bad = runner.invoke(cli, ["analyze", "mpi", "--demo", "--adjusted", "--sample-sd"])
    assert bad.exit_code == 2


def test_english_headers(runner: CliRunner) -> None:
    from kaoping.errors import set_language

    set_language("en")
    try:
        res = runner.invoke(cli, ["analyze", "mpi", "--demo", "--indicators", "gdp,pm25,trade"])
    finally:
        set_language("zh")
    assert res.exit_code == 0, res.output
    assert "Mazziotta-Pareto index MPI (2024)" in res.stdout
    assert "Index rank" in res.stdout
    assert "MPI, negative penalty M - S cv (higher is better), on the normalised values." in (
        res.stderr
    )


def test_weights_pca_oecd_matches_the_kernel(runner: CliRunner, demo: Result) -> None:
    # The OECD/JRC factor-analysis weights: the command's JSON equals data_weights, which
    # equals kaoping.methods.weights.factor_weights on the normalised values (itself tested
    # in tests/methods/test_weights_oecd.py against a hand example and the Handbook's TAI).
    from kaoping.methods.weights import factor_weights

    out = _json(runner, ["weights", "--demo", "--method", "pca-oecd", "--factors", "3"])
    lib = _library(data_weights, demo, "pca_oecd", factors=3)
    kernel = _library(factor_weights, demo.normalized.dropna().to_numpy(float), factors=3)
    got = {str(r["indicator"]): float(str(r["weight"])) for r in out["weights"]}
    assert got == pytest.approx(lib.weights.to_dict(), abs=1e-12)
    assert list(lib.weights) == pytest.approx(list(kernel.weights), abs=1e-12)
    assert sum(bool(r["retained"]) for r in out["components"]) == 3
    assert {"rotated_variance", "factor_weight"} <= set(out["components"][0])
    assert {"loading_3", "squared_3", "factor"} <= set(out["loadings"][0])
    bad = runner.invoke(cli, ["analyze", "weights", "--demo", "--method", "pca", "--factors", "2"])
    assert bad.exit_code != 0
    assert "--factors" in bad.output


# --------------------------------------------------------------------------------------------
# fix round (probe report A3, B8, B17, C)
# --------------------------------------------------------------------------------------------


def test_shift_lets_entropy_shares_use_negative_indicators(runner: CliRunner, demo: Result) -> None:
    refused = runner.invoke(cli, ["analyze", "weights", "--demo", "--method", "entropy-shares"])
    assert refused.exit_code == 1
    low = float(demo.raw.min().min())  # the demo's most negative raw value
    assert f"--shift 给每个值加上至少 {-low:g}" in refused.stderr
    shift = -low + 1
    out = _json(runner, ["weights", "--demo", "--method", "entropy-shares", "--shift", f"{shift}"])
    lib = _library(data_weights, demo, "entropy_shares", shift=shift)
    got = {r["indicator"]: r["weight"] for r in out["weights"]}
    assert len(got) == len(lib.weights)
    for ind, w in lib.weights.items():
        assert got[ind] == pytest.approx(w, rel=1e-12, abs=1e-15)
    wrong = runner.invoke(cli, ["analyze", "weights", "--demo", "--shift", "1"])
    assert wrong.exit_code == 2
    assert "--shift 只用于 entropy-shares" in wrong.output


@pytest.mark.parametrize("value", ["1.5", "0", "-0.2", "half"])
def test_retain_out_of_range_is_a_usage_error_in_chinese(runner: CliRunner, value: str) -> None:
    res = runner.invoke(cli, ["analyze", "weights", "--demo", "--retain", value])
    assert res.exit_code == 2
    assert f"(0, 1] 内的累计贡献率（如 0.85），收到 {value}。" in res.output
    assert "pca:" not in res.output


def test_bod_bounds_in_words_and_as_usage_errors(runner: CliRunner) -> None:
    crossed = runner.invoke(cli, ["analyze", "bod", "--demo", "--lower", "0.5", "--upper", "0.1"])
    assert crossed.exit_code == 2
    assert "份额下限 0.5 高于上限（--upper）0.1" in crossed.stderr
    many = runner.invoke(cli, ["analyze", "bod", "--demo", "--lower", "0.1"])
    assert many.exit_code == 2
    assert "--lower" in many.stderr
    assert "份额下限 0.1 × 38 个指标 = 3.8 > 1" in many.stderr  # 38 indicators in county_hqd
    for res in (crossed, many):
        assert "lower[" not in res.stderr
        assert "bounds:" not in res.stderr
    plain = runner.invoke(cli, ["analyze", "bod", "--demo", "--indicators", "gdp,pm25"])
    assert plain.exit_code == 0, plain.output
    assert "未约束各指标在得分中的份额" in plain.stderr
    assert "份额下限 0，上限 1" not in plain.stderr
    one = runner.invoke(
        cli, ["analyze", "bod", "--demo", "--indicators", "gdp,pm25", "--upper", "0.8"]
    )
    assert "每个指标在得分中的份额：上限 0.8。" in one.stderr


def test_ahp_messages_name_the_file_and_say_it_in_words(runner: CliRunner, tmp_path: Path) -> None:
    recip = tmp_path / "recip.csv"
    recip.write_text(MATRIX.replace("1/3,1,3", "1/2,1,3"), encoding="utf-8")
    res = runner.invoke(cli, ["analyze", "ahp", str(recip)])
    assert res.exit_code == 1
    assert "recip.csv: 判断矩阵第 economy 行、第 innovation 列为 3，而对称位置" in res.stderr
    assert "ahp:" not in res.stderr
    short = tmp_path / "short.csv"
    short.write_text(MATRIX.replace("1/5,1/3,1", "1/5,1/3,"), encoding="utf-8")
    res = runner.invoke(cli, ["analyze", "ahp", str(short)])
    assert res.exit_code == 1
    assert "第 green 行、第 green 列为空" in res.stderr
    assert "nan" not in res.stderr
    data = tmp_path / "data.csv"
    data.write_text("code,name,year\n" + "".join(f"u{i},x,2024\n" for i in range(300)), "utf-8")
    res = runner.invoke(cli, ["analyze", "ahp", str(data)])
    assert res.exit_code == 1
    assert "此表有 300 行、2 列" in res.stderr
    assert len(res.stderr) < 1000
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(",foo,bar\nfoo,1,3\nbar,1/3,1\n", encoding="utf-8")
    res = runner.invoke(cli, ["analyze", "ahp", str(unknown)])
    assert res.exit_code == 0, res.output
    assert "判断矩阵的标签 foo、bar 不是考核办法" in res.stderr


def test_notes_say_grouping_and_penalty_in_words(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "weights", "--demo"])
    assert res.exit_code == 0, res.output
    assert "分组：全部指标一起。" in res.stderr
    assert "分组：all" not in res.stderr
    res = runner.invoke(cli, ["analyze", "weights", "--demo", "--by", "dimension"])
    assert "分组：各维度内分别计算。" in res.stderr
    res = runner.invoke(cli, ["analyze", "mpi", "--demo", "--penalty", "positive"])
    assert res.exit_code == 0, res.output
    assert "MPI，正向惩罚 M + S·cv（越小越好）" in res.stderr
    assert "positive" not in res.stderr
