"""The guard every channel sends messages through, with Rasa replaced by stand-ins."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.guard import answer
from channels.incoming import (
    APOLOGY,
    EMPTY_REPLY,
    MAX_MESSAGE_CHARS,
    TOO_LONG_REPLY,
    privacy_notice,
)


class Rasa:
    """What `on_new_message` does: answer, stay silent, or fail."""

    def __init__(self, reply: str | None = None, fail: bool = False) -> None:
        self.reply, self.fail = reply, fail
        self.seen: list[str] = []

    async def __call__(self, message: UserMessage) -> None:
        self.seen.append(message.text or "")
        if self.fail:
            raise RuntimeError("action server unreachable")
        if self.reply is not None:
            await message.output_channel.send_response(message.sender_id, {"text": self.reply})


async def said(rasa: Rasa, text: str) -> list[Any]:
    output = CollectingOutputChannel()
    await answer(rasa, text, output, "customer", "rest")
    return [message["text"] for message in output.messages]


async def test_an_answer_from_rasa_passes_through_alone() -> None:
    rasa = Rasa(reply="Ciao!")
    assert await said(rasa, "ciao") == ["Ciao!"]
    assert rasa.seen == ["ciao"]


@pytest.mark.parametrize(
    ("text", "reply"), [("", EMPTY_REPLY), ("x" * (MAX_MESSAGE_CHARS + 1), TOO_LONG_REPLY)]
)
async def test_empty_and_overlong_messages_never_reach_rasa(text: str, reply: str) -> None:
    rasa = Rasa(reply="never")
    assert await said(rasa, text) == [reply]
    assert rasa.seen == []


@pytest.mark.parametrize("rasa", [Rasa(), Rasa(fail=True)], ids=["silent", "failing"])
async def test_silence_or_a_failure_gets_the_apology(rasa: Rasa) -> None:
    assert await said(rasa, "vorrei un preventivo") == [APOLOGY]


async def test_a_restart_may_stay_silent() -> None:
    assert await said(Rasa(), "/restart") == []


async def test_a_card_an_iban_and_a_password_never_reach_rasa_and_the_customer_is_told() -> None:
    rasa = Rasa(reply="Ecco il preventivo")
    text = ("pago con la carta 4539 1488 0343 6467 o IBAN IT60X0542811101000000123456, "
            "la password è Luna2020!, server entry, scade tra 40 giorni")
    replies = await said(rasa, text)
    (seen,) = rasa.seen
    for secret in ("4539 1488 0343 6467", "IT60X0542811101000000123456", "Luna2020!"):
        assert secret not in seen
    assert "server entry, scade tra 40 giorni" in seen  # what the quote needs stays
    assert replies == [
        privacy_notice(frozenset({"card", "iban", "secret"})), "Ecco il preventivo"
    ]
    assert "il numero di carta, l'IBAN e la password" in replies[0]


async def test_metadata_is_masked_as_the_text_is() -> None:
    seen: list[UserMessage] = []

    async def rasa(message: UserMessage) -> None:
        seen.append(message)

    await answer(rasa, "ciao", CollectingOutputChannel(), "c", "rest",
                 {"note": ["carta 4111 1111 1111 1111"], "page": "/assistenza"})
    assert seen[0].metadata == {"note": ["carta [carta nascosta]"], "page": "/assistenza"}


async def test_a_message_with_nothing_to_hide_gets_no_notice() -> None:
    assert await said(Rasa(reply="ok"), "ordine 12345678901234, chiamate il +39 0575 05077") == [
        "ok"
    ]
