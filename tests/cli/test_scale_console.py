"""The console at 10^5 units: the top rows, the category leaders and a line saying where the
rest is; -o and --json keep every unit; a file with thousands of problems lists the first 100
and counts all of them by kind.  Files are made here (seeded; sizes named in each test)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from kaoping.cli import cli

METHODOLOGY = """\
id: scale_test
name: 规模测试
weighting: equal
dimensions:
  - id: all
    name: 全部
    indicators:
      - {id: a, name: 指标甲, direction: positive}
      - {id: b, name: 指标乙, direction: positive}
      - {id: c, name: 指标丙, direction: negative}
"""


def _files(folder: Path, n: int) -> tuple[Path, Path, Path]:
    rng = np.random.default_rng(n)
    codes = [f"U{i:06d}" for i in range(n)]
    data = pd.DataFrame(
        {"代码": codes, "年份": 2024, **{k: rng.lognormal(size=n) for k in ("a", "b", "c")}}
    )
    units = pd.DataFrame(
        {
            "代码": codes,
            "名称": [f"企业{i}" for i in range(n)],
            "类别": ["制造业" if i % 3 else "服务业" for i in range(n)],
        }
    )
    (folder / "m.yaml").write_text(METHODOLOGY, encoding="utf-8")
    data.to_csv(folder / "d.csv", index=False)
    units.to_csv(folder / "u.csv", index=False)
    return folder / "d.csv", folder / "u.csv", folder / "m.yaml"


def _ranks_shown(stdout: str) -> list[int]:
    """The ranks in the first column of the console's ranking table."""
    return [int(m.group(1)) for m in re.finditer(r"^│\s+(\d+) │ U\d{6}", stdout, re.M)]


def test_500_units_show_the_top_20_the_leaders_and_where_the_rest_is(
    tmp_path: Path, runner: CliRunner
) -> None:
    data, units, methodology = _files(tmp_path, 500)
    out = tmp_path / "out.csv"
    args = [str(data), "-m", str(methodology), "--units", str(units), "-o", str(out)]
    result = runner.invoke(cli, ["assess", *args])
    assert result.exit_code == 0, result.output
    written = pd.read_csv(out, dtype={"代码": str})
    assert len(written) == 500
    shown = _ranks_shown(result.stdout)
    # the top 20, then the two leaders of the categories (both rank 1 in their category)
    assert shown[:20] == written["排名"].head(20).tolist()
    assert "各类别第一名" in result.stdout
    leaders = written[written["类别内排名"] == 1]
    assert len(leaders) == 2
    assert shown[20:] == leaders["排名"].tolist()
    assert f"另有 480 行，见 {out}" in result.stdout


def test_without_an_output_the_line_says_how_to_get_every_row(
    tmp_path: Path, runner: CliRunner
) -> None:
    data, _, methodology = _files(tmp_path, 300)
    result = runner.invoke(cli, ["assess", str(data), "-m", str(methodology), "--top", "5"])
    assert result.exit_code == 0, result.output
    assert _ranks_shown(result.stdout) == [1, 2, 3, 4, 5]  # no categories without --units
    assert "另有 295 行未显示" in result.stdout
    assert "--json" in result.stdout


def test_top_0_shows_every_row_and_json_holds_every_unit(tmp_path: Path, runner: CliRunner) -> None:
    data, _, methodology = _files(tmp_path, 300)
    everything = runner.invoke(cli, ["assess", str(data), "-m", str(methodology), "--top", "0"])
    assert len(_ranks_shown(everything.stdout)) == 300
    assert "另有" not in everything.stdout
    as_json = runner.invoke(cli, ["assess", str(data), "-m", str(methodology), "--json"])
    assert len(json.loads(as_json.stdout)) == 300


def test_up_to_200_units_every_row_is_shown(tmp_path: Path, runner: CliRunner) -> None:
    data, _, methodology = _files(tmp_path, 200)
    result = runner.invoke(cli, ["assess", str(data), "-m", str(methodology)])
    assert len(_ranks_shown(result.stdout)) == 200
    assert "另有" not in result.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_100000_row_file_with_problems_lists_100_and_counts_all_by_kind(
    tmp_path: Path, runner: CliRunner, lang: str
) -> None:
    n = 100_000
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "代码": [f"U{i:06d}" for i in range(n)],
            "a": rng.lognormal(size=n).round(4).astype(str),
            "b": rng.lognormal(size=n).round(4).astype(str),
            "c": rng.lognormal(size=n).round(4).astype(str),
        }
    )
    bad = rng.choice(n, size=150, replace=False)  # 150 cells that are not numbers …
    frame.loc[bad, "b"] = "abc"
    repeated = np.arange(0, n, 3_000)[:30]  # … and 30 codes given twice (row r's on r + 1)
    frame.loc[repeated + 1, "代码"] = frame.loc[repeated, "代码"].to_numpy()
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    (tmp_path / "m.yaml").write_text(METHODOLOGY, encoding="utf-8")
    args = ["--lang", lang, "assess", str(path), "-m", str(tmp_path / "m.yaml"), "-p", "2024"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    listed = [line for line in result.stderr.splitlines() if line.startswith("  • ")]
    assert len(listed) == 100
    duplicates = 30  # each copied code twice; a repeated row's own "abc" is counted as well
    if lang == "zh":
        assert (
            f"全部 {150 + duplicates} 个问题按类别：不是数字 150、重复的行或数值 {duplicates}"
            in (result.stderr)
        )
    else:
        assert f"all {150 + duplicates} problems by kind: not a number 150, given twice" in (
            result.stderr
        )


def test_parquet_in_and_out_gives_the_ranking_of_csv_to_the_last_bit(
    tmp_path: Path, runner: CliRunner
) -> None:
    data, units, methodology = _files(tmp_path, 400)
    pd.read_csv(data).to_parquet(tmp_path / "d.parquet", index=False)
    base = ["-m", str(methodology), "--units", str(units)]
    for source, out in (("d.csv", "o.csv"), ("d.parquet", "o.parquet")):
        result = runner.invoke(
            cli, ["assess", str(tmp_path / source), *base, "-o", str(tmp_path / out)]
        )
        assert result.exit_code == 0, result.output
    csv = pd.read_csv(tmp_path / "o.csv", dtype={"代码": str, "类别": str})
    parquet = pd.read_parquet(tmp_path / "o.parquet")
    assert csv["代码"].tolist() == parquet["代码"].tolist()
    assert csv["综合得分"].to_numpy().tobytes() == parquet["综合得分"].to_numpy().tobytes()
    assert csv["排名"].tolist() == parquet["排名"].tolist()
