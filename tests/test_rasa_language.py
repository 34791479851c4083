"""The conversation's language in the Rasa server (rasa_server/language.py): a message is
understood by its language's NLU model, the slot follows a message clearly in the other
language, and each response is said in the slot's language."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import rasa.core.test
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from rasa_server import language

DOMAIN = Domain.load(str(Path(__file__).resolve().parents[1] / "domain.yml"))


PATCHED = [
    (ActionExtractSlots, "run"),
    (ResponseVariationFilter, "responses_for_utter_action"),
    (MessageProcessor, "__init__"),
    (MessageProcessor, "_parse_message_with_graph"),
    (rasa.core.test, "_collect_action_executed_predictions"),
    (rasa.core.test, "_predict_tracker_actions"),
]


@pytest.fixture
def installed() -> Iterator[None]:
    originals = [getattr(owner, name) for owner, name in PATCHED]
    language.install()
    assert all(getattr(o, n) is not old for (o, n), old in zip(PATCHED, originals, strict=True))
    yield
    for (owner, name), original in zip(PATCHED, originals, strict=True):
        setattr(owner, name, original)


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


def test_an_external_message_is_not_the_customers_words(installed: None) -> None:
    """The live handoff's timeout reaches Rasa as "EXTERNAL: human_handoff": not English."""
    tracker = _tracker()
    tracker.update(UserUttered.create_external("human_handoff", []))
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    run = ActionExtractSlots(None).run(CollectingOutputChannel(), nlg, tracker, DOMAIN)
    assert [e for e in asyncio.run(run) if getattr(e, "key", None) == "language"] == []


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


class _Model:
    """An NLU model that answers with its own name as the intent."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.model_metadata = SimpleNamespace(nlu_target="nlu")
        self.graph_runner = self

    def run(self, inputs: dict[str, Any], targets: list[str]) -> dict[str, list[Message]]:
        [message] = inputs["__message__"]
        parsed = Message(data={"text": message.text})
        parsed.set("intent", {"name": self.name}, add_to_output=True)
        return {"nlu": [parsed]}


def _understood_by(
    text: str, tracker: DialogueStateTracker | None = None, english: bool = True
) -> str:
    processor: Any = _Model("italian")
    processor.english_nlu = _Model("english") if english else None
    conversation = tracker or DialogueStateTracker.from_events("test", [], DOMAIN.slots)
    parsed = MessageProcessor._parse_message_with_graph(processor, UserMessage(text), conversation)
    return str(parsed["intent"]["name"])


def _conversation(*texts: str, **slots: str) -> DialogueStateTracker:
    tracker = _tracker(*(SlotSet(name, value) for name, value in slots.items()))
    for text in texts:
        tracker.update(UserUttered(text, {"name": "inform", "confidence": 1.0}))
    return tracker


def test_each_message_is_understood_by_its_languages_model(installed: None) -> None:
    assert _understood_by("I'd rather talk to a person please") == "english"
    assert _understood_by("vorrei parlare con una persona") == "italian"
    # while no message has said the language, one word is enough; after, three
    assert _understood_by("good morning!") == "english"
    assert _understood_by("good morning!", _conversation("housing 1u")) == "english"
    assert _understood_by("good morning!", _conversation("buongiorno")) == "italian"
    assert _understood_by("ok", _conversation("hello, I need a quote", language="en")) == "english"
    assert _understood_by("ok", _conversation("ciao")) == "italian"
    assert _understood_by("I'd rather talk to a person please", english=False) == "italian"


def test_a_button_is_read_by_the_assistants_model(installed: None) -> None:
    english = _conversation("hello, I need a quote", language="en")
    assert _understood_by('/greet{"language":"it"}', english) == "italian"


def test_a_story_under_test_is_read_as_its_conversation(installed: None) -> None:
    # `rasa test` parses a story's messages alone; the story played so far decides
    story = _conversation("hello, how is the price of an upgrade calculated?")
    language._story.set(story)
    try:
        assert _understood_by("ok") == "english"
        story.update(SlotSet("language", "it"))  # the story's button
        assert _understood_by("ok") == "italian"
    finally:
        language._story.set(None)
