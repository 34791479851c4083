"""When the Server Dedicati sales line answers: Monday to Friday in Rome, in the hours of
contacts.py, closed on Italian public holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import holidays

from .contacts import CLOSES, OPENS
from .expiry import ROME

_ITALIAN_HOLIDAYS = holidays.country_holidays("IT")


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _ITALIAN_HOLIDAYS


def is_open(now: datetime) -> bool:
    local = now.astimezone(ROME)
    return is_working_day(local.date()) and OPENS <= local.time() < CLOSES


def next_opening(now: datetime) -> datetime:
    """The next time the line opens, in Rome; `now` itself if it is open."""
    local = now.astimezone(ROME)
    if is_open(local):
        return local
    day = local.date()
    if local.time() >= OPENS or not is_working_day(day):
        day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, OPENS, tzinfo=ROME)
