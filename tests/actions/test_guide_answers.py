"""The guide's answers that read the price list: VAT, base configuration, quantities."""

from __future__ import annotations

from actions.guide_answers import ActionAnswerQuantityLimit, ActionAnswerSpecs, ActionAnswerVat

from .conftest import DOMAIN, MakeTracker


async def test_vat_comes_from_the_price_list(make_tracker: MakeTracker, dispatcher) -> None:
    await ActionAnswerVat().run(dispatcher, make_tracker("è iva inclusa?"), DOMAIN)
    (message,) = dispatcher.messages
    assert message["response"] == "utter_answer_vat" and message["vat_rate"] == "22%"


async def test_specs_of_the_service_named_or_held(make_tracker, dispatcher) -> None:
    tracker = make_tracker("quanta ram ha di base?", intent="ask_specs", service="ds-entry")
    await ActionAnswerSpecs().run(dispatcher, tracker, DOMAIN)
    specs = dispatcher.messages[0]["specs"]
    assert specs == (
        "• Server Dedicato Entry: 16 GB di RAM di base (fino a 64 GB), 2 slot per i dischi, "
        "1 libero."
    )


async def test_specs_of_every_service_when_none_is_known(make_tracker, dispatcher) -> None:
    await ActionAnswerSpecs().run(dispatcher, make_tracker("che dotazione hanno?"), DOMAIN)
    specs = dispatcher.messages[0]["specs"]
    assert "• Housing 1U: 0,5 A di potenza inclusa." in specs and specs.count("•") == 5


async def test_how_many_of_an_addon_the_service_takes(make_tracker, dispatcher) -> None:
    tracker = make_tracker(
        "posso metterne 2 di licenze plesk?", intent="ask_quantity_limit", service="ds-pro"
    )
    await ActionAnswerQuantityLimit().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages[0]["limits"] == "• Licenza Plesk: uno solo per servizio."
