"""Every sentence a customer sees lives in one home: the responses of domain.yml. Rasa says
the ones the rules name; the actions assemble the rest (a quote, a reason, the handoff)
from the same responses here, filled with figures and with the contacts, which are
defined once (`actions/domain/contacts.py`). Italian is written with "tu"; the "Lei"
variants are derived (`make formal`, actions/speaking.py). Plain Python, no Rasa."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .domain.contacts import CONTACTS

DOMAIN = Path(__file__).resolve().parents[1] / "domain.yml"


@functools.cache
def responses() -> dict[str, list[dict[str, Any]]]:
    loaded = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    return {name: list(variants) for name, variants in loaded.items()}


def variant(key: str, slots: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The variant of a response Rasa would say with these slots: one whose conditions all
    hold, else the one without conditions (domain.yml has one per case; a test checks)."""
    slots = slots or {}
    variants = responses()[key]
    for candidate in variants:
        conditions = candidate.get("condition") or []
        if conditions and all(slots.get(c["name"]) == c["value"] for c in conditions):
            return candidate
    return next(candidate for candidate in variants if not candidate.get("condition"))


def text(key: str, slots: Mapping[str, Any] | None = None, /, **values: Any) -> str:
    """A response's text with its `{placeholders}` filled: the contacts, then `values`."""
    return str(variant(key, slots)["text"]).format_map({**CONTACTS, **values})
