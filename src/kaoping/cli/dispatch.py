"""``kaoping dispatch``: the month's key-project dispatch (重点项目月调度) from the city's sheets.

The commands read the registry and the monthly sheet with :mod:`kaoping.dispatch.sheets`
(every bad cell named), compute the month with :mod:`kaoping.dispatch`, and write workbooks;
pandas and the engine are imported inside the commands, so ``kaoping --help`` stays light.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from kaoping.cli import _check_output, _stderr, _t, domain_errors

__all__ = ["dispatch"]

_RED_SHOWN = 20


def _month_option(required: bool) -> Any:
    return click.option(
        "--month",
        required=required,
        help="The month, YYYY-MM (e.g. 2026-11). 月份。"
        + ("" if required else " Default: the latest month in MONTHLY."),
    )


def _xlsx(output: Path) -> None:
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(
            _t(f"输出文件 {output} 的扩展名须为 .xlsx。", f"output {output} must end in .xlsx.")
        )


def _month(month: str | None) -> str | None:
    if month is None:
        return None
    from kaoping.dispatch.progress import parse_month

    try:
        year, mon = parse_month(month)
    except ValueError:
        raise click.BadParameter(
            _t(
                f"月份须写作 YYYY-MM（如 2026-11），收到 {month!r}。",
                f"write YYYY-MM, not {month!r}.",
            ),
            param_hint="--month",
        ) from None
    return f"{year:04d}-{mon:02d}"


def _rules(source: str) -> Any:
    from kaoping.dispatch.alerts import PRESETS, load_rules

    if source in PRESETS or not os.path.exists(source):
        return load_rules(source)
    return load_rules(Path(source))


@click.group()
def dispatch() -> None:
    """Key-project dispatch (重点项目月调度): the month's sheet, its results, templates.

    \b
    重点项目月调度：月调度表、当月结果（序时进度、红黄绿预警、县区排名、三个一批）、模板。
    Examples:
      kaoping dispatch registry-template -o 项目库.xlsx
      kaoping dispatch template --registry 项目库.xlsx --month 2026-11 -o 11月.xlsx
      kaoping dispatch report 11月.xlsx --registry 项目库.xlsx -o 11月结果.xlsx
    """


@dispatch.command("report")
@click.argument("monthly", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--registry",
    "registry_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The registry (项目库), xlsx or CSV.",
)
@click.option(
    "--rules",
    default="yinchuan",
    show_default=True,
    help="Warning rules (预警规则): a preset (yinchuan, tianjin, xinhuang) or a YAML file.",
)
@_month_option(required=False)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the month's results workbook (.xlsx).",
)
@domain_errors
def report(
    monthly: tuple[Path, ...],
    registry_path: Path,
    rules: str,
    month: str | None,
    output: Path | None,
) -> None:
    """The month's results from MONTHLY (the month's sheet; earlier months' sheets too, for
    the cumulative figures and the checks) and the registry.

    \b
    读取月调度表（可同时给出以前各月的表）和项目库，计算当月进度、序时进度、红黄绿预警，
    显示头条数字、各状态和预警颜色的项目数、红色预警项目及原因；-o 写出当月结果工作簿。
    累计数低于上月、或超过总投资而“说明”为空的，列出问题并退出（代码 1）。
    """
    _check_output(output)
    if output is not None:
        _xlsx(output)
    month = _month(month)
    import pandas as pd

    from kaoping.dispatch.sheets import check_reports, read_monthly, read_registry, write_report
    from kaoping.errors import InputError, Problem

    registry = read_registry(registry_path)
    frames = []
    problems: list[Problem] = []
    for path in monthly:
        try:
            frames.append(read_monthly(path))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems)
    reports = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    months = sorted(set(reports["month"].astype(str)))
    if not months:
        raise InputError(
            [
                Problem(
                    "dispatch.no_reports",
                    "月调度表中没有任何项目的填报数据。请填写本月完成投资等数字后再计算。",
                    "the monthly sheet holds no report; fill in the month's figures first.",
                    ", ".join(p.name for p in monthly),
                )
            ]
        )
    month = month or months[-1]
    known = set(registry["project"].astype(str))
    for frame in frames:
        for index in frame.index:
            code = str(frame.at[index, "project"])
            if code not in known:
                letter = frame.attrs["columns"].get("project", "A")
                problems.append(
                    Problem(
                        "dispatch.unknown_project",
                        f"项目编号 {code} 不在项目库中。请核对编号，或先把该项目加入项目库。",
                        f"project id {code} is not in the registry; check it, or add the "
                        "project to the registry first.",
                        f"{frame.attrs['source']}!{letter}{int(frame.at[index, '_row'])}",
                    )
                )
    this = [f[f["month"].astype(str) == month] for f in frames]
    current = pd.concat(this) if len(this) > 1 else this[0]
    current.attrs = next((f.attrs for f, t in zip(frames, this, strict=True) if len(t)), {})
    earlier = reports[reports["month"].astype(str) < month]
    problems += check_reports(current, registry=registry, previous=earlier)
    if problems:
        raise InputError(problems)
    upto = reports[reports["month"].astype(str) <= month]
    year, mon = int(month[:4]), int(month[5:])
    missing = [f"{year}-{m:02d}" for m in range(1, mon) if f"{year}-{m:02d}" not in months]
    if missing:
        _stderr().print(
            _t(
                f"注意：没有给出 {'、'.join(missing)} 的月调度表，当年累计只计给出的月份。",
                f"note: no sheet for {', '.join(missing)}; this year's totals count the months "
                "given only.",
            ),
            markup=False,
        )
    ruleset = _rules(rules)
    _summary(registry, upto, month, ruleset)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(write_report(registry, upto, month, rules=ruleset))
        _stderr().print(_t(f"已写入 {output}。", f"written to {output}."), markup=False)


def _summary(registry: Any, reports: Any, month: str, ruleset: Any) -> None:
    """The headline numbers, the counts by status and colour, the red projects and why."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from kaoping.dispatch.alerts import evaluate
    from kaoping.dispatch.progress import county_progress, progress
    from kaoping.dispatch.questions import new_starts, red_projects, special_bonds
    from kaoping.dispatch.schema import STATUSES

    console = Console(highlight=False)
    table = progress(registry, reports, month)
    county_level = getattr(ruleset, "level", "project") == "county"
    subject = county_progress(table) if county_level else table
    warnings = evaluate(ruleset, subject, registry=registry, reports=reports, month=month)
    starts = new_starts(registry, month)
    bonds = special_bonds(registry)
    share = "—" if starts.share_pct != starts.share_pct else f"{starts.share_pct:.1f}%"
    head = Table(title=_t(f"{month} 重点项目月调度", f"{month} key-project dispatch"))
    head.add_column(_t("问题", "Question"))
    head.add_column(_t("回答", "Answer"))
    head.add_row(
        _t("开工的重点项目", "Key projects started"),
        _t(
            f"{starts.key} 个（工业 {starts.key_industrial} 个，占新开工工业项目 "
            f"{starts.industrial} 个的 {share}）",
            f"{starts.key} ({starts.key_industrial} industrial, {share} of "
            f"{starts.industrial} new industrial projects)",
        ),
    )
    head.add_row(
        _t("专项债券项目", "Special-bond projects"),
        _t(
            f"{bonds.projects} 个，{bonds.amount_yi:.1f} 亿元",
            f"{bonds.projects}, {bonds.amount_yi:.1f} 亿元",
        ),
    )
    ytd, plan = float(table["ytd"].sum()), float(table["annual_plan"].sum())
    done = f"{100 * ytd / plan:.1f}%" if plan > 0 else "—"
    head.add_row(
        _t("当年累计完成投资", "Invested this year"),
        _t(f"{ytd:,.0f} 万元，年度计划的 {done}", f"{ytd:,.0f} (10k yuan), {done} of the plan"),
    )
    counts = table["status"].value_counts()
    head.add_row(
        _t("项目状态", "Status"), "  ".join(f"{s} {int(counts.get(s, 0))}" for s in STATUSES)
    )
    colours = warnings["colour"].value_counts()
    head.add_row(
        _t("预警", "Warnings") + (_t("（县区）", " (counties)") if county_level else ""),
        "  ".join(
            f"[{style}]{_t(zh, en)} {int(colours.get(en, 0))}[/]"
            for en, zh, style in (
                ("red", "红", "red"),
                ("yellow", "黄", "yellow"),
                ("green", "绿", "green"),
            )
        ),
    )
    console.print(head)
    reason = "reason_zh" if _t("zh", "en") == "zh" else "reason_en"
    if county_level:
        red = warnings[warnings["colour"] == "red"]
        rows = [(str(c), "", "", str(r[reason])) for c, r in red.iterrows()]
    else:
        red = red_projects(table, warnings)
        rows = [
            (
                str(p),
                str(r["name"]),
                "—" if r["lag_pp"] != r["lag_pp"] else f"{r['lag_pp']:.1f}",
                str(r.get(reason, "")),
            )
            for p, r in red.iterrows()
        ]
    if not rows:
        console.print(_t("没有红色预警。", "No red warnings."))
        return
    reds = Table(title=_t("红色预警", "Red warnings"))
    for name in (
        _t("编号", "Id"),
        _t("名称", "Name"),
        _t("滞后（百分点）", "Lag (pp)"),
        _t("原因", "Why"),
    ):
        reds.add_column(name)
    for row in rows[:_RED_SHOWN]:
        reds.add_row(*(escape(c) for c in row))
    console.print(reds)
    if len(rows) > _RED_SHOWN:
        console.print(
            _t(
                f"… 另有 {len(rows) - _RED_SHOWN} 个红色预警，"
                "全部见结果工作簿（-o）的“红色预警”页。",
                f"… and {len(rows) - _RED_SHOWN} more; all are on the sheet 红色预警 of the "
                "workbook (-o).",
            )
        )


@dispatch.command("template")
@click.option(
    "--registry",
    "registry_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The registry (项目库) whose projects become the rows.",
)
@_month_option(required=True)
@click.option(
    "--county",
    "counties",
    multiple=True,
    help="Only the projects of this county code (repeatable). 只列出该县区的项目。",
)
@click.option(
    "-o",
    "--output",
    default="monthly.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
@domain_errors
def template(registry_path: Path, month: str, counties: tuple[str, ...], output: Path) -> None:
    """Write the month's sheet to fill (月调度表): one row a project, Chinese headers.

    \b
    写出当月月调度表：每行一个项目，项目编号、名称、县区、月份已填好（灰色）；
    另附“填表说明”页。填好后：kaoping dispatch report 月调度表.xlsx --registry 项目库.xlsx
    """
    _xlsx(output)
    month = _month(month) or ""
    from kaoping.dispatch.sheets import monthly_template, read_registry

    registry = read_registry(registry_path)
    if counties:
        registry = registry[registry["county"].astype(str).isin(counties)]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(monthly_template(registry, month))
    _stderr().print(
        _t(
            f"已写入 {output}：{month}，{len(registry)} 个项目。",
            f"written to {output}: {month}, {len(registry)} projects.",
        ),
        markup=False,
    )


@dispatch.command("registry-template")
@click.option(
    "-o",
    "--output",
    default="projects.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
@domain_errors
def registry_template_command(output: Path) -> None:
    """Write an empty registry (项目库) to fill: every column, Chinese headers.

    \b
    写出空白项目库：项目身份、位置、单位、资金、进度、前期手续各列，另附“填表说明”页。
    """
    _xlsx(output)
    from kaoping.dispatch.sheets import registry_template

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(registry_template())
    _stderr().print(_t(f"已写入 {output}。", f"written to {output}."), markup=False)
