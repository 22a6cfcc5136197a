"""``kaoping observation``: an on-site observation event (观摩评比) from its workbook.

The commands read the event's workbook with :mod:`kaoping.observation.io` (every bad cell
named), compute the result with :func:`kaoping.observation.aggregate`, and write workbooks;
pandas and the engine are imported inside the commands, so ``kaoping --help`` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kaoping.cli import _stderr, _t, domain_errors

__all__ = ["observation"]


def _xlsx(output: Path) -> None:
    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(
            _t(f"输出文件 {output} 的扩展名须为 .xlsx。", f"output {output} must end in .xlsx.")
        )


@click.group()
def observation() -> None:
    """On-site observation events (观摩评比): judges' scores, ranks per group.

    \b
    观摩评比：评委打分、去掉最高分和最低分、分组排名、异常评委提示。
    Examples:
      kaoping observation demo -o 观摩.xlsx
      kaoping observation results 观摩.xlsx -o 观摩结果.xlsx
    """


@observation.command("demo")
@click.option("--seed", default=0, show_default=True, type=int, help="The demo's random seed.")
@click.option(
    "--quarter", default="2026-Q1", show_default=True, help="The quarter, e.g. 2026-Q1. 季度。"
)
@click.option(
    "-o",
    "--output",
    default="observation.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
@domain_errors
def demo(seed: int, quarter: str, output: Path) -> None:
    """Write a synthetic Jiaozuo observation event (示例数据): groups, criteria, 9 judges and
    their scores, as the workbook ``results`` reads.

    \b
    写出焦作观摩评比示例工作簿（合成数据）：分组、评分项、9 名评委及其打分。
    """
    _xlsx(output)
    from kaoping.observation.demo import event
    from kaoping.observation.io import write_event

    try:
        spec, scores = event(seed=seed, quarter=quarter)
    except ValueError:
        raise click.BadParameter(
            _t(
                f"季度须写作 YYYY-Qn（如 2026-Q1），收到 {quarter!r}。",
                f"write YYYY-Qn (e.g. 2026-Q1), not {quarter!r}.",
            ),
            param_hint="--quarter",
        ) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    write_event(spec, scores, output)
    _stderr().print(
        _t(
            f"已写入 {output}：{spec.period}，{len(spec.units)} 个单位，{len(spec.judges)} 名评委"
            "（合成示例数据）。",
            f"written to {output}: {spec.period}, {len(spec.units)} units, "
            f"{len(spec.judges)} judges (synthetic demo data).",
        ),
        markup=False,
    )


@observation.command("results")
@click.argument("event", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the results workbook (.xlsx).",
)
@domain_errors
def results(event: Path, output: Path | None) -> None:
    """The event's results from its workbook EVENT: ranks per group, flagged and left-out
    judges.

    \b
    读取观摩评比工作簿，按设置的汇总方式计算各单位得分，显示各组名次、异常评委及未采用的评委；
    -o 写出结果工作簿。有错误（分数超出满分、重复打分、缺少打分等）时列出全部问题并退出（代码 1）。
    """
    if output is not None:
        _xlsx(output)
    from kaoping.observation import aggregate
    from kaoping.observation.io import read_event, write_results

    spec, scores = read_event(event, complete=True)
    result = aggregate(spec, scores)
    _print(result)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        write_results(result, output)
        _stderr().print(_t(f"已写入 {output}。", f"written to {output}."), markup=False)


def _print(result: Any) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from kaoping.observation.model import AGGREGATION_NAMES

    console = Console(highlight=False)
    spec = result.spec
    zh, en = AGGREGATION_NAMES[spec.aggregation]
    criteria = [c.name for c in spec.criteria]
    for group, part in result.table.groupby("group", sort=False):
        part = part.sort_values(["rank", "total"], ascending=[True, False], kind="stable")
        table = Table(
            title=_t(
                f"{spec.period} 观摩评比 · {group}（{zh}）",
                f"{spec.period} observation · {group} ({en})",
            )
        )
        for head in (_t("名次", "Rank"), _t("代码", "Code"), _t("名称", "Name")):
            table.add_column(head, overflow="fold")  # on a narrow terminal: wrap, never cut
        for name in criteria:
            table.add_column(escape(name), justify="right", overflow="fold")
        table.add_column(_t("总分", "Total"), justify="right", overflow="fold")
        table.add_column(_t("评委数", "Judges"), justify="right", overflow="fold")
        for unit, row in part.iterrows():
            table.add_row(
                str(int(row["rank"])),
                str(unit),
                escape(str(row["name"])),
                *(f"{row[c]:.2f}" for c in criteria),
                f"{row['total']:.2f}",
                str(int(row["judges"])),
            )
        console.print(table)
    text = "zh" if _t("zh", "en") == "zh" else "en"
    for flag in result.flags.itertuples(index=False):
        kept = flag.judge not in result.left_out
        mark = _t("（组织者保留）", " (kept by the organiser)") if kept else ""
        console.print(
            f"[yellow]{_t('评委提示', 'Judge flag')}[/] {escape(getattr(flag, text))}{mark}",
            soft_wrap=True,
        )
    if result.left_out:
        reasons = {
            "excluded": _t("组织者排除", "excluded by the organiser"),
            "flat": _t("分数无差别", "all totals equal"),
            "far": _t("偏离其他评委", "far from the others"),
        }
        shown = "; ".join(
            f"{j}: " + _t("、", ", ").join(reasons.get(r, r) for r in why.split(","))
            for j, why in result.left_out.items()
        )
        console.print(
            _t(f"未采用的评委：{shown}", f"Judges left out: {shown}"), markup=False, soft_wrap=True
        )
    else:
        console.print(_t("所有评委的打分均已采用。", "Every judge's scores are used."))
