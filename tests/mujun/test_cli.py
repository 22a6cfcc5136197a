"""``kaoping mujun`` and ``kaoping demo --mujun`` through Click's runner."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from kaoping.cli import cli
from kaoping.errors import set_language

from .conftest import HEADER, ROWS


@pytest.fixture(autouse=True)
def chinese() -> None:
    set_language("zh")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def many_csv(tmp_path: Path) -> Path:
    """31 firms: the six of the hand example, copied four times under other codes, and z (a's
    copy)."""
    rows = [
        row.replace(row.split(",")[0], f"{row.split(',')[0]}{k}", 1)
        for k in range(4)
        for row in ROWS
    ]
    path = tmp_path / "many.csv"
    path.write_text(
        HEADER + "\n" + "\n".join([*ROWS, *rows, ROWS[0].replace("a,", "z,", 1)]) + "\n",
        encoding="utf-8",
    )
    return path


def test_assess_prints_the_top_firms_and_a_summary_line(
    runner: CliRunner, many_csv: Path, bench_csv: str, tmp_path: Path
) -> None:
    out = tmp_path / "结果.csv"
    res = runner.invoke(
        cli, ["mujun", "assess", str(many_csv), "--benchmarks", bench_csv, "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert f"另有 21 家企业，见 {out}" in res.stdout
    assert "A 优先发展" in res.stdout
    assert "不定等级" in res.stdout
    body = [line for line in res.stdout.splitlines() if "公司" in line]
    assert len(body) == 10  # the top 10 only
    with out.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 31
    assert rows[0]["企业代码"] in {"a", "a0", "a1", "a2", "a3", "z"}
    assert rows[0]["等级"] == "A"
    assert "已写入" in res.stderr


def test_assess_in_english(runner: CliRunner, many_csv: Path, tmp_path: Path) -> None:
    res = runner.invoke(cli, ["--lang", "en", "mujun", "assess", str(many_csv)])
    assert res.exit_code == 0, res.output
    assert "and 21 more firms: write them all with -o OUT.xlsx or --json" in res.stdout


def test_json_holds_every_firm(runner: CliRunner, firm_csv: str, bench_csv: str) -> None:
    res = runner.invoke(cli, ["mujun", "assess", firm_csv, "--benchmarks", bench_csv, "--json"])
    assert res.exit_code == 0, res.output
    assert "NaN" not in res.stdout
    data = json.loads(res.stdout)
    assert [f["code"] for f in data["firms"]] == ["a", "d", "b", "c", "e", "f"]
    assert {c["class"]: c["count"] for c in data["classes"]} == {
        "A": 1, "B": 2, "C": 1, "D": 1, "不定等级": 1,
    }  # fmt: skip
    assert data["firms"][5]["rank"] is None
    assert data["firms"][5]["exempt_reason"] == "公用事业"
    assert len(data["counties"]) == 2
    assert data["year"] == "2024"
    assert data["synthetic"] is False
    assert set(data["firms"][0]) >= {"tax_per_mu", "tax_per_mu_points", "score", "note_zh"}


def test_the_workbook_has_its_four_sheets(
    runner: CliRunner, firm_csv: str, bench_csv: str, tmp_path: Path
) -> None:
    out = tmp_path / "结果.xlsx"
    res = runner.invoke(
        cli, ["mujun", "assess", firm_csv, "--benchmarks", bench_csv, "-o", str(out)]
    )
    assert res.exit_code == 0, res.output
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == ["企业评价", "县域汇总", "标杆值", "说明"]
    rows = list(book["企业评价"].iter_rows(values_only=True))
    assert rows[0][:3] == ("排名", "企业代码", "企业名称")
    assert len(rows) == 7
    assert rows[1][1] == "a"
    assert rows[6][-2] == "公用事业"
    assert rows[6][-1] is None
    bench = list(book["标杆值"].iter_rows(values_only=True))
    assert bench[1][0] == "默认"
    assert bench[2][0] == "34"
    about = "\n".join(str(c) for row in book["说明"].iter_rows(values_only=True) for c in row)
    assert "⌊q_c × n ÷ 100⌋" in about
    assert "Σ实缴税金 ÷ Σ用地面积" in about
    assert "合成数据" not in about  # the firm's own data are not synthetic


def test_county_out_is_read_by_kaoping_assess(
    runner: CliRunner, firm_csv: str, bench_csv: str, tmp_path: Path
) -> None:
    county = tmp_path / "县域.csv"
    res = runner.invoke(
        cli, ["mujun", "assess", firm_csv, "--benchmarks", bench_csv, "--county-out", str(county)]
    )
    assert res.exit_code == 0, res.output
    methodology = tmp_path / "m.yaml"
    methodology.write_text(
        "id: mujun_county\nname: 县域亩均\nnormalization: {method: minmax, range: [0, 100]}\n"
        "weighting: fixed\naggregation: arithmetic\ndimensions:\n"
        "  - id: land\n    name: 集约节约\n    indicators:\n"
        "      - {id: industrial_tax_per_mu, name: 工业用地亩均税收, unit: 万元/亩,\n"
        "         direction: positive}\n"
        "      - {id: industrial_va_per_mu, name: 工业用地亩均增加值, unit: 万元/亩,\n"
        "         direction: positive}\n"
        "      - {id: mujun_a_share, name: 亩均A类企业占比, unit: '%', direction: positive}\n",
        encoding="utf-8",
    )
    res = runner.invoke(
        cli,
        ["assess", str(county), "-m", str(methodology), "--units", "henan", "-p", "2024", "--json"],
    )
    assert res.exit_code == 0, res.output
    ranking = {r["unit"]: r["rank"] for r in json.loads(res.stdout)}
    assert ranking == {"410883": 2, "410882": 1} or ranking == {"410883": 1, "410882": 2}


def test_bad_cells_exit_1_naming_them(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "坏.csv"
    path.write_text(HEADER + "\n" + ROWS[0].replace(",10,", ",十,", 1) + "\n", encoding="utf-8")
    res = runner.invoke(cli, ["mujun", "assess", str(path)])
    assert res.exit_code == 1
    assert "坏.csv!E2" in res.stderr
    assert "用地面积" in res.stderr


def test_thresholds_flag(runner: CliRunner, firm_csv: str, bench_csv: str) -> None:
    res = runner.invoke(
        cli, ["mujun", "assess", firm_csv, "--benchmarks", bench_csv, "--thresholds", "--json"]
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["method"] == "thresholds"
    assert [f["class"] for f in data["firms"]] == ["A", "B", "B", "C", "C", "不定等级"]


def test_the_template_round_trips(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "企业.xlsx"
    res = runner.invoke(cli, ["mujun", "template", "-o", str(path)])
    assert res.exit_code == 0, res.output
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["企业", "标杆值", "说明"]
    sheet = book["企业"]
    for row in ROWS:
        sheet.append([*row.split(",")[:4], *map(float, [v or "nan" for v in row.split(",")[4:12]]),
                      *row.split(",")[12:]])  # fmt: skip
    book["标杆值"].append(["34", "通用设备制造业", 30, 150, 20, 3, 5000, 0.04])
    book.save(path)
    res = runner.invoke(cli, ["mujun", "assess", str(path), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [f["code"] for f in data["firms"]] == ["a", "d", "b", "c", "e", "f"]  # 标杆值 sheet used
    assert data["firms"][1]["benchmark_basis"] == "34"


def test_demo_mujun_has_50000_synthetic_firms(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "demo.csv"
    res = runner.invoke(cli, ["demo", "--mujun", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert f"另有 49,990 家企业，见 {out}" in res.stdout
    assert "合成数据" in res.stdout
    assert "（合成数据）" in res.stdout
    with out.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 50_000
    assert {r["数据性质"] for r in rows} == {"合成数据 / synthetic"}
    classes = {k: sum(r["等级"] == k for r in rows) for k in ("A", "B", "C", "D", "不定等级")}
    graded = 50_000 - classes["不定等级"]
    assert 0.02 * 50_000 < classes["不定等级"] < 0.04 * 50_000  # ~3 % exempt
    assert classes["A"] >= graded * 25 // 100  # ties at the top only ever add to A
    assert len({r["县区代码"] for r in rows}) > 150  # Henan's county-level units
