"""`load_plan`: read a plan YAML (every scalar a string), validate it with the pydantic models, and
translate each validation error into Chinese, located by line and field. `LoadedPlan` carries
the plan, its path (roster paths resolve against its folder) and its SHA-256.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from ..core.errors import FileMissing, InputInvalid, Problem
from ..core.yamlload import line_of, load_yaml
from .model import Plan, PlanErrors


class LoadedPlan:
    """A validated plan plus where it came from (roster paths resolve against its folder)."""

    def __init__(self, plan: Plan, path: Path, sha256: str):
        self.plan = plan
        self.path = Path(path)
        self.sha256 = sha256

    def resolve(self, rel: str) -> Path:
        p = Path(rel)
        return p if p.is_absolute() else (self.path.parent / p).resolve()


ERROR_TEXT = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知字段（可能拼写错误）",
    "string_type": "应为文字",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_type": "应为日期，格式 YYYY-MM-DD",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为键值对（映射）",
    "model_type": "应为键值对（映射）",
    "too_short": "至少需要一项",
    "literal_error": "取值不在允许范围内",
}


def _translate(err: dict) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        op = {"greater_than": "大于", "greater_than_equal": "不小于", "less_than": "小于",
              "less_than_equal": "不大于"}[kind]
        limit = next(iter(ctx.values()), "")
        return f"应{op} {limit}"
    if kind == "literal_error":
        return f"取值应为其中之一：{ctx.get('expected', '')}"
    if kind == "string_too_short":
        return "不能为空"
    return ERROR_TEXT.get(kind, err["msg"])


def _loc_text(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems(err: dict, path: Path, lines: dict) -> list[Problem]:
    """One pydantic error as located problems (a PlanErrors becomes one problem per location)."""
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    inner = (err.get("ctx") or {}).get("error")
    if isinstance(inner, PlanErrors):
        return [Problem(reason=f"{_loc_text(loc + sub)}：{msg}", file=str(path), row=line_of(lines, loc + sub))
                for sub, msg in inner.errors]
    value = err.get("input")
    shown = value if isinstance(value, (str, int, float)) else None
    reason = f"{_loc_text(loc) or '（整个文件）'}：{_translate(err)}"
    if shown is not None and str(shown) in reason:
        shown = None  # the reason already quotes the value ("实际为 "5%""): say it once
    return [Problem(reason=reason, file=str(path), row=line_of(lines, loc),
                    value=None if shown is None else str(shown))]


def load_plan(path: Path) -> LoadedPlan:
    """Read and validate a plan file; every error names the file, line and field, in Chinese."""
    path = Path(path)
    if not path.is_file():
        raise FileMissing(f"找不到计划文件：{path}", hint="请检查 --plan 参数的路径。")
    raw = path.read_bytes()
    data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise InputInvalid(f"{path}：计划文件应为键值对（映射），例如以 year: 开头。")
    try:
        plan = Plan.model_validate(data)
    except ValidationError as e:
        problems = [p for err in e.errors() for p in _problems(err, path, lines)]
        head = problems[0]
        lead = f"计划文件有 {len(problems)} 处错误，第一处：" if len(problems) > 1 else "计划文件有 1 处错误："
        raise InputInvalid(
            f"{lead}{path} 第{head.row}行 {head.reason}",
            hint="按提示修改计划文件后重新运行 ssj check。",
            problems=problems,
        ) from None
    return LoadedPlan(plan, path, hashlib.sha256(raw).hexdigest())
