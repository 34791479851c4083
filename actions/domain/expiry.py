"""Days to a service's expiry, counted on the calendar of Europe/Rome."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")


def now_in_rome() -> datetime:
    return datetime.now(tz=ROME)


def today_in_rome(now: datetime) -> date:
    """The date in Rome at instant `now`, which must carry a timezone."""
    if now.tzinfo is None:
        raise ValueError("now deve avere un fuso orario: un orario senza fuso è ambiguo")
    return now.astimezone(ROME).date()


def days_to_expiry(expiry: date, now: datetime) -> int:
    """Whole days from today in Rome to the expiry date: 0 on the day itself, < 0 once expired."""
    return (expiry - today_in_rome(now)).days
