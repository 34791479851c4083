"""When the Server Dedicati sales line answers: Monday to Friday, 08:30-18:00 in Rome,
closed on Italian public holidays."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
from babel.dates import format_date

from .expiry import ROME

OPENS = time(8, 30)
CLOSES = time(18, 0)
SALES_LINE = "+39 0575 05077"
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


def reopening_phrase(now: datetime) -> str:
    """ "riapre oggi alle 8:30", "riapre domani alle 8:30", "riapre lunedì 8 dicembre alle 8:30"."""
    opening = next_opening(now)
    today = now.astimezone(ROME).date()
    hour = f"{opening.hour}:{opening.minute:02d}"
    if opening.date() == today:
        return f"riapre oggi alle {hour}"
    if opening.date() == today + timedelta(days=1):
        return f"riapre domani alle {hour}"
    if opening.date() - today < timedelta(days=7):
        return f"riapre {format_date(opening.date(), 'EEEE', locale='it')} alle {hour}"
    return f"riapre {format_date(opening.date(), 'EEEE d MMMM', locale='it')} alle {hour}"
