"""Payment card numbers and IBANs a customer types never reach a record unmasked."""

from __future__ import annotations

import re

# 13 to 19 digits, optionally in groups split by spaces or dashes.
_CARD = re.compile(r"(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])")
# Country code, check digits, then 11 to 30 letters or digits, optionally grouped by spaces.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b", re.IGNORECASE)


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if not _luhn_valid(digits):
        return match.group(0)  # a long number that is no card (an order number, a phone)
    return f"[carta •••• {digits[-4:]}]"


def _mask_iban(match: re.Match[str]) -> str:
    compact = match.group(0).replace(" ", "")
    if not any(char.isdigit() for char in compact[4:]):
        return match.group(0)  # a long word, not an account
    return f"[IBAN {compact[:2].upper()}•• •••• {compact[-4:]}]"


def mask_payment_data(text: str) -> str:
    return _CARD.sub(_mask_card, _IBAN.sub(_mask_iban, text))
