"""`ssj check`: validate the plan and every file it references; summarise; list every problem.

The verdict (`usable`): the plan is valid, every referenced file can be read with its required
columns, and no row was rejected (severity "error"). Warnings (duplicates merged, unknown states,
officers without a credential, …) leave the data usable. The problems workbook
(问题清单.xlsx: 文件, 工作表, 行号, 列, 值, 问题, 严重程度) is written in every case, so an old
list never outlives the data it described.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputInvalid, Problem
from ..plan.load import LoadedPlan, load_plan
from ..sheets.writers import Sheet, write_xlsx
from .rosters import Rosters, collect_rosters
from .tables import display_path

WORKBOOK = "问题清单.xlsx"
PROBLEM_HEADERS = ["文件", "工作表", "行号", "列", "值", "问题", "严重程度"]
SEVERITY = {"error": "错误", "warning": "警告"}
LABELS = {
    "code_invalid": "统一社会信用代码有误", "code_number": "代码被存成了数字", "duplicate": "同一主体多行（已合并）",
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


@dataclass
class CheckReport:
    usable: bool
    lines: list[str]
    data: dict
    problems: list[Problem] = field(default_factory=list)
    workbook: Path | None = None
    errors: list[dict] = field(default_factory=list)  # file-level failures, for the JSON envelope


def run_check(plan_path: Path, out_dir: Path, *, progress=None) -> CheckReport:
    """Check everything; write out_dir/问题清单.xlsx. A missing plan file raises FileMissing."""
    try:
        lp = load_plan(plan_path)
    except InputInvalid as e:
        return _plan_rejected(plan_path, out_dir, e)
    rosters = collect_rosters(lp, progress=progress)
    usable = not rosters.errors()
    data = {"plan": _plan_data(lp), "usable": usable, "files": _files(rosters),
            "targets": target_summary(rosters), "inspectors": inspector_summary(lp, rosters),
            "conflicts": len(rosters.conflicts),
            "special_lists": {k: len(v) for k, v in rosters.special_lists.items()},
            "neighbours": {k: len(v) for k, v in rosters.neighbours.items()},
            "tasks": task_summary(lp, rosters) if not rosters.unusable else [],
            "problems": problem_groups(rosters.problems)}
    lines = summary_lines(lp, rosters, data)
    workbook = write_problems(out_dir, rosters.problems, lines)
    data["problems_workbook"] = str(workbook)
    lines.append(f"问题清单：{display_path(workbook)}")
    errors = [e.to_dict() for e in rosters.failures]
    if not usable and not errors:
        errors = [{"code": "input_invalid", "message": f"名录中有 {len(rosters.errors())} 处错误，这些行未纳入名录",
                   "hint": "按问题清单逐行修改后重新运行 ssj check。",
                   "problems": [p.to_dict() for p in rosters.errors()]}]
    return CheckReport(usable, lines, data, rosters.problems, workbook, errors)


def _plan_rejected(plan_path: Path, out_dir: Path, e: InputInvalid) -> CheckReport:
    lines = [f"计划文件：{display_path(plan_path)}", f"错误：{e.message}"]
    lines += [f"  - {p.message()}" for p in e.problems[:20]]
    if e.hint:
        lines.append(f"处理办法：{e.hint}")
    lines.append("结论：不能使用。计划文件有误，未检查名录。")
    workbook = write_problems(out_dir, e.problems, lines)
    lines.append(f"问题清单：{display_path(workbook)}")
    data = {"plan": {"path": str(plan_path)}, "usable": False, "problems": problem_groups(e.problems),
            "problems_workbook": str(workbook)}
    return CheckReport(False, lines, data, e.problems, workbook, [e.to_dict()])


def _plan_data(lp: LoadedPlan) -> dict:
    plan = lp.plan
    return {"path": str(lp.path), "sha256": lp.sha256, "year": plan.year, "doc_number": plan.doc_number,
            "tasks": len(plan.tasks), "departments": len(plan.departments), "items": len(plan.items)}


def _files(rosters: Rosters) -> list[dict]:
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
    return {"total": len(ts), "drawable": sum(t.drawable for t in ts), "not_drawable": sum(not t.drawable for t in ts),
            "regno": sum(t.code_kind == "regno" for t in ts),
            "by_risk": _count(t.risk or "（未分类）" for t in ts), "by_type": _count(t.entity_type or "（空）" for t in ts),
            "by_state": _count(t.state or "（空）" for t in ts), "by_area": _count(t.area or "（空）" for t in ts),
            "by_industry": _count(t.industry or "（空）" for t in ts)}


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


def task_summary(lp: LoadedPlan, rosters: Rosters) -> list[dict]:
    """Per task: pool and planned take (before the ledger's earlier draws), eligible officers per
    department against the officers each team needs. Uses the freeze's own rules."""
    from ..draw.freeze import build_pool
    from ..draw.officers import eligible_officers

    out = []
    for task in lp.plan.tasks:
        pool = build_pool(lp.plan, task, rosters.targets, special_lists=rosters.special_lists)
        mix = task.team_mix()
        depts = {}
        for dept, need in mix.items():
            ok, _ = eligible_officers(rosters.inspectors, lp.plan, task, dept)
            nb = (len(eligible_officers(rosters.neighbours.get(dept, []), lp.plan, task, dept)[0])
                  if task.fallback.neighbour_pool else 0)
            depts[dept] = {"per_team": need, "eligible": len(ok), "neighbours_eligible": nb}
        out.append({"id": task.id, "name": task.name, "pool": sum(len(s.pool) for s in pool.strata if s.drawable),
                    "take": sum(s.take for s in pool.strata if s.drawable), "team_size": task.team.size,
                    "cross_area": task.team.cross_area, "departments": depts, "warnings": _task_warnings(task, depts)})
    return out


def _task_warnings(task, depts: dict) -> list[str]:
    warns = []
    for dept, d in depts.items():
        if d["eligible"] < d["per_team"]:
            extra = []
            if task.fallback.neighbour_pool:
                extra.append(f"邻近地区可参与 {d['neighbours_eligible']} 人")
            if task.fallback.direct_appointment:
                extra.append("计划允许直接委派")
            tail = f"（{'；'.join(extra)}）" if extra else "（计划未设兜底办法）"
            warns.append(f"{dept} 可参与人员 {d['eligible']} 人，少于每组所需 {d['per_team']} 人{tail}")
    return warns


def problem_groups(problems: list[Problem]) -> list[dict]:
    groups: dict[tuple, dict] = {}
    for p in problems:
        key = (p.severity, p.file, p.code if p.code in LABELS else p.reason)
        g = groups.setdefault(key, {"severity": p.severity, "file": p.file, "code": p.code,
                                    "label": LABELS.get(p.code, p.reason), "count": 0, "rows": [], "example": p.message()})
        g["count"] += 1
        if p.row is not None and len(g["rows"]) < ROW_LIST:
            g["rows"].append(p.row)
    return sorted(groups.values(), key=lambda g: (g["severity"] != "error", -g["count"]))


# -- text -----------------------------------------------------------------------------------------
def summary_lines(lp: LoadedPlan, rosters: Rosters, data: dict) -> list[str]:
    plan = lp.plan
    lines = [f"计划：{display_path(lp.path)}（{plan.doc_number or plan.title or plan.office}，{plan.year} 年，"
             f"{len(plan.tasks)} 个任务，{len(plan.departments)} 个部门）"]
    lines += _file_lines(data["files"])
    t = data["targets"]
    lines.append(f"检查对象：{t['total']:,} 户，可抽取 {t['drawable']:,} 户，不可抽取 {t['not_drawable']:,} 户"
                 + (f"，其中 15 位注册号 {t['regno']} 户" if t["regno"] else ""))
    for key, label in (("by_risk", "信用风险分类"), ("by_type", "市场主体类型"), ("by_state", "登记状态"),
                       ("by_area", "属地监管所")):
        lines.append(f"  按{label}：" + "，".join(f"{k} {v:,}" for k, v in t[key].items()))
    lines.append("执法检查人员（按部门）：")
    for dept, s in data["inspectors"].items():
        lines.append(f"  {s['name']}（{dept}）：{s['total']} 人，在岗 {s['active']}，有执法证 {s['credentialed']}，"
                     f"在岗且持证 {s['active_credentialed']}，证件 {plan.year} 年内到期 {s['expiring_in_year']}，"
                     f"专家 {s['experts']}")
    lines += _other_lines(data)
    lines += _task_lines(data["tasks"])
    failed = set(map(id, rosters.unusable))
    lines += _problem_lines(rosters, problem_groups([p for p in rosters.problems if id(p) not in failed]))
    return lines


def _file_lines(files: list[dict]) -> list[str]:
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


def _other_lines(data: dict) -> list[str]:
    out = [f"回避名单：{data['conflicts']} 条"]
    out += [f"专项库「{k}」：{v} 户在名录中" for k, v in data["special_lists"].items()]
    out += [f"邻近地区人员（{k}）：{v} 人" for k, v in data["neighbours"].items()]
    return out


def _task_lines(tasks: list[dict]) -> list[str]:
    if not tasks:
        return []
    out = ["任务（按计划规则估算，未扣除台账中已抽取的对象）："]
    for t in tasks:
        officers = "，".join(f"{k} 每组 {d['per_team']} 人/可参与 {d['eligible']} 人" for k, d in t["departments"].items())
        cross = "，所所交叉" if t["cross_area"] else ""
        out.append(f"  {t['id']} {t['name']}：可抽对象 {t['pool']:,} 户，计划抽取 {t['take']:,} 户；"
                   f"检查组 {t['team_size']} 人{cross}（{officers}）")
        out += [f"    注意：{w}" for w in t["warnings"]]
    return out


def _problem_lines(rosters: Rosters, groups: list[dict]) -> list[str]:
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


def write_problems(out_dir: Path, problems: list[Problem], lines: list[str]) -> Path:
    rows = [[p.file or "", p.sheet or "", p.row, p.column or "", p.value or "", p.reason, SEVERITY.get(p.severity, p.severity)]
            for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    title = f"问题清单：错误 {errors} 处，警告 {len(problems) - errors} 处（严重程度为「错误」的行未纳入名录）"
    sheets = [Sheet("问题清单", PROBLEM_HEADERS, rows, title=title, col_widths={5: 60}),
              Sheet("概况", ["ssj check 概况"], [[line] for line in lines])]
    return write_xlsx(Path(out_dir) / WORKBOOK, sheets)
