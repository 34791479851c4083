"""Every text an action sends goes out here: in the customer's register, with the notes of
what changed since the last answer said first, in one message."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from .domain import register
from .domain.language import Language
from .texts import speaking


def in_register(tracker: Tracker, text: str) -> str:
    """Italian to a customer who writes with "Lei" is said with "Lei"; English has one."""
    return register.in_register(text, tracker.get_slot("register"),
                                speaking() is Language.ITALIAN)


def say(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str, buttons: list[Any] | None = None
) -> None:
    dispatcher.utter_message(text=in_register(tracker, text), buttons=buttons or [])


def say_with_notes(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str, buttons: list[Any]
) -> list[dict[str, Any]]:
    """One message: what changed or went wrong since the last answer, then `text`."""
    notes = list(tracker.get_slot("draft_notes") or [])
    say(dispatcher, tracker, "\n".join([*notes, text]), buttons)
    return [SlotSet("draft_notes", None)] if notes else []
