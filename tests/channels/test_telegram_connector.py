"""The Telegram connector's parts that need no server: settings, keyboards, updates."""

from __future__ import annotations

from pathlib import Path

import yaml
from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup, Update

from actions.domain.catalog import default_catalog
from actions.fallback import OFFERED, offer
from actions.replies import NEXT_STEP_BUTTONS, addon_buttons, service_buttons
from actions.support_replies import CONFIRM_BUTTONS, OPEN_REQUEST_BUTTONS
from channels.telegram import COMMANDS, TelegramSettings, keyboard, text_and_chat
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
