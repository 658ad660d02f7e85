"""Demo only: fill the results-entry templates of a task as the departments would, deterministically.

    .venv/bin/python scripts/fill_sample_results.py --plan WS/plans/chengzhong-2026.yaml --task T01 \\
        [--until 2026-11-20] [--force]

Reads the 结果录入-<部门>.xlsx workbooks `ssj match` wrote for the task (the match in force, from the
ledger), fills every row with a plausible result and saves the copies into
data/results/<task-id>/, where `ssj publish` looks for them. Every choice is derived from SHA-256
of (task, credit code, department): the same workspace always gets the same results, no `random`.

What is filled: mostly 1 未发现问题; some A 发现问题待后续处理 with one or two 问题类型 and a
后续处置; some E (责令改正) and F; a few 7 (the same for every department of that entity). The
inspection date lies inside the task window and not after --until (one date per entity: a joint
team visits once); the entry date is 1-5 working days later, and a few entries are late
(entry_wd + 1..3 working days).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shuangsuiji.core.errors import SsjError  # noqa: E402
from shuangsuiji.core.resultcodes import TEMPLATE_HEADERS, TEMPLATE_SHEET, label  # noqa: E402

SUBCODES = ["2", "B", "D", "6", "C"]


def h(*parts) -> int:
    """A deterministic number from the parts (first 8 bytes of SHA-256)."""
    return int.from_bytes(hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).digest()[:8], "big")


def choose(task_id: str, code: str, dept: str) -> tuple[str, list[str], str | None]:
    """(result code, problem types, follow-up) for one department's row."""
    if h(task_id, code, "closed") % 100 < 3:
        return "7", [], None
    roll = h(task_id, code, dept, "result") % 100
    if roll < 74:
        return "1", [], None
    if roll < 86:
        n = 1 + h(task_id, code, dept, "n") % 2
        first = h(task_id, code, dept, "sub") % len(SUBCODES)
        subs = [SUBCODES[(first + i) % len(SUBCODES)] for i in range(n)]
        follow = ["责令改正", "移送办案机构", "抄告相关部门"][h(task_id, code, dept, "f") % 3]
        return "A", subs, follow
    if roll < 94:
        return "E", [], "责令改正"
    return "F", [], None


def inspection_day(task, code: str, last: date) -> date:
    span = max((last - task.window.start).days, 0)
    return task.window.start + timedelta(days=h(task.id, code, "day") % (span + 1))


def latest_start(cal, until: date, workdays: int) -> date:
    """The latest day d with d + `workdays` working days still on or before `until`."""
    d = until
    while cal.add_workdays(d, workdays) > until:
        d -= timedelta(days=1)
    return d


def header_row(ws) -> int:
    for row in ws.iter_rows(min_row=1, max_row=30):
        if any(c.value == "统一社会信用代码" for c in row):
            return row[0].row
    raise SsjError(f"模板「{ws.title}」中找不到表头。")


def fill_workbook(src: Path, dst: Path, task, depts: dict[str, str], cal, until: date, entry_wd: int) -> int:
    from openpyxl import load_workbook

    from shuangsuiji.core.fileio import write_with

    wb = load_workbook(src)
    ws = wb[TEMPLATE_SHEET] if TEMPLATE_SHEET in wb.sheetnames else wb.worksheets[0]
    top = header_row(ws)
    col = {c.value: c.column for c in ws[top] if c.value in TEMPLATE_HEADERS}
    last = min(task.window.end, latest_start(cal, until, entry_wd + 3))
    filled = 0
    for r in range(top + 1, ws.max_row + 1):
        code = ws.cell(r, col["统一社会信用代码"]).value
        dept_cell = ws.cell(r, col["检查部门"]).value
        if not code or not dept_cell:
            continue
        dept = depts.get(str(dept_cell), str(dept_cell))
        result, subs, follow = choose(task.id, code, dept)
        seen = inspection_day(task, code, last)
        late = h(task.id, code, dept, "late") % 100 < 3
        wd = entry_wd + 1 + h(task.id, code, dept, "wd") % 3 if late else 1 + h(task.id, code, dept, "wd") % 5
        ws.cell(r, col["检查结果"]).value = label(result)
        ws.cell(r, col["问题类型"]).value = "、".join(label(s) for s in subs) or None
        ws.cell(r, col["后续处置"]).value = follow
        if not ws.cell(r, col["检查方式"]).value:
            ws.cell(r, col["检查方式"]).value = task.method[0]
        ws.cell(r, col["检查日期"]).value = seen
        ws.cell(r, col["录入日期"]).value = min(cal.add_workdays(seen, wd), until)
        filled += 1
    write_with(dst, lambda tmp: _save(wb, tmp))
    return filled


def _save(wb, tmp: Path) -> None:
    with open(tmp, "wb") as f:
        wb.save(f)


def main(argv: list[str] | None = None) -> int:
    from shuangsuiji.core.clock import today
    from shuangsuiji.core.state import TaskState
    from shuangsuiji.core.workdays import WorkCalendar
    from shuangsuiji.core.workspace import find_workspace
    from shuangsuiji.plan.load import load_plan
    from shuangsuiji.publish.intake import results_dir

    ap = argparse.ArgumentParser(description="演示用：为任务的结果录入表填入确定性的示例结果。")
    ap.add_argument("--plan", required=True, type=Path)
    ap.add_argument("--task", required=True)
    ap.add_argument("--until", type=date.fromisoformat, default=None, help="最晚的检查/录入日期（默认今天）")
    ap.add_argument("--force", action="store_true", help="覆盖 data/results/<任务>/ 中已有的同名文件")
    args = ap.parse_args(argv)
    try:
        lp = load_plan(args.plan)
        ws = find_workspace(lp.path)
        task = lp.plan.task(args.task)
        match = TaskState(ws, task.id).match
        if match is None:
            raise SsjError(f"任务 {task.id} 尚未匹配派发（ssj match），没有结果录入模板。")
        templates = sorted((ws.root / match["data"]["manifest"]).parent.glob("结果录入-*.xlsx"))
        if not templates:
            raise SsjError(f"{match['data']['manifest']} 所在目录中没有「结果录入-*.xlsx」模板。")
        out = results_dir(ws, task)
        clash = [p.name for p in templates if (out / p.name).exists()]
        if clash and not args.force:
            raise SsjError(f"{ws.rel(out)}/ 中已有 {'、'.join(clash)}；如确需重新生成请加 --force。")
        depts = {d.name: d.id for d in lp.plan.departments}
        cal = WorkCalendar(ws.calendar_dir)
        until = args.until or today()
        if until < task.window.start:
            raise SsjError(f"任务 {task.id} 的检查时间 {task.window.start} 才开始，早于 --until {until}。")
        entry_wd = lp.plan.deadlines_for(task).entry_wd
        for src in templates:
            n = fill_workbook(src, out / src.name, task, depts, cal, until, entry_wd)
            print(f"{ws.rel(out / src.name)}：填入 {n} 行")
    except SsjError as e:
        print(f"错误：{e.message}", file=sys.stderr)
        return int(e.exit_code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
