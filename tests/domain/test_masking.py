from __future__ import annotations

import pytest

from actions.domain.masking import mask, mask_sensitive


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("carta 4111 1111 1111 1111 grazie", "carta [carta nascosta] grazie"),
        ("4111-1111-1111-1111", "[carta nascosta]"),
        ("5500005555555559", "[carta nascosta]"),
        ("pago con la carta 4539 1488 0343 6467, va bene?",
         "pago con la carta [carta nascosta], va bene?"),
        ("IBAN IT60 X054 2811 1010 0000 0123 456", "IBAN [IBAN nascosto]"),
        ("iban it60x0542811101000000123456.", "iban [IBAN nascosto]."),
        ("DE89370400440532013000", "[IBAN nascosto]"),
    ],
)
def test_cards_and_ibans_are_masked(text: str, masked: str) -> None:
    assert mask_sensitive(text) == masked


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("la password è Luna2020!", "la password è [nascosta]"),
        ("la mia password è ciaociao, serve?", "la mia password è [nascosta], serve?"),
        ("pwd: s3gr3t0", "pwd: [nascosta]"),
        ("Password=hunter2 user root", "Password=[nascosta] user root"),
        ("la password di root è Xy_77aa", "la password di root è [nascosta]"),
        ("psw abc123!", "psw [nascosta]"),
        ("il pin è 1234", "il pin è [nascosta]"),
    ],
)
def test_secrets_are_masked_with_their_label_kept(text: str, masked: str) -> None:
    assert mask(text) == type(mask(text))(masked, frozenset({"secret"}))


@pytest.mark.parametrize(
    "text",
    [
        "ordine 12345678901234",  # 14 digits that fail the card checksum
        "chiamate il +39 0575 05077",
        "scade il 15/03/2027, server pro con 16 GB",
        "scade tra 40 giorni, 2 ip e 1,5 A: quanto costa? 14,64 €",
        "la mia richiesta è UPG-2026-000123",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "ho dimenticato la password del pannello",
        "la password è sbagliata, come la cambio?",
        "password dimenticata",
        "il pin del server non funziona",
    ],
)
def test_what_the_conversation_needs_is_left_alone(text: str) -> None:
    assert mask(text).text == text and not mask(text).kinds


def test_every_kind_hidden_is_reported_once() -> None:
    masked = mask("carta 4111111111111111, iban IT60X0542811101000000123456, pwd: x1y2z3")
    assert masked.kinds == {"card", "iban", "secret"}
    assert "4111111111111111" not in masked.text and "x1y2z3" not in masked.text
