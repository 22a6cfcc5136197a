"""The expressions of cross-checks (``plausibility.checks[].rule``): parsed with :mod:`ast`,
never evaluated by Python; only indicator ids, numbers, ``+ - * /``, brackets and one
comparison are accepted."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["ARITHMETIC", "Rule", "RuleSyntaxError", "parse_rule", "rule_names"]


class RuleSyntaxError(ValueError):
    """A cross-check's rule is not a comparison of arithmetic expressions; ``zh``/``en`` say
    why."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en


_COMPARE: dict[type[ast.cmpop], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.LtE: ("<=", operator.le),
    ast.Lt: ("<", operator.lt),
    ast.GtE: (">=", operator.ge),
    ast.Gt: (">", operator.gt),
    ast.Eq: ("==", operator.eq),
}
ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}
_MAX_RULE = 500


@dataclass(frozen=True)
class Rule:
    left: ast.expr
    op: str
    right: ast.expr
    names: tuple[str, ...]


@lru_cache(maxsize=256)
def parse_rule(text: str) -> Rule:
    """Parse a cross-check's rule: ``LEFT OP RIGHT`` with one comparison.

    Raises
    ------
    RuleSyntaxError
        With the reason in Chinese and English.
    """
    if len(text) > _MAX_RULE:
        raise RuleSyntaxError(
            f"规则过长（超过 {_MAX_RULE} 个字符）。",
            f"the rule is longer than {_MAX_RULE} characters",
        )
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        raise RuleSyntaxError(
            "规则不是合法的算式：请写成“表达式 比较符 表达式”，如 budget_revenue <= gdp。",
            "the rule is not a valid expression: write EXPRESSION OPERATOR EXPRESSION, e.g. "
            "budget_revenue <= gdp",
        ) from None
    body = tree.body
    if not isinstance(body, ast.Compare) or len(body.ops) != 1:
        raise RuleSyntaxError(
            "规则须是一个比较（<=、<、>=、>、== 之一），如 budget_revenue <= gdp。",
            "the rule must be one comparison (<=, <, >=, > or ==), e.g. budget_revenue <= gdp",
        )
    op = _COMPARE.get(type(body.ops[0]))
    if op is None:
        raise RuleSyntaxError(
            "比较符只能是 <=、<、>=、>、==。", "the comparison must be one of <=, <, >=, >, =="
        )
    names: list[str] = []
    for side in (body.left, body.comparators[0]):
        _check_expression(side, names)
    return Rule(body.left, op[0], body.comparators[0], tuple(dict.fromkeys(names)))


def rule_names(text: str) -> tuple[str, ...]:
    """The indicator ids a rule names, in order of appearance."""
    return parse_rule(text).names


def _check_expression(node: ast.expr, names: list[str]) -> None:
    if isinstance(node, ast.Name):
        names.append(node.id)
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, int | float) and not isinstance(node.value, bool):
            return
    elif isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
        _check_expression(node.left, names)
        _check_expression(node.right, names)
        return
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        _check_expression(node.operand, names)
        return
    shown = ast.unparse(node)
    raise RuleSyntaxError(
        f"规则中的“{shown}”不被接受：只能用指标代码、数字、+ - * / 和括号。",
        f"{shown!r} is not accepted in a rule: use indicator ids, numbers, + - * / and brackets",
    )
