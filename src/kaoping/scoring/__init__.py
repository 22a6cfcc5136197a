"""Official scoring (考核计分): the rules that turn an indicator value into points.

:mod:`kaoping.scoring.rules` holds the per-indicator rules of official assessments (目标完成率法,
功效系数法, 对标平均, 排位赋分, 分档赋分, 标杆比值法, 总量+增量, 评委打分) as pure NumPy
functions on the units of one comparison group.  The formulas and their sources are in each
function's docstring and in ``shared/METHODS.md``, "Official scoring rules".
"""

from kaoping.scoring import rules

__all__ = ["rules"]
