"""Where a year's days off come from: the `chinesecalendar` package (for exactly the years it ships)
or a local override file `data/calendar/YYYY.yaml`, which, when present, is the whole truth for
that year. `load_override` validates such a file strictly and reports every problem at once; a
year with neither source raises `CalendarMissing`, naming the file to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ExitCode, InputInvalid, Problem, SsjError
from .yamlload import load_yaml

LIBRARY = "chinesecalendar"


# Probe window for the library's coverage. Far wider than any data it could ship.
_PROBE_FIRST, _PROBE_LAST = 1949, 2200


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_OVERRIDE_KEYS = ("year", "notice", "holidays", "workdays")


def override_format_example(year: int) -> str:
    """The override file format, filled in for `year`, as shown in error messages and docs."""
    return (
        f"year: {year}\n"
        f"notice: 国务院办公厅关于{year}年部分节假日安排的通知（国办发明电〔{year - 1}〕X号）\n"
        f"holidays: [{year}-01-01, ...]   # 放假的日期，逐日列出（落在周末的放假日可列可不列）\n"
        f"workdays: [{year}-MM-DD, ...]   # 调休上班的周六、周日；没有则写 []"
    )


class CalendarMissing(SsjError):
    """No working-day data for a year that a computation needs. Never guessed."""

    exit_code = ExitCode.CALENDAR_MISSING
    code = "calendar_missing"

    def __init__(self, year: int, path: Path, *, misnamed: list[Path] | None = None,
                 shown: str | None = None):
        self.year = year
        self.path = Path(path)
        self.shown = shown or self.path.as_posix()  # how the message names the file
        span = library_span()
        if span:
            lib = f"已安装的 {library_label()} 只收录 {span[0]}–{span[1]} 年"
        else:
            lib = f"未能从 {LIBRARY} 读取任何年份的数据"
        message = (
            f"缺少 {year} 年的节假日安排，无法计算工作日：{lib}，也没有该年的覆盖文件。"
            f"工作日不会被猜测。请根据国务院办公厅发布的 {year} 年部分节假日安排通知，"
            f"添加文件 {self.shown}（或升级 {LIBRARY}）。"
        )
        if misnamed:
            names = "、".join(p.name for p in misnamed)
            message += f"注意：发现 {names}，文件名必须是 {self.path.name}。"
        message += f"\n文件 {self.path.name} 的格式：\n{override_format_example(year)}"
        hint = (f"日期必须与通知原文逐日核对；notice 字段写明通知标题和文号。"
                f"若有收录 {year} 年的新版 {LIBRARY}，也可以升级它。详见 docs/calendar.md。")
        super().__init__(message, hint=hint)


class CalendarOverrideInvalid(InputInvalid):
    """An override file that cannot be trusted. Never skipped, never half-used."""

    code = "calendar_override_invalid"

    def __init__(self, path: Path, problems: list[Problem], year: int | None = None):
        self.path = Path(path)
        self.year = year
        lines = "\n".join(
            f"  - {f'第{p.row}行 ' if p.row else ''}{p.reason}{f'（值：{p.value}）' if p.value else ''}"
            for p in problems)
        message = (
            f"日历覆盖文件 {self.path.as_posix()} 有 {len(problems)} 处错误，整个文件不予采用：\n{lines}"
        )
        example = override_format_example(year) if year else override_format_example(2027)
        hint = f"正确的格式（详见 docs/calendar.md）：\n{example}"
        super().__init__(message, hint=hint, problems=problems)


def library_label() -> str:
    """E.g. "chinesecalendar 1.11.0" — the version actually imported."""
    import chinese_calendar

    version = getattr(chinese_calendar, "__version__", None)
    if not version:
        from importlib.metadata import version as _dist_version

        version = _dist_version("chinesecalendar")
    return f"{LIBRARY} {version}"


@lru_cache(maxsize=1)
def library_years() -> frozenset[int]:
    """Years for which chinesecalendar answers AND ships holiday data (probed, not assumed)."""
    import chinese_calendar

    holiday_years = {d.year for d in chinese_calendar.holidays}
    years = set()
    for year in range(_PROBE_FIRST, _PROBE_LAST + 1):
        try:
            chinese_calendar.is_workday(date(year, 7, 1))
        except NotImplementedError:
            continue
        if year in holiday_years:  # a year it "accepts" but has no data for is not covered
            years.add(year)
    return frozenset(years)


def library_span() -> tuple[int, int] | None:
    years = library_years()
    return (min(years), max(years)) if years else None


@dataclass(frozen=True)
class YearSchedule:
    """The working-day rules of one year, from exactly one source."""

    year: int
    holidays: frozenset[date]  # days off declared by the source (weekdays; weekends allowed)
    makeup_days: frozenset[date]  # weekend days worked (调休上班)
    source: str  # "override" or "chinesecalendar"
    label: str  # human-readable source, see WorkCalendar.year_source
    path: Path | None = None
    notice: str | None = None
    shadows_library: bool = False  # an override for a year chinesecalendar also covers
    names: dict[date, str] = field(default_factory=dict, compare=False)

    def is_workday(self, d: date) -> bool:
        if d in self.makeup_days:
            return True
        return d.weekday() < 5 and d not in self.holidays

    def kind(self, d: date) -> str:
        if d in self.makeup_days:
            return KIND_MAKEUP
        if d in self.holidays:
            return KIND_HOLIDAY
        return KIND_WORKDAY if d.weekday() < 5 else KIND_WEEKEND

    def workday_count(self) -> int:
        return sum(1 for d in _days_of_year(self.year) if self.is_workday(d))


def _days_of_year(year: int):
    d = date(year, 1, 1)
    one = timedelta(days=1)
    while d.year == year:
        yield d
        d += one


def _library_schedule(year: int) -> YearSchedule:
    import chinese_calendar

    holidays = frozenset(d for d in chinese_calendar.holidays if d.year == year)
    makeup = frozenset(d for d in chinese_calendar.workdays if d.year == year)
    names = {}
    for d in holidays | makeup:
        _, name = chinese_calendar.get_holiday_detail(d)
        if name:
            names[d] = _HOLIDAY_NAMES_ZH.get(name, name)
    return YearSchedule(year=year, holidays=holidays, makeup_days=makeup, source="chinesecalendar",
                        label=library_label(), names=names)


def _parse_date(value: Any) -> tuple[date | None, str]:
    """(date, "") or (None, reason). Values arrive as strings (yamlload guesses no types)."""
    if isinstance(value, str):
        text = value.strip()
        if not _ISO_DATE.match(text):
            return None, "不是 YYYY-MM-DD 格式的日期"
        try:
            return date.fromisoformat(text), ""
        except ValueError:
            return None, "不是存在的日期"
    return None, "不是 YYYY-MM-DD 格式的日期"


def load_override(path: Path) -> YearSchedule:
    """Read and strictly validate one override file. Raises CalendarOverrideInvalid.

    Every problem is collected (file, line, field, item) and reported at once; a file with any
    problem is rejected whole.
    """
    path = Path(path)
    shown = path.as_posix()
    stem_year = int(path.stem) if re.fullmatch(r"\d{4}", path.stem) else None
    problems: list[Problem] = []
    lines: dict[tuple, int] = {}

    def bad(loc: tuple, reason: str, value: Any = None) -> None:
        field_name = str(loc[0]) if loc else None
        text = f"字段「{field_name}」：{reason}" if field_name else reason
        problems.append(Problem(reason=text, file=shown, row=lines.get(loc) if loc else None,
                                value=None if value is None else str(value),
                                code="calendar_override_invalid"))

    try:
        raw, lines = load_yaml(path)
    except InputInvalid as exc:  # not UTF-8, or not YAML at all
        row = exc.problems[0].row if exc.problems else None
        if "UTF-8" in exc.message:
            reason = "不是 UTF-8 编码的文本文件"
        elif "YAML 格式错误" not in exc.message and exc.problems:  # a key written twice
            reason = exc.problems[0].reason
        else:
            detail = exc.message.split("YAML 格式错误", 1)[-1].strip("（）。")
            reason = f"不是有效的 YAML（{detail}），请检查缩进、冒号后的空格、括号和引号是否成对"
        problems.append(Problem(reason=reason, file=shown, row=row,
                                code="calendar_override_invalid"))
        raise CalendarOverrideInvalid(path, problems, stem_year) from None

    if stem_year is None:
        bad((), "文件名必须是四位年份加 .yaml，例如 2027.yaml")
    if not isinstance(raw, dict):
        bad((), "内容必须是包含 year、notice、holidays、workdays 四个字段的映射")
        raise CalendarOverrideInvalid(path, problems, stem_year)

    # yamlload keeps the last of two equal keys; a repeated field must not silently lose data
    text = path.read_text(encoding="utf-8-sig")
    top_keys = re.findall(r"^([^\s#:][^:#]*?)\s*:", text, flags=re.MULTILINE)
    for key in sorted({k for k in top_keys if top_keys.count(k) > 1}):
        bad((key,), "出现了不止一次")

    for key in raw:
        if key not in _OVERRIDE_KEYS:
            bad((key,), f"不认识的字段（只允许 {'、'.join(_OVERRIDE_KEYS)}）")

    year: int | None = None
    if "year" not in raw:
        bad(("year",), "缺少此字段")
    elif not (isinstance(raw["year"], str) and re.fullmatch(r"\d{4}", raw["year"].strip())):
        bad(("year",), "必须是四位数字的年份", raw["year"])
    else:
        year = int(raw["year"])
        if stem_year is not None and year != stem_year:
            bad(("year",), f"是 {year}，与文件名 {path.name} 不一致")
    year = year if year is not None else stem_year

    notice = raw.get("notice")
    if "notice" not in raw:
        bad(("notice",), "缺少此字段：必须写明数据出自哪份通知（如国务院办公厅节假日安排通知的标题和文号）")
    elif not isinstance(notice, str) or not notice.strip():
        bad(("notice",), "不能为空：必须写明数据出自哪份通知")
        notice = None
    else:
        notice = notice.strip()

    def dates_of(field_name: str, allow_empty: bool) -> list[tuple[date, int]]:
        if field_name not in raw:
            bad((field_name,), "缺少此字段" + ("（没有调休上班日时写 []）" if allow_empty else ""))
            return []
        items = raw[field_name]
        if items is None:
            items = []
        if not isinstance(items, list):
            bad((field_name,), "必须是日期列表，例如 [2027-01-01, 2027-01-02]", items)
            return []
        if not items and not allow_empty:
            bad((field_name,), "不能为空：每年至少有元旦等法定节假日")
        out: list[tuple[date, int]] = []
        seen: set[date] = set()
        for i, item in enumerate(items):
            loc = (field_name, i)
            d, why = _parse_date(item)
            if d is None:
                bad(loc, f"第 {i + 1} 项 {item} {why}", item)
                continue
            if year is not None and d.year != year:
                bad(loc, f"第 {i + 1} 项 {d.isoformat()} 不在 {year} 年内")
                continue
            if d in seen:
                bad(loc, f"第 {i + 1} 项 {d.isoformat()} 重复出现")
                continue
            seen.add(d)
            out.append((d, i))
        return out

    holidays = dates_of("holidays", allow_empty=False)
    makeup = dates_of("workdays", allow_empty=True)
    for d, i in makeup:
        if d.weekday() < 5:
            bad(("workdays", i), f"第 {i + 1} 项 {d.isoformat()} 是星期{'一二三四五'[d.weekday()]}，"
                                 "本来就是工作日；这里只列调休上班的周六、周日")
    both = sorted({d for d, _ in holidays} & {d for d, _ in makeup})
    if both:
        bad(("holidays",), "以下日期同时出现在 holidays 和 workdays 中："
                           + "、".join(d.isoformat() for d in both))

    if problems or year is None:
        raise CalendarOverrideInvalid(path, problems, year)
    return YearSchedule(
        year=year, holidays=frozenset(d for d, _ in holidays),
        makeup_days=frozenset(d for d, _ in makeup), source="override",
        label="", path=path, notice=notice, shadows_library=year in library_years(),
    )


# chinesecalendar's English holiday names -> the official Chinese names (for display only).
_HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


# Day kinds in a month table, with the label a display shows.
KIND_WORKDAY = "workday"  # ordinary Mon-Fri working day


KIND_WEEKEND = "weekend"  # ordinary Saturday / Sunday off


KIND_HOLIDAY = "holiday"  # a day off declared by the schedule (holiday or 调休 rest day)


KIND_MAKEUP = "makeup"  # a weekend day worked (调休上班)


KIND_LABELS_ZH = {
    KIND_WORKDAY: "工作日",
    KIND_WEEKEND: "休息日",
    KIND_HOLIDAY: "节假日",
    KIND_MAKEUP: "调休上班",
}
