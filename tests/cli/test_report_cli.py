"""``kaoping report``: the notice written from the demo and from a data file, and its refusals."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from click.testing import CliRunner
from tests.report.test_briefing_demo import academic, official

from kaoping.cli import cli
from kaoping.data.bundled import path
from kaoping.report import briefing


def _text(path: Path) -> str:
    d = docx.Document(io.BytesIO(path.read_bytes()))
    return "".join(p.text for p in d.paragraphs)


def test_the_demos_official_notice_states_the_official_briefing(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "通报.docx"
    args = ["report", "--demo", "-m", "county_hqd_official", "-p", "2024", "--city", "4108"]
    args += ["--city-name", "焦作市", "--date", "2025-03-01", "-o", str(out)]
    done = runner.invoke(cli, args)
    assert done.exit_code == 0, done.output
    text = _text(out)
    # the same result as kaoping demo --official -p 2024 (ranks against 2023)
    for s in briefing(official("2024"), city="4108", city_name="焦作市").sentences:
        assert s.text in text
    assert "2025年3月1日" in text


def test_a_data_file_with_previous_counts_rises_against_that_period(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = path("demo/henan_county_demo.csv")  # the demo's data as a user's file
    out = tmp_path / "n.docx"
    args = ["report", str(data), "--units", "henan", "-p", "2024", "--previous", "2023"]
    done = runner.invoke(cli, [*args, "--city", "4108", "-o", str(out)])
    assert done.exit_code == 0, done.output
    expected = briefing(academic("2024"), city="4108", previous=academic("2023"))
    assert any(".rise" in s.key for s in expected.sentences)
    text = _text(out)
    for s in expected.sentences:
        assert s.text in text


def test_refusals_name_the_option_and_the_fix(runner: CliRunner, tmp_path: Path) -> None:
    done = runner.invoke(cli, ["report", "--demo", "-o", str(tmp_path / "x.doc")])
    assert done.exit_code == 2
    assert ".docx" in done.output
    done = runner.invoke(cli, ["report", "-o", str(tmp_path / "x.docx")])
    assert done.exit_code == 2
    assert "--demo" in done.output
    done = runner.invoke(cli, ["report", "--demo", "--date", "3/1", "-o", str(tmp_path / "x.docx")])
    assert done.exit_code == 2
    assert "2025-03-01" in done.output
    assert not (tmp_path / "x.docx").exists()
