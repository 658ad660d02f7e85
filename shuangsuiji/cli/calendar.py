"""`ssj calendar show YEAR` and `ssj calendar add DATE N`: check working days by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from .app import JSON_OPT, TRACEBACK_OPT, calendar_app
from .common import Result, run

WORKSPACE_OPT = typer.Option(
    None, "--workspace", "-w", file_okay=False,
    help="工作区目录（读取其中 data/calendar/ 的覆盖文件）；默认从当前目录向上查找。")
TODAY_OPT = typer.Option(None, "--today", help="以该日期为“今天”（YYYY-MM-DD），用于复现提醒。")

WEEKDAYS_ZH = "一二三四五六日"
MARK = {"holiday": "休", "makeup": "班"}


def _calendar(workspace: Path | None):
    """WorkCalendar for the workspace given or found; (calendar, warnings)."""
    from ..core.errors import FileMissing
    from ..core.workdays import WorkCalendar
    from ..core.workspace import find_workspace

    if workspace is not None:
        ws = find_workspace(workspace)
        return WorkCalendar(ws.calendar_dir, workspace_root=ws.root), []
    try:
        ws = find_workspace(Path.cwd())
    except FileMissing:
        return WorkCalendar(None), [
            "当前目录不在工作区内，只使用 chinesecalendar 的数据（不读取 data/calendar/ 覆盖文件）；"
            "可用 --workspace 指定工作区。"]
    return WorkCalendar(ws.calendar_dir, workspace_root=ws.root), []


def resolve_today(today: str | None) -> date:
    from ..core.clock import today as clock_today

    return parse_date_arg(today, "--today") if today else clock_today()


def parse_date_arg(text: str, what: str) -> date:
    from ..core.errors import ExitCode, SsjError

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise SsjError(f"{what}{' ' if what.startswith('-') else ''}的值「{text}」不是 YYYY-MM-DD 格式的日期。", exit_code=ExitCode.USAGE,
                       code="usage", hint="例如 2026-02-12。") from None


def _wd(d: date) -> str:
    return "星期" + WEEKDAYS_ZH[d.weekday()]


def month_lines(month) -> list[str]:
    """A month as text: Monday first, 休 = day off by the schedule, 班 = make-up working day."""
    lines = [f"{month.year}年{month.month}月（工作日 {month.workdays} 天）",
             " ".join(f" {w} " for w in WEEKDAYS_ZH).rstrip()]  # cells are 4 columns wide (CJK = 2)
    for week in month.weeks:
        cells = []
        for cell in week:
            if cell is None:
                cells.append("    ")
            else:
                cells.append(f"{cell.date.day:>2}{MARK.get(cell.kind, '  ')}")
        lines.append(" ".join(cells).rstrip())
    return lines


def _join_dates(dates) -> str:
    if not dates:
        return "无"
    return "、".join(f"{d.month:02d}-{d.day:02d}（{WEEKDAYS_ZH[d.weekday()]}）" for d in dates)


@calendar_app.command("show", help="显示某年的工作日安排：数据来源、放假日、调休上班日和逐月日历。")
def show(
    year: int = typer.Argument(..., metavar="年份", help="年份，如 2026。"),
    month: int = typer.Option(None, "--month", "-m", min=1, max=12, help="只显示这个月。"),
    workspace: Path = WORKSPACE_OPT,
    today: str = TODAY_OPT,
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        cal, warnings = _calendar(workspace)
        table = cal.month_table(year)
        warning = cal.next_year_warning(resolve_today(today))
        if warning:
            warnings.append(warning)
        months = [m for m in table.months if month is None or m.month == month]
        names = {c.date: c.name for m in table.months for w in m.weeks for c in w
                 if c is not None and c.name}
        lines = [f"{year} 年工作日安排",
                 f"数据来源：{table.source}",
                 f"全年工作日：{table.workdays} 天",
                 f"调休上班（周末上班）：{_join_dates(table.makeup_days)}",
                 f"周一至周五放假：{_join_dates(table.holidays)}"]
        diffs = cal.differences(year)
        if diffs:
            lines.append(f"与 chinesecalendar 结论不同的日期：{_join_dates(diffs)}")
        lines.append("图例：数字后“休”= 放假，“班”= 调休上班；周六、周日无标记为休息日。")
        for m in months:
            lines.append("")
            lines.extend(month_lines(m))
        data = {
            "year": year,
            "source": table.source,
            "workdays": table.workdays,
            "makeup_days": [d.isoformat() for d in table.makeup_days],
            "weekday_holidays": [d.isoformat() for d in table.holidays],
            "differences_from_chinesecalendar": [d.isoformat() for d in diffs],
            "months": [{
                "month": m.month,
                "workdays": m.workdays,
                "days": [{"date": c.date.isoformat(), "workday": c.workday, "kind": c.kind,
                          "name": names.get(c.date)}
                         for w in m.weeks for c in w if c is not None],
            } for m in months],
        }
        return Result(data=data, lines=lines, warnings=warnings)

    run("calendar show", json_out, body, traceback)


@calendar_app.command("add", help="计算某日之后第 N 个工作日（期限日），并列出逐日计数。")
def add(
    start: str = typer.Argument(..., metavar="起算日期", help="起算日期 YYYY-MM-DD（当天不计）。"),
    n: int = typer.Argument(..., metavar="工作日数", min=0, help="工作日数，如 5。"),
    workspace: Path = WORKSPACE_OPT,
    today: str = TODAY_OPT,
    json_out: bool = JSON_OPT,
    traceback: bool = TRACEBACK_OPT,
) -> None:
    def body() -> Result:
        cal, warnings = _calendar(workspace)
        d = parse_date_arg(start, "起算日期")
        result = cal.add_workdays(d, n)
        warning = cal.next_year_warning(resolve_today(today))
        if warning:
            warnings.append(warning)
        counted, skipped = _walk(cal, d, result)
        years = sorted({d.year, result.year})
        sources = {str(y): cal.year_source(y) for y in years}
        lines = [f"{d.isoformat()}（{_wd(d)}）之后第 {n} 个工作日：{result.isoformat()}（{_wd(result)}）"]
        if n:
            lines.append("逐日计数（起算日当天不计）：")
            for i, (day, kind, name) in enumerate(counted, 1):
                extra = "，调休上班" if kind == "makeup" else ""
                lines.append(f"  第 {i} 个工作日：{day.isoformat()}（{_wd(day)}{extra}）")
            if skipped:
                lines.append("跳过的放假日：" + "、".join(
                    f"{day.isoformat()}{f'（{name}）' if name else ''}" for day, name in skipped))
        for y, s in sources.items():
            lines.append(f"{y} 年数据来源：{s}")
        data = {"start": d.isoformat(), "n": n, "result": result.isoformat(),
                "result_weekday": _wd(result),
                "counted": [{"date": day.isoformat(), "kind": kind} for day, kind, _ in counted],
                "skipped_holidays": [day.isoformat() for day, _ in skipped],
                "sources": sources}
        return Result(data=data, lines=lines, warnings=warnings)

    run("calendar add", json_out, body, traceback)


def _walk(cal, start: date, end: date):
    """Working days counted in (start, end] and the scheduled days off (weekday holidays) skipped."""
    from datetime import timedelta

    counted, skipped = [], []
    d = start
    while d < end:
        d += timedelta(days=1)
        sched = cal.schedule(d.year)
        kind = sched.kind(d)
        if sched.is_workday(d):
            counted.append((d, kind, sched.names.get(d)))
        elif kind == "holiday" and d.weekday() < 5:
            skipped.append((d, sched.names.get(d)))
    return counted, skipped
