"""The customer's register, mirrored: every text of the assistant has its "Lei" form."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions import replies, support_replies
from actions.domain.catalog import default_catalog
from actions.domain.compatibility import split_compatible
from actions.domain.draft import Draft, ItemEdit, Op, apply_edits
from actions.domain.expiry import ROME
from actions.domain.italian_dates import DayMissingError, ExpiryNotFoundError
from actions.domain.language import Language, language_of
from actions.domain.pricing import quote_upgrade
from actions.domain.register import Register, detect_register, to_formal, tu_forms

CATALOG = default_catalog()
DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text())
OPEN = datetime(2026, 11, 27, 10, 0, tzinfo=ROME)
CLOSED = datetime(2026, 11, 28, 10, 0, tzinfo=ROME)


@pytest.mark.parametrize(
    ("text", "register"),
    [
        ("La ringrazio. Potrebbe indicarmi come procedere con l'ordine?", Register.FORMAL),
        ("Buongiorno, avrei bisogno di un'informazione.", Register.FORMAL),
        ("mi puoi dire quanto costa?", Register.INFORMAL),
        ("ciao, server pro", Register.INFORMAL),
        ("ok", None),
        ("32 GB", None),
    ],
)
def test_the_register_a_message_shows(text: str, register: Register | None) -> None:
    assert detect_register(text) == register


def _python_texts() -> list[str]:
    service = CATALOG.service("ds-entry")
    quote = quote_upgrade(CATALOG, "ds-entry", ["ram-16", "ip-extra"], 40)
    renewal = quote_upgrade(CATALOG, "ds-entry", ["ram-16"], 5)
    _, problems = split_compatible(CATALOG, service, [CATALOG.addon("power-1a")])
    applied = apply_edits(
        CATALOG,
        Draft(service="ds-pro", addons=("raid-hw", "ip-extra")),
        [ItemEdit(Op.REMOVE, ("raid-hw",)), ItemEdit(Op.SET, ("ip-extra",), 3)],
        service="housing-1u",
    )
    return [
        replies.ask_service(),
        replies.ask_service_among([service, CATALOG.service("ds-pro")]),
        replies.ask_addons(service),
        replies.ask_addon_choice(),
        replies.ask_expiry(),
        replies.ask_expiry_day(date(2027, 2, 1)),
        *(replies.not_understood(slot) for slot in ("service", "addons", "expiry_date")),
        replies.incompatible(problems),
        replies.count_refused(["IP pubblico aggiuntivo"], 10),
        *replies.draft_notes(CATALOG, Draft(service="ds-pro", addons=("raid-hw",)), applied),
        replies.quote_message(quote, date(2027, 1, 6)),
        replies.quote_message(renewal, date(2026, 12, 2)),
        replies.expired_message(service, date(2026, 11, 20), 7),
        replies.expiry_problem(DayMissingError("febbraio")),
        replies.expiry_problem(ExpiryNotFoundError()),
        *(support_replies.handoff(reason, now) for reason in ("out_of_scope", "human_handoff")
          for now in (OPEN, CLOSED)),
        support_replies.contacts(OPEN),
        support_replies.contacts(CLOSED),
        support_replies.invalid_email(),
        support_replies.support_summary("a@example.it", "mi serve aiuto", has_quote=True),
        support_replies.support_submitted("UPG-2026-000001", "a@example.it"),
        support_replies.support_not_sent(),
        support_replies.records_unavailable(),
    ]


def test_every_text_of_the_actions_has_its_formal_form() -> None:
    left = {text: tu_forms(to_formal(text)) for text in _python_texts()}
    assert {text: forms for text, forms in left.items() if forms} == {}


def _italian(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """English has one register: its variants (condition language: en) are left out."""
    return [v for v in variants if language_of(v) is Language.ITALIAN]


def test_every_response_with_a_tu_has_its_formal_variant() -> None:
    for name, every in DOMAIN["responses"].items():
        variants = _italian(every)
        if name.startswith(("part_channel_", "part_widget_")):
            continue  # said by a channel or the widget, which do not know the register
        if name.startswith("part_"):  # parts of the actions' messages: turned when sent
            assert all(tu_forms(to_formal(v["text"])) == [] for v in variants), name
            assert all(not v.get("condition") for v in variants), name
            continue
        formal = [v for v in variants if {"name": "register", "type": "slot", "value": "formal"}
                  in v.get("condition", [])]
        informal = [v for v in variants if v not in formal]
        for variant in informal:
            if not tu_forms(variant["text"]):
                continue
            others = [c for c in variant.get("condition", []) if c["name"] != "register"]
            twin = [v for v in formal if [c for c in v["condition"] if c["name"] != "register"]
                    == others or (not others and v is not None)]
            assert any(v["text"] == to_formal(variant["text"]) for v in twin), name
        assert all(tu_forms(v["text"]) == [] for v in formal), name
