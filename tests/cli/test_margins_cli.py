"""``kaoping margins``: what it takes a county to move up, from the command line, on the
bundled (synthetic) demo data; each change it prints is re-scored here."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from click.testing import CliRunner

import kaoping
from kaoping.cli import cli
from kaoping.data import bundled
from kaoping.errors import KaopingWarning
from kaoping.methodology import load

DEMO = Path(kaoping.__file__).parent / "data" / "demo" / "henan_county_demo.csv"
ARGS = [str(DEMO), "--units", "henan", "-p", "2024", "-i", "rd_intensity", "-i", "forest_cover"]


def test_one_rank_up_names_each_change_and_each_reaches_the_rank(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["margins", *ARGS, "-u", "中牟县", "--json"])
    assert res.exit_code == 0, res.output
    margin = json.loads(res.stdout)
    assert margin["unit"] == "410122"  # named, found by its name
    assert margin["goal"]["rank"] == margin["rank"] - 1
    methodology = load("county_hqd")
    units = bundled.henan_units()
    panel = bundled.demo_panel(methodology.name_to_id(), units)
    reachable = [c for c in margin["changes"] if c["needed"] is not None]
    assert reachable
    for change in reachable:
        frame = panel.frame.copy()
        mask = (
            (frame["unit"] == "410122")
            & (frame["indicator"] == change["indicator"])
            & (frame["period"] == "2024")
        )
        frame.loc[mask, "value"] = change["needed"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", KaopingWarning)
            again = kaoping.assess(methodology, kaoping.Panel(frame), "2024", units=units)
        assert again.table.loc["410122", "rank"] <= margin["goal"]["rank"]
    text = runner.invoke(cli, ["margins", *ARGS, "-u", "410122"])
    assert text.exit_code == 0, text.output
    assert "距前进一位" in text.stdout
    assert "个百分点" in text.stdout


def test_a_bad_goal_unit_or_indicator_is_refused_saying_what_to_give(runner: CliRunner) -> None:
    bad_goal = runner.invoke(cli, ["margins", *ARGS, "-u", "410122", "--goal", "tier:第九方阵"])
    assert bad_goal.exit_code == 1
    assert "tier:第一方阵" in bad_goal.stderr
    nobody = runner.invoke(cli, ["margins", *ARGS, "-u", "无此县"])
    assert nobody.exit_code == 2
    assert "无此县" in nobody.stderr
    strange = runner.invoke(cli, ["margins", str(DEMO), "--units", "henan", "-u", "410122",
                                  "-i", "no_such"])  # fmt: skip
    assert strange.exit_code == 2
    assert "no_such" in strange.stderr
