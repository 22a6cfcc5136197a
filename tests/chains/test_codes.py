"""kaoping.chains.codes: the GB/T 4754-2017 catalogue and the 统一社会信用代码 checks.

References: the catalogue's counts and the 门类 → 大类 ranges are the standard's (its 门类
explanations, “本门类包括13～43大类” …, kept in the transcription the CSV is built from, see
``scripts/build_gbt4754.py``); the 统一社会信用代码 are printed in the public sources named
beside each.
"""

from __future__ import annotations

import csv
import dataclasses
import doctest
import importlib.util
import sys
from importlib.resources import files
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaoping.chains import codes
from kaoping.chains.codes import (
    USCC_CHARSET,
    USCC_WEIGHTS,
    Industry,
    children,
    industries,
    industry,
    industry_problem,
    make_uscc,
    normalise_industry,
    normalise_uscc,
    uscc_check_character,
    uscc_problem,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = settings(max_examples=200, deadline=None)


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_module_examples_hold() -> None:
    result = doctest.testmod(codes)
    assert result.attempted > 10
    assert result.failed == 0


# --- the catalogue ----------------------------------------------------------------------------


def test_catalogue_has_every_class_of_the_standard() -> None:
    # 20 门类, 97 大类, 473 中类 as GB/T 4754-2017 states; 1381 小类 in the transcription, which
    # carries the 2019 第1号修改单 (the 2017 text is reported with 1380; see codes.py, References)
    by_level = {lvl: [i for i in industries() if i.level == lvl] for lvl in (1, 2, 3, 4)}
    assert {lvl: len(v) for lvl, v in by_level.items()} == {1: 20, 2: 97, 3: 473, 4: 1381}
    assert len(industries()) == 1971
    assert "".join(i.code for i in by_level[1]) == "ABCDEFGHIJKLMNOPQRST"
    assert [i.code[1:] for i in by_level[2]] == [f"{n:02d}" for n in range(1, 98)]


def test_every_group_has_a_class_and_every_code_extends_its_parent() -> None:
    kids = {i.code: children(i.code) for i in industries()}
    for ind in industries():
        if ind.level < 4:
            assert kids[ind.code], f"{ind.code} {ind.name} has no class below it"
            assert all(k.level == ind.level + 1 and k.parent == ind.code for k in kids[ind.code])
        if ind.level == 1:
            assert ind.parent is None
        else:
            assert ind.parent is not None
            assert ind.code[0] == ind.parent[0]
            assert ind.level == 2 or ind.code.startswith(ind.parent)


# the standard's explanation of each 门类: “本门类包括XX～YY大类”
SECTION_DIVISIONS = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52),
    "G": (53, 60), "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72),
    "M": (73, 75), "N": (76, 79), "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90),
    "S": (91, 96), "T": (97, 97),
}  # fmt: skip


@pytest.mark.parametrize(("section", "span"), SECTION_DIVISIONS.items())
def test_each_section_holds_the_divisions_the_standard_says(
    section: str, span: tuple[int, int]
) -> None:
    first, last = span
    assert [c.code for c in children(section)] == [
        f"{section}{n:02d}" for n in range(first, last + 1)
    ]


@pytest.mark.parametrize(
    ("code", "name", "level", "parent"),
    [
        ("C", "制造业", 1, None),
        ("C38", "电气机械和器材制造业", 2, "C"),
        ("C384", "电池制造", 3, "C38"),
        ("C3841", "锂离子电池制造", 4, "C384"),
        ("C3842", "镍氢电池制造", 4, "C384"),
        ("C3985", "电子专用材料制造", 4, "C398"),
        ("C2614", "有机化学原料制造", 4, "C261"),
        ("C2661", "化学试剂和助剂制造", 4, "C266"),
        ("C3011", "水泥制造", 4, "C301"),
        ("C3562", "半导体器件专用设备制造", 4, "C356"),
        ("C3612", "新能源车整车制造", 4, "C361"),
        ("C3973", "集成电路制造", 4, "C397"),
        ("I651", "软件开发", 3, "I65"),
        ("I6513", "应用软件开发", 4, "I651"),
        ("D4416", "太阳能发电", 4, "D441"),
        ("F5267", "机动车充电销售", 4, "F526"),
        ("S9100", "中国共产党机关", 4, "S910"),
        ("T9700", "国际组织", 4, "T970"),
        # a 中类 with a single 小类, printed in the source only as the 小类: derived
        ("A019", "其他农业", 3, "A01"),
        ("A0190", "其他农业", 4, "A019"),
        ("C3110", "炼铁", 4, "C311"),
        # the source's one error corrected (it printed 飞机制造 as a second 中类 374)
        ("C374", "航空、航天器及设备制造", 3, "C37"),
        ("C3741", "飞机制造", 4, "C374"),
        # ASCII parentheses made full-width, as the standard prints them
        ("C194", "羽毛（绒）加工及制品制造", 3, "C19"),
        ("M7517", "三维（3D）打印技术推广服务", 4, "M751"),
    ],
)
def test_known_codes_have_the_standards_names(
    code: str, name: str, level: int, parent: str | None
) -> None:
    assert industry(code) == Industry(code, name, level, parent)


def test_names_are_clean() -> None:
    for ind in industries():
        assert ind.name == ind.name.strip()
        assert "(" not in ind.name
        assert ")" not in ind.name


def test_software_development_is_a_group_since_2017() -> None:
    # GB/T 4754-2011's 小类 6510 软件开发 became the 中类 651 with four 小类
    assert normalise_industry("I6510") is None
    assert [c.code for c in children("I651")] == ["I6511", "I6512", "I6513", "I6519"]
    zh, en = industry_problem("I6510") or ("", "")
    assert "中类 I651（软件开发）下没有小类 I6510" in zh
    assert "I6511（基础软件开发）" in zh
    assert "Did you mean I6511 (基础软件开发)" in en


def test_industry_properties_and_order() -> None:
    ind = industry("3841")
    assert (ind.section, ind.level_name) == ("C", "小类")
    assert [industry(c).level_name for c in ("C", "C38", "C384")] == ["门类", "大类", "中类"]
    assert industries()[:4] == (industry("A"), industry("A01"), industry("A011"), industry("A0111"))
    assert industries()[-1] == industry("T9700")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ind.name = "x"  # type: ignore[misc]
    assert hash(ind) == hash(industry("C3841"))


def test_industry_of_an_unknown_code_raises_keyerror_saying_why() -> None:
    with pytest.raises(KeyError, match="C3848"):
        industry("C3848")
    with pytest.raises(KeyError, match="not of the form"):
        children("38-41")


def test_the_csv_ships_and_passes_the_build_scripts_checks() -> None:
    resource = files("kaoping.chains") / "data" / "gbt4754_2017.csv"
    assert resource.is_file()
    build = _script("build_gbt4754")
    with resource.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["code", "name", "level", "parent"]
        rows = [build.Row(r["code"], r["name"], int(r["level"]), r["parent"]) for r in reader]
    build.check(rows)  # counts, unique codes, parents present, digits extending the parent's
    assert [r.code for r in rows] == [i.code for i in industries()]


# --- normalising and explaining industry codes --------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("C3841", "C3841"),
        ("c3841", "C3841"),
        ("3841", "C3841"),
        ("38", "C38"),
        ("384", "C384"),
        (" C 3841 ", "C3841"),
        ("\tC38\u300041\n", "C3841"),  # a tab and an ideographic space
        ("Ｃ３８４１", "C3841"),  # full width
        ("ｃ３８", "C38"),
        ("C", "C"),
        ("t", "T"),
        ("0190", "A0190"),
        ("01", "A01"),
        ("6513", "I6513"),
        ("I6513", "I6513"),
        ("9700", "T9700"),
        # not classes
        ("D3841", None),  # 大类 38 is in 门类 C
        ("C3848", None),
        ("I6510", None),
        ("C99", None),
        ("98", None),
        ("U", None),
        ("3", None),
        ("38411", None),
        ("C-3841", None),
        ("", None),
        ("   ", None),
        ("锂离子电池制造", None),
    ],
)
def test_normalise_industry(raw: str, expected: str | None) -> None:
    assert normalise_industry(raw) == expected
    assert (industry_problem(raw) is None) == (expected is not None)


def test_a_malformed_code_is_told_apart_from_an_unknown_one() -> None:
    zh, en = industry_problem("C38-41") or ("", "")
    assert zh.startswith("行业代码“C38-41”的格式不对。")
    assert "请填写门类字母加 2–4 位数字的代码，例如 C3841（锂离子电池制造）" in zh
    assert "not of the form of a code" in en
    zh, en = industry_problem("C3848") or ("", "")
    assert zh.startswith("行业代码“C3848”不是《国民经济行业分类》（GB/T 4754-2017）中的类别。")
    assert zh.endswith(
        "是否应为 C3849（其他电池制造）、C3844（锌锰电池制造）或 C3843（铅蓄电池制造）？"
    )
    assert "is not a class of the Industrial classification" in en


@pytest.mark.parametrize(
    ("raw", "zh_part", "en_part"),
    [
        ("", "行业代码为空。", "is empty"),
        ("U12", "门类字母“U”不存在：门类只有 A–T 共 20 个", 'no section "U"'),
        (
            "C388",
            "大类 C38（电气机械和器材制造业）下没有中类 C388。是否应为 C387",
            "has no group C388",
        ),
        ("C3888", "下没有中类 C388", "Did you mean C3891"),
        (
            "C99",
            "门类 C（制造业）中没有大类 99。是否应为 C43",
            "Section C (制造业) has no division 99",
        ),
        ("99", "没有大类 99", "There is no division 99"),
        (
            "D3841",
            "属于门类 C（制造业），不属于门类 D。是否应为 C3841",
            "is in section C (制造业), not in D",
        ),
        ("D3848", "C3848 也不在分类中", "check the digits"),
    ],
)
def test_industry_problem_says_what_to_fix(raw: str, zh_part: str, en_part: str) -> None:
    zh, en = industry_problem(raw) or ("", "")
    assert zh_part in zh
    assert en_part in en


# --- 统一社会信用代码 -------------------------------------------------------------------------

PUBLISHED = [
    # GB 32100-2015's worked example (its first 17 characters give 3), as reproduced in
    # 《统一社会信用代码唯一性校验规则》 (wddqw.com/doc/53f79e6a996648d7c1c708a1284ac850ad020467
    # .html) and validated in blog.csdn.net/hookee/article/details/50610168
    "91350100M000100Y43",
    # the worked example of yizhanzhixiao.com/link/1796942066087784707.html (sum 1495, mod 17)
    "91512081MA62K0260E",
    # 华为技术有限公司, in the infobox of zh.wikipedia.org/zh-hk/華為 (“機構代碼”)
    "914403001922038216",
    # 北京全聚德 and 北京长峰医院, as given in blog.csdn.net/ellasun_web/article/details/130267762
    "91110000101623741K",
    "911101066976941872",
]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code: str) -> None:
    assert uscc_problem(code) is None
    assert uscc_check_character(code[:17]) == code[17]
    assert uscc_problem(f"  {code.lower()} ") is None  # lower case and spaces: nothing to say


def test_the_weights_are_the_standards_table() -> None:
    # GB 32100-2015 表: the weights of positions 1–17
    assert USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(USCC_CHARSET) == 31
    assert not set("IOZSV") & set(USCC_CHARSET)


def test_the_standards_worked_example_ends_in_3_not_z() -> None:
    zh, en = uscc_problem("91350100M000100Y4Z") or ("", "")
    assert "第 18 位“Z”（代码不使用 I、O、Z、S、V，校验码应为“3”）" in zh
    assert 'position 18 "Z"' in en
    assert 'the check character is "3"' in en


def test_a_sum_divisible_by_31_gives_check_character_0() -> None:
    # 31 - 0 = 31 is written 0: find a first-17 whose weighted sum is a multiple of 31
    first16 = "9141088200000001"
    for ch in USCC_CHARSET:
        total = sum(
            USCC_CHARSET.index(c) * w for c, w in zip(first16 + ch, USCC_WEIGHTS, strict=True)
        )
        if total % 31 == 0:
            assert uscc_check_character(first16 + ch) == "0"
            return
    pytest.fail("no last character makes the sum a multiple of 31")  # pragma: no cover


def test_a_pilot_era_code_that_fails_the_check_is_reported() -> None:
    # 厦门云上晴空航空科技有限公司's code, issued before the standard in a pilot area and
    # printed as failing its check (aarioai/id-rule chinese_org_id.go; the csdn post above):
    # by GB 32100-2015 it should end in R
    zh, en = uscc_problem("91350211M0000XUF46") or ("", "")
    assert "代码应以 R 结尾，收到的是“6”" in zh
    assert "so the code ends in R" in en


@pytest.mark.parametrize(
    ("raw", "zh_part", "en_part"),
    [
        ("", "统一社会信用代码为空", "is empty"),
        ("9135010", "有 7 位，应为 18 位", "has 7 characters; it has 18"),
        ("91350100M000100Y431", "有 19 位", "has 19 characters"),
        (
            "9135010OM000100Y43",
            "第 8 位“O”（代码不使用 I、O、Z、S、V，可能应为“0”）",
            'position 8 "O"',
        ),
        ("91350100M0001I0Y43", "第 14 位“I”", 'perhaps "1"'),
        ("91350100M000100Y4-", "第 18 位“-”（只能是数字或大写字母；校验码应为“3”）", "only digits"),
        (
            "91350A00M000100Y43",
            "第 3–8 位是登记管理机关行政区划码，应为 6 位数字，第 6 位却是字母",
            "position 6 is a letter",
        ),
        ("91350100M000100Y42", "代码应以 3 结尾，收到的是“2”", "the check character (position 18)"),
        (
            "91350100M000100Y53",
            "M000100Y-5）校验位不对：按 GB 11714-1997 第 17 位应为“4”",
            "organisation code in positions 9–17",
        ),
    ],
)
def test_uscc_problem_says_what_to_fix(raw: str, zh_part: str, en_part: str) -> None:
    zh, en = uscc_problem(raw) or ("", "")
    assert zh_part in zh
    assert en_part in en


def test_normalise_uscc() -> None:
    assert normalise_uscc(" 91350100m000100y43\n") == "91350100M000100Y43"
    assert normalise_uscc("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


@pytest.mark.parametrize("bad", ["9135010", "91350100M000100Y4O", "91350100M000100Y43"])
def test_uscc_check_character_rejects_what_is_not_17_characters_of_the_set(bad: str) -> None:
    with pytest.raises(ValueError, match="first 17 characters"):
        uscc_check_character(bad)


def test_make_uscc() -> None:
    code = make_uscc("410882", 1)
    assert code == "91410882000000019H"
    assert code[2:8] == "410882"
    assert code[8:16] == "00000001"
    assert make_uscc("410882", 1) == code  # deterministic
    assert make_uscc("410882", 2) != code
    assert make_uscc("410882", 1, department="5", kind="2").startswith("52410882")
    assert uscc_problem(make_uscc("419001", 10**8 - 1)) is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": "41088", "serial": 1}, "six-digit"),
        ({"region": "４１０８８２", "serial": 1}, "six-digit"),
        ({"region": "410882", "serial": -1}, "serial"),
        ({"region": "410882", "serial": 10**8}, "serial"),
        ({"region": "410882", "serial": 1, "department": "O"}, "department"),
        ({"region": "410882", "serial": 1, "kind": "12"}, "kind"),
    ],
)
def test_make_uscc_rejects_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make_uscc(**kwargs)  # type: ignore[arg-type]


regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
serials = st.integers(min_value=0, max_value=10**8 - 1)
chars = st.sampled_from(USCC_CHARSET)


@SETTINGS
@given(regions, serials, chars, chars)
def test_every_made_code_passes(region: str, serial: int, department: str, kind: str) -> None:
    assert uscc_problem(make_uscc(region, serial, department=department, kind=kind)) is None


@SETTINGS
@given(regions, serials, st.integers(min_value=0, max_value=17), st.data())
def test_any_single_substitution_is_caught(
    region: str, serial: int, position: int, data: st.DataObject
) -> None:
    code = make_uscc(region, serial)
    other = data.draw(st.sampled_from([c for c in USCC_CHARSET if c != code[position]]))
    changed = code[:position] + other + code[position + 1 :]
    assert uscc_problem(changed) is not None
    assert uscc_check_character(changed[:17]) != changed[17]
