"""When `ssj publish` rejects the results: every problem in 问题清单.xlsx (like `ssj check`), grouped
by kind with file, sheet, row and column, and a grouped summary for the terminal.

Written to out/<task>/问题清单.xlsx (replaced by each rejected run; a report, not a publication).
"""

from __future__ import annotations

from pathlib import Path

from ..core.errors import Problem
from ..intake.checks import SEVERITY, problem_groups, write_problems

WORKBOOK = "问题清单.xlsx"
LABELS = {
    "unreadable": "结果表无法读取", "no_results": "没有可读取的结果文件", "bad_date": "日期无法识别",
    "duplicate": "同一对象同一部门重复录入", "not_drawn": "对象不在抽取名单中", "not_assigned": "部门未被派发该对象",
    "unknown_code": "结果代码、问题类型或后续处置无效", "contradictory": "结果前后矛盾",
    "subcode_without_a": "问题类型只能在检查结果为 A 时填写", "no_follow_up": "发现问题未填写后续处置",
    "no_date": "未填写检查日期", "date_outside": "检查日期不在检查时间内", "date_future": "日期晚于今天",
    "entry_before": "录入日期早于检查日期", "missing": "尚未录入检查结果",
    "date_before_dispatch": "检查日期早于派发日期",
}
ROWS_SHOWN = 8


def groups(problems: list[Problem]) -> list[dict]:
    return problem_groups(problems, LABELS)


def summary_lines(problems: list[Problem], workbook: str | None) -> list[str]:
    out = []
    for g in groups(problems):
        rows = "、".join(map(str, g["rows"][:ROWS_SHOWN])) + ("…" if g["count"] > min(len(g["rows"]), ROWS_SHOWN) else "")
        where = f"（第 {rows} 行）" if g["rows"] else ""
        out.append(f"  [{SEVERITY.get(g['severity'], g['severity'])}] {Path(g['file']).name + ' ' if g['file'] else ''}"
                   f"{g['label']}：{g['count']} 处{where}")
        out.append(f"      例：{g['example']}")
    if workbook:
        out.append(f"  全部 {len(problems)} 处问题（逐条写明文件、工作表、行、列）见 {workbook}")
    return out


def write_problem_list(folder: Path, problems: list[Problem], task_label: str) -> Path:
    lines = [f"{task_label}：结果核对未通过，未发布任何内容。"] + [line.strip() for line in summary_lines(problems, None)]
    return write_problems(folder, problems, lines, heading="ssj publish 核对概况", name=WORKBOOK)
