"""The roster half of `ssj check` (the command itself: draw/readiness.py): summaries of what was
read per file, targets and officers; problems grouped by kind; and the problems workbook
(问题清单.xlsx: 文件, 工作表, 行号, 列, 值, 问题, 严重程度).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..core.errors import Problem
from ..plan.load import LoadedPlan
from ..sheets.writers import Sheet, write_xlsx
from .arrowcols import chunks_of
from .records import REGNO, REGNO13
from .rosters import Rosters
from .targettable import TargetTable

WORKBOOK = "问题清单.xlsx"
PROBLEM_HEADERS = ["文件", "工作表", "行号", "列", "值", "问题", "严重程度"]
SEVERITY = {"error": "错误", "warning": "警告"}
LABELS = {
    "code_invalid": "统一社会信用代码/注册号有误或缺失", "code_number": "代码被存成了数字", "duplicate": "同一主体多行（已合并）",
    "template_row": "模板的说明行或示例行（已跳过）", "sheet_broken": "工作表已损坏", "column_needed": "计划需要的列缺失",
    "duplicate_conflict": "同一代码多行且信息不一致（已拒收）", "state_unknown": "登记状态未知或为空（按不可抽取）",
    "risk_unmapped": "信用风险分类缺失或无法对应", "date_invalid": "日期无法识别", "formula": "名称以公式字符开头",
    "column_missing": "名录缺少某列", "department_unknown": "部门不在计划中", "no_credential": "没有执法证号",
    "expiry_missing": "未填写执法证有效期", "status_unknown": "在岗状态无法识别", "bool_unknown": "是否专家无法识别",
    "id_number_cell": "编号或身份证号被存成了数字", "duplicate_officer": "执法证号/工号重复",
    "conflict_unknown_officer": "回避名单中的人员不在名录中", "conflict_name_mismatch": "回避名单姓名与名录不一致",
    "conflict_unknown_target": "回避名单中的代码不在名录中", "conflict_no_reason": "未填写回避原因",
    "special_unknown_target": "专项库中的代码不在名录中", "plan_invalid": "计划文件有误", "file_missing": "文件不存在",
}
ROW_LIST = 8  # rows listed per group in the summary


def file_summaries(rosters: Rosters) -> list[dict]:
    out = []
    for role, rep in rosters.by_role.items():
        path, sha = rosters.files.get(role, (None, None))
        out.append({"role": role, "file": rep.file, "sheet": rep.sheet, "sha256": sha, "rows_read": rep.rows_read,
                    "accepted": rep.accepted, "duplicates_collapsed": rep.duplicates_collapsed,
                    "errors": sum(p.severity == "error" for p in rep.problems),
                    "warnings": sum(p.severity == "warning" for p in rep.problems),
                    "usable": not any(p in rosters.unusable for p in rep.problems), "column_map": rep.column_map})
    return out


# -- summaries ------------------------------------------------------------------------------------
def target_summary(rosters: Rosters) -> dict:
    ts = rosters.targets
    if isinstance(ts, TargetTable):
        return _column_summary(ts)
    return {"total": len(ts), "drawable": sum(t.drawable for t in ts), "not_drawable": sum(not t.drawable for t in ts),
            "regno": sum(t.code_kind == REGNO for t in ts), "regno13": sum(t.code_kind == REGNO13 for t in ts),
            "by_risk": _count(t.risk or "（未分类）" for t in ts), "by_type": _count(t.entity_type or "（空）" for t in ts),
            "by_state": _count(t.state or "（空）" for t in ts), "by_area": _count(t.area or "（空）" for t in ts),
            "by_industry": _count(t.industry or "（空）" for t in ts)}


def _column_summary(ts: TargetTable) -> dict:
    """target_summary from the columns: the same counts in the same order (count, then first seen
    in code order). Counted in table order (no gather of the rows): each value's count is a
    bincount of its code over the targets' rows, its first sighting the least code-order position."""
    import numpy as np

    order = ts.order

    def count(field: str, empty: str) -> dict[str, int]:
        if field in ts.constant:
            return {ts.constant[field] or empty: len(ts)} if len(ts) else {}
        values, codes = _encoded(ts.column(field))
        at = codes[order]  # each target's value code, in code order
        n = np.bincount(at, minlength=len(values))
        seen, first = np.unique(at, return_index=True)
        out: dict[str, int] = {}
        for v in seen[np.argsort(first, kind="stable")].tolist():  # first-seen order
            key = values[v] or empty
            out[key] = out.get(key, 0) + int(n[v])
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))

    if "drawable" in ts.constant:
        drawable = len(ts) if ts.constant["drawable"] else 0
    else:
        drawable = int(np.asarray(ts.column("drawable").to_numpy(), dtype=bool)[order].sum())
    kinds = count("code_kind", "")
    return {"total": len(ts), "drawable": drawable, "not_drawable": len(ts) - drawable,
            "regno": kinds.get(REGNO, 0), "regno13": kinds.get(REGNO13, 0),
            "by_risk": count("risk", "（未分类）"), "by_type": count("entity_type", "（空）"),
            "by_state": count("state", "（空）"), "by_area": count("area", "（空）"),
            "by_industry": count("industry", "（空）")}


def _encoded(column) -> tuple[list, object]:
    """(distinct values, numpy value code of every row) of an Arrow column, chunked or not."""
    import numpy as np

    values: list = []
    index: dict = {}
    parts = []
    for chunk in chunks_of(column):
        enc = chunk.dictionary_encode(null_encoding="encode")
        local = np.array([index.setdefault(v, len(index)) for v in enc.dictionary.to_pylist()] or [0], dtype=np.int64)
        parts.append(local[np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)])
    values = list(index)
    return values, (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64))


def _count(values) -> dict[str, int]:
    return dict(Counter(values).most_common())


def inspector_summary(lp: LoadedPlan, rosters: Rosters) -> dict:
    year_end = f"{lp.plan.year}-12-31"
    out = {}
    for d in lp.plan.departments:
        officers = [o for o in rosters.inspectors if o.department == d.id]
        out[d.id] = {"name": d.name, "total": len(officers), "active": sum(o.active for o in officers),
                     "credentialed": sum(bool(o.credential_no) for o in officers),
                     "active_credentialed": sum(o.active and bool(o.credential_no) for o in officers),
                     "expiring_in_year": sum(bool(o.credential_no) and o.credential_expiry is not None
                                             and o.credential_expiry.isoformat() <= year_end for o in officers),
                     "experts": sum(o.expert for o in officers)}
    return out


def problem_groups(problems: list[Problem], labels: dict[str, str] | None = None) -> list[dict]:
    """Problems grouped by severity, file and kind (`labels`: code -> kind name; default the rosters')."""
    labels = LABELS if labels is None else labels
    groups: dict[tuple, dict] = {}
    for p in problems:
        key = (p.severity, p.file, p.code if p.code in labels else p.reason)
        g = groups.setdefault(key, {"severity": p.severity, "file": p.file, "code": p.code,
                                    "label": labels.get(p.code, p.reason), "count": 0, "rows": [], "example": p.message()})
        g["count"] += 1
        if p.row is not None and len(g["rows"]) < ROW_LIST:
            g["rows"].append(p.row)
    return sorted(groups.values(), key=lambda g: (g["severity"] != "error", -g["count"]))


def file_lines(files: list[dict]) -> list[str]:
    out = ["读取的文件："]
    for f in files:
        if not f["usable"]:
            out.append(f"  {f['file']}：无法使用（见下方错误）")
            continue
        sheet = f" 工作表「{f['sheet']}」" if f["sheet"] else ""
        dup = f"，合并重复 {f['duplicates_collapsed']} 行" if f["duplicates_collapsed"] else ""
        out.append(f"  {f['file']}{sheet}：读取 {f['rows_read']:,} 行，接受 {f['accepted']:,}{dup}，"
                   f"错误 {f['errors']}，警告 {f['warnings']}")
    return out


def other_lines(data: dict) -> list[str]:
    out = [f"回避名单：{data['conflicts']} 条"]
    out += [f"专项库「{k}」：{v} 户在名录中" for k, v in data["special_lists"].items()]
    out += [f"邻近地区人员（{k}）：{v} 人" for k, v in data["neighbours"].items()]
    return out


def problem_lines(rosters: Rosters, groups: list[dict]) -> list[str]:
    errors = sum(g["count"] for g in groups if g["severity"] == "error")
    warnings = sum(g["count"] for g in groups if g["severity"] == "warning")
    out = [f"问题：{len(rosters.failures)} 个文件无法使用，" if rosters.failures else "问题："]
    out[0] += f"错误 {errors} 处，警告 {warnings} 处" if groups else ("其他无" if rosters.failures else "无")
    for e in rosters.failures:
        out.append(f"  [错误] {e.message}" + (f" 处理办法：{e.hint}" if e.hint else ""))
    for g in groups:
        rows = "、".join(map(str, g["rows"])) + ("…" if g["count"] > len(g["rows"]) else "")
        where = f"（第 {rows} 行）" if g["rows"] else ""
        out.append(f"  [{SEVERITY[g['severity']]}] {g['file'] or ''} {g['label']}：{g['count']} 处{where}")
    if rosters.failures:
        out.append("结论：不能使用。有名录文件无法读取，请按上面的处理办法修改后重新运行 ssj check。")
    elif errors:
        out.append("结论：不能使用。有被拒收的行（未纳入名录），请按问题清单逐行修改后重新运行 ssj check。")
    else:
        out.append("结论：可以使用" + ("（有警告，请浏览问题清单）。" if warnings else "。"))
    return out


def write_problems(out_dir: Path, problems: list[Problem], lines: list[str], heading: str = "ssj check 概况",
                   name: str = WORKBOOK) -> Path:
    rows = [[p.file or "", p.sheet or "", p.row, p.column or "", p.value or "", p.reason, SEVERITY.get(p.severity, p.severity)]
            for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    title = f"问题清单：错误 {errors} 处，警告 {len(problems) - errors} 处（严重程度为「错误」的行未纳入名录）"
    sheets = [Sheet("问题清单", PROBLEM_HEADERS, rows, title=title, col_widths={5: 60}),
              Sheet("概况", [heading], [[line] for line in lines])]
    return write_xlsx(Path(out_dir) / name, sheets)
