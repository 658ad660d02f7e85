"""The public plan table (抽查工作计划表) an office publishes with its annual plan.

As the seed plan's attachments: one sheet for each department's own tasks (各部门) and one for
joint tasks (部门联合). Every cell is derived from the plan file; nothing is typed twice.
Nothing here is personal data: departments, items, scope, ratios and dates only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.fileio import sha256_file, write_bytes_atomic
from ..plan.load import LoadedPlan
from ..plan.model import Plan, StratumRule, Task
from ..sheets.writers import Sheet, csv_bytes, write_xlsx

HEADERS = [
    "序号", "任务编号", "任务名称", "抽查事项", "抽查依据", "检查对象范围", "抽取类型",
    "抽查比例/数量", "检查方式", "发起部门", "配合部门", "抽取日期", "计划开展时间", "抽查完成时限", "备注",
]
DATE_COLUMNS = (11, 13)
# Column widths that fit A4 landscape at a readable scale; long texts wrap within them.
PRINT_WIDTHS = dict(enumerate([3, 12, 14, 14, 18, 14, 6, 22, 6, 10, 10, 10, 10, 10, 14]))

SHEET_OWN = "各部门抽查计划"
SHEET_JOINT = "部门联合抽查计划"


def percent(ratio: float) -> str:
    """0.03 -> '3%', 0.025 -> '2.5%', 1.0 -> '100%'."""
    text = f"{ratio * 100:.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def rule_text(rule: StratumRule) -> str:
    parts = []
    if rule.ratio is not None:
        parts.append(percent(rule.ratio))
    if rule.count is not None:
        parts.append(f"{rule.count} 户")
    bounds = []
    if rule.min_count:
        bounds.append(f"至少 {rule.min_count} 户")
    if rule.max_count is not None:
        bounds.append(f"至多 {rule.max_count} 户")
    text = "、".join(parts)
    return f"{text}（{'，'.join(bounds)}）" if bounds else text


def sampling_text(plan: Plan, task: Task) -> str:
    s = task.sampling
    parts = []
    if s.strata:
        ordered = [c for c in plan.risk_classes if c in s.strata]
        parts.append("按信用风险分类：" + "；".join(f"{c} {rule_text(s.strata[c])}" for c in ordered))
    if s.default is not None:
        parts.append(("其他类别 " if s.strata else "") + rule_text(s.default))
    rounding = {"up": "向上取整", "down": "向下取整", "nearest": "四舍五入"}[s.rounding]
    return "；".join(parts) + f"（户数{rounding}）"


def scope_text(plan: Plan, task: Task) -> str:
    sc = task.scope
    if not sc.directed:
        return "检查对象名录库中全部可抽取的市场主体"
    parts = []
    if sc.entity_types:
        parts.append("市场主体类型：" + "、".join(sc.entity_types))
    if sc.industries:
        parts.append("行业：" + "、".join(sc.industries))
    if sc.areas:
        parts.append("片区：" + "、".join(sc.areas))
    if sc.licence:
        parts.append(f"持有{sc.licence}的市场主体")
    if sc.special_list:
        parts.append(f"专项库：{sc.special_list}")
    return "；".join(parts)


def exclusions_text(task: Task) -> str:
    ex = task.exclusions
    parts = []
    if ex.drawn_since is not None:
        parts.append(f"{ex.drawn_since.isoformat()} 以来已被抽中的不再抽取")
    if ex.drawn_within_days:
        parts.append(f"抽取日前 {ex.drawn_within_days} 日内已被抽中的不再抽取")
    if parts and ex.high_risk_exempt:
        parts[-1] += "（高风险除外）"
    if ex.established_within_days:
        parts.append(f"成立不满 {ex.established_within_days} 日的不抽取")
    return "；".join(parts)


@dataclass(frozen=True)
class PlanRow:
    joint: bool
    cells: tuple


def plan_rows(plan: Plan) -> list[PlanRow]:
    """One row per task, in plan order; 序号 is filled per sheet by `sheets()`."""
    rows = []
    for task in plan.tasks:
        items = [plan.item(i) for i in task.items]
        cells = (
            None,
            task.number,
            task.name,
            "；".join(i.name for i in items),
            "；".join(f"{i.name}：{i.basis}" if len(items) > 1 else i.basis for i in items if i.basis),
            scope_text(plan, task),
            "定向" if task.scope.directed else "不定向",
            sampling_text(plan, task),
            "、".join(task.method),
            plan.department(task.initiator).name,
            "、".join(plan.department(d).name for d in task.cooperators),
            task.draw_date,
            f"{task.window.start.isoformat()} 至 {task.window.end.isoformat()}",
            task.window.end,
            exclusions_text(task),
        )
        rows.append(PlanRow(joint=task.joint, cells=cells))
    return rows


def _title(plan: Plan, kind: str) -> str:
    base = plan.title or f"{plan.office}{plan.year}年抽查工作计划"
    return f"{base}表（{kind}）"


def sheets(plan: Plan) -> list[Sheet]:
    rows = plan_rows(plan)
    out = []
    for joint, name, kind in ((False, SHEET_OWN, "各部门"), (True, SHEET_JOINT, "部门联合")):
        mine = [r.cells for r in rows if r.joint == joint]
        if not mine:
            continue
        numbered = [(i, *cells[1:]) for i, cells in enumerate(mine, 1)]
        out.append(Sheet(name=name, headers=HEADERS, rows=numbered, title=_title(plan, kind),
                         date_columns=DATE_COLUMNS, col_widths=PRINT_WIDTHS, landscape=True))
    return out


def export_plan(lp: LoadedPlan, xlsx_path: Path) -> dict:
    """Write the workbook and a CSV copy beside it (UTF-8 with BOM). Returns what was written."""
    xlsx_path = Path(xlsx_path)
    csv_path = xlsx_path.with_suffix(".csv")
    plan = lp.plan
    write_xlsx(xlsx_path, sheets(plan))
    rows = plan_rows(plan)
    kinds = {False: "各部门", True: "部门联合"}
    csv_rows = [(i, kinds[r.joint], *r.cells[1:]) for i, r in enumerate(rows, 1)]
    write_bytes_atomic(csv_path, csv_bytes(["序号", "类别", *HEADERS[1:]], csv_rows))
    return {
        "plan": str(lp.path),
        "plan_sha256": lp.sha256,
        "tasks": len(rows),
        "joint_tasks": sum(r.joint for r in rows),
        "files": {str(p): sha256_file(p) for p in (xlsx_path, csv_path)},
    }
