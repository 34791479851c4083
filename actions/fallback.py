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
from .texts import text
from .upgrade_form import names_the_quote

# The intents a guess can offer; each is offered as the customer would say it: the text
# `part_intent_<intent>` of domain.yml.
OFFERED = (
    "greet",
    "goodbye",
    "thank",
    "bot_challenge",
    "ask_help",
    "request_quote",
    "inform",
    "stop",
    "ask_downgrade",
    "ask_bigger_machine",
    "ask_what_is_upgrade",
    "ask_custom_solution",
    "ask_cost_rules",
    "ask_order_procedure",
    "ask_activation",
    "ask_contacts",
    "ask_renewal_options",
    "ask_expiry_where",
    "ask_not_renewed",
    "ask_upgrade_period",
    "ask_new_order",
    "ask_vat",
    "ask_specs",
    "ask_quantity_limit",
    "human_handoff",
    "out_of_scope",
)


def offer(intent: str) -> dict[str, str]:
    return {"title": text(f"part_intent_{intent}"), "payload": f"/{intent}"}


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
            if item.get("name") in OFFERED and item["name"] not in ("affirm", "deny")
        ][:2]
        buttons = [offer(name) for name in [*guesses, "human_handoff"]]
        say(dispatcher, tracker, text("part_not_sure"), buttons)
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
