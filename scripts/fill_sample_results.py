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

One department (--platform, default WSJK 卫健局) returns its results the way the provincial
platform exports them instead of in the template: 平台导出-<部门>.xlsx with a title row, the headers
统一代码/注册号 … 检查结果, 后续处置措施, 检查执行部门, 检查人员, 核查方式, combined result cells
(「发现问题待后续处理；未按规定公示应当公示的信息；」) and the platform's disposal phrases; the
inspecting unit is the division the plan's results.values.department maps to that department
(else the department's name). The same choices as the template rows, so the results are equal.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shuangsuiji.core.errors import SsjError  # noqa: E402
from shuangsuiji.core.resultcodes import (  # noqa: E402
    PLATFORM_FOLLOW_UPS,
    PROBLEM_SUBCODES,
    RESULT_CODES,
    TEMPLATE_HEADERS,
    TEMPLATE_SHEET,
    label,
)

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


def entry(task, code: str, dept: str, cal, until: date, entry_wd: int):
    """(result, problem types, follow-up, inspection date, entry date) of one department's row."""
    last = min(task.window.end, latest_start(cal, until, entry_wd + 3))
    result, subs, follow = choose(task.id, code, dept)
    seen = inspection_day(task, code, last)
    late = h(task.id, code, dept, "late") % 100 < 3
    wd = entry_wd + 1 + h(task.id, code, dept, "wd") % 3 if late else 1 + h(task.id, code, dept, "wd") % 5
    return result, subs, follow, seen, min(cal.add_workdays(seen, wd), until)


def fill_workbook(src: Path, dst: Path, task, depts: dict[str, str], cal, until: date, entry_wd: int) -> int:
    from openpyxl import load_workbook

    from shuangsuiji.core.fileio import write_with

    wb = load_workbook(src)
    ws = wb[TEMPLATE_SHEET] if TEMPLATE_SHEET in wb.sheetnames else wb.worksheets[0]
    top = header_row(ws)
    col = {c.value: c.column for c in ws[top] if c.value in TEMPLATE_HEADERS}
    filled = 0
    for r in range(top + 1, ws.max_row + 1):
        code = ws.cell(r, col["统一社会信用代码"]).value
        dept_cell = ws.cell(r, col["检查部门"]).value
        if not code or not dept_cell:
            continue
        dept = depts.get(str(dept_cell), str(dept_cell))
        result, subs, follow, seen, entered = entry(task, code, dept, cal, until, entry_wd)
        ws.cell(r, col["检查结果"]).value = label(result)
        ws.cell(r, col["问题类型"]).value = "、".join(label(s) for s in subs) or None
        ws.cell(r, col["后续处置"]).value = follow
        if not ws.cell(r, col["检查方式"]).value:
            ws.cell(r, col["检查方式"]).value = task.method[0]
        ws.cell(r, col["检查日期"]).value = seen
        ws.cell(r, col["录入日期"]).value = entered
        filled += 1
    write_with(dst, lambda tmp: _save(wb, tmp))
    return filled


PLATFORM_HEADERS = ["序号", "统一代码/注册号", "企业名称", "检查结果", "后续处置措施", "后续处置措施是否完结",
                    "检查执行部门", "检查人员", "检查日期", "录入日期", "核查方式"]
PLATFORM_METHODS = {"现场检查": "实地检查"}  # the platform's word for the plan's method
# The platform's full disposal phrase for each follow-up category (the longest one that maps to it).
PHRASES = {c: max((p for p, x in PLATFORM_FOLLOW_UPS.items() if x == c), key=len)
           for c in dict.fromkeys(PLATFORM_FOLLOW_UPS.values())}


def platform_texts(result: str, subs: list[str], follow: str | None) -> tuple[str, str]:
    """(检查结果, 后续处置措施) cells as the platform writes them, each text ended by ；."""
    texts = [RESULT_CODES[result], *(PROBLEM_SUBCODES[s] for s in subs)]
    return "".join(t + "；" for t in texts), PHRASES[follow or "无需后续处置"] + "；"


def fill_platform(src: Path, dst: Path, task, dept: str, unit: str, cal, until: date, entry_wd: int) -> int:
    """The department's results in the platform's export layout (from the rows of its template)."""
    from openpyxl import load_workbook

    from shuangsuiji.sheets.writers import Sheet, write_xlsx

    wb = load_workbook(src, read_only=True)
    ws = wb[TEMPLATE_SHEET] if TEMPLATE_SHEET in wb.sheetnames else wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if "统一社会信用代码" in r)
    col = {v: i for i, v in enumerate(rows[top]) if v}
    out = []
    for r in rows[top + 1:]:
        code = r[col["统一社会信用代码"]]
        if not code:
            continue
        result, subs, follow, seen, entered = entry(task, code, dept, cal, until, entry_wd)
        res, disp = platform_texts(result, subs, follow)
        method = r[col["检查方式"]] or task.method[0]
        out.append([len(out) + 1, code, r[col["企业名称"]], res, disp, "已完结", unit, "（检查人员姓名）", seen, entered,
                    PLATFORM_METHODS.get(method, method)])
    wb.close()
    write_xlsx(dst, [Sheet("Sheet1", PLATFORM_HEADERS, out, title=f"{task.number}检查结果导出",
                           date_columns=[8, 9], text_columns=[1])])
    return len(out)


def division_of(lp, dept: str) -> str:
    """The first division name the plan's results.values.department maps to `dept`, else its name."""
    name = lp.plan.department(dept).name
    return next((k for k, v in lp.plan.results.values.get("department", {}).items() if v in (dept, name)), name)


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
    ap.add_argument("--platform", default="WSJK", help="以省级平台导出格式返回结果的部门 id（默认 WSJK；空则全部用模板）")
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
        depts = {d.name: d.id for d in lp.plan.departments}
        platform = {src: depts.get(src.stem.removeprefix("结果录入-")) == args.platform for src in templates}
        target = {src: out / (src.name.replace("结果录入-", "平台导出-") if platform[src] else src.name)
                  for src in templates}
        clash = [p.name for p in target.values() if p.exists()]
        if clash and not args.force:
            raise SsjError(f"{ws.rel(out)}/ 中已有 {'、'.join(clash)}；如确需重新生成请加 --force。")
        cal = WorkCalendar(ws.calendar_dir)
        until = args.until or today()
        if until < task.window.start:
            raise SsjError(f"任务 {task.id} 的检查时间 {task.window.start} 才开始，早于 --until {until}。")
        entry_wd = lp.plan.deadlines_for(task).entry_wd
        for src in templates:
            if platform[src]:
                unit = division_of(lp, args.platform)
                n = fill_platform(src, target[src], task, args.platform, unit, cal, until, entry_wd)
                print(f"{ws.rel(target[src])}：省级平台导出格式，{n} 行（检查执行部门：{unit}）")
            else:
                n = fill_workbook(src, target[src], task, depts, cal, until, entry_wd)
                print(f"{ws.rel(target[src])}：填入 {n} 行")
    except SsjError as e:
        print(f"错误：{e.message}", file=sys.stderr)
        return int(e.exit_code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
