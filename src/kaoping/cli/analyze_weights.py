"""``kaoping analyze weights``, ``ahp``, ``bod`` and ``mpi``: weights from the data, AHP from a
pairwise matrix, Benefit of the Doubt and the Mazziotta-Pareto indices.

The library does the work (:mod:`kaoping.analysis.weighting`); these commands assess the period
asked for (``-p``, default the latest) and print, write (``-o OUT.xlsx``) or dump (``--json``)
the tables:

* ``weights --method pca|pca-coinr|pca-oecd|entropy-shares|ahp-approx``: per indicator the
  weight the method derives, beside the methodology's; for PCA the eigenvalues and the
  component matrix (for ``pca-oecd`` the varimax-rotated loadings and their squares scaled to
  unity sum, ``--factors K`` to keep K factors);
  ``ahp-approx`` reads its pairwise matrix from ``--matrix FILE``;
* ``ahp MATRIX``: the same AHP weights from a matrix file alone (no data needed);
* ``bod``: per unit its Benefit-of-the-Doubt score and each dimension's share of it
  (``--detail``: each indicator's share and weight), with ``--lower``/``--upper`` share bounds;
* ``mpi``: per unit the MPI (``--adjusted``: AMPI) with its mean, sd and cv.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kaoping.cli import _methodology_option, _t, domain_errors
from kaoping.cli.analyze import Inputs, Section, analyze, emit, input_options, output_options
from kaoping.errors import get_language

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pandas as pd

    from kaoping.analysis.weighting import DataWeights
    from kaoping.methodology import Methodology

__all__ = ["ahp_command", "bod_command", "mpi_command", "weights_command"]

WEIGHT_HEADERS: dict[str, tuple[str, str]] = {
    "effective_weight": ("有效权重", "Effective weight"),
    "current_weight": ("现行权重", "Current weight"),
    "coefficient": ("系数", "Coefficient"),
    "negative": ("系数为负", "Negative"),
    "n": ("样本数", "Values"),
    "component": ("主成分", "Component"),
    "eigenvalue": ("特征值", "Eigenvalue"),
    "explained": ("方差贡献率", "Share of variance"),
    "cumulative": ("累计贡献率", "Cumulative share"),
    "retained": ("保留", "Retained"),
    "factor": ("所属因子", "Factor"),
    "rotated_variance": ("旋转后方差", "Rotated variance"),
    "factor_weight": ("因子权重", "Factor weight"),
    "item": ("项目", "Item"),
}
BOD_HEADERS: dict[str, tuple[str, str]] = {
    "bod_score": ("BoD 得分", "BoD score"),
    "bod_rank": ("BoD 排名", "BoD rank"),
    "efficient": ("得分为 1", "Score 1"),
    "score": ("综合得分", "Index score"),
    "rank": ("排名", "Index rank"),
}
MPI_HEADERS: dict[str, tuple[str, str]] = {
    "mean": ("均值 M", "Mean M"),
    "sd": ("标准差 S", "SD S"),
    "cv": ("变异系数 cv", "CV"),
    "mpi": ("MPI", "MPI"),
    "mpi_rank": ("MPI 排名", "MPI rank"),
    "ampi": ("AMPI", "AMPI"),
    "ampi_rank": ("AMPI 排名", "AMPI rank"),
    "lower": ("下目标值", "Lower goalpost"),
    "upper": ("上目标值", "Upper goalpost"),
    "score": ("综合得分", "Index score"),
    "rank": ("排名", "Index rank"),
}
_METHODS = {
    "pca": ("主成分分析法（中文文献的做法）", "PCA (Chinese papers' convention)"),
    "pca-coinr": ("主成分分析法（COINr 的第一主成分载荷）", "PCA (COINr's first component)"),
    "pca-oecd": (
        "因子分析法（OECD/JRC 手册：方差最大化旋转，载荷平方归一）",
        "factor analysis (OECD/JRC Handbook: varimax, squared loadings scaled to unity sum)",
    ),
    "entropy-shares": ("熵值法（原始值占比）", "entropy on raw shares"),
    "ahp-approx": ("层次分析法（和积法近似）", "AHP (approximate method)"),
}


def _quiet(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a library call; its KaopingWarnings are on its notes, printed once below."""
    from kaoping.errors import KaopingWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        return fn(*args, **kwargs)


def _ids(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def _notes(notes: Any) -> list[str]:
    lang = get_language()
    return [zh if lang == "zh" else en for zh, en in notes]


def _english_names(methodology: Methodology | None, frame: pd.DataFrame) -> pd.DataFrame:
    """In English, the indicators' (and dimensions') English names where they have them."""
    if get_language() == "zh" or methodology is None or "name" not in frame.columns:
        return frame
    english = {i.id: i.name_en or i.name for i in methodology.indicators}
    english |= {n.id: n.name_en or n.name for n in methodology.nodes()}
    out = frame.copy()
    out["name"] = [english.get(str(i), n) for i, n in zip(frame.index, frame["name"], strict=True)]
    return out


def _dimension_headers(methodology: Methodology | None) -> dict[str, tuple[str, str]]:
    if methodology is None:
        return {}
    return {n.id: (n.name, n.name_en or n.id) for n in methodology.nodes()}


def _read_matrix(path: Path) -> pd.DataFrame:
    """A pairwise matrix from CSV (UTF-8 or GBK) or xlsx: labels in the first column and the
    header row; cells numbers or fractions such as 1/3."""
    import pandas as pd

    from kaoping.analysis.weighting import pairwise_matrix

    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raw = pd.read_excel(path, dtype=object, engine="openpyxl")
    elif suffix in (".csv", ".txt"):
        try:
            raw = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
        except UnicodeDecodeError:
            raw = pd.read_csv(path, dtype=str, encoding="gbk")
    else:
        raise click.BadParameter(
            _t(
                f"判断矩阵文件须为 .csv 或 .xlsx，收到 {path.name}。",
                f"the pairwise matrix must be a .csv or .xlsx file, got {path.name}.",
            ),
            param_hint="--matrix",
        )
    with _located(path):
        return pairwise_matrix(raw)


@contextlib.contextmanager
def _located(path: Path) -> Iterator[None]:
    """The matrix's problems located in its file (not in the library's ``matrix`` argument)."""
    from kaoping.errors import InputError

    try:
        yield
    except InputError as exc:
        raise InputError([dataclasses.replace(p, where=path.name) for p in exc.problems]) from exc


def _weights_sections(
    dw: DataWeights, methodology: Methodology | None, title_zh: str, title_en: str
) -> list[Section]:
    import pandas as pd

    headers = {**WEIGHT_HEADERS, **_dimension_headers(methodology)}
    table = _english_names(methodology, dw.table)
    loading_cols = [c for c in table.columns if str(c).startswith("loading_")]
    squared_cols = [c for c in table.columns if str(c).startswith("squared_")]
    rotated = dw.method == "pca_oecd"
    for c in loading_cols:
        k = str(c).removeprefix("loading_")
        headers[str(c)] = (
            (f"因子{k}载荷", f"Loading {k}") if rotated else (f"成分{k}载荷", f"Loading {k}")
        )
    for c in squared_cols:
        k = str(c).removeprefix("squared_")
        headers[str(c)] = (f"因子{k}载荷平方（归一）", f"Squared loading {k} (scaled)")
    main = table.drop(columns=[*loading_cols, *squared_cols])
    if dw.method.startswith("ahp"):
        main = main.drop(columns=["current_weight"])
    sections = [Section("weights", title_zh, title_en, main, headers=headers)]
    if not dw.components.empty:
        sections.append(
            Section(
                "components",
                "主成分：特征值与方差贡献率",
                "Components: eigenvalues and shares of variance",
                dw.components,
                index=False,
                headers=headers,
            )
        )
    if loading_cols and rotated:
        sections.append(
            Section(
                "loadings",
                "旋转后的因子载荷矩阵（主成分提取，方差最大化旋转）及载荷平方（各因子内归一）",
                "Rotated factor loadings (principal components, varimax) and squared loadings "
                "(scaled to unity sum within each factor)",
                table[["name", "dimension", "factor", *loading_cols, *squared_cols]],
                headers=headers,
            )
        )
    elif loading_cols:
        loadings = table[["name", "dimension", *loading_cols]]
        sections.append(
            Section(
                "loadings",
                "成分矩阵（载荷 = 特征向量 × √特征值）",
                "Component matrix (loadings = eigenvector x sqrt(eigenvalue))",
                loadings,
                headers=headers,
            )
        )
    if dw.method.startswith("ahp"):
        items = {
            "lambda_max": ("最大特征根 λmax", "lambda_max"),
            "ci": ("一致性指标 CI", "consistency index CI"),
            "ri": ("随机一致性指标 RI", "random index RI"),
            "cr": ("一致性比率 CR", "consistency ratio CR"),
            "consistent": ("通过一致性检验（CR < 0.10）", "consistent (CR < 0.10)"),
            "ri_table": ("RI 表", "RI table"),
        }
        facts = pd.DataFrame(
            {
                "item": [_t(*items[k]) for k in items],
                "value": [
                    _t("是", "yes") if dw.facts[k] is True else
                    _t("否", "no") if dw.facts[k] is False else dw.facts[k]
                    for k in items
                ],
            }
        )  # fmt: skip
        sections.append(
            Section(
                "consistency",
                "一致性检验",
                "Consistency",
                facts.astype({"value": object}),
                index=False,
                headers=headers,
            )
        )
    return sections


@analyze.command("weights")
@input_options
@output_options
@click.option(
    "--method",
    type=click.Choice(list(_METHODS)),
    default="pca",
    show_default=True,
    help="pca (eigenvalue > 1, Chinese papers), pca-coinr (COINr's first component), "
    "pca-oecd (OECD/JRC Handbook factor analysis: varimax, squared loadings), "
    "entropy-shares (entropy of raw shares x / sum x), ahp-approx (AHP from --matrix).",
)
@click.option(
    "--by",
    type=click.Choice(["all", "dimension"]),
    default=None,
    help="One set of weights over every indicator, or within each dimension "
    "(default: dimension for pca-coinr, all otherwise).",
)
@click.option(
    "--retain",
    default="eigen1",
    show_default=True,
    help="pca: eigen1 (eigenvalue > 1) or a cumulative share of variance such as 0.85.",
)
@click.option(
    "--factors",
    type=click.IntRange(min=1),
    default=None,
    help="pca-oecd: keep exactly this many factors (default: the Handbook's rules, eigenvalue "
    "> 1, each > 10 % and together >= 60 % of the variance).",
)
@click.option("--indicators", "indicators_text", help="Indicator ids, comma-separated.")
@click.option(
    "--shift",
    type=click.FloatRange(min=0.0),
    default=0.0,
    show_default=True,
    help="entropy-shares: a constant added to every raw value first.",
)
@click.option(
    "--matrix",
    "matrix_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="ahp-approx: the pairwise comparison matrix (CSV or xlsx; labels in the first "
    "column and the header; cells such as 3 or 1/3).",
)
@domain_errors
def weights_command(
    inputs: Inputs,
    as_json: bool,
    output: Path | None,
    method: str,
    by: str | None,
    retain: str,
    factors: int | None,
    indicators_text: str | None,
    shift: float,
    matrix_path: Path | None,
) -> None:
    """Weights derived from the data (PCA, entropy on raw shares) or a pairwise matrix (AHP).

    \b
    数据驱动的权重：
      pca             主成分分析法：标准化后对相关系数矩阵做主成分分析，保留特征值 > 1
                      （或 --retain 0.85：累计贡献率达 85%）的主成分，综合得分系数
                      b_j = Σ_k e_jk λ_k / Σ_k λ_k，权重 w_j = |b_j| / Σ|b_l|；
      pca-coinr       COINr 的做法：第一主成分载荷的绝对值归一（默认在各维度内）；
      pca-oecd        OECD/JRC《综合指数构建手册》（2008）6.1 节的因子分析法：主成分提取，
                      保留特征值 > 1、贡献率各 > 10%、累计 >= 60% 的因子（或 --factors K），
                      方差最大化（varimax）旋转，载荷平方在各因子内归一，指标归入其值最大的
                      因子，因子按旋转后方差占比加权；
      entropy-shares  熵值法的“原始值占比”变体 p = x / Σx（pymcdm、scikit-criteria 的做法），
                      要求原始值非负；
      ahp-approx      层次分析法和积法：判断矩阵（--matrix）列归一化后按行平均，
                      λmax = mean((Aw)_i / w_i)，给出 CI、CR。
    与考核办法现行的权重并列显示。
    Example: kaoping analyze weights --demo --method pca --retain 0.85 -o 主成分权重.xlsx
    """
    from kaoping.analysis.weighting import data_weights, pairwise_weights

    methodology = inputs.methodology
    if method == "ahp-approx":
        if matrix_path is None:
            raise click.UsageError(
                _t(
                    "ahp-approx 需要判断矩阵：--matrix FILE（CSV 或 xlsx）。",
                    "ahp-approx needs the pairwise matrix: --matrix FILE (CSV or xlsx).",
                )
            )
        matrix = _read_matrix(matrix_path)
        with _located(matrix_path):
            dw = _quiet(pairwise_weights, matrix, method="approximate", methodology=methodology)
        title = ("层次分析法权重（和积法）", "AHP weights (approximate method)")
    else:
        if matrix_path is not None:
            raise click.UsageError(
                _t("--matrix 只用于 ahp-approx。", "--matrix is for --method ahp-approx only.")
            )
        if factors is not None and method != "pca-oecd":
            raise click.UsageError(
                _t("--factors 只用于 pca-oecd。", "--factors is for --method pca-oecd only.")
            )
        if shift and method != "entropy-shares":
            raise click.UsageError(
                _t(
                    "--shift 只用于 entropy-shares。",
                    "--shift is for --method entropy-shares only.",
                )
            )
        retain_value = _retain(retain, method)
        result = _quiet(inputs.result)
        dw = _quiet(
            data_weights, result, method, by=by, retain=retain_value, factors=factors,
            shift=shift, indicators=_ids(indicators_text),
        )  # fmt: skip
        title = (f"数据驱动的权重（{result.period}）", f"Weights from the data ({result.period})")
    zh, en = _METHODS[method]
    if method == "ahp-approx":
        notes = [_t(f"方法：{zh}。", f"method: {en}.")]
    else:
        gz, ge = (
            ("全部指标一起", "every indicator together")
            if dw.by == "all"
            else ("各维度内分别计算", "within each dimension")
        )
        notes = [_t(f"方法：{zh}；分组：{gz}。", f"method: {en}; grouping: {ge}.")]
    if method.startswith("pca"):
        notes.append(
            _t(
                "主成分分析基于评价结果的标准化值（已按指标方向处理，并经异常值处理）；"
                "有缺失值的单位按成列删除。",
                "the PCA reads the assessment's normalised values (directions applied, after "
                "outlier treatment); units with a missing value are left out (listwise).",
            )
        )
    if method == "pca-coinr":
        notes.append(
            _t(
                "COINr 本身存储带符号的第一主成分载荷；此处取绝对值并归一。与 COINr 在其 ASEM "
                "示例上的结果未做逐项核对。",
                "COINr itself stores the signed first-component loadings; here they are made "
                "non-negative and scaled to sum 1. Equality with COINr on its ASEM example was "
                "not checked.",
            )
        )
    emit(
        _weights_sections(dw, methodology, *title),
        as_json=as_json,
        output=output,
        notes=[*notes, *_notes(dw.notes)],
    )


def _retain(text: str, method: str) -> str | float:
    """``--retain``: eigen1 or a cumulative share in (0, 1], for ``--method pca`` only."""
    value = text.strip().lower()
    if value == "eigen1":
        return "eigen1"
    if method != "pca":
        raise click.UsageError(
            _t("--retain 只用于 --method pca。", "--retain is for --method pca only.")
        )
    try:
        share = float(value.removesuffix("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        share = math.nan
    if not 0 < share <= 1:
        raise click.BadParameter(
            _t(
                f"须为 eigen1（保留特征值 > 1 的主成分）或 (0, 1] 内的累计贡献率（如 0.85），"
                f"收到 {text}。",
                f"must be eigen1 (components with eigenvalue > 1) or a cumulative share of "
                f"variance in (0, 1] such as 0.85; got {text}.",
            ),
            param_hint="--retain",
        )
    return share


@analyze.command("ahp")
@click.argument("matrix_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_methodology_option("Methodology whose indicators or dimensions name the matrix's labels.")
@output_options
@click.option(
    "--method",
    type=click.Choice(["approximate", "eigenvector"]),
    default="approximate",
    show_default=True,
    help="Column-normalised row means (Saaty's approximation) or the principal eigenvector.",
)
@click.option(
    "--ri",
    "ri_table",
    type=click.Choice(["saaty1980", "saaty2005", "donegan_dodd1991"]),
    default="saaty1980",
    show_default=True,
    help="Random-index table for CR.",
)
@domain_errors
def ahp_command(
    matrix_path: Path,
    methodology_path: Path,
    as_json: bool,
    output: Path | None,
    method: str,
    ri_table: str,
) -> None:
    """AHP weights and consistency of a pairwise comparison matrix (no data needed).

    \b
    层次分析法：读入判断矩阵 MATRIX（CSV 或 xlsx，首列与首行为指标或维度，单元格如 3 或 1/3），
    默认用和积法（列归一化后按行平均，λmax = mean((Aw)_i / w_i)），或 --method eigenvector
    取主特征向量；给出 CI = (λmax − n)/(n − 1) 与 CR = CI / RI(n)，CR < 0.10 为通过。
    Example: kaoping analyze ahp 判断矩阵.csv --method eigenvector
    """
    from kaoping.analysis.weighting import pairwise_weights
    from kaoping.methodology import load

    methodology = load(methodology_path)
    matrix = _read_matrix(matrix_path)
    with _located(matrix_path):
        dw = _quiet(pairwise_weights, matrix, method=method, ri=ri_table, methodology=methodology)
    title = (
        ("层次分析法权重（和积法）", "AHP weights (approximate method)")
        if method == "approximate"
        else ("层次分析法权重（特征向量法）", "AHP weights (eigenvector)")
    )
    emit(
        _weights_sections(dw, methodology, *title),
        as_json=as_json,
        output=output,
        notes=_notes(dw.notes),
    )


@analyze.command("bod")
@input_options
@output_options
@click.option(
    "--lower",
    type=click.FloatRange(0.0, 1.0),
    help="Lower bound on every indicator's share of a unit's score (e.g. 0.01).",
)
@click.option(
    "--upper",
    type=click.FloatRange(0.0, 1.0),
    help="Upper bound on every indicator's share of a unit's score (e.g. 0.3).",
)
@click.option("--indicators", "indicators_text", help="Indicator ids, comma-separated.")
@click.option("--detail", is_flag=True, help="Also each indicator's share and weight per unit.")
@domain_errors
def bod_command(
    inputs: Inputs,
    as_json: bool,
    output: Path | None,
    lower: float | None,
    upper: float | None,
    indicators_text: str | None,
    detail: bool,
) -> None:
    """Benefit of the Doubt: each unit's score under the weights most favourable to it.

    \b
    “好处推定”（Benefit of the Doubt，BoD）：对每个单位求解线性规划
    max Σ w_j y_ij，s.t. 对所有单位 Σ w_j y_kj ≤ 1，w ≥ 0（HiGHS）；得分在 [0, 1]，
    为 1 表示没有任何权重能让别的单位显得更好。--lower/--upper 约束各指标在得分中的份额
    （Cherchye 等 2007 的 pie-share 约束）。y 为评价结果的标准化值。
    Example: kaoping analyze bod --demo --lower 0.01 --upper 0.2 -o BoD.xlsx
    """
    from kaoping.analysis.weighting import bod_scores
    from kaoping.errors import InputError

    if lower is not None and upper is not None and lower > upper:
        raise click.BadParameter(
            _t(
                f"份额下限 {lower:g} 高于上限（--upper）{upper:g}；请使下限不超过上限。",
                f"the lower share bound {lower:g} is above the upper one (--upper) {upper:g}; "
                "make it no higher.",
            ),
            param_hint="--lower",
        )
    result = _quiet(inputs.result)
    try:
        res = _quiet(bod_scores, result, lower, upper, indicators=_ids(indicators_text))
    except InputError as exc:
        codes = {p.code for p in exc.problems}
        if not all(c.startswith("analysis.bod_bound") for c in codes):
            raise
        hint = sorted({f"--{p.where}" for p in exc.problems if p.where})
        raise click.BadParameter(
            " ".join(_text(p) for p in exc.problems),
            param_hint="/".join(hint) or None,
        ) from None
    table = res.table.sort_values(
        ["bod_score", "score"], ascending=[False, False], kind="stable", na_position="last"
    )
    headers = {**BOD_HEADERS, **_dimension_headers(inputs.methodology)}
    shares = res.dimension_shares.reindex(table.index)
    shares.insert(0, "name", table["name"])
    period = result.period
    sections = [
        Section("bod", f"BoD 得分（{period}）", f"Benefit of the Doubt ({period})", table,
                headers=headers),
        Section("dimension_shares", f"各维度在 BoD 得分中的份额（{period}）",
                f"Dimensions' shares of the BoD score ({period})", shares, headers=headers),
    ]  # fmt: skip
    if detail:
        ind_headers = {i.id: (i.name, i.name_en or i.id) for i in inputs.methodology.indicators}
        sections += [
            Section("shares", "各指标在 BoD 得分中的份额", "Indicators' shares of the BoD score",
                    res.shares.reindex(table.index), headers=ind_headers),
            Section("weights", "BoD 最优权重（按标准化值）", "BoD optimal weights (on the "
                    "normalised values)", res.weights.reindex(table.index), headers=ind_headers,
                    digits=6),
        ]  # fmt: skip
    if lower is None and upper is None:
        bounds = _t(
            "未约束各指标在得分中的份额（可用 --lower/--upper 设定上下限）。",
            "the indicators' shares of the score are not bounded (--lower/--upper set bounds).",
        )
    else:
        parts = [
            _t(f"下限 {lower:g}", f"lower {lower:g}") if lower is not None else None,
            _t(f"上限 {upper:g}", f"upper {upper:g}") if upper is not None else None,
        ]
        given = [p for p in parts if p]
        bounds = _t(
            f"每个指标在得分中的份额：{'，'.join(given)}。",
            f"each indicator's share of the score: {', '.join(given)}.",
        )
    emit(sections, as_json=as_json, output=output, notes=[bounds, *_notes(res.notes)])


@analyze.command("mpi")
@input_options
@output_options
@click.option("--adjusted", is_flag=True, help="The adjusted MPI (AMPI, Mazziotta & Pareto 2016).")
@click.option(
    "--penalty",
    type=click.Choice(["negative", "positive"]),
    default="negative",
    show_default=True,
    help="negative: M - S cv (higher is better); positive: M + S cv.",
)
@click.option(
    "--values",
    "values_kind",
    type=click.Choice(["normalized", "raw"]),
    default="normalized",
    show_default=True,
    help="The assessment's normalised values, or the raw ones with their directions.",
)
@click.option(
    "--sample-sd",
    is_flag=True,
    help="MPI: sample standard deviations (as Compind's ci_mpi) instead of population ones.",
)
@click.option("--indicators", "indicators_text", help="Indicator ids, comma-separated.")
@domain_errors
def mpi_command(
    inputs: Inputs,
    as_json: bool,
    output: Path | None,
    adjusted: bool,
    penalty: str,
    values_kind: str,
    sample_sd: bool,
    indicators_text: str | None,
) -> None:
    """Mazziotta-Pareto index (MPI) or its adjusted form (AMPI) of every unit.

    \b
    Mazziotta-Pareto 指数：各指标标准化为均值 100、标准差 10（z = 100 ± 10 (x − M)/S，
    总体标准差），各单位取均值 M 并按其指标间的离散程度惩罚：MPI = M − S·cv（cv = S/M）。
    --adjusted：调整后的 AMPI，按目标值（参照值 ± 极差的一半，参照值默认为均值）换算到
    约 70–130 后同样惩罚。--sample-sd 用样本标准差（与 R 包 Compind 的 ci_mpi 相同）。
    Example: kaoping analyze mpi --demo --adjusted -o MPI.xlsx
    """
    from kaoping.analysis.weighting import mpi_scores

    if sample_sd and adjusted:
        raise click.UsageError(
            _t(
                "--sample-sd 只用于 MPI；AMPI 按定义用总体标准差。",
                "--sample-sd is for the MPI only; the AMPI uses population sds by definition.",
            )
        )
    result = _quiet(inputs.result)
    res = _quiet(
        mpi_scores, result, adjusted=adjusted, penalty=penalty, values=values_kind,
        ddof=1 if sample_sd else 0, indicators=_ids(indicators_text),
    )  # fmt: skip
    col = "ampi" if adjusted else "mpi"
    table = res.table.sort_values(
        [col, "score"], ascending=[False, False], kind="stable", na_position="last"
    )
    label = "AMPI" if adjusted else "MPI"
    period = result.period
    sections = [
        Section(col, f"Mazziotta-Pareto 指数 {label}（{period}）",
                f"Mazziotta-Pareto index {label} ({period})", table, headers=MPI_HEADERS),
    ]  # fmt: skip
    if adjusted:
        goal = _english_names(
            inputs.methodology,
            res.goalposts.assign(name=[_name(inputs.methodology, i) for i in res.goalposts.index])[
                ["name", "lower", "upper"]
            ],
        )
        sections.append(
            Section("goalposts", "AMPI 目标值（对应 70 与 130）", "AMPI goalposts (70 and 130)",
                    goal, headers=MPI_HEADERS),
        )  # fmt: skip
    what = (
        _t("标准化值", "normalised values")
        if values_kind == "normalized"
        else _t("原始值（按指标方向）", "raw values (with their directions)")
    )
    pz, pe = (
        ("负向惩罚 M − S·cv（越大越好）", "negative penalty M - S cv (higher is better)")
        if penalty == "negative"
        else ("正向惩罚 M + S·cv（越小越好）", "positive penalty M + S cv (lower is better)")
    )
    notes = [_t(f"{label}，{pz}，基于{what}。", f"{label}, {pe}, on the {what}.")]
    emit(sections, as_json=as_json, output=output, notes=[*notes, *_notes(res.notes)])


def _text(problem: Any) -> str:
    """A problem's message without its location prefix."""
    return str(problem.en if get_language() == "en" else problem.zh)


def _name(methodology: Methodology, indicator: object) -> str:
    try:
        return str(methodology.indicator(str(indicator)).name)
    except KeyError:
        return str(indicator)
