"""The quote at the end of the upgrade form, and the reset before a new one."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import replies, runtime
from .domain.catalog import default_catalog
from .domain.expiry import days_to_expiry
from .domain.pricing import IncompatibleAddonsError, Quote, ServiceExpiredError, quote_upgrade
from .records.repository import add_quote
from .runtime import write_records
from .speaking import say, say_with_notes

# "Lascia stare" drops what was asked for; the service and its expiry are facts about the
# customer's service, kept for the next request ("2 ip invece? stesso server").
RESET_SLOTS = (
    "addons",
    "addon_choices",
    "last_quote",
    "draft_focus",
    "service_choices",
    "expiry_month",
    "draft_notes",
)


class ActionQuote(Action):
    def name(self) -> str:
        return "action_quote"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        service = catalog.service(tracker.get_slot("service"))
        expiry = date.fromisoformat(tracker.get_slot("expiry_date"))
        days = days_to_expiry(expiry, runtime.now())
        try:
            quote = quote_upgrade(catalog, service.id, tracker.get_slot("addons") or [], days)
        except ServiceExpiredError as expired:
            said = say_with_notes(
                dispatcher,
                tracker,
                replies.expired_message(service, expiry, expired.days_overdue),
                replies.CONTACT_BUTTONS,
            )
            return [*said, SlotSet("last_quote", None)]
        except IncompatibleAddonsError as incompatible:
            # The form already dropped what does not fit; a changed price list could not.
            say(dispatcher, tracker, replies.incompatible(incompatible.problems))
            return [SlotSet("addons", None), SlotSet("last_quote", None)]
        said = say_with_notes(
            dispatcher, tracker, replies.quote_message(quote, expiry), replies.NEXT_STEP_BUTTONS
        )
        write_records(
            lambda session: add_quote(
                session, sender_id=tracker.sender_id, quote=quote, now=runtime.now()
            ),
            "quote",
            tracker.sender_id,
        )
        return [*said, SlotSet("last_quote", quote_summary(quote))]


def quote_summary(quote: Quote) -> dict[str, Any]:
    """What the customer was shown, as data: for the transcript's reader and the tests."""
    return {
        "service": quote.service.id,
        "addons": dict(Counter(addon.id for addon in quote.addons)),
        "days": quote.days_to_expiry,
        "total": str(quote.price.total),
        "renewal": quote.renewal_required,
    }


class ActionResetQuote(Action):
    """ "Lascia stare": the draft is dropped, and the next request starts from nothing."""

    def name(self) -> str:
        return "action_reset_quote"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return [SlotSet(slot, None) for slot in RESET_SLOTS]
