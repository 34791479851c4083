"""The conversation's language in the Rasa server (actions/domain/language.py decides it).

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

from typing import Any

from rasa.core.actions.action import ActionExtractSlots
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.shared.core.events import Event, SlotSet

from actions.domain.language import SLOT, detect, parse, variants_in

_original_extract = ActionExtractSlots.run
_original_responses_for = ResponseVariationFilter.responses_for_utter_action


async def _extract_slots(self: ActionExtractSlots, *args: Any, **kwargs: Any) -> list[Event]:
    events: list[Event] = await _original_extract(self, *args, **kwargs)
    tracker = kwargs.get("tracker") or args[2]
    if any(isinstance(event, SlotSet) and event.key == SLOT for event in events):
        return events  # said explicitly
    text = (tracker.latest_message.text or "") if tracker.latest_message else ""
    if text.startswith("/"):
        return events
    detected = detect(text)
    if detected is not None and detected is not parse(tracker.get_slot(SLOT)):
        events.append(SlotSet(SLOT, detected.value))
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
