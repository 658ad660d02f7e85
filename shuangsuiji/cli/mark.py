"""`ssj mark`: record what the tool cannot see — a department confirmed its list, a unit's
summary arrived — as a `mark` ledger entry the deadline report reads."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TASK_OPT, TRACEBACK_OPT, app
from .common import Result, run

WHAT = {
    "confirmed": "confirmed", "确认": "confirmed", "认领确认": "confirmed",
    "summary": "summary_received", "summary_received": "summary_received",
    "总结": "summary_received", "总结报送": "summary_received",
}
WHAT_ZH = {"confirmed": "认领确认", "summary_received": "总结材料已报送"}


@app.command("mark", short_help="登记已认领确认或已报送总结", help="登记工具看不到的事实：某部门已认领确认（confirmed），或已报送总结材料（summary）。"
                          "记入台账，期限提醒据此判断是否按期。")
def mark(
    what: str = typer.Argument(..., metavar="事项", help="confirmed（认领确认）或 summary（总结材料已报送）。"),
    plan: Path = PLAN_OPT,
    task: str = TASK_OPT,
    department: str = typer.Option(..., "--department", "-d", help="部门 id 或全称，如 WSJK。"),
    on: str = typer.Option(None, "--date", help="发生日期 YYYY-MM-DD；默认今天。"),
    reason: str = typer.Option(None, "--reason", help="更正已登记的记录时必须说明理由。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core import clock
        from ..core.errors import ExitCode, SsjError, StateError
        from ..core.state import TaskState
        from ..core.workdays import CalendarMissing, WorkCalendar
        from ..core.workspace import find_workspace
        from ..deadlines.facts import entry_date
        from ..deadlines.report import classify
        from ..plan.load import load_plan
        from .calendar import parse_date_arg

        kind = WHAT.get(what.strip())
        if kind is None:
            raise SsjError(f"事项应为 confirmed（认领确认）或 summary（总结材料已报送），实际为「{what}」。",
                           exit_code=ExitCode.USAGE, code="usage")
        lp = load_plan(plan)
        t = lp.plan.task(task)
        dept = _department(lp.plan, t, department)
        today = clock.today()
        day = parse_date_arg(on, "--date") if on else today
        if day > today:
            raise SsjError(f"--date {day.isoformat()} 晚于今天（{today.isoformat()}），不能登记尚未发生的事。",
                           exit_code=ExitCode.USAGE, code="usage")
        ws = find_workspace(lp.path)
        with ws.lock():
            state = TaskState(ws, t.id)
            if state.match is None:
                raise StateError(f"任务 {t.id} 尚未派发（台账中没有 match 记录），无需登记{WHAT_ZH[kind]}。",
                                 hint="先运行 ssj match 完成匹配和派发。")
            dispatched = entry_date(state.match["data"].get("dispatched") or state.match["time"])
            if kind == "confirmed" and day < dispatched:
                raise StateError(f"认领确认日期 {day.isoformat()} 早于派发日期 {dispatched.isoformat()}。")
            earlier = [e for e in state.marks
                       if e["data"].get("what") == kind and e["data"].get("department") == dept]
            if earlier and not reason:
                prev = earlier[-1]["data"]["date"]
                raise StateError(f"{lp.plan.department(dept).name} 的{WHAT_ZH[kind]}已登记过（{prev}）。",
                                 hint="如需更正，请加 --reason 说明理由；台账保留两条记录，以后一条为准。")
            data = {"what": kind, "department": dept, "date": day.isoformat()}
            if reason:
                data["reason"] = reason
            entry = ws.ledger().append("mark", task=t.id, time=clock.stamp(clock.now()), data=data)
        cal = WorkCalendar(ws.calendar_dir, workspace_root=ws.root)
        dl = lp.plan.deadlines_for(t)
        start, n = (dispatched, dl.confirm_wd) if kind == "confirmed" else (t.window.end, dl.summary_wd)
        line = f"已登记：任务 {t.id} {lp.plan.department(dept).name} {WHAT_ZH[kind]} {day.isoformat()}"
        result = {"seq": entry["seq"], "task": t.id, **data}
        try:
            deadline = cal.add_workdays(start, n)
            status, _ = classify(cal, deadline, day, today, 0)
            line += f"（期限 {deadline.isoformat()}，{'按期' if status == 'done' else '逾期'}）"
            result.update(deadline=deadline.isoformat(), on_time=status == "done")
        except CalendarMissing as e:
            line += f"（期限无法计算：缺少 {e.year} 年日历）"
        return Result(data=result, lines=[line])

    run("mark", json_out, body, traceback)


def _department(plan, task, key: str) -> str:
    from ..core.errors import InputInvalid

    key = key.strip()
    for d in plan.departments:
        if key in (d.id, d.name):
            if d.id not in task.participants:
                raise InputInvalid(f"{d.name}（{d.id}）未参与任务 {task.id}。",
                                   hint="参与部门：" + "、".join(
                                       f"{p}（{plan.department(p).name}）" for p in task.participants))
            return d.id
    raise InputInvalid(f"计划中没有部门「{key}」。",
                       hint="参与该任务的部门：" + "、".join(
                           f"{p}（{plan.department(p).name}）" for p in task.participants))
