"""Headers with a unit in brackets, where the indicator's own name has brackets too.

Found with the default methodology: 细颗粒物(PM2.5)年均浓度 and 每千人口执业(助理)医师数 were cut
at their first bracket and rejected as unknown columns when a unit followed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kaoping.data import read_panel
from kaoping.data._parse import header_key, header_key_without_unit


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("地区生产总值（亿元）", "地区生产总值"),
        ("细颗粒物(PM2.5)年均浓度（μg/m³）", "细颗粒物(pm2.5)年均浓度"),
        ("每千人口执业(助理)医师数(人/千人)", "每千人口执业(助理)医师数"),
        ("人均GDP[元]", "人均gdp"),
        ("城乡居民人均可支配收入比（倍(农村=1)）", "城乡居民人均可支配收入比"),
        ("森林覆盖率【%】", "森林覆盖率"),
    ],
)
def test_only_the_last_bracket_group_is_the_unit(header: str, expected: str) -> None:
    assert header_key_without_unit(header_key(header)) == expected


def test_no_unit_gives_none() -> None:
    assert header_key_without_unit(header_key("地区生产总值")) is None


def test_file_with_bracketed_names_and_units_is_read(tmp_path: Path) -> None:
    f = tmp_path / "d.csv"
    f.write_text(
        "代码,年份,细颗粒物(PM2.5)年均浓度（μg/m³）,每千人口执业(助理)医师数(人/千人)\n"
        "410883,2024,41,2.9\n",
        encoding="utf-8",
    )
    names = {"细颗粒物(PM2.5)年均浓度": "pm25", "每千人口执业(助理)医师数": "physicians"}
    panel = read_panel(f, indicators=names)
    got = dict(zip(panel.frame["indicator"], panel.frame["value"], strict=True))
    assert got == {"pm25": 41.0, "physicians": 2.9}


def test_parse_docstring_examples() -> None:
    import doctest

    from kaoping.data import _parse

    result = doctest.testmod(_parse)
    assert result.attempted > 0
    assert result.failed == 0
