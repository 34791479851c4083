"""The upgrade form: a thin view of the quote draft (`domain/draft.py`).

Every message is read for what it does to the draft (`domain/message_reading.py`): add,
remove, set a count, change the service or the expiry. The form's slots hold the draft;
what changed and what could not be done are kept as notes, said in one message with the
next question or the quote.

A message is an answer when the NLU says the customer is giving details, when it gives
what the form is waiting for ("mancano 120 giorni" while the expiry is asked, whatever the
intent), or when it only removes or recounts what the draft holds. Anything else (a
question in the middle) is left to the rules: the form rejects and resumes after.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import replies, runtime
from .domain.catalog import Catalog, default_catalog
from .domain.catalog_matching import MAX_QUANTITY
from .domain.compatibility import compatible_addons, split_compatible
from .domain.draft import Applied, Draft, ItemEdit, Op, apply_edits
from .domain.expiry import today_in_rome
from .domain.italian_dates import DayMissingError
from .domain.message_reading import Reading, read_message
from .speaking import say_with_notes

# Intents with which a customer gives details; a message the NLU is unsure of is read too.
ANSWERING_INTENTS = {"inform", "request_quote", "affirm", "deny"}
READ_INTENTS = {*ANSWERING_INTENTS, "nlu_fallback"}
DRAFT_SLOTS = ("service", "addons", "expiry_date", "draft_focus")


def _payload_reading(catalog: Catalog, tracker: Tracker, draft: Draft) -> Reading:
    """A button sends ids: a service, or an add-on (one already chosen stays as it is)."""
    entities = tracker.latest_message.get("entities") or []
    values = {str(found.get("entity")): str(found.get("value")) for found in entities}
    addon = values.get("addon") or ""
    edits: tuple[ItemEdit, ...] = ()
    if addon in catalog.addons:
        op = Op.SET if draft.count(addon) else Op.ADD
        edits = (ItemEdit(op, (addon,), max(1, draft.count(addon))),)
    service = values.get("service")
    return Reading(edits=edits, service=service if service in catalog.services else None)


def _gives_awaited(reading: Reading, requested: str | None) -> bool:
    if requested == "expiry_date":
        return bool(reading.expiry or reading.expiry_error)
    if requested == "service":
        return bool(reading.service or reading.service_choices)
    if requested in ("addons", "addon_choice"):
        return bool(reading.edits)
    return False


def read_latest(catalog: Catalog, tracker: Tracker) -> tuple[Draft, Reading]:
    """The draft held, and what the latest message asks of it."""
    text = tracker.latest_message.get("text") or ""
    draft = Draft.from_slots(tracker.current_slot_values())
    if text.startswith("/"):
        return draft, _payload_reading(catalog, tracker, draft)
    # A bare day completes the month asked for, or moves the expiry within its month.
    hint = tracker.get_slot("expiry_month")
    month = date.fromisoformat(hint) if hint else draft.expiry
    return draft, read_message(
        catalog,
        text,
        draft,
        today_in_rome(runtime.now()),
        month_hint=month.replace(day=1) if month else None,
        choosing=tracker.get_slot("addon_choices") or (),
    )


def names_the_quote(tracker: Tracker) -> bool:
    """The latest message names a service, an add-on or an expiry: whatever its intent
    (unsure, a yes, a no, at the offer of a request), the quote reads it."""
    return read_latest(default_catalog(), tracker)[1].names_anything


class ValidateUpgradeForm(FormValidationAction):
    def name(self) -> str:
        return "validate_upgrade_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        intent = tracker.get_intent_of_latest_message(skip_fallback_intent=False)
        requested = tracker.get_slot("requested_slot")
        draft, reading = read_latest(catalog, tracker)
        held_only = reading.edits_held_items_only and any(
            draft.count(item)
            for edit in reading.edits
            for item in (*edit.candidates, *edit.replaces)
        )
        if not (intent in READ_INTENTS or _gives_awaited(reading, requested) or held_only):
            return []  # a question in the middle: the rules answer it, the form resumes
        events = self._read(catalog, tracker, draft, reading)
        filled = any(event["name"] in (*DRAFT_SLOTS, "addon_choices") for event in events)
        if requested and not filled and intent in ANSWERING_INTENTS and not reading.expiry_error:
            # An answer with nothing usable in it: say so, and the form asks again.
            notes = [*_notes(events, tracker), replies.not_understood(requested)]
            events += [SlotSet("draft_notes", notes), SlotSet(requested, None)]
        tracker.add_slots(events)
        asked = await self.next_requested_slot(dispatcher, tracker, domain)
        return [*events, asked] if asked else events

    def _read(
        self, catalog: Catalog, tracker: Tracker, draft: Draft, reading: Reading
    ) -> list[dict[str, Any]]:
        """The slot events that turn `draft` into what `reading` asks, with the notes."""
        before = draft
        if reading.restart:
            # "ricominciamo": the add-ons go, the service and its expiry stay (as "lascia stare")
            draft = Draft(service=draft.service, expiry=draft.expiry)
        service = reading.service if reading.service in catalog.services else None
        applied = apply_edits(catalog, draft, reading.edits, service, reading.expiry)
        notes = replies.draft_notes(catalog, before, applied)
        if reading.refused:
            names = [catalog.addon(addon_id).name for addon_id, _ in reading.refused]
            notes.append(replies.count_refused(names, MAX_QUANTITY))
        if reading.expiry_error is not None:
            notes.append(replies.expiry_problem(reading.expiry_error))
        new, old = applied.draft.to_slots(), before.to_slots()
        events = [SlotSet(slot, new[slot]) for slot in DRAFT_SLOTS if new[slot] != old[slot]]
        choices = self._choices(catalog, applied)
        if reading.show_options:
            choices = self._shown(catalog, applied.draft)
        if choices or reading.edits:
            events.append(SlotSet("addon_choices", choices or None))
        if service and service != before.service:
            events.append(SlotSet("service_kind", catalog.service(service).kind.value))
        if reading.service_choices and not service:
            choices_set = SlotSet("service_choices", list(reading.service_choices))
            events += [SlotSet("service", None), choices_set]
        elif service:
            events.append(SlotSet("service_choices", None))
        month = getattr(reading.expiry_error, "month", None)
        if isinstance(reading.expiry_error, DayMissingError) and month:
            events.append(SlotSet("expiry_month", month.isoformat()))
        elif reading.expiry:
            events.append(SlotSet("expiry_month", None))
        if notes:
            events.append(SlotSet("draft_notes", [*_notes([], tracker), *notes]))
        return events

    def _choices(self, catalog: Catalog, applied: Applied) -> list[str]:
        """The add-ons of a family named without a size ("un altro disco") that still fit."""
        draft = applied.draft
        if not applied.choices or draft.service is None or draft.service not in catalog.services:
            return list(applied.choices)
        service = catalog.service(draft.service)
        chosen = [catalog.addon(item) for item in draft.addons]
        return [
            item
            for item in applied.choices
            if not split_compatible(catalog, service, [*chosen, catalog.addon(item)])[1]
        ]

    def _shown(self, catalog: Catalog, draft: Draft) -> list[str]:
        """The options asked for again: those named like the add-on last talked about ("i
        dischi": SSD, HDD, NVMe), else all that fit."""
        service = catalog.services.get(draft.service) if draft.service else None
        fitting = compatible_addons(catalog, service) if service else list(catalog.addons.values())
        named = set(catalog.addon(draft.focus).naming.keywords) if draft.focus else set()
        family = [a.id for a in catalog.addons.values() if named & set(a.naming.keywords)]
        return family or [addon.id for addon in fitting]

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if not tracker.get_slot("addon_choices"):
            return domain_slots
        # `addon_choice` stays empty on purpose: it makes the form ask which of the
        # candidates the customer meant; their answer lands in `addons` and clears the choices.
        position = domain_slots.index("addons")
        return [*domain_slots[:position], "addon_choice", *domain_slots[position:]]


def _notes(events: list[dict[str, Any]], tracker: Tracker) -> list[str]:
    """The notes not said yet: the tracker's, or those just set."""
    for event in reversed(events):
        if event.get("name") == "draft_notes":
            return list(event.get("value") or [])
    return list(tracker.get_slot("draft_notes") or [])


class ActionAskService(Action):
    def name(self) -> str:
        return "action_ask_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        named = tracker.get_slot("service_choices") or []
        choices = [item for item in named if item in catalog.services]
        services = [catalog.service(item) for item in choices] or list(catalog.services.values())
        text = replies.ask_service_among(services) if choices else replies.ask_service()
        return say_with_notes(dispatcher, tracker, text, replies.service_buttons(services))


class ActionAskAddons(Action):
    def name(self) -> str:
        return "action_ask_addons"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        service_id = tracker.get_slot("service")
        service = catalog.service(service_id) if service_id in catalog.services else None
        fitting = compatible_addons(catalog, service) if service else list(catalog.addons.values())
        return say_with_notes(
            dispatcher, tracker, replies.ask_addons(service), replies.addon_buttons(fitting)
        )


class ActionAskAddonChoice(Action):
    def name(self) -> str:
        return "action_ask_addon_choice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        choices = tracker.get_slot("addon_choices") or []
        service_id = tracker.get_slot("service")
        fitting = (
            {addon.id for addon in compatible_addons(catalog, catalog.service(service_id))}
            if service_id in catalog.services
            else set(catalog.addons)
        )
        offered = [catalog.addon(addon_id) for addon_id in choices if addon_id in fitting]
        if not offered:  # none of them fits this service: offer what does
            offered = [catalog.addon(addon_id) for addon_id in sorted(fitting)]
        return say_with_notes(
            dispatcher, tracker, replies.ask_addon_choice(), replies.addon_buttons(offered)
        )


class ActionAskExpiryDate(Action):
    def name(self) -> str:
        return "action_ask_expiry_date"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        hint = tracker.get_slot("expiry_month")
        text = replies.ask_expiry_day(date.fromisoformat(hint)) if hint else replies.ask_expiry()
        return say_with_notes(dispatcher, tracker, text, [])
