"""The conversation's language in the Rasa server (actions/domain/language.py decides it).

- A customer message is understood by the NLU model of its language (`of_message`: its own
  when it says one clearly, else the conversation's): the Italian model the assistant was
  trained as, or the English one beside it (`<model>-en.tar.gz`, english/config.yml). Only
  the understanding is per language; the dialogue (rules, forms, stories) is the Italian
  model's, with the same intents and entities.
- After each customer message, with the slots Rasa fills from it (`action_extract_slots`), the
  `language` slot follows the message when it is clearly in the other language; a greeting
  that carries it (`/greet{"language": "en"}`: the widget's switch and the page's language,
  Telegram's /lang) sets it through its entity.
  Being there, the switch holds for the answer to that very message.
- A response is said in the conversation's language: its variants with that `language`
  condition (Italian: those without one), then Rasa's own choice among them by the other
  conditions (register, service kind) and the channel.

Installed by `python -m rasa_server` beside the speed fixes; without it (stock Rasa) the
assistant speaks Italian only.
"""

from __future__ import annotations

import contextvars
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import rasa.core.test
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels.channel import UserMessage
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.domain.catalog import default_catalog
from actions.domain.catalog_matching import find_mentions
from actions.domain.language import (
    DEFAULT,
    SLOT,
    Language,
    of_message,
    parse,
    says_a_language,
    variants_in,
)

logger = logging.getLogger(__name__)

_original_extract = ActionExtractSlots.run
_original_responses_for = ResponseVariationFilter.responses_for_utter_action
_original_init = MessageProcessor.__init__
_original_parse = MessageProcessor._parse_message_with_graph
_original_test_action = rasa.core.test._collect_action_executed_predictions
_original_test_story = rasa.core.test._predict_tracker_actions

# `rasa test` parses a story's messages without their conversation: the story being played
# stands for it, so its terse English ("ok", "yes") is read in English like a live one.
_story: contextvars.ContextVar[DialogueStateTracker | None] = contextvars.ContextVar(
    "story", default=None
)


def english_model_of(model: Path) -> Path:
    """Where the English NLU model of an assistant's model is: beside it, named after it."""
    return model.with_name(model.name.removesuffix(".tar.gz") + "-en.tar.gz")


def _init(self: MessageProcessor, *args: Any, **kwargs: Any) -> None:
    _original_init(self, *args, **kwargs)
    model = self.model_path if self.model_path.is_file() else self.model_path / self.model_filename
    english = english_model_of(model)
    self.english_nlu = None
    if not english.is_file():
        logger.warning("No English NLU model at %s: English is understood as Italian.", english)
        return
    _, metadata, runner = MessageProcessor._load_model(english)
    self.english_nlu = SimpleNamespace(graph_runner=runner, model_metadata=metadata)


def _customer_wrote(text: str | None) -> bool:
    """Words the customer typed: not a button's payload, nor an external message (a
    reminder, the live handoff's timeout: "EXTERNAL: human_handoff", no language)."""
    return text is not None and text != "" and not text.startswith(("/", EXTERNAL_MESSAGE_PREFIX))


def _customer_texts(tracker: DialogueStateTracker) -> list[str]:
    return [
        event.text
        for event in tracker.events
        if isinstance(event, UserUttered) and _customer_wrote(event.text)
    ]


def _chosen(tracker: DialogueStateTracker, latest: bool) -> bool:
    """Whether the conversation's language was said before this message (`latest`: the
    tracker holds it already): by a button or the page's language (the slot set), or by a
    customer message that says a language."""
    if any(isinstance(event, SlotSet) and event.key == SLOT for event in tracker.events):
        return True
    texts = _customer_texts(tracker)
    return any(says_a_language(text) for text in (texts[:-1] if latest else texts))


def _replayed(story: DialogueStateTracker) -> tuple[Language, bool]:
    """A story's language so far, as the server would have set the slot: the story's own
    settings of it, and each customer message."""
    language, chosen = DEFAULT, False
    for event in story.events:
        if isinstance(event, SlotSet) and event.key == SLOT:
            language, chosen = parse(event.value), True
        elif isinstance(event, UserUttered) and _customer_wrote(event.text):
            language = of_message(event.text, language, first=not chosen)
            chosen = chosen or says_a_language(event.text)
    return language, chosen


def _parse(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker,
    only_output_properties: bool = True,
) -> dict[str, Any]:
    english = getattr(self, "english_nlu", None)
    text = message.text or ""
    if english is None or text.startswith("/"):  # a button's payload: the assistant's own
        return _original_parse(self, message, tracker, only_output_properties)
    story = None if tracker.events else _story.get()
    if story is not None:
        conversation, chosen = _replayed(story)
    else:
        conversation, chosen = parse(tracker.get_slot(SLOT)), _chosen(tracker, latest=False)
    language = of_message(text, conversation, first=not chosen)
    if language is not Language.ENGLISH:
        return _original_parse(self, message, tracker, only_output_properties)
    parsed = _original_parse(english, message, tracker, only_output_properties)
    for entity in parsed.get("entities", []):
        entity["value"] = _price_list_id(entity["entity"], entity["value"])
    return parsed


def _price_list_id(entity: str, words: Any) -> Any:
    """An English entity named by its price-list id when the price list's reader says which
    item the words are ("16GB RAM" → ram-16), as the synonyms of data/lookups do for the
    Italian model; else the words, as there."""
    catalog = default_catalog()
    if not isinstance(words, str) or entity not in ("service", "addon"):
        return words
    items = catalog.services if entity == "service" else catalog.addons
    mentions = find_mentions(list(items.values()), words)
    return mentions[0].resolved or words if len(mentions) == 1 else words


async def _test_story(*args: Any, **kwargs: Any) -> Any:
    _story.set(None)  # a story starts a conversation: nothing of the one before
    return await _original_test_story(*args, **kwargs)


async def _test_action(processor: Any, partial_tracker: DialogueStateTracker, *args: Any) -> Any:
    _story.set(partial_tracker)  # the same tracker object all through the story
    return await _original_test_action(processor, partial_tracker, *args)


async def _extract_slots(self: ActionExtractSlots, *args: Any, **kwargs: Any) -> list[Event]:
    events: list[Event] = await _original_extract(self, *args, **kwargs)
    tracker = kwargs.get("tracker") or args[2]
    if any(isinstance(event, SlotSet) and event.key == SLOT for event in events):
        return events  # said explicitly
    text = (tracker.latest_message.text or "") if tracker.latest_message else ""
    if text.startswith(EXTERNAL_MESSAGE_PREFIX):
        return events  # the server's, not the customer's words
    current = parse(tracker.get_slot(SLOT))
    language = of_message(text, current, first=not _chosen(tracker, latest=True))
    if language is not current:
        events.append(SlotSet(SLOT, language.value))
    return events


def _responses_for(
    self: ResponseVariationFilter,
    utter_action: str,
    output_channel: str,
    filled_slots: dict[str, Any],
) -> list[dict[str, Any]]:
    variants = self.responses.get(utter_action)
    if not variants:
        return _original_responses_for(self, utter_action, output_channel, filled_slots)
    chosen = variants_in(variants, parse(filled_slots.get(SLOT)))
    narrowed = ResponseVariationFilter({utter_action: chosen})  # Rasa reads only this one
    return _original_responses_for(narrowed, utter_action, output_channel, filled_slots)


def install() -> None:
    ActionExtractSlots.run = _extract_slots
    ResponseVariationFilter.responses_for_utter_action = _responses_for
    MessageProcessor.__init__ = _init
    MessageProcessor._parse_message_with_graph = _parse
    rasa.core.test._collect_action_executed_predictions = _test_action
    rasa.core.test._predict_tracker_actions = _test_story
