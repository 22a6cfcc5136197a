"""``kaoping chains``: an industrial-chain workbook (产业链全景图) — its check, each node's
strength and the gap list, the signings per county and their 「三个一批」 life.

The commands read the workbook with :func:`kaoping.chains.read_book` (every bad cell named,
and every problem across the sheets), compute with :mod:`kaoping.chains`, print for people
(Rich) or as JSON, and write workbooks; pandas and the engine are imported inside the
commands, so ``kaoping --help`` stays light.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import click

from kaoping.cli import _stderr, _t, domain_errors

__all__ = ["chains"]

_BOOK_HELP = "The chain workbook (产业链, 环节, 供应关系, 企业, 招商目标, 签约项目), .xlsx."


def _xlsx(output: Path | None) -> None:
    if output is not None and output.suffix.lower() != ".xlsx":
        raise click.UsageError(
            _t(f"输出文件 {output} 的扩展名须为 .xlsx。", f"output {output} must end in .xlsx.")
        )


def _book(path: Path | None, demo: bool) -> Any:
    if demo == (path is not None):
        raise click.UsageError(
            _t("请给出产业链工作簿，或用 --demo（二者选一）。", "give a chain workbook or --demo.")
        )
    if demo:
        from kaoping.chains.demo import demo_book

        return demo_book()
    from kaoping.chains.sheets import read_book

    return read_book(path)


def _rules(path: Path | None) -> Any:
    from kaoping.chains.strength import StrengthRules

    if path is None:
        return StrengthRules()
    import yaml

    from kaoping.errors import InputError, Problem

    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise InputError(
            [
                Problem(
                    "chains.bad_rules_file",
                    f"无法读取规则文件：{error}。请给出 UTF-8 编码的 YAML 文件。",
                    f"cannot read the rules file: {error}; give a UTF-8 YAML file.",
                    path.name,
                )
            ]
        ) from None
    if not isinstance(mapping, dict):
        raise InputError(
            [
                Problem(
                    "chains.bad_rules_file",
                    "规则文件须为“规则名: 值”的映射，例如 weak_share_pct: 5。",
                    "the rules file must map rule names to values, e.g. weak_share_pct: 5.",
                    path.name,
                )
            ]
        )
    return StrengthRules.from_mapping(mapping, where=path.name)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    return value


def _records(frame: Any) -> list[dict[str, Any]]:
    return [
        {str(k): _plain(v) for k, v in row.items()}
        for row in frame.reset_index().to_dict("records")
    ]


@click.group()
def chains() -> None:
    """Industrial chains (产业链全景图): the workbook's check, gaps, signings.

    \b
    产业链全景图：检查工作簿、各环节强弱与缺链清单、签约项目按县统计及其“三个一批”进展。
    Examples:
      kaoping chains template -o 产业链.xlsx
      kaoping chains template --demo -o 产业链示例.xlsx
      kaoping chains check 产业链.xlsx
      kaoping chains gaps 产业链.xlsx --county 410821 -o 缺链清单.xlsx
      kaoping chains signings 产业链.xlsx --group 410821,410822 --registry 项目库.xlsx
    """


@chains.command("template")
@click.option("--demo", is_flag=True, help="The demo's three Jiaozuo chains (synthetic).")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The .xlsx file to write.",
)
@domain_errors
def template(demo: bool, output: Path) -> None:
    """Write the empty chain workbook to fill in, or (``--demo``) the demo's.

    \b
    写出待填写的产业链工作簿（含填表说明）；--demo 写出焦作三条产业链示例（合成数据）。
    """
    _xlsx(output)
    from kaoping.chains import demo_book, write_book

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(write_book(demo_book() if demo else None))
    _stderr().print(_t(f"已写入 {output}。", f"written to {output}."), markup=False)


@chains.command("check")
@click.argument("book", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="Check the demo's workbook instead.")
@domain_errors
def check(book: Path | None, demo: bool) -> None:
    """Check BOOK: every bad cell and every problem across the sheets, at once.

    \b
    检查产业链工作簿：逐格检查，并检查环节树、供应关系、企业信用代码、行业代码等；
    有问题时全部列出并退出（代码 1）。
    """
    found = _book(book, demo)
    counts = {
        name: len(found.frame(name))
        for name in ("chains", "nodes", "edges", "enterprises", "targets", "signings")
    }
    click.echo(
        _t(
            "没有发现问题：{chains} 条产业链、{nodes} 个环节、{edges} 条供应关系、"
            "{enterprises} 家企业、{targets} 个招商目标、{signings} 个签约项目。",
            "no problems: {chains} chains, {nodes} nodes, {edges} supply relations, "
            "{enterprises} enterprises, {targets} targets, {signings} signings.",
        ).format(**counts)
    )


_GAP_HEADERS = {
    "node": ("环节编号", "node"),
    "chain": ("产业链", "chain"),
    "name": ("环节", "node name"),
    "position": ("位置", "position"),
    "strength": ("强弱", "strength"),
    "action": ("举措", "action"),
    "reason_zh": ("原因", "reason"),
    "enterprises": ("企业数", "enterprises"),
    "output": ("产值（万元）", "output (10k yuan)"),
    "share_pct": ("占全链产值（%）", "share of the chain (%)"),
    "targets": ("招商目标", "targets"),
    "signings": ("签约项目", "signings"),
    "signed_amount": ("签约金额（万元）", "signed (10k yuan)"),
    "status": ("进展", "status"),
}


_SHOWN = ("name", "strength", "reason_zh", "enterprises", "targets", "signings", "status")
_SHORT = {  # the terminal's narrower headers
    "enterprises": ("企业", "firms"),
    "targets": ("目标", "targets"),
    "signings": ("签约", "signed"),
    "projects": ("项目", "projects"),
    "amount": ("金额(亿元)", "100m yuan"),
    "projects_pct": ("项目占%", "proj. %"),
    "amount_pct": ("金额占%", "amount %"),
    "fulfilment_pct": ("履约%", "fulfil %"),
    "start_pct": ("开工%", "start %"),
    "production_pct": ("投产%", "prod. %"),
}


@chains.command("gaps")
@click.argument("book", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="The demo's workbook instead of BOOK.")
@click.option("--county", default=None, help="A county's code: its gap list (default: the city).")
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Strength rules (YAML: missing_below, weak_below, weak_share_pct, "
    "weak_without_above_scale).",
)
@click.option("--all-nodes", is_flag=True, help="Every node's strength, not only the gaps.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the list to an .xlsx workbook.",
)
@domain_errors
def gaps(
    book: Path | None,
    demo: bool,
    county: str | None,
    rules_path: Path | None,
    all_nodes: bool,
    as_json: bool,
    output: Path | None,
) -> None:
    """The gap list (缺链、弱链清单) of BOOK: each missing or weak node with its reason, the
    investment targets on it and the signings; ``--all-nodes``: every node's strength.

    \b
    缺链清单：按规则判定各环节“已有/薄弱/缺失”，列出缺失和薄弱的环节、原因、招商目标、
    签约项目与进展；--county 给出某县的清单，--all-nodes 列出全部环节。
    """
    _xlsx(output)
    from kaoping.chains.strength import gaps as gap_list
    from kaoping.chains.strength import strength

    found = _book(book, demo)
    rules = _rules(rules_path)
    table = (
        strength(found, rules, county=county)
        if all_nodes
        else gap_list(found, rules, county=county)
    )
    columns = [c for c in _GAP_HEADERS if c in table.columns or c == "node"]
    english = _t("zh", "en") == "en"
    if english:
        from kaoping.chains.schema import ENGLISH

        table = table.assign(reason_zh=table["reason_en"])
        for column in ("strength", "action", "status", "position"):
            if column in table.columns:
                table[column] = table[column].map(lambda v: ENGLISH.get(v, v))
    if as_json:
        click.echo(json.dumps(_records(table[columns[1:]]), ensure_ascii=False, indent=1))
    else:
        # the terminal shows what fits 80 columns; the workbook and JSON have every column
        shown = [c for c in _SHOWN if c in columns]
        _print_table(
            table,
            shown,
            _t("缺链清单", "Gap list") if not all_nodes else _t("各环节强弱", "Node strength"),
        )
    if output is not None:
        from kaoping.chains.sheets import write_tables

        headers = {c: _GAP_HEADERS[c][1 if english else 0] for c in columns}
        sheet = _t("缺链清单", "gaps") if not all_nodes else _t("环节强弱", "strength")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(write_tables({sheet: table[columns[1:]].reset_index()}, headers=headers))
        _stderr().print(_t(f"已写入 {output}。", f"written to {output}."), markup=False)


def _print_table(frame: Any, columns: list[str], title: str) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    english = _t("zh", "en") == "en"
    out = Table(title=title)
    for column in columns:
        header = _SHORT.get(column) or _GAP_HEADERS.get(column, (column, column))
        wide = column in ("reason_zh", "name")
        out.add_column(header[1 if english else 0], overflow="fold", ratio=3 if wide else None)
    for node, row in frame.iterrows():
        cells = []
        for column in columns:
            value = node if column == "node" else row[column]
            if isinstance(value, float):
                value = "" if math.isnan(value) else f"{value:,.1f}"
            cells.append(escape(str(value)))
        out.add_row(*cells)
    Console(highlight=False).print(out)


_SIGNING_HEADERS = {
    "county": ("县区代码", "county"),
    "name": ("县（市、区）", "county name"),
    "projects": ("签约项目（个）", "projects"),
    "amount": ("签约金额（万元）", "amount (10k yuan)"),
    "foreign": ("省外境外（个）", "from outside the province"),
    "projects_pct": ("项目数占全市（%）", "share of projects (%)"),
    "amount_pct": ("金额占全市（%）", "share of amount (%)"),
    "fulfilment_pct": ("履约率（%）", "fulfilled (%)"),
    "start_pct": ("开工率（%）", "started (%)"),
    "production_pct": ("投产率（%）", "in production (%)"),
}


@chains.command("signings")
@click.argument("book", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="The demo's workbook instead of BOOK.")
@click.option(
    "--group",
    default=None,
    help="County codes, comma-separated: their combined share (e.g. the six 县(市)).",
)
@click.option(
    "--registry",
    "registry_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The dispatch registry (项目库): the signings' dates of 履约, 开工, 投产.",
)
@click.option("--as-of", default=None, help="The day the life is seen from (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the table to an .xlsx workbook.",
)
@domain_errors
def signings(
    book: Path | None,
    demo: bool,
    group: str | None,
    registry_path: Path | None,
    as_of: str | None,
    as_json: bool,
    output: Path | None,
) -> None:
    """The signings of BOOK per county (projects, amount, shares of the city) and, with the
    registry (or the demo), their 「三个一批」 rates: 履约率, 开工率, 投产率.

    \b
    签约项目按县统计：个数、金额、占全市比重、省外境外项目；给出项目库（或 --demo）时，
    再算履约率、开工率、投产率。--group 给出若干县的合计占比。
    """
    _xlsx(output)
    import datetime as dt

    import pandas as pd

    from kaoping.chains.demo import AS_OF
    from kaoping.chains.signings import by_county, group_share, lifecycle, to_registry
    from kaoping.data.bundled import henan_names_en, henan_units

    found = _book(book, demo)
    names = henan_units().names if _t("zh", "en") == "zh" else henan_names_en()
    table = by_county(found.signings, names=names)
    registry = None
    if registry_path is not None:
        from kaoping.dispatch.sheets import read_registry

        known = read_registry(registry_path).set_index("project")
        registry = to_registry(found)
        for column in ("fulfilled_on", "actual_start", "produced_on", "effective_on"):
            registry[column] = pd.to_datetime(known[column].reindex(registry.index))
    elif demo:
        registry = to_registry(found)
        for column in ("fulfilled_on", "actual_start", "produced_on"):
            registry[column] = pd.to_datetime(found.signings.set_index("project")[column])
    if registry is not None:
        day = as_of or (AS_OF if demo else dt.date.today().isoformat())
        rates = lifecycle(registry, day)
        table = table.join(rates[["fulfilment_pct", "start_pct", "production_pct"]])
    columns = [c for c in _SIGNING_HEADERS if c in table.columns or c == "county"]
    share = None
    if group:
        share = group_share(found.signings, [c.strip() for c in group.split(",") if c.strip()])
    if as_json:
        click.echo(
            json.dumps(
                {"counties": _records(table[columns[1:]]), "group": share},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        from rich.console import Console
        from rich.table import Table

        english = _t("zh", "en") == "en"
        out = Table(title=_t("签约项目按县统计", "Signings by county"))
        shown = [c for c in columns if c not in ("county", "foreign")]
        for column in shown:
            header = _SHORT.get(column) or _SIGNING_HEADERS[column]
            out.add_column(header[1 if english else 0], overflow="fold")
        for _, row in table.iterrows():
            cells = []
            for column in shown:
                value = row[column]
                if column == "name":
                    cells.append(str(value))
                elif column == "projects":
                    cells.append(f"{int(value)}")
                elif column == "amount":
                    cells.append(f"{float(value) / 10000:,.2f}")
                else:
                    cells.append("" if pd.isna(value) else f"{float(value):.1f}")
            out.add_row(*cells)
        console = Console(highlight=False)
        console.print(out)
        if share is not None:
            console.print(
                _t(
                    f"所列 {group.count(',') + 1} 个县（市、区）签约项目 "
                    f"{int(share['projects'])} 个，"
                    f"金额 {share['amount'] / 10000:,.2f} 亿元，占全市比重分别为 "
                    f"{share['projects_pct']:.1f}%、{share['amount_pct']:.1f}%。",
                    f"the {group.count(',') + 1} counties listed: {int(share['projects'])} "
                    f"signings worth {share['amount'] / 10000:,.2f} hundred million yuan, "
                    f"{share['projects_pct']:.1f}% of the city's projects and "
                    f"{share['amount_pct']:.1f}% of its amount.",
                ),
                markup=False,
            )
    if output is not None:
        from kaoping.chains.sheets import write_tables

        english = _t("zh", "en") == "en"
        headers = {c: _SIGNING_HEADERS[c][1 if english else 0] for c in columns}
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(
            write_tables(
                {_t("签约项目按县", "signings"): table[columns[1:]].reset_index()},
                headers=headers,
            )
        )
        _stderr().print(_t(f"已写入 {output}。", f"written to {output}."), markup=False)
