"""Handing over to people: the sales line when it is open, a support request otherwise
(or as well), with a transcript recorded for the agent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import runtime
from . import support_replies as replies
from .domain.business_hours import is_open
from .domain.catalog import default_catalog
from .domain.transcripts import Transcript, build_transcript, facts_from_slots
from .records.repository import add_handoff
from .runtime import write_records
from .speaking import say


def transcript_of(tracker: Tracker, reason: str) -> Transcript:
    moment = runtime.now()
    facts = facts_from_slots(default_catalog(), tracker.current_slot_values(), moment)
    return build_transcript(tracker.sender_id, reason, facts, tracker.events, moment)


class ActionHandoff(Action):
    """ "Voglio un operatore" or a request out of scope: offer the line or a support request."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        reason = "out_of_scope" if intent == "out_of_scope" else "human_handoff"
        # Not recorded (database down): the customer still gets the contacts, and a support
        # request would carry the transcript.
        transcript = transcript_of(tracker, reason)
        write_records(
            lambda session: add_handoff(
                session, sender_id=tracker.sender_id, transcript=transcript, now=runtime.now()
            ),
            "handoff",
            tracker.sender_id,
        )
        reply = replies.handoff(reason, runtime.now())
        say(dispatcher, tracker, reply, replies.OPEN_REQUEST_BUTTONS)
        return []


class ActionAnswerContacts(Action):
    """The guide's contacts, with whether the sales line is open right now."""

    def name(self) -> str:
        return "action_answer_contacts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        moment = runtime.now()
        say(
            dispatcher,
            tracker,
            replies.contacts(moment),
            [] if is_open(moment) else replies.OPEN_REQUEST_BUTTONS,
        )
        return []
