"""What a channel accepts from a customer before Rasa sees it, and the short answers the
channel gives itself. Plain Python, no Rasa."""

from __future__ import annotations

import unicodedata
from typing import Any

from actions.texts import text

# A request to the assistant fits in a few lines; the widget stops typing at this length.
MAX_MESSAGE_CHARS = 2000
# Rasa's SQL tracker store keeps the sender in a 255-character column.
MAX_SENDER_CHARS = 128
# Line breaks and tabs are text; every other control character is noise or an attack.
KEPT_CONTROLS = {"\n", "\t"}

# What the channel answers itself: texts of domain.yml (actions/texts.py).
EMPTY_REPLY = text("part_channel_empty")
TOO_LONG_REPLY = text("part_channel_too_long", most=MAX_MESSAGE_CHARS)
APOLOGY = text("part_channel_apology")

# Said when the door hid a card number, an IBAN or a secret (actions/domain/masking.py).
_HIDDEN = ("card", "iban", "secret")


def privacy_notice(kinds: frozenset[str]) -> str:
    hidden = [text(f"part_channel_hidden_{kind}") for kind in _HIDDEN if kind in kinds]
    named = hidden[-1]
    if len(hidden) > 1:
        named = ", ".join(hidden[:-1]) + text("part_channel_and") + named
    return text("part_channel_privacy_notice", hidden=named)


class BadRequestError(ValueError):
    """A request no customer's client sends: answered with HTTP 400 and this reason."""


def clean_text(text: str) -> str:
    """NFC, without control characters (but line breaks and tabs) and lone surrogates."""
    kept = (
        char
        for char in unicodedata.normalize("NFC", text)
        if char in KEPT_CONTROLS
        or (unicodedata.category(char) != "Cc" and not 0xD800 <= ord(char) <= 0xDFFF)
    )
    return "".join(kept).strip()


def checked_message(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequestError("'message' must be a string")
    return clean_text(value)


def checked_sender(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    sender = clean_text(value) if isinstance(value, str) else ""
    if not sender:
        raise BadRequestError("'sender' is required: a string that names the conversation")
    if sender != value.strip() or len(sender) > MAX_SENDER_CHARS:
        raise BadRequestError(
            f"'sender' must be at most {MAX_SENDER_CHARS} printable characters"
        )
    return sender


def checked_metadata(value: Any) -> dict[str, Any] | None:
    if value is not None and not isinstance(value, dict):
        raise BadRequestError("'metadata' must be an object")
    return value


def own_reply(text: str) -> str | None:
    """The channel's own answer to a message Rasa should not see, else None."""
    if not text:
        return EMPTY_REPLY
    if len(text) > MAX_MESSAGE_CHARS:
        return TOO_LONG_REPLY
    return None
