"""`ssj publish`: check the departments' results and write the public record (一公开)."""

from __future__ import annotations

from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TASK_OPT, TRACEBACK_OPT, app
from .common import Result, progress_for, run

MAX_LISTED = 30


@app.command("publish", short_help="核对各部门检查结果并生成公示文件（一公开）", help="核对各部门填报的检查结果并生成公示文件（公示结果.csv / .xlsx 与办公室留存表），"
                             "写入 out/<任务>/publish/v<版本>/ 并记入台账。已发布的版本不会被覆盖。")
def publish(
    results: list[Path] = typer.Argument(None, help="结果表（录入模板或省级平台导出表；xlsx、xls、csv），可列多个；不写则读取 data/results/<任务>/ 下全部结果表。",
                                         dir_okay=False, show_default=False, metavar="结果表"),
    plan: Path = PLAN_OPT,
    task: str = TASK_OPT,
    partial: bool = typer.Option(False, "--partial", help="只公示结果完整且无误的对象，其余列出待补正（默认有任何问题即不发布）。"),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="CSV 编码：utf-8-sig（默认，带 BOM，Excel 可直接打开）或 gb18030（旧版导入程序）。"),
    correction: bool = typer.Option(False, "--correction", help="更正已发布的结果：生成新版本（须同时用 --reason 说明原因）。"),
    reason: str = typer.Option(None, "--reason", help="本次发布或更正的原因，记入台账。"),
    today: str = typer.Option(None, "--today", help="以该日期为“今天”（YYYY-MM-DD），用于判断检查日期是否晚于今天；默认今天。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        from ..core.clock import now
        from ..core.errors import InputInvalid
        from ..core.workspace import find_workspace
        from ..plan.load import load_plan
        from ..publish.publication import Options
        from ..publish.publication import publish as do_publish
        from .calendar import resolve_today

        lp = load_plan(plan)
        ws = find_workspace(lp.path)
        the_task = lp.plan.task(task)
        opts = Options(partial=partial, encoding=encoding, correction=correction, reason=reason)
        day = resolve_today(today)
        with progress_for(json_out) as bar:
            try:
                pub = do_publish(ws, lp, the_task, list(results or []), today=day, now=now(), opts=opts,
                                 progress=bar)
            except InputInvalid as e:
                if e.problems:
                    _problem_list(ws, the_task, e)
                raise
        return _result(ws, the_task, pub)

    run("publish", json_out, body, traceback)


def _problem_list(ws, task, error) -> None:
    """Write 问题清单.xlsx and let the terminal show the problems grouped by kind."""
    from ..publish.problems import summary_lines, write_problem_list

    with ws.lock():
        path = write_problem_list(ws.task_dir(task.id), error.problems, f"{task.number}「{task.name}」")
    shown = ws.rel(path)
    error.summary_lines = summary_lines(error.problems, shown)
    error.hint = (error.hint + " " if error.hint else "") + f"全部问题见 {shown}。"


def _result(ws, task, pub) -> Result:
    found = pub.assessment
    folder = ws.rel(pub.folder)
    lines = [f"{task.number}「{task.name}」第{pub.version}版已发布：公示 {len(pub.records)} 户"
             + (f"，暂不公示 {len(found.withheld)} 户" if found.withheld else "") + "。",
             f"  公示文件：{folder}/公示结果.csv、公示结果.xlsx",
             f"  办公室留存：{folder}/办公室留存.xlsx（逐户逐部门结果、问题清单、替补记录）",
             f"  原因：{pub.reason}"]
    if found.withheld:
        lines.append("暂不公示（补正后再次运行 ssj publish 即为补充公示）：")
        for code, reasons in list(sorted(found.withheld.items()))[:MAX_LISTED]:
            lines.append(f"  - {code}：{'；'.join(reasons)}")
        if len(found.withheld) > MAX_LISTED:
            lines.append(f"  …… 另有 {len(found.withheld) - MAX_LISTED} 户，见办公室留存表。")
    warnings = [p.message() for p in found.warnings[:MAX_LISTED]] + pub.notes
    if len(found.warnings) > MAX_LISTED:
        warnings.append(f"另有 {len(found.warnings) - MAX_LISTED} 条提醒，见办公室留存表「问题清单」。")
    warnings += [p.message() for p in found.stray[:MAX_LISTED]]
    data = {"task": task.id, "version": pub.version, "folder": folder, "partial": pub.partial,
            "reason": pub.reason, "published": len(pub.records), "files": pub.files,
            "changes": pub.changes,
            "withheld": [{"credit_code": c, "reasons": r} for c, r in sorted(found.withheld.items())],
            "problems": [p.to_dict() for p in found.problems]}
    return Result(data=data, lines=lines, warnings=warnings)
