"""YAML with line numbers and no type guessing.

PyYAML's traps (`010020` read as octal, `no` as False, `2026-03-01` as a date) are avoided by
reading every plain scalar as a string (null-like scalars as None) and letting the pydantic
models convert what they declare. Each value's line is kept so errors can name it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import InputInvalid, Problem

NULLS = {"", "~", "null", "Null", "NULL"}


def load_yaml(path: Path) -> tuple[object, dict[tuple, int]]:
    """Return (data, lines) where lines maps a key path like ('tasks', 0, 'ratio') to its line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputInvalid(f"{path}：不是 UTF-8 编码的文本文件。", hint="请用 UTF-8 编码保存计划文件。") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InputInvalid(
            f"{path}{f' 第{line}行' if line else ''}：YAML 格式错误（{getattr(e, 'problem', e)}）。",
            hint="请检查缩进、冒号后的空格和引号是否成对。",
            problems=[Problem(reason="YAML 格式错误", file=str(path), row=line)],
        ) from None
    lines: dict[tuple, int] = {}
    data = _build(node, (), lines) if node is not None else None
    return data, lines


def _build(node, path: tuple, lines: dict):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            out[key] = _build(value_node, path + (key,), lines)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), lines) for i, child in enumerate(node.value)]
    value = node.value
    if node.style is None and value in NULLS:
        return None
    return value


def line_of(lines: dict[tuple, int], loc: tuple) -> int | None:
    """The line of the deepest known prefix of a pydantic error location."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return lines.get(())
