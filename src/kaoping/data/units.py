"""The table of assessed units: code, name, parent, category, kind, validity, successor, note.

A unit is usually a county-level division keyed by its six-digit code (GB/T 2260), but it can
also be a functional zone or an industrial park with a statistical code.  Codes are always text:
``"410102"``, and a code with leading zeros keeps them.  Divisions change (长垣县 became 长垣市
in 2019), so a unit may carry the first and last year in which it exists and, once it has
ceased, the code(s) of the unit(s) that took it over (长垣县 410728 -> 长垣市 410783; 孟津县
and 吉利区 -> 孟津区 410308).  A free-text note says anything else worth knowing about a unit
(e.g. that 410871 is a statistical functional zone, not an administrative division).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Final

import pandas as pd

from kaoping.data._parse import (
    Bad,
    clean_text,
    header_key,
    is_missing,
    parse_code,
    parse_year,
    show,
)
from kaoping.errors import InputError, Problem

__all__ = ["UNIT_COLUMNS", "Units"]

UNIT_COLUMNS: Final[tuple[str, ...]] = (
    "name",
    "parent",
    "category",
    "kind",
    "valid_from",
    "valid_to",
    "successor",
    "note",
)
"""Columns of :attr:`Units.frame`, which is indexed by ``code``."""

_TEXT_COLUMNS: Final = ("name", "parent", "category", "kind", "successor", "note")
_YEAR_COLUMNS: Final = ("valid_from", "valid_to")
_SUCCESSOR_CODE: Final = re.compile(r"[0-9]{6}")
# Several successor codes are written with spaces; commas and 、 or ; between them are accepted.
_SUCCESSOR_SEPARATORS: Final = re.compile(r"[\s,，、;；]+")

# Accepted header texts of each column, compared with ``header_key`` (case, width and
# whitespace-insensitive).  Shared with the file reader.
UNIT_HEADERS: Final[Mapping[str, frozenset[str]]] = {
    "code": frozenset(
        {"code", "unit", "unitcode", "unit_code", "代码", "区划代码", "行政区划代码", "单位代码"}
    ),
    "name": frozenset(
        {
            "name",
            "unitname",
            "unit_name",
            "名称",
            "单位",
            "单位名称",
            "地区",
            "县(市、区)",
            "县市区",
            "县(市)",
            "县市",
            "县(区)",
            "县区",
            "区县",
            "县名",
            "县(市)名称",
            "县(市、区)名称",
            "地区名称",
        }
    ),
    "parent": frozenset({"parent", "上级", "上级代码", "所属"}),
    "category": frozenset({"category", "类别", "分类"}),
    "kind": frozenset({"kind", "类型"}),
    "valid_from": frozenset({"valid_from", "validfrom", "起始年份", "起始年"}),
    "valid_to": frozenset({"valid_to", "validto", "终止年份", "终止年"}),
    "successor": frozenset({"successor", "successors", "后继", "后继代码", "承继单位"}),
    "note": frozenset({"note", "notes", "备注", "说明"}),
}


def unit_role(header: object) -> str | None:
    """The column a header names (``"code"``, ``"name"`` …), or None."""
    key = header_key(header)
    for role, names in UNIT_HEADERS.items():
        if key in names:
            return role
    return None


def period_year(period: str) -> int | None:
    """The calendar year of a period (``"2024-Q3"`` -> 2024), or None if it does not start so."""
    head = period[:4]
    return int(head) if len(period) >= 4 and head.isdigit() else None


class Units:
    """The assessed units, indexed by code.

    A thin, immutable wrapper around a :class:`pandas.DataFrame` indexed by ``code`` (text)
    with the columns ``name``, ``parent``, ``category``, ``kind`` (text, NA when unknown),
    ``valid_from``, ``valid_to`` (nullable integer years, NA = open), ``successor`` (the
    six-digit code(s) of the unit(s) that took over a unit that ceased, separated by single
    spaces, e.g. ``"410308"``; NA when none) and ``note`` (free text, NA when none).

    Parameters
    ----------
    frame : pandas.DataFrame
        A ``code`` column, or an index named ``code``, and at least ``name``; the other columns
        are optional.  Headers may also be the Chinese ones accepted by
        :func:`kaoping.data.read_units` (代码, 名称, 上级, 类别, 类型, 起始年份, 终止年份, 后继,
        备注).  Codes written as numbers (``410102`` or ``410102.0``) become text.  A successor
        is one or more six-digit codes (a 7x functional-zone code is six digits too) separated
        by spaces; commas and 、 between them are accepted too.

    Raises
    ------
    kaoping.errors.InputError
        With every problem at once: ``data.missing_column``, ``data.missing_code``,
        ``data.bad_code`` (also for a successor that is not a six-digit code),
        ``data.missing_name``, ``data.duplicate_unit``, ``data.bad_year``.

    Examples
    --------
    >>> import pandas as pd
    >>> units = Units(pd.DataFrame({"code": [410102, 410103], "name": ["中原区", "二七区"]}))
    >>> units.codes
    ('410102', '410103')
    >>> units.names["410103"]
    '二七区'
    """

    __slots__ = ("_frame",)
    _frame: pd.DataFrame

    def __init__(self, frame: pd.DataFrame) -> None:
        object.__setattr__(self, "_frame", _normalise(frame))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Units:
        """Build the table from a DataFrame; the same as ``Units(frame)``."""
        return cls(frame)

    @classmethod
    def _wrap(cls, frame: pd.DataFrame) -> Units:
        """Wrap an already normalised frame without checking it again."""
        units = cls.__new__(cls)
        object.__setattr__(units, "_frame", frame)
        return units

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Units is immutable; cannot set {name!r}")

    @property
    def frame(self) -> pd.DataFrame:
        """A copy of the table (indexed by ``code``)."""
        return self._frame.copy()

    @property
    def codes(self) -> tuple[str, ...]:
        """The unit codes, in the order of the table."""
        return tuple(self._frame.index)

    @property
    def names(self) -> dict[str, str]:
        """Unit code -> name."""
        return dict(zip(self._frame.index, self._frame["name"], strict=True))

    @property
    def categories(self) -> pd.Series:
        """Unit code -> category (NA where none), e.g. for ``impute(..., categories=...)``."""
        return self._frame["category"].copy()

    def name(self, code: str) -> str:
        """The name of the unit ``code``; ``KeyError`` naming the code if there is none."""
        try:
            return str(self._frame.at[code, "name"])
        except KeyError:
            raise KeyError(f"no unit with code {code!r} in the units table") from None

    def is_valid(self, code: str, period: str) -> bool:
        """Whether ``code`` exists in ``period`` (its year lies in ``[valid_from, valid_to]``).

        A unit without years, or a period that does not start with a year, is always valid.
        """
        if code not in self._frame.index:
            return False
        year = period_year(period)
        if year is None:
            return True
        start, end = self._years(code)
        return (start is None or start <= year) and (end is None or year <= end)

    def validity(self, code: str) -> str:
        """The years of validity as text, e.g. ``"1990–2019"`` or ``"2019–"``."""
        start, end = self._years(code)
        return f"{'' if start is None else start}–{'' if end is None else end}"

    def _years(self, code: str) -> tuple[int | None, int | None]:
        years: list[int | None] = []
        for column in _YEAR_COLUMNS:
            value: Any = self._frame.at[code, column]
            years.append(None if is_missing(value) else int(value))
        return years[0], years[1]

    def __contains__(self, code: object) -> bool:
        return code in self._frame.index

    def __len__(self) -> int:
        return len(self._frame)

    def __iter__(self) -> Iterator[str]:
        return iter(self.codes)

    def __repr__(self) -> str:
        return f"Units({len(self)} units)"


def _dtype(column: str) -> str:
    """Nullable integer years, text for every other column."""
    return "Int64" if column in _YEAR_COLUMNS else "str"


def _empty_frame() -> pd.DataFrame:
    frame = pd.DataFrame(
        {c: pd.Series([], dtype=_dtype(c)) for c in UNIT_COLUMNS},
        index=pd.Index([], dtype="str", name="code"),
    )
    return frame


def build_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """The normalised units frame from records with keys ``code`` and :data:`UNIT_COLUMNS`."""
    if not records:
        return _empty_frame()
    index = pd.Index([r["code"] for r in records], dtype="str", name="code")
    data: dict[str, pd.Series] = {}
    for column in UNIT_COLUMNS:  # in this order: the years before successor and note
        data[column] = pd.Series(
            [r.get(column) for r in records], dtype=_dtype(column), index=index
        )
    return pd.DataFrame(data, index=index)


def check_record(
    record: dict[str, Any], raw: Mapping[str, object], where: Mapping[str, str]
) -> list[Problem]:
    """Parse the raw cells of one unit into ``record``; problems name ``where[column]``."""
    problems: list[Problem] = []
    code = parse_code(raw.get("code"))
    if isinstance(code, Bad):
        problems.append(Problem("data.bad_code", code.zh, code.en, where["code"]))
    elif code is None:
        problems.append(
            Problem(
                "data.missing_code",
                "缺少单位代码。请填写该单位的代码（如 410102），或删除这一行。",
                "the unit code is missing; enter the unit's code (e.g. 410102) or delete the row.",
                where["code"],
            )
        )
    else:
        record["code"] = code
    for column in _TEXT_COLUMNS:
        value = raw.get(column)
        if column == "parent":
            parent = parse_code(value)
            record[column] = parent if isinstance(parent, str) else None
            if isinstance(parent, Bad):
                problems.append(Problem("data.bad_code", parent.zh, parent.en, where[column]))
            continue
        if column == "successor":
            successor = parse_successor(value)
            record[column] = successor if isinstance(successor, str) else None
            if isinstance(successor, Bad):
                problems.append(Problem("data.bad_code", successor.zh, successor.en, where[column]))
            continue
        if value is None or is_missing(value):
            text = None
        elif column == "note":  # prose: keep its full-width punctuation (，：（）), only strip
            text = str(value).strip()
        else:
            text = clean_text(str(value))
        record[column] = text or None
    if record["name"] is None:
        problems.append(
            Problem(
                "data.missing_name",
                f"单位 {record.get('code', '')} 缺少名称。请填写单位名称（如 中原区）。",
                f"unit {record.get('code', '')} has no name; enter its name (e.g. 中原区).",
                where["name"],
            )
        )
    for column in _YEAR_COLUMNS:
        year = parse_year(None if is_missing(raw.get(column)) else raw.get(column))
        if isinstance(year, Bad):
            problems.append(Problem("data.bad_year", year.zh, year.en, where[column]))
            year = None
        record[column] = year
    start, end = record["valid_from"], record["valid_to"]
    if start is not None and end is not None and start > end:
        problems.append(
            Problem(
                "data.bad_year",
                f"起始年份 {start} 晚于终止年份 {end}。请检查这两个年份。",
                f"valid_from {start} is after valid_to {end}; check both years.",
                where["valid_to"],
            )
        )
    return problems


def parse_successor(raw: object) -> str | Bad | None:
    """Parse the successor cell: six-digit codes, returned separated by single spaces.

    >>> parse_successor("410307、410308"), parse_successor(410783.0), parse_successor("  ")
    ('410307 410308', '410783', None)
    >>> isinstance(parse_successor("长垣市"), Bad)
    True
    """
    if raw is None or is_missing(raw):
        return None
    text = parse_code(raw)  # numbers (410783, 410783.0) become text; dates are refused
    if text is None or isinstance(text, Bad):
        return text
    codes: list[str] = []
    for token in _SUCCESSOR_SEPARATORS.split(text):
        if not token:
            continue
        if not _SUCCESSOR_CODE.fullmatch(token):
            return Bad(
                f"后继单位 “{show(raw)}” 中的 “{token}” 不是六位数字的单位代码。"
                "请填写承继该单位的单位代码（如 410783），多个代码用空格分隔；没有后继单位请留空。",
                f"{token!r} in the successor {show(raw)!r} is not a six-digit unit code; enter "
                "the code of the unit that took it over (e.g. 410783), several codes separated "
                "by spaces, or leave the cell empty if there is none.",
            )
        if token not in codes:
            codes.append(token)
    return " ".join(codes) or None


def duplicate_problem(code: str, where: str, first: str) -> Problem:
    """The problem for a unit code listed twice."""
    return Problem(
        "data.duplicate_unit",
        f"单位代码 {code} 重复出现（第一次在 {first}）。每个单位只能列一次，请删除或改正其中一行。",
        f"unit code {code} appears twice (first at {first}); list each unit once: delete or "
        "correct one of the rows.",
        where,
    )


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"Units needs a pandas DataFrame, got {type(frame).__name__}")
    df = frame.reset_index() if "code" not in frame.columns and frame.index.name else frame
    columns: dict[str, int] = {}
    for position, column in enumerate(df.columns):
        role = unit_role(column)
        if role is not None and role not in columns:
            columns[role] = position
    missing = [c for c in ("code", "name") if c not in columns]
    if missing:
        raise InputError(
            [
                Problem(
                    "data.missing_column",
                    f"单位表缺少列 {', '.join(missing)}"
                    f"（现有列：{', '.join(map(str, df.columns))}）。"
                    "请加上单位代码列 code 和名称列 name。",
                    f"the units table has no column {', '.join(missing)} (columns: "
                    f"{', '.join(map(str, df.columns))}); add a code and a name column.",
                )
            ]
        )
    problems: list[Problem] = []
    records: list[dict[str, Any]] = []
    first: dict[str, str] = {}
    for position, row in enumerate(df.itertuples(index=False, name=None)):
        raw = {role: row[at] for role, at in columns.items()}
        raw = {role: (None if is_missing(value) else value) for role, value in raw.items()}
        where = {role: f"units row {position}, column {role}" for role in ("code", *UNIT_COLUMNS)}
        record: dict[str, Any] = {}
        problems.extend(check_record(record, raw, where))
        code = record.get("code")
        if code is None:
            continue
        if code in first:
            problems.append(duplicate_problem(code, where["code"], first[code]))
            continue
        first[code] = where["code"]
        records.append(record)
    if problems:
        raise InputError(problems)
    return build_frame(records)
