"""Fuzzing what reads customers' words: names of services and add-ons, quantities, dates.
Whatever is typed, the parsers answer or raise their own documented error, nothing else."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from actions.domain.catalog import default_catalog
from actions.domain.catalog_matching import (
    MAX_QUANTITY,
    count_before,
    expand,
    find_addons,
    find_by_figure,
    find_services,
)
from actions.domain.italian_dates import ExpiryError, parse_expiry
from actions.domain.selection import is_correction, merge_addons

CATALOG = default_catalog()
# Words customers use, so that the fuzzer reaches the parsers' interesting paths.
WORDS = [
    "scade", "tra", "fra", "il", "giorni", "gg", "mesi", "settimane", "fine", "mese",
    "febbraio", "31", "29", "-5", "0", "10000", "2027", "1990", "/", ".", ",", "anzi",
    "ram", "gb", "giga", "tera", "ssd", "disco", "ip", "in", "più", "server", "entry",
    "pro", "housing", "1u", "ampere", "0,5", "A", "un", "due", "quaranta", "😀", "\x00",
    "<script>", "'; DROP TABLE", "é", "È", "\u202e",
]
phrases = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)
texts = st.one_of(st.text(max_size=300), phrases)
todays = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


@settings(max_examples=300)
@given(texts, todays)
def test_dates_parse_or_raise_an_expiry_error(text: str, today: date) -> None:
    with contextlib.suppress(ExpiryError):
        expiry = parse_expiry(text, today)
        assert isinstance(expiry, date)
        assert abs(expiry - today) <= timedelta(days=366 * 100)


@settings(max_examples=300)
@given(texts)
def test_names_and_quantities_never_fail(text: str) -> None:
    services = find_services(CATALOG, text)
    addons = find_addons(CATALOG, text)
    figures = find_by_figure(list(CATALOG.addons.values()), text)
    for mention in [*services, *addons, *figures]:
        assert mention.candidates and 1 <= mention.quantity <= MAX_QUANTITY
    assert all(service_id in CATALOG.services for service_id in expand(services))
    assert all(addon_id in CATALOG.addons for addon_id in expand(addons))
    quantity, refused = count_before(text)
    assert 1 <= quantity <= MAX_QUANTITY
    assert refused is None or not 1 <= refused <= MAX_QUANTITY or refused % 1
    merge_addons(CATALOG, ["ram-16"], expand(addons), is_correction(text))
