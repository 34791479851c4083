"""The support request: an email to answer to, a short description, a confirmation; then it
is stored locally at once with its reference, and the outbox delivers it to the helpdesk."""

from __future__ import annotations

import re
from typing import Any

from email_validator import EmailNotValidError, validate_email
from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import support_replies as replies
from .domain.masking import mask_payment_data
from .handoff import transcript_of
from .records.repository import add_support_request
from .runtime import now, write_records
from .speaking import say

MAX_DESCRIPTION = 2000
SUPPORT_SLOTS = ("request_description", "support_confirmed")


def find_email(text: str) -> str | None:
    """The first valid address in the text, normalised; None if there is none."""
    for candidate in re.findall(r"\S+@\S+", text):
        try:
            return str(
                validate_email(
                    candidate.strip(".,;:!?()<>\"'"), check_deliverability=False
                ).normalized
            )
        except EmailNotValidError:
            continue
    return None


class ValidateSupportForm(FormValidationAction):
    def name(self) -> str:
        return "validate_support_form"

    async def extract_contact_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if tracker.get_slot("requested_slot") != "contact_email" or intent == "stop":
            return {}  # "lascia perdere" is left to the rule that drops the request
        email = find_email(tracker.latest_message.get("text") or "")
        if email is None:
            say(dispatcher, tracker, replies.invalid_email())
        return {"contact_email": email}

    async def validate_request_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "").strip()
        if not text or text.startswith("/"):
            return {"request_description": None}
        return {"request_description": mask_payment_data(text[:MAX_DESCRIPTION])}


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
        say(dispatcher, tracker, text, replies.CONFIRM_BUTTONS)
        return []


class ActionSubmitSupportRequest(Action):
    def name(self) -> str:
        return "action_submit_support_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        reset = [SlotSet(slot, None) for slot in SUPPORT_SLOTS]
        if not tracker.get_slot("support_confirmed"):
            say(dispatcher, tracker, replies.support_not_sent())
            return [*reset, SlotSet("contact_email", None)]
        email = tracker.get_slot("contact_email")
        transcript = transcript_of(tracker, "support_request")
        request = write_records(
            lambda session: add_support_request(
                session,
                sender_id=tracker.sender_id,
                contact_email=email,
                description=tracker.get_slot("request_description"),
                transcript=transcript,
                now=now(),
            ),
            "support request",
            tracker.sender_id,
        )
        if request is None:
            say(dispatcher, tracker, replies.records_unavailable())
            return reset
        reference = request.reference
        say(dispatcher, tracker, replies.support_submitted(reference, email))
        return reset
