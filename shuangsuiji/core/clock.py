"""Time with its offset. Library code takes `now`/`today` as arguments; only the edge calls these.

`SSJ_NOW` (an ISO time, e.g. `2026-04-08T09:30:00+08:00`) fixes the clock for demos and tests,
so a demo can walk through a plan's real dates. Ledger entries made under it say so.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
OVERRIDE_ENV = "SSJ_NOW"


def overridden() -> bool:
    return bool(os.environ.get(OVERRIDE_ENV))


def now() -> datetime:
    """The current time in Asia/Shanghai, with offset (records show e.g. 2026-11-26T09:30:00+08:00)."""
    fixed = os.environ.get(OVERRIDE_ENV)
    if fixed:
        moment = datetime.fromisoformat(fixed)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=TZ)
        return moment.astimezone(TZ).replace(microsecond=0)
    return datetime.now(TZ).replace(microsecond=0)


def today() -> date:
    return now().date()


def stamp(moment: datetime) -> str:
    return moment.astimezone(TZ).isoformat(timespec="seconds")


def cn_date(day: date) -> str:
    """What a clerk reads: 2026年12月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_time(moment: datetime | str) -> str:
    """What a clerk reads: 2026年12月1日 23:08 (Beijing time; ISO text accepted)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is not None:
        moment = moment.astimezone(TZ)
    return f"{cn_date(moment.date())} {moment:%H:%M}"
