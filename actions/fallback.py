"""Messages with no request of their own. One the NLU is unsure of: "Intendevi …?" with
the likeliest meanings as buttons, in one step, not Rasa's two-stage loop (the customer's
next message is read as any other, so a clear request right after is answered). A yes or a
no out of context: acknowledged. Either goes to the quote when it names what the quote
holds ("mi sono sbagliato, è un Enterprise", "senza backup, costa troppo")."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .domain.masking import was_masked
from .speaking import say
from .upgrade_form import names_the_quote

# What each intent means, as the customer would say it.
INTENT_LABELS = {
    "greet": "Salutarmi",
    "goodbye": "Chiudere la conversazione",
    "thank": "Ringraziarmi",
    "bot_challenge": "Sapere se sono un bot",
    "ask_help": "Sapere cosa so fare",
    "request_quote": "Calcolare il costo di un upgrade",
    "inform": "Darmi i dati del tuo upgrade",
    "stop": "Lasciar stare il preventivo",
    "ask_downgrade": "Fare un downgrade",
    "ask_bigger_machine": "Passare a una macchina più potente",
    "ask_what_is_upgrade": "Sapere cosa si intende per upgrade",
    "ask_custom_solution": "L'upgrade di una Soluzione Personalizzata",
    "ask_cost_rules": "Sapere come si calcola il costo",
    "ask_order_procedure": "Sapere come si ordina l'upgrade",
    "ask_activation": "Sapere quando si attiva l'upgrade",
    "ask_contacts": "I contatti del commerciale",
    "ask_renewal_options": "Frequenza di rinnovo o Durata",
    "ask_expiry_where": "Dove trovo la scadenza",
    "ask_not_renewed": "Se non rinnovo il servizio",
    "ask_upgrade_period": "Ogni quanto si paga l'upgrade",
    "ask_new_order": "Ordinare una macchina nuova",
    "ask_vat": "Se i prezzi includono l'IVA",
    "ask_specs": "La dotazione di base dei servizi",
    "ask_quantity_limit": "Quanti add-on si possono aggiungere",
    "human_handoff": "Parlare con una persona",
    "out_of_scope": "Altro, non sull'upgrade",
}


class ActionDefaultAskAffirmation(Action):
    def name(self) -> str:
        return "action_default_ask_affirmation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if names_the_quote(tracker):
            return [FollowupAction("upgrade_form")]
        if was_masked(tracker.latest_message.get("text") or ""):
            # Card or password data and little else: the channel's notice has answered it;
            # "did you mean…?" would only add noise. What was pending is asked again.
            return []
        ranking = tracker.latest_message.get("intent_ranking") or []
        guesses = [
            item["name"]
            for item in ranking
            if item.get("name") in INTENT_LABELS and item["name"] not in ("affirm", "deny")
        ][:2]
        buttons = [{"title": INTENT_LABELS[name], "payload": f"/{name}"} for name in guesses]
        buttons.append({"title": INTENT_LABELS["human_handoff"], "payload": "/human_handoff"})
        say(
            dispatcher,
            tracker,
            "Non sono sicuro di aver capito: intendevi una di queste? Se no, riscrivimelo "
            "con altre parole.",
            buttons,
        )
        return []


class ActionAcknowledge(Action):
    """A yes or a no with nothing pending."""

    def name(self) -> str:
        return "action_acknowledge"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if names_the_quote(tracker):
            return [FollowupAction("upgrade_form")]
        yes = tracker.get_intent_of_latest_message() == "affirm"
        dispatcher.utter_message(response="utter_ok" if yes else "utter_anything_else")
        return []
