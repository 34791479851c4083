from __future__ import annotations

import pytest

from actions.domain.masking import mask_payment_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("carta 4111 1111 1111 1111 grazie", "carta [carta •••• 1111] grazie"),
        ("4111-1111-1111-1111", "[carta •••• 1111]"),
        ("5500005555555559", "[carta •••• 5559]"),
        ("IBAN IT60 X054 2811 1010 0000 0123 456", "IBAN [IBAN IT•• •••• 3456]"),
        ("iban it60x0542811101000000123456.", "iban [IBAN IT•• •••• 3456]."),
        ("DE89370400440532013000", "[IBAN DE•• •••• 3000]"),
    ],
)
def test_cards_and_ibans_are_masked(text: str, masked: str) -> None:
    assert mask_payment_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "ordine 12345678901234",  # 14 digits that fail the card checksum
        "chiamate il +39 0575 05077",
        "scade il 15/03/2027, server pro con 16 GB",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    ],
)
def test_other_numbers_and_words_are_left_alone(text: str) -> None:
    assert mask_payment_data(text) == text
