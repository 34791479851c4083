"""An action speaks its conversation's language: the action server runs each call with the
tracker's `language` slot (actions/language_context.py); the agent's transcript stays Italian."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk.executor import ActionExecutor
from sqlalchemy import select

from actions import language_context, texts
from actions.domain.language import Language
from actions.records.models import Handoff
from actions.runtime import sessions

from .conftest import DOMAIN, MakeTracker


@pytest.fixture
def executor() -> Iterator[ActionExecutor]:
    original = ActionExecutor.run
    language_context.install()
    executor = ActionExecutor()
    executor.register_package("actions")
    yield executor
    ActionExecutor.run = original  # type: ignore[method-assign]


async def _call(executor: ActionExecutor, action: str, tracker: Any) -> list[dict[str, Any]]:
    call = {"next_action": action, "sender_id": tracker.sender_id,
            "tracker": tracker.current_state(), "domain": DOMAIN}  # fmt: skip
    answer = await executor.run(call)
    assert answer is not None
    return list(answer["responses"])


async def test_an_english_conversation_gets_english_figures_and_an_italian_transcript(
    executor: ActionExecutor, make_tracker: MakeTracker
) -> None:
    events = [{"event": "user", "text": "I want a person", "timestamp": 1795000000}]
    tracker = make_tracker(
        "I want a person", intent="human_handoff", sender_id="lang-en", events=events,
        service="ds-pro", addons=["ram-16"], expiry_date="2027-02-14", language="en",
    )  # fmt: skip
    (message,) = await _call(executor, "action_handoff", tracker)
    assert "+39 0575 05077" in message["text"]
    assert "telefono" not in message["text"] and "chiamare" not in message["text"]
    with sessions()() as session:
        query = select(Handoff).where(Handoff.sender_id == "lang-en")
        (handoff,) = session.execute(query).scalars()
        text, facts = handoff.transcript_text, json.loads(handoff.transcript_json)["facts"]
    assert "Nota: il cliente ha scritto in inglese." in text
    assert facts["customer_language"] == "inglese"
    assert "mensilità" in facts["quote"] and "€" in facts["quote"].split()[-1]
    assert facts["rule"] is not None and "months" not in facts["rule"]
    assert texts.speaking() is Language.ITALIAN  # the call's language did not leak out


async def test_an_italian_conversation_is_answered_as_before(
    executor: ActionExecutor, make_tracker: MakeTracker
) -> None:
    tracker = make_tracker("dove trovo la scadenza?", intent="ask_contacts", sender_id="lang-it")
    (message,) = await _call(executor, "action_answer_contacts", tracker)
    assert "Puoi chiamare" in message["text"] or "puoi chiamare" in message["text"]


def test_texts_and_figures_follow_the_language_being_spoken() -> None:
    assert texts.text("part_today") != texts.text("part_today", {"language": "en"})
    with texts.speaking_in(Language.ENGLISH):
        assert texts.text("part_today") == texts.text("part_today", {"language": "en"})
        assert texts.eur(Decimal("65.88")) == "€65.88"
    assert texts.eur(Decimal("65.88")) == "65,88 €"
