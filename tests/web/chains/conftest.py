"""A small chain every test of the chains pages can start from.

``chains`` (a namespace):

- ``users``: the platform's fixtures' roles (admin, analyst, viewer, county-410821,
  county-410822) plus ``owner-a`` (a project owner), ``judge-1`` and ``dept-stat`` (统计局),
  who see nothing of the chains;
- the chain NE 新能源电池 stored by the office: 上游 U1 正极材料 with its child U11 锂盐, 中游
  M1 电芯, 下游 D1 储能系统; supply U1 → M1 → D1; enterprises: 甲 (修武县 410821, on U11, 规上,
  output 5000), 乙 (修武县, on M1, 规上, 8000), 丙 (博爱县 410822, on M1, 2000); the target
  T1 (储能集成企业) on D1 for the city;
- ``signing``: S1, a signing of 修武县 on D1 (30000 万元, 省外, signed 2026-03-01),
  recorded by the county; its project is in the registry.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kaoping.chains import make_book
from kaoping.chains.codes import make_uscc
from kaoping.web.chains import services
from kaoping.web.collection.models import Membership, Role, Unit

CHAIN_ROLES = ["anonymous", "admin", "analyst", "viewer", "county-410821", "county-410822",
               "owner-a", "judge-1", "dept-stat"]  # fmt: skip


def small_book() -> Any:
    return make_book(
        chains=[{"chain": "NE", "name": "新能源电池", "leader": "张市长",
                 "lead_enterprises": "乙"}],
        nodes=[
            {"node": "U1", "chain": "NE", "name": "正极材料", "position": "上游",
             "industries": "C3985"},
            {"node": "U11", "chain": "NE", "name": "锂盐", "position": "上游", "parent": "U1",
             "industries": "C2613"},
            {"node": "M1", "chain": "NE", "name": "电芯", "position": "中游",
             "industries": "C3841"},
            {"node": "D1", "chain": "NE", "name": "储能系统", "position": "下游",
             "industries": "C3841"},
        ],
        edges=[{"source": "U1", "target": "M1"}, {"source": "M1", "target": "D1"}],
        enterprises=[
            {"uscc": make_uscc("410821", 1), "name": "甲锂业", "county": "410821",
             "nodes": "U11", "above_scale": True, "output": 5000.0},
            {"uscc": make_uscc("410821", 2), "name": "乙电池", "county": "410821",
             "nodes": "M1", "above_scale": True, "output": 8000.0, "lead": True},
            {"uscc": make_uscc("410822", 3), "name": "丙新能源", "county": "410822",
             "nodes": "M1", "above_scale": False, "output": 2000.0},
        ],
        targets=[{"target": "T1", "node": "D1", "kind": "企业", "name": "储能集成企业",
                  "priority": "高"}],
    )  # fmt: skip


def _user(name: str, role: Role, **extra: Any) -> Any:
    user = get_user_model().objects.create_user(username=name, password="pw")
    Membership.objects.create(user=user, role=role, **extra)
    return user


@pytest.fixture
def chains(users: dict[str, Any], units: dict[str, Unit]) -> SimpleNamespace:
    more = {
        "owner-a": _user("owner-a", Role.OWNER),
        "judge-1": _user("judge-1", Role.JUDGE),
        "dept-stat": _user("dept-stat", Role.DEPARTMENT, department="统计局"),
    }
    services.book_store(actor=users["analyst"], book=small_book())
    signing = services.signing_record(
        actor=users["county-410821"], county="410821", name="储能电站项目", investor="某储能公司",
        amount="30000", signed_on="2026-03-01", origin="省外", node="D1", target="T1",
        batch="2026年第一期", code="S1",
    )  # fmt: skip
    return SimpleNamespace(users={**users, **more}, signing=signing)
