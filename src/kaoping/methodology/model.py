"""The methodology model: an indicator tree and the method choices, as frozen pydantic models.

The YAML keys and their meaning are documented in :mod:`kaoping.methodology`; this module holds
the models (:class:`Methodology`, :class:`Dimension`, :class:`Indicator` and the method
specifications) and the vocabularies they accept.  Field-level rules (types, allowed names, a
weight that must be non-negative, an AHP cell that must be a positive number) are checked here
by pydantic, with custom error types (``kp_*``) that :mod:`kaoping.methodology.loader` turns
into bilingual :class:`~kaoping.errors.Problem` objects; rules that span several fields or
nodes (duplicate ids, AHP shape and reciprocity, tiers …) live in
:mod:`kaoping.methodology._checks`.

Models store what they are given (after parsing "1/3" into a float and 正向 into
``positive``); they are frozen and hash, and :meth:`Methodology.fingerprint` identifies a
methodology for a published assessment.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    model_validator,
)
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from kaoping.methodology.official import OfficialSpec

__all__ = [
    "AGGREGATION_METHODS",
    "COMBINE_MODES",
    "DIRECTIONS",
    "DIRECTION_ALIASES",
    "KINDS",
    "KINDS_EN",
    "KIND_BOUNDS",
    "MISSING_METHODS",
    "NORMALIZATION_METHODS",
    "OBJECTIVE_METHODS",
    "RANGE_METHODS",
    "RI_TABLES",
    "SEVERITIES",
    "SUBJECTIVE_METHODS",
    "WEIGHTING_METHODS",
    "AggregationSpec",
    "ChangeSpec",
    "CrossCheck",
    "Dimension",
    "Indicator",
    "Methodology",
    "MissingSpec",
    "NormalizationSpec",
    "Params",
    "PlausibilitySpec",
    "StarLevel",
    "StarsSpec",
    "Tier",
    "WeightingSpec",
    "parse_ratio",
    "weighting_options",
]

# ---------------------------------------------------------------------------------------------
# Vocabularies: canonical name -> Chinese gloss (used in messages).
# ---------------------------------------------------------------------------------------------

DIRECTIONS: dict[str, str] = {
    "positive": "正向",
    "negative": "逆向",
    "moderate": "适度",
    "constraint": "约束",
}
"""Indicator directions; ``constraint`` indicators are listed but not scored."""

DIRECTION_ALIASES: dict[str, str] = {
    "正向": "positive",
    "逆向": "negative",
    "负向": "negative",
    "适度": "moderate",
    "约束": "constraint",
    "约束性": "constraint",
}
"""Chinese spellings accepted for :data:`DIRECTIONS`."""

NORMALIZATION_METHODS: dict[str, str] = {
    "minmax": "极差标准化",
    "zscore": "Z 分数标准化",
    "rank": "百分位排名",
    "goalposts": "阈值（门槛值）法",
    "vector": "向量归一化",
    "fracmax": "占最大值比例",
    "dist2max": "与最大值的距离",
    "target": "目标完成率",
}

RANGE_METHODS: tuple[str, ...] = ("minmax", "goalposts", "dist2max")
"""Normalisations whose [0, 1] output is mapped to ``range``; the others ignore it."""

WEIGHTING_METHODS: dict[str, str] = {
    "fixed": "给定权重",
    "equal": "等权",
    "entropy": "熵权法",
    "critic": "CRITIC 法",
    "cv": "变异系数法",
    "ahp": "层次分析法",
    "combine": "主客观组合赋权",
}

SUBJECTIVE_METHODS: dict[str, str] = {k: WEIGHTING_METHODS[k] for k in ("fixed", "equal", "ahp")}
OBJECTIVE_METHODS: dict[str, str] = {k: WEIGHTING_METHODS[k] for k in ("entropy", "critic", "cv")}

COMBINE_MODES: dict[str, str] = {"additive": "线性组合", "multiplicative": "乘法组合"}

RI_TABLES: dict[str, str] = {
    "saaty1980": "Saaty (1980)",
    "saaty2005": "Saaty (2005)",
    "donegan_dodd1991": "Donegan & Dodd (1991)",
}
"""Random-index tables for the AHP consistency ratio: the names
:data:`kaoping.methods.weights.RI_TABLES` accepts."""

AGGREGATION_METHODS: dict[str, str] = {
    "arithmetic": "加权算术平均",
    "geometric": "加权几何平均",
    "harmonic": "加权调和平均",
    "generalized": "广义加权平均",
    "topsis": "TOPSIS 法",
    "gra": "灰色关联分析",
    "vikor": "VIKOR 法",
    "copeland": "Copeland 法",
}

MISSING_METHODS: dict[str, str] = {
    "error": "报错",
    "skip": "跳过并按可用指标重新分配权重",
    "mean": "均值插补",
    "median": "中位数插补",
    "category_mean": "同类均值插补",
    "carry_forward": "沿用上期值",
}

KINDS: dict[str, str] = {
    "share": "占比（0–100）",
    "count": "计数（非负整数）",
    "amount": "总量（非负）",
    "growth": "增速（不低于 -100）",
}
"""Kinds of indicator (``kind:``) and the hard range each implies unless ``min``/``max`` say
otherwise: a share lies in [0, 100], a count is a whole number >= 0, an amount is >= 0, a
growth rate is >= -100 (%)."""

KIND_BOUNDS: dict[str, tuple[float | None, float | None]] = {
    "share": (0.0, 100.0),
    "count": (0.0, None),
    "amount": (0.0, None),
    "growth": (-100.0, None),
}
"""The hard range (min, max) each kind implies; None: unbounded."""

KINDS_EN: dict[str, str] = {
    "share": "share (0-100)",
    "count": "count (whole, >= 0)",
    "amount": "amount (>= 0)",
    "growth": "growth rate (>= -100)",
}

SEVERITIES: dict[str, str] = {"hard": "须改正", "soft": "须说明"}
"""How a failed cross-check is treated: ``hard`` refuses the figures, ``soft`` asks for a note."""

_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def weighting_options(method: str, subjective: str | None, objective: str | None) -> set[str]:
    """Keys of ``weighting`` (besides ``method``) that a weighting method uses.

    >>> sorted(weighting_options("ahp", None, None))
    ['ri', 'strict']
    """
    options: set[str] = set()
    if method == "combine":
        options |= {"subjective", "objective", "alpha", "mode"}
    if method == "ahp" or (method == "combine" and subjective == "ahp"):
        options |= {"ri", "strict"}
    if method == "entropy" or (method == "combine" and objective == "entropy"):
        options.add("shift")
    return options


# ---------------------------------------------------------------------------------------------
# Field validators (they raise PydanticCustomError, which the loader renders in zh and en).
# ---------------------------------------------------------------------------------------------


def _choice(
    kind: str, allowed: Mapping[str, str], aliases: Mapping[str, str] | None = None
) -> AfterValidator:
    """An AfterValidator accepting the names in ``allowed`` (case-insensitive) and ``aliases``."""

    def check(value: str) -> str:
        key = value.strip()
        if aliases and key in aliases:
            return aliases[key]
        if key.lower() in allowed:
            return key.lower()
        raise PydanticCustomError(
            "kp_choice",
            "unknown {kind} {value!r}",
            {"kind": kind, "value": value, "allowed": tuple(allowed)},
        )

    return AfterValidator(check)


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise PydanticCustomError("kp_bad_id", "bad id {value!r}", {"value": value})
    return value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("kp_empty", "must not be empty", {"value": value})
    return value


def _non_negative(value: float) -> float:
    if value < 0:
        raise PydanticCustomError("kp_negative", "must be >= 0, got {value}", {"value": value})
    return value


def _between(
    lo: float | None, hi: float | None, *, lo_open: bool = False, hi_open: bool = False
) -> AfterValidator:
    """An AfterValidator for ``lo <= x <= hi`` (``<`` where open; ``None`` = unbounded)."""

    def check(value: float) -> float:
        bad = (lo is not None and (value <= lo if lo_open else value < lo)) or (
            hi is not None and (value >= hi if hi_open else value > hi)
        )
        if bad:
            raise PydanticCustomError(
                "kp_out_of_range",
                "{value} is out of range",
                {"value": value, "lo": lo, "hi": hi, "lo_open": lo_open, "hi_open": hi_open},
            )
        return value

    return AfterValidator(check)


def parse_ratio(value: object) -> float:
    """Read one AHP judgement: a number, or a string such as ``"1/3"``, ``"3"`` or ``"0.5"``.

    Parameters
    ----------
    value : object
        The cell as YAML gave it.

    Returns
    -------
    float
        The judgement; not checked for positivity.

    Raises
    ------
    ValueError
        When the cell is not a number or a fraction ``a/b`` (``bool`` is not a number).

    Examples
    --------
    >>> parse_ratio("1/3") == 1 / 3, parse_ratio(5), parse_ratio(" 2 / 4 ")
    (True, 5.0, 0.5)
    """
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip().replace("／", "/")
        try:
            if "/" in text:
                num, _, den = text.partition("/")
                return float(Fraction(num.strip()) / Fraction(den.strip()))
            return float(text)
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"not a number or fraction: {value!r}") from exc
    raise ValueError(f"not a number or fraction: {value!r}")


def _ahp_entry(value: object) -> float:
    try:
        number = parse_ratio(value)
    except ValueError:
        raise PydanticCustomError("kp_ahp_entry", "not a number", {"value": value}) from None
    if not (number > 0 and number < float("inf")):
        raise PydanticCustomError("kp_ahp_not_positive", "not positive", {"value": value})
    return number


def _range_order(value: tuple[float, float]) -> tuple[float, float]:
    if not value[0] < value[1]:
        raise PydanticCustomError(
            "kp_range_order", "range must increase", {"lo": value[0], "hi": value[1]}
        )
    return value


def _int_to_text(value: object) -> object:
    """``version: 2025`` is read as an int; keep it as the text "2025". Floats are refused."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise PydanticCustomError("kp_version_float", "quote the version", {"value": value})
    return value


Id = Annotated[StrictStr, AfterValidator(_check_id)]
Text = Annotated[StrictStr, AfterValidator(_non_empty)]
Number = StrictFloat
Weight = Annotated[StrictFloat, AfterValidator(_non_negative)]
AhpEntry = Annotated[float, BeforeValidator(_ahp_entry)]
AhpMatrix = tuple[tuple[AhpEntry, ...], ...]
Direction = Annotated[StrictStr, _choice("direction", DIRECTIONS, DIRECTION_ALIASES)]


class Params(Mapping[str, Any]):
    """An immutable, hashable mapping of method parameters (``rho``, ``v``, ``p`` …).

    It behaves like a read-only ``dict``; in YAML the parameters are written next to ``method``.

    >>> p = Params({"rho": 0.5})
    >>> p["rho"], p.get("v", 0.5), dict(p)
    (0.5, 0.5, {'rho': 0.5})
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data: dict[str, Any] = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, _hashable(v)) for k, v in self._data.items())))

    def __repr__(self) -> str:
        return f"Params({self._data!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(
            cls,
            core_schema.dict_schema(core_schema.str_schema(), core_schema.any_schema()),
            serialization=core_schema.plain_serializer_function_ser_schema(dict),
        )


def _hashable(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


def _split_spec(data: Any, fields: tuple[str, ...]) -> Any:
    """YAML form -> model form: ``"gra"`` or ``{method: gra, rho: 0.5}`` -> fields + params."""
    if isinstance(data, str):
        return {"method": data}
    if isinstance(data, Mapping):
        params: dict[Any, Any] = {}
        explicit = data.get("params")
        if isinstance(explicit, Mapping):
            params.update(explicit)
        out: dict[Any, Any] = {}
        for key, value in data.items():
            if key in fields:
                out[key] = value
            elif not (key == "params" and isinstance(value, Mapping)):
                params[key] = value
        out["params"] = params
        return out
    return data


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


# ---------------------------------------------------------------------------------------------
# Method specifications
# ---------------------------------------------------------------------------------------------


class NormalizationSpec(_Model):
    """How raw indicator values become comparable scores.

    Parameters
    ----------
    method : str
        One of :data:`NORMALIZATION_METHODS` (default ``minmax``).
    range : tuple of float
        ``(lo, hi)`` the [0, 1] output of ``minmax``, ``goalposts`` and ``dist2max`` is mapped
        to, :math:`lo + (hi - lo)\\,y`; default ``(0, 100)``.  Ignored by the other methods.
    params : Params
        Method parameters: ``zscore``: ``ddof`` (0 or 1, default 1), ``center`` and ``scale``
        (report ``center + scale * z``); ``target``: ``cap`` (upper bound of the completion
        rate, e.g. 1.2).

    Notes
    -----
    For the methods that use ``range``, with :math:`y \\in [0, 1]` the normalised value,

    .. math:: y' = lo + (hi - lo)\\, y .

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 5 (Step 5,
    normalisation), https://doi.org/10.1787/9789264043466-en.

    Examples
    --------
    >>> NormalizationSpec.model_validate({"method": "minmax", "range": [1, 100]}).range
    (1.0, 100.0)
    """

    method: Annotated[StrictStr, _choice("normalization", NORMALIZATION_METHODS)] = "minmax"
    range: Annotated[tuple[Number, Number], AfterValidator(_range_order)] = (0.0, 100.0)
    params: Params = Params()

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, data: Any) -> Any:
        return _split_spec(data, ("method", "range"))

    @property
    def uses_range(self) -> bool:
        """Whether :attr:`range` applies to this method."""
        return self.method in RANGE_METHODS

    def to_data(self) -> dict[str, Any]:
        """The YAML form: ``{method, [range], **params}``."""
        out: dict[str, Any] = {"method": self.method}
        if self.uses_range:
            out["range"] = list(self.range)
        out.update(_plain(dict(self.params)))
        return out


class WeightingSpec(_Model):
    """How weights are obtained.

    Parameters
    ----------
    method : str
        One of :data:`WEIGHTING_METHODS` (default ``fixed``: the ``weight`` written in the tree).
    subjective, objective : str, optional
        For ``combine``: the subjective (``fixed``, ``equal``, ``ahp``) and objective
        (``entropy``, ``critic``, ``cv``) weights that are combined.
    alpha : float
        For ``combine``: :math:`w = \\alpha w_s + (1 - \\alpha) w_o` (additive) — default 0.5.
    mode : str
        For ``combine``: ``additive`` or ``multiplicative`` (:math:`w_s w_o / \\sum w_s w_o`).
    ri : str
        For AHP: the random-index table, one of :data:`RI_TABLES` (default ``saaty1980``).
    strict : bool
        For AHP: a consistency ratio CR >= 0.10 is an error instead of a reported warning.
    shift : float
        For entropy: a small constant added to the normalised matrix first (default 0).

    Notes
    -----
    Combined weights, additive and multiplicative:

    .. math:: w_j = \\alpha w^s_j + (1 - \\alpha) w^o_j, \\qquad
              w_j = \\frac{w^s_j w^o_j}{\\sum_k w^s_k w^o_k}.

    References
    ----------
    Saaty, T. L. (1980), *The Analytic Hierarchy Process*, McGraw-Hill (AHP, random index).
    Diakoulaki, D., Mavrotas, G., Papayannakis, L. (1995), Determining objective weights in
    multiple criteria problems: the CRITIC method, *Computers & Operations Research* 22(7),
    763-770, https://doi.org/10.1016/0305-0548(94)00059-H.

    Examples
    --------
    >>> WeightingSpec.model_validate("ahp").uses_ahp
    True
    """

    method: Annotated[StrictStr, _choice("weighting", WEIGHTING_METHODS)] = "fixed"
    subjective: Annotated[StrictStr, _choice("subjective", SUBJECTIVE_METHODS)] | None = None
    objective: Annotated[StrictStr, _choice("objective", OBJECTIVE_METHODS)] | None = None
    alpha: Annotated[Number, _between(0.0, 1.0)] = 0.5
    mode: Annotated[StrictStr, _choice("mode", COMBINE_MODES)] = "additive"
    ri: Annotated[StrictStr, _choice("ri", RI_TABLES)] = "saaty1980"
    strict: StrictBool = False
    shift: Annotated[Number, _between(0.0, None)] = 0.0

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, data: Any) -> Any:
        return {"method": data} if isinstance(data, str) else data

    @property
    def uses_ahp(self) -> bool:
        """Whether AHP matrices are needed (``ahp``, or ``combine`` with ``subjective: ahp``)."""
        return self.method == "ahp" or (self.method == "combine" and self.subjective == "ahp")

    def to_data(self) -> dict[str, Any]:
        """The YAML form, with only the keys this method uses."""
        out: dict[str, Any] = {"method": self.method}
        for key in ("subjective", "objective", "alpha", "mode", "ri", "strict", "shift"):
            if key in weighting_options(self.method, self.subjective, self.objective):
                out[key] = getattr(self, key)
        return out


class AggregationSpec(_Model):
    """How the scores of a node's children are combined into its score.

    Parameters
    ----------
    method : str
        One of :data:`AGGREGATION_METHODS` (default ``arithmetic``).
    params : Params
        ``topsis``: ``normalization`` (``vector`` default, or ``minmax``); ``gra``: ``rho`` in
        (0, 1], default 0.5; ``vikor``: ``v`` in [0, 1], default 0.5; ``generalized``: ``p``
        (required, non-zero), :math:`(\\sum_j w_j y_j^p)^{1/p}`.

    References
    ----------
    OECD/JRC (2008), *Handbook on Constructing Composite Indicators*, section 6 (Step 6,
    weighting and aggregation).  Opricovic, S., Tzeng, G.-H. (2004), Compromise solution by
    MCDM methods: a comparative analysis of VIKOR and TOPSIS, *European Journal of Operational
    Research* 156(2), 445-455, https://doi.org/10.1016/S0377-2217(03)00020-1.

    Examples
    --------
    >>> spec = AggregationSpec.model_validate({"method": "gra", "rho": 0.5})
    >>> spec.method, spec.params["rho"]
    ('gra', 0.5)
    """

    method: Annotated[StrictStr, _choice("aggregation", AGGREGATION_METHODS)] = "arithmetic"
    params: Params = Params()

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, data: Any) -> Any:
        return _split_spec(data, ("method",))

    def to_data(self) -> dict[str, Any]:
        """The YAML form: ``{method, **params}``."""
        return {"method": self.method, **_plain(dict(self.params))}


class MissingSpec(_Model):
    """What to do with missing values.

    Parameters
    ----------
    method : str
        One of :data:`MISSING_METHODS` (default ``error``).
    min_share : float, optional
        For ``skip``: the minimum share, in (0, 1], of a node's children that must be
        available for the unit to get a score there.
    """

    method: Annotated[StrictStr, _choice("missing", MISSING_METHODS)] = "error"
    min_share: Annotated[Number, _between(0.0, 1.0, lo_open=True)] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_yaml(cls, data: Any) -> Any:
        return {"method": data} if isinstance(data, str) else data

    def to_data(self) -> str | dict[str, Any]:
        """The YAML form: the method name, or ``{method, min_share}``."""
        if self.min_share is None:
            return self.method
        return {"method": self.method, "min_share": self.min_share}


class ChangeSpec(_Model):
    """A year-on-year limit beyond which a figure needs a note (合理性：同比变动).

    Exactly one of:

    ``ratio``
        :math:`1/r \\le x / x_{prev} \\le r` (``ratio: 3``: more than three times, or less
        than a third of, last period's); a change of sign also needs a note.
    ``relative``
        :math:`|x - x_{prev}| \\le r\\,|x_{prev}|` (``relative: 0.5``: within ±50 %).
    ``absolute``
        :math:`|x - x_{prev}| \\le a` in the indicator's own unit (``absolute: 10``: within
        10 percentage points for an indicator measured in %).
    """

    ratio: Annotated[Number, _between(1.0, None, lo_open=True)] | None = None
    relative: Annotated[Number, _between(0.0, None, lo_open=True)] | None = None
    absolute: Annotated[Number, _between(0.0, None, lo_open=True)] | None = None

    @property
    def is_off(self) -> bool:
        """An empty spec (``change: false``): no year-on-year limit."""
        return self.ratio is None and self.relative is None and self.absolute is None

    def to_data(self) -> dict[str, float] | Literal[False]:
        """The YAML form: ``{ratio: 3}`` …, or ``False`` when empty."""
        out = _drop_none(
            {"ratio": self.ratio, "relative": self.relative, "absolute": self.absolute}
        )
        return out or False


def _change_off(value: object) -> object:
    """``change: false`` -> the empty :class:`ChangeSpec` (no limit)."""
    return {} if value is False else value


class CrossCheck(_Model):
    """A rule between indicators (交叉校验), e.g. ``budget_revenue <= gdp`` or
    ``income_ratio == urban_income / rural_income``; see
    :mod:`kaoping.methodology.plausibility` for the expressions accepted."""

    id: Id
    name: Text
    name_en: Text | None = None
    rule: Text
    tolerance: Annotated[Number, _between(0.0, 1.0)] = 0.01
    severity: Annotated[StrictStr, _choice("severity", SEVERITIES)] = "hard"

    def to_data(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class PlausibilitySpec(_Model):
    """The methodology's plausibility rules beyond each indicator's own (合理性检查).

    ``change`` is the year-on-year limit of every indicator that sets none (default
    ``{ratio: 3}``; ``change: null`` for none); ``checks`` are the cross-checks.
    """

    change: Annotated[ChangeSpec | None, BeforeValidator(_change_off)] = ChangeSpec(ratio=3.0)
    checks: tuple[CrossCheck, ...] = ()

    def to_data(self) -> dict[str, Any]:
        return {
            "change": self.change.to_data() if self.change is not None else False,
            "checks": [c.to_data() for c in self.checks],
        }


class Tier(_Model):
    """A tier (方阵, 等次): by rank cut-off (``max_rank``) or score threshold (``min_score``).

    Tiers are listed from the best.  The last tier may give neither: it takes the rest.
    ``name_en`` is the tier's English name (``First tier``), shown where the page or report is
    in English; without it the Chinese name is shown.
    """

    name: Text
    max_rank: Annotated[StrictInt, _between(1, None)] | None = None
    min_score: Number | None = None
    name_en: Text | None = None

    def to_data(self) -> dict[str, Any]:
        return _drop_none(
            {
                "name": self.name,
                "name_en": self.name_en,
                "max_rank": self.max_rank,
                "min_score": self.min_score,
            }
        )


class StarLevel(_Model):
    """One star level (星级) of :class:`StarsSpec`: the lowest score that earns it and, in
    ``minima``, the lowest value of named indicators (``{tax_per_mu: 30}``: 亩均税收 >= 30).

    A level's minima bind that level only; :mod:`kaoping.scoring.stars` also requires every
    lower level's, so a park is eligible for a level when it meets the score and minima of
    that level and of each below it.
    """

    star: Annotated[StrictInt, _between(1, 5)]
    min_score: Annotated[Number, _between(0.0, 100.0)]
    name: Text | None = None
    name_en: Text | None = None
    minima: Params = Params()
    """Indicator id -> the lowest value; numbers, checked with the rest of the file."""

    def to_data(self) -> dict[str, Any]:
        out = _drop_none(
            {
                "star": self.star,
                "name": self.name,
                "name_en": self.name_en,
                "min_score": self.min_score,
            }
        )
        if self.minima:
            out["minima"] = dict(self.minima)
        return out


class StarsSpec(_Model):
    """The star-level rule (星级评定) of a park methodology, e.g. ``park_hqd``.

    ``levels`` are the stars 1, 2 … in order, each with a higher ``min_score`` than the one
    before; ``gate`` is the 门槛 score below which a park loses every star (demoted to 市级
    专业园区 / no star); ``max_step_up`` is how many stars a park may rise in one year
    (default 1).  Applied by :class:`kaoping.scoring.stars.StarRule`.
    """

    gate: Annotated[Number, _between(0.0, 100.0)]
    levels: tuple[StarLevel, ...]
    max_step_up: Annotated[StrictInt, _between(1, None)] = 1

    def to_data(self) -> dict[str, Any]:
        return {
            "gate": self.gate,
            "max_step_up": self.max_step_up,
            "levels": [level.to_data() for level in self.levels],
        }


# ---------------------------------------------------------------------------------------------
# The tree
# ---------------------------------------------------------------------------------------------


class Indicator(_Model):
    """One indicator (指标), a leaf of the tree.

    See the module documentation of :mod:`kaoping.methodology` for every field.
    """

    id: Id
    name: Text
    direction: Direction
    name_en: Text | None = None
    unit: Text | None = None
    optimum: Number | None = None
    weight: Weight = 1.0
    definition: Text | None = None
    caliber: Text | None = None
    frequency: Text | None = None
    owner: Text | None = None
    lower: Number | None = None
    upper: Number | None = None
    target: Number | None = None
    aliases: tuple[Text, ...] = ()
    kind: Annotated[StrictStr, _choice("kind", KINDS)] | None = None
    min: Number | None = None
    max: Number | None = None
    soft_min: Number | None = None
    soft_max: Number | None = None
    change: Annotated[ChangeSpec | None, BeforeValidator(_change_off)] = None
    """Year-on-year limit; None: the methodology's default (``plausibility.change``);
    ``change: false`` (an empty :class:`ChangeSpec`): none for this indicator."""

    @property
    def is_scored(self) -> bool:
        """False for constraint (约束) indicators, which are listed but never scored."""
        return self.direction != "constraint"

    @property
    def labels(self) -> tuple[str, ...]:
        """Every header that names this indicator: id, Chinese and English name, aliases."""
        names = [self.id, self.name, *([self.name_en] if self.name_en else []), *self.aliases]
        return tuple(dict.fromkeys(names))

    def to_data(self) -> dict[str, Any]:
        out = self.model_dump(exclude_none=True)
        if not self.aliases:
            del out["aliases"]
        else:
            out["aliases"] = list(self.aliases)
        if not self.is_scored:
            out.pop("weight")
        if self.change is not None:
            out["change"] = self.change.to_data()
        return out


class Dimension(_Model):
    """A node of the tree (维度 / 子维度): sub-dimensions in ``children`` or, at a leaf,
    ``indicators`` — never both.

    An ``ahp`` matrix compares the node's children in listed order: its sub-dimensions, or at
    a leaf its *scored* indicators (constraint indicators are skipped).
    """

    id: Id
    name: Text
    name_en: Text | None = None
    description: Text | None = None
    weight: Weight = 1.0
    ahp: AhpMatrix | None = None
    aggregation: AggregationSpec | None = None
    children: tuple[Dimension, ...] = ()
    indicators: tuple[Indicator, ...] = ()

    @property
    def is_leaf(self) -> bool:
        """True when the node holds indicators."""
        return bool(self.indicators)

    @property
    def scored_indicators(self) -> tuple[Indicator, ...]:
        """The node's own indicators that are scored (not constraint)."""
        return tuple(i for i in self.indicators if i.is_scored)

    @property
    def scored_below(self) -> tuple[Indicator, ...]:
        """Every scored indicator below the node, at any depth, in tree order."""
        out = list(self.scored_indicators)
        for child in self.children:
            out += child.scored_below
        return tuple(out)

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "name": self.name}
        out.update(_drop_none({"name_en": self.name_en, "description": self.description}))
        out["weight"] = self.weight
        if self.ahp is not None:
            out["ahp"] = [list(row) for row in self.ahp]
        if self.aggregation is not None:
            out["aggregation"] = self.aggregation.to_data()
        if self.children:
            out["children"] = [c.to_data() for c in self.children]
        if self.indicators:
            out["indicators"] = [i.to_data() for i in self.indicators]
        return out


class Methodology(_Model):
    """A methodology (考核办法): the indicator tree and the method choices.

    Build one with :func:`kaoping.methodology.load`; see :mod:`kaoping.methodology` for the
    YAML keys.  Weights are relative and rescaled among siblings by the assessment.
    """

    id: Id
    name: Text
    name_en: Text | None = None
    version: Annotated[Text | None, BeforeValidator(_int_to_text)] = None
    document: Text | None = None
    year: StrictInt | None = None
    description: Text | None = None
    normalization: NormalizationSpec = NormalizationSpec()
    weighting: WeightingSpec = WeightingSpec()
    aggregation: AggregationSpec = AggregationSpec()
    missing: MissingSpec = MissingSpec()
    treat_outliers: StrictBool = False
    tiers: tuple[Tier, ...] = ()
    ahp: AhpMatrix | None = None
    dimensions: tuple[Dimension, ...]
    plausibility: PlausibilitySpec = PlausibilitySpec()
    stars: StarsSpec | None = None
    """The star-level rule of a park methodology (``stars:``), or None."""
    official: OfficialSpec | None = None
    """The official path (考核评价: points, targets, bonus/penalty, veto, awards), or None for
    the academic path; see :mod:`kaoping.methodology.official`."""

    _indicators: tuple[Indicator, ...] = PrivateAttr(default=())
    _nodes: tuple[Dimension, ...] = PrivateAttr(default=())
    _parents: dict[str, Dimension | None] = PrivateAttr(default_factory=dict)
    _by_id: dict[str, Indicator] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        nodes: list[Dimension] = []
        indicators: list[Indicator] = []

        def visit(node: Dimension, parent: Dimension | None) -> None:
            nodes.append(node)
            self._parents.setdefault(node.id, parent)
            for child in node.children:
                visit(child, node)
            for ind in node.indicators:
                indicators.append(ind)
                self._parents.setdefault(ind.id, node)
                self._by_id.setdefault(ind.id, ind)

        for top in self.dimensions:
            visit(top, None)
        self._nodes = tuple(nodes)
        self._indicators = tuple(indicators)

    # -- the tree ------------------------------------------------------------------------------

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """All indicators in tree order, constraint ones included."""
        return self._indicators

    @property
    def scored_indicators(self) -> tuple[Indicator, ...]:
        """The indicators that are scored (all but constraint), in tree order."""
        return tuple(i for i in self._indicators if i.is_scored)

    def indicator(self, id: str) -> Indicator:
        """The indicator with this id.

        Raises
        ------
        KeyError
            For an unknown id, naming the closest known ones.
        """
        try:
            return self._by_id[id]
        except KeyError:
            raise KeyError(_unknown(id, "indicator", list(self._by_id))) from None

    def dimension(self, id: str) -> Dimension:
        """The dimension (any level) with this id; ``KeyError`` when unknown."""
        for node in self._nodes:
            if node.id == id:
                return node
        raise KeyError(_unknown(id, "dimension", [n.id for n in self._nodes]))

    def nodes(self) -> Iterator[Dimension]:
        """Every dimension, depth-first, parents before children."""
        return iter(self._nodes)

    def parent_of(self, id: str) -> Dimension | None:
        """The dimension holding the indicator or dimension ``id`` (None at the top level)."""
        try:
            return self._parents[id]
        except KeyError:
            raise KeyError(_unknown(id, "indicator or dimension", list(self._parents))) from None

    def leaf_groups(self) -> list[tuple[Dimension, list[Indicator]]]:
        """Each leaf dimension with its scored indicators, in tree order."""
        return [(n, list(n.scored_indicators)) for n in self._nodes if n.is_leaf]

    def name_to_id(self) -> dict[str, str]:
        """Map every id, Chinese name, English name and alias to the indicator id.

        Used to recognise column headers; validation guarantees that no label names two
        indicators.
        """
        out: dict[str, str] = {}
        for ind in self._indicators:
            for label in ind.labels:
                out.setdefault(label, ind.id)
        return out

    def aggregation_of(self, node: Dimension | None) -> AggregationSpec:
        """The aggregation used to combine ``node``'s children (None: the top-level index)."""
        if node is not None and node.aggregation is not None:
            return node.aggregation
        return self.aggregation

    @property
    def tier_kind(self) -> Literal["rank", "score"] | None:
        """``"rank"`` (tiers by ``max_rank``), ``"score"`` (by ``min_score``) or None."""
        if any(t.max_rank is not None for t in self.tiers):
            return "rank"
        if any(t.min_score is not None for t in self.tiers):
            return "score"
        return None

    # -- identity ------------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """The methodology as plain data in the YAML format (what :func:`dumps` writes)."""
        out: dict[str, Any] = {"id": self.id, "name": self.name}
        out.update(
            _drop_none(
                {
                    "name_en": self.name_en,
                    "version": self.version,
                    "document": self.document,
                    "year": self.year,
                    "description": self.description,
                }
            )
        )
        out["normalization"] = self.normalization.to_data()
        out["weighting"] = self.weighting.to_data()
        out["aggregation"] = self.aggregation.to_data()
        out["missing"] = self.missing.to_data()
        out["treat_outliers"] = self.treat_outliers
        if self.tiers:
            out["tiers"] = [t.to_data() for t in self.tiers]
        if self.ahp is not None:
            out["ahp"] = [list(row) for row in self.ahp]
        out["dimensions"] = [d.to_data() for d in self.dimensions]
        if self.plausibility != PlausibilitySpec():
            out["plausibility"] = self.plausibility.to_data()
        if self.stars is not None:
            out["stars"] = self.stars.to_data()
        if self.official is not None:
            out["official"] = self.official.to_data()
        return out

    @property
    def is_official(self) -> bool:
        """Whether the methodology takes the official path (it has an ``official:`` section)."""
        return self.official is not None

    def fingerprint(self) -> str:
        """SHA-256 (hex) of a canonical JSON dump of every field.

        Canonical: keys sorted, UTF-8, no spaces, every number as a float (so ``weight: 1``
        and ``weight: 1.0`` agree), prefixed with a format tag.  Two methodologies have the
        same fingerprint exactly when they are equal; a published assessment stores it.
        """
        # without stars the dump is what it was before stars existed: fingerprints stay
        exclude = {"official"} if self.stars is not None else {"official", "stars"}
        data = _canonical(self.model_dump(mode="json", exclude=exclude))
        if self.official is not None:  # its YAML form: the folder it was read from is not part
            data["official"] = _canonical(self.official.to_data())
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(("kaoping.methodology/1\n" + text).encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value) + 0.0  # + 0.0 turns -0.0 into 0.0
    if isinstance(value, Mapping):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _unknown(key: str, kind: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=3)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    return f"unknown {kind} {key!r}{hint}"
