"""The 总结材料 draft (.docx): the summary's figures filled into a replaceable template, with the
headed sections the seed plan asks for (工作开展情况, 发现的问题, 下一步工作打算) left for the
office to write. Written beside the summary workbook, never over an existing file.
"""

from __future__ import annotations

from pathlib import Path

from ..core.clock import cn_date
from ..core.fileio import write_with
from ..core.resultcodes import FOLLOW_UPS, RESULT_CODES, label
from ..core.workspace import Workspace
from ..publish.summary import Summary
from ..publish.summaryfiles import pct
from .templatebuild import SUMMARY
from .templates import find_template, render


def context(s: Summary) -> dict:
    depts = [d for t in s.tasks for d in t.departments]
    inspections = sum(d.inspected for d in depts)
    with_problem = sum(d.with_problem for d in depts)
    codes = {c: sum(d.by_code.get(c, 0) for d in depts) for c in RESULT_CODES}
    follow = {f: sum(d.follow_ups.get(f, 0) for d in depts) for f in FOLLOW_UPS}
    return {
        "office": s.office, "year": s.year, "today": cn_date(s.today),
        "tasks_total": s.planned_total, "tasks_done": s.total_tasks, "joint_done": s.joint_tasks,
        "joint_share": pct(s.joint_share), "joint_planned": pct(s.planned_joint_share),
        "drawn": sum(t.entities for t in s.tasks), "complete": sum(t.complete for t in s.tasks),
        "inspections": inspections, "with_problem": with_problem,
        "problem_rate": pct(with_problem / inspections if inspections else None),
        "tasks": [{"number": t.task.number, "name": t.task.name, "joint": "是" if t.task.joint else "否",
                   "status": t.status, "drawn": t.entities, "complete": t.complete} for t in s.tasks],
        "risk": [{"risk": r.risk, "population": r.population, "drawn": r.drawn, "coverage": pct(r.coverage),
                  "planned": pct(r.planned), "reached": {None: "—", True: "是", False: "否"}[r.reached]}
                 for r in (s.risk or [])],
        "codes": "；".join(f"{label(c)} {n} 户次" for c, n in codes.items() if n) or "暂无",
        "follow_ups": "；".join(f"{f} {n} 户次" for f, n in follow.items() if n) or "暂无",
        "notes": list(s.warnings),
    }


def write_summary_doc(ws: Workspace, path: Path, s: Summary) -> Path:
    template = find_template(ws, SUMMARY)
    ctx = context(s)
    return write_with(Path(path), lambda tmp: render(template, ctx, tmp), overwrite=False)
