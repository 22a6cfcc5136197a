"""Methodologies (考核办法): the indicator tree and the method choices, one YAML file each.

A methodology file is read with :func:`load` (or :func:`loads` for text) into a frozen
:class:`Methodology`.  Every problem in the file is reported at once, each with a stable code,
a Chinese and an English message saying what is wrong and how to fix it, and its line::

    county.yaml:14: 指标 rd_intensity 的权重必须为非负数，收到 -0.2。…

Example
-------
.. code-block:: yaml

    id: county_hq
    name: 县域经济高质量发展综合评价
    name_en: County high-quality development index
    version: "2025"
    document: 焦政办〔2025〕12号
    year: 2025
    normalization: {method: minmax, range: [1, 100]}
    weighting: fixed
    aggregation: geometric
    missing: {method: skip, min_share: 0.5}
    tiers: [{name: 第一方阵, max_rank: 3}, {name: 第二方阵, max_rank: 6}, {name: 第三方阵}]
    dimensions:
      - id: innovation
        name: 创新发展
        weight: 1
        indicators:
          - {id: rd_intensity, name: R&D经费投入强度, unit: "%", direction: positive}
          - {id: energy_per_gdp, name: 单位GDP能耗, unit: 吨标准煤/万元, direction: 逆向}

Keys starting with ``x-`` are ignored at every level; they are the place for YAML anchors
that indicators share through merge keys (``x-stat: &stat {owner: 统计局}``, then
``- {<<: *stat, id: gdp, …}``) and for notes.

Top-level keys
--------------
``id`` (required)
    Identifier: starts with a letter or ``_``, then letters, digits, ``_``, ``-``.  The same
    rule applies to every dimension and indicator id.
``name`` (required), ``name_en``, ``description``
    Chinese name, English name, free text.
``version``, ``document``, ``year``
    Version label (text; an unquoted whole number such as ``2025`` is read as text),
    document number (文号, e.g. 焦政办〔2025〕12号), assessment year (whole number).
``normalization``
    A method name or ``{method: NAME, range: [lo, hi], PARAM: VALUE …}``; default
    ``minmax`` with range ``[0, 100]``.  Methods: ``minmax`` (极差), ``zscore``, ``rank``
    (percentile rank), ``goalposts`` (each scored indicator needs ``lower`` and ``upper``),
    ``vector``, ``fracmax``, ``dist2max``, ``target`` (completion rate against a target).
    ``range`` maps the [0, 1] output of ``minmax``, ``goalposts`` and ``dist2max`` to
    ``lo + (hi - lo) y`` and is refused for the other methods.  Parameters: ``zscore``:
    ``ddof`` (0 or 1, default 1), ``center`` and ``scale`` (report ``center + scale * z``);
    ``target``: ``cap`` (e.g. 1.2, or null).  Parameters may also be nested under ``params:``.
``weighting``
    A method name or mapping; default ``fixed``.  ``fixed`` uses the ``weight`` written on
    each node and indicator; ``equal``; ``entropy`` (option ``shift`` >= 0); ``critic``; ``cv``;
    ``ahp`` (options ``ri``: ``saaty1980`` default, ``saaty2005``, ``donegan_dodd1991``;
    ``strict``: true makes CR >= 0.10 an error), which needs an ``ahp``
    matrix on every node with two or more children; ``combine``:
    ``{method: combine, subjective: fixed|equal|ahp, objective: entropy|critic|cv, alpha: 0.5,
    mode: additive|multiplicative}``.  An option that the chosen method does not use is an
    error.
``aggregation``
    A method name or mapping; default ``arithmetic``.  ``arithmetic``, ``geometric``,
    ``harmonic``, ``generalized`` (``p`` required, non-zero), ``topsis`` (``normalization``:
    ``vector`` default or ``minmax``), ``gra`` (``rho`` in (0, 1], default 0.5), ``vikor``
    (``v`` in [0, 1], default 0.5), ``copeland``.  ``geometric``, ``harmonic`` and
    ``generalized`` with ``p < 0`` need normalised values above 0: they are refused over
    ``zscore`` or ``rank``, and over a ``range`` starting at 0 or below (use ``[1, 100]``).
    (``vector``, ``fracmax`` and ``target`` reach 0 only when a value is 0: a data question,
    checked when the scores are computed.)
``missing``
    ``error`` (default), ``skip`` (weights rescaled over the available children),
    ``mean``, ``median``, ``category_mean``, ``carry_forward``; or
    ``{method: skip, min_share: 0.5}`` (``min_share`` in (0, 1], only with ``skip``).
``treat_outliers``
    ``true``: winsorise or log-transform skewed indicators before normalising (METHODS.md).
``tiers``
    Tiers (方阵, 等次) from the best: ``{name, max_rank}`` (rank <= max_rank; max_rank
    increasing) or ``{name, min_score}`` (score >= min_score; min_score decreasing), all of one
    kind.  The last tier may give neither: it takes every remaining unit.  ``name_en``: the
    tier's English name (``{name: 第一方阵, name_en: First tier, max_rank: 30}``), shown on
    English pages.
``ahp``
    Pairwise comparison matrix over the top-level dimensions, in listed order.
``official``
    The official path (考核评价): a scoring table (计分表: points per indicator, per category,
    and one rule each — completion, efficacy, vs_average, rank_points, bands,
    benchmark_ratio, level_and_growth, judged), targets, categories, bonus and penalty items,
    veto items, an entry gate, awards and components.  Without it the methodology is academic.
    See :mod:`kaoping.methodology.official` for every key.
``base``
    Another methodology to start from: the name of a bundled methodology (``county_hqd``) or,
    for a methodology read from a file (:func:`load`), the name of a file in the same folder
    as this one (``base: ours.yaml``; no directory parts, so never ``../x.yaml``,
    ``sub/x.yaml`` or ``/etc/x.yaml``).  A methodology given as text (:func:`loads`, as the
    web platform reads an uploaded one) may name only a bundled methodology: it can never
    make the server read one of its files.  The file must be a regular file (never a
    folder, a named pipe or a device) of at most 2 MB, like every methodology file, and a
    chain of bases may be at most 8 long.  Every top-level key this file does not set is taken from
    the base (its tree, tiers, methods …), except ``id``, ``name``, ``name_en`` and
    ``description``, which each file gives itself.  A key set here replaces the base's
    whole value (``dimensions`` replaces the whole tree).  Problems in the base are reported
    at their lines in the base's file.  Example: ``base: county_hqd`` with
    ``weighting: entropy`` and ``aggregation: topsis`` is the bundled
    ``county_hqd_entropy_topsis``.
``plausibility``
    ``{change: {ratio: 3}, checks: [...]}``: the year-on-year limit of every indicator that
    sets none (default ``{ratio: 3}``; ``change: false`` for none) and the cross-checks
    between indicators (``{id, name, rule: budget_revenue <= gdp, tolerance: 0.01, severity:
    hard|soft}``).  See :mod:`kaoping.methodology.plausibility`.
``dimensions`` (required, non-empty)
    The tree.

Dimension keys
--------------
``id``, ``name`` (required), ``name_en``, ``description``; ``weight`` (default 1, >= 0,
relative: rescaled among siblings, which may not all be 0); ``ahp``: a pairwise matrix over
the node's children in listed order — its sub-dimensions, or at a leaf its *scored*
indicators (constraint indicators are skipped) — with entries written as numbers or fractions
(``"1/3"``), positive, reciprocal (:math:`a_{ji} = 1/a_{ij}` to a relative 1e-6, as
:mod:`kaoping.methods` requires: write ``"1/3"``, not a rounded 0.333) and 1 on the
diagonal; ``aggregation``: overrides the top-level aggregation for combining this node's
children; ``children`` (sub-dimensions, to any depth)
*or* ``indicators`` — exactly one of the two.

Indicator keys
--------------
``id``, ``name`` (Chinese), ``direction`` (required): ``positive`` / 正向, ``negative`` /
逆向 (负向), ``moderate`` / 适度 (needs ``optimum``), ``constraint`` / 约束 (listed, never
scored: no ``weight``, excluded from normalisation, weights and aggregation).  Optional:
``name_en``, ``unit``, ``optimum`` (only for moderate), ``weight`` (default 1, >= 0),
``definition``, ``caliber`` (统计口径), ``frequency``, ``owner`` (数据提供部门), ``lower`` and
``upper`` (goalposts, ``lower < upper`` even for negative indicators), ``target`` (default
target for ``target`` normalisation, > 0), ``aliases`` (other column headers that mean this
indicator).  Ids, names, English names and aliases must not name two indicators.
Plausibility (合理性): ``kind`` (``share`` 0-100, ``count`` whole >= 0, ``amount`` >= 0,
``growth`` >= -100), ``min``/``max`` (the hard range: a figure outside is refused),
``soft_min``/``soft_max`` (outside, a figure needs a note) and ``change`` (year-on-year limit:
``{ratio: 3}``, ``{relative: 0.5}`` or ``{absolute: 10}``; ``false`` for none), applied by the
command line, the web form, the upload and the review page alike
(:mod:`kaoping.methodology.plausibility`).

Problem codes
-------------
All codes start with ``methodology.``: ``yaml_syntax``, ``empty``, ``not_a_mapping``,
``duplicate_key``, ``bad_key``, ``file_not_found``, ``unreadable``, ``not_utf8``,
``unknown_key``, ``missing_key``, ``wrong_type``, ``empty_text``, ``bad_id``,
``duplicate_id``, ``duplicate_name``, ``unknown_direction``, ``unknown_method``,
``unknown_option``, ``unused_key``, ``bad_param``, ``out_of_range``, ``bad_range``,
``negative_weight``, ``zero_weights``, ``missing_optimum``, ``missing_goalposts``,
``bad_goalposts``, ``bad_target``, ``ahp_bad_entry``, ``ahp_not_positive``,
``ahp_not_square``, ``ahp_wrong_size``, ``ahp_not_reciprocal``, ``ahp_missing``,
``aggregation_needs_positive``, ``tier_threshold``, ``tiers_mixed``,
``tiers_not_increasing``, ``duplicate_tier``, ``children_and_indicators``, ``empty_node``,
``no_scored_indicators``, ``no_dimensions``, ``recursive_alias``, ``invalid_value``,
``base_not_found``, ``base_not_allowed``, ``base_cycle``, ``too_large`` (a file over 2 MB,
or YAML aliases expanding to more than 100,000 nodes), ``too_deep`` (mappings and lists nested
more than 64 levels), ``bad_change``, ``bad_rule``, ``unknown_indicator``.

The AHP consistency ratio is computed with the weights (:mod:`kaoping.methods.weights`), not
here.

References
----------
OECD/JRC (2008), *Handbook on Constructing Composite Indicators: Methodology and User Guide*,
OECD Publishing, https://doi.org/10.1787/9789264043466-en — steps 5-6 (normalisation,
weighting and aggregation) and the choices a methodology records.
"""

from kaoping.methodology.loader import (
    bundled,
    check,
    check_text,
    dumps,
    load,
    loads,
    resolve,
    validate,
)
from kaoping.methodology.model import (
    AGGREGATION_METHODS,
    DIRECTIONS,
    MISSING_METHODS,
    NORMALIZATION_METHODS,
    RANGE_METHODS,
    RI_TABLES,
    WEIGHTING_METHODS,
    AggregationSpec,
    Dimension,
    Indicator,
    Methodology,
    MissingSpec,
    NormalizationSpec,
    Params,
    Tier,
    WeightingSpec,
)

__all__ = [
    "AGGREGATION_METHODS",
    "DIRECTIONS",
    "MISSING_METHODS",
    "NORMALIZATION_METHODS",
    "RANGE_METHODS",
    "RI_TABLES",
    "WEIGHTING_METHODS",
    "AggregationSpec",
    "Dimension",
    "Indicator",
    "Methodology",
    "MissingSpec",
    "NormalizationSpec",
    "Params",
    "Tier",
    "WeightingSpec",
    "bundled",
    "check",
    "check_text",
    "dumps",
    "load",
    "loads",
    "resolve",
    "validate",
]
