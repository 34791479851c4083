"""The conversation's language in the Rasa server (rasa_server/language.py): the slot follows
a message clearly in the other language, and each response is said in the slot's language."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_server import language

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[1] / "domain.yml"))


@pytest.fixture
def installed() -> Iterator[None]:
    originals = (ActionExtractSlots.run, ResponseVariationFilter.responses_for_utter_action)
    language.install()
    yield
    ActionExtractSlots.run, ResponseVariationFilter.responses_for_utter_action = originals


def _tracker(*slots: SlotSet) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events("test", [], DOMAIN.slots)
    for slot in slots:
        tracker.update(slot)
    return tracker


def _extracted(tracker: DialogueStateTracker, text: str, entities: list[dict] | None = None):
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}, entities or []))
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    run = ActionExtractSlots(None).run(CollectingOutputChannel(), nlg, tracker, DOMAIN)
    return [event for event in asyncio.run(run) if isinstance(event, SlotSet)]


def test_a_message_clearly_in_english_switches_the_conversation(installed: None) -> None:
    assert _extracted(_tracker(), "I'd rather talk to a person please") == [
        SlotSet("language", "en")
    ]


@pytest.mark.parametrize("message", ["ok", "grazie", "32 GB", "thanks", "scade tra 40 giorni"])
def test_short_messages_or_the_same_language_keep_it(installed: None, message: str) -> None:
    english = _tracker(SlotSet("language", "en"))
    assert [e for e in _extracted(english, message) if e.key == "language"] == (
        [SlotSet("language", "it")] if message == "scade tra 40 giorni" else []
    )


def test_a_language_asked_for_wins_over_the_words(installed: None) -> None:
    asked = [{"entity": "language", "value": "it", "start": 23, "end": 30}]
    events = _extracted(_tracker(), "can you write to me in Italian", asked)
    assert [e for e in events if e.key == "language"] == [SlotSet("language", "it")]


def _said(response: str, **slots: str) -> str:
    tracker = _tracker(*(SlotSet(name, value) for name, value in slots.items()))
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    said = asyncio.run(nlg.generate(response, tracker, "rest"))
    assert said is not None
    return str(said["text"])


def test_each_response_is_said_in_the_conversations_language(installed: None) -> None:
    assert _said("utter_goodbye").startswith("A presto")
    assert _said("utter_goodbye", language="en").startswith("See you")
    # the other conditions still choose within the language
    assert "Housing" in _said("utter_answer_downgrade", language="en", service_kind="housing")
    assert "Server Dedicato" in _said("utter_answer_downgrade", language="en")
    assert _said("utter_goodbye", register="formal").startswith("A presto! Se Le")
    assert _said("utter_goodbye", register="formal", language="en").startswith("See you")


def test_every_response_has_its_english() -> None:
    missing = [
        name for name, variants in DOMAIN.responses.items()
        if not any({"type": "slot", "name": "language", "value": "en"} in v.get("condition", [])
                   for v in variants)
    ]
    assert missing == []
