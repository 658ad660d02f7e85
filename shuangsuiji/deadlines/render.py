"""The deadline report as the clerk and cron see it: text lines, Markdown, CSV rows and JSON.
"""

from __future__ import annotations

from .report import DONE, DUE, KINDS, LATE, OVERDUE, PENDING, STATUSES, DeadlineItem, Report, _iso


def describe(item: DeadlineItem) -> str:
    """The status in words: 逾期 3 个工作日 / 剩 2 个工作日 / 今天到期 / 按期完成 ..."""
    s, n = item.status, item.days
    if s == OVERDUE:
        return f"已逾期 {n} 个工作日" if n else "已逾期（期限后的休息日）"
    if s in (DUE, PENDING):
        return "今天到期" if n == 0 else f"剩 {n} 个工作日"
    if s == LATE:
        return f"逾期完成（{item.done.isoformat()}，晚 {n} 个工作日）" if n else \
            f"逾期完成（{item.done.isoformat()}）"
    if s == DONE:
        return f"按期完成（{item.done.isoformat()}）"
    return "无法计算"


def basis(item: DeadlineItem) -> str:
    """How the deadline was reached: 检查 2026-06-01 + 7 个工作日 / 检查时间截止日."""
    if item.workdays is None:
        return "检查时间截止日"
    what = {"confirm": "派发", "entry": "检查", "publicity": "检查", "summary": "检查结束"}[item.kind]
    return f"{what} {item.start.isoformat()} + {item.workdays} 个工作日"


CSV_HEADERS = ["状态", "期限", "说明", "任务", "任务编号", "事项", "部门", "统一社会信用代码",
               "企业名称", "起算", "完成日期", "备注"]


def item_row(item: DeadlineItem) -> list:
    return [STATUSES[item.status], _iso(item.deadline) or "", describe(item), item.task_id,
            item.task_number, KINDS[item.kind], item.department_name, item.credit_code or "",
            item.entity_name, basis(item), _iso(item.done) or "", item.note]


def text_lines(report: Report, show_all: bool = False) -> list[str]:
    c = report.counts()
    lines = [f"期限提醒（{report.today.isoformat()}，“即将到期”= {report.within} 个工作日内）",
             "共 {} 项：".format(len(report.items))
             + "，".join(f"{STATUSES[s]} {c[s]}" for s in STATUSES if c[s] or s in (OVERDUE, DUE))]
    shown = report.items if show_all else report.attention()
    current = None
    for item in shown:
        if item.status != current:
            current = item.status
            lines += ["", f"【{STATUSES[current]}】"]
        who = "　".join(x for x in (item.department_name, item.credit_code or "", item.entity_name) if x)
        deadline = _iso(item.deadline) or "—"
        lines.append(f"  {deadline}  {item.task_id} {KINDS[item.kind]}  {who}  {describe(item)}"
                     f"（{basis(item)}）{'；' + item.note if item.note else ''}")
    if report.undispatched:
        lines += ["", "【抽取日期已过但尚未派发】"]
        lines += [f"  {t.id} {t.number} {t.name}（抽取日期 {t.draw_date.isoformat()}）"
                  for t in report.undispatched]
    return lines


def markdown(report: Report, show_all: bool = False) -> str:
    shown = report.items if show_all else report.attention()
    out = [f"# 期限提醒 {report.today.isoformat()}", "",
           "| " + " | ".join(CSV_HEADERS) + " |", "|" + "---|" * len(CSV_HEADERS)]
    for item in shown:
        out.append("| " + " | ".join(str(v).replace("|", "\\|") for v in item_row(item)) + " |")
    return "\n".join(out) + "\n"


def report_json(report: Report, show_all: bool = True) -> dict:
    shown = report.items if show_all else report.attention()
    return {
        "today": report.today.isoformat(),
        "within": report.within,
        "counts": report.counts(),
        "items": [i.to_dict() for i in shown],
        "undispatched": [{"task": t.id, "task_number": t.number, "draw_date": t.draw_date.isoformat()}
                         for t in report.undispatched],
        "calendar_missing": {str(y): e.path.as_posix() for y, e in sorted(report.missing.items())},
    }
