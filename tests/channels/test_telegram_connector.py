"""The Telegram connector's parts that need no server: settings, keyboards, updates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup, Update

from actions.domain.catalog import default_catalog
from actions.fallback import OFFERED, offer
from actions.replies import NEXT_STEP_BUTTONS, addon_buttons, service_buttons
from actions.support_replies import CONFIRM_BUTTONS, OPEN_REQUEST_BUTTONS
from channels.telegram import (
    COMMANDS,
    TelegramSettings,
    command_payload,
    keyboard,
    text_and_chat,
)
from channels.telegram_text import fits_callback_data

ROOT = Path(__file__).resolve().parents[2]


def test_settings_come_from_the_environment() -> None:
    settings = TelegramSettings.from_env(
        {"TELEGRAM_TOKEN": "1:abc", "TELEGRAM_WEBHOOK_URL": "https://x.it/hook"}
    )
    assert settings.token == "1:abc" and settings.webhook_url == "https://x.it/hook"
    assert settings.secret_token is None
    assert settings.api_url == "https://api.telegram.org"
    assert TelegramSettings.from_env({"TELEGRAM_TOKEN": ""}).token is None  # off


def test_every_button_the_assistant_sends_fits_telegram() -> None:
    catalog = default_catalog()
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    from_domain = [
        button
        for variants in domain["responses"].values()
        for variant in variants
        for button in variant.get("buttons", [])
    ]
    buttons = [
        *service_buttons(catalog.services.values()),
        *addon_buttons(catalog.addons.values()),
        *NEXT_STEP_BUTTONS,
        *OPEN_REQUEST_BUTTONS,
        *CONFIRM_BUTTONS,
        *(offer(name) for name in OFFERED),
        *from_domain,
    ]
    assert len(from_domain) >= 3
    payloads = [button["payload"] for button in buttons]
    assert [payload for payload in payloads if not fits_callback_data(payload)] == []


def test_buttons_become_an_inline_keyboard_one_per_row() -> None:
    markup = keyboard([{"title": "Come lo ordino", "payload": "/ask_order_procedure"},
                       {"title": "Contatti", "payload": "/ask_contacts"}])
    assert isinstance(markup, InlineKeyboardMarkup)
    rows = markup.to_python()["inline_keyboard"]
    assert rows == [
        [{"text": "Come lo ordino", "callback_data": "/ask_order_procedure"}],
        [{"text": "Contatti", "callback_data": "/ask_contacts"}],
    ]


def test_payloads_too_long_for_telegram_send_the_title() -> None:
    markup = keyboard([{"title": "Sì", "payload": "/affirm" + " " * 80}])
    assert isinstance(markup, ReplyKeyboardMarkup)
    assert markup.to_python()["keyboard"] == [[{"text": "Sì"}]]


def chat(text: str) -> dict[str, object]:
    return {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"}, "text": text}


def test_updates_give_the_text_and_the_chat() -> None:
    assert text_and_chat(Update(update_id=1, message=chat("ciao"))) == ("ciao", "42")
    assert text_and_chat(Update(update_id=2, edited_message=chat("anzi"))) == ("anzi", "42")
    assert text_and_chat(Update(update_id=3, message=chat("/start"))) == ("/greet", "42")
    assert text_and_chat(Update(update_id=4, message=chat("/start@UpgradeBot"))) == ("/greet", "42")
    button = {"id": "q", "from": {"id": 42, "is_bot": False, "first_name": "M"},
              "chat_instance": "1", "data": "/affirm", "message": chat("…")}
    assert text_and_chat(Update(update_id=5, callback_query=button)) == ("/affirm", "42")


def test_updates_without_text_are_ignored() -> None:
    sticker = {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"},
               "sticker": {"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1,
                           "is_animated": False}}
    assert text_and_chat(Update(update_id=1, message=sticker)) is None
    assert text_and_chat(Update(update_id=2)) is None


def test_telegram_commands_become_intents_of_the_domain() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert {payload.removeprefix("/") for payload in COMMANDS.values()} <= set(domain["intents"])


ENGLISH = '/greet{"language":"en"}'
ITALIAN = '/greet{"language":"it"}'


@pytest.mark.parametrize(
    ("typed", "payload"),
    [
        ("/lang", "/greet"),
        ("/lang@UpgradeBot", "/greet"),
        ("/lang en", ENGLISH),
        ("/lang english", ENGLISH),
        ("/lang English", ENGLISH),
        ("/LANG  EN ", ENGLISH),
        ("/lang@UpgradeBot en", ENGLISH),
        ("/lang it", ITALIAN),
        ("/lang italiano", ITALIAN),
        ("/lang Italiano", ITALIAN),
        ("/lang\nit", ITALIAN),
        # A language the assistant does not speak: a greeting in the current one.
        ("/lang fr", "/greet"),
        ("/start", "/greet"),
        ("/start@UpgradeBot", "/greet"),
        ("/start from-the-site", "/greet"),  # a t.me link's parameter
        ("/help", "/ask_help"),
        ("/Help@UpgradeBot", "/ask_help"),
    ],
)
def test_commands_become_payloads(typed: str, payload: str) -> None:
    assert command_payload(typed) == payload
    assert text_and_chat(Update(update_id=1, message=chat(typed))) == (payload, "42")


@pytest.mark.parametrize(
    "typed", ["ciao", "lang en", "/language en", "/affirm", '/greet{"language":"en"}', "/"]
)
def test_other_text_goes_to_rasa_as_it_is(typed: str) -> None:
    assert command_payload(typed) == typed


def test_the_language_payloads_are_the_ones_rasa_reads() -> None:
    # The payload form Rasa's regex interpreter reads: intent greet, entity language.
    for typed, language in (("/lang en", "en"), ("/lang it", "it")):
        intent, _, entities = command_payload(typed).partition("{")
        assert intent == "/greet"
        assert json.loads("{" + entities) == {"language": language}
        assert fits_callback_data(command_payload(typed))
