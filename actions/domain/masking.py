"""What a customer must not send in chat is hidden before anything stores it: payment card
numbers, IBANs and secrets ("la password è …", "pwd: …"). The channels mask every message
at the door; the records mask again what they write (a message typed before this existed,
an agent's note)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import luhn

# 13 to 19 digits, optionally in groups split by spaces or dashes.
_CARD = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")
# Country code, check digits, then 11 to 30 letters or digits, optionally grouped by spaces.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", re.IGNORECASE)
# A secret's label, an optional "of what" ("password di root", "la mia password attuale"),
# the word or sign that introduces it, and the secret itself (up to a space or , ;).
_SECRET = re.compile(
    r"(?P<label>\b(?:password|passw|passwd|pwd|psw|passcode|parola\s+d['’]ordine|pin)\b"
    r"(?:\s+(?:attuale|nuova|vecchia|provvisoria|d[ie]l?l?[oa']?\s*\w+|per\s+\w+)){0,2})"
    r"(?P<sep>\s*[:=]\s*|\s+(?:è|e'|é|is|era|sarebbe)\s+|\s+)"
    r"(?P<value>[^\s,;]+)",
    re.IGNORECASE,
)
# After "è" or a bare space, a word that says something of the password rather than being
# it: "la password è sbagliata", "password dimenticata".
_ABOUT_A_SECRET = {
    "sbagliata", "errata", "scaduta", "corretta", "giusta", "cambiata", "bloccata", "stata",
    "la", "il", "quella", "questa", "sempre", "ancora", "uguale", "diversa", "nuova",
    "vecchia", "troppo", "molto", "non", "già", "dimenticata", "persa", "smarrita",
    "scordata", "reimpostata", "resettata", "di", "del", "della", "per", "e", "o", "che",
    "a", "da", "su", "sul", "in", "nel", "mi", "ti", "ci", "è", "wrong", "expired",
}
# What stands in their place: no digit of theirs, so that no reader of the message takes a
# piece of a card for a quantity or a year ("6467"), and words an agent understands.
CARD_SHOWN = "[carta nascosta]"
IBAN_SHOWN = "[IBAN nascosto]"
SECRET_SHOWN = "[nascosta]"


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: frozenset[str]  # what was hidden: "card", "iban", "secret"


def _mask_card(match: re.Match[str], found: set[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if not luhn.is_valid(digits):
        return match.group(0)  # a long number that is no card (an order number, a phone)
    found.add("card")
    return CARD_SHOWN


def _mask_iban(match: re.Match[str], found: set[str]) -> str:
    compact = match.group(0).replace(" ", "")
    if not any(char.isdigit() for char in compact[4:]):
        return match.group(0)  # a long word, not an account
    found.add("iban")
    return IBAN_SHOWN


def _mask_secret(match: re.Match[str], found: set[str]) -> str:
    value, sep = match.group("value"), match.group("sep")
    # After ":" or "=" it is always the secret; after "è" unless it says something of the
    # password ("è sbagliata"); after a bare space only when it looks like one ("pwd x1y2").
    if not re.search(r"[:=]", sep):
        about_it = value.lower().strip(".!?") in _ABOUT_A_SECRET
        if about_it or not (sep.strip() or re.search(r"[\d\W_]", value)):
            return match.group(0)
    found.add("secret")
    return f"{match.group('label')}{sep}{SECRET_SHOWN}"


def mask(text: str) -> Masked:
    found: set[str] = set()
    text = _IBAN.sub(lambda m: _mask_iban(m, found), text)
    text = _CARD.sub(lambda m: _mask_card(m, found), text)
    text = _SECRET.sub(lambda m: _mask_secret(m, found), text)
    return Masked(text, frozenset(found))


def mask_sensitive(text: str) -> str:
    return mask(text).text


def was_masked(text: str) -> bool:
    """The message came through the door with something hidden (the channel said so)."""
    return any(shown in text for shown in (CARD_SHOWN, IBAN_SHOWN, SECRET_SHOWN))
