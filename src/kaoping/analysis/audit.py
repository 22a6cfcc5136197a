r"""The statistical audit of an assessment, as the JRC's COINr runs it (统计审计).

Before an index is published, its builders check that the data and the framework hold
together [COINr]_ [OECD2008]_:

- **indicator statistics** of the values assessed (:attr:`Audit.indicators`): availability,
  mean, spread, skewness and kurtosis, with the outlier flag of
  :func:`kaoping.methods.normalize.treat` (the flag the assessment's own outlier treatment
  uses) and COINr's availability flag;
- **correlations with the structure** (:attr:`Audit.parent_correlations`): each indicator with
  its dimension's score and with the index, each dimension with its parent and the index (an
  indicator that is weakly or negatively correlated with its parent pulls against it);
- **correlations within a dimension** (:attr:`Audit.within`): every pair of its members, so that
  near-duplicates (collinear pairs, double counting) and pairs pulling against each other show;
- **Cronbach's alpha** (:attr:`Audit.cronbach`): the internal consistency of each dimension's
  members;
- **principal components** (:attr:`Audit.pca`): the share of the members' variance the first
  principal component explains, and how many components have an eigenvalue above 1.

A *group* is a dimension with its members: a leaf dimension's scored indicators (their
normalised values, higher is better), a dimension's sub-dimensions (their scores), and the
index itself (key ``"score"``) with the top-level dimensions.

Missing values: correlations use every pair of values present (pairwise complete, as pandas'
``DataFrame.corr`` and COINr's ``use = "pairwise.complete.obs"``); Cronbach's alpha and the
principal components use the units with every member present (complete cases, as COINr's
``get_PCA``), and the audit's notes say how many units were left out.

References
----------
.. [COINr] Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E., Saisana, M.
   (2022). COINr: An R package for developing composite indicators. *Journal of Open Source
   Software* 7(78), 4567. https://doi.org/10.21105/joss.04567 (``get_stats``, ``get_corr``,
   ``get_corr_flags``, ``plot_corr``, ``get_cronbach``, ``get_PCA``).
.. [OECD2008] OECD/JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and
   User Guide*. OECD Publishing, Paris, Step 4 "Multivariate analysis".
   https://doi.org/10.1787/9789264043466-en
.. [Cronbach1951] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
   *Psychometrika* 16(3), 297-334. https://doi.org/10.1007/BF02310555
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from kaoping.errors import InputError, Problem

if TYPE_CHECKING:
    from kaoping.assess import Result
    from kaoping.assess.excel import SheetBlock
    from kaoping.methodology import Dimension, Methodology
    from kaoping.methods import FloatArray

__all__ = [
    "HEADERS",
    "INDEX",
    "Audit",
    "audit",
    "audit_blocks",
    "correlation_eigenvalues",
    "correlation_flag",
    "cronbach_alpha",
]

INDEX = "score"
"""The group key of the index (the top of the tree), as in ``Result.table``'s score column."""

HIGH = 0.9
"""A correlation above this is "high" (COINr ``get_corr_flags``: ``cor_thresh = 0.9``, ``>``)."""
WEAK = 0.3
"""A correlation at or below this is "weak" (COINr ``plot_corr``: ``weakthresh = 0.3``)."""
NEGATIVE = -0.4
"""A correlation at or below this is "negative" (COINr ``plot_corr``: ``negthresh = -0.4``)."""
ALPHA_MIN = 0.7
"""Cronbach's alpha below this is flagged "low": the rule of thumb of Nunnally (1978)."""
AVAILABILITY_MIN = 0.65
"""An indicator with a smaller share of values present is flagged (COINr ``get_stats``:
``t_avail = 0.65``)."""
EIGEN_TOL = 1e-9
"""An eigenvalue counts as "above 1" when it exceeds ``1 + EIGEN_TOL`` (round-off never adds a
component)."""

# Column headers of the audit's tables: key -> (Chinese, English); used by the CLI, the
# workbook's sheet and the report.
HEADERS: dict[str, tuple[str, str]] = {
    "indicator": ("指标代码", "Indicator"),
    "name": ("名称", "Name"),
    "dimension": ("所属维度", "Dimension"),
    "n": ("有效值数", "Values"),
    "missing": ("缺失", "Missing"),
    "imputed": ("插补", "Imputed"),
    "availability": ("有效值占比", "Share present"),
    "mean": ("均值", "Mean"),
    "sd": ("标准差", "SD"),
    "min": ("最小值", "Min"),
    "median": ("中位数", "Median"),
    "max": ("最大值", "Max"),
    "skew": ("偏度", "Skewness"),
    "kurtosis": ("峰度", "Kurtosis"),
    "outlier": ("疑似异常值", "Possible outliers"),
    "low_availability": ("有效值偏少", "Low availability"),
    "treatment": ("异常值处理", "Outlier treatment"),
    "id": ("代码", "Code"),
    "kind": ("类型", "Kind"),
    "parent": ("上级", "Parent"),
    "r_parent": ("与上级的相关系数", "r with parent"),
    "p_parent": ("p 值（上级）", "p (parent)"),
    "flag_parent": ("上级相关", "Parent flag"),
    "r_index": ("与综合指数的相关系数", "r with index"),
    "p_index": ("p 值（指数）", "p (index)"),
    "flag_index": ("指数相关", "Index flag"),
    "group": ("组", "Group"),
    "a": ("成员一", "Member 1"),
    "b": ("成员二", "Member 2"),
    "name_a": ("名称一", "Name 1"),
    "name_b": ("名称二", "Name 2"),
    "r": ("相关系数", "r"),
    "p": ("p 值", "p"),
    "flag": ("判断", "Flag"),
    "members": ("成员", "Members"),
    "k": ("成员数", "Members (k)"),
    "alpha": ("Cronbach's α", "Cronbach's alpha"),
    "low_alpha": ("α 偏低", "Low alpha"),
    "eigenvalue": ("第一特征值", "First eigenvalue"),
    "pc1_share": ("第一主成分解释方差比例", "Variance explained by PC1"),
    "above_one": ("特征值大于 1 的个数", "Eigenvalues > 1"),
}

FLAG_LABELS: dict[str, tuple[str, str]] = {
    "high": ("高度相关", "high"),
    "ok": ("正常", "ok"),
    "weak": ("弱相关", "weak"),
    "negative": ("负相关", "negative"),
    "": ("", ""),
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    "indicator": ("指标", "indicator"),
    "dimension": ("维度", "dimension"),
    "indicators": ("指标", "indicators"),
    "dimensions": ("维度", "dimensions"),
}
TREATMENT_LABELS: dict[str, tuple[str, str]] = {
    "none": ("未处理", "none"),
    "winsorised": ("缩尾", "winsorised"),
    "log": ("取对数", "log"),
    "": ("未启用", "not applied"),
}


# --------------------------------------------------------------------------------------------
# kernels
# --------------------------------------------------------------------------------------------


def _complete(X: ArrayLike, func: str) -> FloatArray:
    A = np.asarray(X, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(
            f"{func}: X must be a 2-D array (units x items), got shape {A.shape}; reshape a "
            "single item with X.reshape(-1, 1)."
        )
    out: FloatArray = A[np.isfinite(A).all(axis=1)]
    return out


def cronbach_alpha(X: ArrayLike) -> float:
    r"""Cronbach's alpha of the items (columns) of ``X``.

    .. math::

        \alpha = \frac{k}{k-1}\left(1 - \frac{\sum_{j=1}^k s_j^2}{s_T^2}\right),\qquad
        T_i = \sum_{j=1}^k x_{ij},

    :math:`s_j^2` the sample variance of item :math:`j` and :math:`s_T^2` that of the units'
    totals, over the units with every item present (complete cases; the divisor, ``n - 1``
    or ``n``, cancels).  Equivalently :math:`\frac{k}{k-1}(1 - \operatorname{tr}\Sigma /
    \mathbf 1^\top\Sigma\mathbf 1)` with :math:`\Sigma` the items' covariance matrix, the form
    COINr's ``get_cronbach`` computes (it takes the covariances pairwise complete, so the two
    agree whenever no value is missing).  :math:`\alpha \le 1`; it is unchanged when every
    item is multiplied by the same constant, but not when items are rescaled separately, so
    pass items on a common scale (normalised indicators, or scores).

    Parameters
    ----------
    X : array_like, shape (n, k)
        Units x items; rows with a NaN are left out.

    Returns
    -------
    float
        NaN when there are fewer than two items or two complete units, or when the totals do
        not vary.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika* 16(3), 297-334. https://doi.org/10.1007/BF02310555

    Examples
    --------
    Three items scored by four people: item variances 35/12, 11/12 and 8/12 (sum 9/2); the
    totals 6, 9, 12, 13 have variance 10; so alpha = 3/2 (1 - 0.45) = 0.825:

    >>> X = np.array([[1.0, 2, 3], [2, 3, 4], [3, 4, 5], [5, 4, 4]])
    >>> round(cronbach_alpha(X), 12)
    0.825
    """
    A = _complete(X, "cronbach_alpha")
    n, k = A.shape
    if k < 2 or n < 2:
        return math.nan
    item_var = float(A.var(axis=0, ddof=1).sum())
    total_var = float(A.sum(axis=1).var(ddof=1))
    if not total_var > 1e-12 * max(item_var, 1e-300):
        return math.nan
    return float(k / (k - 1) * (1.0 - item_var / total_var))


def correlation_eigenvalues(X: ArrayLike) -> FloatArray:
    r"""Eigenvalues of the correlation matrix of the columns of ``X``, largest first.

    The principal components of standardised data (``prcomp(scale = TRUE)``, COINr's
    ``get_PCA``): over the complete cases, each column is centred and scaled by its sample
    standard deviation, and the eigenvalues :math:`\lambda_1 \ge \dots \ge \lambda_k` of
    :math:`R = Z^\top Z / (n - 1)` come from the singular values of :math:`Z`
    (:math:`\lambda = s^2 / (n-1)`).  They sum to :math:`k`, so the first component explains
    the share :math:`\lambda_1 / k \in [1/k, 1]` of the variance; Kaiser's rule keeps the
    components with :math:`\lambda > 1`.  Columns that do not vary over the complete cases
    have no correlation and are left out (``k`` counts the others).

    Parameters
    ----------
    X : array_like, shape (n, k)
        Units x items; rows with a NaN are left out.

    Returns
    -------
    ndarray, shape (k',)
        ``k'`` = the columns that vary; empty when fewer than two units are complete.

    References
    ----------
    Jolliffe, I. T., Cadima, J. (2016). Principal component analysis: a review and recent
    developments. *Phil. Trans. R. Soc. A* 374, 20150202. https://doi.org/10.1098/rsta.2015.0202

    Examples
    --------
    Two items with correlation r have eigenvalues 1 + r and 1 - r:

    >>> X = np.array([[1.0, 1], [2, 3], [3, 2]])   # r = 0.5
    >>> correlation_eigenvalues(X).round(6)
    array([1.5, 0.5])
    """
    A = _complete(X, "correlation_eigenvalues")
    n = A.shape[0]
    if n < 2:
        return np.empty(0)
    sd = A.std(axis=0, ddof=1)
    keep = sd > 1e-12 * np.maximum(np.abs(A).max(axis=0), 1e-300)
    Z = (A[:, keep] - A[:, keep].mean(axis=0)) / sd[keep]
    s = np.linalg.svd(Z, compute_uv=False)
    ev = np.zeros(Z.shape[1])
    ev[: s.size] = s * s / (n - 1)
    out: FloatArray = np.sort(ev)[::-1]
    return out


def correlation_flag(
    r: float, *, high: float = HIGH, weak: float = WEAK, negative: float = NEGATIVE
) -> str:
    """COINr's class of a correlation: ``"high"`` (r > 0.9), ``"negative"`` (r <= -0.4),
    ``"weak"`` (r <= 0.3), else ``"ok"``; ``""`` for NaN.

    The thresholds are COINr's: 0.9 of ``get_corr_flags`` (strictly above; ``plot_corr``
    colours r >= 0.9 the same way), 0.3 and -0.4 of ``plot_corr``'s discrete colours.  With a
    parent or the index a high correlation is wanted and a weak or negative one is the
    warning; within a group, a high one is (possible double counting, COINr's "collinear")
    and so is a negative one.

    >>> [correlation_flag(r) for r in (0.95, 0.6, 0.1, -0.5, float("nan"))]
    ['high', 'ok', 'weak', 'negative', '']
    """
    if math.isnan(r):
        return ""
    if r > high:
        return "high"
    if r <= negative:
        return "negative"
    if r <= weak:
        return "weak"
    return "ok"


def _pearson(x: FloatArray, y: FloatArray) -> tuple[float, int]:
    """Pearson's r over the pairs where both are present, and the number of pairs."""
    ok = np.isfinite(x) & np.isfinite(y)
    n = int(ok.sum())
    if n < 2:
        return math.nan, n
    a, b = x[ok] - x[ok].mean(), y[ok] - y[ok].mean()
    den = math.sqrt(float(a @ a) * float(b @ b))
    if not den > 0:
        return math.nan, n
    return max(-1.0, min(1.0, float(a @ b) / den)), n


def _p_values(r: FloatArray, n: FloatArray) -> FloatArray:
    r"""Two-sided p-values of Pearson's r under no correlation: :math:`t = r\sqrt{(n-2)/(1-r^2)}`
    on :math:`n - 2` degrees of freedom (R's ``cor.test``, which COINr's ``get_corr`` uses);
    NaN when n < 3."""
    from scipy import stats

    r = np.asarray(r, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    df = n - 2
    out = np.full(r.shape, np.nan)
    ok = np.isfinite(r) & (df > 0)
    rr = np.clip(np.abs(r[ok]), 0.0, 1.0)
    with np.errstate(divide="ignore"):
        t = np.where(rr < 1.0, rr * np.sqrt(df[ok] / np.maximum(1.0 - rr * rr, 1e-300)), np.inf)
    out[ok] = 2.0 * stats.t.sf(t, df[ok])
    return out


# --------------------------------------------------------------------------------------------
# the audit of a result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audit:
    """The statistical audit of one assessment (see :func:`audit`).

    Attributes
    ----------
    methodology, period
        Of the assessment audited.
    indicators : DataFrame
        Index ``indicator``; columns ``name``, ``dimension``, ``n``, ``missing``, ``imputed``,
        ``availability``, ``mean``, ``sd``, ``min``, ``median``, ``max``, ``skew``,
        ``kurtosis``, ``outlier``, ``low_availability``, ``treatment``.
    parent_correlations : DataFrame
        Index ``id`` (indicators, then dimensions, in tree order); columns ``name``, ``kind``,
        ``parent``, ``n``, ``r_parent``, ``p_parent``, ``flag_parent``, ``r_index``,
        ``p_index``, ``flag_index``.
    within : DataFrame
        One row per pair of members of a group: ``group``, ``a``, ``b``, ``name_a``,
        ``name_b``, ``n``, ``r``, ``p``, ``flag``.
    cronbach : DataFrame
        Index ``group``; columns ``name``, ``members``, ``k``, ``n``, ``alpha``,
        ``low_alpha``.
    pca : DataFrame
        Index ``group``; columns ``name``, ``k``, ``n``, ``eigenvalue``, ``pc1_share``,
        ``above_one``.
    notes : tuple of Problem
        Units left out of alpha and the components, members that do not vary.
    thresholds : dict
        The thresholds used: ``high``, ``weak``, ``negative``, ``alpha_min``,
        ``availability_min``, ``skew_max``, ``kurt_max``.
    """

    methodology: Methodology
    period: str
    indicators: pd.DataFrame
    parent_correlations: pd.DataFrame
    within: pd.DataFrame
    cronbach: pd.DataFrame
    pca: pd.DataFrame
    notes: tuple[Problem, ...]
    thresholds: dict[str, float]

    @property
    def groups(self) -> pd.DataFrame:
        """Cronbach's alpha and the first component side by side, one row per group."""
        pca = self.pca.drop(columns=["name", "k", "n"])
        return self.cronbach.join(pca)

    def flags(self) -> pd.DataFrame:
        """Everything the audit flags, one row each: ``check`` (``outlier``,
        ``low_availability``, ``weak_parent``, ``negative_parent``, ``weak_index``,
        ``negative_index``, ``collinear``, ``negative_within``, ``low_alpha``), ``id``,
        ``name``, ``group``, ``value`` (the statistic) and the sentence in ``zh`` and ``en``.

        A top-level dimension's parent is the index: its correlation is listed once, as
        ``*_parent``."""
        zh_names, en_names = self.names("zh"), self.names("en")
        rows: list[tuple[str, str, str, str, float, str, str]] = []

        def add(check: str, ident: str, group: str, value: float, zh: str, en: str) -> None:
            name = "/".join(zh_names.get(i, i) for i in ident.split("/"))
            rows.append((check, ident, name, group, value, zh, en))

        for ident, row in self.indicators.iterrows():
            i = str(ident)
            zh, en = zh_names[i], en_names[i]
            sk, ku = float(row["skew"]), float(row["kurtosis"])
            if row["outlier"]:
                add(
                    "outlier",
                    i,
                    row["dimension"],
                    sk,
                    f"{zh}：偏度 {sk:.2f}、峰度 {ku:.2f}，可能有异常值。",
                    f"{en}: skewness {sk:.2f}, kurtosis {ku:.2f}: possible outliers.",
                )
            if row["low_availability"]:
                share = float(row["availability"])
                add(
                    "low_availability",
                    i,
                    row["dimension"],
                    share,
                    f"{zh}：有效值仅占 {share:.0%}。",
                    f"{en}: only {share:.0%} of the values present.",
                )
        words = {"weak": ("弱相关", "weakly"), "negative": ("负相关", "negatively")}
        for ident, row in self.parent_correlations.iterrows():
            i, parent = str(ident), str(row["parent"])
            for side in ("parent", "index"):
                flag = row[f"flag_{side}"]
                if flag not in words or (side == "index" and parent == INDEX):
                    continue
                r = float(row[f"r_{side}"])
                other = parent if side == "parent" else INDEX
                add(
                    f"{flag}_{side}",
                    i,
                    parent,
                    r,
                    f"{zh_names[i]}与{zh_names[other]}{words[flag][0]}（r = {r:.2f}）。",
                    f"{en_names[i]} is {words[flag][1]} correlated with "
                    f"{'the index' if other == INDEX else en_names[other]} (r = {r:.2f}).",
                )
        for _, row in self.within.iterrows():
            if row["flag"] not in ("high", "negative"):
                continue
            r, g, a, b = float(row["r"]), str(row["group"]), str(row["a"]), str(row["b"])
            if row["flag"] == "high":
                check, zh_what, en_what = "collinear", "高度相关，可能重复计算", "highly correlated"
            else:
                check, zh_what, en_what = "negative_within", "负相关", "negatively correlated"
            add(
                check,
                f"{a}/{b}",
                g,
                r,
                f"{zh_names[g]}：{zh_names[a]}与{zh_names[b]}{zh_what}（r = {r:.2f}）。",
                f"{en_names[g]}: {en_names[a]} and {en_names[b]} are {en_what} (r = {r:.2f}).",
            )
        low = self.thresholds["alpha_min"]
        for ident, row in self.cronbach.iterrows():
            if row["low_alpha"]:
                g, alpha = str(ident), float(row["alpha"])
                add(
                    "low_alpha",
                    g,
                    g,
                    alpha,
                    f"{zh_names[g]}：Cronbach's α = {alpha:.3f}，低于 {low:g}。",
                    f"{en_names[g]}: Cronbach's alpha = {alpha:.3f}, below {low:g}.",
                )
        columns = ["check", "id", "name", "group", "value", "zh", "en"]
        return pd.DataFrame(rows, columns=columns)

    def names(self, lang: str = "zh") -> dict[str, str]:
        """Every indicator's and dimension's name by id in ``lang`` (``"zh"`` or ``"en"``; the
        Chinese name where no English one is given), and the index's (key ``"score"``)."""
        en = lang == "en"
        out = {INDEX: "Index" if en else "综合指数"}
        for node in self.methodology.nodes():
            out[node.id] = (node.name_en or node.name) if en else node.name
        for ind in self.methodology.indicators:
            out[ind.id] = (ind.name_en or ind.name) if en else ind.name
        return out


def audit(
    result: Result,
    *,
    high: float = HIGH,
    weak: float = WEAK,
    negative: float = NEGATIVE,
    alpha_min: float = ALPHA_MIN,
    availability_min: float = AVAILABILITY_MIN,
) -> Audit:
    r"""COINr's statistical audit of an assessment.

    **Indicator statistics** of ``result.raw`` (the values assessed, after imputation and
    before outlier treatment): values present ``n``, ``missing`` (left out under ``skip``),
    ``imputed``, ``availability`` = n / units, mean, sample standard deviation (``ddof=1``),
    min, median, max, and the bias-corrected skewness and excess kurtosis

    .. math::

        G_1 = \frac{\sqrt{n(n-1)}}{n-2}\frac{m_3}{m_2^{3/2}},\qquad
        G_2 = \frac{n-1}{(n-2)(n-3)}\Bigl((n+1)\bigl(\tfrac{m_4}{m_2^2} - 3\bigr) + 6\Bigr)

    (pandas' ``skew``/``kurt``, Excel's SKEW/KURT), taken from
    :func:`kaoping.methods.normalize.treat`'s report, so that ``outlier`` is exactly the test
    the outlier treatment applies: :math:`|G_1| \ge 2` and :math:`G_2 \ge 3.5` (COINr's
    ``get_stats`` flags :math:`|G_1| > 2` and :math:`G_2 > 3.5`, the same but at the two
    boundary values).  ``low_availability``: availability below ``availability_min`` (COINr's
    0.65).  ``treatment``: what the assessment's outlier treatment did (``""`` when the
    methodology does not treat outliers).

    **Correlations with the structure**: Pearson's

    .. math::

        r_{xy} = \frac{\sum_i (x_i - \bar x)(y_i - \bar y)}
                      {\sqrt{\sum_i (x_i - \bar x)^2 \sum_i (y_i - \bar y)^2}}

    of each indicator's normalised values (``result.normalized``: higher is better) with its
    dimension's score and with the index, and of each dimension's score with its parent's and
    the index (COINr's ``get_corr(..., withparent = TRUE)``); two-sided p-values from
    :math:`t = r\sqrt{(n-2)/(1-r^2)}` on :math:`n-2` degrees of freedom (COINr hides the
    correlations with p > 0.05; here they are shown with their p).  **Within a group**: every
    pair of its members once (the upper triangle, as ``get_corr_flags``).  Pairs are complete
    pairwise.  Each correlation is classed by :func:`correlation_flag`: ``high`` r > ``high``
    (0.9), ``negative`` r <= ``negative`` (-0.4), ``weak`` r <= ``weak`` (0.3), else ``ok``.

    **Cronbach's alpha** (:func:`cronbach_alpha`) and the **first principal component**
    (:func:`correlation_eigenvalues`: ``eigenvalue`` :math:`\lambda_1`, ``pc1_share``
    :math:`\lambda_1/k`, ``above_one`` = eigenvalues > 1) of each group's members over its
    complete cases; ``low_alpha``: alpha below ``alpha_min`` (0.7, Nunnally 1978).  A group
    with one member has neither (NaN).  COINr's ``get_cronbach`` and ``get_PCA`` take whichever
    data set they are given (their examples: ``"Raw"``); here the members are the normalised
    indicators (higher is better, on one scale) because alpha depends on the items' scales
    and directions.  The eigenvalues do not: with a linear normalisation (min-max, z-score)
    and no outlier treatment they are those of the raw values.

    Parameters
    ----------
    result : Result
        An academic assessment (:func:`kaoping.assess.assess`); the official path's points
        are not normalised indicators and are refused.
    high, weak, negative : float
        The correlation classes' thresholds, -1 <= negative < weak < high <= 1.
    alpha_min : float
        Cronbach's alpha below this is flagged, in (0, 1].
    availability_min : float
        The share of values present below which an indicator is flagged, in [0, 1].

    Returns
    -------
    Audit

    Raises
    ------
    ValueError
        A threshold out of range, naming it.
    InputError
        ``result`` is not an academic result.

    References
    ----------
    Becker, W. et al. (2022). COINr: An R package for developing composite indicators. *JOSS*
    7(78), 4567. https://doi.org/10.21105/joss.04567; OECD/JRC (2008). *Handbook on
    Constructing Composite Indicators*, Step 4. https://doi.org/10.1787/9789264043466-en;
    Cronbach (1951) https://doi.org/10.1007/BF02310555; Nunnally, J. C. (1978). *Psychometric
    Theory* (2nd ed.). McGraw-Hill, p. 245.

    Examples
    --------
    >>> import warnings
    >>> from kaoping.assess import assess
    >>> from kaoping.data.bundled import demo_panel, henan_units
    >>> from kaoping.methodology import load
    >>> m, units = load("county_hqd"), henan_units()
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     result = assess(m, demo_panel(m.name_to_id(), units), "2024", units=units)
    >>> a = audit(result)
    >>> a.indicators.shape[0], list(a.cronbach.index)[-1]
    (38, 'score')
    """
    from kaoping.assess import Result
    from kaoping.methods.normalize import TreatmentReport, treat

    if not isinstance(result, Result):
        raise InputError(
            [
                Problem(
                    "audit.not_academic",
                    f"统计审计需要学术路径的考核结果（kaoping.assess.Result，含标准化值），收到 "
                    f"{type(result).__name__}。官方计分办法按规则计分，没有标准化指标；请对学术"
                    "路径的办法（如 county_hqd）做审计。",
                    f"the audit needs an academic result (kaoping.assess.Result, with normalised "
                    f"values), got {type(result).__name__}; the official path scores points by "
                    "rules and has no normalised indicators: audit an academic methodology "
                    "(e.g. county_hqd).",
                    "result",
                )
            ]
        )
    _check_thresholds(high, weak, negative, alpha_min, availability_min)
    m = result.methodology
    raw = result.raw.apply(pd.to_numeric, errors="coerce").astype(np.float64)
    report = result.treatment if isinstance(result.treatment, TreatmentReport) else None
    stats_report = report if report is not None else treat(raw.to_numpy(dtype=np.float64))[1]
    indicators = _indicator_stats(result, raw, stats_report, report, availability_min)
    flag = np.vectorize(
        lambda r: correlation_flag(float(r), high=high, weak=weak, negative=negative),
        otypes=[object],
    )
    scores = result.table.drop(
        columns=[
            c
            for c in ("name", "category", "rank", "category_rank", "tier")
            if c in result.table.columns
        ]
    ).apply(pd.to_numeric, errors="coerce")
    normalized = result.normalized.apply(pd.to_numeric, errors="coerce").astype(np.float64)
    parent = _parent_correlations(m, normalized, scores, flag)
    groups = _groups(m, normalized, scores)
    notes: list[Problem] = []
    within = _within(groups, flag)
    cronbach, pca = _consistency(groups, alpha_min, notes)
    thresholds = {
        "high": float(high),
        "weak": float(weak),
        "negative": float(negative),
        "alpha_min": float(alpha_min),
        "availability_min": float(availability_min),
        "skew_max": float(stats_report.skew_max),
        "kurt_max": float(stats_report.kurt_max),
    }
    return Audit(
        m, str(result.period), indicators, parent, within, cronbach, pca, tuple(notes), thresholds
    )


def _check_thresholds(
    high: float, weak: float, negative: float, alpha_min: float, availability_min: float
) -> None:
    values = {
        "high": high,
        "weak": weak,
        "negative": negative,
        "alpha_min": alpha_min,
        "availability_min": availability_min,
    }
    for key, value in values.items():
        if not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"audit: {key} must be a finite number, got {value!r}.")
    if not -1.0 <= negative < weak < high <= 1.0:
        raise ValueError(
            f"audit: the correlation thresholds must satisfy -1 <= negative < weak < high <= 1, "
            f"got negative={negative!r}, weak={weak!r}, high={high!r}; e.g. COINr's -0.4, 0.3, "
            "0.9."
        )
    if not 0.0 < alpha_min <= 1.0:
        raise ValueError(
            f"audit: alpha_min must be in (0, 1], got {alpha_min!r}; the usual rule is 0.7."
        )
    if not 0.0 <= availability_min <= 1.0:
        raise ValueError(
            f"audit: availability_min must be a share in [0, 1], got {availability_min!r}; "
            "COINr's is 0.65."
        )


def _indicator_stats(
    result: Result,
    raw: pd.DataFrame,
    stats_report: Any,
    applied: Any,
    availability_min: float,
) -> pd.DataFrame:
    m = result.methodology
    units = len(raw.index)
    imputed: dict[str, int] = {}
    for imp in result.imputations:
        imputed[imp.indicator] = imputed.get(imp.indicator, 0) + 1
    n = raw.count()
    availability = n / units if units else n * math.nan
    skew = [c.skew_before for c in stats_report.columns]
    kurt = [c.kurt_before for c in stats_report.columns]
    outlier = [c.action != "none" for c in stats_report.columns]
    treatment = (
        [c.action for c in applied.columns] if applied is not None else [""] * len(raw.columns)
    )
    frame = pd.DataFrame(
        {
            "name": [m.indicator(str(i)).name for i in raw.columns],
            "dimension": [_parent_id(m, str(i)) for i in raw.columns],
            "n": n.astype(int).to_numpy(),
            "missing": raw.isna().sum().astype(int).to_numpy(),
            "imputed": [imputed.get(str(i), 0) for i in raw.columns],
            "availability": availability.to_numpy(dtype=np.float64),
            "mean": raw.mean().to_numpy(),
            "sd": raw.std(ddof=1).to_numpy(),
            "min": raw.min().to_numpy(),
            "median": raw.median().to_numpy(),
            "max": raw.max().to_numpy(),
            "skew": np.asarray(skew, dtype=np.float64),
            "kurtosis": np.asarray(kurt, dtype=np.float64),
            "outlier": outlier,
            "low_availability": (availability < availability_min).to_numpy(),
            "treatment": treatment,
        },
        index=pd.Index([str(i) for i in raw.columns], name="indicator"),
    )
    return frame


def _parent_id(m: Methodology, ident: str) -> str:
    parent = m.parent_of(ident)
    return INDEX if parent is None else parent.id


def _column(frame: pd.DataFrame, key: str, rows: pd.Index) -> FloatArray:
    if key not in frame.columns:
        return np.full(len(rows), np.nan)
    out: FloatArray = frame[key].reindex(rows).to_numpy(dtype=np.float64)
    return out


def _parent_correlations(
    m: Methodology, normalized: pd.DataFrame, scores: pd.DataFrame, flag: Any
) -> pd.DataFrame:
    units = normalized.index
    index = _column(scores, INDEX, units)
    rows: list[dict[str, Any]] = []
    for node in m.nodes():
        parent_scores = _column(scores, node.id, units)
        for ind in node.scored_indicators:
            if ind.id not in normalized.columns:
                continue
            x = normalized[ind.id].to_numpy(dtype=np.float64)
            rows.append(_pair_row("indicator", ind.id, ind.name, node.id, x, parent_scores, index))
    for node in m.nodes():
        x = _column(scores, node.id, units)
        parent = m.parent_of(node.id)
        pid = INDEX if parent is None else parent.id
        rows.append(
            _pair_row("dimension", node.id, node.name, pid, x, _column(scores, pid, units), index)
        )
    frame = pd.DataFrame(
        rows, columns=["id", "kind", "name", "parent", "n", "r_parent", "n_index", "r_index"]
    )
    frame["p_parent"] = _p_values(frame["r_parent"].to_numpy(float), frame["n"].to_numpy(float))
    frame["p_index"] = _p_values(frame["r_index"].to_numpy(float), frame["n_index"].to_numpy(float))
    frame["flag_parent"] = flag(frame["r_parent"].to_numpy(float)) if len(frame) else []
    frame["flag_index"] = flag(frame["r_index"].to_numpy(float)) if len(frame) else []
    frame = frame.set_index("id")
    columns = [
        "name",
        "kind",
        "parent",
        "n",
        "r_parent",
        "p_parent",
        "flag_parent",
        "r_index",
        "p_index",
        "flag_index",
    ]
    return frame[columns]


def _pair_row(
    kind: str, ident: str, name: str, parent: str, x: FloatArray, y: FloatArray, index: FloatArray
) -> dict[str, Any]:
    r_parent, n_parent = _pearson(x, y)
    r_index, n_index = _pearson(x, index)
    return {
        "id": ident,
        "kind": kind,
        "name": name,
        "parent": parent,
        "n": n_parent,
        "r_parent": r_parent,
        "n_index": n_index,
        "r_index": r_index,
    }


@dataclass(frozen=True)
class _Group:
    key: str
    name: str
    members: str  # "indicators" or "dimensions"
    ids: list[str]
    names: list[str]
    data: pd.DataFrame  # units x members


def _groups(m: Methodology, normalized: pd.DataFrame, scores: pd.DataFrame) -> list[_Group]:
    """Each dimension with its members (indicators at a leaf, sub-dimensions above), then the
    index with the top-level dimensions."""
    units = normalized.index
    out = []

    def dims(children: Sequence[Dimension]) -> tuple[list[str], list[str], pd.DataFrame]:
        ids = [c.id for c in children]
        data = pd.DataFrame({c.id: _column(scores, c.id, units) for c in children}, index=units)
        return ids, [c.name for c in children], data

    for node in m.nodes():
        if node.is_leaf:
            inds = [i for i in node.scored_indicators if i.id in normalized.columns]
            ids = [i.id for i in inds]
            out.append(
                _Group(
                    node.id, node.name, "indicators", ids, [i.name for i in inds], normalized[ids]
                )
            )
        else:
            ids, names, data = dims(node.children)
            out.append(_Group(node.id, node.name, "dimensions", ids, names, data))
    ids, names, data = dims(m.dimensions)
    out.append(_Group(INDEX, "综合指数", "dimensions", ids, names, data))
    return out


def _within(groups: list[_Group], flag: Any) -> pd.DataFrame:
    frames = []
    for g in groups:
        k = len(g.ids)
        if k < 2:
            continue
        corr = g.data.corr(method="pearson").to_numpy(dtype=np.float64)
        present = g.data.notna().to_numpy(dtype=np.float64)
        counts = present.T @ present
        a, b = np.triu_indices(k, 1)
        frames.append(
            pd.DataFrame(
                {
                    "group": g.key,
                    "a": [g.ids[i] for i in a],
                    "b": [g.ids[j] for j in b],
                    "name_a": [g.names[i] for i in a],
                    "name_b": [g.names[j] for j in b],
                    "n": counts[a, b].astype(int),
                    "r": corr[a, b],
                }
            )
        )
    columns = ["group", "a", "b", "name_a", "name_b", "n", "r", "p", "flag"]
    if not frames:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(frames, ignore_index=True)
    frame["p"] = _p_values(frame["r"].to_numpy(float), frame["n"].to_numpy(float))
    frame["flag"] = flag(frame["r"].to_numpy(float))
    return frame[columns]


def _consistency(
    groups: list[_Group], alpha_min: float, notes: list[Problem]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    crows, prows = [], []
    for g in groups:
        X = g.data.to_numpy(dtype=np.float64)
        k = X.shape[1]
        complete = np.isfinite(X).all(axis=1) if k else np.zeros(X.shape[0], dtype=bool)
        n = int(complete.sum())
        left = X.shape[0] - n
        if k and left:
            notes.append(
                Problem(
                    "audit.incomplete_units",
                    f"{g.name}：{left} 个单位的成员有缺失值，未计入 Cronbach's α 和主成分分析"
                    f"（用其余 {n} 个单位）。",
                    f"{g.name}: {left} unit(s) with a missing member left out of Cronbach's "
                    f"alpha and the principal components ({n} used).",
                    g.key,
                )
            )
        alpha = cronbach_alpha(X) if k >= 2 else math.nan
        crows.append(
            {
                "group": g.key,
                "name": g.name,
                "members": g.members,
                "k": k,
                "n": n,
                "alpha": alpha,
                "low_alpha": bool(alpha < alpha_min),
            }
        )
        ev = correlation_eigenvalues(X) if k >= 2 else np.empty(0)
        if k >= 2 and n >= 2 and ev.size < k:
            rows = X[complete]
            still = [g.names[j] for j in range(k) if np.ptp(rows[:, j]) == 0]
            notes.append(
                Problem(
                    "audit.constant_member",
                    f"{g.name}：{'、'.join(still)} 在各单位间没有差异，未计入主成分分析。",
                    f"{g.name}: {', '.join(still)} do(es) not vary across the units and is "
                    "left out of the principal components.",
                    g.key,
                )
            )
        usable = ev.size >= 2
        prows.append(
            {
                "group": g.key,
                "name": g.name,
                "k": int(ev.size) if usable else k,
                "n": n,
                "eigenvalue": float(ev[0]) if usable else math.nan,
                "pc1_share": float(ev[0] / ev.size) if usable else math.nan,
                "above_one": int((ev > 1.0 + EIGEN_TOL).sum()) if usable else pd.NA,
            }
        )
    cronbach = pd.DataFrame(crows).set_index("group")
    pca = pd.DataFrame(prows).set_index("group")
    pca["above_one"] = pca["above_one"].astype("Int64")
    return cronbach, pca


# --------------------------------------------------------------------------------------------
# display: the workbook's sheet
# --------------------------------------------------------------------------------------------


def _label(pairs: dict[str, tuple[str, str]], key: Any, zh: bool) -> Any:
    if isinstance(key, str) and key in pairs:
        return pairs[key][0 if zh else 1]
    return key


def display_frame(
    audit_: Audit, key: str, lang: str | None = None, *, headers: bool = True
) -> pd.DataFrame:
    """One of the audit's tables for people: ``key`` one of ``indicators``,
    ``parent_correlations``, ``within``, ``groups``; its index a column; flags, kinds,
    treatments, yes/no and the names of indicators and dimensions in ``lang`` (default: the
    current language), and with ``headers`` the column headers too (:data:`HEADERS`)."""
    from kaoping.errors import get_language

    if key not in ("indicators", "parent_correlations", "within", "groups"):
        raise ValueError(
            f"display_frame: key must be 'indicators', 'parent_correlations', 'within' or "
            f"'groups', got {key!r}."
        )
    zh = (lang or get_language()) == "zh"
    names = audit_.names("zh" if zh else "en")
    frame: pd.DataFrame = getattr(audit_, key)
    frame = frame.copy() if key == "within" else frame.reset_index()
    if key == "groups":
        frame = frame.drop(columns=["members"])
    labels = {
        "flag": FLAG_LABELS,
        "flag_parent": FLAG_LABELS,
        "flag_index": FLAG_LABELS,
        "kind": KIND_LABELS,
        "treatment": TREATMENT_LABELS,
    }
    for column, pairs in labels.items():
        if column in frame.columns:
            frame[column] = [_label(pairs, v, zh) for v in frame[column]]
    ids = {"name": frame.columns[0], "name_a": "a", "name_b": "b"}
    for column, source in ids.items():
        if column in frame.columns:
            frame[column] = [names.get(str(v), str(v)) for v in frame[source]]
    for column in ("dimension", "parent", "group"):
        if column in frame.columns and not (key == "groups" and column == "group"):
            frame[column] = [names.get(str(v), v) for v in frame[column]]
    yes = "是" if zh else "yes"
    for column in frame.columns:
        if frame[column].dtype == bool:
            frame[column] = [yes if v else "" for v in frame[column]]
    if headers:
        frame.columns = [_label(HEADERS, str(c), zh) for c in frame.columns]
    return frame


def audit_blocks(audit_: Audit, lang: str | None = None) -> list[SheetBlock]:
    """The audit as blocks of one worksheet (:class:`kaoping.assess.excel.SheetBlock`, for
    ``write_workbook(..., extra_sheets=...)``): Cronbach's alpha and the first component per
    group, the indicator statistics, the correlations with the parent and the index, and the
    flagged pairs within groups; every flagged cell marked."""
    from kaoping.assess.excel import SheetBlock
    from kaoping.errors import get_language

    zh = (lang or get_language()) == "zh"

    def t(a: str, b: str) -> str:
        return a if zh else b

    def marks(frame: pd.DataFrame, flagged: dict[str, ArrayLike]) -> pd.DataFrame:
        out = pd.DataFrame(False, index=frame.index, columns=frame.columns)
        for column, values in flagged.items():
            out[_label(HEADERS, column, zh)] = np.asarray(values, dtype=bool)
        return out

    th = audit_.thresholds
    groups = display_frame(audit_, "groups", lang)
    g = audit_.groups
    indicators = display_frame(audit_, "indicators", lang)
    ind = audit_.indicators
    parent = display_frame(audit_, "parent_correlations", lang)
    pc = audit_.parent_correlations
    bad = ("weak", "negative")
    within_all = audit_.within
    keep = within_all["flag"].isin(["high", "negative"]).to_numpy()
    within = display_frame(audit_, "within", lang, headers=False)[keep].reset_index(drop=True)
    within = within[["group", "name_a", "name_b", "a", "b", "n", "r", "p", "flag"]]
    within.columns = [_label(HEADERS, str(c), zh) for c in within.columns]
    return [
        SheetBlock(
            t(
                f"各组内部一致性：Cronbach's α（低于 {th['alpha_min']:g} 标出）与第一主成分",
                f"Consistency of each group: Cronbach's alpha (below {th['alpha_min']:g} "
                "marked) and the first principal component",
            ),
            groups,
            marks(groups, {"alpha": g["low_alpha"].to_numpy(), "low_alpha": g["low_alpha"]}),
        ),
        SheetBlock(
            t(
                f"指标统计（原始数据；|偏度| ≥ {th['skew_max']:g} 且峰度 ≥ {th['kurt_max']:g} "
                f"标出；有效值占比低于 {th['availability_min']:.0%} 标出）",
                f"Indicator statistics (raw data; |skewness| >= {th['skew_max']:g} and kurtosis "
                f">= {th['kurt_max']:g} marked; less than {th['availability_min']:.0%} of values "
                "present marked)",
            ),
            indicators,
            marks(
                indicators,
                {
                    "skew": ind["outlier"].to_numpy(),
                    "kurtosis": ind["outlier"].to_numpy(),
                    "outlier": ind["outlier"].to_numpy(),
                    "availability": ind["low_availability"].to_numpy(),
                    "low_availability": ind["low_availability"].to_numpy(),
                },
            ),
        ),
        SheetBlock(
            t(
                f"与上级、综合指数的相关系数（标准化值；r ≤ {th['weak']:g} 弱相关、"
                f"r ≤ {th['negative']:g} 负相关，标出）",
                f"Correlations with the parent and the index (normalised values; r <= "
                f"{th['weak']:g} weak, r <= {th['negative']:g} negative, marked)",
            ),
            parent,
            marks(
                parent,
                {
                    "r_parent": pc["flag_parent"].isin(bad).to_numpy(),
                    "flag_parent": pc["flag_parent"].isin(bad).to_numpy(),
                    "r_index": pc["flag_index"].isin(bad).to_numpy(),
                    "flag_index": pc["flag_index"].isin(bad).to_numpy(),
                },
            ),
        ),
        SheetBlock(
            t(
                f"组内需要注意的相关（r > {th['high']:g} 高度相关、r ≤ {th['negative']:g} "
                f"负相关；共 {len(within_all)} 对，全部见 kaoping analyze audit）",
                f"Pairs within a group to look at (r > {th['high']:g} high, r <= "
                f"{th['negative']:g} negative; of {len(within_all)} pairs, all in kaoping "
                "analyze audit)",
            ),
            within,
            marks(within, {"r": [True] * len(within), "flag": [True] * len(within)}),
        ),
    ]
