"""`ssj check`: validate the plan and every file it references; summarise; list every problem.

The verdict (`usable`): the plan is valid, every referenced file can be read with its required
columns, and no row was rejected (severity "error"). Warnings (duplicates merged, unknown states,
officers without a credential, …) leave the data usable. Besides the roster summaries of
`intake.checks`, each task is previewed with the freeze's own rules (pool, take, eligible officers
per department), which is why this module lives in draw. The problems workbook (问题清单.xlsx) is
written in every case, so an old list never outlives the data it described.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputInvalid, Problem
from ..intake.checks import (
    file_lines,
    file_summaries,
    inspector_summary,
    other_lines,
    problem_groups,
    problem_lines,
    target_summary,
    write_problems,
)
from ..intake.rosters import Rosters, collect_rosters
from ..intake.tables import display_path
from ..plan.load import LoadedPlan, load_plan


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
    rosters.problems += needed_columns(lp, rosters) + empty_filter_cells(lp, rosters)
    usable = not rosters.errors()
    data = {"plan": _plan_data(lp), "usable": usable, "files": file_summaries(rosters),
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


def needed_columns(lp: LoadedPlan, rosters) -> list[Problem]:
    """A target-roster column the plan relies on but the file lacks (or names unrecognisably):
    an error naming the headers seen and the closest known names. Risk classes for strata, the
    area for 所所交叉 or an area filter, industry/type/licence for a directed task's filters."""
    import difflib

    from ..intake.targets import TARGET_COLUMNS

    rep = rosters.by_role.get("targets")
    if rep is None or rep.file is None or not rep.headers:
        return []
    needs: dict[str, list[str]] = {}
    for t in lp.plan.tasks:
        if t.sampling.strata:
            needs.setdefault("risk", []).append(f"{t.id} 按信用风险分类分层抽取")
        if t.team.cross_area:
            needs.setdefault("area", []).append(f"{t.id} 所所交叉")
        for name, on in (("area", t.scope.areas), ("industry", t.scope.industries),
                         ("entity_type", t.scope.entity_types), ("licence_name", t.scope.licence)):
            if on:
                needs.setdefault(name, []).append(f"{t.id} 定向筛选")
    out = []
    known = {a: f for f, aliases in TARGET_COLUMNS.items() for a in aliases}
    for name, why in needs.items():
        if name in rep.column_map:
            continue
        close = difflib.get_close_matches(TARGET_COLUMNS[name][0], rep.headers, n=3, cutoff=0.3)
        seen = "、".join(rep.headers)
        out.append(Problem(
            reason=f"计划需要「{TARGET_COLUMNS[name][0]}」列（{'；'.join(dict.fromkeys(why))}），名录中没有或表头无法识别；"
                   f"可识别的表头名：{'、'.join(a for a, f in known.items() if f == name)}；"
                   f"名录中的表头：{seen}" + (f"；最接近的是：{'、'.join(close)}" if close else "")
                   + f"。请改表头，或在计划 rosters.columns.targets 中写 `{name}: [您的表头名]`",
            file=rep.file, sheet=rep.sheet, column=TARGET_COLUMNS[name][0], code="column_needed"))
    return out


FILTERED = {"entity_type": "市场主体类型", "industry": "行业", "area": "属地监管所"}
EXAMPLE_ROWS = 10


def empty_filter_cells(lp: LoadedPlan, rosters) -> list[Problem]:
    """A warning per column a directed task filters on (type, industry, area) whose cell is empty
    for some targets: those entities can never match the filter, so they silently fall out of the
    task's scope. Says how many, which tasks, and the first rows (as Excel numbers them)."""
    rep = rosters.by_role.get("targets")
    if rep is None or rep.file is None or not len(rosters.targets):
        return []
    tasks: dict[str, list[str]] = {}
    for t in lp.plan.tasks:
        for name, on in (("entity_type", t.scope.entity_types), ("industry", t.scope.industries),
                         ("area", t.scope.areas)):
            if on and t.scope.directed and name in rep.column_map:
                tasks.setdefault(name, []).append(t.id)
    out = []
    for name, ids in tasks.items():
        count, rows = _empty_rows(rosters.targets, name)
        if not count:
            continue
        label = FILTERED[name]
        shown = "、".join(str(r) for r in rows) + " 行" + ("等" if count > len(rows) else "")
        out.append(Problem(
            reason=f"「{label}」为空的检查对象有 {count} 家（第 {shown}）；任务 {'、'.join(ids)} 按{label}定向筛选，"
                   f"这些主体不会进入抽取范围。如它们属于范围，请在名录中补全「{label}」后重新运行 ssj check",
            file=rep.file, sheet=rep.sheet, row=rows[0], column=label, code="filter_cell_empty", severity="warning"))
    return out


def _empty_rows(targets, field: str) -> tuple[int, list[int]]:
    """(targets whose `field` is empty, the first EXAMPLE_ROWS of their Excel rows, ascending)."""
    from ..intake.targettable import TargetTable

    if not isinstance(targets, TargetTable):
        rows = sorted(t.source.row for t in targets if not getattr(t, field))
        return len(rows), rows[:EXAMPLE_ROWS]
    import numpy as np
    import pyarrow.compute as pc

    if field in targets.constant:
        empty_at = targets.order if not targets.constant[field] else targets.order[:0]
    else:
        empty = np.asarray(pc.equal(targets.table.column(field), "").to_numpy(zero_copy_only=False), dtype=bool)
        empty_at = targets.order[empty[targets.order]]
    if not len(empty_at):
        return 0, []
    rows = np.sort(np.asarray(targets.table.column("row").take(empty_at).to_numpy(zero_copy_only=False)))
    return len(empty_at), [int(r) for r in rows[:EXAMPLE_ROWS]]


def _plan_rejected(plan_path: Path, out_dir: Path, e: InputInvalid) -> CheckReport:
    lines = [f"计划文件：{display_path(plan_path)}", f"错误：{e.message}"]
    lines += [f"  - {p.message()}" for p in e.listed_problems()[:20]]
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


def task_summary(lp: LoadedPlan, rosters: Rosters) -> list[dict]:
    """Per task: pool and planned take (before the ledger's earlier draws), eligible officers per
    department against the officers each team needs. Uses the freeze's own rules."""
    from .officers import eligible_officers
    from .pool import build_pool

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


# -- text -----------------------------------------------------------------------------------------
def summary_lines(lp: LoadedPlan, rosters: Rosters, data: dict) -> list[str]:
    plan = lp.plan
    lines = [f"计划：{display_path(lp.path)}（{plan.doc_number or plan.title or plan.office}，{plan.year} 年，"
             f"{len(plan.tasks)} 个任务，{len(plan.departments)} 个部门）"]
    lines += file_lines(data["files"])
    t = data["targets"]
    lines.append(f"检查对象：{t['total']:,} 户，可抽取 {t['drawable']:,} 户，不可抽取 {t['not_drawable']:,} 户"
                 + (f"，其中 15 位注册号 {t['regno']} 户" if t["regno"] else "")
                 + (f"，13 位注册号 {t['regno13']} 户" if t.get("regno13") else ""))
    for key, label in (("by_risk", "信用风险分类"), ("by_type", "市场主体类型"), ("by_state", "登记状态"),
                       ("by_area", "属地监管所")):
        lines.append(f"  按{label}：" + "，".join(f"{k} {v:,}" for k, v in t[key].items()))
    lines.append("执法检查人员（按部门）：")
    for dept, s in data["inspectors"].items():
        lines.append(f"  {s['name']}（{dept}）：{s['total']} 人，在岗 {s['active']}，有执法证 {s['credentialed']}，"
                     f"在岗且持证 {s['active_credentialed']}，证件 {plan.year} 年内到期 {s['expiring_in_year']}，"
                     f"专家 {s['experts']}")
    lines += other_lines(data)
    lines += _task_lines(data["tasks"])
    failed = set(map(id, rosters.unusable))
    lines += problem_lines(rosters, problem_groups([p for p in rosters.problems if id(p) not in failed]))
    return lines


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
