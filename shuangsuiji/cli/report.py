"""`ssj report deadlines`: what is due and what is late, in official working days (cron-friendly).

Exit status: 0 nothing overdue; 9 (OVERDUE) something overdue; 8 (CALENDAR_MISSING) nothing
overdue but a deadline needed a year without calendar data.
Text, CSV and Markdown are written to stdout as plain lines (never wrapped or coloured), so a
cron job can mail or redirect them as they are.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from .app import JSON_OPT, PLAN_OPT, TRACEBACK_OPT, report_app
from .common import Result, run


class Format(str, Enum):
    text = "text"
    csv = "csv"
    json = "json"
    md = "md"


@report_app.command("deadlines", help="期限提醒：认领确认、结果录入、结果公示、总结报送，按工作日计算状态。"
                                      "有逾期时退出码为 9，适合 cron 定时运行。")
def deadlines(
    plan: Path = PLAN_OPT,
    today: str = typer.Option(None, "--today", help="以该日期为“今天”（YYYY-MM-DD），复现过去某天的报告；默认今天。"),
    fmt: Format = typer.Option(Format.text, "--format", "-f", help="输出格式：text、csv、json 或 md。"),
    within: int = typer.Option(3, "--within", min=0, max=60, help="剩余不超过这么多个工作日的算“即将到期”。"),
    show_all: bool = typer.Option(False, "--all", help="列出全部期限（默认只列已逾期、即将到期和无法计算的）。"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="没有逾期、即将到期或无法计算的期限时什么也不输出（警告除外）。"),
    out: Path = typer.Option(None, "--out", "-o", dir_okay=False, help="同时把全部期限写入此 CSV 文件（UTF-8 带 BOM，Excel 可直接打开）。"),
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    json_mode = json_out or fmt == Format.json

    def body() -> Result:
        from ..core.workdays import WorkCalendar
        from ..core.workspace import find_workspace
        from ..deadlines import render
        from ..deadlines import report as dl
        from ..plan.load import load_plan
        from .calendar import resolve_today

        lp = load_plan(plan)
        ws = find_workspace(lp.path)
        day = resolve_today(today)
        report = dl.load_report(ws, lp, WorkCalendar(ws.calendar_dir, workspace_root=ws.root), day, within)
        if out is not None:
            from ..sheets.writers import write_csv

            write_csv(out, render.CSV_HEADERS, [render.item_row(i) for i in report.items])
        quiet_now = quiet and not report.attention() and not report.undispatched
        if not json_mode and not quiet_now:
            if fmt == Format.csv:
                from ..sheets.writers import csv_bytes

                text = csv_bytes(render.CSV_HEADERS, [render.item_row(i) for i in
                                                  (report.items if show_all else report.attention())],
                                 encoding="utf-8").decode("utf-8")
                sys.stdout.write(text)
            elif fmt == Format.md:
                sys.stdout.write(render.markdown(report, show_all))
            else:
                sys.stdout.write("\n".join(render.text_lines(report, show_all)) + "\n")
            sys.stdout.flush()
        return Result(data=render.report_json(report, show_all=True), warnings=report.warnings,
                      exit_code=report.exit_code())

    run("report deadlines", json_mode, body, traceback)
