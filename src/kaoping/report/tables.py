"""The tables the documents print: the ranking (the whole province's or one city's counties)
and the first tier, as headers and rows of text in the document's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from kaoping.assess.official_result import OfficialResult
from kaoping.assess.result import Result

Lang = Literal["zh", "en"]
AnyResult = Result | OfficialResult

__all__ = [
    "Table",
    "categories",
    "category_tables",
    "in_city",
    "ranked",
    "ranking_table",
    "tier_label",
    "tier_members",
]


@dataclass(frozen=True)
class Table:
    """Headers, rows of text (every cell as printed), the column widths' shares, and the
    codes of the rows to mark (the city's)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    marked: tuple[bool, ...]
    numeric: tuple[bool, ...]  # per column: right-aligned


def _t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def ranked(result: AnyResult) -> pd.DataFrame:
    """The ranked units of ``result`` in rank order (ties: higher score first)."""
    table = result.table
    return table[table["rank"].notna()].sort_values(["rank", "score"], ascending=[True, False])


def in_city(codes: Any, city: str | None) -> list[bool]:
    """Per code: whether it starts with the city prefix (all False without a city)."""
    return [city is not None and str(c).startswith(city) for c in codes]


def tier_label(result: AnyResult, name: Any, lang: Lang) -> str:
    """A tier's name in ``lang`` (``name_en`` in English where the methodology gives one)."""
    if not isinstance(name, str):
        return ""
    for tier in result.methodology.tiers:
        if tier.name == name:
            return (tier.name_en or tier.name) if lang == "en" else tier.name
    return name


def _number(value: Any, digits: int = 2) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):.{digits}f}"


def _whole(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(int(value))


def _change(value: Any, lang: Lang) -> str:
    if value is None or pd.isna(value):
        return ""
    places = int(value)
    if places > 0:
        return f"↑{places}"
    if places < 0:
        return f"↓{-places}"
    return _t(lang, "持平", "—")


def _changes(
    frame: pd.DataFrame, previous: AnyResult | None, lang: Lang
) -> tuple[pd.Series | None, str]:
    """The places each unit of ``frame`` gained and the column's header: against
    ``previous``'s overall rank, else an official result's own change within the category."""
    if previous is not None:
        return previous.table["rank"].reindex(frame.index) - frame["rank"], _t(
            lang, "进位", "Places gained"
        )
    if "rank_change" in frame.columns:
        return pd.to_numeric(frame["rank_change"]), _t(lang, "类别进位", "Gained in category")
    return None, _t(lang, "进位", "Places gained")


def ranking_table(
    result: AnyResult,
    *,
    city: str | None = None,
    only_city: bool = False,
    previous: AnyResult | None = None,
    lang: Lang = "zh",
) -> Table:
    """The ranking as printed: rank, unit, category, rank in category, score, tier, and the
    change of rank (against ``previous``, else an official result's own change within the
    category), and an official result's awards.  ``only_city``: the city's units only."""
    frame = ranked(result)
    marked = in_city(list(frame.index), city)
    if only_city:  # every row the city's: none marked
        frame = frame[marked]
        marked = [False] * len(frame)
    has_category = frame["category"].notna().any()
    change, change_header = _changes(frame, previous, lang)
    awards = "awards" in frame.columns and frame["awards"].notna().any()
    headers = [_t(lang, "名次", "Rank"), _t(lang, "县（市）", "County")]
    widths = [0.07, 0.12]
    numeric = [True, False]
    if has_category:
        headers += [_t(lang, "类别", "Category"), _t(lang, "类别排名", "Rank in category")]
        widths += [0.21, 0.1]
        numeric += [False, True]
    headers += [_t(lang, "综合得分", "Score"), _t(lang, "方阵", "Tier")]
    widths += [0.1, 0.12]
    numeric += [True, False]
    if change is not None:
        headers.append(change_header)
        widths.append(0.08)
        numeric.append(True)
    if awards:
        headers.append(_t(lang, "表彰", "Awards"))
        widths.append(0.2)
        numeric.append(False)
    rows: list[tuple[str, ...]] = []
    for code, row in frame.iterrows():
        cells = [_whole(row["rank"]), str(row["name"])]
        if has_category:
            category = row["category"] if isinstance(row["category"], str) else ""
            cells += [category, _whole(row["category_rank"])]
        cells += [_number(row["score"]), tier_label(result, row["tier"], lang)]
        if change is not None:
            cells.append(_change(change.get(code), lang))
        if awards:
            names = row["awards"].split("、") if isinstance(row["awards"], str) else []
            cells.append(_t(lang, "、", ", ").join(names))
        rows.append(tuple(cells))
    total = sum(widths)
    return Table(
        headers=tuple(headers),
        rows=tuple(rows),
        widths=tuple(w / total for w in widths),
        marked=tuple(marked),
        numeric=tuple(numeric),
    )


def tier_members(result: AnyResult, tier: str) -> list[str]:
    """The names of the units in ``tier``, in rank order."""
    frame = ranked(result)
    return [str(n) for n in frame.loc[frame["tier"] == tier, "name"]]


def categories(result: AnyResult) -> list[str]:
    """The categories of the ranked units: the official methodology's order, else the order
    in which they first appear in the ranking."""
    frame = ranked(result)
    present = [c for c in dict.fromkeys(frame["category"]) if isinstance(c, str)]
    spec = result.methodology.official
    if spec is not None and spec.categories:
        order = [c for c in spec.categories if c in present]
        return order + [c for c in present if c not in order]
    return present


def category_tables(
    result: AnyResult,
    *,
    city: str | None = None,
    previous: AnyResult | None = None,
    lang: Lang = "zh",
) -> list[tuple[str, Table]]:
    """Per category (see :func:`categories`): its ranked units in the order of their rank in
    the category — rank in category, unit, score, overall rank, tier, and the change (against
    ``previous``, else an official result's own change within the category); the city's rows
    marked."""
    frame = ranked(result)
    out: list[tuple[str, Table]] = []
    for category in categories(result):
        mine = frame[frame["category"] == category].sort_values(
            ["category_rank", "score"], ascending=[True, False]
        )
        change, change_header = _changes(mine, previous, lang)
        headers = [
            _t(lang, "类别排名", "Rank in category"),
            _t(lang, "县（市）", "County"),
            _t(lang, "综合得分", "Score"),
            _t(lang, "总排名", "Overall rank"),
            _t(lang, "方阵", "Tier"),
        ]
        widths = [0.14, 0.2, 0.14, 0.12, 0.16]
        numeric = [True, False, True, True, False]
        if change is not None:
            headers.append(change_header)
            widths.append(0.12)
            numeric.append(True)
        rows: list[tuple[str, ...]] = []
        for code, row in mine.iterrows():
            cells = [
                _whole(row["category_rank"]),
                str(row["name"]),
                _number(row["score"]),
                _whole(row["rank"]),
                tier_label(result, row["tier"], lang),
            ]
            if change is not None:
                cells.append(_change(change.get(code), lang))
            rows.append(tuple(cells))
        total = sum(widths)
        out.append(
            (
                category,
                Table(
                    headers=tuple(headers),
                    rows=tuple(rows),
                    widths=tuple(w / total for w in widths),
                    marked=tuple(in_city(list(mine.index), city)),
                    numeric=tuple(numeric),
                ),
            )
        )
    return out
