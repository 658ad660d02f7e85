"""The summary as a workbook (with a bar chart of results by code per department) and as text."""

from __future__ import annotations

from pathlib import Path

from ..core.clock import cn_date
from ..core.resultcodes import FOLLOW_UPS, RESULT_CODES, label
from ..sheets.base import Chart
from ..sheets.writers import Sheet, write_xlsx
from .summary import Summary

DEPT_HEADERS = ["任务编号", "任务名称", "联合抽查", "任务状态", "检查部门", "抽取户数", "已检查", "未检查",
                "发现问题", "发现问题率", *FOLLOW_UPS, "逾期录入", "未填录入日期", "结果表错误"]
CODE_LABELS = [label(c) for c in RESULT_CODES]
CHART_SHEET = "结果分布"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def sheets(s: Summary) -> list[Sheet]:
    title_day = cn_date(s.today)
    dept_rows, code_rows = [], []
    for t in s.tasks:
        for d in t.departments:
            dept_rows.append([t.task.number, t.task.name, "是" if t.task.joint else "否", t.status, d.name,
                              d.drawn, d.inspected, d.not_inspected, d.with_problem, pct(d.problem_rate),
                              *(d.follow_ups.get(f, 0) for f in FOLLOW_UPS), d.late, d.no_entry_date, d.errors])
            code_rows.append([f"{t.task.id} {d.name}", t.task.number,
                              *(d.by_code.get(c, 0) for c in RESULT_CODES)])
        if not t.departments:
            dept_rows.append([t.task.number, t.task.name, "是" if t.task.joint else "否", t.status, "", 0, 0, 0,
                              0, "—", *(0 for _ in FOLLOW_UPS), 0, 0, 0])
    out = [
        Sheet("按任务和部门", DEPT_HEADERS, dept_rows, title=f"抽查工作总结：各任务各部门情况（截至 {title_day}）"),
        Sheet(CHART_SHEET, ["任务·部门", "任务编号", *CODE_LABELS], code_rows,
              title=f"检查结果分布（按结果代码，截至 {title_day}）",
              chart=Chart("各任务各部门检查结果（按结果代码）", series=range(2, 2 + len(CODE_LABELS)),
                          x_title="任务·部门", y_title="户数")),
        Sheet("全计划", ["项目", "数值", "说明"], _plan_rows(s), title="全计划情况"),
    ]
    if s.risk is not None:
        out.append(Sheet("风险分类覆盖", ["信用风险分类", "抽取时固定的可抽户数（最近一次）", "已抽取户数", "计入的抽取次数",
                                        "覆盖率（各次抽取数 ÷ 当次固定名录户数之和）", "计划比例（不定向任务之和）",
                                        "是否达到"], _risk_rows(s),
                         title="信用风险分类抽查覆盖率（不定向任务，以抽取时固定的名录为基数）"))
    return out


def _plan_rows(s: Summary) -> list[list]:
    rows = [["联合抽查占比（实际实施）", pct(s.joint_share),
             f"已派发实施的任务 {s.total_tasks} 个，其中部门联合抽查 {s.joint_tasks} 个"],
            ["联合抽查占比（计划）", pct(s.planned_joint_share),
             f"计划任务 {s.planned_total} 个，其中部门联合抽查 {s.planned_joint} 个"]]
    for t in s.tasks:
        rows.append([f"{t.task.id} 完成户数", t.complete, f"抽取 {t.entities} 户中各部门均已录入结果的户数"])
    rows += [["说明", w, ""] for w in s.warnings]
    return rows


def _risk_rows(s: Summary) -> list[list]:
    out = []
    for r in s.risk or []:
        reached = {None: "—", True: "是", False: "否"}[r.reached]
        out.append([r.risk, r.population, r.drawn, r.tasks, pct(r.coverage), pct(r.planned), reached])
    return out


def write_workbook(path: Path, s: Summary) -> Path:
    """Write the workbook (with its bar chart) atomically, never over an existing file."""
    return write_xlsx(Path(path), sheets(s), overwrite=False)


def text_lines(s: Summary, written: str | None) -> list[str]:
    lines = [f"抽查工作总结（截至 {cn_date(s.today)}）"]
    for t in s.tasks:
        lines.append(f"{t.task.number}「{t.task.name}」{'（联合抽查）' if t.task.joint else ''}：{t.status}"
                     + (f"，抽取 {t.entities} 户，完成 {t.complete} 户" if t.entities else ""))
        for d in t.departments:
            codes = " ".join(f"{c}×{n}" for c, n in ((c, d.by_code.get(c, 0)) for c in RESULT_CODES) if n)
            follow = "、".join(f"{f}×{d.follow_ups[f]}" for f in FOLLOW_UPS if d.follow_ups.get(f))
            lines.append(f"  {d.name}：抽取 {d.drawn}，已检查 {d.inspected}，未检查 {d.not_inspected}；"
                         f"结果 {codes or '—'}；发现问题率 {pct(d.problem_rate)}；后续处置 {follow or '—'}；"
                         f"逾期录入 {d.late}" + (f"；结果表错误 {d.errors} 处" if d.errors else ""))
    lines.append(f"联合抽查占比：{pct(s.joint_share)}（已实施 {s.total_tasks} 个任务中联合 {s.joint_tasks} 个）；"
                 f"计划占比 {pct(s.planned_joint_share)}（{s.planned_joint}/{s.planned_total}）")
    if s.risk is not None:
        lines.append("风险分类覆盖率（以抽取时固定的名录为基数）：" + "；".join(
            f"{r.risk} {pct(r.coverage)}（抽取 {r.drawn} 户，计划 {pct(r.planned)}）" for r in s.risk))
    if written:
        lines.append(f"已写入 {written}")
    return lines
