"""``kaoping report``: the documents of an assessment — the 通报 as Word, the report as PDF,
the workbook with its charts.

The command assesses DATA as ``kaoping assess`` does (the same options), or the bundled demo
with ``--demo``, and writes one document with :mod:`kaoping.report`; the engine and the
document libraries are imported inside the command, so ``kaoping --help`` stays light.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import warnings
from pathlib import Path
from typing import Any

import click

from kaoping.cli import _inputs, _methodology_option, _period_argument, _stderr, _t, domain_errors
from kaoping.errors import KaopingWarning, get_language

__all__ = ["report"]

FORMATS = ("docx", "pdf", "xlsx")


def _format(output: Path, fmt: str | None) -> str:
    suffix = output.suffix.lower().lstrip(".")
    fmt = fmt or suffix
    if fmt not in FORMATS or suffix != fmt:
        raise click.UsageError(
            _t(
                f"输出文件 {output} 的扩展名须与格式一致：.docx（通报）、.pdf（报告）或 .xlsx"
                "（带图表的工作簿）。",
                f"output {output} must end in the format's extension: .docx (the notice), .pdf "
                "(the report) or .xlsx (the workbook with its charts).",
            )
        )
    return fmt


@click.command("report")
@click.argument("data", required=False, type=click.Path(dir_okay=False, path_type=Path))
@_methodology_option(
    "Methodology YAML file (考核办法), or a bundled one, e.g. county_hqd_official."
)
@click.option(
    "--demo", is_flag=True, help="Assess the bundled demo data (河南 102 县（市）, synthetic)."
)
@click.option(
    "--units",
    "units_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Units table (CSV/xlsx), or 'henan' for the bundled one; as for kaoping assess.",
)
@click.option("-p", "--period", help="Period to report on (default: the latest).")
@click.option("--sheet", help="Worksheet of DATA to read (default: the first).")
@click.option(
    "--targets", "targets_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Official path: targets (目标值), as for kaoping assess.",
)  # fmt: skip
@click.option(
    "--bonus", "events_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Official path: bonus, penalty and veto lines, as for kaoping assess.",
)  # fmt: skip
@click.option(
    "--judged", "judged_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Official path: judges' scores, as for kaoping assess.",
)  # fmt: skip
@click.option(
    "--previous",
    help="The previous period of DATA (e.g. 2023): rises and falls are counted against it.",
)
@click.option("--city", help="Speak of one city's counties: its code prefix, e.g. 4108 (焦作).")
@click.option("--city-name", help="The city's name in the text, e.g. 焦作市 (default: the prefix).")
@click.option(
    "--issuer", help="The issuing office signed under the notice, e.g. 焦作市发展和改革委员会."
)
@click.option(
    "--date", "date_text", help="The notice's date, YYYY-MM-DD (default: today)."
)  # fmt: skip
@click.option("--draft", is_flag=True, help="Mark the document as a draft (征求意见稿).")
@click.option(
    "--geometry",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="GeoJSON of the units (properties.adcode = unit code): adds the map of tiers.",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS),
    help="docx (the 通报), pdf (the report) or xlsx (the workbook with charts); default: "
    "from OUTPUT's extension.",
)  # fmt: skip
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write (.docx, .pdf or .xlsx).",
)
@domain_errors
def report(
    data: Path | None,
    methodology_path: Path,
    demo: bool,
    units_path: Path | None,
    period: str | None,
    sheet: str | None,
    targets_path: Path | None,
    events_path: Path | None,
    judged_path: Path | None,
    previous: str | None,
    city: str | None,
    city_name: str | None,
    issuer: str | None,
    date_text: str | None,
    draft: bool,
    geometry: Path | None,
    fmt: str | None,
    output: Path,
) -> None:
    """Write the documents of an assessment: the 通报 (Word), the report (PDF), the workbook.

    \b
    生成考核评价的文件：通报（Word，党政机关公文格式 GB/T 9704）、报告（PDF）、带图表的工作簿。
    Examples:
      kaoping report --demo -m county_hqd_official --city 4108 --city-name 焦作市 -o 通报.docx
      kaoping report 数据.xlsx --units henan -p 2024 --previous 2023 -o 报告.pdf
    """
    fmt = _format(output, fmt)
    date = _date(date_text)
    if demo == (data is not None):
        raise click.UsageError(
            _t(
                "请给出数据文件 DATA，或用 --demo 使用内置演示数据（二者取其一）。",
                "give a DATA file, or --demo for the bundled demo data (one of the two).",
            )
        )
    result, before = _assess(
        data, demo, methodology_path, units_path, _period_argument(period), sheet,
        (targets_path, events_path, judged_path), previous,
    )  # fmt: skip
    lang = "zh" if get_language() == "zh" else "en"
    shapes = json.loads(geometry.read_text(encoding="utf-8")) if geometry else None
    if fmt == "docx":
        from kaoping.report.word import notice_docx

        content = notice_docx(
            result, city=city, city_name=city_name, previous=before, lang=lang, issuer=issuer,
            date=date, draft=draft, geometry=shapes,
            also=_demo_parks(result.period, city, city_name, lang) if demo else (),
        )  # fmt: skip
        output.write_bytes(content)
    elif fmt == "pdf":
        from kaoping.report import pdf

        content = pdf.report_pdf(
            result, city=city, city_name=city_name, previous=before, lang=lang, draft=draft,
            geometry=shapes, date=date,
        )  # fmt: skip
        output.write_bytes(content)
    else:
        result.to_excel(output)
    _stderr().print(_t(f"已写入 {output}", f"written to {output}"), markup=False)


def _demo_parks(period: str, city: str | None, city_name: str | None, lang: str) -> list[Any]:
    """The demo parks' sentences of the year (their synthetic league), for a city's notice."""
    from kaoping.assess.parks import league
    from kaoping.report.briefing import parks_briefing

    if city is None or not period.isdigit():
        return []
    try:
        table = league(int(period))
    except ValueError:  # a year the parks' demo does not have
        return []
    return parks_briefing(table, city=city, city_name=city_name, lang=lang)  # type: ignore[arg-type]


def _date(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            _t(
                f"“{text}” 不是日期，请写成 2025-03-01。",
                f"{text!r} is not a date: write 2025-03-01.",
            ),
            param_hint="--date",
        ) from None


def _assess(
    data: Path | None,
    demo: bool,
    methodology_path: Path,
    units_path: Path | None,
    period: str | None,
    sheet: str | None,
    official: tuple[Path | None, Path | None, Path | None],
    previous: str | None,
) -> tuple[Any, Any]:
    """The result, and the previous period's (academic methodologies; an official result
    carries its own rank change against ``previous``)."""
    from kaoping.assess import assess as run_assessment
    from kaoping.methodology import load

    if demo:
        from kaoping.cli import _official_inputs
        from kaoping.data.bundled import demo_panel, henan_units, path

        methodology = load(methodology_path)
        units = henan_units()
        panel = demo_panel(methodology.name_to_id(), units)
        year = period or panel.periods[-1]
        if previous is None:
            earlier = [p for p in panel.periods if p < year]
            previous = earlier[-1] if earlier else None
        extra: dict[str, Any] = {}
        if methodology.is_official:
            events = official[1] or Path(os.fspath(path("demo/henan_events.csv")))
            extra = _official_inputs(
                methodology, official[0], events, official[2], previous, panel, year, units
            )
    else:
        assert data is not None
        is_official = load(methodology_path).is_official
        methodology, units, panel, extra = _inputs(
            data, methodology_path, units_path, period, sheet,
            (*official, previous if is_official else None),
        )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        result = run_assessment(methodology, panel, period, units=units, **extra)
        before = None
        if previous is not None and not methodology.is_official:
            before = run_assessment(methodology, panel, previous, units=units)
    return result, before
