"""The guide's answers that come from the price list: VAT, a service's base configuration,
how many of an add-on a service takes. The wording is in domain.yml; the figures are read
from the price list here, never typed twice."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import replies
from .domain.catalog import default_catalog
from .upgrade_form import read_latest


class ActionAnswerVat(Action):
    def name(self) -> str:
        return "action_answer_vat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        rate = replies.format_rate(default_catalog().vat_rate)
        dispatcher.utter_message(response="utter_answer_vat", vat_rate=rate)
        return []


class ActionAnswerSpecs(Action):
    def name(self) -> str:
        return "action_answer_specs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        draft, reading = read_latest(catalog, tracker)
        named = reading.service or draft.service
        known = named is not None and named in catalog.services
        services = [catalog.service(named)] if known and named else list(catalog.services.values())
        specs = "\n".join(replies.base_configuration(service) for service in services)
        dispatcher.utter_message(response="utter_answer_specs", specs=specs)
        return []


class ActionAnswerQuantityLimit(Action):
    def name(self) -> str:
        return "action_answer_quantity_limit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        draft, reading = read_latest(catalog, tracker)
        named = reading.service or draft.service
        known = named is not None and named in catalog.services
        service = catalog.service(named) if known and named else None
        addons = [catalog.addon(item) for edit in reading.edits for item in edit.candidates]
        limits = replies.quantity_limits(catalog, service, addons)
        dispatcher.utter_message(response="utter_answer_quantity_limit", limits=limits)
        return []
