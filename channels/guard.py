"""One way into Rasa for every channel: the channel's own answer to an empty or overlong
message, and an apology instead of silence when Rasa answers nothing (the action server
down or failing: Rasa logs the error and goes on without the action's messages)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from .incoming import APOLOGY, own_reply

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


async def answer(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    text: str,
    output: OutputChannel,
    sender_id: str,
    input_channel: str,
    metadata: dict[str, Any] | None = None,
) -> None:
    """`text` must be cleaned already (incoming.checked_message)."""
    reply = own_reply(text)
    if reply is not None:
        await output.send_text_message(sender_id, reply)
        return
    counting = CountingOutput(output)
    try:
        await on_new_message(
            UserMessage(text, counting, sender_id, input_channel=input_channel, metadata=metadata)
        )
    except Exception:
        logger.exception("message of %s not handled", sender_id)
    if counting.sent == 0 and text not in SILENT_COMMANDS:
        logger.warning("no answer for %s: apologising", sender_id)
        await output.send_text_message(sender_id, APOLOGY)
