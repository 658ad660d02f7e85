"""Official working days (工作日) for deadline arithmetic.

A working day is a weekday (Mon-Fri) that is not a statutory holiday, or a weekend day that the
State Council declared a make-up working day (调休上班). Two sources, per year:

(Reading the sources is schedules.py's; this module does the arithmetic and month tables.)

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
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .schedules import (
    LIBRARY,
    CalendarMissing,
    CalendarOverrideInvalid,
    YearSchedule,
    _days_of_year,
    _library_schedule,
    library_label,
    library_years,
    load_override,
)

DEFAULT_OVERRIDE_DIR = Path("data") / "calendar"


# --------------------------------------------------------------------------------------------
# Errors


# --------------------------------------------------------------------------------------------
# chinesecalendar: what it covers, and its data as plain sets


# --------------------------------------------------------------------------------------------
# One year's schedule


# --------------------------------------------------------------------------------------------
# Override files


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
                day = f"{today.year}年{today.month}月{today.day}日"
                if always:
                    return (f"今天是 {day}，但本年（{year} 年）的节假日安排尚未录入，"
                            f"所有期限都无法计算。请添加 {path}（或升级 {LIBRARY}）。")
                return (f"今天是 {day}，{year} 年的节假日安排尚未录入"
                        f"（{library_label()} 不含 {year} 年，也没有 {path}）。"
                        f"国务院办公厅通常在每年 11 月前后发布次年安排；发布后请添加该文件"
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
