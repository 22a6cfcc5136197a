"""The ``kaoping`` command line (Click + Rich).

The library does the work; the commands only read arguments, call it, and print.  Exit codes:
0 success, 1 bad input or a domain error (every problem on stderr, never a traceback), 2 usage
error (Click's own).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

import click
from rich.console import Console
from rich.table import Table

from kaoping import __version__
from kaoping.errors import (
    InputError,
    KaopingError,
    KaopingWarning,
    get_language,
    set_language,
)

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["cli", "main"]


def _t(zh: str, en: str) -> str:
    return zh if get_language() == "zh" else en


def _stderr() -> Console:
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
            for problem in exc.problems:
                err.print(f"  • {problem.message()}", markup=False)
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
      kaoping assess data.xlsx -m methodology.yaml -p 2024 -o results.xlsx
      kaoping methodology check methodology.yaml
    """
    if lang:
        set_language(lang)


@cli.command()
@click.argument("data", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-m",
    "--methodology",
    "methodology_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Methodology YAML file (考核办法).",
)
@click.option(
    "--units",
    "units_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Units table (CSV/xlsx: 代码, 名称, 上级, 类别 …) for names and category ranks.",
)
@click.option("-p", "--period", help="Period to assess, e.g. 2024 (default: the latest).")
@click.option("--sheet", help="Worksheet of DATA to read (default: the first).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the results to OUT.xlsx (all tables) or OUT.csv (the ranking).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@domain_errors
def assess(
    data: Path,
    methodology_path: Path,
    units_path: Path | None,
    period: str | None,
    sheet: str | None,
    output: Path | None,
    as_json: bool,
) -> None:
    """Score, rank and tier the units in DATA (CSV or xlsx) under a methodology.

    \b
    对 DATA（CSV 或 xlsx，宽表或长表）按考核办法计算综合得分、排名和方阵。
    """
    from kaoping.assess import assess as run_assessment
    from kaoping.data import read_panel, read_units
    from kaoping.methodology import load

    if output is not None and output.suffix.lower() not in (".xlsx", ".csv"):
        raise click.UsageError(
            _t(
                f"输出文件 {output} 的扩展名须为 .xlsx 或 .csv。",
                f"output {output} must end in .xlsx or .csv.",
            )
        )
    methodology = load(methodology_path)
    units = read_units(units_path) if units_path is not None else None
    panel = read_panel(data, indicators=methodology.name_to_id(), units=units, sheet=sheet)
    with warnings.catch_warnings():  # the notes are printed below, once
        warnings.simplefilter("ignore", KaopingWarning)
        result = run_assessment(methodology, panel, period, units=units)

    if as_json:
        click.echo(json.dumps(result.to_records(), ensure_ascii=False, indent=2))
    else:
        _print_table(result)
    err = _stderr()
    for note in result.notes:
        err.print(f"{_t('提示', 'Note')}: {note.message()}", markup=False)
    if output is not None:
        if output.suffix.lower() == ".xlsx":
            result.to_excel(output)
        else:
            result.to_csv(output)
        err.print(_t(f"已写入 {output}", f"written to {output}"), markup=False)


def _print_table(result: Any) -> None:
    table = Table(
        title=_t(
            f"{result.methodology.name} · {result.period}",
            f"{result.methodology.name_en or result.methodology.name} · {result.period}",
        ),
        show_lines=False,
    )
    keys = ["rank", "unit", "name"]
    if result.table["category"].notna().any():
        keys += ["category", "category_rank"]
    keys += ["score", "tier"]
    top_level = [d.id for d in result.methodology.dimensions]
    for key in keys + top_level:
        numeric = key in ("rank", "category_rank", "score", *top_level)
        justify: Literal["right", "left"] = "right" if numeric else "left"
        table.add_column(result.header(key), justify=justify, no_wrap=True)
    for rec in result.to_records():
        cells = []
        for key in keys:
            value = rec[key]
            if value is None:
                cells.append("—")
            elif key == "score":
                cells.append(f"{value:.2f}")
            else:
                cells.append(str(value))
        for d in top_level:
            v = rec["dimensions"][d]
            cells.append("—" if v is None else f"{v:.2f}")
        table.add_row(*cells)
    console = Console(highlight=False)
    if not console.is_terminal:  # piped or captured: do not squeeze the table into 80 columns
        console = Console(highlight=False, width=max(console.width, 200))
    console.print(table)


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


def main() -> None:
    """Entry point of the ``kaoping`` script."""
    cli.main(prog_name="kaoping")
