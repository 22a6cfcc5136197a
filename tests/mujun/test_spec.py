"""The bundled spec against its source, and a bad spec reported at once with its lines.

Source: 台州市黄岩区 as quoted in shared/research/domain.md §3.1 — 亩均税收÷24.097×30 +
亩均增加值÷136.16×20 + 单位能耗增加值÷2.694×20 + 单位排放增加值÷4929.81×10 +
全员劳动生产率÷18.14×10 + R&D占比÷0.0302×10.
"""

from __future__ import annotations

import pytest

from kaoping.errors import InputError
from kaoping.mujun import MujunSpec, load_spec, loads_spec
from kaoping.mujun.spec import bundled_path


def test_the_bundled_spec_has_the_huangyan_weights_and_benchmarks(spec: MujunSpec) -> None:
    got = {i.name: (i.weight, i.benchmark, i.numerator, i.denominator) for i in spec.indicators}
    assert got == {
        "亩均税收": (30.0, 24.097, "tax", "land"),
        "亩均增加值": (20.0, 136.16, "value_added", "land"),
        "单位能耗增加值": (20.0, 2.694, "value_added", "energy"),
        "单位排放增加值": (10.0, 4929.81, "value_added", "emissions"),
        "全员劳动生产率": (10.0, 18.14, "value_added", "staff"),
        "R&D经费占比": (10.0, 0.0302, "rd", "revenue"),
    }
    assert spec.total_weight == 100.0
    assert spec.cap == 1.5
    assert all(i.cap == 1.5 for i in spec.indicators)
    assert [(c.id, c.name, float(c.upto_percent)) for c in spec.classes] == [
        ("A", "优先发展", 25.0), ("B", "鼓励提升", 70.0), ("C", "规范转型", 95.0),
        ("D", "调控帮扶", 100.0),
    ]  # fmt: skip
    assert spec.method == "percentile"
    assert spec.exempt_class == "不定等级"
    assert "chacewang.com/newsdetail/news430850" in bundled_path().read_text(encoding="utf-8")


def test_every_problem_of_a_bad_spec_is_listed_with_its_line() -> None:
    text = """\
id: bad spec
name: 测试
fields:
  land: {name: 用地面积, unit: 亩}
  tax: {name: 实缴税金}
indicators:
  - {id: t, name: 亩均税收, unit: 万元/亩, numerator: tax, denominator: area, weight: -3,
     benchmark: 24}
  - {id: t, name: 亩均税收2, unit: 万元/亩, numerator: tax, denominator: land, weight: 1,
     benchmark: 0, colour: red}
scoring: {cap: 0, missing: skip}
classes:
  method: percentile
  list:
    - {id: A, name: 优先, upto_percent: 70}
    - {id: B, name: 其余, upto_percent: 50}
"""
    with pytest.raises(InputError) as caught:
        loads_spec(text, "bad.yaml")
    where = {(p.code, p.where) for p in caught.value.problems}
    assert ("mujun.bad_value", "bad.yaml:1") in where  # id with a space
    assert ("mujun.missing_key", "bad.yaml:5") in where  # tax has no unit
    assert ("mujun.unknown_field", "bad.yaml:7") in where  # denominator area
    assert ("mujun.bad_value", "bad.yaml:7") in where  # weight -3
    assert ("mujun.duplicate", "bad.yaml:9") in where  # id t twice
    assert ("mujun.unknown_key", "bad.yaml:10") in where  # colour
    assert ("mujun.bad_value", "bad.yaml:10") in where  # benchmark 0
    assert ("mujun.bad_value", "bad.yaml:11") in where  # cap 0, missing skip
    assert ("mujun.bad_classes", "bad.yaml:16") in where  # 50 after 70, last not 100
    assert len(caught.value.problems) >= 10
    lines = [int(p.where.rpartition(":")[2]) for p in caught.value.problems if p.where]
    assert lines == sorted(lines)
    for p in caught.value.problems:
        assert p.zh
        assert p.en


def test_thresholds_need_every_min_score(spec: MujunSpec) -> None:
    assert spec.with_method("thresholds").method == "thresholds"
    text = bundled_path().read_text(encoding="utf-8").replace("min_score: 70", "min_score: null")
    other = loads_spec(text, "x.yaml")
    with pytest.raises(InputError, match="min_score"):
        other.with_method("thresholds")


def test_a_missing_file_is_named() -> None:
    with pytest.raises(InputError) as caught:
        load_spec("no-such-spec.yaml")
    assert caught.value.codes == ["mujun.file_not_found"]
