"""``kaoping analyze audit``: COINr's statistical audit of an assessment, and the sheet
统计审计 that ``kaoping assess --audit -o OUT.xlsx`` adds to the workbook.

The library does the work (:func:`kaoping.analysis.audit.audit`); this module prints its tables
(people: names, flags and headers in the user's language; ``--json``: the library's columns and
codes) and writes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kaoping.cli import _stderr, _t, domain_errors
from kaoping.cli.analyze import Inputs, Section, analyze, emit, input_options, output_options

if TYPE_CHECKING:
    from kaoping.analysis.audit import Audit

__all__ = ["audit_command", "check_audit_output", "report_with_audit", "sections"]

SHEET = ("统计审计", "Statistical audit")
"""The workbook sheet's name (Chinese, English)."""


@analyze.command("audit")
@input_options
@output_options
@click.option(
    "--all-pairs",
    is_flag=True,
    help="List every pair of members within a group (default: only the flagged ones: "
    "r > 0.9 or r <= -0.4).",
)
@domain_errors
def audit_command(inputs: Inputs, as_json: bool, output: Path | None, all_pairs: bool) -> None:
    """COINr's statistical audit of one period (-p, default the latest).

    \b
    统计审计（COINr）：指标统计（偏度、峰度与异常值标记、有效值占比），各指标与所属维度、
    综合指数的相关系数，维度内指标两两相关（高度相关、负相关标记），各维度的 Cronbach's α
    与第一主成分解释的方差比例。
    Example: kaoping analyze audit --demo -p 2024 -o 统计审计.xlsx
    """
    import warnings

    from kaoping.analysis.audit import audit
    from kaoping.errors import KaopingWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", KaopingWarning)
        result = inputs.result()
    found = audit(result)
    emit(
        sections(found, readable=not as_json, all_pairs=all_pairs),
        as_json=as_json,
        output=output,
        notes=[p.message() for p in found.notes] + [_summary(found)],
    )


def sections(found: Audit, *, readable: bool = True, all_pairs: bool = False) -> list[Section]:
    """The audit's tables as sections: the groups (alpha and the first component), the flags,
    the indicator statistics, the correlations with the parent and the index, and the pairs
    within groups (the flagged ones unless ``all_pairs``).  ``readable``: names, flags and
    yes/no in the user's language (the terminal and the workbook); else the library's codes
    (JSON)."""
    from kaoping.analysis.audit import HEADERS, display_frame
    from kaoping.errors import get_language

    lang = get_language()

    def frame(key: str) -> Any:
        if readable:
            return display_frame(found, key, lang, headers=False)
        table = getattr(found, key)
        return table.reset_index() if key != "within" else table

    pairs = frame("within")
    if not all_pairs:
        pairs = pairs[found.within["flag"].isin(["high", "negative"]).to_numpy()]
    flags = found.flags()
    if readable:
        names = found.names(lang)
        flags = flags[["id", lang]].rename(columns={lang: "message"})
        flags.insert(
            1, "name", ["/".join(names.get(i, i) for i in x.split("/")) for x in flags["id"]]
        )
    headers = {**HEADERS, "message": ("说明", "What"), "check": ("检查项", "Check")}
    th = found.thresholds
    return [
        Section(
            "groups",
            f"各组一致性：Cronbach's α（低于 {th['alpha_min']:g} 为偏低）与第一主成分",
            f"Consistency of each group: Cronbach's alpha (below {th['alpha_min']:g} is low) "
            "and the first principal component",
            frame("groups"),
            index=False,
            headers=headers,
        ),
        Section("flags", "需要注意的问题", "Flags", flags, index=False, headers=headers, digits=3),
        Section(
            "indicators",
            "指标统计（原始数据）",
            "Indicator statistics (raw data)",
            frame("indicators"),
            index=False,
            headers=headers,
        ),
        Section(
            "correlations",
            "与上级、综合指数的相关系数（标准化值）",
            "Correlations with the parent and the index (normalised values)",
            frame("parent_correlations"),
            index=False,
            headers=headers,
        ),
        Section(
            "within",
            "组内两两相关" if all_pairs else "组内需要注意的相关（高度相关、负相关）",
            "Pairs within each group"
            if all_pairs
            else "Pairs within a group to look at (high, negative)",
            pairs,
            index=False,
            headers=headers,
        ),
    ]


def _summary(found: Audit) -> str:
    flags = found.flags()
    counts = flags["check"].value_counts()
    outliers = int(counts.get("outlier", 0))
    weak = int(sum(counts.get(k, 0) for k in ("weak_parent", "negative_parent")))
    pairs = int(counts.get("collinear", 0) + counts.get("negative_within", 0))
    low = int(counts.get("low_alpha", 0))
    return _t(
        f"{found.period}：{outliers} 个指标疑似有异常值，{weak} 项与上级弱相关或负相关，"
        f"{pairs} 对组内高度相关或负相关，{low} 个组的 α 偏低。",
        f"{found.period}: {outliers} indicator(s) with possible outliers, {weak} weakly or "
        f"negatively correlated with their parent, {pairs} pair(s) within a group highly or "
        f"negatively correlated, {low} group(s) with a low alpha.",
    )


# --------------------------------------------------------------------------------------------
# kaoping assess --audit -o OUT.xlsx
# --------------------------------------------------------------------------------------------


def check_audit_output(output: Path | None) -> None:
    """``--audit`` adds a sheet to ``-o OUT.xlsx``: without one it is a usage error."""
    if output is None or output.suffix.lower() != ".xlsx":
        raise click.UsageError(
            _t(
                "--audit 把统计审计写入 -o OUT.xlsx 的一张工作表，须与 -o 结果.xlsx 一起使用；"
                "在终端查看请用 kaoping analyze audit。",
                "--audit adds the statistical audit as a sheet of -o OUT.xlsx: use it with "
                "-o results.xlsx; to see it on the terminal use kaoping analyze audit.",
            )
        )


def report_with_audit(result: Any, as_json: bool, output: Path) -> None:
    """What ``kaoping assess`` prints and writes, the workbook with the sheet 统计审计 (the
    audit computed first: a result it refuses leaves no file)."""
    from kaoping.analysis.audit import audit, audit_blocks
    from kaoping.assess.excel import write_workbook
    from kaoping.cli import _report
    from kaoping.errors import get_language

    found = audit(result)
    blocks = audit_blocks(found)
    _report(result, as_json, None)
    sheet = SHEET[0] if get_language() == "zh" else SHEET[1]
    write_workbook(result, output, extra_sheets={sheet: blocks})
    err = _stderr()
    err.print(_summary(found), markup=False)
    err.print(_t(f"已写入 {output}", f"written to {output}"), markup=False)
