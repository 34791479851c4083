"""One way into Rasa for every channel: card numbers, IBANs and secrets hidden before Rasa
sees the message (so no store, log, broker or action ever holds them), the channel's own
answer to an empty or overlong message, and an apology instead of silence when Rasa answers
nothing (the action server down or failing: Rasa logs the error and goes on without the
action's messages)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from actions.domain.masking import mask
from actions.records.live_handoff import LIVE_CHANNELS

from . import live_handoff
from .incoming import APOLOGY, own_reply, privacy_notice

logger = logging.getLogger(__name__)
# Messages that legitimately get no answer.
SILENT_COMMANDS = {"/restart", "/session_start"}


class CountingOutput(OutputChannel):
    """The channel's output, counting what Rasa sends through it."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:
        return str(self.inner.name())

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)


def _masked_values(value: Any) -> Any:
    """Metadata is stored with the message: its strings are masked as the text is."""
    if isinstance(value, str):
        return mask(value).text
    if isinstance(value, dict):
        return {key: _masked_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked_values(item) for item in value]
    return value


async def answer(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    text: str,
    output: OutputChannel,
    sender_id: str,
    input_channel: str,
    metadata: dict[str, Any] | None = None,
) -> None:
    """`text` must be cleaned already (incoming.checked_message)."""
    masked = mask(text)
    text = masked.text
    metadata = _masked_values(metadata)
    if masked.kinds:
        await output.send_text_message(sender_id, privacy_notice(masked.kinds))
    reply = own_reply(text)
    if reply is not None:
        await output.send_text_message(sender_id, reply)
        return
    # Only a channel a person can answer on holds conversations: REST costs no lookup.
    handoffs = live_handoff.installed() if input_channel in LIVE_CHANNELS else None
    try:
        # A conversation a person holds never reaches Rasa's dialogue (channels/live_handoff.py).
        if handoffs and await handoffs.intercept(
            sender_id, text, metadata, input_channel, output
        ):
            return
    except Exception:
        logger.exception("live handoff of %s not read: the assistant answers", sender_id)
    counting = CountingOutput(output)
    try:
        await on_new_message(
            UserMessage(text, counting, sender_id, input_channel=input_channel, metadata=metadata)
        )
        if handoffs:
            await handoffs.after_assistant(sender_id)
    except Exception:
        logger.exception("message of %s not handled", sender_id)
    if counting.sent == 0 and text not in SILENT_COMMANDS:
        logger.warning("no answer for %s: apologising", sender_id)
        await output.send_text_message(sender_id, APOLOGY)
