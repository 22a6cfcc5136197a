"""The ``kaoping`` command line (Click + Rich).

The library does the work; the commands only read arguments, call it, and print.  Exit codes:
0 success, 1 bad input or a domain error (every problem on stderr, never a traceback), 2 usage
error (Click's own).
"""

from __future__ import annotations

import functools
import gc
import json
import math
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import click

from kaoping import __version__
from kaoping.errors import (
    InputError,
    KaopingError,
    KaopingWarning,
    get_language,
    set_language,
)

# Rich, pandas, numba and the engine are imported inside the commands that use them:
# `kaoping --help` and `kaoping --version` load click and kaoping.errors only.
if TYPE_CHECKING:
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["cli", "main"]


_SHOWN = 100  # problems printed before "… and N more": a file with 900 bad cells stays readable
_ALL_ROWS = 200  # the console shows every row of a ranking up to this many units (counties) …
_TOP_ROWS = 20  # … and above, the first rows only (enterprises, townships: 10^5 rows)


def _t(zh: str, en: str) -> str:
    return zh if get_language() == "zh" else en


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def domain_errors[F: Callable[..., Any]](fn: F) -> F:
    """Turn kaoping's domain errors into messages on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except InputError as exc:
            err = _stderr()
            n = len(exc.problems)
            err.print(_t(f"[bold red]发现 {n} 个问题：[/]", f"[bold red]{n} problem(s) found:[/]"))
            shown = (
                exc.problems if os.environ.get("KAOPING_ALL_PROBLEMS") else exc.problems[:_SHOWN]
            )
            for problem in shown:
                err.print(f"  • {problem.message()}", markup=False)
            if len(shown) < n:
                err.print(
                    _t(
                        f"  … 另有 {n - len(shown):,} 个问题未列出；全部 {n:,} 个问题按类别："
                        f"{_kinds(exc.problems)}。设置 KAOPING_ALL_PROBLEMS=1 可列出全部。",
                        f"  … and {n - len(shown):,} more; all {n:,} problems by kind: "
                        f"{_kinds(exc.problems)}. Set KAOPING_ALL_PROBLEMS=1 to list them all.",
                    ),
                    markup=False,
                )
            sys.exit(1)
        except KaopingError as exc:
            _stderr().print(f"{_t('错误', 'Error')}: {exc}", markup=False)
            sys.exit(1)
        except (OSError, ValueError) as exc:
            _stderr().print(f"{_t('错误', 'Error')}: {exc}", markup=False)
            sys.exit(1)
        except Exception as exc:  # a bug: say so plainly; KAOPING_DEBUG=1 shows the traceback
            if os.environ.get("KAOPING_DEBUG"):
                raise
            _stderr().print(
                _t(
                    f"内部错误（{type(exc).__name__}: {exc}）。"
                    "请设置 KAOPING_DEBUG=1 重新运行并报告。",
                    f"internal error ({type(exc).__name__}: {exc}). Re-run with KAOPING_DEBUG=1 "
                    "and report it.",
                ),
                markup=False,
            )
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


_KINDS: dict[str, tuple[str, str]] = {
    "data.not_a_number": ("不是数字", "not a number"),
    "data.missing_code": ("缺少单位代码", "no unit code"),
    "data.bad_code": ("单位代码有误", "bad unit code"),
    "data.missing_period": ("缺少时期", "no period"),
    "data.bad_period": ("时期有误", "bad period"),
    "data.duplicate": ("重复的行或数值", "given twice"),
    "data.unknown_unit": ("不在单位表中的代码", "not in the units table"),
    "data.unit_not_valid": ("该时期不存在的单位", "unit not valid in the period"),
    "data.extra_cells": ("表头以外的单元格", "cells beyond the header"),
    "data.formula_without_value": ("公式没有保存结果", "formula without a value"),
    "data.missing_value": ("缺少数值", "value missing"),
    "data.unknown_name": ("单位表中没有的名称", "name not in the units table"),
    "data.unknown_indicator": ("未知的指标", "unknown indicator"),
}
"""Short names of the kinds of problem, for the count of those not listed."""


def _kinds(problems: Sequence[Any]) -> str:
    """``不是数字 950、重复的行或数值 50``: the problems counted by kind, most frequent first."""
    from collections import Counter

    counts = Counter(problem.code for problem in problems)
    zh = get_language() == "zh"
    parts = [
        f"{_KINDS[code][0 if zh else 1] if code in _KINDS else code} {count:,}"
        for code, count in counts.most_common()
    ]
    return ("、" if zh else ", ").join(parts)


def _methodology_option(help_text: str) -> Callable[[F], F]:
    """The ``-m/--methodology`` option, defaulting to the bundled county_hqd."""
    return click.option(
        "-m",
        "--methodology",
        "methodology_path",
        default="county_hqd",
        show_default=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help=help_text,
    )


def _period_option() -> Callable[[F], F]:
    """The ``-p/--period`` option of the analyses."""
    return click.option(
        "-p",
        "--period",
        help="Period to assess (default: the latest); also the period of every row of a DATA "
        "file without a period column.",
    )


def _check_output(output: Path | None) -> None:
    if output is not None and output.suffix.lower() not in (".xlsx", ".csv", ".parquet"):
        raise click.UsageError(
            _t(
                f"输出文件 {output} 的扩展名须为 .xlsx、.csv 或 .parquet。",
                f"output {output} must end in .xlsx, .csv or .parquet.",
            )
        )


def _top_option() -> Callable[[F], F]:
    """The ``--top`` option: how many rows of the ranking the console shows."""
    return click.option(
        "--top",
        type=click.IntRange(min=0),
        default=None,
        help=f"Rows of the ranking shown on the console (default: all up to {_ALL_ROWS} units, "
        f"else the first {_TOP_ROWS}, the leader of each category and a line saying where the "
        "rest is; 0: all).  -o and --json always write every unit.",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kaoping")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of messages and headers (default: zh, or $KAOPING_LANG). 界面语言。",
)
def cli(lang: str | None) -> None:
    """kaoping (考评): assess and rank county economies.

    \b
    县域经济高质量发展考核评价：综合评价、排名、方阵。
    Examples:
      kaoping demo                      (the default assessment on synthetic demo data)
      kaoping template -o 填报表.xlsx    (an empty form to fill in)
      kaoping assess 填报表.xlsx --units henan -p 2024 -o results.xlsx
      kaoping assess data.xlsx -m methodology.yaml -p 2024 -o results.xlsx
      kaoping methodology check methodology.yaml
      kaoping dispatch report 11月.xlsx --registry 项目库.xlsx -o 11月结果.xlsx
      kaoping chains gaps 产业链.xlsx -o 缺链清单.xlsx
    """
    if lang:
        set_language(lang)


@cli.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@_methodology_option(
    "Methodology YAML file (考核办法), or a bundled one: county_hqd, county_hqd_entropy_topsis."
)
@click.option(
    "--units",
    "units_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Units table (CSV/xlsx: 代码, 名称, 上级, 类别 …) for names and category ranks; "
    "'henan' for the bundled table of Henan's county-level units.  With it, DATA may name "
    "its units (名称, 县（市）…) instead of coding them.",
)
@click.option(
    "-p",
    "--period",
    help="Period to assess, e.g. 2024, 2024-Q3, 2024-H1, 2024-06 (default: the latest); also "
    "the period of every row of a DATA file without a period column.",
)
@click.option("--sheet", help="Worksheet of DATA to read (default: the first).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the results to OUT.xlsx (all tables), OUT.csv or OUT.parquet (the ranking).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@click.option(
    "--targets",
    "targets_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Official path: targets (目标值) per unit, indicator and year (CSV/xlsx laid out like "
    "the data); default: the file the methodology names.",
)
@click.option(
    "--bonus",
    "events_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Official path: bonus, penalty and veto lines with evidence (代码, 年份, 事项, 数量, "
    "依据, 日期).",
)
@click.option(
    "--judged",
    "judged_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Official path: judges' scores (代码, 评委, 评分项, 分数) for judged indicators.",
)
@click.option(
    "--previous",
    help="Official path: last period's ranks for progress (进位): a results file written by "
    "kaoping (.xlsx/.csv), or a period of DATA to assess first (e.g. 2023).",
)
@click.option(
    "--audit",
    "with_audit",
    is_flag=True,
    help="With -o OUT.xlsx: add the sheet 统计审计 (COINr's statistical audit: indicator "
    "statistics, correlations with the parent and the index, Cronbach's alpha, PCA).",
)
@_top_option()
@domain_errors
def assess(
    data: Path,
    methodology_path: Path,
    units_path: Path | None,
    period: str | None,
    sheet: str | None,
    output: Path | None,
    as_json: bool,
    targets_path: Path | None,
    events_path: Path | None,
    judged_path: Path | None,
    previous: str | None,
    with_audit: bool = False,
    top: int | None = None,
) -> None:
    """Score, rank and tier the units in DATA (CSV, xlsx or Parquet) under a methodology.

    \b
    对 DATA（CSV、xlsx 或 Parquet，宽表或长表）按考核办法计算综合得分、排名和方阵。
    单位很多时（如全省企业），屏幕只显示前 20 行、各类别第一名和一行说明，全部结果写入 -o 文件。
    \b
    用自己的 Excel 文件 / With your own Excel file:
      1. kaoping template -o 填报表.xlsx      (an empty form for the default methodology:
                                             units as rows, indicators as columns)
      2. fill it in (or use any sheet with a 代码 column and one column per indicator,
         headed by its Chinese name, id or alias; a 年份 column for several years)
      3. kaoping assess 填报表.xlsx --units henan -p 2024 -o 结果.xlsx
    Other methodologies: -m county_hqd_entropy_topsis, or -m 我的办法.yaml
    (check it first with: kaoping methodology check 我的办法.yaml).
    Large files (10^5–10^6 units, e.g. a province's enterprises): a wide CSV or Parquet
    file is read column by column; the console shows the top rows (--top N), every unit goes
    to -o OUT.csv|OUT.parquet|OUT.xlsx or --json.
    Official methodologies (考核评价, e.g. -m county_hqd_official) also take --targets,
    --bonus, --judged and --previous.  --audit adds the statistical audit to the workbook.
    """
    from kaoping.assess import assess as run_assessment

    _check_output(output)
    if with_audit:
        from kaoping.cli.analyze_audit import check_audit_output

        check_audit_output(output)
    period = _period_argument(period)
    methodology, units, panel, extra = _inputs(
        data, methodology_path, units_path, period, sheet,
        (targets_path, events_path, judged_path, previous),
    )  # fmt: skip
    with warnings.catch_warnings():  # the notes are printed below, once
        warnings.simplefilter("ignore", KaopingWarning)
        result = run_assessment(methodology, panel, period, units=units, **extra)

    if with_audit and output is not None:
        from kaoping.cli.analyze_audit import report_with_audit

        report_with_audit(result, as_json, output)
        return
    _report(result, as_json, output, top=top)


def _inputs(
    data: Path,
    methodology_path: Path,
    units_path: Path | None,
    period: str | None,
    sheet: str | None,
    official: tuple[Path | None, Path | None, Path | None, str | None],
) -> tuple[Any, Any, Any, dict[str, Any]]:
    """The methodology, the units table, the panel of DATA and the official side files
    (targets, bonus lines, judged scores, previous ranks) of ``assess`` and ``margins``."""
    from kaoping.data import read_panel
    from kaoping.methodology import load

    methodology = load(methodology_path)
    units = _read_units(units_path)
    panel = read_panel(
        data, indicators=methodology.name_to_id(), units=units, sheet=sheet, default_period=period
    )
    extra = _official_inputs(methodology, *official, panel, period, units)
    return methodology, units, panel, extra


def _official_inputs(
    methodology: Any,
    targets_path: Path | None,
    events_path: Path | None,
    judged_path: Path | None,
    previous: str | None,
    panel: Any,
    period: str | None,
    units: Any,
) -> dict[str, Any]:
    """Read the side files of an official assessment; refuse them for an academic one."""
    from kaoping.data import read_panel
    from kaoping.data.events import read_events, read_judged

    given = {
        "--targets": targets_path,
        "--bonus": events_path,
        "--judged": judged_path,
        "--previous": previous,
    }
    if not methodology.is_official:
        used = [k for k, v in given.items() if v is not None]
        if used:
            raise click.UsageError(
                _t(
                    f"{'、'.join(used)} 只用于官方计分的考核办法（含 official 部分）；"
                    f"{methodology.id} 是学术路径的办法。",
                    f"{', '.join(used)} apply only to official methodologies (with an "
                    f"official: section); {methodology.id} is an academic one.",
                )
            )
        return {}
    spec = methodology.official
    if targets_path is None and spec.targets is not None:
        targets_path = Path(spec.folder or ".") / spec.targets
    extra: dict[str, Any] = {}
    if targets_path is not None:
        extra["targets"] = read_panel(targets_path, indicators=methodology.name_to_id())
    if events_path is not None:
        extra["events"] = read_events(events_path)
    if judged_path is not None:
        extra["judged"] = read_judged(judged_path)
    if previous is not None:
        extra["previous"] = _previous_ranks(previous, methodology, panel, units, extra)
    return extra


def _previous_ranks(
    previous: str, methodology: Any, panel: Any, units: Any, extra: dict[str, Any]
) -> Any:
    """Last period's ranks: from a results file, or by assessing that period of the data."""
    from kaoping.assess import assess as run_assessment
    from kaoping.data._parse import parse_period
    from kaoping.data.readers import read_ranks
    from kaoping.errors import Problem

    if os.path.lexists(previous):  # a pipe or a folder too: read_ranks refuses them
        return read_ranks(previous)
    period = parse_period(previous)
    if not isinstance(period, str) or period not in panel.periods:
        periods = ", ".join(panel.periods)
        raise InputError(
            [
                Problem(
                    "cli.bad_previous",
                    f"“{previous}” 既不是文件，也不是数据中的时期（{periods}）。请给出上一期的"
                    "结果文件（kaoping assess -o 写出的），或数据中的上一期，如 2023。",
                    f"{previous!r} is neither a file nor a period of the data ({periods}); give "
                    "last period's results file (written by kaoping assess -o) or last period "
                    "of the data, e.g. 2023.",
                    "--previous",
                )
            ]
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return run_assessment(methodology, panel, period, units=units, **extra)


def _period_argument(period: str | None) -> str | None:
    """``-p``'s period in its standard form (``2024年`` -> ``2024``), or a problem."""
    from kaoping.data._parse import parse_period
    from kaoping.errors import Problem

    if period is None:
        return None
    parsed = parse_period(period)
    if isinstance(parsed, str):
        return parsed
    zh, en = (
        (parsed.zh, parsed.en) if parsed is not None else ("时期为空。", "the period is empty.")
    )
    raise InputError([Problem("cli.bad_period", zh, en, "-p/--period")])


def _read_units(units_path: Path | None) -> Any:
    from kaoping.data import read_units
    from kaoping.data.bundled import henan_units

    if units_path is None:
        return None
    if os.fspath(units_path) == "henan" and not units_path.exists():
        return henan_units()
    return read_units(units_path)


def _report(
    result: Any,
    as_json: bool,
    output: Path | None,
    highlight: frozenset[str] = frozenset(),
    caption: str | None = None,
    top: int | None = None,
) -> None:
    """Print the ranking (table or JSON), the notes on stderr, and write OUTPUT if given.

    The console shows every row up to :data:`_ALL_ROWS` units (``top`` rows if given, 0: all);
    above, the first :data:`_TOP_ROWS`, each category's leader and a line saying how many
    rows are left and where they are.  JSON and OUTPUT hold every unit."""
    if as_json:
        click.echo(json.dumps(result.to_records(), ensure_ascii=False, indent=2))
    else:
        _print_table(result, highlight, caption, top=top, output=output)
    err = _stderr()
    for note in result.notes:
        err.print(f"{_t('提示', 'Note')}: {note.message()}", markup=False)
    _report_missing(result, err)
    if output is not None:
        suffix = output.suffix.lower()
        if suffix == ".xlsx":
            result.to_excel(output)
        elif suffix == ".parquet":
            result.to_parquet(output)
        else:
            result.to_csv(output)
        err.print(_t(f"已写入 {output}", f"written to {output}"), markup=False)


_TIER_STYLES = ("green", "cyan", "yellow", "magenta")


def _report_missing(result: Any, err: Console) -> None:
    """Every figure not given and what took its place (估: estimated; 缺: left out)."""
    gaps = result.missing()
    if not gaps:
        return
    names = result.table["name"].to_dict()
    cells = [(u, i, g) for u, found in gaps.items() for i, g in found.items()]
    method = result.methodology.missing.method if not result.methodology.is_official else None
    err.print(
        _t(
            f"估/缺：{len(gaps)} 个单位的 {len(cells)} 个数值未填报"
            + (f"，按考核办法的缺失值处理（missing: {method}）" if method else "")
            + "；排名表中以 估（估算值）或 缺（未计入）标出：",
            f"估/缺: {len(cells)} figure(s) of {len(gaps)} unit(s) were not given"
            + (f" and were treated by the methodology's missing: {method}" if method else "")
            + "; marked 估 (estimated) or 缺 (left out) in the ranking:",
        ),
        markup=False,
    )
    shown = cells if os.environ.get("KAOPING_ALL_PROBLEMS") else cells[:_SHOWN]
    for unit, indicator, gap in shown:
        label = result.header(indicator)
        value = gap["value"]
        how = gap["zh"] if get_language() == "zh" else gap["en"]
        filled = f" = {value:.6g}" if value is not None else ""
        err.print(f"  • {unit}（{names.get(unit, unit)}）{label}{filled}：{how}", markup=False)
    if len(shown) < len(cells):
        err.print(
            _t(f"  … 另有 {len(cells) - len(shown)} 个", f"  … and {len(cells) - len(shown)} more")
        )


def _gap_mark(gaps: dict[str, Any]) -> str:
    """估 when a figure of the unit was estimated, 缺 when one was left out (or scored 0)."""
    from kaoping.assess.result import gap_mark

    marks = {gap_mark(g) for g in gaps.values()}
    return f" {'/'.join(sorted(marks, reverse=True))}" if marks else ""


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _change_cell(rec: dict[str, Any]) -> str:
    from kaoping.assess.official_result import change_label

    label = change_label(rec["previous_rank"], rec["rank_change"]) or ""
    if label.startswith("↑"):
        return f"[green]{label}[/]"
    if label.startswith("↓"):
        return f"[red]{label}[/]"
    return label


def _print_table(
    result: Any,
    highlight: frozenset[str] = frozenset(),
    caption: str | None = None,
    *,
    top: int | None = None,
    output: Path | None = None,
) -> None:
    from rich.console import Console

    n = len(result.table)
    limit = (n if n <= _ALL_ROWS else _TOP_ROWS) if top is None else (top or n)
    shown = _records_of(result, result.table["rank"] <= limit)[:limit] if limit < n else []
    if len(shown) < limit:  # unranked units among the first rows: take them all
        shown = result.to_records()[:limit]
    console = Console(highlight=False)
    if not console.is_terminal:  # piped or captured: do not squeeze the table into 80 columns
        console = Console(highlight=False, width=max(console.width, 200))
    console.print(_ranking_table(result, shown, highlight, caption))
    if limit >= n:
        return
    table = result.table
    leaders = _records_of(result, (table["category_rank"] == 1) & table["category"].notna())
    if leaders:
        title = _t("各类别第一名", "The leader of each category")
        console.print(_ranking_table(result, leaders, highlight, None, title=title))
    rest = n - limit
    if output is not None:
        line = _t(f"另有 {rest:,} 行，见 {output}", f"and {rest:,} more rows: see {output}")
    else:
        line = _t(
            f"另有 {rest:,} 行未显示：-o 结果.xlsx（或 .csv、.parquet）或 --json 写出全部"
            f"{n:,} 行，--top 0 在此显示全部。",
            f"and {rest:,} more rows not shown: -o results.xlsx (or .csv, .parquet) or --json "
            f"writes all {n:,}, --top 0 shows them all here.",
        )
    console.print(line, markup=False)


def _records_of(result: Any, rows: Any) -> list[dict[str, Any]]:
    """:meth:`Result.to_records` of the units where ``rows`` (a boolean Series over
    ``result.table``) holds: the console's few rows of 10^5, without making the others."""
    from dataclasses import replace

    records: list[dict[str, Any]] = replace(
        result, table=result.table[rows.fillna(False)]
    ).to_records()
    return records


def _ranking_table(
    result: Any,
    records: list[dict[str, Any]],
    highlight: frozenset[str],
    caption: str | None,
    title: str | None = None,
) -> Any:
    """The Rich table of ``records`` (rows of :meth:`Result.to_records`, in order)."""
    from rich.markup import escape
    from rich.table import Table

    heading = _t(
        f"{result.methodology.name} · {result.period}",
        f"{result.methodology.name_en or result.methodology.name} · {result.period}",
    )
    table = Table(
        title=heading if title is None else f"{heading} · {title}",
        caption=caption,
        show_lines=False,
    )
    tier_names = [t.name for t in result.methodology.tiers]
    keys = ["rank", "unit", "name"]
    if result.table["category"].notna().any():
        keys += ["category", "category_rank"]
    keys += ["score", "tier"]
    official = result.methodology.is_official
    if official:
        keys += ["bonus", "penalty", "change", "awards", "veto"]
    top_level = [] if official else [d.id for d in result.methodology.dimensions]
    for key in keys + top_level:
        numeric = key in ("rank", "category_rank", "score", "bonus", "penalty", *top_level)
        justify: Literal["right", "left"] = "right" if numeric else "left"
        wrap = key in ("awards", "veto")
        table.add_column(
            result.header(key),
            justify=justify,
            no_wrap=not wrap,
            max_width=22 if wrap else None,
            overflow="fold" if wrap else "ellipsis",
            min_width=None if wrap else min(_display_width(result.header(key)), 12),
        )
    for rec in records:
        cells = []
        for key in keys:
            value = rec.get(key)
            if key == "change":
                cells.append(_change_cell(rec))
            elif value is None:
                cells.append("—")
            elif key == "score":
                cells.append(f"{value:.2f}{_gap_mark(rec.get('missing', {}))}")
            elif key in ("bonus", "penalty"):
                cells.append(f"{value:.2f}" if value else "")
            elif key in ("awards", "veto"):
                # the veto's item names; the reasons with their figures are in the workbook
                shown = [v.split("（")[0] for v in value] if key == "veto" else value
                cells.append(escape("、".join(shown)) if shown else "")
            elif key == "tier" and value in tier_names:
                style = _TIER_STYLES[tier_names.index(value) % len(_TIER_STYLES)]
                cells.append(f"[{style}]{value}[/]")
            elif key == "name" and rec["unit"] in highlight:
                cells.append(f"★ {escape(str(value))}")
            else:
                cells.append(escape(str(value)))
        for d in top_level:
            v = rec["dimensions"][d]
            cells.append("—" if v is None else f"{v:.2f}")
        table.add_row(*cells, style="bold yellow" if rec["unit"] in highlight else None)
    return table


@cli.group()
def methodology() -> None:
    """Work with methodology files (考核办法)."""


@methodology.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@domain_errors
def methodology_check(path: Path) -> None:
    """Validate a methodology file and print every problem with its line.

    \b
    检查考核办法文件，逐条列出问题及所在行。
    """
    from kaoping.methodology import check, load

    problems = check(path)
    if problems:
        raise InputError(problems)
    m = load(path)
    n_ind, n_dim = len(m.indicators), sum(1 for _ in m.nodes())
    click.echo(
        _t(
            f"{path}：没有发现问题（{n_ind} 个指标，{n_dim} 个维度）。",
            f"{path}: no problems ({n_ind} indicators, {n_dim} dimensions).",
        )
    )


@cli.command()
@_methodology_option("Methodology (bundled name or YAML file).")
@click.option("-p", "--period", help="Year to assess (default: the latest demo year).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Workbook to write (default: results.xlsx; with --json, none unless given).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON (as assess).")
@click.option(
    "--official",
    is_flag=True,
    help="Run the official example (county_hqd_official): personalised targets, points per "
    "category, bonus and penalty, a veto, progress against the year before, awards.",
)
@click.option(
    "--mujun",
    is_flag=True,
    help="Run the 亩均论英雄 example instead: 50,000 synthetic firms of Henan's counties scored "
    "by enterprise_mujun (default workbook: mujun_results.xlsx).",
)
@domain_errors
def demo(
    methodology_path: Path,
    period: str | None,
    output: Path | None,
    as_json: bool,
    official: bool,
    mujun: bool = False,
) -> None:
    """Run the default county assessment on the bundled demo data (Henan, 102 counties).

    \b
    用内置演示数据（河南 102 个县（市），合成数据）运行默认的县域经济高质量发展综合评价：
    显示排名、方阵（第一方阵 = 前 30 位）和类别内排名，★ 标出焦作 6 县（市），并写出工作簿。
    演示数据是合成数据，不是真实统计数据。
    --mujun：5 万家合成规上工业企业的亩均论英雄评价（A/B/C/D 分类与县域汇总）。
    """
    from dataclasses import replace

    if mujun:
        from kaoping.cli.mujun import run_demo

        if official:
            raise click.UsageError(
                _t(
                    "--mujun 与 --official 不能同时使用。",
                    "--mujun and --official exclude each other.",
                )
            )
        run_demo(output, as_json, _period_argument(period))
        return

    from kaoping.assess import assess as run_assessment
    from kaoping.data.bundled import DEMO_NOTE, JIAOZUO, demo_panel, henan_units, path
    from kaoping.errors import Problem
    from kaoping.methodology import load

    if output is None and not as_json:
        output = Path("results.xlsx")
    _check_output(output)
    period = _period_argument(period)
    if official and os.fspath(methodology_path) == "county_hqd":
        methodology_path = Path("county_hqd_official")
    methodology = load(methodology_path)
    units = henan_units()
    panel = demo_panel(methodology.name_to_id(), units)
    extra: dict[str, Any] = {}
    if methodology.is_official:
        from kaoping.data.events import read_events

        year = period or panel.periods[-1]
        earlier = [p for p in panel.periods if p < year]
        extra = _official_inputs(methodology, None, None, None, None, panel, year, units)
        extra["events"] = read_events(path("demo/henan_events.csv"))
        if earlier:
            extra["previous"] = _previous_ranks(earlier[-1], methodology, panel, units, extra)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        result = run_assessment(methodology, panel, period, units=units, **extra)
    synthetic = Problem("demo.synthetic", *DEMO_NOTE, where=path("demo/henan_county_demo.csv").name)
    result = replace(result, notes=(synthetic, *result.notes))
    caption = _t(
        "★ 焦作市 6 县（市）。" + DEMO_NOTE[0],
        "★ the six counties of Jiaozuo. " + DEMO_NOTE[1],
    )
    _report(result, as_json, output, frozenset(JIAOZUO), caption)


@cli.command()
@_methodology_option("Methodology whose indicators become the columns.")
@click.option(
    "--units",
    "units_path",
    default="henan",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Units to list as rows: a units file, 'henan' (the 102 counties and cities of "
    "Henan's county ranking) or 'none' for an empty table.",
)
@click.option("-p", "--period", help="Year to pre-fill in the 年份 column.")
@click.option(
    "-o",
    "--output",
    default="template.xlsx",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
@domain_errors
def template(methodology_path: Path, units_path: Path, period: str | None, output: Path) -> None:
    """Write an empty xlsx data-entry form (填报模板) for a methodology.

    \b
    写出空白填报表：每行一个单位，每列一个指标（中文表头带单位），另附“指标说明”页
    （定义、口径、频率、数据提供部门）。填好后：kaoping assess 填报表.xlsx --units henan
    """
    from kaoping.data.bundled import henan_units, ranked_counties
    from kaoping.methodology import load
    from kaoping.methodology.template import write_template

    if output.suffix.lower() != ".xlsx":
        raise click.UsageError(
            _t(f"模板文件 {output} 的扩展名须为 .xlsx。", f"{output} must end in .xlsx.")
        )
    period = _period_argument(period)
    methodology = load(methodology_path)
    rows: list[tuple[str, str]] = []
    name = os.fspath(units_path)
    if name == "henan" and not units_path.exists():
        units = henan_units()
        rows = [(code, units.name(code)) for code in ranked_counties(units)]
    elif name != "none":
        units = _read_units(units_path)
        rows = [(code, units.name(code)) for code in units]
    write_template(methodology, output, units=rows, period=period)
    _stderr().print(
        _t(
            f"已写入 {output}：{len(rows)} 个单位 × {len(methodology.indicators)} 个指标。",
            f"written to {output}: {len(rows)} units x {len(methodology.indicators)} indicators.",
        ),
        markup=False,
    )


_DEFAULT_ALTERNATIVES = {
    "normalization": ("minmax", "rank"),
    "aggregation": ("arithmetic", "geometric"),
    "imputation": ("mean", "median"),
}


def _parse_vary(text: str, concentration: float) -> Any:
    """``weights,normalization=minmax|zscore,exclude=indicator`` -> UncertaintySpec."""
    from kaoping.analysis.uncertainty import UncertaintySpec

    fields: dict[str, Any] = {"weights": None, "concentration": concentration}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, values = part.partition("=")
        name = name.strip()
        options = tuple(v.strip() for v in values.split("|") if v.strip())
        if name == "weights":
            fields["weights"] = options[0] if options else "dirichlet"
            if fields["weights"] not in ("dirichlet", "uniform"):
                raise click.BadParameter(
                    "weights=dirichlet or weights=uniform", param_hint="--vary"
                )
        elif name in _DEFAULT_ALTERNATIVES:
            fields[name] = options or _DEFAULT_ALTERNATIVES[name]
        elif name == "outliers":
            fields["outliers"] = True
        elif name == "exclude":
            kind = options[0] if options else "indicator"
            if kind not in ("indicator", "dimension"):
                raise click.BadParameter(
                    "exclude=indicator or exclude=dimension", param_hint="--vary"
                )
            fields["exclude"] = kind
        else:
            raise click.BadParameter(
                _t(
                    f"未知的输入 {name}；可用：weights、normalization、aggregation、imputation、"
                    "outliers、exclude。",
                    f"unknown input {name}; use weights, normalization, aggregation, "
                    "imputation, outliers, exclude.",
                ),
                param_hint="--vary",
            )
    return UncertaintySpec(**fields)


@cli.command("margins")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@_methodology_option("Methodology (bundled name or YAML file).")
@click.option("-u", "--unit", "unit", required=True, help="The unit: its code, or its name.")
@click.option(
    "--goal",
    default="next",
    show_default=True,
    help="next (one rank up), rank:N, tier (the first tier) or tier:NAME, e.g. tier:第一方阵.",
)
@click.option(
    "-i",
    "--indicator",
    "indicators",
    multiple=True,
    help="Search only this indicator (id; repeatable).  Default: every scored one.",
)
@click.option(
    "--units",
    "units_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Units table (CSV/xlsx), or 'henan' for the bundled one (as for assess).",
)
@_period_option()
@click.option("--sheet", help="Worksheet of DATA to read (default: the first).")
@click.option("--targets", "targets_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Official path: targets (as for assess).")  # fmt: skip
@click.option("--bonus", "events_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Official path: bonus, penalty and veto lines (as for assess).")  # fmt: skip
@click.option("--judged", "judged_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Official path: judges' scores (as for assess).")  # fmt: skip
@click.option("--previous", help="Official path: last period's ranks (as for assess).")
@click.option("--json", "as_json", is_flag=True, help="Print the margin as JSON.")
@domain_errors
def margins_command(
    data: Path,
    methodology_path: Path,
    unit: str,
    goal: str,
    indicators: tuple[str, ...],
    units_path: Path | None,
    period: str | None,
    sheet: str | None,
    targets_path: Path | None,
    events_path: Path | None,
    judged_path: Path | None,
    previous: str | None,
    as_json: bool,
) -> None:
    """What it takes a unit to reach a rank or a tier, indicator by indicator.

    \b
    差距与提升空间：某单位距目标名次（或方阵）差多少分，以及单靠某一项指标要改变多少
    （按该指标自身的计量单位，如“+2.1 个百分点”）才能达到——每一项都用完整的计分流程
    重新计算得出，而不是线性估算。
    Example: kaoping margins data.xlsx --units henan -u 410122 --goal tier:第一方阵
    """
    from rich.progress import BarColumn, Progress, TextColumn

    from kaoping.analysis.margins import describe, margins

    period = _period_argument(period)
    methodology, units, panel, extra = _inputs(
        data, methodology_path, units_path, period, sheet,
        (targets_path, events_path, judged_path, previous),
    )  # fmt: skip
    code = _unit_code(unit, panel, units)
    unknown = [i for i in indicators if i not in {x.id for x in methodology.indicators}]
    if unknown:
        raise click.UsageError(
            _t(f"考核办法中没有指标 {'、'.join(unknown)}。", f"no indicator {', '.join(unknown)} "
               f"in {methodology.id}.")
        )  # fmt: skip
    wanted = list(indicators) or None
    total = len(wanted) if wanted else len(methodology.indicators)
    with Progress(
        TextColumn(_t("逐项重新计算", "re-scoring")),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} {task.description}"),
        console=_stderr(),
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)

        def step(ident: str) -> None:
            bar.update(task, advance=1, description=ident)

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", KaopingWarning)
            margin = margins(methodology, panel, code, period, goal=goal, units=units,
                             indicators=wanted, progress=step, **extra)  # fmt: skip
    if as_json:
        click.echo(json.dumps(margin.to_dict(), ensure_ascii=False, indent=2))
        return
    english = get_language() == "en"
    for line in describe(margin, english=english):
        click.echo(line)
    for zh, en in margin.notes:
        click.echo(en if english else zh)


def _unit_code(unit: str, panel: Any, units: Any) -> str:
    """A unit given by its code or its name (from the units table or the data)."""
    if unit in panel.units:
        return unit
    names: dict[str, str] = dict(panel.names)
    if units is not None:
        names.update(units.names)
    found = [code for code, name in names.items() if name == unit and code in panel.units]
    if len(found) == 1:
        return found[0]
    raise click.UsageError(
        _t(
            f"数据中没有代码或名称为 “{unit}” 的单位。",
            f"no unit coded or named {unit!r} in the data.",
        )
    )


@cli.command("uncertainty")
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@_methodology_option("Methodology YAML file or bundled name.")
@click.option(
    "--units",
    "units_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Units table, or 'henan'; categories give the within-category intervals.",
)
@_period_option()
@click.option(
    "-n", "--samples", default=1000, show_default=True, type=click.IntRange(1), help="Samples."
)
@click.option("--seed", type=int, default=None, help="Random seed: same seed, same numbers.")
@click.option(
    "--vary",
    default="weights",
    show_default=True,
    help="What varies, comma-separated: weights[=dirichlet|uniform], "
    "normalization[=minmax|zscore|rank …], aggregation[=arithmetic|geometric …], "
    "imputation[=mean|median …], outliers, exclude[=indicator|dimension].",
)
@click.option(
    "--concentration",
    default=100.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Dirichlet concentration of the weights (larger = closer to the nominal weights).",
)
@click.option(
    "--sobol",
    "sobol_n",
    default=0,
    show_default=True,
    type=click.IntRange(0),
    help="Base sample size of the Saltelli design for Sobol indices (0: none).",
)
@click.option("--sobol-units", help="Unit codes (comma-separated) that get their own indices.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="Processes sharing the samples (the numbers do not depend on it).",
)
@click.option(
    "--scheduler",
    help="A Dask scheduler address (tcp://host:8786) to run the samples on a cluster "
    "(needs kaoping[dask]; the numbers do not change).",
)
@click.option("--json", "as_json", is_flag=True, help="Print units and Sobol indices as JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write rank intervals, Sobol indices and remove-one changes to OUT.xlsx.",
)
@domain_errors
def uncertainty_command(
    data: Path,
    methodology_path: Path,
    units_path: Path | None,
    period: str | None,
    samples: int,
    seed: int | None,
    vary: str,
    concentration: float,
    sobol_n: int,
    sobol_units: str | None,
    workers: int,
    scheduler: str | None,
    as_json: bool,
    output: Path | None,
) -> None:
    """How solid is the ranking? Rank intervals, tier probabilities, Sobol indices.

    \b
    不确定性与敏感性分析：按 --vary 给出的不确定输入（权重、标准化、合成方法、插补、异常值
    处理、逐一剔除）抽样，给出每个单位的名次中位数、5%–95% 区间和进入各方阵的概率，以及
    各输入对排名变动的 Sobol 指数。
    Example: kaoping uncertainty data.xlsx -m county_hqd --units henan -n 10000 --seed 1
             --vary weights,aggregation=arithmetic|geometric --sobol 512
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from kaoping.analysis.uncertainty import uncertainty
    from kaoping.data import read_panel
    from kaoping.methodology import load

    if output is not None and output.suffix.lower() != ".xlsx":
        raise click.UsageError(_t(f"{output} 的扩展名须为 .xlsx。", f"{output} must end in .xlsx."))
    spec = _parse_vary(vary, concentration)
    period = _period_argument(period)
    methodology = load(methodology_path)
    units = _read_units(units_path)
    panel = read_panel(
        data, indicators=methodology.name_to_id(), units=units, default_period=period
    )
    named = [u.strip() for u in (sobol_units or "").split(",") if u.strip()]
    with Progress(
        TextColumn(_t("抽样", "sampling")),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=_stderr(),
        transient=True,
    ) as bar:
        task = bar.add_task("mc", total=samples)
        result = uncertainty(
            methodology,
            panel,
            period,
            units=units,
            n=samples,
            rng=seed,
            vary=spec,
            sobol=sobol_n,
            sobol_units=named,
            progress=lambda done, total: bar.update(task, completed=done),
            workers=workers,
            scheduler=scheduler,
        )
    if as_json:
        click.echo(
            json.dumps(
                {"units": result.to_records(), "sobol": result.sobol_records()},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_uncertainty(result)
    if output is not None:
        result.to_excel(output)
        _stderr().print(_t(f"已写入 {output}", f"written to {output}"), markup=False)


def _print_uncertainty(result: Any) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=max(console.width, 160))
    tiers = [t.name for t in result.methodology.tiers]
    table = Table(
        title=_t(
            f"{result.methodology.name} · {result.period} · 不确定性（{result.samples} 次抽样）",
            f"{result.methodology.name} · {result.period} · uncertainty ({result.samples} samples)",
        )
    )
    for head in (
        _t("排名", "Rank"),
        _t("代码", "Code"),
        _t("名称", "Name"),
        _t("中位名次", "Median"),
        _t("5%–95% 区间", "5%-95%"),
        *(f"P({t})" for t in tiers[:2]),
    ):
        table.add_column(head, no_wrap=True)
    for code, row in result.table.sort_values("nominal_rank").iterrows():
        cells = [
            "—" if pd_isna(row["nominal_rank"]) else str(int(row["nominal_rank"])),
            str(code),
            escape(str(row["name"])),
            "—" if pd_isna(row["median_rank"]) else str(int(row["median_rank"])),
            "—" if pd_isna(row["p05"]) else f"{int(row['p05'])}–{int(row['p95'])}",
            *(f"{row[f'P({t})']:.0%}" for t in tiers[:2]),
        ]
        table.add_row(*cells)
    console.print(table)
    if result.sobol is not None:
        sob = Table(
            title=_t("Sobol 指数（平均名次变动）", "Sobol indices (mean absolute rank shift)")
        )
        for head in (_t("输入", "Input"), _t("一阶", "First"), _t("总效应", "Total")):
            sob.add_column(head)
        for name, row in result.sobol.iterrows():
            sob.add_row(
                str(name),
                f"{row['first']:.3f} [{row['first_low']:.3f}, {row['first_high']:.3f}]",
                f"{row['total']:.3f} [{row['total_low']:.3f}, {row['total_high']:.3f}]",
            )
        console.print(sob)
    top = result.remove_one.sort_values("mean_abs_rank_change", ascending=False).head(10)
    rm = Table(title=_t("逐一剔除：平均名次变动最大的 10 项", "Remove one: the 10 largest shifts"))
    for head in (_t("项目", "Item"), _t("名称", "Name"), _t("平均名次变动", "Mean |shift|")):
        rm.add_column(head)
    for ident, row in top.iterrows():
        rm.add_row(str(ident), escape(str(row["name"])), f"{row['mean_abs_rank_change']:.2f}")
    console.print(rm)


def pd_isna(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


from kaoping.cli.dispatch import dispatch as _dispatch  # noqa: E402 (uses the helpers above)

cli.add_command(_dispatch)

from kaoping.cli.observation import observation as _observation  # noqa: E402

cli.add_command(_observation)

from kaoping.cli.report import report as _report_command  # noqa: E402

cli.add_command(_report_command)

from kaoping.cli.chains import chains as _chains  # noqa: E402

cli.add_command(_chains)

# the analyses, a module per topic; importing one adds its commands to `kaoping analyze`
from kaoping.cli import (  # noqa: E402, F401
    analyze_audit,
    analyze_coupling,
    analyze_dynamics,
    analyze_inequality,
    analyze_spatial,
    analyze_weights,
)
from kaoping.cli.analyze import analyze as _analyze  # noqa: E402

cli.add_command(_analyze)

from kaoping.cli.mujun import mujun as _mujun  # noqa: E402

cli.add_command(_mujun)


def main() -> None:
    """Entry point of the ``kaoping`` script."""
    try:
        cli.main(prog_name="kaoping")
    finally:
        # The command is done (output written, files closed): keep the interpreter's last
        # garbage collections at exit from walking every object of pandas, numba and the run
        # only to free memory the process is about to give back (0.2-0.4 s of every command).
        gc.freeze()
