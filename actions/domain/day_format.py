"""Days and moments shown the same in replies, transcripts and reports: `15/03/2027`,
`15/03/2027 10:30`, `marzo 2027` in Italian; to an English customer `15 March 2027`,
`March 2027`."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date

from .language import DEFAULT, Language


def format_day(day: date, language: Language = DEFAULT) -> str:
    if language is Language.ENGLISH:
        return format_date(day, "d MMMM y", locale="en")
    return format_date(day, "dd/MM/yyyy", locale="it")


def format_moment(moment: datetime) -> str:
    return f"{format_day(moment)} {moment:%H:%M}"


def format_month(day: date, language: Language = DEFAULT) -> str:
    return format_date(day, "MMMM y", locale=language.value)


def format_weekday(day: date, with_date: bool, language: Language = DEFAULT) -> str:
    """`lunedì`, `lunedì 8 dicembre`; `Monday`, `Monday 8 December`."""
    return format_date(day, "EEEE d MMMM" if with_date else "EEEE", locale=language.value)
