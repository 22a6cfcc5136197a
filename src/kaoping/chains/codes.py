r"""Two national codes an enterprise record carries: its industry and its 统一社会信用代码.

**Industry** — 《国民经济行业分类》（GB/T 4754-2017）.  The whole catalogue ships as
``kaoping/chains/data/gbt4754_2017.csv`` (``code,name,level,parent``), read once: 20 门类
(``C``), 97 大类 (``C38``), 473 中类 (``C384``) and 1381 小类 (``C3841``), 1971 classes.  A code
here is canonical — the 门类 letter and the digits of the class, ``C3841`` — and
:func:`normalise_industry` turns what people type (``3841``, ``c3841``, `` C 3841 ``, full-width
``Ｃ３８４１``) into it; the letter of a bare number is the catalogue's, each 大类 belonging to
one 门类.  :func:`industry`, :func:`industries` and :func:`children` read the catalogue;
:func:`industry_problem` says, in Chinese and English, what is wrong with a code and how to
fix it.

**统一社会信用代码** — GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》: 18 characters
from the 31 of ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, Z, S, V); position 1 the
登记管理部门码, 2 the 机构类别码, 3–8 the 登记管理机关行政区划码 (six digits), 9–17 the
主体标识码 (the 组织机构代码 of GB 11714-1997, itself ending in a check digit), 18 the check
character.  With :math:`c_i` the value of the :math:`i`-th character (its index in the set
above),

.. math::

    C_{18} = 31 - \Bigl(\sum_{i=1}^{17} c_i w_i \bmod 31\Bigr), \qquad
    w_i = 3^{\,i-1} \bmod 31 = 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,

and :math:`C_{18} = 31` is written ``0``.  Since 31 is prime and no :math:`w_i` is 0 mod 31,
changing any one character changes the check character: every single substitution is caught.
The 主体标识码's own check digit (GB 11714-1997), over its first eight characters
:math:`d_1 \ldots d_8` valued ``0``–``9``, ``A``–``Z`` = 0–35, is

.. math::

    C_9 = 11 - \Bigl(\sum_{j=1}^{8} d_j v_j \bmod 11\Bigr), \qquad v = 3, 7, 9, 10, 5, 8, 4, 2,

with 10 written ``X`` and 11 written ``0``.  :func:`uscc_check_character` computes
:math:`C_{18}`, :func:`uscc_problem` checks a code, :func:`make_uscc` builds valid ones (the
synthetic demo enterprises).

References
----------
.. [GBT4754] GB/T 4754-2017 《国民经济行业分类》, 国家质量监督检验检疫总局、国家标准化管理委员会
   (2017), with the names of its 第1号修改单 (2019).  Transcribed from the public file
   ``src/utils/category.js`` of the GitHub repository ``zmshe/capital`` by
   ``scripts/build_gbt4754.py`` (which says what it corrected).  The standard as published in
   2017 is reported with 1380 小类; this table has 1381, and public pages say 1380, 1381 or 1382:
   the amended standard's own count was not checked against its text.
.. [GB32100] GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 (2015).  Formula, the
   weights :math:`w_i = \mathrm{MOD}(3^{i-1}, 31)`, the character values and the worked
   example (``91350100M000100Y4`` → ``3``) as reproduced in 《统一社会信用代码唯一性校验规则》
   (wddqw.com/doc/53f79e6a996648d7c1c708a1284ac850ad020467.html; renrendoc.com/p-47802332.html);
   the same weights in an independent implementation citing the standard's text at
   cods.org.cn (blog.csdn.net/qq_29449673/article/details/128663686); the rule that
   :math:`C_{18} = 31` is written ``0`` (and 30 ``Y``) quoted from the standard on
   juejin.cn/post/6994082346274127885; and a second worked
   example, ``91512081MA62K0260E`` (sum 1495, remainder 17, 31 − 17 = 14 → ``E``), on
   yizhanzhixiao.com/link/1796942066087784707.html.
.. [GB11714] GB 11714-1997 《全国组织机构代码编制规则》: weights 3, 7, 9, 10, 5, 8, 4, 2 and
   ``C9 = 11 - MOD(Σ, 11)``, as implemented in the public repository
   ``Rockyzsu/social_code_validation`` (``social_code_gen.py``).

Examples
--------
>>> industry("3841").name
'锂离子电池制造'
>>> normalise_industry(" c 38 ")
'C38'
>>> uscc_check_character("91350100M000100Y4")
'3'
>>> uscc_problem("91350100M000100Y43") is None
True
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from dataclasses import dataclass
from importlib.resources import files
from typing import Final

__all__ = [
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "Industry",
    "children",
    "industries",
    "industry",
    "industry_problem",
    "make_uscc",
    "normalise_industry",
    "normalise_uscc",
    "uscc_check_character",
    "uscc_problem",
]

_LEVEL_NAMES: Final = {1: "门类", 2: "大类", 3: "中类", 4: "小类"}
_LEVEL_NAMES_EN: Final = {1: "section", 2: "division", 3: "group", 4: "class"}
_STANDARD_ZH: Final = "《国民经济行业分类》（GB/T 4754-2017）"
_STANDARD_EN: Final = (
    "the Industrial classification for national economic activities (GB/T 4754-2017)"
)
_EXAMPLE: Final = "C3841"
_CODE_RE: Final = re.compile(r"([A-Z]?)(\d*)")

USCC_CHARSET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters of a 统一社会信用代码, in the order of their values 0–30 (GB 32100-2015)."""
USCC_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))
"""The weights :math:`w_i = 3^{i-1} \\bmod 31` of positions 1–17 (GB 32100-2015)."""
_ORG_WEIGHTS: Final = (3, 7, 9, 10, 5, 8, 4, 2)
_LOOKALIKES: Final = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": "U"}


# --- GB/T 4754-2017 ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Industry:
    """One class of GB/T 4754-2017.

    Parameters
    ----------
    code : str
        Canonical code: the 门类 letter and the class's digits (``C``, ``C38``, ``C384``,
        ``C3841``).
    name : str
        The name the standard prints (``锂离子电池制造``).
    level : int
        1 门类, 2 大类, 3 中类, 4 小类.
    parent : str or None
        The code of the class above; ``None`` for a 门类.
    """

    code: str
    name: str
    level: int
    parent: str | None

    @property
    def section(self) -> str:
        """The 门类 letter (``"C"`` for ``C3841``)."""
        return self.code[0]

    @property
    def level_name(self) -> str:
        """门类, 大类, 中类 or 小类."""
        return _LEVEL_NAMES[self.level]


@functools.cache
def _catalogue() -> dict[str, Industry]:
    text = (files("kaoping.chains") / "data" / "gbt4754_2017.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {
        r["code"]: Industry(r["code"], r["name"], int(r["level"]), r["parent"] or None)
        for r in rows
    }


@functools.cache
def _children() -> dict[str, tuple[Industry, ...]]:
    out: dict[str, list[Industry]] = {code: [] for code in _catalogue()}
    for ind in _catalogue().values():
        if ind.parent is not None:
            out[ind.parent].append(ind)
    return {code: tuple(kids) for code, kids in out.items()}


@functools.cache
def _section_of_division() -> dict[str, str]:
    return {ind.code[1:]: ind.section for ind in _catalogue().values() if ind.level == 2}


def _clean(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw).split()).upper()


def _parse(raw: str) -> tuple[str, str] | None:
    """``(letter, digits)`` if ``raw`` is of the form of a code, else ``None``."""
    m = _CODE_RE.fullmatch(_clean(raw))
    if m is None:
        return None
    letter, digits = m.groups()
    if not letter and not digits:
        return None
    if digits and not 2 <= len(digits) <= 4:
        return None
    return letter, digits


def _canonical(letter: str, digits: str) -> str:
    """The code ``letter + digits``, the letter taken from the 大类 when it is missing."""
    if not letter:
        letter = _section_of_division().get(digits[:2], "")
    return letter + digits


def normalise_industry(raw: str) -> str | None:
    """The canonical GB/T 4754-2017 code of ``raw``, or ``None`` if it names no class.

    ``raw`` may be in any case, with spaces anywhere, in full-width characters (NFKC), and
    without its 门类 letter: the letter of ``3841`` is that of the 大类 ``38``, ``C``.

    Parameters
    ----------
    raw : str
        A code as typed: ``"C3841"``, ``"c3841"``, ``"3841"``, ``"38"``, ``" C 384 "``,
        ``"Ｃ３８４１"``, ``"C"``.

    Returns
    -------
    str or None
        ``"C3841"``, ``"C38"``, ``"C384"``, ``"C"`` …; ``None`` when the code is malformed or
        not in the catalogue (see :func:`industry_problem` for why).

    Examples
    --------
    >>> normalise_industry("3841"), normalise_industry("Ｃ３８４"), normalise_industry("c")
    ('C3841', 'C384', 'C')
    >>> normalise_industry("D3841") is None  # 大类 38 is in 门类 C
    True
    """
    parsed = _parse(raw)
    if parsed is None:
        return None
    code = _canonical(*parsed)
    return code if code in _catalogue() else None


def industry(code: str) -> Industry:
    """The class of ``code`` (normalised as by :func:`normalise_industry`).

    Raises
    ------
    KeyError
        If ``code`` is not a class of the catalogue; the message says why.

    Examples
    --------
    >>> ind = industry("I6513")
    >>> ind.name, ind.level_name, ind.parent, ind.section
    ('应用软件开发', '小类', 'I651', 'I')
    """
    canonical = normalise_industry(code)
    if canonical is None:
        problem = industry_problem(code)
        raise KeyError(problem[1] if problem else code)
    return _catalogue()[canonical]


def industries() -> tuple[Industry, ...]:
    """Every class, in the order of the standard (A, A01, A011, A0111, …, T9700)."""
    return tuple(_catalogue().values())


def children(code: str) -> tuple[Industry, ...]:
    """The classes directly below ``code`` (the 大类 of a 门类, the 中类 of a 大类 …).

    Raises
    ------
    KeyError
        If ``code`` is not a class of the catalogue.

    Examples
    --------
    >>> [c.code for c in children("C384")]
    ['C3841', 'C3842', 'C3843', 'C3844', 'C3849']
    """
    return _children()[industry(code).code]


def _label(ind: Industry) -> str:
    return f"{ind.code}（{ind.name}）"


def _label_en(ind: Industry) -> str:
    return f"{ind.code} ({ind.name})"


def _nearest(candidates: tuple[Industry, ...], digits: str, n: int = 3) -> list[Industry]:
    """The ``n`` candidates whose digits are numerically nearest ``digits``."""
    target = int(digits)
    return sorted(candidates, key=lambda c: (abs(int(c.code[1:]) - target), c.code))[:n]


def _did_you_mean(near: list[Industry]) -> tuple[str, str]:
    zh = "、".join(_label(c) for c in near[:-1])
    zh = f"{zh}或 {_label(near[-1])}" if zh else _label(near[-1])
    en = ", ".join(_label_en(c) for c in near[:-1])
    en = f"{en} or {_label_en(near[-1])}" if en else _label_en(near[-1])
    return f"是否应为 {zh}？", f"Did you mean {en}?"


def industry_problem(raw: str) -> tuple[str, str] | None:
    """What is wrong with ``raw`` as a GB/T 4754-2017 code, in Chinese and English; ``None``.

    A malformed code (not a 门类 letter followed by 2–4 digits, or the letter alone, or the
    digits alone) is told apart from one of the right form that the catalogue does not have;
    for the latter the message names the nearest classes of the same 中类 (or 大类, or 门类)
    that exist, and a letter that does not go with its 大类 is named with the right one.

    Parameters
    ----------
    raw : str
        A code as typed (see :func:`normalise_industry`).

    Returns
    -------
    tuple of (str, str) or None
        ``(zh, en)`` messages, each saying what is wrong and what to write instead; ``None``
        when ``raw`` names a class.

    Examples
    --------
    >>> industry_problem(" c3841 ") is None
    True
    >>> zh, en = industry_problem("C3848")
    >>> zh.split("。")[1]
    '中类 C384（电池制造）下没有小类 C3848'
    >>> en.split(". ")[-1]
    'Did you mean C3849 (其他电池制造), C3844 (锌锰电池制造) or C3843 (铅蓄电池制造)?'
    """
    shown = raw.strip()
    fix_zh = (
        f"请填写门类字母加 2–4 位数字的代码，例如 {_EXAMPLE}（"
        f"{_catalogue()[_EXAMPLE].name}），或只填门类字母（如 C）、只填数字（如 3841）。"
    )
    fix_en = (
        f"Write the section letter followed by 2–4 digits, e.g. {_EXAMPLE} "
        f"({_catalogue()[_EXAMPLE].name}), or the letter alone (C) or the digits alone (3841)."
    )
    if not shown:
        return f"行业代码为空。{fix_zh}", f"The industry code is empty. {fix_en}"
    parsed = _parse(raw)
    if parsed is None:
        return (
            f"行业代码“{shown}”的格式不对。{fix_zh}",
            f'Industry code "{shown}" is not of the form of a code. {fix_en}',
        )
    letter, digits = parsed
    cat = _catalogue()
    if letter and letter not in cat:
        return (
            f"行业代码“{shown}”的门类字母“{letter}”不存在：门类只有 A–T 共 20 个。{fix_zh}",
            f'Industry code "{shown}": there is no section "{letter}", only A–T. {fix_en}',
        )
    if not digits or _canonical(letter, digits) in cat:
        return None
    unknown_zh = f"行业代码“{shown}”不是{_STANDARD_ZH}中的类别。"
    unknown_en = f'Industry code "{shown}" is not a class of {_STANDARD_EN}.'
    section = _section_of_division().get(digits[:2])
    if section is None:  # no such 大类
        if not letter:
            return (
                f"{unknown_zh}没有大类 {digits[:2]}。{fix_zh}",
                f"{unknown_en} There is no division {digits[:2]}. {fix_en}",
            )
        zh, en = _did_you_mean(_nearest(_children()[letter], digits[:2]))
        return (
            f"{unknown_zh}门类 {_label(cat[letter])}中没有大类 {digits[:2]}。{zh}",
            f"{unknown_en} Section {_label_en(cat[letter])} has no division {digits[:2]}. {en}",
        )
    if letter and letter != section:
        division = cat[section + digits[:2]]
        right = cat.get(section + digits)
        zh = (
            f"是否应为 {_label(right)}？"
            if right
            else f"{section}{digits} 也不在分类中，请核对数字。"
        )
        en = (
            f"Did you mean {_label_en(right)}?"
            if right
            else f"{section}{digits} is no class either: check the digits."
        )
        return (
            f"行业代码“{shown}”的门类字母与大类不符：大类 {_label(division)}属于门类 "
            f"{_label(cat[section])}，不属于门类 {letter}。{zh}",
            f'Industry code "{shown}": division {_label_en(division)} is in section '
            f"{_label_en(cat[section])}, not in {letter}. {en}",
        )
    code = section + digits
    division = cat[code[:3]]
    if len(digits) == 4 and code[:4] in cat:  # a 小类 its 中类 does not have
        where, pool, level, gap = cat[code[:4]], _children()[code[:4]], 4, code
    elif len(digits) == 4:  # its 中类 is missing too: the 小类 of the 大类
        pool = tuple(small for mid in _children()[division.code] for small in _children()[mid.code])
        where, level, gap = division, 3, code[:4]
    else:  # a 中类 its 大类 does not have
        where, pool, level, gap = division, _children()[division.code], 3, code
    zh, en = _did_you_mean(_nearest(pool, digits))
    return (
        f"{unknown_zh}{where.level_name} {_label(where)}下没有{_LEVEL_NAMES[level]} {gap}。{zh}",
        f"{unknown_en} {_LEVEL_NAMES_EN[where.level].capitalize()} {_label_en(where)} has no "
        f"{_LEVEL_NAMES_EN[level]} {gap}. {en}",
    )


# --- GB 32100-2015 -----------------------------------------------------------------------------


def normalise_uscc(raw: str) -> str:
    """``raw`` in NFKC (full-width to ASCII), stripped and in upper case.

    Examples
    --------
    >>> normalise_uscc(" ９１３５０１００ｍ０００１００ｙ４３ ")
    '91350100M000100Y43'
    """
    return unicodedata.normalize("NFKC", raw).strip().upper()


def _org_check_digit(body: str) -> str:
    """The GB 11714-1997 check digit of the eight characters ``body``."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


def uscc_check_character(first17: str) -> str:
    r"""The check character (position 18) of the 统一社会信用代码 beginning ``first17``.

    .. math::

        C_{18} = 31 - \Bigl(\sum_{i=1}^{17} c_i w_i \bmod 31\Bigr), \quad w_i = 3^{i-1} \bmod 31,

    :math:`C_{18} = 31` written ``0`` (GB 32100-2015).

    Parameters
    ----------
    first17 : str
        The first 17 characters (normalised as by :func:`normalise_uscc`).

    Returns
    -------
    str
        One character of :data:`USCC_CHARSET`.

    Raises
    ------
    ValueError
        If ``first17`` is not 17 characters of :data:`USCC_CHARSET`.

    Examples
    --------
    >>> uscc_check_character("91512081MA62K0260")  # 1495 mod 31 = 17, 31 - 17 = 14
    'E'
    """
    code = normalise_uscc(first17)
    if len(code) != 17 or any(ch not in USCC_CHARSET for ch in code):
        raise ValueError(
            f"first17 must be the first 17 characters of a 统一社会信用代码, each one of "
            f"{USCC_CHARSET}; got {first17!r}"
        )
    total = sum(USCC_CHARSET.index(ch) * w for ch, w in zip(code, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _positions(indices: list[int]) -> str:
    return "、".join(str(i + 1) for i in indices)


def uscc_problem(raw: str) -> tuple[str, str] | None:
    """What is wrong with ``raw`` as a 统一社会信用代码, in Chinese and English; ``None``.

    Checked in turn: the length (18), the characters (the 31 of :data:`USCC_CHARSET`, the
    positions of any other named, with the digit or letter an I, O, Z, S or V is likely to
    stand for), positions 3–8 being digits, the check character (position 18, GB 32100-2015)
    and the check digit of the 主体标识码 (position 17, GB 11714-1997).  Lower case, full-width
    characters and surrounding spaces are accepted without comment (:func:`normalise_uscc`).

    Parameters
    ----------
    raw : str
        A code as typed.

    Returns
    -------
    tuple of (str, str) or None
        ``(zh, en)``, each saying what is wrong and the fix; ``None`` when the code is valid.

    Examples
    --------
    >>> zh, en = uscc_problem("91350100m000100y42 ")
    >>> zh.split("，")[1]
    '代码应以 3 结尾'
    >>> zh, en = uscc_problem("91350100M000100Y4Z")  # Z is never used
    >>> "校验码应为“3”" in zh
    True
    """
    code = normalise_uscc(raw)
    shown = raw.strip()
    check_zh = "请按营业执照（或登记证书）上的代码填写。"
    check_en = "Copy the code from the business licence (or registration certificate)."
    if not code:
        return (
            f"统一社会信用代码为空。{check_zh}",
            f"The unified social credit code is empty. {check_en}",
        )
    if len(code) != 18:
        return (
            f"统一社会信用代码“{shown}”有 {len(code)} 位，应为 18 位。{check_zh}",
            f'Unified social credit code "{shown}" has {len(code)} characters; it has 18. '
            f"{check_en}",
        )
    bad = [i for i, ch in enumerate(code) if ch not in USCC_CHARSET]
    if bad:
        details_zh, details_en = [], []
        for i in bad:
            ch = code[i]
            if i == 17 and bad == [17]:  # only the check character: say which it should be
                right = uscc_check_character(code[:17])
                hint_zh, hint_en = f"校验码应为“{right}”", f'the check character is "{right}"'
            elif ch in _LOOKALIKES:
                hint_zh, hint_en = f"可能应为“{_LOOKALIKES[ch]}”", f'perhaps "{_LOOKALIKES[ch]}"'
            else:
                hint_zh = hint_en = ""
            if ch in _LOOKALIKES:
                details_zh.append(f"第 {i + 1} 位“{ch}”（代码不使用 I、O、Z、S、V，{hint_zh}）")
                details_en.append(
                    f'position {i + 1} "{ch}" (I, O, Z, S, V are never used; {hint_en})'
                )
            else:
                zh_more, en_more = (f"；{hint_zh}", f"; {hint_en}") if hint_zh else ("", "")
                details_zh.append(f"第 {i + 1} 位“{ch}”（只能是数字或大写字母{zh_more}）")
                details_en.append(
                    f'position {i + 1} "{ch}" (only digits and capital letters{en_more})'
                )
        return (
            f"统一社会信用代码“{shown}”含有不能使用的字符：{'；'.join(details_zh)}。{check_zh}",
            f'Unified social credit code "{shown}" has characters that cannot occur: '
            f"{'; '.join(details_en)}. {check_en}",
        )
    letters = [i for i in range(2, 8) if not code[i].isdigit()]
    if letters:
        return (
            f"统一社会信用代码“{shown}”的第 3–8 位是登记管理机关行政区划码，应为 6 位数字，"
            f"第 {_positions(letters)} 位却是字母。{check_zh}",
            f'Unified social credit code "{shown}": positions 3–8 are the registering '
            f"authority's division code, six digits, but "
            + (
                f"position {letters[0] + 1} is a letter"
                if len(letters) == 1
                else f"positions {', '.join(str(i + 1) for i in letters)} are letters"
            )
            + f". {check_en}",
        )
    expected = uscc_check_character(code[:17])
    org_expected = _org_check_digit(code[8:16])
    sentences_zh, sentences_en = [], []
    if expected != code[17]:
        sentences_zh.append(
            f"校验码（第 18 位）不对：按 GB 32100-2015 由前 17 位算出的校验码是“{expected}”，"
            f"代码应以 {expected} 结尾，收到的是“{code[17]}”。"
        )
        sentences_en.append(
            f"the check character (position 18) is wrong: by GB 32100-2015 the first 17 "
            f'characters give "{expected}", so the code ends in {expected}, not "{code[17]}".'
        )
    if org_expected != code[16]:
        sentences_zh.append(
            f"第 9–17 位的主体标识码（组织机构代码 {code[8:16]}-{code[16]}）校验位不对：按 "
            f"GB 11714-1997 第 17 位应为“{org_expected}”。"
        )
        sentences_en.append(
            f"the check digit of the organisation code in positions 9–17 ({code[8:16]}-"
            f'{code[16]}) is wrong: by GB 11714-1997 position 17 is "{org_expected}".'
        )
    if not sentences_zh:
        return None
    return (
        f"统一社会信用代码“{shown}”的{''.join(sentences_zh)}请核对前 17 位和最后一位。",
        f'Unified social credit code "{shown}": {" Also ".join(sentences_en)} Check the first '
        f"17 characters and the last one.",
    )


def make_uscc(region: str, serial: int, *, department: str = "9", kind: str = "1") -> str:
    """A valid 统一社会信用代码 for the synthetic enterprise ``serial`` registered in ``region``.

    The 主体标识码 is ``serial`` as eight digits followed by its GB 11714-1997 check digit;
    the code ends in its GB 32100-2015 check character.  The defaults ``9`` and ``1`` are the
    登记管理部门码 and 机构类别码 of an enterprise registered by 工商 (市场监管).

    Parameters
    ----------
    region : str
        The six-digit 行政区划码 of the registering authority (``"410882"``, 沁阳市).
    serial : int
        ``0 <= serial < 10**8``: distinct serials give distinct codes.
    department, kind : str
        One character of :data:`USCC_CHARSET` each.

    Returns
    -------
    str
        18 characters that :func:`uscc_problem` accepts.

    Raises
    ------
    ValueError
        If ``region`` is not six digits, ``serial`` is out of range or ``department`` or
        ``kind`` is not one character of :data:`USCC_CHARSET`.

    Examples
    --------
    >>> make_uscc("410882", 1)
    '91410882000000019H'
    """
    if not (len(region) == 6 and region.isascii() and region.isdigit()):
        raise ValueError(f"region must be a six-digit 行政区划码 such as '410882', got {region!r}")
    if not 0 <= serial < 10**8:
        raise ValueError(f"serial must be an integer in [0, 10**8), got {serial!r}")
    for label, ch in (("department", department), ("kind", kind)):
        if len(ch) != 1 or ch not in USCC_CHARSET:
            raise ValueError(f"{label} must be one character of {USCC_CHARSET}, got {ch!r}")
    body = f"{serial:08d}"
    first17 = f"{department}{kind}{region}{body}{_org_check_digit(body)}"
    return first17 + uscc_check_character(first17)
