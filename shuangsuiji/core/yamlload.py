"""YAML with line numbers and no type guessing.

PyYAML's traps (`010020` read as octal, `no` as False, `2026-03-01` as a date) are avoided by
reading every plain scalar as a string (null-like scalars as None) and letting the pydantic
models convert what they declare. Each value's line is kept so errors can name it.
"""

from __future__ import annotations

import re
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
        line, what = _explain(text, e, mark.line + 1 if mark else None)
        raise InputInvalid(
            f"{path}{f' 第{line}行' if line else ''}：YAML 格式错误（{what}）。",
            hint="请检查缩进、冒号后的空格和引号是否成对。",
            problems=[Problem(reason=f"YAML 格式错误（{what}）", file=str(path), row=line)],
        ) from None
    _refuse_aliases(text, path)
    lines: dict[tuple, int] = {}
    dups: list[Problem] = []
    data = _build(node, (), lines, dups, str(path)) if node is not None else None
    if dups:
        raise InputInvalid(f"{path} 第{dups[0].row}行：{dups[0].reason}。",
                           hint="同一层中每个字段只能写一次；请删去多余的一行。", problems=dups)
    return data, lines


# A key followed by a full-width colon, e.g. `initiator：SCJG` (Chinese input method left on).
_FULLWIDTH_KEY = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][A-Za-z0-9_]*\s*：")

# PyYAML's problem texts → what a clerk can act on.
_PROBLEMS = (
    ("found character '\\t'", "含有制表符（Tab），YAML 只能用空格缩进"),
    ("could not find expected ':'", "缺少冒号「: 」，或缩进与上一行不一致"),
    ("mapping values are not allowed", "此处不应出现「: 」：缩进不对，或值中含「: 」时须加引号"),
    ("expected <block end>", "缩进不一致：同一层的字段须左对齐"),
    ("found unexpected end of stream", "引号或括号不成对"),
    ("found unexpected ':'", "此处不应出现「: 」：值中含冒号时须加引号"),
    ("expected ',' or ']'", "方括号 [ ] 不成对，或各项之间缺逗号"),
    ("expected ',' or '}'", "花括号 { } 不成对，或各项之间缺逗号"),
    ("found undefined alias", "不能以 * 开头（YAML 别名）；以 * 开头的值须加引号"),
    ("found character '@'", "不能以 @ 或 ` 开头；这样的值须加引号"),
    ("found character '`'", "不能以 @ 或 ` 开头；这样的值须加引号"),
)


def _explain(text: str, e: yaml.YAMLError, line: int | None) -> tuple[int | None, str]:
    """(line, Chinese description) for a YAML syntax error; the likeliest cause is named first."""
    for i, raw in enumerate(text.splitlines(), 1):
        if _FULLWIDTH_KEY.match(raw):
            return i, "字段名后用了中文全角冒号「：」，请改为半角冒号加空格「: 」"
        indent = raw[: len(raw) - len(raw.lstrip(" \t"))]
        if "\t" in indent:
            return i, "含有制表符（Tab），YAML 只能用空格缩进"
    problem = str(getattr(e, "problem", None) or e)
    for needle, said in _PROBLEMS:
        if needle in problem:
            return line, said
    return line, "无法解析此行"


def _refuse_aliases(text: str, path: Path) -> None:
    """Refuse YAML anchors (&a), aliases (*a) and explicit tags (!!binary, !!python/…, !x): a plan
    never needs them; a few nested aliases ("billion laughs") expand to gigabytes when the tree is
    built, and a tag would be silently dropped (every scalar is read as text). Checked on the event
    stream, which never expands anything."""
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        tag = getattr(event, "tag", None)
        if tag is not None and not isinstance(event, yaml.DocumentStartEvent):
            line = event.start_mark.line + 1
            shown = "!!" + tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else tag
            raise InputInvalid(
                f"{path} 第{line}行：计划文件不允许使用 YAML 类型标签（此处为「{shown}」）。",
                hint="每个值按字段的要求读取，不需要也不接受标签；请删去标签，以 ! 开头的文字值须加引号。",
                problems=[Problem(reason=f"使用了 YAML 类型标签「{shown}」", file=str(path), row=line)])
        is_alias = isinstance(event, yaml.AliasEvent)
        if is_alias or getattr(event, "anchor", None):
            line = event.start_mark.line + 1
            what = f"别名「*{event.anchor}」" if is_alias else f"锚点「&{event.anchor}」"
            raise InputInvalid(
                f"{path} 第{line}行：计划文件不允许使用 YAML 锚点和别名（此处为{what}）。",
                hint="请把要重复的内容直接写出来；以 & 或 * 开头的文字值须加引号。",
                problems=[Problem(reason=f"使用了 YAML {what}", file=str(path), row=line)])


def _build(node, path: tuple, lines: dict, dups: list, file: str):
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise InputInvalid(f"{file} 第{key_node.start_mark.line + 1}行：字段名必须是文字，不能是列表或映射（「? 」写法）。",
                                   hint="每行写成「字段名: 值」。",
                                   problems=[Problem(reason="字段名不是文字", file=file, row=key_node.start_mark.line + 1)])
            key = key_node.value
            if key in out:  # PyYAML keeps the last one silently; never guess which was meant
                first = lines[path + (key,)]
                dups.append(Problem(reason=f"字段「{key}」出现了不止一次（第{first}行和第{key_node.start_mark.line + 1}行）",
                                    file=file, row=key_node.start_mark.line + 1))
                continue
            out[key] = _build(value_node, path + (key,), lines, dups, file)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(child, path + (i,), lines, dups, file) for i, child in enumerate(node.value)]
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
