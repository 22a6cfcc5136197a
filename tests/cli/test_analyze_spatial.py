"""``kaoping analyze moran | lisa`` on the bundled (synthetic) demo: what they print is what the
library computes from the same assessments and weights, the JSON parses, the workbook has one
sheet per table, the map is drawn from the geometry found, and bad options are errors that name
them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from numpy.testing import assert_allclose
from openpyxl import load_workbook

import kaoping.cli.analyze_spatial  # noqa: F401  (registers the commands)
from kaoping.analysis import spatial
from kaoping.analysis.periods import assess_periods, score_frame
from kaoping.assess import Result
from kaoping.cli import cli
from kaoping.data import bundled
from kaoping.errors import set_language
from kaoping.methodology import load


@cache
def results() -> dict[str, Result]:
    methodology = load("county_hqd")
    units = bundled.henan_units()
    return assess_periods(
        methodology, bundled.demo_panel(methodology.name_to_id(), units), units=units
    )


def run(runner: CliRunner, *args: str) -> dict[str, Any]:
    res = runner.invoke(cli, ["analyze", *args, "--demo", "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def squares(codes: list[str]) -> dict[str, Any]:
    """A synthetic map: one unit square per code on a 12-wide grid (queen neighbours touch at
    corners, rook neighbours share an edge)."""
    features = []
    for k, code in enumerate(codes):
        x, y = k % 12, k // 12
        ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
        features.append(
            {
                "type": "Feature",
                "properties": {"adcode": code, "name": code},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def test_moran_json_is_the_librarys(runner: CliRunner) -> None:
    out = run(runner, "moran", "--seed", "3", "--permutations", "199")
    table = pd.DataFrame(out["moran"]).set_index("period")
    want = spatial.moran_panel(
        score_frame(results()), spatial.contiguity(), permutations=199, rng=3
    )
    assert table.index.tolist() == ["2020", "2021", "2022", "2023", "2024"]
    for column in ("moran_i", "z_normal", "p_normal", "z_random", "p_random", "p_sim"):
        assert_allclose(table[column], want[column], rtol=1e-12)
    assert table["seed"].tolist() == [3] * 5
    assert table["components"].tolist() == [2] * 5


def test_moran_of_a_dimension_with_rook_contiguity(runner: CliRunner) -> None:
    out = run(
        runner, "moran", "--node", "green", "--contiguity", "rook", "--periods", "2024",
        "--permutations", "0",
    )  # fmt: skip
    (row,) = out["moran"]
    want = spatial.moran(score_frame(results(), "green")["2024"], spatial.contiguity("rook"))
    assert row["moran_i"] == pytest.approx(want.moran_i, rel=1e-12)
    assert row["p_sim"] is None


def test_moran_prints_the_graph_and_the_seed_and_writes_the_workbook(
    runner: CliRunner, tmp_path: Path
) -> None:
    book = tmp_path / "莫兰.xlsx"
    res = runner.invoke(
        cli, ["analyze", "moran", "--demo", "--seed", "5", "--permutations", "99", "-o", str(book)]
    )
    assert res.exit_code == 0, res.output
    assert "综合得分的全局 Moran's I" in res.stdout
    assert "虞城县、夏邑县、永城市 只与彼此相邻" in res.stderr
    assert "随机种子 5（--seed 5 可复现）" in res.stderr
    wb = load_workbook(book)
    assert wb.sheetnames == ["综合得分的全局 Moran's I"]
    header = [c.value for c in wb.active[1]]
    assert header[:4] == ["时期", "单位数", "Moran's I", "期望值 E[I]"]
    assert wb.active.max_row == 6


def test_a_weights_file_of_the_same_pairs_gives_the_same_numbers(
    runner: CliRunner, tmp_path: Path
) -> None:
    frame = pd.read_csv(bundled.path(spatial.BUNDLED), comment="#", dtype=str)
    pairs = tmp_path / "邻接.csv"
    frame.loc[frame["kind"] == "queen", ["code_a", "code_b"]].to_csv(pairs, index=False)
    mine = run(runner, "moran", "--weights", str(pairs), "--seed", "1", "--permutations", "99")
    default = run(runner, "moran", "--seed", "1", "--permutations", "99")
    assert mine == default


def test_a_county_missing_from_the_weights_is_named(runner: CliRunner, tmp_path: Path) -> None:
    frame = pd.read_csv(bundled.path(spatial.BUNDLED), comment="#", dtype=str)
    queen = frame[(frame["kind"] == "queen")]
    keep = queen[(queen["code_a"] != "410122") & (queen["code_b"] != "410122")]
    pairs = tmp_path / "pairs.csv"
    keep[["code_a", "code_b"]].to_csv(pairs, index=False)
    res = runner.invoke(cli, ["analyze", "moran", "--demo", "--weights", str(pairs)])
    assert res.exit_code == 1
    assert "410122（中牟县）" in res.stderr
    assert "邻接表" in res.stderr


def test_weights_and_geometry_together_are_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(
        cli,
        ["analyze", "moran", "--demo", "--weights", "a.csv", "--geometry", "b.geojson"],
    )
    assert res.exit_code == 2
    assert "--weights 与 --geometry 只能二选一" in res.output


def test_lisa_json_is_the_librarys(runner: CliRunner) -> None:
    out = run(runner, "lisa", "-p", "2023", "--seed", "2", "--permutations", "499")
    want = spatial.local_moran(
        score_frame(results())["2023"], spatial.contiguity(), permutations=499, rng=2
    )
    table = pd.DataFrame(out["lisa"]).set_index("unit")
    assert table.index.tolist() == want.table.index.tolist()
    assert_allclose(table["local_i"], want.table["local_i"], rtol=1e-12)
    assert_allclose(table["p_sim"], want.table["p_sim"], rtol=1e-12)
    assert table["cluster"].tolist() == want.table["cluster"].tolist()
    assert table.loc["410122", "name"] == "中牟县"
    counts = pd.DataFrame(out["clusters"]).set_index("cluster")["units"]
    assert counts.to_dict() == want.counts()["units"].to_dict()


def test_lisa_shows_labels_in_the_users_language(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["analyze", "lisa", "--demo", "--seed", "1", "--permutations", "99"])
    assert res.exit_code == 0, res.output
    assert "局部 Moran's I" in res.stdout
    assert "不显著" in res.stdout
    assert "2024 年全局 Moran's I = " in res.stderr
    set_language("en")
    res = runner.invoke(cli, ["analyze", "lisa", "--demo", "--seed", "1", "--permutations", "99"])
    assert res.exit_code == 0, res.output
    assert "not significant" in res.stdout
    assert "Zhongmu County" in res.stdout
    assert "2024: global Moran's I = " in res.stderr


def test_lisa_map_from_a_users_geometry(runner: CliRunner, tmp_path: Path) -> None:
    geometry, picture = tmp_path / "grid.geojson", tmp_path / "聚类.png"
    geometry.write_text(json.dumps(squares(bundled.ranked_counties())), encoding="utf-8")
    res = runner.invoke(
        cli,
        ["analyze", "lisa", "--demo", "--geometry", str(geometry), "--seed", "4",
         "--permutations", "99", "--map", str(picture), "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert picture.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    w = spatial.contiguity(geometry=geometry)
    want = spatial.local_moran(score_frame(results())["2024"], w, permutations=99, rng=4)
    got = pd.DataFrame(json.loads(res.stdout)["lisa"]).set_index("unit")
    assert_allclose(got["local_i"], want.table["local_i"], rtol=1e-12)
    assert "聚类地图已写入" in res.stderr


def test_lisa_map_from_kaoping_maps_with_the_bundled_weights(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "henan.json").write_text(
        json.dumps(squares(bundled.ranked_counties())), encoding="utf-8"
    )
    monkeypatch.setenv("KAOPING_MAPS", str(tmp_path))
    picture = tmp_path / "lisa.svg"
    res = runner.invoke(
        cli, ["analyze", "lisa", "--demo", "--seed", "4", "--permutations", "99", "--map",
              str(picture), "--alpha", "0.1"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert picture.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert "queen 邻接（共点），内置河南 102 个县（市）的相邻关系" in res.stderr


def test_lisa_map_without_a_map_says_how_to_get_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kaoping.cli.analyze_spatial as spatial

    monkeypatch.delenv("KAOPING_MAPS", raising=False)
    monkeypatch.delenv("KAOPING_ASSETS", raising=False)
    monkeypatch.setattr(spatial, "CHECKOUT_MAPS", tmp_path / "no-maps")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, ["analyze", "lisa", "--demo", "--map", "out.png"])
    assert res.exit_code == 2
    assert "make assets" in res.output
    assert "--geometry" in res.output
    assert "KAOPING_MAPS" in res.output
    assert not (tmp_path / "out.png").exists()


def test_lisa_map_finds_the_checkouts_map_from_any_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kaoping.cli.analyze_spatial as spatial

    built = spatial.CHECKOUT_MAPS / spatial.MAP_NAME
    if not built.is_file():
        pytest.skip("no map built in this checkout (make assets builds it)")
    monkeypatch.delenv("KAOPING_MAPS", raising=False)
    monkeypatch.delenv("KAOPING_ASSETS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert spatial.platform_map() == built
    res = runner.invoke(
        cli, ["analyze", "lisa", "--demo", "--seed", "4", "--permutations", "99", "--map", "m.png"]
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--permutations", "9"], "--permutations"),
        (["--alpha", "1.5"], "--alpha"),
        (["--map", "out.jpg"], "--map"),
        (["--contiguity", "bishop"], "--contiguity"),
    ],
)
def test_bad_lisa_options_name_them(runner: CliRunner, args: list[str], fragment: str) -> None:
    res = runner.invoke(cli, ["analyze", "lisa", "--demo", *args])
    assert res.exit_code == 2, res.output
    assert fragment in res.output


def test_the_seed_is_drawn_and_printed_when_not_given(runner: CliRunner) -> None:
    res = runner.invoke(
        cli, ["analyze", "moran", "--demo", "--periods", "2024", "--permutations", "99", "--json"]
    )
    assert res.exit_code == 0, res.output
    (row,) = json.loads(res.stdout)["moran"]
    seed = row["seed"]
    assert f"--seed {seed}" in res.stderr
    again = run(runner, "moran", "--periods", "2024", "--permutations", "99", "--seed", str(seed))
    assert again["moran"][0]["p_sim"] == row["p_sim"]
    assert np.isfinite(row["moran_i"])


# --- fixes of the probe report (A1, A4, B8, B11, C) -----------------------------------------


@pytest.mark.parametrize("command", ["moran", "lisa"])
def test_an_empty_map_is_a_problem_not_an_internal_error(
    runner: CliRunner, tmp_path: Path, command: str
) -> None:
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type":"FeatureCollection","features":[]}', encoding="utf-8")
    res = runner.invoke(cli, ["analyze", command, "--demo", "--geometry", str(empty)])
    assert res.exit_code == 1, res.output
    assert "地图中没有任何要素" in res.stderr
    assert "内部错误" not in res.stderr


@pytest.mark.parametrize("output", ["out.csv", "nodir/x.xlsx"], ids=["bad suffix", "no folder"])
def test_a_bad_output_leaves_no_map_behind(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str
) -> None:
    (tmp_path / "henan.json").write_text(
        json.dumps(squares(bundled.ranked_counties())), encoding="utf-8"
    )
    monkeypatch.setenv("KAOPING_MAPS", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(cli, ["analyze", "lisa", "--demo", "--map", "m.png", "-o", output])
    assert res.exit_code == 2, res.output
    assert "-o" in res.output
    assert not (tmp_path / "m.png").exists()


def test_a_map_in_a_missing_folder_is_refused_before_any_work(
    runner: CliRunner, tmp_path: Path
) -> None:
    res = runner.invoke(cli, ["analyze", "lisa", "--demo", "--map", str(tmp_path / "no" / "m.png")])
    assert res.exit_code == 2, res.output
    assert "--map" in res.output
    assert "不存在" in res.output


@pytest.mark.parametrize(
    ("args", "needed"),
    [(["--permutations", "0"], 20), (["--permutations", "3", "--alpha", "0.2"], 5)],
)
def test_too_few_lisa_permutations_say_how_many_in_chinese(
    runner: CliRunner, args: list[str], needed: int
) -> None:
    # the smallest pseudo p is 1/(M+1): below 0.05 from M = 20 (1/21), below 0.2 from M = 5 (1/6)
    res = runner.invoke(cli, ["analyze", "lisa", "--demo", *args])
    assert res.exit_code == 2, res.output
    assert "--permutations" in res.output
    assert f"至少需要 {needed} 次" in res.output
    assert "must be" not in res.output
    assert "got" not in res.output
    ok = runner.invoke(
        cli,
        ["analyze", "lisa", "--demo", *args[:1], str(needed), *args[2:], "--seed", "1", "--json"],
    )
    assert ok.exit_code == 0, ok.output


def test_the_minimum_permutations_match_the_librarys_condition() -> None:
    from kaoping.cli.analyze_spatial import _min_permutations

    for alpha in (0.5, 0.2, 0.1, 0.05, 0.01, 0.001, 0.3, 0.07):
        m = _min_permutations(alpha)
        assert 1 / (m + 1) < alpha
        assert m == 1 or 1 / m >= alpha


def test_a_bad_gal_file_is_described_not_pythons_error(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "w.gal"
    bad.write_text("not a gal\n", encoding="utf-8")
    res = runner.invoke(cli, ["analyze", "moran", "--demo", "--weights", str(bad)])
    assert res.exit_code == 1, res.output
    assert "不是有效的 GAL 文件" in res.stderr
    assert "invalid literal" not in res.stderr
    assert "ValueError" not in res.stderr


def other_province(tmp_path: Path) -> Path:
    """The bundled demo file with every county code moved out of Henan (41xxxx -> 91xxxx)."""
    text = bundled.path("demo/henan_county_demo.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    moved = [lines[0]]
    for line in lines[1:]:
        moved.append("91" + line[2:] if line.startswith("41") else line)
    path = tmp_path / "other.csv"
    path.write_text("\n".join(moved) + "\n", encoding="utf-8")
    return path


def test_units_outside_the_bundled_weights_are_one_problem_naming_the_options(
    runner: CliRunner, tmp_path: Path
) -> None:
    res = runner.invoke(cli, ["analyze", "moran", str(other_province(tmp_path))])
    assert res.exit_code == 1, res.output
    assert "发现 1 个问题" in res.stderr
    assert "102 个单元不在内置的河南 102 个县（市）相邻关系中" in res.stderr
    for option in ("--geometry", "--weights", "--id-field"):
        assert option in res.stderr
    assert "等 102 个" in res.stderr
    set_language("en")
    res = runner.invoke(cli, ["analyze", "lisa", str(other_province(tmp_path)), "--seed", "1"])
    assert res.exit_code == 1, res.output
    assert "1 problem(s) found" in res.stderr
    assert "102 unit(s) are not among the bundled neighbours" in res.stderr
    assert "and 92 more" in res.stderr


def test_units_missing_from_a_users_map_point_at_id_field(
    runner: CliRunner, tmp_path: Path
) -> None:
    geometry = tmp_path / "part.geojson"
    geometry.write_text(json.dumps(squares(bundled.ranked_counties()[:-2])), encoding="utf-8")
    res = runner.invoke(cli, ["analyze", "moran", "--demo", "--geometry", str(geometry)])
    assert res.exit_code == 1, res.output
    assert "2 个单元不在地图" in res.stderr
    assert "411728（遂平县）、411729（新蔡县）" in res.stderr  # the last two ranked counties
    assert "--id-field" in res.stderr
    assert res.stderr.count("•") == 1


def test_a_feature_without_the_id_property_names_the_option(
    runner: CliRunner, tmp_path: Path
) -> None:
    grid = squares(bundled.ranked_counties())
    grid["features"][0]["properties"] = {"name": "x"}
    geometry = tmp_path / "noid.geojson"
    geometry.write_text(json.dumps(grid), encoding="utf-8")
    res = runner.invoke(cli, ["analyze", "lisa", "--demo", "--geometry", str(geometry)])
    assert res.exit_code == 1, res.output
    assert "请用 --id-field 指定" in res.stderr
    assert " id_field" not in res.stderr
    set_language("en")
    res = runner.invoke(cli, ["analyze", "lisa", "--demo", "--geometry", str(geometry)])
    assert "with --id-field" in res.stderr


def test_units_without_neighbours_show_no_quadrant_and_no_local_i(
    runner: CliRunner, tmp_path: Path
) -> None:
    # a map where 410122 and 410181 are squares far from the others: both islands
    grid = squares(bundled.ranked_counties())
    for k, feature in enumerate(grid["features"][:2]):
        x = 100 + 5 * k
        feature["geometry"]["coordinates"] = [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]]
    geometry = tmp_path / "islands.geojson"
    geometry.write_text(json.dumps(grid), encoding="utf-8")
    args = ["analyze", "lisa", "--demo", "--geometry", str(geometry), "--seed", "1"]
    res = runner.invoke(cli, args)
    assert res.exit_code == 0, res.output
    rows = [line for line in res.stdout.splitlines() if "410122" in line or "410181" in line]
    assert len(rows) == 2
    for row in rows:
        cells = [c.strip() for c in row.strip("│ ").split("│")]
        assert cells[-1] == "无相邻单元"
        assert cells[-2] == "—"  # the quadrant
        assert cells[-4] == "—"  # the local I
        assert "-0.0000" not in row
    book = tmp_path / "lisa.xlsx"
    assert runner.invoke(cli, [*args, "-o", str(book)]).exit_code == 0
    sheet = load_workbook(book).worksheets[0]
    header = [c.value for c in sheet[1]]
    first = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert first["代码"] == "410122"
    assert first["象限"] == "—"
    assert first["局部 Moran's I"] in (None, "", "—")
    out = json.loads(runner.invoke(cli, [*args, "--json"]).stdout)
    (unit,) = [u for u in out["lisa"] if u["unit"] == "410122"]
    assert unit["quadrant"] == "island"
    assert unit["cluster"] == "island"
    assert unit["local_i"] == 0.0
