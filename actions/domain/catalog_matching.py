"""Find the services and add-ons a customer names in free text, Italian or English.

Rasa's entity extractor finds a span ("16 giga di ram", "16 gigs of RAM"); this turns the
span, or the whole message when the extractor found none, into price-list ids. It tolerates
typos, missing accents, English plurals ("SSDs", "IPs"), number words ("due", "quattro",
"two", "half an amp") and figures written as "16gb", "16 giga", "0,5 A", "0.5 A".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Protocol

from text_to_num import alpha2digit

from .catalog import Naming

UNITS = {
    "gb": "gb", "giga": "gb", "gigabyte": "gb", "g": "gb",
    "tb": "tb", "tera": "tb", "terabyte": "tb", "t": "tb",
    "gbit": "gbit", "gbps": "gbit", "gigabit": "gbit",
    "a": "a", "ampere": "a", "amp": "a", "amper": "a",
    "u": "u", "unita": "u", "rack": "u",
    # English
    "gig": "gb", "gigs": "gb", "gigabytes": "gb", "terabytes": "tb", "gigabits": "gbit",
    "amps": "a", "amperes": "a", "unit": "u", "units": "u",
}  # fmt: skip
# Customers say "10 giga" of a link as well as of a disk.
_SAME_UNIT = {"gb": {"gb", "gbit"}, "gbit": {"gbit", "gb"}}
_BEFORE_QUANTITY = {
    "altro", "altri", "altra", "altre", "ulteriore", "ulteriori", "nuovo", "nuovi",
    "more", "extra", "additional", "another", "further", "new", "other",
}  # fmt: skip
_KEYWORD_WINDOW = 4
MAX_QUANTITY = 10


class Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def naming(self) -> Naming: ...


@dataclass(frozen=True)
class Mention:
    """An item named in the text: one id when the words tell which, else the candidates."""

    candidates: tuple[str, ...]
    quantity: int = 1
    # A count written but not one we can quote ("-3", "0", "10000", "2,5"): the item is
    # named, the count must be asked again.
    refused_count: Decimal | None = None
    # Where the words are (token positions, both ends included), and whether a count was
    # written: "2 ip" sets two, a bare "ip" says nothing of how many.
    start: int = 0
    end: int = 0
    counted: bool = False

    @property
    def resolved(self) -> str | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


def tokenize(text: str) -> list[str]:
    """Lower-case ASCII words and numbers: "Un altro SSD da 960GB, 0,5 A" →
    ["1", "altro", "ssd", "da", "960", "gb", "0.5", "a"]."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = re.sub(r"(\d),(\d)", r"\1.\2", folded)
    folded = re.sub(r"\bmezz[oa]\b", "0.5", folded)
    folded = re.sub(r"\bhalf(?:\s+an?)?\b", "0.5", folded)
    # "the 960 one", "the 100 GB one": "one" stands for the item, it is no count
    folded = re.sub(r"\b(\d+(?:\s*(?!(?:and|or|plus|with)\b)[a-z]+)?)\s+ones?\b", r"\1", folded)
    folded = alpha2digit(folded, "en", threshold=0)
    # "a second IP" is one more, "the 3rd of April" no count
    folded = re.sub(r"\b\d+(?:st|nd|rd|th)\b", " ", folded)
    folded = alpha2digit(folded, "it", threshold=0)
    # A minus sign is kept when it starts a number ("-3 ip"), not inside "ssd-480".
    return re.findall(r"(?:(?<![\w.])-)?\d+(?:\.\d+)?|[a-z]+", folded)


def _number(token: str) -> Decimal | None:
    return Decimal(token) if token[-1].isdigit() else None


@functools.lru_cache(maxsize=65536)  # the fuzzy comparison is the action server's hot spot
def _is_word(token: str, keyword: str) -> bool:
    if token == keyword or (token in (keyword + "s", keyword + "es") and len(keyword) >= 2):
        return True  # and English plurals: "ssds", "ips", "disks"
    # Typos only on longer words: "memroia" is memoria, but "pro" must be exact. A typo
    # keeps the word's length and both its ends (or drops the last letter: "amper"), so
    # other Italian words stay themselves: "potenziare" is not "potenza", "sapere" not
    # "ampere", "controllo" not "controller".
    return (
        len(keyword) >= 5
        and len(token) >= 4
        and token[0] == keyword[0]
        and (token[-1] == keyword[-1] or keyword.startswith(token) or token.startswith(keyword))
        and abs(len(token) - len(keyword)) <= 1
        and SequenceMatcher(None, token, keyword).ratio() >= 0.8
    )


def _keyword_hits(items: Sequence[Named], tokens: Sequence[str]) -> list[set[str]]:
    return [
        {item.id for item in items if any(_is_word(token, kw) for kw in item.naming.keywords)}
        for token in tokens
    ]


def _quantity(
    tokens: Sequence[str], first: int, size_position: int | None, used: Iterable[int] = ()
) -> tuple[int, Decimal | None]:
    """The count written before `first`, and the count refused when it is not one to quote;
    a figure that is another item's size ("2 ssd da 480 + raid") counts nothing."""
    position = first - 1
    while position >= 0 and tokens[position] in _BEFORE_QUANTITY:
        position -= 1
    if position < 0 or position == size_position or position in used:
        return 1, None
    value = _number(tokens[position])
    # A figure with a unit is a size, never a count ("16 gb di ram": one RAM +16 GB).
    if value is None or (position + 1 < len(tokens) and tokens[position + 1] in UNITS):
        return 1, None
    if value != value.to_integral_value() or not 1 <= value <= MAX_QUANTITY:
        return 1, value
    return int(value), None


def _counted(tokens: Sequence[str], first: int) -> bool:
    position = first - 1
    while position >= 0 and tokens[position] in _BEFORE_QUANTITY:
        position -= 1
    return position >= 0 and _number(tokens[position]) is not None


def find_mentions(items: Sequence[Named], text: str) -> list[Mention]:
    """Every item of `items` named in `text`, in the order they appear."""
    tokens = tokenize(text)
    hits = _keyword_hits(items, tokens)
    used: set[int] = set()
    found: list[tuple[int, Mention]] = []

    # A figure names an item of that size when a keyword of the item is near it ("ram da 16",
    # "16 giga di ram") or when it carries a unit that only one item has ("anzi 64 GB").
    for position, token in enumerate(tokens):
        size = _number(token)
        if size is None:
            continue
        unit = UNITS.get(tokens[position + 1]) if position + 1 < len(tokens) else None
        sized = [
            item
            for item in items
            if item.naming.size == size
            and (unit is None or unit in _SAME_UNIT.get(item.naming.unit or "", {item.naming.unit}))
        ]
        if not sized:
            continue
        # Without a unit, a keyword after the figure is a count ("2 dischi"), not a size,
        # unless no count is that large: English puts the size first ("960 SSD", "100 backup").
        if unit:
            after = range(position + 2, position + 2 + _KEYWORD_WINDOW)
        elif size > MAX_QUANTITY:
            end = position + 1
            while end < min(len(tokens), position + 1 + _KEYWORD_WINDOW) and hits[end]:
                end += 1  # the keywords right after it: "480 SSD disks"
            after = range(position + 1, end)
        else:
            after = range(0)
        window = [
            index
            for index in (*range(position - _KEYWORD_WINDOW, position), *after)
            if 0 <= index < len(tokens) and index not in used
        ]
        named = [item for item in sized if any(item.id in hits[index] for index in window)]
        if len(named) != 1 and not (unit and len(sized) == 1 and not named):
            continue
        item = named[0] if named else sized[0]
        span = [position] + ([position + 1] if unit else [])
        span += [index for index in window if item.id in hits[index]]
        used.update(span)
        quantity, refused = _quantity(tokens, min(span), position)
        counted = quantity != 1 or refused is not None or (
            _counted(tokens, min(span)) and min(span) - 1 != position
        )
        found.append(
            (min(span), Mention((item.id,), quantity, refused, min(span), max(span), counted))
        )

    # Keywords left over name an item when only one has them ("firewall"), else a family
    # to choose from ("un disco in più"); neighbouring keywords narrow it ("disco ssd").
    position = 0
    while position < len(tokens):
        if position in used or not hits[position]:
            position += 1
            continue
        candidates = set(hits[position])
        end = position
        for following in range(position + 1, min(position + 3, len(tokens))):
            narrowed = candidates & hits[following]
            if following not in used and narrowed:
                candidates, end = narrowed, following
        used.update(range(position, end + 1))
        ordered = tuple(item.id for item in items if item.id in candidates)
        quantity, refused = _quantity(tokens, position, None, used)
        counted = quantity != 1 or refused is not None or (
            _counted(tokens, position) and position - 1 not in used
        )
        found.append((position, Mention(ordered, quantity, refused, position, end, counted)))
        position = end + 1

    return [mention for _, mention in sorted(found, key=lambda pair: pair[0])]

