"""Days and moments shown the Italian way, the same in replies, transcripts and reports:
`15/03/2027`, `15/03/2027 10:30`, `marzo 2027`."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date


def format_day(day: date) -> str:
    return format_date(day, "dd/MM/yyyy", locale="it")


def format_moment(moment: datetime) -> str:
    return f"{format_day(moment)} {moment:%H:%M}"


def format_month(day: date) -> str:
    return format_date(day, "MMMM y", locale="it")
