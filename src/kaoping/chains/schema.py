"""The sheets of a chain workbook (产业链全景图): chains, nodes (环节), supply relations, the
enterprises placed on the nodes, the investment targets (招商目标) and the signed projects
(签约项目), with their Chinese and English headers.

Every reader, template and writer of :mod:`kaoping.chains` and of the platform's ``chains``
app takes its columns from here.  The structure follows ``shared/research/domain.md`` §5.3:
a chain with its 链长 and 链主企业; nodes with their position 上游/中游/下游, a parent (the
nodes of a chain form a tree), the 国民经济行业分类 (GB/T 4754-2017) codes they cover; edges
for supply relations; enterprises with their 统一社会信用代码 (GB 32100-2015).  Money is in
万元 (10,000 yuan), as the cities' sheets keep it.
"""

from __future__ import annotations

from typing import Final

from kaoping.dispatch.schema import Column

__all__ = [
    "CHAINS",
    "CHAIN_SHEET",
    "EDGES",
    "ENGLISH",
    "EDGE_SHEET",
    "ENTERPRISES",
    "ENTERPRISE_SHEET",
    "NODES",
    "NODE_SHEET",
    "ORIGINS",
    "POSITIONS",
    "PRIORITIES",
    "SHEETS",
    "SIGNINGS",
    "SIGNING_SHEET",
    "STRENGTHS",
    "STRENGTH_ACTIONS",
    "TARGETS",
    "TARGET_KINDS",
    "TARGET_SHEET",
]

POSITIONS: Final = ("上游", "中游", "下游")
"""A node's position in its chain."""

STRENGTHS: Final = ("已有", "薄弱", "缺失")
"""A node's strength, as :func:`kaoping.chains.strength` judges it by the user's rules."""

STRENGTH_ACTIONS: Final = {"已有": "强链", "薄弱": "补链", "缺失": "延链"}
"""What a city does about a node of each strength: make the strong stronger (强链), fill in the
weak (补链), extend the chain into the missing (延链)."""

ENGLISH: Final = {
    "已有": "strong",
    "薄弱": "weak",
    "缺失": "missing",
    "强链": "strengthen",
    "补链": "fill in",
    "延链": "extend",
    "待招商": "to attract",
    "已有目标": "targets named",
    "已签约": "signed",
    "上游": "upstream",
    "中游": "midstream",
    "下游": "downstream",
}
"""The English of the chains' labels (strengths, actions, gap statuses, positions)."""

PRIORITIES: Final = ("高", "中", "低")
"""An investment target's priority."""

TARGET_KINDS: Final = ("企业", "项目")
"""An investment target is a named enterprise (目标企业) or a kind of project (项目类型)."""

ORIGINS: Final = ("市内", "省内", "省外", "境外")
"""Where a signing's investor comes from (省外/境外 are what the province counts as 引资)."""

CHAIN_SHEET: Final = "产业链"
NODE_SHEET: Final = "环节"
EDGE_SHEET: Final = "供应关系"
ENTERPRISE_SHEET: Final = "企业"
TARGET_SHEET: Final = "招商目标"
SIGNING_SHEET: Final = "签约项目"

CHAINS: Final[tuple[Column, ...]] = (
    Column("chain", "产业链编号", "chain id", "code", True, aliases=("链编号",)),
    Column("name", "产业链名称", "chain name", "text", True, aliases=("名称", "产业链")),
    Column("leader", "链长", "chain leader", aliases=("链长（市级领导）",)),
    Column("lead_enterprises", "链主企业", "lead enterprises", aliases=("链主",)),
    Column("department", "牵头部门", "lead department", aliases=("责任部门",)),
    Column("description", "说明", "description", aliases=("备注",)),
)

NODES: Final[tuple[Column, ...]] = (
    Column("node", "环节编号", "node id", "code", True, aliases=("节点编号",)),
    Column("chain", "产业链编号", "chain id", "code", True, aliases=("链编号",)),
    Column("name", "环节名称", "node name", "text", True, aliases=("名称", "节点名称")),
    Column(
        "position", "上中下游", "position", "choice", True, choices=POSITIONS, aliases=("位置",)
    ),
    Column("parent", "上级环节编号", "parent node id", "code", aliases=("上级环节", "上级节点")),
    Column(
        "industries",
        "国民经济行业分类代码",
        "industry codes (GB/T 4754)",
        aliases=("行业代码", "行业分类代码"),
    ),
    Column("note", "说明", "note", aliases=("备注",)),
)

EDGES: Final[tuple[Column, ...]] = (
    Column("source", "供应环节编号", "supplying node id", "code", True, aliases=("起点环节",)),
    Column("target", "需求环节编号", "receiving node id", "code", True, aliases=("终点环节",)),
    Column("relation", "关系", "relation", aliases=("供应关系",)),
    Column("note", "说明", "note", aliases=("备注",)),
)

ENTERPRISES: Final[tuple[Column, ...]] = (
    Column(
        "uscc",
        "统一社会信用代码",
        "unified social credit code",
        "code",
        True,
        aliases=("信用代码",),
    ),
    Column("name", "企业名称", "enterprise name", "text", True, aliases=("名称",)),
    Column("county", "县区代码", "county code", "code", True, aliases=("区划代码",)),
    Column("park", "所属园区", "park", aliases=("园区",)),
    Column("nodes", "所在环节编号", "node ids", "text", True, aliases=("环节编号", "所在环节")),
    Column("above_scale", "规上企业", "above designated size", "bool", aliases=("是否规上",)),
    Column(
        "output", "产值（万元）", "output (10k yuan)", "number", aliases=("工业总产值（万元）",)
    ),
    Column("tax", "税收（万元）", "tax (10k yuan)", "number", aliases=("纳税（万元）",)),
    Column("employees", "从业人员（人）", "employees", "number", aliases=("从业人员",)),
    Column("lead", "链主企业", "lead enterprise", "bool", aliases=("是否链主",)),
)

TARGETS: Final[tuple[Column, ...]] = (
    Column("target", "目标编号", "target id", "code", True, aliases=("编号",)),
    Column("node", "环节编号", "node id", "code", True),
    Column("county", "县区代码", "county code", "code", aliases=("区划代码",)),
    Column("kind", "目标类别", "kind", "choice", True, choices=TARGET_KINDS, aliases=("类别",)),
    Column("name", "目标企业或项目类型", "target enterprise or kind of project", "text", True),
    Column("priority", "优先级", "priority", "choice", choices=PRIORITIES),
    Column("note", "说明", "note", aliases=("备注",)),
)

SIGNINGS: Final[tuple[Column, ...]] = (
    Column("project", "项目编号", "project id", "code", True, aliases=("编号",)),
    Column("name", "项目名称", "project name", "text", True, aliases=("名称",)),
    Column("investor", "投资方", "investor", "text", True, aliases=("签约企业", "投资企业")),
    Column("origin", "投资方来源", "investor from", "choice", choices=ORIGINS, aliases=("来源",)),
    Column(
        "amount",
        "签约金额（万元）",
        "amount (10k yuan)",
        "number",
        True,
        aliases=("投资总额（万元）",),
    ),
    Column("signed_on", "签约时间", "signed on", "date", True, aliases=("签约日期",)),
    Column("node", "环节编号", "node id", "code", aliases=("所在环节",)),
    Column("county", "县区代码", "county code", "code", True, aliases=("区划代码",)),
    Column("park", "所属园区", "park", aliases=("园区",)),
    Column("target", "目标编号", "target id", "code", aliases=("招商目标",)),
    Column("batch", "三个一批期次", "batch (三个一批)", aliases=("期次",)),
    Column("note", "说明", "note", aliases=("备注",)),
)

SHEETS: Final[dict[str, tuple[Column, ...]]] = {
    CHAIN_SHEET: CHAINS,
    NODE_SHEET: NODES,
    EDGE_SHEET: EDGES,
    ENTERPRISE_SHEET: ENTERPRISES,
    TARGET_SHEET: TARGETS,
    SIGNING_SHEET: SIGNINGS,
}
"""The workbook's sheets in order, with their columns."""
