"""A service's expiry date from what a customer writes, in Italian or in English.

dateparser does the parsing ("15 marzo 2027", "15/03/2027", "tra 40 giorni", "3 giorni fa",
"on 3 April", "March 15th 2027", "in 40 days", "3 days ago", "next Friday"); this module only
rewrites the colloquial forms it does not know ("fra", "gg", "mancano 80 giorni", "40 days
left", number words, "fine mese", "the end of the month", "mid-May") and tells apart the
answers that need a re-ask: no date, a date that does not exist ("31 febbraio", "31
February"), a month without its day ("a marzo", "next month").

No language is given: a message is read in the language its date words are in (Italian when
they do not tell), then in the other one if the first finds no date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from babel.dates import get_day_names, get_month_names
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
# Where in its month a day falls: "fine gennaio", "metà marzo", "end of January", "mid-May";
# None is the month's last day.
_PART_DAY: dict[str, int | None] = {
    "fine": None, "meta": 15, "metà": 15, "inizio": 1, "primi": 1,
    "end": None, "late": None, "mid": 15, "middle": 15, "beginning": 1, "start": 1, "early": 1,
}  # fmt: skip

# English: month names and their abbreviations ("3 Apr 2027"), from babel as the Italian ones.
_EN_MONTHS = {
    name.lower().rstrip("."): number
    for width in ("wide", "abbreviated")
    for number, name in get_month_names(width, locale="en").items()
} | {"sept": 9}
_EN_MONTH_NAMES = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_EN_UNIT_WORDS = {"day", "days", "week", "weeks", "month", "months", "year", "years"}
_EN_RELATIVE = re.compile(r"\d+\s*(?:day|week|month|year)|\bago\b|\ban?\s+(?:day|week|month|year)")
_EN_EXPIRED = re.compile(r"\bexpired\b|\b(?:ran|run)\s+out\b|\blapsed\b")
_EN_PAST = re.compile(r"\bago\b|\byesterday\b|\blast\b")
_EN_EXPIRY_AHEAD = re.compile(r"\bexpir(?:e|es|ing)\b|\bruns\s+out\b|\brenews\b")
_EN_ABSOLUTE = re.compile(
    rf"\d/\d|\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_EN_MONTH_NAMES})\b|\b(?:{_EN_MONTH_NAMES})\s+\d"
)
_EN_UNIT = r"(day|week|month|year)s?"
_SIZE_UNITS = (
    "gb|tb|gbit|gbps|gigs?|giga|tera|gigabytes?|terabytes?|gigabits?|a|amps?|amperes?|u|units?"
)
_FILLER = re.compile(r"\b(?:about|around|roughly|approximately|approx|more\s+or\s+less|or\s+so)\b")
# "the 64", "on 2": a number, whatever dateparser makes of it
_A_NUMBER = re.compile(r"(?:(?:the|on|a|an|of|in|at|by|to)\s+)+\d+")
# "may" is the month after a day or a word that takes a month, or before a day; else it is
# the verb ("may I add…").
_BEFORE_MONTH = {
    "in", "on", "by", "of", "mid", "early", "late", "end", "since", "until", "till", "from",
    "next", "last", "this", "to",
}  # fmt: skip


# The words that tell which language a date is written in; a month or a weekday counts twice.
_IT_DAYS = [name.lower() for name in get_day_names("wide", locale="it").values()]
_IT_NAMES = re.compile(rf"\b(?:{'|'.join([*_MONTHS, *_IT_DAYS])})\b")
_IT_WORDS = re.compile(
    r"\b(?:giorn\w*|gg|settiman\w*|mes[ei]|ann[oi]|tra|fra|fa|scad\w*|domani|dopodomani|ieri"
    r"|oggi|fine|meta|metà|mancano|prossim\w*|scors\w*|il|del|di|da|entro)\b"
)
_EN_DAYS = [name.lower() for name in get_day_names("wide", locale="en").values()]
_EN_WIDE_MONTHS = [name.lower() for name in get_month_names("wide", locale="en").values()]
_EN_NAMES = re.compile(rf"\b(?:{'|'.join([*_EN_WIDE_MONTHS, *_EN_DAYS])})\b")
_EN_WORDS = re.compile(
    r"\b(?:days?|weeks?|months?|years?|ago|tomorrow|today|yesterday|expir\w*|renew\w*|left"
    r"|next|last|end|the|of|on|mid)\b|\d(?:st|nd|rd|th)\b"
)


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


@dataclass(frozen=True)
class _Language:
    """How one language writes dates: its rewriting for dateparser and its date words."""

    code: str
    normalise: Callable[[str, date], str]
    months: Mapping[str, int]
    unit_words: set[str]
    relative: re.Pattern[str]
    expired: re.Pattern[str]
    past: re.Pattern[str]
    ahead: re.Pattern[str]
    absolute: re.Pattern[str]
    # Day-month dates to check against the calendar: pattern, and which groups hold the day,
    # the month's name and the year.
    day_month: tuple[tuple[str, int, int, int], ...]


def _normalise_italian(text: str, today: date) -> str:
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
        lambda m: _day_of(_PART_DAY[m.group(1)], _MONTHS[m.group(2)], today),
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


def _normalise_english(text: str, today: date) -> str:
    text = text.lower()
    # "i'm", "it's", "don't": dateparser reads a lone "m" or "s" as a unit of time
    text = re.sub(r"['’](?:m|s|re|ve|ll|d|t)\b", "", text)
    text = re.sub(r"['’]", " ", text)
    text = re.sub(r"\b(\d+(?:\s*[a-z]+)?)\s+ones?\b", r"\1", text)  # "the 64 one": a size
    text = alpha2digit(text, "en", threshold=0)
    text = re.sub(r"(?<!\d):|:(?!\d)|[;()\[\]!?]", ",", text)
    # "for now I'll take the disks": now is never an expiry
    text = re.sub(r"\b(?:for\s+|right\s+|just\s+)?now\b(?!\s*\d)", " ", text)
    text = _FILLER.sub(" ", text)
    text = re.sub(r"\b(?:black\s+friday|cyber\s+monday)\b", " ", text)  # sales, not days
    text = re.sub(rf"\b(\d+)\s+{_EN_UNIT}'?\s+time\b", r"\1 \2s", text)  # "in 2 months' time"
    # "40 days left", "80 days to go", "45 days until renewal", "a week before expiry"
    text = re.sub(
        rf"\b(?:only\s+|just\s+|still\s+)?(\d+|an?)\s+{_EN_UNIT}\s+"
        r"(?:left|to\s+go|remaining|until|till|before|to)\b",
        lambda m: f" in {1 if m.group(1).startswith('a') else m.group(1)} {m.group(2)}s ",
        text,
    )
    # "expired for a week", "it's been expired 10 days": that long ago
    text = re.sub(
        rf"\bexpired\s+(?:for\s+|since\s+)?(\d+|an?)\s+{_EN_UNIT}\b(?!\s+ago)",
        lambda m: f"expired {1 if m.group(1).startswith('a') else m.group(1)} {m.group(2)}s ago",
        text,
    )
    text = re.sub(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b", r"\3/\2/\1", text)  # ISO
    text = re.sub(r"\b(\d{1,2})[.-](\d{1,2})[.-](\d{2,4})\b", r"\1/\2/\3", text)
    # Sizes and decimals are no days: "0.5 A", "16 GB", "4U"
    text = re.sub(r"(?<![\d/])\d+\.\d+(?![\d/])", " ", text)
    text = re.sub(rf"\b\d+\s*(?:{_SIZE_UNITS})\b", " ", text)
    text = re.sub(r"\bmay\b", _may, text)
    months = _EN_MONTH_NAMES
    last_day = calendar.monthrange(today.year, today.month)[1]
    text = re.sub(
        r"\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month\b|\bmonth[-\s]end\b",
        f"{last_day}/{today.month}/{today.year}",
        text,
    )
    following = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    text = re.sub(
        r"\b(?:the\s+)?end\s+of\s+next\s+month\b",
        lambda _: _day_of(None, following.month, following),
        text,
    )
    text = re.sub(
        r"\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?year\b|\byear[-\s]end\b",
        f"31/12/{today.year}",
        text,
    )
    # "end of January", "mid-May", "the beginning of June", "early March", "late April"
    text = re.sub(
        rf"\b(?:the\s+|at\s+the\s+)?(end|late|mid|middle|beginning|start|early)"
        rf"(?:\s+of|-|\s)\s*(?:the\s+month\s+of\s+)?({months})\b",
        lambda m: _day_of(_PART_DAY[m.group(1)], _EN_MONTHS[m.group(2)], today),
        text,
    )
    text = re.sub(
        r"\b(?:in\s+|within\s+)?(\d+|an?)\s+months?\s+and\s+a\s+half\b",
        lambda m: _months_and_a_half(1 if m.group(1).startswith("a") else int(m.group(1)), today),
        text,
    )
    # An ordinal is a day next to a month ("3rd of April", "April 3rd") or alone after "the"
    # ("on the 3rd"); "a 2nd IP" holds no date.
    text = re.sub(rf"\b({months})\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)\b", r"\1 \2", text)
    text = re.sub(rf"\b(\d{{1,2}})(?:st|nd|rd|th)\s+(?:of\s+)?({months})\b", r"\1 \2", text)
    past = _in_the_past(text, _ENGLISH)
    text = re.sub(
        r"\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b"
        r"(?=\s*(?:$|[,.]|(?:of\s+(?:the|this)\s+month|and|or|please|right|then|i|it)\b))",
        lambda m: _day_alone(int(m.group(1)), today, m.group(0), past),
        text,
    )
    text = re.sub(r"\b\d{1,2}(?:st|nd|rd|th)\b", " ", text)
    return text


def _may(match: re.Match[str]) -> str:
    before = match.string[: match.start()].split()
    after = match.string[match.end() :]
    if (
        (before and (before[-1] in _BEFORE_MONTH or before[-1][0].isdigit()))
        or re.match(r"\s*(?:the\s+)?\d", after)
        or match.string[: match.start()].endswith("mid-")
        or not (before or after.strip(" ,."))
    ):
        return "may"
    return " "


def _day_alone(day: int, today: date, phrase: str, past: bool) -> str:
    """ "on the 20th": the next 20th of a month (this month's if not past yet), or the last
    one when the text speaks of the past ("it expired on the 20th")."""
    step = -1 if past else 1
    year, month = today.year, today.month
    for _ in range(3):
        this_month = (year, month) == (today.year, today.month)
        if not this_month or (day <= today.day if past else day >= today.day):
            try:
                found = date(year, month, day)
            except ValueError:
                pass
            else:
                return f" {found.day}/{found.month}/{found.year} "
        index = year * 12 + month - 1 + step
        year, month = index // 12, index % 12 + 1
    return f" {phrase} "


def _next_month_date(month: int, day_of: int | None, today: date) -> date:
    """The `month` coming next (this one if not over yet); `day_of` None: its last day."""
    year = today.year if month >= today.month else today.year + 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, day_of or last)


def _day_of(day: int | None, month: int, today: date) -> str:
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


_NUMERIC_DATE = (r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?\b", 1, 2, 3)
_ITALIAN = _Language(
    code="it",
    normalise=_normalise_italian,
    months=_MONTHS,
    unit_words=_UNIT_WORDS,
    relative=_RELATIVE,
    expired=_EXPIRED,
    past=_PAST,
    ahead=_EXPIRY_AHEAD,
    absolute=_ABSOLUTE,
    day_month=(
        (rf"\b(\d{{1,2}})\s+({'|'.join(_MONTHS)})(?:\s+(\d{{4}}))?", 1, 2, 3),
        _NUMERIC_DATE,
    ),
)
_ENGLISH = _Language(
    code="en",
    normalise=_normalise_english,
    months=_EN_MONTHS,
    unit_words=_EN_UNIT_WORDS,
    relative=_EN_RELATIVE,
    expired=_EN_EXPIRED,
    past=_EN_PAST,
    ahead=_EN_EXPIRY_AHEAD,
    absolute=_EN_ABSOLUTE,
    day_month=(
        (
            rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_EN_MONTH_NAMES})\b"
            r"(?:,?\s+(\d{4}))?",
            1, 2, 3,
        ),
        (
            rf"\b({_EN_MONTH_NAMES})\s+(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\b"
            r"(?!\s*[/:])(?:,?\s+(\d{4}))?",
            2, 1, 3,
        ),
        _NUMERIC_DATE,
    ),
)  # fmt: skip


def _impossible_date(text: str, today: date, language: _Language) -> str | None:
    """The phrase of a day-month date that the calendar does not have, if the text holds one."""
    for pattern, day_group, month_group, year_group in language.day_month:
        for match in re.finditer(pattern, text):
            month_text = match.group(month_group)
            month = language.months.get(month_text) or int(month_text)
            year = int(match.group(year_group)) if match.group(year_group) else today.year
            year += 2000 if year < 100 else 0
            try:
                date(year, month, int(match.group(day_group)))
            except ValueError:
                return match.group(0)
    return None


def _in_the_past(normalised: str, language: _Language) -> bool:
    if language.expired.search(normalised):
        return True
    return bool(language.past.search(normalised)) and not language.ahead.search(normalised)


def _languages(text: str) -> list[_Language]:
    """The languages whose date words the text uses, most first (Italian when even); Italian
    when it uses none."""
    lowered = text.lower()
    english = len(_EN_WORDS.findall(lowered)) + 2 * len(_EN_NAMES.findall(lowered))
    italian = len(_IT_WORDS.findall(lowered)) + 2 * len(_IT_NAMES.findall(lowered))
    if not english:
        return [_ITALIAN]
    if not italian:
        return [_ENGLISH]
    return [_ENGLISH, _ITALIAN] if english > italian else [_ITALIAN, _ENGLISH]


def parse_expiry(text: str, today: date) -> date:
    """The expiry date named in `text`, relative phrases counted from `today`."""
    first, *others = _languages(text)
    for language in others:
        try:
            return _parse_expiry(text, today, first)
        except ExpiryNotFoundError:
            first = language
    return _parse_expiry(text, today, first)


# Figures that are never a day, in either language: an e-mail address ("mario.rossi1203@…"),
# a percentage ("l'IVA al 22%") and an addition ("+ 1 ip"), which dateparser would read as
# a day of this month.
_NOT_A_DATE = re.compile(r"\S+@\S+|\d+(?:[.,]\d+)?\s*%|\+\s*\d+")
# A length of time ("rinnovo per 12 mesi", "x 24 mesi", "for a year") is how long a renewal
# lasts, never when the service expires.
_DURATION = re.compile(
    r"(?:\bper|\bx|\bfor)\s+(?:altri\s+|another\s+)?(?:\d+|an?)\s*"
    r"(?:mes[ei]|ann[oi]|giorn[oi]|settiman[ae]|months?|years?|days?|weeks?)\b"
)
# "15-10-26": dateparser takes a two-digit year ahead to the next century (2126) when it
# prefers dates in the future; customers always mean this century.
_SHORT_YEAR = re.compile(r"(?<![\d.,/-])(\d{1,2})([/.-])(\d{1,2})\2(\d{2})(?![\d.,/-]*\d)")


def _plain_figures(text: str) -> str:
    text = _NOT_A_DATE.sub(" ", text)
    return _SHORT_YEAR.sub(lambda m: f"{m[1]}{m[2]}{m[3]}{m[2]}20{m[4]}", text)


def _parse_expiry(text: str, today: date, language: _Language) -> date:
    normalised = _DURATION.sub(" ", language.normalise(_plain_figures(text), today))
    if re.search(r"-\s*\d+\s*(giorn|settiman|mes|day|week|month)", normalised):
        raise ExpiryNotFoundError()  # "tra -5 giorni" says nothing sensible
    impossible = _impossible_date(normalised, today, language)
    if impossible:
        raise DateDoesNotExistError(impossible)
    settings = {
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DATES_FROM": "past" if _in_the_past(normalised, language) else "future",
        "DATE_ORDER": "DMY",
    }
    found = search_dates(normalised, languages=[language.code], settings=settings) or []
    # A date written out wins over a length ("rinnovato x 12 mesi, ora scade il 27/11/2027").
    found.sort(key=lambda pair: not language.absolute.search(pair[0]))
    for phrase, moment in found:
        phrase = phrase.strip()
        # A bare number ("16") or unit ("anno") is not a date, whatever dateparser makes of it.
        if phrase.isdigit() or phrase in language.unit_words or _A_NUMBER.fullmatch(phrase):
            continue
        data = DateDataParser(languages=[language.code], settings=settings).get_date_data(phrase)
        if data.period in ("month", "year") and not language.relative.search(phrase):
            month = moment.date().replace(day=1) if data.period == "month" else None
            raise DayMissingError(phrase, month)
        expiry: date = moment.date()
        written_without_year = not language.relative.search(phrase) and not re.search(
            r"\d{4}", phrase
        )
        if expiry == _a_year_after(today) and written_without_year:
            expiry = today  # "scade oggi, il 27/11": the day named is today, not next year's
        # Far ahead or far back ("1!0001" is year 1 to dateparser): a typo, not an expiry.
        if not today.year - MAX_YEARS_AWAY <= expiry.year <= today.year + MAX_YEARS_AWAY:
            raise ExpiryTooFarError(expiry)
        return expiry
    raise ExpiryNotFoundError()
