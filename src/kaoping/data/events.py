"""Reading the two side files of an official assessment: events and judges' scores.

*Events* (加减分及否决事项): one row per award of a bonus, penalty or veto item to a unit, with
its evidence — the document (依据文件) and its date.  Columns: ``代码``/``code``, ``年份``/
``period``, ``事项``/``item`` (the item's id or name in the methodology), ``数量``/``count``
(default 1), ``依据``/``document`` (required), ``日期``/``date``, ``说明``/``note``.

*Judged sheet* (评委打分表): one row per judge, unit and criterion.  Columns: ``代码``/``code``,
``评委``/``judge``, ``评分项``/``criterion``, ``分数``/``score``, optionally ``年份``/``period``.

Both are read from CSV or xlsx like the observations (a title row above the header is skipped),
and every problem is reported at once with its cell.  Whether an item or a criterion exists is
the methodology's business: :mod:`kaoping.scoring` checks it, naming the same cells.

Examples
--------
>>> import pathlib, tempfile
>>> f = pathlib.Path(tempfile.mkdtemp()) / "events.csv"
>>> _ = f.write_text("代码,年份,事项,依据,日期\\n410883,2024,four_good_roads,交公路函〔2024〕1号,"
...                  "2024-05-01\\n", encoding="utf-8")
>>> read_events(f)[["unit", "period", "item", "count", "document", "location"]].values.tolist()
[['410883', '2024', 'four_good_roads', 1.0, '交公路函〔2024〕1号', 'events.csv!C2']]
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from typing import Final

import pandas as pd

from kaoping.data._parse import (
    Bad,
    clean_text,
    header_key,
    parse_code,
    parse_number,
    parse_period,
    show,
)
from kaoping.data._sheet import Grid, extra_cells, is_blank, load_grid
from kaoping.data.units import UNIT_HEADERS
from kaoping.errors import InputError, Problem

__all__ = ["EVENT_COLUMNS", "JUDGED_COLUMNS", "read_events", "read_judged"]

EVENT_COLUMNS: Final = ("unit", "period", "item", "count", "document", "date", "note", "location")
JUDGED_COLUMNS: Final = ("unit", "period", "judge", "criterion", "score", "location")

_HEADERS: Final[Mapping[str, frozenset[str]]] = {
    "code": UNIT_HEADERS["code"],
    "period": frozenset({"period", "year", "年份", "年度", "时期"}),
    "item": frozenset({"item", "事项", "项目", "加减分事项", "事项名称", "事项代码"}),
    "count": frozenset({"count", "数量", "次数", "个数"}),
    "document": frozenset({"document", "evidence", "依据", "依据文件", "文件", "文号"}),
    "date": frozenset({"date", "日期", "发文日期", "时间"}),
    "note": frozenset({"note", "notes", "说明", "备注"}),
    "judge": frozenset({"judge", "评委", "评委编号", "评委姓名"}),
    "criterion": frozenset({"criterion", "评分项", "评分项目", "评价内容"}),
    "score": frozenset({"score", "分数", "得分", "评分"}),
}
_SCAN: Final = 30


def _header(grid: Grid, required: Sequence[str]) -> tuple[int, dict[str, int]] | Problem:
    for index, (row, values) in enumerate(grid.rows[:_SCAN]):
        roles: dict[str, int] = {}
        for col, value in enumerate(values):
            key = header_key(value)
            for role, names in _HEADERS.items():
                if key in names and role not in roles:
                    roles[role] = col
        if "code" in roles:
            missing = [r for r in required if r not in roles]
            if missing:
                return Problem(
                    "data.missing_column",
                    f"表头（第 {row} 行）缺少这些列：{'、'.join(_ZH[m] for m in missing)}。",
                    f"the header (row {row}) lacks the columns {', '.join(missing)}.",
                    grid.name,
                )
            return index, roles
    return Problem(
        "data.no_header",
        f"在前 {_SCAN} 行中找不到表头：需要一行含“代码”（或 code）列的表头。",
        f"no header in the first {_SCAN} rows: a header row with a 代码 (code) column is needed.",
        grid.name,
    )


_ZH: Final = {
    "code": "代码",
    "period": "年份",
    "item": "事项",
    "count": "数量",
    "document": "依据",
    "date": "日期",
    "note": "说明",
    "judge": "评委",
    "criterion": "评分项",
    "score": "分数",
}


def _rows(grid: Grid, start: int, problems: list[Problem]) -> list[tuple[int, list[object]]]:
    """The data rows below the header (empty rows and footnotes skipped); a row with cells
    to the right of the header is a problem (:func:`kaoping.data._sheet.extra_cells`)."""
    out = []
    for row, values in grid.rows[start + 1 :]:
        if all(is_blank(v) for v in values):
            continue
        first = next((v for v in values if not is_blank(v)), None)
        if (
            sum(not is_blank(v) for v in values) == 1
            and isinstance(first, str)
            and clean_text(first).startswith(("注", "说明", "备注", "note", "*"))
        ):
            continue  # a footnote
        out.append((row, values))
    header_row, header = grid.rows[start]
    problems.extend(extra_cells(grid, header_row, len(header), out))
    return out


def _cell(values: list[object], col: int | None) -> object:
    return values[col] if col is not None and col < len(values) else None


def _text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _common(
    grid: Grid, row: int, values: list[object], roles: dict[str, int], problems: list[Problem]
) -> tuple[str | None, str | None]:
    code_col = roles["code"]
    code = parse_code(_cell(values, code_col))
    if code is None or isinstance(code, Bad):
        zh = "缺少单位代码" if code is None else code.zh
        en = "the unit code is missing" if code is None else code.en
        problems.append(
            Problem("data.bad_code", zh + "。", en + ".", grid.where(row, code_col + 1))
        )
        code = None
    period: str | None = None
    if "period" in roles:
        parsed = parse_period(_cell(values, roles["period"]))
        if isinstance(parsed, Bad):
            problems.append(
                Problem(
                    "data.bad_period", parsed.zh, parsed.en, grid.where(row, roles["period"] + 1)
                )
            )
        else:
            period = parsed
    return code, period


def read_events(path: str | os.PathLike[str], *, sheet: str | None = None) -> pd.DataFrame:
    """Read an events file (bonus, penalty and veto awards with their evidence).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVENT_COLUMNS`; ``period`` is None where the file has no 年份 column
        (the lines then apply to the period assessed); ``location`` is the item's cell.

    Raises
    ------
    kaoping.errors.InputError
        Every problem at once: a missing column, code, item or document (依据: every line needs
        its evidence), a count that is not a positive number.
    """
    grid = load_grid(path, sheet)
    found = _header(grid, ("item", "document"))
    if isinstance(found, Problem):
        raise InputError([found])
    start, roles = found
    problems: list[Problem] = []
    records: list[dict[str, object]] = []
    for row, values in _rows(grid, start, problems):
        code, period = _common(grid, row, values, roles, problems)
        item = _text(_cell(values, roles["item"]))
        where_item = grid.where(row, roles["item"] + 1)
        if item is None:
            problems.append(
                Problem(
                    "data.missing_item",
                    "缺少事项：请填写加分、减分或否决事项的代码或名称。",
                    "the item is missing: enter the id or name of the bonus, penalty or veto item.",
                    where_item,
                )
            )
        document = _text(_cell(values, roles["document"]))
        if document is None:
            problems.append(
                Problem(
                    "data.missing_evidence",
                    "缺少依据：每一条加减分或否决事项都要写明依据文件（文号或文件名）。",
                    "the evidence is missing: every bonus, penalty or veto line needs its "
                    "document (number or title).",
                    grid.where(row, roles["document"] + 1),
                )
            )
        count = 1.0
        if "count" in roles and not is_blank(_cell(values, roles["count"])):
            raw = _cell(values, roles["count"])
            parsed = parse_number(raw)
            if isinstance(parsed, Bad) or not (parsed > 0 and math.isfinite(parsed)):
                problems.append(
                    Problem(
                        "data.bad_count",
                        f"数量应为正数，收到 “{show(raw)}”。",
                        f"the count must be a positive number, got {show(raw)!r}.",
                        grid.where(row, roles["count"] + 1),
                    )
                )
            else:
                count = float(parsed)
        records.append(
            {
                "unit": code,
                "period": period,
                "item": item,
                "count": count,
                "document": document,
                "date": _text(_cell(values, roles.get("date"))),
                "note": _text(_cell(values, roles.get("note"))),
                "location": where_item,
            }
        )
    if problems:
        raise InputError(problems)
    return pd.DataFrame(records, columns=list(EVENT_COLUMNS))


def read_judged(path: str | os.PathLike[str], *, sheet: str | None = None) -> pd.DataFrame:
    """Read a judged sheet (评委打分表): one row per judge, unit and criterion.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`JUDGED_COLUMNS`; ``location`` is the score's cell.

    Raises
    ------
    kaoping.errors.InputError
        Every problem at once: a missing column or code, a judge or criterion left empty, a
        score that is not a number >= 0, the same judge scoring a unit's criterion twice.
    """
    grid = load_grid(path, sheet)
    found = _header(grid, ("judge", "criterion", "score"))
    if isinstance(found, Problem):
        raise InputError([found])
    start, roles = found
    problems: list[Problem] = []
    records: list[dict[str, object]] = []
    seen: dict[tuple[object, ...], str] = {}
    for row, values in _rows(grid, start, problems):
        code, period = _common(grid, row, values, roles, problems)
        judge = _text(_cell(values, roles["judge"]))
        criterion = _text(_cell(values, roles["criterion"]))
        for value, role in ((judge, "judge"), (criterion, "criterion")):
            if value is None:
                problems.append(
                    Problem(
                        f"data.missing_{role}",
                        f"缺少{_ZH[role]}。",
                        f"the {role} is missing.",
                        grid.where(row, roles[role] + 1),
                    )
                )
        raw = _cell(values, roles["score"])
        where = grid.where(row, roles["score"] + 1)
        score = parse_number(raw)
        if isinstance(score, Bad) or not (score >= 0):
            problems.append(
                Problem(
                    "data.bad_score",
                    f"分数应为不小于 0 的数，收到 “{show(raw)}”。",
                    f"the score must be a number >= 0, got {show(raw)!r}.",
                    where,
                )
            )
            continue
        key = (code, period, judge, criterion)
        if key in seen:
            problems.append(
                Problem(
                    "data.duplicate",
                    f"评委 {judge} 对 {code} 的 {criterion} 重复打分（另见 {seen[key]}）。",
                    f"judge {judge} scored {criterion} of {code} twice (also at {seen[key]}).",
                    where,
                )
            )
            continue
        seen[key] = where
        records.append(
            {
                "unit": code,
                "period": period,
                "judge": judge,
                "criterion": criterion,
                "score": float(score),
                "location": where,
            }
        )
    if problems:
        raise InputError(problems)
    return pd.DataFrame(records, columns=list(JUDGED_COLUMNS))
