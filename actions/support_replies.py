"""The messages of the handoff and of support requests, assembled from the sentences of
domain.yml (actions/texts.py). Plain Python, no Rasa."""

from __future__ import annotations

from datetime import datetime, timedelta

from .domain.business_hours import is_open, next_opening
from .domain.contacts import clock
from .domain.expiry import ROME
from .replies import Button, button
from .texts import text, weekday

OPEN_REQUEST_BUTTONS: list[Button] = [
    button("part_button_open_request", "/affirm"),
    button("part_button_no_thanks", "/deny"),
]
# A person in the same chat, offered beside the support request when one is at hand.
PERSON_BUTTONS: list[Button] = [button("part_button_handoff", "/human_handoff")]
CONFIRM_BUTTONS: list[Button] = [
    button("part_button_send", "/affirm"),
    button("part_button_no", "/deny"),
]


def reopening_phrase(now: datetime) -> str:
    """ "riapre oggi alle 8:30", "riapre domani alle 8:30", "riapre lunedì 8 dicembre alle 8:30"."""
    opening = next_opening(now)
    today = now.astimezone(ROME).date()
    hour = clock(opening.time())
    if opening.date() == today:
        return text("part_reopens_today", hour=hour)
    if opening.date() == today + timedelta(days=1):
        return text("part_reopens_tomorrow", hour=hour)
    far = opening.date() - today >= timedelta(days=7)
    return text("part_reopens_on", day=weekday(opening.date(), with_date=far), hour=hour)


def _line_status(now: datetime) -> str:
    if is_open(now):
        return text("part_line_open")
    return text("part_line_closed", reopening=reopening_phrase(now))


def handoff(reason: str, now: datetime, person: bool = False) -> str:
    """`person`: an agent could answer in this chat now (actions/live_person.py)."""
    first = text("part_out_of_scope" if reason == "out_of_scope" else "part_handoff")
    said = f"{first} {_line_status(now)}\n{offer_request()}"
    return said + "\n" + text("part_offer_person") if person else said


def queued(position: int) -> str:
    return text("part_handoff_queued", position=position)


def unanswered() -> str:
    """Nobody took the conversation in time: the support request, as when the line is closed."""
    return text("part_handoff_unanswered") + "\n" + offer_request()


def contacts(now: datetime) -> str:
    said = text("part_contacts") + "\n" + _line_status(now)
    if not is_open(now):
        said += "\n" + text("part_contacts_offer")
    return said


def offer_request() -> str:
    return text("part_offer_request")


def ask_email() -> str:
    return text("part_ask_email")


def ask_description() -> str:
    return text("part_ask_description")


def email_changed(email: str) -> str:
    return text("part_email_changed", email=email)


def request_status(reference: str, email: str | None) -> str:
    to = text("part_request_status_to", email=email) if email else ""
    return text("part_request_status", reference=reference, to=to)


def no_request_yet() -> str:
    return text("part_no_request_yet")


def invalid_email() -> str:
    return text("part_invalid_email")


def support_summary(email: str, description: str, has_quote: bool) -> str:
    attached = text("part_summary_quote_attached") if has_quote else ""
    return text("part_support_summary", email=email, description=description, attached=attached)


def support_submitted(reference: str, email: str) -> str:
    return text("part_support_submitted", reference=reference, email=email)


def support_not_sent() -> str:
    return text("part_support_not_sent")


def records_unavailable() -> str:
    return text("part_records_unavailable")
