"""What the customer says of their own service, and how they write, whatever they ask.

Rasa runs this on every message (the custom mapping of `service_kind`), before the
dialogue: "ho un housing 4U, posso fare un downgrade?" is a question, answered by the
rules, but it also tells which service the customer has. When the draft has none yet, it
is kept; a service named while another is in the draft ("conviene l'enterprise?") changes
nothing: only the quote's own reading changes a service. Likewise the sizes of an add-on
asked about before any choice ("più ram, che opzioni ci sono?") are kept as the options
"quella da 32" picks from.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .domain.catalog import default_catalog
from .domain.register import detect_register
from .upgrade_form import READ_INTENTS, read_latest


class ActionNoteService(Action):
    def name(self) -> str:
        return "action_note_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        events = []
        # the register the customer writes in, mirrored from the first message that shows one
        register = detect_register(tracker.latest_message.get("text") or "")
        if register is not None and register.value != tracker.get_slot("register"):
            events.append(SlotSet("register", register.value))
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        if intent in READ_INTENTS:
            return events  # the quote's reading takes it from here
        draft, reading = read_latest(catalog, tracker)
        # "vorrei più ram, che opzioni ci sono?" before any choice: the sizes are what
        # "quella da 32" picks next
        families = [edit.candidates for edit in reading.edits if edit.resolved is None]
        if families and not draft.addons and not tracker.get_slot("addon_choices"):
            events.append(SlotSet("addon_choices", list(families[0])))
        if reading.service is not None and draft.service is None:
            kind = catalog.service(reading.service).kind.value
            events += [SlotSet("service", reading.service), SlotSet("service_kind", kind)]
        return events
