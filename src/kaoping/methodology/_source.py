"""YAML text -> plain Python data, with the line of every key and value.

PyYAML's composer keeps a start mark on every node; we walk the composed tree ourselves
(:func:`yaml.compose` with the safe loader) to build the data and two maps from a *path* — the
tuple of keys and list indexes that leads to a value, e.g. ``("dimensions", 0, "weight")`` — to
the 1-based line of the value and of its key.  Pydantic's error locations and our own checks
use the same paths, so every problem can say ``county.yaml:14``.

Keys starting with ``x-`` are dropped at every level: they hold YAML anchors (``x-defaults:
&stat {owner: 统计局}``, then ``<<: *stat``) and notes.  Unlike :func:`yaml.safe_load`, the
walk reports a key written twice in one mapping (YAML would
silently keep the last one) and a key that is not text (``on:`` and ``yes:`` are booleans in
YAML 1.1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from kaoping.errors import Problem

__all__ = ["Loc", "Source", "format_path", "read_yaml"]

Loc = tuple[str | int, ...]

# libyaml's parser when PyYAML was built with it: ten times faster, with the same marks.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""A path into the data: keys (str) and list indexes (int)."""


def format_path(path: Sequence[str | int]) -> str:
    """``("dimensions", 0, "weight")`` -> ``"dimensions[0].weight"``.

    >>> format_path(("dimensions", 0, "indicators", 2, "weight"))
    'dimensions[0].indicators[2].weight'
    """
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@dataclass
class Source:
    """Where data came from: a name (the file) and the lines of its values and keys.

    With no lines (a model built in Python), :meth:`where` gives the field path instead.
    """

    name: str | None
    lines: dict[Loc, int] = field(default_factory=dict)
    key_lines: dict[Loc, int] = field(default_factory=dict)
    flow: set[Loc] = field(default_factory=set)
    """Paths of mappings written in flow style, ``{a: 1, b: 2}``."""
    inherited: dict[str, Source] = field(default_factory=dict)
    """Top-level keys taken from a base methodology (``base:``), with the base's source."""
    folder: str | None = None
    """The folder of the file read (None for text): where the files it names are looked for."""

    def line(self, path: Sequence[str | int], *, key: bool = False) -> int | None:
        """Line of the value at ``path`` (of its key when ``key``), else of its nearest parent.

        For a key inherited from a base methodology this is a line of the base's file.
        """
        inherited = self.inherited.get(path[0]) if path and isinstance(path[0], str) else None
        if inherited is not None:
            return inherited.line(path, key=key)
        loc = tuple(path)
        if key and loc in self.key_lines:
            return self.key_lines[loc]
        while True:
            if loc in self.lines:
                return self.lines[loc]
            if not loc:
                return None
            loc = loc[:-1]

    def where(self, path: Sequence[str | int], *, key: bool = False) -> str | None:
        """``"file.yaml:LINE"``; without lines, ``"file:dimensions[0].weight"`` or the path."""
        inherited = self.inherited.get(path[0]) if path and isinstance(path[0], str) else None
        if inherited is not None:
            return inherited.where(path, key=key)
        line = self.line(path, key=key)
        if line is not None:
            return f"{self.name}:{line}"
        text = format_path(path)
        if self.name:
            return f"{self.name}:{text}" if text else self.name
        return text or None


def read_yaml(text: str, name: str) -> tuple[Any, Source, list[Problem]]:
    """Parse ``text``; return the data (None on a syntax error), its :class:`Source`, problems.

    Parameters
    ----------
    text : str
        The YAML document.
    name : str
        The file name used in locations (``"county.yaml"``).
    """
    source = Source(name)
    try:
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        # Parse again with the pure-Python loader, whose messages name the offending
        # character; libyaml's do not.  Its composer recurses once per level of nesting, so
        # a document nested deeper than Python's recursion limit (libyaml refuses more than
        # 1,000 levels) ends here too.
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            return None, source, [_syntax_problem(exc, text, name)]
        except RecursionError:
            return None, source, [_too_deep(f"{name}:1")]
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        return (
            None,
            source,
            [
                Problem(
                    "methodology.empty",
                    "文件为空（或只有空值 ~、null）：考核办法至少需要 id、name 和 dimensions。",
                    "the file is empty (or only a null, ~): a methodology needs at least id, "
                    "name and dimensions.",
                    f"{name}:1",
                )
            ],
        )
    walker = _Walker(source, name)
    try:
        data = walker.build(node, ())
    except yaml.MarkedYAMLError as exc:  # a bad merge key (<<) or scalar
        return None, source, [_syntax_problem(exc, text, name)]
    except _TooDeep as deep:
        return None, source, [_too_deep(f"{name}:{deep.line}")]
    except _TooLarge:
        problem = Problem(
            "methodology.too_large",
            f"文件展开后超过 {MAX_NODES:,} 个节点（多半是层层引用的 YAML 别名）；"
            "考核办法只需几千个节点，请展开或删除这些别名。",
            f"the file expands to more than {MAX_NODES:,} nodes (most likely YAML aliases "
            "referring to aliases); a methodology needs a few thousand: expand or remove them.",
            f"{name}:1",
        )
        return None, source, [problem]
    return data, source, walker.problems


MAX_NODES = 100_000
"""The most YAML nodes a methodology may expand to: aliases are copied out in full, so a few
hundred bytes of aliases of aliases would otherwise take minutes and gigabytes."""
MAX_DEPTH = 64
"""The deepest nesting of mappings and lists in a methodology (a tree of five levels of
dimensions with its indicators and AHP matrices is about 16 deep)."""


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _too_deep(where: str) -> Problem:
    return Problem(
        "methodology.too_deep",
        f"文件中的映射和列表嵌套超过 {MAX_DEPTH} 层；考核办法只需十几层。"
        "请检查缩进和括号是否成对。",
        f"the file nests mappings and lists more than {MAX_DEPTH} levels deep; a methodology "
        "needs a dozen or so: check the indentation and that brackets close.",
        where,
    )


class _Walker:
    def __init__(self, source: Source, name: str) -> None:
        self.source = source
        self.name = name
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.stack: set[int] = set()
        self.built = 0

    def build(self, node: yaml.Node, path: Loc) -> Any:
        self.built += 1
        if self.built > MAX_NODES:
            raise _TooLarge
        if len(path) > MAX_DEPTH:
            raise _TooDeep(node.start_mark.line + 1)
        self.source.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self.stack:
            self.problems.append(
                Problem(
                    "methodology.recursive_alias",
                    "YAML 别名引用了自身（递归结构），无法读取；请展开该别名。",
                    "a YAML alias refers to itself (a recursive structure); expand the alias.",
                    f"{self.name}:{node.start_mark.line + 1}",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode):
            if node.flow_style:
                self.source.flow.add(path)
            self.stack.add(id(node))
            try:
                return self._mapping(node, path)
            finally:
                self.stack.discard(id(node))
        if isinstance(node, yaml.SequenceNode):
            self.stack.add(id(node))
            try:
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            finally:
                self.stack.discard(id(node))
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:  # 2024-02-30, an integer of 5,000 digits
            text = str(getattr(node, "value", ""))
            shown = text if len(text) <= 40 else text[:40] + "…"
            self.problems.append(
                Problem(
                    "methodology.invalid_value",
                    f"值 {shown!r} 无法读取（{exc}）。请改正这个值，或给它加上引号作为文本。",
                    f"the value {shown!r} cannot be read ({exc}); correct it, or quote it to "
                    "make it text.",
                    f"{self.name}:{node.start_mark.line + 1}",
                )
            )
            return None

    def _mapping(self, node: yaml.MappingNode, path: Loc) -> dict[str, Any]:
        explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
        self.constructor.flatten_mapping(node)  # resolves merge keys (<<) in place
        merged = len(node.value) - explicit  # merged pairs come first and may be overridden
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for index, (key_node, value_node) in enumerate(node.value):
            line = key_node.start_mark.line + 1
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.problems.append(
                    Problem(
                        "methodology.bad_key",
                        f"键 {_node_text(key_node)} 不是文本"
                        "（YAML 会把 yes/no/on/off/数字 读成布尔值或数）。请给键加引号或改名。",
                        f"key {_node_text(key_node)} is not text (YAML reads yes/no/on/off and "
                        "numbers as booleans or numbers); quote the key or rename it.",
                        f"{self.name}:{line}",
                    )
                )
                continue
            if key.startswith("x-"):
                continue  # an extension key: a place for YAML anchors and notes, not read
            if key in out and index >= merged and key in first_line:
                self.problems.append(
                    Problem(
                        "methodology.duplicate_key",
                        f"键 {key} 在同一层出现了两次（第 {first_line[key]} 行和第 {line} 行），"
                        "YAML 只会保留后一个。请删去其中一个。",
                        f"key {key!r} appears twice in the same mapping (lines {first_line[key]} "
                        f"and {line}); YAML keeps only the last one. Remove one of them.",
                        f"{self.name}:{line}",
                    )
                )
            if index >= merged:
                first_line.setdefault(key, line)
            child = (*path, key)
            self.source.key_lines[child] = line
            self.source.lines.pop(child, None)  # a later duplicate wins, as in YAML
            out[key] = self.build(value_node, child)
        return out


def _node_text(node: yaml.Node) -> str:
    value = getattr(node, "value", "")
    return repr(value) if isinstance(value, str) else f"<{type(node).__name__}>"


def _syntax_problem(exc: yaml.YAMLError, text: str, name: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    what = " ".join(
        str(part) for part in (getattr(exc, "context", None), getattr(exc, "problem", None)) if part
    ) or str(exc)
    lines = text.splitlines()
    suspects = []
    for m in (getattr(exc, "context_mark", None), mark):
        if m is not None and 0 <= m.line < len(lines):
            suspects.append(lines[m.line])
    zh_hint, en_hint = _syntax_hint(" ".join(suspects), what)
    if mark is None:  # pragma: no cover - PyYAML marks its errors
        return Problem(
            "methodology.yaml_syntax",
            f"YAML 语法错误：{what}。{zh_hint}",
            f"YAML syntax error: {what}. {en_hint}",
            name,
        )
    line, column = mark.line + 1, mark.column + 1
    return Problem(
        "methodology.yaml_syntax",
        f"YAML 语法错误（第 {line} 行第 {column} 列）：{what}。{zh_hint}",
        f"YAML syntax error (line {line}, column {column}): {what}. {en_hint}",
        f"{name}:{line}",
    )


def _syntax_hint(text: str, what: str) -> tuple[str, str]:
    if "\t" in text or "'\\t'" in what:
        return ("缩进只能用空格，不能用 Tab 键。", "Indent with spaces, not tabs.")
    if "：" in text:
        return (
            "请用半角冒号加空格“: ”，不要用全角冒号“：”。",
            "Use the half-width colon followed by a space (': '), not the full-width '：'.",
        )
    if "\u3000" in text:
        return ("行中有全角空格，请改为半角空格。", "The line has a full-width space; use ' '.")
    if "cannot start any token" in what:
        return (
            '以 % @ ` 等特殊字符开头的值要加引号，例如 unit: "%"。',
            'Quote values that start with % @ ` and similar characters, e.g. unit: "%".',
        )
    return (
        "请检查缩进是否对齐、冒号后是否有空格、引号和括号是否成对。",
        "Check the indentation, the space after each ':', and that quotes and brackets close.",
    )
