"""Turning one spreadsheet cell into a number, a unit code, a period or a header key.

Lenient where the meaning is unambiguous, strict otherwise: ``"1,234.5"`` and ``"１２.５"`` are
numbers, ``"12,3%"`` is not (is it 12.3 or 0.123?).  A parser returns the parsed value, ``None``
or NaN for an empty cell, or a :class:`Bad` with the reason in both languages; the caller knows
the cell address and turns a :class:`Bad` into a :class:`kaoping.errors.Problem`.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "MISSING_TOKENS",
    "Bad",
    "clean_text",
    "header_key",
    "header_key_without_unit",
    "is_missing",
    "parse_code",
    "parse_number",
    "parse_period",
    "parse_year",
    "period_sort_key",
    "show",
]

MISSING_TOKENS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "—",
        "——",
        "–",
        "/",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "缺",
        "无数据",
        "暂无数据",
    }
)
"""Cell texts that mean "no value" (compared after :func:`clean_text` and case folding)."""

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.IGNORECASE)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
# ASCII decimals without exponent, at most 300 digits: float() takes them as they are, and
# they cannot overflow to inf (the slow path handles exponents, grouping and full-width text).
# plain ASCII digits with an optional decimal part: read with float() (most cells of a CSV)
PLAIN_NUMBER = re.compile(r"-?[0-9]{1,300}(?:\.[0-9]{0,300})?")
_EXCEL_ERRORS = frozenset(
    {"#div/0!", "#n/a", "#name?", "#null!", "#num!", "#ref!", "#value!", "#spill!", "#calc!"}
)
_FIX_NUMBER_ZH = (
    "请填写纯数字（如 1234.5，可带千位分隔符 1,234.5），按该指标的计量单位；缺失请留空或填 NA。"
)
_FIX_NUMBER_EN = (
    "write a plain number (e.g. 1234.5, thousands separators allowed: 1,234.5) in the "
    "indicator's unit; leave the cell empty or write NA if the value is missing."
)


@dataclass(frozen=True)
class Bad:
    """Why a cell could not be parsed, in Chinese and English, including the fix."""

    zh: str
    en: str


def clean_text(text: str) -> str:
    """Full-width to half-width (NFKC), Unicode minus to ``-``, outer whitespace stripped.

    >>> clean_text("\\u3000１２．５ ")
    '12.5'
    """
    return unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip()


def is_missing(value: object) -> bool:
    """None, NaN (float or NumPy), ``pd.NA`` or ``pd.NaT``: an empty value in a frame."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    return type(value).__name__ in {"NAType", "NaTType"}


def show(raw: object) -> str:
    """The cell as the user typed it, for messages."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw)) if abs(raw) < 1e16 else repr(raw)
    return str(raw)


def parse_number(raw: object) -> float | Bad:
    """Parse a cell as a number; NaN for an empty or "no value" cell.

    >>> parse_number("1,234.5"), parse_number(" １２.５ "), parse_number("—")
    (1234.5, 12.5, nan)
    >>> isinstance(parse_number("12,3%"), Bad)
    True
    """
    if raw is None:
        return math.nan
    if type(raw) is str and PLAIN_NUMBER.fullmatch(raw):  # plain ASCII digits: most cells of a CSV
        return float(raw)
    if isinstance(raw, bool) or type(raw).__name__ == "bool_":  # Python or NumPy bool
        text = "TRUE" if raw else "FALSE"
        return Bad(
            f'"{text}" 不是数字：这是逻辑值。{_FIX_NUMBER_ZH}',
            f'"{text}" is not a number: it is a logical value; {_FIX_NUMBER_EN}',
        )
    if isinstance(raw, numbers.Real):  # int, float and their NumPy kinds
        try:
            raw = float(raw)
        except OverflowError:
            raw = math.inf
        if math.isnan(raw):
            return math.nan
        if math.isinf(raw):
            return Bad(
                f'"{raw}" 不是有限的数字。{_FIX_NUMBER_ZH}',
                f'"{raw}" is not a finite number; {_FIX_NUMBER_EN}',
            )
        return raw
    if isinstance(raw, dt.datetime | dt.date | dt.time | dt.timedelta):
        return Bad(
            f'"{raw}" 不是数字：单元格是日期/时间格式。'
            "请把单元格格式改为“常规”或“数值”，再填写数字。",
            f'"{raw}" is not a number: the cell is formatted as a date or time; set the cell '
            "format to General or Number and enter the number.",
        )
    if not isinstance(raw, str):
        return Bad(
            f'"{raw}" 不是数字。{_FIX_NUMBER_ZH}', f'"{raw}" is not a number; {_FIX_NUMBER_EN}'
        )
    text = clean_text(raw)
    if text.casefold() in MISSING_TOKENS:
        return math.nan
    if "%" in text or "‰" in text:
        return Bad(
            f'"{raw}" 不是数字：百分号有歧义（12.3% 是填 12.3 还是 0.123？）。'
            "请去掉 %，按该指标的计量单位填写数字（例如单位为 % 的指标填 12.3）。",
            f'"{raw}" is not a number: a percent sign is ambiguous (does 12.3% mean 12.3 or '
            "0.123?); write the number without % in the indicator's unit (e.g. 12.3 for an "
            "indicator measured in %).",
        )
    if text.casefold() in _EXCEL_ERRORS:
        return Bad(
            f'"{raw}" 不是数字：这是 Excel 公式的错误值。请修正公式或直接填写数值。',
            f'"{raw}" is not a number: it is an Excel formula error; fix the formula or '
            "enter the value.",
        )
    number: str | None = None
    if _PLAIN.fullmatch(text):
        number = text
    elif _GROUPED.fullmatch(text):
        number = text.replace(",", "")
    if number is None:
        return Bad(
            f'"{raw}" 不是数字。{_FIX_NUMBER_ZH}', f'"{raw}" is not a number; {_FIX_NUMBER_EN}'
        )
    value = float(number)
    if math.isinf(value):
        return Bad(
            f'"{raw}" 超出了数值范围。{_FIX_NUMBER_ZH}',
            f'"{raw}" is out of the range of numbers; {_FIX_NUMBER_EN}',
        )
    return value


_CODE_FLOAT = re.compile(r"(\d+)\.0+")


def parse_code(raw: object) -> str | Bad | None:
    """Parse a unit code: text stays text (leading zeros kept), 410102 and 410102.0 -> "410102".

    >>> parse_code(410102), parse_code(410102.0), parse_code(" 010203 "), parse_code("")
    ('410102', '410102', '010203', None)
    """
    if raw is None:
        return None
    if isinstance(raw, (bool, dt.datetime | dt.date | dt.time | dt.timedelta)):
        return Bad(
            f'"{raw}" 不是单位代码。请填写单位的代码（如 410102），建议把该列设为文本格式。',
            f'"{raw}" is not a unit code; enter the unit\'s code (e.g. 410102), preferably in a '
            "column formatted as text.",
        )
    if isinstance(raw, numbers.Integral):
        return str(int(raw))
    if isinstance(raw, numbers.Real):
        raw = float(raw)
        if raw.is_integer():
            return str(int(raw))
        return Bad(
            f'"{raw}" 不是单位代码：代码不能有小数。请填写单位的代码（如 410102）。',
            f'"{raw}" is not a unit code: a code has no decimals; enter the unit\'s code '
            "(e.g. 410102).",
        )
    text = clean_text(str(raw))
    if not text:
        return None
    match = _CODE_FLOAT.fullmatch(text)
    return match.group(1) if match else text


_YEAR = re.compile(r"(\d{4})(?:\.0+|年度?)?")
_QUARTER = re.compile(r"(\d{4})(?:[-/.]?q([1-4])|年?第?([1-4一二三四])季度?)", re.IGNORECASE)
_HALF = re.compile(r"(\d{4})(?:[-/.]?h([12])|年?([上下])半年)", re.IGNORECASE)
# a month after a hyphen or a slash, or in Chinese; never after a dot: 2024.10 would be
# October to some and 2024.1 to a spreadsheet, and 2024.5 may be a half-year
_MONTH = re.compile(r"(\d{4})(?:[-/](\d{1,2})|年(\d{1,2})月份?)")
_DOTTED = re.compile(r"(\d{4})\.(\d{1,2})")
_CHINESE_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4", "上": "1", "下": "2"}
PERIOD_FORMS = "2024、2024年、2024-Q3、2024年第3季度、2024-H1、2024年上半年、2024-06、2024年6月"
PERIOD_FORMS_EN = "2024, 2024-Q3, 2024-H1, 2024-06"


@lru_cache(maxsize=4096)
def _canonical_period(text: str) -> str | None:
    compact = re.sub(r"\s+", "", clean_text(text))
    if match := _YEAR.fullmatch(compact):
        return match.group(1)
    if match := _QUARTER.fullmatch(compact):
        quarter = match.group(2) or match.group(3)
        return f"{match.group(1)}-Q{_CHINESE_DIGITS.get(quarter, quarter)}"
    if match := _HALF.fullmatch(compact):
        half = match.group(2) or match.group(3)
        return f"{match.group(1)}-H{_CHINESE_DIGITS.get(half, half)}"
    if match := _MONTH.fullmatch(compact):
        month = int(match.group(2) or match.group(3))
        return f"{match.group(1)}-{month:02d}" if 1 <= month <= 12 else None
    return None


def parse_period(raw: object, *, strict: bool = True) -> str | Bad | None:
    """Parse a period: a year ``"2024"``, a quarter ``"2024-Q3"``, a half-year ``"2024-H1"``
    or a month ``"2024-06"``.

    Chinese forms are accepted (``2024年``, ``2024年第3季度``, ``2024年上半年``, ``2024年6月``)
    and numbers become text (``2024`` and ``2024.0`` -> ``"2024"``).  A month after a dot,
    ``2024.5`` or ``2024.10``, is refused: it reads as a decimal number (2024.10 is 2024.1) and
    does not say whether a month or a half-year is meant.  With ``strict=False`` any other
    non-empty text is kept as it is (after stripping); with ``strict=True`` it is a :class:`Bad`.

    >>> parse_period(2024), parse_period("2024年第3季度"), parse_period("2024年6月")
    ('2024', '2024-Q3', '2024-06')
    >>> parse_period("2024年上半年"), isinstance(parse_period("2024.10"), Bad)
    ('2024-H1', True)
    """
    if raw is None:
        return None
    fix_zh = f"请按 {PERIOD_FORMS} 等形式填写时期（建议设为文本格式）。"
    fix_en = f"write the period as {PERIOD_FORMS_EN} (preferably as text)."
    if isinstance(raw, (bool, dt.datetime | dt.date | dt.time | dt.timedelta)):
        return Bad(
            f'"{raw}" 不是时期：单元格是日期或逻辑值。{fix_zh}',
            f'"{raw}" is not a period: the cell is a date or a logical value; {fix_en}',
        )
    if isinstance(raw, numbers.Real) and math.isfinite(raw) and float(raw).is_integer():
        raw = int(float(raw))
    if isinstance(raw, numbers.Real):
        if isinstance(raw, int) and 1000 <= raw <= 9999:
            return str(raw)
        if not strict and isinstance(raw, int):
            return str(raw)
        return _bad_period(show(raw), fix_zh, fix_en)
    text = clean_text(str(raw))
    if not text:
        return None
    canonical = _canonical_period(text)
    if canonical is not None:
        return canonical
    if not strict:
        return text
    return _bad_period(raw, fix_zh, fix_en)


def _bad_period(raw: object, fix_zh: str, fix_en: str) -> Bad:
    if match := _DOTTED.fullmatch(re.sub(r"\s+", "", clean_text(str(raw)))):
        year, part = match.group(1), int(match.group(2))
        month = 1 <= part <= 12
        month_zh = f"若指 {part} 月，请写 {year}-{part:02d} 或 {year}年{part}月；" if month else ""
        month_en = f"write {year}-{part:02d} for month {part}, or " if month else "write "
        return Bad(
            f'"{raw}" 不是时期：带小数点的写法有歧义（像小数，{year}.10 会被读成 {year}.1，'
            f"也分不清是月份还是半年）。{month_zh}若指半年，请写 {year}-H1 或 {year}-H2。",
            f'"{raw}" is not a period: a dot makes it ambiguous (it reads as a decimal number, '
            f"{year}.10 as {year}.1, and does not say whether a month or a half-year is meant); "
            f"{month_en}{year}-H1 or {year}-H2 for a half-year.",
        )
    return Bad(f'"{raw}" 不是时期。{fix_zh}', f'"{raw}" is not a period; {fix_en}')


def parse_year(raw: object) -> int | Bad | None:
    """Parse a year such as ``2019``, ``"2019"`` or ``"2019年"``; ``None`` when empty.

    >>> parse_year("2019年"), parse_year(None)
    (2019, None)
    """
    period = parse_period(raw)
    if period is None:
        return None
    if isinstance(period, str) and period.isdigit():
        return int(period)
    return Bad(
        f'"{raw}" 不是年份。请填写四位数的年份，如 2019。',
        f'"{raw}" is not a year; write a four-digit year such as 2019.',
    )


def period_sort_key(period: str) -> tuple[tuple[int, int | str], ...]:
    """Natural sort key: digit runs compare as numbers, so ``"2024-Q10"`` > ``"2024-Q9"``.

    >>> sorted(["2024-Q10", "2023", "2024-Q9"], key=period_sort_key)
    ['2023', '2024-Q9', '2024-Q10']
    """
    parts = [p for p in re.split(r"(\d+)", period) if p]
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


def header_key(text: object) -> str:
    """Comparison key of a header or an indicator name: NFKC, case-folded, no whitespace.

    >>> header_key(" ＧＤＰ  Per Capita ") == header_key("gdp per capita")
    True
    """
    if text is None:
        return ""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return re.sub(r"\s+", "", clean_text(str(text))).casefold()


# The last bracket group only: 细颗粒物(PM2.5)年均浓度(μg/m³) -> 细颗粒物(PM2.5)年均浓度.
# (a unit may hold one level of brackets itself: 城乡居民收入比（倍(农村=1)）).
_TRAILING_UNIT = re.compile(r"(.+)(?:\((?:[^()]|\([^()]*\))*\)|\[[^\[\]]*\]|【[^【】]*】)")


def header_key_without_unit(key: str) -> str | None:
    """The key without a trailing unit in brackets, ``"gdp(亿元)"`` -> ``"gdp"``; None if none.

    Only the last bracket group is the unit; brackets inside the name stay:

    >>> header_key_without_unit(header_key("每千人口执业(助理)医师数（人/千人）"))
    '每千人口执业(助理)医师数'
    """
    match = _TRAILING_UNIT.fullmatch(key)
    return match.group(1) if match else None
