"""What the customer says of their own service, whatever they ask.

Rasa runs this on every message (the custom mapping of `service_kind`), before the
dialogue: "ho un housing 4U, posso fare un downgrade?" is a question, answered by the
rules, but it also tells which service the customer has. When the draft has none yet, it
is kept; a service named while another is in the draft ("conviene l'enterprise?") changes
nothing: only the quote's own reading changes a service.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .domain.catalog import default_catalog
from .upgrade_form import READ_INTENTS, read_latest


class ActionNoteService(Action):
    def name(self) -> str:
        return "action_note_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        if tracker.get_slot("service") or intent in READ_INTENTS:
            return []  # the quote's reading takes it from here
        _, reading = read_latest(catalog, tracker)
        if reading.service is None:
            return []
        kind = catalog.service(reading.service).kind.value
        return [SlotSet("service", reading.service), SlotSet("service_kind", kind)]
