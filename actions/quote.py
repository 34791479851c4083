"""The quote at the end of the upgrade form, and the reset before a new one."""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import replies
from .domain.catalog import default_catalog
from .domain.expiry import days_to_expiry
from .domain.pricing import IncompatibleAddonsError, ServiceExpiredError, quote_upgrade
from .records.repository import add_quote
from .runtime import now, write_records

QUOTE_SLOTS = ("service", "addons", "expiry_date", "addon_choices")


class ActionQuote(Action):
    def name(self) -> str:
        return "action_quote"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        service = catalog.service(tracker.get_slot("service"))
        expiry = date.fromisoformat(tracker.get_slot("expiry_date"))
        days = days_to_expiry(expiry, now())
        try:
            quote = quote_upgrade(catalog, service.id, tracker.get_slot("addons") or [], days)
        except ServiceExpiredError as expired:
            dispatcher.utter_message(
                text=replies.expired_message(service, expiry, expired.days_overdue),
                buttons=replies.CONTACT_BUTTONS,
            )
            return []
        except IncompatibleAddonsError as incompatible:
            # The form already dropped what does not fit; a changed price list could not.
            dispatcher.utter_message(text=replies.incompatible(incompatible.problems))
            return [SlotSet("addons", None)]
        dispatcher.utter_message(
            text=replies.quote_message(quote, expiry), buttons=replies.NEXT_STEP_BUTTONS
        )
        write_records(
            lambda session: add_quote(session, sender_id=tracker.sender_id, quote=quote, now=now()),
            "quote",
            tracker.sender_id,
        )
        return []


class ActionResetQuote(Action):
    """A new quote request starts from nothing: the form re-reads the request's own message."""

    def name(self) -> str:
        return "action_reset_quote"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return [SlotSet(slot, None) for slot in QUOTE_SLOTS]
