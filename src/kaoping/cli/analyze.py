"""``kaoping analyze KIND``: the researcher's analyses, one subcommand each.

This module holds the group and what every analysis shares: where its inputs come from (a data
file and a methodology, or ``--demo``), the periods assessed, and how its tables come out (Rich
tables for people, ``--json`` for machines, ``-o OUT.xlsx`` one sheet per table).  The
subcommands live in ``kaoping.cli.analyze_<topic>`` modules, each decorating its commands with
``@analyze.command``; :mod:`kaoping.cli` imports them.
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kaoping.cli import (
    _methodology_option,
    _period_argument,
    _read_units,
    _stderr,
    _t,
    domain_errors,
)

if TYPE_CHECKING:
    import pandas as pd

    from kaoping.assess import Result
    from kaoping.data import Panel, Units
    from kaoping.methodology import Methodology

__all__ = [
    "Inputs",
    "Section",
    "analyze",
    "check_output",
    "emit",
    "input_options",
    "node_option",
    "output_options",
]

# Column headers shared by the analyses' tables: key -> (Chinese, English).  A section adds its
# own; a column named in neither is shown as it is.
HEADERS: dict[str, tuple[str, str]] = {
    "unit": ("代码", "Code"),
    "name": ("名称", "Name"),
    "category": ("类别", "Category"),
    "period": ("时期", "Period"),
    "score": ("综合得分", "Score"),
    "rank": ("排名", "Rank"),
    "indicator": ("指标代码", "Indicator"),
    "indicator_name": ("指标", "Indicator name"),
    "dimension": ("维度", "Dimension"),
    "group": ("分组", "Group"),
    "n": ("单位数", "Units"),
    "value": ("数值", "Value"),
    "weight": ("权重", "Weight"),
}

_ROWS_SHOWN = 60  # rows of a table printed to the terminal; --json and -o carry all of them


@click.group("analyze")
def analyze() -> None:
    """The researcher's analyses of an assessment, one KIND each.

    \b
    研究分析：耦合协调度、障碍度、区域差异（基尼系数、Dagum 基尼系数分解、泰尔指数）、核密度、
    马尔可夫转移矩阵、σ/β 收敛、空间自相关（Moran's I、LISA）、数据驱动的权重（主成分、熵值）、
    “好处推定”（BoD）与 Mazziotta-Pareto 指数、统计审计（COINr）。
    每种分析读数据文件与考核办法（或 --demo 内置演示数据），输出表格、--json 或 -o OUT.xlsx。
    Example: kaoping analyze inequality --demo --by category -o 区域差异.xlsx
    """


@dataclass
class Inputs:
    """What an analysis reads: the methodology, the panel, the units and the chosen periods.

    Assessments are made on first use and kept (an analysis that reads three periods assesses
    each once)."""

    methodology: Methodology
    panel: Panel
    units: Units | None
    period: str | None
    periods: list[str]
    demo: bool = False
    periods_given: bool = False
    _results: dict[str, Result] = field(default_factory=dict, repr=False)
    _said: set[str] = field(default_factory=set, repr=False)

    def result(self, period: str | None = None) -> Result:
        """The assessment of ``period`` (default: ``-p``'s period, else the latest chosen)."""
        chosen = period or self.period or self.periods[-1]
        if period is None and self.period is None and self.periods_given and len(self.periods) > 1:
            self._say(
                f"本分析只用一个时期（{chosen}）：--periods 中的其他时期未使用；请用 -p 选择时期。",
                f"this analysis reads one period ({chosen}): the other periods of --periods are "
                "not used; choose the period with -p.",
            )
        if chosen not in self._results:
            self._results.update(self._assess([chosen]))
        return self._results[chosen]

    def node_name(self, node: str) -> str:
        """``--node``'s score in the user's language: 综合得分 or the dimension's name."""
        if node == "score":
            return _t("综合得分", "the index")
        for dimension in self.methodology.nodes():
            if dimension.id == node:
                return _t(dimension.name, dimension.name_en or dimension.id)
        return node

    def results(self) -> dict[str, Result]:
        """The assessments of every chosen period, in period order (a progress bar on a
        terminal)."""
        if self.period is not None and not self.periods_given:
            self._say(
                f"-p {self.period} 只选一个时期；本分析跨越各时期（{self.periods[0]}–"
                f"{self.periods[-1]}），请用 --periods 选择时期。",
                f"-p {self.period} chooses one period; this analysis runs over the periods "
                f"({self.periods[0]}-{self.periods[-1]}): choose them with --periods.",
            )
        todo = [p for p in self.periods if p not in self._results]
        if todo:
            self._results.update(self._assess(todo))
        return {p: self._results[p] for p in self.periods}

    def _say(self, zh: str, en: str) -> None:
        """A note on stderr, once."""
        text = _t(zh, en)
        if text not in self._said:
            self._said.add(text)
            _stderr().print(f"{_t('提示', 'Note')}: {text}", markup=False)

    def _assess(self, periods: list[str]) -> dict[str, Result]:
        found = self._assess_quietly(periods)
        for period, result in found.items():
            self._gaps(period, result)
        return found

    def _gaps(self, period: str, result: Result) -> None:
        """Say how many figures were not given in ``period`` and how they were treated: the
        analyses read the assessment's values, estimates included."""
        methods: dict[str, int] = {}
        for indicators in result.missing().values():
            for gap in indicators.values():
                methods[gap["method"]] = methods.get(gap["method"], 0) + 1
        for method, count in sorted(methods.items()):
            if method == "skip":
                self._say(
                    f"{period}：{count} 个数值未填报，按考核办法不计入（缺），相关单位的权重在"
                    "已填报的指标间重新分配；分析所用的是这样得到的得分。",
                    f"{period}: {count} figure(s) not given were left out (the methodology's "
                    "missing: skip) and those units' weights rescaled; the analysis reads the "
                    "scores so obtained.",
                )
            else:
                self._say(
                    f"{period}：{count} 个数值未填报，按考核办法的 {method} 方法估算（估）后参与"
                    "分析；kaoping assess 的工作簿“未填报的数值”表列出每一个。",
                    f"{period}: {count} figure(s) not given were estimated by the methodology's "
                    f"{method} method and enter the analysis; the workbook of kaoping assess "
                    "lists each one.",
                )

    def _assess_quietly(self, periods: list[str]) -> dict[str, Result]:
        from rich.progress import BarColumn, Progress, TextColumn

        from kaoping.analysis.periods import assess_periods

        err = _stderr()
        if len(periods) < 2 or not err.is_terminal:
            return assess_periods(self.methodology, self.panel, periods, units=self.units)
        with Progress(
            TextColumn(_t("评价各时期", "assessing periods")),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("periods", total=len(periods))
            return assess_periods(
                self.methodology,
                self.panel,
                periods,
                units=self.units,
                progress=lambda done, total: bar.update(task, completed=done),
            )


def input_options[F: Callable[..., Any]](fn: F) -> F:
    """DATA (or ``--demo``), ``-m``, ``--units``, ``-p/--period`` and ``--periods``; the command
    receives ``inputs: Inputs`` in their place."""

    @functools.wraps(fn)  # carries the command's own options (click's __click_params__)
    def wrapper(
        data: Path | None,
        demo: bool,
        methodology_path: Path,
        units_path: Path | None,
        period: str | None,
        periods_text: str | None,
        **kwargs: Any,
    ) -> Any:
        kwargs["inputs"] = domain_errors(load_inputs)(
            data, demo, methodology_path, units_path, period, periods_text
        )
        return fn(**kwargs)

    decorators = [
        click.argument("data", required=False, type=click.Path(dir_okay=False, path_type=Path)),
        click.option(
            "--demo",
            is_flag=True,
            help="Use the bundled demo data (Henan, 102 counties, 2020-2024, synthetic) and units.",
        ),
        _methodology_option("Methodology (bundled name or YAML file); an academic one."),
        click.option(
            "--units",
            "units_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Units table, or 'henan': names and categories (the groups of some analyses).",
        ),
        click.option(
            "-p",
            "--period",
            help="The period of a one-period analysis (default: the latest); also the period "
            "of every row of a DATA file without a period column.",
        ),
        click.option(
            "--periods",
            "periods_text",
            help="Periods of an analysis over time, comma-separated, or FIRST..LAST "
            "(default: all periods of the data).",
        ),
    ]
    for decorate in reversed(decorators):
        wrapper = decorate(wrapper)
    return wrapper  # type: ignore[return-value]


def load_inputs(
    data: Path | None,
    demo: bool,
    methodology_path: Path,
    units_path: Path | None,
    period: str | None,
    periods_text: str | None,
) -> Inputs:
    """Read the methodology, the data and the units once; check the periods asked for."""
    from kaoping.data import read_panel
    from kaoping.data.bundled import demo_panel, henan_units
    from kaoping.errors import InputError, Problem
    from kaoping.methodology import load

    if (data is None) == (not demo):
        raise click.UsageError(
            _t(
                "请给出数据文件 DATA，或用 --demo 使用内置演示数据（二者选一）。",
                "give a DATA file, or --demo for the bundled demo data (one of the two).",
            )
        )
    period = _period_argument(period)
    methodology = load(methodology_path)
    if demo:
        units = _read_units(units_path) if units_path is not None else henan_units()
        county = {i.id for i in load("county_hqd").scored_indicators}
        scored = [i.id for i in methodology.scored_indicators]
        if sum(i in county for i in scored) < len(scored) / 2:  # the demo has few of them
            raise click.UsageError(
                _t(
                    f"内置演示数据是县域经济高质量发展的指标，不适用于考核办法 {methodology.id}："
                    "请给出该办法的数据文件 DATA，或去掉 -m 使用 county_hqd。",
                    f"the bundled demo data hold the county development indicators and do not "
                    f"fit methodology {methodology.id}: give its DATA file, or leave out -m "
                    "for county_hqd.",
                )
            )
        panel = demo_panel(methodology.name_to_id(), units)
    else:
        assert data is not None  # one of the two, checked above
        units = _read_units(units_path)
        panel = read_panel(
            data, indicators=methodology.name_to_id(), units=units, default_period=period
        )
    available = list(panel.periods)
    periods = _parse_periods(periods_text, available) if periods_text else available
    if period is not None and period not in available:
        raise InputError(
            [
                Problem(
                    "analysis.unknown_period",
                    f"数据中没有时期 {period}；可选：{'、'.join(available)}。",
                    f"the data has no period {period}; available: {', '.join(available)}.",
                    "-p/--period",
                )
            ]
        )
    return Inputs(methodology, panel, units, period, periods, demo, bool(periods_text))


def _parse_periods(text: str, available: Sequence[str]) -> list[str]:
    from kaoping.errors import InputError, Problem

    wanted: list[str] = []
    problems: list[Problem] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if ".." in part:
            head, _, tail = part.partition("..")
            first, last = (_as_period(s) for s in (head, tail))
            if first in available and last in available:
                i, j = available.index(first), available.index(last)
                wanted.extend(available[min(i, j) : max(i, j) + 1])
                continue
            bad = [p for p in (first, last) if p not in available]
        else:
            one = _as_period(part)
            if one in available:
                wanted.append(one)
                continue
            bad = [one]
        problems.extend(
            Problem(
                "analysis.unknown_period",
                f"数据中没有时期 {p}；可选：{'、'.join(available)}。",
                f"the data has no period {p}; available: {', '.join(available)}.",
                "--periods",
            )
            for p in bad
        )
    if not problems and not wanted:
        raise click.UsageError(
            _t(
                f"--periods 没有给出任何时期；请写 2020,2024 或 2020..2024（数据中有："
                f"{'、'.join(available)}）。",
                f"--periods names no period; write 2020,2024 or 2020..2024 (the data have: "
                f"{', '.join(available)}).",
            )
        )
    if problems:
        raise InputError(problems)
    return [p for p in available if p in set(wanted)]


node_option = click.option(
    "--node",
    default="score",
    show_default=True,
    help="The score analysed: 'score' (the index) or a dimension id (e.g. green).",
)
"""``--node``: the index or a dimension's score, for the analyses of one score."""


def _checked_output(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """``-o`` checked as it is read, so that a path it cannot write stops the command before
    any work (and before any other file is written)."""
    check_output(value)
    return value


def _as_period(text: str) -> str:
    """A period of ``--periods`` in its standard form (``2024年`` -> ``2024``), or the text as
    given (then named as a period the data does not have)."""
    from kaoping.data._parse import parse_period

    parsed = parse_period(text.strip())
    return parsed if isinstance(parsed, str) else text.strip()


def output_options[F: Callable[..., Any]](fn: F) -> F:
    """``--json`` and ``-o/--output OUT.xlsx``."""
    fn = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=_checked_output,
        help="Write every table to OUT.xlsx, one sheet each.",
    )(fn)
    fn = click.option("--json", "as_json", is_flag=True, help="Print every table as JSON.")(fn)
    return fn


@dataclass(frozen=True)
class Section:
    """One table of an analysis' output.

    ``key`` names it in the JSON; ``title_zh``/``title_en`` head it on the terminal and name its
    sheet; ``headers`` maps column names to (Chinese, English) headers beyond :data:`HEADERS`;
    ``index`` says whether the frame's index is a column of its own."""

    key: str
    title_zh: str
    title_en: str
    frame: pd.DataFrame
    index: bool = True
    headers: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    digits: int = 4

    @property
    def title(self) -> str:
        return _t(self.title_zh, self.title_en)

    def header(self, column: object) -> str:
        key = str(column)
        pair = self.headers.get(key) or HEADERS.get(key)
        return _t(*pair) if pair else key

    def table(self) -> pd.DataFrame:
        """The frame with its index as the first column(s) when ``index`` is set."""
        frame = self.frame.reset_index() if self.index else self.frame
        return frame


def check_output(
    output: Path | None, suffixes: Sequence[str] = (".xlsx",), option: str = "-o"
) -> None:
    """Refuse, before any work is done, an output file the analysis could not write: a
    suffix other than ``suffixes``, a folder that does not exist, one that cannot be
    written to, or a path that is a folder (a usage error, exit 2)."""
    if output is None:
        return
    if output.suffix.lower() not in suffixes:
        wanted = "、".join(suffixes)
        raise click.UsageError(
            _t(
                f"{option} {output} 的扩展名须为 {wanted}。",
                f"{option} {output} must end in {', '.join(suffixes)}.",
            )
        )
    folder = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise click.UsageError(
            _t(f"{option} {output} 是文件夹，请给出文件名。", f"{option} {output} is a folder.")
        )
    if not folder.is_dir():
        raise click.UsageError(
            _t(
                f"{option} {output}：文件夹 {folder} 不存在，请先创建它或换一个位置。",
                f"{option} {output}: the folder {folder} does not exist; create it or choose "
                "another place.",
            )
        )
    if not os.access(folder, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise click.UsageError(
            _t(
                f"{option} {output}：没有写入权限，请换一个位置。",
                f"{option} {output}: not writable; choose another place.",
            )
        )


def emit(
    sections: Sequence[Section],
    *,
    as_json: bool,
    output: Path | None,
    notes: Sequence[str] = (),
) -> None:
    """Print ``sections`` (Rich tables, or JSON with ``--json``), the notes on stderr, and write
    every section as a sheet of ``output`` when given."""
    check_output(output)
    if as_json:
        click.echo(
            json.dumps(
                {s.key: [_plain_record(r) for r in s.table().to_dict("records")] for s in sections},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for section in sections:
            _print_section(section)
    err = _stderr()
    for note in notes:
        err.print(f"{_t('提示', 'Note')}: {note}", markup=False)
    if output is not None:
        _write_workbook(sections, output)
        err.print(_t(f"已写入 {output}", f"written to {output}"), markup=False)


def _plain(value: Any) -> Any:
    import numpy as np

    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None:
        return None
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _plain_record(record: Mapping[Any, Any]) -> dict[str, Any]:
    return {str(k): _plain(v) for k, v in record.items()}


def _cell(value: Any, digits: int) -> str:
    value = _plain(value)
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _t("是", "yes") if value else _t("否", "no")
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _print_section(section: Section) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    frame = section.table()
    table = Table(title=section.title, show_lines=False)
    for column in frame.columns:
        numeric = frame[column].dtype.kind in "fiu"
        table.add_column(escape(section.header(column)), justify="right" if numeric else "left")
    for row in frame.head(_ROWS_SHOWN).itertuples(index=False):
        table.add_row(*(escape(_cell(v, section.digits)) for v in row))
    more = ""
    if len(frame) > _ROWS_SHOWN:
        more = _t(
            f"另有 {len(frame) - _ROWS_SHOWN} 行未显示；--json 或 -o OUT.xlsx 可得全部。",
            f"{len(frame) - _ROWS_SHOWN} more rows not shown; --json or -o OUT.xlsx has them all.",
        )
    console = Console(highlight=False)
    if not console.is_terminal:  # piped or captured: do not squeeze the table into 80 columns
        console = Console(highlight=False, width=max(console.width, 200))
    console.print(table)
    if more:
        console.print(more, markup=False)


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join("_" if c in "[]:*?/\\" else c for c in title)[:31] or "Sheet"
    name, k = base, 2
    while name in used:
        suffix = f" ({k})"
        name, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(name)
    return name


def _write_workbook(sections: Sequence[Section], output: Path) -> None:
    """One sheet per section, headers in the user's language, written to a temporary file
    first so that a failure leaves no half-written workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from kaoping.data._xlsx_write import HEADER_FILL

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for section in sections:
        ws = wb.create_sheet(_sheet_name(section.title, used))
        frame = section.table()
        headers = [section.header(c) for c in frame.columns]
        ws.append(headers)
        for row in frame.itertuples(index=False):
            ws.append([_plain(v) for v in row])
        for index, header in enumerate(headers, start=1):
            cell = ws.cell(row=1, column=index)
            cell.fill = HEADER_FILL
            cell.font = Font(bold=True)
            values = [header, *(_cell(v, section.digits) for v in frame.iloc[:200, index - 1])]
            width = max(_display_width(v) for v in values)
            ws.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
            if frame.iloc[:, index - 1].dtype.kind == "f":
                for (c,) in ws.iter_rows(
                    min_row=2, min_col=index, max_col=index, max_row=len(frame) + 1
                ):
                    c.number_format = "0." + "0" * section.digits
        ws.freeze_panes = "B2"
        # printed: landscape, one page wide, the header row on every page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, output)
    finally:
        if tmp.exists():
            tmp.unlink()


def _display_width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
