"""The guide's answers that come from the price list: VAT, a service's base configuration,
how many of an add-on a service takes. The wording is in domain.yml; the figures are read
from the price list here, never typed twice."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from . import replies, texts
from .domain.catalog import Catalog, Service, default_catalog
from .domain.message_reading import Reading
from .upgrade_form import read_latest


def _service_meant(catalog: Catalog, tracker: Tracker) -> tuple[Service | None, Reading]:
    """The service the question names, else the one in the draft; and the question read."""
    draft, reading = read_latest(catalog, tracker)
    named = reading.service or draft.service
    return (catalog.services.get(named) if named else None), reading


class ActionAnswerVat(Action):
    def name(self) -> str:
        return "action_answer_vat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        rate = texts.rate(default_catalog().vat_rate)
        dispatcher.utter_message(response="utter_answer_vat", vat_rate=rate)
        return []


class ActionAnswerSpecs(Action):
    def name(self) -> str:
        return "action_answer_specs"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        catalog = default_catalog()
        service, _ = _service_meant(catalog, tracker)
        services = [service] if service else list(catalog.services.values())
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
        service, reading = _service_meant(catalog, tracker)
        addons = [catalog.addon(item) for edit in reading.edits for item in edit.candidates]
        limits = replies.quantity_limits(catalog, service, addons)
        dispatcher.utter_message(response="utter_answer_quantity_limit", limits=limits)
        return []
