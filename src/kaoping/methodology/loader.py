"""Read a methodology from YAML and report every problem with its line.

:func:`load` reads a file, :func:`loads` a string; both return a :class:`Methodology` or raise
one :class:`~kaoping.errors.InputError` listing *every* problem found, each a
:class:`~kaoping.errors.Problem` with a stable code, a Chinese and an English message, and
``where="file.yaml:LINE"``.  :func:`check` returns the problems instead of raising.

The pipeline: YAML text -> plain data and a path-to-line map (:mod:`._source`) -> pydantic
validation of every field, whose error locations are paths into the same data -> the
cross-field rules (:mod:`._checks`), run on the plain data so that they report even when a
field elsewhere is wrong.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib.resources import as_file, files
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from kaoping._files import FileTooLarge, NotRegularFile, read_regular
from kaoping.errors import InputError, Problem
from kaoping.methodology import _checks
from kaoping.methodology._source import Loc, Source, read_yaml
from kaoping.methodology._text import (
    FIELD_ZH,
    choices,
    describe,
    field_phrase,
    fmt,
    get_at,
    suggest,
    tidy_zh,
)
from kaoping.methodology.model import (
    AGGREGATION_METHODS,
    COMBINE_MODES,
    DIRECTIONS,
    KINDS,
    MISSING_METHODS,
    NORMALIZATION_METHODS,
    OBJECTIVE_METHODS,
    RI_TABLES,
    SEVERITIES,
    SUBJECTIVE_METHODS,
    WEIGHTING_METHODS,
    AggregationSpec,
    ChangeSpec,
    CrossCheck,
    Dimension,
    Indicator,
    Methodology,
    MissingSpec,
    NormalizationSpec,
    PlausibilitySpec,
    StarLevel,
    StarsSpec,
    Tier,
    WeightingSpec,
)
from kaoping.methodology.official import parse_official

__all__ = ["bundled", "check", "check_text", "dumps", "load", "loads", "resolve", "validate"]


def load(path: str | os.PathLike[str]) -> Methodology:
    """Read and validate a methodology file.

    Parameters
    ----------
    path : str or path-like
        A UTF-8 YAML file (a byte-order mark is accepted; a regular file of at most
        :data:`MAX_BYTES`, never a folder, a pipe or a device), or the name of a bundled
        methodology (:func:`bundled`, e.g. ``"county_hqd"``) when no such file exists.
        Locations in problems use the path as given, e.g. ``county.yaml:14``.

    Returns
    -------
    Methodology

    Raises
    ------
    kaoping.errors.InputError
        With every problem found: the file is missing or not UTF-8, a YAML syntax error, or
        any rule of :mod:`kaoping.methodology` broken.
    """
    methodology, problems = _load(path)
    if problems or methodology is None:
        raise InputError(problems)
    return methodology


def loads(text: str, source: str = "<string>") -> Methodology:
    """Validate a methodology given as YAML text; ``source`` names it in locations.

    Its ``base:`` may name only a bundled methodology: text (an upload) never makes kaoping
    read a file (``methodology.base_not_allowed``).  Problems in a bundled base are located
    by its name (``county_hqd.yaml:12``), not by its path.

    Examples
    --------
    >>> m = loads('''
    ... id: demo
    ... name: 示例
    ... dimensions:
    ...   - {id: econ, name: 经济, indicators: [{id: gdp, name: 地区生产总值, direction: 正向}]}
    ... ''')
    >>> m.indicator("gdp").direction, m.normalization.method, m.normalization.range
    ('positive', 'minmax', (0.0, 100.0))
    >>> try:
    ...     loads("id: demo\\nname: 示例\\ndimensions: []\\n", "demo.yaml")
    ... except InputError as error:
    ...     print(error.problems[0].where, error.codes)
    demo.yaml:3 ['methodology.no_dimensions']
    """
    methodology, problems = _parse(text, source)
    if problems or methodology is None:
        raise InputError(problems)
    return methodology


def check(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of a methodology file; an empty list when it is fine."""
    return _load(path)[1]


def check_text(text: str, source: str = "<string>") -> list[Problem]:
    """Every problem of a methodology given as YAML text; an empty list when it is fine."""
    return _parse(text, source)[1]


def validate(methodology: Methodology) -> list[Problem]:
    """The cross-field problems of a methodology built in Python (not read from YAML).

    Pydantic checked each field when the model was built; this runs the remaining rules
    (duplicate ids, AHP matrices, tiers …).  Locations are field paths such as
    ``dimensions[0].indicators[1].weight``.
    """
    return _checks.check(methodology.to_data(), Source(None))


def dumps(methodology: Methodology) -> str:
    """The methodology as YAML text that :func:`loads` reads back to an equal methodology."""
    return yaml.dump(
        methodology.to_data(),
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=100,
    )


# ---------------------------------------------------------------------------------------------


_BUNDLED = files("kaoping") / "data" / "methodologies"

#: Keys a methodology never takes from its base: it must name itself.
_OWN_KEYS = frozenset({"id", "name", "name_en", "description"})
_MAX_BASE_DEPTH = 8


def bundled() -> dict[str, Path]:
    """The methodologies that ship with kaoping: name (file stem) -> path.

    Examples
    --------
    >>> "county_hqd" in bundled()
    True
    """
    with as_file(_BUNDLED) as folder:
        return {p.stem: p for p in sorted(Path(folder).glob("*.yaml"))}


def resolve(path: str | os.PathLike[str]) -> Path:
    """A methodology file: ``path`` if it exists, else the bundled methodology of that name.

    So ``kaoping assess data.xlsx -m county_hqd`` runs the bundled default.  A path that is
    neither is returned unchanged (reading it reports the missing file).
    """
    candidate = Path(path)
    if candidate.exists():
        return candidate
    return bundled().get(os.fspath(path), candidate)


MAX_BYTES = 2 * 1024 * 1024
"""The largest methodology file read (the bundled county_hqd.yaml has 32 KB)."""


def _read(path: Path, name: str, where: str | None = None) -> tuple[str | None, list[Problem]]:
    """The text of a methodology file, or the problem that stops it being read.

    Only a regular file of at most :data:`MAX_BYTES` is read; a folder, a named pipe or a
    device is refused before anything is read from it.  ``where`` locates the problem (the
    ``base:`` line that names the file); default the file itself.
    """
    where = where or name
    try:
        data = read_regular(path, MAX_BYTES)
    except FileNotFoundError:
        return None, [
            Problem(
                "methodology.file_not_found",
                f"找不到考核办法文件 {name}；请检查路径和文件名。",
                f"methodology file {name} not found; check the path and the file name.",
                where,
            )
        ]
    except NotRegularFile as exc:
        return None, [
            Problem(
                "methodology.unreadable",
                f"{name} 是{exc.kind_zh}，不是普通文件；考核办法须是一个 YAML 文件。",
                f"{name} is {exc.kind_en}, not a regular file; a methodology is a YAML file.",
                where,
            )
        ]
    except FileTooLarge as exc:
        return None, [
            Problem(
                "methodology.too_large",
                f"文件 {name} 有 {exc.size:,} 字节，超过了 {MAX_BYTES:,} 字节的上限；"
                "考核办法只需几十 KB。请检查是否选错了文件。",
                f"{name} has {exc.size:,} bytes, more than the limit of {MAX_BYTES:,}; a "
                "methodology needs a few dozen KB: check that this is the right file.",
                where,
            )
        ]
    except OSError as exc:
        return None, [
            Problem(
                "methodology.unreadable",
                f"无法读取文件 {name}：{exc.strerror or exc}。",
                f"cannot read {name}: {exc.strerror or exc}.",
                where,
            )
        ]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            Problem(
                "methodology.not_utf8",
                f"文件不是 UTF-8 编码（第 {line} 行有无法识别的字节，可能是 GBK 编码）。"
                "请用 UTF-8 编码另存，例如在记事本中“另存为”时选择编码 UTF-8。",
                f"the file is not UTF-8 (line {line} has bytes that are not UTF-8, perhaps "
                "GBK). Save it as UTF-8, e.g. choose the UTF-8 encoding in 'Save as'.",
                f"{name}:{line}",
            )
        ]


def _load(path: str | os.PathLike[str]) -> tuple[Methodology | None, list[Problem]]:
    resolved = resolve(path)
    name = os.fspath(path) if resolved == Path(path) else os.fspath(resolved)
    text, problems = _read(resolved, name)
    if text is None:
        return None, problems
    return _parse(text, name, resolved.parent, (resolved.resolve(),))


def _parse(
    text: str, name: str, folder: Path | None = None, chain: tuple[Path, ...] = ()
) -> tuple[Methodology | None, list[Problem]]:
    raw, source, problems = _compose(text, name, folder, chain)
    if raw is None:
        return None, problems
    official = raw.pop("official", None)
    methodology: Methodology | None = None
    try:
        methodology = Methodology.model_validate(raw)
    except ValidationError as exc:
        problems += [_from_pydantic(e, raw, source) for e in exc.errors()]
    problems += _checks.check(raw, source)
    if official is not None and methodology is not None and not problems:
        origin = source.inherited.get("official", source)
        spec, more = parse_official(
            official,
            source,
            {i.id: i.direction for i in methodology.indicators},
            [d.id for d in methodology.dimensions],
            origin.folder,
        )
        problems += more
        methodology = methodology.model_copy(update={"official": spec})
    problems.sort(key=_line_of)
    return (None if problems else methodology), problems


def _compose(
    text: str, name: str, folder: Path | None, chain: tuple[Path, ...]
) -> tuple[dict[str, Any] | None, Source, list[Problem]]:
    """The file's data, with its ``base`` merged in, and where each value came from."""
    raw, source, problems = read_yaml(text, name)
    source.folder = os.fspath(folder) if folder is not None else None
    if raw is None:
        return None, source, problems
    if not isinstance(raw, Mapping):
        problems.append(
            Problem(
                "methodology.not_a_mapping",
                f"考核办法文件的顶层应是“键: 值”的映射（id、name、dimensions …），收到 "
                f"{_type_name(raw)[0]}。",
                f"the top level of a methodology must be a mapping of keys (id, name, "
                f"dimensions …), got {_type_name(raw)[1]}.",
                source.where(()),
            )
        )
        return None, source, problems
    data = dict(raw)
    if "base" not in data:
        return data, source, problems
    spec = data.pop("base")
    base, base_source, base_problems = _base(spec, source, folder, chain)
    problems += base_problems
    if base is None:
        return None, source, problems
    for key, value in base.items():
        if key not in data and key not in _OWN_KEYS:
            data[key] = value
            source.inherited[key] = base_source.inherited.get(key, base_source)
    return data, source, problems


def _base(
    spec: object, source: Source, folder: Path | None, chain: tuple[Path, ...]
) -> tuple[dict[str, Any] | None, Source, list[Problem]]:
    """Read the methodology that ``base:`` names: a file beside this one (when this one was
    read from a file: ``folder``) or a bundled methodology, never any other file."""
    where = source.where(("base",))

    def refuse(code: str, zh: str, en: str) -> tuple[None, Source, list[Problem]]:
        return None, source, [Problem(code, zh, en, where)]

    names = "、".join(bundled()) or "无"
    if not isinstance(spec, str) or not spec.strip():
        kind_zh, kind_en = _type_name(spec)
        return refuse(
            "methodology.wrong_type",
            "base 应为文本：本文件旁另一个考核办法文件的文件名，或内置办法的名称，如 "
            f"base: county_hqd；收到{kind_zh}。",
            "base must be text: the file name of another methodology file beside this one, "
            f"or the name of a bundled one, e.g. base: county_hqd; got {kind_en}.",
        )
    shown = spec if len(spec) <= 80 else spec[:80] + "…"
    if folder is None and spec not in bundled():
        return refuse(
            "methodology.base_not_allowed",
            f"base 只能是内置考核办法的名称（{names}），收到 {shown!r}：不是从文件读取的考核办法"
            "（例如在网页上上传的）不能以任何文件为 base。请改用内置办法之一，或把基础办法的"
            "内容写进本文件。",
            f"base may only name a bundled methodology ({', '.join(bundled())}), got "
            f"{shown!r}: a methodology not read from a file (e.g. uploaded on the web) cannot "
            "take any file as its base; use a bundled one, or write the base's content into "
            "this file.",
        )
    if folder is not None and not _bare_file_name(spec):
        return refuse(
            "methodology.base_not_allowed",
            f"base 只能是与本文件在同一文件夹中的文件名（不带路径）或内置办法的名称（{names}），"
            f"收到 {shown!r}。请把基础办法复制到本文件旁，写 base: 文件名.yaml。",
            "base may only be the name of a file in this file's folder (no directory parts) "
            f"or of a bundled methodology ({', '.join(bundled())}), got {shown!r}; copy the "
            "base methodology beside this file and write base: NAME.yaml.",
        )
    display = spec
    candidate = folder / spec if folder is not None else None
    if candidate is None or (not os.path.lexists(candidate) and spec in bundled()):
        candidate, display = bundled()[spec], f"{spec}.yaml"  # not the server's path
    elif not os.path.lexists(candidate):
        return refuse(
            "methodology.base_not_found",
            f"找不到 base 指定的考核办法 {spec}：它既不是本文件旁的文件，也不是内置办法"
            f"（内置：{names}）。请检查文件名。",
            f"the methodology named by base, {spec}, is neither a file beside this one nor a "
            f"bundled methodology (bundled: {', '.join(bundled())}). Check the file name.",
        )
    else:
        display = os.fspath(candidate)
    resolved = candidate.resolve()
    if resolved in chain or len(chain) >= _MAX_BASE_DEPTH:
        return refuse(
            "methodology.base_cycle",
            f"base 形成了循环（或超过 {_MAX_BASE_DEPTH} 层）：{' → '.join(p.name for p in chain)}"
            f" → {candidate.name}。请让基础办法不再以本文件为 base，或减少层数。",
            f"base makes a cycle (or a chain of more than {_MAX_BASE_DEPTH}): "
            f"{' -> '.join(p.name for p in chain)} -> {candidate.name}. Make the base "
            "methodology stop naming this file as its base, or shorten the chain.",
        )
    text, problems = _read(candidate, display, where)
    if text is None:
        return None, source, problems
    # the base's own base is looked for beside it: a bundled methodology's among the bundled
    base, base_source, problems = _compose(text, display, candidate.parent, (*chain, resolved))
    if base is not None and not problems:
        # report the base's own problems where they are, before anything is merged
        base_problems = _parse(text, display, candidate.parent, (*chain, resolved))[1]
        if base_problems:
            return None, base_source, base_problems
    return base, base_source, problems


def _bare_file_name(spec: str) -> bool:
    """A file name with no directory parts on any system: not ``../x.yaml``, ``sub/x.yaml``,
    ``/etc/x.yaml``, ``C:x.yaml`` or ``..``."""
    return (
        spec not in (".", "..")
        and "\0" not in spec
        and PurePosixPath(spec).name == spec
        and PureWindowsPath(spec).name == spec
    )


def _line_of(problem: Problem) -> int:
    tail = (problem.where or "").rpartition(":")[2]
    return int(tail) if tail.isdigit() else 0


# ---------------------------------------------------------------------------------------------
# pydantic errors -> problems
# ---------------------------------------------------------------------------------------------

_SPEC_MODELS: dict[str, type[BaseModel]] = {
    "normalization": NormalizationSpec,
    "weighting": WeightingSpec,
    "aggregation": AggregationSpec,
    "missing": MissingSpec,
    "plausibility": PlausibilitySpec,
    "change": ChangeSpec,
    "stars": StarsSpec,
}
_ITEM_MODELS: dict[str, type[BaseModel]] = {
    "dimensions": Dimension,
    "children": Dimension,
    "indicators": Indicator,
    "tiers": Tier,
    "checks": CrossCheck,
    "levels": StarLevel,
}
_CHOICES: dict[str, Mapping[str, str]] = {
    "direction": DIRECTIONS,
    "normalization": NORMALIZATION_METHODS,
    "weighting": WEIGHTING_METHODS,
    "aggregation": AGGREGATION_METHODS,
    "missing": MISSING_METHODS,
    "subjective": SUBJECTIVE_METHODS,
    "objective": OBJECTIVE_METHODS,
    "mode": COMBINE_MODES,
    "ri": RI_TABLES,
    "kind": KINDS,
    "severity": SEVERITIES,
}
_EXAMPLES: dict[str, str] = {
    "id": "id: rd_intensity",
    "name": "name: R&D经费投入强度",
    "direction": "direction: positive（正向）",
    "dimensions": "dimensions: [{id: innovation, name: 创新发展, indicators: […]}]",
}
_TYPES: dict[str, tuple[str, str]] = {
    "string_type": ("文本", "text"),
    "float_type": ("数", "a number"),
    "float_parsing": ("数", "a number"),
    "finite_number": ("有限的数（不能是 .nan 或 .inf）", "a finite number (not .nan or .inf)"),
    "int_type": ("整数", "a whole number"),
    "int_parsing": ("整数", "a whole number"),
    "int_from_float": ("整数", "a whole number"),
    "bool_type": (" true 或 false", "true or false"),
    "bool_parsing": (" true 或 false", "true or false"),
    "tuple_type": ("列表", "a list"),
    "list_type": ("列表", "a list"),
    "dict_type": ("映射（键: 值）", "a mapping (key: value)"),
    "model_type": ("映射（键: 值）", "a mapping (key: value)"),
    "model_attributes_type": ("映射（键: 值）", "a mapping (key: value)"),
}


def _model_at(path: Loc) -> type[BaseModel]:
    if not path:
        return Methodology
    if isinstance(path[-1], int) and len(path) >= 2 and path[-2] in _ITEM_MODELS:
        return _ITEM_MODELS[str(path[-2])]
    return _SPEC_MODELS.get(str(path[-1]), Methodology)


def _type_name(value: object) -> tuple[str, str]:
    if value is None:
        return "空值", "nothing"
    if isinstance(value, bool):
        return "布尔值", "a boolean"
    if isinstance(value, int | float):
        return "数", "a number"
    if isinstance(value, str):
        return "文本", "text"
    if isinstance(value, list):
        return "列表", "a list"
    if isinstance(value, Mapping):
        return "映射", "a mapping"
    return type(value).__name__, type(value).__name__


def _short(value: Any) -> str:
    text = fmt(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _from_pydantic(error: ErrorDetails, raw: Mapping[str, Any], source: Source) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    where = source.where(loc)

    def problem(code: str, zh: str, en: str, at: str | None = where) -> Problem:
        return Problem(f"methodology.{code}", tidy_zh(zh), en, at)

    if "range" in loc and kind in ("missing", "too_long", "too_short", "tuple_type", "list_type"):
        at = loc[: loc.index("range") + 1]
        zh, en = field_phrase(at, raw)
        return problem(
            "wrong_type",
            f"{zh}应为两个数 [下限, 上限]，如 [1, 100]，收到 {_short(get_at(raw, at))}。",
            f"{en} must be two numbers [lo, hi], e.g. [1, 100], got {_short(get_at(raw, at))}.",
            source.where(at),
        )
    if kind == "missing":
        owner, key = loc[:-1], str(loc[-1])
        zh, en = describe(owner, raw)
        example = _EXAMPLES.get(key, f"{key}: …")
        label = FIELD_ZH.get(key, key)
        return problem(
            "missing_key",
            f"{zh}缺少必填项 {key}（{label}），请补上，例如 {example}。",
            f"{en} lacks the required key {key}; add it, e.g. {example}.",
            source.where(owner),
        )
    if kind == "extra_forbidden":
        owner, key = loc[:-1], str(loc[-1])
        zh, en = describe(owner, raw)
        allowed = [f for f in _model_at(owner).model_fields if f != "params"]
        close = suggest(key, allowed)
        comma_zh = comma_en = ""
        if value is None and owner in source.flow:  # `name_en: per 1,000 people` in {…}
            comma_zh = (
                f"在 {{…}} 里逗号分隔各项：如果“{key}”是前一项取值的一部分（如 1,000），"
                "请给那个取值加引号。"
            )
            comma_en = (
                f" Inside {{…}} a comma separates entries: if {key!r} belongs to the previous "
                "value (as in 1,000), put that value in quotes."
            )
        return problem(
            "unknown_key",
            f"{zh}中有未知的键 {key}。"
            + comma_zh
            + (f"是否想写 {close}？" if close else "")
            + f"可用的键：{'、'.join(allowed)}。",
            f"unknown key {key!r} in {en}."
            + comma_en
            + (f" Did you mean {close}?" if close else "")
            + f" Allowed keys: {', '.join(allowed)}.",
            source.where(loc, key=True),
        )
    zh, en = field_phrase(loc, raw)
    if kind == "kp_choice":
        allowed_map = _CHOICES.get(str(ctx.get("kind")), {})
        allowed_zh, allowed_en = choices(allowed_map)
        close = suggest(value, allowed_map)
        code = (
            "unknown_direction"
            if ctx.get("kind") == "direction"
            else "unknown_option"
            if ctx.get("kind") in ("mode", "ri", "kind", "severity")
            else "unknown_method"
        )
        return problem(
            code,
            f"{zh}须为 {allowed_zh} 之一，收到 {_short(value)}。"
            + (f"是否想写 {close}？" if close else ""),
            f"{en} must be one of {allowed_en}, got {_short(value)}."
            + (f" Did you mean {close}?" if close else ""),
        )
    if kind == "kp_negative":
        owner_zh, owner_en = describe(loc[:-1], raw)
        return problem(
            "negative_weight",
            f"{owner_zh}的权重必须为非负数，收到 {fmt(value)}。请改为 0 或正数"
            "（权重是同级之间的相对值）。",
            f"weight of {owner_en} must be non-negative, got {fmt(value)}. Use 0 or a "
            "positive number (weights are relative among siblings).",
        )
    if kind == "kp_bad_id":
        return problem(
            "bad_id",
            f"{zh}“{value}”无效：标识须以英文字母或下划线开头，只含英文字母、数字、_ 和 -，"
            "如 rd_intensity；中文名称请写在 name 里。",
            f"{en} {value!r} is not a valid id: start with a letter or _, then use only "
            "letters, digits, _ and -, e.g. rd_intensity; put the Chinese name in name.",
        )
    if kind == "kp_empty":
        return problem(
            "empty_text",
            f"{zh}不能为空；请填写或删去这个键。",
            f"{en} must not be empty; fill it in or remove the key.",
        )
    if kind in ("kp_ahp_entry", "kp_ahp_not_positive"):
        if kind == "kp_ahp_entry":
            return problem(
                "ahp_bad_entry",
                f'{zh}= {_short(value)} 不是数：请写数或分数，如 3、0.5 或 "1/3"。',
                f"{en} = {_short(value)} is not a number: write a number or a fraction such "
                'as 3, 0.5 or "1/3".',
            )
        return problem(
            "ahp_not_positive",
            f"{zh}必须为正数（判断标度通常在 1/9 到 9 之间），收到 {_short(value)}。",
            f"{en} must be positive (judgements usually lie between 1/9 and 9), got "
            f"{_short(value)}.",
        )
    if kind == "kp_out_of_range":
        interval = _interval(ctx)
        return problem(
            "out_of_range",
            f"{zh}应在 {interval} 内，收到 {fmt(value)}。",
            f"{en} must lie in {interval}, got {fmt(value)}.",
        )
    if kind == "kp_range_order":
        lo, hi = ctx.get("lo"), ctx.get("hi")
        return problem(
            "bad_range",
            f"{zh}须从小到大写成 [下限, 上限]，如 [1, 100]，收到 [{fmt(lo)}, {fmt(hi)}]。",
            f"{en} must be written [lo, hi] with lo < hi, e.g. [1, 100], got "
            f"[{fmt(lo)}, {fmt(hi)}].",
        )
    if kind == "kp_version_float":
        return problem(
            "wrong_type",
            f'{zh}请写成带引号的文本，如 version: "{fmt(value)}"（不加引号时 YAML 会把它读成数，'
            "1.10 会变成 1.1）。",
            f'write {en} as quoted text, e.g. version: "{fmt(value)}" (unquoted, YAML reads '
            "a number, and 1.10 becomes 1.1).",
        )
    if kind in _TYPES:
        want_zh, want_en = _TYPES[kind]
        got_zh, got_en = _type_name(value)
        hint_zh = hint_en = ""
        if kind == "string_type" and value is not None and not isinstance(value, list | Mapping):
            hint_zh, hint_en = '请加引号，如 "2025"。', ' Put it in quotes, e.g. "2025".'
        elif kind in ("tuple_type", "list_type") and value is None:
            hint_zh, hint_en = "没有内容时请写 [] 或删去这个键。", " Write [] or remove the key."
        return problem(
            "wrong_type",
            f"{zh}应为{want_zh}，收到 {_short(value)}（{got_zh}）。{hint_zh}",
            f"{en} must be {want_en}, got {_short(value)} ({got_en}).{hint_en}",
        )
    return problem(  # pragma: no cover - every type the models can raise is handled above
        "invalid_value",
        f"{zh}取值无效：{error['msg']}（收到 {_short(value)}）。",
        f"{en} is invalid: {error['msg']} (got {_short(value)}).",
    )


def _interval(ctx: Mapping[str, Any]) -> str:
    lo, hi = ctx.get("lo"), ctx.get("hi")
    left = "(" if ctx.get("lo_open") else "["
    right = ")" if ctx.get("hi_open") else "]"
    if hi is None:
        return f"{left}{fmt(lo)}, ∞)"
    return f"{left}{fmt(lo)}, {fmt(hi)}{right}"
