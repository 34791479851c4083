"""One home for every text: the responses of domain.yml, the contacts defined once there."""

from __future__ import annotations

import json
import re
import string
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from actions import texts
from actions.domain.catalog import default_catalog
from actions.domain.compatibility import Why
from actions.domain.contacts import CONTACTS, SALES_LINE
from actions.domain.pricing import Price, quote_upgrade
from actions.fallback import OFFERED
from actions.replies import quote_message
from channels import incoming
from ops.serve_web import render_page, widget_settings

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("actions", "channels", "ops")
# Parts named by a computed key: f"part_{why.value}", f"part_channel_hidden_{kind}",
# f"part_intent_{intent}" (the widget's are all sent to it).
COMPUTED = {
    *(f"part_{why.value}" for why in Why),
    *(f"part_channel_hidden_{kind}" for kind in ("card", "iban", "secret")),
    *(f"part_intent_{intent}" for intent in OFFERED),
}


def named_in_code() -> set[str]:
    found: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(re.findall(r'"(part_[a-z_]*[a-z])"', path.read_text(encoding="utf-8")))
    return found


def test_every_part_the_code_names_is_a_text_and_every_part_is_used() -> None:
    parts = {name for name in texts.responses() if name.startswith("part_")}
    named = named_in_code() | COMPUTED
    assert named - parts == set()
    widget = {name for name in parts if name.startswith("part_widget_")}
    assert parts - named - widget == set()


def test_each_response_has_one_variant_without_conditions() -> None:
    for name, variants in texts.responses().items():
        assert sum(1 for variant in variants if not variant.get("condition")) == 1, name


def test_a_variant_is_chosen_by_its_conditions_as_rasa_chooses() -> None:
    housing = texts.variant("utter_answer_downgrade", {"service_kind": "housing",
                                                       "register": "formal"})
    assert "Suo Housing" in housing["text"]
    assert "non è previsto" in texts.variant("utter_answer_downgrade", {})["text"]


def test_texts_are_filled_with_the_contacts_and_the_figures() -> None:
    said = texts.text("part_records_unavailable")
    assert SALES_LINE in said and CONTACTS["portal"] in said and "{" not in said
    assert texts.text("part_in_days", days=40) == "tra 40 giorni"


def fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_placeholder_of_a_rasa_response_is_a_slot() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    slots = set(domain["slots"])
    figures = {"vat_rate", "specs", "limits"}  # passed by the actions that say them
    for name, variants in texts.responses().items():
        if name.startswith("part_"):
            continue
        for variant in variants:
            assert fields(variant["text"]) <= slots | figures, name


def test_the_contacts_are_defined_once_in_the_code() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    code = [
        path for path in tracked
        if path.endswith((".py", ".js", ".html", ".yml", ".sh", ".css"))
        and not path.startswith(("tests/", "data/", "docs/"))
    ]
    holding = [path for path in code
               if SALES_LINE in (ROOT / path).read_text(encoding="utf-8", errors="ignore")]
    assert holding == ["domain.yml"]


def test_the_channels_own_answers_are_texts_of_the_home() -> None:
    assert texts.text("part_channel_apology") == incoming.APOLOGY
    notice = incoming.privacy_notice(frozenset({"card", "iban", "secret"}))
    assert "il numero di carta, l'IBAN e la password" in notice


@pytest.mark.parametrize(("url", "port"), [(None, 5105), ("https://chat.example.it", 443)])
def test_the_page_gets_the_contacts_and_the_widget_its_settings(
    url: str | None, port: int
) -> None:
    page = render_page(widget_settings(port, url))
    assert f'href="tel:{SALES_LINE.replace(" ", "")}"' in page and SALES_LINE in page
    settings = re.search(
        r'<script type="application/json" id="upgrade-chat-settings">(.*?)</script>', page, re.S
    )
    assert settings is not None
    shown = json.loads(settings.group(1))
    assert (shown["server"], shown["port"]) == (url, port)
    for language in ("it", "en"):
        offline = shown["texts"][language]["offline"]
        assert offline == texts.text("part_widget_offline", {"language": language})
        assert SALES_LINE in offline and "$" not in page
    assert shown["texts"]["it"]["offline"] != shown["texts"]["en"]["offline"]


def test_the_settings_cannot_close_the_script_they_are_in() -> None:
    settings = widget_settings(5005, "http://x/</script><script>alert(1)</script>")
    page = render_page(settings)
    assert page.count("</script>") == 3  # the settings', socket.io's and the widget's


def test_the_vat_rate_shown_is_the_price_lists() -> None:
    quote = quote_upgrade(default_catalog(), "ds-pro", ["ip-extra"], 80)
    assert "+ IVA 22% (" in quote_message(quote, date(2027, 2, 15))
    other = replace(quote, vat_rate=Decimal("0.1"), price=Price.of(quote.price.net, Decimal("0.1")))
    assert "+ IVA 10% (0,60 €) = 6,60 €" in quote_message(other, date(2027, 2, 15))
