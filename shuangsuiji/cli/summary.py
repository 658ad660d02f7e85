"""`ssj summary`: the figures for the 总结材料, as a workbook with a chart and as text."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TRACEBACK_OPT, app
from .common import Result, progress_for, run


@app.command("summary", short_help="抽查工作总结：各任务各部门统计、覆盖率与图表", help="抽查工作总结：各任务各部门的抽取、检查、结果分布、发现问题率、后续处置、逾期录入，"
                             "以及联合抽查占比和信用风险分类覆盖率；写入 out/summary/抽查工作总结-<时间>.xlsx，"
                             "并按模板 templates/总结材料.docx 写出总结材料草稿 总结材料-<时间>.docx。")
def summary(
    plan: Path = PLAN_OPT,
    task: str = typer.Option(None, "--task", "-t", help="只汇总这一个任务（编号或简称）；默认全部任务。"),
    today: str = typer.Option(None, "--today", help="以该日期为“今天”（YYYY-MM-DD）；默认今天。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core.clock import now
        from ..core.workdays import WorkCalendar
        from ..core.workspace import find_workspace
        from ..plan.load import load_plan
        from ..publish import summaryfiles
        from ..publish.summary import build_summary
        from .calendar import resolve_today

        lp = load_plan(plan)
        ws = find_workspace(lp.path)
        tasks = [lp.plan.task(task)] if task else list(lp.plan.tasks)
        day = resolve_today(today)
        cal = WorkCalendar(ws.calendar_dir)
        with progress_for(json_out) as bar:
            s = build_summary(ws, lp, tasks, day, cal, progress=bar)
        moment = now()
        from ..documents.summarydoc import write_summary_doc

        stamp = moment.strftime('%Y%m%d-%H%M%S')
        path = ws.out / "summary" / f"抽查工作总结-{stamp}.xlsx"
        doc = ws.out / "summary" / f"总结材料-{stamp}.docx"
        with ws.lock():
            write_summary_doc(ws, doc, s)  # first: a broken template stops before anything is written
            summaryfiles.write_workbook(path, s)
        shown = ws.rel(path)
        data = {**s.to_dict(), "workbook": shown, "document": ws.rel(doc)}
        lines = summaryfiles.text_lines(s, shown) + [f"已写入总结材料草稿 {ws.rel(doc)}（补充三节文字后，"
                                                     "于检查结束后 10 个工作日内报送）"]
        return Result(data=data, lines=lines, warnings=s.warnings)

    run("summary", json_out, body, traceback)
