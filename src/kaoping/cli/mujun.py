"""``kaoping mujun``: 亩均论英雄 — evaluate every industrial enterprise by benchmark ratios.

``template`` writes an empty firm workbook (企业 + 标杆值), ``assess`` scores, ranks and classes
the firms of a table and writes the workbook, the CSV, the JSON and the county indicator file;
``kaoping demo --mujun`` runs it on 50,000 synthetic firms.  The console never lists every
firm: the top 10, the class counts, the leading counties and a summary line.  pandas and the
engine are imported inside the commands, so ``kaoping --help`` stays light.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from kaoping.cli import _read_units, _stderr, _t, domain_errors

__all__ = ["mujun", "report", "run_demo"]

_TOP = 10


@click.group()
def mujun() -> None:
    """亩均论英雄: per-mu evaluation of industrial enterprises (规上工业企业亩均效益评价).

    \b
    按亩均税收、亩均增加值、全员劳动生产率、单位能耗增加值、单位排放增加值、R&D 经费占比
    六项指标（标杆比值法，分行业标杆值）给每家规上工业企业计分、排名，按百分位分为
    A 优先发展 / B 鼓励提升 / C 规范转型 / D 调控帮扶，不定等级企业单列，并按县汇总。
      kaoping mujun template -o 企业.xlsx
      kaoping mujun assess 企业.xlsx -o 结果.xlsx --county-out 县域.csv
      kaoping demo --mujun                 (50,000 家合成企业 / synthetic firms)
    """


def _suffix(path: Path | None, allowed: tuple[str, ...], option: str) -> None:
    if path is not None and path.suffix.lower() not in allowed:
        raise click.UsageError(
            _t(
                f"{option} 的文件 {path} 扩展名须为 {' 或 '.join(allowed)}。",
                f"{option}: {path} must end in {' or '.join(allowed)}.",
            )
        )


@mujun.command("template")
@click.option(
    "-o",
    "--output",
    default="企业.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
@click.option(
    "-m",
    "--spec",
    "spec_path",
    default="enterprise_mujun",
    show_default=True,
    help="The 亩均 spec (YAML file, or the bundled enterprise_mujun).",
)
@domain_errors
def template_command(output: Path, spec_path: str) -> None:
    """Write an empty firm workbook: 企业 (one row per firm), 标杆值 (per industry), 说明.

    \b
    写出空白企业表：“企业”页每行一家企业（企业代码、县区代码、行业代码、用地面积、实缴税金 …），
    “标杆值”页每行一个行业大类（可不填：按默认标杆值），“说明”页解释每一列。
    """
    from kaoping.mujun import load_spec
    from kaoping.mujun.workbook import write_template

    _suffix(output, (".xlsx",), "-o")
    spec = load_spec(spec_path)
    write_template(spec, output)
    _stderr().print(
        _t(
            f"已写入 {output}：企业表 {len(spec.fields) + 7} 列，"
            f"标杆值表 {len(spec.indicators) + 2} 列。",
            f"written to {output}: the firm sheet ({len(spec.fields) + 7} columns) and the "
            f"benchmark sheet ({len(spec.indicators) + 2} columns).",
        ),
        markup=False,
    )


@mujun.command("assess")
@click.argument("firms", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--benchmarks",
    "benchmarks_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Industry benchmarks (分行业标杆值, CSV/xlsx: 行业代码 + one column per indicator); "
    "default: the 标杆值 sheet of FIRMS.xlsx if it has rows, else the spec's defaults.",
)
@click.option(
    "-m",
    "--spec",
    "spec_path",
    default="enterprise_mujun",
    show_default=True,
    help="The 亩均 spec (YAML file, or the bundled enterprise_mujun).",
)
@click.option(
    "--thresholds",
    is_flag=True,
    help="Class by the spec's score thresholds (min_score) instead of by percentile.",
)
@click.option(
    "--units",
    "units_path",
    default="henan",
    show_default=True,
    help="Units table the 县区代码 must belong to: 'henan' (bundled), a file, or 'none'.",
)
@click.option("--sheet", help="Worksheet of FIRMS to read (default: the first).")
@click.option("-p", "--year", help="Evaluation year (default: the 年份 column of FIRMS).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every firm to OUT.xlsx (企业评价, 县域汇总, 标杆值, 说明) or OUT.csv.",
)
@click.option("--json", "as_json", is_flag=True, help="Print everything as JSON.")
@click.option(
    "--county-out",
    "county_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the county indicators (代码, 名称, 年份, 工业用地亩均税收, 工业用地亩均增加值, "
    "亩均A类企业占比) to a .csv/.xlsx that kaoping assess reads.",
)
@domain_errors
def assess_command(
    firms: Path,
    benchmarks_path: Path | None,
    spec_path: str,
    thresholds: bool,
    units_path: str,
    sheet: str | None,
    year: str | None,
    output: Path | None,
    as_json: bool,
    county_out: Path | None,
) -> None:
    """Score, rank and class every firm of FIRMS (CSV or xlsx).

    \b
    对企业表中的每家企业按标杆比值法计分、排名并分类（默认按百分位：A 前 25%、B 26–70%、
    C 71–95%、D 后 5%；--thresholds 按分数线），不定等级企业单列并写明原因；屏幕上只显示
    前 10 家、各类数量和占比、A 类占比最高的县，全部结果见 -o / --json。
    Example: kaoping mujun assess 企业.xlsx --benchmarks 标杆值.xlsx -o 结果.xlsx
             --county-out 县域.csv
    """
    from kaoping.mujun import evaluate, load_spec, read_benchmarks, read_firms
    from kaoping.mujun.sheets import benchmarks_from_grid_path

    _suffix(output, (".xlsx", ".csv"), "-o")
    _suffix(county_out, (".csv", ".xlsx"), "--county-out")
    spec = load_spec(spec_path)
    if thresholds:
        spec = spec.with_method("thresholds")
    units = None if units_path == "none" else _read_units(Path(units_path))
    table = read_firms(firms, spec, units=units, sheet=sheet)
    benchmarks: Any
    if benchmarks_path is not None:
        benchmarks = read_benchmarks(benchmarks_path, spec)
    elif firms.suffix.lower() == ".xlsx":
        benchmarks = benchmarks_from_grid_path(firms, spec)
    else:
        benchmarks = None
    result = evaluate(spec, table, benchmarks, units=units, year=year)
    report(result, output=output, as_json=as_json, county_out=county_out)


def run_demo(output: Path | None, as_json: bool, year: str | None) -> None:
    """``kaoping demo --mujun``: 50,000 synthetic firms over Henan's counties."""
    from kaoping.data.bundled import henan_units
    from kaoping.mujun import evaluate, load_spec
    from kaoping.mujun.demo import demo_benchmarks, demo_firms

    if output is None and not as_json:
        output = Path("mujun_results.xlsx")
    _suffix(output, (".xlsx", ".csv"), "-o")
    spec = load_spec()
    units = henan_units()
    result = evaluate(
        spec, demo_firms(spec, units), demo_benchmarks(spec), units=units,
        year=year or "2024", synthetic=True,
    )  # fmt: skip
    report(result, output=output, as_json=as_json)


def _json_default(value: Any) -> Any:
    item = getattr(value, "item", None)
    if callable(item):
        return item()
    return str(value)


def report(
    result: Any, *, output: Path | None, as_json: bool, county_out: Path | None = None
) -> None:
    """Print the summary (or the JSON), the notes on stderr, and write the files asked for."""
    from kaoping.errors import get_language

    english = get_language() == "en"
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, default=_json_default))
    else:
        _print_summary(result, output, english)
    err = _stderr()
    for note in result.notes:
        err.print(f"{_t('提示', 'Note')}: {note.message()}", markup=False)
    if output is not None:
        from kaoping.mujun.workbook import write_csv, write_workbook

        if output.suffix.lower() == ".xlsx":
            write_workbook(result, output, english=english)
        else:
            write_csv(result, output, english=english)
        err.print(
            _t(
                f"已写入 {output}：{len(result.firms):,} 家企业。",
                f"written to {output}: {len(result.firms):,} firms.",
            ),
            markup=False,
        )
    if county_out is not None:
        _write_counties(result, county_out)
        err.print(
            _t(
                f"已写入 {county_out}：{len(result.counties):,} 个县（市、区）的亩均指标。",
                f"written to {county_out}: the per-mu indicators of {len(result.counties):,} "
                "counties.",
            ),
            markup=False,
        )


def _write_counties(result: Any, path: Path) -> None:
    from kaoping.errors import InputError, Problem
    from kaoping.mujun import county_indicators

    if result.year is None:
        raise InputError(
            [
                Problem(
                    "mujun.no_year",
                    "写县域指标需要年份：企业表没有“年份”列。请用 -p 给出，如 -p 2024。",
                    "the county indicators need a year and the firm table has no 年份 column; "
                    "give it with -p, e.g. -p 2024.",
                    "--county-out",
                )
            ]
        )
    table = county_indicators(
        result.counties, result.year, first_class=result.spec.classes[0].id,
        synthetic=result.synthetic,
    )  # fmt: skip
    if path.suffix.lower() == ".csv":
        table.to_csv(path, index=False, encoding="utf-8-sig")
    else:
        table.to_excel(path, index=False, sheet_name="县域亩均")


def _console() -> Any:
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=max(console.width, 160))
    return console


def _print_summary(result: Any, output: Path | None, english: bool) -> None:
    import math

    from rich.markup import escape
    from rich.table import Table

    from kaoping.data.bundled import henan_names_en

    spec = result.spec
    firms = result.firms
    console = _console()
    names_en = henan_names_en() if english else {}
    class_en = {c.id: c.name_en for c in spec.classes} if english else {}
    class_en[spec.exempt_class] = spec.exempt_class_en if english else spec.exempt_class
    mark = _t("（合成数据）", " (synthetic data)") if result.synthetic else ""
    title = f"{spec.name_en if english else spec.name} · {result.year or '—'}{mark}"
    top = Table(title=title + _t(f" · 前 {_TOP} 名", f" · top {_TOP}"))
    for head, justify in (
        (_t("排名", "Rank"), "right"),
        (_t("企业代码", "Firm code"), "left"),
        (_t("企业名称", "Firm"), "left"),
        (_t("县区", "County"), "left"),
        (_t("行业", "Industry"), "left"),
        (_t("综合得分", "Score"), "right"),
        (_t("等级", "Class"), "left"),
    ):
        top.add_column(head, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    shown = firms.head(_TOP)
    for row in shown.to_dict("records"):
        rank = row["rank"]
        top.add_row(
            "—" if math.isnan(rank) else str(int(rank)),
            escape(str(row["code"])),
            escape(str(row["name"])),
            escape(str(names_en.get(row["county"]) or row["county_name"] or row["county"])),
            str(row["industry"]),
            f"{row['score']:.2f}",
            f"{row['class']} {class_en.get(row['class'], row['class_name'])}".strip()
            if row["class"] != spec.exempt_class
            else class_en[spec.exempt_class],
        )
    console.print(top)
    counts = result.class_counts()
    classes = Table(
        title=_t(f"等级（参评 {result.graded:,} 家）", f"Classes ({result.graded:,} graded)"),
    )
    for head in (
        _t("等级", "Class"),
        _t("名称", "Name"),
        _t("企业数", "Firms"),
        _t("占比", "Share"),
    ):
        classes.add_column(
            head, justify="right" if head in ("企业数", "Firms", "占比", "Share") else "left"
        )
    for c, row in counts.iterrows():
        share = (
            ""
            if isinstance(row["share"], float) and math.isnan(row["share"])
            else f"{row['share']:.1%}"
        )
        classes.add_row(
            str(c), str(row["name_en"] if english else row["name"]), f"{int(row['count']):,}", share
        )
    console.print(classes)
    console.print(  # below the table, not its caption: a caption folds to the table's width
        _t(
            f"占比 = 该类企业数 ÷ 参评企业数；{spec.exempt_class}企业不参评。",
            f"share = firms of the class / graded firms; {spec.exempt_class_en} firms are not "
            "graded.",
        ),
        markup=False,
    )
    exempt = firms[firms["class"] == spec.exempt_class]
    if len(exempt):
        by_reason = exempt["exempt_reason"].value_counts()
        console.print(
            _t(f"{spec.exempt_class}：", f"{spec.exempt_class_en}: ")
            + _t("、", ", ").join(f"{escape(str(k))} {v:,}" for k, v in by_reason.items()),
            markup=False,
        )
    counties = result.counties
    first = spec.classes[0].id
    floor = 10 if (counties["graded"] >= 10).any() else 1
    leaders = (
        counties[counties["graded"] >= floor]
        .sort_values([f"{first}_share", "graded"], ascending=[False, False])
        .head(_TOP)
    )
    lead = Table(
        title=_t(
            f"{first} 类占比最高的县（市、区）（参评企业 ≥ {floor} 家）",
            f"Counties with the largest share of class {first} (≥ {floor} graded firms)",
        )
    )
    for head in (
        _t("县区", "County"),
        _t("参评企业", "Graded"),
        _t(f"{first} 类", f"Class {first}"),
        _t("占比", "Share"),
        _t("亩均税收", "Tax per mu"),
    ):
        lead.add_column(head, justify="left" if head in ("县区", "County") else "right")
    for code, row in leaders.iterrows():
        tax = row["tax_per_mu"]
        lead.add_row(
            escape(f"{names_en.get(str(code)) or row['name'] or code}"),
            f"{int(row['graded']):,}",
            f"{int(row[first]):,}",
            f"{row[f'{first}_share']:.1%}",
            "—" if math.isnan(tax) else f"{tax:.2f}",
        )
    console.print(lead)
    rest = len(firms) - len(shown)
    if rest > 0:
        where = (
            _t(f"见 {output}", f"see {output}")
            if output is not None
            else _t(
                "用 -o 结果.xlsx 或 --json 输出全部", "write them all with -o OUT.xlsx or --json"
            )
        )
        click.echo(_t(f"另有 {rest:,} 家企业，{where}", f"and {rest:,} more firms: {where}"))
    else:
        click.echo(_t(f"共 {len(firms):,} 家企业。", f"{len(firms):,} firms in all."))
    if result.synthetic:
        from kaoping.mujun.demo import DEMO_NOTE

        click.echo(DEMO_NOTE[1] if english else DEMO_NOTE[0])
