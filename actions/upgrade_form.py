"""The upgrade form: which service, which add-ons, when it expires.

Every message is read for all three (entities first, then the price list's own words), so a
customer who writes everything at once is asked nothing more, and one who corrects an
answer ("anzi, 64 GB") at any point is understood.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import replies
from .domain.catalog import Catalog, default_catalog
from .domain.catalog_matching import (
    MAX_QUANTITY,
    Mention,
    count_before,
    expand,
    find_by_figure,
    find_mentions,
    find_services,
)
from .domain.compatibility import Incompatibility, compatible_addons, split_compatible
from .domain.expiry import today_in_rome
from .domain.italian_dates import ExpiryError, ExpiryNotFoundError, parse_expiry
from .domain.selection import is_correction, merge_addons
from .runtime import now

# Intents with which a customer is answering the form; anything else may be a question
# asked in the middle of it ("posso passare dall'entry al pro?" names services but changes
# nothing), which the form leaves to the rules. A message the NLU is unsure of is still read.
ANSWERING_INTENTS = {"inform", "request_quote", "affirm", "deny"}
READ_INTENTS = {*ANSWERING_INTENTS, "nlu_fallback"}


def _answering(tracker: Tracker) -> bool:
    return (tracker.latest_message.get("intent") or {}).get("name") in READ_INTENTS


def _mentions(tracker: Tracker, entity: str, items: list[Any]) -> list[Mention]:
    """What the message names: the entity spans, plus what the price list's own words find
    in the whole text that no span gave (the extractor may miss one of several)."""
    ids = {item.id for item in items}
    text = tracker.latest_message.get("text") or ""
    from_entities: list[Mention] = []
    for found in tracker.latest_message.get("entities", []):
        if found.get("entity") != entity:
            continue
        value = str(found.get("value", ""))
        # Buttons send ids ("/inform{"addon":"ram-16"}"); typed text sends words.
        mentions = [Mention((value,))] if value in ids else find_mentions(items, value)
        # A span leaves out its count ("2 [ip]"): read it from the words before the span.
        before, refused = count_before(text[: found["start"]]) if "start" in found else (1, None)
        from_entities += [
            replace(
                m,
                quantity=max(m.quantity, before),
                # a refused 0 is still refused: compare with None, not by truth
                refused_count=refused if m.refused_count is None else m.refused_count,
            )
            for m in mentions
        ]
    given = {mention.candidates for mention in from_entities}
    return from_entities + [m for m in find_mentions(items, text) if m.candidates not in given]


def _not_understood(slot: str) -> str:
    if slot == "service":
        return replies.unknown_service()
    if slot in ("addons", "addon_choice"):
        return replies.unknown_addons()
    return replies.expiry_problem(ExpiryNotFoundError())


class ValidateUpgradeForm(FormValidationAction):
    def name(self) -> str:
        return "validate_upgrade_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        requested = tracker.get_slot("requested_slot")
        choices_before = tracker.get_slot("addon_choices")
        events: list[dict[str, Any]] = await super().run(dispatcher, tracker, domain)
        # The sdk returns form slots only; addon_choices is bookkeeping beside them.
        if tracker.get_slot("addon_choices") != choices_before:
            events.append(SlotSet("addon_choices", tracker.get_slot("addon_choices")))
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        filled = any(
            event.get("event") == "slot" and event.get("name") != "requested_slot"
            for event in events
        )
        explained = bool(dispatcher.messages)
        if requested and not filled and (intent in ANSWERING_INTENTS or explained):
            # An answer with nothing usable in it: say so (unless already explained), and
            # the form asks again. Other intents (a question in the middle) are left to the
            # rules: the form rejects.
            if not explained:
                dispatcher.utter_message(text=_not_understood(requested))
            events.append(SlotSet(requested, None))
        return events

    @property
    def catalog(self) -> Catalog:
        return default_catalog()

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

    async def extract_service(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not _answering(tracker):
            return {}
        mentions = _mentions(tracker, "service", list(self.catalog.services.values()))
        resolved = [mention.resolved for mention in mentions if mention.resolved]
        return {"service": resolved[-1]} if resolved else {}

    async def extract_addons(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if not _answering(tracker):
            return {}
        catalog = self.catalog
        service_id = tracker.get_slot("service")
        mentions = _mentions(tracker, "addon", list(catalog.addons.values()))
        refused = [mention for mention in mentions if mention.refused_count is not None]
        if refused:
            # "-3 ip", "10000 ip": say what can be quoted and ask again, adding nothing.
            names = [catalog.addon(mention.candidates[0]).name for mention in refused]
            dispatcher.utter_message(text=replies.count_refused(names, MAX_QUANTITY))
            mentions = [mention for mention in mentions if mention.refused_count is None]
        named = expand(mentions)
        pending = tracker.get_slot("addon_choices") or []
        if not named and pending:
            # Answering "which one?": the figure alone is enough ("quello da 960").
            candidates = [catalog.addon(addon_id) for addon_id in pending]
            named = expand(find_by_figure(candidates, tracker.latest_message.get("text") or ""))
        chosen = tracker.get_slot("addons") or []
        if named:
            correction = is_correction(tracker.latest_message.get("text") or "")
            merged = merge_addons(catalog, chosen, named, correction)
            _, problems = self._check(service_id, merged)
            if correction and chosen and any(problem.addon.id in named for problem in problems):
                # A correction that does not fit keeps the earlier choice ("anzi, 64 GB" on
                # a server that takes 32 GB more at most keeps the 16 GB chosen before).
                kept = [catalog.addon(addon_id) for addon_id in chosen]
                dispatcher.utter_message(text=replies.correction_kept(problems, kept))
                return {"addons": chosen, "addon_choices": None}
            return {"addons": merged, "addon_choices": None}
        families = [mention.candidates for mention in mentions if not mention.resolved]
        if not families:
            return {}
        # "un disco in più": ask which one (see required_slots), keeping what was chosen,
        # among those that fit; if none fits (a disk on a Housing), say why instead.
        fitting = [
            addon_id
            for addon_id in families[0]
            if not self._check(service_id, [*chosen, addon_id])[1]
        ]
        if not fitting:
            dispatcher.utter_message(
                text=replies.incompatible(self._check(service_id, [*chosen, families[0][0]])[1])
            )
        return {"addon_choices": fitting or None}

    async def extract_addon_choice(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {}  # the answer to the choice is read by extract_addons

    async def extract_expiry_date(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/") or not _answering(tracker):
            return {}  # a button payload carries no date; a question is not an answer
        try:
            expiry = parse_expiry(text, today_in_rome(now()))
        except ExpiryNotFoundError:
            return {}
        except ExpiryError as error:
            dispatcher.utter_message(text=replies.expiry_problem(error))
            return {"expiry_date": None}
        return {"expiry_date": expiry.isoformat()}

    def _check(
        self, service_id: str | None, addon_ids: list[str]
    ) -> tuple[list[str], list[Incompatibility]]:
        """The add-ons that fit the service, and why the others do not."""
        if service_id is None or service_id not in self.catalog.services:
            return list(addon_ids), []
        requested = [self.catalog.addon(addon_id) for addon_id in addon_ids]
        accepted, problems = split_compatible(
            self.catalog, self.catalog.service(service_id), requested
        )
        return [addon.id for addon in accepted], problems

    def _fitting(
        self, dispatcher: CollectingDispatcher, service_id: str | None, addon_ids: list[str]
    ) -> list[str] | None:
        """The add-ons that fit the service; the others are explained and dropped."""
        accepted, problems = self._check(service_id, addon_ids)
        if problems:
            dispatcher.utter_message(text=replies.incompatible(problems))
        return accepted or None

    async def validate_service(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value not in self.catalog.services:
            return {"service": None}
        if "addons" in tracker.slots_to_validate():
            return {"service": value}  # validate_addons checks them against this service next
        addons = tracker.get_slot("addons") or []
        return {"service": value, "addons": self._fitting(dispatcher, value, addons)}

    async def validate_addons(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        known = [addon_id for addon_id in value or [] if addon_id in self.catalog.addons]
        return {"addons": self._fitting(dispatcher, tracker.get_slot("service"), known)}

    async def validate_expiry_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            date.fromisoformat(str(value))
        except ValueError:
            return {"expiry_date": None}
        return {"expiry_date": value}


class ActionAskService(Action):
    def name(self) -> str:
        return "action_ask_service"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        # "ho un housing" names the kind but not the model: offer just those models.
        named = find_services(catalog, tracker.latest_message.get("text") or "")
        candidates = next((mention.candidates for mention in named if not mention.resolved), ())
        services = [catalog.service(service_id) for service_id in candidates] or list(
            catalog.services.values()
        )
        dispatcher.utter_message(
            text=replies.ask_service(), buttons=replies.service_buttons(services)
        )
        return []


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
        dispatcher.utter_message(
            text=replies.ask_addons(service), buttons=replies.addon_buttons(fitting)
        )
        return []


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
        dispatcher.utter_message(
            text=replies.ask_addon_choice(), buttons=replies.addon_buttons(offered)
        )
        return []
