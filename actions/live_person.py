"""Whether a person can answer in the same chat now, and putting the conversation in their
queue (the live handoff: the state in actions/records/live_handoff.py, the channels' side in
channels/live_handoff.py). Asked by the handoff action and by the support form."""

from __future__ import annotations

from datetime import timedelta

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from . import runtime
from .domain.business_hours import is_open
from .records import live_handoff as live
from .runtime import write_records

# After nobody took the conversation, asking again soon gets the support request offered.
UNANSWERED_MEMORY = timedelta(minutes=10)


def _possible(tracker: Tracker) -> str | None:
    """The channel, when the sales line is open and the channel can carry a person's replies."""
    channel = tracker.get_latest_input_channel()
    return channel if channel in live.LIVE_CHANNELS and is_open(runtime.now()) else None


def _available(session: Session, sender_id: str) -> bool:
    now = live.utc_now()
    recent = (live.UNANSWERED,)
    return not live.recently_ended(
        session, sender_id, recent, now, UNANSWERED_MEMORY
    ) and bool(live.agents_present(session, now))


def person_available(tracker: Tracker) -> bool:
    """An agent has the console open, in the line's hours, on a channel they can answer on
    (and this conversation did not just wait in vain). False when the database is down."""
    if _possible(tracker) is None:
        return False
    found = write_records(
        lambda session: _available(session, tracker.sender_id), "live handoff", tracker.sender_id
    )
    return bool(found)


def queue_for_person(tracker: Tracker) -> int | None:
    """Queue the conversation for a person in the same chat when one is available: its
    place in the queue, else None (the database down included)."""
    channel = _possible(tracker)
    if channel is None:
        return None

    def enqueue(session: Session) -> int | None:
        if not _available(session, tracker.sender_id):
            return None
        return live.enqueue(
            session, sender_id=tracker.sender_id, channel=channel, reason=live.HANDOFF_INTENT,
            now=live.utc_now(),
        )

    return write_records(enqueue, "live handoff", tracker.sender_id)


def left_unanswered(tracker: Tracker) -> bool:
    """Whether a person was asked for and nobody took the conversation in time just now."""

    def check(session: Session) -> bool:
        return live.recently_ended(
            session, tracker.sender_id, (live.UNANSWERED,), live.utc_now(), UNANSWERED_MEMORY
        )

    return bool(write_records(check, "live handoff", tracker.sender_id))
