from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actions.domain.italian_dates import (
    DateDoesNotExistError,
    DayMissingError,
    ExpiryError,
    ExpiryNotFoundError,
    ExpiryTooFarError,
    parse_expiry,
)

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "expiry"),
    [
        ("scade il 15 marzo 2027", date(2027, 3, 15)),
        ("15/03/2027", date(2027, 3, 15)),
        ("03.04.2027", date(2027, 4, 3)),
        ("2027-03-15", date(2027, 3, 15)),
        ("il 3 aprile", date(2027, 4, 3)),  # the next 3 April
        ("scade il 30 novembre", date(2026, 11, 30)),
        ("tra 40 giorni", date(2027, 1, 5)),
        ("fra due mesi", date(2027, 1, 26)),
        ("mancano 80 gg", date(2027, 2, 14)),
        ("scade tra quaranta gg", date(2027, 1, 5)),
        ("fra una settimana", date(2026, 12, 3)),
        ("è scaduto 3 giorni fa", date(2026, 11, 23)),
        ("è scaduto da 10 giorni", date(2026, 11, 16)),
        ("scaduto ieri", date(2026, 11, 25)),
        ("scade oggi", date(2026, 11, 26)),
        ("domani", date(2026, 11, 27)),
        ("a fine mese", date(2026, 11, 30)),
        ("vorrei 16 GB di ram sul server entry che scade tra 40 giorni", date(2027, 1, 5)),
        ("Il mio housing 1U scade tra 10 giorni: quanto costa 1 A?", date(2026, 12, 6)),
        ("(scadenza 15/03/2027)", date(2027, 3, 15)),
        ("scade il 15 marzo 2027!!", date(2027, 3, 15)),
        # as people say them
        ("fine gennaio", date(2027, 1, 31)),
        ("a metà marzo", date(2027, 3, 15)),
        ("il primo giugno", date(2027, 6, 1)),
        ("tra un mese e mezzo", date(2027, 1, 10)),
        ("l'11 dicembre", date(2026, 12, 11)),
        ("scade a marzo, il 10", date(2027, 3, 10)),
        ("l'ho rinnovato x 12 mesi, ora scade il 27/11/2027", date(2027, 11, 27)),
        ("scadeva il 20/11", date(2026, 11, 20)),
        # the expiry's verb, not a past said of the renewal, decides which 31 December
        ("comunque scade il 31 dicembre, l'ho rinnovato l'anno scorso", date(2026, 12, 31)),
        ("l'anno scorso è scaduto il 20 novembre", date(2026, 11, 20)),
        ("scade oggi, il 26/11", date(2026, 11, 26)),
        ("tra 365 giorni", date(2027, 11, 26)),
        # a two-digit year is this century's, ahead or already past
        ("scade il 10/03/27", date(2027, 3, 10)),
        ("scadenza 9.12.26", date(2026, 12, 9)),
        ("scadenza 15-10-26", date(2026, 10, 15)),
        ("scadeva il 01/10/26", date(2026, 10, 1)),
        ("scadenza 22/12 con iva 22%", date(2026, 12, 22)),
        ("mario@esempio.it, scade il 3/2/27", date(2027, 2, 3)),
        ("scade tra 40 giorni e vorrei rinnovare per 12 mesi", date(2027, 1, 5)),
    ],
)
def test_expiry_phrases(text: str, expiry: date) -> None:
    assert parse_expiry(text, TODAY) == expiry


def test_now_is_never_an_expiry() -> None:
    with pytest.raises(ExpiryNotFoundError):
        parse_expiry("togli il raid, per ora prendo solo i dischi", TODAY)


def test_a_month_without_its_day_says_which_month() -> None:
    with pytest.raises(DayMissingError) as missing:
        parse_expiry("a febbraio", TODAY)
    assert missing.value.month == date(2027, 2, 1)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("31 febbraio", DateDoesNotExistError),
        ("scade il 31/02/2027", DateDoesNotExistError),
        ("il 29/02/2027", DateDoesNotExistError),
        ("scade a marzo", DayMissingError),
        ("tra 10000 giorni", ExpiryTooFarError),
        ("15 marzo 2099", ExpiryTooFarError),
        ("tra -5 giorni", ExpiryNotFoundError),
        ("16", ExpiryNotFoundError),
        ("ma il downgrade si può fare?", ExpiryNotFoundError),
        ("un altro disco ssd da 960", ExpiryNotFoundError),
        ("housing da 4 unità", ExpiryNotFoundError),
        # a percentage, an e-mail address or an IP address is no day of the month
        ("ma i prezzi sono con iva al 22% o va aggiunta?", ExpiryNotFoundError),
        ("sconto del 10,5 %?", ExpiryNotFoundError),
        ("scrivetemi a mario.rossi.12.03@esempio.it", ExpiryNotFoundError),
        ("l'ip è 192.168.1.10", ExpiryNotFoundError),
        ("+ 1 ip", ExpiryNotFoundError),
        # how long a renewal lasts is not when the service expires
        ("e quando rinnovo posso farlo per 12 mesi?", ExpiryNotFoundError),
        ("posso rinnovare per un anno?", ExpiryNotFoundError),
        ("rinnovo x 24 mesi", ExpiryNotFoundError),
        ("can I renew for 24 months?", ExpiryNotFoundError),
    ],
)
def test_answers_that_need_a_reask(text: str, error: type[ExpiryError]) -> None:
    with pytest.raises(error):
        parse_expiry(text, TODAY)


def test_leap_day_exists_in_a_leap_year() -> None:
    assert parse_expiry("il 29/02/2028", TODAY) == date(2028, 2, 29)


@given(st.text(max_size=200))
def test_any_text_gives_a_date_or_an_expiry_error(text: str) -> None:
    with contextlib.suppress(ExpiryError):
        assert isinstance(parse_expiry(text, TODAY), date)


@pytest.mark.parametrize("text", ["1!0001", "scadeva il 3 marzo 1990", "il 15/03/2040"])
def test_a_date_years_away_either_side_is_checked_with_the_customer(text: str) -> None:
    with pytest.raises(ExpiryTooFarError):
        parse_expiry(text, TODAY)


def test_an_ordinal_is_a_day_only_before_a_month() -> None:
    assert parse_expiry("scade il primo giugno", TODAY) == date(2027, 6, 1)
    with pytest.raises(ExpiryNotFoundError):
        parse_expiry("e un terzo disco ci starebbe?", TODAY)
