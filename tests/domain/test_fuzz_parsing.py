"""Fuzzing what reads customers' words: names of services and add-ons, quantities, dates.
Whatever is typed, the parsers answer or raise their own documented error, nothing else."""

from __future__ import annotations

import contextlib
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from actions.domain.catalog import default_catalog
from actions.domain.catalog_matching import MAX_QUANTITY, find_mentions
from actions.domain.compatibility import split_compatible
from actions.domain.draft import Draft, Op, apply_edits
from actions.domain.italian_dates import MAX_YEARS_AWAY, ExpiryError, parse_expiry
from actions.domain.message_reading import read_message

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
        # the parser's contract: an expiry further than five years is asked again
        assert abs(expiry.year - today.year) <= MAX_YEARS_AWAY


@settings(max_examples=300)
@given(texts)
def test_names_and_quantities_stay_within_the_price_list(text: str) -> None:
    for items in (CATALOG.services, CATALOG.addons):
        known = set(items)
        for mention in find_mentions(list(items.values()), text):
            # a mention is of the price list's items, a count the quote can take, and a
            # resolved one is one of its candidates
            assert mention.candidates and set(mention.candidates) <= known
            assert 1 <= mention.quantity <= MAX_QUANTITY
            assert mention.resolved is None or mention.resolved in mention.candidates
            assert mention.start <= mention.end


DRAFT = Draft(service="ds-pro", addons=("ram-16", "ip-extra", "ip-extra"), focus="ip-extra")


@settings(max_examples=300)
@given(texts)
def test_a_message_edits_the_draft_within_the_price_list(text: str) -> None:
    reading = read_message(CATALOG, text, DRAFT, date(2026, 11, 27))
    for edit in reading.edits:
        assert edit.candidates and set(edit.candidates) <= set(CATALOG.addons)
        assert edit.op is Op.REMOVE or 1 <= edit.quantity <= MAX_QUANTITY
    assert all(not 1 <= count <= MAX_QUANTITY or count % 1 for _, count in reading.refused)
    applied = apply_edits(CATALOG, DRAFT, reading.edits, reading.service, reading.expiry)
    # whatever was asked, the draft holds only what its service takes
    draft = applied.draft
    service = CATALOG.service(draft.service or "ds-pro")
    held = [CATALOG.addon(item) for item in draft.addons]
    assert split_compatible(CATALOG, service, held)[1] == []
