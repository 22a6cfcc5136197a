"""The rules of the issue ledger (问题台账): the steps an issue moves through, and when it is
escalated a level.

An issue raised on a project moves one step at a time, 提出 → 交办 → 督办 → 办结 → 销号
(``open → assigned → supervised → resolved → closed``); 督办 may be skipped (an issue assigned
and solved at once), and a resolved issue the office does not accept goes back to 督办.  While it
is not resolved, an issue whose time limit (时限) has passed is escalated one level, 县 →
市重点项目协调调度会 → 市委市政府主要领导 (``county → meeting → leaders``), and given a new time
limit; at the top level it stays there.

References
----------
问题台账, 督办, 销号 and escalation as the dispatch platforms and cities run them:
``shared/research/domain.md`` §4.3 (南乐 问题台账, 泉州「六个一」, 武胜 任务清单/问题清单).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

__all__ = [
    "LEVELS",
    "STEPS",
    "TRANSITIONS",
    "can_move",
    "escalation",
    "is_overdue",
]

STEPS: Final = ("open", "assigned", "supervised", "resolved", "closed")
"""提出, 交办, 督办, 办结, 销号."""

LEVELS: Final = ("county", "meeting", "leaders")
"""县, 市重点项目协调调度会, 市委市政府主要领导."""

TRANSITIONS: Final[dict[str, tuple[str, ...]]] = {
    "open": ("assigned",),
    "assigned": ("supervised", "resolved"),
    "supervised": ("resolved",),
    "resolved": ("closed", "supervised"),
    "closed": (),
}
"""The steps an issue may move to from each step."""

_DONE: Final = frozenset({"resolved", "closed"})


def can_move(status: str, to: str) -> bool:
    """Whether an issue at ``status`` may move to ``to``.

    >>> can_move("open", "assigned"), can_move("open", "closed"), can_move("resolved", "supervised")
    (True, False, True)
    """
    return to in TRANSITIONS.get(status, ())


def is_overdue(status: str, deadline: dt.date | None, today: dt.date) -> bool:
    """An issue not yet resolved whose time limit is before ``today``.

    >>> is_overdue("assigned", dt.date(2026, 3, 31), dt.date(2026, 4, 1))
    True
    >>> is_overdue("assigned", dt.date(2026, 3, 31), dt.date(2026, 3, 31))
    False
    """
    return status not in _DONE and deadline is not None and deadline < today


def escalation(
    status: str, level: str, deadline: dt.date | None, today: dt.date, *, days: int = 15
) -> tuple[str, dt.date] | None:
    """The level an overdue issue goes to and its new time limit (``today + days``), or None
    when it stays (not overdue, or already at the top).

    >>> escalation("assigned", "county", dt.date(2026, 3, 31), dt.date(2026, 4, 2))
    ('meeting', datetime.date(2026, 4, 17))
    >>> escalation("assigned", "leaders", dt.date(2026, 3, 31), dt.date(2026, 4, 2)) is None
    True
    """
    if not is_overdue(status, deadline, today):
        return None
    position = LEVELS.index(level)
    if position + 1 >= len(LEVELS):
        return None
    return LEVELS[position + 1], today + dt.timedelta(days=days)
