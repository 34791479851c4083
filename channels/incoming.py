"""What a channel accepts from a customer before Rasa sees it, and the short answers the
channel gives itself. Plain Python, no Rasa."""

from __future__ import annotations

import unicodedata
from typing import Any

# A request to the assistant fits in a few lines; the widget stops typing at this length.
MAX_MESSAGE_CHARS = 2000
# Rasa's SQL tracker store keeps the sender in a 255-character column.
MAX_SENDER_CHARS = 128
# Line breaks and tabs are text; every other control character is noise or an attack.
KEPT_CONTROLS = {"\n", "\t"}

EMPTY_REPLY = (
    "Non ho ricevuto nessun testo. Scrivimi pure cosa vuoi aggiungere al tuo servizio, "
    'per esempio: "vorrei 16 GB di RAM in più sul server entry, scade tra 40 giorni".'
)
TOO_LONG_REPLY = (
    f"Il messaggio è troppo lungo per me (oltre {MAX_MESSAGE_CHARS} caratteri). Scrivimi in "
    "poche righe quale servizio hai, cosa vuoi aggiungere e quando scade; per un problema "
    "tecnico puoi aprire una richiesta dal portale assistenza.aruba.it."
)
APOLOGY = (
    "Scusami, in questo momento non riesco a completare la risposta. Riprova tra qualche "
    "minuto; se è urgente chiama il servizio commerciale Server Dedicati al +39 0575 05077 "
    "(lun–ven 8:30–18:00) o apri una richiesta dal portale assistenza.aruba.it."
)


# Said when the door hid a card number, an IBAN or a secret (actions/domain/masking.py).
_HIDDEN_WORDS = {"card": "il numero di carta", "iban": "l'IBAN", "secret": "la password"}


def privacy_notice(kinds: frozenset[str]) -> str:
    hidden = [words for kind, words in _HIDDEN_WORDS.items() if kind in kinds]
    named = hidden[0] if len(hidden) == 1 else f"{', '.join(hidden[:-1])} e {hidden[-1]}"
    return (
        f"Per la tua sicurezza ho nascosto {named} che hai scritto: non l'ho salvato da "
        "nessuna parte. Non inviare in chat dati di carte, IBAN o password, nemmeno a un "
        "operatore: i pagamenti si fanno dall'Area Clienti."
    )


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
