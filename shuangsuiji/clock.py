"""Time with its offset. Library code takes `now`/`today` as arguments; only the edge calls these."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current time in Asia/Shanghai, with offset (records show e.g. 2026-11-26T09:30:00+08:00)."""
    return datetime.now(TZ).replace(microsecond=0)


def today() -> date:
    return now().date()


def stamp(moment: datetime) -> str:
    return moment.astimezone(TZ).isoformat(timespec="seconds")
