"""An observation event's workbook: read it with every bad cell named, write it, and write the
event's results.

The event workbook (:func:`write_event` writes one, ``kaoping observation demo`` the demo's):

- 设置 (optional): two columns 项目 | 值 — 活动代码, 期间, 汇总方式 (平均 / 去极值 / 加权 /
  去极值加权, or mean / trimmed / weighted / trimmed_weighted), 去极值最少评委数, 偏离阈值 (a
  share of the maximum total, 0.15), 排除评委 and 保留评委 (judge ids separated by 、 or commas);
- 分组: 组别, 代码, 名称 — one row a unit;
- 评分项: 评分项, 满分, 说明;
- 评委: 编号, 姓名, 身份, 权重;
- 评分: 评委, 代码, 评分项, 分数 — one row a value; an empty 分数 is not scored yet.

:func:`read_event` raises one :class:`~kaoping.errors.InputError` with every problem, each at
its cell (``活动.xlsx!评分!D7``); scores not given yet are not a problem of the workbook
(:func:`kaoping.observation.missing_scores` lists them, :func:`~kaoping.observation.aggregate`
refuses to rank without them).
"""

from __future__ import annotations

import io
import numbers
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Final

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kaoping.data._parse import Bad, clean_text, parse_code, parse_number, show
from kaoping.data._sheet import Grid, grid_from_bytes, is_blank, load_grid
from kaoping.data._xlsx_write import HEADER_FILL
from kaoping.errors import InputError, Problem, get_language
from kaoping.observation.model import (
    AGGREGATION_NAMES,
    AGGREGATIONS,
    Criterion,
    EventResult,
    EventSpec,
    Judge,
    check_spec,
)
from kaoping.observation.results import missing_problems
from kaoping.observation.scores import check_rows

__all__ = ["read_event", "write_event", "write_results"]

Source = str | os.PathLike[str] | IO[bytes]

_SHEETS: Final = {
    "分组": {"group": ("组别", "group"), "code": ("代码", "code"), "name": ("名称", "name")},
    "评分项": {
        "name": ("评分项", "criterion"),
        "maximum": ("满分", "maximum"),
        "hint": ("说明", "hint"),
    },
    "评委": {
        "id": ("编号", "id"),
        "name": ("姓名", "name"),
        "role": ("身份", "role"),
        "weight": ("权重", "weight"),
    },
    "评分": {
        "judge": ("评委", "judge"),
        "unit": ("代码", "unit"),
        "criterion": ("评分项", "criterion"),
        "score": ("分数", "score"),
    },
}
_REQUIRED: Final = {
    "分组": ("group", "code"),
    "评分项": ("name", "maximum"),
    "评委": ("id",),
    "评分": ("judge", "unit", "criterion", "score"),
}
_SETTINGS: Final = {
    "活动代码": "code",
    "期间": "period",
    "汇总方式": "aggregation",
    "去极值最少评委数": "trim_min_judges",
    "偏离阈值": "far",
    "排除评委": "excluded",
    "保留评委": "kept",
}
_AGGREGATION_ALIASES: Final = {
    "平均": "mean",
    "平均分": "mean",
    "去极值": "trimmed",
    "去掉最高分和最低分": "trimmed",
    "加权": "weighted",
    "加权平均": "weighted",
    "去极值加权": "trimmed_weighted",
}
_SPLIT = re.compile(r"[、,，;；\s]+")


def _t(zh: str, en: str) -> str:
    return zh if get_language() == "zh" else en


# -- reading ---------------------------------------------------------------------------------


def _loader(file: Source, name: str | None) -> tuple[str, Callable[[str], Grid]]:
    if isinstance(file, str | os.PathLike):
        source = name or Path(file).name

        def load(sheet: str) -> Grid:
            grid = load_grid(file, sheet)
            grid.source = source
            grid.__dict__.pop("_prefix", None)
            return grid

        return source, load
    content = file.read()
    source = Path(name or str(getattr(file, "name", "") or "event.xlsx")).name
    return source, lambda sheet: grid_from_bytes(content, source, sheet)


def _text(raw: object) -> str:
    if raw is None:
        return ""
    code = parse_code(raw) if isinstance(raw, int | float) else None
    if isinstance(code, str):
        return code
    return clean_text(str(raw))


def _plain(raw: object) -> str:
    """Free text (a name, a hint) as written, outer whitespace stripped."""
    return "" if raw is None else str(raw).strip()


def _table(grid: Grid, sheet: str, problems: list[Problem]) -> list[tuple[int, dict[str, object]]]:
    """The rows of a sheet as field -> raw value, with the row numbers; headers matched by
    their Chinese or English names."""
    fields = _SHEETS[sheet]
    header_row, header = grid.rows[0]
    keys = {}
    for field, names in fields.items():
        keys.update({clean_text(n).casefold(): field for n in names})
    columns: dict[str, int] = {}
    for index, raw in enumerate(header):
        found = keys.get(clean_text(str(raw)).casefold()) if raw is not None else None
        if found and found not in columns:
            columns[found] = index
    absent = [fields[f][0] for f in _REQUIRED[sheet] if f not in columns]
    if absent:
        problems.append(
            Problem(
                "observation.missing_header",
                f"工作表“{sheet}”缺少列：{'、'.join(absent)}。第 {header_row} 行须是表头："
                f"{'、'.join(n[0] for n in fields.values())}。",
                f"sheet {sheet} lacks the column(s) {', '.join(absent)}; row {header_row} must "
                f"hold the headers {', '.join(n[0] for n in fields.values())}.",
                grid.where(header_row, 1),
            )
        )
        return []
    out = []
    for number, values in grid.rows[1:]:
        cells = {f: values[i] if i < len(values) else None for f, i in columns.items()}
        if all(is_blank(v) for v in cells.values()):
            continue
        cells["_where"] = {f: grid.where(number, i + 1) for f, i in columns.items()}
        out.append((number, cells))
    return out


def _where(cells: dict[str, object], field: str) -> str:
    where = cells["_where"]
    assert isinstance(where, dict)
    return str(where[field])


def _required(
    cells: dict[str, object], field: str, label: str, problems: list[Problem]
) -> str | None:
    text = _text(cells.get(field))
    if not text:
        problems.append(
            Problem(
                "observation.empty_cell",
                f"“{label}”为空。请填写。",
                f"{label} is empty; fill it in.",
                _where(cells, field),
            )
        )
        return None
    return text


def _positive(
    cells: dict[str, object], field: str, label: str, default: float | None, problems: list[Problem]
) -> float | None:
    raw = cells.get(field)
    value = parse_number(raw)
    if isinstance(value, Bad):
        problems.append(
            Problem("observation.not_a_number", value.zh, value.en, _where(cells, field))
        )
        return None
    if value != value:
        if default is not None:
            return default
        problems.append(
            Problem(
                "observation.empty_cell",
                f"“{label}”为空。请填写正数。",
                f"{label} is empty; write a positive number.",
                _where(cells, field),
            )
        )
        return None
    if value <= 0:
        problems.append(
            Problem(
                "observation.not_positive",
                f"“{label}”须为正数，收到 {show(raw)}。",
                f"{label} must be a positive number; got {show(raw)}.",
                _where(cells, field),
            )
        )
        return None
    return value


def _duplicate(
    seen: dict[str, str], key: str, where: str, what_zh: str, what_en: str, problems: list[Problem]
) -> bool:
    if key in seen:
        problems.append(
            Problem(
                "observation.duplicate",
                f"{what_zh} {key} 重复（第一次在 {seen[key]}）。请删除或改正其中之一。",
                f"{what_en} {key} is given twice (first at {seen[key]}); remove or correct one.",
                where,
            )
        )
        return True
    seen[key] = where
    return False


def _settings(
    load: Callable[[str], Grid], stem: str, problems: list[Problem], judges: set[str]
) -> dict[str, object]:
    out: dict[str, object] = {"code": stem, "period": ""}
    try:
        grid = load("设置")
    except InputError as error:
        if error.codes == ["data.missing_sheet"]:
            return out
        raise
    for number, values in grid.rows:
        key = clean_text(str(values[0])) if values and values[0] is not None else ""
        raw = values[1] if len(values) > 1 else None
        field = _SETTINGS.get(key)
        where = grid.where(number, 2)
        if field is None or is_blank(raw):
            if key and key not in ("项目", "设置") and field is None:
                problems.append(
                    Problem(
                        "observation.unknown_setting",
                        f"设置项“{key}”无法识别（可用：{'、'.join(_SETTINGS)}）。请改正或删除该行。",
                        f"setting {key!r} is not known (known: {', '.join(_SETTINGS)}); correct "
                        "or remove the row.",
                        grid.where(number, 1),
                    )
                )
            continue
        text = _text(raw)
        if field in ("code", "period"):
            out[field] = text
        elif field == "aggregation":
            value = _AGGREGATION_ALIASES.get(text, text.lower())
            if value not in AGGREGATIONS:
                problems.append(
                    Problem(
                        "observation.bad_aggregation",
                        f"汇总方式“{text}”无法识别。请填写 平均、去极值、加权 或 去极值加权。",
                        f"aggregation {text!r} is not known; write mean, trimmed, weighted or "
                        "trimmed_weighted (平均、去极值、加权、去极值加权).",
                        where,
                    )
                )
            out[field] = value
        elif field == "trim_min_judges":
            number_ = parse_number(raw)
            if isinstance(number_, Bad) or not float(number_).is_integer() or number_ < 3:
                problems.append(
                    Problem(
                        "observation.bad_trim_min_judges",
                        f"去极值最少评委数须为不小于 3 的整数，收到 {show(raw)}。",
                        f"the fewest judges for trimming must be an integer >= 3; got {show(raw)}.",
                        where,
                    )
                )
            else:
                out[field] = int(number_)
        elif field == "far":
            number_ = parse_number(raw)
            if isinstance(number_, Bad) or not 0 < number_ <= 1:
                problems.append(
                    Problem(
                        "observation.bad_far",
                        "偏离阈值须为 0 到 1 之间的比例（0.15 表示满分总分的 15%），"
                        f"收到 {show(raw)}。",
                        f"the far threshold must be a share in (0, 1] (0.15 = 15 % of the "
                        f"maximum total); got {show(raw)}.",
                        where,
                    )
                )
            else:
                out[field] = float(number_)
        else:
            ids = frozenset(x for x in _SPLIT.split(text) if x)
            for judge in sorted(ids - judges):
                problems.append(
                    Problem(
                        "observation.unknown_judge",
                        f"{key}中的评委 {judge} 不在“评委”表中。请核对编号。",
                        f"judge {judge} ({key}) is not on the sheet 评委; check the id.",
                        where,
                    )
                )
            out[field] = ids & judges
    return out


def read_event(
    file: Source, *, name: str | None = None, complete: bool = False
) -> tuple[EventSpec, pd.DataFrame]:
    """Read an event's workbook (see the module): its configuration and its scores.

    Parameters
    ----------
    file : path or binary file
        The workbook (an upload as a binary file-like object).
    name : str, optional
        The file's name in messages (default: the path's name).
    complete : bool, default False
        Also require every score of every judge not excluded (``observation.missing_score``,
        reported with the other problems), as before computing the result.

    Returns
    -------
    (EventSpec, pandas.DataFrame)
        The event, and its scores: ``judge``, ``unit``, ``criterion``, ``score`` (float, NaN
        where not scored yet), ``location`` (the score's cell).

    Raises
    ------
    kaoping.errors.InputError
        Every problem of the workbook at its cell: a sheet or header missing, an empty or bad
        cell, a code, criterion or judge twice, a maximum or weight not positive, a bad
        setting, and every problem of the scores (:func:`kaoping.observation.check_scores`).
    """
    source, load = _loader(file, name)
    problems: list[Problem] = []
    grids: dict[str, Grid] = {}
    for sheet in _SHEETS:
        try:
            grids[sheet] = load(sheet)
        except InputError as error:  # a file that does not open says so once, not per sheet
            problems += [p for p in error.problems if p not in problems]
    if problems:
        raise InputError(problems)
    groups: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    seen: dict[str, str] = {}
    for _, cells in _table(grids["分组"], "分组", problems):
        group = _required(cells, "group", "组别", problems)
        code = _required(cells, "code", "代码", problems)
        if group is None or code is None:
            continue
        if _duplicate(seen, code, _where(cells, "code"), "单位代码", "unit code", problems):
            continue
        groups.setdefault(group, []).append(code)
        unit_name = _plain(cells.get("name"))
        if unit_name:
            names[code] = unit_name
    criteria: list[Criterion] = []
    seen = {}
    for _, cells in _table(grids["评分项"], "评分项", problems):
        criterion = _required(cells, "name", "评分项", problems)
        maximum = _positive(cells, "maximum", "满分", None, problems)
        if criterion is None or maximum is None:
            continue
        if _duplicate(seen, criterion, _where(cells, "name"), "评分项", "criterion", problems):
            continue
        criteria.append(Criterion(criterion, maximum, _plain(cells.get("hint"))))
    judges: list[Judge] = []
    seen = {}
    for _, cells in _table(grids["评委"], "评委", problems):
        judge = _required(cells, "id", "编号", problems)
        weight = _positive(cells, "weight", "权重", 1.0, problems) if "weight" in cells else 1.0
        if judge is None or weight is None:
            continue
        if _duplicate(seen, judge, _where(cells, "id"), "评委编号", "judge id", problems):
            continue
        judges.append(
            Judge(judge, _plain(cells.get("name")) or judge, _plain(cells.get("role")), weight)
        )
    rows = []
    for _, cells in _table(grids["评分"], "评分", problems):
        rows.append(
            {
                "judge": _text(cells.get("judge")),
                "unit": _text(cells.get("unit")),
                "criterion": _text(cells.get("criterion")),
                "score": cells.get("score"),
                "location": _where(cells, "score"),
            }
        )
    settings = _settings(load, Path(source).stem, problems, {j.id for j in judges})
    spec = EventSpec(
        code=str(settings.pop("code")),
        period=str(settings.pop("period")),
        groups=groups,
        criteria=criteria,
        judges=judges,
        names=names,
        **settings,  # type: ignore[arg-type]
    )
    scores = pd.DataFrame(rows, columns=["judge", "unit", "criterion", "score", "location"])
    scores = scores.astype({"score": object})
    if not problems:  # what the cells could not say: no group, no criterion, no judge
        problems += check_spec(spec)
    problems += check_rows(spec, scores)
    if complete and not any(p.code == "observation.missing_column" for p in problems):
        problems += missing_problems(spec, scores)
    if problems:
        raise InputError(problems)
    values = [parse_number(v) for v in scores["score"]]
    scores["score"] = pd.Series(values, index=scores.index, dtype="float64")
    return spec, scores


# -- writing ---------------------------------------------------------------------------------


def _sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
           widths: Sequence[float] | None = None) -> Worksheet:  # fmt: skip
    ws = wb.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", title)[:31])
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in rows:
        ws.append(list(row))
    for index, header in enumerate(headers, start=1):
        width = widths[index - 1] if widths else max(8.0, 2.2 * len(str(header)) + 2)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    return ws


def _save(wb: Workbook, path: str | os.PathLike[str] | IO[bytes]) -> None:
    if "Sheet" in wb.sheetnames and len(wb.sheetnames) > 1:
        del wb["Sheet"]
    buffer = io.BytesIO()
    wb.save(buffer)
    if isinstance(path, str | os.PathLike):
        Path(path).write_bytes(buffer.getvalue())
    else:
        path.write(buffer.getvalue())


def write_event(
    spec: EventSpec, scores: pd.DataFrame, path: str | os.PathLike[str] | IO[bytes]
) -> None:
    """Write the event's workbook (see the module), as :func:`read_event` reads it."""
    wb = Workbook()
    _sheet(
        wb,
        "设置",
        ["项目", "值"],
        [
            ("活动代码", spec.code),
            ("期间", spec.period),
            ("汇总方式", spec.aggregation),
            ("去极值最少评委数", spec.trim_min_judges),
            ("偏离阈值", spec.far),
            ("排除评委", "、".join(sorted(spec.excluded))),
            ("保留评委", "、".join(sorted(spec.kept))),
        ],
        [18, 24],
    )
    _sheet(
        wb,
        "分组",
        ["组别", "代码", "名称"],
        [(g, u, spec.names.get(u, "")) for g, m in spec.groups.items() for u in m],
        [12, 10, 24],
    )
    _sheet(
        wb,
        "评分项",
        ["评分项", "满分", "说明"],
        [(c.name, c.maximum, c.hint) for c in spec.criteria],
        [14, 8, 48],
    )
    _sheet(
        wb,
        "评委",
        ["编号", "姓名", "身份", "权重"],
        [(j.id, j.name, j.role, j.weight) for j in spec.judges],
        [8, 16, 14, 8],
    )
    rows = [
        (r.judge, r.unit, r.criterion, None if _missing(r.score) else r.score)
        for r in scores[["judge", "unit", "criterion", "score"]].itertuples(index=False)
    ]
    _sheet(wb, "评分", ["评委", "代码", "评分项", "分数"], rows, [8, 10, 14, 8])
    _save(wb, path)


_KIND_ZH: Final = {"flat": "分数无差别", "far": "偏离其他评委", "excluded": "组织者排除"}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _round(value: object) -> object:
    if _missing(value) or not isinstance(value, numbers.Real):
        return None
    return round(float(value), 2)


def write_results(result: EventResult, path: str | os.PathLike[str] | IO[bytes]) -> None:
    """Write the event's results: one sheet a group (名次, 代码, 名称, each criterion's points,
    总分, 采用评委数), each judge's totals (评委总分), the flagged and left-out judges (评委提示)
    and how the result was computed (说明); Chinese headers."""
    spec = result.spec
    table = result.table
    criteria = [c for c in table.columns if c not in ("name", "group", "total", "rank", "judges")]
    maxima = {c.name: c.maximum for c in spec.criteria} if spec else {}
    wb = Workbook()
    for group, part in table.groupby("group", sort=False):
        part = part.sort_values(["rank", "total"], ascending=[True, False], kind="stable")
        heads = [f"{c}（{maxima[c]:g}分）" if c in maxima else str(c) for c in criteria]
        _sheet(
            wb,
            str(group),
            ["名次", "代码", "名称", *heads, "总分", "采用评委数"],
            [
                (
                    int(r["rank"]),
                    str(u),
                    r["name"],
                    *(_round(r[c]) for c in criteria),
                    _round(r["total"]),
                    int(r["judges"]),
                )
                for u, r in part.iterrows()
            ],
        )
    judges = {j.id: j for j in spec.judges} if spec else {}
    per_judge = result.per_judge
    _sheet(
        wb,
        "评委总分",
        [
            "代码",
            "名称",
            "组别",
            *(f"{j}（{judges[j].name}）" if j in judges else str(j) for j in per_judge.columns),
        ],
        [
            (
                str(u),
                table.at[u, "name"] if u in table.index else "",
                table.at[u, "group"] if u in table.index else "",
                *(_round(v) for v in row),
            )
            for u, row in per_judge.iterrows()
        ],
    )
    notes = []
    for row in result.flags.itertuples(index=False):
        used = "未采用" if row.judge in result.left_out else "保留（组织者决定）"
        notes.append(
            (row.judge, _KIND_ZH.get(str(row.kind), row.kind), _round(row.value), used, row.zh)
        )
    for judge, reason in result.left_out.items():
        if reason == "excluded":
            notes.append((judge, _KIND_ZH["excluded"], None, "未采用", "组织者把该评委排除在外。"))
    _sheet(wb, "评委提示", ["评委", "类型", "数值", "处理", "说明"], notes, [8, 14, 8, 18, 80])
    if spec is not None:
        zh, _ = AGGREGATION_NAMES.get(spec.aggregation, (spec.aggregation, ""))
        _sheet(
            wb,
            "说明",
            ["项目", "值"],
            [
                ("活动代码", spec.code),
                ("期间", spec.period),
                ("汇总方式", zh),
                ("去极值最少评委数", spec.trim_min_judges),
                ("偏离阈值（满分总分的比例）", spec.far),
                ("满分总分", spec.maximum),
                ("评委人数", len(spec.judges)),
                ("未采用评委", "、".join(result.left_out) or "无"),
                (
                    "计算方法",
                    "每名评委对一个单位的总分为各评分项得分之和；"
                    + {
                        "mean": "单位得分为各评委总分的平均。",
                        "trimmed": f"评委不少于 {spec.trim_min_judges} 人时去掉一个最高总分和一个"
                        "最低总分，再取平均。",
                        "weighted": "单位得分为各评委总分按评委权重的加权平均。",
                        "trimmed_weighted": f"评委不少于 {spec.trim_min_judges} 人时去掉一个最高"
                        "总分和一个最低总分，再按评委权重加权平均。",
                    }.get(spec.aggregation, "")
                    + "各评分项得分为同一批评委的同样平均；名次在各组内排列，同分同名次。",
                ),
            ],
            [26, 90],
        )
    _save(wb, path)
