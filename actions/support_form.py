"""The support request: the customer's consent, an email to answer to, a short description,
a confirmation of the summary; then it is stored locally at once with its reference, and
the outbox delivers it to the helpdesk.

The form starts with the offer itself ("La apro?"), so every answer is read by it: a yes in
any words, an email or the problem typed instead of yes (taken as consent, and kept), a new
email or text at the confirmation, a no at any point (nothing is stored, and the email given
for it is forgotten). A real question in the middle is answered by the rules, then the form
asks again what it was waiting for.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import runtime
from . import support_replies as replies
from .domain.masking import mask_sensitive
from .domain.support_request import RequestReading, find_email, read_request_message
from .handoff import transcript_of
from .live_person import person_available
from .records.repository import add_support_request
from .runtime import write_records
from .speaking import say
from .upgrade_form import names_the_quote

__all__ = ["find_email"]
MAX_DESCRIPTION = 2000
SUPPORT_SLOTS = ("support_wanted", "request_description", "support_confirmed")
# Intents of a question asked in the middle; a message ending with "?" of these is a question.
NOT_QUESTIONS = {"affirm", "deny", "stop", "inform", "thank", "human_handoff", "nlu_fallback"}


def _description(text: str) -> str:
    return mask_sensitive(text.strip()[:MAX_DESCRIPTION])


class ValidateSupportForm(FormValidationAction):
    def name(self) -> str:
        return "validate_support_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = (tracker.latest_message.get("text") or "").strip()
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        requested = tracker.get_slot("requested_slot")
        if intent == "human_handoff" and requested and person_available(tracker):
            # A person offered beside the request, and at hand: nothing filled, so Rasa
            # rejects the form this turn and the handoff's rule queues the conversation.
            return []
        reading = read_request_message(text) if not text.startswith("/") else RequestReading(
            yes=intent == "affirm", no=intent in ("deny", "stop")
        )
        # a question in the middle (also about another product) is not a description
        question = intent not in NOT_QUESTIONS and "?" in text and not reading.email
        if question and requested:
            return []  # answered by the rules; the form asks again after
        slots = self._fill(reading, intent, requested, tracker)
        events = [SlotSet(name, value) for name, value in slots.items()]
        tracker.add_slots(events)
        asked = await self.next_requested_slot(dispatcher, tracker, domain)
        return [*events, asked] if asked else events

    def _fill(
        self, reading: RequestReading, intent: str | None, requested: str | None, tracker: Tracker
    ) -> dict[str, Any]:
        if requested is None:
            # The message that asked for a person: its email is kept, the offer still asked.
            return {"contact_email": reading.email} if reading.email else {}
        no = _says_no(reading, intent)
        yes = reading.yes or intent == "affirm"
        slots: dict[str, Any] = {}
        quiet = not (yes or no or reading.email or reading.problem)
        if requested == "support_wanted" and quiet and names_the_quote(tracker):
            # details of the quote given to the offer ("un disco, quello da 2 tera"): the
            # quote takes them; a problem told ("non riesco ad aggiungere la ram") is the text
            return {"support_wanted": False}
        if no and not reading.email:
            if requested == "support_confirmed":
                return {"support_confirmed": False}
            return {"support_wanted": False}
        if reading.email:
            slots["contact_email"] = reading.email
            if tracker.get_slot("contact_email") not in (None, reading.email):
                slots["support_notes"] = [replies.email_changed(reading.email)]
        elif not yes and (
            reading.bad_email or (requested == "contact_email" and not reading.description)
        ):
            slots["support_notes"] = [replies.invalid_email()]
            slots["contact_email"] = None
        if reading.new_description:
            slots["request_description"] = _description(reading.new_description)
        elif reading.description and (
            requested in ("support_wanted", "request_description")
            or not tracker.get_slot("request_description")
        ):
            slots["request_description"] = _description(reading.description)
        if requested == "support_confirmed":
            changed = "contact_email" in slots or "request_description" in slots
            slots["support_confirmed"] = None if changed or not yes else True
        elif yes or reading.email or reading.description:
            slots["support_wanted"] = True
        if requested and requested not in slots and requested != "support_confirmed":
            slots[requested] = tracker.get_slot(requested)  # nothing new: asked again
        return slots

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("support_wanted") is False:
            return []  # declined: nothing more to ask
        return domain_slots


class ActionAskSupportWanted(Action):
    """The offer itself: said by the handoff in the same turn, so silent then."""

    def name(self) -> str:
        return "action_ask_support_wanted"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if _offered_this_turn(tracker):
            return []
        say(dispatcher, tracker, replies.offer_request(), replies.OPEN_REQUEST_BUTTONS)
        return []


def _offered_this_turn(tracker: Tracker) -> bool:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") in (
            "action_handoff",
            "action_answer_contacts",
        ):
            return True
    return False


class ActionAskContactEmail(Action):
    def name(self) -> str:
        return "action_ask_contact_email"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return _say_support(dispatcher, tracker, replies.ask_email())


class ActionAskRequestDescription(Action):
    def name(self) -> str:
        return "action_ask_request_description"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return _say_support(dispatcher, tracker, replies.ask_description())


def _say_support(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str, buttons: list[Any] | None = None
) -> list[dict[str, Any]]:
    notes = list(tracker.get_slot("support_notes") or [])
    say(dispatcher, tracker, "\n".join([*notes, text]), buttons)
    return [SlotSet("support_notes", None)] if notes else []


class ActionAskSupportConfirmed(Action):
    def name(self) -> str:
        return "action_ask_support_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = replies.support_summary(
            tracker.get_slot("contact_email"),
            tracker.get_slot("request_description"),
            has_quote=bool(tracker.get_slot("expiry_date") and tracker.get_slot("addons")),
        )
        return _say_support(dispatcher, tracker, text, replies.CONFIRM_BUTTONS)


class ActionSubmitSupportRequest(Action):
    def name(self) -> str:
        return "action_submit_support_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reset = [SlotSet(slot, None) for slot in (*SUPPORT_SLOTS, "support_notes")]
        if not tracker.get_slot("support_confirmed"):
            # not sent: the email given for it is forgotten (one kept from a request sent
            # before stays, so a next request can use it)
            kept = tracker.get_slot("sent_email")
            about_the_quote = names_the_quote(tracker)
            if not about_the_quote or _refused(tracker):
                say(dispatcher, tracker, replies.support_not_sent())
            events = [*reset, SlotSet("contact_email", kept)]
            if about_the_quote:
                # "no, intanto dimmi quanto costa: scade domani": the quote reads the rest
                events.append(FollowupAction("upgrade_form"))
            return events
        email = tracker.get_slot("contact_email")
        transcript = transcript_of(tracker, "support_request")
        request = write_records(
            lambda session: add_support_request(
                session,
                sender_id=tracker.sender_id,
                contact_email=email,
                description=tracker.get_slot("request_description"),
                transcript=transcript,
                now=runtime.now(),
            ),
            "support request",
            tracker.sender_id,
        )
        if request is None:
            say(dispatcher, tracker, replies.records_unavailable())
            return reset
        reference = request.reference
        say(dispatcher, tracker, replies.support_submitted(reference, email))
        return [*reset, SlotSet("last_request", reference), SlotSet("sent_email", email)]


def _says_no(reading: RequestReading, intent: str | None) -> bool:
    return reading.no or intent in ("deny", "stop")


def _refused(tracker: Tracker) -> bool:
    reading = read_request_message(tracker.latest_message.get("text") or "")
    return _says_no(reading, tracker.get_intent_of_latest_message(skip_fallback_intent=False))


class ActionRequestStatus(Action):
    """ "La richiesta l'hai aperta?": its reference, or the offer to open one."""

    def name(self) -> str:
        return "action_request_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reference = tracker.get_slot("last_request")
        if reference:
            email = tracker.get_slot("sent_email")
            say(dispatcher, tracker, replies.request_status(reference, email))
        else:
            say(dispatcher, tracker, replies.no_request_yet(), replies.OPEN_REQUEST_BUTTONS)
        return []
