"""Handing over to people: the sales line when it is open, a support request otherwise
(or as well), with a transcript recorded for the agent."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from . import runtime
from . import support_replies as replies
from .domain.business_hours import is_open
from .domain.catalog import default_catalog
from .domain.language import Language
from .domain.transcripts import Transcript, build_transcript, facts_from_slots
from .live_person import left_unanswered, person_available, queue_for_person
from .records.conversations import conversation_events, current_session
from .records.repository import add_handoff
from .replies import rule_sentence
from .runtime import write_records
from .speaking import say
from .texts import speaking_in

logger = logging.getLogger(__name__)


def transcript_of(tracker: Tracker, reason: str) -> Transcript:
    moment = runtime.now()
    with speaking_in(Language.ITALIAN):  # the agent reads Italian, whatever the customer's
        facts = facts_from_slots(
            default_catalog(), tracker.current_slot_values(), moment, rule_sentence
        )
    return build_transcript(tracker.sender_id, reason, facts, history(tracker), moment)


def history(tracker: Tracker) -> list[dict[str, Any]]:
    """The whole session for the transcript. The Rasa server sends an action only the
    current turn (rasa_server/patches/) and stores the turn when it ends: the earlier
    turns are read from the store, before the turn's first event."""
    turn = list(tracker.events)
    try:
        stored = current_session(conversation_events(tracker.sender_id, engine=runtime.engine()))
    except SQLAlchemyError:
        logger.exception("conversation %s not read: the transcript holds this turn only",
                         tracker.sender_id)
        stored = []
    first = turn[0].get("timestamp", float("inf")) if turn else float("inf")
    return [event for event in stored if event.get("timestamp", 0) < first] + turn


class ActionHandoff(Action):
    """ "Voglio un operatore" or a request out of scope: a person in the same chat when one
    is there (the conversation then waits, paused, for the agent: channels/live_handoff.py),
    else the line or a support request."""

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
        if reason == "human_handoff":
            position = queue_for_person(tracker)
            if position:
                say(dispatcher, tracker, replies.queued(position))
                # A form asking (the support request's offer, when a person was offered
                # beside it) ends unanswered; paused, Rasa predicts nothing more: the support
                # form of the rule does not start.
                ended = [ActiveLoop(None), SlotSet("requested_slot", None)]
                return [*(ended if tracker.active_loop.get("name") else []), ConversationPaused()]
        if reason == "human_handoff" and left_unanswered(tracker):
            say(dispatcher, tracker, replies.unanswered(), replies.OPEN_REQUEST_BUTTONS)
            return []
        # Out of scope with a person at hand: offered beside the support request.
        person = reason == "out_of_scope" and person_available(tracker)
        say(
            dispatcher,
            tracker,
            replies.handoff(reason, runtime.now(), person),
            replies.OPEN_REQUEST_BUTTONS + (replies.PERSON_BUTTONS if person else []),
        )
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
