"""A service's expiry date from what a customer writes in Italian.

dateparser does the parsing ("15 marzo 2027", "15/03/2027", "tra 40 giorni", "3 giorni fa");
this module only rewrites the colloquial forms it does not know ("fra", "gg", "mancano 80
giorni", number words, "fine mese") and tells apart the answers that need a re-ask: no
date, a date that does not exist ("31 febbraio"), a month without its day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from babel.dates import get_month_names
from dateparser.date import DateDataParser
from dateparser.search import search_dates
from text_to_num import alpha2digit

MAX_YEARS_AWAY = 5
_MONTHS = {name.lower(): number for number, name in get_month_names("wide", locale="it").items()}
_UNIT_WORDS = {"anno", "anni", "mese", "mesi", "settimana", "settimane", "giorno", "giorni"}
_RELATIVE = re.compile(r"\d+\s*(giorn|settiman|mes|ann)|\b(fa|tra)\b")
_EXPIRED = re.compile(r"scadut|scadev")  # the expiry's own verb in the past
_PAST = re.compile(r"\bfa\b|\bieri\b|\bscors")  # a past said of the expiry, or of something else
# The expiry's own verb in the present or future wins over a past said of something else:
# "scade il 31 dicembre, l'ho rinnovato l'anno scorso" is next 31 December.
_EXPIRY_AHEAD = re.compile(r"\bscad(?:e|ono|r[àa]|ranno)\b")
_ABSOLUTE = re.compile(rf"\d/\d|\d\s+(?:{'|'.join(_MONTHS)})")


class ExpiryError(ValueError):
    """An answer that gives no usable expiry date; the message says what to write instead."""


class ExpiryNotFoundError(ExpiryError):
    def __init__(self) -> None:
        super().__init__("nessuna data di scadenza riconosciuta")


class DateDoesNotExistError(ExpiryError):
    def __init__(self, phrase: str) -> None:
        super().__init__(f"la data {phrase} non esiste")
        self.phrase = phrase


class DayMissingError(ExpiryError):
    def __init__(self, phrase: str, month: date | None = None) -> None:
        super().__init__(f"manca il giorno: {phrase}")
        self.phrase = phrase
        self.month = month  # its first day: a bare day answered next completes it


class ExpiryTooFarError(ExpiryError):
    def __init__(self, expiry: date) -> None:
        super().__init__(f"scadenza troppo lontana: {expiry.isoformat()}")
        self.expiry = expiry


def _normalise(text: str, today: date) -> str:
    text = alpha2digit(text.lower(), "it", threshold=0)
    # A colon outside a time ("tra 10 giorni: quanto…") or brackets stop dateparser's search.
    text = re.sub(r"(?<!\d):|:(?!\d)|[;()\[\]!?]", ",", text)
    text = re.sub(r"\bfra\b", "tra", text)
    # "per ora prendo i dischi": "ora" and "adesso" are now, never an expiry; "l'11 dicembre"
    text = re.sub(r"\b(?:per\s+)?(?:ora|adesso)\b(?!\s*\d)", " ", text)
    text = re.sub(r"\b[ld]'\s*(?=\d)", "", text)
    text = re.sub(r"\bgg\b\.?", "giorni", text)
    text = re.sub(r"\bdopodomani\b", "tra 2 giorni", text)
    text = re.sub(r"\bmancano\s+(?:ancora\s+|solo\s+|circa\s+)?(\d)", r"tra \1", text)
    text = re.sub(r"\bscadut[oa]\s+da\s+(\d+\s+\w+)", r"\1 fa", text)
    text = re.sub(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", r"\3/\2/\1", text)  # ISO
    text = re.sub(r"\b(\d{1,2})[.-](\d{1,2})[.-](\d{2,4})\b", r"\1/\2/\3", text)
    last_day = calendar.monthrange(today.year, today.month)[1]
    text = re.sub(r"\bfine\s+(?:del\s+)?mese\b", f"{last_day}/{today.month}/{today.year}", text)
    # "il primo giugno" reads "1º giugno": a day; "un terzo disco" reads "un 3º disco": no date
    months = "|".join(_MONTHS)
    text = re.sub(rf"\b(\d{{1,2}})[º°](?=\s+(?:di\s+)?(?:{months})\b)", r"\1", text)
    text = re.sub(r"\b\d{1,2}[º°]", " ", text)
    # "a marzo, il 10": the day after the month
    text = re.sub(rf"\b({'|'.join(_MONTHS)}),?\s+il\s+(\d{{1,2}})\b(?!/)", r"\2 \1", text)
    # "fine gennaio", "metà marzo", "inizio aprile": a day of the month named
    text = re.sub(
        rf"\b(fine|meta|metà|inizio|primi)\s+(?:di\s+|del\s+mese\s+di\s+)?({'|'.join(_MONTHS)})\b",
        lambda m: _day_of(m.group(1), _MONTHS[m.group(2)], today),
        text,
    )
    text = re.sub(
        r"\b(?:tra|in)\s+(\d+)\s+mes[ei]\s+e\s+mezzo\b",
        lambda m: _months_and_a_half(int(m.group(1)), today),
        text,
    )
    text = re.sub(r"\bfine\s+(?:dell'\s*)?anno\b", f"31/12/{today.year}", text)
    # dateparser reads a lone "a" before a date as a word of its own and gives up
    return re.sub(r"(^|\s)a\s+(?=\d)", r"\1", text)


def _next_month_date(month: int, day_of: int | None, today: date) -> date:
    """The `month` coming next (this one if not over yet); `day_of` None: its last day."""
    year = today.year if month >= today.month else today.year + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, day_of or last)


def _day_of(part: str, month: int, today: date) -> str:
    day = {"fine": None, "meta": 15, "metà": 15, "inizio": 1, "primi": 1}[part]
    found = _next_month_date(month, day, today)
    return f"{found.day}/{found.month}/{found.year}"


def _months_and_a_half(months: int, today: date) -> str:
    month_index = today.month - 1 + months
    year, month = today.year + month_index // 12, month_index % 12 + 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    found = date(year, month, day) + timedelta(days=15)
    return f"{found.day}/{found.month}/{found.year}"


def _a_year_after(today: date) -> date:
    try:
        return today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year + 1, day=28)


def _impossible_date(text: str, today: date) -> str | None:
    """The phrase of a day-month date that the calendar does not have, if the text holds one."""
    month_names = "|".join(_MONTHS)
    patterns = (
        (rf"\b(\d{{1,2}})\s+({month_names})(?:\s+(\d{{4}}))?", lambda m: _MONTHS[m.group(2)]),
        (r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", lambda m: int(m.group(2))),
    )
    for pattern, month_of in patterns:
        for match in re.finditer(pattern, text):
            year = int(match.group(3)) if match.group(3) else today.year
            year += 2000 if year < 100 else 0
            try:
                date(year, month_of(match), int(match.group(1)))
            except ValueError:
                return match.group(0)
    return None


def _in_the_past(normalised: str) -> bool:
    if _EXPIRED.search(normalised):
        return True
    return bool(_PAST.search(normalised)) and not _EXPIRY_AHEAD.search(normalised)


def parse_expiry(text: str, today: date) -> date:
    """The expiry date named in `text`, relative phrases counted from `today`."""
    normalised = _normalise(text, today)
    if re.search(r"-\s*\d+\s*(giorn|settiman|mes)", normalised):
        raise ExpiryNotFoundError()  # "tra -5 giorni" says nothing sensible
    impossible = _impossible_date(normalised, today)
    if impossible:
        raise DateDoesNotExistError(impossible)
    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "past" if _in_the_past(normalised) else "future",
        "DATE_ORDER": "DMY",
    }
    found = search_dates(normalised, languages=["it"], settings=settings) or []
    # A date written out wins over a length ("rinnovato x 12 mesi, ora scade il 27/11/2027").
    found.sort(key=lambda pair: not _ABSOLUTE.search(pair[0]))
    for phrase, moment in found:
        phrase = phrase.strip()
        # A bare number ("16") or unit ("anno") is not a date, whatever dateparser makes of it.
        if phrase.isdigit() or phrase in _UNIT_WORDS:
            continue
        data = DateDataParser(languages=["it"], settings=settings).get_date_data(phrase)
        if data.period in ("month", "year") and not _RELATIVE.search(phrase):
            month = moment.date().replace(day=1) if data.period == "month" else None
            raise DayMissingError(phrase, month)
        expiry: date = moment.date()
        written_without_year = not _RELATIVE.search(phrase) and not re.search(r"\d{4}", phrase)
        if expiry == _a_year_after(today) and written_without_year:
            expiry = today  # "scade oggi, il 27/11": the day named is today, not next year's
        # Far ahead or far back ("1!0001" is year 1 to dateparser): a typo, not an expiry.
        if not today.year - MAX_YEARS_AWAY <= expiry.year <= today.year + MAX_YEARS_AWAY:
            raise ExpiryTooFarError(expiry)
        return expiry
    raise ExpiryNotFoundError()
