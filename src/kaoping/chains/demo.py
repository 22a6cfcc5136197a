"""Three synthetic industrial chains of Jiaozuo for the demo (SYNTHETIC: not real enterprises).

新能源电池材料, 装备制造 and 绿色食品与中医药 — nodes with their real GB/T 4754-2017 codes, the
supply relations between them, about 150 made-up enterprises in Jiaozuo's counties (names,
figures and 统一社会信用代码 invented, the codes with valid check characters), a few nodes left
without any (the gaps the demo's gap list shows), investment targets on the gaps, and 121
signed projects of the year, 59 of them in the six 县(市) — 48.8 % of the projects and 58.3 % of
the amount, the shares the source reports ("6县(市)集中签约项目59个 … 占全市比重分别达48.8%、
58.3%", ``shared/sources/``) — each with the dates of its life so far (履约, 开工, 投产).
Seeded: the same arguments give the same book.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from kaoping.chains import codes
from kaoping.chains.model import ChainBook, make_book

__all__ = ["AS_OF", "SIX_COUNTIES", "demo_book"]

SIX_COUNTIES: Final = ("410821", "410822", "410823", "410825", "410882", "410883")
"""焦作's six 县(市): 修武、博爱、武陟、温县、沁阳、孟州."""

_OTHERS: Final = ("410802", "410803", "410804", "410811", "410871")
"""焦作's four districts and the 示范区."""

AS_OF: Final = "2026-11-30"
"""The day the demo's signings are seen from (the dispatch demo's last month)."""

_CHAINS: Final = (
    ("XNY", "新能源电池材料", "市政府副市长（示例）", "市工业和信息化局"),
    ("ZBZ", "装备制造", "市政府副市长（示例）", "市发展和改革委员会"),
    ("LSP", "绿色食品与中医药", "市政府副市长（示例）", "市农业农村局"),
)

# node, chain, name, position, parent, industry codes
_NODES: Final = (
    ("XNY-01", "XNY", "基础化工原料", "上游", None, "C2613、C2614"),
    ("XNY-02", "XNY", "氟化工", "上游", "XNY-01", "C2613"),
    ("XNY-03", "XNY", "锂盐", "上游", "XNY-01", "C2613"),
    ("XNY-04", "XNY", "正极材料", "上游", None, "C3985"),
    ("XNY-05", "XNY", "磷酸铁锂", "上游", "XNY-04", "C3985"),
    ("XNY-06", "XNY", "三元材料", "上游", "XNY-04", "C3985"),
    ("XNY-07", "XNY", "负极材料", "上游", None, "C3091"),
    ("XNY-08", "XNY", "电解液", "上游", None, "C2669"),
    ("XNY-09", "XNY", "六氟磷酸锂", "上游", "XNY-08", "C2613"),
    ("XNY-10", "XNY", "电解液配制", "上游", "XNY-08", "C2669"),
    ("XNY-11", "XNY", "隔膜", "上游", None, "C2921"),
    ("XNY-12", "XNY", "电芯制造", "中游", None, "C3841"),
    ("XNY-13", "XNY", "电池模组与电池包", "中游", None, "C3841"),
    ("XNY-14", "XNY", "电池管理系统", "中游", None, "C3824"),
    ("XNY-15", "XNY", "新能源汽车", "下游", None, "C3612"),
    ("XNY-16", "XNY", "储能系统", "下游", None, "C3849"),
    ("XNY-17", "XNY", "电池回收利用", "下游", None, "C4210"),
    ("ZBZ-01", "ZBZ", "基础件", "上游", None, "C3391、C3393、C3451"),
    ("ZBZ-02", "ZBZ", "铸锻件", "上游", "ZBZ-01", "C3391、C3393"),
    ("ZBZ-03", "ZBZ", "轴承与齿轮", "上游", "ZBZ-01", "C3451、C3453"),
    ("ZBZ-04", "ZBZ", "钢材", "上游", None, "C3130"),
    ("ZBZ-05", "ZBZ", "电机与电控", "上游", None, "C3812"),
    ("ZBZ-06", "ZBZ", "汽车零部件", "中游", None, "C3670"),
    ("ZBZ-07", "ZBZ", "缸套与活塞", "中游", "ZBZ-06", "C3670"),
    ("ZBZ-08", "ZBZ", "制动与传动系统", "中游", "ZBZ-06", "C3670"),
    ("ZBZ-09", "ZBZ", "液压件", "中游", None, "C3444"),
    ("ZBZ-10", "ZBZ", "矿山机械", "下游", None, "C3511"),
    ("ZBZ-11", "ZBZ", "起重机械", "下游", None, "C3432"),
    ("ZBZ-12", "ZBZ", "工业机器人", "下游", None, "C3491"),
    ("LSP-01", "LSP", "种植与养殖", "上游", None, "A0112、A0171、A0313"),
    ("LSP-02", "LSP", "怀药种植", "上游", "LSP-01", "A0171"),
    ("LSP-03", "LSP", "小麦种植", "上游", "LSP-01", "A0112"),
    ("LSP-04", "LSP", "生猪养殖", "上游", "LSP-01", "A0313"),
    ("LSP-05", "LSP", "中药饮片", "中游", None, "C2730"),
    ("LSP-06", "LSP", "面粉加工", "中游", None, "C1312"),
    ("LSP-07", "LSP", "肉制品加工", "中游", None, "C1353"),
    ("LSP-08", "LSP", "速冻食品", "中游", None, "C1432"),
    ("LSP-09", "LSP", "中成药", "下游", None, "C2740"),
    ("LSP-10", "LSP", "保健食品", "下游", None, "C1492"),
    ("LSP-11", "LSP", "冷链物流", "下游", None, "G5930"),
)

_EDGES: Final = (
    ("XNY-02", "XNY-09"), ("XNY-03", "XNY-05"), ("XNY-03", "XNY-06"), ("XNY-05", "XNY-12"),
    ("XNY-06", "XNY-12"), ("XNY-07", "XNY-12"), ("XNY-10", "XNY-12"), ("XNY-09", "XNY-10"),
    ("XNY-11", "XNY-12"), ("XNY-12", "XNY-13"), ("XNY-14", "XNY-13"), ("XNY-13", "XNY-15"),
    ("XNY-13", "XNY-16"), ("XNY-15", "XNY-17"), ("XNY-16", "XNY-17"), ("XNY-17", "XNY-03"),
    ("ZBZ-02", "ZBZ-07"), ("ZBZ-02", "ZBZ-10"), ("ZBZ-03", "ZBZ-08"), ("ZBZ-04", "ZBZ-02"),
    ("ZBZ-05", "ZBZ-11"), ("ZBZ-05", "ZBZ-12"), ("ZBZ-09", "ZBZ-10"), ("ZBZ-09", "ZBZ-11"),
    ("ZBZ-03", "ZBZ-12"),
    ("LSP-02", "LSP-05"), ("LSP-05", "LSP-09"), ("LSP-03", "LSP-06"), ("LSP-06", "LSP-08"),
    ("LSP-04", "LSP-07"), ("LSP-07", "LSP-08"), ("LSP-08", "LSP-11"), ("LSP-02", "LSP-10"),
)  # fmt: skip

# leaf node -> (enterprises, where they mostly are); 0 leaves a gap (缺失), 1–2 a weak link
_PLACED: Final = {
    "XNY-02": (4, "410803"), "XNY-03": (2, "410821"), "XNY-05": (5, "410821"),
    "XNY-06": (0, ""), "XNY-07": (2, "410871"), "XNY-09": (3, "410803"),
    "XNY-10": (4, "410803"), "XNY-11": (1, "410883"), "XNY-12": (3, "410871"),
    "XNY-13": (4, "410871"), "XNY-14": (0, ""), "XNY-15": (2, "410823"),
    "XNY-16": (3, "410882"), "XNY-17": (0, ""),
    "ZBZ-02": (9, "410883"), "ZBZ-03": (5, "410823"), "ZBZ-04": (3, "410802"),
    "ZBZ-05": (2, "410811"), "ZBZ-07": (8, "410883"), "ZBZ-08": (6, "410883"),
    "ZBZ-09": (4, "410823"), "ZBZ-10": (7, "410811"), "ZBZ-11": (6, "410802"),
    "ZBZ-12": (0, ""),
    "LSP-02": (9, "410825"), "LSP-03": (6, "410823"), "LSP-04": (5, "410822"),
    "LSP-05": (8, "410825"), "LSP-06": (7, "410823"), "LSP-07": (5, "410822"),
    "LSP-08": (6, "410823"), "LSP-09": (4, "410825"), "LSP-10": (0, ""),
    "LSP-11": (1, "410882"),
}  # fmt: skip

_WORDS: Final = tuple("恒信华泰宏达兴瑞昌丰联鑫源盛通科中创远嘉立安德龙")
_KIND_OF: Final = {"XNY": "新材料科技", "ZBZ": "机械装备", "LSP": "食品"}
_COUNTY_NAME: Final = {
    "410802": "解放", "410803": "中站", "410804": "马村", "410811": "山阳", "410821": "修武",
    "410822": "博爱", "410823": "武陟", "410825": "温县", "410871": "示范区",
    "410882": "沁阳", "410883": "孟州",
}  # fmt: skip


def _enterprises(rng: np.random.Generator) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    counties = (*SIX_COUNTIES, *_OTHERS)
    serial = 1000
    names: set[str] = set()
    for node, (count, home) in _PLACED.items():
        chain = node.split("-")[0]
        for k in range(count):
            county = home if k % 3 != 2 else counties[int(rng.integers(len(counties)))]
            while True:
                word = "".join(rng.choice(_WORDS, size=2, replace=False))
                name = f"焦作{word}{_KIND_OF[chain]}有限公司"
                if name not in names:
                    break
            names.add(name)
            serial += int(rng.integers(1, 40))
            above = bool(rng.random() < 0.7) or k == 0
            output = float(np.round(rng.lognormal(10.2 if above else 8.3, 0.6), -1))
            rows.append(
                {
                    "uscc": codes.make_uscc(county, serial),
                    "name": name,
                    "county": county,
                    "park": f"{_COUNTY_NAME[county]}产业集聚区",
                    "nodes": node,
                    "above_scale": above,
                    "output": output,
                    "tax": float(np.round(output * rng.uniform(0.02, 0.06), 1)),
                    "employees": float(max(12, int(output / rng.uniform(60, 140)))),
                    "lead": False,
                }
            )
    # the largest enterprise of each chain is its 链主企业
    frame = pd.DataFrame(rows)
    for chain in _KIND_OF:
        mine = frame[frame["nodes"].str.startswith(chain)]
        best = mine.index.to_numpy()[mine["output"].to_numpy().argmax()]
        rows[int(best)]["lead"] = True
    return rows


def _targets() -> list[dict[str, object]]:
    wanted = (
        ("XNY-06", "企业", "国内头部三元正极材料企业", "高", None),
        ("XNY-06", "项目", "高镍三元前驱体及正极材料项目", "中", "410821"),
        ("XNY-14", "企业", "电池管理系统龙头企业", "高", None),
        ("XNY-17", "项目", "退役动力电池梯次利用与再生项目", "高", "410882"),
        ("XNY-11", "项目", "湿法隔膜生产线", "中", "410883"),
        ("ZBZ-12", "企业", "工业机器人整机企业", "高", None),
        ("ZBZ-12", "项目", "焊接与搬运机器人生产基地", "中", "410823"),
        ("ZBZ-05", "项目", "永磁电机及控制器项目", "中", None),
        ("LSP-10", "企业", "保健食品品牌企业", "高", "410825"),
        ("LSP-11", "项目", "农产品冷链物流园", "高", "410882"),
        ("LSP-11", "项目", "速冻食品冷链配送中心", "低", "410823"),
    )
    return [
        {"target": f"MB-{i:02d}", "node": node, "kind": kind, "name": name,
         "priority": priority, "county": county, "note": None}
        for i, (node, kind, name, priority, county) in enumerate(wanted, start=1)
    ]  # fmt: skip


def _signings(
    rng: np.random.Generator, targets: list[dict[str, object]]
) -> list[dict[str, object]]:
    """121 signings; 59 in the six 县(市) with 58.3 % of the amount (see the module)."""
    leaves = list(_PLACED)
    target_of = {str(t["node"]): str(t["target"]) for t in targets}
    counties = [*(SIX_COUNTIES[i % 6] for i in range(59)), *(_OTHERS[i % 5] for i in range(62))]
    amounts = np.round(rng.lognormal(10.0, 0.7, size=121), -2)  # 万元
    inside = np.arange(121) < 59
    # scale the six counties' amounts so that they make 58.3 % of the city's
    factor = 0.583 * amounts[~inside].sum() / (0.417 * amounts[inside].sum())
    amounts[inside] = np.round(amounts[inside] * factor, -2)
    # then the largest of them absorbs the rounding (to 100 万元) of the share
    six, rest = amounts[inside].sum(), amounts[~inside].sum()
    largest = int(np.argmax(np.where(inside, amounts, 0.0)))
    amounts[largest] += np.round((0.583 / 0.417 * rest - six) / 100.0) * 100.0
    origins = ("省外", "省外", "省内", "境外", "市内")
    batches = ("2026年第一期", "2026年第二期", "2026年第三期")
    starts = (pd.Timestamp("2026-01-15"), pd.Timestamp("2026-04-15"), pd.Timestamp("2026-07-15"))
    as_of = pd.Timestamp(AS_OF)
    rows: list[dict[str, object]] = []
    order = rng.permutation(121)
    for k, i in enumerate(order):
        node = leaves[int(rng.integers(len(leaves)))]
        batch = k % 3
        signed = starts[batch] + pd.Timedelta(days=int(rng.integers(0, 20)))
        fulfilled = signed + pd.Timedelta(days=int(rng.integers(20, 90)))
        started = fulfilled + pd.Timedelta(days=int(rng.integers(15, 90)))
        produced = started + pd.Timedelta(days=int(rng.integers(90, 200)))
        roll = rng.random()
        county = counties[int(i)]
        chain = node.split("-")[0]
        rows.append(
            {
                "project": f"ZS-2026-{k + 1:03d}",
                "name": f"{_COUNTY_NAME[county]}{_NODE_NAME[node]}项目",
                "investor": f"{''.join(rng.choice(_WORDS, size=2, replace=False))}"
                f"{_KIND_OF[chain]}集团有限公司",
                "origin": origins[int(rng.integers(len(origins)))],
                "amount": float(amounts[int(i)]),
                "signed_on": signed,
                "node": node,
                "county": county,
                "park": f"{_COUNTY_NAME[county]}产业集聚区",
                "target": target_of.get(node) if rng.random() < 0.6 else None,
                "batch": batches[batch],
                "note": "演示数据（合成）",
                "fulfilled_on": fulfilled if roll < 0.85 and fulfilled <= as_of else pd.NaT,
                "actual_start": started if roll < 0.65 and started <= as_of else pd.NaT,
                "produced_on": produced if roll < 0.25 and produced <= as_of else pd.NaT,
            }
        )
    return rows


_NODE_NAME: Final = {node: name for node, _, name, *_ in _NODES}


def demo_book(*, seed: int = 20261204) -> ChainBook:
    """The demo's chains, nodes, supply relations, enterprises, targets and signings (see the
    module docstring).  The signings carry the dates of their life in three more columns,
    ``fulfilled_on``, ``actual_start`` and ``produced_on`` (NaT: not yet)."""
    rng = np.random.default_rng(seed)
    targets = _targets()
    return make_book(
        chains=[
            {"chain": c, "name": n, "leader": leader, "department": dept,
             "description": "演示数据（合成）"}
            for c, n, leader, dept in _CHAINS
        ],
        nodes=[
            {"node": n, "chain": c, "name": name, "position": p, "parent": parent,
             "industries": ind}
            for n, c, name, p, parent, ind in _NODES
        ],
        edges=[{"source": s, "target": t, "relation": "供应"} for s, t in _EDGES],
        enterprises=_enterprises(rng),
        targets=targets,
        signings=_signings(rng, targets),
    )  # fmt: skip
