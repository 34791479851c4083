"""Every sentence a customer sees lives in one home: the responses of domain.yml. Rasa says
the ones the rules name; the actions assemble the rest (a quote, a reason, the handoff)
from the same responses here, filled with figures and with the contacts, which are
defined once (`actions/domain/contacts.py`). Italian is written with "tu"; the "Lei"
variants are derived (`make formal`, actions/speaking.py). English variants have the
condition `language: en`; an action speaks the conversation's language (`speaking()`, set
for each call by actions/language_context.py), figures too (`eur`, `day`…). Plain Python,
no Rasa."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .domain import day_format, money
from .domain.contacts import CONTACTS
from .domain.language import DEFAULT, SLOT, Language, parse, variants_in

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"


@functools.cache
def responses() -> dict[str, list[dict[str, Any]]]:
    loaded = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    return {name: list(variants) for name, variants in loaded.items()}


_SPEAKING: ContextVar[Language] = ContextVar("speaking", default=DEFAULT)


def speaking() -> Language:
    """The language of the conversation being answered (Italian outside one)."""
    return _SPEAKING.get()


@contextmanager
def speaking_in(language: Language) -> Iterator[None]:
    token = _SPEAKING.set(language)
    try:
        yield
    finally:
        _SPEAKING.reset(token)


def variant(key: str, slots: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The variant of a response Rasa would say with these slots (the language's own, as
    rasa_server/language.py chooses): one whose conditions all hold, else the one without
    conditions (domain.yml has one per case; a test checks)."""
    slots = slots or {}
    language = parse(slots[SLOT]) if slots.get(SLOT) else speaking()
    variants = variants_in(responses()[key], language)
    for candidate in variants:
        conditions = candidate.get("condition") or []
        if conditions and all(slots.get(c["name"]) == c["value"] for c in conditions):
            return candidate
    return next(candidate for candidate in variants if not candidate.get("condition"))


def text(key: str, slots: Mapping[str, Any] | None = None, /, **values: Any) -> str:
    """A response's text with its `{placeholders}` filled: the contacts, then `values`."""
    return str(variant(key, slots)["text"]).format_map({**CONTACTS, **values})


# Figures in the conversation's language: `1.234,56 €` / `€1,234.56`, `15/03/2027` /
# `15 March 2027`. What the agent reads (transcripts, reports) stays Italian.
def eur(amount: Decimal) -> str:
    return money.format_eur(amount, speaking())


def number(value: Decimal) -> str:
    return money.format_number(value, speaking())


def rate(value: Decimal) -> str:
    return money.format_rate(value, speaking())


def day(value: date) -> str:
    return day_format.format_day(value, speaking())


def month(value: date) -> str:
    return day_format.format_month(value, speaking())


def weekday(value: date, with_date: bool) -> str:
    return day_format.format_weekday(value, with_date, speaking())
