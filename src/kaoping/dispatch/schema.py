"""The columns of the two sheets a city keeps: the project registry (项目库) and the monthly
dispatch sheet (月调度表), with their Chinese and English headers.

Every reader, template and writer of :mod:`kaoping.dispatch` and of the platform's ``projects``
app takes its columns from here, so that a header means the same thing everywhere.  Field names
follow ``shared/research/domain.md`` §4.1 (registry) and §4.2 (monthly report).  Money is in
万元 (10,000 yuan) throughout, as the cities' sheets keep it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

__all__ = [
    "BATCH_ROLES",
    "KEY_LEVELS",
    "MONTHLY",
    "REGISTRY",
    "STAGES",
    "STATUSES",
    "Column",
    "column",
]

Kind = Literal["text", "code", "number", "date", "bool", "choice", "month"]


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its field name, headers, kind and whether it must be filled."""

    name: str
    zh: str
    en: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = field(default=())
    """Other headers cities write for this column (matched like the headers, case-folded)."""

    @property
    def header(self) -> str:
        """The header in the templates: ``总投资（万元）``."""
        return self.zh


KEY_LEVELS: Final = ("国家重点", "省重点", "市重点", "县重点")
"""重点级别; an empty level is a project the registry keeps that is not a key project."""

STAGES: Final = ("前期", "在建", "竣工", "投产", "达效")
"""建设阶段."""

BATCH_ROLES: Final = ("签约", "开工", "投产")
"""The group a project was presented in at a 「三个一批」 batch (签约一批、开工一批、投产一批)."""

STATUSES: Final = ("超前", "正常", "滞后", "停工", "未开工")
"""A project's status in a month (see :func:`kaoping.dispatch.progress`)."""


REGISTRY: Final[tuple[Column, ...]] = (
    Column("project", "项目编号", "project id", "code", True, aliases=("编号", "项目代码")),
    Column("name", "项目名称", "project name", "text", True, aliases=("名称",)),
    Column("approval_code", "项目审批代码", "approval code", "code", aliases=("审批代码",)),
    Column(
        "county", "县区代码", "county code", "code", True, aliases=("县(市、区)代码", "区划代码")
    ),
    Column("park", "所属园区", "park", aliases=("园区", "所属开发区")),
    Column("location", "建设地点", "location"),
    Column("longitude", "经度", "longitude", "number"),
    Column("latitude", "纬度", "latitude", "number"),
    Column("industry", "所属行业", "industry", aliases=("行业",)),
    Column("category", "项目类别", "category", aliases=("类别",)),
    Column(
        "nature", "建设性质", "kind of works", "choice", choices=("新建", "扩建", "改建", "技改")
    ),
    Column("key_level", "重点级别", "key level", "choice", choices=KEY_LEVELS),
    Column("industrial", "工业项目", "industrial project", "bool", aliases=("是否工业项目",)),
    Column("attracted", "招商引资项目", "attracted investment", "bool", aliases=("是否招商引资",)),
    Column("batch", "三个一批期次", "batch (三个一批)", aliases=("期次",)),
    Column("batch_role", "三个一批类别", "batch role", "choice", choices=BATCH_ROLES),
    Column("owner", "业主单位", "owner"),
    Column("responsible", "责任单位", "responsible unit"),
    Column("leader", "包联领导", "leader in charge", aliases=("分包领导", "包保领导")),
    Column("contact", "联系人", "contact"),
    Column("phone", "联系电话", "phone", aliases=("电话",)),
    Column("total", "总投资（万元）", "total investment (10k yuan)", "number", True),
    Column("annual_plan", "年度计划投资（万元）", "annual plan (10k yuan)", "number"),
    Column("central_budget", "中央预算内资金（万元）", "central budget funds (10k yuan)", "number"),
    Column("bond", "专项债券（万元）", "special bonds (10k yuan)", "number"),
    Column("city_funds", "市本级资金（万元）", "city funds (10k yuan)", "number"),
    Column("market_funds", "市场化及其他资金（万元）", "market and other (10k yuan)", "number"),
    Column(
        "invested_before",
        "调度前累计完成投资（万元）",
        "invested before dispatch (10k yuan)",
        "number",
        aliases=("截至上年底累计完成投资（万元）",),
    ),
    Column("planned_start", "计划开工时间", "planned start", "date"),
    Column("planned_finish", "计划竣工时间", "planned finish", "date"),
    Column("actual_start", "实际开工时间", "actual start", "date", aliases=("开工时间",)),
    Column("actual_finish", "实际竣工时间", "actual finish", "date", aliases=("竣工时间",)),
    Column("signed_on", "签约时间", "signed on", "date"),
    Column("fulfilled_on", "履约时间", "fulfilled on", "date"),
    Column("produced_on", "投产时间", "in production on", "date"),
    Column("effective_on", "达效时间", "at full effect on", "date"),
    Column("stage", "建设阶段", "stage", "choice", choices=STAGES),
    Column("content", "建设规模及内容", "scale and content", aliases=("建设内容",)),
    Column("doc_approval", "立项（核准/备案）文号", "approval document no."),
    Column("doc_feasibility", "可研批复文号", "feasibility approval no."),
    Column("doc_design", "初步设计批复文号", "preliminary design approval no."),
    Column("doc_land", "用地批复文号", "land approval no."),
    Column("doc_planning", "规划许可证号", "planning permit no."),
    Column("doc_environment", "环评批复文号", "environmental approval no."),
    Column("doc_construction", "施工许可证号", "construction permit no."),
)

MONTHLY: Final[tuple[Column, ...]] = (
    Column("project", "项目编号", "project id", "code", True, aliases=("编号", "项目代码")),
    Column("name", "项目名称", "project name", aliases=("名称",)),
    Column("month", "月份", "month", "month", True, aliases=("填报月份", "调度月份")),
    Column("invested", "本月完成投资（万元）", "invested this month (10k yuan)", "number", True),
    Column("ytd", "当年累计完成投资（万元）", "this year so far (10k yuan)", "number"),
    Column("since_start", "自开工累计完成投资（万元）", "since start (10k yuan)", "number"),
    Column("stopped", "是否停工", "stopped", "bool", aliases=("停工",)),
    Column(
        "in_statistics", "是否入统", "in the statistics", "bool", aliases=("已入统", "是否入库")
    ),
    Column("workers", "现场施工人数", "workers on site", "number"),
    Column("progress", "形象进度", "progress on site", aliases=("项目进展情况",)),
    Column("problems", "存在问题及困难", "problems", aliases=("存在问题",)),
    Column("note", "说明", "note", aliases=("备注",)),
)


def column(columns: tuple[Column, ...], name: str) -> Column:
    """The column called ``name`` (a field name) of ``columns``."""
    for col in columns:
        if col.name == name:
            return col
    raise KeyError(name)
