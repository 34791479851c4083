"""Telegram: Rasa's connector configured from the environment, answering as one readable
message per answer with buttons as keyboards, and accepting webhook calls only with
Telegram's secret-token header when one is configured.

Variables: TELEGRAM_TOKEN (from BotFather; without it the channel is off),
TELEGRAM_WEBHOOK_URL (the public HTTPS address of /webhooks/telegram/webhook, registered
with Telegram at start), TELEGRAM_SECRET_TOKEN (sent back by Telegram on every call),
TELEGRAM_API_URL (another Bot API server: a local one, or the tests' fake).

Commands: /start greets, /help says what the assistant does, /lang en (or english) and
/lang it (or italiano) switch the conversation's language and greet in it; /lang alone
greets in the current one.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from .guard import answer
from .incoming import clean_text
from .telegram_text import fits_callback_data, split_message

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_API_URL = "https://api.telegram.org"
# Telegram's first message from a new user; Rasa would read it as an unknown intent "start".
COMMANDS = {"/start": "/greet", "/help": "/ask_help", "/lang": "/greet"}
# What /lang accepts after it, and the value of the assistant's slot `language` it means.
LANGUAGE_NAMES = {
    "it": "it", "ita": "it", "italiano": "it", "italian": "it",
    "en": "en", "eng": "en", "english": "en", "inglese": "en",
}


@dataclass(frozen=True)
class TelegramSettings:
    token: str | None
    webhook_url: str | None
    secret_token: str | None
    api_url: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> TelegramSettings:
        return cls(
            token=environ.get("TELEGRAM_TOKEN") or None,
            webhook_url=environ.get("TELEGRAM_WEBHOOK_URL") or None,
            secret_token=environ.get("TELEGRAM_SECRET_TOKEN") or None,
            api_url=environ.get("TELEGRAM_API_URL") or DEFAULT_API_URL,
        )


def keyboard(buttons: list[dict[str, Any]]) -> InlineKeyboardMarkup | ReplyKeyboardMarkup:
    """One button per row (titles carry prices and are long on a phone). Telegram refuses
    callback data over 64 bytes: then the buttons send their titles, as if typed."""
    if all(fits_callback_data(button["payload"]) for button in buttons):
        inline = InlineKeyboardMarkup()
        for button in buttons:
            inline.row(InlineKeyboardButton(button["title"], callback_data=button["payload"]))
        return inline
    reply = ReplyKeyboardMarkup(resize_keyboard=True, one_time_keyboard=True)
    for button in buttons:
        reply.row(KeyboardButton(button["title"]))
    return reply


class TelegramBotOutput(TelegramOutput):
    def __init__(self, settings: TelegramSettings) -> None:
        Bot.__init__(
            self,
            settings.token,
            server=TelegramAPIServer.from_base(settings.api_url),
            timeout=10,
        )

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for chunk in split_message(text):
            await self.send_message(recipient_id, chunk)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        chunks = split_message(text) or ["…"]
        for chunk in chunks[:-1]:
            await self.send_message(recipient_id, chunk)
        await self.send_message(recipient_id, chunks[-1], reply_markup=keyboard(buttons))


def text_and_chat(update: Update) -> tuple[str, str] | None:
    """What the customer said and in which chat; None for updates with nothing to answer."""
    if update.callback_query is not None and update.callback_query.message is not None:
        return update.callback_query.data or "", str(update.callback_query.message.chat.id)
    message = update.message or update.edited_message
    if message is None or message.text is None:
        return None
    return command_payload(message.text.strip()), str(message.chat.id)


def command_payload(text: str) -> str:
    """A command as the payload of its intent; any other text as it is. "/start@NomeBot" in
    groups; "/start xyz" from a link (the parameter is not used); "/lang en" greets in
    English and sets it, "/lang" alone (or with a language the assistant does not speak)
    greets in the current one."""
    if not text.startswith("/"):
        return text
    head, *rest = text.split(None, 1)
    argument = rest[0] if rest else ""
    command = head.split("@", 1)[0].lower()
    payload = COMMANDS.get(command)
    if payload is None:
        return text
    if command == "/lang":
        language = LANGUAGE_NAMES.get(argument.strip().lower())
        if language is not None:
            return payload + json.dumps({"language": language}, separators=(",", ":"))
    return payload


class TelegramChannel(TelegramInput):
    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(TelegramSettings.from_env(os.environ))

    def __init__(self, settings: TelegramSettings) -> None:
        super().__init__(settings.token, None, settings.webhook_url, debug_mode=False)
        self.settings = settings

    def get_output_channel(self) -> TelegramBotOutput:
        # Unlike Rasa's, no call to Telegram here: the webhook is set once the server runs.
        return TelegramBotOutput(self.settings)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram = Blueprint("telegram_webhook", __name__)
        settings = self.settings

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if settings.token else "off"})

        if not settings.token:
            logger.info("Telegram is off: TELEGRAM_TOKEN is not set")
            return telegram
        bot = self.get_output_channel()

        @telegram.listener("after_server_start")
        async def register_webhook(*_: Any) -> None:
            if settings.webhook_url:
                await set_webhook(bot, settings)

        @telegram.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if settings.secret_token and not hmac.compare_digest(
                request.headers.get(SECRET_HEADER, "").encode(), settings.secret_token.encode()
            ):
                return response.json({"error": "missing or wrong secret token"}, status=403)
            try:
                update = Update(**request.json)
            except Exception:  # not JSON, or not an object: Telegram never sends that
                return response.json({"error": "expected a Telegram Update object"}, status=400)
            said = text_and_chat(update)
            if said is None:
                return response.text("ignored")
            text, chat_id = said
            if update.callback_query is not None:
                await answer_button(bot, update.callback_query.id)
            try:
                metadata = self.get_metadata(request)
                await answer(on_new_message, clean_text(text), bot, chat_id, self.name(), metadata)
            except Exception:
                # 200 all the same: Telegram would otherwise redeliver the update for hours.
                logger.exception("Telegram message from chat %s not answered", chat_id)
            return response.text("success")

        return telegram


async def set_webhook(bot: Bot, settings: TelegramSettings) -> None:
    """Register the webhook, with the secret Telegram must send back. A failure is logged:
    the other channels keep serving."""
    payload = {
        "url": settings.webhook_url,
        "allowed_updates": json.dumps(["message", "edited_message", "callback_query"]),
    }
    if settings.secret_token:
        payload["secret_token"] = settings.secret_token
    try:
        await bot.request("setWebhook", payload)
        logger.info("Telegram webhook set to %s", settings.webhook_url)
    except Exception as error:
        logger.warning("Telegram webhook not set (%s): the bot will not receive messages", error)


async def answer_button(bot: Bot, callback_query_id: str) -> None:
    """Stops the spinner on the button the customer tapped."""
    try:
        await bot.answer_callback_query(callback_query_id)
    except Exception as error:
        logger.warning("Telegram callback query not answered: %s", error)
