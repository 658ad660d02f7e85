"""Official working days (工作日) for deadline arithmetic.

A working day is a weekday (Mon-Fri) that is not a statutory holiday, or a weekend day that the
State Council declared a make-up working day (调休上班). Two sources, per year:

1. A local override file ``<override_dir>/YYYY.yaml`` (a workspace keeps them in
   ``data/calendar/``). When present it is the whole truth for that year, even if
   ``chinesecalendar`` also covers the year; ``year_source()`` says so.
2. The ``chinesecalendar`` package, for exactly the years it ships data for (probed at run time:
   outside its range it raises ``NotImplementedError``).

A year with neither source is never guessed: every computation touching it raises
``CalendarMissing``, which names the file to add.

Counting convention (see docs/calendar.md):
    add_workdays(d, n)      the n-th working day strictly after d (n >= 1); n == 0 returns d.
    workdays_between(a, b)  the number of working days in the half-open interval (a, b].
So ``workdays_between(a, add_workdays(a, n)) == n``. A date b is late under an "n working days
after a" rule exactly when ``b > add_workdays(a, n)`` (``is_late``); for a working day b that is
the same as ``workdays_between(a, b) > n``.

This module is pure: no clock (``today`` is always passed in), no console output.
"""

from __future__ import annotations

import calendar as _pycalendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ExitCode, InputInvalid, Problem, SsjError
from .yamlload import load_yaml

LIBRARY = "chinesecalendar"
DEFAULT_OVERRIDE_DIR = Path("data") / "calendar"

# Probe window for the library's coverage. Far wider than any data it could ship.
_PROBE_FIRST, _PROBE_LAST = 1949, 2200

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OVERRIDE_KEYS = ("year", "notice", "holidays", "workdays")

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


def override_format_example(year: int) -> str:
    """The override file format, filled in for `year`, as shown in error messages and docs."""
    return (
        f"year: {year}\n"
        f"notice: 国务院办公厅关于{year}年部分节假日安排的通知（国办发明电〔{year - 1}〕X号）\n"
        f"holidays: [{year}-01-01, ...]   # 放假的日期，逐日列出（落在周末的放假日可列可不列）\n"
        f"workdays: [{year}-MM-DD, ...]   # 调休上班的周六、周日；没有则写 []"
    )


# --------------------------------------------------------------------------------------------
# Errors


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
            f"缺少 {year} 年的节假日安排，无法计算工作日：{lib}，且没有覆盖文件 {self.shown}。"
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


# --------------------------------------------------------------------------------------------
# chinesecalendar: what it covers, and its data as plain sets


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


# --------------------------------------------------------------------------------------------
# One year's schedule


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


# --------------------------------------------------------------------------------------------
# Override files


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


# --------------------------------------------------------------------------------------------
# Display data


@dataclass(frozen=True)
class DayCell:
    date: date
    workday: bool
    kind: str  # one of KIND_*
    name: str | None = None  # holiday name when the source gives one (e.g. 春节)


@dataclass(frozen=True)
class MonthTable:
    year: int
    month: int
    weeks: tuple[tuple[DayCell | None, ...], ...]  # Monday first; None pads outside the month
    workdays: int


@dataclass(frozen=True)
class YearTable:
    year: int
    source: str
    months: tuple[MonthTable, ...]
    workdays: int
    holidays: tuple[date, ...]  # weekday days off (the ones that change counting)
    makeup_days: tuple[date, ...]


# --------------------------------------------------------------------------------------------
# The calendar


def _check_date(d: Any, name: str = "d") -> date:
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"{name} must be a datetime.date (not {type(d).__name__})")
    return d


class WorkCalendar:
    """Working-day arithmetic over chinesecalendar plus local override files.

    `override_dir` is where ``YYYY.yaml`` override files live (a workspace's ``data/calendar``);
    None means chinesecalendar only (a missing year then points at ``data/calendar/YYYY.yaml``).
    Files are read on first use of their year and cached for the life of the object.
    """

    def __init__(self, override_dir: Path | None = None, *, workspace_root: Path | None = None):
        self.override_dir = Path(override_dir) if override_dir is not None else None
        self.workspace_root = Path(workspace_root) if workspace_root is not None else None
        self._schedules: dict[int, YearSchedule] = {}

    # -- sources -------------------------------------------------------------------------

    def expected_path(self, year: int) -> Path:
        base = self.override_dir if self.override_dir is not None else DEFAULT_OVERRIDE_DIR
        return base / f"{year}.yaml"

    def shown_path(self, year: int) -> str:
        """The expected file as a clerk should read it: relative to the workspace when one is
        known ("data/calendar/2027.yaml（工作区 /srv/ssj）"), else as given."""
        path = self.expected_path(year)
        if self.workspace_root is not None:
            try:
                rel = path.resolve().relative_to(self.workspace_root.resolve()).as_posix()
                return f"{rel}（工作区 {self.workspace_root.as_posix()}）"
            except ValueError:
                pass
        return path.as_posix()

    def override_years(self) -> list[int]:
        """Years that have an override file (not yet validated)."""
        if self.override_dir is None or not self.override_dir.is_dir():
            return []
        return sorted(int(p.stem) for p in self.override_dir.glob("*.yaml")
                      if re.fullmatch(r"\d{4}", p.stem) and p.is_file())

    def schedule(self, year: int) -> YearSchedule:
        """The schedule of `year`. Raises CalendarMissing or CalendarOverrideInvalid."""
        cached = self._schedules.get(year)
        if cached is not None:
            return cached
        path = self.expected_path(year)
        if self.override_dir is not None and path.is_file():
            sched = load_override(path)
            label = f"覆盖文件 {path.as_posix()}（依据：{sched.notice}）"
            if sched.shadows_library:
                label += f"；优先于 {library_label()} 的同年数据"
            sched = YearSchedule(year=sched.year, holidays=sched.holidays,
                                 makeup_days=sched.makeup_days, source="override", label=label,
                                 path=path, notice=sched.notice,
                                 shadows_library=sched.shadows_library)
        elif year in library_years():
            sched = _library_schedule(year)
        else:
            misnamed = []
            if self.override_dir is not None:
                misnamed = [p for p in (self.override_dir / f"{year}.yml",
                                        self.override_dir / f"{year}.YAML") if p.is_file()]
            raise CalendarMissing(year, path, misnamed=misnamed, shown=self.shown_path(year))
        self._schedules[year] = sched
        return sched

    def covered(self, year: int) -> bool:
        """True if `year` has data. An invalid override file raises, it is never skipped."""
        try:
            self.schedule(year)
        except CalendarMissing:
            return False
        return True

    def year_source(self, year: int) -> str:
        """Where `year`'s data comes from, for the clerk: "chinesecalendar 1.11.0" or the
        override file with its notice (and whether it overrides chinesecalendar)."""
        return self.schedule(year).label

    def differences(self, year: int) -> list[date]:
        """Dates where an override disagrees with chinesecalendar (empty if not both exist)."""
        sched = self.schedule(year)
        if not sched.shadows_library:
            return []
        lib = _library_schedule(year)
        return [d for d in _days_of_year(year) if sched.is_workday(d) != lib.is_workday(d)]

    # -- arithmetic ----------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        d = _check_date(d)
        return self.schedule(d.year).is_workday(d)

    def add_workdays(self, d: date, n: int) -> date:
        """The n-th working day strictly after d. n == 0 returns d unchanged (whatever d is).

        Deadlines use n >= 1: "within 5 working days of 2026-02-12" ends 2026-02-26.
        D itself never counts, even when it is a working day. Raises CalendarMissing as soon
        as the count enters a year without data.
        """
        d = _check_date(d)
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError("n must be an int")
        if n < 0:
            raise ValueError("n must be >= 0 (add_workdays counts forward only)")
        one = timedelta(days=1)
        current = d
        left = n
        while left:
            current += one
            if self.schedule(current.year).is_workday(current):
                left -= 1
        return current

    def workdays_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: a excluded, b included. Antisymmetric: if b < a the result
        is -workdays_between(b, a); a == b gives 0.

        This is "how many working days it took". For lateness use is_late(): a result entered
        on a day off just after the deadline is late although workdays_between() == n.
        """
        a = _check_date(a, "a")
        b = _check_date(b, "b")
        if b < a:
            return -self.workdays_between(b, a)
        one = timedelta(days=1)
        count = 0
        current = a
        while current < b:
            current += one
            if self.schedule(current.year).is_workday(current):
                count += 1
        return count

    def is_late(self, start: date, done: date, n: int) -> bool:
        """True if `done` falls after the deadline "n working days after `start`"
        (i.e. done > add_workdays(start, n)). Done on the deadline day itself is on time."""
        return _check_date(done, "done") > self.add_workdays(start, n)

    # -- warnings and display ------------------------------------------------------------

    def next_year_warning(self, today: date) -> str | None:
        """A warning for the clerk, or None.

        From 1 November on: warns if next year's schedule is missing (or its override file is
        invalid). Any day of the year: warns if the current year itself has no data.
        """
        today = _check_date(today, "today")
        for year, always in ((today.year, True), (today.year + 1, False)):
            if not always and today.month < 11:
                continue
            path = self.shown_path(year)
            try:
                self.schedule(year)
            except CalendarOverrideInvalid as exc:
                return f"{year} 年的日历覆盖文件 {path} 无效，{year} 年的期限无法计算：{exc.message}"
            except CalendarMissing:
                if always:
                    return (f"今天是 {today.isoformat()}，但本年（{year} 年）的节假日安排尚未录入，"
                            f"所有期限都无法计算。请添加 {path}（或升级 {LIBRARY}）。")
                return (f"今天是 {today.isoformat()}，{year} 年的节假日安排尚未录入"
                        f"（{library_label()} 不含 {year} 年，也没有 {path}）。"
                        f"国务院办公厅通常在每年 11 月前后发布次年安排；发布后请添加 {path}"
                        f"（或升级 {LIBRARY}）。在此之前，凡落入 {year} 年的期限都无法计算。")
        return None

    def month_table(self, year: int) -> YearTable:
        """A year as 12 month grids (Monday first) with each day's kind, for `ssj calendar show`."""
        sched = self.schedule(year)
        months = []
        cal = _pycalendar.Calendar(firstweekday=0)
        for month in range(1, 13):
            weeks = []
            for week in cal.monthdatescalendar(year, month):
                row = tuple(
                    DayCell(date=d, workday=sched.is_workday(d), kind=sched.kind(d),
                            name=sched.names.get(d)) if d.month == month else None
                    for d in week
                )
                weeks.append(row)
            count = sum(1 for w in weeks for c in w if c is not None and c.workday)
            months.append(MonthTable(year=year, month=month, weeks=tuple(weeks), workdays=count))
        return YearTable(
            year=year,
            source=sched.label,
            months=tuple(months),
            workdays=sum(m.workdays for m in months),
            holidays=tuple(sorted(d for d in sched.holidays if d.weekday() < 5)),
            makeup_days=tuple(sorted(sched.makeup_days)),
        )
